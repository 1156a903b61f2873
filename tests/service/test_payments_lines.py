"""betalingen line by line, as a bookkeeper's real statements are: a property test over random
CAMT.053 statements built from the demo's customers, invoices, payment references and amounts,
and the payments a bookkeeper meets by hand (session 8).

The invariants of every import: it never raises and is never refused as a whole for a readable
file; per statement line the Betalingen rows add up to the line's amount to the cent (no money
invented or lost); every row's amount is positive; no row pays a credit note; reading the same
bytes again adds nothing; every line is Gematcht, Te controleren, Storno, Teruggeboekt or Dubbel,
and the report's counts agree with the rows.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal as D
from html import escape
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from debiteuren import service
from debiteuren.demo import DEMO_AS_OF
from debiteuren.service.payments import import_statements

NOW = datetime(2026, 10, 15, 12, 0)
OWN_IBAN = "NL91ABNA0417164300"
CENT = D("0.01")


def iban(country: str, bban: str) -> str:
    """Return a valid IBAN of ``country`` for ``bban`` (ISO 13616 check digits)."""
    digits = "".join(str(int(ch, 36)) for ch in bban + country + "00")
    return f"{country}{98 - int(digits) % 97:02d}{bban}"


#: The accounts the demo's customers pay from (set on Klanten, so that rules c and d can work).
CUSTOMER_IBANS = {
    "K001": iban("NL", "RABO0312345678"),
    "K002": iban("NL", "INGB0004444444"),
    "K003": iban("NL", "ABNA0555555555"),
    "K005": iban("NL", "INGB0006666666"),
    "K007": iban("BE", "096123456769"),
    "K009": iban("BE", "096111111194"),
    "K012": iban("BE", "096222222270"),
}
STRANGER_IBAN = iban("NL", "INGB0001234567")


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sheet(path: Path, name: str) -> list[dict]:
    ws = openpyxl.load_workbook(path, data_only=True)[name]
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=False)) for r in rows[1:] if any(v is not None for v in r)]


def money(value) -> D:
    return D(str(value)).quantize(CENT)


@dataclass(frozen=True)
class Inv:
    number: str
    debtor: str
    amount: D
    open: D
    total: D
    reference: str
    credit_note: bool
    paid: bool
    issued: date


@dataclass(frozen=True)
class Base:
    path: Path
    invoices: dict[str, Inv]
    names: dict[str, str]
    asked: dict[str, list[D]]  # customer -> amounts letters and a payment plan asked for


def _with_ibans(path: Path) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb["Klanten"]
    headers = [c.value for c in ws[1]]
    number, account = headers.index("Klantnr"), headers.index("IBAN")
    for row in ws.iter_rows(min_row=2):
        if row[number].value in CUSTOMER_IBANS:
            row[account].value = CUSTOMER_IBANS[row[number].value]
    wb.save(path)


@pytest.fixture(scope="module")
def base(_demo_built, tmp_path_factory) -> Base:
    path = Path(shutil.copyfile(_demo_built, tmp_path_factory.mktemp("lines") / "demo.xlsx"))
    _with_ibans(path)
    service.update(path, DEMO_AS_OF, now=NOW)
    return _read_base(path)


@pytest.fixture(scope="module")
def lettered(base, tmp_path_factory) -> Base:
    """The base book after the day's letters went out and Garage Van den Broeck agreed a
    payment plan of three instalments."""
    path = Path(shutil.copyfile(base.path, tmp_path_factory.mktemp("lettered") / "demo.xlsx"))
    service.payment_plan(
        path, customer="K009", instalments=3, first=DEMO_AS_OF, as_of=DEMO_AS_OF, now=NOW
    )
    _send_letters(path)
    return _read_base(path)


def _read_base(path: Path) -> Base:
    invoices = {}
    for r in sheet(path, "Facturen"):
        note = r["Creditnota"] == "Ja"
        invoices[r["Factuurnr"]] = Inv(
            number=r["Factuurnr"],
            debtor=r["Klantnr"],
            amount=money(r["Bedrag (incl. btw)"]),
            open=D(0) if note else money(r["Openstaand"]),
            total=D(0) if note else money(r["Totaal"]),
            reference=(r["Betalingskenmerk"] or "").replace(" ", ""),
            credit_note=note,
            paid=r["Fase"] == "Betaald",
            issued=r["Factuurdatum"].date(),
        )
    names = {r["Klantnr"]: r["Naam"] for r in sheet(path, "Klanten")}
    asked: dict[str, list[D]] = defaultdict(list)
    for r in sheet(path, "Acties"):
        if r["Gevorderd bedrag"]:
            asked[r["Klantnr"]].append(money(r["Gevorderd bedrag"]))
    for r in sheet(path, "Regelingen"):
        asked[r["Klantnr"]].append(money(r["Bedrag"]))
    return Base(path=path, invoices=invoices, names=names, asked=dict(asked))


# --- The statement ------------------------------------------------------------------------------


@dataclass
class Line:
    ref: str
    amount: D
    booked: date
    name: str = ""
    account: str = ""
    text: str = ""
    structured: str = ""
    reversal: bool = False
    currency: str = "EUR"


def entry(line: Line) -> str:
    remittance = (
        f"<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>ISO</Issr>"
        f"</Tp><Ref>{line.structured}</Ref></CdtrRefInf></Strd>"
        if line.structured
        else f"<Ustrd>{escape(line.text)}</Ustrd>"
        if line.text
        else ""
    )
    debtor = f"<Dbtr><Nm>{escape(line.name)}</Nm></Dbtr>" if line.name else ""
    account = f"<DbtrAcct><Id><IBAN>{line.account}</IBAN></Id></DbtrAcct>" if line.account else ""
    return f"""
      <Ntry><Amt Ccy="{line.currency}">{line.amount:.2f}</Amt>
        <CdtDbtInd>{"DBIT" if line.reversal else "CRDT"}</CdtDbtInd>
        {"<RvslInd>true</RvslInd>" if line.reversal else ""}<Sts>BOOK</Sts>
        <BookgDt><Dt>{line.booked.isoformat()}</Dt></BookgDt>
        <ValDt><Dt>{line.booked.isoformat()}</Dt></ValDt>
        <AcctSvcrRef>{line.ref}</AcctSvcrRef>
        <NtryDtls><TxDtls><Refs><AcctSvcrRef>{line.ref}</AcctSvcrRef></Refs>
          <RltdPties>{debtor}{account}</RltdPties>
          <RmtInf>{remittance}</RmtInf></TxDtls></NtryDtls></Ntry>"""


def camt(lines: list[Line], stmt: str = "STMT-P") -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
  <BkToCstmrStmt><GrpHdr><MsgId>M-{stmt}</MsgId><CreDtTm>2026-10-15T07:00:00</CreDtTm></GrpHdr>
    <Stmt><Id>{stmt}</Id><CreDtTm>2026-10-15T07:00:00</CreDtTm>
      <Acct><Id><IBAN>{OWN_IBAN}</IBAN></Id><Ccy>EUR</Ccy></Acct>{"".join(map(entry, lines))}
    </Stmt></BkToCstmrStmt></Document>"""


