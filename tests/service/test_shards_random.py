"""Issue 17, a hostile check: random statements of the demo's customers, in one or two files of
one run, with splits, single payments, stornos, lines read twice or with a reference used again,
and doubles of a row read before, give the same Betalingen rows (to the cent, in the same order)
whether a forked copy matches the lines and works out some customers' splits or this process
does everything."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_shards import NOW, STATEMENT, _ahead, _paying, _same_parts, needs_fork

from debiteuren import service
from debiteuren.demo import DEMO_AS_OF
from debiteuren.service import payments
from debiteuren.service.payments import import_statements

#: Payers: IBAN -> the invoices their texts name (the copy follows K003, K001 and K008).
_PAYERS = {
    "NL44RABO0123456789": ("2025-0088", "2026-0057", "2026-0110", "2023-0041"),  # K003
    "BE68539007547034": ("2024-0107", "2026-0035", "2026-0088"),  # K012
    "NL20INGB0001234567": ("2026-0011", "2026-0073", "2026-0107"),  # K001
    "DE89370400440532013000": ("2026-0046", "2026-0084", "2026-0132"),  # K008
}
_AMOUNTS = ["0.01", "60.00", "95.00", "100.00", "554.64", "600.00", "2717.25", "9000.00"]


@pytest.fixture(scope="module")
def _updated(_demo_built, tmp_path_factory) -> Path:
    book = Path(shutil.copyfile(_demo_built, tmp_path_factory.mktemp("bijgewerkt") / "d.xlsx"))
    service.update(book, DEMO_AS_OF, now=NOW)
    return book


_ENTRY = st.tuples(
    st.sampled_from(["pay", "pay", "pay", "storno", "again", "double"]),
    st.sampled_from(sorted(_PAYERS)),
    st.integers(10, 14),  # the day in October
    st.sampled_from(_AMOUNTS),
    st.lists(st.integers(0, 3), min_size=1, max_size=3, unique=True),
    st.integers(0, 30),  # which earlier entry a storno or a line read again takes
)


def _statement(entries) -> list[str]:
    """Return the CAMT entries of ``entries``, in order."""
    made: list[tuple[int, str, int, str]] = []  # (number, iban, day, amount) of the credits
    texts = []
    for k, (kind, iban, day, amount, which, earlier) in enumerate(entries, start=10):
        invoices = _PAYERS[iban]
        numbers = " en ".join(invoices[n % len(invoices)] for n in which)
        booked = f"2026-10-{day:02d}"
        if kind == "storno" and made:
            _, iban, _, amount = made[earlier % len(made)]
            texts.append(
                _paying(k, booked, amount, iban, "terugboeking")
                .replace("CRDT", "DBIT")
                .replace("<Sts>", "<RvslInd>true</RvslInd><Sts>")
            )
        elif kind == "again" and made:  # the same reference, on its own day or another
            number, iban, first_day, amount = made[earlier % len(made)]
            booked = f"2026-10-{(first_day if day % 2 else day):02d}"
            texts.append(_paying(number, booked, amount, iban, f"factuur {numbers}"))
        elif kind == "double":  # P2 of the first file, under another reference
            texts.append(_paying(k, "2026-10-13", "100.00", "NL44RABO0123456789", "2026-0110"))
        else:
            texts.append(_paying(k, booked, amount, iban, f"facturen {numbers}"))
            made.append((k, iban, day, amount))
    return texts


@needs_fork
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.lists(_ENTRY, min_size=1, max_size=12), st.integers(0, 12), st.sampled_from([1, 2, 3]))
def test_random_statements_give_the_rows_of_one_core(
    _updated, tmp_path_factory, entries, cut, batch
):
    folder = tmp_path_factory.mktemp("willekeurig")
    first = folder / "eerste.xml"
    first.write_text(
        STATEMENT.replace(
            "</Stmt>",
            _paying(2, "2026-10-13", "100.00", "NL44RABO0123456789", "2026-0110") + "</Stmt>",
        )
    )
    texts = _statement(entries)
    files = []
    for n, part in enumerate((texts[:cut], texts[cut:])):
        if part:
            path = folder / f"deel{n}.xml"
            statement = STATEMENT.replace("</Stmt>", "".join(part) + "</Stmt>")
            statement = statement.replace("<Id>S1</Id>", f"<Id>S1-{n}</Id>")
            path.write_text(statement.replace("<MsgId>M1<", f"<MsgId>M1-{n}<"))
            files.append(path)
    books = []
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(payments, "MATCH_BATCH", batch)
        for ahead in (False, True):
            book = Path(shutil.copyfile(_updated, folder / f"{ahead}.xlsx"))
            patched.setattr(payments, "MIN_LINES_AHEAD", 10**9)
            import_statements(book, [first], as_of=DEMO_AS_OF, now=NOW)
            patched.setattr(payments, "MIN_LINES_AHEAD", 0 if ahead else 10**9)
            with pytest.MonkeyPatch.context() as spied:
                made = _ahead(spied)
                import_statements(book, files, as_of=DEMO_AS_OF, now=NOW)
            assert made == ([True] * len(files) if ahead else [])
            books.append(book)
    _same_parts(*books)
