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
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..text import visible

STAGING_PREFIX = ".istc-export-"
DESCRIPTOR = "datapackage.json"


class ExportError(Exception):
    """The export cannot be written where asked; the message says why, in one sentence."""


def export_error(path: str, exc: OSError) -> ExportError:
    """The one sentence for an error the system gave while writing `path`."""
    return ExportError(f"cannot write {visible(path)}: {exc.strerror or exc}.")


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
        raise ExportError(f"cannot write {visible(path)}: give a name to write.")
    parent = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(parent):
        raise ExportError(
            f"cannot write {visible(path)}: its directory {visible(parent)} does not exist."
        )
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ExportError(
            f"cannot write {visible(path)}: its directory {visible(parent)} is not writable."
        )
    name = os.fsencode(os.path.basename(os.path.abspath(path)))
    try:
        longest = os.pathconf(parent, "PC_NAME_MAX")
    except (OSError, ValueError):
        longest = 255
    # the staged name must fit too, and the journal name SQLite may derive from it
    if len(name) > longest or len(os.fsencode(os.path.abspath(path))) > 4000:
        raise ExportError(f"cannot write {visible(path)}: the name is too long.")


def _not_the_dataset(path: str, dataset: str | None) -> None:
    if dataset is None:
        return
    with contextlib.suppress(OSError):
        if os.path.samefile(path, dataset):
            raise ExportError(f"cannot write {visible(path)}: it is the dataset being exported.")


def file_target(path: str, force: bool, dataset: str | None = None) -> Target:
    """Check a file's place: new, or (with force) a regular file to replace."""
    if os.path.isdir(path):
        raise ExportError(f"cannot write {visible(path)}: it is a directory; give a file name.")
    _check_parent(path)
    _not_the_dataset(path, dataset)
    existing = _lstat(path)
    if existing is not None:
        if not force:
            raise ExportError(f"{visible(path)} exists; add --force to replace it.")
        if not stat.S_ISREG(existing.st_mode):
            raise ExportError(
                f"cannot replace {visible(path)}: it is not a regular file, and --force "
                "replaces only a regular file."
            )
    return Target(path, False, existing)


def package_files(path: str) -> set[str] | None:
    """The names an istc Data Package in directory `path` consists of, read from its
    descriptor; None when the directory does not hold one."""
    try:
        with open(os.path.join(path, DESCRIPTOR), "rb") as fh:
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


def directory_target(path: str, force: bool, dataset: str | None = None) -> Target:
    """Check a directory's place: new, empty, or (with force) an istc Data Package with
    nothing else in it."""
    existing = _lstat(path)
    if existing is not None and stat.S_ISLNK(existing.st_mode):
        raise ExportError(
            f"cannot write {visible(path)}: it is a symbolic link; give the directory itself."
        )
    if existing is not None and not stat.S_ISDIR(existing.st_mode):
        raise ExportError(f"cannot write {visible(path)}: it is a file; give a directory name.")
    _check_parent(path.rstrip(os.sep) or path)
    if existing is not None:
        try:
            present = set(os.listdir(path))
        except OSError as exc:
            raise export_error(path, exc) from None
        if present and not force:
            raise ExportError(f"{visible(path)} is not empty; add --force to replace it.")
        if present:
            ours = package_files(path)
            if ours is None or not present <= ours:
                raise ExportError(
                    f"cannot replace {visible(path)}: it holds files that are not an istc "
                    "Data Package, and --force replaces only a package istc wrote."
                )
    _not_the_dataset(path, dataset)
    return Target(path.rstrip(os.sep) or path, True, existing)


# ---------------------------------------------------------------- staging


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process: alive
    return True


def remove_stale(directory: str) -> None:
    """Remove staging directories that a killed export left in `directory`: ours (same
    owner), named by a process that is gone."""
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return
    for entry in entries:
        if not entry.name.startswith(STAGING_PREFIX):
            continue
        pid_text = entry.name[len(STAGING_PREFIX) :].partition("-")[0]
        if not (pid_text.isascii() and pid_text.isdigit()):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if info.st_uid != os.geteuid() or not stat.S_ISDIR(info.st_mode):
            continue
        if int(pid_text) != os.getpid() and not _alive(int(pid_text)):
            shutil.rmtree(entry.path, ignore_errors=True)


@contextlib.contextmanager
def staging(target: Target) -> Iterator[str]:
    """A private directory beside the target for the export to be written in; removed
    with whatever is left in it when the export ends, however it ends."""
    remove_stale(target.parent)
    try:
        where = tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=target.parent)
    except OSError as exc:
        raise export_error(target.path, exc) from None
    try:
        yield where
    finally:
        shutil.rmtree(where, ignore_errors=True)


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
            _publish_one(staged, target, undo)
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
            f"{visible(path)} appeared while the export was written; nothing was replaced."
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
            f"{visible(path)} was changed while the export was written; nothing was replaced."
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