# --- The property test ----------------------------------------------------------------------------


def _amount(draw, invoices: list[Inv], all_invoices: dict[str, Inv], asked: list[D]) -> D:
    """An amount as customers pay: exact, principal only, partial, over, two invoices, a cent
    off, almost nothing, very large, or what a letter or a payment plan asked."""
    first = invoices[0] if invoices else None
    kinds = ["open", "principal", "total", "partial", "over", "two", "cent", "tiny", "large"]
    kind = draw(st.sampled_from(kinds + ["asked"] * 3 if asked else kinds))
    if kind == "asked":
        return draw(st.sampled_from(asked))
    if first is None or kind in ("tiny", "large"):
        if kind == "large":
            return D("9999999.99")
        if kind == "tiny" or first is None:
            return draw(st.sampled_from([D("0.01"), D("0.02"), D("4.99"), D("12.34")]))
    assert first is not None
    open_ = first.open if first.open > 0 else abs(first.amount)  # a paid one, a credit note
    if kind == "open":
        return open_
    if kind == "principal":
        return abs(first.amount)
    if kind == "total":
        return first.total if first.total > 0 else open_
    if kind == "partial":
        share = draw(st.integers(min_value=1, max_value=99))
        return max(CENT, (open_ * share / 100).quantize(CENT))
    if kind == "over":
        return open_ + draw(st.sampled_from([D("0.01"), D("1.00"), D("100.00"), open_]))
    if kind == "two":
        other = (
            invoices[1] if len(invoices) > 1 else draw(st.sampled_from(list(all_invoices.values())))
        )
        return open_ + (other.open if other.open > 0 else abs(other.amount))
    return max(CENT, open_ + draw(st.sampled_from([D("0.01"), D("-0.01")])))


@st.composite
def statements(draw, base: Base) -> list[Line]:
    invoices = list(base.invoices.values())
    customers = sorted(base.names)
    lines: list[Line] = []
    count = draw(st.integers(min_value=1, max_value=8))
    for k in range(count):
        ref = f"P{k + 1}"
        again = lines and draw(st.integers(0, 3)) == 0
        if again:  # a storno of an earlier line, or the same payment twice
            earlier = draw(st.sampled_from(lines))
            if earlier.reversal or draw(st.booleans()):
                lines.append(
                    Line(**{**earlier.__dict__, "ref": ref, "booked": DEMO_AS_OF})  # paid twice
                )
            else:
                lines.append(
                    Line(**{**earlier.__dict__, "ref": ref, "reversal": True, "booked": DEMO_AS_OF})
                )
            continue
        debtor = draw(st.sampled_from([*customers, ""]))
        own = [i for i in invoices if i.debtor == debtor]
        named = draw(st.lists(st.sampled_from(own or invoices), max_size=3, unique=True))
        if draw(st.booleans()):  # also of another customer, a credit note or a paid invoice
            named += draw(st.lists(st.sampled_from(invoices), max_size=1))
        payer = draw(
            st.sampled_from(
                [
                    base.names.get(debtor, ""),
                    "",
                    "Onbekende Betaler",
                    base.names.get(debtor, "")[:8],
                ]
            )
        )
        account = draw(st.sampled_from([CUSTOMER_IBANS.get(debtor, ""), "", STRANGER_IBAN]))
        words = [draw(st.sampled_from(["factuur", "fact.", "inv", "", "Facture", "nr"]))]
        words += [i.number for i in named]
        if draw(st.booleans()):
            words.append(draw(st.sampled_from(["14-10-2026", "d.d. 1-9-2026", "2026-10-01"])))
        if draw(st.booleans()):
            words.append(draw(st.sampled_from(["€ 1.250,00", "EUR 40", "12,50", "bedrag 847"])))
        structured = ""
        with_reference = [i for i in named if i.reference]
        if with_reference and draw(st.integers(0, 3)) == 0:
            structured = with_reference[0].reference
        elif with_reference and draw(st.integers(0, 4)) == 0:
            words.append(with_reference[0].reference)
        amount = _amount(draw, named or own, base.invoices, base.asked.get(debtor, []))
        booked = draw(
            st.sampled_from([DEMO_AS_OF, DEMO_AS_OF - timedelta(days=1), date(2026, 9, 1)])
        )
        currency = "USD" if draw(st.integers(0, 14)) == 0 else "EUR"
        lines.append(
            Line(
                ref=ref,
                amount=amount,
                booked=booked,
                name=payer,
                account=account,
                text=" ".join(w for w in words if w),
                structured=structured,
                currency=currency,
            )
        )
    return lines


