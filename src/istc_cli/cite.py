"""Citations: CSL-JSON items built once, then written as BibTeX, RIS or formatted text.

One internal form, three writers (house rule): `items` turns sources and records
into CSL-JSON items (the CSL data model: item types, `issued` and `accessed` as
`date-parts`, `URL`); BibTeX and RIS are written from those items; text is produced by
a real CSL processor, citeproc-py, reading the same items with a standard style. The
processor is imported only for `--format text`.

Citing a record cites its source, with the record's locator as the pinpoint
(`section` for a fact-sheet heading, `paragraph` for the press release) and the
record's id in the note, so the reader can find the fact again (`istc show ID`).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from . import model
from .status import ExitStatus

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .context import Context


class UnknownReference(LookupError):
    """A REF that is neither a source id nor a record id."""


@dataclass(frozen=True, slots=True)
class Cited:
    """What one REF cites: a source, and for a record its id and locator."""

    source: model.Source
    record_id: str | None = None
    locator: str | None = None
    own: bool = True  # the record's own source, not one that states one of its facts

    @property
    def key(self) -> str:
        """The item's id: the source's, the record's, or the record's with the source
        that states one of its facts (`member:south-korea/istc-korea`)."""
        if self.record_id is None:
            return self.source.id
        return self.record_id if self.own else f"{self.record_id}/{self.source.id}"


def resolve(ds: model.Dataset, refs: list[str]) -> list[Cited]:
    """The citations REFs ask for, in order, or UnknownReference naming the first bad one."""
    from . import show

    sources = {s.id: s for s in ds.sources}
    records = {show.record_id(r): r for _, r in show.catalogue(ds)}
    out: list[Cited] = []
    for ref in refs:
        if ref in sources:
            out.append(Cited(sources[ref]))
            continue
        record = records.get(ref)
        source_id = getattr(record, "source", None) if record is not None else None
        if record is None or source_id not in sources:
            raise UnknownReference(ref)
        # Every document behind the record's facts, the record's own first, each once
        # with the place of its first fact (`model.facts`).
        places: dict[str, str | None] = {source_id: getattr(record, "locator", None)}
        for fact in model.facts(record):
            if fact.source in sources:
                places.setdefault(fact.source, fact.locator)
        out += [Cited(sources[sid], ref, place, sid == source_id) for sid, place in places.items()]
    return out


def everything(ds: model.Dataset) -> list[Cited]:
    """The whole bibliography: every source."""
    return [Cited(s) for s in ds.sources]


# ---------------------------------------------------------------- CSL-JSON items


def _date_parts(date: str | None) -> dict[str, Any] | None:
    if not date:
        return None
    return {"date-parts": [[int(p) for p in date.split("-")]]}


def _locator(locator: str | None) -> tuple[str, str] | None:
    """(CSL label, value): 'paragraph 3' -> ('paragraph', '3'); a heading is a section."""
    if not locator:
        return None
    match = re.fullmatch(r"paragraphs? ([0-9]+(?:-[0-9]+)?)", locator)
    return ("paragraph", match[1]) if match else ("section", locator)


def _genre(source: model.Source) -> str | None:
    """The source's genre as the dataset gives it, never guessed from its words; a web
    page is the kind a web citation is already, so it goes unsaid."""
    genre = source.genre
    return None if genre in (None, "web page") else genre[0].upper() + genre[1:]


def item(cited: Cited, accessed: str) -> dict[str, Any]:
    """The CSL-JSON item for one citation (a source, or a record of a source)."""
    source = cited.source
    web = bool(source.url)
    data: dict[str, Any] = {
        "id": cited.key,
        "type": "webpage" if web else "document",
        # a title we wrote for a document without one is bracketed, as APA and
        # Chicago bracket a descriptive title, in every format
        "title": f"[{source.title}]" if source.title_kind == "descriptive" else source.title,
        "author": [{"literal": source.publisher}],
    }
    if not web:
        data["publisher"] = source.publisher  # a web page names its site instead
    genre = _genre(source)
    if genre:
        data["genre"] = genre
    if web:
        data["container-title"] = source.publisher
        data["URL"] = source.url
        visited = _date_parts(source.accessed or accessed)
        if visited:  # a dataset of your own may date neither the page's reading nor itself
            data["accessed"] = visited
    issued = _date_parts(source.date)
    if issued:
        data["issued"] = issued
    notes = []
    pinpoint = _locator(cited.locator)
    if pinpoint:
        data["_label"], data["_locator"] = pinpoint  # a cite-item property, not item data
        notes.append(f"{pinpoint[0]}: {pinpoint[1]}")
    if cited.record_id:
        notes.append(f"istc record {cited.record_id} (source {source.id})")
        data["source"] = "istc"
    if notes:
        data["note"] = "; ".join(notes)
    return data


def items(ds: model.Dataset, cited: list[Cited]) -> list[dict[str, Any]]:
    accessed = ds.meta.date or ""
    unique: dict[str, dict[str, Any]] = {}
    for one in cited:
        built = item(one, accessed)
        unique.setdefault(built["id"], built)
    return list(unique.values())


# ---------------------------------------------------------------- writers


# BibTeX counts every brace, escaped or not (`\{` opens a group to BibTeX as to TeX), so
# a brace in a value is never written as a brace: each special character becomes a
# control word whose own braces are balanced. Nothing a value holds can then close a
# field, open an entry or reach TeX as a command.
_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_BIBTEX_TABLE = str.maketrans(_BIBTEX_SPECIAL)


# Line breaks and other spacing controls become one space in a reference's text.
_SPACES = frozenset("\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\u2028\u2029")
_ZWJ = "\u200d"
_PRESENTATION = frozenset("\ufe0e\ufe0f")  # text and emoji presentation selectors
_FLAG = "\U0001f3f4"  # a black flag, which tag characters turn into a region's flag
_TAG_FIRST, _TAG_LAST = "\U000e0020", "\U000e007f"
_FLAG_TAGS = re.compile("[\U000e0030-\U000e0039\U000e0061-\U000e007a]{1,6}\U000e007f")


def _pictograph(char: str) -> bool:
    """An emoji-like symbol (So), or the skin-tone modifier after one (Sk)."""
    import unicodedata

    return ord(char) >= 0x2000 and unicodedata.category(char) in ("So", "Sk")


def reference_text(value: str) -> str:
    """A value as a reference manager should read it: a tab, a newline or another line
    break becomes a space (a run of them one space); the joiners, presentation
    selectors and tags of an emoji sequence stay, so a family or a flag stays one
    symbol; every other control or format character (zero-width spaces, bidirectional
    controls, the rest) is dropped. Nothing is written as escape text."""
    from .safe_text import is_clean, is_unsafe

    if is_clean(value):
        return value
    out: list[str] = []
    last = ""  # the last character kept
    i = 0
    while i < len(value):
        char = value[i]
        i += 1
        if not is_unsafe(char):
            out.append(char)
        elif char in _SPACES:
            if not out or out[-1] != " ":
                out.append(" ")
        elif char == _ZWJ:
            after = value[i : i + 1]
            if (_pictograph(last) or last in _PRESENTATION) and after and _pictograph(after):
                out.append(char)
        elif char in _PRESENTATION:
            if last and (_pictograph(last) or last in "0123456789#*"):
                out.append(char)
        elif _TAG_FIRST <= char <= _TAG_LAST:
            # a subdivision flag: the black flag, one to six tag letters or digits and
            # the cancel tag; any other run of tags is invisible text, dropped whole
            flag = _FLAG_TAGS.match(value, i - 1) if last == _FLAG else None
            if flag:
                out.append(flag.group())
                i = flag.end()
            else:
                while i < len(value) and _TAG_FIRST <= value[i] <= _TAG_LAST:
                    i += 1
                continue
        else:
            continue  # dropped: `last` stays the character before it
        last = out[-1][-1] if out else ""
    return "".join(out)


def bibtex_text(value: str) -> str:
    """A value as BibTeX field text (`reference_text`), every TeX special character
    spelled as a balanced control word."""
    return reference_text(value).translate(_BIBTEX_TABLE)


# A URL keeps the characters RFC 3986 gives a meaning (and its %-escapes); everything
# else, a backslash, a brace, a space of any kind, is %-escaped: safe inside \url{}.
_URL_SAFE = ":/?#[]@!$&'()*+,;=%~-._"


def bibtex_url(url: str) -> str:
    from urllib.parse import quote

    return quote(url, safe=_URL_SAFE)


_KEY_KEPT = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:./-")


def bibtex_key(item_id: str) -> str:
    """A key every BibTeX reader accepts, one to one with the id: letters, digits and
    `: . / -` stay, any other character is written `_<hex>_` (so `_` itself is `_5f_`).
    Distinct ids can never meet in one key."""
    return "".join(c if c in _KEY_KEPT else f"_{ord(c):x}_" for c in item_id) or "_"


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def bibtex_title(title: str) -> str:
    """A title as BibTeX field text whose capitals survive a style's sentence case:
    every word that holds a capital (an acronym, a proper noun) in braces of its own."""
    words = title.split(" ")
    return " ".join(
        "{" + bibtex_text(word) + "}" if any(c.isupper() for c in word) else bibtex_text(word)
        for word in words
    )


def _accessed_day(data: dict[str, Any]) -> tuple[str, str, str] | None:
    """A web page's access date as year, month and day (a month or year alone read as
    its first day, as BibTeX's urldate and RIS's Y2 need all three); None if none is
    known."""
    if "accessed" not in data:
        return None
    y, m, d = (data["accessed"]["date-parts"][0] + [1, 1])[:3]
    return f"{y:04d}", f"{m:02d}", f"{d:02d}"


def to_bibtex(entries: list[dict[str, Any]]) -> str:
    """`@online` for a web page (with its address and when it was read), `@misc` for a
    document (its kind in `howpublished`); the organisation as the author in double
    braces, so no style splits it into a person's names."""
    blocks = []
    for data in entries:
        web = bool(data.get("URL"))
        fields: list[tuple[str, str]] = [
            ("author", "{" + bibtex_text(data["author"][0]["literal"]) + "}"),
            ("title", bibtex_title(data["title"])),
        ]
        parts = (data.get("issued") or {}).get("date-parts", [[]])[0]
        if parts:
            fields.append(("year", str(parts[0])))
        if len(parts) > 1:
            fields.append(("month", _MONTHS[parts[1] - 1]))
        publisher = bibtex_text(data.get("publisher") or data["container-title"])
        fields.append(("organization" if web else "publisher", "{" + publisher + "}"))
        if data.get("genre"):
            fields.append(("howpublished", bibtex_text(data["genre"])))
        if web:
            fields.append(("url", bibtex_url(data["URL"])))
            visited = _accessed_day(data)
            if visited:
                fields.append(("urldate", "-".join(visited)))
        if data.get("note"):
            fields.append(("note", bibtex_text(data["note"])))
        body = ",\n".join(
            f"  {name} = {{{value}}}" if name != "month" else f"  {name} = {value}"
            for name, value in fields
        )
        kind = "online" if web else "misc"
        blocks.append(f"@{kind}{{{bibtex_key(data['id'])},\n{body}\n}}\n")
    return "\n".join(blocks)


