"""The German letters are German: every template, every branch, every step, no Dutch left over.

Three looks: the text of each German template itself (all its branches, the tags taken out), the
German words the program puts into a letter (titles, citations, table words), and letters the
engine writes to a German-reading customer at every step of every ladder. Names and addresses
are data and are taken out before looking; the legal citations keep the law's own names
("BW", the Dutch title of the collection costs decree in brackets).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from datetime import date
from decimal import Decimal as D

import pytest

from debiteuren.core.claim import assess_debtor
from debiteuren.core.model import (
    Action,
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
from debiteuren.core.rules import for_country, rules_for
from debiteuren.letters import context as ctx
from debiteuren.letters.context import LetterPlan, letter_context, template_for
from debiteuren.letters.render import (
    convert_to_pdf,
    find_template,
    letter_text,
    render_letter,
    shipped_template_dir,
)
from debiteuren.letters.samples import TEMPLATE_IDS, sample_context

#: Dutch words that are no German words (checked as whole words, any case).
DUTCH = frozenset(
    [
        "de",
        "het",
        "een",
        "en",
        "van",
        "voor",
        "naar",
        "met",
        "niet",
        "wij",
        "uw",
        "ons",
        "onze",
        "zijn",
        "is",
        "op",
        "bij",
        "dat",
        "deze",
        "dit",
        "ook",
        "nog",
        "of",
        "aan",
        "om",
        "maar",
        "wordt",
        "worden",
        "heeft",
        "hebben",
        "kunt",
        "kunnen",
        "vanaf",
        "betaling",
        "betalen",
        "betaald",
        "bedrag",
        "factuur",
        "facturen",
        "rente",
        "herinnering",
        "aanmaning",
        "ingebrekestelling",
        "brief",
        "brieven",
        "termijn",
        "dagen",
        "incassokosten",
        "verschuldigd",
        "hoofdsom",
        "openstaand",
        "openstaande",
        "totaal",
        "geachte",
        "heer",
        "mevrouw",
        "groet",
        "vriendelijke",
        "kenmerk",
        "betalingskenmerk",
        "klant",
        "verzuim",
        "schuldeiser",
        "schuldenaar",
        "regeling",
        "vervaldatum",
        "vervaldag",
        "dagtelling",
        "werkelijke",
        "interest",
        "forfaitaire",
        "schadevergoeding",
        "gerechtsdeurwaarder",
        "incassobureau",
        "overdracht",
        "kosteloos",
        "btw",
        "ondernemingsnummer",
        "pagina",
        "wettelijke",
        "handelsrente",
        "overeengekomen",
        "gestructureerde",
        "mededeling",
        "bijgevoegd",
        "verstuurd",
    ]
)
#: The law's own names a German letter keeps, in brackets after the German name.
OWN_NAMES = ("Besluit vergoeding voor buitengerechtelijke incassokosten",)
JINJA = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.S)
WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
SHIPPED = shipped_template_dir()


def dutch_words(text: str) -> list[str]:
    for name in OWN_NAMES:
        text = text.replace(name, " ")
    return sorted({w for w in WORD.findall(text) if w.casefold() in DUTCH})


def template_text(template: str) -> str:
    """Return every text of a German template (body, headers, footers), tags taken out."""
    with zipfile.ZipFile(SHIPPED / "de" / f"{template}.docx") as docx:
        parts = [
            docx.read(n).decode("utf-8")
            for n in docx.namelist()
            if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", n)
        ]
    runs = "".join(t for xml in parts for t in re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))
    return JINJA.sub(" ", runs)


@pytest.mark.parametrize("template", TEMPLATE_IDS)
def test_every_german_template_is_german_in_every_branch(template):
    text = template_text(template)
    assert dutch_words(text) == []
    assert "Mit freundlichen Grüßen" in text


def test_the_words_the_program_puts_into_a_german_letter_are_german():
    phrases = [
        *(titles["de"] for titles in ctx.TITLES.values()),
        *ctx.REFERENCE_WORDS["de"].values(),
        *(words["de"] for words in ctx.DAY_COUNT_WORDS.values()),
        *ctx._ENCLOSED["de"].values(),
        ctx.EACH_DUE_DATE["de"],
        ctx.salutation("de"),
        ctx.REGISTRATION_LABELS["de", "NL"],
        ctx.REGISTRATION_LABELS["de", "BE"],
        ctx.handover_enclosures("de", ("F1",), ("F2",), 2),
        ctx.handover_enclosures("de", (), (), 1),
    ]
    for country in ("NL", "BE"):
        for subject, texts in for_country(country).CITATIONS.items():
            phrases.append(texts["de"])
            assert texts["de"] != texts["nl"], subject
    assert [p for p in phrases if dutch_words(p)] == []
    assert ctx.handover_enclosures("de", (), (), 1) == (
        "Kopien der versandten Schreiben liegen bei. Die Rechnungen liegen nicht bei; wir senden "
        "sie Ihnen auf Anfrage zu."
    )


# --- a German-reading customer at every step -------------------------------------------------

CREDITORS = {
    "NL": Creditor(
        name="Van Dijk Installatietechniek B.V.",
        address="Kanaalweg 17",
        postcode="3526 KL",
        city="Utrecht",
        country=Country.NL,
        registration="61234567",
        iban="NL91ABNA0417164300",
        email="debiteuren@vandijk-installatie.nl",
        signatory="Marieke van Dijk",
        vat_deductible=False,
    ),
    "BE": Creditor(
        name="Schrijnwerkerij Peeters BV",
        address="Brugsesteenweg 210",
        postcode="9000",
        city="Gent",
        country=Country.BE,
        registration="0812.345.603",
        iban="BE71096123456769",
        email="boekhouding@peeters-schrijnwerk.be",
        signatory="Bart Peeters",
    ),
}
#: Every step of every ladder, for a customer in Germany under the creditor's law (a consumer
#: with that law chosen), and in Eupen (Belgium, its own law).
STEPS = [
    ("DE", "NL", DebtorKind.BUSINESS, Step.REMINDER),
    ("DE", "NL", DebtorKind.BUSINESS, Step.NOTICE_OF_DEFAULT),
    ("DE", "NL", DebtorKind.CONSUMER, Step.REMINDER),
    ("DE", "NL", DebtorKind.CONSUMER, Step.FOURTEEN_DAY_LETTER),
    ("DE", "BE", DebtorKind.BUSINESS, Step.REMINDER),
    ("DE", "BE", DebtorKind.BUSINESS, Step.NOTICE_OF_DEFAULT),
    ("BE", "BE", DebtorKind.CONSUMER, Step.BE_FIRST_REMINDER),
    ("BE", "BE", DebtorKind.CONSUMER, Step.NOTICE_OF_DEFAULT),
    ("DE", "NL", DebtorKind.BUSINESS, Step.PLAN),
    ("DE", "BE", DebtorKind.CONSUMER, Step.HANDOVER),
]
SETTINGS = Settings(be_consumer_interest_clause=D("12"), be_consumer_lump_sum_clause=True)


def german_letter(country: str, law: str, kind: DebtorKind, step: Step) -> tuple[str, dict]:
    debtor = Debtor(
        number="K1",
        name="Jonas Müller & Söhne",
        country=country,
        kind=kind,
        address="Jülicher Straße 112" if country == "DE" else "Bergstraße 12",
        postcode="52070" if country == "DE" else "4700",
        city="Aachen" if country == "DE" else "Eupen",
        email="k@example.org",
        language="de",
        law=Country(law) if country == "DE" and kind is DebtorKind.CONSUMER else None,
    )
    invoices = [
        Invoice(
            number=number,
            debtor="K1",
            invoice_date=date(2025, month, 1),
            due_date=date(2025, month + 1, 1),
            amount=D(amount),
            description="Lieferung",
        )
        for number, month, amount in (("F1", 2, "1210.00"), ("F2", 3, "450.00"))
    ]
    actions = []
    if law == "BE" and kind is DebtorKind.CONSUMER and step is not Step.BE_FIRST_REMINDER:
        actions = [Action(on=date(2025, 9, 1), debtor="K1", step=Step.BE_FIRST_REMINDER)]
    if law == "NL" and kind is DebtorKind.CONSUMER and step is not Step.REMINDER:
        actions = [Action(on=date(2025, 9, 1), debtor="K1", step=Step.FOURTEEN_DAY_LETTER)]
    creditor = CREDITORS[law]
    claim = assess_debtor(
        debtor,
        invoices,
        [Payment(on=date(2025, 6, 2), amount=D("100.00"), debtor="K1")],
        actions,
        creditor,
        SETTINGS,
        builtin(),
        date(2025, 11, 3),
    )
    plan = LetterPlan(
        claim=claim,
        step=step,
        invoices=("F1", "F2"),
        sent_on=date(2025, 11, 3),
        language="de",
        previous_on=date(2025, 9, 1),
        handover_to="Rechtsanwälte Becker",
        handover_history=((date(2025, 9, 1), "Zahlungserinnerung versandt (Post)"),),
        handover_enclosures=(("F1",), ("F2",), 1),
        instalments=(
            PlanInstalment(debtor="K1", number=1, due_date=date(2025, 12, 1), amount=D("500.00")),
        ),
    )
    context = letter_context(plan, creditor, SETTINGS, builtin())
    template = find_template(template_for(step, rules_for(debtor, creditor)), "de")
    return letter_text(render_letter(template, context)), context


def without_data(text: str, context: dict) -> str:
    """Return the letter text without the names and addresses (data, not wording)."""
    data = [
        *context["schuldeiser"].values(),
        *context["klant"].values(),
        *context["overdracht"].values(),
        *(f["omschrijving"] for f in context["facturen"]),
    ]
    for value in sorted((v for v in data if isinstance(v, str) and v), key=len, reverse=True):
        text = text.replace(value, " ")
    return text


@pytest.mark.parametrize(("country", "law", "kind", "step"), STEPS)
def test_a_german_letter_renders_in_german_at_every_step(country, law, kind, step):
    text, context = german_letter(country, law, kind, step)
    assert context["brief"]["titel"] == ctx.TITLES[context["brief"]["sjabloon"]]["de"]
    assert context["brief"]["land"] == law  # the law the letter applies and cites
    assert "Sehr geehrte Damen und Herren," in text and "Mit freundlichen Grüßen" in text
    assert dutch_words(without_data(text, context)) == []
    if step is not Step.HANDOVER:
        assert context["betaling"]["kenmerk_soort"] in ("Referenz", "strukturierte Mitteilung")


def test_a_german_letter_names_the_law_and_the_address_as_germany_writes_them():
    text, context = german_letter("DE", "NL", DebtorKind.BUSINESS, Step.NOTICE_OF_DEFAULT)
    assert context["klant"]["postcode_plaats"] == "52070  Aachen"
    assert context["klant"]["land"] == "Deutschland"
    assert context["schuldeiser"]["land"] == "Niederlande"
    assert "52070  Aachen\nDEUTSCHLAND" in text
    assert "NIEDERLANDE" in text  # the sender's country on the return address
    assert "Mahnung und Inverzugsetzung" in text
    assert "Hiermit mahnen wir Sie und setzen Sie in Verzug." in text
    assert "gesetzliche Verzugszinsen im Geschäftsverkehr (Handelszinsen) nach Artikel 6:119a" in (
        " ".join(text.split())
    )
    assert "gemäß Artikel 6:96 Absatz 4 des niederländischen Bürgerlichen Gesetzbuchs" in (
        " ".join(text.split())
    )
    assert "1.210,00\xa0€" in text and "03.11.2025" not in context["brief"]["datum"]
    assert context["brief"]["datum"] == "3.\xa0November\xa02025"
    assert context["facturen"][0]["vervaldatum"] == "01.03.2025"


def test_a_german_letter_becomes_a_pdf_page(tmp_path):
    context = sample_context("aanmaning", "de")
    docx = tmp_path / "mahnung.docx"
    docx.write_bytes(render_letter(SHIPPED / "de" / "aanmaning.docx", context))
    made = convert_to_pdf([docx], tmp_path)
    if made is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice or poppler is not installed")
    [pdf] = made
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Mahnung und Inverzugsetzung" in text and "DEUTSCHLAND" in text
    assert "Mit freundlichen Grüßen" in text


def test_the_payment_table_keeps_the_german_noun_capitalised():
    """The label of the reference in the payment table starts with a capital and keeps the rest:
    "Strukturierte Mitteilung" (a Belgian OGM), not Jinja's capitalize, "Strukturierte
    mitteilung"."""
    context = sample_context("eerste_herinnering", "de")
    assert context["betaling"]["kenmerk_soort"] == "strukturierte Mitteilung"
    text = letter_text(render_letter(SHIPPED / "de" / "eerste_herinnering.docx", context))
    assert "Strukturierte Mitteilung\t+++" in text
    assert "Strukturierte mitteilung" not in text
