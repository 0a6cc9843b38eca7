"""Shell completion in real shells (issue 29): what a dataset names is never run.

Each shell test starts the shell itself on a pseudo-terminal, loads the script that
`istc --show-completion SHELL` prints, types a prefix, presses TAB and then Enter, and
reads what the command then received: the name, whole and literal, and nothing run,
expanded or forged on the way. `istc` on the shell's PATH is a stand-in that records
its arguments (and runs the installed istc when the shell asks it for completions).
bash always runs; zsh and fish run where the machine has them (`.ci/run` installs
them with apt-get where it can).
"""

from __future__ import annotations

import fcntl
import functools
import os
import pty
import select
import shlex
import shutil
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import yaml

from istc_cli import completion

from .conftest import BUNDLED, MINIMAL, Ran, invoke

ISTC = Path(sys.executable).with_name("istc")


# Names a hostile dataset may hold, each with a prefix that only it starts with.
HOSTILE = {
    "Semi;colon Land": "Semi",
    "Dollar $(touch pwned-dollar) Land": "Dollar",
    "Tick`touch pwned-tick`Land": "Tick",
    "Star*Land": "Star",
    "Quote'Land": "Quote",
    'Double"Quote Land': "Double",
    "Bang!Land": "Bang",
    "Colon:Land": "Colon",
    "Equals=Land": "Equals",
    "At@Land": "At@",
    "Amp&Pipe|Land": "Amp",
    "Paren(Land)": "Paren",
    "Brace{a,b}Land": "Brace",
    "Hash#Land": "Hash",
    "Tilde~Land": "Tilde",
    "Less<Land>": "Less",
    "Slash\\": "Slas",
}
# zsh (`compadd`) and fish quote what they insert themselves, from the plain words istc
# answers them with: one name holding every character the names above hold one at a
# time tries their reading of the answer. bash inserts what istc quoted for it, a
# character at a time: it gets each name, and this one too.
EVERY = "Every;$(touch pwned-every)`touch pwned-every-tick`*'\"!:=@&|(x){a,b}#~<y>\\"
TYPED = {**HOSTILE, EVERY: "Every"}  # what is typed before the TAB for each name
# The zsh report: an alias ending in a backslash, then one whose text is code.
ESCAPING_ALIASES = ["Trail\\", "Trail $(touch pwned-alias) x"]
# Never offered: a newline would forge a candidate, a tab a description.
FORGING = {"Forge\nmember:alpha": "Forge", "Tabbed\tdescription": "Tabbed"}


def hostile_dataset(where: Path) -> Path:
    data = yaml.safe_load(MINIMAL.read_text())
    extra = [*HOSTILE, EVERY, *FORGING]
    for name in extra:
        data["members"].append(
            {"name": name, "kind": "state", "status": "current", "roles": ["party"],
             "source": "doc"}
        )  # fmt: skip
    data["members"][0]["aliases"] = ESCAPING_ALIASES
    path = where / "hostile.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = hostile_dataset(tmp_path_factory.mktemp("hostile"))
    check = subprocess.run(
        [str(ISTC), "validate", str(path)], capture_output=True, timeout=60, check=False
    )
    assert check.returncode == 0, check.stderr.decode()
    return path


# ---------------------------------------------------------------- a shell on a terminal


