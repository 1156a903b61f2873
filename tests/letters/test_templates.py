"""Tests for the shipped letter templates: present, up to date, and saying what the law requires.

Every template is rendered in every language with the sample contexts of
``debiteuren.letters.samples``; the assertions read the text of the resulting document
(paragraphs, table cells, headers and footers) via ``render.letter_text``.
"""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import ClassVar

import pytest
from docx import Document
from docx.oxml.ns import qn

from debiteuren.letters.fields import known_fields
from debiteuren.letters.qr import epc_payload, epc_qr_png
from debiteuren.letters.render import (
    check_template,
    letter_text,
    render_letter,
    shipped_template_dir,
    template_fields,
)
from debiteuren.letters.samples import (
    LANGUAGES,
    TEMPLATE_IDS,
    context_fields,
    sample_context,
)
from tools.build_letter_templates import build_template
from tools.build_letter_templates import readme as readme_tables

ALL = [(template, language) for template in TEMPLATE_IDS for language in LANGUAGES]
SHIPPED = shipped_template_dir()
README = SHIPPED / "README.md"
MM = 36000  # EMU per millimetre

# The term sentence of the NL consumer 14-day letter (art. 6:96 lid 6 BW; HR 2016:2704).
TERM_SENTENCE = {
    "nl": "binnen veertien dagen vanaf de dag nadat deze brief bij u is bezorgd",
    "fr": "dans un délai de quatorze jours à compter du lendemain du jour où cette lettre vous "
    "a été remise",
    "en": "within fourteen days from the day after this letter has been delivered to you",
    "de": "innerhalb von vierzehn Tagen ab dem Tag nach der Zustellung dieses Schreibens",
}
# Wordings that start the term too early and make the letter void.
FORBIDDEN_TERMS = {
    "nl": ("na dagtekening", "na heden", "na verzending", "dagtekening", "na de datum van"),
    "fr": ("date de la présente", "date d'envoi", "à compter de ce jour", "date de cette"),
    "en": ("date of this letter", "from today", "after sending", "of dispatch"),
    "de": ("datum dieses schreibens", "ab heute", "nach versand", "ab absendung", "briefdatum"),
}
RESERVE = {
    "nl": "Wij behouden ons uitdrukkelijk ons recht op volledige betaling voor.",
    "fr": "Nous nous réservons expressément notre droit au paiement intégral.",
    "en": "We expressly reserve our right to payment in full.",
    "de": "Wir behalten uns unseren Anspruch auf vollständige Zahlung ausdrücklich vor.",
}


def _qr(context: dict) -> bytes:
    payment = context["betaling"]
    return epc_qr_png(
        epc_payload(
            name=context["schuldeiser"]["naam"],
            iban=payment["iban"],
            amount=Decimal("10.00"),
            text=payment["kenmerk"],
        )
    )


def _render(template: str, language: str, context: dict | None = None) -> str:
    context = context if context is not None else sample_context(template, language)
    path = SHIPPED / language / f"{template}.docx"
    return letter_text(render_letter(path, context, qr_png=_qr(context)))


@pytest.fixture(scope="module")
def rendered() -> dict[tuple[str, str], str]:
    return {(t, lang): _render(t, lang) for t, lang in ALL}


