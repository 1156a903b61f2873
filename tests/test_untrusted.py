"""Texts from data made safe to show: what a hostile cell cannot do."""

from __future__ import annotations

import re
import time
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from debiteuren.untrusted import one_line, without_direction_controls

#: The pattern before the fix: the same result, in quadratic time on a long run of spaces.
_BEFORE = re.compile(" *[\x00-\x1f\x7f-\x9f\u2028\u2029][ \x00-\x1f\x7f-\x9f\u2028\u2029]*")


@pytest.mark.parametrize(
    "text",
    [
        " " * 32_000 + "a\x01",  # the longest cell Excel holds: spaces, no control after them
        "a" + " " * 32_000 + "\u200f",  # not printable, yet no control character at all
    ],
)
def test_one_line_takes_no_seconds_on_a_cell_of_spaces(text: str):
    started = time.perf_counter()
    one_line(text)
    assert time.perf_counter() - started < 1  # 6 to 7 seconds before


@pytest.mark.parametrize(
    "text",
    [
        "Familie Bakker\nK999",
        "  Jansen \r\n \t BV  ",
        "\n\nvoor",
        "achter \x1b\x1b ",
        "a  \u2028  b \x85c",
        "   \x00",
        "in  gesprongen\x7f",
    ],
)
def test_one_line_joins_lines_as_before(text: str):
    assert one_line(text) == _BEFORE.sub(" ", text)


#: Every invisible character that sets a direction: the explicit embeddings, overrides and
#: isolates (by their bidirectional class), and the marks LRM, RLM and ALM.
_EXPLICIT = {"LRE", "RLE", "PDF", "LRO", "RLO", "LRI", "RLI", "FSI", "PDI"}
_MARKS = "\u200e\u200f\u061c"


@given(st.text(alphabet=st.characters(codec="utf-8")) | st.text(alphabet=f"ab1 \u202e{_MARKS}"))
def test_no_direction_control_or_mark_survives_and_nothing_else_goes(text: str):
    result = without_direction_controls(text)
    assert not any(unicodedata.bidirectional(ch) in _EXPLICIT or ch in _MARKS for ch in result)
    kept = [
        ch for ch in text if unicodedata.bidirectional(ch) not in _EXPLICIT and ch not in _MARKS
    ]
    assert result == "".join(kept)
