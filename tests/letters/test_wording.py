"""The rendered French and English letters read right: no doubled article, and the phrases the
engine puts into a sentence fit it ("en vertu de …", "à compter du …")."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal as D

import pytest
from docx import Document
from docx.shared import Mm

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
    PlanInstalment,
    Settings,
    Step,
)
from debiteuren.core.rates import builtin
from debiteuren.letters.context import LetterPlan, letter_context, template_for
from debiteuren.letters.render import (
    find_template,
    letter_text,
    render_letter,
    shipped_template_dir,
)

SETTINGS = Settings(be_consumer_interest_clause=D("12"), be_consumer_lump_sum_clause=True)
CREDITORS = {
    "NL": Creditor(
        name="Drukkerij De Letterzetter B.V.",
        city="Utrecht",
        country=Country.NL,
        iban="NL91ABNA0417164300",
        email="debiteuren@letterzetter.nl",
        signatory="Anna de Wit, financiële administratie",
        vat_deductible=False,
    ),
    "BE": Creditor(
        name="Schrijnwerkerij Peeters BV",
        city="Gent",
        country=Country.BE,
        registration="0403.170.701",
        iban="BE71096123456769",
        email="info@peeters.be",
    ),
}
#: Every step of every regime, with the actions that make it the next step.
STEPS = [
    ("NL", DebtorKind.BUSINESS, Step.REMINDER),
    ("NL", DebtorKind.BUSINESS, Step.NOTICE_OF_DEFAULT),
    ("NL", DebtorKind.CONSUMER, Step.REMINDER),
    ("NL", DebtorKind.CONSUMER, Step.FOURTEEN_DAY_LETTER),
    ("BE", DebtorKind.CONSUMER, Step.BE_FIRST_REMINDER),
    ("BE", DebtorKind.CONSUMER, Step.NOTICE_OF_DEFAULT),
    ("BE", DebtorKind.BUSINESS, Step.REMINDER),
    ("BE", DebtorKind.BUSINESS, Step.NOTICE_OF_DEFAULT),
    ("NL", DebtorKind.BUSINESS, Step.PLAN),
    ("BE", DebtorKind.CONSUMER, Step.HANDOVER),
]

DOUBLED = {
    "fr": re.compile(r"\b(?:de|du)\s+(?:de|du)\b|\bd'\s*(?:de|du)\b", re.IGNORECASE),
    "en": re.compile(r"\b(the|of|from|under|a)\s+\1\b", re.IGNORECASE),
}


def rendered(country: str, kind: DebtorKind, step: Step, lang: str, paid: str = "100.00") -> str:
    debtor = Debtor(
        number="K1",
        name="Jean Martin",
        country=Country(country),
        kind=kind,
        email="k@example.org",
        language=lang,
    )
    invoices = [
        Invoice(
            number=number,
            debtor="K1",
            invoice_date=date(2025, month, 1),
            due_date=date(2025, month + 1, 1),
            amount=D(amount),
        )
        for number, month, amount in (("F1", 2, "1210.00"), ("F2", 3, "450.00"))
    ]
    actions = []
    if country == "BE" and kind is DebtorKind.CONSUMER and step is not Step.BE_FIRST_REMINDER:
        actions = [
            Action(
                on=date(2025, 9, 1), debtor="K1", step=Step.BE_FIRST_REMINDER, channel=Channel.POST
            )
        ]
    payments = [Payment(on=date(2025, 6, 2), amount=D(paid), debtor="K1")] if paid else []
    creditor = CREDITORS[country]
    claim = assess_debtor(
        debtor, invoices, payments, actions, creditor, SETTINGS, builtin(), date(2025, 11, 3)
    )
    plan = LetterPlan(
        claim=claim,
        step=step,
        invoices=("F1", "F2"),
        sent_on=date(2025, 11, 3),
        language=lang,
        previous_on=date(2025, 9, 1),
        handover_to="Cabinet Dubois",
        handover_history=((date(2025, 9, 1), "premier rappel"),),
        instalments=(
            PlanInstalment(debtor="K1", number=1, due_date=date(2025, 12, 1), amount=D("500.00")),
        ),
    )
    context = letter_context(plan, creditor, SETTINGS, builtin())
    template = find_template(template_for(step, debtor.country), lang)
    return letter_text(render_letter(template, context))


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize(("country", "kind", "step"), STEPS)
def test_no_doubled_article_in_any_letter(country, kind, step, lang):
    text = " ".join(rendered(country, kind, step, lang).split())
    assert DOUBLED[lang].findall(text) == [], DOUBLED[lang].search(text)


def test_the_phrases_fit_their_sentence_in_french():
    text = " ".join(rendered("NL", DebtorKind.BUSINESS, Step.NOTICE_OF_DEFAULT, "fr", "").split())
    assert "à compter du lendemain de l'échéance de chaque facture" in text
    assert "en vertu de l'article 6:96, alinéa 4, du Code civil néerlandais" in text
    # costs summed over two invoices are shown per invoice, with French spacing
    assert "(facture F1 : 40,00 € ; facture F2 : 40,00 €)" in text
    be = " ".join(rendered("BE", DebtorKind.BUSINESS, Step.NOTICE_OF_DEFAULT, "fr").split())
    assert "en vertu de la loi du 2 août 2002" in be
    xix = " ".join(rendered("BE", DebtorKind.CONSUMER, Step.BE_FIRST_REMINDER, "fr").split())
    # the Book XIX lump sum is a cap per invoice: 1,210.00 -> 65 + 5 % x 710 = 100.50;
    # 450.00 -> 30 + 10 % x 300 = 60.00 (each less what was paid on it: 100.00 on F1)
    assert (
        "une indemnité forfaitaire de 155,50 € (facture F1 : 95,50 € ; facture F2 : 60,00 €)" in xix
    )


@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
def test_the_contact_line_wraps_under_itself(lang):
    """The header's contact (the signer) has a hanging indent: a long name wraps under the
    name, not under its label."""
    doc = Document(shipped_template_dir() / lang / "herinnering.docx")
    info = doc.tables[0].rows[1].cells[1]
    contact = info.paragraphs[-2]  # then "{%p endif %}": shown only with a signer of its own
    assert "schuldeiser.ondertekenaar" in contact.text
    fmt = contact.paragraph_format
    assert round(fmt.left_indent / Mm(1)) == 40 and round(fmt.first_line_indent / Mm(1)) == -28


def _be_consumer_letter(
    lang: str,
    step: Step,
    settings: Settings,
    actions: list[Action],
    on: date,
    previous_on: date | None = None,
) -> str:
    """Return the text (spaces collapsed) of the ``step`` letter in ``lang`` sent ``on`` by a
    Belgian business to Jean Martin, a Belgian consumer owing F1 (€ 400,00, due 1-09-2025)."""
    debtor = Debtor(
        number="K1", name="Jean Martin", country=Country.BE, kind=DebtorKind.CONSUMER,
        email="k@example.org", language=lang,
    )  # fmt: skip
    invoice = Invoice(
        number="F1", debtor="K1", invoice_date=date(2025, 8, 1), due_date=date(2025, 9, 1),
        amount=D("400.00"),
    )  # fmt: skip
    creditor = CREDITORS["BE"]
    claim = assess_debtor(debtor, [invoice], [], actions, creditor, settings, builtin(), on)
    plan = LetterPlan(
        claim=claim, step=step, invoices=("F1",), sent_on=on, language=lang,
        previous_on=previous_on,
    )  # fmt: skip
    context = letter_context(plan, creditor, settings, builtin())
    template = find_template(template_for(step, Country.BE), lang)
    return " ".join(letter_text(render_letter(template, context)).split())


#: What the Belgian notice of default to a consumer may only say when the terms stipulate it.
BE_DAMAGES_CLAIMED = {
    "nl": ("forfaitaire schadevergoeding", "interesten blijven lopen"),
    "fr": ("indemnité forfaitaire", "intérêts continuent de courir"),
    "en": ("fixed compensation", "Interest continues to accrue"),
    "de": ("Pauschalentschädigung", "Zinsen laufen"),
}


@pytest.mark.parametrize("lang", ["nl", "fr", "en", "de"])
def test_be_consumer_notice_without_clauses_claims_no_damages_or_interest(lang):
    """Without a lump-sum or interest clause (the default settings) a Belgian consumer owes only
    the principal (be.md §3.6): the notice of default must not say that the lump sum and
    interest are now due "in accordance with our general terms", nor that interest runs."""
    reminder = Action(on=date(2025, 10, 3), debtor="K1", step=Step.BE_FIRST_REMINDER)
    for settings, lump, interest in (
        (Settings(), False, False),
        (Settings(be_consumer_lump_sum_clause=True), True, False),
        (Settings(be_consumer_interest_clause=D("10")), False, True),
    ):
        text = _be_consumer_letter(
            lang, Step.NOTICE_OF_DEFAULT, settings, [reminder], date(2025, 11, 6), reminder.on
        )
        damages, runs = BE_DAMAGES_CLAIMED[lang]
        assert (damages in text, runs in text) == (lump, interest), (settings, text)
        assert ("XIX.4" in text) == lump


#: "As set out in our general terms" and "(the legal interest)" in a Book XIX first reminder.
BE_TERMS_AND_LEGAL = {
    "nl": ("algemene voorwaarden", "(de wettelijke interest)"),
    "fr": ("conditions générales", "(l'intérêt légal)"),
    "en": ("general terms", "(the Belgian legal interest rate)"),
    "de": ("Allgemeinen Geschäftsbedingungen", "(gesetzliche Zinsen)"),
}


@pytest.mark.parametrize("lang", ["nl", "fr", "en", "de"])
def test_be_first_reminder_does_not_put_the_legal_interest_in_the_terms(lang):
    """With the setting 'BE consument: zonder beding' = wettelijke interest the first reminder
    announces the legal interest (4.50 % in 2025): the law's rate, not one "as set out in our
    general terms"; an agreed rate or lump sum is."""
    terms, legal = BE_TERMS_AND_LEGAL[lang]
    for settings, in_terms, is_legal in (
        (Settings(be_consumer_no_clause="wettelijke_interest"), False, True),
        (
            Settings(be_consumer_no_clause="wettelijke_interest", be_consumer_lump_sum_clause=True),
            True,
            True,
        ),
        (Settings(be_consumer_interest_clause=D("10")), True, False),
    ):
        text = _be_consumer_letter(lang, Step.BE_FIRST_REMINDER, settings, [], date(2025, 10, 3))
        assert (terms in text, legal in text) == (in_terms, is_legal), (settings, text)
        assert "XIX.4" in text


