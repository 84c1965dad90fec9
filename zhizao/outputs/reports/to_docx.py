"""DOCX: Word and LibreOffice, A4, Noto CJK fonts named for East Asian text, a TOC field and page numbers.

Fonts are set on w:rFonts ascii/hAnsi/eastAsia/cs (eastAsia is what Word uses for Chinese; setting
only ascii leaves Chinese in the theme font) and theme-font attributes are removed, since Word
prefers them over explicit names. The font table names 黑体/宋体 as alternatives for machines
without Noto.
"""
from __future__ import annotations

import io
import re
from datetime import datetime, timezone
from pathlib import Path

from docx import Document
from lxml import etree
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from zhizao.outputs.reports.files import normalise_zip
from zhizao.outputs.reports.fonts import (ALT_NAMES, GW_ALT_NAMES, GW_FANG, GW_HEI, GW_KAI, GW_PDF_SUBSTITUTES, GW_SONG,
                                          GW_TITLE, SANS, SERIF)
from zhizao.outputs.reports.model import Bullets, Figure, Heading, Para, Report, Table
from zhizao.outputs.reports.style import HEADER_FILL, STATUS_FILL
from zhizao.outputs.reports.text import t

A4 = (Cm(21.0), Cm(29.7))
MARGIN = Cm(2.3)
SANS_STYLES = ("Heading", "heading", "Title", "Subtitle", "TOC Heading", "Caption", "caption")
HEADING_SIZES = {1: 16, 2: 14, 3: 12}
TOC_LEVELS = 2  # chapters and areas; a third level (each indicator, twice) made it three pages


# --- fonts and styles ------------------------------------------------------------------------
def _set_fonts(rpr, face: str) -> None:
    """Name `face` for every script, dropping theme fonts (which would win over names)."""
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), face)


def _style_face(name: str, serif: str = SERIF, sans: str = SANS) -> str:
    return sans if name.startswith(SANS_STYLES) else serif


def _setup_styles(doc, lang: str, serif: str = SERIF, sans: str = SANS) -> None:
    styles = doc.styles.element
    # Document defaults: body face, Chinese as the East Asian language.
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr, serif)
    lang_el = rpr.find(qn("w:lang"))
    if lang_el is None:
        lang_el = OxmlElement("w:lang")
        rpr.append(lang_el)
    # w:val is the language of Latin-script text (digits among it): zh-CN there makes LibreOffice break
    # lines between the digits of a number (20|23年). Chinese is the East Asian language.
    lang_el.set(qn("w:val"), "en-US")
    lang_el.set(qn("w:eastAsia"), "zh-CN")
    # Every style that names fonts (mostly through the theme) gets an explicit face.
    for st in styles.findall(qn("w:style")):
        name_el = st.find(qn("w:name"))
        name = name_el.get(qn("w:val")) if name_el is not None else ""
        for rfonts in st.iter(qn("w:rFonts")):  # also table styles' conditional parts
            _set_fonts(rfonts.getparent(), _style_face(name, serif, sans))

    normal = doc.styles["Normal"]
    normal.font.size = Pt(10.5)  # 五号
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.25
    for level, size in HEADING_SIZES.items():
        st = doc.styles[f"Heading {level}"]
        st.font.size = Pt(size)
        st.font.bold = True
        st.font.color.rgb = RGBColor(0, 0, 0)
        st.paragraph_format.space_before = Pt(14 if level == 1 else 10)
        st.paragraph_format.space_after = Pt(6)
        _set_fonts(st.element.get_or_add_rPr(), sans)
    title = doc.styles["Title"]
    title.font.size = Pt(22)
    title.font.color.rgb = RGBColor(0, 0, 0)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_fonts(title.element.get_or_add_rPr(), sans)
    cap = doc.styles["Caption"]
    cap.font.color.rgb = RGBColor(0x40, 0x40, 0x40)
    cap.font.size = Pt(9)
    cap.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_fonts(cap.element.get_or_add_rPr(), sans)
    _set_fonts(doc.styles["TOC Heading"].element.get_or_add_rPr(), sans)

    for name, size in (("Table Text", 9), ("Table Small", 7.5), ("Note", 9)):
        st = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        st.base_style = normal
        st.font.size = Pt(size)
        st.paragraph_format.space_after = Pt(0) if name != "Note" else Pt(4)
        st.paragraph_format.line_spacing = 1.0 if name != "Note" else 1.15
        _set_fonts(st.element.get_or_add_rPr(), serif)
    doc.styles["Note"].font.color.rgb = RGBColor(0x59, 0x59, 0x59)
    # Word's built-in TOC entry styles ("toc 1" …); the template lacks them.
    for level in range(1, TOC_LEVELS + 1):
        st = doc.styles.add_style(f"toc {level}", WD_STYLE_TYPE.PARAGRAPH)
        st.base_style = normal
        st.paragraph_format.left_indent = Cm(0.75 * (level - 1))
        st.paragraph_format.space_after = Pt(0)
        st.paragraph_format.line_spacing = 1.1


