"""Shell completion for bash, zsh and fish: the scripts, and the candidates they ask for.

Candidates come from the dataset in use (`--data`, `$ISTC_DATA`), which may be anyone's
file, so a name can hold any character. No candidate ever reaches a shell as code:

- the scripts read the answer as data, one candidate a line, never through `eval`,
  word splitting or pathname expansion;
- a candidate holding a control, format or separator character (a newline would
  forge another candidate, a tab a description) is never offered;
- bash inserts what it is given as it is, so istc quotes each candidate for the
  place it goes on the command line (after an open quote, after a `:` or `=` that
  bash's completion treats as a word break) the way bash itself quotes file names;
  zsh (`compadd`) and fish quote the candidates they insert themselves.

The protocol: a script runs `istc` with `_ISTC_COMPLETE=<shell>` and
`_ISTC_COMPLETE_LINE` (the command line up to the cursor; bash also passes
`_ISTC_COMPLETE_BREAKS`, its COMP_WORDBREAKS). istc answers `files` (let the shell
complete file names) or `words`, then the candidates, one a line. Scripts installed by
older versions (`_ISTC_COMPLETE=complete_bash` ...) insert candidates unquoted or
through `eval`: they are answered in their own format, with only the candidates that
are plain words (letters, digits and `-_.:/,@+=`).

Which parameter a word completes is worked out from the click command tree, through
its public attributes only; the candidates are each parameter's own completer.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from .safe_text import visible

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any

SHELLS = ("bash", "zsh", "fish")
VARIABLE = "_ISTC_COMPLETE"
LINE = "_ISTC_COMPLETE_LINE"
BREAKS = "_ISTC_COMPLETE_BREAKS"
BASH_BREAKS = " \t\n\"'@><=;|&(:"  # bash's default COMP_WORDBREAKS
MAX_CANDIDATE = 300
"""A longer candidate is not offered: no one types it, and it floods the list."""


class UnknownShell(ValueError):
    """A shell istc has no completion for; the message says which it has."""


def shell_named(name: str) -> str:
    if name not in SHELLS:
        from .safe_text import quote

        raise UnknownShell(
            f"{quote(name)} is not a shell istc completes for; use bash, zsh or fish."
        )
    return name


# ---------------------------------------------------------------- the scripts

_BASH = r"""
_istc_completion() {
    local line
    local -a reply=()
    while IFS= read -r line; do
        reply+=("$line")
    done < <(_ISTC_COMPLETE=bash _ISTC_COMPLETE_LINE="${COMP_LINE:0:COMP_POINT}" \
             _ISTC_COMPLETE_BREAKS="$COMP_WORDBREAKS" "$1" 2>/dev/null)
    COMPREPLY=()
    if [[ ${reply[0]-} == files ]]; then
        compopt -o default
    elif [[ ${reply[0]-} == words ]]; then
        compopt +o default
        COMPREPLY=("${reply[@]:1}")
    fi
    return 0
}

complete -F _istc_completion istc
"""

_ZSH = r"""
#compdef istc

_istc() {
    local -a reply
    reply=("${(@f)$(_ISTC_COMPLETE=zsh \
        _ISTC_COMPLETE_LINE="${(j: :)${(@)words[1,CURRENT-1]}} $QIPREFIX$PREFIX" \
        istc 2>/dev/null)}")
    if [[ ${reply[1]-} == files ]]; then
        [[ $PREFIX == -*=* ]] && compset -P '*='
        _files
    elif [[ ${reply[1]-} == words ]]; then
        compadd -- "${(@)reply[2,-1]}"
    fi
}

if [[ ${zsh_eval_context[-1]-} == loadautofunc ]]; then
    _istc "$@"
else
    compdef _istc istc
fi
"""

_FISH = r"""
function __istc_complete
    set -lx _ISTC_COMPLETE fish
    set -lx _ISTC_COMPLETE_LINE (commandline -cp | string collect)
    set -l reply (istc 2>/dev/null)
    switch "$reply[1]"
        case files
            set -l token (commandline -ct)
            set -l option (string match -r -- '^-[^=]*=' $token)
            if set -q option[1]
                set -l rest (string replace -- $option '' $token)
                for path in (__fish_complete_path $rest)
                    printf '%s%s\n' $option $path
                end
            else
                __fish_complete_path $token
            end
        case words
            if set -q reply[2]
                printf '%s\n' $reply[2..-1]
            end
    end
end