#: What the reminder says when it is the notice of default (a Dutch consumer without an agreed
#: payment term: the setting "NL consument: rente pas na 14-dagenbrief").
DEFAULT_NOTICE = {
    "nl": "Deze brief geldt als ingebrekestelling.",
    "fr": "La présente lettre vaut mise en demeure.",
    "en": "This letter serves as a notice of default.",
    "de": "Dieses Schreiben gilt als Inverzugsetzung.",
}


def _nl_reminder(
    lang: str,
    settings: Settings,
    actions: list[Action],
    on: date = date(2025, 11, 3),
    step: Step = Step.REMINDER,
) -> str:
    """Return the text of the letter (a herinnering unless ``step``) to a Dutch consumer about
    invoice F1 (due 1-10-2025), made on ``on`` after ``actions``."""
    debtor = Debtor(number="K1", name="Petra Smit", country=Country.NL, kind=DebtorKind.CONSUMER)
    invoice = Invoice(
        number="F1",
        debtor="K1",
        invoice_date=date(2025, 9, 1),
        due_date=date(2025, 10, 1),
        amount=D("400.00"),
    )
    creditor = CREDITORS["NL"]
    claim = assess_debtor(debtor, [invoice], [], actions, creditor, settings, builtin(), on)
    plan = LetterPlan(claim=claim, step=step, invoices=("F1",), sent_on=on, language=lang)
    context = letter_context(plan, creditor, settings, builtin())
    template = find_template(template_for(step, Country.NL), lang)
    return " ".join(letter_text(render_letter(template, context)).split())