class TestShippedTemplates:
    @pytest.mark.parametrize(("template", "language"), ALL)
    def test_exists_for_every_template_and_language(self, template: str, language: str):
        assert (SHIPPED / language / f"{template}.docx").is_file()

    @pytest.mark.parametrize(("template", "language"), ALL)
    def test_matches_the_builder(self, template: str, language: str):
        """The .docx files are generated; regenerate them after changing a text."""
        shipped = zipfile.ZipFile(SHIPPED / language / f"{template}.docx")
        built = zipfile.ZipFile(io.BytesIO(build_template(template, language)))
        assert sorted(shipped.namelist()) == sorted(built.namelist())
        for name in built.namelist():
            assert shipped.read(name) == built.read(name), (
                f"{language}/{template}.docx is out of date ({name}): run "
                "python -m tools.build_letter_templates"
            )

    def test_the_builder_is_a_build_tool_outside_the_program(self):
        """The builder lives in tools/ and nothing the program runs imports it."""
        package = Path(__file__).resolve().parents[2] / "src" / "debiteuren"
        importers = [
            str(path.relative_to(package))
            for path in package.rglob("*.py")
            if re.search(r"^\s*(from|import) tools\b", path.read_text(encoding="utf-8"), re.M)
        ]
        assert importers == []
        assert not (package / "letters" / "template_builder.py").exists()

    @pytest.mark.parametrize(("template", "language"), ALL)
    def test_uses_only_known_fields(self, template: str, language: str):
        assert check_template(SHIPPED / language / f"{template}.docx", known_fields()) == []

    def test_uses_the_loop_fields(self):
        fields = template_fields(SHIPPED / "nl" / "herinnering.docx")
        assert {"klant.adresblok", "facturen", "facturen.nummer", "betaling.qr"} <= fields
        assert "f.nummer" not in fields

    @pytest.mark.parametrize(("template", "language"), ALL)
    def test_is_an_a4_letter_with_the_address_in_the_window(self, template: str, language: str):
        doc = Document(SHIPPED / language / f"{template}.docx")
        section = doc.sections[0]
        assert (round(section.page_width / MM), round(section.page_height / MM)) == (210, 297)
        assert round(section.left_margin / MM) == 25
        # The letterhead row ends, and the address row starts, 45 mm from the top edge.
        head, address = doc.tables[0].rows
        top = section.top_margin + head.height
        assert round(top / MM) == 45
        assert round(address.height / MM) == 45
        assert address.cells[0].width <= 90 * MM
        # Page numbers restart in every letter (also after merging).
        pg = section._sectPr.find(qn("w:pgNumType"))
        assert pg is not None and pg.get(qn("w:start")) == "1"

    def test_the_readme_field_tables_are_generated_from_the_declaration(self):
        readme = README.read_text(encoding="utf-8")
        start, end = readme.index(readme_tables.BEGIN), readme.index(readme_tables.END)
        assert readme[start : end + len(readme_tables.END)] == readme_tables.fields_markdown(), (
            "letter_templates/README.md is out of date: run python -m tools.build_letter_templates"
        )

    def test_documents_every_field_in_the_readme(self):
        readme = README.read_text(encoding="utf-8")
        missing = [f for f in sorted(known_fields()) if "." in f and f"`{f}`" not in readme]
        assert missing == []
        assert "na dagtekening" in readme  # the rule is spelled out for users


class TestSampleContexts:
    @pytest.mark.parametrize(("template", "language"), ALL)
    def test_has_the_same_shape_everywhere(self, template: str, language: str):
        context = sample_context(template, language)
        assert set(context) == {
            "brief",
            "schuldeiser",
            "klant",
            "facturen",
            "renteperioden",
            "totaal",
            "betalingen",
            "rente",
            "kosten",
            "betaling",
            "xix",
            "regeling",
            "overdracht",
        }
        scalar = {f for f in context_fields(context) if f.count(".") == 1}
        assert {"brief.stuit_verjaring", "schuldeiser.iban", "klant.is_consument"} <= scalar

    @pytest.mark.parametrize(("template", "language"), ALL)
    def test_adds_up(self, template: str, language: str):
        context = sample_context(template, language)

        def amount(text: str) -> Decimal:
            digits = re.sub(r"[^\d,.]", "", text)
            if language == "en":
                return Decimal(digits.replace(",", ""))
            return Decimal(digits.replace(".", "").replace(",", "."))

        for key in ("hoofdsom", "betaald", "openstaand", "rente", "kosten", "totaal"):
            total = sum(amount(f[key]) for f in context["facturen"])
            assert total == amount(context["totaal"][key]), key
        for invoice in context["facturen"]:
            parts = amount(invoice["openstaand"]) + amount(invoice["rente"])
            assert parts + amount(invoice["kosten"]) == amount(invoice["totaal"])
        interest = sum(amount(p["rente"]) for p in context["renteperioden"])
        assert interest == amount(context["totaal"]["rente"])
        if context["regeling"]["termijnen"]:
            plan = sum(amount(t["bedrag"]) for t in context["regeling"]["termijnen"])
            assert plan == amount(context["regeling"]["totaal"])


