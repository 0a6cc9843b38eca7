"""The `istc` process: guards first, then the fast path or the Typer app.

Whatever happens below, the user gets output or one clear line on stderr: a
closed pipe ends quietly (exit 141, like other Unix tools), Ctrl-C exits 130, a
write that fails (a full disk) says so and exits 1, and an unexpected error prints
one line and a hint (exit 1), never a traceback. Click's own messages (usage
errors quoting what was typed) are caught, folded into one line with where to read
more, and written through the same escaping as every other message.
"""

from __future__ import annotations

import errno
import io
import os
import sys

from .status import ExitStatus

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .context import Context
    from .options import RootWords


_WRITE_ERRORS = frozenset(
    {errno.ENOSPC, errno.EIO, errno.EDQUOT, errno.EFBIG, errno.EBADF, errno.EROFS, errno.EILSEQ}
)


def _prepare_streams() -> None:
    """Never crash on a narrow encoding (LANG=C, PYTHONIOENCODING=ascii): escape instead."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def _hold_closed_descriptors() -> None:
    """Started with a standard descriptor closed (`2>&-`): hold it with /dev/null.

    Otherwise the next file opened (the dataset) takes descriptor 2, and anything
    written "to stderr" would land in it or, through click's fallbacks, in stdout
    among the results. Messages then go nowhere, which is what the user asked for.
    Descriptor 1 is held open for reading only, so that nothing written to it goes
    anywhere unnoticed (`_refusing_stdout`).
    """
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            try:
                held = os.open(os.devnull, os.O_RDONLY if fd == 1 else os.O_RDWR)
                if held != fd:
                    os.dup2(held, fd)
                    os.close(held)
            except OSError:
                pass
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    if sys.stdin is None:  # `istc validate -` with stdin closed reads nothing, cleanly
        sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115


class _WholeWrites(io.RawIOBase):
    """Standard output's descriptor, written whole or not at all.

    A write to a pipe, a file under a size limit or a full disk can take fewer bytes
    than it was given; CPython's buffered writer passes such a short count on without
    a word, so a cut output would end with exit 0. This raw layer writes again until
    every byte is taken, and a write that takes nothing more is an error (EFBIG, ENOSPC,
    EPIPE...) that `main` turns into its exit code.
    """

    def __init__(self, fd: int, *, closed: bool = False) -> None:
        super().__init__()
        self._fd = fd
        self._closed = closed  # started with stdout closed: every write is refused
        self.reader_gone = False
        """True once a write found the reader gone (EPIPE): click answers that with exit
        1 and no word, so `main` asks here and exits 141 as for every other command."""

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._fd

    def isatty(self) -> bool:
        return os.isatty(self._fd)

    def let_go(self) -> None:
        """What is still buffered may go now: to /dev/null, which `_silence_stdout` has
        put on the descriptor (a stream that refused every write stops refusing)."""
        self._closed = False

    def write(self, data: Any) -> int:
        if self._closed:
            raise OSError(errno.EBADF, "standard output is closed")
        view = memoryview(data).cast("B")
        done = 0
        while done < len(view):
            try:
                written = os.write(self._fd, view[done:])
            except BrokenPipeError:
                self.reader_gone = True
                raise
            if written <= 0:  # POSIX never says 0 for a regular write: treat it as lost
                raise OSError(errno.EIO, os.strerror(errno.EIO))
            done += written
        return done


def _refusing_stdout() -> _WholeWrites:
    """Started with stdout closed (`istc ... >&-`, a daemon): standard output becomes a
    stream whose every write fails. A command that writes results then exits 1 with one
    line, as for a full disk; one that writes none (an export, a valid `validate`) does
    its work, as under cron."""
    raw = _WholeWrites(1, closed=True)
    sys.stdout = io.TextIOWrapper(io.BufferedWriter(raw), encoding="utf-8", errors="strict")
    return raw


def _whole_stdout() -> _WholeWrites | None:
    """Put `_WholeWrites` under the process's own standard output (same encoding, error
    handling and line buffering) and return it; a stream that is not the process's (a
    test's capture) is left as it is."""
    stream = sys.stdout
    if stream is not sys.__stdout__ or not isinstance(stream, io.TextIOWrapper):
        return None
    try:
        fd = stream.fileno()
        stream.flush()
    except (OSError, ValueError):
        return None
    raw = _WholeWrites(fd)
    sys.stdout = io.TextIOWrapper(
        io.BufferedWriter(raw),
        encoding=stream.encoding,
        errors=stream.errors,
        newline=None,
        line_buffering=stream.line_buffering,
    )
    return raw


