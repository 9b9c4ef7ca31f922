"""The dashboard's export: its panels as CSV or XLSX (openpyxl), Chinese headers."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from urllib.parse import quote

from fastapi.responses import Response
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from employment_monitor.api.dashboard_view import Table

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _disposition(name: str, ext: str) -> dict[str, str]:
    # RFC 6266/5987: an ASCII fallback and the UTF-8 (Chinese) name.
    return {
        "Content-Disposition": f'attachment; filename="dashboard.{ext}"; '
        f"filename*=UTF-8''{quote(name)}.{ext}"
    }


def csv_text(tables: Sequence[Table]) -> str:
    """Each table under a title row (``## 标题``), its header, its rows; a blank line between.
    One table alone is a plain CSV (header and rows)."""
    out = io.StringIO()
    w = csv.writer(out)
    for n, t in enumerate(tables):
        if len(tables) > 1:
            if n:
                w.writerow([])
            w.writerow([f"## {t.title}"])
        w.writerow(t.columns)
        for row in t.rows:
            w.writerow(["" if v is None else v for v in row])
    return out.getvalue()


def csv_file(tables: Sequence[Table], name: str) -> Response:
    """UTF-8 with a BOM, so spreadsheet programs show the Chinese right."""
    return Response(
        "\ufeff" + csv_text(tables),
        media_type="text/csv; charset=utf-8",
        headers=_disposition(name, "csv"),
    )


def _sheet_title(title: str, used: set[str]) -> str:
    base = "".join(c for c in title if c not in "[]:*?/\\")[:28] or "表"
    name, n = base, 2
    while name in used:
        name, n = f"{base[:26]}{n}", n + 1
    used.add(name)
    return name


def xlsx_bytes(tables: Sequence[Table]) -> bytes:
    wb = Workbook(write_only=True)
    used: set[str] = set()
    for t in tables:
        ws = wb.create_sheet(_sheet_title(t.title, used))
        header = []
        for c in t.columns:
            cell = WriteOnlyCell(ws, value=c)
            cell.font = Font(bold=True)
            header.append(cell)
        ws.append(header)
        for row in t.rows:
            ws.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def xlsx_file(tables: Sequence[Table], name: str) -> Response:
    return Response(xlsx_bytes(tables), media_type=XLSX, headers=_disposition(name, "xlsx"))
