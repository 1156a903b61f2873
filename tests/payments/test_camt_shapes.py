"""The statement readers' fast paths against the general ones: CAMT.053 entries read by their
shape, and compact payment references checked through their printed form.

:meth:`debiteuren.payments.camt053._Reader._read_by_shape` reads an entry from the texts of its
lxml serialisation, at positions worked out once per shape; :class:`camt053._Node` walks the
elements of every entry. Both must give the same file: every line, every summary, and every
refusal with its place. The entries below are generated from the elements the reader looks at,
in every combination: present, missing, empty, repeated, broken, with characters that XML
escapes, in a prefixed or a default namespace, with or without indentation, and with comments,
processing instructions, CDATA sections and character references between and inside elements.
"""

from __future__ import annotations

import re
import zoneinfo
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from debiteuren.core.references import (
    ReferenceError,
    nl_payment_reference,
    ogm_reference,
    rf_reference,
    validate_nl_payment_reference,
    validate_ogm,
    validate_rf,
)
from debiteuren.payments import StatementError, camt053, lines, localtime

OURS = "NL91ABNA0417164300"
FIXTURES = Path(__file__).parent / "fixtures"
NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"

#: Texts as banks write them, and texts that XML escapes or that look like something else.
TEXTS = st.sampled_from(
    [
        "",
        " ",
        "Factuur 2026-0113",
        "RF18 5390 0754 7034",
        "RF18539007547034",
        "+++090/9337/55493+++",
        "090933755493",
        "5000056789012345",
        "7000000020260119",
        "NONREF",
        "NOTPROVIDED",
        "000000",
        "A & B <c> 'd' \"e\"",
        "Müller\r\nGmbH",
        "  ruimte   rond  ",
        "]]>",
        "\u00e9\u20ac\U0001f600",
    ]
)
AMOUNTS = st.sampled_from(["10.00", "99.95", "12.5", "7", "1.234", "10.00", "0.00"])
BROKEN_AMOUNTS = st.sampled_from(["", "1,00", "-3", " 5.00x"])
DATES = st.sampled_from(["2026-11-06", "2026-11-07T10:00:00", "2026-11-05"])
BROKEN_DATES = st.sampled_from(["", "2026-13-01", "06-11-2026"])
IBANS = st.sampled_from(["", OURS, "NL44 RABO 0123 4567 89", "nl20ingb0001234567"])


def element(name: str, text: str | None, attributes: str = "") -> str:
    """An element with an escaped text (None: self-closing)."""
    if text is None:
        return f"<{name}{attributes}/>"
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    escaped = escaped.replace("\r", "&#13;")
    return f"<{name}{attributes}>{escaped}</{name}>"


def one_in(draw, n: int) -> bool:
    """Return True about one time in ``n`` (not at hypothesis's favourite 0)."""
    return draw(st.integers(0, n - 1)) == n // 2


def pick(draw, good, broken, may_break: bool):
    """Draw a broken value about one time in five where allowed, else a good one."""
    return draw(broken) if may_break and one_in(draw, 5) else draw(good)


def maybe(draw, strategy, probability: int = 2):
    """Draw from a strategy about one time in ``probability``, else None."""
    return draw(strategy) if draw(st.integers(0, probability - 1)) == 0 else None


@st.composite
def dates(draw, name: str, may_break: bool) -> str:
    kind = draw(
        st.sampled_from(["Dt", "Dt", "DtTm", "none", "missing"] if may_break else ["Dt", "DtTm"])
    )
    if kind == "missing":
        return ""
    if kind == "none":
        return f"<{name}/>"
    return f"<{name}>{element(kind, pick(draw, DATES, BROKEN_DATES, may_break))}</{name}>"


@st.composite
def party(draw, role: str) -> str:
    parts = []
    names = (
        "".join(
            element(tag, text) for tag in ("Nm", "Pty") if (text := maybe(draw, TEXTS)) is not None
        )
        .replace("<Pty>", "<Pty><Nm>")
        .replace("</Pty>", "</Nm></Pty>")
    )
    if names or one_in(draw, 4):
        parts.append(f"<{role}>{names}</{role}>")
    if (iban := maybe(draw, IBANS)) is not None:
        inner = (
            element("IBAN", iban) if draw(st.booleans()) else f"<Othr>{element('Id', iban)}</Othr>"
        )
        parts.append(f"<{role}Acct><Id>{inner}</Id></{role}Acct>")
    return "".join(parts)


@st.composite
def codes(draw) -> str:
    if not one_in(draw, 3):
        return ""
    family = draw(st.sampled_from(["", "RCDT", "ICDT", "RDDT"]))
    sub = draw(st.sampled_from(["", "ESCT", "UPDD", "RRTN", "rpcr"]))
    if not family and not sub:
        return ""
    return (
        f"<BkTxCd><Domn><Cd>PMNT</Cd><Fmly>{element('Cd', family)}"
        f"{element('SubFmlyCd', sub)}</Fmly></Domn></BkTxCd>"
    )


@st.composite
def remittance(draw) -> str:
    parts = [element("Ustrd", draw(TEXTS)) for _ in range(draw(st.integers(0, 2)))]
    for _ in range(draw(st.sampled_from([0, 1, 1, 2]))):
        block = []
        for _ in range(draw(st.integers(0, 2))):
            block.append(f"<CdtrRefInf><Tp/>{element('Ref', draw(TEXTS))}</CdtrRefInf>")
        if (number := maybe(draw, TEXTS, 3)) is not None:
            block.append(f"<RfrdDocInf>{element('Nb', number)}</RfrdDocInf>")
        if (extra := maybe(draw, TEXTS, 3)) is not None:
            block.append(element("AddtlRmtInf", extra))
        parts.append(f"<Strd>{''.join(block)}</Strd>")
    if not parts and draw(st.booleans()):
        return "<RmtInf/>"
    return f"<RmtInf>{''.join(parts)}</RmtInf>" if parts or draw(st.booleans()) else ""


@st.composite
def detail(draw, may_break: bool) -> str:
    parts = []
    refs = "".join(
        element(name, text)
        for name in ("AcctSvcrRef", "EndToEndId", "TxId")
        if (text := maybe(draw, TEXTS)) is not None
    )
    if refs:
        parts.append(f"<Refs>{refs}</Refs>")
    amount = draw(st.sampled_from(["", "Amt", "TxAmt", "InstdAmt", "InstdAmtUSD", "InstdAmtEUR"]))
    value = pick(draw, AMOUNTS, BROKEN_AMOUNTS, may_break)
    if amount == "Amt":
        parts.append(element("Amt", value, ' Ccy="EUR"'))
    elif amount:
        currency = {"InstdAmtUSD": ' Ccy="USD"', "InstdAmtEUR": ' Ccy="EUR"'}.get(amount, "")
        tag = "TxAmt" if amount == "TxAmt" else "InstdAmt"
        parts.append(f"<AmtDtls><{tag}>{element('Amt', value, currency)}</{tag}></AmtDtls>")
    if (indicator := maybe(draw, st.sampled_from(["CRDT", "DBIT"]))) is not None:
        parts.append(element("CdtDbtInd", indicator))
    parts.append(draw(codes()))
    roles = "".join(
        draw(party(role))
        for role in draw(
            st.sampled_from(
                [[], ["Dbtr"], ["Cdtr"], ["Dbtr", "Cdtr"], ["UltmtDbtr"], ["Dbtr", "UltmtDbtr"]]
            )
        )
    )
    if roles or draw(st.booleans()):
        parts.append(f"<RltdPties>{roles}</RltdPties>")
    parts.append(draw(remittance()))
    if (info := maybe(draw, TEXTS)) is not None:
        parts.append(element("AddtlTxInf", info))
    if one_in(draw, 8):
        parts.append("<RtrInf><Rsn><Cd>AC04</Cd></Rsn></RtrInf>")
    if one_in(draw, 10):
        draw(st.randoms()).shuffle(parts)
    return f"<TxDtls>{''.join(parts)}</TxDtls>"