@pytest.mark.parametrize("lang", ["nl", "fr", "en", "de"])
def test_the_reminder_says_it_is_the_notice_of_default_only_when_it_is(lang):
    not_agreed = Settings(nl_consumer_interest_from_letter=True)
    assert DEFAULT_NOTICE[lang] in _nl_reminder(lang, not_agreed, [])
    # an agreed term: the due date put the customer in default already
    assert DEFAULT_NOTICE[lang] not in _nl_reminder(lang, Settings(), [])
    # a second reminder after the first one's term: in default already
    first = Action(on=date(2025, 10, 6), debtor="K1", step=Step.REMINDER, channel=Channel.EMAIL)
    assert DEFAULT_NOTICE[lang] not in _nl_reminder(lang, not_agreed, [first])


@pytest.mark.parametrize("lang", ["nl", "fr", "en", "de"])
def test_a_reminder_on_the_due_date_does_not_say_it_is_the_notice_of_default(lang):
    # 'Herinnering na (dagen)' 0 makes the reminder on the due date: debiteuren does not count a
    # letter sent then as the notice of default (the consumer is not late yet; the ladder asks
    # for a new reminder after its term, which is), so the letter must not claim to be it
    not_agreed = Settings(nl_consumer_interest_from_letter=True, reminder_after_days=0)
    assert DEFAULT_NOTICE[lang] not in _nl_reminder(lang, not_agreed, [], date(2025, 10, 1))
    assert DEFAULT_NOTICE[lang] in _nl_reminder(lang, not_agreed, [], date(2025, 10, 2))


