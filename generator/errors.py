"""The project's own error type and the problems that checking collects.

Every message names the file, the line (and column where known), the field, what was expected,
and a hint, on one line, so that editors can jump to it: ``path:line:col: field: message (hint)``.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the content, located as precisely as the input allows."""

    path: str
    message: str
    line: int | None = None
    column: int | None = None
    field: str | None = None
    hint: str | None = None
    severity: str = "error"  # error | warning

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        text = f"{where}: "
        if self.field:
            text += f"{self.field}: "
        text += self.message
        if self.hint:
            text += f" (hint: {self.hint})"
        return one_line(text)


_BREAKS = {0x85, 0x2028, 0x2029, 0x7f}


def one_line(text: str) -> str:
    """``text`` with control characters escaped (\\n, \\x1b), so that a message stays one line and a
    file name with a newline or a terminal escape code can neither forge a line nor drive the terminal."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c == " " else
                   (repr(c)[1:-1] if ord(c) < 0x100 else f"\\u{ord(c):04x}") if ord(c) < 0x20 or ord(c) in _BREAKS
                   else c for c in text)


class FactsheetError(Exception):
    """Raised for bad input; carries one or more problems, each already located."""

    def __init__(self, problems: Problem | list[Problem]):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