STATUSES = {"Gematcht", "Te controleren", "Storno", "Teruggeboekt", "Dubbel"}


def check_import(base: Base, lines: list[Line], folder: Path) -> list[dict]:
    """Import ``lines`` into a copy of the base book, check every invariant, return the rows."""
    book = Path(shutil.copyfile(base.path, folder / "boek.xlsx"))
    statement = folder / "afschrift.xml"
    statement.write_text(camt(lines))
    before = len(sheet(book, "Betalingen"))
    result = import_statements(book, [statement], as_of=DEMO_AS_OF, now=NOW)
    assert not result.failed, result.files[0].error
    (report,) = result.files
    assert report.lines == len(lines)
    rows = sheet(book, "Betalingen")[before:]
    assert result.saved and result.rows_added == len(rows)
    by_line: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_line[row["Bankreferentie"].split("~", 1)[0]].append(row)
    assert set(by_line) == {line.ref for line in lines}
    for line in lines:
        own = by_line[line.ref]
        assert {r["Status"] for r in own} <= STATUSES, own
        if line.currency != "EUR":
            assert len(own) == 1 and own[0]["Bedrag"] is None, own
            continue
        assert all(money(r["Bedrag"]) > 0 for r in own), own
        assert sum(money(r["Bedrag"]) for r in own) == line.amount, (line, own)
        assert len({r["Status"] for r in own}) == 1, own
        for r in own:
            paid = base.invoices.get(r["Factuurnr"])
            assert paid is None or not paid.credit_note, r
            if r["Factuurnr"]:
                assert r["Status"] in ("Gematcht", "Teruggeboekt"), r
                assert paid is not None and paid.debtor == r["Klantnr"], r
    # the report's counts agree with the rows (one status per line)
    status = {ref: own[0]["Status"] for ref, own in by_line.items()}
    assert report.reversals == sum(s == "Storno" for s in status.values())
    assert report.review == sum(
        status[line.ref] == "Te controleren"
        and not by_line[line.ref][0]["Reden"].startswith("mogelijk dubbel")
        for line in lines
    )
    assert report.duplicates == 0
    counts = (report.matched, report.review, report.doubles, report.reversals)
    assert sum(counts) + report.taken_back == len(lines)
    assert report.matched == sum(s == "Gematcht" for s in status.values())
    assert report.taken_back == sum(s == "Teruggeboekt" for s in status.values())
    assert {r.bank_reference.split("~")[0] for r in result.to_review} == {
        ref for ref, s in status.items() if s == "Te controleren"
    }
    # a storno takes back a payment of this statement from the same account (or, without one,
    # the same name) and amount, one each, whether it was one row or split over several
    groups: dict[tuple, list[list[Line]]] = defaultdict(lambda: [[], []])
    for line in lines:
        if line.currency == "EUR" and (line.account or line.name):
            key = (line.account or ("naam", line.name), line.amount)
            groups[key][line.reversal].append(line)
    for credits, stornos in groups.values():
        taken = min(len(credits), len(stornos))
        assert sum(status[s.ref] == "Storno" for s in stornos) == taken, (credits, stornos)
        assert sum(status[c.ref] == "Teruggeboekt" for c in credits) == taken, (credits, stornos)
    # Facturen holds every counted euro: per customer what the invoices show as paid is what
    # Betalingen counts, unless nothing is left open (the rest is a credit in their favour)
    counted: dict[str, D] = defaultdict(D)
    for row in sheet(book, "Betalingen"):
        if row["Status"] in (None, "Gematcht") and row["Bedrag"] is not None:
            counted[row["Klantnr"]] += money(row["Bedrag"])
    invoices = [r for r in sheet(book, "Facturen") if r["Creditnota"] != "Ja"]
    for debtor, amount in counted.items():
        own = [r for r in invoices if r["Klantnr"] == debtor]
        paid = sum((money(r["Betaald"]) for r in own), D(0))
        assert paid == amount or (paid < amount and all(r["Totaal"] == 0 for r in own)), debtor
    # the same bytes again add nothing
    again = sha(book)
    second = import_statements(book, [statement], as_of=DEMO_AS_OF, now=NOW)
    assert not second.failed and not second.saved and second.files[0].duplicates == len(lines)
    assert sha(book) == again
    return rows


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_every_line_becomes_rows_that_add_up_to_it(base, data):
    lines = data.draw(statements(base))
    with tempfile.TemporaryDirectory() as folder:
        check_import(base, lines, Path(folder))


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_after_letters_and_a_plan_every_line_adds_up_as_well(lettered, data):
    """The same, after the day's letters went out (their amounts and references) and with a
    payment plan running (its instalments)."""
    lines = data.draw(statements(lettered))
    with tempfile.TemporaryDirectory() as folder:
        check_import(lettered, lines, Path(folder))


