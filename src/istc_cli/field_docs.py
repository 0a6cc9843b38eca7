"""What every field means: the one field documentation.

docs/formats.md's table of JSON fields is generated from it (`python -m istc_cli.docs fields`,
and a test holds the table to it), and so are the column descriptions of the SQLite
and Data Package exports and the descriptions in `istc schema`. A field's meaning is
the same in every record that has it, unless a record type says otherwise here.
"""

from __future__ import annotations

from dataclasses import fields

from . import model

GENERAL = {
    "id": "the record's stable id, unique across the dataset",
    "source": "the id of the source that states the record (see `istc sources`)",
    "see_also": "further sources that confirm or refine the record",
    "note": "a note on the record",
    "note_source": "the source of `note`, when another source states it",
    "notes": "notes other documents state, each with its own source and place: "
    "`{text, source, locator, derived, derived_from}`",
    "events": "dated events that place the record in time, each a claim of a kind (signed, "
    "in-force, accession, notice, withdrawal, appointment, term, extension, absence, "
    "attendance, role, opened, closed) with its source: `{kind, date, until, months, role, "
    "meeting, source, locator, decision, derived, derived_from, note}` (docs/dataset.md)",
    "decisions": "the fields their document announces for a later date (a decision, not an "
    "attestation)",
    "joined_from": "the documents a worked-out `joined` rests on",
    "left_from": "the documents a worked-out `left` rests on",
    "status_from": "the documents a worked-out `status` rests on",
    "since_from": "the documents a worked-out `since` rests on",
    "until_from": "the documents a worked-out `until` rests on",
    "genre": "what kind of document: fact sheet, press release, board statement, news "
    "article, legal act, government release, report or web page",
    "derived_from": "every further document a worked-out fact rests on",
    "remark": "our own remark on what the sources leave open; not a claim of any document",
    "iso2": "the ISO 3166-1 alpha-2 code (none for the European Union, which ISO 3166-1 does "
    "not assign one)",
    "iso3": "the ISO 3166-1 alpha-3 code",
    "wikidata": "the Wikidata item (Q...), as a published table or page gives it; none where "
    "no page does",
    "ids_source": "the table that gives `iso2`, `iso3` and `wikidata`",
    "ids_locator": "the table's row",
    "wikidata_source": "the table that gives `wikidata`",
    "wikidata_locator": "the table's row",
    "meeting": "the number of the Board meeting whose statement reports it",
    "format": "`in person`, `hybrid` or `online`, where the statement says",
    "chair": "the officer id of who chaired, where the statement says",
    "attended": "the parties the statement names as attending, by party id",
    "attended_scope": "`all` when the statement names every party attending, `board` when "
    "only those represented on the Board",
    "attended_count": "how many parties attended, where the statement counts them",
    "rotating_seat": "the party holding the rotating CIS seat, by party id",
    "approved_projects": "new projects approved at the meeting",
    "approved_usd": "their funding in US dollars, as stated (never converted)",
    "approved_eur": "their funding in euros, as stated (never converted)",
    "partner_projects": "partner projects the statement reports",
    "partner_usd": "partner funding in US dollars, as stated",
    "partner_eur": "partner funding in euros, as stated",
    "date_from": "the documents a worked-out `date` rests on",
    "decision": "true when the document announces the fact for a later date",
    "locator": "where in a primary source: a fact-sheet heading or a press-release paragraph",
    "name": "the name",
    "aliases": "other names the record goes by",
    "kind": "the kind of record",
    "status": "`current` or `former`",
    "date": "the date, at the precision the source gives (YYYY, YYYY-MM or YYYY-MM-DD)",
    "since": "from when, where a source states it",
    "until": "until when, where a source states it",
    "as_of": "the date the value holds as of",
    "text": "the text, in our own words",
    "title": "the title",
    "city": "the city",
    "country": "the country",
    "part": "which part",
    "area": "which area",
    "role": "the role",
    "roles": "the roles",
    "value": "the number, exact (US$569.4 million is 569400000)",
    "unit": "what the number counts (USD, ECU, proposals, scientists...)",
    "qualifier": "`over`, `approximately` or `nearly`, as the source qualifies the number",
    "url": "the web address (http or https)",
    "publisher": "who published it",
    "accessed": "when the web page was read",
    "title_kind": (
        "`own`: the document's own title; `descriptive`: ours, for a document without one"
    ),
    "joined": "when it joined, where a source states it",
    "joined_source": "the source of `joined`",
    "left": "when it left, where a source states it",
    "left_source": "the source of `left`",
    "event": "what happened",
    "by": "who says it",
    "against": "whom it is directed against",
    "number": "the meeting's number",
    "place": "where it was held",
    "summary": "what the source reports of it",
    "party": "the party the person represents, where a source states it",
    "term": "the abbreviation",
    "stands_for": "what it stands for",
    "source_spelling": "the source's own spelling, where the dataset corrects it",
    "acronym": "the acronym",
    "headquarters": "the headquarters city",
    "agreement_signed": "when its agreement was signed",
    "signatories": "who signed its agreement",
    "section": "the command that lists the record, or `about`",
    "record": "the record's name, date or id",
    "field": "the field",
    "query": "what was asked",
    "ambiguous": "true when the name fits several different entities",
    "matches": "the entities matched, each with its id, section and name",
    "records": "every related record",
    "match": "the id of the matched entity the record relates to",
    "relation": "`self`, `located-in`, `mentions` or `cites`",
    "derived": "the fields whose values are worked out from what their source says, not stated",
    "conflicts": (
        "other documents' accounts that disagree with a field, each with its `field`, "
        "`value`, `source`, `locator` and `note`"
    ),
    "attested": "dates a source shows it holding (a party, an open office, in office)",
    "absent": "dates a source's full list of parties leaves it out",
    "measure": "what the figure measures, shared by the same measure's values at other dates",
    "at": "the date asked (`--at`)",
    "standing": (
        "at the date asked: it held (`party`, `open`, `in-office`), `unknown` (the "
        "sources cannot decide), or it did not (`not-party`, `closed`, `not-in-office`)"
    ),
    "evidence": (
        "the dated facts the standing rests on, each with its `fact`, `date`, `source`, "
        "`locator`, `derived` and `note`"
    ),
    "unknown_parties": "with --at: parties whose standing at that date the sources leave open",
    "unknown_offices": "with --at: headquarters the sources cannot place at that date, or "
    "each of those held within it (the month of a move)",
    "facts": (
        "each fact shown with the document that states it: its `record`, `field`, "
        "`position`, `value`, `source`, `locator`, `derived` and `conflict`"
    ),
    "position": "for one item of a list, its place, from 1",
    "conflict": "true for another document's account that disagrees with the record's own",
}