def _controlling_terminal() -> None:
    """In the child, after setsid: make the pseudo-terminal (its stdin) the session's
    controlling terminal, as a terminal emulator does; fish refuses to run without."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Terminal:
    """An interactive shell on a pseudo-terminal, and the arguments `istc` received."""

    def __init__(self, shell: str, argv: list[str], home: Path, dataset: Path) -> None:
        self.shell = shell
        self.home = home
        self.log = home / "istc-args.log"
        bin_dir = home / "bin"
        bin_dir.mkdir()
        stand_in = bin_dir / "istc"
        # A shell script, not Python: it starts in a millisecond. A run the shell makes
        # for completions runs istc, with a dot in `asked` before and one in `answered`
        # after; any other run appends its arguments, each ended by a NUL, then a record
        # separator (names hold no NUL).
        self.asked, self.answered = home / "completions-asked", home / "completions-answered"
        istc, log = shlex.quote(str(ISTC)), shlex.quote(str(self.log))
        asked, answered = shlex.quote(str(self.asked)), shlex.quote(str(self.answered))
        stand_in.write_text(
            "#!/bin/sh\n"
            f'if [ -n "${{{completion.VARIABLE}+set}}" ]; then\n'
            f'    printf . >> {asked}; {istc} "$@"; status=$?; printf . >> {answered}\n'
            '    exit "$status"\n'
            "fi\n"
            f"{{ if [ $# -gt 0 ]; then printf '%s\\000' \"$@\"; fi; printf '\\036'; }} >> {log}\n"
        )
        stand_in.chmod(0o755)
        env = {
            "PATH": f"{bin_dir}:{os.environ['PATH']}",
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_DATA_HOME": str(home / ".local" / "share"),
            "TERM": "xterm",
            "LANG": "C.UTF-8",
            "ISTC_DATA": str(dataset),
            "ISTC_CACHE_DIR": os.environ.get("ISTC_CACHE_DIR", str(home / "cache")),
            "PS1": "$ ",
        }
        if "PYTHONPATH" in os.environ:  # the istc under test, wherever it is imported from
            env["PYTHONPATH"] = os.environ["PYTHONPATH"]
        self.cwd = home / "work"
        self.cwd.mkdir()
        (self.cwd / "StarXLand").write_text("a file the glob Star*Land would match\n")
        self.primary, secondary = pty.openpty()
        fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 200, 0, 0))
        self.proc = subprocess.Popen(
            argv, stdin=secondary, stdout=secondary, stderr=secondary, env=env,
            cwd=self.cwd, start_new_session=True, preexec_fn=_controlling_terminal,
        )  # fmt: skip
        os.close(secondary)
        self.screen = b""

    def drain(self, seconds: float) -> None:
        """Read what the shell writes for `seconds`."""
        self.wait_for(lambda: False, seconds)

    def wait_for(self, ready: Callable[[], bool], seconds: float) -> bool:
        """Read what the shell writes until `ready()` holds, or `seconds` pass: checked
        each time the shell has written (a prompt follows every line it runs) and
        every 10 ms, so a test waits for what it waits for, not for a fixed slice."""
        end = time.monotonic() + seconds
        while not ready():
            left = end - time.monotonic()
            if left <= 0:
                return False
            readable, _, _ = select.select([self.primary], [], [], min(left, 0.01))
            if readable:
                try:
                    self.screen += os.read(self.primary, 65536)
                except OSError:
                    return ready()
        return True

    def send(self, text: str) -> None:
        os.write(self.primary, text.encode())

    def run(self, line: str) -> None:
        """Run a setup line and wait for it."""
        marker = f"done-{time.monotonic_ns()}"
        self.send(f"{line}\n")
        self.send(f"echo {marker[:4]}''{marker[4:]}\n")  # the echo's own line never matches
        done = self.wait_for(lambda: marker.encode() in self.screen, 20)
        assert done, self.screen[-2000:]

    @staticmethod
    def _count(marks: Path) -> int:
        return len(marks.read_bytes()) if marks.exists() else 0

    def _ran(self) -> list[list[str]]:
        if not self.log.exists():
            return []
        records = self.log.read_bytes().split(b"\036")[:-1]
        return [[arg.decode() for arg in record.split(b"\0")[:-1]] for record in records]

    def complete(self, typed: str) -> list[str]:
        """Type `typed`, press TAB, then Enter: the arguments istc then received. The
        keys are sent at once: the shell reads them in order, and completes before it
        reads the Enter."""
        before = len(self._ran())
        self.drain(0.01)
        self.send(typed + "\t\n")
        self.wait_for(lambda: len(self._ran()) > before, 20)
        ran = self._ran()
        assert len(ran) > before, f"istc did not run; the screen:\n{self.screen[-3000:]!r}"
        return ran[before]

    def abandon(self, keys: str) -> None:
        """Type keys (TABs included), then Ctrl-C twice (the first may only close a list
        of candidates): the line is dropped, and nothing has run."""
        before = len(self._ran())
        self.drain(0.05)
        asked = self._count(self.asked)
        self.send(keys)
        # Until istc has answered every completion the keys asked for: the first TAB's,
        # then any the shell asks for after it (a second TAB), none started for a while.
        end = time.monotonic() + 30
        self.wait_for(lambda: self._count(self.answered) > asked, 30)
        quiet = time.monotonic() + 0.5
        while time.monotonic() < min(quiet, end) or (
            self._count(self.answered) < self._count(self.asked) and time.monotonic() < end
        ):
            started = self._count(self.asked)
            self.drain(0.05)
            if self._count(self.asked) != started:
                quiet = time.monotonic() + 0.5
        assert self._count(self.answered) == self._count(self.asked) > asked, self.screen[-2000:]
        self.send("\x03")
        self.drain(0.3)
        self.send("\x03")
        self.run(":")
        assert len(self._ran()) == before, self._ran()[before:]

    def close(self) -> None:
        try:
            self.send("exit\n")
            self.proc.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()
        os.close(self.primary)


def _script(shell: str, where: Path) -> Path:
    result = subprocess.run(
        [str(ISTC), "--show-completion", shell], capture_output=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr.decode()
    path = where / f"istc-completion.{shell}"
    path.write_bytes(result.stdout)
    return path


SETUP = {
    "bash": (
        ["bash", "--norc", "--noprofile", "-i"],
        ["bind 'set bell-style none'", "source {script}"],
    ),
    "zsh": (
        ["zsh", "-f", "-i"],
        ["unsetopt BEEP", "autoload -Uz compinit && compinit -u -D", "source {script}"],
    ),
    "fish": (["fish", "--no-config", "-i"], ["source {script}"]),
}


def shell_available(shell: str) -> bool:
    return shutil.which(shell) is not None


@pytest.fixture(scope="session", params=["bash", "zsh", "fish"])
def terminal(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, hostile: Path
) -> Iterator[Terminal]:
    """One shell of each kind for the worker's whole run: every test types its own line."""
    shell: str = request.param
    if not shell_available(shell):
        if shell == "bash":
            pytest.fail("bash is needed for the completion tests")
        pytest.skip(f"{shell} is not installed")
    argv, setup = SETUP[shell]
    home = tmp_path_factory.mktemp(shell)
    term = Terminal(shell, argv, home, hostile)
    script = _script(shell, home)
    try:
        term.wait_for(lambda: bool(term.screen), 10)  # its first prompt
        for line in setup:
            term.run(line.format(script=script))
        yield term
    finally:
        term.close()