def test_a_storno_in_dollars_takes_back_no_euro_payment(lettered, tmp_path):
    """Found by the test above: a payer's dollar credit, its dollar storno and a euro payment
    of the same number: the storno took back the euro payment (same payer, same amount), which
    was then marked Teruggeboekt. Now it takes back nothing and stays to check, with its
    credit."""

    def line(ref: str, reversal: bool, currency: str) -> Line:
        return Line(
            ref=ref,
            amount=D("1210.00"),
            booked=date(2026, 10, 15),
            name="Jansen & Zn <BV>",
            account="NL81RABO0312345678",
            text="factuur",
            structured="",
            reversal=reversal,
            currency=currency,
        )

    lines = [line("P1", False, "USD"), line("P2", True, "USD"), line("P3", False, "EUR")]
    rows = {r["Bankreferentie"]: r for r in check_import(lettered, lines, tmp_path)}
    assert rows["P3"]["Status"] != "Teruggeboekt" and money(rows["P3"]["Bedrag"]) == 1210
    assert "teruggeboekt" not in (rows["P3"]["Reden"] or "")
    assert rows["P2"]["Status"] == "Te controleren" and rows["P2"]["Bedrag"] is None
    assert "in USD, niet in euro" in rows["P2"]["Reden"]
    assert rows["P1"]["Status"] == "Te controleren" and rows["P1"]["Bedrag"] is None


# --- What a bookkeeper meets, one case each ------------------------------------------------------


@pytest.fixture
def book(base, tmp_path) -> Path:
    return Path(shutil.copyfile(base.path, tmp_path / "boek.xlsx"))


def read_in(book: Path, folder: Path, *lines: Line, name: str = "afschrift.xml", stmt="STMT-H"):
    statement = folder / name
    statement.write_text(camt(list(lines), stmt=stmt))
    result = import_statements(book, [statement], as_of=DEMO_AS_OF, now=NOW)
    assert not result.failed, result.files[0].error
    return result


def rows_of(book: Path, ref: str) -> list[tuple]:
    return [
        (r["Factuurnr"], money(r["Bedrag"]) if r["Bedrag"] is not None else None, r["Status"])
        for r in sheet(book, "Betalingen")
        if str(r["Bankreferentie"] or "").split("~")[0] == ref
    ]


def facturen(book: Path) -> dict[str, dict]:
    return {r["Factuurnr"]: r for r in sheet(book, "Facturen")}


def shown(book: Path, number: str) -> tuple[D, D, D]:
    """Betaald, Openstaand and Totaal of an invoice on Facturen."""
    r = facturen(book)[number]
    return money(r["Betaald"]), money(r["Openstaand"]), money(r["Totaal"])


K001 = CUSTOMER_IBANS["K001"]


def test_a_partial_payment_of_two_invoices_pays_the_oldest_first(book, tmp_path):
    """Named newest first in the text, the older 2026-0073 (due 15-07, € 3.020,12 with costs
    and interest) is paid in full first, the rest goes to 2026-0107 (due 01-10): costs and
    interest first, then principal (art. 6:43, 6:44 BW)."""
    line = Line(
        ref="H1",
        amount=D("3500.00"),
        booked=DEMO_AS_OF,
        name="Jansen & Zn BV",
        account=K001,
        text="facturen 2026-0107 en 2026-0073",
    )
    read_in(book, tmp_path, line)
    assert rows_of(book, "H1") == [
        ("2026-0073", D("3020.12"), "Gematcht"),
        ("2026-0107", D("479.88"), "Gematcht"),
    ]
    assert shown(book, "2026-0073") == (D("3020.12"), D("0.00"), D("0.00"))
    # 479,88 - € 40,00 costs - € 3,38 interest = € 436,50 of the principal of € 847,00
    assert shown(book, "2026-0107") == (D("479.88"), D("410.50"), D("410.50"))


def test_an_over_payment_of_one_invoice_pays_the_oldest_other_invoice_with_the_rest(book, tmp_path):
    line = Line(ref="H2", amount=D("1000.00"), booked=DEMO_AS_OF, text="factuur 2026-0107")
    read_in(book, tmp_path, line)
    ((number, amount, status),) = rows_of(book, "H2")
    assert (number, amount, status) == ("2026-0107", D("1000.00"), "Gematcht")
    reason = sheet(book, "Betalingen")[-1]["Reden"]
    assert reason.endswith("betaald € 1.000,00, openstaand € 890,38")
    assert shown(book, "2026-0107") == (D("890.38"), D("0.00"), D("0.00"))
    # the € 109,62 more goes to the oldest due invoice of Jansen, 2026-0011 (€ 554,64)
    assert shown(book, "2026-0011") == (D("109.62"), D("445.02"), D("445.02"))


