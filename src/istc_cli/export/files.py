"""Publishing an export whole or not at all, and never over what istc did not write.

Every export goes the same way:

1. `file_target` / `directory_target` check each path before anything is written: its
   directory exists and can be written, its name is not too long, it is not the
   dataset being read, and what is there already is either nothing or, with `force`,
   a regular file (a directory holding an istc Data Package and nothing else). A
   symbolic link, a FIFO, a device or a foreign directory is never replaced.
2. The export is written inside a private staging directory (`mkdtemp`: created
   exclusively, mode 0700, named `.istc-export-<pid>-…`) beside each target, so no
   other user can plant or redirect anything in it, and nothing half-written ever
   carries the target's name.
3. `publish` moves every staged part into place as one step that can be undone:
   a new name with a no-replace rename (Linux's `renameat2(RENAME_NOREPLACE)`; else
   `link` then `unlink` for a file, `mkdir` then moves for a directory), so that of
   two exports racing for one new path exactly one wins and the other fails; with
   `force`, an atomic exchange with the checked old one (`RENAME_EXCHANGE`), which is
   then deleted. A failure in any part puts every part back as it was.

The target's mode is kept when it is replaced; a new one gets the umask's. Staging
directories left by a killed export (their process is gone) are removed by the next
export into the same directory. Every failure is an `ExportError`: one sentence.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..safe_text import path_shown as named

STAGING_PREFIX = ".istc-export-"
DESCRIPTOR = "datapackage.json"


class ExportError(Exception):
    """The export cannot be written where asked; the message says why, in one sentence."""


def export_error(path: str, exc: OSError) -> ExportError:
    """The one sentence for an error the system gave while writing `path`."""
    return ExportError(f"cannot write {named(path)}: {exc.strerror or exc}.")


@dataclass(frozen=True)
class Target:
    """A checked place to publish: its path, and what stood there when it was checked."""

    path: str
    directory: bool
    existing: os.stat_result | None

    @property
    def parent(self) -> str:
        return os.path.dirname(os.path.abspath(self.path))


def _lstat(path: str) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise export_error(path, exc) from None


def _check_parent(path: str) -> None:
    if not path:
        raise ExportError(f"cannot write {named(path)}: give a name to write.")
    parent = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(parent):
        raise ExportError(
            f"cannot write {named(path)}: its directory {named(parent)} does not exist."
        )
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ExportError(
            f"cannot write {named(path)}: its directory {named(parent)} is not writable."
        )
    name = os.fsencode(os.path.basename(os.path.abspath(path)))
    try:
        longest = os.pathconf(parent, "PC_NAME_MAX")
    except (OSError, ValueError):
        longest = 255
    # the staged name must fit too, and the journal name SQLite may derive from it
    if len(name) > longest or len(os.fsencode(os.path.abspath(path))) > 4000:
        raise ExportError(f"cannot write {named(path)}: the name is too long.")


def _not_the_dataset(path: str, dataset: str | None) -> None:
    if dataset is None:
        return
    with contextlib.suppress(OSError):
        if os.path.samefile(path, dataset):
            raise ExportError(f"cannot write {named(path)}: it is the dataset being exported.")


def file_target(path: str, force: bool, dataset: str | None = None) -> Target:
    """Check a file's place: new, or (with force) a regular file to replace."""
    if os.path.isdir(path):
        raise ExportError(f"cannot write {named(path)}: it is a directory; give a file name.")
    _check_parent(path)
    _not_the_dataset(path, dataset)
    existing = _lstat(path)
    if existing is not None:
        if not force:
            raise ExportError(f"{named(path)} exists; add --force to replace it.")
        if not stat.S_ISREG(existing.st_mode):
            raise ExportError(
                f"cannot replace {named(path)}: it is not a regular file, and --force "
                "replaces only a regular file."
            )
    return Target(path, False, existing)


