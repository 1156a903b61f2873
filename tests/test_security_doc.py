"""SECURITY.md stays true: every file it points at exists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_security_md_names_only_files_that_exist():
    text = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`((?:tests|addin|letter_templates)/[\w/.-]+|[\w/]+\.py)`", text))
    assert named >= {"tests/service/test_formula_injection.py", "addin/build.py"}
    missing = [
        name
        for name in sorted(named)
        if not (ROOT / name).exists() and not (ROOT / "src" / "debiteuren" / name).exists()
    ]
    assert missing == []
