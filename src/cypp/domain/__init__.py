"""The plan as data: pure Python, no web framework."""
