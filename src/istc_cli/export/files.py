"""Writing an export so that it is never half there: a temporary name, then a rename.

An interrupted export leaves either the old file (or directory) or the new one. An
existing file or a non-empty directory is refused unless `force`; a bad path is one
clear sentence (ExportError), never a traceback.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable


class ExportError(Exception):
    """The export cannot be written where asked; the message says why, in one sentence."""


def _parent(path: str) -> str:
    parent = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(parent):
        raise ExportError(f"cannot write {path}: its directory {parent} does not exist.")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ExportError(f"cannot write {path}: its directory {parent} is not writable.")
    return parent


def write_file(path: str, force: bool, fill: Callable[[str], None], suffix: str = "") -> None:
    """Create `path` by `fill(temporary_path)`, then rename it into place."""
    if os.path.isdir(path):
        raise ExportError(f"cannot write {path}: it is a directory; give a file name.")
    if os.path.lexists(path) and not force:
        raise ExportError(f"{path} exists; add --force to replace it.")
    parent = _parent(path)
    fd, tmp = tempfile.mkstemp(prefix=".istc-export-", suffix=suffix, dir=parent)
    os.close(fd)
    try:
        os.unlink(tmp)  # the writer creates it (SQLite wants to create its own file)
        fill(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}.") from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def write_directory(path: str, force: bool, fill: Callable[[str], None]) -> None:
    """Create directory `path` by `fill(temporary_directory)`, then rename it into place;
    an existing one is swapped out only once the new one is complete."""
    if os.path.exists(path) and not os.path.isdir(path):
        raise ExportError(f"cannot write {path}: it is a file; give a directory name.")
    if os.path.isdir(path) and os.listdir(path) and not force:
        raise ExportError(f"{path} is not empty; add --force to replace it.")
    parent = _parent(path)
    tmp = tempfile.mkdtemp(prefix=".istc-export-", dir=parent)
    old = None
    try:
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o777 & ~mask)  # an ordinary directory, not mkdtemp's private one
        fill(tmp)
        if os.path.isdir(path):
            old = tempfile.mkdtemp(prefix=".istc-old-", dir=parent)
            os.rmdir(old)
            os.rename(path, old)  # the old one stays whole until the new one is in place
        os.rename(tmp, path)
    except OSError as exc:
        if old is not None and not os.path.exists(path):
            os.rename(old, path)
            old = None
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}.") from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