def _pwned(term: Terminal) -> list[str]:
    return sorted(p.name for p in term.cwd.iterdir() if p.name.startswith("pwned"))


# ---------------------------------------------------------------- the shells


_INSERTED = [("bash", name) for name in [*sorted(HOSTILE), EVERY]] + [
    (shell, EVERY) for shell in ("zsh", "fish")
]


@pytest.mark.parametrize(
    ("terminal", "name"),
    _INSERTED,
    indirect=["terminal"],
    ids=[f"{s}-{n}" for s, n in _INSERTED],
    scope="session",  # as the terminal's own: one shell of each kind for all its names
)
def test_a_hostile_name_is_inserted_whole_and_never_run(terminal: Terminal, name: str) -> None:
    received = terminal.complete(f"istc show {TYPED[name]}")
    assert received == ["show", name]
    assert _pwned(terminal) == []


def test_quoting_follows_what_was_typed_in_bash_zsh_and_fish(terminal: Terminal) -> None:
    """An open single or double quote, a word break (`member:`, `--fields=`), a quote
    inside the name: the name arrives whole in each."""
    assert terminal.complete("istc show 'Quo") == ["show", "Quote'Land"]
    assert terminal.complete('istc show "Dol') == ["show", "Dollar $(touch pwned-dollar) Land"]
    assert terminal.complete('istc show "Ban') == ["show", "Bang!Land"]
    assert terminal.complete("istc show Colon:L") == ["show", "Colon:Land"]
    assert terminal.complete("istc members --fields=name,rol") == [
        "members", "--fields=name,roles"
    ]  # fmt: skip
    assert _pwned(terminal) == []


