"""Did-you-mean suggestions, shared by the validator, option checks and search."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable


def closest(word: str, options: Iterable[str], *, cutoff: float = 0.6) -> list[str]:
    """The options closest to `word`, best first (case-insensitive)."""
    import difflib

    if len(word) > 200:  # difflib is quadratic: a huge word is close to nothing
        return []
    by_lower: dict[str, str] = {}
    for option in options:
        by_lower.setdefault(option.lower(), option)
    hits = difflib.get_close_matches(word.lower(), list(by_lower), n=3, cutoff=cutoff)
    return [by_lower[h] for h in hits]


def did_you_mean(word: str, options: Iterable[str]) -> str:
    """' Did you mean 'x'?' or an empty string."""
    from .safe_text import quote

    hits = closest(word, options)
    return f" Did you mean {quote(hits[0])}?" if hits else ""
