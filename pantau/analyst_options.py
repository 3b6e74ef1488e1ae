"""The options the analysts' commands share: the filters (given to a command as one `Filters`), paging, format."""
import functools
import inspect
from typing import Annotated, Optional

import typer

from pantau.options import fail
from store.date_bounds import parse_when
from store.filters import Filters
from store.limits import MAX_ID

LIMIT = Annotated[int, typer.Option("--limit", "-n", min=1, max=MAX_ID, help="How many rows.")]
OFFSET = Annotated[int, typer.Option("--offset", min=0, max=MAX_ID, help="Skip this many rows (next page).")]
FORMAT = Annotated[str, typer.Option("--format", "-f", help="table, csv or jsonl.")]
SORT = Annotated[str, typer.Option("--sort", help="newest, oldest, fetched or relevance (with --text).")]

_MANY = Optional[list[str]]
_FILTER_OPTIONS = {
    "text": (Optional[str], typer.Option("--text", "-t", help='Full-text search: words, "a phrase", prefix*, '
                                         "a OR b, -excluded.")),
    "role": (_MANY, typer.Option("--role", "-r", help="Role code (ASN, KADES, KPPS, ...); repeat for any of.")),
    "category": (_MANY, typer.Option("--category", "-c", help="Breach category (campaign_participation, ...).")),
    "modality": (_MANY, typer.Option("--modality", "-m", help="alleged, prohibition or denied.")),
    "article_type": (_MANY, typer.Option("--type", help="Article type: allegation, sanction, advisory, other.")),
    "official": (Optional[str], typer.Option("--official", help="Articles naming this person (any part "
                                             "of the name).")),
    "outlet": (_MANY, typer.Option("--outlet", help="Outlet or source name.")),
    "province": (_MANY, typer.Option("--province", "-p", help="Province, e.g. 'Jawa Barat'.")),
    "regency": (_MANY, typer.Option("--regency", help="Regency or city, e.g. 'Kota Cimahi'.")),
    "since": (Optional[str], typer.Option("--since", help="Published on or after: YYYY-MM-DD, YYYY-MM, today, "
                                          "7d, 2w (dates in WIB).")),
    "until": (Optional[str], typer.Option("--until", help="Published up to and including this day/month.")),
    "fetched_since": (Optional[str], typer.Option("--fetched-since", help="Fetched on or after.")),
    "fetched_until": (Optional[str], typer.Option("--fetched-until", help="Fetched up to and including.")),
    "status": (_MANY, typer.Option("--status", "-s", help="Review status: pending, confirmed, dismissed, "
                                   "needs_more (the desk's 'check further'), reviewed (any decision).")),
    "article": (Optional[list[int]], typer.Option("--article", min=1, max=MAX_ID, help="Only this article id (repeatable).")),
}


def with_filters(fn):
    """Add the shared filter options to a command; it receives them as one `filters: Filters`."""
    sig = inspect.signature(fn)
    extra = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None,
                               annotation=Annotated[kind, option])
             for name, (kind, option) in _FILTER_OPTIONS.items()]
    params = [p for p in sig.parameters.values() if p.name != "filters"] + extra

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        raw = {name: kwargs.pop(name, None) for name in _FILTER_OPTIONS}
        try:
            filters = build_filters(**raw)
        except ValueError as exc:
            raise fail(str(exc), 2)
        return fn(*args, filters=filters, **kwargs)

    wrapper.__signature__ = sig.replace(parameters=params)
    del wrapper.__wrapped__
    return wrapper


def build_filters(*, text=None, role=None, category=None, modality=None, article_type=None, official=None,
                  outlet=None, province=None, regency=None, since=None, until=None, fetched_since=None,
                  fetched_until=None, status=None, article=None) -> Filters:
    return Filters(text=text, roles=role or [], categories=category or [], modalities=modality or [],
                   article_types=article_type or [], official=official, outlets=outlet or [],
                   provinces=province or [], regencies=regency or [],
                   published_since=parse_when(since) if since else None,
                   published_until=parse_when(until, end=True) if until else None,
                   fetched_since=parse_when(fetched_since) if fetched_since else None,
                   fetched_until=parse_when(fetched_until, end=True) if fetched_until else None,
                   statuses=status or [], article_ids=article or []).normalised()