@pytest.mark.parametrize("lang", ["nl", "fr", "en", "de"])
def test_a_reminder_within_the_term_of_an_earlier_notice_does_not_say_it_is_the_notice(lang):
    # an ingebrekestelling typed on Acties (20-10, term to 3-11) is the notice; a reminder
    # made on 30-10, while that term runs, is not (it said so: the consumer was not yet in
    # default then)
    not_agreed = Settings(nl_consumer_interest_from_letter=True)
    typed = Action(
        on=date(2025, 10, 20),
        debtor="K1",
        step=Step.NOTICE_OF_DEFAULT,
        invoices=("F1",),
        channel=Channel.EMAIL,
    )
    assert DEFAULT_NOTICE[lang] not in _nl_reminder(lang, not_agreed, [typed], date(2025, 10, 30))


def test_the_reminder_made_again_after_it_went_out_still_says_it_is_the_notice_of_default():
    # ``brieven --opnieuw`` after the reminder was sent (``--verstuur``, ``verzonden``): the
    # claim counts the letter itself, whose term has not ended; the copy must read as sent
    not_agreed = Settings(nl_consumer_interest_from_letter=True)
    itself = Action(
        on=date(2025, 11, 3),
        debtor="K1",
        step=Step.REMINDER,
        invoices=("F1",),
        channel=Channel.EMAIL,
        deadline=date(2025, 11, 17),
    )
    assert DEFAULT_NOTICE["nl"] in _nl_reminder("nl", not_agreed, [itself])


#: How the 14-dagenbrief says why the consumer is in default when a notice put him there (the
#: setting "NL consument: rente pas na 14-dagenbrief"), and when the expired term did.
IN_DEFAULT_AFTER_NOTICE = {
    "nl": "ook binnen de termijn van onze eerdere brief, die als ingebrekestelling gold",
    "fr": "pas même dans le délai de notre précédent courrier, qui valait mise en demeure",
    "en": "not even within the term of our earlier letter, which served as a notice of default",
    "de": "auch innerhalb der Frist unseres früheren Schreibens, das als Inverzugsetzung "
    "galt, nicht",
}
IN_DEFAULT_BY_TERM = {
    "nl": "is verstreken en wij hebben het verschuldigde bedrag nog niet",
    "fr": "est expiré et nous n'avons pas encore reçu",
    "en": "has expired and we have not yet received",
    "de": "ist abgelaufen, und wir haben den geschuldeten Betrag noch nicht",
}


