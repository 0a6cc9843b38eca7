"""Finding, reading, validating and caching the dataset.

The data file is untrusted input (users point `--data` at their own copies), so:
- bytes are checked before parsing: size limit, UTF-8 with the offending offset;
- YAML is only ever composed with a safe loader, into nodes that keep their line
  and column, and converted by our own walker that follows the model's specs;
  anchors and aliases are refused (the walker would otherwise expand alias bombs);
- every problem is collected as `file:line:column: yaml.path: message`.

A valid dataset is cached (in `marshal` form: the interpreter's own, and the
fastest to read back without importing anything) under a key made of the file's
SHA-256 and a fingerprint of this code (istc's version, each module's size and
modification time, as Python's own bytecode cache keys them) and of the Python
version, so the next run skips PyYAML entirely and a changed file, a new release or a
rewritten module is never served stale. (What the rules read from other packages,
pycountry's table of codes, is not in the key: `istc validate` never reads the cache.)
"""

from __future__ import annotations

import marshal
import os
import stat
import sys
from dataclasses import dataclass

from . import model
from .problems import DatasetError as DatasetError  # the loader's public names
from .problems import Problem as Problem
from .problems import file_problem, line_and_column
from .problems import is_valid_date as is_valid_date

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

MAX_BYTES = 64 * 1024 * 1024
"""Data files larger than this are refused before parsing (64 MiB)."""

_CACHE_FORMAT = "6"  # a new format number retires every entry of the old ones


@dataclass(frozen=True, slots=True)
class Loaded:
    """A loaded dataset with the file it came from and that file's digest."""

    dataset: model.Dataset
    path: str
    sha256: str
    bundled: bool


def sha256_hex(data: bytes | memoryview, *more: bytes | memoryview) -> str:
    """SHA-256 of `data` and `more` after it (fed in turn, never joined into a copy)."""
    import hashlib

    hasher = hashlib.sha256(data)
    for part in more:
        hasher.update(part)
    return hasher.hexdigest()


def bundled_path() -> str:
    """The dataset shipped in the wheel, or the repository's copy in a source checkout.

    For a package installed on the file system, the resource importlib.resources
    would return is the file beside this module, so that is where we look first;
    importlib.resources (a large share of a --json run's start-up: docs/performance.md)
    is asked only when neither file exists (another loader or layout); a zipped install
    is not supported. Paths are plain strings: pathlib's import is not worth it either.
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
        raise file_problem("--data", "was given an empty path")
    chosen = explicit or os.environ.get("ISTC_DATA") or None
    if chosen:
        return os.path.expanduser(chosen), False
    return bundled_path(), True


# ---------------------------------------------------------------- reading bytes


def read_regular(path: str, limit: int, *, follow_links: bool = True) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, read without ever blocking.

    The file is opened non-blocking and checked *after* opening (fstat of the open
    descriptor, so nothing can be swapped in between): a FIFO, socket or device is
    refused before a byte is read, so none of them can stall or flood the reader.
    Raises OSError (IsADirectoryError, or ValueError-free messages) on refusal.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    if not follow_links:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(path)
        if not stat.S_ISREG(info.st_mode):
            raise _NotRegular(path)
        if info.st_size > limit:
            raise _TooLarge(info.st_size)
        with os.fdopen(fd, "rb", closefd=True) as fh:
            fd = -1
            raw = fh.read(limit + 1)
    finally:
        if fd >= 0:
            os.close(fd)
    if len(raw) > limit:
        raise _TooLarge(len(raw))
    return raw


class _NotRegular(OSError):
    pass


class _TooLarge(OSError):
    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


def read_bytes(path: str) -> bytes:
    """The file's bytes, or a DatasetError that says why they cannot be read."""
    name = path
    if "\x00" in path:  # no system call takes it: a name, not a file that is missing
        raise file_problem(name, "is not a file name: it holds a NUL character")
    try:
        raw = read_regular(path, MAX_BYTES)
    except IsADirectoryError:
        raise file_problem(name, "is a directory, not a dataset file") from None
    except _NotRegular:  # opening a FIFO for reading would wait for a writer forever
        raise file_problem(name, "is not a regular file (a pipe, socket or device)") from None
    except _TooLarge as exc:
        raise file_problem(
            name, f"is {exc.size:,} bytes or more; datasets are limited to {MAX_BYTES:,} bytes"
        ) from None
    except FileNotFoundError:
        raise file_problem(name, "no such file") from None
    except PermissionError:
        raise file_problem(name, "permission denied: the file cannot be read") from None
    except OSError as exc:
        raise file_problem(name, f"cannot be read: {exc.strerror or exc}") from None
    return raw