@st.composite
def entries(draw, may_break: bool) -> str:
    parts = []
    if not (may_break and one_in(draw, 10)):
        currency = draw(st.sampled_from([' Ccy="EUR"', "", ' Ccy="USD"']))
        parts.append(element("Amt", pick(draw, AMOUNTS, BROKEN_AMOUNTS, may_break), currency))
    if not (may_break and one_in(draw, 10)):
        indicator = pick(
            draw,
            st.sampled_from(["CRDT", "CRDT", "CRDT", "DBIT"]),
            st.sampled_from(["crdt", ""]),
            may_break,
        )
        parts.append(element("CdtDbtInd", indicator))
    if (reversal := maybe(draw, st.sampled_from(["true", "false", "1", "TRUE"]), 5)) is not None:
        parts.append(element("RvslInd", reversal))
    status = draw(st.sampled_from(["", "BOOK", "BOOK", "<Cd>BOOK</Cd>", "PDNG", "<Cd>INFO</Cd>"]))
    parts.append(f"<Sts>{status}</Sts>" if status else "")
    parts.append(draw(dates("BookgDt", may_break)))
    parts.append(draw(dates("ValDt", may_break)))
    for name in ("AcctSvcrRef", "NtryRef", "AddtlNtryInf"):
        if (text := maybe(draw, TEXTS)) is not None:
            parts.append(element(name, text))
    parts.append(draw(codes()))
    if one_in(draw, 10):
        parts.append("<RtrInf/>")
    details = draw(st.lists(detail(may_break), max_size=draw(st.sampled_from([1, 1, 1, 3]))))
    if details or draw(st.booleans()):
        parts.append(f"<NtryDtls>{''.join(details)}</NtryDtls>")
    if one_in(draw, 10):  # an element the reader does not know, repeated
        parts.append("<Chrgs><Rcrd/><Rcrd/></Chrgs>")
    return f"<Ntry>{''.join(parts)}</Ntry>"


@st.composite
def files(draw) -> bytes:
    may_break = one_in(draw, 3)  # else every file is read, and gives its lines
    body = "".join(draw(st.lists(entries(may_break), min_size=1, max_size=6)))
    head = f"<Stmt><Id>S1</Id><Acct><Id><IBAN>{OURS}</IBAN></Id><Ccy>EUR</Ccy></Acct>"
    xml = f'<Document xmlns="{NAMESPACE}"><BkToCstmrStmt>{head}{body}</Stmt></BkToCstmrStmt></Document>'
    if draw(st.booleans()):  # a prefixed namespace
        xml = xml.replace("</", "</c:").replace("<", "<c:").replace("<c:/c:", "</c:")
        xml = xml.replace(f'xmlns="{NAMESPACE}"', f'xmlns:c="{NAMESPACE}"')
    if draw(st.booleans()):  # indented, as some banks write
        xml = xml.replace("><", ">\n  <")
    if one_in(draw, 3):
        xml = draw(noisy(xml))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + xml).encode("utf-8")


#: What may stand between and inside elements without changing what they say, or what changes
#: only a text (a CDATA section or a character reference adds to it, and is read as text).
NOISE = st.sampled_from(
    [
        "<!-- opmerking <Amt>1.00</Amt> -->",
        "<?verwerking <Ntry>?>",
        "<![CDATA[]]>",
        "<![CDATA[ ]]>",
        "<![CDATA[ & <b> ]]>",
        "<![CDATA[</Ustrd>]]>",
        "&#32;",
        "&#38;",
        "&#x3C;Nm&#x3E;",
        "\t",
        "\r\n",
    ]
)


@st.composite
def noisy(draw, xml: str) -> str:
    """Put comments, processing instructions, CDATA sections, character references and
    whitespace after some tags and inside some texts (all within the root element)."""
    cuts = [m.end() for m in re.finditer(">", xml)][:-1]
    cuts += [m.start() + 1 for m in re.finditer(r">[^<]{2,}<", xml)]  # after a text's first
    for at in sorted(set(draw(st.lists(st.sampled_from(cuts), max_size=8))), reverse=True):
        xml = xml[:at] + draw(NOISE) + xml[at:]
    return xml


def read(data: bytes, *, by_shape: bool, monkeypatch) -> object:
    """Read a file by shape (the first entry of a shape cut into its tags, the next ones
    matched against its pattern: every way an entry is read by shape) or with the general
    reader only."""
    monkeypatch.setattr(camt053._Reader, "by_shape", by_shape)
    monkeypatch.setattr(camt053, "_BUILD", 1)
    monkeypatch.setattr(camt053, "_COMMON", 1)
    monkeypatch.setattr(camt053, "_finish", checked_finish)
    try:
        return camt053.parse_file(data, source="afschrift.xml")
    except StatementError as exc:
        return ("refused", exc.where, exc.problem)


def checked_finish(drafts, *, source, prefix, checked=False):
    """lines._finish, after checking that the bank references it is told are checked are."""
    assert checked
    for draft in drafts:
        assert lines._reference(draft.bank_reference) == draft.bank_reference
    return lines._finish(drafts, source=source, prefix=prefix, checked=checked)


