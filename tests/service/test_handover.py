"""overdracht: the dossier, its figures against the engine, the workbook marked, refusals."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import zipfile
from datetime import date, datetime
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from docx import Document

from debiteuren import service
from debiteuren.cli import main
from debiteuren.core.ladder import Stage, letters_due
from debiteuren.core.model import Step
from debiteuren.core.rules import rate_citation
from debiteuren.demo import DEMO_AS_OF
from debiteuren.errors import DebiteurenError
from debiteuren.formatting import euro
from debiteuren.service.handover import HandoverRefused, handover
from debiteuren.workbook.read import open_book
from debiteuren.workbook.write import append_table_rows

REMINDER_ON = DEMO_AS_OF  # 15-10-2026: K004's first letter
DEMAND_ON = date(2026, 10, 30)  # the 14-dagenbrief (post; received Sat 31-10, term to 14-11)
PAID_ON = date(2026, 11, 5)  # a part payment within the term
HANDOVER_ON = date(2026, 11, 16)  # the term expired unpaid
AGENCY = "Incassobureau Noord B.V."
HAS_SOFFICE = shutil.which("soffice") is not None or shutil.which("libreoffice") is not None


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def table(path: Path, sheet: str) -> list[dict[str, object]]:
    ws = openpyxl.load_workbook(path, data_only=True)[sheet]
    rows = list(ws.iter_rows(values_only=True))
    head = rows[0]
    return [dict(zip(head, r, strict=False)) for r in rows[1:] if any(v is not None for v in r)]


def summary(spec: Path) -> dict[str, dict[str, object]]:
    """Return the Samenvatting sheet's invoice rows (and the Totaal row) by invoice number."""
    rows = list(
        openpyxl.load_workbook(spec, data_only=True)["Samenvatting"].iter_rows(values_only=True)
    )
    start = next(i for i, r in enumerate(rows) if r[0] == "Factuurnr")
    head = rows[start]
    return {r[0]: dict(zip(head, r, strict=False)) for r in rows[start + 1 :] if r[0]}


def money(value: object) -> D:
    return D(str(value)).quantize(D("0.01"))


@pytest.fixture(scope="module")
def case(tmp_path_factory):
    """K004 (NL consumer, one disputed invoice): reminder, 14-dagenbrief, a part payment, and
    the hand-over once the 14-day term expired unpaid."""
    root = tmp_path_factory.mktemp("overdracht")
    path = service.demo_workbook(root / "demo.xlsx")
    service.update(path, DEMO_AS_OF, now=datetime(2026, 10, 15, 9, 0))
    first = service.letters(
        path, REMINDER_ON, now=datetime(2026, 10, 15, 9, 5), customer="K004", pdf=False, eml=False
    )
    # the e-mail draft was sent that day from the mail program, and marked so
    service.mark_sent(path, REMINDER_ON, now=datetime(2026, 10, 15, 16, 0))
    # the 14-dagenbrief states the 2026 statutory rate, which rates.csv marks as unconfirmed:
    # the user confirms it explicitly
    second = service.letters(
        path,
        DEMAND_ON,
        now=datetime(2026, 10, 30, 9, 5),
        customer="K004",
        pdf=False,
        eml=False,
        confirm_rates=True,
    )
    service.mark_sent(path, DEMAND_ON, now=datetime(2026, 10, 30, 17, 0))  # posted that day
    book = open_book(path)
    append_table_rows(
        book,
        "Betalingen",
        [
            {
                "on": PAID_ON,
                "amount": D("20.00"),
                "debtor": "K004",
                "invoice": "2026-0116",
                "text": "deelbetaling",
                "source": "handmatig",
            }
        ],
    )
    book.save(path)
    before = service.assess(service.load(path, HANDOVER_ON, for_writing=False), HANDOVER_ON)
    result = handover(
        path, HANDOVER_ON, customer="K004", to=AGENCY, now=datetime(2026, 11, 16, 10, 0)
    )
    return {
        "path": path,
        "root": root,
        "letters": [*first.letters, *second.letters],
        "engine": before,
        "result": result,
    }


