"""PDF: the DOCX converted by LibreOffice headless, fonts embedded (LibreOffice embeds subsets).

A plain `soffice --headless --convert-to pdf` keeps the TOC field's stored result, so the PDF's
contents would lack page numbers. We therefore run the same headless LibreOffice with a small
Basic macro that updates the document's indexes before exporting; `update_toc=False` gives the
plain conversion. Each run uses its own temporary LibreOffice profile, so parallel conversions
(and a desktop LibreOffice the user has open) do not collide.
"""
from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from zhizao.outputs.reports.fonts import find_cjk_fonts

INSTALL_HINT = ("LibreOffice is needed for PDF output: apt-get install libreoffice-writer-nogui "
                "(or libreoffice-writer), or leave pdf out of --format")

MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub ToPdf(src As String, dst As String)
  Dim doc As Object
  On Error GoTo Failed
  Dim load(0) As New com.sun.star.beans.PropertyValue
  load(0).Name = &quot;Hidden&quot;
  load(0).Value = True
  doc = StarDesktop.loadComponentFromURL(ConvertToURL(src), &quot;_blank&quot;, 0, load())
  indexes = doc.getDocumentIndexes()
  For i = 0 To indexes.getCount() - 1
    indexes.getByIndex(i).update()
  Next i
  doc.refresh()
  Dim out(0) As New com.sun.star.beans.PropertyValue
  out(0).Name = &quot;FilterName&quot;
  out(0).Value = &quot;writer_pdf_Export&quot;
  doc.storeToURL(ConvertToURL(dst), out())
Cleanup:
  On Error Resume Next
  If Not IsNull(doc) Then doc.close(True)
  Exit Sub
Failed:
  Resume Cleanup
End Sub
</script:module>
"""
class PdfConversionError(RuntimeError):
    """LibreOffice is missing or did not produce the PDF."""


def find_soffice() -> str:
    """The LibreOffice executable; PdfConversionError with what to install if there is none."""
    for name in ("soffice", "libreoffice"):
        exe = shutil.which(name)
        if exe:
            return exe
    raise PdfConversionError(f"soffice not found on PATH. {INSTALL_HINT}")


def _profile(exe: str, tmp: Path, with_macro: bool, timeout: float) -> str:
    """A throwaway LibreOffice user profile, holding the conversion macro when needed.

    LibreOffice fills a new profile's Basic library on first start (overwriting what is there),
    so the profile is initialised first and the macro written into it afterwards.
    """
    profile = tmp / "profile"
    url = profile.as_uri()
    if with_macro:
        subprocess.run([exe, "--headless", "--norestore", "--terminate_after_init", f"-env:UserInstallation={url}"],
                       capture_output=True, timeout=timeout, check=False)
        module = profile / "user" / "basic" / "Standard" / "Module1.xba"
        if not module.is_file():
            raise PdfConversionError(f"LibreOffice did not initialise its profile in {profile}")
        module.write_text(MACRO, encoding="utf-8")
    return url


def docx_to_pdf(docx: Path, pdf: Path, *, update_toc: bool = True, timeout: float = 240) -> Path:
    """Convert `docx` to `pdf` with LibreOffice headless; raises PdfConversionError on failure."""
    exe = find_soffice()
    find_cjk_fonts()  # without Noto CJK LibreOffice would substitute (or drop) the Chinese glyphs
    docx, pdf = Path(docx).resolve(), Path(pdf).resolve()
    with tempfile.TemporaryDirectory(prefix="zhizao-soffice-") as tmp_name:
        tmp = Path(tmp_name)
        out = tmp / (docx.stem + ".pdf")
        if update_toc:
            macro = f'macro:///Standard.Module1.ToPdf("{docx}","{out}")'
            cmd = [exe, "--headless", "--invisible", "--norestore", "--nologo",
                   f"-env:UserInstallation={_profile(exe, tmp, True, timeout)}", macro]
        else:
            cmd = [exe, "--headless", "--norestore", f"-env:UserInstallation={_profile(exe, tmp, False, timeout)}",
                   "--convert-to", "pdf", "--outdir", str(tmp), str(docx)]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as e:
            raise PdfConversionError(f"LibreOffice did not finish within {timeout:.0f} s converting {docx}") from e
        if not out.is_file() or out.stat().st_size == 0:
            raise PdfConversionError(f"LibreOffice produced no PDF from {docx} (exit {proc.returncode}): "
                                     f"{(proc.stderr or proc.stdout).strip()[-800:]}")
        pdf.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(out), pdf)
    stabilise_pdf(pdf)
    return pdf


_PDF_DATE = re.compile(rb"/(CreationDate|ModDate)\s*\(D:\d{14}[^)]*\)")
_PDF_ID = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*\]")
_PDF_CHECKSUM = re.compile(rb"/DocChecksum\s*/([0-9A-Fa-f]+)")


def stabilise_pdf(pdf: Path) -> None:
    """Make the PDF depend only on its content: LibreOffice stamps the clock into /CreationDate and
    derives /ID and /DocChecksum from it (and ignores SOURCE_DATE_EPOCH). Each is replaced by a value of the same
    length, so every byte offset in the cross-reference table stays valid."""
    data = Path(pdf).read_bytes()

    def fixed_date(m: re.Match) -> bytes:
        old = m.group(0)
        stamp = old[old.index(b"(D:") + 3:old.index(b"(D:") + 17]
        return old.replace(stamp, b"19800101000000", 1)

    data = _PDF_DATE.sub(fixed_date, data)
    digest = hashlib.md5(_PDF_CHECKSUM.sub(b"", _PDF_ID.sub(b"", data))).hexdigest().upper().encode()
    data = _PDF_CHECKSUM.sub(lambda m: m.group(0).replace(m.group(1), digest[:len(m.group(1))], 1), data)

    def fixed_id(m: re.Match) -> bytes:
        old = m.group(0)
        for part in (m.group(1), m.group(2)):
            old = old.replace(part, (digest * 2)[:len(part)], 1)
        return old

    Path(pdf).write_bytes(_PDF_ID.sub(fixed_id, data))