def _ris_text(value: str) -> str:
    """A value on one RIS tag line: as BibTeX writes it (`reference_text`), never a
    line break, never escape text."""
    return reference_text(value)


def to_ris(entries: list[dict[str, Any]]) -> str:
    lines: list[str] = []
    for data in entries:
        # ELEC and RPRT are the types Zotero's importer maps to a web page and a report
        # (GEN becomes a journal article); M3 is then the page's or report's kind, never
        # read as a DOI
        lines.append("TY  - " + ("ELEC" if data["type"] == "webpage" else "RPRT"))
        lines.append("ID  - " + _ris_text(data["id"]))
        # An organisation, with the trailing comma of a name that has no given part:
        # Zotero's importer keeps it whole as an institution (it splits at a comma and
        # a name with nothing after it is one field), and pandoc as a family name only.
        lines.append("AU  - " + _ris_text(data["author"][0]["literal"]) + ",")
        lines.append("TI  - " + _ris_text(data["title"]))
        parts = (data.get("issued") or {}).get("date-parts", [[]])[0]
        if parts:
            lines.append(f"PY  - {parts[0]}")
        if len(parts) > 1:  # RIS dates are YYYY/MM/DD/other, empty parts left empty
            day = f"{parts[2]:02d}" if len(parts) > 2 else ""
            lines.append(f"DA  - {parts[0]:04d}/{parts[1]:02d}/{day}/")
        lines.append("PB  - " + _ris_text(data.get("publisher") or data["container-title"]))
        if data.get("genre"):
            lines.append("M3  - " + _ris_text(data["genre"]))
        if data.get("URL"):
            lines.append("UR  - " + _ris_text(data["URL"]))
            visited = _accessed_day(data)
            if visited:
                lines.append("Y2  - " + "/".join(visited))
        if data.get("_locator"):
            lines.append(f"SP  - {_ris_text(data['_label'])} {_ris_text(data['_locator'])}")
        if data.get("note"):
            lines.append("N1  - " + _ris_text(data["note"]))
        lines.append("ER  - ")
        lines.append("")
    return "\r\n".join(lines)


