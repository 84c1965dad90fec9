"""Docs, settings and bundled resources cite only files the project contains (issue 10): a reader
who follows `shared/data/README.md` or `docs/x.md` finds it in the repository."""
import re
from pathlib import Path

from zhizao.settings import SETTINGS

ROOT = Path(__file__).resolve().parents[1]
TEXT = (".md", ".py", ".yaml", ".yml", ".txt", ".csv")
# A repository path as cited: shared/…, or a file under the package, docs, tests or scripts.
CITED = re.compile(r"(?<![\w./-])(?:/work/)?((?:shared|zhizao|docs|tests|scripts)/[\w.\-/]*[\w])")


def _cited_in() -> dict[str, str]:
    files = [ROOT / "README.md", ROOT / "zhizao" / "settings.py", ROOT / "zhizao" / "store" / "importing.py",
             ROOT / "zhizao" / "codes" / "industries.py", *sorted((ROOT / "docs").glob("*.md")),
             *sorted(p for p in (ROOT / "zhizao" / "resources").rglob("*") if p.suffix in TEXT and p.is_file()
                     and p.stat().st_size < 2_000_000)]
    texts = {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in files}
    texts["settings (values)"] = "\n".join(f"{s.basis} {s.help_en}" for s in SETTINGS)
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
