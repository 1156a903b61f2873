"""betalingen and regeling on the demo workbook: match, review, storno, re-import, gate, plan."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from decimal import Decimal as D
from html import escape
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from debiteuren import service
from debiteuren.cli import main
from debiteuren.demo import DEMO_AS_OF
from debiteuren.service.changes import UnknownCustomer
from debiteuren.service.payments import StaleStatement, import_statements, payment_plan
from debiteuren.workbook.aside import can_fork

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
def demo(demo):
    path = demo  # the shared demo workbook (conftest), changed here
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
    # an unknown customer is said first, not that the statement is old
    with pytest.raises(UnknownCustomer, match="^Klant 'K999' staat niet op het blad Klanten"):
        handover(demo, late, customer="K999", now=datetime(2026, 10, 30, 9, 0))
    result = handover(
        demo, late, customer="K012", now=datetime(2026, 10, 30, 9, 0), confirm_stale=True
    )
    assert result.invoices


def camt_balanced(*entries, closing=None, stmt="STMT-B", account=OWN_IBAN):
    """A statement with opening and closing balances (closing given, or opening + entries)."""
    import re

    net = D(0)
    for text in entries:
        amount = D(re.search(r"<Amt Ccy=\"EUR\">([^<]*)</Amt>", text).group(1))
        net += -amount if "<CdtDbtInd>DBIT" in text else amount
    close = D("1000.00") + net if closing is None else closing
    balances = (
        '<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">1000.00</Amt>'
        "<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-10-13</Dt></Dt></Bal>"
        '<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">'
        f"{close:.2f}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-10-14</Dt></Dt></Bal>"
    )
    return (
        camt(*entries, stmt=stmt)
        .replace("<Ccy>EUR</Ccy></Acct>", "<Ccy>EUR</Ccy></Acct>" + balances)
        .replace(OWN_IBAN, account)
    )


def debit(ref, amount, booked):
    return (
        f'<Ntry><Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts>'
        f"<BookgDt><Dt>{booked}</Dt></BookgDt><AcctSvcrRef>{ref}</AcctSvcrRef></Ntry>"
    )


def test_a_statement_that_does_not_reconcile_changes_nothing(demo, tmp_path):
    statement = tmp_path / "kapot-saldo.xml"
    statement.write_text(
        camt_balanced(
            entry("Q1", "10.00", "2026-10-14", name="A", iban="NL20INGB0001234567", text="x"),
            closing=D("1000.00"),
        )
    )
    other = tmp_path / "goed.xml"
    other.write_text(camt_balanced(debit("Q2", "5.00", "2026-10-14"), stmt="S2"))
    before = sha(demo)
    result = CliRunner().invoke(
        main, ["betalingen", str(demo), str(other), str(statement), "--peildatum", "2026-10-15"]
    )
    assert result.exit_code == 2
    assert "klopt niet" in result.output and "verschil € -10,00" in result.output
    assert "Er is niets ingelezen" in result.output
    assert sha(demo) == before


def test_a_statement_dated_after_the_peildatum_does_not_switch_the_gate_off(demo, tmp_path):
    """A statement whose closing balance is dated 31-12-9999 (a damaged date; its bookings and
    balances are right) was kept as the newest statement: 'Laatste bankafschrift' 31-12-9999
    switched the recent-statement gate off for good, and no later statement could lower it
    (found by fuzzing, session 25). The peildatum counts instead, and the report says why."""
    future = tmp_path / "toekomst.xml"
    future.write_text(
        camt_balanced(debit("F1", "5.00", "2026-10-14"), stmt="S-F").replace(
            "2026-10-14</Dt></Dt></Bal>", "9999-12-31</Dt></Dt></Bal>"
        )
    )
    result = import_statements(demo, [future], as_of=DEMO_AS_OF, now=NOW)
    assert result.saved and result.statement_day == DEMO_AS_OF
    assert result.files[0].warnings[-1] == (
        "Het afschrift noemt als datum 31-12-9999, na de peildatum 15-10-2026; als datum van het "
        "laatste bankafschrift geldt de peildatum (een afschrift van na de peildatum zou de "
        "controle op een recent afschrift voorgoed uitzetten)"
    )
    settings = {r["Instelling"]: r["Waarde"] for r in sheet(demo, "Instellingen")}
    assert settings["Laatste bankafschrift"].date() == DEMO_AS_OF
    later = date(2026, 10, 30)  # two weeks on, without a newer statement: the gate holds
    with pytest.raises(StaleStatement, match="15-10-2026"):
        service.letters(demo, later, now=datetime(2026, 10, 30, 9, 0))


def test_a_recent_debit_only_statement_satisfies_the_gate(demo, tmp_path):
    old = tmp_path / "oud.xml"
    old.write_text(camt_balanced(debit("O1", "5.00", "2026-10-01"), stmt="S-OLD"))
    old.write_text(
        old.read_text().replace("2026-10-14</Dt></Dt></Bal>", "2026-10-01</Dt></Dt></Bal>")
    )
    import_statements(demo, [old], as_of=DEMO_AS_OF, now=NOW)
    before = sha(demo)
    with pytest.raises(StaleStatement, match="01-10-2026"):
        service.letters(demo, DEMO_AS_OF, now=NOW)
    assert sha(demo) == before
    # a preview (--proef) still shows what would go out, with the gate's warning (issue 10)
    assert "01-10-2026" in service.letters(demo, DEMO_AS_OF, now=NOW, dry_run=True).gate_note
    recent = tmp_path / "recent.xml"
    recent.write_text(camt_balanced(debit("R1", "7.50", "2026-10-14"), stmt="S-NEW"))
    result = import_statements(demo, [recent], as_of=DEMO_AS_OF, now=NOW)
    assert result.rows_added == 0 and result.saved and result.statement_day == date(2026, 10, 14)
    settings = {r["Instelling"]: r["Waarde"] for r in sheet(demo, "Instellingen")}
    assert settings["Laatste bankafschrift"].date() == date(2026, 10, 14)
    preview = service.letters(demo, DEMO_AS_OF, now=NOW, dry_run=True)
    assert preview.gate_note == "" and preview.letters
    # reading it again changes nothing
    before = sha(demo)
    assert not import_statements(demo, [recent], as_of=DEMO_AS_OF, now=NOW).saved
    assert sha(demo) == before


def test_a_late_payment_of_exactly_the_principal_from_a_known_iban(demo, tmp_path):
    iban = "NL02ABNA0123456789"
    first = tmp_path / "eerste.xml"
    first.write_text(
        camt_balanced(
            entry("P0", "100.00", "2026-10-13", name="Jansen", iban=iban, text="factuur 2026-0011")
        )
    )
    import_statements(demo, [first], as_of=DEMO_AS_OF, now=NOW)  # the IBAN is now known
    row = factuur(demo, "2026-0073")
    principal = D(str(row["Bedrag (incl. btw)"])).quantize(D("0.01"))
    assert D(str(row["Totaal"])).quantize(D("0.01")) > principal  # late: interest and costs
    statement = tmp_path / "hoofdsom.xml"
    statement.write_text(
        camt_balanced(
            entry("P1", f"{principal}", "2026-10-14", name="Jansen", iban=iban, text="bedankt"),
            stmt="S-P1",
        )
    )
    result = import_statements(demo, [statement], as_of=DEMO_AS_OF, now=NOW)
    assert result.files[0].matched == 1
    last = sheet(demo, "Betalingen")[-1]
    assert (last["Factuurnr"], last["Status"]) == ("2026-0073", "Gematcht")
    assert last["Reden"] == (
        f"de openstaande hoofdsom van factuur 2026-0073 van klant K001 (IBAN {iban})"
    )


def test_unmatched_money_is_shown_and_holds_back_letters(demo, tmp_path):
    due = {
        w.debtor.number for w in service.letters(demo, DEMO_AS_OF, now=NOW, dry_run=True).letters
    }
    customer = sorted(due)[0]
    name = next(r["Naam"] for r in sheet(demo, "Klanten") if r["Klantnr"] == customer)
    statement = tmp_path / "onbekend.xml"
    statement.write_text(
        camt_balanced(
            entry(
                "U1", "3.21", "2026-10-14", name=escape(name), iban="NL20INGB0001234567", text="zie"
            )
        )
    )
    result = CliRunner().invoke(
        main, ["betalingen", str(demo), str(statement), "--peildatum", "2026-10-15"]
    )
    assert result.exit_code == 0, result.output
    assert "1 bijschrijving;" in result.output or "1 bijschrijving," in result.output
    assert "1 rij toegevoegd" in result.output and "Te controleren" in result.output
    held = service.letters(demo, DEMO_AS_OF, now=NOW, dry_run=True)
    assert customer in held.held_back and customer not in {w.debtor.number for w in held.letters}
    forced = service.letters(demo, DEMO_AS_OF, now=NOW, dry_run=True, confirm_review=True)
    assert customer in {w.debtor.number for w in forced.letters}
    out = CliRunner().invoke(main, ["bijwerken", str(demo), "--peildatum", "2026-10-15"])
    assert "€ 3,21 van " + name in out.output
    brieven = CliRunner().invoke(
        main, ["brieven", str(demo), "--peildatum", "2026-10-15", "--proef"]
    )
    assert f"Klant {customer} krijgt geen brief" in brieven.output
    overview = [
        c.value
        for row in openpyxl.load_workbook(demo, data_only=True)["Overzicht"].iter_rows()
        for c in row
        if isinstance(c.value, str)
    ]
    assert any(v.startswith("Te controleren: 1 ontvangen betaling") for v in overview)
    assert name in overview


def test_a_statement_of_another_account_is_warned_about(demo, tmp_path):
    statement = tmp_path / "ander.xml"
    statement.write_text(
        camt_balanced(debit("X1", "1.00", "2026-10-14"), account="NL44RABO0123456789")
    )
    result = CliRunner().invoke(
        main, ["betalingen", str(demo), str(statement), "--peildatum", "2026-10-15"]
    )
    assert "is van rekening NL44RABO0123456789, die niet bij IBAN" in result.output


def test_a_foreign_currency_credit_never_lands_as_euros(demo, tmp_path):
    text = camt_balanced(
        entry("F9", "120.00", "2026-10-14", name="US Client", iban="NL20INGB0001234567", text="x")
    ).replace('Ccy="EUR">120.00', 'Ccy="USD">120.00')
    statement = tmp_path / "usd.xml"
    statement.write_text(text)
    import_statements(demo, [statement], as_of=DEMO_AS_OF, now=NOW)
    last = sheet(demo, "Betalingen")[-1]
    assert last["Bedrag"] is None and last["Status"] == "Te controleren"
    assert last["Mededeling"].startswith("USD 120,00")


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    refs=st.lists(st.sampled_from(["A", "B", "C", "D", ""]), max_size=30),
    batch=st.integers(1, 7),
    known=st.sets(st.sampled_from(["A", "B", "X"])),
)
def test_lines_matched_in_batches_are_matched_as_in_one_call(monkeypatch, refs, batch, known):
    """Issue 17: the lines are matched a batch at a time (the matches are not all held); a
    bank reference seen in an earlier batch or imported before is a duplicate exactly as when
    all lines are matched in one call."""
    from debiteuren.payments import StatementLine
    from debiteuren.payments.matching import InvoiceIndex, MatchStatus, match_payments
    from debiteuren.service import payments

    monkeypatch.setattr(payments, "MATCH_BATCH", batch)
    day = date(2026, 3, 2)
    lines = [
        StatementLine(
            source="a.xml",
            account_iban="NL91ABNA0417164300",
            booking_date=day,
            value_date=day,
            amount=D(f"{k + 1}.00"),
            currency="EUR",
            bank_reference=ref,
        )
        for k, ref in enumerate(refs)
    ]
    index = InvoiceIndex([])
    whole = match_payments(lines, index, set(known))
    imported, got = set(known), []
    for m in payments._matches(list(lines), index, imported):  # as _Matcher.add uses them
        got.append(m)
        if m.status is not MatchStatus.DUPLICATE:
            imported.add(m.line.bank_reference)
    assert got == whole


#: The Status list of Betalingen now, and as earlier versions made it (before "Dubbel", before
#: "Terugbetaling", before "Geen klant").
NEW_STATUSES = "Gematcht,Te controleren,Teruggeboekt,Storno,Dubbel,Terugbetaling,Geen klant"
OLD_STATUSES = (
    "Gematcht,Te controleren,Teruggeboekt,Storno",
    "Gematcht,Te controleren,Teruggeboekt,Storno,Dubbel",
    "Gematcht,Te controleren,Teruggeboekt,Storno,Dubbel,Terugbetaling",
)


@pytest.mark.parametrize("old", OLD_STATUSES)
@pytest.mark.parametrize("engine", ["patch", "openpyxl"])
def test_an_older_workbook_gets_the_new_statuses_in_its_list(
    demo, tmp_path, engine, monkeypatch, old
):
    """A workbook made before the status Dubbel (or Terugbetaling) existed has a Status list
    without it, and Excel refuses a typed value that is not in the list: the import that writes
    Betalingen brings the list up to date (the message with it), and leaves the rest of the
    sheet."""
    import zipfile

    def betalingen_xml(path):
        with zipfile.ZipFile(path) as z:
            name = next(
                n
                for n in z.namelist()
                if n.startswith("xl/worksheets/") and b"Gematcht" in z.read(n)
            )
            return name, z.read(name).decode()

    def message(statuses):
        return statuses.replace(",", ", ") + "."

    name, xml = betalingen_xml(demo)
    new_list, old_list = f'"{NEW_STATUSES}"', f'"{old}"'
    new_text, old_text = message(NEW_STATUSES), message(old)
    assert xml.count(new_list) == 1 and xml.count(new_text) == 1
    older = xml.replace(new_list, old_list).replace(new_text, old_text)
    with zipfile.ZipFile(demo) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts[name] = older.encode()
    with zipfile.ZipFile(demo, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in parts.items():
            z.writestr(n, data)
    statement = tmp_path / "afschrift.xml"
    statement.write_text(
        camt(entry("B9", "12.34", "2026-10-14", name="Onbekend", iban="NL20INGB0001234567"))
    )
    if engine == "openpyxl":  # a workbook the patcher cannot write: saved through openpyxl
        from debiteuren.workbook import xlsx_patch

        def refuse(*args, **kwargs):
            raise xlsx_patch.UnexpectedStructure("test: use openpyxl")

        monkeypatch.setattr(xlsx_patch, "Patch", refuse)
    import_statements(demo, [statement], as_of=DEMO_AS_OF, now=NOW)
    _, after = betalingen_xml(demo)
    assert after.count(new_list) == 1 and old_list not in after
    assert new_text in after and old_text not in after
    if engine == "openpyxl":  # openpyxl writes the sheet anew: the list is what counts
        sheet = openpyxl.load_workbook(demo)["Betalingen"]
        rules = sheet.data_validations.dataValidation
        [rule] = [r for r in rules if r.type == "list" and "Gematcht" in (r.formula1 or "")]
        assert (rule.formula1, rule.error) == (
            new_list,
            f"Kies een waarde uit de lijst: {new_text}",
        )
        return
    tail = after[after.index("</sheetData>") :]
    assert tail == older[older.index("</sheetData>") :].replace(old_list, new_list).replace(
        old_text, new_text
    )


def _zip_parts(path):
    import zipfile

    with zipfile.ZipFile(path) as z:
        return {i.filename: z.read(i.filename) for i in z.infolist()}


def _imported_on_one_core(demo, tmp_path):
    """Return a statement that changes Facturen and writes rows on Betalingen, and a copy of
    ``demo`` it was imported into by this process alone (to compare with)."""
    import shutil

    lines = [
        entry(f"B{k}", f"{10 + k}.00", "2026-10-14", name="Onbekend", iban="NL20INGB0001234567")
        for k in range(3)
    ]
    ref = factuur(demo, "2026-0035")["Betalingskenmerk"].replace(" ", "")
    lines.append(entry("B9", "100.00", "2026-10-14", name="A", iban=OWN_IBAN, structured=ref))
    statement = tmp_path / "afschrift.xml"
    statement.write_text(camt(*lines))
    other = tmp_path / "zelf.xlsx"
    shutil.copyfile(demo, other)
    import_statements(other, [statement], as_of=DEMO_AS_OF, now=NOW)
    return statement, other


@pytest.mark.skipif(not can_fork(), reason="no fork or one core here")
@pytest.mark.parametrize("copy", ["patches", "lacks a style", "dies"])
def test_facturen_patched_on_a_second_core_gives_the_same_bytes(demo, tmp_path, monkeypatch, copy):
    """A save that writes many Betalingen rows patches the computed Facturen cells in a forked
    copy meanwhile (issue 17): the package is the same, byte for byte, as when this process
    patches Facturen itself; a copy that needs a new cell style, or dies, leaves it to this
    process."""
    import os

    from debiteuren.workbook import aside, source, xlsx_patch

    statement, other = _imported_on_one_core(demo, tmp_path)

    monkeypatch.setattr(source, "ASIDE_ROWS", 1)
    taken, real = [], xlsx_patch.Patch.set_cells_into

    def into(self, *args):
        if copy == "dies":
            os._exit(3)
        if copy == "lacks a style":  # as when a cell needs a style the package lacks
            patched = self.set_cells

            def set_cells(*args, **kwargs):
                patched(*args, **kwargs)
                self.styles.format_id('0.0000" test"')

            self.set_cells = set_cells
        size = real(self, *args)
        os.write(pipe[1], b"1" if size is not None else b"0")
        return size

    pipe = os.pipe()
    forked = []
    start = aside.Aside._start
    monkeypatch.setattr(aside.Aside, "_start", lambda self: (start(self), forked.append(1)))
    monkeypatch.setattr(xlsx_patch.Patch, "set_cells_into", into)
    import_statements(demo, [statement], as_of=DEMO_AS_OF, now=NOW)
    os.close(pipe[1])
    taken = os.read(pipe[0], 10)
    os.close(pipe[0])
    assert forked  # a copy was made for Facturen
    assert taken == {"patches": b"1", "lacks a style": b"0", "dies": b""}[copy]
    ours, theirs = _zip_parts(other), _zip_parts(demo)
    stamped = ("docProps/core.xml", "docProps/custom.xml")
    assert list(ours) == list(theirs)
    assert {n: b for n, b in ours.items() if n not in stamped} == {
        n: b for n, b in theirs.items() if n not in stamped
    }


def test_facturen_is_patched_here_when_no_copy_can_be_made(demo, tmp_path, monkeypatch):
    """The copy cannot be forked (no processes left, say): the work is never done in this
    process's own package (it would take its file and its cell styles); Facturen is patched
    here, the same bytes as on one core."""
    import os

    from debiteuren.workbook import aside, source

    statement, other = _imported_on_one_core(demo, tmp_path)

    def no_fork():
        raise OSError("no processes left")

    from debiteuren.workbook import xlsx_patch

    calls, real = [], xlsx_patch.Patch.set_cells_into

    def into(self, *args):
        calls.append(os.getpid())
        return real(self, *args)

    monkeypatch.setattr(xlsx_patch.Patch, "set_cells_into", into)
    monkeypatch.setattr(source, "ASIDE_ROWS", 1)
    monkeypatch.setattr(aside, "can_fork", lambda: True)
    monkeypatch.setattr(os, "fork", no_fork)
    import_statements(demo, [statement], as_of=DEMO_AS_OF, now=NOW)
    assert calls == []  # never in this process
    ours, theirs = _zip_parts(other), _zip_parts(demo)
    stamped = ("docProps/core.xml", "docProps/custom.xml")
    assert {n: b for n, b in ours.items() if n not in stamped} == {
        n: b for n, b in theirs.items() if n not in stamped
    }


def _typed_as_text_on_betalingen(path):
    """Type the first payment's date as text on Betalingen (the save then writes it as a date
    on that sheet too)."""
    book = openpyxl.load_workbook(path)
    ws = book["Betalingen"]
    ws["A2"].value = ws["A2"].value.strftime("%d-%m-%Y")
    book.save(path)


@pytest.mark.skipif(not can_fork(), reason="no fork or one core here")
@pytest.mark.parametrize("copy", ["patches", "lacks a style", "dies", "no copy", "text cell"])
def test_betalingen_rows_patched_meanwhile_give_the_same_bytes(demo, tmp_path, monkeypatch, copy):
    """A statement of many lines has its Betalingen rows patched in a forked copy while the
    book is converted and assessed (issue 17): the package is the same, byte for byte, as when
    the save patches Betalingen itself. A copy that needs a new cell style, dies or cannot be
    made leaves it to the save, and so does a save that writes a typed-as-text cell on
    Betalingen too."""
    import os
    import shutil

    from debiteuren.workbook import aside, source, xlsx_patch

    if copy == "text cell":
        _typed_as_text_on_betalingen(demo)
    statement, other = _imported_on_one_core(demo, tmp_path)
    monkeypatch.setattr(source, "PLACED_ASIDE_ROWS", 1)
    real = xlsx_patch.Patch.set_cells_into
    pipe = os.pipe()

    def into(self, title, *args, **kwargs):
        if title != "Betalingen":  # Instellingen gets a row too ("Laatste bankafschrift")
            return real(self, title, *args, **kwargs)
        if copy == "dies":
            os._exit(3)
        if copy == "lacks a style":
            patched = self.set_cells

            def set_cells(*args, **kwargs):
                patched(*args, **kwargs)
                self.styles.format_id('0.0000" test"')

            self.set_cells = set_cells
        size = real(self, title, *args, **kwargs)
        os.write(pipe[1], b"1" if size is not None else b"0")
        return size

    monkeypatch.setattr(xlsx_patch.Patch, "set_cells_into", into)
    if copy == "no copy":

        def no_fork():
            raise OSError("no processes left")

        monkeypatch.setattr(aside, "can_fork", lambda: True)
        monkeypatch.setattr(os, "fork", no_fork)
    taken = []
    real_take = source.SheetAside.take

    def take(self, patch, title):
        done = real_take(self, patch, title)
        if title == "Betalingen":
            taken.append(done)
        return done

    monkeypatch.setattr(source.SheetAside, "take", take)
    result = import_statements(demo, [statement], as_of=DEMO_AS_OF, now=NOW)
    assert result.saved
    os.close(pipe[1])
    sent = os.read(pipe[0], 10)
    os.close(pipe[0])
    assert sent == {"patches": b"1", "lacks a style": b"0", "text cell": b"1"}.get(copy, b"")
    assert taken == ([] if copy == "text cell" else [copy == "patches"])
    ours, theirs = _zip_parts(other), _zip_parts(demo)
    stamped = ("docProps/core.xml", "docProps/custom.xml")
    assert list(ours) == list(theirs)
    assert {n: b for n, b in ours.items() if n not in stamped} == {
        n: b for n, b in theirs.items() if n not in stamped
    }
    shutil.rmtree(tmp_path / "reservekopieen", ignore_errors=True)


def test_a_payment_naming_two_invoices_that_covers_only_the_first_is_imported(demo, tmp_path):
    """Found in session 8: a payment naming two invoices of which the older one (Antwerp
    Logistics' 2024-0107, € 7.260,00 and more) takes all of it gave the newer one a row of
    € 0,00; that row was refused and the whole statement with it. Now only the first gets a
    row, and its reason says the second got nothing."""
    statement = tmp_path / "afschrift.xml"
    statement.write_text(
        camt(
            entry(
                "Z1",
                "5000.00",
                "2026-10-14",
                name="Antwerp Logistics NV",
                iban="BE68539007547034",
                text="facturen 2024-0107 en 2026-0035",
            )
        )
    )
    result = import_statements(demo, [statement], as_of=DEMO_AS_OF, now=NOW)
    assert result.saved and result.rows_added == 1 and result.files[0].matched == 1
    (row,) = [r for r in sheet(demo, "Betalingen") if r["Bankreferentie"] == "Z1"]
    assert (row["Factuurnr"], row["Bedrag"], row["Status"]) == ("2024-0107", 5000, "Gematcht")
    assert row["Reden"].endswith("; voor factuur 2026-0035 bleef niets over")


def _two_days_one_reference(tmp_path):
    """Two statements of two days whose credits the bank gave the same reference, 7."""
    first, second = tmp_path / "dag1.xml", tmp_path / "dag2.xml"
    first.write_text(
        camt(entry("7", "100.00", "2026-10-13", name="Iemand", iban="NL44RABO0123456789"))
    )
    second.write_text(
        camt(
            entry("7", "250.00", "2026-10-14", name="Iemand anders", iban="NL69INGB0123456789"),
            stmt="STMT-2",
        )
    )
    return first, second


def test_a_bank_reference_used_again_on_another_day_is_never_dropped(demo, tmp_path):
    """A bank that numbers its bookings per statement uses a reference again the next day:
    that credit was dropped as "al eerder ingelezen", and money that reached the bank was not
    shown. Now it is a row to check (not counted: it may also be the same booking with its
    date changed) under the reference with its day; reading either file again adds nothing."""
    first, second = _two_days_one_reference(tmp_path)
    assert import_statements(demo, [first], as_of=DEMO_AS_OF, now=NOW).rows_added == 1
    result = import_statements(demo, [second], as_of=DEMO_AS_OF, now=NOW)
    assert (result.rows_added, result.files[0].duplicates, result.files[0].review) == (1, 0, 1)
    rows = {
        r["Bankreferentie"]: r
        for r in sheet(demo, "Betalingen")
        if str(r["Bankreferentie"]).startswith("7")
    }
    assert set(rows) == {"7", "7@20261014"}
    again = rows["7@20261014"]
    assert (again["Bedrag"], again["Status"]) == (250, "Te controleren")
    assert again["Reden"].startswith(
        "de bank gebruikte bankreferentie 7 al voor een bijschrijving van 13-10-2026 (rij "
    )
    before = sha(demo)
    for path in (first, second, second):
        result = import_statements(demo, [path], as_of=DEMO_AS_OF, now=NOW)
        assert (result.rows_added, result.files[0].duplicates) == (0, 1)
    assert sha(demo) == before


def test_a_bank_reference_used_again_in_one_import_is_never_dropped(demo, tmp_path):
    """The same, with both files in one import: the second file's credit is checked against
    the first file's booking day."""
    first, second = _two_days_one_reference(tmp_path)
    result = import_statements(demo, [first, second], as_of=DEMO_AS_OF, now=NOW)
    assert result.rows_added == 2 and result.files[1].review == 1
    (row,) = [r for r in sheet(demo, "Betalingen") if r["Bankreferentie"] == "7@20261014"]
    assert "een eerder bestand van deze inlees" in row["Reden"]


def _two_accounts_one_day_one_reference(tmp_path):
    """The statements of two accounts at one bank of the same day, whose first credits the
    bank numbered alike (a number per account or per statement): both reference 7."""
    first, second = tmp_path / "rekening1.xml", tmp_path / "rekening2.xml"
    first.write_text(
        camt(entry("7", "100.00", "2026-10-14", name="Iemand", iban="NL44RABO0123456789"))
    )
    second.write_text(
        camt(
            entry("7", "250.00", "2026-10-14", name="Iemand anders", iban="NL69INGB0123456789"),
            stmt="STMT-2",
        ).replace(OWN_IBAN, "NL39RABO0300065264")
    )
    return first, second


@pytest.mark.parametrize("order", ["apart", "together", "first again"])
def test_a_bank_reference_used_again_on_the_same_day_for_another_credit_is_never_dropped(
    demo, tmp_path, order
):
    """Found in session 20: the second account's credit of € 250,00 was dropped as "al eerder
    ingelezen" (exit 0, the money not shown) because the first account's credit of that day
    had the same reference. Another amount or payer's IBAN under a reference read before for
    the same day is another booking: a row to check, under the reference with its day, amount
    and IBAN; reading either file again adds nothing."""
    first, second = _two_accounts_one_day_one_reference(tmp_path)
    if order == "together":
        result = import_statements(demo, [first, second], as_of=DEMO_AS_OF, now=NOW)
        assert result.rows_added == 2 and result.files[1].review == 1
    elif order == "first again":  # every file of a folder given again, the new one last
        assert import_statements(demo, [first], as_of=DEMO_AS_OF, now=NOW).rows_added == 1
        result = import_statements(demo, [first, second], as_of=DEMO_AS_OF, now=NOW)
        assert (result.rows_added, result.files[0].duplicates, result.files[1].review) == (1, 1, 1)
    else:
        assert import_statements(demo, [first], as_of=DEMO_AS_OF, now=NOW).rows_added == 1
        result = import_statements(demo, [second], as_of=DEMO_AS_OF, now=NOW)
        assert (result.rows_added, result.files[0].duplicates, result.files[0].review) == (1, 0, 1)
    rows = [r for r in sheet(demo, "Betalingen") if str(r["Bankreferentie"]).startswith("7")]
    assert [(r["Bedrag"], r["Naam betaler"]) for r in rows] == [
        (100, "Iemand"),
        (250, "Iemand anders"),
    ]
    again = rows[1]
    assert again["Status"] == "Te controleren"
    assert again["Bankreferentie"] != "7"
    assert again["Reden"].startswith(
        "de bank gebruikte bankreferentie 7 al voor een andere bijschrijving van 14-10-2026 ("
    )
    before = sha(demo)
    for path in (first, second, second):
        result = import_statements(demo, [path], as_of=DEMO_AS_OF, now=NOW)
        assert (result.rows_added, result.files[0].duplicates) == (0, 1)
    assert sha(demo) == before


def test_a_credit_read_before_from_a_file_of_both_accounts_is_read_before(demo, tmp_path):
    """A file of both accounts numbers the second account's credit 7/2; that account's own
    file read afterwards gives it as 7 again: the booking read before, nothing to add."""
    first, second = _two_accounts_one_day_one_reference(tmp_path)
    both = tmp_path / "beide.xml"
    one, other = first.read_text(), second.read_text()
    both.write_text(
        one.replace(
            "</Stmt>", "</Stmt>" + other[other.index("<Stmt>") : other.index("</Stmt>") + 7]
        )
    )
    result = import_statements(demo, [both], as_of=DEMO_AS_OF, now=NOW)
    assert result.rows_added == 2
    before = sha(demo)
    result = import_statements(demo, [second, first], as_of=DEMO_AS_OF, now=NOW)
    assert (result.rows_added, result.files[0].duplicates, result.files[1].duplicates) == (0, 1, 1)
    assert sha(demo) == before


def test_a_file_read_by_an_earlier_release_that_dated_it_otherwise_adds_nothing(
    demo, tmp_path, monkeypatch
):
    """A CAMT.053 date-time in UTC is dated by the local day since this release, and an
    MT940 entry date may get another year: a file read before (its rows of the other day) read
    again adds nothing, neither under the bank's reference nor under a stable key; it was a
    row to check each, as a reference the bank used again on another day."""
    from debiteuren.payments import camt053, mt940

    camt_file, mt940_file = tmp_path / "a.xml", tmp_path / "b.sta"
    text = camt(
        entry("R1", "100.00", "2026-10-13", name="Iemand", iban="NL44RABO0123456789"),
        entry("NONREF", "50.00", "2026-10-13", name="Ander", iban="NL69INGB0123456789"),
    )
    camt_file.write_text(text.replace("<Dt>2026-10-13</Dt>", "<DtTm>2026-10-13T22:30:00Z</DtTm>"))
    mt940_file.write_text(
        f":20:X\n:25:{OWN_IBAN}\n:28C:1\n:60F:C251010EUR0,00\n"
        ":61:2510100402C75,00NTRFNONREF//B1\n:86:/REMI/USTD//a value date long before/\n"
        ":62F:C251010EUR75,00\n-\n"
    )
    with monkeypatch.context() as earlier:  # as the earlier release read them
        earlier.setattr(camt053, "local_day", lambda text: date.fromisoformat(text[:10]))
        earlier.setattr(
            mt940._Statement,
            "_entry_date",
            lambda self, text, value, item: (date(value.year, int(text[:2]), int(text[2:])), None),
        )
        result = import_statements(demo, [camt_file, mt940_file], as_of=DEMO_AS_OF, now=NOW)
        assert result.rows_added == 3
    days = {str(r["Bankreferentie"]): r["Datum"] for r in sheet(demo, "Betalingen")}
    assert days["R1"].date() == date(2026, 10, 13)
    assert [d.date() for r, d in days.items() if r.startswith("MT940")] == [date(2025, 4, 2)]
    before = sheet(demo, "Betalingen")
    result = import_statements(demo, [camt_file, mt940_file], as_of=DEMO_AS_OF, now=NOW)
    assert (result.rows_added, [f.duplicates for f in result.files]) == (0, [2, 1])
    assert sheet(demo, "Betalingen") == before  # (the last statement's day is now the 14th)


def test_a_belgian_iban_at_a_bank_newer_than_stdnum_s_list_matches_its_customer(demo, tmp_path):
    """BE68 5390 0754 7034 has valid check digits, but its bank code is not in python-stdnum's
    list of Belgian banks. The workbook accepts it as a customer's IBAN (session 20), but the
    row a statement made of a payment from it left IBAN betaler empty, as an invalid IBAN: the
    row did not show who paid, and the account was not learned for a later payment."""
    iban = "BE68539007547034"
    book = openpyxl.load_workbook(demo)
    klanten = book["Klanten"]
    header = [c.value for c in klanten[1]]
    row = next(r for r in klanten.iter_rows(min_row=2) if r[0].value == "K012")
    row[header.index("IBAN")].value = "BE68 5390 0754 7034"
    book.save(demo)
    service.update(demo, DEMO_AS_OF, now=NOW)
    invoice = next(r for r in sheet(demo, "Facturen") if r["Klantnr"] == "K012" and r["Openstaand"])
    owed = D(str(invoice["Totaal"])).quantize(D("0.01"))
    statement = tmp_path / "afschrift.xml"
    statement.write_text(
        camt(entry("BE1", f"{owed}", "2026-10-14", name="Antwerp Logistics", iban=iban, text="ok"))
    )
    result = import_statements(demo, [statement], as_of=DEMO_AS_OF, now=NOW)
    assert result.files[0].matched == 1
    (paid,) = [r for r in sheet(demo, "Betalingen") if r["Bankreferentie"] == "BE1"]
    assert (paid["Klantnr"], paid["Factuurnr"], paid["Status"]) == (
        "K012",
        invoice["Factuurnr"],
        "Gematcht",
    )
    assert paid["IBAN betaler"] == iban


def test_a_credit_net_of_charges_counts_what_reached_the_bank_and_shows_the_rest(demo, tmp_path):
    """A payment of € 847,00 of which the bank kept € 5,00 (AmtDtls/InstdAmt and TxAmt 847.00,
    the entry 842.00): € 842,00 is paid and the invoice stays open for the rest; Mededeling
    says what was transferred, what was credited and the difference. Read again, it adds
    nothing."""
    charged = entry(
        "N1",
        "842.00",
        "2026-10-14",
        name="Jansen en Zonen",
        iban="NL02ABNA0123456789",
        text="Factuur 2026-0107",
    ).replace(
        "<RltdPties>",
        '<AmtDtls><InstdAmt><Amt Ccy="EUR">847.00</Amt></InstdAmt><TxAmt><Amt Ccy="EUR">'
        '847.00</Amt></TxAmt></AmtDtls><Chrgs><Amt Ccy="EUR">5.00</Amt></Chrgs><RltdPties>',
    )
    statement = tmp_path / "netto.xml"
    statement.write_text(camt_balanced(charged))
    import_statements(demo, [statement], as_of=DEMO_AS_OF, now=NOW)
    last = sheet(demo, "Betalingen")[-1]
    assert (last["Bedrag"], last["Factuurnr"], last["Status"]) == (842, "2026-0107", "Gematcht")
    assert last["Mededeling"] == (
        "Factuur 2026-0107 Overgemaakt € 847,00, bijgeschreven € 842,00 (€ 5,00 minder: "
        "kosten of inhouding)"
    )
    assert factuur(demo, "2026-0107")["Betaald"] == 842
    before = sha(demo)
    assert import_statements(demo, [statement], as_of=DEMO_AS_OF, now=NOW).files[0].duplicates
    assert sha(demo) == before


def test_a_storno_of_a_payment_in_another_currency_shows_its_original_amount(demo, tmp_path):
    """A payment of USD 1.000,00 credited as € 920,00, taken back as € 915,00 (another rate):
    the storno finds no payment of that amount and stays to check, its Mededeling naming
    the original amount in dollars, as the credit's does."""

    def in_dollars(text):
        return text.replace(
            "<RltdPties>",
            '<AmtDtls><InstdAmt><Amt Ccy="USD">1000.00</Amt></InstdAmt></AmtDtls><RltdPties>',
        )

    paid = in_dollars(
        entry("U1", "920.00", "2026-10-14", name="US Client", iban="NL20INGB0001234567", text="x")
    )
    back = in_dollars(
        entry(
            "U2",
            "915.00",
            "2026-10-15",
            name="US Client",
            iban="NL20INGB0001234567",
            text="x",
            reversal=True,
        )
    )
    statement = tmp_path / "dollars.xml"
    statement.write_text(camt_balanced(paid, back))
    import_statements(demo, [statement], as_of=DEMO_AS_OF, now=NOW)
    credit, storno = sheet(demo, "Betalingen")[-2:]
    assert (
        credit["Bedrag"] == 920 and credit["Mededeling"] == "x Oorspronkelijk bedrag USD 1.000,00"
    )
    assert storno["Bedrag"] == 915 and storno["Status"] == "Te controleren"
    assert storno["Mededeling"] == "x Oorspronkelijk bedrag USD 1.000,00"
    assert credit["Status"] != "Teruggeboekt"


def test_a_zip_of_statements_is_read_whole_or_refused_whole(demo, tmp_path):
    """betalingen reads a bank's zip as its statements: each once, also beside one of them
    given on its own and when read again; one bad statement in it refuses the run, the
    workbook as it was (exit code 2, the statement named)."""
    import zipfile

    day1 = camt_balanced(
        entry("Z1", "847.00", "2026-10-14", name="Jansen", iban="NL02ABNA0123456789", text="x"),
        stmt="S-14",
    )
    day2 = camt_balanced(
        entry("Z2", "12.34", "2026-10-15", name="Onbekend", iban="NL20INGB0001234567", text="y"),
        stmt="S-15",
    )
    bundle = tmp_path / "ing.zip"
    with zipfile.ZipFile(bundle, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Stmt_15.xml", day2)
        archive.writestr("Stmt_14.xml", day1)
        archive.writestr("Toelichting.pdf", b"%PDF-1.4")
    alone = tmp_path / "Stmt_14.xml"
    alone.write_text(day1)
    run = CliRunner().invoke(
        main, ["betalingen", str(demo), str(alone), str(bundle), "--peildatum", "2026-10-15"]
    )
    assert run.exit_code == 0, run.output
    assert "ing.zip/Stmt_14.xml: 1 bijschrijving, 0 gekoppeld, 0 te controleren, 1 al eerder" in (
        run.output
    )
    assert "niet ingelezen uit ing.zip, want geen rekeningafschrift: Toelichting.pdf" in run.output
    rows = [r for r in sheet(demo, "Betalingen") if r["Bankreferentie"] in ("Z1", "Z2")]
    assert [(r["Bankreferentie"], r["Bron"]) for r in rows] == [
        ("Z1", "CAMT.053: Stmt_14.xml"),
        ("Z2", "CAMT.053: ing.zip/Stmt_15.xml"),
    ]
    before = sha(demo)
    again = CliRunner().invoke(
        main, ["betalingen", str(demo), str(bundle), "--peildatum", "2026-10-15"]
    )
    assert again.exit_code == 0 and "Niets nieuws" in again.output
    assert sha(demo) == before
    with zipfile.ZipFile(bundle, "a") as archive:
        archive.writestr("Stmt_16.xml", day2.replace("12.34</Amt>", "12,34</Amt>", 1))
    refused = CliRunner().invoke(
        main, ["betalingen", str(demo), str(bundle), "--peildatum", "2026-10-15"]
    )
    assert refused.exit_code == 2
    assert (
        "ing.zip: NIET ingelezen. Bankafschrift 'ing.zip' (in het zip-bestand: Stmt_16.xml, "
        in (refused.output)
    )
    assert sha(demo) == before


def test_a_huge_payer_name_or_text_is_cut_in_the_lines_under_review(demo, tmp_path):
    """A statement's payer name and text of thousands of characters each printed whole in the
    list under review (betalingen) and in the unmatched payments (bijwerken): one line of
    thousands of characters. The line shows 70 of the name and 140 of the text; the sheet
    keeps what the statement reader keeps (500 characters of a name)."""
    name, text = "Jansen " * 300, "betaling " * 300
    statement = tmp_path / "afschrift.xml"
    statement.write_text(
        camt(entry("H1", "12.34", "2026-10-14", name=name, iban="NL20INGB0001234567", text=text))
    )
    result = CliRunner().invoke(
        main, ["betalingen", str(demo), str(statement), "--peildatum", "2026-10-15"]
    )
    assert result.exit_code in (0, 1), result.output
    later = CliRunner().invoke(main, ["bijwerken", str(demo), "--peildatum", "2026-10-15"])
    for output, start in ((result.output, "14-10-2026 € 12,34 van "), (later.output, "rij ")):
        (line,) = [s for s in output.splitlines() if "Jansen Jansen" in s]
        assert line.strip().startswith(start), line
        shown_name = line.split(" van ", 1)[1].split(" – ")[0]
        assert shown_name == name[:69].rstrip() + "…"
        assert line.split(" – ", 1)[1] == text[:139].rstrip() + "…"
    rows = sheet(demo, "Betalingen")
    (stored,) = [r["Naam betaler"] for r in rows if "Jansen" in str(r["Naam betaler"])]
    assert len(stored) == 500  # what the statement reader keeps of a name


NOT_LAST = "<PgNb>1</PgNb><LastPgInd>false</LastPgInd>"


@pytest.mark.parametrize(
    ("mark", "paged"),
    [  # the statement's pages, or the message's (in its group header)
        ("<Id>STMT-1</Id>", f"<Id>STMT-1</Id><StmtPgntn>{NOT_LAST}</StmtPgntn>"),
        ("</GrpHdr>", f"<MsgPgntn>{NOT_LAST}</MsgPgntn></GrpHdr>"),
    ],
)
def test_a_statement_page_that_is_not_the_last_says_so(demo, tmp_path, mark, paged):
    """A CAMT.053 statement of many movements comes as pages, each a file; page 1 says
    LastPgInd false. Read alone, the credits of page 2 were missing without a word."""
    statement = tmp_path / "pagina1.xml"
    text = camt(entry("P1", "12.34", "2026-10-14", name="A", iban="NL20INGB0001234567", text="x"))
    assert text.count(mark) == 1
    text = text.replace(mark, paged)
    statement.write_text(text)
    result = CliRunner().invoke(
        main, ["betalingen", str(demo), str(statement), "--peildatum", "2026-10-15"]
    )
    assert result.exit_code in (0, 1), result.output
    output = " ".join(result.output.split())
    assert (
        "afschrift STMT-1 van rekening NL91ABNA0417164300 is niet compleet: het gaat verder op "
        "pagina 2, in een ander bestand. Staat die pagina niet bij de bestanden die u nu "
        "inleest, lees haar dan ook in; anders ontbreken de bijschrijvingen die erop staan"
    ) in output
    last = tmp_path / "pagina2.xml"
    last.write_text(text.replace("<LastPgInd>false", "<LastPgInd>true").replace("P1", "P2"))
    again = CliRunner().invoke(
        main, ["betalingen", str(demo), str(last), "--peildatum", "2026-10-15"]
    )
    assert "niet compleet" not in again.output


def test_statement_pages_in_one_file_do_not_send_the_user_to_look_for_another_file(demo, tmp_path):
    """A bank that puts the pages of a long statement in one file, each a Stmt with its
    StmtPgntn: page 1 said the statement goes on 'in een ander bestand', and the user looked
    for a page 2 that was read already. A page that is not followed by its next one in the
    file still says so."""
    pages = tmp_path / "paginas.xml"
    one = camt(entry("P1", "12.34", "2026-10-14", name="A", iban="NL20INGB0001234567", text="x"))
    page = one.split("<Stmt>", 1)[1].split("</Stmt>", 1)[0]
    first = page.replace("<Id>STMT-1</Id>", f"<Id>STMT-1</Id><StmtPgntn>{NOT_LAST}</StmtPgntn>")
    last = page.replace(
        "<Id>STMT-1</Id>",
        "<Id>STMT-1</Id><StmtPgntn><PgNb>2</PgNb><LastPgInd>true</LastPgInd></StmtPgntn>",
    ).replace("P1", "P2")
    pages.write_text(
        one.replace(f"<Stmt>{page}</Stmt>", f"<Stmt>{first}</Stmt><Stmt>{last}</Stmt>")
    )
    result = CliRunner().invoke(
        main, ["betalingen", str(demo), str(pages), "--peildatum", "2026-10-15"]
    )
    assert result.exit_code in (0, 1), result.output
    assert "2 bijschrijvingen" in result.output
    assert "niet compleet" not in result.output
    # page 1 and page 3: page 2 is still elsewhere
    third = last.replace("<PgNb>2</PgNb>", "<PgNb>3</PgNb>").replace("P2", "P3")
    pages.write_text(
        one.replace(f"<Stmt>{page}</Stmt>", f"<Stmt>{first}</Stmt><Stmt>{third}</Stmt>")
    )
    again = CliRunner().invoke(
        main, ["betalingen", str(demo), str(pages), "--peildatum", "2026-10-15"]
    )
    assert (
        "afschrift STMT-1 van rekening NL91ABNA0417164300 is niet compleet: het gaat verder op pagina 2"
        in " ".join(again.output.split())
    )


@pytest.mark.parametrize(("number", "next_page"), [("2", 3), ("²", 2), ("x", 2), ("123456", 2)])
def test_a_page_number_that_is_no_number_counts_as_the_first_page(number, next_page):
    """A PgNb of '²' is a digit to str.isdigit, not to int(): it raised ValueError (a
    traceback instead of reading the file)."""
    from debiteuren.payments import camt053

    text = camt(entry("P1", "12.34", "2026-10-14", name="A", iban="NL20INGB0001234567"))
    pages = f"<PgNb>{number}</PgNb><LastPgInd>false</LastPgInd>"
    text = text.replace("<Id>STMT-1</Id>", f"<Id>STMT-1</Id><StmtPgntn>{pages}</StmtPgntn>")
    _, (summary,) = camt053.parse_file(text.encode(), source="pagina.xml")
    assert summary.next_page == next_page


def test_the_message_pages_count_for_a_later_statement_when_the_first_names_its_own():
    """The message's pages (GrpHdr/MsgPgntn) were read only where a statement named none of
    its own; the group header is gone once the first statement is read, so a second statement
    without pages of its own missed that the message goes on in another file."""
    from debiteuren.payments import camt053

    one = camt(entry("P1", "12.34", "2026-10-14", name="A", iban="NL20INGB0001234567"))
    first = one.split("<Stmt>", 1)[1].split("</Stmt>", 1)[0]
    second = first.replace("STMT-1", "STMT-2").replace("P1", "P2")
    own = "<StmtPgntn><PgNb>1</PgNb><LastPgInd>true</LastPgInd></StmtPgntn>"
    text = one.replace(f"<Stmt>{first}</Stmt>", f"<Stmt>{first}</Stmt><Stmt>{second}</Stmt>")
    text = text.replace("<Id>STMT-1</Id>", f"<Id>STMT-1</Id>{own}")
    text = text.replace("</GrpHdr>", f"<MsgPgntn>{NOT_LAST}</MsgPgntn></GrpHdr>")
    _, summaries = camt053.parse_file(text.encode(), source="bericht.xml")
    assert [(s.label, s.next_page) for s in summaries] == [
        ("afschrift STMT-1", 0),  # its own pages: the last
        ("afschrift STMT-2", 2),  # the message's: page 2 follows
    ]


def test_a_batch_that_lists_only_some_of_its_payments_shows_the_rest_to_check(demo, tmp_path):
    """A credit booked as a batch of three payments (Btch/NbOfTxs) of € 1.500,00 whose
    statement lists one of them, € 847,00 for factuur 2026-0107: that one is paid, and the
    € 653,00 the statement does not attribute is a row 'Te controleren' with the reason. It
    was one row of € 1.500,00 paid to 2026-0107. Read again, it adds nothing."""
    listed = entry(
        "V1",
        "1500.00",
        "2026-10-14",
        name="Jansen en Zonen",
        iban="NL02ABNA0123456789",
        text="Factuur 2026-0107",
    )
    listed = listed.replace("<TxDtls><Refs><AcctSvcrRef>V1</AcctSvcrRef></Refs>", "<TxDtls>")
    listed = listed.replace(
        "<NtryDtls><TxDtls>",
        '<NtryDtls><Btch><NbOfTxs>3</NbOfTxs></Btch><TxDtls><Amt Ccy="EUR">847.00</Amt>'
        "<CdtDbtInd>CRDT</CdtDbtInd>",
    )
    statement = tmp_path / "verzamel.xml"
    statement.write_text(camt_balanced(listed))
    result = import_statements(demo, [statement], as_of=DEMO_AS_OF, now=NOW)
    assert (result.files[0].matched, result.files[0].review) == (1, 1)
    rows = sheet(demo, "Betalingen")[-2:]
    assert [(r["Bedrag"], r["Factuurnr"], r["Status"], r["Bankreferentie"]) for r in rows] == [
        (847, "2026-0107", "Gematcht", "V1/1"),
        (653, None, "Te controleren", "V1/rest"),
    ]
    assert rows[1]["Mededeling"] == "Rest van een verzamelboeking: 2 van de 3 betalingen"
    assert rows[1]["Reden"] == (
        "verzamelboeking van 3 betalingen (€ 1.500,00): het afschrift noemt er 1 (samen "
        "€ 847,00); voor de andere 2 (€ 653,00) noemt het geen betaler of kenmerk. Zoek ze op "
        "in de specificatie van de verzamelboeking bij uw bank (bijvoorbeeld een CAMT.054) en "
        "koppel ze zelf"
    )
    assert factuur(demo, "2026-0107")["Betaald"] == 847
    before = sha(demo)
    assert import_statements(demo, [statement], as_of=DEMO_AS_OF, now=NOW).files[0].duplicates
    assert sha(demo) == before


@pytest.mark.parametrize("listed_reference", ["", "T1"])
@pytest.mark.parametrize("entry_reference", ["V1", ""])
def test_a_batch_read_whole_by_an_earlier_release_adds_nothing_when_read_again(
    demo, tmp_path, entry_reference, listed_reference
):
    """A release before 61bafd6 read a batch of three payments (€ 1.500,00) that lists one
    (€ 847,00) as one row of € 1.500,00 (it ignored Btch/NbOfTxs; a statement without it
    reads so still). The same statement read again (the next download overlaps) gave the
    listed payment and the rest as two new rows, € 1.500,00 more to check and link: the
    money twice. They are that booking, read before: nothing is added."""
    listed = entry(
        "V1",
        "1500.00",
        "2026-10-14",
        name="Jansen en Zonen",
        iban="NL02ABNA0123456789",
        text="Factuur 2026-0107",
    )
    listed = listed.replace(
        "<TxDtls><Refs><AcctSvcrRef>V1</AcctSvcrRef></Refs>",
        f"<TxDtls><Refs><AcctSvcrRef>{listed_reference}</AcctSvcrRef></Refs>"
        if listed_reference
        else "<TxDtls>",
    )
    listed = listed.replace(
        "<NtryDtls><TxDtls>",
        '<NtryDtls><Btch><NbOfTxs>3</NbOfTxs></Btch><TxDtls><Amt Ccy="EUR">847.00</Amt>'
        "<CdtDbtInd>CRDT</CdtDbtInd>",
    )
    if not entry_reference:
        listed = listed.replace("<AcctSvcrRef>V1</AcctSvcrRef>", "")
    earlier = tmp_path / "eerder.xml"  # as the earlier release read it: without the count
    earlier.write_text(camt_balanced(listed.replace("<Btch><NbOfTxs>3</NbOfTxs></Btch>", "")))
    import_statements(demo, [earlier], as_of=DEMO_AS_OF, now=NOW)
    rows = sheet(demo, "Betalingen")
    assert [r["Bedrag"] for r in rows[-1:]] == [1500]
    before = sha(demo)
    statement = tmp_path / "verzamel.xml"
    statement.write_text(camt_balanced(listed))
    result = import_statements(demo, [statement], as_of=DEMO_AS_OF, now=NOW)
    assert (result.files[0].duplicates, result.files[0].review, result.files[0].matched) == (
        2,
        0,
        0,
    )
    assert sha(demo) == before
    assert len(sheet(demo, "Betalingen")) == len(rows)


def _page(number, last, opening, closing, *entries, first_code="OPBD", last_code="CLBD"):
    """A page of statement STMT-P in a file of its own, with its two balances: page 1 opens
    with OPBD, a later page with an interim ITBD; the last page closes with CLBD."""
    open_code = first_code if number == 1 else "ITBD"
    close_code = last_code if last else "ITBD"
    balances = "".join(
        f'<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">{amount}</Amt>'
        f"<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-10-14</Dt></Dt></Bal>"
        for code, amount in ((open_code, opening), (close_code, closing))
    )
    pages = (
        f"<StmtPgntn><PgNb>{number}</PgNb><LastPgInd>{str(last).lower()}</LastPgInd></StmtPgntn>"
    )
    return (
        camt(*entries, stmt="STMT-P")
        .replace("<Id>STMT-P</Id>", f"<Id>STMT-P</Id>{pages}")
        .replace("<Ccy>EUR</Ccy></Acct>", "<Ccy>EUR</Ccy></Acct>" + balances)
    )


def test_statement_pages_in_separate_files_must_follow_on(demo, tmp_path):
    """The pages of one CAMT.053 statement, each a file, read in one run: each page was
    checked on its own only, so entries lost between two pages (page 2 opens with another
    balance than page 1 closes with) were not noticed. Now the run is refused, naming page 2's
    file and its balances, and the workbook stays as it was; pages that follow on are read
    without the note that the statement goes on in another file."""
    one = tmp_path / "pagina1.xml"
    two = tmp_path / "pagina2.xml"
    one.write_text(
        _page(
            1,
            False,
            "1000.00",
            "1012.34",
            entry("P1", "12.34", "2026-10-14", name="A", iban="NL20INGB0001234567", text="x"),
        )
    )
    two.write_text(
        _page(
            2,
            True,
            "1012.34",
            "1062.34",
            entry("P2", "50.00", "2026-10-14", name="B", iban="NL44RABO0123456789", text="y"),
        )
    )
    before = sha(demo)
    wrong = tmp_path / "pagina2-fout.xml"
    # page 2 opens with 1.112,34: a page of € 100,00 of entries in between is missing
    wrong.write_text(two.read_text().replace("1012.34", "1112.34").replace("1062.34", "1162.34"))
    refused = CliRunner().invoke(
        main, ["betalingen", str(demo), str(one), str(wrong), "--peildatum", "2026-10-15"]
    )
    assert refused.exit_code == 2, refused.output
    output = " ".join(refused.output.split())
    assert (
        "Bankafschrift 'pagina2-fout.xml' (element Document/BkToCstmrStmt/Stmt[1]/Bal): "
        "afschrift STMT-P, pagina 2 van rekening NL91ABNA0417164300 begint met saldo "
        "€ 1.112,34, maar pagina 1 in 'pagina1.xml' eindigt met € 1.012,34 (verschil "
        "€ 100,00); er ontbreken boekingen tussen de pagina's"
    ) in output
    assert sha(demo) == before
    # the same order reversed: page 2 given first is still the page after page 1
    refused = CliRunner().invoke(
        main, ["betalingen", str(demo), str(wrong), str(one), "--peildatum", "2026-10-15"]
    )
    assert refused.exit_code == 2 and "pagina2-fout.xml" in refused.output
    assert sha(demo) == before
    read = CliRunner().invoke(
        main, ["betalingen", str(demo), str(one), str(two), "--peildatum", "2026-10-15"]
    )
    assert read.exit_code in (0, 1), read.output
    assert "niet compleet" not in read.output
    amounts = sorted(
        r["Bedrag"] for r in sheet(demo, "Betalingen") if r["Naam betaler"] in ("A", "B")
    )
    assert amounts == [12.34, 50.0]


BANKS = Path(__file__).parents[1] / "payments" / "fixtures" / "banks"


@pytest.mark.parametrize(
    ("name", "old", "new"),
    [
        ("belfius_coda_2_6.cod", b"0000000001210000061126", b"0000000001211000061126"),
        ("rabobank_camt053_001_02.xml", b'<Amt Ccy="EUR">7.50</Amt>', b'<Amt Ccy="EUR">7,50</Amt>'),
    ],
)
def test_a_bank_layout_imports_every_credit_and_a_damaged_copy_nothing(
    demo, tmp_path, name, old, new
):
    """Every credit of a bank's statement becomes a row on Betalingen with its amount, day,
    payer and IBAN; the same file damaged is refused whole (exit 2, workbook unchanged)."""
    from debiteuren.payments import read_statement

    data = (BANKS / name).read_bytes()
    damaged = tmp_path / f"kapot-{name}"
    damaged.write_bytes(data.replace(old, new))
    before = sha(demo)
    refused = CliRunner().invoke(
        main, ["betalingen", str(demo), str(damaged), "--peildatum", "2026-11-07"]
    )
    assert refused.exit_code == 2, refused.output
    assert f"Bankafschrift 'kapot-{name}'" in refused.output
    assert sha(demo) == before
    statement = tmp_path / name
    statement.write_bytes(data)
    read = CliRunner().invoke(
        main, ["betalingen", str(demo), str(statement), "--peildatum", "2026-11-07"]
    )
    assert read.exit_code in (0, 1), read.output
    rows = [r for r in sheet(demo, "Betalingen") if str(r["Bron"]).endswith(name)]
    expected = read_statement(statement)
    assert sorted(
        (r["Datum"].date(), D(str(r["Bedrag"])), r["IBAN betaler"] or "", r["Status"] == "Storno")
        for r in rows
    ) == sorted((x.booking_date, x.amount, x.counterparty_iban, x.is_reversal) for x in expected)


def _day_statement(number, day, opening, amount, text):
    """An MT940 day statement of our account with one credit (YYMMDD ``day``)."""
    closing = f"{D(opening) + D(amount):.2f}".replace(".", ",")
    return (
        f":20:STMT{number}\n:25:{OWN_IBAN}\n:28C:{number}/1\n"
        f":60F:C{day}EUR{opening.replace('.', ',')}\n"
        f":61:{day}{day[2:]}C{amount.replace('.', ',')}NTRFNONREF\n"
        f":86:/TRTP/SEPA OVERBOEKING/IBAN/NL44RABO0123456789/BIC/RABONL2U/NAME/A/REMI/{text}\n"
        f":62F:C{day}EUR{closing}\n-\n"
    )


def test_a_missing_statement_between_two_of_one_account_is_named(demo, tmp_path):
    """Day 1 and day 3 read together, day 2 (with € 200,00 of credits) left out: each
    statement agreed with itself and nothing said that the credits of day 2 were not read.
    Now the later statement warns with both balances and the difference."""
    one = tmp_path / "dag1.sta"
    three = tmp_path / "dag3.sta"
    one.write_text(_day_statement(1, "261014", "100.00", "605.00", "Factuur 1"))
    three.write_text(_day_statement(3, "261015", "905.00", "10.00", "Factuur 3"))
    result = CliRunner().invoke(
        main, ["betalingen", str(demo), str(three), str(one), "--peildatum", "2026-10-15"]
    )
    assert result.exit_code in (0, 1), result.output
    output = " ".join(result.output.split())
    assert (
        f"Let op: afschrift 3/1 van rekening {OWN_IBAN} begint met saldo € 905,00, maar "
        "afschrift 1/1 van 14-10-2026 in 'dag1.sta' eindigt met € 705,00 (verschil € 200,00): "
        "ontbreekt er een afschrift tussen die twee?"
    ) in output
    assert output.count("ontbreekt er een afschrift") == 1
    # day 2 read too: no warning; the same day given twice is no gap either
    two = tmp_path / "dag2.sta"
    two.write_text(_day_statement(2, "261014", "705.00", "200.00", "Factuur 2"))
    again = tmp_path / "dag2-kopie.sta"
    again.write_text(two.read_text())
    result = CliRunner().invoke(
        main,
        ["betalingen", str(demo), *map(str, (one, two, again, three)), "--peildatum", "2026-10-15"],
    )
    assert result.exit_code in (0, 1), result.output
    assert "ontbreekt er een afschrift" not in result.output
