"""Human-readable output of an article and its tags (the JSON contract is in store.articles)."""
from __future__ import annotations

import textwrap

from rich.console import Console
from rich.markup import escape

MODALITY_STYLE = {"alleged": "bold red", "prohibition": "yellow", "denied": "green"}


def print_article(console: Console, data: dict, *, status: str | None = None, full_text: bool = False) -> None:
    head = f"[bold]#{data['id']}[/] {escape(data['title'] or '(no title)')}"
    if status:
        head += f"  [dim]({status})[/]"
    console.print(head)
    console.print(f"  URL        {escape(data['url'])}")
    console.print(f"  Outlet     {escape(data['outlet'] or '-')}")
    region = ", ".join(v for v in (data.get("regency"), data.get("province")) if v)
    if region:
        console.print(f"  Region     {escape(region)}")
    console.print(f"  Published  {data['published_at'] or '-'}")
    console.print(f"  Author     {escape(data['author'] or '-')}")
    console.print(f"  Type       {data['article_type']}{'' if data['relevant'] else '  (not about neutrality)'}")
    console.print(f"  Roles      {', '.join(data['roles']) or '-'}")
    if data["officials"]:
        console.print("  Officials")
        for o in data["officials"]:
            console.print(f"    - {escape(o['name'])} — {escape(o['title'])}")
    if data.get("accused"):
        console.print(f"  Accused    {escape('; '.join(data['accused']))}")
    if data["flags"]:
        console.print("  Flags      (decide with `pantau review confirm|dismiss ID --note ...`)")
        for f in data["flags"]:
            style = MODALITY_STYLE.get(f["modality"], "")
            sentence = textwrap.shorten(f["sentence"], 160, placeholder=" …")
            console.print(f"    - #{f['flag_id']} [{style}]{f['category']} ({f['modality']})[/]: {escape(sentence)}")
    text = data["text"]
    if not full_text:
        text = textwrap.shorten(text.replace("\n", " ¶ "), 400, placeholder=" …")
    console.print("  Text")
    console.print(textwrap.indent(escape(text), "    "), soft_wrap=True)
