"""betalingen and regeling on the demo workbook: match, review, storno, re-import, gate, plan."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from decimal import Decimal as D

import openpyxl
import pytest
from click.testing import CliRunner

from debiteuren import service
from debiteuren.cli import main
from debiteuren.demo import DEMO_AS_OF
from debiteuren.service.payments import StaleStatement, import_statements, payment_plan

NOW = datetime(2026, 10, 15, 12, 0)
OWN_IBAN = "NL91ABNA0417164300"


def entry(ref, amount, booked, *, name, iban, text="", structured="", reversal=False):
    remittance = (
        f"<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>ISO</Issr>"
        f"</Tp><Ref>{structured}</Ref></CdtrRefInf></Strd>"
        if structured
        else f"<Ustrd>{text}</Ustrd>"
    )
    return f"""
      <Ntry><Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>{"DBIT" if reversal else "CRDT"}</CdtDbtInd>
        {"<RvslInd>true</RvslInd>" if reversal else ""}<Sts>BOOK</Sts>
        <BookgDt><Dt>{booked}</Dt></BookgDt><ValDt><Dt>{booked}</Dt></ValDt>
        <AcctSvcrRef>{ref}</AcctSvcrRef>
        <NtryDtls><TxDtls><Refs><AcctSvcrRef>{ref}</AcctSvcrRef></Refs>
          <RltdPties><Dbtr><Nm>{name}</Nm></Dbtr><DbtrAcct><Id><IBAN>{iban}</IBAN></Id></DbtrAcct>
          </RltdPties><RmtInf>{remittance}</RmtInf></TxDtls></NtryDtls></Ntry>"""


def camt(*entries, stmt="STMT-1"):
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
  <BkToCstmrStmt><GrpHdr><MsgId>M1</MsgId><CreDtTm>2026-10-14T18:00:00</CreDtTm></GrpHdr>
    <Stmt><Id>{stmt}</Id><CreDtTm>2026-10-14T18:00:00</CreDtTm>
      <Acct><Id><IBAN>{OWN_IBAN}</IBAN></Id><Ccy>EUR</Ccy></Acct>{"".join(entries)}
    </Stmt></BkToCstmrStmt></Document>"""


@pytest.fixture
def demo(tmp_path):
    path = service.demo_workbook(tmp_path / "demo.xlsx")
    service.update(path, DEMO_AS_OF, now=NOW)
    return path


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sheet(path, name):
    ws = openpyxl.load_workbook(path, data_only=True)[name]
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=False)) for r in rows[1:] if r[0] is not None]


def factuur(path, number):
    return next(r for r in sheet(path, "Facturen") if r["Factuurnr"] == number)


def test_import_matches_reviews_and_is_idempotent(demo, tmp_path):
    ref = factuur(demo, "2026-0035")["Betalingskenmerk"].replace(" ", "")
    assert ref.startswith("RF")
    statement = tmp_path / "afschrift.xml"
    statement.write_text(
        camt(
            entry(
                "B1",
                "1000.00",
                "2026-10-14",
                name="Antwerp Logistics NV",
                iban="BE71096123456769",
                structured=ref,
            ),
            entry(
                "B2",
                "847.00",
                "2026-10-14",
                name="Jansen en Zonen",
                iban="NL02ABNA0123456789",
                text="Betaling factuur 2026-0107 jubileum",
            ),
            entry(
                "B3",
                "12.34",
                "2026-10-14",
                name="Onbekend",
                iban="NL20INGB0001234567",
                text="bedankt",
            ),
        )
    )
    result = import_statements(demo, [statement], as_of=DEMO_AS_OF, now=NOW)
    (report,) = result.files
    assert (report.lines, report.matched, report.review, report.duplicates) == (3, 2, 1, 0)
    rows = sheet(demo, "Betalingen")[-3:]
    assert [(r["Klantnr"], r["Factuurnr"], r["Status"]) for r in rows] == [
        ("K012", "2026-0035", "Gematcht"),
        ("K001", "2026-0107", "Gematcht"),
        (None, None, "Te controleren"),
    ]
    assert "RF" in rows[0]["Reden"] and "2026-0107" in rows[1]["Reden"]
    assert rows[0]["IBAN betaler"] == "BE71096123456769" and rows[0]["Bedrag"] == 1000
    assert rows[1]["Bron"] == "CAMT.053: afschrift.xml"
    # the engine counts the matched payments at once: 847.00 on 2026-0107 (due 01-10, B2B):
    # costs 40.00 and interest first, so a small rest stays open
    paid = factuur(demo, "2026-0107")
    assert paid["Betaald"] == 847 and 40 < paid["Totaal"] < 45
    # importing the same statement again adds nothing and leaves the file as it is
    before = sha(demo)
    again = import_statements(demo, [statement], as_of=DEMO_AS_OF, now=NOW)
    assert again.files[0].duplicates == 3 and not again.saved
    assert sha(demo) == before
    # a storno reverses the payment from the same account
    storno = tmp_path / "storno.xml"
    storno.write_text(
        camt(
            entry(
                "B9",
                "847.00",
                "2026-10-15",
                name="Jansen en Zonen",
                iban="NL02ABNA0123456789",
                text="terugboeking",
                reversal=True,
            ),
            stmt="STMT-2",
        )
    )
    result = import_statements(demo, [storno], as_of=DEMO_AS_OF, now=NOW)
    assert result.files[0].reversals == 1
    rows = sheet(demo, "Betalingen")
    original = next(r for r in rows if r["Bankreferentie"] == "B2")
    assert (
        original["Status"] == "Teruggeboekt" and "teruggeboekt op 15-10-2026" in original["Reden"]
    )
    assert rows[-1]["Status"] == "Storno"
    assert factuur(demo, "2026-0107")["Betaald"] == 0


