"""Terminal output of the analysts' commands (tables, profiles, an article with its tags in context)."""
from __future__ import annotations

import re

from rich.console import Console
from rich.markup import escape
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from store.filters import Filters
from store.search import highlight_spans, parse_search

MODALITY_STYLE = {"alleged": "bold red", "prohibition": "yellow", "denied": "green"}
STATUS_STYLE = {"pending": "bold", "confirmed": "bold red", "dismissed": "dim"}
MATCH_STYLE = "bold black on yellow"
EVIDENCE_MAX = 320
WIDE = 110          # narrower terminals (and pipes, 80 columns) get one block per row instead of a table


def plain(value) -> str:
    return escape(str(value)) if value is not None else "-"


def highlighter(filters: Filters | None) -> re.Pattern | None:
    """What to highlight in evidence: the full-text search terms and the official's name."""
    parts = []
    if filters and filters.text:
        pattern = parse_search(filters.text).highlighter()
        if pattern is not None:
            parts.append(pattern.pattern)
    if filters and filters.official:
        words = [re.escape(w) for w in re.findall(r"[^\W_]+", filters.official)]
        if words:
            parts.append(r"(?<![^\W_])" + r"[\W_]+".join(words) + r"(?![^\W_])")
    return re.compile("|".join(parts), re.I) if parts else None


