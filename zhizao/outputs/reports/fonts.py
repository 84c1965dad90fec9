"""Where the Noto CJK fonts are: charts load them by file, the DOCX/PDF name them.

Titles use a 黑体-style face (Noto Sans CJK SC), body text a 宋体-style face (Noto Serif CJK SC).
Without them Chinese text renders as boxes, so a missing font is an error, not a fallback.
"""
from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SANS = "Noto Sans CJK SC"  # 黑体-style: titles, tables' headers, charts
SERIF = "Noto Serif CJK SC"  # 宋体-style: body text
# What Word should substitute on a machine without Noto (w:altName in the font table).
ALT_NAMES = {SANS: "黑体", SERIF: "宋体"}

# Debian's fonts-noto-cjk puts them here; fc-match is asked first.
KNOWN_PATHS = {
    SANS: Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    SERIF: Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"),
}
INSTALL_HINT = "install the Noto CJK fonts: apt-get install fonts-noto-cjk (Debian/Ubuntu)"


class FontMissing(RuntimeError):
    """A Noto CJK font needed by the report is not installed."""


@dataclass(frozen=True)
class CjkFonts:
    sans: Path
    serif: Path


def _fc_match(family: str) -> Path | None:
    """The file fontconfig uses for `family`, if it really is that family (fc-match always answers)."""
    exe = shutil.which("fc-match")
    if not exe:
        return None
    try:
        out = subprocess.run([exe, "-f", "%{family}\t%{file}", family], capture_output=True,
                             text=True, timeout=30, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    families, _, file = out.partition("\t")
    if family in families.split(",") and file and Path(file).is_file():
        return Path(file)
    return None


@lru_cache(maxsize=1)
def find_cjk_fonts() -> CjkFonts:
    """Paths of the sans and serif Noto CJK fonts; FontMissing if either is absent."""
    found = {}
    for family, known in KNOWN_PATHS.items():
        path = _fc_match(family) or (known if known.is_file() else None)
        if path is None:
            raise FontMissing(f"font {family!r} not found (fc-match, {known}); {INSTALL_HINT}")
        found[family] = path
    return CjkFonts(sans=found[SANS], serif=found[SERIF])


# 公文 (GB/T 9704-2012) faces, named in the DOCX: the recipients' Word (government machines) has them.
GW_TITLE = "方正小标宋简体"
GW_HEI = "黑体"
GW_KAI = "楷体_GB2312"
GW_FANG = "仿宋_GB2312"
GW_SONG = "宋体"  # page numbers: 4号半角宋体
# What the PDF made here uses instead (free, from fonts-noto-cjk): a heavy 宋体-style face for 小标宋, the
# 黑体-style sans for 黑体, the 宋体-style serif for 仿宋 and 宋体, and its bold for 楷体 (there is no free
# 楷体 in fonts-noto-cjk; bold keeps level-2 headings apart from body text). (face, bold)
GW_PDF_SUBSTITUTES = {GW_TITLE: (SERIF, True), GW_HEI: (SANS, False), GW_KAI: (SERIF, True),
                      GW_FANG: (SERIF, False), GW_SONG: (SERIF, False)}
# Word's substitutes on a machine without the 公文 faces (w:altName in the font table).
GW_ALT_NAMES = {GW_TITLE: "宋体", GW_HEI: "SimHei", GW_KAI: "楷体", GW_FANG: "仿宋", GW_SONG: "SimSun"}