@settings(
    max_examples=1000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(files())
def test_reading_by_shape_gives_what_the_general_reader_gives(monkeypatch, data):
    assert read(data, by_shape=True, monkeypatch=monkeypatch) == read(
        data, by_shape=False, monkeypatch=monkeypatch
    )


def statement(*entries: str) -> bytes:
    body = "".join(entries)
    return (
        f'<Document xmlns="{NAMESPACE}"><BkToCstmrStmt><Stmt><Acct><Id><IBAN>{OURS}</IBAN>'
        f"</Id></Acct>{body}</Stmt></BkToCstmrStmt></Document>"
    ).encode()


HEAD = (
    "<Amt Ccy='EUR'>25.00</Amt><CdtDbtInd>{sign}</CdtDbtInd><BookgDt><Dt>2026-11-06</Dt></BookgDt>"
)
#: Rare combinations the generated files seldom hold, each read by shape where it can be.
RARE = {
    "a debit taken back, named by its creditor": (
        "DBIT",
        "<NtryDtls><TxDtls><RltdPties><Dbtr/><Cdtr><Nm>Jansen</Nm></Cdtr><CdtrAcct><Id><IBAN>"
        "NL20INGB0001234567</IBAN></Id></CdtrAcct></RltdPties><RtrInf/></TxDtls></NtryDtls>",
    ),
    "a credit that names only its creditor (us)": (
        "CRDT",
        "<NtryDtls><TxDtls><RltdPties><Dbtr/><Cdtr><Nm>Wij</Nm></Cdtr></RltdPties></TxDtls>"
        "</NtryDtls>",
    ),
    "our own account as payer, then the ultimate debtor": (
        "CRDT",
        f"<NtryDtls><TxDtls><RltdPties><Dbtr><Nm>Wij</Nm></Dbtr><DbtrAcct><Id><IBAN>{OURS}"
        "</IBAN></Id></DbtrAcct><UltmtDbtr><Pty><Nm>Klant</Nm></Pty></UltmtDbtr></RltdPties>"
        "</TxDtls></NtryDtls>",
    ),
    "a payer with an account and no name, and an ultimate debtor's name": (
        "CRDT",
        "<NtryDtls><TxDtls><RltdPties><DbtrAcct><Id><IBAN>NL44RABO0123456789</IBAN></Id>"
        "</DbtrAcct><UltmtDbtr><Nm>Ultiem</Nm></UltmtDbtr></RltdPties></TxDtls></NtryDtls>",
    ),
    "a batch: a payer with an account and no name, and an ultimate debtor's name": (
        "CRDT",
        "<NtryDtls><TxDtls><Amt>20.00</Amt><RltdPties><DbtrAcct><Id><IBAN>NL44RABO0123456789"
        "</IBAN></Id></DbtrAcct><UltmtDbtr><Nm>Ultiem</Nm></UltmtDbtr></RltdPties></TxDtls>"
        "<TxDtls><Amt>5.00</Amt><RltdPties><Dbtr><Nm>Jansen</Nm></Dbtr></RltdPties></TxDtls>"
        "</NtryDtls>",
    ),
    "a payment service paying for its customer (the ultimate debtor)": (
        "CRDT",
        "<NtryDtls><TxDtls><RltdPties><Dbtr><Nm>PayPal Europe</Nm></Dbtr><DbtrAcct><Id><IBAN>"
        "NL44RABO0123456789</IBAN></Id></DbtrAcct><UltmtDbtr><Pty><Nm>Klant</Nm></Pty>"
        "</UltmtDbtr></RltdPties></TxDtls></NtryDtls>",
    ),
    "a name in Nm and in Pty/Nm": (
        "CRDT",
        "<NtryDtls><TxDtls><RltdPties><Dbtr><Nm>Naam</Nm><Pty><Nm>Pty</Nm></Pty></Dbtr>"
        "</RltdPties></TxDtls></NtryDtls>",
    ),
    "a blank IBAN and another account number": (
        "CRDT",
        "<NtryDtls><TxDtls><RltdPties><DbtrAcct><Id><IBAN> </IBAN><Othr><Id>123 456</Id></Othr>"
        "</Id></DbtrAcct></RltdPties></TxDtls></NtryDtls>",
    ),
    "the same valid reference twice, and a text": (
        "CRDT",
        "<NtryDtls><TxDtls><RmtInf><Strd><CdtrRefInf><Ref>RF18539007547034</Ref>"
        "<Ref>RF18 5390 0754 7034</Ref><Ref>RF18539007547034</Ref></CdtrRefInf>"
        "<AddtlRmtInf>extra</AddtlRmtInf></Strd></RmtInf>"
        "<AddtlTxInf>niet gebruikt</AddtlTxInf></TxDtls></NtryDtls>",
    ),
    "two reference blocks (read by the general reader)": (
        "CRDT",
        "<NtryDtls><TxDtls><RmtInf><Strd><CdtrRefInf><Ref>RF18539007547034</Ref></CdtrRefInf>"
        "<CdtrRefInf><Ref>F1</Ref></CdtrRefInf></Strd></RmtInf></TxDtls></NtryDtls>",
    ),
    "only a structured reference, and AddtlTxInf": (
        "CRDT",
        "<NtryDtls><TxDtls><RmtInf><Strd><CdtrRefInf><Ref>090933755493</Ref></CdtrRefInf></Strd>"
        "</RmtInf><AddtlTxInf>ook niet</AddtlTxInf></TxDtls></NtryDtls>",
    ),
    "a broken instructed amount in our currency": (
        "CRDT",
        "<NtryDtls><TxDtls><AmtDtls><InstdAmt><Amt Ccy='EUR'>1,00</Amt></InstdAmt></AmtDtls>"
        "</TxDtls></NtryDtls>",
    ),
    "a broken instructed amount in another currency": (
        "CRDT",
        "<NtryDtls><TxDtls><AmtDtls><InstdAmt><Amt Ccy='USD'>1,00</Amt></InstdAmt></AmtDtls>"
        "</TxDtls></NtryDtls>",
    ),
    "a status with a text and a code": ("CRDT", "<Sts>PDNG<Cd>BOOK</Cd></Sts>"),
    "a proprietary status, pending": ("CRDT", "<Sts><Prtry>PDNG</Prtry></Sts>"),
    "a proprietary status, booked": ("CRDT", "<Sts><Prtry>BOOK</Prtry></Sts>"),
    "a detail reference and an entry reference": (
        "CRDT",
        "<AcctSvcrRef>E1</AcctSvcrRef><NtryDtls><TxDtls><Refs><AcctSvcrRef>D1</AcctSvcrRef>"
        "<EndToEndId>notprovided</EndToEndId><TxId>T1</TxId></Refs></TxDtls></NtryDtls>"
        "<NtryRef>N1</NtryRef>",
    ),
    "characters XML escapes": (
        "CRDT",
        "<AddtlNtryInf>A &amp; B &lt;c&gt; &#13;&#10; &#x20AC; 'd' \"e\"</AddtlNtryInf>",
    ),
    "ABN AMRO: the payer only in AddtlNtryInf, in the MT940 layout": (
        "CRDT",
        "<AddtlNtryInf>/TRTP/SEPA OVERBOEKING/IBAN/NL44RABO0123456789/BIC/RABONL2U/NAME/"
        "Jansen/REMI/Factuur 2026-0110/EREF/NOTPROVIDED</AddtlNtryInf>",
    ),
    "ABN AMRO: a detail with the payer's name, the rest in AddtlNtryInf": (
        "CRDT",
        "<NtryDtls><TxDtls><RltdPties><Dbtr><Nm>Jansen BV</Nm></Dbtr></RltdPties></TxDtls>"
        "</NtryDtls><AddtlNtryInf>/TRTP/SEPA OVERBOEKING/IBAN/NL44RABO0123456789/BIC/RABONL2U"
        "/NAME/Jansen/REMI/Factuur 2026-0110</AddtlNtryInf>",
    ),
}


RARE_GENERAL = "two reference blocks (read by the general reader)"


@pytest.mark.parametrize("name", list(RARE))
def test_rare_entries_read_by_shape_as_by_the_general_reader(name, monkeypatch):
    sign, rest = RARE[name]
    entry = f"<Ntry>{HEAD.format(sign=sign)}{rest}</Ntry>"
    data = statement(entry, entry)  # the second matched against the first one's pattern
    shaped = []
    original = camt053._Reader._read_shaped

    def counting(self, shape, texts):
        shaped.append(original(self, shape, texts))
        return shaped[-1]

    monkeypatch.setattr(camt053._Reader, "_read_shaped", counting)
    assert read(data, by_shape=True, monkeypatch=monkeypatch) == read(
        data, by_shape=False, monkeypatch=monkeypatch
    )
    # both read by shape, but the broken amount (left to the general reader, which refuses
    # the file and says where) and a repeated element on the way to a text that is read (no
    # shape at all)
    expected = {"a broken instructed amount in our currency": [False], RARE_GENERAL: []}
    assert shaped == expected.get(name, [True, True])


def general_reads(monkeypatch) -> list[int]:
    """Return the list to which the numbers of the entries read by the general reader go."""
    general: list[int] = []
    original = camt053._Reader._read_entry

    def counting(self, entry):
        general.append(self.entry)
        original(self, entry)

    monkeypatch.setattr(camt053._Reader, "_read_entry", counting)
    return general


def test_the_shapes_of_a_plain_file_are_read_by_shape(monkeypatch):
    """The fast path is taken (a test that fails if it never is), also for a batch, and not
    for a detail in which an element on the way to a text that is read repeats."""
    entry = (
        "<Ntry><Amt Ccy='EUR'>{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>"
        "<BookgDt><Dt>2026-11-06</Dt></BookgDt><AcctSvcrRef>R{n}</AcctSvcrRef>"
        "<NtryDtls>{details}</NtryDtls></Ntry>"
    )
    one = "<TxDtls><Amt>{half}</Amt><RmtInf><Ustrd>F{n} &amp; co</Ustrd></RmtInf></TxDtls>"
    repeated = (
        "<TxDtls><RmtInf><Ustrd>F{n}</Ustrd></RmtInf><RmtInf><Ustrd>G</Ustrd></RmtInf></TxDtls>"
    )
    details = {3: one * 2, 4: repeated}
    body = "".join(
        entry.format(
            amount="10.00",
            n=n,
            details=details.get(n, one).format(n=n, half="5.00" if n == 3 else "10.00"),
        )
        for n in range(1, 6)
    )
    data = (
        f'<Document xmlns="{NAMESPACE}"><BkToCstmrStmt><Stmt><Acct><Id><IBAN>{OURS}</IBAN>'
        f"</Id></Acct>{body}</Stmt></BkToCstmrStmt></Document>"
    ).encode()
    general = general_reads(monkeypatch)
    monkeypatch.setattr(camt053, "_BUILD", 1)
    lines, _ = camt053.parse_file(data, source="a.xml")
    assert general == [4]  # two RmtInf in one TxDtls; the others, the batch too, by shape
    assert [line.remittance for line in lines] == [
        "F1 & co",
        "F2 & co",
        "F3 & co",
        "F3 & co",
        "F4",  # the first RmtInf (the general reader reads one)
        "F5 & co",
    ]
    assert [line.bank_reference for line in lines] == ["R1", "R2", "R3/1", "R3/2", "R4", "R5"]
    assert [str(line.amount) for line in lines] == ["10.00"] * 2 + ["5.00"] * 2 + ["10.00"] * 2


def test_a_shape_is_worked_out_at_its_second_entry_and_matched_once_common(monkeypatch):
    """The first entry of a shape (perhaps the only one, as a large batch often is) is read by
    the general reader; the next ones by shape, cut into their tags; the ones after that are
    matched against the shape's pattern. Each way gives the same lines."""
    entries = [
        f"<Ntry><Amt Ccy='EUR'>{n}.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-11-06"
        f"</Dt></BookgDt><AcctSvcrRef>R{n}</AcctSvcrRef><NtryDtls><TxDtls><RmtInf><Ustrd>F{n}"
        "</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>"
        for n in range(1, 7)
    ]
    data = statement(*entries)
    monkeypatch.setattr(camt053, "_COMMON", 3)  # the 2nd to 4th entries cut, then matched
    general = general_reads(monkeypatch)
    reader = camt053._Reader("a.xml")
    found = reader.read(data)
    assert general == [1]
    [tried] = reader.tried.values()
    assert [shape.uses for shape in tried] == [3]  # not cut again: 5 and 6 were matched
    assert reader.seen == {}
    assert [(line.remittance, line.bank_reference) for line in found] == [
        (f"F{n}", f"R{n}") for n in range(1, 7)
    ]


@pytest.mark.parametrize(
    ("tags", "simple"),
    [
        (["Ntry", "Amt", "/Amt", "/Ntry"], True),
        (["Ntry", "Amt", "/Amt", "/Nope"], False),  # not nested properly
        (["Ntry", "BookgDt", "Dt", "/Dt", "/BookgDt", "BookgDt/", "/Ntry"], False),  # repeated
        (["Ntry", "CdtDbtInd", "/CdtDbtInd", "/Ntry"], False),  # no amount
        (["Ntry", "Amt", "/Amt", "Ustrd", "/Ustrd", "Ustrd/", "/Ntry"], True),  # not read
    ],
)
def test_shapes_the_fast_path_refuses(tags, simple):
    assert (camt053._Shape.of(tags) is not None) == simple


def test_a_doctype_after_a_long_comment_is_refused_too():
    """The quick look for a DOCTYPE covers the first 64 KB; the parser's own record of it
    covers the rest (an entity it kept would be read differently by the two readers)."""
    entry = (
        "<Ntry><Amt Ccy='EUR'>1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-01-01</Dt>"
        "</BookgDt><AddtlNtryInf>a&foo;b</AddtlNtryInf></Ntry>"
    )
    data = (
        f"<?xml version='1.0'?><!--{'x' * 70000}--><!DOCTYPE Document [<!ENTITY foo 'BAR'>]>"
        f'<Document xmlns="{NAMESPACE}"><BkToCstmrStmt><Stmt><Acct><Id><IBAN>{OURS}</IBAN>'
        f"</Id></Acct>{entry}</Stmt></BkToCstmrStmt></Document>"
    ).encode()
    with pytest.raises(StatementError) as refused:
        camt053.parse_file(data, source="a.xml")
    assert refused.value.problem == "het XML-bestand bevat een DOCTYPE; dat wordt geweigerd"


def chained(value: str) -> str:
    """The validators in the order :func:`lines._parse_reference` tries them, without its
    shortcuts."""
    for validate in (validate_rf, validate_ogm, validate_nl_payment_reference):
        try:
            return validate(value)
        except ReferenceError:
            continue
    return ""


COMPACT_REFERENCES = st.one_of(
    st.from_regex(r"RF[0-9]{2}[A-Z0-9]{1,22}", fullmatch=True),
    st.from_regex(r"[0-9]{12}|[0-9]{16}|[0-9]{11}|[0-9]{7}", fullmatch=True),
    st.builds(rf_reference, st.from_regex(r"[0-9]{1,12}", fullmatch=True)),
    st.builds(ogm_reference, st.from_regex(r"[1-9][0-9]{0,9}", fullmatch=True)),
    st.builds(nl_payment_reference, st.from_regex(r"[1-9][0-9]{0,10}", fullmatch=True)),
)


@settings(max_examples=500, deadline=None)
@given(COMPACT_REFERENCES)
def test_compact_references_are_read_as_the_validators_read_them(value):
    lines._parse_reference.cache_clear()
    assert lines._parse_reference(value) == chained(value)


def test_shapes_with_as_many_tags_are_told_apart(monkeypatch):
    """Entries whose serialisations have as many tags, but other ones, each get their own
    shape and their own texts; more of them than are tried by their pattern are looked up by
    their tags, and read by shape all the same."""
    names = ["Ustrd", "AddtlTxInf", *(f"Onbekend{n}" for n in range(camt053._TRIED + 2))]
    body = []
    for round_ in range(2):
        for n, name in enumerate(names):
            text = f"T{round_}-{n} &lt;/{name}&gt;&lt;Ustrd&gt;X"  # escaped: a text, no tags
            inner = f"<{name}>{text}</{name}>"
            inner = f"<RmtInf>{inner}</RmtInf>" if name == "Ustrd" else inner
            if name == "Ustrd":  # as many tags as the others: RmtInf's two for Refs, AmtDtls
                detail = f"<TxDtls>{inner}</TxDtls>"
            else:
                detail = f"<TxDtls>{inner}<Refs/><AmtDtls/></TxDtls>"
            body.append(
                f"<Ntry><Amt Ccy='EUR'>{n + 1}.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>"
                f"2026-11-06</Dt></BookgDt><AcctSvcrRef>R{round_}-{n}</AcctSvcrRef>"
                f"<NtryDtls>{detail}</NtryDtls></Ntry>"
            )
    data = statement(*body)
    general = general_reads(monkeypatch)
    found = read(data, by_shape=True, monkeypatch=monkeypatch)
    assert general == []  # every entry read by its shape
    assert found == read(data, by_shape=False, monkeypatch=monkeypatch)
    lines_, _ = found
    texts = {line.bank_reference: line.remittance for line in lines_}
    assert texts["R0-0"] == "T0-0 </Ustrd><Ustrd>X"
    assert texts["R1-1"] == "T1-1 </AddtlTxInf><Ustrd>X"
    assert texts["R1-3"] == ""  # Onbekend1 is not read
    assert [str(line.amount) for line in lines_][:3] == ["1.00", "2.00", "3.00"]
    monkeypatch.setattr(camt053._Reader, "by_shape", True)
    monkeypatch.setattr(camt053, "_BUILD", 1)
    monkeypatch.setattr(camt053, "_COMMON", 1)
    reader = camt053._Reader("a.xml")
    reader.read(data)
    assert [len(tried) for tried in reader.tried.values()] == [camt053._TRIED]


def test_an_attribute_with_markup_in_it_stays_an_attribute():
    """``<`` and ``>`` in an attribute or a text are escaped in the serialisation, so they are
    never taken for a tag: the amount's currency and texts are read as they are. A currency
    that is no code of three letters is refused (session 26)."""
    entry = (
        "<Ntry><Amt Ccy='EUR' Ander='&quot;&gt;&lt;Amt Ccy=&quot;USD&quot;&gt;'>7.00</Amt>"
        '<CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-11-06</Dt></BookgDt><AddtlNtryInf>&lt;Amt Ccy="EUR"&gt;9.00'
        "</AddtlNtryInf></Ntry>"
    )
    found, _ = camt053.parse_file(statement(entry, entry), source="a.xml")
    assert [(line.amount, line.currency, line.remittance) for line in found] == [
        (Decimal("7.00"), "EUR", '<Amt Ccy="EUR">9.00'),
    ] * 2
    marked = entry.replace("Ccy='EUR'", "Ccy='E&gt;&lt;UR'")
    with pytest.raises(StatementError) as caught:
        camt053.parse_file(statement(marked, marked), source="a.xml")
    assert caught.value.where.endswith("Ntry[1]/Amt")
    assert "valutacode 'E><UR' is geen valutacode" in caught.value.problem


def test_a_line_made_by_setting_its_slots_is_the_line_the_dataclass_makes():
    values = {
        "source": "a.xml",
        "account_iban": OURS,
        "booking_date": date(2026, 11, 6),
        "value_date": date(2026, 11, 7),
        "amount": Decimal("12.50"),
        "currency": "EUR",
        "counterparty_name": "Jansen",
        "counterparty_iban": "NL20INGB0001234567",
        "remittance": "Factuur 1",
        "structured_reference": "123456789002",
        "bank_reference": "R1",
        "is_reversal": True,
        "booking_date_given": False,
        "booked_before": date(2026, 11, 5),
        "review": "verzamelboeking",
        "read_before_as": "B1",
    }
    made = lines._new_line(tuple(values.values()))
    expected = lines.StatementLine(**values)
    assert made == expected
    assert hash(made) == hash(expected)
    assert repr(made) == repr(expected)
    with pytest.raises(ValueError):  # every field, no fewer
        lines._new_line(tuple(values.values())[:-1])


@st.composite
def batches(draw) -> str:
    """A batch whose details' amounts mostly add up to the entry's (so that it is split),
    with details in both directions, returned ones and ones without an amount."""
    sign = draw(st.sampled_from(["CRDT", "CRDT", "DBIT"]))
    total = Decimal(0)
    details = []
    for _ in range(draw(st.integers(2, 4))):
        amount = draw(st.sampled_from(["10.00", "2.50", "0.00", "7", None]))
        own = maybe(draw, st.sampled_from(["CRDT", "DBIT", sign]), 3)
        kind = draw(st.sampled_from(["Amt", "TxAmt", "InstdAmt", "InstdAmtUSD"]))
        if amount is None:
            parts = [""]
        elif kind == "Amt":
            parts = [element("Amt", amount, ' Ccy="EUR"')]
        else:  # an instructed amount in another currency is no amount of ours
            currency = ' Ccy="USD"' if kind == "InstdAmtUSD" else ""
            tag = "TxAmt" if kind == "TxAmt" else "InstdAmt"
            parts = [f"<AmtDtls><{tag}>{element('Amt', amount, currency)}</{tag}></AmtDtls>"]
            if kind == "InstdAmtUSD":
                amount = None
        if amount is not None:
            total += Decimal(amount) if (own or sign) == sign else -Decimal(amount)
        parts.append(element("CdtDbtInd", own) if own else "")
        if (reference := maybe(draw, TEXTS, 3)) is not None:
            parts.append(f"<Refs>{element('AcctSvcrRef', reference)}</Refs>")
        parts.append(draw(codes()))
        roles = "".join(draw(party(role)) for role in ("Dbtr", "Cdtr"))
        parts.append(f"<RltdPties>{roles}</RltdPties>" if roles else "")
        parts.append(draw(remittance()))
        if one_in(draw, 4):
            parts.append("<RtrInf><Rsn><Cd>MD06</Cd></Rsn></RtrInf>")
        details.append(f"<TxDtls>{''.join(parts)}</TxDtls>")
    amount = f"{total:.2f}" if total > 0 and not one_in(draw, 4) else draw(AMOUNTS)
    head = [
        element("Amt", amount, ' Ccy="EUR"'),
        element("CdtDbtInd", sign),
        element("RvslInd", "true") if one_in(draw, 6) else "",
        "<BookgDt><Dt>2026-11-06</Dt></BookgDt>",
        element("AcctSvcrRef", draw(TEXTS)) if draw(st.booleans()) else "",
        element("NtryRef", draw(TEXTS)) if draw(st.booleans()) else "",
        element("AddtlNtryInf", draw(TEXTS)) if draw(st.booleans()) else "",
        draw(codes()),
    ]
    return f"<Ntry>{''.join(head)}<NtryDtls>{''.join(details)}</NtryDtls></Ntry>"


@settings(
    max_examples=500,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.lists(batches(), min_size=1, max_size=4))
def test_batches_read_by_shape_as_by_the_general_reader(monkeypatch, entries):
    data = statement(*entries)
    assert read(data, by_shape=True, monkeypatch=monkeypatch) == read(
        data, by_shape=False, monkeypatch=monkeypatch
    )


# --- date-times: the day on the Dutch and Belgian clock ----------------------------------------
# camt053_date_times.xml: BookgDt/DtTm and ValDt/DtTm in UTC ("Z", "+00:00"), with an offset
# and without one (local time as written), around the year end and in summer time.


@pytest.mark.parametrize("by_shape", [True, False])
def test_camt_date_times_are_dated_by_the_local_day(by_shape, monkeypatch):
    data = (FIXTURES / "camt053_date_times.xml").read_bytes()
    found, summaries = read(data, by_shape=by_shape, monkeypatch=monkeypatch)
    assert [(x.booking_date, x.value_date) for x in found] == [
        (date(2027, 1, 1), date(2027, 1, 1)),  # 23:30 UTC is 00:30 in Amsterdam
        (date(2026, 12, 31), date(2026, 12, 31)),  # 22:59:59 UTC is 23:59:59
        (date(2026, 7, 1), date(2026, 7, 1)),  # summer time: 22:15 UTC is 00:15
        (date(2026, 12, 31), date(2027, 1, 1)),  # no offset: local time as written
    ]
    # a line without the bank's reference keeps the key it had when dated as written
    assert [x.bank_reference[:14] for x in found] == [
        "REV-1",
        "CAMT-20261231-",
        "CAMT-20260630-",
        "REV-4",
    ]
    assert summaries[0].day == date(2025, 3, 3)


def test_camt_date_times_without_time_zone_data_take_the_eu_rule(monkeypatch):
    data = (FIXTURES / "camt053_date_times.xml").read_bytes()
    with_zone = camt053.parse_file(data, source="a.xml")
    monkeypatch.setattr(localtime, "_zone", lambda: None)
    assert camt053.parse_file(data, source="a.xml") == with_zone


def test_no_time_zone_data_gives_no_zone(monkeypatch):
    def missing(key):
        raise zoneinfo.ZoneInfoNotFoundError(key)

    monkeypatch.setattr(zoneinfo, "ZoneInfo", missing)
    localtime._zone.cache_clear()
    try:
        assert localtime._zone() is None
        assert localtime.local_day("2026-10-25T00:30:00Z") == date(2026, 10, 25)
    finally:
        localtime._zone.cache_clear()


def test_the_eu_rule_is_the_zone_of_amsterdam_and_brussels():
    try:
        zones = [zoneinfo.ZoneInfo("Europe/Amsterdam"), zoneinfo.ZoneInfo("Europe/Brussels")]
    except zoneinfo.ZoneInfoNotFoundError:
        pytest.skip("no time zone data here")
    hour = timedelta(hours=1)
    for year in range(2000, 2041):
        for month, day in ((3, 24), (10, 24)):
            start = datetime(year, month, day, tzinfo=UTC)
            for step in range(8 * 24 * 4):  # the last week of the month, by the quarter hour
                moment = start + step * hour / 4
                for zone in zones:
                    assert localtime.eu_offset(moment) == moment.astimezone(zone).utcoffset()


@pytest.mark.parametrize("zone", [True, False])
@pytest.mark.parametrize("by_shape", [True, False])
def test_a_date_time_at_the_end_of_the_calendar_is_refused_in_dutch(by_shape, zone, monkeypatch):
    """A DtTm in year 1 or 9999 whose local day lies outside the calendar Python knows
    (0001-01-01T00:30:00+01:00 is 31 December of year 0 in UTC) stopped the import with an
    OverflowError; its local day is the day as written. Such a year is no year of a
    bank's booking: refused, as a date before 1900 (0001-01-01 written to Betalingen broke
    the workbook; session 25), both ways of reading."""
    data = (FIXTURES / "camt053_date_times.xml").read_text()
    data = data.replace("2026-12-31T23:30:00Z", "9999-12-31T23:30:00Z", 1)
    data = data.replace("2027-01-01T00:30:00+01:00", "0001-01-01T00:30:00+01:00", 1)
    if not zone:
        monkeypatch.setattr(localtime, "_zone", lambda: None)
    refused, where, problem = read(data.encode(), by_shape=by_shape, monkeypatch=monkeypatch)
    assert refused == "refused" and where.endswith("Ntry[1]/BookgDt/DtTm")
    assert problem == (
        "datum '9999-12-31T23:30:00Z' kan niet (debiteuren rekent met de jaren 1900 tot en met "
        "2199)"
    )
    assert localtime.local_day("9999-12-31T20:30:00-05:00") == date(9999, 12, 31)
    assert localtime.local_day("0001-01-01T00:30:00+01:00") == date(1, 1, 1)


@pytest.mark.parametrize("by_shape", [True, False])
def test_a_date_time_at_24_00_is_the_first_moment_of_the_next_day(by_shape, monkeypatch):
    """ISO 8601 and XML Schema allow 24:00 as the end of a day: 2026-12-31T24:00:00 is
    1 January 00:00 (it was dated 31 December). Its key stays the day as written (a file read
    before is not read again as new); another time in hour 24 does not exist and refuses."""
    data = (FIXTURES / "camt053_date_times.xml").read_text()
    data = data.replace("2026-12-31T23:30:00Z", "2026-12-31T24:00:00", 1)
    data = data.replace("2026-06-30T22:15:00+00:00", "2026-06-30T24:00:00.000+02:00", 1)
    found, _ = read(data.encode(), by_shape=by_shape, monkeypatch=monkeypatch)
    assert [x.booking_date for x in found[:3]] == [
        date(2027, 1, 1),
        date(2026, 12, 31),
        date(2026, 7, 1),
    ]
    assert found[2].bank_reference[:14] == "CAMT-20260630-"
    assert found[2].booked_before == date(2026, 6, 30)
    for time in ("24:30:00", "24:00:01", "24:00:00.5+01:00"):
        broken = data.replace("2026-12-31T24:00:00", f"2026-12-31T{time}", 1)
        refused = read(broken.encode(), by_shape=by_shape, monkeypatch=monkeypatch)
        assert refused[0] == "refused"
        assert f"datum '2026-12-31T{time}' is geen geldige datum" in refused[2]


@pytest.mark.parametrize("by_shape", [True, False])
@pytest.mark.parametrize(
    "written",
    [
        "2026-12-31T25:00:00",
        "2026-12-31T23:61:00Z",
        "2026-12-31T23:59:60Z",
        "2026-12-31T10:00:00+15:00",
        "2026-12-31T10:00:00+01:75",
        "2026-02-31T10:00:00",
        "2026-12-31T7:00",
        "2026-12-31 10:00:00",
    ],
)
def test_an_impossible_date_time_refuses_the_file_at_its_entry(by_shape, written, monkeypatch):
    """A bank never writes a time no clock shows: 2026-12-31T25:00:00 and 23:61Z were dated
    31 December as written, and the file read. The whole file is refused, naming the entry."""
    data = (FIXTURES / "camt053_date_times.xml").read_text()
    data = data.replace("2026-06-30T22:15:00+00:00", written, 1)
    refused = read(data.encode(), by_shape=by_shape, monkeypatch=monkeypatch)
    assert refused == (
        "refused",
        "element Document/BkToCstmrStmt/Stmt[1]/Ntry[3]/BookgDt/DtTm",
        f"datum '{written}' is geen geldige datum",
    )


@pytest.mark.parametrize("by_shape", [True, False])
@pytest.mark.parametrize(
    ("element", "where"),
    [
        (
            "<FrToDt><FrDtTm>2026-12-31T00:00:00</FrDtTm><ToDtTm>{}</ToDtTm></FrToDt>",
            "Stmt[1]/FrToDt[1]/ToDtTm",
        ),
        (
            "<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy='EUR'>1000.00</Amt>"
            "<CdtDbtInd>CRDT</CdtDbtInd><Dt><DtTm>{}</DtTm></Dt></Bal>",
            "Stmt[1]/Bal[1]/Dt/DtTm",
        ),
    ],
)
def test_an_impossible_statement_date_refuses_the_file_at_its_element(
    by_shape, element, where, monkeypatch
):
    """The statement's own date (its period's end, a balance's day) is the day the statement
    gate trusts: one no clock shows was dated as written (T25:00) or left out (2026-02-31)."""
    data = (FIXTURES / "camt053_date_times.xml").read_text()
    opening = data[data.index("<Bal>") : data.index("</Bal>") + len("</Bal>")]
    for written in ("2026-12-31T25:00:00", "2026-02-31"):
        kept = "" if "OPBD" in element else opening  # the balance replaces the opening
        broken = data.replace(opening, element.format(written) + kept, 1)
        refused = read(broken.encode(), by_shape=by_shape, monkeypatch=monkeypatch)
        assert refused == (
            "refused",
            f"element Document/BkToCstmrStmt/{where}",
            f"datum '{written}' is geen geldige datum",
        )


@pytest.mark.parametrize("by_shape", [True, False])
@pytest.mark.parametrize(
    ("stated", "note"),
    [
        (
            "<TxAmt><Amt Ccy='EUR'>27.50</Amt></TxAmt>",
            "Overgemaakt € 27,50, bijgeschreven € 25,00 (€ 2,50 minder: kosten of inhouding)",
        ),
        ("<TxAmt><Amt Ccy='EUR'>25.00</Amt></TxAmt>", ""),
        ("<InstdAmt><Amt Ccy='USD'>30.00</Amt></InstdAmt>", "Oorspronkelijk bedrag USD 30,00"),
        ("<InstdAmt><Amt Ccy='USD'>25.00</Amt></InstdAmt>", "Oorspronkelijk bedrag USD 25,00"),
        ("<InstdAmt><Amt Ccy='USD'>1,00</Amt></InstdAmt>", ""),  # unreadable: left out
        ("<TxAmt><Amt Ccy='USD'>25.00</Amt></TxAmt>", ""),  # ISO: TxAmt in our currency
        # no currency code: was 'Oorspronkelijk bedrag € 30,00' (as if another currency), and
        # a Ccy of thousands of characters filled Mededeling
        ("<InstdAmt><Amt Ccy='eur'>30.00</Amt></InstdAmt>", ""),
        ("<InstdAmt><Amt Ccy='" + "X" * 500 + "'>30.00</Amt></InstdAmt>", ""),
    ],
)
def test_a_payment_whose_details_state_another_amount_says_so(by_shape, stated, note, monkeypatch):
    """The entry's amount is what reached the account and is booked; a detail that states
    another amount (the bank kept charges) or the amount in another currency adds that to the
    text, the same by shape and by the general reader, and the stable key stays the one the
    line had without it (a file read before is not read again as new)."""
    detail = (
        "<NtryDtls><TxDtls><AmtDtls>{}</AmtDtls><RltdPties><Dbtr><Nm>Jansen</Nm></Dbtr>"
        "</RltdPties><RmtInf><Ustrd>F 7</Ustrd></RmtInf></TxDtls></NtryDtls>"
    )
    entry = f"<Ntry>{HEAD.format(sign='CRDT')}{detail.format(stated)}</Ntry>"
    found = read(statement(entry, entry), by_shape=by_shape, monkeypatch=monkeypatch)
    plain = f"<Ntry>{HEAD.format(sign='CRDT')}{detail.format('')}</Ntry>"
    before = read(statement(plain, plain), by_shape=by_shape, monkeypatch=monkeypatch)
    assert [x.amount for x in found[0]] == [Decimal("25.00")] * 2
    assert [x.remittance for x in found[0]] == [f"F 7 {note}".strip()] * 2
    assert [x.bank_reference for x in found[0]] == [x.bank_reference for x in before[0]]


@pytest.mark.parametrize("by_shape", [True, False])
@pytest.mark.parametrize(
    ("amounts", "note"),
    [
        # three payments of € 10,00 booked as one of € 25,00: € 5,00 the bank kept
        (
            ("10.00", "10.00", "10.00"),
            "Overgemaakt € 30,00, bijgeschreven € 25,00 (€ 5,00 minder: kosten of inhouding)",
        ),
        (("10.00", "10.00", "4.00"), "Overgemaakt € 24,00, bijgeschreven € 25,00 (€ 1,00 meer)"),
        (("15.00", "10.00", "0.00"), None),  # adds up: one line each (none for € 0)
    ],
)
def test_a_batch_booked_net_of_charges_says_what_its_payments_add_up_to(
    by_shape, amounts, note, monkeypatch
):
    """A batch (Btch/NbOfTxs 3) whose entry amount is less than its payments' amounts (the
    bank kept its charges) cannot be split: its one line says the difference, as a single
    payment's does. It said nothing, and the € 5,00 was nowhere. The stable key stays the one
    the line had without it."""
    detail = (
        "<TxDtls><Amt Ccy='EUR'>{}</Amt><RltdPties><Dbtr><Nm>Jansen</Nm></Dbtr></RltdPties>"
        "<RmtInf><Ustrd>F {}</Ustrd></RmtInf></TxDtls>"
    )
    details = "".join(detail.format(amount, n) for n, amount in enumerate(amounts, start=7))
    batch = f"<NtryDtls><Btch><NbOfTxs>3</NbOfTxs></Btch>{details}</NtryDtls>"
    entry = f"<Ntry>{HEAD.format(sign='CRDT')}{batch}</Ntry>"
    found = read(statement(entry, entry), by_shape=by_shape, monkeypatch=monkeypatch)
    if note is None:
        assert [(x.amount, x.remittance) for x in found[0]] == [
            (Decimal("15.00"), "F 7"),
            (Decimal("10.00"), "F 8"),
        ] * 2
        return
    assert [(x.amount, x.counterparty_name) for x in found[0]] == [(Decimal("25.00"), "Jansen")] * 2
    assert [x.remittance for x in found[0]] == [f"F 7 F 8 F 9 {note}"] * 2
    unstated = re.sub("<Amt Ccy='EUR'>[0-9.]+</Amt>", "", batch)  # cannot be split either
    plain = f"<Ntry>{HEAD.format(sign='CRDT')}{unstated}</Ntry>"
    before = read(statement(plain, plain), by_shape=by_shape, monkeypatch=monkeypatch)
    assert [x.remittance for x in before[0]] == ["F 7 F 8 F 9"] * 2
    assert [x.bank_reference for x in found[0]] == [x.bank_reference for x in before[0]]


# --- A batch whose details do not account for its amount ------------------------------------

KENMERK_0077 = nl_payment_reference("2026-0077")
KENMERK_0078 = nl_payment_reference("2026-0078")


def batch_entry(amount: str, declared: int, details: str, reference: str = "BATCH-1") -> str:
    """A credit booked as a batch of ``declared`` payments (``Btch/NbOfTxs``), with the
    ``TxDtls`` given: banks often list only a few of them, or none (the rest in a camt.054)."""
    return (
        f"<Ntry><Amt Ccy='EUR'>{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-11-06"
        f"</Dt></BookgDt><AcctSvcrRef>{reference}</AcctSvcrRef><NtryDtls><Btch><NbOfTxs>"
        f"{declared}</NbOfTxs></Btch>{details}</NtryDtls></Ntry>"
    )


def batch_detail(name: str, reference: str, amount: str = "") -> str:
    stated = f"<Amt Ccy='EUR'>{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd>" if amount else ""
    return (
        f"<TxDtls>{stated}<RltdPties><Dbtr><Nm>{name}</Nm></Dbtr></RltdPties><RmtInf><Strd>"
        f"<CdtrRefInf><Ref>{reference}</Ref></CdtrRefInf></Strd></RmtInf></TxDtls>"
    )


def batch_invoices() -> list:
    from debiteuren.payments.matching import OpenInvoice

    return [
        OpenInvoice(
            number=number,
            debtor=debtor,
            open_amount=Decimal(amount),
            due_date=date(2026, 10, 1),
            references=(reference,),
        )
        for number, debtor, amount, reference in (
            ("2026-0077", "K002", "100.00", KENMERK_0077),
            ("2026-0078", "K003", "150.00", KENMERK_0078),
        )
    ]


@pytest.mark.parametrize("by_shape", [True, False])
def test_a_batch_that_lists_some_of_its_payments_gives_them_and_a_rest_to_check(
    by_shape, monkeypatch
):
    """A batch of five payments (€ 1.000,00) whose statement lists two (€ 100,00 and
    € 150,00): the two are lines of their own, and the € 750,00 the statement does not
    account for is one line to check, with the reason. It was one line of € 1.000,00 with the
    first payment's reference, paid in full to that invoice."""
    from debiteuren.payments.matching import MatchStatus, match_payments

    details = batch_detail("Bakkerij", KENMERK_0077, "100.00") + batch_detail(
        "Groen", KENMERK_0078, "150.00"
    )
    entry = batch_entry("1000.00", 5, details)
    found, summaries = read(statement(entry, entry), by_shape=by_shape, monkeypatch=monkeypatch)
    assert [
        (x.amount, x.counterparty_name, x.structured_reference, x.bank_reference) for x in found[:3]
    ] == [
        (Decimal("100.00"), "Bakkerij", KENMERK_0077, "BATCH-1/1"),
        (Decimal("150.00"), "Groen", KENMERK_0078, "BATCH-1/2"),
        (Decimal("750.00"), "", "", "BATCH-1/rest"),
    ]
    assert len(found) == 6  # the second entry (the same) as well; references made unique
    assert summaries[0].credit_total == Decimal("2000.00")
    why = (
        "verzamelboeking van 5 betalingen (€ 1.000,00): het afschrift noemt er 2 (samen "
        "€ 250,00); voor de andere 3 (€ 750,00) noemt het geen betaler of kenmerk. Zoek ze op "
        "in de specificatie van de verzamelboeking bij uw bank (bijvoorbeeld een CAMT.054) en "
        "koppel ze zelf"
    )
    assert found[2].remittance == "Rest van een verzamelboeking: 3 van de 5 betalingen"
    matches = match_payments(found[:3], batch_invoices())
    assert [(m.status, m.invoices, m.reason) for m in matches][2] == (
        MatchStatus.REVIEW,
        (),
        why,
    )
    assert [(m.status, m.invoices) for m in matches][:2] == [
        (MatchStatus.MATCHED, ("2026-0077",)),
        (MatchStatus.MATCHED, ("2026-0078",)),
    ]


@pytest.mark.parametrize("by_shape", [True, False])
def test_a_batch_that_lists_one_of_its_payments_is_not_paid_in_full_to_its_invoice(
    by_shape, monkeypatch
):
    details = batch_detail("Bakkerij", KENMERK_0077, "100.00")
    entry = batch_entry("400.00", 3, details)
    found, _ = read(statement(entry), by_shape=by_shape, monkeypatch=monkeypatch)
    assert [(x.amount, x.structured_reference) for x in found] == [
        (Decimal("100.00"), KENMERK_0077),
        (Decimal("300.00"), ""),
    ]


@pytest.mark.parametrize("by_shape", [True, False])
@pytest.mark.parametrize(
    ("details", "listed"),
    [
        # only the batch total, its payments in another report
        (
            "",
            "noemt geen van de betalingen; welke facturen ermee betaald zijn, is niet te zeggen",
        ),
        # the payments named, without their amounts
        (
            batch_detail("Bakkerij", KENMERK_0077) + batch_detail("Groen", KENMERK_0078),
            "noemt er 2, zonder bedragen die samen het geboekte bedrag geven; welke factuur "
            "welk deel betaalt, is niet te zeggen",
        ),
        # listed for more than was booked: which part is missing cannot be told
        (
            batch_detail("Bakkerij", KENMERK_0077, "300.00"),
            "noemt er 1, zonder bedragen die samen het geboekte bedrag geven; welke factuur "
            "welk deel betaalt, is niet te zeggen",
        ),
    ],
)
def test_a_batch_whose_listed_payments_cannot_be_told_apart_is_one_line_to_check(
    by_shape, monkeypatch, details, listed
):
    from debiteuren.payments.matching import MatchStatus, match_payments

    entry = batch_entry("250.00", 4, details)
    found, _ = read(statement(entry), by_shape=by_shape, monkeypatch=monkeypatch)
    assert [x.amount for x in found] == [Decimal("250.00")]
    [match] = match_payments(found, batch_invoices())
    assert (match.status, match.invoices) == (MatchStatus.REVIEW, ())
    assert match.reason == (
        f"verzamelboeking van 4 betalingen (€ 250,00): het afschrift {listed}. Zoek de "
        "betalingen op in de specificatie van de verzamelboeking bij uw bank (bijvoorbeeld een "
        "CAMT.054) en koppel ze zelf"
    )


@pytest.mark.parametrize("by_shape", [True, False])
def test_a_batch_whose_listed_payments_add_up_or_that_says_nothing_more_reads_as_before(
    by_shape, monkeypatch
):
    details = batch_detail("Bakkerij", KENMERK_0077, "100.00") + batch_detail(
        "Groen", KENMERK_0078, "150.00"
    )
    # five declared, two listed that give the whole amount: all the money is shown
    entry = batch_entry("250.00", 5, details)
    found, _ = read(statement(entry), by_shape=by_shape, monkeypatch=monkeypatch)
    assert [(x.amount, x.bank_reference) for x in found] == [
        (Decimal("100.00"), "BATCH-1/1"),
        (Decimal("150.00"), "BATCH-1/2"),
    ]
    # a batch of one payment without details, and a number that is no number: as before
    from debiteuren.payments.matching import match_payments

    for declared in ("1", "drie"):
        entry = batch_entry("250.00", declared, "")  # type: ignore[arg-type]
        found, _ = read(statement(entry), by_shape=by_shape, monkeypatch=monkeypatch)
        assert [(x.amount, x.review) for x in found] == [(Decimal("250.00"), "")]
        assert match_payments(found, batch_invoices())[0].reason.startswith("geen bekend")


@pytest.mark.parametrize("by_shape", [True, False])
@pytest.mark.parametrize(
    ("details", "references"),
    [
        # two listed payments that do not add up: read before as one line, the entry's reference
        (
            batch_detail("Bakkerij", KENMERK_0077, "100.00")
            + batch_detail("Groen", KENMERK_0078, "150.00"),
            ["BATCH-1/1", "BATCH-1/2", "BATCH-1/rest"],
        ),
        # one listed payment with a reference of its own: read before as one line under it,
        # which is now the listed payment's with its number (a reference read before is no
        # line of the file)
        (
            batch_detail("Bakkerij", KENMERK_0077, "100.00").replace(
                "<TxDtls>", "<TxDtls><Refs><AcctSvcrRef>T1</AcctSvcrRef></Refs>"
            ),
            ["T1/1", "BATCH-1/rest"],
        ),
    ],
)
def test_a_batch_read_as_one_line_before_names_that_line(
    by_shape, monkeypatch, details, references
):
    """A release before 61bafd6 ignored Btch/NbOfTxs: the batch was one line (as one without
    the count still is). Each line the batch is read as now names that line's reference, so
    that a statement read then adds nothing when read again."""
    entry = batch_entry("1000.00", 5, details)
    other = batch_entry("1000.00", 5, details.replace("T1", "T2"), reference="BATCH-2")
    found, _ = read(statement(entry, other), by_shape=by_shape, monkeypatch=monkeypatch)
    plain, other_plain = (
        x.replace("<Btch><NbOfTxs>5</NbOfTxs></Btch>", "") for x in (entry, other)
    )
    before, _ = read(statement(plain, other_plain), by_shape=by_shape, monkeypatch=monkeypatch)
    assert len(before) == 2
    half = len(found) // 2
    assert [x.bank_reference for x in found[:half]] == references
    assert [x.read_before_as for x in found] == [before[0].bank_reference] * half + [
        before[1].bank_reference
    ] * half
    assert {x.bank_reference for x in found}.isdisjoint(x.bank_reference for x in before)
    assert [x.read_before_as for x in before] == ["", ""]


def test_a_batch_without_references_read_as_one_line_before_names_its_stable_key(monkeypatch):
    """The same batch twice in a statement (the same content, no reference): each names its
    own line read before, numbered as that release numbered them."""
    details = batch_detail("Bakkerij", KENMERK_0077, "100.00")
    entry = batch_entry("400.00", 3, details).replace("<AcctSvcrRef>BATCH-1</AcctSvcrRef>", "")
    found, _ = read(statement(entry, entry), by_shape=False, monkeypatch=monkeypatch)
    plain = entry.replace("<Btch><NbOfTxs>3</NbOfTxs></Btch>", "")
    first, second = read(statement(plain, plain), by_shape=False, monkeypatch=monkeypatch)[0]
    assert first.bank_reference.startswith("CAMT-20261106-")
    assert first.bank_reference != second.bank_reference
    assert [(x.amount, x.read_before_as) for x in found] == [
        (Decimal("100.00"), first.bank_reference),
        (Decimal("300.00"), first.bank_reference),
        (Decimal("100.00"), second.bank_reference),
        (Decimal("300.00"), second.bank_reference),
    ]