@pytest.mark.parametrize("lang", ["nl", "fr", "en", "de"])
def test_the_14_day_letter_says_the_notice_not_the_payment_term_put_the_consumer_in_default(
    lang,
):
    # the e-mailed reminder of 6-10 is the notice of default; its term ends on 20-10
    notice = Action(on=date(2025, 10, 6), debtor="K1", step=Step.REMINDER, channel=Channel.EMAIL)

    def text(settings):
        return _nl_reminder(lang, settings, [notice], date(2025, 11, 3), Step.FOURTEEN_DAY_LETTER)

    not_agreed = text(Settings(nl_consumer_interest_from_letter=True))
    assert IN_DEFAULT_AFTER_NOTICE[lang] in not_agreed
    assert IN_DEFAULT_BY_TERM[lang] not in not_agreed
    agreed = text(Settings())
    assert IN_DEFAULT_BY_TERM[lang] in agreed
    assert IN_DEFAULT_AFTER_NOTICE[lang] not in agreed


def test_a_very_long_invoice_description_is_one_short_line_in_the_letter():
    """A description of 32,000 characters (pasted, or from an e-invoice) made a reminder of four
    pages; a letter shows its first 300 characters on one line, the workbook keeps them all."""
    from dataclasses import replace

    from debiteuren.letters.context import DESCRIPTION_CHARS, build_context, template_data
    from debiteuren.letters.samples import sample_letter

    plan, creditor, settings = sample_letter("herinnering", "nl")
    first, *rest = plan.claim.invoices
    text = "Levering\nvan drukwerk " * 1500
    claim = replace(
        plan.claim,
        invoices=[replace(first, invoice=replace(first.invoice, description=text)), *rest],
    )
    context = template_data(
        build_context(replace(plan, claim=claim), creditor, settings, builtin())
    )
    shown = context["facturen"][0]["omschrijving"]
    assert DESCRIPTION_CHARS == 300 and 290 < len(shown) <= 300
    assert shown.startswith("Levering van drukwerk Levering van drukwerk") and shown.endswith("…")
    assert context["facturen"][1]["omschrijving"] == rest[0].invoice.description


#: An amount a line could break in: "€" and its number, or a number's groups, apart by an
#: ordinary space ("€ 1.234,56", "1 234,56 €", "40 € par facture").
BREAKABLE_AMOUNT = re.compile(r"€ \d|\d €|\d \d{3},\d\d")


@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
@pytest.mark.parametrize(("country", "kind", "step"), STEPS)
def test_an_amount_never_breaks_across_a_line(country, kind, step, lang):
    """The letters wrote amounts with ordinary spaces (formatting.euro makes babel's no-break
    spaces plain for messages and cells): Word and LibreOffice could end a line with "€" and
    start the next with "1.234,56", or split the French "1 234,56 €" after its "1"."""
    text = rendered(country, kind, step, lang)
    assert BREAKABLE_AMOUNT.findall(text) == [], BREAKABLE_AMOUNT.search(text)
    assert re.search("€\xa0\\d|\\d\xa0€|€\\d", text)


#: A date of the claim a line could break in: after the hyphen of "07-07-2026" (Word and
#: LibreOffice break after a hyphen), or at a space of "7 juli 2026" / "7. Juli 2026". (The
#: Belgian law's "2 augustus 2002" is a name the rules text cites, not a date of the claim.)
BREAKABLE_DATE = re.compile(r"\d\d-\d\d-\d{4}|\d\d-\d{4}|\b\d{1,2}\.? \w+ 20[1-9]\d\b")