def package_files(path: str, directory: int | None = None) -> set[str] | None:
    """The names an istc Data Package in directory `path` (or in the directory open as
    `directory`) consists of, read from its descriptor, a regular file (never through
    a link); None when the directory does not hold one."""
    try:
        fd = os.open(
            DESCRIPTOR if directory is not None else os.path.join(path, DESCRIPTOR),
            os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0),
            dir_fd=directory,
        )
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                return None
            descriptor = json.loads(fh.read(1 << 20))
    except (OSError, ValueError):
        return None
    if not isinstance(descriptor, dict) or descriptor.get("name") != "istc":
        return None
    resources = descriptor.get("resources")
    if not isinstance(resources, list):
        return None
    names = {DESCRIPTOR}
    for resource in resources:
        where = resource.get("path") if isinstance(resource, dict) else None
        if not isinstance(where, str) or os.path.basename(where) != where:
            return None
        if not where.endswith(".csv"):
            return None
        names.add(where)
    return names


def _all_regular(path: str, names: set[str]) -> bool:
    """True when every name in directory `path` is a regular file: a link is never
    taken for the file it points to, nor removed with the package it sits in."""
    for name in names:
        try:
            if not stat.S_ISREG(os.lstat(os.path.join(path, name)).st_mode):
                return False
        except OSError:
            return False
    return True


def directory_target(path: str, force: bool, dataset: str | None = None) -> Target:
    """Check a directory's place: new, empty, or (with force) an istc Data Package with
    nothing else in it."""
    existing = _lstat(path)
    if existing is not None and stat.S_ISLNK(existing.st_mode):
        raise ExportError(
            f"cannot write {named(path)}: it is a symbolic link; give the directory itself."
        )
    if existing is not None and not stat.S_ISDIR(existing.st_mode):
        raise ExportError(f"cannot write {named(path)}: it is a file; give a directory name.")
    _check_parent(path.rstrip(os.sep) or path)
    if existing is not None:
        try:
            present = set(os.listdir(path))
        except OSError as exc:
            raise export_error(path, exc) from None
        if present and not force:
            raise ExportError(f"{named(path)} is not empty; add --force to replace it.")
        if present:
            ours = package_files(path)
            if ours is None or not present <= ours or not _all_regular(path, present):
                raise ExportError(
                    f"cannot replace {named(path)}: it holds what is not an istc Data "
                    "Package (another file, a link or a directory), and --force replaces "
                    "only a package istc wrote."
                )
    _not_the_dataset(path, dataset)
    return Target(path.rstrip(os.sep) or path, True, existing)


# ---------------------------------------------------------------- staging

STAGED_DATABASE = "export.db"
STAGED_METADATA = "metadata.json"
STAGED_PACKAGE = "package"
MARKER = ".istc-staging"
MARKER_TEXT = b"istc export staging directory: removed when its export ends\n"
# Every file an export writes in its staging directory, by name: the database with the
# files SQLite may make beside it, the metadata, and what a replaced target left there.
_STAGED_FILES = tuple(
    name + suffix
    for name in (STAGED_DATABASE, STAGED_METADATA)
    for suffix in ("", "-journal", "-wal", "-shm", ".previous")
)
_STAGED_PACKAGES = (STAGED_PACKAGE, STAGED_PACKAGE + ".previous")

try:
    import fcntl as _fcntl
except ImportError:  # pragma: no cover - no flock: no stale directory is ever removed
    _fcntl = None  # type: ignore[assignment]

_DIRECTORY = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0)


def _remove_file(name: str, directory: int) -> None:
    """Unlink `name` in the directory open as `directory` if it is a regular file (a
    link, a directory or anything else istc does not write stays)."""
    with contextlib.suppress(OSError):
        if stat.S_ISREG(os.stat(name, dir_fd=directory, follow_symlinks=False).st_mode):
            os.unlink(name, dir_fd=directory)


def _clear(directory: int, package_names: frozenset[str]) -> bool:
    """Remove, by name, the files an export writes in a staging directory (open as
    `directory`), and the package directories once empty; True when nothing but the
    marker is left."""
    for name in _STAGED_FILES:
        _remove_file(name, directory)
    for name in _STAGED_PACKAGES:
        try:
            package = os.open(name, _DIRECTORY, dir_fd=directory)
        except OSError:
            continue
        try:
            listed = package_files(".", package) or set()
            for member in package_names | listed | {DESCRIPTOR}:
                _remove_file(member, package)
        finally:
            os.close(package)
        with contextlib.suppress(OSError):
            os.rmdir(name, dir_fd=directory)
    try:
        return os.listdir(directory) == [MARKER]
    except OSError:
        return False