def test_the_letters_before_the_hand_over(case):
    steps = [w.step.value for w in case["letters"]]
    assert steps == ["herinnering", "14-dagenbrief"]
    acties = [r for r in table(case["path"], "Acties") if r["Klantnr"] == "K004"]
    letters = [r for r in acties if r["Actie"] in ("herinnering", "14-dagenbrief")]
    # NL letters by post interrupt limitation (art. 3:317 BW): the log says so; the reminder
    # went by e-mail, which counts only with the setting "NL: e-mail stuit de verjaring"
    assert [(r["Kanaal"], r["Notitie"]) for r in letters] == [
        ("e-mail", None),
        ("post", "in het afdrukbestand alle-brieven-afdrukken-090500.docx; stuit de verjaring"),
    ]
    # both went out, and were marked so on the day they went out
    assert [(r["Status"], r["Verzonden op"].date()) for r in letters] == [
        ("verzonden", REMINDER_ON),
        ("verzonden", DEMAND_ON),
    ]


def test_the_dossier_holds_every_part(case):
    r = case["result"]
    assert r.folder == case["path"].parent / "brieven" / "overdracht-K004-2026-11-16"
    assert r.archive == r.folder.with_suffix(".zip") and r.archive.is_file()
    expected = {
        "overdrachtsbrief.docx",
        "specificatie.xlsx",
        "specificatie.docx",
        "debiteur.json",
        "notities.txt",
        "manifest.json",
        "MANIFEST.txt",
        "brieven/2026-10-15-herinnering-K004-herinnering.docx",
        "brieven/2026-10-30-14-dagenbrief-K004-14-dagenbrief.docx",
    }
    if HAS_SOFFICE:
        expected |= {"overdrachtsbrief.pdf", "specificatie.pdf"}
    else:
        assert "LibreOffice" in r.pdf_note
    assert set(r.files) == expected
    assert {str(p.relative_to(r.folder)) for p in r.folder.rglob("*") if p.is_file()} == expected
    with zipfile.ZipFile(r.archive) as zf:
        names = set(zf.namelist())
        assert names == {f"{r.folder.name}/{name}" for name in expected}
        for name in expected:
            assert zf.read(f"{r.folder.name}/{name}") == (r.folder / name).read_bytes()


def test_the_manifest_hashes_every_file(case):
    folder = case["result"].folder
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    listed = {e["bestand"]: e for e in manifest["bestanden"]}
    assert set(listed) == set(case["result"].files) - {"manifest.json", "MANIFEST.txt"}
    for name, entry in listed.items():
        assert entry["sha256"] == sha(folder / name)
        assert entry["bytes"] == (folder / name).stat().st_size
    lines = (folder / "MANIFEST.txt").read_text("utf-8").splitlines()
    pairs = dict(reversed(line.split("  ", 1)) for line in lines)
    assert set(pairs) == set(case["result"].files) - {"MANIFEST.txt"}
    assert all(pairs[name] == sha(folder / name) for name in pairs)
    assert manifest["klant"] == "K004" and manifest["overgedragen_aan"] == AGENCY
    assert manifest["facturen"] == ["2026-0116"] and manifest["ontbrekende_brieven"] == []
    if shutil.which("sha256sum"):
        check = subprocess.run(
            ["sha256sum", "-c", "MANIFEST.txt"],
            cwd=folder,
            capture_output=True,
            text=True,
            check=False,
        )
        assert check.returncode == 0, check.stdout + check.stderr


