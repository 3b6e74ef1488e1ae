"""From the sources file to APScheduler jobs: one per enabled source (cron, else interval), with jitter,
kept in the job store across restarts and brought in line with the file on every (re)load."""
from __future__ import annotations

import os
import random
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from platformdirs import user_data_dir

from store import Store
from store.history import JOB_PREFIX
from store.models import Source, utcnow

JOB_FUNC = "scheduler:run_source"           # textual reference: the job store never pickles code
PRUNE_JOB, PRUNE_FUNC = "prune-runs", "scheduler:prune_job"
DIGEST_JOB, DIGEST_FUNC = "digest", "scheduler:digest_job"


class ConfigError(ValueError):
    """The sources file (or a schedule in it) is unusable; the message names the entry."""


@dataclass
class Settings:
    db_url: str | None = None
    sources_path: Path | None = None
    state_dir: Path | None = None            # job dirs (crawl checkpoints) and the active sources snapshot
    workers: int = 4                         # crawls at once
    run_timeout: float = 3600.0              # seconds, unless the source sets its own
    kill_grace: float = 15.0                 # past a timeout: SIGTERM after this, SIGKILL after twice this
    shutdown_grace: float = 60.0             # on SIGTERM: time running crawls get to checkpoint and end
    default_interval: float = 60.0           # minutes, for sources with neither interval nor cron
    jitter: float | None = None              # seconds; None: 10 % of the interval, at most 300 s
    misfire_grace: int = 3600                # seconds a missed slot may still run late (once: coalesced)
    timezone: str = "Asia/Jakarta"           # for cron expressions (WIB)
    heartbeat: float = 15.0                  # seconds between heartbeats
    minute: float = 60.0                     # seconds in a schedule minute (tests and demos shrink it)
    crawler_command: str = ""                # what runs one crawl (default: this Python, -m crawler.run)
    keep_runs_days: float | None = None      # prune run history older than this, daily (None: keep all)
    # The desk's digests (desk.digest): a crontab line in `timezone`, e.g. "0 6 * * *"; None: not sent.
    digest_cron: str | None = field(default_factory=lambda: os.environ.get("PANTAU_DIGEST_CRON") or None)
    digest_since: str = field(default_factory=lambda: os.environ.get("PANTAU_DIGEST_SINCE", "24h"))
    engine: bool = True                      # crawl in one long-lived engine (crawler/engine.py); False: a child each
    in_flight: int = 200                     # engine: crawls side by side at most
    recycle_after: int = 1000                # engine: a new engine process after this many crawls ...
    memory_mark_mb: float = 1200.0           # ... or once the engine and its ingest workers use this much (PSS)
    broker: str | None = None                # PostgreSQL URL of the crawl queue: workers on any machine crawl

    def resolved_state_dir(self) -> Path:
        return Path(self.state_dir or Path(user_data_dir("pantau", appauthor=False)) / "daemon")


def sources_path(settings: Settings) -> Path:
    """The file given, else the crawler's default ($PANTAU_SOURCES, else the shipped crawler/sources.toml)."""
    from crawler.sources import default_sources_path
    return Path(settings.sources_path) if settings.sources_path else default_sources_path()


def load_sources(path: Path) -> list:
    """The crawler's sources file, validated; ConfigError names the bad entry."""
    from crawler.sources import SourcesError, load_sources as crawler_load
    try:
        return list(crawler_load(path))
    except SourcesError as exc:
        raise ConfigError(str(exc)) from exc


@dataclass
class JobSpec:
    source: str
    trigger: object
    description: str                         # also the job's name: a changed schedule shows up as a changed name
    first_run: datetime | None               # None: the trigger decides


def build_jobs(sources: list, settings: Settings, now: datetime | None = None) -> list[JobSpec]:
    """One job per enabled source: its cron, else its interval, else the default interval, with jitter."""
    from apscheduler.triggers.interval import IntervalTrigger
    now = now or utcnow()
    specs = []
    for src in sources:
        if not getattr(src, "enabled", True):
            continue
        cron = getattr(src, "cron", None)
        if cron:
            jitter = settings.jitter if settings.jitter is not None else 300.0
            trigger = cron_trigger(src.name, cron, settings.timezone, jitter)
            desc = f"cron '{cron}' {settings.timezone}, jitter {jitter:g} s"
            specs.append(JobSpec(src.name, trigger, desc, None))
            continue
        minutes = float(getattr(src, "interval", None) or settings.default_interval)
        if minutes <= 0:
            raise ConfigError(f"source {src.name!r}: interval must be positive, got {minutes:g}")
        seconds = minutes * settings.minute
        jitter = settings.jitter if settings.jitter is not None else min(300.0, seconds / 10)
        trigger = IntervalTrigger(seconds=seconds, jitter=jitter or None, timezone=timezone.utc)
        every = f"{minutes:g} min" if settings.minute == 60 else f"{seconds:g} s"
        desc = f"every {every}, jitter {jitter:g} s"
        # A new source starts soon, spread over the jitter window rather than all at once.
        specs.append(JobSpec(src.name, trigger, desc, now + timedelta(seconds=random.uniform(0, jitter))))
    return specs


