"""The desk's settings: from the environment (documented in docs/desk.md), overridable in tests."""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_data_dir


def _secret() -> str:
    """$PANTAU_DESK_SECRET, else a random key kept in the data directory (sessions survive restarts)."""
    if os.environ.get("PANTAU_DESK_SECRET"):
        return os.environ["PANTAU_DESK_SECRET"]
    path = Path(user_data_dir("pantau", appauthor=False)) / "desk-secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


@dataclass
class DeskConfig:
    secret_key: str = field(default_factory=_secret)
    https_only: bool = field(default_factory=lambda: os.environ.get("PANTAU_DESK_HTTPS", "") == "1")
    login_delay: float = 1.0            # seconds a failed login waits before it answers
    session_hours: float = 12.0
    per_page: int = 50