complete --command istc --no-files --arguments '(__istc_complete)'
"""

_SCRIPTS = {"bash": _BASH, "zsh": _ZSH, "fish": _FISH}


def script(shell: str) -> str:
    """The completion script for `shell`, ending in a newline."""
    return _SCRIPTS[shell_named(shell)].strip("\n") + "\n"


def install(shell: str, home: str) -> str:
    """Write the script where `shell` reads it, and the line that loads it into the
    shell's start-up file if it is not there yet; return the script's path."""
    script_text = script(shell)
    if shell == "bash":
        path = os.path.join(home, ".bash_completions", "istc.sh")
        # the line older versions (Typer's) wrote counts as there
        rc = os.path.join(home, ".bashrc")
        _add_line(rc, f"source {bash_quoted(path, None)}", f"source '{path}'")
    elif shell == "zsh":
        path = os.path.join(home, ".zfunc", "_istc")
        _add_line(os.path.join(home, ".zshrc"), "fpath+=~/.zfunc; autoload -Uz compinit; compinit")
    else:
        path = os.path.join(home, ".config", "fish", "completions", "istc.fish")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(script_text)
    return path


def _add_line(rc: str, line: str, *same: str) -> None:
    try:
        with open(rc, encoding="utf-8", errors="replace") as fh:
            present = not {line, *same}.isdisjoint(fh.read().splitlines())
    except FileNotFoundError:
        present = False
    if not present:
        with open(rc, "a", encoding="utf-8") as fh:
            fh.write(f"\n{line}\n")


# ---------------------------------------------------------------- the command line


@dataclass
class Word:
    """A word of a command line as the shell reads it: its value with the quoting
    removed, where it starts, and whether the shell would expand it (so its value is
    not what it reads)."""

    start: int
    value: str = ""
    expands: bool = False
    quote: str | None = None  # the quote still open where the line ends


@dataclass
class Line:
    words: list[Word] = field(default_factory=list)
    plain: bool = True  # one simple command: no operator (; | & < > ( )) in it


def split(line: str) -> Line:
    """The words of a command line up to the cursor, POSIX shell quoting; the last is
    the word being completed (empty when the line ends in a space)."""
    out = Line()
    word: Word | None = None
    quote: str | None = None
    i = 0
    while i < len(line):
        char = line[i]
        if quote is None and char in " \t\n":
            word = None
            i += 1
            continue
        if word is None:
            word = Word(i)
            out.words.append(word)
        if quote == "'":
            if char == "'":
                quote = None
            else:
                word.value += char
        elif quote == '"':
            if char == '"':
                quote = None
            elif char == "\\" and line[i + 1 : i + 2] in ("$", "`", '"', "\\"):
                word.value += line[i + 1]
                i += 1
            else:
                word.expands |= char in "$`!"
                word.value += char
        elif char == "\\":
            if line[i + 1 : i + 2] != "\n":  # a backslash and a newline join two lines
                word.value += line[i + 1 : i + 2]
            i += 1
        elif char in "'\"":
            quote = char
        elif char in ";|&<>()":
            out.plain = False
            word.value += char
        else:
            # a parameter, a command substitution, a glob, a brace list, a home
            # directory or a history reference: the shell would read something else
            word.expands |= char in "$`*?[{!" or (char == "~" and i == word.start)
            word.value += char
        word.quote = quote
        i += 1
    if word is None:
        out.words.append(Word(len(line)))
    return out


# ---------------------------------------------------------------- what a word completes


@dataclass(frozen=True)
class Found:
    """What the word being completed can be: file names, or these candidates."""

    files: bool
    candidates: tuple[str, ...] = ()


def _options(params: list[Any]) -> dict[str, Any]:
    return {
        name: p
        for p in params
        if getattr(p, "param_type_name", "") == "option"
        for name in (*p.opts, *p.secondary_opts)
    }


def _inline_value(options: dict[str, Any], ctx: Any, incomplete: str) -> Found:
    """`--flag=PART`: the values of that flag starting with PART, each after `--flag=`."""
    flag, _, value = incomplete.partition("=")
    param = options.get(flag)
    if param is not None and _takes_value(param):
        return _values(param, ctx, value, prefix=flag + "=")
    return Found(False)


def _takes_value(param: Any) -> bool:
    return not (getattr(param, "is_flag", False) or getattr(param, "count", False))


def file_like(metavar: str | None) -> bool:
    """Whether a parameter shown as `metavar` takes a file name (PATH, FILE)."""
    return "PATH" in (metavar or "") or "FILE" in (metavar or "")


def _values(param: Any, ctx: Any, incomplete: str, prefix: str = "") -> Found:
    """What a parameter offers for `incomplete`: its own completer's candidates, or
    file names for a PATH or FILE."""
    offered = [getattr(item, "value", item) for item in param.shell_complete(ctx, incomplete)]
    words = tuple(prefix + v for v in offered if isinstance(v, str) and v.startswith(incomplete))
    if not words and file_like(getattr(param, "metavar", None)):
        return Found(True)
    return Found(False, words)


def _command_options(command: Any, ctx: Any, incomplete: str) -> Found:
    names = [
        name
        for p in command.get_params(ctx)
        if getattr(p, "param_type_name", "") == "option" and not getattr(p, "hidden", False)
        for name in (*p.opts, *p.secondary_opts)
    ]
    return Found(False, tuple(n for n in names if n.startswith(incomplete)))


def resolve(root: Any, args: list[str], incomplete: str) -> Found:
    """What `incomplete` can be after `args` (the words after the program name), from
    the click command tree `root`: a command name, an option name, an option's value or
    an argument, each from its parameter's own completer."""
    root_options = _options(root.params)
    i = 0
    while i < len(args) and args[i].startswith("-") and args[i] != "--":
        param = root_options.get(args[i])
        i += 2 if param is not None and _takes_value(param) else 1
    before, rest = args[: min(i, len(args))], args[i:]
    if i > len(args):  # the last word was an option wanting a value: it is this one
        before = args[:-1]
    ctx = root.make_context("istc", list(before), resilient_parsing=True)
    if not rest:
        if i > len(args):
            return _values(root_options[args[-1]], ctx, incomplete)
        if incomplete.startswith("--") and "=" in incomplete:
            return _inline_value(root_options, ctx, incomplete)
        if incomplete.startswith("-"):
            return _command_options(root, ctx, incomplete)
        names = root.list_commands(ctx)
        return Found(False, tuple(n for n in names if n.startswith(incomplete)))
    if rest[0] == "--":
        rest = rest[1:]
        if not rest:
            names = root.list_commands(ctx)
            return Found(False, tuple(n for n in names if n.startswith(incomplete)))
    name, words = rest[0], rest[1:]
    command = root.get_command(ctx, name)
    if command is None:
        return Found(False)
    sub = command.make_context(name, list(words), parent=ctx, resilient_parsing=True)
    options = _options(command.get_params(sub))
    positional = "--" in words
    last = words[-1] if words else ""
    if not positional:
        if last in options and _takes_value(options[last]):
            return _values(options[last], sub, incomplete)
        if incomplete.startswith("--") and "=" in incomplete:
            return _inline_value(options, sub, incomplete)
        if incomplete.startswith("-"):
            return _command_options(command, sub, incomplete)
    for param in command.get_params(sub):
        if getattr(param, "param_type_name", "") != "argument":
            continue
        source = sub.get_parameter_source(param.name)
        if param.nargs == -1 or getattr(source, "name", "") != "COMMANDLINE":
            return _values(param, sub, incomplete)
    return Found(False)