def test_ids_are_offered_after_their_prefix_and_colon(terminal: Terminal) -> None:
    """`istc show member:<TAB>` lists ids, not files (issue 33)."""
    assert terminal.complete("istc show member:al") == ["show", "member:alpha"]
    assert terminal.complete("istc cite member:al") == ["cite", "member:alpha"]


def test_an_alias_ending_in_a_backslash_runs_nothing(terminal: Terminal) -> None:
    """The zsh report: TAB alone ran the next alias's text. Here TAB is pressed on
    both aliases, twice (the list, then a choice), and the line then abandoned."""
    terminal.abandon("istc show Trai\t\t")
    assert _pwned(terminal) == []


def test_several_candidates_leave_a_line_that_runs_as_typed_in_bash(
    terminal: Terminal,
) -> None:
    """bash inserts what its replies share: never half of a backslash escape (here
    `Trail\\` and `Trail\\ \\$...`), which would turn the Enter into a line
    continuation."""
    if terminal.shell != "bash":
        pytest.skip("zsh and fish insert what candidates share themselves")
    assert terminal.complete("istc show Trai") == ["show", "Trail"]
    assert _pwned(terminal) == []


def test_a_name_with_a_newline_or_tab_is_never_offered(terminal: Terminal) -> None:
    """Offered, a newline would forge a second candidate (`member:alpha`), a tab a
    description: the prefix stays as typed."""
    assert terminal.complete("istc show Forg") == ["show", "Forg"]
    assert terminal.complete("istc show Tabb") == ["show", "Tabb"]


def test_file_names_where_a_path_goes(terminal: Terminal) -> None:
    (terminal.cwd / "mydataset.yaml").write_text("")
    assert terminal.complete("istc --data mydat") == ["--data", "mydataset.yaml"]
    assert terminal.complete("istc members --data=mydat") == ["members", "--data=mydataset.yaml"]


# ---------------------------------------------------------------- the scripts and the answers


def run(*args: str, **env: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [str(ISTC), *args], capture_output=True, env={**os.environ, **env}, timeout=60,
        check=False,
    )  # fmt: skip


@pytest.mark.parametrize("shell", completion.SHELLS)
def test_show_completion_prints_the_named_shells_script(shell: str) -> None:
    # through entry.main: the terminals' scripts (`_script`) come from real processes
    result = invoke("--show-completion", shell)
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    marks = {"bash": "complete -F", "zsh": "#compdef istc", "fish": "complete --command istc"}
    assert marks[shell] in text
    assert all(marks[other] not in text for other in completion.SHELLS if other != shell)
    if shell_available(shell):  # the shell itself reads it without a word of complaint
        check = {"bash": ["bash", "-n"], "zsh": ["zsh", "-n"], "fish": ["fish", "--no-execute"]}
        parsed = subprocess.run(
            [*check[shell]], input=text.encode(), capture_output=True, timeout=30, check=False
        )
        assert parsed.returncode == 0, parsed.stderr.decode()


