"""Finding, reading, validating and caching the dataset.

The data file is untrusted input (users point `--data` at their own copies), so:
- bytes are checked before parsing: size limit, UTF-8 with the offending offset;
- YAML is only ever composed with a safe loader, into nodes that keep their line
  and column, and converted by our own walker that follows the model's specs;
  anchors and aliases are refused (the walker would otherwise expand alias bombs);
- every problem is collected as `file:line:column: yaml.path: message`.

A valid dataset is cached as JSON under a key made of the file's SHA-256 and a
fingerprint of this code, so the next run skips PyYAML entirely and a changed file
(or changed code) can never be served stale.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import model

MAX_BYTES = 64 * 1024 * 1024
"""Data files larger than this are refused before parsing (64 MiB)."""

MAX_PROBLEMS = 1000
_CACHE_FORMAT = "1"
_DATE_RE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


@dataclass(frozen=True, slots=True)
class Problem:
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

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(str(problems[0]))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class Loaded:
    dataset: model.Dataset
    path: Path
    sha256: str
    bundled: bool


def bundled_path() -> Path:
    """The dataset shipped in the wheel, or the repository's copy in a source checkout."""
    from importlib.resources import files

    shipped = Path(str(files("istc_cli").joinpath("data", "istc.yaml")))
    if shipped.is_file():
        return shipped
    return Path(__file__).resolve().parents[2] / "data" / "istc.yaml"


def resolve_path(explicit: str | None) -> tuple[Path, bool]:
    """The file to use: --data, then $ISTC_DATA, then the bundled dataset."""
    chosen = explicit or os.environ.get("ISTC_DATA") or None
    if chosen:
        return Path(chosen).expanduser(), False
    return bundled_path(), True


def is_valid_date(text: str) -> bool:
    """True for a real calendar date written as YYYY, YYYY-MM or YYYY-MM-DD."""
    m = _DATE_RE.fullmatch(text)
    if not m:
        return False
    year, month, day = int(m[1]), m[2], m[3]
    if month is None:
        return True
    if not 1 <= int(month) <= 12:
        return False
    if day is None:
        return True
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    last = (29 if leap else 28) if int(month) == 2 else _DAYS[int(month) - 1]
    return 1 <= int(day) <= last


# ---------------------------------------------------------------- reading bytes


def _file_problem(name: str, message: str) -> DatasetError:
    return DatasetError([Problem(name, 1, 1, "", message)])


def read_text(path: Path) -> tuple[str, str]:
    """The file's text and SHA-256, or a DatasetError that says what is wrong."""
    name = str(path)
    try:
        if path.is_dir():
            raise _file_problem(name, "is a directory, not a dataset file")
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise _file_problem(
                name, f"is {size:,} bytes; datasets are limited to {MAX_BYTES:,} bytes"
            )
        with path.open("rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise _file_problem(name, "no such file") from None
    except PermissionError:
        raise _file_problem(name, "permission denied: the file cannot be read") from None
    except OSError as exc:
        raise _file_problem(name, f"cannot be read: {exc.strerror or exc}") from None
    if len(raw) > MAX_BYTES:
        raise _file_problem(name, f"is larger than the limit of {MAX_BYTES:,} bytes")
    digest = hashlib.sha256(raw).hexdigest()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise DatasetError(
            [Problem(name, line, column, "", f"byte offset {exc.start}: not valid UTF-8")]
        ) from None
    if not text.strip():
        raise _file_problem(name, "is empty")
    return text, digest


# ---------------------------------------------------------------- the cache


def _fingerprint() -> str:
    """Changes whenever the model or this loader changes, so old cache entries die."""
    here = Path(__file__).parent
    h = hashlib.sha256(_CACHE_FORMAT.encode())
    for part in ("model.py", "loader.py", "spec.py", "validate.py"):
        try:
            h.update((here / part).read_bytes())
        except OSError:
            h.update(part.encode())
    return h.hexdigest()[:16]


def cache_dir() -> Path | None:
    if os.environ.get("ISTC_NO_CACHE"):
        return None
    explicit = os.environ.get("ISTC_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "istc"


def _cache_file(digest: str) -> Path | None:
    where = cache_dir()
    return None if where is None else where / f"{digest}-{_fingerprint()}.json"


def _read_cache(digest: str) -> dict[str, Any] | None:
    target = _cache_file(digest)
    if target is None:
        return None
    try:
        data = json.loads(target.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _write_cache(digest: str, data: dict[str, Any]) -> None:
    target = _cache_file(digest)
    if target is None:
        return
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, target)
    except OSError:
        pass  # a read-only home is no reason to fail; the next run parses again


# ---------------------------------------------------------------- loading


def load(explicit: str | None = None) -> Loaded:
    """Load the dataset that --data / $ISTC_DATA / the bundle selects."""
    path, bundled = resolve_path(explicit)
    return load_path(path, bundled=bundled)


def load_path(path: Path, *, bundled: bool = False) -> Loaded:
    from .spec import build

    text, digest = read_text(path)
    data = _read_cache(digest)
    if data is not None:
        try:
            return Loaded(build(model.Dataset, data), path, digest, bundled)
        except (TypeError, ValueError, KeyError, AttributeError):
            pass  # a damaged cache entry: parse the file again
    data, problems = check_text(text, str(path))
    if problems:
        raise DatasetError(problems)
    assert data is not None
    _write_cache(digest, data)
    return Loaded(build(model.Dataset, data), path, digest, bundled)


def validate_path(path: Path) -> list[Problem]:
    """Every problem of a file (empty when it is valid)."""
    try:
        text, _ = read_text(path)
    except DatasetError as exc:
        return exc.problems
    return check_text(text, str(path))[1]


def check_text(text: str, name: str = "<text>") -> tuple[dict[str, Any] | None, list[Problem]]:
    """Parse and validate YAML text: (plain data, problems)."""
    from .validate import check

    return check(text, name)


def dataset_from_text(text: str, name: str = "<text>") -> model.Dataset:
    """A validated dataset from YAML text (no cache), or DatasetError."""
    from .spec import build

    data, problems = check_text(text, name)
    if problems:
        raise DatasetError(problems)
    assert data is not None
    return build(model.Dataset, data)  # type: ignore[no-any-return]