# ---------------------------------------------------------------- answers, per shell


def offered(candidates: tuple[str, ...]) -> list[str]:
    """The candidates a shell may be given: each once, none empty, none too long, and
    none holding a character that `visible` would escape (a control, format or
    separator character, a flood of combining marks)."""
    seen: dict[str, None] = {}
    for c in candidates:
        if c and len(c) <= MAX_CANDIDATE and visible(c) == c:
            seen.setdefault(c, None)
    return list(seen)


def answer(
    resolved: Callable[[list[str], str], Found | None], environ: Mapping[str, str]
) -> tuple[str, int] | None:
    """The answer to the completion request in `environ`, and the exit code. `resolved`
    says what the word being completed can be after the words before it (`resolve` on
    the click tree, or `listing_completion` on a command's declarations, which gives
    None when it is not sure: then so does this)."""
    request = environ.get(VARIABLE, "")
    if request in SHELLS:
        line = split(environ.get(LINE, ""))
        current = line.words[-1]
        args = [w.value for w in line.words[1:-1]]
        if not line.plain or current.expands or any(w.expands for w in line.words[1:-1]):
            return "words\n", 0  # the shell would read another line than this one
        found = resolved(args, current.value)
        if found is None:
            return None
        if found.files:
            return "files\n", 0
        words = offered(found.candidates)
        if request == "bash":
            breaks = environ.get(BREAKS, BASH_BREAKS)
            words = bash_replies(environ.get(LINE, ""), current, breaks, words)
        return "".join(f"{w}\n" for w in ["words", *words]), 0
    for shell in SHELLS:  # `source_bash` (Typer) and `bash_source` (click): the script
        if request in (f"source_{shell}", f"{shell}_source"):
            return script(shell), 0
    if request in ("complete_bash", "complete_zsh", "complete_fish"):
        return _legacy(resolved, request[len("complete_") :], environ)
    return "", 1


# ---------------------------------------------------------------- bash


def _skip_quoted(line: str, i: int, quote: str) -> int:
    """The index after the quote closing the string that opens before `i` (or the end)."""
    while i < len(line):
        if quote == '"' and line[i] == "\\":
            i += 2
            continue
        if line[i] == quote:
            return i + 1
        i += 1
    return len(line) + 1