def _mark(where: str) -> int:
    """Mark a new staging directory as istc's, and hold the mark's lock while the export
    runs: the marker file is locked before it takes its name, so whoever sees it sees it
    locked. Return the open marker (closing it releases the lock)."""
    fd = os.open(
        os.path.join(where, MARKER + ".new"),
        os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0),
        0o600,
    )
    try:
        if _fcntl is not None:
            try:
                _fcntl.flock(fd, _fcntl.LOCK_EX | _fcntl.LOCK_NB)
            except OSError as exc:
                # a file system without locks: no sweep can take the lock either, so
                # it counts this directory as live, and the export goes on
                if exc.errno not in (errno.ENOLCK, errno.EOPNOTSUPP):
                    raise
        os.write(fd, MARKER_TEXT)
        os.rename(os.path.join(where, MARKER + ".new"), os.path.join(where, MARKER))
    except BaseException:
        os.close(fd)
        raise
    return fd


def remove_stale(directory: str, package_names: frozenset[str] = frozenset()) -> None:
    """Remove what a killed export left in `directory`, and nothing else.

    A staging directory is istc's only when all of this holds: its name, its owner
    (this user), its mode (0700, as `mkdtemp` makes it) and the marker file istc
    writes in it (a regular file of this user, with istc's text). It is stale only
    when no process holds the marker's lock: the lock, unlike a process id, is seen
    across PID namespaces (a container exporting into a shared directory). Then only
    the files an export writes are removed, by name, and the directory itself only
    if nothing else is left in it.
    """
    if _fcntl is None:
        return
    try:
        entries = [e.name for e in os.scandir(directory) if e.name.startswith(STAGING_PREFIX)]
        parent = os.open(directory, _DIRECTORY)
    except OSError:
        return
    try:
        for name in entries:
            _remove_if_stale(parent, name, package_names)
    finally:
        os.close(parent)


def _remove_if_stale(parent: int, name: str, package_names: frozenset[str]) -> None:
    assert _fcntl is not None
    try:
        staged = os.open(name, _DIRECTORY, dir_fd=parent)
    except OSError:
        return
    try:
        info = os.fstat(staged)
        if info.st_uid != os.geteuid() or stat.S_IMODE(info.st_mode) != 0o700:
            return
        try:
            marker = os.open(MARKER, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0), dir_fd=staged)
        except OSError:
            return
        try:
            mark = os.fstat(marker)
            if not stat.S_ISREG(mark.st_mode) or mark.st_uid != os.geteuid():
                return
            if os.read(marker, len(MARKER_TEXT) + 1) != MARKER_TEXT:
                return
            try:
                _fcntl.flock(marker, _fcntl.LOCK_EX | _fcntl.LOCK_NB)
            except OSError:
                return  # a live export holds it, in this PID namespace or another
            if _clear(staged, package_names):
                with contextlib.suppress(OSError):
                    os.unlink(MARKER, dir_fd=staged)
                    os.rmdir(name, dir_fd=parent)
        finally:
            os.close(marker)
    finally:
        os.close(staged)


@contextlib.contextmanager
def staging(target: Target, package_names: frozenset[str] = frozenset()) -> Iterator[str]:
    """A private directory beside the target for the export to be written in, marked
    as istc's. When the export ends, however it ends, the files it wrote there (and a
    target it replaced) are removed by name, then the directory, if nothing else is in
    it. `package_names` are the CSV files a Data Package of this dataset holds."""
    remove_stale(target.parent, package_names)
    try:
        where = tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=target.parent)
    except OSError as exc:
        raise export_error(target.path, exc) from None
    try:
        marker = _mark(where)
    except OSError as exc:  # nothing of the export's yet: the new directory goes too
        with contextlib.suppress(OSError):
            os.unlink(os.path.join(where, MARKER + ".new"))
        with contextlib.suppress(OSError):
            os.rmdir(where)
        raise export_error(target.path, exc) from None
    try:
        yield where
    finally:
        try:
            staged = os.open(where, _DIRECTORY)
        except OSError:
            staged = -1
        if staged >= 0:
            try:
                if _clear(staged, package_names):
                    with contextlib.suppress(OSError):
                        os.unlink(MARKER, dir_fd=staged)
                        os.rmdir(where)
            finally:
                os.close(staged)
        os.close(marker)