def evidence(sentence: str, pattern: re.Pattern | None, limit: int = EVIDENCE_MAX) -> Text:
    """The sentence with matches highlighted, shortened around the first match if it is long."""
    sentence = " ".join(sentence.split())
    spans = highlight_spans(sentence, pattern)
    start = 0
    if len(sentence) > limit:
        first = spans[0][0] if spans else 0
        start = max(0, min(first - limit // 3, len(sentence) - limit))
        sentence = ("…" if start else "") + sentence[start:start + limit] + ("…" if start + limit < len(sentence) else "")
        shift = 1 if start else 0
        spans = [(s - start + shift, e - start + shift) for s, e in spans if s >= start and e <= start + limit]
    text = Text(sentence)
    for s, e in spans:
        text.stylize(MATCH_STYLE, s, e)
    return text


def _date(value) -> str:
    return value.strftime("%Y-%m-%d") if value else "-"


def _region(row: dict) -> str:
    return ", ".join(x for x in (row.get("regency"), row.get("province")) if x) or "-"


def print_flag_table(console: Console, rows: list[dict], filters: Filters | None = None) -> None:
    if not rows:
        console.print("No flags match these filters.")
        return
    pattern = highlighter(filters)
    if console.width < WIDE:
        _print_flag_cards(console, rows, pattern)
        return
    table = Table(show_lines=True, expand=True)
    for name, kw in (("Flag", {"justify": "right", "no_wrap": True}), ("Published", {"no_wrap": True}),
                     ("Outlet · region", {"max_width": 24}), ("Roles", {"max_width": 12}),
                     ("Breach", {"max_width": 24}), ("Status", {"max_width": 14}),
                     ("Evidence", {"ratio": 1, "min_width": 40})):
        table.add_column(name, **kw)
    for r in rows:
        status = Text(r["status"], style=STATUS_STYLE.get(r["status"], ""))
        if r.get("reviewer"):
            status.append(f"\n{r['reviewer']}", style="dim")
        breach = Text(r["category"]) + Text(f"\n{r['modality']}", style=MODALITY_STYLE.get(r["modality"], ""))
        where = Text(r["outlet"] or r["source"] or "-") + Text(f"\n{_region(r)}", style="dim")
        table.add_row(str(r["flag_id"]), _date(r["published_at"]), where, ", ".join(r["roles"]) or "-", breach,
                      status, evidence(r["sentence"], pattern))
    console.print(table)


def _print_flag_cards(console: Console, rows: list[dict], pattern: re.Pattern | None) -> None:
    """The same rows for a narrow terminal: a line of facts, then the evidence."""
    for r in rows:
        head = Text(f"#{r['flag_id']}", style="bold")
        head.append(f"  {_date(r['published_at'])}  {r['outlet'] or r['source'] or '-'} · {_region(r)}  ")
        head.append(f"{', '.join(r['roles']) or '-'}  ")
        head.append(f"{r['category']}/{r['modality']}", style=MODALITY_STYLE.get(r["modality"], ""))
        head.append(f"  [{r['status']}" + (f" by {r['reviewer']}" if r.get("reviewer") else "") + "]",
                    style=STATUS_STYLE.get(r["status"], ""))
        console.print(head)
        console.print(Padding(evidence(r["sentence"], pattern), (0, 0, 0, 4)))


def print_article_table(console: Console, rows: list[dict], filters: Filters | None = None) -> None:
    if not rows:
        console.print("No articles match these filters.")
        return
    pattern = highlighter(filters)
    table = Table(show_lines=True, expand=True)
    for name, kw in (("Article", {"justify": "right", "no_wrap": True}), ("Published", {"no_wrap": True}),
                     ("Outlet · region", {"max_width": 24}), ("Type", {"max_width": 12}),
                     ("Roles", {"max_width": 14}), ("Flags", {"justify": "right"}),
                     ("Title", {"ratio": 1, "min_width": 30})):
        table.add_column(name, **kw)
    for r in rows:
        where = Text(r["outlet"] or r["source"] or "-") + Text(f"\n{_region(r)}", style="dim")
        flags = f"{r['flags']}" + (f" ({r['alleged_flags']} alleged)" if r["alleged_flags"] else "")
        table.add_row(str(r["article_id"]), _date(r["published_at"]), where, r["article_type"],
                      ", ".join(r["roles"]) or "-", flags, evidence(r["title"] or "(no title)", pattern))
    console.print(table)


def print_review_article(console: Console, data: dict, *, focus: int | None = None) -> None:
    """An article with every flag in its context, the officials, and each flag's decisions."""
    text = data["text"]
    console.print(f"[bold]Article #{data['id']}[/] {plain(data['title'])}")
    console.print(f"  URL        {plain(data['url'])}")
    console.print(f"  Outlet     {plain(data['outlet'])}   Region  {plain(_region(data))}")
    console.print(f"  Published  {plain(data['published_at'])}   Fetched {plain(data['fetched_at'])}")
    console.print(f"  Type       {data['article_type']}   Roles {', '.join(data['roles']) or '-'}")
    if data["officials"]:
        console.print("  Officials  " + "; ".join(f"{escape(o['name'])} ({escape(o['title'])})"
                                                  for o in data["officials"]))
    if data.get("accused"):
        console.print(f"  Accused    {escape('; '.join(data['accused']))}")
    mentions = data.get("mentions", [])
    console.print()
    if not data["flags_detail"]:
        console.print("  No flags on this article.")
    for f in data["flags_detail"]:
        marker = "▶ " if f["flag_id"] == focus else "  "
        head = Text(f"{marker}Flag #{f['flag_id']} ", style="bold")
        head.append(f"{f['category']} ({f['modality']})", style=MODALITY_STYLE.get(f["modality"], ""))
        trail = data["decisions"].get(f["fingerprint"], [])
        status = trail[-1]["decision"] if trail else "pending"
        head.append(f"  [{status}]", style=STATUS_STYLE.get(status, ""))
        if f.get("subject"):
            head.append(f"  subject: {f['subject']}", style="dim")
        head.append(f"  tagger {f['tagger_version']}", style="dim")
        console.print(head)
        console.print(Padding(_in_context(text, f["start"], f["end"], mentions), (0, 0, 0, 6)))
        for r in trail:
            console.print(Padding(f"{r['decided_at'][:16].replace('T', ' ')} UTC  [bold]{r['decision']}[/] by "
                                  f"{plain(r['reviewer'])}: {plain(r['note'])}", (0, 0, 0, 6)))
        console.print()
    if data.get("detached_decisions"):
        console.print("[bold]Decisions on statements the current tags no longer flag[/] (kept):")
        for r in data["detached_decisions"]:
            console.print(f"  {r['decided_at'][:16].replace('T', ' ')} UTC  {r['category']} {r['decision']} by "
                          f"{plain(r['reviewer'])}: {plain(r['note'])}")
            console.print(Text(f"    “{' '.join(r['sentence'].split())}”", style="dim"))


def _in_context(text: str, start: int, end: int, mentions: list[dict], width: int = 160) -> Text:
    """The flagged sentence (bold) with some text around it; role and name mentions underlined."""
    lo, hi = max(0, start - width), min(len(text), end + width)
    lo = text.rfind(" ", 0, lo) + 1 if lo else 0
    out = Text("…" if lo else "")
    base = len(out)
    out.append(text[lo:hi].replace("\n", " "))
    if hi < len(text):
        out.append("…")
    out.stylize("bold", base + start - lo, base + end - lo)
    for m in mentions:
        if lo <= m["start"] and m["end"] <= hi:
            out.stylize("underline cyan", base + m["start"] - lo, base + m["end"] - lo)
    return out


def print_history(console: Console, flag, trail) -> None:
    console.print(f"[bold]Flag #{flag.id}[/] {flag.category} ({flag.modality}) on article #{flag.article_id}")
    console.print(Text(f"  “{' '.join(flag.sentence.split())}”", style="dim"))
    if not trail:
        console.print("  No decisions yet (pending).")
        return
    for r in trail:
        console.print(f"  #{r.id}  {r.decided_at:%Y-%m-%d %H:%M} UTC  {r.decision:<9} by {plain(r.reviewer)}: "
                      f"{plain(r.note)}  [dim](tagger {r.tagger_version or '?'})[/]")


def print_people(console: Console, people: list[dict]) -> None:
    if not people:
        console.print("No officials found.")
        return
    table = Table()
    for name in ("Person", "Name", "Latest title", "Articles", "Last seen"):
        table.add_column(name)
    for p in people:
        table.add_row(str(p["person_id"]), p["name"], p["latest_title"] or "-", str(p["articles"]),
                      _date(p["last_seen"]))
    console.print(table)


def print_profile(console: Console, person) -> None:
    console.print(f"[bold]{escape(person.name)}[/]  [dim](person #{person.person_id}; printed as: "
                  f"{escape(', '.join(person.names_as_printed))})[/]")
    console.print("  Titles over time")
    for t in person.titles:
        span = _date(t.first) if _date(t.first) == _date(t.last) else f"{_date(t.first)} … {_date(t.last)}"
        console.print(f"    {span:<25} {escape(t.title)}  [dim]({t.articles} article{'s' * (t.articles != 1)})[/]")
    console.print(f"  Allegations ({len(person.allegations)})")
    for a in person.allegations:
        console.print(f"    flag #{a['flag_id']}  {_date(a['published_at'])}  {a['category']}  [{a['status']}]  "
                      f"{plain(a['outlet'])}  [dim](named in the {a['basis']})[/]")
        console.print(Padding(Text(" ".join(a["sentence"].split())[:EVIDENCE_MAX], style="dim"), (0, 0, 0, 6)))
    console.print(f"  Articles ({len(person.articles)} shown)")
    for a in person.articles:
        console.print(f"    #{a['article_id']}  {_date(a['published_at'])}  {plain(a['outlet'])}  "
                      f"{plain(a['title'])}")
    console.print()


def print_stats(console: Console, result: dict[str, list[dict]]) -> None:
    for dim, rows in result.items():
        table = Table(title=f"By {dim}", title_justify="left")
        keys = ["province", "regency"] if dim == "region" else [dim]
        for k in keys:
            table.add_column(k.capitalize())
        for k in ("articles", "flags", "alleged", "pending", "confirmed", "dismissed"):
            table.add_column(k.capitalize(), justify="right")
        for r in rows:
            table.add_row(*[str(r[k]) for k in keys],
                          *[str(r[k]) for k in ("articles", "flags", "alleged", "pending", "confirmed", "dismissed")])
        if not rows:
            table.add_row(*(["-"] * (len(keys) + 6)))
        console.print(table)
