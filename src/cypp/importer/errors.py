"""The one exception the importer raises for documents it cannot read."""

from __future__ import annotations

from pathlib import Path


class DocumentError(Exception):
    """A document could not be imported; the message names the file and the problem.

    Callers (the CLI, the web upload) show the message to a person as it is, so it
    must say what is wrong in plain words rather than carry a library's traceback.
    """

    def __init__(self, path: str | Path, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{Path(self.path).name}: {problem}")