# The statement convention (`model.stated_by`): a field named after another says where
# that one is stated.
_CONVENTION = (
    ("_sources", "the source of each item of `{}`, in order, where another source states it"),
    ("_source", "the source of `{}`, when another source states it"),
    ("_locators", "where its source states each item of `{}`, in order"),
    ("_locator", "where its source states `{}`"),
    ("_qualifier", "the qualifier of `{}` as the statement words it (over, more than, nearly...)"),
    ("_from", "the documents a worked-out `{}` rests on"),
)

SPECIFIC = {
    ("Member", "name"): "the party's name",
    ("Member", "kind"): "state or international organization",
    ("Member", "status"): "`current` or `former` party",
    ("Member", "roles"): (
        "`party`, `founder`, `board` (a permanent Governing Board member), `office-host` "
        "(hosts a branch office), `hq-host` (hosts the headquarters)"
    ),
    ("Office", "kind"): "`headquarters` or `branch`",
    ("Office", "status"): "`current`, or `former` (listed by `offices --all`)",
    ("Event", "date"): "when, at the precision the source gives",
    ("Figure", "id"): "the figure's id",
    ("Figure", "name"): "what the figure counts",
    ("Initiative", "status"): "`approved` or `in-development`",
    ("MissionItem", "part"): "`vision`, `mission` or `objective`",
    ("StrategyItem", "area"): "`future`, `outreach`, `eu-cbrn-coe`, `region` or `engagement`",
    ("Statement", "part"): "`background`, `accusation`, `context` or `rebuttal`",
    ("Officer", "role"): (
        "`board-chair`, `alternate-board-chair`, `executive-director`, "
        "`acting-executive-director` or `deputy-executive-director`"
    ),
    ("Source", "id"): "the source's id, which records cite",
    ("Source", "kind"): "`primary` (the two ISTC documents) or `research` (outside pages)",
    ("Source", "date"): "the document's own date",
    ("Source", "as_of"): "the date its facts hold as of",
    ("Source", "note"): "a note on the source",
    ("SearchHit", "text"): "the whole matching text",
    ("SearchHit", "source"): "the source of the field shown",
    ("SearchHit", "id"): "the id of the record hit",
    ("SearchHit", "locator"): "the place in that source, where it has places",
    ("ShowRecord", "id"): "the related record's id",
    ("ShowRecord", "field"): "the field that makes the relation",
    ("ShowRecord", "text"): "the record's text, or the field that names the entity",
    ("ShowRecord", "source"): "the source of that field",
    ("ShowRecord", "amount"): (
        "a related figure's value as people write it (`over US$1.2 billion`); null for "
        "other records"
    ),
    ("ShowMatch", "id"): "the matched entity's id",
    ("ShowMatch", "section"): "the section that lists it",
    ("About", "parties"): "how many current parties",
    ("About", "party_names"): "the current parties",
    ("About", "founders"): "the founders",
    ("About", "board_members"): "the permanent Governing Board members",
    ("About", "permanent_board_members"): "the permanent Governing Board members",
    ("About", "office_hosts"): "the parties that host a branch office",
    ("About", "former_parties"): "the former parties",
    ("About", "former_parties_sources"): "the source of what shows each party former",
    ("About", "headquarters"): (
        "the headquarters city (`unknown` where the sources cannot place it; with --at,"
        " `none` where each headquarters is known not to hold then)"
    ),
    ("About", "branch_offices"): "the branch offices, with their countries",
    ("About", "headquarters_country"): "the headquarters' country",
    ("About", "signatories"): "with --at: parties that had signed, with nothing yet in force "
    "for them",
    ("About", "headquarters_since"): "since when the headquarters is there",
    ("About", "headquarters_source"): "the source of the headquarters facts",
    ("About", "previous_headquarters"): "earlier headquarters, with their dates",
    ("About", "sister_center"): "the sister center, the STCU in Kyiv",
    ("About", "sister_center_source"): "the source of the sister-center facts",
    ("About", "headline_figures"): "the organisation's own source's dated figures",
    ("About", "figures_as_of"): "the date the headline figures hold as of",
    ("About", "data_as_of"): (
        "the newest date any source holds as of (as `latest_source_date`); not a date "
        "the data were checked"
    ),
    ("About", "latest_source_date"): "the newest date any source holds as of",
    ("About", "latest_event_date"): "the date of the latest event recorded",
    ("About", "dataset_version"): "the dataset's version",
    ("About", "source_count"): "how many sources the dataset cites",
    ("About", "dataset_path"): "the dataset file in use",
    ("About", "id"): "the organisation's id",
    ("About", "kind"): "the kind of organisation",
    ("About", "status"): "its legal status",
    ("About", "facts"): (
        "the facts behind each field, each with the `record` that holds it, the `field` "
        "it is shown as, its item's `position`, `value`, `source`, `locator`, `derived` "
        "and `conflict`"
    ),
    ("Profile", "facts"): (
        "each matched entity's facts, each with its `record`, `field`, item `position`, "
        "`value`, `source`, `locator`, `derived` and `conflict`"
    ),
    ("Credit", "record"): "the id of the record that holds the fact",
    ("Profile", "standings"): (
        "with --at: each matched party's, office's or officer's `standing` then, with its "
        "`evidence` (as `members --at` gives them)"
    ),
    ("StandingAt", "record"): "the id of the party, office or officer",
    ("Credit", "field"): "the field shown: the record's own (`show`) or the overview's (`about`)",
    ("Credit", "value"): "the value stated, as text (a list's items joined by '; ')",
    ("Credit", "source"): "the id of the source that states it",
    ("Credit", "derived"): "true when worked out from what the source says, not stated",
    ("Series", "measure"): "what the series measures (a figure's `measure`, or "
    "`board-approved-projects` and `board-approved-funding` for what each Board meeting "
    "approved)",
    ("Series", "unit"): "the one unit of every value in the series (a measure stated in two "
    "units is two series)",
    ("Series", "points"): "its values in date order, each with its `date`, `value`, "
    "`qualifier`, `source`, `locator`, `figure` and `meeting`",
    ("SeriesPoint", "measure"): "what the series measures (a figure's `measure`, or "
    "`board-approved-projects` and `board-approved-funding` for what each Board meeting "
    "approved)",
    ("SeriesPoint", "unit"): "the one unit of the series",
    ("SeriesPoint", "date"): "the date the value holds as of (a meeting's date for its approvals)",
    ("SeriesPoint", "figure"): "the id of the figure; null for a meeting's approvals",
    ("SeriesPoint", "meeting"): "the number of the Board meeting whose statement states it",
    ("Change", "kind"): "`party`, `office`, `officer`, `meeting` or `series`",
    ("Change", "subject"): "the id of the party, office, officer or meeting; a series' measure",
    ("Change", "name"): "its name (an officer's with the role, a meeting as `Board N`, a "
    "series' measure with its unit)",
    ("Change", "what"): "what changed: `joined`, `left`, `opened`, `closed`, `took-office`, "
    "`left-office`, `signed` or `standing` (a standing that differs at the two dates); a "
    "dated claim in between by its fact (`notice`, `withdrawal`, `term-end`...); `held` and "
    "a meeting's decisions; `values` (or `value`) for a series",
    ("Change", "before"): "the standing at `--from`, or a series' first value in between",
    ("Change", "after"): "the standing at `--to`, a series' last value, what a meeting did, "
    "or the note of a claim",
    ("Change", "date"): "when: the date of the claim that dates the change",
    ("Change", "source"): "the id of the source that states the change (for a standing, "
    "the claim that dates it; for a series, its last value)",
    ("Change", "locator"): "where in that source",
    ("Change", "before_source"): "the source of `before` (the evidence of the standing at "
    "`--from`, a series' first value)",
    ("Change", "worked_out"): "true when the claim is worked out from what its documents say, "
    "not stated",
    ("Change", "first"): "a series' first value in between, exact",
    ("Change", "last"): "a series' last value in between, exact",
    ("Change", "difference"): "`last` minus `first`, in the series' one unit (null beyond "
    "what a number holds)",
    ("Change", "unit"): "a series' unit",
    ("Change", "summary"): "the change in words, as tables show it",
    ("Attendance", "meeting"): "the meeting's number",
    ("Attendance", "date"): "the meeting's date, where a source gives it",
    ("Attendance", "party"): "the party's id",
    ("Attendance", "name"): "the party's name",
    ("Attendance", "code"): "a short label for the party (its ISO 3166-1 alpha-3 code; EU for "
    "the European Union)",
    ("Attendance", "status"): "`attended`; `rotating-seat` (named only as holding the "
    "rotating seat); `not-listed` (the statement names every party attending, not this "
    "one); `not-listed-on-board` (it names only those on the Board); `not-named` (it names "
    "some, without saying the list is whole); `no-list` (it names none); `not-party` (not "
    "named, and not a party then, as `--at` gives it)",
    ("Attendance", "source"): "the id of the source that states the meeting's attendance",
    ("Attendance", "locator"): "where in that source",
}

