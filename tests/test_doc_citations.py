"""Docs, settings, code and bundled resources cite only files the project contains (issue 10): a
reader who follows `zhizao/resources/datasets/SHARED-DATA-README.md`, `docs/x.md` or the research
notes (`docs/reference/methods.md §2.3`) finds them in the repository."""
import re
from pathlib import Path

from zhizao.settings import SETTINGS

ROOT = Path(__file__).resolve().parents[1]
TEXT = (".md", ".py", ".yaml", ".yml", ".txt", ".csv", ".sh", ".html", ".js", ".css", ".toml")
# A repository path as cited: shared/…, or a file under the package, docs, tests or scripts.
CITED = re.compile(r"(?<![\w./-])(?:/work/)?((?:shared|zhizao|docs|tests|scripts)/[\w.\-/]*[\w])")
# The research notes as cited: `methods.md`, `reference/methods.md`, `docs/reference/methods.md` …
NOTES = re.compile(r"(?<![\w.-])(?:/work/)?([\w./-]*methods\.md)")

# Files another part of issue 10 edits now that still cite a bare `methods.md`: second wave, to be
# pointed at docs/reference/methods.md after the merge (then this set is empty).
NOT_YET_FIXED: set[str] = set()


def _files() -> list[Path]:
    """What a reader follows citations from: README, docs (not the verbatim copy of the notes, whose
    citations are the outside world's), every text file of the package and the scripts."""
    small = [p for p in sorted((ROOT / "zhizao").rglob("*")) + sorted((ROOT / "scripts").rglob("*"))
             if p.is_file() and p.suffix in TEXT and p.stat().st_size < 2_000_000]
    docs = [p for p in sorted((ROOT / "docs").rglob("*.md")) if "reference" not in p.relative_to(ROOT / "docs").parts]
    return [ROOT / "README.md", *docs, *small]


def _cited_in() -> dict[str, str]:
    texts = {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in _files()}
    texts["settings (values)"] = "\n".join(f"{s.basis} {s.basis_zh} {s.help_en} {s.help_zh}" for s in SETTINGS)
    return texts


def _missing(text: str) -> list[str]:
    out = []
    for m in CITED.finditer(text):
        path = m.group(1).rstrip(".")
        if "<" in path or "*" in path:
            continue
        if not (ROOT / path).exists():
            out.append(path)
    return out


def test_no_shared_path_is_cited():
    bad = {name: sorted({p for p in _missing(text) if p.startswith("shared/")}) for name, text in _cited_in().items()}
    bad = {k: v for k, v in bad.items() if v}
    assert not bad, f"files cite shared/... paths the repository does not contain: {bad}"


def test_every_cited_repository_file_exists():
    bad = {name: sorted(set(_missing(text))) for name, text in _cited_in().items()}
    bad = {k: v for k, v in bad.items() if v}
    assert not bad, f"cited files that do not exist in the repository: {bad}"


def test_the_check_sees_a_missing_file():
    assert _missing("see shared/data/README.md and docs/methodology.md") == ["shared/data/README.md"]
    assert _missing("(/work/shared/data/README.md)") == ["shared/data/README.md"]


def _bare_notes(text: str) -> list[str]:
    """Citations of the research notes that do not name the file the repository holds."""
    return [m.group(1) for m in NOTES.finditer(text) if not (ROOT / m.group(1)).is_file()]


def test_the_research_notes_are_cited_where_they_are():
    assert (ROOT / "docs" / "reference" / "methods.md").is_file()
    bad = {name: sorted(set(found)) for name, text in _cited_in().items()
           if name not in NOT_YET_FIXED and (found := _bare_notes(text))}
    assert not bad, f"cite the notes as docs/reference/methods.md §…: {bad}"


def test_the_allow_list_is_not_stale():
    still = {name for name, text in _cited_in().items() if _bare_notes(text)}
    assert NOT_YET_FIXED <= still, f"fixed, remove from NOT_YET_FIXED: {sorted(NOT_YET_FIXED - still)}"


def test_the_check_sees_a_bare_citation():
    assert _bare_notes("see methods.md §2.3 and docs/reference/methods.md §2.1") == ["methods.md"]
    assert _bare_notes("(/work/shared/reference/methods.md)") == ["shared/reference/methods.md"]
    assert _bare_notes("reference/methods.md §6") == ["reference/methods.md"]
    assert _bare_notes("docs/reference/methods.md §6, /work/docs/reference/methods.md") == []


def test_the_copy_of_the_notes_says_what_it_is():
    head = (ROOT / "docs" / "reference" / "methods.md").read_text(encoding="utf-8")[:600]
    assert "copy" in head.lower() and "read-only" in head.lower() and re.search(r"20\d\d-\d\d-\d\d", head)