_CRON_DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]


def cron_trigger(name: str, expr: str, tz: str, jitter: float):
    """A standard 5-field crontab line. Day-of-week numbers follow cron (0 or 7 = Sunday), not
    APScheduler 3's from_crontab (0 = Monday), so they are translated to day names."""
    from apscheduler.triggers.cron import CronTrigger
    fields = expr.split()
    if len(fields) != 5:
        raise ConfigError(f"source {name!r}: cron {expr!r} needs 5 fields (minute hour day month weekday)")
    minute, hour, day, month, dow = fields
    if dow not in ("*", "?"):
        dow = ",".join(_cron_dow_part(part) for part in dow.split(","))
    try:
        return CronTrigger(minute=minute, hour=hour, day=day, month=month, day_of_week=dow,
                           timezone=tz, jitter=jitter or None)
    except (ValueError, LookupError) as exc:
        raise ConfigError(f"source {name!r}: bad cron {expr!r}: {exc}") from exc


def _cron_dow_part(part: str) -> str:
    base, _, step = part.partition("/")
    if base in ("0-6", "0-7", "1-7"):
        base = "*"
    else:
        base = re.sub(r"\d+", lambda m: _CRON_DAYS[int(m.group()) % 7], base)
    return f"{base}/{step}" if step else base


def sync_jobs(scheduler, specs: list[JobSpec], settings: Settings) -> dict[str, list[str]]:
    """Make the job store match the sources: add new, replace changed, keep unchanged (with their
    persisted next run, so a restart loses no slot), remove the ones gone or disabled."""
    wanted = {JOB_PREFIX + s.source: s for s in specs}
    changes: dict[str, list[str]] = {"added": [], "changed": [], "removed": [], "kept": []}
    for job in scheduler.get_jobs():
        if job.id.startswith(JOB_PREFIX) and job.id not in wanted:
            scheduler.remove_job(job.id)
            changes["removed"].append(job.id[len(JOB_PREFIX):])
    options = dict(max_instances=1, coalesce=True, misfire_grace_time=settings.misfire_grace)
    for job_id, spec in wanted.items():
        current = scheduler.get_job(job_id)
        if current is not None and _same_job(current, spec, options):
            changes["kept"].append(spec.source)
            continue
        extra = {"next_run_time": spec.first_run} if current is None and spec.first_run else {}
        scheduler.add_job(JOB_FUNC, spec.trigger, args=[spec.source], id=job_id, name=spec.description,
                          replace_existing=True, **options, **extra)
        changes["added" if current is None else "changed"].append(spec.source)
    if settings.keep_runs_days:
        if scheduler.get_job(PRUNE_JOB) is None:
            scheduler.add_job(PRUNE_FUNC, "interval", hours=24, id=PRUNE_JOB, name="prune run history",
                              next_run_time=utcnow() + timedelta(minutes=1), **options)
    elif scheduler.get_job(PRUNE_JOB) is not None:
        scheduler.remove_job(PRUNE_JOB)
    if settings.digest_cron:
        scheduler.add_job(DIGEST_FUNC, cron_trigger("digest", settings.digest_cron, settings.timezone, 0),
                          id=DIGEST_JOB, name=f"digests, cron '{settings.digest_cron}'", replace_existing=True, **options)
    elif scheduler.get_job(DIGEST_JOB) is not None:
        scheduler.remove_job(DIGEST_JOB)
    return changes


def _same_job(job, spec: JobSpec, options: dict) -> bool:
    return (job.func_ref == JOB_FUNC and list(job.args) == [spec.source] and job.name == spec.description
            and all(getattr(job, k) == v for k, v in options.items()))


def record_sources(store: Store, sources: list) -> None:
    """The Source table mirrors the sources file, for `pantau status` and analysts."""
    with store.session() as session:
        for src in sources:
            row = session.get(Source, src.name) or Source(name=src.name, base_url=src.base_url)
            row.base_url = src.base_url
            row.province, row.regency = getattr(src, "province", None), getattr(src, "regency", None)
            row.enabled, row.updated_at = bool(getattr(src, "enabled", True)), utcnow()
            session.add(row)