@pytest.mark.parametrize("option", ["--show-completion", "--install-completion"])
@pytest.mark.parametrize("shell", ["nonsense", "powershell", "", "BASH"])
def test_a_shell_istc_does_not_complete_for_is_a_usage_error(
    option: str, shell: str, tmp_path: Path
) -> None:
    # through entry.main; the exit code of a real process: the test below
    result = invoke(option, shell, env={"HOME": str(tmp_path)})
    assert result.exit_code == 2, result
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()[-1]) < 200
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("option", ["--show-completion", "--install-completion"])
def test_an_unknown_shell_is_exit_2_from_the_process(option: str, tmp_path: Path) -> None:
    result = run(option, "powershell", HOME=str(tmp_path))
    assert result.returncode == 2 and result.stdout == b""
    assert list(tmp_path.iterdir()) == []


def test_a_missing_shell_is_a_usage_error() -> None:
    result = run("--show-completion")
    assert result.returncode == 2 and result.stdout == b""


@pytest.mark.parametrize("shell", completion.SHELLS)
def test_install_completion_writes_the_named_shells_script(shell: str, tmp_path: Path) -> None:
    # bash's in a real process, zsh's and fish's through entry.main
    if shell == "bash":
        ran = run("--install-completion", shell, HOME=str(tmp_path))
        result = Ran(ran.returncode, ran.stdout.decode(), ran.stderr.decode())
    else:
        result = invoke("--install-completion", shell, env={"HOME": str(tmp_path)})
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""  # what it did is a message, on stderr
    written = {
        "bash": tmp_path / ".bash_completions" / "istc.sh",
        "zsh": tmp_path / ".zfunc" / "_istc",
        "fish": tmp_path / ".config" / "fish" / "completions" / "istc.fish",
    }[shell]
    assert written.read_text() == completion.script(shell)
    assert str(written) in result.stderr
    again = invoke("--install-completion", shell, env={"HOME": str(tmp_path)})  # rc line once
    assert again.exit_code == 0
    for rc in (tmp_path / ".bashrc", tmp_path / ".zshrc"):
        if rc.exists():
            assert len([line for line in rc.read_text().splitlines() if line]) == 1


def _answer(env: dict[str, str]) -> str:
    result = invoke(env=env)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_every_shell_is_answered_with_data_only(hostile: Path) -> None:
    """No answer line holds a control character, and bash's are each one shell word
    that reads back as the name."""
    import shlex

    for shell in completion.SHELLS:
        env = {completion.VARIABLE: shell, completion.LINE: "istc show ", "ISTC_DATA": str(hostile)}
        lines = _answer(env).split("\n")
        assert lines[0] == "words" and lines[-1] == ""
        for line in lines[1:-1]:
            assert line.isprintable(), line
            if shell == "bash":
                assert len(shlex.split(line)) == 1
        if shell == "bash":
            values = {shlex.split(line)[0] for line in lines[1:-1]}
        else:
            values = set(lines[1:-1])
        assert set(HOSTILE) <= values
        assert not any("\n" in v or "\t" in v for v in values)