def test_a_broken_statement_changes_nothing(demo, tmp_path):
    broken = tmp_path / "kapot.xml"
    broken.write_text(
        camt(entry("X1", "12,50", "2026-10-14", name="A", iban="NL20INGB0001234567", text="x"))
    )
    before = sha(demo)
    result = CliRunner().invoke(
        main, ["betalingen", str(demo), str(broken), "--peildatum", "2026-10-15"]
    )
    assert result.exit_code == 2
    assert "kapot.xml" in result.output and "NIET ingelezen" in result.output
    assert sha(demo) == before


def test_letters_wait_for_a_recent_statement(demo, tmp_path):
    statement = tmp_path / "afschrift.xml"
    statement.write_text(
        camt(
            entry(
                "B3",
                "12.34",
                "2026-10-14",
                name="Onbekend",
                iban="NL20INGB0001234567",
                text="bedankt",
            )
        )
    )
    import_statements(demo, [statement], as_of=DEMO_AS_OF, now=NOW)
    # 14-10 to 15-10: one working day; fine
    assert service.letters(demo, DEMO_AS_OF, now=NOW, dry_run=True).letters
    late = date(2026, 10, 22)  # five working days later
    that_day = datetime(2026, 10, 22, 9, 0)
    with pytest.raises(StaleStatement, match="14-10-2026"):
        service.letters(demo, late, now=that_day)
    assert service.letters(demo, late, now=that_day, confirm_stale=True, pdf=False).letters
    # a preview still shows what would go out, with the warning
    preview = service.letters(demo, late, now=that_day, dry_run=True)
    assert "14-10-2026" in preview.gate_note
    result = CliRunner().invoke(
        main, ["brieven", str(demo), "--peildatum", "2026-10-22", "--proef"]
    )
    assert result.exit_code == 0 and "Let op" in result.output and "--toch" in result.output


def test_payment_plan(demo):
    result = payment_plan(
        demo, customer="K009", instalments=4, first=date(2026, 11, 1), as_of=DEMO_AS_OF, now=NOW
    )
    assert sum(a for _, _, a in result.instalments) == result.total
    assert [d for _, d, _ in result.instalments] == [
        date(2026, 11, 1),
        date(2026, 12, 1),
        date(2027, 1, 1),
        date(2027, 2, 1),
    ]
    plans = [r for r in sheet(demo, "Regelingen") if r["Klantnr"] == "K009"]
    assert (
        len(plans) == 4
        and D(str(plans[0]["Bedrag"])).quantize(D("0.01")) == (result.instalments[0][2])
    )
    assert result.letter.exists()
    from debiteuren.letters.render import letter_text

    text = letter_text(result.letter.read_bytes())
    assert "Garage Van den Broeck NV" in text and "01/12/2026" in text  # nl_BE dates
    stages = {r["Fase"] for r in sheet(demo, "Facturen") if r["Klantnr"] == "K009"}
    assert stages <= {"Regeling", "Betaald", "Niet vervallen"}
    with pytest.raises(Exception, match="lopende betalingsregeling"):
        payment_plan(
            demo, customer="K009", instalments=2, first=date(2026, 11, 1), as_of=DEMO_AS_OF, now=NOW
        )


def test_statement_text_that_looks_like_a_formula_stays_text(demo, tmp_path):
    statement = tmp_path / "formule.xml"
    statement.write_text(
        camt(
            entry(
                "F1",
                "5.00",
                "2026-10-14",
                name='=HYPERLINK("x")',
                iban="NL20INGB0001234567",
                text="=HYPERLINK(&quot;http://x&quot;,&quot;klik&quot;)",
            )
        )
    )
    import_statements(demo, [statement], as_of=DEMO_AS_OF, now=NOW)
    ws = openpyxl.load_workbook(demo)["Betalingen"]
    cells = [
        c
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith("=HYPERLINK")
    ]
    assert len(cells) == 2 and all(c.data_type == "s" for c in cells)


def test_a_missed_instalment_resumes_the_ladder_with_a_letter_that_says_so(demo):
    from debiteuren.letters.render import letter_text

    payment_plan(
        demo, customer="K009", instalments=4, first=date(2026, 11, 1), as_of=DEMO_AS_OF, now=NOW
    )
    late = date(2026, 11, 20)  # the first instalment (1 November) was never paid
    result = service.letters(
        demo,
        late,
        now=datetime(2026, 11, 20, 9, 0),
        customer="K009",
        pdf=False,
        eml=False,
        confirm_stale=True,
    )
    (letter,) = [w for w in result.letters if w.debtor.number == "K009"]
    text = letter_text(letter.docx.read_bytes())
    assert "betalingsregeling die wij met u hadden afgesproken, is vervallen" in text


def test_a_hand_over_also_waits_for_a_recent_statement(demo, tmp_path):
    from debiteuren.service.handover import handover

    statement = tmp_path / "afschrift.xml"
    statement.write_text(
        camt(
            entry(
                "B3",
                "12.34",
                "2026-10-14",
                name="Onbekend",
                iban="NL20INGB0001234567",
                text="bedankt",
            )
        )
    )
    import_statements(demo, [statement], as_of=DEMO_AS_OF, now=NOW)
    late = date(2026, 10, 30)
    with pytest.raises(StaleStatement, match="oud-afschrift"):
        handover(demo, late, customer="K012", now=datetime(2026, 10, 30, 9, 0))
    result = handover(
        demo, late, customer="K012", now=datetime(2026, 10, 30, 9, 0), confirm_stale=True
    )
    assert result.invoices