def _send_letters(book: Path, customer: str = "") -> dict:
    """Make the day's letters and mark them sent; return ``customer``'s letter on Acties."""
    service.letters(
        book, DEMO_AS_OF, now=NOW, pdf=False, eml=False, confirm_stale=True, confirm_rates=True
    )
    service.mark_sent(book, DEMO_AS_OF, now=NOW)
    if not customer:
        return {}
    (letter,) = [r for r in sheet(book, "Acties") if r["Klantnr"] == customer and r["Status"]]
    return letter


def _letters_sent(book: Path) -> None:
    letter = _send_letters(book, "K001")
    assert (letter["Facturen"], money(letter["Gevorderd bedrag"])) == (
        "2026-0011, 2026-0107",
        D("1445.02"),
    )


@pytest.mark.parametrize("paid_with", ["the account", "the letter's reference"])
def test_what_a_letter_asked_is_split_over_its_invoices(book, tmp_path, paid_with):
    """The reminder of 15-10-2026 asked Jansen € 1.445,02 for 2026-0011 (€ 554,64 with costs
    and interest) and 2026-0107 (€ 890,38), and printed the reference of its oldest invoice,
    2026-0011. Paid from Jansen's account without a text, or with that reference: the rows
    split it as the engine pays it (before, the reference gave one row of € 1.445,02 on
    2026-0011)."""
    _letters_sent(book)
    if paid_with == "the account":
        line = Line(ref="H3", amount=D("1445.02"), booked=DEMO_AS_OF, account=K001)
        reason = "het bedrag van de herinnering van 15-10-2026 van facturen 2026-0011, 2026-0107"
    else:
        reference = facturen(book)["2026-0011"]["Betalingskenmerk"]
        line = Line(
            ref="H3", amount=D("1445.02"), booked=DEMO_AS_OF, structured=reference.replace(" ", "")
        )
        reason = (
            f"betalingskenmerk {reference} van factuur 2026-0011, het kenmerk van de brief voor "
            "facturen 2026-0011, 2026-0107"
        )
    read_in(book, tmp_path, line)
    assert rows_of(book, "H3") == [
        ("2026-0011", D("554.64"), "Gematcht"),
        ("2026-0107", D("890.38"), "Gematcht"),
    ]
    assert sheet(book, "Betalingen")[-1]["Reden"].startswith(reason)
    assert shown(book, "2026-0011") == (D("554.64"), D("0.00"), D("0.00"))
    assert shown(book, "2026-0107") == (D("890.38"), D("0.00"), D("0.00"))


def test_a_payment_naming_a_credit_note_and_its_invoice_pays_the_invoice(book, tmp_path):
    """2026-0134 credits € 121,00 of 2026-0011 (€ 605,00): € 484,00 principal is left, with
    € 40,00 costs and € 30,64 interest."""
    line = Line(
        ref="H5",
        amount=D("484.00"),
        booked=DEMO_AS_OF,
        account=K001,
        text="factuur 2026-0011 min creditnota 2026-0134",
    )
    read_in(book, tmp_path, line)
    assert rows_of(book, "H5") == [("2026-0011", D("484.00"), "Gematcht")]
    assert shown(book, "2026-0011") == (D("484.00"), D("70.64"), D("70.64"))


def test_paying_an_invoice_already_paid_is_to_be_checked(book, tmp_path):
    line = Line(
        ref="H6", amount=D("1210.00"), booked=DEMO_AS_OF, account=K001, text="factuur 2025-0012"
    )
    result = read_in(book, tmp_path, line)
    assert rows_of(book, "H6") == [(None, D("1210.00"), "Te controleren")]
    assert result.files[0].review == 1
    assert sheet(book, "Betalingen")[-1]["Reden"] == (
        "factuur 2025-0012 in de omschrijving is al betaald of gecrediteerd; geen factuur of "
        f"combinatie van facturen van klant K001 (IBAN {K001}) met een openstaand bedrag van "
        "€ 1.210,00"
    )
    assert shown(book, "2025-0012") == (D("1210.00"), D("0.00"), D("0.00"))


def test_a_payment_before_the_invoice_date_pays_the_invoice(book, tmp_path):
    """Webwinkel Noord pays 2026-0130 (dated 07-10-2026) on 02-10-2026, before the invoice."""
    line = Line(
        ref="H7", amount=D("1210.00"), booked=date(2026, 10, 2), text="vooruitbetaling 2026-0130"
    )
    read_in(book, tmp_path, line)
    assert rows_of(book, "H7") == [("2026-0130", D("1210.00"), "Gematcht")]
    assert shown(book, "2026-0130") == (D("1210.00"), D("0.00"), D("0.00"))


def test_a_refund_to_a_customer_is_no_storno(book, tmp_path):
    """We pay back what Jansen paid twice: a debit to Jansen's account of the same amount, with
    the invoice in the text. It is no payment and takes no payment back."""
    read_in(
        book,
        tmp_path,
        Line(ref="H8", amount=D("890.38"), booked=DEMO_AS_OF, account=K001, text="2026-0107"),
    )
    refund = camt(
        [Line(ref="H9", amount=D("890.38"), booked=DEMO_AS_OF, account=K001, text="x")],
        stmt="STMT-R",
    ).replace("<CdtDbtInd>CRDT", "<CdtDbtInd>DBIT")
    refund = refund.replace("<Dbtr>", "<Cdtr>").replace("</Dbtr>", "</Cdtr>")
    refund = refund.replace("DbtrAcct", "CdtrAcct").replace(
        "<Ustrd>x</Ustrd>", "<Ustrd>terugbetaling dubbel betaald 2026-0107</Ustrd>"
    )
    statement = tmp_path / "terug.xml"
    statement.write_text(refund)
    result = import_statements(book, [statement], as_of=DEMO_AS_OF, now=NOW)
    assert not result.failed and result.rows_added == 0
    assert rows_of(book, "H8") == [("2026-0107", D("890.38"), "Gematcht")]
    assert rows_of(book, "H9") == []


