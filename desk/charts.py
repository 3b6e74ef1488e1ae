"""The dashboard's figures: alleged flags per week by category and by province, top outlets, and the review
backlog per week, all under the same filters as the queue (store.filters)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from store.conditions import flag_conditions
from store.joins import alleged_decision_join
from store.resolve import resolve
from store.tables import ARTICLE, FLAG
from store.date_bounds import WIB
from store.queries import week_start

CHARTS = ("category", "province", "outlet", "backlog")
DEFAULT_WEEKS = 12          # without a date filter: the 12 weeks up to the newest stored article
BACKLOG = ("pending", "needs_more", "confirmed", "dismissed")


def dashboard(session: Session, filters) -> dict:
    """{"weeks": [...], "category": {name: [n per week]}, "province": {...}, "outlet": [(name, n)],
    "backlog": {status: [n per week]}, "since": ..., "until": ...}. Without since/until the window is the
    DEFAULT_WEEKS weeks up to the newest article: weekly bars stay readable, and the page stays fast on a
    database of years."""
    if filters.published_since is None and filters.published_until is None:
        newest = session.execute(select(func.max(ARTICLE.c.published_at))).scalar()
        if newest is not None:
            filters = replace(filters, published_since=newest - timedelta(weeks=DEFAULT_WEEKS),
                              published_until=newest + timedelta(seconds=1))
    filters = replace(filters, modalities=filters.modalities or ["alleged"])
    res = resolve(session, filters)
    a, f = ARTICLE, FLAG
    week = week_start(res.dialect).label("week")
    lr, on_decision = alleged_decision_join(f)
    alleged = flag_conditions(res)          # on SQLite these walk the date index, not the modality one
    base = select().select_from(f).join(a, a.c.id == f.c.article_id).outerjoin(lr, on_decision)
    province = func.coalesce(a.c.province, "(no province)")
    status = func.coalesce(lr.c.decision, "pending")
    # One pass for the three weekly charts (grouped finely here, summed per chart below).
    grouped = session.execute(base.add_columns(week, f.c.category, province, status, func.count())
                              .where(*alleged).group_by(week, f.c.category, province, status)).all()
    by = {name: defaultdict(int) for name in ("category", "province", "backlog")}
    for w, category, prov, stat, n in grouped:
        by["category"][(w, category)] += n
        by["province"][(w, prov)] += n
        by["backlog"][(w, stat)] += n
    outlet = func.coalesce(a.c.outlet, a.c.source, "(unknown)")
    outlets = session.execute(base.add_columns(outlet.label("key"), func.count().label("n"),
                                               func.sum(case((lr.c.decision.is_(None), 1), else_=0)))
                              .where(*alleged).group_by(outlet)
                              .order_by(func.count().desc(), outlet).limit(15)).all()
    weeks = sorted({w for w, _k in by["category"]})
    until = filters.published_until - timedelta(seconds=1) if filters.published_until else None   # exclusive bound
    shown = [d.astimezone(WIB) if d else None for d in (filters.published_since, until)]
    out = {"weeks": weeks, "since": shown[0], "until": shown[1]}         # as dates in WIB
    for name, counts in by.items():
        series: dict[str, list[int]] = defaultdict(lambda: [0] * len(weeks))
        for (w, key), n in counts.items():
            series[key][weeks.index(w)] += n
        ordered = sorted(series.items(), key=lambda kv: (-sum(kv[1]), kv[0]))
        if name == "backlog":
            ordered = [(s, series[s]) for s in BACKLOG if s in series]
        out[name] = dict(ordered)
    out["outlet"] = [{"outlet": k, "alleged": n, "pending": p or 0} for k, n, p in outlets]
    return out


def rows_of(data: dict, chart: str) -> tuple[tuple[str, ...], list[dict]]:
    """One chart as table rows (the page's tables and the CSV export)."""
    if chart == "outlet":
        return ("outlet", "alleged", "pending"), data["outlet"]
    series = data[chart]
    columns = ("week", *series)
    return columns, [{"week": w, **{k: v[i] for k, v in series.items()}} for i, w in enumerate(data["weeks"])]
