"""Two runs at once on one workbook: every row is kept, or the second run is refused."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from debiteuren import service
from debiteuren.cli import main
from debiteuren.demo import DEMO_AS_OF
from debiteuren.service import payments
from debiteuren.service.payments import import_statements
from debiteuren.workbook.files import WorkbookBusy, WorkbookChanged

NOW = datetime(2026, 10, 15, 12, 0)
OWN_IBAN = "NL91ABNA0417164300"


def _statement(path: Path, prefix: str, count: int) -> Path:
    entries = "".join(
        f"""<Ntry><Amt Ccy="EUR">{10 + n}.{n % 100:02d}</Amt><CdtDbtInd>CRDT</CdtDbtInd>
        <Sts>BOOK</Sts><BookgDt><Dt>2026-10-14</Dt></BookgDt><ValDt><Dt>2026-10-14</Dt></ValDt>
        <AcctSvcrRef>{prefix}-{n}</AcctSvcrRef><NtryDtls><TxDtls><Refs>
        <AcctSvcrRef>{prefix}-{n}</AcctSvcrRef></Refs><RltdPties><Dbtr><Nm>Iemand {n}</Nm>
        </Dbtr><DbtrAcct><Id><IBAN>NL20INGB0001234567</IBAN></Id></DbtrAcct></RltdPties>
        <RmtInf><Ustrd>gift {prefix} {n}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>"""
        for n in range(count)
    )
    path.write_text(
        f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>
<GrpHdr><MsgId>{prefix}</MsgId><CreDtTm>2026-10-14T18:00:00</CreDtTm></GrpHdr>
<Stmt><Id>{prefix}</Id><CreDtTm>2026-10-14T18:00:00</CreDtTm>
<Acct><Id><IBAN>{OWN_IBAN}</IBAN></Id><Ccy>EUR</Ccy></Acct>{entries}</Stmt>
</BkToCstmrStmt></Document>""",
        encoding="utf-8",
    )
    return path


def _bank_references(path: Path) -> set[str]:
    ws = openpyxl.load_workbook(path, read_only=True, data_only=True)["Betalingen"]
    rows = list(ws.iter_rows(values_only=True))
    column = rows[0].index("Bankreferentie")
    return {str(r[column]) for r in rows[1:] if r[column]}


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    path = service.demo_workbook(tmp_path / "demo.xlsx")
    service.update(path, DEMO_AS_OF, now=NOW)
    return path


def test_two_concurrent_betalingen_runs_keep_every_row_or_refuse(demo: Path, tmp_path: Path):
    first = _statement(tmp_path / "eerste.xml", "A", 200)
    second = _statement(tmp_path / "tweede.xml", "B", 200)
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    command = [sys.executable, "-m", "debiteuren", "betalingen", str(demo)]
    runs = [
        subprocess.Popen(
            [*command, str(f), "--peildatum", DEMO_AS_OF.isoformat()],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for f in (first, second)
    ]
    results = [(run.wait(timeout=600), run.stderr.read()) for run in runs]
    kept = _bank_references(demo)
    succeeded = 0
    for prefix, (code, errors) in zip("AB", results, strict=True):
        ours = {f"{prefix}-{n}" for n in range(200)}
        if code == 0:
            succeeded += 1
            assert ours <= kept, f"run {prefix} exited 0 but lost {len(ours - kept)} rows"
        else:
            assert code == 2
            assert "wordt al bijgewerkt door een andere opdracht" in errors
            assert not ours & kept
    assert succeeded >= 1


@contextmanager
def held_by_another_process(path: Path):
    """Another process holds the workbook's lock while the block runs."""
    hold = (
        "import sys\nfrom debiteuren.workbook.files import workbook_lock\n"
        "with workbook_lock(sys.argv[1]):\n    print('vast', flush=True)\n    sys.stdin.read()\n"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", hold, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    try:
        assert holder.stdout.readline().strip() == b"vast"
        yield holder
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)


def sha(path: Path) -> bytes:
    return hashlib.sha256(path.read_bytes()).digest()


def test_a_second_betalingen_run_is_refused_while_the_first_holds_the_book(
    demo: Path, tmp_path: Path
):
    before = sha(demo)
    statement = _statement(tmp_path / "afschrift.xml", "C", 3)
    with held_by_another_process(demo):
        with pytest.raises(WorkbookBusy):
            import_statements(demo, [statement], as_of=DEMO_AS_OF, now=NOW)
        assert sha(demo) == before
    result = import_statements(demo, [statement], as_of=DEMO_AS_OF, now=NOW)
    assert result.saved and {"C-0", "C-1", "C-2"} <= _bank_references(demo)


def test_a_run_refuses_when_the_file_changed_between_read_and_write(
    demo: Path, tmp_path: Path, monkeypatch
):
    statement = _statement(tmp_path / "afschrift.xml", "D", 3)
    original = payments.match_payments

    def someone_else_saves_meanwhile(*args, **kwargs):
        book = openpyxl.load_workbook(demo)
        book["Klanten"]["B2"] = "Gewijzigd in Excel"
        book.save(demo)
        return original(*args, **kwargs)

    monkeypatch.setattr(payments, "match_payments", someone_else_saves_meanwhile)
    with pytest.raises(WorkbookChanged):
        import_statements(demo, [statement], as_of=DEMO_AS_OF, now=NOW)
    book = openpyxl.load_workbook(demo, read_only=True)
    assert book["Klanten"]["B2"].value == "Gewijzigd in Excel"
    assert not {"D-0", "D-1", "D-2"} & _bank_references(demo)


def test_verzonden_is_refused_while_another_command_holds_the_book(demo: Path):
    made = service.letters(demo, DEMO_AS_OF, now=NOW, pdf=False, eml=False, confirm_rates=True)
    assert made.logged
    before = sha(demo)
    with held_by_another_process(demo):
        with pytest.raises(WorkbookBusy):
            service.mark_sent(demo, DEMO_AS_OF, now=NOW)
        run = CliRunner().invoke(main, ["verzonden", str(demo), "--op", "2026-10-15"])
        assert run.exit_code == 2, run.output
        assert "wordt al bijgewerkt door een andere opdracht" in run.output
        assert sha(demo) == before
        # a preview writes nothing and needs no lock
        preview = service.mark_sent(demo, DEMO_AS_OF, now=NOW, dry_run=True)
        assert len(preview.marked) == made.logged
    assert len(service.mark_sent(demo, DEMO_AS_OF, now=NOW).marked) == made.logged


def test_the_demo_is_refused_while_another_command_holds_its_workbook(tmp_path: Path):
    folder = tmp_path / "demo"
    path = service.demo_workbook(folder / "voorbeeld-debiteuren.xlsx")
    before = sha(path)
    with held_by_another_process(path):
        run = CliRunner().invoke(main, ["demo", str(folder), "--geen-pdf"])
        assert run.exit_code == 2, run.output
        assert "wordt al bijgewerkt door een andere opdracht" in run.output
        assert sha(path) == before
        made = sorted(p.name for p in folder.iterdir() if not p.name.startswith(".~debiteuren."))
        assert made == ["voorbeeld-debiteuren.xlsx"]  # no statements, letters or e-invoices
        with pytest.raises(WorkbookBusy):
            service.demo_workbook(path)
    run = CliRunner().invoke(main, ["demo", str(folder), "--geen-pdf"])
    assert run.exit_code == 0, run.output
    assert not any(p.name.startswith(".~debiteuren.") for p in folder.iterdir())
