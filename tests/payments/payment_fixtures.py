"""Build the statement fixtures in ``tests/payments/fixtures/`` from the format specifications.

Every file here is written by this module (nothing is copied from elsewhere); the payment
references in them are made with :mod:`debiteuren.core.references`. Run
``PYTHONPATH=src python tests/payments/payment_fixtures.py`` to rewrite the files; a test checks
that the files on disk are what this module builds.

Accounts and IBANs are valid (checked with python-stdnum); names and amounts are invented.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from debiteuren.core.references import nl_payment_reference, ogm_reference, rf_reference

FIXTURES = Path(__file__).parent / "fixtures"

# Our accounts.
OUR_NL = "NL91ABNA0417164300"
OUR_NL_ING = "NL69INGB0123456789"
OUR_NL_RABO = "NL39RABO0300065264"
OUR_BE = "BE71096123456769"
OUR_BE_2 = "BE72000000001616"

# Payers.
RABO_PAYER = "NL44RABO0123456789"
ING_PAYER = "NL20INGB0001234567"
TRIO_PAYER = "NL63TRIO0212345678"
DE_PAYER = "DE89370400440532013000"
FR_PAYER = "FR1420041010050500013M02606"
NO_PAYER = "NO9386011117947"
BE_PAYER_1 = "BE41063012345610"
BE_PAYER_2 = "BE62310012345661"
BE_PAYER_3 = "BE48001123456727"
BE_PAYER_4 = "BE36734012345681"

# References (compact) for the invoices used in the fixtures.
OGM_017 = ogm_reference("2025-017")  # 000202501745
OGM_021 = ogm_reference("2025-021")
OGM_030 = ogm_reference("2025-030")
OGM_031 = ogm_reference("2025-031")
OGM_032 = ogm_reference("2025-032")
NL_018 = nl_payment_reference("2025-018")  # 9000000002025018
NL_022 = nl_payment_reference("2025-022")
RF_020 = rf_reference("2025-020")  # RF662025020
RF_023 = rf_reference("2025-023")


def printed_ogm(compact: str) -> str:
    """Return ``+++123/4567/89012+++`` for 12 digits."""
    return f"+++{compact[:3]}/{compact[3:7]}/{compact[7:]}+++"


# --- CAMT.053 --------------------------------------------------------------------------------


def _ns(version: str) -> str:
    return f"urn:iso:std:iso:20022:tech:xsd:camt.053.001.{version}"


def camt_document(version: str, statements: list[str], *, encoding: str = "UTF-8") -> str:
    """Return a camt.053 document with the given ``<Stmt>`` elements."""
    body = "\n".join(statements)
    return (
        f'<?xml version="1.0" encoding="{encoding}"?>\n'
        f'<Document xmlns="{_ns(version)}" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        "  <BkToCstmrStmt>\n"
        "    <GrpHdr><MsgId>MSG-20250303</MsgId>"
        "<CreDtTm>2025-03-03T18:00:00+01:00</CreDtTm></GrpHdr>\n"
        f"{body}\n"
        "  </BkToCstmrStmt>\n"
        "</Document>\n"
    )


def camt_statement(
    statement_id: str,
    iban: str,
    currency: str,
    entries: list[str],
    *,
    closing: Decimal | None = None,
    summary: bool = True,
) -> str:
    """Return a ``<Stmt>`` with an account, the opening and closing balances, the transaction
    summary (``TxsSummry``) and the entries. The closing balance is the opening balance plus
    the booked entries unless ``closing`` is given."""
    opening = Decimal("1000.00")
    net = Decimal(0)
    counts = {"CRDT": [0, Decimal(0)], "DBIT": [0, Decimal(0)]}
    for text in entries:
        amount = Decimal(
            re.search(r'<Amt Ccy="[A-Z]{3}">([^<]*)</Amt>', text).group(1).replace(",", ".")
        )
        indicator = re.search(r"<CdtDbtInd>([A-Z]*)</CdtDbtInd>", text).group(1)
        counts[indicator][0] += 1
        counts[indicator][1] += amount
        if "PDNG" not in text:
            net += amount if indicator == "CRDT" else -amount
    closing = opening + net if closing is None else closing
    mark = "CRDT" if closing >= 0 else "DBIT"
    total = counts["CRDT"][1] + counts["DBIT"][1]
    txs = (
        "      <TxsSummry><TtlNtries><NbOfNtries>"
        f"{counts['CRDT'][0] + counts['DBIT'][0]}</NbOfNtries><Sum>{total:.2f}</Sum>"
        f"</TtlNtries><TtlCdtNtries><NbOfNtries>{counts['CRDT'][0]}</NbOfNtries>"
        f"<Sum>{counts['CRDT'][1]:.2f}</Sum></TtlCdtNtries><TtlDbtNtries><NbOfNtries>"
        f"{counts['DBIT'][0]}</NbOfNtries><Sum>{counts['DBIT'][1]:.2f}</Sum></TtlDbtNtries>"
        "</TxsSummry>\n"
        if summary
        else ""
    )
    return (
        "    <Stmt>\n"
        f"      <Id>{statement_id}</Id>\n"
        "      <ElctrncSeqNb>1</ElctrncSeqNb>\n"
        "      <CreDtTm>2025-03-03T18:00:00+01:00</CreDtTm>\n"
        f"      <Acct><Id><IBAN>{iban}</IBAN></Id><Ccy>{currency}</Ccy></Acct>\n"
        '      <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="'
        f'{currency}">{opening:.2f}</Amt><CdtDbtInd>CRDT</CdtDbtInd>'
        "<Dt><Dt>2025-03-02</Dt></Dt></Bal>\n"
        '      <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="'
        f'{currency}">{abs(closing):.2f}</Amt><CdtDbtInd>{mark}</CdtDbtInd>'
        "<Dt><Dt>2025-03-03</Dt></Dt></Bal>\n" + txs + "\n".join(entries) + "\n    </Stmt>"
    )


def camt_entry(
    *,
    amount: str,
    indicator: str = "CRDT",
    booked: str = "2025-03-03",
    value: str | None = None,
    reversal: bool = False,
    status: str = "<Sts>BOOK</Sts>",
    entry_ref: str = "",
    servicer_ref: str = "",
    details: list[str] | None = None,
    batch: int = 0,
    extra: str = "",
    booking_date_time: bool = False,
    times: tuple[str, str] | None = None,
) -> str:
    """Return an ``<Ntry>``; ``times``, when given, are its booking and value ``DtTm``."""
    parts = ["      <Ntry>"]
    if entry_ref:
        parts.append(f"        <NtryRef>{entry_ref}</NtryRef>")
    parts.append(f'        <Amt Ccy="EUR">{amount}</Amt>')
    parts.append(f"        <CdtDbtInd>{indicator}</CdtDbtInd>")
    if reversal:
        parts.append("        <RvslInd>true</RvslInd>")
    parts.append(f"        {status}")
    if times:
        parts.append(f"        <BookgDt><DtTm>{times[0]}</DtTm></BookgDt>")
        parts.append(f"        <ValDt><DtTm>{times[1]}</DtTm></ValDt>")
    elif booking_date_time:
        parts.append(f"        <BookgDt><DtTm>{booked}T09:15:00+01:00</DtTm></BookgDt>")
    else:
        parts.append(f"        <BookgDt><Dt>{booked}</Dt></BookgDt>")
    if not times:
        parts.append(f"        <ValDt><Dt>{value or booked}</Dt></ValDt>")
    if servicer_ref:
        parts.append(f"        <AcctSvcrRef>{servicer_ref}</AcctSvcrRef>")
    parts.append(
        "        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd>"
        "</Fmly></Domn></BkTxCd>"
    )
    if details is not None:
        parts.append("        <NtryDtls>")
        if batch:
            parts.append(f"          <Btch><NbOfTxs>{batch}</NbOfTxs></Btch>")
        parts.extend(details)
        parts.append("        </NtryDtls>")
    if extra:
        parts.append(f"        {extra}")
    parts.append("      </Ntry>")
    return "\n".join(parts)


def camt_detail(
    *,
    name: str = "",
    iban: str = "",
    ustrd: tuple[str, ...] = (),
    strd: tuple[tuple[str, str], ...] = (),
    amount: str = "",
    amount_style: str = "Amt",
    end_to_end: str = "NOTPROVIDED",
    servicer_ref: str = "",
    tx_id: str = "",
    party_v8: bool = False,
    creditor: tuple[str, str] | None = None,
    referred: str = "",
) -> str:
    """Return a ``<TxDtls>``; ``strd`` holds ``(issuer, ref)`` pairs."""
    parts = ["          <TxDtls>", "            <Refs>"]
    if servicer_ref:
        parts.append(f"              <AcctSvcrRef>{servicer_ref}</AcctSvcrRef>")
    parts.append(f"              <EndToEndId>{end_to_end}</EndToEndId>")
    if tx_id:
        parts.append(f"              <TxId>{tx_id}</TxId>")
    parts.append("            </Refs>")
    if amount:
        if amount_style == "Amt":
            parts.append(f'            <Amt Ccy="EUR">{amount}</Amt>')
            parts.append("            <CdtDbtInd>CRDT</CdtDbtInd>")
        else:
            parts.append(
                f'            <AmtDtls><TxAmt><Amt Ccy="EUR">{amount}</Amt></TxAmt></AmtDtls>'
            )
    if name or iban or creditor:
        parts.append("            <RltdPties>")
        if name:
            if party_v8:
                parts.append(f"              <Dbtr><Pty><Nm>{name}</Nm></Pty></Dbtr>")
            else:
                parts.append(
                    f"              <Dbtr><Nm>{name}</Nm><PstlAdr><Ctry>NL</Ctry></PstlAdr></Dbtr>"
                )
        if iban:
            parts.append(f"              <DbtrAcct><Id><IBAN>{iban}</IBAN></Id></DbtrAcct>")
        if creditor:
            parts.append(f"              <Cdtr><Nm>{creditor[0]}</Nm></Cdtr>")
            parts.append(f"              <CdtrAcct><Id><IBAN>{creditor[1]}</IBAN></Id></CdtrAcct>")
        parts.append("            </RltdPties>")
    if ustrd or strd or referred:
        parts.append("            <RmtInf>")
        parts.extend(f"              <Ustrd>{text}</Ustrd>" for text in ustrd)
        for issuer, ref in strd:
            parts.append(
                "              <Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry>"
                f"<Issr>{issuer}</Issr></Tp><Ref>{ref}</Ref></CdtrRefInf></Strd>"
            )
        if referred:
            parts.append(
                "              <Strd><RfrdDocInf><Tp><CdOrPrtry><Cd>CINV</Cd></CdOrPrtry></Tp>"
                f"<Nb>{referred}</Nb></RfrdDocInf></Strd>"
            )
        parts.append("            </RmtInf>")
    parts.append("          </TxDtls>")
    return "\n".join(parts)


def camt_normal() -> str:
    """Several credits with each kind of reference, a debit and a pending entry (v001.02)."""
    entries = [
        camt_entry(
            amount="1210.00",
            servicer_ref="ABN-20250303-0001",
            details=[
                camt_detail(
                    name="Bakkerij De Korenschoof B.V.",
                    iban=RABO_PAYER,
                    ustrd=("Factuur 2025-017 klantnr K012",),
                    amount="1210.00",
                    amount_style="AmtDtls",
                    end_to_end="E2E-KORENSCHOOF-17",
                )
            ],
        ),
        camt_entry(
            amount="484.00",
            servicer_ref="ABN-20250303-0002",
            value="2025-03-01",
            details=[
                camt_detail(
                    name="Hoveniersbedrijf Groen",
                    iban=ING_PAYER,
                    strd=(("CUR", NL_018),),
                )
            ],
        ),
        camt_entry(
            amount="99.95",
            indicator="DBIT",
            servicer_ref="ABN-20250303-0003",
            details=[
                camt_detail(
                    ustrd=("Huur maart",),
                    creditor=("Vastgoed BV", TRIO_PAYER),
                )
            ],
        ),
        camt_entry(
            amount="250.00",
            entry_ref="NTRY-0004",
            details=[
                camt_detail(
                    name="Jansen Installatietechniek",
                    iban=TRIO_PAYER,
                    strd=(("ISO", RF_020),),
                    tx_id="TX-77123",
                )
            ],
        ),
        camt_entry(
            amount="75.50",
            servicer_ref="ABN-20250303-0005",
            details=[
                camt_detail(
                    name="Brasserie 't Pleintje",
                    iban=BE_PAYER_1,
                    ustrd=(f"Betaling {printed_ogm(OGM_021)} dank u",),
                )
            ],
        ),
        camt_entry(
            amount="10.00",
            status="<Sts>PDNG</Sts>",
            servicer_ref="ABN-20250303-0006",
            details=[camt_detail(name="Pending", ustrd=("nog niet geboekt",))],
        ),
    ]
    return camt_document("02", [camt_statement("STMT-2025-03-03-NL", OUR_NL, "EUR", entries)])


def camt_multi_account() -> str:
    """Two accounts in one file (v001.08: ``Sts/Cd`` and ``Dbtr/Pty/Nm``)."""
    nl = [
        camt_entry(
            amount="150.00",
            status="<Sts><Cd>BOOK</Cd></Sts>",
            servicer_ref="ABN-MULTI-0001",
            booking_date_time=True,
            details=[
                camt_detail(
                    name="Drukkerij Van Dam",
                    iban=ING_PAYER,
                    ustrd=("fact. nr. 2025-030",),
                    party_v8=True,
                    amount="150.00",
                )
            ],
        ),
        camt_entry(
            amount="42.10",
            status="<Sts><Cd>BOOK</Cd></Sts>",
            servicer_ref="ABN-MULTI-0002",
            details=[
                camt_detail(
                    name="Kapsalon Knip", iban=RABO_PAYER, ustrd=("zie bijlage",), party_v8=True
                )
            ],
        ),
    ]
    be = [
        camt_entry(
            amount="2000.00",
            status="<Sts><Cd>BOOK</Cd></Sts>",
            booked="2025-03-04",
            servicer_ref="KBC-MULTI-0001",
            details=[
                camt_detail(
                    name="Brouwerij Het Anker NV",
                    iban=BE_PAYER_2,
                    strd=(("BBA", OGM_017),),
                    party_v8=True,
                )
            ],
        ),
        camt_entry(
            amount="300.00",
            indicator="DBIT",
            status="<Sts><Cd>BOOK</Cd></Sts>",
            booked="2025-03-04",
            servicer_ref="KBC-MULTI-0002",
            details=[camt_detail(ustrd=("Leasing",), creditor=("Lease NV", BE_PAYER_3))],
        ),
    ]
    return camt_document(
        "08",
        [
            camt_statement("STMT-NL-0303", OUR_NL, "EUR", nl),
            camt_statement("STMT-BE-0304", OUR_BE, "EUR", be),
        ],
    )


def camt_reversal() -> str:
    """A credit, the reversal of that credit, and a reversal of a debit (v001.04)."""
    entries = [
        camt_entry(
            amount="300.00",
            servicer_ref="ING-REV-0001",
            details=[
                camt_detail(
                    name="Verhuisbedrijf Snel",
                    iban=ING_PAYER,
                    ustrd=("Factuur 2025-031",),
                    end_to_end="SNEL-31",
                )
            ],
        ),
        camt_entry(
            amount="300.00",
            indicator="DBIT",
            reversal=True,
            booked="2025-03-05",
            servicer_ref="ING-REV-0002",
            details=[
                camt_detail(
                    name="Verhuisbedrijf Snel",
                    iban=ING_PAYER,
                    ustrd=("Storno Factuur 2025-031",),
                    end_to_end="SNEL-31",
                )
            ],
        ),
        camt_entry(
            amount="45.00",
            reversal=True,
            booked="2025-03-05",
            servicer_ref="ING-REV-0003",
            details=[
                camt_detail(ustrd=("Terugboeking incasso",), creditor=("Telecom BV", TRIO_PAYER))
            ],
        ),
    ]
    return camt_document("04", [camt_statement("STMT-REV", OUR_NL_ING, "EUR", entries)])


def camt_foreign() -> str:
    """Names and texts with é, ß, ç, ø (v001.06, UTF-8)."""
    entries = [
        camt_entry(
            amount="1234.56",
            servicer_ref="BNP-F-0001",
            details=[
                camt_detail(
                    name="Société Générale de Façades SA",
                    iban=FR_PAYER,
                    ustrd=("Facture 2025-021 façade crème brûlée",),
                )
            ],
        ),
        camt_entry(
            amount="99.00",
            servicer_ref="BNP-F-0002",
            details=[
                camt_detail(
                    name="Müller &amp; Söhne GmbH, Hauptstraße",
                    iban=DE_PAYER,
                    ustrd=("Rechnung 2025-022 Grüße aus Köln",),
                )
            ],
        ),
        camt_entry(
            amount="0.01",
            servicer_ref="BNP-F-0003",
            details=[camt_detail(name="Bjørn Ødegård", iban=NO_PAYER, ustrd=("Test øre – “ok”",))],
        ),
    ]
    return camt_document("06", [camt_statement("STMT-FOREIGN", OUR_BE, "EUR", entries)])


def camt_batch() -> str:
    """Batch bookings (v001.05): split, single detail without amount, and unsplittable."""
    entries = [
        camt_entry(
            amount="1500.00",
            servicer_ref="RABO-BATCH-0001",
            batch=3,
            details=[
                camt_detail(
                    name="Gemeente Utrecht",
                    iban=RABO_PAYER,
                    strd=(("CUR", NL_022),),
                    amount="500.00",
                    servicer_ref="RABO-BATCH-0001-A",
                ),
                camt_detail(
                    name="Provincie Utrecht",
                    iban=ING_PAYER,
                    ustrd=("Factuur 2025-018",),
                    amount="600.00",
                    servicer_ref="RABO-BATCH-0001-B",
                ),
                camt_detail(
                    name="Waterschap De Dommel",
                    iban=TRIO_PAYER,
                    strd=(("ISO", RF_023),),
                    amount="400.00",
                ),
            ],
        ),
        camt_entry(
            amount="80.00",
            servicer_ref="RABO-BATCH-0002",
            details=[
                camt_detail(name="Stichting Boek", iban=ING_PAYER, ustrd=("factuur 2025-020",))
            ],
        ),
        camt_entry(
            amount="900.00",
            servicer_ref="RABO-BATCH-0003",
            batch=2,
            details=[
                camt_detail(name="Collectief A", iban=RABO_PAYER, ustrd=("deel 1",)),
                camt_detail(
                    name="Collectief B", iban=ING_PAYER, ustrd=("deel 2",), referred="2025-032"
                ),
            ],
        ),
    ]
    return camt_document("05", [camt_statement("STMT-BATCH", OUR_NL_RABO, "EUR", entries)])


def _abn_entry(amount: str, indicator: str, reference: str, info: str, details: str = "") -> str:
    """Return an ``<Ntry>`` as ABN AMRO writes it: the amount padded with zeros to 15
    digits, a proprietary transaction code, and the booking's details in
    ``AddtlNtryInf`` in the layout of its MT940 ``:86:`` (``/TRTP/…/IBAN/…/NAME/…/REMI/…``)."""
    parts = [
        "      <Ntry>",
        f'        <Amt Ccy="EUR">{Decimal(amount):018.2f}</Amt>',
        f"        <CdtDbtInd>{indicator}</CdtDbtInd>",
        "        <Sts>BOOK</Sts>",
        "        <BookgDt><Dt>2025-03-03</Dt></BookgDt>",
        "        <ValDt><Dt>2025-03-03</Dt></ValDt>",
        f"        <AcctSvcrRef>{reference}</AcctSvcrRef>",
        "        <BkTxCd><Prtry><Cd>N654</Cd><Issr>ABNAMRO</Issr></Prtry></BkTxCd>",
    ]
    if details:
        parts.append(f"        <NtryDtls><TxDtls>{details}</TxDtls></NtryDtls>")
    parts += [f"        <AddtlNtryInf>{info}</AddtlNtryInf>", "      </Ntry>"]
    return "\n".join(parts)


def camt_abnamro() -> str:
    """ABN AMRO's camt.053: the payer's account, name and description only in
    ``AddtlNtryInf`` (no ``TxDtls``, or one with only the payer's name)."""
    entries = [
        _abn_entry(
            "1210.00",
            "CRDT",
            "0303A1",
            f"/TRTP/SEPA OVERBOEKING/IBAN/{RABO_PAYER}/BIC/RABONL2U/NAME/Bakkerij De "
            "Korenschoof B.V./REMI/Factuur 2025-017 klantnr K012/EREF/NOTPROVIDED",
        ),
        _abn_entry(
            "484.00",
            "CRDT",
            "0303A2",
            f"/TRTP/SEPA OVERBOEKING/IBAN/{ING_PAYER}/BIC/INGBNL2A/NAME/Hoveniersbedrijf "
            f"Groen/REMI//CDTRREFTP//CD/SCOR/ISSR/CUR/CDTRREF/{NL_018}/EREF/HG-2025-3",
            details="<RltdPties><Dbtr><Nm>Hoveniersbedrijf Groen</Nm></Dbtr></RltdPties>",
        ),
        _abn_entry(
            "4.87",
            "DBIT",
            "0303A3",
            "BEA, Betaalpas                  Bakker,PAS363                   "
            "NR:BS159644, 03.03.25/12:56     AMSTERDAM",
        ),
        _abn_entry(
            "335.50",
            "CRDT",
            "0303A4",
            f"/TRTP/iDEAL/IBAN/{TRIO_PAYER}/BIC/TRIONL2U/NAME/Drukkerij Vos/REMI/"
            "0050001234567890 Factuur 2025-019/EREF/03-03-2025 10:12 0050001234567890",
        ),
    ]
    return camt_document("02", [camt_statement("ABN-0303", OUR_NL, "EUR", entries)])


def camt_date_times() -> str:
    """Booking and value dates as date-times (``DtTm``) in UTC, with an offset and in local
    time as written (v001.08), around the year end and in summer time: each dated by the day
    on the Dutch and Belgian clock."""
    times = [
        ("2026-12-31T23:30:00Z", "2027-01-01T00:30:00+01:00", "REV-1", "Factuur 2026-0301"),
        ("2026-12-31T22:59:59.123Z", "2026-12-31T22:59:59Z", "", "Factuur 2026-0302"),
        ("2026-06-30T22:15:00+00:00", "2026-07-01T00:15:00+02:00", "", "Factuur 2026-0303"),
        ("2026-12-31T23:45:00", "2027-01-01T08:00:00+01:00", "REV-4", "Factuur 2026-0304"),
    ]
    entries = [
        camt_entry(
            amount="100.00",
            times=(booked, value),
            servicer_ref=reference,
            details=[
                camt_detail(name="Jansen Installatietechniek", iban=TRIO_PAYER, ustrd=(text,))
            ],
        )
        for booked, value, reference, text in times
    ]
    statement = camt_statement("STMT-2027-001", OUR_NL, "EUR", entries)
    return camt_document("08", [statement])


def camt_broken_amount() -> str:
    """The second entry has an amount with a decimal comma."""
    entries = [
        camt_entry(amount="10.00", servicer_ref="X-1", details=[camt_detail(ustrd=("ok",))]),
        camt_entry(amount="12,50", servicer_ref="X-2", details=[camt_detail(ustrd=("kapot",))]),
    ]
    return camt_document("02", [camt_statement("STMT-BROKEN", OUR_NL, "EUR", entries)])


def camt_truncated() -> str:
    """A valid file cut off in the middle of its third entry."""
    text = camt_normal()
    cut = text.index("<Amt", text.index("NTRY-0004"))
    return text[:cut]


def camt_notification() -> str:
    """A camt.054 notification: not a statement."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02">\n'
        "  <BkToCstmrDbtCdtNtfctn><GrpHdr><MsgId>N1</MsgId></GrpHdr></BkToCstmrDbtCdtNtfctn>\n"
        "</Document>\n"
    )


def camt_xxe() -> str:
    """An attempt to read a local file through an external entity."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE Document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        f'<Document xmlns="{_ns("02")}"><BkToCstmrStmt><Stmt><Acct><Id><IBAN>&xxe;</IBAN>'
        "</Id></Acct></Stmt></BkToCstmrStmt></Document>\n"
    )


# --- CODA ------------------------------------------------------------------------------------


def coda_record(*fields: tuple[int, str]) -> str:
    """Return a 128-character record with each text written from its 1-based position."""
    chars = [" "] * 128
    for position, text in fields:
        if position - 1 + len(text) > 128:
            raise ValueError(f"field at {position} too long: {text!r}")
        chars[position - 1 : position - 1 + len(text)] = text
    return "".join(chars)


def coda_amount(amount: str) -> str:
    """Return 15 digits, three decimals."""
    return f"{int(Decimal(amount) * 1000):015d}"


def _ddmmyy(iso: str) -> str:
    return f"{iso[8:10]}{iso[5:7]}{iso[2:4]}"


class CodaStatement:
    """Builds one statement (records 0 to 9) and checks its totals."""

    def __init__(self, account: str, *, structure: str = "2", day: str = "2025-03-03") -> None:
        self.account = account
        self.structure = structure
        self.day = day
        self.records: list[str] = []
        self.counted = 0
        self.debit = Decimal(0)
        self.credit = Decimal(0)
        self.balance = Decimal("1000.00")

    def _account_field(self) -> str:
        if self.structure == "2":
            return self.account.ljust(31) + "   " + "EUR"
        return self.account.ljust(34) + "EUR"

    def header(self) -> None:
        self.records.append(
            coda_record(
                (1, "00000"),
                (6, _ddmmyy(self.day)),
                (12, "725"),
                (15, "05"),
                (25, "0000000001"),
                (35, "VOORBEELD BV"),
                (61, "KREDBEBB"),
                (72, "00403170701"),
                (84, "00000"),
                (128, "2"),
            )
        )
        self.records.append(
            coda_record(
                (1, "1"),
                (2, self.structure),
                (3, "062"),
                (6, self._account_field()),
                (43, "0"),
                (44, coda_amount(str(self.balance))),
                (59, _ddmmyy("2025-03-02")),
                (65, "VOORBEELD BV"),
                (91, "Zichtrekening"),
                (126, "062"),
            )
        )
        self.counted += 1

    def movement(
        self,
        *,
        sequence: int,
        amount: str,
        credit: bool = True,
        detail: int = 0,
        code: str = "00150000",
        ogm: str = "",
        free: str = "",
        structured: str = "",
        iban: str = "",
        name: str = "",
        bic: str = "",
        r_type: str = "",
        customer_ref: str = "",
        bank_ref: str = "",
        value_date: str | None = None,
        glob: str = "0",
        info: str = "",
    ) -> None:
        """Add records 21, 22 and 23 (22 and 23 when needed) and an optional 31;
        ``structured`` is a structured communication of any type (its code first)."""
        seq, det = f"{sequence:04d}", f"{detail:04d}"
        if structured:
            structure, communication = "1", structured
        elif ogm:
            structure, communication = "1", "101" + ogm
        else:
            structure, communication = "0", free
        part1, part2, part3 = communication[:53], communication[53:106], communication[106:149]
        needs_23 = bool(iban or name or part3)
        needs_22 = needs_23 or bool(part2 or bic or r_type or customer_ref)
        value = _ddmmyy(value_date) if value_date else _ddmmyy(self.day)
        self.records.append(
            coda_record(
                (1, "21"),
                (3, seq),
                (7, det),
                (11, (bank_ref or f"EBA{self.day.replace('-', '')}{seq}{det}").ljust(21)),
                (32, "0" if credit else "1"),
                (33, coda_amount(amount)),
                (48, value),
                (54, code),
                (62, structure),
                (63, part1),
                (116, _ddmmyy(self.day)),
                (122, "062"),
                (125, glob),
                (126, "1" if needs_22 else "0"),
                (128, "1" if info else "0"),
            )
        )
        self.counted += 1
        if detail == 0:
            if credit:
                self.credit += Decimal(amount)
                self.balance += Decimal(amount)
            else:
                self.debit += Decimal(amount)
                self.balance -= Decimal(amount)
        if needs_22:
            self.records.append(
                coda_record(
                    (1, "22"),
                    (3, seq),
                    (7, det),
                    (11, part2),
                    (64, customer_ref),
                    (99, bic),
                    (113, r_type),
                    (126, "1" if needs_23 else "0"),
                    (128, "1" if info and not needs_23 else "0"),
                )
            )
            self.counted += 1
        if needs_23:
            self.records.append(
                coda_record(
                    (1, "23"),
                    (3, seq),
                    (7, det),
                    (11, (iban.ljust(34) + "EUR") if iban else ""),
                    (48, name),
                    (83, part3),
                    (126, "0"),
                    (128, "1" if info else "0"),
                )
            )
            self.counted += 1
        if info:
            self.records.append(
                coda_record(
                    (1, "31"),
                    (3, seq),
                    (7, det),
                    (11, "INFO".ljust(21)),
                    (32, code),
                    (40, "1"),
                    (41, "001" + info),
                    (126, "0"),
                )
            )
            self.counted += 1

    def free_communication(self, text: str) -> None:
        self.records.append(coda_record((1, "4"), (3, "0001"), (7, "0000"), (33, text)))

    def footer(self, *, last: bool = True) -> None:
        self.records.append(
            coda_record(
                (1, "8"),
                (2, "062"),
                (5, self._account_field()),
                (42, "0"),
                (43, coda_amount(str(self.balance))),
                (58, _ddmmyy(self.day)),
            )
        )
        self.counted += 1
        self.records.append(
            coda_record(
                (1, "9"),
                (17, f"{self.counted:06d}"),
                (23, coda_amount(str(self.debit))),
                (38, coda_amount(str(self.credit))),
                (128, "2" if last else "1"),
            )
        )


def coda_file(*statements: CodaStatement) -> bytes:
    lines = [record for statement in statements for record in statement.records]
    return ("\r\n".join(lines) + "\r\n").encode("latin-1")


def coda_normal() -> CodaStatement:
    """Credits with an OGM, free text over 21 and 22, an RF in the text; a debit; a bare credit."""
    s = CodaStatement(OUR_BE)
    s.header()
    s.movement(
        sequence=1,
        amount="1210.00",
        ogm=OGM_017,
        iban=BE_PAYER_1,
        name="Brouwerij Het Anker NV",
        bic="GKCCBEBB",
        customer_ref="ANKER-2025-017",
        info="Brouwerij Het Anker NV",
    )
    s.movement(
        sequence=2,
        amount="250.00",
        free="Factuur 2025-020 voor de levering van februari, met dank en tot ziens",
        iban=BE_PAYER_2,
        name="Bakkerij Vermeulen",
        bic="BBRUBEBB",
    )
    s.movement(
        sequence=3,
        amount="99.95",
        credit=False,
        code="00101000",
        free="Huur maart",
        iban=BE_PAYER_3,
        name="Vastgoed NV",
    )
    s.movement(
        sequence=4,
        amount="80.00",
        free=f"Betaling {RF_023} bedankt",
        iban=BE_PAYER_4,
        name="Garage Peeters BV",
    )
    s.movement(sequence=5, amount="1.25", code="03550000", free="Intresten")
    s.free_communication("Dit is een vrije mededeling van de bank.")
    s.footer()
    return s


def coda_multi_account() -> tuple[CodaStatement, CodaStatement]:
    """A Belgian IBAN (structure 2) and a foreign IBAN (structure 3) in one file."""
    first = CodaStatement(OUR_BE)
    first.header()
    first.movement(
        sequence=1, amount="500.00", ogm=OGM_030, iban=BE_PAYER_2, name="Schrijnwerkerij Claes"
    )
    first.movement(sequence=2, amount="20.00", credit=False, code="00373000", free="Kosten")
    first.footer(last=False)
    second = CodaStatement(OUR_NL, structure="3", day="2025-03-04")
    second.header()
    second.movement(
        sequence=1,
        amount="725.40",
        free="Factuur 2025-031",
        iban=RABO_PAYER,
        name="Rotterdamse Handel BV",
    )
    second.movement(sequence=2, amount="13.00", credit=False, free="Bankkosten")
    second.movement(
        sequence=3,
        amount="330.00",
        free=f"Betalingskenmerk {NL_022[:4]} {NL_022[4:8]} {NL_022[8:12]} {NL_022[12:]}",
        iban=ING_PAYER,
        name="Tuincentrum De Linde",
    )
    second.footer()
    return first, second


def coda_reversal() -> CodaStatement:
    """A credit; a reversal of it (R-type 4); a cancellation (code 49); a plain debit."""
    s = CodaStatement(OUR_BE)
    s.header()
    s.movement(sequence=1, amount="300.00", ogm=OGM_031, iban=BE_PAYER_1, name="Transport Maes")
    s.movement(
        sequence=2,
        amount="300.00",
        credit=False,
        code="00501000",
        ogm=OGM_031,
        iban=BE_PAYER_1,
        name="Transport Maes",
        r_type="4",
        customer_ref="MAES-31",
    )
    s.movement(
        sequence=3,
        amount="120.00",
        credit=False,
        code="00149000",
        free="Annulering overschrijving Factuur 2025-032",
        iban=BE_PAYER_3,
        name="Drukkerij Peeters",
    )
    s.movement(sequence=4, amount="60.00", credit=False, code="00101000", free="Telefoon")
    s.footer()
    return s


def coda_foreign() -> CodaStatement:
    """Names and texts with é, ß, ç, ø, written in ISO 8859-1."""
    s = CodaStatement(OUR_BE_2)
    s.header()
    s.movement(
        sequence=1,
        amount="1234.56",
        free="Facture 2025-021 façade crème",
        iban=FR_PAYER,
        name="Société Générale Façades",
    )
    s.movement(
        sequence=2,
        amount="99.00",
        free="Rechnung 2025-022 Grüße",
        iban=DE_PAYER,
        name="Müller Straßenbau GmbH",
    )
    s.movement(sequence=3, amount="0.01", free="Test øre", iban=NO_PAYER, name="Bjørn Ødegård")
    s.footer()
    return s


def coda_original_amount() -> CodaStatement:
    """Payments from abroad whose structured communication is type 105, the original amount
    of the transaction (Febelfin CODA 2.6, annex III): the gross amount in the account's
    currency, the amount in the original currency, the rate, the currency, a structured format
    communication (an OGM of ours, or none) and the principal's country; the movement's own
    amount (what reached the account, after charges) is less than the gross amount."""
    s = CodaStatement(OUR_BE_2, day="2026-11-16")
    s.header()
    s.movement(
        sequence=1,
        amount="1139.56",
        code="04150000",
        structured="105"
        + coda_amount("1152.06")
        + coda_amount("1250.00")
        + "000092165000"
        + "USD"
        + ogm_reference("2026-0140")
        + "US"
        + coda_amount("1152.06"),
        iban="",
        name="Acme Imports Inc",
    )
    s.movement(
        sequence=2,
        amount="480.00",
        code="04150000",
        structured="105"
        + coda_amount("485.00")
        + coda_amount("4150.00")
        + "000011686747"
        + "NOK"
        + " " * 12
        + "NO"
        + coda_amount("485.00"),
        iban=NO_PAYER,
        name="Bjørn Ødegård",
    )
    s.footer()
    return s


def coda_batch() -> CodaStatement:
    """A bank total (type 2) with three details (type 6); a type 1 total without details; a
    type 3 amount with an information detail (type 8)."""
    s = CodaStatement(OUR_BE)
    s.header()
    s.movement(
        sequence=1,
        amount="1500.00",
        code="20150000",
        free="Globalisatie gestructureerde mededelingen",
        glob="1",
    )
    for detail, (amount, ogm, iban, name) in enumerate(
        [
            ("500.00", OGM_030, BE_PAYER_1, "Klant Een BV"),
            ("600.00", OGM_031, BE_PAYER_2, "Klant Twee BV"),
            ("400.00", OGM_032, BE_PAYER_3, "Klant Drie BV"),
        ],
        start=1,
    ):
        s.movement(
            sequence=1,
            detail=detail,
            amount=amount,
            code="60150000",
            ogm=ogm,
            iban=iban,
            name=name,
        )
    s.movement(sequence=2, amount="700.00", code="10150000", free="Verzameling 2025-020", glob="1")
    s.movement(
        sequence=3,
        amount="100.00",
        code="30150000",
        free="Factuur 2025-017 buitenland",
        iban=DE_PAYER,
        name="Export GmbH",
    )
    s.movement(sequence=3, detail=1, amount="2.50", code="80137000", free="Kosten buitenland")
    s.footer()
    return s


def coda_broken_amount() -> bytes:
    s = coda_normal()
    lines = list(s.records)
    lines[2] = lines[2][:32] + "00000000012X500" + lines[2][47:]
    return ("\n".join(lines) + "\n").encode("latin-1")


def coda_truncated() -> bytes:
    s = coda_normal()
    return ("\n".join(s.records[:-3]) + "\n").encode("latin-1")


def coda_bad_trailer() -> bytes:
    s = coda_normal()
    lines = list(s.records)
    lines[-1] = lines[-1][:16] + "000099" + lines[-1][22:]
    return ("\n".join(lines) + "\n").encode("latin-1")


def coda_version1() -> bytes:
    s = coda_normal()
    lines = list(s.records)
    lines[0] = lines[0][:127] + "1"
    return ("\n".join(lines) + "\n").encode("latin-1")


# --- MT940 -----------------------------------------------------------------------------------


def wrap86(text: str, width: int = 65) -> str:
    """Return a ``:86:`` field: the first line carries the tag, lines of at most 65 characters."""
    first = text[: width - 4]
    rest = text[width - 4 :]
    lines = [":86:" + first]
    lines += [rest[i : i + width] for i in range(0, len(rest), width)]
    return "\n".join(lines)


def mt_amount(amount: Decimal) -> str:
    return f"{amount:.2f}".replace(".", ",")


class Mt940Message:
    """Builds one MT940 message and its closing balance."""

    def __init__(self, reference: str, account_field: str, *, opening: str = "1000.00") -> None:
        self.lines = [f":20:{reference}", f":25:{account_field}", ":28C:00063/1"]
        self.opening = Decimal(opening)
        self.balance = Decimal(opening)
        self.lines.append(f":60F:C250302EUR{mt_amount(self.opening)}")

    def entry(self, line61: str, amount: str, mark: str, details: str | None) -> None:
        amount_d = Decimal(amount)
        if mark in ("C", "RD"):
            self.balance += amount_d
        elif mark in ("D", "RC"):
            self.balance -= amount_d
        self.lines.append(line61.replace("{amount}", mt_amount(amount_d)))
        if details is not None:
            self.lines.append(wrap86(details) if details.startswith("/") else details)

    def close(self, *, closing: Decimal | None = None) -> str:
        value = self.balance if closing is None else closing
        mark = "C" if value >= 0 else "D"
        self.lines.append(f":62F:{mark}250303EUR{mt_amount(abs(value))}")
        self.lines.append(f":64:{mark}250303EUR{mt_amount(abs(value))}")
        return "\n".join(self.lines)


def mt940_ing() -> str:
    """ING structured ``:86:`` (CNTP and ORDP layouts), with the ING file header."""
    m = Mt940Message("P250303000000001", f"{OUR_NL_ING}EUR")
    m.entry(
        ":61:2503030303C{amount}NTRFEREF//00000000000001\n/TRCD/00100/",
        "1210.00",
        "C",
        "/EREF/E2E-20250303-1//CNTP/"
        f"{RABO_PAYER}/RABONL2U/Bakkerij De Korenschoof BV/Amsterdam///"
        "REMI/USTD//Factuur 2025-017/",
    )
    m.entry(
        ":61:2503030303C{amount}NTRFNONREF//00000000000002\n/TRCD/00100/",
        "484.00",
        "C",
        f"/EREF/NOTPROVIDED//CNTP/{DE_PAYER}/COBADEFFXXX/Export Partner GmbH/Berlin///"
        f"REMI/STRD/CUR/{NL_018}/",
    )
    m.entry(
        ":61:2503030303D{amount}NTRFNONREF//00000000000003\n/TRCD/00108/",
        "99.95",
        "D",
        f"/EREF/HUUR-03//BENM//NAME/Vastgoed BV/IBAN/{TRIO_PAYER}/REMI/USTD//Huur maart/",
    )
    m.entry(
        ":61:2503030303C{amount}NTRFNONREF//00000000000004\n/TRCD/00100/",
        "250.00",
        "C",
        f"/EREF/JANSEN-20/ORDP//NAME/Jansen Installatietechniek/IBAN/{TRIO_PAYER}"
        f"/REMI/Betaling {RF_020} met dank/",
    )
    header = "0000 01INGBNL2AXXXX00001\n0000 01INGBNL2AXXXX00001\n940 00"
    return header + "\n" + m.close() + "\n-\n"


def mt940_rabobank() -> str:
    """Rabobank: ``:940:`` header, the payer's IBAN in the ``:61:`` supplementary line."""
    m = Mt940Message("940S250303", f"{OUR_NL_RABO} EUR")
    m.entry(
        f":61:250303C{{amount}}N541EREF\n{ING_PAYER}",
        "605.00",
        "C",
        "/EREF/NOTPROVIDED/ORDP//NAME/Schildersbedrijf Verf & Zo/ADDR/Kerkstraat 1 3511 AB "
        "Utrecht NL/REMI/USTD//Factuur 2025/00018 bedankt/ISDT/2025-03-03",
    )
    m.entry(
        f":61:250303D{{amount}}N102EREF\n{TRIO_PAYER}",
        "35.00",
        "D",
        "/EREF/KANTOOR-3/BENM//NAME/Kantoorartikelen BV/REMI/USTD//Bestelling 8812/ISDT/2025-03-03",
    )
    m.entry(
        f":61:250303C{{amount}}N541EREF\n{RABO_PAYER}",
        "330.00",
        "C",
        f"/EREF/E2E-RABO-22/ORDP//NAME/Tuincentrum De Linde/REMI/STRD/CUR/{NL_022}/ISDT/2025-03-03",
    )
    return ":940:\n" + m.close() + "\n"


def mt940_abnamro() -> str:
    """ABN AMRO: SEPA ``/TRTP/`` layout, the older labelled and GIRO layouts; two accounts."""
    first = Mt940Message("ABN AMRO BANK NV", "417164300")
    first.entry(
        ":61:2503030303C{amount}N658NONREF",
        "1210.00",
        "C",
        f"/TRTP/SEPA OVERBOEKING/IBAN/{RABO_PAYER}/BIC/RABONL2U/NAME/J. DE VRIES/REMI/"
        "Factuur 2025-017/EREF/NOTPROVIDED",
    )
    first.entry(
        ":61:2503030303C{amount}N658NONREF",
        "484.00",
        "C",
        ":86:SEPA OVERBOEKING                 IBAN: "
        f"{ING_PAYER}\n"
        "BIC: INGBNL2A                    NAAM: GROEN HOVENIERS\n"
        "OMSCHRIJVING: FACTUUR 2025-018 MAART KENMERK: 20250303-77",
    )
    first.entry(
        ":61:2503030303C{amount}N196NONREF",
        "42.50",
        "C",
        ":86:GIRO  1234567 P. JANSEN\nBETALING BESTELLING 4471",
    )
    first.entry(
        ":61:2503030303D{amount}N426NONREF",
        "12.00",
        "D",
        ":86:BEA   NR:12345678 03.03.25/10.11 KOFFIEBAR",
    )
    second = Mt940Message("ABN AMRO BANK NV", "NL02ABNA0123456789", opening="50.00")
    second.entry(
        ":61:2503040304C{amount}N658NONREF",
        "99.99",
        "C",
        f"/TRTP/SEPA OVERBOEKING/IBAN/{DE_PAYER}/BIC/COBADEFFXXX/NAME/EXPORT PARTNER GMBH"
        f"/REMI/{printed_ogm(OGM_021)}/EREF/EXP-21",
    )
    preamble = "ABNANL2A\n940\nABNANL2A\n"
    return preamble + first.close() + "\n-\n" + preamble + second.close() + "\n-\n"


def mt940_reversal() -> str:
    """A credit, its reversal (RC) and a reversal of a debit (RD)."""
    m = Mt940Message("P250305000000001", f"{OUR_NL_ING}EUR")
    m.entry(
        ":61:2503050305C{amount}NTRFSNEL-31//00000000000011",
        "300.00",
        "C",
        f"/EREF/SNEL-31//CNTP/{ING_PAYER}/INGBNL2A/Verhuisbedrijf Snel/Delft///REMI/USTD//"
        "Factuur 2025-031/",
    )
    m.entry(
        ":61:2503050305RC{amount}NRTISNEL-31//00000000000012",
        "300.00",
        "RC",
        f"/RTRN/AC04/EREF/SNEL-31//CNTP/{ING_PAYER}/INGBNL2A/Verhuisbedrijf Snel/Delft///"
        "REMI/USTD//Factuur 2025-031/",
    )
    m.entry(
        ":61:2503050305RD{amount}NRTINONREF//00000000000013",
        "45.00",
        "RD",
        f"/RTRN/MD06/EREF/TEL-9//CNTP/{TRIO_PAYER}/TRIONL2U/Telecom BV/Zeist///REMI/USTD//"
        "Terugboeking incasso/",
    )
    return m.close() + "\n-\n"


def mt940_foreign() -> str:
    """é, ß, ç, ø in names and texts (UTF-8)."""
    m = Mt940Message("P250306000000001", f"{OUR_NL_ING}EUR")
    m.entry(
        ":61:2503060306C{amount}NTRFNONREF//00000000000021",
        "1234.56",
        "C",
        f"/EREF/FR-21//CNTP/{FR_PAYER}/SOGEFRPP/Société Générale Façades/Paris///REMI/USTD//"
        "Facture 2025-021 crème brûlée/",
    )
    m.entry(
        ":61:2503060306C{amount}NTRFNONREF//00000000000022",
        "99.00",
        "C",
        f"/EREF/DE-22//CNTP/{DE_PAYER}/COBADEFFXXX/Müller Straßenbau GmbH/Köln///REMI/USTD//"
        "Rechnung 2025-022 Grüße/",
    )
    m.entry(
        ":61:2503060306C{amount}NTRFNONREF//00000000000023",
        "0.01",
        "C",
        f"/EREF/NO-1//CNTP/{NO_PAYER}/DNBANOKK/Bjørn Ødegård/Oslo///REMI/USTD//Test øre/",
    )
    return m.close() + "\n-\n"


def mt940_batch() -> str:
    """A batch booked as one ``:61:`` (MT940 has no details), in SWIFT blocks."""
    m = Mt940Message("P250307000000001", f"{OUR_NL_ING}EUR")
    m.entry(
        ":61:2503070307C{amount}NTRFNONREF//00000000000031",
        "1500.00",
        "C",
        "/PREF/BATCH-20250307/NRTX/3/REMI/USTD//Verzamelbetaling facturen 2025-030, "
        "2025-031 en 2025-032/",
    )
    m.entry(
        ":61:2503070307C{amount}NTRFNONREF//00000000000032",
        "15.00",
        "C",
        None,
    )
    return (
        "{1:F01INGBNL2AAXXX0000000000}{2:O9401200250307INGBNL2AAXXX00000000002503071200N}{4:\n"
        + m.close()
        + "\n-}{5:{CHK:ABCDEF123456}}\n"
    )


def mt940_bad_amount() -> str:
    m = Mt940Message("P1", f"{OUR_NL_ING}EUR")
    m.entry(":61:2503030303C{amount}NTRFNONREF", "10.00", "C", "/REMI/USTD//ok/")
    text = m.close()
    return text.replace(":61:2503030303C10,00NTRF", ":61:2503030303C1O,00NTRF") + "\n-\n"


def mt940_balance_mismatch() -> str:
    m = Mt940Message("P1", f"{OUR_NL_ING}EUR")
    m.entry(":61:2503030303C{amount}NTRFNONREF", "10.00", "C", "/REMI/USTD//ok/")
    m.entry(":61:2503030303C{amount}NTRFNONREF", "20.00", "C", "/REMI/USTD//ok/")
    return m.close(closing=Decimal("1010.00")) + "\n-\n"


def mt940_no_account() -> str:
    text = mt940_reversal()
    return text.replace(f":25:{OUR_NL_ING}EUR\n", "")


# --- All files -------------------------------------------------------------------------------


def _german_86(gvc: str, text: str, items: list[str], payer: tuple[str, str, str], key: str) -> str:
    """Return a German :86: (the DK's layout, DFÜ-Abkommen Anlage 3): the GVC, ``?00`` booking
    text, the SEPA items in purpose subfields ``?20``… of at most 27 characters (an item starts
    a new subfield, goes on in the next one, trailing spaces cut), ``?30`` BIC, ``?31`` IBAN,
    ``?32``/``?33`` name and ``?34``; cut into lines of 65."""
    subfields: list[str] = []
    for item in items:
        while item:
            subfields.append(item[:27].rstrip())
            item = item[27:].lstrip() if item[26:27] == " " or item[27:28] == " " else item[27:]
    bic, iban, name = payer
    body = f"{gvc}?00{text}?10931" + "".join(f"?{20 + i}{v}" for i, v in enumerate(subfields))
    body += f"?30{bic}?31{iban}?32{name[:27]}" + (f"?33{name[27:]}" if name[27:] else "") + key
    return ":86:" + "\n".join(body[i : i + 65] for i in range(0, len(body), 65))


def mt940_deutsche_bank() -> str:
    """A German bank (Deutsche Bank, Commerzbank): BLZ/account in :25:, the :86: in subfields;
    a payment service paying for a customer (ABWA+), an RF in SVWZ+, a direct debit we paid
    (GVC 105) and a returned direct debit we had collected (GVC 109, reason in ?34)."""
    entries = [
        (
            ":61:2611031103CR1210,NTRFNONREF//026110312345678",
            _german_86(
                "166",
                "SEPA-GUTSCHRIFT",
                [
                    "EREF+RE-2026-0012",
                    "SVWZ+Rechnung 2026-0012 Kundennummer K012 vielen Dank",
                    "ABWA+Bakkerij De Korenschoof",
                ],
                ("COBADEFFXXX", "DE89370400440532013000", "Muster Zahlungsdienste GmbH und Co KG"),
                "?34000",
            ),
        ),
        (
            ":61:2611031103CR484,NTRFNONREF//026110312345679",
            _german_86(
                "166",
                "SEPA-GUTSCHRIFT",
                ["EREF+NOTPROVIDED", "SVWZ+RF18539007547034"],
                ("DEUTDEFFXXX", "DE02100100100006820101", "Hoveniersbedrijf Groen"),
                "?34000",
            ),
        ),
        (
            ":61:2611031103DR950,NDDTNONREF//026110312345680",
            _german_86(
                "105",
                "SEPA-BASISLASTSCHRIFT",
                ["EREF+M-2026-11", "MREF+M-77", "CRED+DE98ZZZ09999999999", "SVWZ+Miete November"],
                ("BYLADEM1001", "DE02120300000000202051", "Vermieter GmbH"),
                "",
            ),
        ),
        (
            ":61:2611041104DR250,NRTINONREF//026110412345681",
            _german_86(
                "109",
                "SEPA-LASTSCHRIFT RUECKBELASTUNG",
                [
                    "EREF+INC-2026-0031",
                    "MREF+MANDAAT-K014",
                    "SVWZ+Factuur 2026-0031 incasso",
                    "RREF+R-0001",
                ],
                ("GENODEF1S10", "DE75512108001245126199", "Drukkerij Lindeboom"),
                "?34901",
            ),
        ),
    ]
    head = ":20:STARTUMSE\n:25:37040044/0532013001\n:28C:00047/001\n:60F:C261102EUR5000,00\n"
    body = "".join(f"{line}\n{details}\n" for line, details in entries)
    return head + body + ":62F:C261104EUR5494,00\n-\n"


def mt940_german_returns() -> str:
    """A German bank's statement with the business transaction codes (GVC) of bookings that
    undo earlier ones (DK, DFÜ-Abkommen Anlage 3): a customer's transfer (166), a transfer of
    ours returned by the payee's bank (159, reason in ?34), a direct debit taken from us and
    credited back (181), and the reversal of a direct debit we collected (193, a debit)."""
    entries = [
        (
            ":61:2612011201CR726,NTRFNONREF//026120112345690",
            _german_86(
                "166",
                "SEPA-GUTSCHRIFT",
                ["EREF+RE-2026-0044", "SVWZ+Rechnung 2026-0044"],
                ("COBADEFFXXX", "DE89370400440532013000", "Muster Zahlungsdienste GmbH"),
                "?34000",
            ),
        ),
        (
            ":61:2612011201CR300,NRTINONREF//026120112345691",
            _german_86(
                "159",
                "SEPA-UEBERWEISUNG RETOURE",
                ["EREF+UEB-2026-0077", "SVWZ+Rueckzahlung Gutschrift 2026-0015", "RREF+R-0077"],
                ("DEUTDEFFXXX", "DE02100100100006820101", "Hoveniersbedrijf Groen"),
                "?34902",
            ),
        ),
        (
            ":61:2612021202CR89,95NRTINONREF//026120212345692",
            _german_86(
                "181",
                "SEPA-LASTSCHRIFT WIEDERGUTSCHRIFT",
                ["EREF+M-2026-12", "MREF+M-77", "CRED+DE98ZZZ09999999999", "SVWZ+Miete Dezember"],
                ("BYLADEM1001", "DE02120300000000202051", "Vermieter GmbH"),
                "?34000",
            ),
        ),
        (
            ":61:2612021202DR250,NRTINONREF//026120212345693",
            _german_86(
                "193",
                "SEPA-LASTSCHRIFT REVERSAL",
                ["EREF+INC-2026-0031", "MREF+MANDAAT-K014", "SVWZ+Factuur 2026-0031 incasso"],
                ("GENODEF1S10", "DE75512108001245126199", "Drukkerij Lindeboom"),
                "?34000",
            ),
        ),
    ]
    head = ":20:STARTUMSE\n:25:37040044/0532013001\n:28C:00048/001\n:60F:C261130EUR5000,00\n"
    body = "".join(f"{line}\n{details}\n" for line, details in entries)
    return head + body + ":62F:C261202EUR5865,95\n-\n"


def mt940_year_end() -> str:
    """ING structured ``:86:``, a statement over the year end whose entry dates (MMDD after
    the value date, SWIFT MT940 field 61) lie in the other year than their value dates: late
    bookings and a value date set ahead."""
    entries = [
        ("2611300102", "1210,00", "00000000000011", "Factuur 2026-0210"),
        ("2612310102", "484,00", "00000000000012", "Factuur 2026-0211"),
        ("2701021231", "250,00", "00000000000013", "Factuur 2026-0212"),
        ("2701151128", "99,00", "00000000000014", "Factuur 2026-0213"),
    ]
    lines = [
        ":20:P270102000000001",
        f":25:{OUR_NL_ING}EUR",
        ":28C:00001/1",
        ":60F:C261128EUR1000,00",
    ]
    for dates, amount, bank, text in entries:
        lines.append(f":61:{dates}C{amount}NTRFNONREF//{bank}\n/TRCD/00100/")
        lines.append(
            wrap86(
                f"/EREF/NOTPROVIDED//CNTP/{RABO_PAYER}/RABONL2U/Bakkerij De Korenschoof BV"
                f"/Amsterdam///REMI/USTD//{text}/"
            )
        )
    lines += [":62F:C270115EUR3043,00", ":64:C270115EUR3043,00"]
    return "0000 01INGBNL2AXXXX00001\n940 00\n" + "\n".join(lines) + "\n-\n"


def mt940_bunq() -> str:
    """bunq (BUNQNL2A): the structured ``:86:`` (``/EREF/``, ``/ORDP//NAME/``, ``/IBAN/``,
    ``/REMI/USTD//``) wrapped between words, each line shorter than 65 characters and the
    space at the break left out; the currency after the account in ``:25:``."""
    lines = [
        ":20:MT940",
        ":25:NL47BUNQ2026000001EUR",
        ":28C:1",
        ":60F:C261014EUR1000,00",
        ":61:2610151015C302,50NTRFNONREF//BQ20261015A1",
        ":86:/EREF/NOTPROVIDED/ORDP//NAME/Bloemenhandel De",
        f"Tulp/IBAN/{RABO_PAYER}/REMI/USTD//Factuur 2026-0202",
        "voor de etiketten van de bloemstukken, met dank/",
        ":61:2610151015C605,00NTRFNONREF//BQ20261015A2",
        ":86:/EREF/E2E-0203/ORDP//NAME/Imprimerie Mosane SRL/IBAN/",
        f"{ING_PAYER}/REMI/USTD//Paiement facture",
        "2026-0203 affiches A2/",
        ":62F:C261015EUR1907,50",
    ]
    return "\n".join(lines) + "\n"


def build() -> dict[str, bytes]:
    """Return every fixture file by name."""
    files = {
        "camt053_normal.xml": camt_normal().encode("utf-8"),
        "camt053_multi_account.xml": camt_multi_account().encode("utf-8"),
        "camt053_reversal.xml": camt_reversal().encode("utf-8"),
        "camt053_foreign.xml": camt_foreign().encode("utf-8"),
        "camt053_batch.xml": camt_batch().encode("utf-8"),
        "camt053_broken_amount.xml": camt_broken_amount().encode("utf-8"),
        "camt053_truncated.xml": camt_truncated().encode("utf-8"),
        "camt054_notification.xml": camt_notification().encode("utf-8"),
        "camt053_xxe.xml": camt_xxe().encode("utf-8"),
        "camt053_abnamro.xml": camt_abnamro().encode("utf-8"),
        "camt053_date_times.xml": camt_date_times().encode("utf-8"),
        "coda_normal.cod": coda_file(coda_normal()),
        "coda_multi_account.cod": coda_file(*coda_multi_account()),
        "coda_reversal.cod": coda_file(coda_reversal()),
        "coda_foreign.cod": coda_file(coda_foreign()),
        "coda_batch.cod": coda_file(coda_batch()),
        "coda_original_amount.cod": coda_file(coda_original_amount()),
        "coda_broken_amount.cod": coda_broken_amount(),
        "coda_truncated.cod": coda_truncated(),
        "coda_bad_trailer.cod": coda_bad_trailer(),
        "coda_version1.cod": coda_version1(),
        "mt940_ing.sta": mt940_ing().encode("utf-8"),
        "mt940_rabobank.swi": mt940_rabobank().encode("latin-1"),
        "mt940_abnamro.sta": mt940_abnamro().encode("latin-1"),
        "mt940_reversal.sta": mt940_reversal().encode("utf-8"),
        "mt940_foreign.sta": mt940_foreign().encode("utf-8"),
        "mt940_batch.fin": mt940_batch().encode("utf-8"),
        "mt940_bad_amount.sta": mt940_bad_amount().encode("utf-8"),
        "mt940_balance_mismatch.sta": mt940_balance_mismatch().encode("utf-8"),
        "mt940_no_account.sta": mt940_no_account().encode("utf-8"),
        "mt940_deutsche_bank.sta": mt940_deutsche_bank().encode("utf-8"),
        "mt940_year_end.sta": mt940_year_end().encode("utf-8"),
        "mt940_german_returns.sta": mt940_german_returns().encode("utf-8"),
        "mt940_bunq.sta": mt940_bunq().encode("utf-8"),
        "unknown.txt": b"Datum;Bedrag;Omschrijving\n03-03-2025;12,50;koffie\n",
        "empty.xml": b"",
    }
    return files


def main() -> None:
    """Write the fixture files."""
    FIXTURES.mkdir(exist_ok=True)
    for name, data in build().items():
        (FIXTURES / name).write_bytes(data)


if __name__ == "__main__":
    main()