def _no_grid(style) -> None:
    """Keep a style off the 公文 line grid (tables, notes, captions would take 28.95 pt a line)."""
    ppr = style.element.get_or_add_pPr()
    el = ppr.find(qn("w:snapToGrid"))
    if el is None:
        el = OxmlElement("w:snapToGrid")
        ppr.append(el)
    el.set(qn("w:val"), "0")


def gongwen_face(name: str, pdf: bool) -> tuple[str, bool]:
    """The face to name for a 公文 face, and whether to embolden it: the face itself in the DOCX,
    the free substitute (fonts.GW_PDF_SUBSTITUTES) in the DOCX the PDF is made from."""
    return GW_PDF_SUBSTITUTES[name] if pdf else (name, False)


def _setup_gongwen(doc, lang: str, pdf: bool) -> None:
    """GB/T 9704-2012: body 仿宋_GB2312 3号 on the 22-line grid, first lines indented two characters;
    title 方正小标宋简体 2号; level-1 headings 黑体, level-2 楷体_GB2312, level-3 仿宋 bold, all 3号."""
    fang, hei = gongwen_face(GW_FANG, pdf)[0], gongwen_face(GW_HEI, pdf)[0]
    _setup_styles(doc, lang, serif=fang, sans=hei)
    line = Pt(GW_LINE_PITCH / 20)
    indent = Pt(2 * GW_BODY_PT)

    def body(st, face: str, size: float, bold: bool = False, first_indent=indent, exact=line):
        st.font.size = Pt(size)
        st.font.bold = bold
        st.font.color.rgb = RGBColor(0, 0, 0)
        pf = st.paragraph_format
        pf.space_before = pf.space_after = Pt(0)
        pf.first_line_indent = first_indent
        if exact is not None:
            pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            pf.line_spacing = exact
        _set_fonts(st.element.get_or_add_rPr(), face)

    # The grid's character pitch is relative to the default size: make it 3号.
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for tag in ("w:sz", "w:szCs"):
        el = rpr.find(qn(tag))
        if el is None:
            el = OxmlElement(tag)
            rpr.append(el)
        el.set(qn("w:val"), str(2 * GW_BODY_PT))
    body(doc.styles["Normal"], fang, GW_BODY_PT)
    doc.styles["Normal"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    for level, name in ((1, GW_HEI), (2, GW_KAI), (3, GW_FANG)):
        face, bold = gongwen_face(name, pdf)
        st = doc.styles[f"Heading {level}"]
        body(st, face, GW_BODY_PT, bold=bold or level == 3)
        st.paragraph_format.keep_with_next = True
    if pdf:
        for name in ("Normal", "Heading 1", "Heading 2", "Heading 3"):
            rpr = doc.styles[name].element.get_or_add_rPr()
            sp = OxmlElement("w:spacing")
            sp.set(qn("w:val"), str(int(GW_PDF_TRACKING.pt * 20)))
            rpr.append(sp)
    face, bold = gongwen_face(GW_TITLE, pdf)
    body(doc.styles["Title"], face, 22, bold=bold, first_indent=Pt(0), exact=Pt(36))
    _no_grid(doc.styles["Title"])
    for name, size in (("Table Text", 12), ("Table Small", 10.5), ("Note", 14), ("Caption", 14)):
        st = doc.styles[name]
        body(st, fang if name != "Caption" else hei, size, first_indent=Pt(0) if name != "Note" else indent,
             exact=None)
        st.paragraph_format.line_spacing = 1.0 if name.startswith("Table") else 1.2
        _no_grid(st)
    body(doc.styles["TOC Heading"], hei, GW_BODY_PT, first_indent=Pt(0))
    doc.styles["TOC Heading"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for level in range(1, TOC_LEVELS + 1):
        body(doc.styles[f"toc {level}"], fang, GW_BODY_PT if level == 1 else 14, first_indent=Pt(0), exact=None)
        doc.styles[f"toc {level}"].paragraph_format.left_indent = Pt(2 * GW_BODY_PT * (level - 1))
        _no_grid(doc.styles[f"toc {level}"])
    doc.zz_header_face = hei


def _font_table(doc, gongwen: bool = False) -> None:
    """Declare the faces used with what Word substitutes when one is missing (黑体/宋体 for Noto)."""
    part = doc.part.part_related_by(RT.FONT_TABLE)
    root = parse_xml(part.blob)
    faces = [(SERIF, "roman"), (SANS, "swiss")]
    alt = dict(ALT_NAMES)
    if gongwen:
        faces = [(GW_FANG, "modern"), (GW_HEI, "modern"), (GW_KAI, "modern"), (GW_TITLE, "script"), (GW_SONG, "auto")]
        alt = GW_ALT_NAMES
    for face, family in faces:
        font = OxmlElement("w:font")
        font.set(qn("w:name"), face)
        for tag, val in (("w:altName", alt[face]), ("w:charset", "86"), ("w:family", family),
                         ("w:pitch", "variable")):
            el = OxmlElement(tag)
            el.set(qn("w:val"), val)
            font.append(el)
        root.append(font)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# Order of w:settings children up to updateFields' successors (ECMA-376 CT_Settings).
_AFTER_UPDATE_FIELDS = ("w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids",
                        "m:mathPr", "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping")


def _update_fields_on_open(doc) -> None:
    """Ask Word to refresh fields (the TOC's page numbers) when the document opens."""
    settings = doc.settings.element
    el = OxmlElement("w:updateFields")
    el.set(qn("w:val"), "true")
    for child in settings:
        if any(child.tag == qn(tag) for tag in _AFTER_UPDATE_FIELDS):
            child.addprevious(el)
            return
    settings.append(el)


# --- fields and small XML helpers -----------------------------------------------------------
def _fld_char(paragraph, kind: str) -> None:
    run = paragraph.add_run()
    el = OxmlElement("w:fldChar")
    el.set(qn("w:fldCharType"), kind)
    run._r.append(el)


def _instr(paragraph, text: str) -> None:
    run = paragraph.add_run()
    el = OxmlElement("w:instrText")
    el.set(qn("xml:space"), "preserve")
    el.text = text
    run._r.append(el)


def _field(paragraph, instr: str, shown: str) -> None:
    _fld_char(paragraph, "begin")
    _instr(paragraph, f" {instr} ")
    _fld_char(paragraph, "separate")
    paragraph.add_run(shown)
    _fld_char(paragraph, "end")


def _shade(cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    v_align = tc_pr.find(qn("w:vAlign"))  # schema order: shd before noWrap/tcMar/…/vAlign
    if v_align is not None:
        v_align.addprevious(shd)
    else:
        tc_pr.append(shd)


def _row_props(row, header: bool = False) -> None:
    """Rows never break across pages; the header row repeats on each page."""
    tr_pr = row._tr.get_or_add_trPr()
    for tag in ("w:cantSplit", "w:tblHeader") if header else ("w:cantSplit",):
        el = OxmlElement(tag)
        el.set(qn("w:val"), "true")
        tr_pr.append(el)


def _hyperlink(paragraph, url: str, text: str) -> None:
    r_id = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), r_id)
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    color = OxmlElement("w:color")
    color.set(qn("w:val"), "1F4E79")
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    rpr.append(color)
    rpr.append(underline)
    run.append(rpr)
    t_el = OxmlElement("w:t")
    t_el.set(qn("xml:space"), "preserve")
    t_el.text = text
    run.append(t_el)
    link.append(run)
    paragraph._p.append(link)


# --- page setup ------------------------------------------------------------------------------
def _page(section, landscape: bool, gongwen: bool = False, pdf: bool = False) -> None:
    w, h = A4
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (h, w) if landscape else (w, h)
    if gongwen and not landscape:
        for side, v in GW_MARGINS.items():
            setattr(section, side, v)
        section.footer_distance = GW_FOOTER_DISTANCE
        if not pdf:
            _line_grid(section)
        return
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, MARGIN)