def test_a_storno_of_a_payment_split_over_two_invoices_takes_back_both_rows(book, tmp_path):
    paid = Line(
        ref="H10",
        amount=D("3500.00"),
        booked=DEMO_AS_OF - timedelta(days=1),
        name="Jansen & Zn BV",
        account=K001,
        text="facturen 2026-0073 en 2026-0107",
    )
    read_in(book, tmp_path, paid)
    assert [status for *_, status in rows_of(book, "H10")] == ["Gematcht", "Gematcht"]
    storno = Line(**{**paid.__dict__, "ref": "H11", "reversal": True, "booked": DEMO_AS_OF})
    result = read_in(book, tmp_path, storno, name="storno.xml", stmt="STMT-S")
    assert result.files[0].reversals == 1
    assert rows_of(book, "H10") == [
        ("2026-0073", D("3019.30"), "Teruggeboekt"),  # one day less interest (14-10)
        ("2026-0107", D("480.70"), "Teruggeboekt"),
    ]
    assert rows_of(book, "H11") == [(None, D("3500.00"), "Storno")]
    row = sheet(book, "Betalingen")[-1]
    first = len(sheet(book, "Betalingen"))  # Excel rows: the split's two right above the storno
    assert row["Reden"] == f"storno (terugboeking) van de betaling op rijen {first - 1}, {first}"
    assert shown(book, "2026-0073") == (D("0.00"), D("2904.00"), D("3020.12"))
    assert shown(book, "2026-0107") == (D("0.00"), D("847.00"), D("890.38"))


def test_a_storno_in_the_same_statement_takes_back_both_rows_of_a_split(book, tmp_path):
    paid = Line(
        ref="H12",
        amount=D("3500.00"),
        booked=DEMO_AS_OF,
        account=K001,
        text="facturen 2026-0073 en 2026-0107",
    )
    storno = Line(**{**paid.__dict__, "ref": "H13", "reversal": True})
    read_in(book, tmp_path, paid, storno)
    assert [status for *_, status in rows_of(book, "H12")] == ["Teruggeboekt", "Teruggeboekt"]
    assert rows_of(book, "H13") == [(None, D("3500.00"), "Storno")]
    assert shown(book, "2026-0073")[0] == D("0.00")


def test_the_same_statement_in_two_files_is_read_once(book, tmp_path):
    lines = [
        Line(ref="H14", amount=D("890.38"), booked=DEMO_AS_OF, text="factuur 2026-0107"),
        Line(ref="H15", amount=D("12.34"), booked=DEMO_AS_OF, text="bedankt"),
    ]
    first, second = tmp_path / "afschrift.xml", tmp_path / "afschrift (1).xml"
    first.write_text(camt(lines))
    second.write_text(camt(lines))
    result = import_statements(book, [first, second], as_of=DEMO_AS_OF, now=NOW)
    assert [(f.matched, f.review, f.duplicates) for f in result.files] == [(1, 1, 0), (0, 0, 2)]
    assert result.rows_added == 2
    assert rows_of(book, "H14") == [("2026-0107", D("890.38"), "Gematcht")]
    assert shown(book, "2026-0107") == (D("890.38"), D("0.00"), D("0.00"))


def test_an_invoices_own_reference_after_a_letter_pays_that_invoice(book, tmp_path):
    """After the reminder for 2026-0011 and 2026-0107, Jansen pays 2026-0107 with the reference
    on that invoice: it is paid, and 2026-0011 (the letter's first) stays open."""
    _letters_sent(book)
    reference = facturen(book)["2026-0107"]["Betalingskenmerk"].replace(" ", "")
    line = Line(ref="H21", amount=D("890.38"), booked=DEMO_AS_OF, structured=reference)
    read_in(book, tmp_path, line)
    assert rows_of(book, "H21") == [("2026-0107", D("890.38"), "Gematcht")]
    assert shown(book, "2026-0107") == (D("890.38"), D("0.00"), D("0.00"))
    assert shown(book, "2026-0011") == (D("0.00"), D("484.00"), D("554.64"))