def style_file(style: str) -> str:
    """The CSL file of a style istc offers: shipped beside this module, or (for
    harvard-cite-them-right) bundled with citeproc-py; never a path from outside.
    ValueError for any other name."""
    styles = os.path.join(os.path.dirname(os.path.abspath(__file__)), "styles")
    if f"{style}.csl" in os.listdir(styles):  # the name is one of the shipped files
        return os.path.join(styles, f"{style}.csl")
    if style == "harvard-cite-them-right":
        from citeproc import STYLES_PATH

        return os.path.join(STYLES_PATH, f"{style}.csl")
    raise ValueError(f"no such style: {style}")


_LOCALES = {"harvard-cite-them-right": "en-GB"}
"""Locales a style's published file declares (`default-locale`) but citeproc-py's
bundled copy of it leaves out: Cite Them Right is British, its dates day first."""


def _style_source(style: str) -> Any:
    """The style's XML, read from its file and handed to citeproc-py as bytes, so the
    processor never resolves a name itself; a style that declares a document type (and
    with it entities to expand) is refused."""
    import io

    with open(style_file(style), "rb") as fh:
        xml = fh.read()
    if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:
        raise ValueError(f"style {style} declares entities; it is not read")
    return io.BytesIO(xml)


def _for_style(data: dict[str, Any], style: str) -> dict[str, Any]:
    """An item as `style` should print it: in APA 7, a publisher (or a web page's site)
    that is also the author is left out rather than named twice (Chicago and Harvard
    name it again, after the title)."""
    if style != "apa":
        return data
    author = data["author"][0].get("literal")
    return {
        k: v for k, v in data.items() if not (k in ("publisher", "container-title") and v == author)
    }


