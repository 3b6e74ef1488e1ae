# Pantau's daemon in a container. Build: docker build -t pantau .
# Run (embedded SQLite in the /data volume):
#   docker run -d --name pantau --stop-timeout 90 -v pantau-data:/data pantau
# Run against PostgreSQL:  -e PANTAU_DATABASE_URL=postgresql+psycopg://pantau@db/pantau -e PGPASSWORD=...
# Own sources file:        -v /etc/pantau/sources.toml:/etc/pantau/sources.toml:ro -e PANTAU_SOURCES=/etc/pantau/sources.toml
# Reload it:               docker kill --signal HUP pantau        Status: docker exec pantau pantau status
# More: docs/operations.md
FROM python:3.11-slim

ENV PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PANTAU_DATABASE_URL=sqlite:////data/pantau.db

WORKDIR /opt/pantau
COPY pyproject.toml README.md LICENSE scheduler.py ./
COPY pantau ./pantau
COPY crawler ./crawler
COPY extract ./extract
COPY store ./store
RUN pip install . \
 && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin pantau \
 && mkdir -p /data \
 && chown pantau:pantau /data

USER pantau
WORKDIR /data
VOLUME ["/data"]

# The daemon is PID 1: it handles SIGTERM itself (running crawls get --shutdown-grace seconds to checkpoint),
# so give `docker stop` more than that (--stop-timeout 90). SIGHUP re-reads the sources file.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=60s --timeout=20s --start-period=60s CMD ["pantau", "status", "--check"]
# `python -m scheduler` is `pantau daemon` without loading the rest of the CLI.
CMD ["python", "-m", "scheduler", "--log-format", "json", "--state-dir", "/data/daemon", "--keep-runs", "180"]
