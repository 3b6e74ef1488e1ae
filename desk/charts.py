"""The dashboard's figures: alleged flags per week by category and by province, top outlets, and the review
backlog per week, all under the same filters as the queue (store.filters)."""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from store.conditions import flag_conditions
from store.joins import alleged_decision_join
from store.resolve import resolve
from store.tables import ARTICLE, FLAG
from store.queries import week_start

CHARTS = ("category", "province", "outlet", "backlog")
BACKLOG = ("pending", "needs_more", "confirmed", "dismissed")


def dashboard(session: Session, filters) -> dict:
    """{"weeks": [...], "category": {name: [n per week]}, "province": {...}, "outlet": [(name, n)],
    "backlog": {status: [n per week]}}."""
    res = resolve(session, filters)
    a, f = ARTICLE, FLAG
    week = week_start(res.dialect).label("week")
    lr, on_decision = alleged_decision_join(f)
    alleged = [f.c.modality == "alleged", *flag_conditions(res)]
    base = select().select_from(f).join(a, a.c.id == f.c.article_id)
    by = {}
    for name, column in (("category", f.c.category), ("province", func.coalesce(a.c.province, "(no province)"))):
        rows = session.execute(base.add_columns(week, column.label("key"), func.count())
                               .where(*alleged).group_by(week, column)).all()
        by[name] = rows
    status = func.coalesce(lr.c.decision, "pending")
    backlog = session.execute(base.add_columns(week, status.label("key"), func.count())
                              .outerjoin(lr, on_decision).where(*alleged).group_by(week, status)).all()
    outlet = func.coalesce(a.c.outlet, a.c.source, "(unknown)")
    outlets = session.execute(base.add_columns(outlet.label("key"), func.count().label("n"),
                                               func.sum(case((lr.c.decision.is_(None), 1), else_=0)))
                              .outerjoin(lr, on_decision).where(*alleged).group_by(outlet)
                              .order_by(func.count().desc(), outlet).limit(15)).all()
    weeks = sorted({r[0] for rows in (*by.values(), backlog) for r in rows})
    out = {"weeks": weeks}
    for name, rows in (*by.items(), ("backlog", backlog)):
        series: dict[str, list[int]] = defaultdict(lambda: [0] * len(weeks))
        for w, key, n in rows:
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
