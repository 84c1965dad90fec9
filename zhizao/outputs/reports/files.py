"""Byte-stable files: Office documents are ZIPs, and zipfile stamps each entry with the clock."""
from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Iterable

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time ZIP can store


def normalise_zip(path: Path) -> None:
    """Rewrite `path` with fixed entry times and attributes, keeping the entry order."""
    with zipfile.ZipFile(path) as z:
        entries = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            info.create_system = 0
            z.writestr(info, data)


def parse_formats(formats: Iterable[str] | str, allowed: tuple[str, ...], what: str) -> list[str]:
    """'docx,html' or a list → the known formats in their canonical order; unknown ones refused."""
    if isinstance(formats, str):
        formats = formats.split(",")
    wanted = [f.strip().lower() for f in formats if f.strip()]
    unknown = sorted(set(wanted) - set(allowed))
    if unknown or not wanted:
        raise ValueError(f"unknown {what} format(s) {', '.join(unknown) or '(none given)'}; choose from {', '.join(allowed)}")
    return [f for f in allowed if f in wanted]
