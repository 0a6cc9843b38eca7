"""The exit statuses istc returns, one enum for every module (README: Exit codes)."""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    """What the process exits with. An IntEnum, so it passes wherever an int does."""

    OK = 0
    # nothing found (`search`, `show`), an unknown reference (`cite`), an export not
    # published, results that could not be written whole, an internal error
    FAILED = 1
    USAGE = 2  # an unknown command, option or field, a bad or repeated value
    DATASET = 3  # the dataset could not be loaded, or `validate` found problems
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT)
    BROKEN_PIPE = 141  # the reader of stdout went away (128 + SIGPIPE)
