"""Customers abroad: the applicable law decides the rules (Rome I art. 3, 4 and 6), to the cent."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP
from decimal import Decimal as D

import pytest

from debiteuren.core.claim import assess_debtor
from debiteuren.core.ladder import ladder_for
from debiteuren.core.model import (
    Action,
    Channel,
    Country,
    Creditor,
    Debtor,
    DebtorKind,
    Invoice,
    Settings,
    Step,
)
from debiteuren.core.rates import builtin
from debiteuren.core.rules import (
    AbroadRules,
    CountryRules,
    LawNotChosen,
    VatRelief,
    applicable_law,
    be,
    chosen_law_notice,
    epc_qr_offered,
    law_problem,
    law_statement,
    new_customer_language,
    nl,
    rules_for,
    vat_relief,
)
from debiteuren.core.rules.abroad import presumed_receipt_abroad

NL_SHOP = Creditor(name="Van Dijk Installatietechniek B.V.", iban="NL91ABNA0417164300")
BE_SHOP = Creditor(name="Schrijnwerkerij Peeters BV", country=Country.BE, iban="BE71096123456769")
AS_OF = date(2025, 4, 30)


def customer(country: str, kind=DebtorKind.BUSINESS, law: Country | None = None) -> Debtor:
    return Debtor(number="K7", name="Müller GmbH", country=country, kind=kind, law=law)


def invoice(amount: str = "1000.00") -> Invoice:
    return Invoice(
        number="F1",
        debtor="K7",
        invoice_date=date(2025, 1, 1),
        due_date=date(2025, 1, 31),
        amount=D(amount),
    )


def cents(x: D) -> D:
    return x.quantize(D("0.01"), ROUND_HALF_UP)


def expected_interest(principal: str, percent: str, days: int) -> D:
    """Simple interest, actual days / 365 (no anniversary within the period)."""
    return cents(D(principal) * D(percent) / 100 * days / 365)


def claim(debtor: Debtor, creditor: Creditor, actions=(), as_of: date = AS_OF):
    return assess_debtor(
        debtor, [invoice()], [], list(actions), creditor, Settings(), builtin(), as_of
    ).claim_for("F1")


# --- a business abroad: the creditor's law, or the one chosen -----------------------------------


def test_a_german_business_under_dutch_law_owes_handelsrente_and_40_euro_to_the_cent():
    c = claim(customer("DE"), NL_SHOP)
    # 1 February to 30 April 2025: 89 days at the Dutch commercial rate of 2025 H1, 11.15 %
    assert c.statement.interest == expected_interest("1000.00", "11.15", 89) == D("27.19")
    assert c.statement.costs == D("40.00")  # art. 6:96 lid 4 BW, from the day after the due date
    assert c.outstanding == D("1067.19")
    assert [p.rate for p in c.statement.periods] == [D("11.15")]


def test_under_belgian_law_the_belgian_rate_and_compensation_apply():
    chosen = claim(customer("DE", law=Country.BE), NL_SHOP)  # chosen on the Klanten sheet
    default = claim(customer("DE"), BE_SHOP)  # a Belgian creditor's own law
    for c in (chosen, default):
        # the rate of the Law of 2 August 2002 in 2025 H1: 11.50 %, simple interest
        assert c.statement.interest == expected_interest("1000.00", "11.50", 89) == D("28.04")
        assert c.statement.costs == D("40.00")
        assert [p.rate for p in c.statement.periods] == [D("11.50")]


def test_the_law_of_a_business_abroad_is_the_creditors_unless_chosen():
    assert applicable_law(customer("DE"), NL_SHOP) is Country.NL
    assert applicable_law(customer("DE"), BE_SHOP) is Country.BE
    assert applicable_law(customer("SE", law=Country.BE), NL_SHOP) is Country.BE
    assert ladder_for(customer("DE"), BE_SHOP) == (
        Step.REMINDER,
        Step.NOTICE_OF_DEFAULT,
        Step.HANDOVER,
    )
    with pytest.raises(ValueError):  # only the creditor can say which law: never guessed
        rules_for(customer("DE"))


def test_a_customer_in_nl_or_be_keeps_its_own_countrys_law():
    assert rules_for(customer("NL"), BE_SHOP) is nl
    assert rules_for(customer("BE"), NL_SHOP) is be
    assert law_problem(customer("BE", law=Country.BE)) == ""
    assert law_problem(customer("BE", law=Country.NL)) == (
        "Toepasselijk recht geldt alleen voor een klant buiten Nederland en België; voor een "
        "klant in België geldt Belgisch recht. Maak de cel leeg."
    )


def test_the_rules_abroad_are_the_laws_own_and_implement_the_protocol():
    rules = rules_for(customer("DE"), NL_SHOP)
    assert isinstance(rules, AbroadRules) and isinstance(rules, CountryRules)
    assert rules.COUNTRY is Country.NL and rules.CITATIONS is nl.CITATIONS
    assert rules.ladder(DebtorKind.BUSINESS) == nl.ladder(DebtorKind.BUSINESS)
    assert rules_for(customer("de"), NL_SHOP) is rules  # one object per law and country


# --- a consumer abroad: refused until the law is set ----------------------------------------------


def test_a_french_consumer_is_refused_until_the_law_is_set():
    consumer = customer("FR", DebtorKind.CONSUMER)
    with pytest.raises(LawNotChosen) as refused:
        rules_for(consumer, NL_SHOP)
    assert refused.value.message == law_problem(consumer)
    assert law_problem(consumer) == (
        "Klant K7 is een consument in Frankrijk. Voor een consument kan het recht van zijn eigen "
        "land gelden (Rome I-Verordening, art. 6): als u uw verkoop op dat land richtte, en een "
        "gekozen recht neemt hem de bescherming van de dwingende regels van dat land niet af. "
        "debiteuren kiest dat recht niet zelf. Vul in de kolom Toepasselijk recht NL of BE in als "
        "dat recht op de overeenkomst van toepassing is; de brieven en de uitvoer van debiteuren "
        "zeggen dan welk recht u koos."
    )
    chosen = customer("FR", DebtorKind.CONSUMER, law=Country.NL)
    assert law_problem(chosen) == "" and rules_for(chosen, NL_SHOP).COUNTRY is Country.NL
    assert chosen_law_notice(chosen, NL_SHOP).startswith(
        "klant K7 is een consument in Frankrijk; debiteuren past Nederlands recht toe"
    )
    assert chosen_law_notice(customer("DE"), NL_SHOP) == ""  # a business: no warning


def test_a_french_consumer_under_dutch_law_gets_the_14_day_term_from_receipt_abroad():
    consumer = customer("FR", DebtorKind.CONSUMER, law=Country.NL)
    letter = Action(on=date(2025, 3, 7), debtor="K7", step=Step.FOURTEEN_DAY_LETTER)
    c = claim(consumer, NL_SHOP, [letter])
    # posted on Friday 7 March, presumed received five working days later, on Friday 14 March
    # (in the Netherlands: Saturday 8 March); the 14 days run from Saturday 15 March
    assert (c.notice.received_on, c.notice.last_day) == (date(2025, 3, 14), date(2025, 3, 28))
    assert c.statement.costs == D("150.00")  # the WIK scale: 15 % of 1,000.00
    assert c.statement.interest == expected_interest("1000.00", "6", 89) == D("14.63")
    # within the term no costs yet
    early = claim(consumer, NL_SHOP, [letter], as_of=date(2025, 3, 28))
    assert early.statement.costs == 0


def test_post_abroad_skips_weekends_and_the_destinations_holidays():
    # Wednesday 7 May 2025; Thursday 8 May is a French public holiday (Victoire 1945)
    assert presumed_receipt_abroad(date(2025, 5, 7), "FR", Settings()) == date(2025, 5, 15)
    assert presumed_receipt_abroad(date(2025, 5, 7), "DE", Settings()) == date(2025, 5, 14)
    assert presumed_receipt_abroad(date(2025, 5, 7), "DE", Settings(abroad_delivery_days=0)) is None
    rules = rules_for(customer("FR", DebtorKind.CONSUMER, law=Country.NL), NL_SHOP)
    by_mail = rules.letter_term(date(2025, 5, 7), Channel.EMAIL, Settings())
    assert by_mail.received_on == date(2025, 5, 7)  # e-mail: the day itself
    proven = rules.letter_term(date(2025, 5, 7), Channel.REGISTERED, Settings(), date(2025, 5, 9))
    assert proven.received_on == date(2025, 5, 9)  # a proven day of receipt wins


def test_a_reminder_abroad_interrupts_dutch_limitation_when_received_abroad():
    rules = rules_for(customer("DE"), NL_SHOP)
    reminder = Action(on=date(2025, 5, 7), debtor="K7", step=Step.REMINDER, invoices=("F1",))
    assert rules.interruptions(invoice(), [reminder], Settings()) == [date(2025, 5, 14)]
    assert nl.interruptions(invoice(), [reminder], Settings()) == [date(2025, 5, 8)]


def test_a_belgian_first_reminder_abroad_keeps_its_statutory_start():
    rules = rules_for(customer("DE", DebtorKind.CONSUMER, law=Country.BE), BE_SHOP)
    term = rules.letter_term(date(2025, 10, 3), Channel.POST, Settings())
    assert term.first_day == be.letter_term(date(2025, 10, 3), Channel.POST, Settings()).first_day


# --- the rest of what crosses the border ----------------------------------------------------------


def test_no_domestic_vat_relief_across_the_border():
    assert vat_relief(customer("DE")) is VatRelief.NOT_DOMESTIC
    assert vat_relief(customer("NL")) is VatRelief.AFTER_ONE_YEAR
    assert vat_relief(customer("BE")) is VatRelief.PROVEN_LOSS
    assert claim(customer("DE"), NL_SHOP).vat_refund is None
    assert claim(customer("NL"), NL_SHOP).vat_refund == date(2026, 1, 31)


def test_the_epc_qr_code_only_where_the_customer_pays_in_euro_over_sepa():
    offered = {c: epc_qr_offered(customer(c), NL_SHOP) for c in ("NL", "DE", "AT", "SE", "CH")}
    assert offered == {"NL": True, "DE": True, "AT": True, "SE": False, "CH": False}
    swedish_bank = Creditor(name="X", iban="SE4550000000058398257466")
    assert not epc_qr_offered(customer("DE"), swedish_bank)


def test_a_new_customers_language_follows_its_country():
    assert [new_customer_language(c) for c in ("DE", "AT", "FR", "SE", "US")] == [
        "de",
        "de",
        "fr",
        "en",
        "en",
    ]
    assert new_customer_language("BE", "4700") == "de"  # Eupen: the German-speaking Community


def test_the_statement_of_the_law_says_why():
    assert law_statement(customer("DE"), BE_SHOP) == (
        "Belgisch recht: de klant is een onderneming in Duitsland; zonder andere keuze geldt het "
        "recht van de verkoper of dienstverlener (Rome I-Verordening, art. 4 lid 1 onder a en b)"
    )
    assert law_statement(customer("SE", law=Country.NL), BE_SHOP) == (
        "Nederlands recht, gekozen in de kolom Toepasselijk recht: de klant is een onderneming in "
        "Zweden (rechtskeuze, Rome I-Verordening, art. 3)"
    )
    assert law_statement(customer("NL"), BE_SHOP) == (
        "Nederlands recht: de klant woont of is gevestigd in Nederland"
    )