@pytest.mark.parametrize("shell", completion.SHELLS)
def test_scripts_of_older_versions_get_plain_words_only(shell: str, hostile: Path) -> None:
    """Typer's scripts insert candidates unquoted (bash), through eval (zsh) or as
    lines (fish): they are still answered, but only with plain words."""
    env = {completion.VARIABLE: f"complete_{shell}", "ISTC_DATA": str(hostile)}
    if shell == "bash":
        env |= {"COMP_WORDS": "istc show ", "COMP_CWORD": "2"}
    else:
        env |= {"_TYPER_COMPLETE_ARGS": "istc show "}
    if shell == "fish":
        env["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    text = _answer(env)
    if shell == "zsh":  # the eval'd _arguments spec, its colons escaped as Typer did
        assert text.startswith("_arguments '*: :((") and text.endswith("))'")
        text = text[len("_arguments '*: :((") : -len("))'")].replace("\\\\:", ":")
        text = "\n".join(line.strip('"') for line in text.split("\n"))
    assert "member:alpha" in text.split() and "Alpha" in text.split()
    for bad in ("$", "`", ";", "*", "'", '"', "\\", "!", "&", "|", "(", "{", "#", "~", "<", " "):
        assert bad not in text, bad


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("istc show member:al", ["words", "alpha"]),  # after bash's word break
        ("istc --data=", ["files"]),
        ("istc export sqlite ", ["files"]),
        ("istc export ", ["words", "sqlite", "datapackage"]),
        ("istc --show-completion ", ["words", "bash", "zsh", "fish"]),
        ("istc members --fields=name,rol", ["words", "name,roles", "name,roles_locators"]),
        ("istc show $(touch x)", ["words"]),  # the shell would read something else
        ("istc show a; istc show ", ["words"]),
    ],
)
def test_bash_answers(line: str, expected: list[str]) -> None:
    env = {completion.VARIABLE: "bash", completion.LINE: line, "ISTC_DATA": str(MINIMAL)}
    answer = _answer(env)
    assert answer.splitlines() == expected


def test_the_data_named_after_the_command_is_the_one_completed() -> None:
    line = f"istc show --data {MINIMAL} al"
    answer = _answer({completion.VARIABLE: "zsh", completion.LINE: line})
    assert "alpha" in answer.splitlines() and "armenia" not in answer


@pytest.mark.parametrize(
    ("line", "breaks", "start", "quote"),
    [
        ("istc show Kyr", completion.BASH_BREAKS, 10, None),
        ("istc show member:ar", completion.BASH_BREAKS, 17, None),
        ('istc show "Kyr', completion.BASH_BREAKS, 11, '"'),
        ("istc show 'a b", completion.BASH_BREAKS, 11, "'"),
        ("istc show a\\:b", completion.BASH_BREAKS, 10, None),
        ("istc show user@h", completion.BASH_BREAKS, 14, None),  # @ stays, as in bash
        ("istc show member:ar", " ", 10, None),
    ],
)
def test_where_readline_starts_the_replaced_text(
    line: str, breaks: str, start: int, quote: str | None
) -> None:
    assert completion.completion_start(line, breaks) == (start, quote)


@functools.cache
def _whole_app() -> Any:
    """The click tree of the whole app, built once."""
    import typer.main

    from istc_cli import cli

    return typer.main.get_command(cli.app)


@pytest.mark.parametrize("shell", completion.SHELLS)
@pytest.mark.parametrize(
    "line",
    [
        "istc show Kaz",
        "istc --data data/istc.yaml show Kaz",
        "istc members --fields=name,rol",
        "istc members --",
        "istc members -",  # -h and --help among them
        "istc export ",
        "istc export sqlite ",
        "istc cite fact",
        "istc sh",
        "istc ",
        "istc -- show Kaz",
        "istc --install-completion show s",  # `show` is the option's value: a command next
        "istc --data",
    ],
)
def test_a_completing_run_answers_as_the_whole_app(
    shell: str, line: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A TAB in a listing command's words is answered from its declarations
    (`listing_completion`), after another command's name with only that command built
    (`cli.app_for`); the answer, as the shell lists it (sorted: click gives `-h` and
    `--help` in an order that changes between processes), is the whole app's, which
    reads $ISTC_DATA from the same environment."""
    monkeypatch.setenv("ISTC_DATA", str(BUNDLED))
    env = {completion.VARIABLE: shell, completion.LINE: line}
    whole = completion.answer(partial(completion.resolve, _whole_app()), {**os.environ, **env})
    assert whole is not None and whole[1] == 0

    def shown(answer: str) -> tuple[str, list[str]]:
        kind, *candidates = answer.split("\n")
        return kind, sorted(candidates)

    assert shown(_answer(env)) == shown(whole[0])
