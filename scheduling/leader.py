"""One active daemon per deployment: a PostgreSQL session advisory lock on the broker, held by the active daemon's
own connection. A standby daemon on another machine waits for it; when the active one dies (process, machine or
network gone), PostgreSQL ends its session, the lock is free and the standby takes over. The job store is in the
database, so the standby goes on from the slots the first one had already handed out: none runs twice."""
from __future__ import annotations

from scheduling.queue import QueueError, conninfo

LEADER_LOCK = 7_426_862_802


class LeaderLock:
    def __init__(self, url: str, key: int = LEADER_LOCK) -> None:
        self.url, self.key = url, key
        self._conn = None

    def try_acquire(self) -> bool:
        import psycopg
        try:
            if self._conn is None or self._conn.closed:
                self._conn = psycopg.connect(conninfo(self.url), autocommit=True,
                                             keepalives=1, keepalives_idle=10, keepalives_interval=5,
                                             keepalives_count=3)
            return bool(self._conn.execute("SELECT pg_try_advisory_lock(%s)", (self.key,)).fetchone()[0])
        except psycopg.Error as exc:
            self.release()
            raise QueueError(f"cannot reach the broker for the daemon lock: {str(exc).strip().splitlines()[0]}")

    def held(self) -> bool:
        """Still ours? (False once the connection that holds it is gone.)"""
        import psycopg
        if self._conn is None or self._conn.closed:
            return False
        try:
            return bool(self._conn.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = pg_backend_pid() "
                "AND objid = %s", (self.key & 0xFFFFFFFF,)).fetchone()[0])
        except psycopg.Error:
            return False

    def release(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except Exception:  # noqa: BLE001 - closing is all that is left
                pass
            self._conn = None