_AFTER_QUOTE = re.compile(r"([\u201d\u2019])([.,])")


def _punctuation_in_quotes(text: str) -> str:
    """A period or comma after a closing quote moved inside it, as the locale's
    `punctuation-in-quote` asks (en-US does) and citeproc-py does not do itself:
    "Title." rather than "Title"."""
    return _AFTER_QUOTE.sub(r"\2\1", text)


def to_text(entries: list[dict[str, Any]], style: str) -> str:
    """Formatted references from citeproc-py: for each, the bibliography entry and, for a
    record, the in-text citation with its pinpoint."""
    import warnings

    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        Locator,
        formatter,
    )
    from citeproc.source.json import CiteProcJSON

    from .safe_text import visible

    blocks = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # citeproc-py warns about CSL it does not use
        csl = CitationStylesStyle(_style_source(style), _LOCALES.get(style), validate=False)
        inside = csl.root.get_locale_option("punctuation-in-quote") == "true"
        label = "Note" if csl.root.get("class") == "note" else "In text"
        for data in entries:
            # One bibliography per entry: the style's own sorting cannot reorder them.
            extra = {}
            if data.get("_locator"):
                extra["locator"] = Locator(data["_label"], data["_locator"])
            plain = {k: v for k, v in data.items() if not k.startswith("_")}
            item_data = _for_style(plain, style)
            bibliography = CitationStylesBibliography(
                csl, CiteProcJSON([item_data]), formatter.plain
            )
            citation = Citation([CitationItem(data["id"], **extra)])
            bibliography.register(citation)
            reference = "".join(str(entry) for entry in bibliography.bibliography())
            if inside:
                reference = _punctuation_in_quotes(reference)
            block = visible(reference)
            if data.get("source") == "istc":  # a record: its in-text citation too (only
                # then: the processor takes as long again for each citation it renders)
                in_text = str(bibliography.cite(citation, lambda _item: None)).rstrip(".")
                if inside:
                    in_text = _punctuation_in_quotes(in_text)
                block += f"\n  {label}: {visible(in_text)}. Record: {visible(data['id'])}"
            blocks.append(block + "\n")
    return "\n".join(blocks)


def render(
    ds: model.Dataset, cited: list[Cited], fmt: str, style: str = "apa", *, ascii_only: bool = False
) -> str:
    """The citations in one of CITE_FORMATS, ending in a newline (CSL-JSON in ASCII
    escapes if `ascii_only`)."""
    entries = items(ds, cited)
    if fmt == "csl-json":
        from .output import to_json

        # The pinpoint belongs to a citation, not to the item: it stays in the note.
        plain = [{k: v for k, v in e.items() if not k.startswith("_")} for e in entries]
        return to_json(plain, ascii_only=ascii_only) + "\n"
    if fmt == "bibtex":
        return to_bibtex(entries)
    if fmt == "ris":
        return to_ris(entries)
    return to_text(entries, style)


def run(dataset: model.Dataset, refs: list[str], fmt: str, style: str, context: Context) -> int:
    """The body of `istc cite`: the citations of REFs (none: every source) written to
    the context's stdout; exit 1, with a suggestion, for an unknown REF."""
    from .safe_text import say

    try:
        cited = resolve(dataset, refs) if refs else everything(dataset)
    except UnknownReference as exc:
        from .safe_text import quote
        from .show import catalogue, record_id
        from .suggest import did_you_mean

        known = [record_id(r) for _, r in catalogue(dataset)]
        say(f"unknown reference {quote(str(exc))}.{did_you_mean(str(exc), known)}")
        return ExitStatus.FAILED
    from .output import refuse_unencodable

    text = render(dataset, cited, fmt, style, ascii_only=not context.utf8)
    refuse_unencodable(text, fmt, context)  # BibTeX and RIS: files for reference managers
    context.stdout.write(text)
    context.stdout.flush()
    return ExitStatus.OK