@pytest.mark.parametrize("lang", ["nl", "fr", "en", "de"])
@pytest.mark.parametrize(("country", "kind", "step"), STEPS)
def test_a_date_never_breaks_across_a_line(country, kind, step, lang):
    """The demo's 14-dagenbrief read "vanaf 07-" at a line end and "07-2026" on the next, and
    its table cells broke "02-02-" / "2026": the short dates have non-breaking hyphens (U+2011)
    and the long ones ("7 juli 2026") no-break spaces, as the amounts have."""
    text = rendered(country, kind, step, lang)
    assert BREAKABLE_DATE.findall(text) == [], BREAKABLE_DATE.search(text)
    assert re.search("\\d\\d[\u2011/.]\\d\\d[\u2011/.]\\d{4}", text)  # the table's dates
    assert re.search("\\d{1,2}\\.?\xa0\\w+\xa0\\d{4}", text)  # the letter's date


def _table_texts(name: str) -> set[str]:
    from debiteuren.letters.render import shipped_template_dir

    document = Document(str(shipped_template_dir() / "nl" / name))
    return {c.text.strip() for t in document.tables for row in t.rows for c in row.cells}


def test_a_belgian_letter_totals_the_interest_as_its_column_names_it():
    """The Belgian ingebrekestelling's period table heads its last column 'Interest' (as the
    letter says 'nalatigheidsinterest'), and its total read 'Totaal rente', the Dutch word
    (seen in the demo's K008-ingebrekestelling.pdf to Els Peeters)."""
    texts = _table_texts("ingebrekestelling.docx")
    assert "Interest" in texts and "Totaal interest" in texts and "Totaal rente" not in texts


def test_a_dutch_letter_still_totals_the_rente():
    texts = _table_texts("herinnering.docx")
    assert "Rente" in texts and "Totaal rente" in texts


#: The header's label of the creditor's contact (the signer), per language.
CONTACT_LABEL = {"nl": "Contactpersoon", "fr": "Contact", "en": "Contact", "de": "Ansprechpartner"}


@pytest.mark.parametrize("lang", ["nl", "fr", "en", "de"])
@pytest.mark.parametrize("step", [Step.BE_FIRST_REMINDER, Step.NOTICE_OF_DEFAULT])
def test_without_a_signer_the_letter_is_signed_with_the_name_once(step, lang):
    """Without an Ondertekenaar on Instellingen the letter was signed "Schrijnwerkerij Peeters
    BV / Schrijnwerkerij Peeters BV" and its header named the company as the contact person:
    the company signs once and the header has no contact line."""
    text = rendered("BE", DebtorKind.CONSUMER, step, lang)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    name = CREDITORS["BE"].name
    last = len(lines) - 1 - lines[::-1].index(name)  # the closing's name, after the letterhead
    assert lines[last - 1] != name and lines.count(name) == 2, lines[last - 2 : last + 1]
    assert not any(line.startswith(CONTACT_LABEL[lang] + "\t") for line in lines)
    # with a signer: the signer, then the company, and the signer as the contact
    signed = [line.strip() for line in rendered("NL", DebtorKind.BUSINESS, step, lang).split("\n")]
    signer, company = CREDITORS["NL"].signatory, CREDITORS["NL"].name
    assert signed[signed.index(signer) + 1] == company
    assert f"{CONTACT_LABEL[lang]}\t{signer}" in signed


@pytest.mark.parametrize("lang", ["nl", "fr", "en", "de"])
@pytest.mark.parametrize(("country", "kind", "step"), STEPS)
def test_the_telephone_number_never_breaks_across_a_line(monkeypatch, country, kind, step, lang):
    """A Belgian consumer's ingebrekestelling read "via 030 - 123 45" at a line end and "67"
    on the next (newcomer, session 27): the number has no-break spaces and non-breaking
    hyphens, as the amounts and dates have."""
    from dataclasses import replace

    monkeypatch.setitem(CREDITORS, country, replace(CREDITORS[country], phone="030 - 123 45 67"))
    text = rendered(country, kind, step, lang)
    assert "030 - 123" not in text and "123 45" not in text
    assert "030\xa0\u2011\xa0123\xa045\xa067" in text
