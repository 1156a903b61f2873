"""brieven: real engine contexts in every template and language, logging, PDF, SMTP."""

from __future__ import annotations

import dataclasses
import hashlib
import shutil
import subprocess
from datetime import date, datetime
from decimal import Decimal as D
from email import message_from_bytes, policy

import openpyxl
import pytest
from click.testing import CliRunner

from debiteuren import service
from debiteuren.cli import main
from debiteuren.core.claim import assess_debtor
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
from debiteuren.demo import DEMO_AS_OF
from debiteuren.formatting import euro, locale_for, short_date
from debiteuren.letters.context import LetterPlan, letter_context, template_for
from debiteuren.letters.render import find_template, letter_text, render_letter

NOW = datetime(2026, 10, 15, 9, 30)
NL_SHOP = Creditor(
    name="Drukkerij De Letterzetter B.V.",
    city="Utrecht",
    country=Country.NL,
    registration="30123456",
    iban="NL91ABNA0417164300",
    bic="ABNANL2A",
    vat_deductible=False,
    is_sme=False,
)
BE_SHOP = Creditor(
    name="Schrijnwerkerij Peeters BV",
    city="Gent",
    country=Country.BE,
    registration="0403.170.701",
    iban="BE71096123456769",
    bic="GKCCBEBB",
)
CLAUSES = Settings(be_consumer_interest_clause=D("12"), be_consumer_lump_sum_clause=True)

NAMES = {
    ("NL", DebtorKind.BUSINESS): "Jansen & Zn <BV>",
    ("NL", DebtorKind.CONSUMER): "Michael O'Brien",
    ("BE", DebtorKind.BUSINESS): "Ça va Café BV",
    ("BE", DebtorKind.CONSUMER): "Lotte D'hondt & Jef Claes",
}


def letter_euro(amount, locale: str = "nl_NL") -> str:
    """Return an amount as a letter writes it: its spaces no-break spaces."""
    return euro(amount, locale, unbreakable=True)


def claim_for(country: str, kind: DebtorKind, actions=()):
    debtor = Debtor(
        number="K1",
        name=NAMES[(country, kind)],
        country=Country(country),
        kind=kind,
        email="klant@example.org",
    )
    invoices = [
        Invoice(
            number="2025-017",
            debtor="K1",
            invoice_date=date(2025, 2, 1),
            due_date=date(2025, 3, 3),
            amount=D("1210.00"),
            description="Drukwerk",
        ),
        Invoice(
            number="2025-031",
            debtor="K1",
            invoice_date=date(2025, 3, 1),
            due_date=date(2025, 3, 31),
            amount=D("450.00"),
            description="Flyers",
        ),
    ]
    creditor = NL_SHOP if country == "NL" else BE_SHOP
    claim = assess_debtor(
        debtor, invoices, [], list(actions), creditor, CLAUSES, builtin(), date(2025, 11, 3)
    )
    return claim, creditor


def steps_for(country: str, kind: DebtorKind) -> list[Step]:
    if country == "NL" and kind is DebtorKind.CONSUMER:
        return [Step.REMINDER, Step.FOURTEEN_DAY_LETTER]
    if country == "BE" and kind is DebtorKind.CONSUMER:
        return [Step.BE_FIRST_REMINDER, Step.NOTICE_OF_DEFAULT]
    return [Step.REMINDER, Step.NOTICE_OF_DEFAULT]


CASES = [
    (c, k, s, lang) for (c, k) in NAMES for s in steps_for(c, k) for lang in ("nl", "fr", "en")
]


