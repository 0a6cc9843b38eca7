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

import contextlib
import gc
import json
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
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

    exit_code = 3  # what every command exits with when the dataset is unusable

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(str(problems[0]))
        self.problems = problems

    @property
    def summary(self) -> str:
        """The one line every command prints for an unusable dataset."""
        return f"invalid dataset: {self.problems[0]}"


@dataclass(frozen=True, slots=True)
class Loaded:
    dataset: model.Dataset
    path: str
    sha256: str
    bundled: bool


def sha256_hex(data: bytes) -> str:
    """SHA-256 from CPython's built-in module where it has one: hashlib loads OpenSSL,
    which costs more start-up time than everything else the hash is used for."""
    import importlib

    for name in ("_sha2", "_sha256"):  # CPython 3.12+, then 3.10 and 3.11
        try:
            return str(importlib.import_module(name).sha256(data).hexdigest())
        except (ImportError, AttributeError):
            continue
    import hashlib

    return hashlib.sha256(data).hexdigest()


def bundled_path() -> str:
    """The dataset shipped in the wheel, or the repository's copy in a source checkout.

    For a package installed on the file system, the resource importlib.resources
    would return is the file beside this module, so that is where we look first:
    importing importlib.resources costs 16-27 ms here, a third of a --json run.
    It is asked only when neither file exists (another loader or layout); a
    zipped install is not supported. Paths are plain strings: pathlib is not
    worth its import time on every run either.
    """
    here = os.path.dirname(os.path.abspath(__file__))
    for candidate in (
        os.path.join(here, "data", "istc.yaml"),
        os.path.join(os.path.dirname(os.path.dirname(here)), "data", "istc.yaml"),
    ):
        if os.path.isfile(candidate):
            return candidate
    from importlib.resources import files

    return str(files("istc_cli") / "data" / "istc.yaml")


def resolve_path(explicit: str | None) -> tuple[str, bool]:
    """The file to use: --data, then $ISTC_DATA, then the bundled dataset.

    An empty ISTC_DATA counts as unset, as shells use it; an empty --data is a
    mistake, reported rather than silently replaced by the bundled file.
    """
    if explicit is not None and not explicit.strip():
        raise _file_problem("--data", "was given an empty path")
    chosen = explicit or os.environ.get("ISTC_DATA") or None
    if chosen:
        return os.path.expanduser(chosen), False
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


def read_text(path: str) -> tuple[str, str]:
    """The file's text and SHA-256, or a DatasetError that says what is wrong."""
    name = path
    try:
        mode = os.stat(path).st_mode
        if stat.S_ISDIR(mode):
            raise _file_problem(name, "is a directory, not a dataset file")
        if not stat.S_ISREG(mode):  # opening a FIFO would wait for a writer forever
            raise _file_problem(name, "is not a regular file (a pipe, socket or device)")
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size > MAX_BYTES:
                raise _file_problem(
                    name, f"is {size:,} bytes; datasets are limited to {MAX_BYTES:,} bytes"
                )
            raw = fh.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise _file_problem(name, "no such file") from None
    except PermissionError:
        raise _file_problem(name, "permission denied: the file cannot be read") from None
    except OSError as exc:
        raise _file_problem(name, f"cannot be read: {exc.strerror or exc}") from None
    if len(raw) > MAX_BYTES:
        raise _file_problem(name, f"is larger than the limit of {MAX_BYTES:,} bytes")
    digest = sha256_hex(raw)
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


_FINGERPRINT: list[str] = []  # computed once per process


def _fingerprint() -> str:
    """Changes whenever the model or this loader changes, so old cache entries die."""
    if _FINGERPRINT:
        return _FINGERPRINT[0]
    here = os.path.dirname(os.path.abspath(__file__))
    code = [_CACHE_FORMAT.encode()]
    for part in ("model.py", "loader.py", "spec.py", "validate.py"):
        try:
            with open(os.path.join(here, part), "rb") as fh:
                code.append(fh.read())
        except OSError:
            code.append(part.encode())
    _FINGERPRINT.append(sha256_hex(b"\0".join(code))[:16])
    return _FINGERPRINT[0]


def cache_dir() -> str | None:
    """Where parsed datasets are kept: $ISTC_CACHE_DIR, else $XDG_CACHE_HOME/istc,
    else ~/.cache/istc. ISTC_NO_CACHE=1 turns the cache off."""
    if os.environ.get("ISTC_NO_CACHE"):
        return None
    explicit = os.environ.get("ISTC_CACHE_DIR")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "istc")


def _cache_file(digest: str) -> str | None:
    where = cache_dir()
    return None if where is None else os.path.join(where, f"{digest}-{_fingerprint()}.json")


def _read_cache(digest: str) -> dict[str, Any] | None:
    target = _cache_file(digest)
    if target is None:
        return None
    try:
        with open(target, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _write_cache(digest: str, data: dict[str, Any]) -> None:
    target = _cache_file(digest)
    if target is None:
        return
    tmp = f"{target}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False)
        os.replace(tmp, target)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)  # a read-only home is no reason to fail: parse again next time


# ---------------------------------------------------------------- loading


def load(explicit: str | None = None) -> Loaded:
    """Load the dataset that --data / $ISTC_DATA / the bundle selects."""
    path, bundled = resolve_path(explicit)
    return load_path(path, bundled=bundled)


@contextlib.contextmanager
def _no_gc_pauses() -> Iterator[None]:
    """Pause the cyclic garbage collector while a dataset is turned into objects.

    Building many objects triggers collections that each scan everything built so
    far: on a large dataset that adds up to quadratic time. Nothing built here
    forms reference cycles, so there is nothing for the collector to find.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_path(path: str, *, bundled: bool = False) -> Loaded:
    with _no_gc_pauses():
        return _load_path(path, bundled=bundled)


def _load_path(path: str, *, bundled: bool = False) -> Loaded:
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


def validate_path(path: str) -> list[Problem]:
    """Every problem of a file (empty when it is valid)."""
    try:
        text, _ = read_text(path)
    except DatasetError as exc:
        return exc.problems
    with _no_gc_pauses():
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