# GB/T 9704-2012 §5.2: 天头 37 mm, 订口 28 mm, so with A4 the 版心 is 156 × 225 mm (right 26, bottom 35);
# §5.2.2: 22 lines of 28 characters in 3号 (16 pt) type.
GW_MARGINS = {"top_margin": Mm(37), "bottom_margin": Mm(35), "left_margin": Mm(28), "right_margin": Mm(26)}
GW_FOOTER_DISTANCE = Mm(28)  # 页码 about 7 mm below the 版心 (§7.5)
GW_BODY_PT = 16
GW_LINES, GW_CHARS = 22, 28
GW_LINE_PITCH = int(225 / GW_LINES / 25.4 * 1440)  # twips per line, rounded down so 22 fit: 579
# w:charSpace is the extra pitch per character over the body size, in 1/4096 pt: 156 mm / 28 − 16 pt.
GW_CHAR_SPACE = round((156 / GW_CHARS / 25.4 * 72 - GW_BODY_PT) * 4096)


# LibreOffice gives a character wider than a grid cell two cells (14 characters a line), so the
# DOCX the PDF is made from uses a line grid and tightens 3号 type by this much instead (28 × 15.75 pt fits).
GW_PDF_TRACKING = Pt(-0.25)


def _line_grid(section, chars: bool = True) -> None:
    """The 22 × 28 grid (w:docGrid linesAndChars; the pitch per character over the 16 pt default is
    w:charSpace); body lines use its pitch exactly (GW_LINE_PITCH). `chars=False`: lines only."""
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    grid.set(qn("w:type"), "linesAndChars" if chars else "lines")
    grid.set(qn("w:linePitch"), str(GW_LINE_PITCH))
    if chars:
        grid.set(qn("w:charSpace"), str(GW_CHAR_SPACE))
    else:
        grid.attrib.pop(qn("w:charSpace"), None)