@pytest.mark.parametrize(("country", "kind", "step", "lang"), CASES)
def test_every_template_with_real_figures(country, kind, step, lang):
    actions = []
    if step is Step.NOTICE_OF_DEFAULT and country == "BE" and kind is DebtorKind.CONSUMER:
        actions = [
            Action(
                on=date(2025, 9, 1), debtor="K1", step=Step.BE_FIRST_REMINDER, channel=Channel.EMAIL
            )
        ]
    claim, creditor = claim_for(country, kind, actions)
    plan = LetterPlan(
        claim=claim,
        step=step,
        invoices=("2025-017", "2025-031"),
        sent_on=date(2025, 11, 3),
        channel=Channel.POST,
        language=lang,
    )
    context = letter_context(plan, creditor, CLAUSES)
    template = find_template(template_for(step, claim.debtor.country), lang)
    text = letter_text(render_letter(template, context))
    loc = locale_for(lang, country)
    assert NAMES[(country, kind)] in text
    assert "{{" not in text and "{%" not in text and "}}" not in text
    for c in claim.invoices:
        assert c.invoice.number in text
        assert letter_euro(c.invoice.amount, loc) in text
    assert context["totaal"]["totaal"] in text
    assert context["betaling"]["kenmerk"] and context["betaling"]["kenmerk"] in text
    assert creditor.name in text
    if claim.interest and step is not Step.BE_FIRST_REMINDER:
        assert context["totaal"]["rente"] in text
        for p in context["renteperioden"]:
            assert p["rente"] in text
    if step is Step.FOURTEEN_DAY_LETTER:
        # 15 % over 1,660.00 = 249.00, plus 21 % VAT (the creditor cannot deduct VAT) = 301.29
        assert context["kosten"]["bedrag"] == letter_euro(D("301.29"), loc)
        assert context["kosten"]["bedrag"] in text
        if lang == "nl":
            assert "binnen veertien dagen vanaf de dag nadat deze brief bij u is bezorgd" in text
        for wrong in ("na dagtekening", "na heden", "na verzending"):
            assert wrong not in text
    if step is Step.BE_FIRST_REMINDER:
        free = {"nl": "kosteloos", "fr": "gratuit", "en": "free of charge"}[lang]
        assert free in text.lower()
        assert "0403.170.701" in text
        assert context["xix"]["laatste_dag"] in text
        # lump sum per invoice: 30 + 10 % x 300 = 60.00 (450.00) and 65 + 5 % x 710 = 100.50
        assert context["xix"]["forfait"] == letter_euro(D("160.50"), loc)
        assert context["xix"]["forfait"] in text


def test_amounts_in_the_context_are_the_engine_figures():
    claim, creditor = claim_for("NL", DebtorKind.BUSINESS)
    plan = LetterPlan(
        claim=claim,
        step=Step.NOTICE_OF_DEFAULT,
        invoices=("2025-017", "2025-031"),
        sent_on=date(2025, 11, 3),
    )
    ctx = letter_context(plan, creditor, Settings())
    assert ctx["totaal"]["totaal"] == letter_euro(claim.outstanding)
    assert ctx["totaal"]["kosten"] == letter_euro(D("80.00"))  # 2 x 40 per invoice
    assert ctx["_qr"]["amount"] == claim.outstanding


@pytest.fixture
def demo(demo):
    path = demo  # the shared demo workbook (conftest), changed here
    service.update(path, DEMO_AS_OF, now=NOW)
    return path


def acties(path):
    ws = openpyxl.load_workbook(path, data_only=True)["Acties"]
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=False)) for r in rows[1:] if r[0] is not None]


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_proef_writes_nothing(demo):
    before = sha(demo)
    result = service.letters(demo, DEMO_AS_OF, now=NOW, dry_run=True)
    assert result.letters and sha(demo) == before
    assert not (demo.parent / "brieven").exists()


def test_letters_are_logged_once(demo):
    before = len(acties(demo))
    result = service.letters(demo, DEMO_AS_OF, now=NOW, pdf=False)
    rows = acties(demo)
    assert len(rows) == before + len(result.letters) == before + result.logged
    logged = {(r["Klantnr"], r["Actie"]) for r in rows[before:]}
    assert ("K008", "ingebrekestelling") in logged and ("K010", "eerste herinnering") in logged
    k008 = next(
        r for r in rows[before:] if r["Klantnr"] == "K008" and r["Actie"] == "ingebrekestelling"
    )
    assert k008["Facturen"] == "2026-0046" and k008["Kanaal"] == "post"
    assert round(k008["Gevorderd bedrag"], 2) == 440.50
    assert k008["Bestand"].endswith("K008-ingebrekestelling.docx")
    # the ladder moved: Fase is updated, and a second run produces and logs nothing
    again = service.letters(demo, DEMO_AS_OF, now=NOW, pdf=False)
    assert again.letters == [] and again.logged == 0
    assert len(acties(demo)) == len(rows)
    # --opnieuw regenerates today's letters without logging
    redo = service.letters(demo, DEMO_AS_OF, now=NOW, pdf=False, again=True)
    assert len(redo.letters) == len(result.letters) and redo.logged == 0
    assert len(acties(demo)) == len(rows)
    assert {r["Status"] for r in rows[before:]} == {"concept"}

    def fase(number):
        facturen = openpyxl.load_workbook(demo, data_only=True)["Facturen"]
        head = [c.value for c in facturen[1]]
        row = next(r for r in facturen.iter_rows(values_only=True) if r[0] == number)
        return row[head.index("Fase")], row[head.index("Volgende stap")]

    # made, not sent: the ladder waits for it (the notice is not counted yet)
    assert fase("2026-0046") == ("Herinnerd", "ingebrekestelling (wacht op verzending)")
    service.mark_sent(demo, DEMO_AS_OF, now=NOW, customers=["K008"])
    assert fase("2026-0046") == ("Aangemaand", "overdracht")
    k008 = [r for r in acties(demo) if r["Klantnr"] == "K008" and r["Actie"] == "ingebrekestelling"]
    assert (k008[-1]["Status"], k008[-1]["Verzonden op"].date()) == ("verzonden", DEMO_AS_OF)


