"""Every setting reads in Chinese for a Chinese reader (issue 10): its basis has a Chinese text, and the
five-light settings say what they judge now — districts, zones, industries and clusters against their
peers in the same period, or with light_method=history against their own history; the city keeps
fixed cut-offs (docs/monitoring.md §Five lights)."""
import re

import pytest

from zhizao.settings import SETTINGS

CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_PROSE = re.compile(r"(?<![\w/.-])[a-z]{2,}(?:[ ,;:]+[a-z]{2,}){2,}(?![\w/.-])")
BY_NAME = {s.name: s for s in SETTINGS}


@pytest.mark.parametrize("s", SETTINGS, ids=[s.name for s in SETTINGS])
def test_basis_has_chinese_text(s):
    assert s.basis_zh and CJK.search(s.basis_zh), f"{s.name}: basis_zh missing"
    assert not ENGLISH_PROSE.search(s.basis_zh), f"{s.name}: English prose in basis_zh: {s.basis_zh}"
    assert CJK.search(s.help_zh) and not ENGLISH_PROSE.search(s.help_zh)


def test_light_settings_say_what_they_judge():
    z, fixed, method, sigma = (BY_NAME[n] for n in ("light_z_cutoffs", "light_fixed_cutoffs", "light_method",
                                                    "light_min_sigma_pp"))
    assert "同类对象" in z.help_zh and "自身历史" in z.help_zh and "全市" in z.help_zh
    assert "peers in the same period" in z.help_en and "own history" in z.help_en
    assert "全市" in fixed.help_zh and "city" in fixed.help_en.lower() and "peers" in fixed.help_en
    assert "同类对象" in method.help_zh and "peers" in method.help_en
    assert "同类" in sigma.help_zh and "peer" in sigma.help_en
