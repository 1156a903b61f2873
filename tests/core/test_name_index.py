"""NameIndex finds exactly the names names_match finds (property test against every pair)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from debiteuren.core.review import NameIndex, names_match

WORDS = st.sampled_from(
    ["Jansen", "Janssen", "de", "Vries", "B.V.", "Bakkerij", "Piet", "Klant", "12", "123", "321"]
)
NAMES = st.lists(WORDS, min_size=0, max_size=4).map(" ".join) | st.text("abn 12", max_size=12)


@settings(max_examples=150, deadline=None)
@given(st.lists(NAMES, max_size=25), st.lists(NAMES, min_size=1, max_size=8))
def test_the_index_agrees_with_every_pair(names, payers):
    customers = {f"K{i:03d}": name for i, name in enumerate(names)}
    index = NameIndex(customers)
    for payer in payers:
        expected = sorted(k for k, name in customers.items() if names_match(payer, name))
        assert index.matches(payer) == expected


def test_a_customer_among_thousands_is_found_by_a_close_name():
    customers = {f"K{i:05d}": f"Klant {i}" for i in range(3000)}
    customers["K99999"] = "Bakkerij De Korenschoof B.V."
    index = NameIndex(customers)
    assert index.matches("Bakkerij Korenschoof") == ["K99999"]
    assert index.matches("BAKKERIJ KORENSCHOOF BV") == ["K99999"]
    assert index.matches("Jan de Vries") == []