class TestEveryLetter:
    @pytest.mark.parametrize(("template", "language"), ALL)
    def test_leaves_no_tags(self, rendered, template: str, language: str):
        text = rendered[template, language]
        for tag in ("{{", "}}", "{%", "%}", "{#"):
            assert tag not in text

    @pytest.mark.parametrize(("template", "language"), ALL)
    def test_keeps_names_intact(self, rendered, template: str, language: str):
        text = rendered[template, language]
        context = sample_context(template, language)
        assert context["klant"]["naam"] in text
        assert context["schuldeiser"]["naam"] in text
        assert any(ch in context["klant"]["naam"] for ch in "&<'Ç")
        assert "&amp;" not in text and "&lt;" not in text and "&#39;" not in text

    @pytest.mark.parametrize(("template", "language"), ALL)
    def test_shows_every_amount_and_date(self, rendered, template: str, language: str):
        text = rendered[template, language]
        context = sample_context(template, language)
        wanted = [context["brief"]["datum"], context["brief"]["kenmerk"]]
        for invoice in context["facturen"]:
            wanted += [invoice[k] for k in ("nummer", "factuurdatum", "vervaldatum")]
            wanted += [invoice[k] for k in ("hoofdsom", "betaald", "rente", "kosten", "totaal")]
            wanted.append(f"\n{invoice['dagen_te_laat']}\n")
        wanted += [context["totaal"][k] for k in ("hoofdsom", "betaald", "rente", "kosten")]
        wanted.append(context["totaal"]["totaal"])
        if context["rente"]["van_toepassing"]:
            for period in context["renteperioden"]:
                wanted += [period[k] for k in ("van", "tot", "grondslag", "percentage", "rente")]
        if context["kosten"]["van_toepassing"]:
            wanted.append(context["kosten"]["bedrag"])
        if context["brief"]["termijn_tot"]:
            wanted.append(context["brief"]["termijn_tot"])
        if template != "overdracht":
            payment = context["betaling"]
            wanted += [payment["bedrag"], payment["kenmerk"], payment["iban"], payment["bic"]]
        registration = context["schuldeiser"]
        wanted.append(f"{registration['registratie_label']} {registration['registratie']}")
        missing = [w for w in wanted if w not in text]
        assert missing == []

    @pytest.mark.parametrize(("template", "language"), ALL)
    def test_reserves_the_right_to_payment_when_it_interrupts_limitation(
        self, rendered, template: str, language: str
    ):
        text = rendered[template, language]
        interrupts = sample_context(template, language)["brief"]["stuit_verjaring"]
        assert (RESERVE[language] in text) == interrupts

    @pytest.mark.parametrize(("template", "language"), ALL)
    def test_shows_the_interest_table_only_when_interest_is_charged(
        self, template: str, language: str
    ):
        context = sample_context(template, language)
        with_interest = _render(template, language, context)
        context["rente"]["van_toepassing"] = False
        without = _render(template, language, context)
        basis = {"nl": "dagtelling", "fr": "base :", "en": "day count", "de": "Zinstage"}[language]
        if sample_context(template, language)["rente"]["van_toepassing"]:
            assert basis in with_interest
        assert basis not in without

    @pytest.mark.parametrize(("template", "language"), ALL)
    def test_carries_the_qr_code(self, template: str, language: str):
        context = sample_context(template, language)
        path = SHIPPED / language / f"{template}.docx"
        doc = Document(io.BytesIO(render_letter(path, context, qr_png=_qr(context))))
        images = doc.element.body.findall(".//" + qn("a:blip"))
        assert len(images) == (0 if template == "overdracht" else 1)


