"""Every list as CSV: rows written through store.export's writer (the same cells as `pantau export`)."""
from __future__ import annotations

import io
from typing import Iterable

from fastapi.responses import Response

from store.export import csv_writer


def csv_response(name: str, columns: tuple[str, ...], rows: Iterable[dict]) -> Response:
    out = io.StringIO()
    write = csv_writer(out, columns)
    for row in rows:
        write(row)
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