def test_the_specification_matches_the_engine_to_the_cent(case):
    r = case["result"]
    claim = case["engine"].claims["K004"]
    c = claim.claim_for("2026-0116")
    st = c.statement
    assert r.invoices == ("2026-0116",) and r.amount == c.outstanding
    spec = r.folder / "specificatie.xlsx"
    rows = summary(spec)
    assert list(rows) == ["2026-0116", "Totaal"]
    row, totals = rows["2026-0116"], rows["Totaal"]
    assert row["Vervaldatum"].date() == c.invoice.due_date
    assert money(row["Hoofdsom"]) == c.invoice.amount == D("89.00")
    assert money(row["Betaald"]) == st.paid == D("20.00")
    assert money(row["Open hoofdsom"]) == c.principal_open
    assert money(row["Open rente"]) == st.interest_open
    assert money(row["Open kosten"]) == st.costs_open == D("40.00")  # WIK minimum after the letter
    assert money(row["Totaal"]) == c.outstanding
    assert totals["Factuurnr"] == "Totaal" and money(totals["Totaal"]) == c.outstanding
    assert c.principal_open + st.interest_open + st.costs_open == c.outstanding

    periods = table(spec, "Rente")
    assert len(periods) == len(st.periods) >= 2  # the part payment splits the period
    for got, p in zip(periods, st.periods, strict=True):
        assert got["Van"].date() == p.start and got["Tot en met"].date() == p.end
        assert got["Dagen"] == p.days and money(got["Grondslag"]) == p.base
        assert D(str(got["Rente %"])) == p.rate and money(got["Rente"]) == p.interest
        # the official publication, never the internal notes of the Rentes sheet
        assert got["Bron van de rentevoet"] == rate_citation(p.rate_row)
        assert got["Bron van de rentevoet"].startswith("art. 6:119 jo. 6:120 lid 1 BW; ")
        assert "open-source" not in got["Bron van de rentevoet"]
    assert sum(money(g["Rente"]) for g in periods) == st.interest

    [cost] = table(spec, "Kosten")
    assert money(cost["Bedrag"]) == D("40.00")
    assert "6:96" in cost["Grondslag"] and "14-dagenbrief van 30-10-2026" in cost["Grondslag"]

    [allocation] = table(spec, "Betalingen")
    a = st.allocations[0]
    assert allocation["Datum"].date() == PAID_ON
    assert [
        money(allocation[k]) for k in ("Aangeboden", "Naar kosten", "Naar rente", "Naar hoofdsom")
    ] == [a.amount, a.to_costs, a.to_interest, a.to_principal]
    assert a.to_costs == 0 and a.to_interest > 0  # costs came only after the term
    text = " ".join(
        str(row[0])
        for row in openpyxl.load_workbook(spec)["Opmerkingen"].iter_rows(values_only=True)
    )
    assert "2026-0031" in text and "betwist" in text  # the disputed invoice is left out


