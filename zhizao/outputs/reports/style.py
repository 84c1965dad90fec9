"""Status colours, one palette for every format (cell fills, chart marks, the XLSX)."""
from __future__ import annotations

# Light fills keep dark text readable in tables; strong colours mark charts.
STATUS_FILL = {
    "achieved": "C6EFCE",
    "ahead": "DDF2D0",
    "on_track": "DDEBF7",
    "behind": "FFEB9C",
    "seriously_behind": "FFC7CE",
    "not_met": "E4D2EC",
    "no_comparable_data": "E7E6E6",
    "tracked": "DEEBF7",
}
STATUS_COLOR = {
    "achieved": "1E7B34",
    "ahead": "4E9A2A",
    "on_track": "2E75B6",
    "behind": "BF8F00",
    "seriously_behind": "C00000",
    "not_met": "762A83",
    "no_comparable_data": "7F7F7F",
    "tracked": "4393C3",
}
HEADER_FILL = "D9E2F3"
