"""Panels: one record (`about`, a single result) and `show`'s profile of an entity."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from .. import model
from ..field_types import field_names
from ..model import views
from ..queries import Result
from ..rows import (
    OutputOptions,
    display_rows,
    record_source,
    rows_of,
    source_label,
)
from .cells import (
    cell,
    dot,
    figure_text,
    panel_box,
    shown,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from rich.panel import Panel


def build_panel(
    result: Result, fields: tuple[str, ...], options: OutputOptions, console: Console
) -> RenderableType:
    from rich.panel import Panel

    record = result.records[0]
    if isinstance(record, views.About) and set(fields) == set(field_names(views.About)):
        return about_compact(result, record, console)
    if isinstance(record, views.Profile) and "records" in fields:
        return profile_panels(result, record, options, console)
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    row = rows_of(result, fields)[0]
    displayed = display_rows(result, fields)[0]
    for name in fields:
        if row[name] not in (None, [], ""):
            grid.add_row(name.replace("_", " "), cell(displayed[name], console))
    if options.sources:
        grid.add_row("source", cell(record_source(result, record, fields), console))
    return Panel(grid, title=Text(shown(result.title, console), style="bold"), expand=False)


# ---------------------------------------------------------------- footnotes


class Notes:
    """Footnote numbers for the documents behind the facts a panel shows: one per
    source and place (and one more where a fact is worked out from it rather than
    stated), numbered in the order first cited, listed under the panel. A compact
    panel numbers each source once and lists the places it cites in it."""

    def __init__(self, result: Result, *, compact: bool = False) -> None:
        self.result = result
        self.compact = compact
        self.numbers: dict[tuple[str, str | None, bool], int] = {}
        self.places: dict[int, list[str]] = {}

    def number(self, credit: model.Credit) -> int:
        place = None if self.compact else credit.locator
        n = self.numbers.setdefault((credit.source, place, credit.derived), len(self.numbers) + 1)
        places = self.places.setdefault(n, [])
        if self.compact and credit.locator and credit.locator not in places:
            places.append(credit.locator)
        return n

    def mark(self, credits: Iterable[model.Credit]) -> str:
        """' [1, 3]' for the stated facts among `credits` ('' for none), then each other
        account a conflict keeps: '; another account of since: 2014 [4]'."""
        credits = list(credits)
        numbers = sorted({self.number(c) for c in credits if not c.conflict})
        text = f" [{', '.join(map(str, numbers))}]" if numbers else ""
        for c in credits:
            if c.conflict:
                what = c.field.replace("_", " ")
                text += f"; another account of {what}: {c.value} [{self.number(c)}]"
        return text

    def mark_items(self, items: tuple[str, ...], credits: list[model.Credit]) -> str:
        """A list, joined by commas, marked as a whole where one set of notes covers
        every item, else item by item (credits by `position`, from 1)."""
        marks = [self.mark(c for c in credits if c.position == i) for i in range(1, len(items) + 1)]
        whole = [c for c in credits if c.position is None]
        if len(set(marks)) == 1:
            return ", ".join(items) + self.mark([*credits])
        return ", ".join(f"{v}{m}" for v, m in zip(items, marks, strict=True)) + self.mark(whole)

    def legend(self, console: Console) -> Text:
        """The notes, a line each: '[1] What is the ISTC (2018-09), Organization'."""
        legend = Text(style="dim")
        for (source, locator, derived), n in self.numbers.items():
            line = f"[{n}] {source_label(self.result, source)}"
            places = [locator] if locator else self.places.get(n, [])
            line += (", " if locator else ": ") + "; ".join(places) if places else ""
            line += " (worked out from it, not stated)" if derived else ""
            legend.append(("\n" if n > 1 else "") + shown(line, console))
        return legend


def _value(credit: model.Credit) -> str:
    """A credited value as people read it: an amount or a count with its thousands
    separated ('1,200,000,000'), anything else as it is."""
    number = model.FIELD_ROLES.get(credit.field) == model.FieldRole.NUMBER
    digits = credit.value.isascii() and credit.value.isdigit()
    return f"{int(credit.value):,}" if number and digits else credit.value


def facts_grid(credits: tuple[model.Credit, ...], notes: Notes, console: Console) -> Table:
    """A record's facts, a field a line, each value marked with its sources' notes: a
    list item by item where its items have sources of their own."""
    grid = _facts_grid()
    for name in dict.fromkeys(c.field for c in credits):
        mine = [c for c in credits if c.field == name]
        stated = [c for c in mine if not c.conflict]
        if len({notes.number(c) for c in stated}) > 1 and all(c.position for c in stated):
            value = ", ".join(f"{_value(c)}{notes.mark([c])}" for c in stated)
            value += notes.mark(c for c in mine if c.conflict)
        else:
            value = "; ".join(_value(c) for c in stated) + notes.mark(mine)
        grid.add_row(name.replace("_", " "), Text(shown(value.strip(), console)))
    return grid


# ---------------------------------------------------------------- show: a profile


def _section_title(section: str) -> str:
    """A section's title as its record class declares it (`section_title`); `show`
    names the organisation's section after its command, `about`."""
    from ..field_types import sections

    titles = {name: str(getattr(cls, "section_title", "")) for name, cls, _ in sections()}
    title = titles.get("organization" if section == "about" else section)
    return title or section.replace("_", " ").capitalize()


