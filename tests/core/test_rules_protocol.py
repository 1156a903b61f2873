"""The country rules protocol: every country module implements every member, and the rest of the
program asks the rules instead of comparing countries."""

import inspect
import re
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from debiteuren.core.model import (
    Action,
    Channel,
    Country,
    Creditor,
    Debtor,
    DebtorKind,
    Invoice,
    ReferenceKind,
    Settings,
    Step,
)
from debiteuren.core.rates import builtin
from debiteuren.core.rules import (
    COUNTRIES,
    AbroadRules,
    Announcement,
    CountryRules,
    Fee,
    UnknownCountry,
    VatRelief,
    Wording,
    applicable_law,
    be,
    citation,
    costs_gap,
    for_country,
    is_supported,
    nl,
    payment_reference_kind,
    rules_for,
)

#: Every member of the protocol, by name: a new member is added here on purpose.
MEMBERS = {
    "COUNTRY",
    "COMPOUND",
    "CITATIONS",
    "LETTER_TEMPLATES",
    "INTERRUPTING_LETTERS",
    "PAYMENT_REFERENCE",
    "VAT_RELIEF",
    "SUMMONS",
    "WORDING",
    "EAS_REGISTRATION",
    "EAS_VAT",
    "ladder",
    "formal_letter",
    "default_notice_steps",
    "letter_term",
    "announced_costs",
    "interest_schedule",
    "interest_start",
    "interest_basis",
    "series_in_use",
    "cost_rules",
    "court_fee",
    "interrupts_limitation",
    "interruptions",
    "limitation_date",
    "vat_refund_date",
    "rate_publication",
    "letter_language",
    "registration_number",
    "registration_in_vat",
}
DATA = {name: kind for name, kind in CountryRules.__annotations__.items()}
METHODS = {
    name
    for name, value in vars(CountryRules).items()
    if inspect.isfunction(value) and not name.startswith("_")
}
MODULES = [for_country(c) for c in COUNTRIES]


def debtor(country, kind=DebtorKind.CONSUMER):
    return Debtor(number="K1", name="Klant", country=Country(country), kind=kind)


def test_the_protocol_lists_every_member():
    assert set(DATA) | METHODS == MEMBERS


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.COUNTRY.value)
def test_each_country_module_implements_every_member(module):
    assert isinstance(module, CountryRules)  # runtime_checkable: every member is there
    missing = [name for name in MEMBERS if not hasattr(module, name)]
    assert missing == []


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.COUNTRY.value)
@pytest.mark.parametrize("name", sorted(METHODS))
def test_each_function_has_the_protocols_signature(module, name):
    wanted = list(inspect.signature(getattr(CountryRules, name)).parameters.values())[1:]
    found = list(inspect.signature(getattr(module, name)).parameters.values())
    assert [(p.name, p.kind, p.default) for p in found] == [
        (p.name, p.kind, p.default) for p in wanted
    ]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.COUNTRY.value)
def test_the_data_members_have_their_types(module):
    assert for_country(module.COUNTRY) is module
    assert isinstance(module.COMPOUND, bool)
    assert all(isinstance(step, Step) for step in module.LETTER_TEMPLATES)
    assert all(isinstance(step, Step) for step in module.INTERRUPTING_LETTERS)
    assert isinstance(module.PAYMENT_REFERENCE, ReferenceKind)
    assert isinstance(module.VAT_RELIEF, VatRelief)
    assert isinstance(module.SUMMONS, Fee)
    assert isinstance(module.WORDING, Wording)
    assert re.fullmatch(r"\d{4}", module.EAS_REGISTRATION)
    assert re.fullmatch(r"\d{4}", module.EAS_VAT)


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.COUNTRY.value)
def test_every_citation_a_caller_asks_for_is_there_in_four_languages(module):
    subjects = {
        "allocation",
        "capitalisation",
        "limitation",
        "interruption",
        "costs_consumer",
        "costs_business",
        "letter_costs_consumer",
        "letter_costs_business",
    }
    for kind in DebtorKind:
        for settings in (
            Settings(),
            Settings(be_consumer_interest_clause=D(8)),
            Settings(be_consumer_no_clause="wettelijke_interest"),
        ):
            basis = module.interest_basis(debtor(module.COUNTRY.value, kind), settings)
            if basis is not None:
                subjects.add(f"letter_interest_{basis}")
    for subject in subjects:
        assert set(module.CITATIONS[subject]) == {"nl", "fr", "en", "de"}, subject


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.COUNTRY.value)
def test_every_sentence_of_the_wording_formats_with_its_placeholders(module):
    values = dict(
        who="Factuur F1", day="01-02-2026", days=10, amount="€ 1,00", agency="", invoice="F1"
    )
    values |= dict(sent="01-01-2026", last="15-01-2026", charges="16-01-2026")
    for field in Wording.__dataclass_fields__:
        text = getattr(module.WORDING, field).format(**values)
        assert "{" not in text and text.strip() == text, field