def _char_is_quoted(line: str, index: int) -> bool:
    """bash's own test (bashline.c, char_is_quoted): is line[index] escaped or quoted?"""
    i = 0
    while i <= index:
        char = line[i]
        if char == "\\":
            if i + 1 >= index:
                return i + 1 == index
            i += 2
            continue
        if char in "'\"":
            i = _skip_quoted(line, i + 1, char)
            if i > index:
                return True
            continue
        i += 1
    return False


def completion_start(line: str, breaks: str) -> tuple[int, str | None]:
    """Where readline starts the text a completion replaces in bash, and the quote open
    there (readline's _rl_find_completion_word, with bash's quoting rules): after an
    open quote, else after the last unquoted COMP_WORDBREAKS character (`$` and `@`
    stay in the text, as bash's special prefixes)."""
    quote: str | None = None
    start = len(line)
    found = False
    escaped = False
    for i, char in enumerate(line):
        if escaped:
            escaped = False
            continue
        if quote != "'" and char == "\\":
            escaped = found = True
            continue
        if quote is not None:
            if char == quote:
                quote, start = None, len(line)
        elif char in "'\"":
            quote, start, found = char, i + 1, True
    if quote is not None:
        return start, quote
    point = len(line)
    while point > 0:
        point -= 1
        if line[point] in breaks and not (found and _char_is_quoted(line, point)):
            break
    if (
        point < len(line)
        and line[point] in breaks
        and line[point] not in "$@"
        and not (found and _char_is_quoted(line, point))
    ):
        point += 1
    return point, None


_BASH_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.,/:@%+=")


def bash_quoted(text: str, quote: str | None) -> str:
    """Text as bash reads it back, where it is inserted: inside an open single or
    double quote, or unquoted (each ASCII character that means something to the shell
    escaped with a backslash). A `!` is never left where history expansion sees it."""
    if quote == "'":
        return text.replace("'", "'\\''")
    if quote == '"':
        out = []
        for char in text:
            if char in '\\"$`':
                out.append("\\" + char)
            elif char == "!":
                out.append('"\\!"')
            else:
                out.append(char)
        return "".join(out)
    return "".join(
        char if char in _BASH_PLAIN or not char.isascii() else "\\" + char for char in text
    )


def bash_replies(line: str, current: Word, breaks: str, candidates: list[str]) -> list[str]:
    """What bash is to put in place of the text it replaces, for each candidate: the
    candidate's remainder after the part of the word that stays (before a word break
    or an open quote), quoted for where it goes. Nothing when the part that stays would
    itself expand (a glob or a parameter the user typed unquoted)."""
    start, quote = completion_start(line, breaks)
    if start < current.start:
        return []
    kept = split(line[current.start : start]).words[-1] if start > current.start else Word(0)
    if kept.expands or kept.quote != quote:
        return []
    replies = [
        bash_quoted(c[len(kept.value) :], quote) for c in candidates if c.startswith(kept.value)
    ]
    # Of several replies readline inserts what they have in common: never half of a
    # backslash escape, which would quote the next key pressed (an Enter included).
    common = os.path.commonprefix(replies) if len(replies) > 1 else ""  # noqa: RUF071
    if quote != "'" and (len(common) - len(common.rstrip("\\"))) % 2:
        replies.append(common[:-1])
    return replies


# ---------------------------------------------------------------- older scripts

_LEGACY_PLAIN = frozenset("-_.:/,@+=")


def _legacy(
    resolved: Callable[[list[str], str], Found | None], shell: str, environ: Mapping[str, str]
) -> tuple[str, int] | None:
    """Answer a script installed by an older istc (Typer's), which inserts candidates
    unquoted (bash), through `eval` (zsh) or as lines (fish): only plain words, which
    mean nothing to any shell, are offered to it."""
    if shell == "bash":
        words = [w.value for w in split(environ.get("COMP_WORDS", "")).words if w.value]
        try:
            index = int(environ.get("COMP_CWORD", ""))
        except ValueError:
            return "", 0
        args, incomplete = words[1:index], (words[index] if index < len(words) else "")
    else:
        typed = environ.get("_TYPER_COMPLETE_ARGS", "")
        words = [w.value for w in split(typed).words if w.value]
        args = words[1:]
        incomplete = ""
        if args and not typed.endswith(" "):
            incomplete = args.pop()
    found = resolved(args, incomplete)
    if found is None:
        return None
    plain = [
        c for c in offered(found.candidates) if all(x.isalnum() or x in _LEGACY_PLAIN for x in c)
    ]
    if shell == "bash":
        return "\n".join(plain), 0
    if shell == "zsh":
        if not plain:
            return "_files", 0
        quoted = "\n".join('"' + c.replace(":", r"\\:") + '"' for c in plain)
        return f"_arguments '*: :(({quoted}))'", 0
    if environ.get("_TYPER_COMPLETE_FISH_ACTION") == "is-args":
        return "", 0 if plain else 1
    return "\n".join(plain), 0