def profile_panels(
    result: Result, profile: views.Profile, options: OutputOptions, console: Console
) -> RenderableType:
    """A panel per matched entity, its related records grouped by section."""
    from rich.panel import Panel

    if not profile.matches or profile.ambiguous:
        return Group()  # the notice on stderr says what matched, or did not
    panels: list[RenderableType] = []
    for match in profile.matches:
        notes = Notes(result)
        facts = tuple(c for c in profile.facts if c.record == match.id)
        mine = [r for r in profile.records if r.match == match.id]
        body: list[RenderableType] = []
        if facts:  # the entity's own facts stand for its own record
            body += [_section("Facts"), facts_grid(facts, notes, console)]
            mine = [r for r in mine if not (r.relation == "self" and r.id == match.id)]
        if profile.at is not None:
            body += _standing_at(profile, match.id, notes, console)
        sections = list(dict.fromkeys(r.section for r in mine))
        for section in sections:
            body.append(_section(_section_title(section)))
            grid = Table.grid(padding=(0, 1))
            grid.add_column(no_wrap=True, style="dim")
            grid.add_column(overflow="fold")
            for row in (r for r in mine if r.section == section):
                line = Text(shown(_related_line(row), console))
                where = f"{row.id}{dot(console)}{source_label(result, row.source)}"
                if row.locator:
                    where += f", {row.locator}"
                read = _accessed(result, row)
                if read:
                    where += f"{dot(console)}accessed {read}"
                if row.relation == "cites":
                    where += f" (cites it as {row.field})"
                line.append("\n" + shown(where, console), style="dim")
                grid.add_row(shown(row.relation, console), line)
            body.append(grid)
        if not mine:
            body.append(Text("No related records."))
        if notes.numbers:
            body += [Text(""), notes.legend(console)]
        title = f"{match.name} ({match.section}: {match.id})"
        panels.append(
            Panel(
                Group(*body),
                title=Text(shown(title, console), style="bold"),
                box=panel_box(console),
            )
        )
    panels.append(Text(shown(result.caption, console), style="dim"))
    return Group(*panels)


# ---------------------------------------------------------------- the about dashboard


def _standing_at(
    profile: views.Profile, record: str, notes: Notes, console: Console
) -> list[RenderableType]:
    """`show NAME --at DATE`: the entity's standing then, and each piece of evidence it
    rests on with its date and its document's note (as `members --at` gives them)."""
    found = [s for s in profile.standings if s.record == record]
    if not found:
        return [_section(f"At {profile.at}"), Text("No standing: only a party, an office "
                                                   "or an officer has one.")]  # fmt: skip
    out: list[RenderableType] = []
    for standing in found:
        out.append(_section(f"At {profile.at}: {standing.standing}"))
        grid = _facts_grid()
        for e in standing.evidence:
            credit = model.Credit(record=record, field=e.fact, value=e.date, source=e.source,
                                  locator=e.locator, derived=e.derived)  # fmt: skip
            what = f"{e.fact}: {e.note}" if e.note else e.fact
            grid.add_row(e.date, Text(shown(what + notes.mark([credit]), console)))
        if not standing.evidence:
            grid.add_row("", Text("no dated evidence"))
        out.append(grid)
    return out