class TestVeertiendagenbrief:
    @pytest.mark.parametrize("language", LANGUAGES)
    def test_words_the_term_as_the_law_requires(self, rendered, language: str):
        text = rendered["veertiendagenbrief", language]
        assert TERM_SENTENCE[language] in text
        lowered = text.lower()
        for wrong in FORBIDDEN_TERMS[language]:
            assert wrong not in lowered

    def test_prints_no_deadline_date(self, rendered):
        context = sample_context("veertiendagenbrief", "nl")
        assert context["brief"]["termijn_tot"] == ""
        assert "uiterlijk" not in rendered["veertiendagenbrief", "nl"]

    @pytest.mark.parametrize("language", LANGUAGES)
    def test_states_the_costs_and_their_vat(self, rendered, language: str):
        text = rendered["veertiendagenbrief", language]
        costs = sample_context("veertiendagenbrief", language)["kosten"]
        assert costs["inclusief_btw"]
        assert costs["bedrag"] in text
        vat = {
            "nl": f"Dit bedrag is inclusief {costs['btw_bedrag']} btw, omdat wij de btw niet "
            "kunnen verrekenen.",
            "fr": f"Ce montant comprend {costs['btw_bedrag']} de TVA, car nous ne pouvons pas "
            "récupérer la TVA.",
            "en": f"This amount includes {costs['btw_bedrag']} VAT, because we cannot recover "
            "the VAT.",
            "de": f"Dieser Betrag enthält {costs['btw_bedrag']} Umsatzsteuer, da wir die "
            "Umsatzsteuer nicht als Vorsteuer abziehen können.",
        }[language]
        assert vat in text

    def test_leaves_out_the_vat_sentence_without_vat(self):
        context = sample_context("veertiendagenbrief", "nl")
        context["kosten"].update(inclusief_btw=False, bedrag="€ 217,50", btw_bedrag="€ 0,00")
        text = _render("veertiendagenbrief", "nl", context)
        assert "€ 217,50" in text
        assert "btw niet kunnen verrekenen" not in text

    def test_states_the_consequence_of_not_paying(self, rendered):
        text = rendered["veertiendagenbrief", "nl"]
        assert "buitengerechtelijke incassokosten verschuldigd" in text
        assert "Betaal binnen veertien dagen" in text
        assert "U bent daardoor in verzuim." in text


class TestEersteHerinnering:
    FREE: ClassVar[dict[str, str]] = {
        "nl": "Deze eerste herinnering is kosteloos.",
        "fr": "Ce premier rappel est gratuit.",
        "en": "This first reminder is free of charge.",
        "de": "Diese erste Zahlungserinnerung ist kostenlos.",
    }
    RIGHTS: ClassVar[dict[str, tuple[str, ...]]] = {
        "nl": ("de schuld betwisten", "een afbetalingsplan vragen", "schuldbemiddeling"),
        "fr": ("contester la dette", "demander un plan de paiement", "médiation de dettes"),
        "en": ("dispute the debt", "ask for a payment plan", "debt mediation"),
        "de": ("die Schuld bestreiten", "einen Abzahlungsplan beantragen", "Schuldnerberatung"),
    }

    @pytest.mark.parametrize("language", LANGUAGES)
    def test_has_the_book_xix_content(self, rendered, language: str):
        text = rendered["eerste_herinnering", language]
        context = sample_context("eerste_herinnering", language)
        creditor, xix = context["schuldeiser"], context["xix"]
        assert self.FREE[language] in text
        label = {
            "nl": "Ondernemingsnummer",
            "fr": "Numéro d'entreprise",
            "en": "Enterprise number",
            "de": "Unternehmensnummer",
        }
        assert f"{label[language]} {creditor['registratie']}" in text
        assert creditor["registratie"] == "0812.345.603"
        for value in (xix["laatste_dag"], xix["forfait"], xix["rente_percentage"]):
            assert value in text
        assert xix["rente_vanaf"] in text
        assert context["facturen"][0]["vervaldatum"] in text
        assert context["facturen"][0]["omschrijving"] in text
        assert "XIX.4" in text
        assert f"{context['brief']['termijn_dagen']}" in text
        for right in self.RIGHTS[language]:
            assert right in text

    @pytest.mark.parametrize("language", LANGUAGES)
    def test_names_belgian_debt_help_only_to_a_customer_in_belgium(self, language: str):
        """The tip names OCMW/CPAS, CAW or ÖSHZ: a consumer abroad under Belgian law got it too,
        and those services do not help someone who lives in France or the Netherlands."""
        context = sample_context("eerste_herinnering", language)
        assert context["klant"]["landcode"] == "BE"
        context["klant"]["landcode"] = "FR"
        text = _render("eerste_herinnering", language, context)
        assert self.RIGHTS[language][2] not in text
        for service in ("OCMW", "CPAS", "CAW", "ÖSHZ"):
            assert service not in text
        assert self.RIGHTS[language][1] in text  # the rights stay
        assert self.FREE[language] in text

    def test_says_which_charges_apply_when_not_free(self):
        context = sample_context("eerste_herinnering", "nl")
        context["xix"]["kosteloos"] = False
        context["brief"]["titel"] = "Herinnering"
        context["kosten"].update(
            van_toepassing=True, bedrag="€ 7,50", omschrijving="artikel XIX.2 WER"
        )
        text = _render("eerste_herinnering", "nl", context)
        assert "kosteloos" not in text
        assert (
            "Voor deze herinnering rekenen wij op grond van artikel XIX.2 WER € 7,50 aan." in text
        )

    def test_has_no_damages_list_without_a_clause(self):
        context = sample_context("eerste_herinnering", "nl")
        context["xix"].update(heeft_forfait=False, heeft_rente=False)
        text = _render("eerste_herinnering", "nl", context)
        assert "forfaitaire schadevergoeding" not in text
        assert "verdere stappen" in text


