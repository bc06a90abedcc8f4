"""cypp: a Children and Young People's Plan as a living system."""

__version__ = "0.1.0"