def create_text(path: str, text: str) -> None:
    """Write a new file (never one already there, never through a link)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())


# ---------------------------------------------------------------- renames

_RENAME_NOREPLACE = 1
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_UNSUPPORTED = frozenset({errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP})


def _renameat2(source: str, destination: str, flags: int) -> bool:
    """Linux's renameat2: True if done, False where the system or file system lacks it;
    any other failure raises OSError."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    function.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p)
    function.argtypes += (ctypes.c_uint,)
    done = function(_AT_FDCWD, os.fsencode(source), _AT_FDCWD, os.fsencode(destination), flags)
    if done == 0:
        return True
    code = ctypes.get_errno()
    if code in _UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), destination)


def _move_new(source: str, destination: str) -> None:
    """Move source to a name nothing holds; FileExistsError if something does."""
    if _renameat2(source, destination, _RENAME_NOREPLACE):
        return
    if os.path.isdir(source):
        os.mkdir(destination, 0o700)  # exclusive: of two racing exports, one gets it
        for name in os.listdir(source):
            os.rename(os.path.join(source, name), os.path.join(destination, name))
        os.chmod(destination, stat.S_IMODE(os.lstat(source).st_mode))
        os.rmdir(source)
    else:
        os.link(source, destination)
        os.unlink(source)


def _same(info: os.stat_result | None, other: os.stat_result | None) -> bool:
    return (
        info is not None
        and other is not None
        and (info.st_dev, info.st_ino) == (other.st_dev, other.st_ino)
    )


def publish(parts: list[tuple[str, Target]]) -> None:
    """Put each staged path at its target, all or none (see the module's docstring)."""
    undo: list[Callable[[], None]] = []
    try:
        for staged, target in parts:
            try:
                _publish_one(staged, target, undo)
            except OSError as exc:  # named after the part that failed
                raise export_error(target.path, exc) from None
    except BaseException:
        for step in reversed(undo):
            with contextlib.suppress(OSError):
                step()
        raise


def _publish_one(staged: str, target: Target, undo: list[Callable[[], None]]) -> None:
    path = target.path
    if target.existing is not None:
        mode = stat.S_IMODE(target.existing.st_mode)
    else:
        mask = os.umask(0)
        os.umask(mask)
        mode = (0o777 if target.directory else 0o666) & ~mask
    os.chmod(staged, mode)
    published = os.lstat(staged)
    now = _lstat(path)
    if target.existing is None or now is None:
        appeared = ExportError(
            f"{named(path)} appeared while the export was written; nothing was replaced."
        )
        if target.existing is None and now is not None:
            raise appeared
        try:
            _move_new(staged, path)
        except OSError as exc:
            if exc.errno in (errno.EEXIST, errno.ENOTEMPTY):  # FileExistsError included
                raise appeared from None
            raise
        undo.append(lambda: _take_back(path, published, staged))
        return
    if not _same(now, target.existing):
        raise ExportError(
            f"{named(path)} was changed while the export was written; nothing was replaced."
        )
    if _renameat2(staged, path, _RENAME_EXCHANGE):

        def swap_back() -> None:
            _renameat2(staged, path, _RENAME_EXCHANGE)

        undo.append(swap_back)
        return  # the old one is now at `staged`, removed with the staging directory
    previous = staged + ".previous"
    os.rename(path, previous)
    try:
        _move_new(staged, path)
    except OSError:
        with contextlib.suppress(OSError):
            _move_new(previous, path)
        raise

    def restore() -> None:
        _take_back(path, published, staged)
        _move_new(previous, path)

    undo.append(restore)


def _take_back(path: str, published: os.stat_result, staged: str) -> None:
    """Undo a publication: move what we put at `path` back into staging, if it is still
    ours."""
    if _same(_lstat(path), published):
        os.rename(path, staged)