@pytest.mark.parametrize(
    ("country", "kind", "first", "formal"),
    [
        ("NL", DebtorKind.CONSUMER, Step.REMINDER, Step.FOURTEEN_DAY_LETTER),
        ("NL", DebtorKind.BUSINESS, Step.REMINDER, None),
        ("BE", DebtorKind.CONSUMER, Step.BE_FIRST_REMINDER, Step.BE_FIRST_REMINDER),
        ("BE", DebtorKind.BUSINESS, Step.REMINDER, None),
    ],
)
def test_the_ladder_starts_with_the_first_reminder_and_holds_the_formal_letter(
    country, kind, first, formal
):
    rules = for_country(country)
    steps = rules.ladder(kind)
    assert steps[0] is first and steps[-1] is Step.HANDOVER and Step.CALL in steps
    assert rules.formal_letter(kind) is formal
    assert formal is None or formal in steps


def test_rules_for_selects_the_debtors_country_and_the_registry_knows_nl_and_be():
    assert rules_for(debtor("NL")) is nl
    assert rules_for(debtor("BE"), Creditor(name="Winkel")) is be
    assert COUNTRIES == (Country.NL, Country.BE)
    assert [is_supported(c) for c in ("NL", "be", " BE ", "DE", "")] == [
        True,
        True,
        True,
        False,
        False,
    ]
    with pytest.raises(UnknownCountry):
        for_country("FR")


@hypothesis_settings(max_examples=200, deadline=None)
@given(
    st.one_of(
        st.sampled_from(["NL", "BE", "nl", " be ", "Be\t", "DE", "fr", "", "N L", "NLD"]),
        st.text(max_size=4),
    ),
    st.sampled_from(list(DebtorKind)),
    st.sampled_from([None, Country.NL, Country.BE]),
)
def test_rules_for_a_country_is_the_law_of_that_country_asked_again(country, kind, law):
    """Issue 17: a customer in NL or BE gets its rules from a small cache of its country; the
    answer is what applicable_law and the registry give, also when asked again."""
    customer = Debtor(number="K1", name="Klant", country=country, kind=kind, law=law)
    shop = Creditor(name="Winkel")
    try:  # the selection as it was before the cache
        law = applicable_law(customer, shop)
        if is_supported(country):
            expected = for_country(law)
        else:
            expected = AbroadRules(for_country(law), str(country).strip().upper())
    except Exception as problem:  # a consumer abroad without a chosen law, say
        with pytest.raises(type(problem)):
            rules_for(customer, shop)
        return
    first, again = rules_for(customer, shop), rules_for(customer, shop)
    assert first is again
    assert repr(first) == repr(expected)
    if is_supported(country):
        assert first is for_country(applicable_law(customer, shop))


def test_citation_takes_the_rules_or_a_country_code():
    assert citation(be, "interruption") == "art. 2244 §2 oud BW"
    assert citation("NL", "interruption", "fr") == "art. 3:317 du Code civil néerlandais"
    assert citation(nl, "letter_interest_nl_handelsrente", "es") == (
        "de wettelijke handelsrente (artikel 6:119a BW)"  # an unknown language: Dutch
    )


# --- limitation and its interruptions --------------------------------------------------------

INV = Invoice(
    number="F1",
    debtor="K1",
    invoice_date=date(2024, 1, 1),
    due_date=date(2024, 1, 31),
    amount=D("100.00"),
)


def act(step, on=date(2025, 6, 6), channel=Channel.POST, note="", invoices=("F1",)):
    return Action(on=on, debtor="K1", step=step, channel=channel, note=note, invoices=invoices)


def test_nl_written_demands_interrupt_from_their_presumed_receipt():
    # Friday 6 June 2025 by post: delivered on Saturday 7 June (Tuesday to Saturday).
    actions = [
        act(Step.REMINDER),
        act(Step.NOTICE_OF_DEFAULT, channel=Channel.EMAIL),  # e-mail: not without the setting
        act(Step.CALL, channel=Channel.PHONE),
        act(Step.REMINDER, invoices=("F2",)),  # another invoice
        act(Step.BE_FORMAL_NOTICE),  # not a Dutch instrument
    ]
    assert nl.interruptions(INV, actions, Settings()) == [date(2025, 6, 7)]
    by_mail = Settings(nl_email_interrupts_limitation=True)
    assert nl.interruptions(INV, actions, by_mail) == [date(2025, 6, 7), date(2025, 6, 6)]
    assert nl.limitation_date(
        INV, debtor("NL", DebtorKind.BUSINESS), Settings(), [date(2025, 6, 7)]
    ) == date(2030, 6, 7)


