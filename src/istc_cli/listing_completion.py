"""Completion of a listing command's words from its `CommandSpec`, without Typer.

Each TAB runs istc once, and building the Typer app for it costs more than the answer
(docs/performance.md). When the line names a listing command with nothing but
`--data PATH` before it, and every word after the command is one read here for sure
(an option it declares, given once, with its value; the words of its argument), the
word being completed is worked out from the same declarations the Typer parameters are
built from, with the same completers (`values_completer`, `fields_completer`,
`entity_words`). Anything else, a root option or a command name to complete, a `--`,
a value that click would refuse, returns None, and the Typer app answers
(`completion.resolve` on the click tree). A test compares the two answers on generated
lines.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from . import completion
from .completion import Found, file_like
from .options import COMMON_OPTIONS, DATA_OPTION, CommandSpec, OptionSpec, check, root_words

_NO_VALUE = ("flag", "view")
_HELP = ("-h", "--help")  # click adds the help option after the declared ones


def values_completer(values: tuple[str, ...]) -> Callable[[str], list[str]]:
    """A choice's completer: its values that start with what was typed."""

    def complete(incomplete: str) -> list[str]:
        return [v for v in values if v.startswith(incomplete)]

    return complete


def fields_completer(names: tuple[str, ...]) -> Callable[[str], list[str]]:
    """--fields' completer: the field names, after the ones already typed (`name,ro`)."""

    def complete(incomplete: str) -> list[str]:
        done, _, last = incomplete.rpartition(",")
        prefix = f"{done}," if done else ""
        return [prefix + n for n in names if n.startswith(last)]

    return complete


def entity_words(data: str | None, incomplete: str) -> list[str]:
    """Completion for `show` and `cite`: the ids, names and aliases of the dataset
    `data` (None: $ISTC_DATA's or the bundled one), read through the cache; nothing if
    it cannot load."""
    from . import loader
    from .show import catalogue, names, record_id

    try:
        dataset = loader.load(data).dataset
    except loader.DatasetError:
        return []
    words: dict[str, None] = {}
    for section, record in catalogue(dataset):
        words[record_id(record)] = None
        for name in names(section, record):
            # as written, and lower-cased: `show` matches names in any case, and the
            # shell offers only what starts with the letters as typed
            words[name] = None
            words[name.casefold()] = None
    return [w for w in words if w and w.startswith(incomplete)]


def _offer(words: list[str], incomplete: str, metavar: str | None, prefix: str = "") -> Found:
    kept = tuple(prefix + w for w in words if w.startswith(incomplete))
    if not kept and file_like(metavar):
        return Found(True)
    return Found(False, kept)


class _Words:
    """A listing command's options, as the words after its name give them."""

    def __init__(self, spec: CommandSpec) -> None:
        self.spec = spec
        self.options = (*spec.options, *COMMON_OPTIONS)
        self.by_flag = {flag: o for o in self.options for flag in o.flags}
        self.argument = next((o for o in spec.options if o.kind == "argument"), None)

    def values(self, option: OptionSpec, incomplete: str, data: str | None) -> list[str]:
        if option.kind == "argument":
            return entity_words(data, incomplete) if self.spec.name == "show" else []
        if option.name == "fields":
            from .field_types import field_names

            return fields_completer(field_names(self.spec.record_type))(incomplete)
        return values_completer(option.values)(incomplete)

    def metavar(self, option: OptionSpec) -> str | None:
        return f"{option.metavar}..." if option.kind == "argument" else option.metavar

    def flags(self, incomplete: str) -> Found:
        names = [f for o in self.options for f in o.flags] + list(_HELP)
        return Found(False, tuple(n for n in names if n.startswith(incomplete)))


def resolve(args: list[str], incomplete: str, environ: Mapping[str, str]) -> Found | None:
    """What `incomplete` can be after `args` (the words after the program name), or
    None when the line is not one this module reads for sure."""
    from .commands import BY_NAME

    root = root_words(args)
    if not root.plain or root.repeated or root.command not in BY_NAME:
        return None
    spec = BY_NAME[root.command]
    reader = _Words(spec)
    given: dict[str, str | None] = {}
    pending: OptionSpec | None = None  # the last word is an option wanting its value
    rest = args[root.at + 1 :]
    j = 0
    while j < len(rest):
        word = rest[j]
        j += 1
        if not word.startswith("-"):
            if reader.argument is None or word == "":
                return None
            continue
        flag, has_inline, inline = word.partition("=")
        option = reader.by_flag.get(flag)
        if option is None or option.name in given:  # (the argument has no flag)
            return None
        if option.kind in _NO_VALUE:
            if has_inline:
                return None
            given[option.name] = None
            continue
        if has_inline:
            if not flag.startswith("--"):
                return None
            value = inline
        elif j < len(rest):
            value = rest[j]
            j += 1
            if value.startswith("-"):
                return None
        else:
            pending = option
            break
        if check(option, value) is not None:
            return None  # click drops a value its check refuses: let it say what it reads
        given[option.name] = value
    data = given.get("data") or _root_data(root.data, environ)
    if data == "":
        return None
    if pending is not None:
        return _offer(reader.values(pending, incomplete, data), incomplete, pending.metavar)
    if incomplete.startswith("--") and "=" in incomplete:
        flag, _, part = incomplete.partition("=")
        option = reader.by_flag.get(flag)
        if option is None or option.kind in _NO_VALUE:
            return Found(False)
        return _offer(reader.values(option, part, data), part, option.metavar, flag + "=")
    if incomplete.startswith("-"):
        return reader.flags(incomplete)
    if reader.argument is None:
        return Found(False)
    words = reader.values(reader.argument, incomplete, data)
    return _offer(words, incomplete, reader.metavar(reader.argument))


def _root_data(before: tuple[str | None, ...], environ: Mapping[str, str]) -> str | None:
    """The root's --data: given before the command, else $ISTC_DATA (as click reads
    it: an empty variable is none); "" when the value is one click would refuse."""
    value = before[0] if before else (environ.get("ISTC_DATA") or None)
    if value is not None and check(DATA_OPTION, value) is not None:
        return ""
    return value


def answer(environ: Mapping[str, str]) -> tuple[str, int] | None:
    """The answer to a completion request for a listing command's words, or None for
    the Typer app to answer."""
    if environ.get(completion.VARIABLE) not in completion.SHELLS:
        return None  # a script asks, or an older one: the Typer app answers
    return completion.answer(lambda args, word: resolve(args, word, environ), environ)