def _silence_stdout(raw: _WholeWrites | None) -> None:
    """Whatever is still buffered for stdout goes to /dev/null, not to the reader or file
    that failed (and not as a second error when Python flushes it at exit)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    if raw is not None:
        raw.let_go()


def _typer(argv: list[str], context: Context, root: RootWords) -> int:
    """Run the Typer app with click's messages escaped: standalone mode off, so a
    usage error comes back here as an exception instead of being printed raw, and is
    said in one line."""
    from .cli import app_for
    from .safe_text import say

    problem = root.repeated
    if problem:
        say(_usage_line(problem, "istc"))
        return ExitStatus.USAGE
    try:
        code = app_for(argv, root)(args=argv, prog_name="istc", standalone_mode=False, obj=context)
    except SystemExit as exc:
        return (
            exc.code if isinstance(exc.code, int)
            else ExitStatus.OK if exc.code is None else ExitStatus.FAILED
        )  # fmt: skip
    except Exception as exc:
        message = getattr(exc, "format_message", None)
        exit_code = getattr(exc, "exit_code", None)
        if message is not None and isinstance(exit_code, int):  # a click.ClickException
            where = getattr(getattr(exc, "ctx", None), "command_path", None)
            if exit_code == ExitStatus.USAGE and isinstance(where, str):
                say(_usage_line(message(), where))
            else:
                say(" ".join(message().split()))
            return exit_code
        if type(exc).__name__ == "Abort":  # click.Abort: Ctrl-C or end of input at a prompt
            cause = exc.__context__ or exc.__cause__
            if isinstance(cause, KeyboardInterrupt):
                raise cause from None
            say("aborted.")
            return ExitStatus.FAILED
        raise
    return code if isinstance(code, int) else ExitStatus.OK


def _usage_line(problem: str, command_path: str) -> str:
    """A usage error as one sentence, like every other message: click's own four lines
    (usage, a hint, a blank, the error) folded into the error and where to read more."""
    text = " ".join(problem.split())
    if text.endswith("?"):  # click's "Did you mean ...?"
        return f"{text} (see '{command_path} -h')"
    return f"{text.rstrip('.')}; see '{command_path} -h'."


def _run(argv: list[str]) -> int:
    """Run one command, in the context made here once for the whole run: the fast path
    when it can, else the Typer app."""
    from .context import Context
    from .fast import run
    from .options import root_words

    context = Context.of()
    if not argv:  # a shell's TAB, if the environment asks (the scripts give no arguments)
        from .listing_completion import answer

        found = answer(context.environ)
        if found is not None:
            context.stdout.write(found[0])
            return found[1]
    root = root_words(argv)  # argv's words before the command, read once for both paths
    code = run(argv, context, root)
    if code is not None:
        return code
    return _typer(argv, context, root)


def main(argv: list[str] | None = None) -> None:
    _hold_closed_descriptors()
    # started with stdout closed (istc >&-), nowhere to answer: refused when written
    raw = _refusing_stdout() if sys.stdout is None else _whole_stdout()
    _prepare_streams()
    args = sys.argv[1:] if argv is None else argv
    from .safe_text import say

    try:
        code = _run(args)
        sys.stdout.flush()
        if raw is not None and raw.reader_gone:  # click's exit 1 for a closed pipe (--help...)
            _silence_stdout(raw)
            code = ExitStatus.BROKEN_PIPE
    except KeyboardInterrupt:
        say("", prefix="")
        code = ExitStatus.INTERRUPTED
    except BrokenPipeError:
        _silence_stdout(raw)
        code = ExitStatus.BROKEN_PIPE
    except OSError as exc:
        if exc.errno == errno.EPIPE:
            _silence_stdout(raw)
            code = ExitStatus.BROKEN_PIPE
        elif exc.errno in _WRITE_ERRORS:
            _silence_stdout(raw)  # what is still buffered can go nowhere either
            say(f"cannot write results: {exc.strerror or exc}.")
            code = ExitStatus.FAILED
        else:
            code = _internal_error(exc)
    except Exception as exc:  # the last guard: one line, never a traceback
        code = _internal_error(exc)
    sys.exit(code)


def _internal_error(exc: Exception) -> int:
    if os.environ.get("ISTC_DEBUG"):
        raise exc
    from .safe_text import say

    say(
        f"internal error: {type(exc).__name__}: {exc}\n"
        "istc: run again with ISTC_DEBUG=1 for the details, and please report it."
    )
    return ExitStatus.FAILED
