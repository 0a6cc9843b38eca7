"""Panels: one record (`about`, a single result) and `show`'s profile of an entity."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from .. import model
from ..queries import Result
from ..rows import (
    OutputOptions,
    display_rows,
    record_source,
    rows_of,
    source_label,
)
from ..spec import field_names
from .cells import (
    cell,
    dot,
    figure_text,
    panel_box,
    shown,
)

if TYPE_CHECKING:
    from rich.panel import Panel


def build_panel(
    result: Result, fields: tuple[str, ...], options: OutputOptions, console: Console
) -> RenderableType:
    from rich.panel import Panel

    record = result.records[0]
    if isinstance(record, model.About) and set(fields) == set(field_names(model.About)):
        return about_compact(result, record, console)
    if isinstance(record, model.Profile) and "records" in fields:
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


# ---------------------------------------------------------------- show: a profile


_SECTION_TITLES = {
    "about": "The organisation",
    "headquarters": "Headquarters",
    "sister_center": "Sister center",
}


def profile_panels(
    result: Result, profile: model.Profile, options: OutputOptions, console: Console
) -> RenderableType:
    """A panel per matched entity, its related records grouped by section."""
    from rich.panel import Panel

    if not profile.matches or profile.ambiguous:
        return Group()  # the notice on stderr says what matched, or did not
    panels: list[RenderableType] = []
    for match in profile.matches:
        mine = [r for r in profile.records if r.match == match.id]
        body: list[RenderableType] = []
        sections = list(dict.fromkeys(r.section for r in mine))
        for section in sections:
            body.append(_section(_SECTION_TITLES.get(section, section.capitalize())))
            grid = Table.grid(padding=(0, 1))
            grid.add_column(no_wrap=True, style="dim")
            grid.add_column(overflow="fold")
            for row in (r for r in mine if r.section == section):
                when = f"{row.date} " if row.date else ""
                line = Text(shown(f"{when}{row.text}", console))
                where = f"{row.id}{dot(console)}{source_label(result, row.source)}"
                if row.locator:
                    where += f", {row.locator}"
                if row.relation == "cites":
                    where += f" (cites it as {row.field})"
                line.append("\n" + shown(where, console), style="dim")
                grid.add_row(shown(row.relation, console), line)
            body.append(grid)
        if not mine:
            body.append(Text("No related records."))
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


def _section(title: str) -> Text:
    return Text(title, style="bold underline")


def _facts_grid() -> Table:
    """Two columns: a bold label, and its value folding over as many lines as it needs."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    return grid


def _headquarters(about: model.About) -> str:
    hq = ", ".join(p for p in (about.headquarters, about.headquarters_country) if p)
    return f"{hq}, since {about.headquarters_since}" if about.headquarters_since else hq


def about_compact(result: Result, about: model.About, console: Console) -> Panel:
    """The overview that fits an 80 by 24 terminal; `istc about --full` shows the rest."""
    from rich.panel import Panel

    width = min(console.width, 100)
    grid = _facts_grid()
    hq = _headquarters(about)
    if about.previous_headquarters:
        hq += f"; before: {'; '.join(about.previous_headquarters)}"
    figures = "; ".join(
        f"{figure_text(f)} ({f.name[0].lower()}{f.name[1:]})" for f in about.headline_figures[:2]
    )
    rows = (
        ("What", f"{about.kind}, {about.status}"),
        (
            "Established",
            f"{about.established}, {about.established_place}; operations "
            f"began {about.operations_began}",
        ),
        ("Headquarters", hq),
        (f"Parties ({about.parties})", ", ".join(about.party_names)),
        ("Not known then", ", ".join(about.unknown_parties + about.unknown_offices)),
        ("Permanent Board", ", ".join(about.permanent_board_members)),
        ("Branch offices", ", ".join(about.branch_offices)),
        (f"Figures, {about.figures_as_of or 'undated'}", figures),
    )
    for label, value in rows:
        if value:
            grid.add_row(label, Text(shown(value, console)))
    footer = Text(
        shown(
            f"Dataset {about.dataset_version}; newest source dated "
            f"{about.latest_source_date or 'unknown'}. More: istc about --full, "
            "istc members, istc figures, istc sources.",
            console,
        ),
        style="dim",
    )
    title = f"{about.acronym}: {about.name}"
    return Panel(
        Group(grid, Text(""), footer),
        title=Text(shown(title, console), style="bold"),
        width=width,
        box=panel_box(console),
    )


def about_dashboard(result: Result, about: model.About, console: Console) -> Panel:
    from rich.panel import Panel

    width = min(console.width, 100)

    facts = _facts_grid()
    hq = _headquarters(about)
    for label, value in (
        ("Kind", f"{about.kind}, {about.status}"),
        ("Established", f"{about.established}, {about.established_place}, {about.established_how}"),
        ("Operations began", about.operations_began),
        ("Headquarters", hq),
        ("Before", "; ".join(about.previous_headquarters)),
        ("Sister center", about.sister_center or ""),
        ("Activities", "; ".join(about.activity_categories)),
        ("Reach", about.associations or ""),
        ("Publishes", ", ".join(about.publications)),
    ):
        if value:
            facts.add_row(label, Text(shown(value, console)))

    figures = Table.grid(padding=(0, 2))
    figures.add_column(justify="right", no_wrap=True, style="bold")
    figures.add_column(overflow="fold")
    for fig in about.headline_figures:
        as_of = f" (as of {fig.as_of})" if fig.as_of else ""
        figures.add_row(
            Text(shown(figure_text(fig), console)), Text(shown(f"{fig.name}{as_of}", console))
        )

    roles = Table.grid(padding=(0, 2))
    roles.add_column(style="bold", no_wrap=True)
    roles.add_column(overflow="fold")
    for label, names in (
        (f"Parties ({about.parties})", about.party_names),
        ("Not known then", about.unknown_parties),
        ("Founders", about.founders),
        ("Permanent Board", about.board_members),
        ("Branch-office hosts", about.office_hosts),
        ("Former parties", about.former_parties),
    ):
        if names:
            roles.add_row(label, Text(shown(", ".join(names), console)))

    offices = Text(shown(f"{about.headquarters} (headquarters)", console))
    for office in about.branch_offices:
        offices.append(dot(console) + shown(office, console))

    primary = [s for s in result.sources.values() if s.kind == "primary"]
    named = "; ".join(source_label(result, s.id) for s in primary)
    others = about.source_count - len(primary)
    footer = Text(
        shown(
            f"Headline figures as of {about.figures_as_of or 'unknown'}; newest source "
            f"dated {about.latest_source_date or 'unknown'}; latest event recorded "
            f"{about.latest_event_date or 'unknown'}. Sources: {named}"
            + (f", and {others} more (istc sources)." if others else ".")
            + f" Dataset {about.dataset_version}: {about.dataset_path}",
            console,
        ),
        style="dim",
    )
    body = Group(
        facts,
        Text(""),
        _section("Headline figures"),
        figures,
        Text(""),
        _section("Members by role"),
        roles,
        Text(""),
        _section("Offices"),
        offices,
        Text(""),
        footer,
    )
    title = f"{about.acronym}: {about.name}"
    return Panel(
        body, title=Text(shown(title, console), style="bold"), width=width, box=panel_box(console)
    )


def build_full_about(result: Result, console: Console) -> RenderableType:
    record = result.records[0]
    assert isinstance(record, model.About)
    return about_dashboard(result, record, console)