_ORGANISATION = {
    "established": "when it was established",
    "established_place": "where it was established",
    "established_how": "how it was established",
    "operations_began": "when its operations began",
    "activity_categories": "the two broad categories of its activities",
    "publications": "what it publishes",
    "associations": "its reach: involvement and associations with countries",
    "coordinates_efforts_of": "whose efforts it coordinates",
    "purpose": "what it was established for",
    "mission_since_2015": "its mission since the 2015 renewal",
}


def describe(cls: type, name: str) -> str:
    """What the field `name` of record type `cls` means."""
    key = (cls.__name__, name)
    known = SPECIFIC.get(key) or _ORGANISATION.get(name) or GENERAL.get(name)
    if known:
        return known
    for suffix, sentence in _CONVENTION:
        if name.endswith(suffix):
            return sentence.format(name[: -len(suffix)])
    return ""


def undocumented(commands: list[tuple[str, type]]) -> list[str]:
    """Fields of the commands' records that have no description (a test keeps this empty)."""
    missing = []
    for _, record_type in commands:
        for cls in _record_types(record_type):
            for f in fields(cls):
                if not describe(cls, f.name):
                    missing.append(f"{cls.__name__}.{f.name}")
    return sorted(set(missing))


def _record_types(cls: type) -> list[type]:
    from .model import views  # not on the export's path, which also describes fields

    found = [cls]
    for f in fields(cls):
        for candidate in (model.Figure, views.ShowMatch, views.ShowRecord, model.Credit):
            if candidate.__name__ in str(f.type) and candidate not in found:
                found.append(candidate)
    return found


def markdown_table(commands: list[tuple[str, type]]) -> str:
    """The table of JSON fields in docs/formats.md, generated from the descriptions above."""
    from .field_types import fields_of

    lines = ["| command | fields |", "| --- | --- |"]
    listed: dict[type, str] = {}
    for name, record_type in commands:
        parts = []
        # A record that extends one listed above (`members --at`) names only what it adds.
        base = next((b for b in listed if issubclass(record_type, b)), None)
        inherited = {f.name for f in fields(base)} if base else set()
        for f in fields_of(record_type):
            if f.name in inherited:
                continue
            mark = "?" if f.type.nullable else ""
            parts.append(f"`{f.name}{mark}` ({describe(record_type, f.name)})")
        lead = f"every field of `{listed[base]}`, and " if base else ""
        lines.append(f"| `{name}` | {lead}" + ", ".join(parts).replace("|", "\\|") + " |")
        listed.setdefault(record_type, name)
    return "\n".join(lines) + "\n"