def test_the_instalments_of_a_payment_plan_paid_by_statement(book, tmp_path):
    """Jansen agrees to pay € 4.465,14 in three instalments of € 1.488,38 and pays the first
    two from its account, with no invoice number: each pays the plan's invoices, oldest first,
    and the plan is kept."""
    plan = service.payment_plan(
        book, customer="K001", instalments=3, first=DEMO_AS_OF, as_of=DEMO_AS_OF, now=NOW
    )
    assert [amount for *_, amount in plan.instalments] == [D("1488.38")] * 3
    first = Line(ref="H30", amount=D("1488.38"), booked=DEMO_AS_OF, account=K001, text="termijn 1")
    result = read_in(book, tmp_path, first)
    assert result.files[0].matched == 1 and not result.to_review
    assert rows_of(book, "H30") == [
        ("2026-0011", D("554.64"), "Gematcht"),
        ("2026-0073", D("933.74"), "Gematcht"),
    ]
    assert sheet(book, "Betalingen")[-1]["Reden"] == (
        "een termijn van de regeling van 15-10-2026 van facturen 2026-0011, 2026-0073, "
        f"2026-0107 van klant K001 (IBAN {K001}); voor factuur 2026-0107 bleef niets over"
    )
    assert shown(book, "2026-0011") == (D("554.64"), D("0.00"), D("0.00"))
    assert facturen(book)["2026-0073"]["Fase"] == "Regeling"
    # the second instalment, a month later, is matched as well
    later = date(2026, 11, 16)
    second = Line(ref="H31", amount=D("1488.38"), booked=later, account=K001, text="termijn 2")
    statement = tmp_path / "november.xml"
    statement.write_text(camt([second], stmt="STMT-N"))
    result = import_statements(book, [statement], as_of=later, now=datetime(2026, 11, 16, 12))
    assert result.files[0].matched == 1
    assert [status for *_, status in rows_of(book, "H31")] == ["Gematcht"]


def _as_belgian_business(wb: openpyxl.Workbook) -> None:
    """Make the book's Instellingen those of a Belgian business (its bank account in Belgium)."""
    settings_ = {
        "Land": "BE",
        "KvK/KBO-nummer": "0417.497.106",
        "Btw-nummer": "BE0417497106",
        "IBAN": iban("BE", "000123456748"),
    }
    for row in wb["Instellingen"].iter_rows(min_row=2):
        row[1].value = settings_.get(row[0].value, row[1].value)


@pytest.fixture(scope="module")
def belgian(base, tmp_path_factory) -> Path:
    """The base book of a Belgian business (its customers in Belgium get OGM references), after
    the day's letters went out."""
    path = Path(shutil.copyfile(base.path, tmp_path_factory.mktemp("be") / "be.xlsx"))
    wb = openpyxl.load_workbook(path)
    _as_belgian_business(wb)
    ws = wb["Facturen"]
    reference = [c.value for c in ws[1]].index("Betalingskenmerk")
    for row in ws.iter_rows(min_row=2):
        row[reference].value = None  # made again, as OGM for the Belgian customers
    wb.save(path)
    service.update(path, DEMO_AS_OF, now=NOW)
    letter = _send_letters(path, "K009")
    assert (letter["Facturen"], money(letter["Gevorderd bedrag"])) == (
        "2025-0150, 2026-0052, 2026-0095",
        D("4760.89"),
    )
    assert facturen(path)["2025-0150"]["Betalingskenmerk"] == "+++002/0250/15042+++"
    return path


def test_a_belgian_ogm_of_a_letter_covering_three_invoices(belgian, tmp_path):
    """Garage Van den Broeck pays the reminder's € 4.760,89 with its OGM (that of 2025-0150,
    the oldest): one row per invoice, each what it owed."""
    book = Path(shutil.copyfile(belgian, tmp_path / "boek.xlsx"))
    line = Line(ref="H40", amount=D("4760.89"), booked=DEMO_AS_OF, structured="002025015042")
    read_in(book, tmp_path, line)
    assert rows_of(book, "H40") == [
        ("2025-0150", D("1605.44"), "Gematcht"),
        ("2026-0052", D("53.03"), "Gematcht"),
        ("2026-0095", D("3102.42"), "Gematcht"),
    ]
    assert sheet(book, "Betalingen")[-1]["Reden"] == (
        "gestructureerde mededeling +++002/0250/15042+++ van factuur 2025-0150, het kenmerk van "
        "de brief voor facturen 2025-0150, 2026-0052, 2026-0095"
    )
    for number in ("2025-0150", "2026-0052", "2026-0095"):
        assert shown(book, number)[1:] == (D("0.00"), D("0.00"))


def test_part_of_a_letter_paid_with_its_ogm_in_the_text_pays_the_oldest_first(belgian, tmp_path):
    book = Path(shutil.copyfile(belgian, tmp_path / "boek.xlsx"))
    line = Line(
        ref="H41", amount=D("2000.00"), booked=DEMO_AS_OF, text="+++002/0250/15042+++ deel 1"
    )
    read_in(book, tmp_path, line)
    assert rows_of(book, "H41") == [
        ("2025-0150", D("1605.44"), "Gematcht"),
        ("2026-0052", D("53.03"), "Gematcht"),
        ("2026-0095", D("341.53"), "Gematcht"),
    ]
    assert shown(book, "2025-0150") == (D("2605.44"), D("0.00"), D("0.00"))  # with € 1.000,00
    assert shown(book, "2026-0052") == (D("1142.03"), D("0.00"), D("0.00"))  # with € 1.089,00
    # € 341,53: € 40,00 compensation and € 37,42 interest first, € 264,11 of the principal
    assert shown(book, "2026-0095") == (D("341.53"), D("2760.89"), D("2760.89"))