def test_be_only_a_lawyers_or_bailiffs_notice_interrupts():
    actions = [
        act(Step.REMINDER),
        act(Step.NOTICE_OF_DEFAULT),  # the creditor's own ingebrekestelling: never
        act(Step.BE_FORMAL_NOTICE, on=date(2025, 3, 3)),
        act(Step.HANDOVER, on=date(2025, 4, 4), note="2244 §2: deurwaarder Peeters"),
        act(Step.HANDOVER, on=date(2025, 5, 5), note="overgedragen"),
    ]
    assert be.interruptions(INV, actions, Settings()) == [date(2025, 3, 3), date(2025, 4, 4)]
    assert be.INTERRUPTING_LETTERS == ()
    # goods sold to a consumer: presumed paid after a year; a notice adds at most one more year
    consumer = debtor("BE")
    assert be.limitation_date(INV, consumer, Settings(), []) == date(2025, 1, 31)
    assert be.limitation_date(INV, consumer, Settings(), [date(2025, 1, 10)]) == date(2026, 1, 10)


# --- announced costs ------------------------------------------------------------------------


def test_a_be_first_reminder_without_clauses_announces_nothing():
    announced = be.announced_costs(
        date(2025, 10, 3),
        Channel.EMAIL,
        [("F1", D("1000.00"))],
        debtor("BE"),
        Creditor(name="KMO"),
        Settings(),
        builtin(),
    )
    assert announced == Announcement(
        term=be.letter_term(date(2025, 10, 3), Channel.EMAIL, Settings())
    )
    assert announced.term.last_day == date(2025, 10, 17)


def test_a_14_dagenbrief_announces_the_wik_scale_on_all_its_invoices_together():
    announced = nl.announced_costs(
        date(2025, 2, 3),
        Channel.POST,
        [("F1", D("2000.00")), ("F2", D("1000.00"))],
        debtor("NL"),
        Creditor(name="Winkel"),
        Settings(),
        builtin(),
    )
    assert (announced.costs, announced.vat, announced.includes_vat) == (D("425.00"), D(0), False)
    assert announced.per_invoice == () and announced.rate is None


# --- legal gaps ---------------------------------------------------------------------------------


def test_costs_gap_names_the_missing_letter_or_its_running_term():
    as_of = date(2025, 10, 10)
    assert costs_gap(nl, DebtorKind.CONSUMER, None, as_of) == (
        "er is geen 14-dagenbrief verstuurd na de vervaldatum; zonder die brief is een consument "
        "geen incassokosten verschuldigd (art. 6:96 lid 6 BW)"
    )
    assert costs_gap(be, DebtorKind.CONSUMER, None, as_of) == (
        "er is geen kosteloze eerste herinnering verstuurd na de vervaldag; zonder die "
        "herinnering is een consument geen schadevergoeding of interest verschuldigd "
        "(Boek XIX WER)"
    )
    term = be.letter_term(date(2025, 10, 3), Channel.POST, Settings())
    assert costs_gap(be, DebtorKind.CONSUMER, term, as_of) == (
        "de termijn van de eerste herinnering van 03-10-2025 loopt nog tot en met 21-10-2025 "
        "(Boek XIX WER)"
    )
    assert costs_gap(be, DebtorKind.CONSUMER, term, date(2025, 10, 22)) == ""
    assert costs_gap(be, DebtorKind.BUSINESS, None, as_of) == ""


# --- payment references ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("creditor", "country", "kind"),
    [
        (Creditor(name="A", iban="NL91ABNA0417164300"), "NL", ReferenceKind.NL),
        (Creditor(name="A", iban="NL91ABNA0417164300"), "BE", ReferenceKind.RF),
        (Creditor(name="A", country=Country.NL, iban="BE68539007547034"), "BE", ReferenceKind.OGM),
        (Creditor(name="A", country=Country.BE), "BE", ReferenceKind.OGM),  # no IBAN: its country
        (Creditor(name="A", iban="DE89370400440532013000"), "NL", ReferenceKind.RF),
    ],
)
def test_the_creditors_bank_decides_the_payment_reference(creditor, country, kind):
    assert payment_reference_kind(debtor(country), creditor) is kind


# --- no country comparison outside the rules ----------------------------------------------------

SRC = Path(__file__).resolve().parents[2] / "src" / "debiteuren"
COMPARISON = re.compile(r'[!=]= ?"(BE|NL)"|Country\.(BE|NL)|in \("(NL|BE)"')
ALLOWED = ("core/rules/", "workbook/schema.py", "formatting.py")


def test_no_country_comparison_outside_the_rules():
    found = [
        f"{path.relative_to(SRC)}:{n}: {line.strip()}"
        for path in sorted(SRC.rglob("*.py"))
        if not path.relative_to(SRC).as_posix().startswith(ALLOWED)
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if COMPARISON.search(line)
    ]
    assert found == []
