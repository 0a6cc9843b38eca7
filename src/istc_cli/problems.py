"""What can be wrong with a dataset, and the date rules: shared by every layer above.

`loader` (file-level checks) and `validate` (YAML nodes to data) both report
`Problem`s and both need the date rules; keeping them here, below both, means
neither has to import the other.
"""

from __future__ import annotations

from dataclasses import dataclass

from .status import ExitStatus

MAX_PROBLEMS = 1000

YEAR_MIN, YEAR_MAX = 1900, 2100
"""The years a dataset date and `--since`/`--until` may name."""

_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


@dataclass(frozen=True, slots=True)
class Problem:
    """One located problem of a dataset."""

    file: str
    line: int
    column: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"{self.file}:{self.line}:{self.column}: {where}{self.message}"


class DatasetError(Exception):
    """The dataset could not be used; `problems` says why, in file order."""

    exit_code = ExitStatus.DATASET  # what every command exits with when it is unusable

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(str(problems[0]))
        self.problems = problems

    @property
    def summary(self) -> str:
        """The one line every command prints for an unusable dataset."""
        return f"invalid dataset: {self.problems[0]}"


def file_problem(name: str, message: str) -> DatasetError:
    return DatasetError([Problem(name, 1, 1, "", message)])


def is_year(text: str) -> bool:
    """Four ASCII digits from YEAR_MIN to YEAR_MAX (never int() of a huge string)."""
    if len(text) != 4 or not (text.isascii() and text.isdigit()):
        return False
    return YEAR_MIN <= int(text) <= YEAR_MAX


def line_and_column(before: str) -> tuple[int, int]:
    """Line and column, from 1 and in characters, of the place that `before` (all the
    text up to it) leads to, counting line breaks as YAML does: CR LF, CR, LF, NEL and
    the line and paragraph separators. Where the parser gives an offset, not a mark."""
    text = before.replace("\r\n", "\n").translate(_BREAKS)
    return text.count("\n") + 1, len(text) - text.rfind("\n")


_BREAKS = {ord(c): "\n" for c in "\r\x85\u2028\u2029"}


def is_valid_date(text: str) -> bool:
    """A real calendar date written YYYY, YYYY-MM or YYYY-MM-DD in ASCII digits, with
    a year from YEAR_MIN to YEAR_MAX (the range `--since` accepts)."""
    if len(text) not in (4, 7, 10) or not text.isascii():
        return False
    parts = text.split("-")
    if [len(p) for p in parts] != [4, 2, 2][: len(parts)] or not all(p.isdigit() for p in parts):
        return False
    year = int(parts[0])
    month = parts[1] if len(parts) > 1 else None
    day = parts[2] if len(parts) > 2 else None
    if not YEAR_MIN <= year <= YEAR_MAX:
        return False
    if month is None:
        return True
    if not 1 <= int(month) <= 12:
        return False
    if day is None:
        return True
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    last = (29 if leap else 28) if int(month) == 2 else _DAYS[int(month) - 1]
    return 1 <= int(day) <= last