def test_a_second_payment_of_a_statement_is_split_after_the_first(book, tmp_path):
    """Jansen pays 2026-0011 and, later on the statement, 2026-0011 and 2026-0107 together: the
    second split knows that the first paid 2026-0011. Before, it gave 2026-0011 a row again,
    and the engine put that money on 2026-0073, which nobody named."""
    read_in(
        book,
        tmp_path,
        Line(ref="H50", amount=D("554.64"), booked=DEMO_AS_OF, text="factuur 2026-0011"),
        Line(
            ref="H51",
            amount=D("1445.02"),
            booked=DEMO_AS_OF,
            text="facturen 2026-0011 en 2026-0107",
        ),
    )
    assert rows_of(book, "H50") == [("2026-0011", D("554.64"), "Gematcht")]
    # nothing is owed on 2026-0011 any more: the last invoice takes the rest (over-payment)
    assert rows_of(book, "H51") == [("2026-0107", D("1445.02"), "Gematcht")]
    assert shown(book, "2026-0011") == (D("554.64"), D("0.00"), D("0.00"))
    assert shown(book, "2026-0107") == (D("890.38"), D("0.00"), D("0.00"))
    # the € 554,64 paid more goes to the oldest other due invoice, as for any over-payment
    assert shown(book, "2026-0073") == (D("554.64"), D("2465.48"), D("2465.48"))


def test_a_split_after_a_payment_of_the_day_before_in_the_same_statement(book, tmp_path):
    """The same across two days of one statement: what 2026-0011 owed on 15-10 is worked
    out again with the payment of 14-10, which paid it."""
    read_in(
        book,
        tmp_path,
        Line(ref="H52", amount=D("554.64"), booked=date(2026, 10, 14), text="factuur 2026-0011"),
        Line(
            ref="H53",
            amount=D("1445.02"),
            booked=DEMO_AS_OF,
            text="facturen 2026-0011 en 2026-0107",
        ),
    )
    assert rows_of(book, "H53") == [("2026-0107", D("1445.02"), "Gematcht")]
    assert shown(book, "2026-0011")[1:] == shown(book, "2026-0107")[1:] == (D("0"), D("0"))


def test_a_storno_whose_payment_is_not_found_counts_as_to_check(book, tmp_path):
    """The summary's 'te controleren' is the number of rows to check it lists."""
    storno = Line(
        ref="H60", amount=D("50.00"), booked=DEMO_AS_OF, account=STRANGER_IBAN, reversal=True
    )
    result = read_in(book, tmp_path, storno)
    (report,) = result.files
    assert (report.reversals, report.review, len(result.to_review)) == (0, 1, 1)
    assert rows_of(book, "H60") == [(None, D("50.00"), "Te controleren")]


def test_the_counts_of_a_statement_say_what_its_rows_say(book, tmp_path):
    paid = Line(ref="H61", amount=D("890.38"), booked=DEMO_AS_OF, account=K001, text="2026-0107")
    unknown = Line(ref="H62", amount=D("12.34"), booked=DEMO_AS_OF, account=STRANGER_IBAN)
    back = [Line(**{**x.__dict__, "ref": x.ref + "S", "reversal": True}) for x in (paid, unknown)]
    result = read_in(book, tmp_path, paid, unknown, *back)
    (report,) = result.files
    assert (report.matched, report.review, report.reversals, report.taken_back) == (0, 0, 2, 2)
    assert not result.to_review


# --- 12 digits that are both an OGM and a betalingskenmerk (session 19) ------------------------

#: A betalingskenmerk of 12 digits that passes the OGM's mod 97 too (about one in 97 does).
BOTH_KINDS = "202600000192"


def _typed_reference(path: Path, number: str, reference: str, country: str) -> None:
    """Type ``reference`` in the Betalingskenmerk cell of invoice ``number``; a Belgian
    creditor's settings when ``country`` is BE."""
    wb = openpyxl.load_workbook(path)
    if country == "BE":
        _as_belgian_business(wb)
    ws = wb["Facturen"]
    headers = [c.value for c in ws[1]]
    column, cell = headers.index("Factuurnr"), headers.index("Betalingskenmerk")
    for row in ws.iter_rows(min_row=2):
        if row[column].value == number:
            row[cell].value = reference
    wb.save(path)


@pytest.mark.parametrize(
    ("country", "named"),
    [
        ("NL", "betalingskenmerk 2026 0000 0192"),
        ("BE", "gestructureerde mededeling +++202/6000/00192+++"),
    ],
)
@pytest.mark.parametrize("typed", [BOTH_KINDS, "2026 0000 0192"])
def test_a_twelve_digit_reference_of_both_kinds_is_named_as_the_creditors_kind(
    base, tmp_path, country, named, typed
):
    """A Dutch creditor's customer pays with a 12-digit betalingskenmerk that passes the OGM
    check too: the Betalingen reason called it a "gestructureerde mededeling" (the matching
    compared digits, so it matched all the same). The creditor's country decides now; a
    Belgian creditor's stays an OGM."""
    book = Path(shutil.copyfile(base.path, tmp_path / "boek.xlsx"))
    invoice = base.invoices["2026-0107"]
    assert invoice.open > 0 and not invoice.paid
    _typed_reference(book, invoice.number, typed, country)
    line = Line(ref="H90", amount=invoice.total, booked=DEMO_AS_OF, structured=BOTH_KINDS)
    read_in(book, tmp_path, line)
    assert rows_of(book, "H90") == [("2026-0107", invoice.total, "Gematcht")]
    assert sheet(book, "Betalingen")[-1]["Reden"] == f"{named} van factuur 2026-0107"