def _related_line(row: views.ShowRecord) -> str:
    """A related record as a line: its date (a source without one says so), and what
    it says; a figure by its name and its value as people write it."""
    when = row.date or ("undated" if row.section == "sources" else "")
    what = row.text
    if row.amount is not None:
        what = f"{row.name}: {row.amount}" + ("" if row.text == row.name else f". {row.text}")
    return f"{when} {what}" if when else what


def _accessed(result: Result, row: views.ShowRecord) -> str | None:
    """The day a related source's page was read: shown labelled, never as its date."""
    if row.section != "sources":
        return None
    source = result.sources.get(row.id)
    return source.accessed if source is not None else None


def _section(title: str) -> Text:
    return Text(title, style="bold underline")


def _facts_grid() -> Table:
    """Two columns: a bold label, and its value folding over as many lines as it needs."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    return grid


_HEADQUARTERS = views.About.lines["headquarters"]
_ESTABLISHED = views.About.lines["established"]


def _behind(
    about: views.About, names: tuple[str, ...], figures: int | None = None
) -> list[model.Credit]:
    """The facts behind the overview's fields `names` (the first `figures` headline
    figures only, where a line shows no more)."""
    return [
        c
        for c in about.facts
        if c.field in names
        and not (c.field == "headline_figures" and figures and (c.position or 0) > figures)
    ]


def _joined(*parts: str | None) -> str:
    """The parts a record gives, joined by commas (a dataset of your own may give few)."""
    return ", ".join(p for p in parts if p)


def _headquarters(about: views.About) -> str:
    hq = ", ".join(p for p in (about.headquarters, about.headquarters_country) if p)
    return f"{hq}, since {about.headquarters_since}" if about.headquarters_since else hq


def about_compact(result: Result, about: views.About, console: Console) -> Panel:
    """The overview that fits an 80 by 24 terminal; `istc about --full` shows the rest."""
    from rich.panel import Panel

    width = min(console.width, 100)
    notes = Notes(result, compact=True)
    grid = _facts_grid()
    hq = _headquarters(about)
    if about.previous_headquarters:
        hq += f"; before: {'; '.join(about.previous_headquarters)}"
    figures = "; ".join(
        f"{figure_text(f)} ({f.name[0].lower()}{f.name[1:]})" for f in about.headline_figures[:2]
    )
    began = f"operations began {about.operations_began}" if about.operations_began else ""
    rows = (
        ("What", _joined(about.kind, about.status), ("kind", "status")),
        (
            "Established",
            "; ".join(p for p in (_joined(about.established, about.established_place), began) if p),
            (*_ESTABLISHED, "operations_began"),
        ),
        ("Headquarters", hq, _HEADQUARTERS),
        (f"Parties ({about.parties})", ", ".join(about.party_names), ("party_names",)),
        ("Not known then", ", ".join(about.unknown_parties + about.unknown_offices), ()),
        ("Permanent Board", ", ".join(about.permanent_board_members), ("board_members",)),
        ("Branch offices", ", ".join(about.branch_offices), ("branch_offices",)),
        (f"Figures, {about.figures_as_of or 'undated'}", figures, ("headline_figures",)),
    )
    for label, value, names in rows:
        if value:
            credits = _behind(about, names, figures=2)
            grid.add_row(label, Text(shown(value + notes.mark(credits), console)))
    footer = Text(
        shown(
            f"Dataset {about.dataset_version or '(no version)'}, sources to "
            f"{about.latest_source_date or 'an unknown date'}. More: istc about --full.",
            console,
        ),
        style="dim",
    )
    title = f"{about.acronym}: {about.name}" if about.acronym else about.name
    return Panel(
        Group(grid, notes.legend(console), footer),
        title=Text(shown(title, console), style="bold"),
        width=width,
        box=panel_box(console),
    )


def about_dashboard(result: Result, about: views.About, console: Console) -> Panel:
    from rich.panel import Panel

    width = min(console.width, 100)
    notes = Notes(result)

    def marked(value: str, *names: str, position: int | None = None) -> Text:
        credits = [c for c in _behind(about, names) if position is None or c.position == position]
        return Text(shown(value + notes.mark(credits), console))

    facts = _facts_grid()
    hq = _headquarters(about)
    for label, value, names in (
        ("Kind", _joined(about.kind, about.status), ("kind", "status")),
        (
            "Established",
            _joined(about.established, about.established_place, about.established_how),
            _ESTABLISHED,
        ),
        ("Operations began", about.operations_began or "", ("operations_began",)),
        ("Headquarters", hq, _HEADQUARTERS),
        ("Before", "; ".join(about.previous_headquarters), ("previous_headquarters",)),
        ("Sister center", about.sister_center or "", ("sister_center",)),
        ("Activities", "; ".join(about.activity_categories), ("activity_categories",)),
        ("Reach", about.associations or "", ("associations",)),
        ("Publishes", ", ".join(about.publications), ("publications",)),
    ):
        if value:
            facts.add_row(label, marked(value, *names))

    figures = Table.grid(padding=(0, 2))
    figures.add_column(justify="right", no_wrap=True, style="bold")
    figures.add_column(overflow="fold")
    for i, fig in enumerate(about.headline_figures, start=1):
        as_of = f" (as of {fig.as_of})" if fig.as_of else ""
        figures.add_row(
            Text(shown(figure_text(fig), console)),
            marked(f"{fig.name}{as_of}", "headline_figures", position=i),
        )

    roles = Table.grid(padding=(0, 2))
    roles.add_column(style="bold", no_wrap=True)
    roles.add_column(overflow="fold")
    for label, names, field in (
        (f"Parties ({about.parties})", about.party_names, "party_names"),
        ("Not known then", about.unknown_parties, "unknown_parties"),
        ("Founders", about.founders, "founders"),
        ("Permanent Board", about.board_members, "board_members"),
        ("Branch-office hosts", about.office_hosts, "office_hosts"),
        ("Former parties", about.former_parties, "former_parties"),
    ):
        if names:
            text = notes.mark_items(names, _behind(about, (field,)))
            roles.add_row(label, Text(shown(text, console)))

    offices = marked(f"{about.headquarters} (headquarters)", "headquarters")
    for i, office in enumerate(about.branch_offices, start=1):
        offices.append(dot(console))
        offices.append_text(marked(office, "branch_offices", position=i))

    primary = [s for s in result.sources.values() if s.kind == "primary"]
    named = "; ".join(source_label(result, s.id) for s in primary)
    others = about.source_count - len(primary)
    cited = f"{named}, and {others} more (istc sources)" if named and others else named
    footer = Text(
        shown(
            f"Headline figures as of {about.figures_as_of or 'unknown'}; newest source "
            f"dated {about.latest_source_date or 'unknown'}; latest event recorded "
            f"{about.latest_event_date or 'unknown'}. Sources: "
            + (cited or f"{about.source_count} (istc sources)")
            + f". Dataset {about.dataset_version or '(no version)'}: {about.dataset_path}",
            console,
        ),
        style="dim",
    )
    parts: list[RenderableType] = [facts, Text("")]
    for heading, part, shows in (
        ("Headline figures", figures, about.headline_figures),
        ("Members by role", roles, about.party_names or about.founders or about.former_parties),
        ("Offices", offices, about.headquarters not in views.NO_CITY or about.branch_offices),
    ):
        if shows:  # a dataset of your own may have no figures, parties or offices
            parts += [_section(heading), part, Text("")]
    body = Group(*parts, notes.legend(console), footer)
    title = f"{about.acronym}: {about.name}" if about.acronym else about.name
    return Panel(
        body, title=Text(shown(title, console), style="bold"), width=width, box=panel_box(console)
    )


def build_full_about(result: Result, console: Console) -> RenderableType:
    record = result.records[0]
    assert isinstance(record, views.About)
    return about_dashboard(result, record, console)
