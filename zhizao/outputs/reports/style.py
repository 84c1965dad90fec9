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

# Final-evaluation statuses (终期评估, contract A). Missing data is grey, never red: a gap is not a failure.
FINAL_STATUSES = ("completed", "basically_completed", "not_completed", "expected_completed",
                  "expected_basically_completed", "expected_difficult", "undetermined", "no_data", "tracked")
STATUS_FILL.update({
    "completed": "C6EFCE",
    "basically_completed": "DDF2D0",
    "not_completed": "FFC7CE",
    "expected_completed": "E2EFDA",
    "expected_basically_completed": "EDF5E6",
    "expected_difficult": "FCE4D6",
    "undetermined": "F2F2F2",
    "no_data": "E7E6E6",
})
STATUS_COLOR.update({
    "completed": "1E7B34",
    "basically_completed": "4E9A2A",
    "not_completed": "C00000",
    "expected_completed": "548235",
    "expected_basically_completed": "70AD47",
    "expected_difficult": "C55A11",
    "undetermined": "7F7F7F",
    "no_data": "7F7F7F",
})