# A line may break at a range's dash between digits (2021—|2025, 5000～|6000): a word joiner (U+2060,
# no width, no glyph) on each side holds the range together. (Digits themselves stay together because
# Latin-script text is declared en-US, see _setup_styles.)
_INSIDE_NUMBER = re.compile(r"(?<=\d)(?=[—–~～]\d)|(?<=\d[—–~～])(?=\d)")
WORD_JOINER = "\u2060"


def nobreak(text: str) -> str:
    """No line break inside a number range (word joiners, invisible)."""
    return _INSIDE_NUMBER.sub(WORD_JOINER, text)


def _gw_footer(doc, section, face: str) -> None:
    """公文 page numbers (§7.5): 4号半角宋体 “— 1 —”, odd pages right and even pages left, one character in."""
    doc.settings.odd_and_even_pages_header_footer = True
    for footer, align, indent in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right_indent"),
                                  (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left_indent")):
        p = footer.paragraphs[0]
        p.alignment = align
        setattr(p.paragraph_format, indent, Pt(14))
        for text in ("— ", None, " —"):
            if text is None:
                _field(p, "PAGE", "1")
            else:
                p.add_run(text)
        for r in p.runs:
            r.font.size = Pt(14)
            _set_fonts(r._r.get_or_add_rPr(), face)


def _footer(section, lang: str) -> None:
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    before, _, after = t("page", lang).partition("{}")
    if before:
        p.add_run(before)
    _field(p, "PAGE", "1")
    if after:
        p.add_run(after)


def _text_width(section):
    return section.page_width - section.left_margin - section.right_margin


# --- blocks ----------------------------------------------------------------------------------
def _table(doc, block: Table) -> None:
    section = doc.sections[-1]
    n = len(block.header)
    table = doc.add_table(rows=1, cols=n)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    rel = block.widths or [1.0] * n
    total = _text_width(section)
    widths = [int(total * w / sum(rel)) for w in rel]
    for col, w in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths):
        col.set(qn("w:w"), str(int(w / 635)))  # EMU → twips
    para_style = doc.styles["Table Small" if block.small else "Table Text"]
    hdr = table.rows[0]
    _row_props(hdr, header=True)
    for cell, text, w in zip(hdr.cells, block.header, widths):
        cell.width = w
        p = cell.paragraphs[0]
        p.style = para_style
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(nobreak(text))
        run.bold = True
        _set_fonts(run._r.get_or_add_rPr(), getattr(doc, "zz_header_face", SANS))
        _shade(cell, HEADER_FILL)
    align = {"left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT, "center": WD_ALIGN_PARAGRAPH.CENTER}
    for row in block.rows:
        new_row = table.add_row()
        _row_props(new_row)
        cells = new_row.cells
        for cell, c, w in zip(cells, row, widths):
            cell.width = w
            p = cell.paragraphs[0]
            p.style = para_style
            p.alignment = align[c.align]
            if c.href and c.href in c.text:
                head = c.text[: c.text.index(c.href)].strip()
                if head:
                    p.add_run(head + " ")
                _hyperlink(p, c.href, c.href)
            else:
                p.add_run(nobreak(c.text))
            if c.status:
                _shade(cell, STATUS_FILL[c.status])
    doc.add_paragraph(style=doc.styles["Note"])  # air between a table and what follows


def _toc(doc, headings: list[Heading], lang: str) -> None:
    """A TOC field whose shown result already lists the headings (page numbers come on update)."""
    doc.add_paragraph(t("toc", lang), style=doc.styles["TOC Heading"])
    entries = [h for h in headings if h.level <= TOC_LEVELS]
    if not entries:
        return
    for k, h in enumerate(entries):
        p = doc.add_paragraph(style=doc.styles[f"toc {h.level}"])
        if k == 0:
            _fld_char(p, "begin")
            _instr(p, f' TOC \\o "1-{TOC_LEVELS}" \\h \\z \\u ')
            _fld_char(p, "separate")
        p.add_run(h.text)
        if k == len(entries) - 1:
            _fld_char(p, "end")


def _chapters(blocks: list) -> list[list]:
    """Blocks split at level-1 headings: each chapter starts a page and has one orientation."""
    out: list[list] = []
    for b in blocks:
        if isinstance(b, Heading) and b.level == 1 or not out:
            out.append([])
        out[-1].append(b)
    return out


def render_docx(report: Report, path: Path, *, pdf_fonts: bool = False) -> Path:
    """Write the DOCX. `pdf_fonts`: name the free substitutes of the 公文 faces (the DOCX the PDF is made from)."""
    lang = report.lang
    gongwen = report.style == "gongwen"
    doc = Document()
    if gongwen:
        _setup_gongwen(doc, lang, pdf_fonts)
    else:
        _setup_styles(doc, lang)
    _font_table(doc, gongwen and not pdf_fonts)
    _update_fields_on_open(doc)

    first = doc.sections[0]
    _page(first, landscape=False, gongwen=gongwen, pdf=pdf_fonts)
    first.different_first_page_header_footer = True  # no page number on the title page
    if gongwen:
        _gw_footer(doc, first, gongwen_face(GW_SONG, pdf_fonts)[0])
    else:
        _footer(first, lang)

    # Title page
    for _ in range(3 if gongwen else 4):
        doc.add_paragraph()
    title = doc.add_paragraph(style=doc.styles["Title"])
    for k, line in enumerate(report.title_lines or [report.title]):
        run = title.add_run(nobreak(line))
        if k < len(report.title_lines) - 1:
            run.add_break()
    doc.add_paragraph()
    for line in report.subtitle:
        p = doc.add_paragraph(nobreak(line))
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.first_line_indent = Pt(0)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _toc(doc, [b for b in report.blocks if isinstance(b, Heading)], lang)

    landscape_now = False
    for n, chapter in enumerate(_chapters(report.blocks)):
        wants = any(isinstance(b, Table) and b.landscape for b in chapter)
        if wants != landscape_now:
            section = doc.add_section(WD_SECTION.NEW_PAGE)
            section.different_first_page_header_footer = False
            _page(section, landscape=wants, gongwen=gongwen, pdf=pdf_fonts)
            landscape_now = wants
        elif n == 0 or not gongwen:  # 公文 chapters run on; only the contents end a page
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        bullet_no = 0
        for b in chapter:
            if isinstance(b, Heading):
                doc.add_heading(nobreak(b.text), level=b.level)
            elif isinstance(b, Para):
                style = {"note": "Note", "caption": "Caption"}.get(b.style, "Normal")
                p = doc.add_paragraph(style=doc.styles[style])
                p.paragraph_format.keep_with_next = b.style == "caption" or None
                run = p.add_run(nobreak(b.text))
                if b.style in ("lead", "alert") and not (gongwen and b.style == "lead"):
                    run.bold = True
                if b.style == "alert" and not gongwen:  # a document to sign is black on white
                    run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
            elif isinstance(b, Bullets):
                for item in b.items:
                    if gongwen:  # 公文 numbers its items: （1）（2）…
                        bullet_no += 1
                        doc.add_paragraph(nobreak(f"（{bullet_no}）{item}"), style=doc.styles["Normal"])
                    else:
                        doc.add_paragraph(nobreak(item), style=doc.styles["List Bullet"])
            elif isinstance(b, Table):
                _table(doc, b)
            elif isinstance(b, Figure):
                p = doc.add_paragraph()
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                p.paragraph_format.keep_with_next = True
                p.paragraph_format.first_line_indent = Pt(0)
                if gongwen:  # a picture on an exact 28.95 pt line would be clipped
                    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
                p.add_run().add_picture(io.BytesIO(b.png), width=Cm(b.width_cm))
                doc.add_paragraph(nobreak(b.caption), style=doc.styles["Caption"])

    # Properties from the inputs, never the clock.
    when = datetime(report.doc_date.year, report.doc_date.month, report.doc_date.day, tzinfo=timezone.utc)
    cp = doc.core_properties
    cp.title = report.title
    cp.subject = report.plan_id
    cp.author = cp.last_modified_by = "zhizao"
    cp.created = cp.modified = when
    cp.last_printed = when
    cp.revision = 1
    cp.language = "en-US" if lang == "en" else "zh-CN"
    cp.keywords = f"{report.plan_id} {report.year} {report.as_of or ''}".strip()
    cp.comments = ""
    cp.category = ""
    path = Path(path)
    doc.save(path)
    normalise_zip(path)
    return path