def test_outputs_merged_eml_and_call_list(demo):
    result = service.letters(demo, DEMO_AS_OF, now=NOW, pdf=False)
    folder = result.folder
    assert folder == demo.parent / "brieven" / "2026-10-15"
    # one print file per run, named with the run's time
    assert result.merged == folder / "alle-brieven-afdrukken-093000.docx"
    assert result.merged.exists()
    merged = letter_text(result.merged.read_bytes())
    posted = [w for w in result.letters if w.channel is not Channel.EMAIL]
    emailed = [w for w in result.letters if w.channel is Channel.EMAIL]
    assert posted and emailed
    for w in posted:
        assert w.debtor.name in merged
    for w in emailed:  # an e-mail letter states an e-mail term: never printed and posted
        assert f"{w.debtor.number}-{w.step.value.replace(' ', '-')}" not in merged
        assert w.debtor.name not in merged or any(p.debtor == w.debtor for p in posted)
    eml = next(w for w in result.letters if w.eml is not None)
    message = message_from_bytes(eml.eml.read_bytes(), policy=policy.default)
    assert message["X-Unsent"] == "1" and message["To"] == eml.debtor.email
    assert [p.get_filename() for p in message.iter_attachments()] == [eml.docx.name]
    calls = openpyxl.load_workbook(result.call_list)["Belijst"]
    assert calls["A2"].value == "K001" and calls["D2"].value == "020 555 01 01"
    headers = [c.value for c in calls[1]]
    assert headers[7:] == ["Fase", "Laatste brief", "Uitkomst", "Beloofd op", "Notitie"]
    row = dict(zip(headers, (c.value for c in calls[2]), strict=True))
    assert row["Fase"] == "Herinnerd"
    assert row["Laatste brief"] == "herinnering (e-mail) 20-09-2026"
    assert (row["Uitkomst"], row["Beloofd op"], row["Notitie"]) == (None, None, None)
    (choice,) = calls.data_validations.dataValidation
    assert choice.formula1 == '"notitie,belofte,betwist"' and str(choice.sqref) == "J2"
    assert calls.page_setup.orientation == "landscape" and calls.print_title_rows == "$1:$1"
    assert all(calls.column_dimensions[c.column_letter].width >= len(c.value) + 2 for c in calls[1])


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_pdfs_in_one_batch_with_total_and_reference(demo):
    result = service.letters(demo, DEMO_AS_OF, now=NOW, customer="K008")
    letter = next(w for w in result.letters if w.step is Step.NOTICE_OF_DEFAULT)
    assert letter.pdf is not None and letter.pdf.exists()
    info = subprocess.run(["pdfinfo", str(letter.pdf)], capture_output=True, text=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages")))
    assert 1 <= pages <= 3
    text = subprocess.run(
        ["pdftotext", str(letter.pdf), "-"], capture_output=True, text=True
    ).stdout
    assert "€ 440,50" in text
    assert "RF77 2026 0046" in text


def test_cli_brieven_and_template_check(demo, tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["brieven", str(demo), "--peildatum", "2026-10-15", "--proef"])
    assert result.exit_code == 0 and "K008" in result.output and "niets geschreven" in result.output
    result = runner.invoke(main, ["sjablonen", "controleren"])
    assert result.exit_code == 0 and "28 sjablonen" in result.output
    # a user template with a typo is named with its field
    own = tmp_path / "sjablonen" / "nl"
    own.mkdir(parents=True)
    from docx import Document

    doc = Document()
    doc.add_paragraph("Beste {{ klant.naamm }}")
    doc.save(own / "herinnering.docx")
    result = runner.invoke(main, ["sjablonen", "controleren", str(tmp_path / "sjablonen")])
    assert result.exit_code == 2 and "klant.naamm" in result.output


def test_a_relative_workbook_path_puts_letters_beside_the_workbook(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    service.demo_workbook(tmp_path / "sub" / "boek.xlsx")
    result = service.letters("sub/boek.xlsx", DEMO_AS_OF, now=NOW, pdf=False, dry_run=False)
    assert result.folder.resolve() == (tmp_path / "sub" / "brieven" / "2026-10-15").resolve()
    assert (tmp_path / "sub" / "brieven" / "2026-10-15").is_dir()


def test_gesprek_logs_a_promise_that_pauses_the_ladder(demo):
    from debiteuren.service.letters import log_call

    result = CliRunner().invoke(
        main,
        [
            "gesprek",
            str(demo),
            "--klant",
            "K001",
            "--uitkomst",
            "belofte",
            "--op",
            "2026-10-30",
            "--facturen",
            "2026-0073",
            "--tekst",
            "betaalt eind oktober",
            "--peildatum",
            "2026-10-15",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = acties(demo)[-2:]
    assert [(r["Klantnr"], r["Actie"], r["Kanaal"]) for r in rows] == [
        ("K001", "telefoon", "telefoon"),
        ("K001", "betaalbelofte", "telefoon"),
    ]
    assert rows[1]["Beloofd op"].date() == date(2026, 10, 30)
    facturen = openpyxl.load_workbook(demo, data_only=True)["Facturen"]
    head = [c.value for c in facturen[1]]
    row = next(r for r in facturen.iter_rows(values_only=True) if r[0] == "2026-0073")
    assert row[head.index("Fase")] == "Betaalbelofte"
    with pytest.raises(Exception, match="hoort niet bij klant"):
        log_call(
            demo, DEMO_AS_OF, customer="K001", outcome="notitie", now=NOW, invoices=("2026-0046",)
        )


def test_letter_totals_add_up_with_capitalisation_and_payments():
    from debiteuren.core.model import Payment

    debtor = Debtor(number="K1", name="Bouw B.V.", country=Country.NL, kind=DebtorKind.BUSINESS)
    inv = Invoice(
        number="F1",
        debtor="K1",
        invoice_date=date(2022, 1, 1),
        due_date=date(2022, 1, 31),
        amount=D("10000.00"),
    )
    pay = Payment(on=date(2024, 6, 30), amount=D("3000.00"), debtor="K1")
    claim = assess_debtor(
        debtor, [inv], [pay], [], NL_SHOP, Settings(), builtin(), date(2026, 10, 15)
    )
    c = claim.claim_for("F1")
    assert c.statement.capitalisations  # interest was added to the base
    ctx = letter_context(
        LetterPlan(
            claim=claim, step=Step.NOTICE_OF_DEFAULT, invoices=("F1",), sent_on=date(2026, 10, 15)
        ),
        NL_SHOP,
        Settings(),
    )
    # the columns mean what is still owed after the payment was allocated, and add up:
    # hoofdsom - betaald (on the principal) + rente (open) + kosten (open) = te betalen
    paid_on_principal = c.invoice.amount - c.principal_open
    expected = c.invoice.amount - paid_on_principal + c.interest_open + c.statement.costs_open
    assert expected == c.outstanding
    assert ctx["totaal"]["totaal"] == letter_euro(expected)
    assert ctx["totaal"]["betaald"] == letter_euro(paid_on_principal)
    assert ctx["totaal"]["rente"] == letter_euro(c.interest_open)
    assert ctx["kosten"]["bedrag"] == ctx["totaal"]["kosten"] == letter_euro(c.statement.costs_open)
    # the period table's total is all interest accrued; what was paid of it is said
    assert ctx["rente"]["totaal"] == letter_euro(c.statement.interest)
    assert ctx["rente"]["totaal"] == letter_euro(sum(p.interest for p in c.statement.periods))
    assert ctx["rente"]["deels_betaald"]
    assert ctx["rente"]["betaald"] == letter_euro(c.statement.interest - c.interest_open)
    assert ctx["betalingen"]["naar_rente_en_kosten"]
    assert ctx["betalingen"]["totaal"] == letter_euro(D("3000.00"))
    assert ctx["rente"]["percentage"] == "10,40%"  # the rate in force on the letter date
    assert ctx["kosten"]["omschrijving"].startswith("artikel 6:96 lid 4 BW")
    fr = letter_context(
        LetterPlan(
            claim=claim,
            step=Step.NOTICE_OF_DEFAULT,
            invoices=("F1",),
            sent_on=date(2026, 10, 15),
            language="fr",
        ),
        NL_SHOP,
        Settings(),
    )
    assert "Code civil néerlandais" in fr["kosten"]["omschrijving"]


def test_interest_start_is_a_phrase_when_invoices_start_on_different_days():
    claim, creditor = claim_for("NL", DebtorKind.BUSINESS)
    both = letter_context(
        LetterPlan(
            claim=claim,
            step=Step.REMINDER,
            invoices=("2025-017", "2025-031"),
            sent_on=date(2025, 11, 3),
        ),
        creditor,
        CLAUSES,
    )
    assert both["rente"]["vanaf"] == "de dag na de vervaldatum van elke factuur"
    one = letter_context(
        LetterPlan(
            claim=claim, step=Step.REMINDER, invoices=("2025-031",), sent_on=date(2025, 11, 3)
        ),
        creditor,
        CLAUSES,
    )
    assert one["rente"]["vanaf"] == "01\u201104\u20112025"


def _be_consumer_two_first_reminders():
    """A Belgian consumer: a first reminder by e-mail for each invoice, on different days."""
    return claim_for(
        "BE",
        DebtorKind.CONSUMER,
        [
            Action(
                on=date(2025, 9, 1),
                debtor="K1",
                step=Step.BE_FIRST_REMINDER,
                invoices=("2025-017",),
                channel=Channel.EMAIL,
            ),
            Action(
                on=date(2025, 9, 15),
                debtor="K1",
                step=Step.BE_FIRST_REMINDER,
                invoices=("2025-031",),
                channel=Channel.EMAIL,
            ),
        ],
    )


@pytest.mark.parametrize(
    ("lang", "phrase"),
    [
        ("nl", "de eerste rentedag van elke factuur (zie de berekening hieronder)"),
        ("fr", "premier jour d'intérêts de chaque facture (voir le calcul ci-dessous)"),
        ("en", "the first interest day of each invoice (see the calculation below)"),
        ("de", "ersten Zinstag jeder Rechnung (siehe die Berechnung unten)"),
    ],
)
def test_interest_start_never_says_each_due_date_when_interest_starts_later(lang, phrase):
    # A Belgian consumer owes interest from the term of his first reminder (SME creditor: from
    # the start of the term; e-mail: the day after sending), not from the day after the due
    # date: 2-09-2025 for 2025-017 (due 3-03-2025) and 16-09-2025 for 2025-031 (due 31-03-2025).
    # The letter said "vanaf de dag na de vervaldatum van elke factuur" above a table that
    # starts on 02/09 and 16/09, and the hand-over letter told the bailiff the same.
    claim, creditor = _be_consumer_two_first_reminders()
    starts = [c.statement.periods[0].start for c in claim.invoices]
    assert starts == [date(2025, 9, 2), date(2025, 9, 16)]
    ctx = letter_context(
        LetterPlan(
            claim=claim,
            step=Step.NOTICE_OF_DEFAULT,
            invoices=("2025-017", "2025-031"),
            sent_on=date(2025, 11, 3),
            language=lang,
        ),
        creditor,
        CLAUSES,
    )
    assert ctx["rente"]["vanaf"] == phrase
    # The clause's 12 % capped at the B2B rate of 2025 H2, 10.50 % (be.md §3.6), one line per
    # invoice: 1,210.00 x 10.50 % x 63 / 365 = 21.93 (2-09 to 3-11); 450.00 x 10.50 % x 49 /
    # 365 = 6.34 (16-09 to 3-11). The lump sum charged after each term split each line at the
    # same rate and base (4.87 + 17.06 and 1.81 + 4.53: the same 28.27 in all).
    loc = locale_for(lang, "BE")
    assert [(p["van"], p["rente"]) for p in ctx["renteperioden"]] == [
        (short_date(date(2025, 9, 2), loc), letter_euro(D("21.93"), loc)),
        (short_date(date(2025, 9, 16), loc), letter_euro(D("6.34"), loc)),
    ]


def _handover_context(claim, creditor, agency_country: str, lang: str = "nl") -> dict:
    return letter_context(
        LetterPlan(
            claim=claim,
            step=Step.HANDOVER,
            invoices=("2025-017", "2025-031"),
            sent_on=date(2025, 11, 3),
            language=lang,
            handover_to="Incassobureau Noorderlicht B.V.",
            handover_address=(
                "mr. J. Bos",
                "Stationsplein 2",
                "3818 LE",
                "Amersfoort",
                agency_country,
            ),
        ),
        creditor,
        CLAUSES,
    )


def test_the_hand_over_letter_greets_the_agency_not_the_debtor():
    # The customer's Aanhef ("Geachte mevrouw De Vries") is for letters to her; the hand-over
    # letter is addressed to the agency, which got "Geachte mevrouw De Vries," as greeting.
    claim, creditor = claim_for("NL", DebtorKind.CONSUMER)
    claim = dataclasses.replace(
        claim, debtor=dataclasses.replace(claim.debtor, salutation="Geachte mevrouw De Vries")
    )
    ctx = _handover_context(claim, creditor, "NL")
    assert ctx["brief"]["aanhef"] == "Geachte heer, mevrouw,"
    reminder = letter_context(
        LetterPlan(
            claim=claim, step=Step.REMINDER, invoices=("2025-017",), sent_on=date(2025, 11, 3)
        ),
        creditor,
        CLAUSES,
    )
    assert reminder["brief"]["aanhef"] == "Geachte mevrouw De Vries,"


def test_the_agency_address_names_its_country_only_abroad_and_in_words():
    # An agency in the creditor's own country: no country line (it printed the code "NL"
    # under the address, and "· NEDERLAND" in the return address); abroad: the country's name.
    claim, creditor = claim_for("NL", DebtorKind.CONSUMER)
    assert _handover_context(claim, creditor, "NL")["overdracht"]["land"] == ""
    assert _handover_context(claim, creditor, "nl")["overdracht"]["land"] == ""
    assert _handover_context(claim, creditor, "")["overdracht"]["land"] == ""
    assert _handover_context(claim, creditor, "BE")["overdracht"]["land"] == "België"
    claim, creditor = claim_for("BE", DebtorKind.BUSINESS)
    assert _handover_context(claim, creditor, "NL")["overdracht"]["land"] == "Nederland"
    assert _handover_context(claim, creditor, "BE")["overdracht"]["land"] == ""


def test_a_be_first_reminder_without_a_mandatory_mention_is_named(demo):
    """A Book XIX first reminder names the creditor's enterprise number and describes what is
    owed (be.md §3.2, §3.8); with the KvK/KBO-nummer or an invoice's Omschrijving empty the
    letter lacks it, and ``brieven`` says so (it made the letter without a word before)."""
    wb = openpyxl.load_workbook(demo)
    settings = wb["Instellingen"]
    row = next(r for r in settings.iter_rows() if r[0].value == "KvK/KBO-nummer")
    row[1].value = None
    facturen = wb["Facturen"]
    head = [c.value for c in facturen[1]]
    invoice = next(r for r in facturen.iter_rows(min_row=2) if r[0].value == "2026-0061")
    invoice[head.index("Omschrijving")].value = None
    wb.save(demo)
    result = service.letters(demo, DEMO_AS_OF, now=NOW, pdf=False, dry_run=True, customer="K010")
    [warning] = [w for w in result.warnings if "K010" in w]
    assert "geen ondernemingsnummer" in warning and "KvK/KBO-nummer" in warning
    assert "factuur 2026-0061 geen omschrijving" in warning and "2026-0098" not in warning
    clean = service.letters(demo, DEMO_AS_OF, now=NOW, pdf=False, dry_run=True, customer="K002")
    assert not [w for w in clean.warnings if "ondernemingsnummer" in w]