class TestOtherLetters:
    def test_puts_the_nl_business_in_default(self, rendered):
        text = rendered["aanmaning", "nl"]
        assert "Hierbij manen wij u aan en stellen wij u in gebreke." in text
        assert "onze herinnering van 24\xa0maart\xa02025" in text
        assert "artikel 6:96 lid 4 BW" in text and "berekend per factuur" in text

    @pytest.mark.parametrize("language", LANGUAGES)
    def test_charges_the_agreed_damages_in_the_be_notice(self, rendered, language: str):
        text = rendered["ingebrekestelling", language]
        context = sample_context("ingebrekestelling", language)
        assert context["kosten"]["bedrag"] in text
        assert context["rente"]["percentage"] in text
        if context["klant"]["is_consument"]:
            assert "XIX.4" in text and context["brief"]["vorige_datum"] in text

    def test_uses_the_belgian_term_for_costs(self, rendered):
        assert "forfaitaire vergoeding" in rendered["ingebrekestelling", "nl"]
        assert "indemnité forfaitaire" in rendered["ingebrekestelling", "fr"]
        assert "incassokosten" in rendered["aanmaning", "nl"]

    @pytest.mark.parametrize("language", LANGUAGES)
    def test_lists_the_instalments(self, rendered, language: str):
        text = rendered["regeling", language]
        plan = sample_context("regeling", language)["regeling"]
        assert plan["totaal"] in text
        for term in plan["termijnen"]:
            assert term["vervaldatum"] in text and term["bedrag"] in text

    @pytest.mark.parametrize("language", LANGUAGES)
    def test_hands_over_with_the_file(self, rendered, language: str):
        text = rendered["overdracht", language]
        context = sample_context("overdracht", language)
        handover = context["overdracht"]
        for value in (handover["aan"], handover["dossier"], handover["adres"]):
            assert value in text
        for action in handover["acties"]:
            assert action["datum"] in text and action["omschrijving"] in text
        assert context["klant"]["email"] in text
        heading = {
            "nl": "Betaalgegevens",
            "fr": "Données de paiement",
            "en": "Payment details",
            "de": "Zahlungsangaben",
        }
        assert heading[language] not in text

    def test_addresses_the_handover_to_the_agency(self):
        context = sample_context("overdracht", "nl")
        path = SHIPPED / "nl" / "overdracht.docx"
        doc = Document(io.BytesIO(render_letter(path, context)))
        window = doc.tables[0].rows[1].cells[0].text
        assert context["overdracht"]["aan"] in window
        assert context["klant"]["naam"] not in window
