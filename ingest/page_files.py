"""Saved pages and stdin for `pantau ingest --file/--dir`, read with the same size cap as fetched pages: at most
MAX_PAGE_BYTES + 1 bytes are ever read, so `--file /dev/zero` or a 40 MB dump is one clear error, not a
memory blow-up."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import BinaryIO

from extract.saved import SavedPageError, read_saved
from ingest import http


def read_page_file(path: str, *, max_bytes: int | None = None) -> bytes:
    """The page in the file (or stdin for '-'), gzip unpacked; SavedPageError or OSError when it cannot be."""
    limit = max_bytes or http.MAX_PAGE_BYTES
    name = "stdin" if path == "-" else path
    if path == "-":
        raw = _read_capped(sys.stdin.buffer, name, limit)
    else:
        if Path(path).is_dir():
            raise SavedPageError(f"{path}: is a folder (use --dir {path} for every page in it)")
        with open(path, "rb") as stream:
            raw = _read_capped(stream, name, limit)
    return read_saved(Path(name), raw, max_bytes=limit)


def _read_capped(stream: BinaryIO, name: str, limit: int) -> bytes:
    chunks, size = [], 0
    while size <= limit and (chunk := stream.read(min(1 << 20, limit + 1 - size))):
        chunks.append(chunk)
        size += len(chunk)
    if size > limit:
        raise SavedPageError(f"{name}: {http.too_large(None, limit)}, the limit for any page: "
                             "save only the article's page")
    return b"".join(chunks)