def test_the_specification_document(case):
    folder = case["result"].folder
    doc = Document(folder / "specificatie.docx")
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = "\n".join(cell.text for t in doc.tables for row in t.rows for cell in row.cells)
    total = euro(case["result"].amount)
    assert "Specificatie van de vordering" in text
    assert f"Totaal te vorderen per 16-11-2026: {total}" in text
    assert "Rente per periode" in text and "Kosten en hun wettelijke grondslag" in text
    assert "art. 6:96 BW" in cells and total in cells
    assert "niet overgedragen" in text
    if HAS_SOFFICE and shutil.which("pdftotext"):
        out = subprocess.run(
            ["pdftotext", "-layout", str(folder / "specificatie.pdf"), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "Specificatie van de vordering" in out and total in out


def test_the_debtor_letters_and_notes(case):
    r = case["result"]
    record = json.loads((r.folder / "debiteur.json").read_text("utf-8"))
    assert record == {
        "klantnr": "K004",
        "naam": "Michael O'Brien",
        "contactpersoon": "",
        "adres": "Parkstraat 9",
        "postcode": "2514 JG",
        "plaats": "Den Haag",
        "land": "NL",
        "soort": "consument",
        "kvk_kbo": "",
        "btw_nummer": "",
        "email": "m.obrien@example.com",
        "telefoon": "",
        "taal": "en",
        "toepasselijk_recht": "NL",
    }
    assert len(r.letters) == 2 and not r.missing_letters
    for copy, sent in zip(r.letters, case["letters"], strict=True):
        assert copy.copy is not None and copy.copy.read_bytes() == sent.docx.read_bytes()
        assert copy.action.on.isoformat() in copy.copy.name
    notes = (r.folder / "notities.txt").read_text("utf-8")
    assert "Klant zegt dat de kleuren afwijken" in notes  # Facturen Notitie of the dispute
    assert "Kleuren wijken af van de proef" in notes  # the Acties betwisting
    assert "14-dagenbrief (post)" in notes and "\nNiet overgedragen:\n  2026-0031: " in notes
    assert "; niet overgedragen" not in notes  # said once, in the heading
    assert r.left_out[0][0] == "2026-0031" and r.costs_left_out == ()
    letter = Document(r.folder / "overdrachtsbrief.docx")
    letter_text = "\n".join(p.text for p in letter.paragraphs)
    assert "Overdracht ter incasso" in letter_text and "Michael O'Brien" in letter_text


def test_the_workbook_is_marked_and_the_ladder_stops(case):
    path = case["path"]
    # 2026-0031 is disputed: not handed over, so the customer as a whole is not "Uit handen";
    # the overdracht row names 2026-0116, which stops the ladder for that invoice
    [k004] = [r for r in table(path, "Klanten") if r["Klantnr"] == "K004"]
    assert k004["Uit handen"] in (None, "Nee")
    last = table(path, "Acties")[-1]
    assert (last["Klantnr"], last["Actie"], last["Facturen"]) == ("K004", "overdracht", "2026-0116")
    assert money(last["Gevorderd bedrag"]) == case["result"].amount
    assert last["Bestand"] == "brieven/overdracht-K004-2026-11-16.zip"
    assert last["Notitie"] == f"overgedragen aan {AGENCY}"
    assert case["result"].backup is not None and case["result"].backup.is_file()
    fase = {r["Factuurnr"]: r["Fase"] for r in table(path, "Facturen") if r["Klantnr"] == "K004"}
    assert fase == {"2026-0031": "Betwist", "2026-0116": "Uit handen"}
    later = date(2026, 12, 15)
    assessment = service.assess(service.load(path, later, for_writing=False), later)
    assert [s.stage for s in assessment.stages["K004"].values()] == [
        Stage.DISPUTED,
        Stage.HANDED_OVER,
    ]
    assert letters_due(assessment.stages["K004"], later) == {}
    overzicht = [
        [v for v in row if v is not None]
        for row in openpyxl.load_workbook(path, data_only=True)["Overzicht"].iter_rows(
            values_only=True
        )
    ]
    start = overzicht.index(["Uit handen (bij incassobureau of deurwaarder)"])
    assert overzicht[start + 2][:3] == ["K004", "Michael O'Brien", "2026-0116"]
    assert overzicht[start + 3][0] == "Totaal uit handen"
    assert money(overzicht[start + 3][1]) == case["result"].amount


def test_is_it_worth_it(case):
    worth = case["result"].worth
    assert worth.claim == case["result"].amount
    assert not worth.worth_it
    assert worth.verdict.startswith("Doorzetten kost meer dan het oplevert")


def test_a_later_payment_still_counts(case, tmp_path):
    path = tmp_path / "later.xlsx"
    shutil.copy2(case["path"], path)
    book = open_book(path)
    append_table_rows(
        book,
        "Betalingen",
        [
            {
                "on": date(2026, 12, 1),
                "amount": D("50.00"),
                "debtor": "K004",
                "invoice": "2026-0116",
                "text": "via incassobureau",
                "source": "handmatig",
            }
        ],
    )
    book.save(path)
    result = service.update(path, date(2026, 12, 1), now=datetime(2026, 12, 1, 9))
    c = result.assessment.claims["K004"].claim_for("2026-0116")
    assert c.statement.paid == D("70.00") and c.outstanding < case["result"].amount
    assert result.assessment.stages["K004"]["2026-0116"].stage is Stage.HANDED_OVER


def test_hands_over_only_what_is_ready_and_names_the_rest(demo):
    # K002 (NL consumer): 2026-0024 had its 14-dagenbrief on 04-05-2026, whose term ended long
    # ago; 2026-0077 had a reminder (20-08-2026) and a call (10-09-2026), so its 14-dagenbrief is
    # due from 24-09-2026 (the call + 14 days); 2026-0119 is still at the reminder
    r = handover(demo, DEMO_AS_OF, customer="K002", to=AGENCY, now=datetime(2026, 10, 15, 10))
    assert r.invoices == ("2026-0024",) and r.forced == () and r.costs_left_out == ()
    assert [n for n, _ in r.left_out] == ["2026-0077", "2026-0119"]
    why = dict(r.left_out)
    assert "de ladder staat nog op 14-dagenbrief (vanaf 24-09-2026)" in why["2026-0077"]
    assert "de ladder staat nog op herinnering" in why["2026-0119"]
    assert not r.whole
    [k002] = [row for row in table(demo, "Klanten") if row["Klantnr"] == "K002"]
    assert k002["Uit handen"] in (None, "Nee")


def test_refuses_a_chosen_invoice_that_is_not_ready(demo):
    before = sha(demo)
    with pytest.raises(HandoverRefused) as refused:
        handover(
            demo,
            DEMO_AS_OF,
            customer="K002",
            to=AGENCY,
            now=datetime(2026, 10, 15, 10),
            invoices=("2026-0024", "2026-0077"),
        )
    message = refused.value.message
    assert "K002 geweigerd" in message and "niets gewijzigd" in message
    assert "2026-0077" in message and "2026-0119" not in message and "--toch" in message
    assert sha(demo) == before
    assert not list(demo.parent.rglob("overdracht-*"))


def test_force_hands_over_without_the_costs_the_law_does_not_allow(demo):
    engine = service.assess(service.load(demo, DEMO_AS_OF, for_writing=False), DEMO_AS_OF)
    r = handover(
        demo, DEMO_AS_OF, customer="K002", to=AGENCY, now=datetime(2026, 10, 15, 10), force=True
    )
    assert r.invoices == ("2026-0024", "2026-0077", "2026-0119")
    assert [n for n, _ in r.costs_left_out] == ["2026-0077", "2026-0119"]
    # --toch says what it skips: the ladder had not reached the hand-over for these two
    assert [n for n, _ in r.forced] == ["2026-0077", "2026-0119"]
    assert any("toch overgedragen" in w for w in r.warnings)
    assert r.whole
    claim = engine.claims["K002"]
    rows = summary(r.folder / "specificatie.xlsx")
    # the 14-dagenbrief of 04-05-2026 made the costs of 2026-0024 due; the others have none
    assert money(rows["2026-0024"]["Open kosten"]) == D("40.00")
    assert money(rows["2026-0077"]["Open kosten"]) == 0
    assert money(rows["2026-0119"]["Open kosten"]) == 0
    for number in r.invoices:
        assert money(rows[number]["Totaal"]) == claim.claim_for(number).outstanding
    assert money(rows["Totaal"]["Totaal"]) == r.amount == claim.outstanding
    costs = table(r.folder / "specificatie.xlsx", "Kosten")
    assert [c["Factuurnr"] for c in costs] == ["2026-0024"]
    notes = " ".join(
        str(row[0])
        for row in openpyxl.load_workbook(r.folder / "specificatie.xlsx")["Opmerkingen"].iter_rows(
            values_only=True
        )
    )
    assert "Factuur 2026-0077: geen incassokosten gevorderd" in notes
    assert "Factuur 2026-0119: geen incassokosten gevorderd" in notes
    # the demo's letters were logged without files: listed as missing, not copied
    assert [c.action.step.value for c in r.missing_letters] == [
        "herinnering",
        "14-dagenbrief",
        "herinnering",
    ]
    manifest = json.loads((r.folder / "manifest.json").read_text("utf-8"))
    assert len(manifest["ontbrekende_brieven"]) == 3
    last = table(demo, "Acties")[-1]
    assert last["Notitie"] == (
        f"overgedragen aan {AGENCY}; zonder incassokosten voor 2026-0077, 2026-0119"
    )


def test_excel_and_the_command_line_show_the_costs_a_hand_over_drops(demo):
    """The result lines are made once (service/reports.py): the Excel message box lists the
    invoices handed over without their costs, as the command line does."""
    from debiteuren.service.reports import Front, report

    r = handover(
        demo, DEMO_AS_OF, customer="K002", to=AGENCY, now=datetime(2026, 10, 15, 10), force=True
    )
    dropped = [f"Zonder kosten: {n}: {why}." for n, why in r.costs_left_out]
    assert [line.split(":")[1].strip() for line in dropped] == ["2026-0077", "2026-0119"]
    excel = report(r, Front.EXCEL).notes
    cli = [line.text for line in report(r, Front.CLI).lines]
    for line in dropped:  # a bullet in the message box, indented on the command line
        assert f"• {line}" in excel and f"  {line}" in cli
    assert "Sla het werkboek op." in excel and "Sla het werkboek op." not in cli


def test_refuses_a_be_consumer_without_a_first_reminder(demo):
    with pytest.raises(HandoverRefused) as refused:
        handover(demo, DEMO_AS_OF, customer="K010", now=datetime(2026, 10, 15, 10))
    assert "de ladder staat nog op eerste herinnering" in refused.value.message
    # --toch hands over without the damages and interest Book XIX does not allow yet
    r = handover(demo, DEMO_AS_OF, customer="K010", now=datetime(2026, 10, 15, 10), force=True)
    assert [n for n, _ in r.costs_left_out] == ["2026-0061", "2026-0098"]
    assert all("Boek XIX" in why for _, why in r.costs_left_out)


def test_refuses_twice_and_unknown_customers(demo):
    handover(demo, DEMO_AS_OF, customer="K012", to=AGENCY, now=datetime(2026, 10, 15, 10))
    with pytest.raises(HandoverRefused, match="2024-0107: al uit handen gegeven"):
        handover(demo, DEMO_AS_OF, customer="K012", now=datetime(2026, 10, 15, 11))
    with pytest.raises(DebiteurenError, match="K999"):
        handover(demo, DEMO_AS_OF, customer="K999", now=datetime(2026, 10, 15, 11))


def test_the_command(demo):
    runner = CliRunner()
    refused = runner.invoke(
        main, ["overdracht", str(demo), "--klant", "K010", "--peildatum", "2026-10-15"]
    )
    assert refused.exit_code == 2 and "geweigerd" in refused.output
    done = runner.invoke(
        main,
        ["overdracht", str(demo), "--klant", "K012", "--aan", AGENCY, "--peildatum", "2026-10-15"],
    )
    assert done.exit_code == 0, done.output
    assert f"overgedragen aan {AGENCY}" in done.output
    assert "Loont doorzetten?" in done.output and "Doorzetten kan lonen" in done.output
    assert "Dossier:" in done.output and "Niet overgedragen: 2026-0088" in done.output
    assert "blijven op de ladder" in done.output


def test_bijwerken_warns_about_limitation(demo):
    result = CliRunner().invoke(main, ["bijwerken", str(demo), "--peildatum", "2027-04-10"])
    assert result.exit_code == 0, result.output
    assert (
        "Let op, verjaring: Factuur 2026-0046 van Els Peeters (K008) verjaart (of geldt als "
        "betaald) op 29-04-2027"
    ) in result.output


# --- the ladder decides what is ready (one rule with Volgende stap and Per) ---------------------


def edit_invoices(path: Path, values: dict[str, dict[str, object]]) -> None:
    book = open_book(path)
    ws = book["Facturen"]
    head = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        number = row[head.index("Factuurnr")].value
        for header, value in values.get(number, {}).items():
            row[head.index(header)].value = value
    book.save(path)


def test_paused_and_disputed_invoices_are_left_out_and_named_and_an_old_dispute_row_is_not(demo):
    edit_invoices(
        demo,
        {
            "2026-0035": {"Pauze tot": datetime(2026, 10, 31)},
            "2026-0088": {"Betwist": "Ja"},
        },
    )
    # an old dispute about 2024-0107, resolved: the Betwist column says Nee, so it is history
    book = open_book(demo)
    append_table_rows(
        book,
        "Acties",
        [
            {
                "on": date(2026, 6, 1),
                "debtor": "K012",
                "invoices": "2024-0107",
                "step": "betwisting",
                "channel": "telefoon",
                "note": "Klant twijfelde aan de levering; opgelost met de vrachtbrief",
            }
        ],
    )
    book.save(demo)
    r = handover(demo, DEMO_AS_OF, customer="K012", to=AGENCY, now=datetime(2026, 10, 15, 10))
    assert r.invoices == ("2024-0107",)
    reasons = dict(r.left_out)
    assert list(reasons) == ["2026-0035", "2026-0088", "2026-0125"]
    assert reasons["2026-0035"].startswith("gepauzeerd tot en met 31-10-2026")
    assert reasons["2026-0088"].startswith("betwist (kolom Betwist op het blad Facturen)")
    assert reasons["2026-0125"].startswith("vervalt op 31-10-2026")
    notes = (r.folder / "notities.txt").read_text("utf-8")
    assert "2026-0088: betwist" in notes and "2026-0035: gepauzeerd" in notes


def test_a_notice_sent_today_blocks_the_hand_over_until_its_term_ends(demo):
    made = service.letters(demo, DEMO_AS_OF, now=datetime(2026, 10, 15, 9), customer="K008")
    assert [(w.step, w.invoices) for w in made.letters] == [
        (Step.NOTICE_OF_DEFAULT, ("2026-0046",))
    ]
    # made but not sent: not even a running term yet
    with pytest.raises(HandoverRefused, match="nog niet verzonden"):
        handover(
            demo,
            DEMO_AS_OF,
            customer="K008",
            now=datetime(2026, 10, 15, 10),
            invoices=["2026-0046"],
        )
    service.mark_sent(demo, DEMO_AS_OF, now=datetime(2026, 10, 15, 16))
    before = sha(demo)
    with pytest.raises(HandoverRefused) as refused:
        handover(
            demo,
            DEMO_AS_OF,
            customer="K008",
            now=datetime(2026, 10, 15, 17),
            invoices=["2026-0046"],
        )
    assert (
        "factuur 2026-0046: de termijn van de ingebrekestelling van 15-10-2026 loopt nog; "
        "overdracht kan vanaf 30-10-2026"
    ) in refused.value.message
    assert sha(demo) == before
    # the day before the term ends, still not; on 30-10 it is, and --facturen hands over
    # exactly that invoice (2026-0084 and 2026-0132 stay on the ladder)
    with pytest.raises(HandoverRefused):
        handover(
            demo,
            date(2026, 10, 29),
            customer="K008",
            now=datetime(2026, 10, 29, 9),
            invoices=["2026-0046"],
            confirm_stale=True,
        )
    result = CliRunner().invoke(
        main,
        [
            "overdracht",
            str(demo),
            "--klant",
            "K008",
            "--facturen",
            "2026-0046",
            "--peildatum",
            "2026-10-30",
        ],
    )
    assert result.exit_code == 0, result.output
    last = table(demo, "Acties")[-1]
    assert (last["Actie"], last["Facturen"], last["Status"]) == (
        "overdracht",
        "2026-0046",
        "concept",
    )
    fase = {r["Factuurnr"]: r["Fase"] for r in table(demo, "Facturen") if r["Klantnr"] == "K008"}
    assert fase["2026-0046"] == "Uit handen" and fase["2026-0084"] != "Uit handen"


def test_facturen_names_only_the_customers_invoices(demo):
    with pytest.raises(
        DebiteurenError, match="2026-0046 is geen openstaande factuur van klant K012"
    ):
        handover(
            demo,
            DEMO_AS_OF,
            customer="K012",
            now=datetime(2026, 10, 15, 10),
            invoices=["2026-0046"],
        )


def test_the_agency_letter_names_the_letters_sent_without_a_copy(demo):
    # K012 (BE business): the reminder of 10-04-2026 and the notice of default of 20-05-2026
    # for 2024-0107 are on Acties without a file; the reminder of 15-10-2026 (2026-0035 and
    # -0088) is made by debiteuren, so its copy goes into the dossier. The letter to the agency
    # said "De verstuurde brieven zijn bijgevoegd" although the notice of default for the
    # claim handed over was not.
    now = datetime(2026, 10, 15, 9, 5)
    service.update(demo, DEMO_AS_OF, now=now)
    service.letters(demo, DEMO_AS_OF, now=now, customer="K012", pdf=False, eml=False)
    service.mark_sent(demo, DEMO_AS_OF, now=datetime(2026, 10, 15, 16, 0))
    r = handover(demo, DEMO_AS_OF, customer="K012", to=AGENCY, now=datetime(2026, 10, 15, 17))
    assert r.invoices == ("2024-0107",)
    assert [(c.action.on, c.copy is not None) for c in r.letters] == [
        (date(2026, 4, 10), False),
        (date(2026, 5, 20), False),
        (date(2026, 10, 15), True),
    ]
    letter = Document(r.folder / "overdrachtsbrief.docx")
    text = "\n".join(p.text for p in letter.paragraphs)
    assert (
        "De verstuurde brieven zijn bijgevoegd. Kopieën van de facturen zijn niet bijgevoegd; "
        "die sturen wij u op verzoek. Van de brieven van 10/04/2026, 20/05/2026 is geen kopie "
        "bijgevoegd."
    ) in text


def test_a_line_break_in_a_note_or_a_name_writes_no_line_of_its_own_in_the_notes(demo):
    """notities.txt lists the actions one per line. A note with a line break (Alt+Enter, a
    mail server's reply on a refused e-mail) or a name from an e-invoice wrote a line that
    read as an action of its own: a notice of default the customer received."""
    fake = "15-10-2026  ingebrekestelling (aangetekend); facturen 2024-0107; ontvangen op 16-10"
    book = openpyxl.load_workbook(demo)
    for sheet, key, wanted, column, text in (
        ("Acties", "Klantnr", "K012", "Notitie", f"gebeld\n  {fake}"),
        ("Facturen", "Factuurnr", "2024-0107", "Notitie", f"akkoord\r\n  {fake}"),
        ("Klanten", "Klantnr", "K012", "Naam", f"Antwerp Logistics NV\u2028  {fake}"),
    ):
        ws = book[sheet]
        head = [c.value for c in ws[1]]
        for row in ws.iter_rows(min_row=2):
            if row[head.index(key)].value == wanted:
                row[head.index(column)].value = text
    book.save(demo)
    r = handover(demo, DEMO_AS_OF, customer="K012", to=AGENCY, now=datetime(2026, 10, 15, 17))
    lines = (r.folder / "notities.txt").read_text("utf-8").splitlines()
    assert [line for line in lines if line.strip().startswith(fake)] == []
    assert any(line.endswith(f"gebeld {fake}") for line in lines)
    assert any(line.endswith(f"akkoord {fake}") for line in lines)
    assert lines[0] == f"Notities en correspondentie – Antwerp Logistics NV {fake} (K012)"


def test_a_klantnr_with_a_dot_gives_its_own_archive(demo):
    """The archive was the folder's name 'with the suffix .zip': for Klantnr K.012 the
    "suffix" of overdracht-K.012-2026-10-15 is .012-2026-10-15, so the dossier of every
    Klantnr K.… went to overdracht-K.zip, and the next hand-over of one of them looked for a
    free folder name for ever (each candidate's archive was that same overdracht-K.zip)."""
    book = openpyxl.load_workbook(demo)
    for ws in book.worksheets:
        head = [c.value for c in ws[1]]
        if "Klantnr" in head:
            for row in ws.iter_rows(min_row=2):
                if row[head.index("Klantnr")].value == "K012":
                    row[head.index("Klantnr")].value = "K.012"
    book.save(demo)
    r = handover(demo, DEMO_AS_OF, customer="K.012", to=AGENCY, now=datetime(2026, 10, 15, 17))
    assert r.folder.name == "overdracht-K.012-2026-10-15"
    assert r.archive.name == "overdracht-K.012-2026-10-15.zip" and r.archive.is_file()
    assert not (r.folder.parent / "overdracht-K.zip").exists()
