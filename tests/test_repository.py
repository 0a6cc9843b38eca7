"""A clean repository: a licence that says what pyproject declares, nothing large or
generated in git, and the way to make what is generated written down."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from .conftest import REPO

MAX_TRACKED_BYTES = 1024 * 1024  # 1 MiB: a wheel, a corpus or a database is far more


def _git(*args: str) -> str | None:
    """git's output in the repository, or None outside a git checkout (an sdist)."""
    if shutil.which("git") is None or not (REPO / ".git").exists():
        return None
    ran = subprocess.run(
        ["git", "-C", str(REPO), *args], capture_output=True, text=True, check=False
    )
    return ran.stdout if ran.returncode == 0 else None


def test_the_licence_is_the_mit_licence_pyproject_declares() -> None:
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^license = "MIT"$', pyproject, re.MULTILINE)
    assert re.search(r'^authors = \[\{ name = "istc maintainers" \}\]$', pyproject, re.MULTILINE)
    licence = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License\n")
    assert "Copyright (c) 2026 istc maintainers" in licence
    assert 'THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND' in licence


def test_no_tracked_file_is_over_a_mebibyte() -> None:
    listed = _git("ls-files", "-z")
    if listed is None:
        pytest.skip("not a git checkout")
    sizes = {
        name: (REPO / name).stat().st_size
        for name in listed.split("\0")
        if name and (REPO / name).is_file()
    }
    assert sizes, "git ls-files listed nothing"
    large = {name: size for name, size in sizes.items() if size > MAX_TRACKED_BYTES}
    assert not large, f"tracked files over 1 MiB (build or generate them instead): {large}"


@pytest.mark.parametrize(
    "path",
    [
        "fuzz/corpus-loader/0a1b2c",
        "fuzz/corpus-render/seed-minimal.yaml",
        "crash-0123abcd",
        "dist/istc_cli-1.0-py3-none-any.whl",
        "atheris-2.3.0-cp311-cp311-linux_x86_64.whl",
    ],
)
def test_generated_files_are_ignored(path: str) -> None:
    if _git("rev-parse", "--git-dir") is None:
        pytest.skip("not a git checkout")
    ignored = subprocess.run(
        ["git", "-C", str(REPO), "check-ignore", "--no-index", "-q", path], check=False
    )
    assert ignored.returncode == 0, f"{path} is not ignored by .gitignore"


def test_the_design_says_how_to_install_atheris_and_make_a_corpus() -> None:
    design = (REPO / "docs" / "design.md").read_text(encoding="utf-8")
    assert "pip install atheris" in design
    assert "fuzz/corpus-*/" in design  # where a corpus goes, and that git ignores it
    for harness in sorted((REPO / "fuzz").glob("fuzz_*.py")):
        assert f"python fuzz/{harness.name} fuzz/corpus-" in design, harness.name
