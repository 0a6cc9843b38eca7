"""The overview `istc about` shows: what the ISTC is, where, since when, its parties,
offices and headline figures, each line with the documents behind it; today, or at a
date (`--at`), as the one function of `model.time` answers it."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from . import model
from .queries import Result, headquarters, make_result


def about(ds: model.Dataset, *, path: str, at: str | None = None) -> Result:
    from .model import views  # made for this command only

    org = ds.organization
    seats = headquarters(ds)
    figures: tuple[model.Figure, ...] = ds.figures
    seats_then: list[Any] = []
    unknown_parties: tuple[str, ...] = ()
    unknown_offices: tuple[str, ...] = ()
    signatories: tuple[str, ...] = ()
    held: dict[int, tuple[Any, ...]] = {}  # with --at: the evidence of each standing
    if at is None:
        seat = next((o for o in seats if o.status == "current"), None)
        current = [m for m in ds.members if m.status == "current"]
        former = [m for m in ds.members if m.status == "former"]
        board = tuple(m.name for m in current if "board" in m.roles)
        hosts = tuple(m.name for m in current if "office-host" in m.roles)
        branches = tuple(o for o in ds.offices if o.kind == "branch" and o.status == "current")
        earlier = [o for o in seats if o.status == "former"]
    else:  # what held then, as the one function answers for every view
        from .model import time

        moment = time.at(ds, at)
        held = {id(s.record): s.evidence for s in (*moment.members, *moment.offices)}
        found = moment.seat
        seat = found.record if found else None
        current = [s.record for s in moment.members if s.word == "party"]
        former = [
            s.record
            for s in moment.members
            if s.word == "not-party" and moment.began_before(s.record)
        ]
        unknown_parties = tuple(s.record.name for s in moment.members if s.word == "unknown")
        signatories = tuple(s.record.name for s in moment.members if s.word == "signatory")
        board = tuple(s.record.name for s in moment.members if "board" in s.roles)
        hosts = tuple(s.record.name for s in moment.members if "office-host" in s.roles)
        seats_then = [s for s in moment.offices if s.record.kind == "headquarters"]
        held_then = [s.record.city for s in seats_then if s.holds]
        unknown_offices = tuple(  # and, in the month of a move, each seat held within it
            s.record.city
            for s in seats_then
            if s.word == "unknown" or (s.holds and len(held_then) > 1)
        )
        earlier = [
            s.record for s in seats_then if s.word == "closed" and moment.began_before(s.record)
        ]
        branches = tuple(s.record for s in moment.offices if s.record.kind == "branch" and s.holds)
        known = [f for f in ds.figures if f.as_of and time.compare(f.as_of, at) in "<="]
        figures = tuple(sorted(known, key=lambda f: f.as_of or "", reverse=True))
    dated = [e.date for e in ds.history]
    # The headline figures are the organisation's own source's dated figures (the fact
    # sheet's, as of December 2017), never mixed with other documents' counts.
    own = tuple(f for f in figures if f.as_of and f.source == org.source)
    headline = (own or tuple(f for f in figures if f.as_of) or figures)[:4]
    figures_as_of = [f.as_of for f in headline if f.as_of]
    source_dates = [d for s in ds.sources if (d := s.date)]
    latest_source = max(source_dates, key=_date_key) if source_dates else None
    sister = org.sister_center
    later = _stated_later(ds, org, at) if at else frozenset()

    def then(name: str, value: Any, empty: Any) -> Any:
        """A fact of the organisation, or `empty` when it is first stated for a later
        date than the one asked."""
        return empty if name in later else value

    if seat is not None:
        hq_city = seat.city
    elif seats_then and all(s.word == "closed" for s in seats_then):
        hq_city = views.NO_HEADQUARTERS  # each known not to hold then (not yet, or closed)
    else:
        hq_city = views.UNKNOWN_HEADQUARTERS
    # with no seat then, what places none: each headquarters' evidence of not holding
    unheld = tuple(s.record for s in seats_then) if hq_city == views.NO_HEADQUARTERS else ()
    facts = _about_facts(org, seat, earlier, current, former, board, hosts, branches,
                         headline, held, later, unheld)  # fmt: skip
    # each former party's source is that of the first fact that shows it former (its
    # standing, or at a date the evidence of it), not the source of its whole record
    first: dict[int, str] = {}
    for fact in facts:
        if fact.field == "former_parties" and fact.position is not None and fact.source:
            first.setdefault(fact.position, fact.source)
    record = views.About(
        name=org.name,
        acronym=org.acronym,
        kind=then("kind", org.kind or "", ""),
        status=then("status", org.status or "", ""),
        established=org.established,
        established_place=org.established_place,
        established_how=org.established_how,
        operations_began=org.operations_began,
        activity_categories=then("activity_categories", org.activity_categories, ()),
        publications=then("publications", org.publications, ()),
        associations=then("associations", org.associations, None),
        headquarters=hq_city,
        headquarters_country=seat.country if seat else "",
        headquarters_since=seat.since if seat else None,
        previous_headquarters=tuple(
            f"{h.city} ({h.since} to {h.until})" if h.since else f"{h.city} (until {h.until})"
            for h in earlier
        ),
        parties=len(current),
        party_names=tuple(m.name for m in current),
        founders=org.founders,
        board_members=board,
        office_hosts=hosts,
        former_parties=tuple(_former(m) for m in former),
        branch_offices=tuple(f"{o.city} ({o.country})" for o in branches),
        sister_center=f"{sister.name} ({sister.acronym}), {sister.headquarters}"
        if sister and "sister_center" not in later
        else None,
        headline_figures=headline,
        figures_as_of=max(figures_as_of) if figures_as_of else None,
        data_as_of=latest_source,
        dataset_version=ds.meta.version,
        source_count=len(ds.sources),
        dataset_path=path,
        source=org.source,
        see_also=org.see_also,
        permanent_board_members=board,
        coordinates_efforts_of=org.coordinates_efforts_of,
        purpose=org.purpose,
        mission_since_2015=then("mission_since_2015", org.mission_since_2015, None),
        headquarters_source=seat.source if seat else None,
        sister_center_source=sister.source if sister and "sister_center" not in later else None,
        former_parties_sources=tuple(
            first.get(i, m.source) for i, m in enumerate(former, start=1)
        ),
        latest_source_date=latest_source,
        latest_event_date=max(dated) if dated else None,
        id=org.id,
        locator=org.locator,
        at=at,
        unknown_parties=unknown_parties,
        unknown_offices=unknown_offices,
        signatories=signatories,
        facts=facts,
    )  # fmt: skip
    title = f"{org.name} at {at}" if at else org.name
    return make_result(ds, "about", views.About, [record], title)


def _stated_later(ds: model.Dataset, org: model.Organization, at: str) -> frozenset[str]:
    """The organisation's facts first stated for a later date than `at`: those whose
    every document is dated after it (or that hold from a later date), and that are not
    about the founding. `about --at` leaves them out."""
    from .model import time

    by_id = {s.id: s for s in ds.sources}
    dates: dict[str, list[str]] = {}
    for fact in model.facts(org):
        source = by_id.get(fact.source)
        when = org.holds_from.get(fact.field) or (source and (source.as_of or source.date))
        dates.setdefault(fact.field, []).append(when or "")
    if org.sister_center is not None:
        source = by_id.get(org.sister_center.source)
        dates["sister_center"] = [org.sister_center.agreement_signed or ""]
    return frozenset(
        name
        for name, found in dates.items()
        if name not in org.founding and all(d and time.compare(d, at) == ">" for d in found)
    )


def _date_key(date: str) -> tuple[str, int]:
    """Partial dates in order, a finer one after the coarser it falls in."""
    return (date, len(date))


def _about_facts(
    org: model.Organization,
    seat: model.Office | None,
    earlier: list[model.Office],
    current: list[model.Member],
    former: list[model.Member],
    board: tuple[str, ...],
    hosts: tuple[str, ...],
    branches: tuple[model.Office, ...],
    headline: tuple[model.Figure, ...],
    held: dict[int, tuple[Any, ...]],
    later: frozenset[str],
    unheld: tuple[model.Office, ...] = (),
) -> tuple[model.Credit, ...]:
    """The facts behind each field of the overview, each with the document that states
    it: the organisation's own, and those of the records the overview gathers (the seat,
    each party, office and figure), item by item. At a date (`held`: each record's
    standing then, by record), what places a seat, a party or an office is the evidence
    of its standing."""
    from .model import views

    credit = model.credits_of
    out: list[model.Credit] = []

    def placed(record: Any, name: str, shown_as: str, position: int | None = None) -> None:
        """Credit field `name` of `record`, or at a date the evidence of its standing."""
        if id(record) not in held:
            out.extend(credit(record, name, shown_as=shown_as, position=position))
            return
        rid = str(getattr(record, "id", "") or "")
        for e in held[id(record)]:
            text = f"{e.fact} {e.date}" if e.date else e.fact
            out.append(
                model.Credit(
                    record=rid,
                    field=shown_as,
                    position=position,
                    value=text,
                    source=e.source,
                    locator=e.locator,
                    derived=e.derived,
                    derived_from=e.derived_from,
                    decision=e.decision,
                )
            )

    own = {f.name for f in fields(model.Organization)}  # the overview's fields it shares
    shared = [f.name for f in fields(views.About) if f.name in own and f.name not in later]
    out += [c for name in shared for c in credit(org, name)]
    for office in unheld:  # `none`: no headquarters held at the date, by their evidence
        placed(office, "city", "headquarters")
    if seat is not None:
        placed(seat, "city", "headquarters")
        out += credit(seat, "country", shown_as="headquarters_country")
        out += credit(seat, "since", shown_as="headquarters_since")
    for i, hq in enumerate(earlier, start=1):
        for name in ("since", "until"):
            out += credit(hq, name, shown_as="previous_headquarters", position=i)
    for i, member in enumerate(current, start=1):
        placed(member, "status", "party_names", i)
    by_name = {m.name: m for m in current}
    for shown_as, names, role in (
        ("board_members", board, "board"),
        ("office_hosts", hosts, "office-host"),
    ):
        for i, name in enumerate(names, start=1):
            out += _role_credits(by_name[name], role, shown_as, i, bool(held))
    for i, member in enumerate(former, start=1):
        placed(member, "status", "former_parties", i)
        if id(member) not in held:
            out += credit(member, "left", shown_as="former_parties", position=i)
    for i, office in enumerate(branches, start=1):
        placed(office, "city", "branch_offices", i)
    if org.sister_center is not None and "sister_center" not in later:
        out += credit(org.sister_center, "name", shown_as="sister_center")
    for i, figure in enumerate(headline, start=1):
        out += credit(figure, "value", shown_as="headline_figures", position=i)
    return tuple(out)


def _role_credits(
    member: model.Member, role: str, shown_as: str, position: int, dated: bool
) -> tuple[model.Credit, ...]:
    """What gives `member` its `role`: at a date, the dated role claim (a `role` event)
    where one gives it, else today's roles list."""
    events = [e for e in member.events if e.kind == "role" and e.role == role]
    if dated and events:
        index = member.events.index(events[0])
        return model.credits_of(member, "events", index=index, shown_as=shown_as, position=position)
    if role not in member.roles:
        return ()
    index = member.roles.index(role)
    return model.credits_of(member, "roles", index=index, shown_as=shown_as, position=position)


def _former(member: model.Member) -> str:
    """'Canada (left 2013-11, derived)': a former party with the date it left, marked
    derived where that date is worked out, not stated; the name alone where none is."""
    if not member.left:
        return member.name
    mark = ", derived" if "left" in member.derived else ""
    return f"{member.name} (left {member.left}{mark})"
