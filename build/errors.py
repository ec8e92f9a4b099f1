"""Errors the extraction pipeline raises: one clear line naming the file and the problem."""

from __future__ import annotations


class ReportError(Exception):
    """A report could not be read or is not a CLAS report. ``str()`` is one line for the user."""

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem
