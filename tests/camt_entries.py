"""Small CAMT.053 statements for the tests that import one (shared, as ``daybyday`` is).

A statement of the demo's own account (NL91ABNA0417164300) around credit entries of one shape:
a booked credit with the payer's name and a remittance text, each with its own bank reference.
"""

from __future__ import annotations

from collections.abc import Iterable

_STATEMENT = """<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
  <BkToCstmrStmt><GrpHdr><MsgId>M1</MsgId><CreDtTm>2026-10-14T18:00:00</CreDtTm></GrpHdr>
    <Stmt><Id>S1</Id><CreDtTm>2026-10-14T18:00:00</CreDtTm>
      <Acct><Id><IBAN>NL91ABNA0417164300</IBAN></Id><Ccy>EUR</Ccy></Acct>{entries}
    </Stmt></BkToCstmrStmt></Document>"""


def statement(entries: Iterable[str]) -> str:
    """Return a statement holding ``entries`` (made by :func:`credit`)."""
    return _STATEMENT.format(entries="".join(entries))


def credit(reference: str, booked: str, amount: str, text: str) -> str:
    """Return a booked credit of ``amount`` (``"847.00"``) on ``booked`` (``"2026-10-14"``),
    from a payer named after ``reference``, with remittance ``text``."""
    return (
        f'<Ntry><Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>'
        f"<BookgDt><Dt>{booked}</Dt></BookgDt><ValDt><Dt>{booked}</Dt></ValDt>"
        f"<AcctSvcrRef>{reference}</AcctSvcrRef><NtryDtls><TxDtls><RltdPties><Dbtr>"
        f"<Nm>Klant {reference}</Nm></Dbtr></RltdPties><RmtInf><Ustrd>{text}</Ustrd></RmtInf>"
        "</TxDtls></NtryDtls></Ntry>"
    )


#: A statement with one payment: Jansen en Zonen (NL02ABNA0123456789) pays invoice 2026-0107
#: (€ 847,00, booked 14-10-2026), under bank reference B1.
ONE_PAYMENT = """<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
  <BkToCstmrStmt><GrpHdr><MsgId>M1</MsgId><CreDtTm>2026-10-14T18:00:00</CreDtTm></GrpHdr>
    <Stmt><Id>S1</Id><CreDtTm>2026-10-14T18:00:00</CreDtTm>
      <Acct><Id><IBAN>NL91ABNA0417164300</IBAN></Id><Ccy>EUR</Ccy></Acct>
      <Ntry><Amt Ccy="EUR">847.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
        <BookgDt><Dt>2026-10-14</Dt></BookgDt><ValDt><Dt>2026-10-14</Dt></ValDt>
        <AcctSvcrRef>B1</AcctSvcrRef>
        <NtryDtls><TxDtls><RltdPties><Dbtr><Nm>Jansen en Zonen</Nm></Dbtr><DbtrAcct><Id>
          <IBAN>NL02ABNA0123456789</IBAN></Id></DbtrAcct></RltdPties>
          <RmtInf><Ustrd>Betaling factuur 2026-0107</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>
    </Stmt></BkToCstmrStmt></Document>"""