def decode_text(raw: bytes, name: str) -> str:
    """UTF-8 text of a dataset's bytes, or a DatasetError saying what is wrong."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:  # exc.object is what follows a byte order mark
        line, column = line_and_column(exc.object[: exc.start].decode("utf-8", "replace"))
        offset = exc.start + len(raw) - len(exc.object)
        raise DatasetError(
            [Problem(name, line, column, "", f"byte offset {offset}: not valid UTF-8")]
        ) from None
    if not text.strip():
        raise file_problem(name, "is empty")
    return text


_BOM = b"\xef\xbb\xbf"


def utf8_source(raw: bytes, name: str) -> bytes:
    """A dataset's bytes as the parser is given them: checked as `decode_text` checks
    them (UTF-8, not empty), then without a byte order mark. libyaml reads UTF-8
    itself; handing it the decoded text instead would hold the file three times over
    while it is parsed (its bytes, its text at up to four bytes a character, and the
    parser's own UTF-8 copy of that text)."""
    decode_text(raw, name)
    return raw[len(_BOM) :] if raw.startswith(_BOM) else raw


# ---------------------------------------------------------------- the cache
#
# A cache entry is an optimisation, never a source of truth. Trust rests on
# ownership: the cache directory is used, for reading as for writing, only if this
# user owns it and nobody else can write to it, and an entry only if this user owns
# it and nobody else can write to it; anything else runs uncached, silently. Whoever
# passes that test can edit the user's own dataset as well, so a key would add
# nothing (and an HMAC would cost start-up time: OpenSSL's import). The first line of
# an entry is the SHA-256 of everything after it *and* of the dataset's digest and
# the code's fingerprint, checked on every read: it catches an entry that is damaged,
# cut, or written by other code or for other bytes, which is then ignored and rebuilt
# from the file, as is one swapped for a link, a FIFO or a device, or too large. The
# directory is kept bounded.

CACHE_MAX_ENTRIES = 32
"""At most this many datasets are cached; the least recently used go first."""

CACHE_MAX_BYTES = 256 * 1024 * 1024
"""The cache directory is kept under this size (256 MiB) in all."""

_CACHE_ENTRY_LIMIT = 2 * MAX_BYTES  # a parsed dataset in marshal form is smaller than its YAML
_CACHE_SUFFIX = ".marshal"


_FINGERPRINT: list[str] = []  # computed once per process


def _fingerprint() -> str:
    """Changes whenever any module of the installed package or the Python version
    (whose marshal format may differ) changes, so old cache entries die. No hand-kept
    list: a change to any module (the id rules, say) can change what a load builds.
    Each module counts by its size and modification time, as Python's own bytecode
    cache does for the same files: a module rewritten (an edit, an install) gets a new
    time. (The citation styles are not code and build nothing a load keeps; the
    dataset's own bytes key each entry by their digest.)"""
    if _FINGERPRINT:
        return _FINGERPRINT[0]
    here = os.path.dirname(os.path.abspath(__file__))
    from . import __version__

    code = [f"{_CACHE_FORMAT}:{__version__}:{sys.implementation.cache_tag}:{marshal.version}"]
    for name in package_files(here):
        try:
            info = os.stat(os.path.join(here, name))
            code.append(f"{name}:{info.st_size}:{info.st_mtime_ns}")
        except OSError:
            code.append(f"{name}:unreadable")
    _FINGERPRINT.append(sha256_hex("\0".join(code).encode())[:16])
    return _FINGERPRINT[0]


def package_files(top: str) -> list[str]:
    """Every module below `top` (`.py` files, not their bytecode), as sorted relative
    paths."""
    found = []
    for where, folders, names in os.walk(top):
        folders[:] = [f for f in folders if f != "__pycache__"]
        relative = os.path.relpath(where, top)
        found += [os.path.normpath(os.path.join(relative, n)) for n in names if n.endswith(".py")]
    return sorted(found)


def cache_dir() -> str | None:
    """Where parsed datasets are kept: $ISTC_CACHE_DIR, else $XDG_CACHE_HOME/istc,
    else ~/.cache/istc. ISTC_NO_CACHE=1 turns the cache off."""
    if os.environ.get("ISTC_NO_CACHE"):
        return None
    # A relative path is ignored, as the XDG Base Directory specification says: it would
    # put the cache in whatever directory istc happens to run in.
    explicit = os.environ.get("ISTC_CACHE_DIR", "")
    if os.path.isabs(explicit):
        return explicit
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        base = os.path.join(os.path.expanduser("~"), ".cache")
    if not os.path.isabs(base):
        return None  # no home to put it in
    return os.path.join(base, "istc")


def _cache_file(digest: str) -> str | None:
    """Where the entry of a dataset's bytes is kept."""
    where = cache_dir()
    if where is None:
        return None
    return os.path.join(where, f"{digest}-{_fingerprint()}{_CACHE_SUFFIX}")


def _seal(digest: str, payload: bytes | memoryview) -> bytes:
    """The check line of an entry: binds the payload to these dataset bytes and this
    code."""
    head = f"{_CACHE_FORMAT}:{_fingerprint()}:{digest}:"
    return sha256_hex(head.encode(), payload).encode()


def _read_sealed(digest: str) -> tuple[bytes, memoryview] | None:
    """A cache entry's seal and payload if the seal holds, else None."""
    target = _cache_file(digest)
    if target is None:
        return None
    try:
        if not (_owned(os.stat(os.path.dirname(target))) and _owned(os.lstat(target))):
            return None  # another user could have written it: not ours to trust
        raw = read_regular(target, _CACHE_ENTRY_LIMIT, follow_links=False)
    except OSError:
        return None
    # The seal is the first line, 64 hex digits; the payload is read in place, not
    # copied out.
    seal, payload = raw[:64], memoryview(raw)[65:]
    if raw[64:65] != b"\n" or seal != _seal(digest, payload):
        return None  # edited, damaged, or not written by this code for these bytes
    _quietly(os.utime, target)  # recently used: evicted last
    return seal, payload


def _plain_data(payload: memoryview) -> dict[str, Any] | None:
    """The validated plain data a verified entry holds; None if it holds none."""
    try:
        data = marshal.loads(payload)  # sealed by this code above: never foreign bytes
    except (ValueError, EOFError, TypeError):
        return None
    return data if isinstance(data, dict) else None


def _private_dir(where: str) -> bool:
    """Create the cache directory private to the user (0700); use an existing one only
    if this user owns it and nobody else can write to it."""
    try:
        os.makedirs(where, mode=0o700, exist_ok=True)
        info = os.stat(where)  # a link to a directory (~/.cache on another disk) is fine
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and _owned(info)


def _owned(info: os.stat_result) -> bool:
    """True if this user owns the file or directory and nobody else can write to it."""
    getuid = getattr(os, "getuid", None)
    if getuid is not None and info.st_uid != getuid():
        return False
    return not info.st_mode & 0o022


def _write_cache(digest: str, data: dict[str, Any]) -> None:
    _write_sealed(digest, marshal.dumps(data))


def _write_sealed(digest: str, payload: bytes) -> None:
    target = _cache_file(digest)
    if target is None:
        return
    where = os.path.dirname(target)
    if not _private_dir(where):
        return  # a cache someone else can write to is no cache at all
    tmp = f"{target}.{os.getpid()}.tmp"
    try:
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(tmp, flags, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(_seal(digest, payload) + b"\n")
            fh.write(payload)  # not joined to the seal: a copy of it, at scale 52 MB
        os.replace(tmp, target)  # replaces a link or FIFO planted there, never writes through it
    except OSError:
        _quietly(os.unlink, tmp)  # a read-only home is no reason to fail: parse again next time
        return
    _evict(where, keep=target)


def _quietly(action: Callable[[str], object], path: str) -> None:
    """A file operation whose failure changes nothing (contextlib.suppress, without
    contextlib's import)."""
    try:  # noqa: SIM105
        action(path)
    except OSError:
        pass


_HEX = frozenset("0123456789abcdef")


def _entry_kind(name: str) -> str | None:
    """ "entry", "old" (an entry of an earlier cache format: JSON, or a search index) or
    "tmp" for a file named as istc names its cache files
    (`<sha256>-<fingerprint>.marshal`), else None: a cache directory may be shared, and
    nothing else in it is ever touched."""
    stem, _, suffix = name.partition(".")
    digest, dash, fingerprint = stem.partition("-")
    if not (dash and len(digest) == 64 and len(fingerprint) == 16):
        return None
    if not _HEX.issuperset(digest + fingerprint):
        return None
    if suffix == _CACHE_SUFFIX[1:]:
        return "entry"
    if suffix == "json" or _derived_suffix(suffix):
        return "old"
    written, _, tmp = suffix.rpartition(".")
    entry, _, pid = written.rpartition(".")
    if tmp == "tmp" and pid.isdigit() and (entry == _CACHE_SUFFIX[1:] or _derived_suffix(entry)):
        return "tmp"
    return None


def _derived_suffix(suffix: str) -> bool:
    """`<kind>.marshal`: a derived entry (a search index) of an earlier version."""
    kind, _, ending = suffix.rpartition(".")
    return ending == _CACHE_SUFFIX[1:] and kind.isalpha() and kind.islower()


def _evict(where: str, keep: str) -> None:
    """Keep the cache within CACHE_MAX_ENTRIES and CACHE_MAX_BYTES, oldest out first;
    entries of an older format go at once."""
    import time

    entries: list[tuple[float, int, str, bool]] = []
    try:
        with os.scandir(where) as listing:
            for entry in listing:
                kind = _entry_kind(entry.name)
                if kind is None or entry.path == keep:
                    continue
                try:
                    info = entry.stat(follow_symlinks=False)
                except OSError:
                    continue
                if kind == "tmp" and time.time() - info.st_mtime < 3600:
                    continue  # another process may still be writing it
                entries.append((info.st_mtime, info.st_size, entry.path, kind != "entry"))
    except OSError:
        return
    entries.sort(reverse=True)  # newest first
    try:
        total = os.stat(keep).st_size
    except OSError:
        total = 0
    for n, (_, size, path, stale) in enumerate(entries, start=2):
        total += size
        if n > CACHE_MAX_ENTRIES or total > CACHE_MAX_BYTES or stale:
            _quietly(os.unlink, path)


# ---------------------------------------------------------------- loading


def load(explicit: str | None = None) -> Loaded:
    """Load the dataset that --data / $ISTC_DATA / the bundle selects."""
    path, bundled = resolve_path(explicit)
    return load_path(path, bundled=bundled)


_BUILT: dict[bytes, model.Dataset] = {}
"""The dataset last built from a cache entry in this process, by that entry's seal
(which binds the dataset's digest, this code and the payload). A later load still reads
and verifies the entry as any load does; only when it holds the same sealed payload are
the frozen records reused rather than built again (a library caller, the test suite).
A dataset parsed from its file is not kept: the next load reads the entry it wrote."""


def load_path(path: str, *, bundled: bool = False) -> Loaded:
    raw = read_bytes(path)
    digest = sha256_hex(raw)
    entry = _read_sealed(digest)
    if entry is not None:  # the bytes are what was validated: no need to decode them again
        seal, payload = entry
        built = _BUILT.get(seal)
        if built is not None:
            return Loaded(built, path, digest, bundled)
        cached = _plain_data(payload)
        if cached is not None:
            try:
                dataset = _dataset(cached)
            except Exception:
                pass  # an entry that does not build is rebuilt from the file
            else:
                _BUILT.clear()
                _BUILT[seal] = dataset
                return Loaded(dataset, path, digest, bundled)
    source = utf8_source(raw, path)
    del raw
    data, problems = check_text(source, str(path))
    if problems:
        raise DatasetError(problems)
    assert data is not None
    _write_cache(digest, data)
    return Loaded(_dataset(data), path, digest, bundled)


def _dataset(data: dict[str, Any]) -> model.Dataset:
    """The dataset's records, built from validated plain data."""
    from .field_types import build

    dataset = build(model.Dataset, data)
    assert isinstance(dataset, model.Dataset)
    return dataset


def validate_path(path: str) -> list[Problem]:
    """Every problem of a file (empty when it is valid)."""
    try:
        source = utf8_source(read_bytes(path), path)
    except DatasetError as exc:
        return exc.problems
    return check_text(source, str(path))[1]


STDIN_NAME = "<stdin>"


def validate_stream(stream: Any, name: str = STDIN_NAME) -> list[Problem]:
    """Every problem of a dataset read from a binary stream (`istc validate -`), bounded
    like a file."""
    try:
        raw = stream.read(MAX_BYTES + 1)
    except OSError as exc:
        return file_problem(name, f"cannot be read: {exc.strerror or exc}").problems
    if len(raw) > MAX_BYTES:
        return file_problem(name, f"is larger than the limit of {MAX_BYTES:,} bytes").problems
    try:
        source = utf8_source(raw, name)
    except DatasetError as exc:
        return exc.problems
    return check_text(source, name)[1]


def check_text(
    text: str | bytes, name: str = "<text>"
) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Parse and validate YAML text, or UTF-8 bytes from `utf8_source`: (plain data,
    problems)."""
    from .validate import check

    return check(text, name)


def dataset_from_text(text: str, name: str = "<text>") -> model.Dataset:
    """A validated dataset from YAML text (no cache), or DatasetError."""
    data, problems = check_text(text, name)
    if problems:
        raise DatasetError(problems)
    assert data is not None
    return _dataset(data)
