"""The letter context declared once (debiteuren.letters.fields) and filled block by block."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal as D

import pytest

from debiteuren.core.claim import assess_debtor
from debiteuren.core.model import (
    Action,
    Channel,
    Country,
    Creditor,
    Debtor,
    DebtorKind,
    Invoice,
    Payment,
    Settings,
    Step,
)
from debiteuren.core.rates import builtin
from debiteuren.letters.context import LetterPlan, build_context, letter_context
from debiteuren.letters.fields import (
    CostLine,
    LetterContext,
    field_docs,
    known_fields,
    template_data,
)
from debiteuren.letters.samples import LANGUAGES, TEMPLATE_IDS, context_fields, sample_context

SETTINGS = Settings(be_consumer_interest_clause=D("10.50"), be_consumer_lump_sum_clause=True)
PEETERS = Creditor(
    name="Schrijnwerkerij Peeters BV",
    country=Country.BE,
    city="Gent",
    registration="0812.345.603",
    iban="BE71096123456769",
)
DHONDT = Debtor(
    number="B-0315",
    name="Lotte D'hondt & Jef Claes",
    country=Country.BE,
    kind=DebtorKind.CONSUMER,
    language="nl",
)
INVOICES = [
    Invoice(
        number="2025-0311",
        debtor="B-0315",
        invoice_date=date(2025, 9, 16),
        due_date=date(2025, 9, 30),
        amount=D("1000.00"),
    ),
    Invoice(
        number="2025-0340",
        debtor="B-0315",
        invoice_date=date(2025, 9, 17),
        due_date=date(2025, 10, 1),
        amount=D("450.00"),
    ),
]


def _plan(step: Step, on: date, actions=(), payments=()) -> LetterPlan:
    claim = assess_debtor(
        DHONDT, INVOICES, list(payments), list(actions), PEETERS, SETTINGS, builtin(), on
    )
    return LetterPlan(
        claim=claim, step=step, invoices=("2025-0311", "2025-0340"), sent_on=on, language="nl"
    )


class TestDeclaration:
    def test_every_field_is_described(self):
        docs = field_docs()
        assert all(doc.meaning for doc in docs)
        assert [doc.path for doc in docs if doc.block] == [
            f.name for f in dataclasses.fields(LetterContext)
        ]
        # a list's rows share the list's path
        assert "kosten.per_factuur_bedragen.bedrag" in known_fields()
        assert "regeling.termijnen.vervaldatum" in known_fields()

    def test_template_data_is_plain(self):
        data = template_data((CostLine(factuur="F1", bedrag="€ 40,00"),))
        assert data == [{"factuur": "F1", "bedrag": "€ 40,00"}]
        assert type(data[0]) is dict


class TestBuilders:
    """The builders fill exactly the declared fields, with the engine's figures."""

    @pytest.mark.parametrize(
        "step", [Step.BE_FIRST_REMINDER, Step.NOTICE_OF_DEFAULT, Step.HANDOVER, Step.PLAN]
    )
    def test_fill_only_declared_fields_and_every_block(self, step: Step):
        context = letter_context(_plan(step, date(2025, 10, 10)), PEETERS, SETTINGS)
        qr = context.pop("_qr")
        assert context_fields(context) <= known_fields()
        assert list(context) == [f.name for f in dataclasses.fields(LetterContext)]
        for name, block in context.items():
            declared = {p.split(".")[1] for p in known_fields() if p.startswith(f"{name}.")}
            for row in block if isinstance(block, list) else [block]:
                assert set(row) == declared, name
        assert qr["amount"] == D("1450.00")

    def test_the_book_xix_block_of_a_first_reminder(self):
        # Sent by post on Friday 3 October 2025: the term ends on Tuesday 21 October (be.md
        # §3.3); the lump sums are the caps per invoice on 1,000.00 and 450.00 (§3.5).
        typed = build_context(_plan(Step.BE_FIRST_REMINDER, date(2025, 10, 3)), PEETERS, SETTINGS)
        xix = typed.xix
        assert (xix.laatste_dag, xix.forfait, xix.rente_percentage) == (
            "21\xa0oktober\xa02025",
            "€\xa0150,00",
            "10,50%",
        )
        assert [(line.factuur, line.bedrag) for line in xix.forfait_per_factuur] == [
            ("2025-0311", "€\xa090,00"),
            ("2025-0340", "€\xa060,00"),
        ]
        assert typed.brief.termijn_tot == xix.laatste_dag
        assert typed.kosten.van_toepassing is False
        assert typed.klant.land == ""  # at home: no country on the envelope

    def test_the_costs_and_interest_after_the_first_reminder(self):
        # The first reminder's term (up to 21 October) passed unpaid: the lump sums and the
        # agreed interest from the start of the term (SME creditor, be.md §3.6) are due.
        reminder = Action(
            on=date(2025, 10, 3),
            debtor="B-0315",
            step=Step.BE_FIRST_REMINDER,
            invoices=("2025-0311", "2025-0340"),
            channel=Channel.POST,
        )
        payment = Payment(on=date(2025, 9, 29), amount=D("200.00"), debtor="B-0315")
        plan = _plan(Step.NOTICE_OF_DEFAULT, date(2025, 11, 5), [reminder], [payment])
        typed = build_context(plan, PEETERS, SETTINGS)
        assert typed.kosten.bedrag == "€\xa0140,00"  # 2025-0311 had 800.00 open: 65 + 5 % x 300
        assert [c.bedrag for c in typed.kosten.per_factuur_bedragen] == ["€\xa080,00", "€\xa060,00"]
        assert typed.totaal.betaald == "€\xa0200,00"
        assert typed.rente.percentage == "10,50%"
        assert typed.brief.vorige_datum == ""


def _values(value, path: str, prefix: str = ""):
    """Yield every value at ``path`` in a context (through lists)."""
    if isinstance(value, list):
        for item in value:
            yield from _values(item, path, prefix)
    elif isinstance(value, dict):
        for key, item in value.items():
            here = f"{prefix}.{key}" if prefix else key
            if here == path:
                yield from item if isinstance(item, list) else [item]
            elif path.startswith(here + "."):
                yield from _values(item, path, here)


def test_the_readme_examples_are_values_the_samples_take():
    """Every example in letter_templates/README.md is what a sample letter really says."""
    contexts = [sample_context(t, lang) for t in TEMPLATE_IDS for lang in LANGUAGES]
    wrong = {}
    for doc in field_docs():
        if doc.example is None:
            continue
        # an amount's or date's no-break space and a date's non-breaking hyphen (formatting)
        # read as a space and a hyphen in the README
        seen = {
            v.replace("\xa0", " ").replace("\u2011", "-") if isinstance(v, str) else v
            for c in contexts
            for v in _values(c, doc.path)
            if not isinstance(v, dict)
        }
        examples = doc.example if isinstance(doc.example, tuple) else (doc.example,)
        if not set(examples) <= seen:
            wrong[doc.path] = (doc.example, sorted(map(str, seen))[:6])
    assert wrong == {}
