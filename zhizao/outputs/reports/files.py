"""Byte-stable files: Office documents are ZIPs, and zipfile stamps each entry with the clock."""
from __future__ import annotations

import zipfile
from pathlib import Path

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
