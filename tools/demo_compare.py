"""Run the demo and every command after it on two source trees, and compare what they wrote.

A restructuring must not change what a user gets. This tool runs ``debiteuren demo`` and then
the commands a user tries next (betalingen, facturen, gesprek, verzonden, regeling, overdracht,
export, brieven, bijwerken) with a fixed clock, once per source tree, and compares:

- the workbook after every step, cell by cell (every sheet, openpyxl values);
- every file written (letters and specifications as text via python-docx, spreadsheets cell by
  cell, PDFs as text via pdftotext, e-mail drafts without their Date and Message-ID, JSON without
  its time stamp, other files byte for byte);
- what each command printed and its exit code.

Backups (``reservekopieen/``) are left out: their names carry the wall clock.

Usage::

    python tools/demo_compare.py SNAPSHOT_DIR SRC_ROOT        # write a snapshot of one tree
    python tools/demo_compare.py --diff SNAPSHOT_A SNAPSHOT_B  # compare two snapshots

``SRC_ROOT`` is the ``src`` folder of a whole checkout (the templates lie beside it), e.g. made
with ``git archive main | tar -x -C /tmp/main``). Exit code 1 when the snapshots differ.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from datetime import date, datetime
from pathlib import Path

#: The commands after the demo: (name, arguments after the workbook). ``{s}`` is the second
#: statement, ``{e}`` the e-invoices (expanded).
STEPS: list[tuple[str, list[str]]] = [
    ("betalingen", ["{s}", "--peildatum", "2026-10-15"]),
    ("facturen", ["{e}", "--peildatum", "2026-10-15"]),
    ("gesprek", ["--klant", "K001", "--uitkomst", "belofte", "--op", "2026-10-22",
                 "--peildatum", "2026-10-15"]),
    ("gesprek", ["--klant", "K003", "--uitkomst", "betwist", "--tekst", "niet geleverd",
                 "--peildatum", "2026-10-15"]),
    ("verzonden", ["--op", "2026-10-15", "--kanaal", "post"]),
    ("regeling", ["--klant", "K009", "--termijnen", "3", "--eerste", "2026-11-01",
                  "--peildatum", "2026-10-15"]),
    ("overdracht", ["--klant", "K012", "--aan", "Incassobureau Noord B.V.",
                    "--peildatum", "2026-10-15"]),
    ("overdracht", ["--klant", "K002", "--peildatum", "2026-10-15"]),
    ("overdracht", ["--klant", "K002", "--toch", "--peildatum", "2026-10-15"]),
    ("export", ["--per", "2026-10-15"]),
    ("brieven", ["--peildatum", "2026-10-15", "--geen-pdf", "--proef"]),
    ("brieven", ["--peildatum", "2026-10-15", "--geen-pdf"]),
    ("brieven", ["--peildatum", "2026-10-15", "--geen-pdf", "--opnieuw"]),
    ("verzonden", ["--op", "2026-10-15"]),
    ("bijwerken", ["--peildatum", "2026-10-15"]),
    ("bijwerken", ["--peildatum", "2026-10-16"]),
    ("regeling", ["--klant", "K005", "--termijnen", "3", "--eerste", "2026-11-01",
                  "--peildatum", "2026-10-15"]),
    ("bijwerken", ["--peildatum", "2026-10-16"]),
]  # fmt: skip

RUNNER = r"""
import sys
from datetime import datetime
from click.testing import CliRunner
import debiteuren.cli as cli
cli._now = lambda: datetime(2026, 10, 15, 10, 0)
result = CliRunner().invoke(cli.main, sys.argv[1:])
sys.stdout.write(result.output)
if result.exception is not None and not isinstance(result.exception, SystemExit):
    import traceback
    traceback.print_exception(result.exception)
sys.exit(result.exit_code)
"""


def _cells(path: Path) -> dict[str, list[list[str]]]:
    import openpyxl

    book = openpyxl.load_workbook(path, data_only=True)
    out = {}
    for ws in book.worksheets:
        rows = []
        for row in ws.iter_rows():
            rows.append([_value(c.value) for c in row])
        while rows and not any(rows[-1]):
            rows.pop()
        out[ws.title] = [_trim(r) for r in rows]
    return out


def _trim(row: list[str]) -> list[str]:
    while row and not row[-1]:
        row = row[:-1]
    return row


def _value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def _docx_text(path: Path) -> list[str]:
    from docx import Document

    doc = Document(str(path))
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            lines.append(" | ".join(c.text for c in row.cells))
    for section in doc.sections:
        for part in (section.header, section.footer):
            lines += [f"[{p.text}]" for p in part.paragraphs if p.text]
    return lines


def _pdf_text(path: Path) -> str:
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True)
    return done.stdout.decode("utf-8", "replace")


def _eml_text(path: Path) -> list[str]:
    from email import message_from_bytes

    message = message_from_bytes(path.read_bytes())
    lines = [
        f"{k}: {v}"
        for k, v in message.items()
        if k not in ("Date", "Message-ID") and not v.startswith("multipart/")  # boundary: random
    ]
    for part in message.walk():
        if part.get_content_maintype() == "multipart":
            continue
        payload = part.get_payload(decode=True) or b""
        kind = part.get_content_type()
        if kind.startswith("text/"):
            lines.append(payload.decode("utf-8", "replace"))
        else:
            lines.append(f"[{kind} {part.get_filename()} {len(payload) > 0}]")
    return lines


def _describe(path: Path) -> object:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _cells(path)
    if suffix == ".docx":
        return _docx_text(path)
    if suffix == ".pdf":
        return _pdf_text(path)
    if suffix == ".eml":
        return _eml_text(path)
    if suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            return sorted(archive.namelist())
    if suffix == ".json":
        data = json.loads(path.read_text("utf-8"))
        if isinstance(data, dict):
            data.pop("gemaakt", None)
            for entry in data.get("bestanden", []):
                if str(entry.get("bestand", "")).endswith((".pdf", ".docx", ".xlsx", ".zip")):
                    entry.pop("sha256", None)  # zip/docx/pdf bytes carry time stamps
                    entry.pop("bytes", None)
        return data
    if path.name == "MANIFEST.txt":
        return sorted(line.split("  ", 1)[-1] for line in path.read_text("utf-8").splitlines())
    if path.name == "verzendlog.txt":
        return [line[9:] for line in path.read_text("utf-8").splitlines()]
    return path.read_bytes().decode("utf-8", "replace")


def _files(folder: Path) -> dict[str, object]:
    out = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if not path.is_file() or "reservekopieen" in rel or "/.~" in f"/{rel}":
            continue
        out[rel] = _describe(path)
    return out


def snapshot(target: Path, src_root: Path) -> None:
    """Run the demo and the steps with ``src_root`` on the path; write ``target/snapshot.json``."""
    target.mkdir(parents=True, exist_ok=True)
    work = target / "run"
    env = {**os.environ, "PYTHONPATH": str(src_root), "PYTHONIOENCODING": "utf-8"}

    def run(args: list[str]) -> dict[str, object]:
        done = subprocess.run(
            [sys.executable, "-c", RUNNER, *args], capture_output=True, text=True, env=env
        )
        return {"args": args, "code": done.returncode, "out": done.stdout, "err": done.stderr}

    demo = work / "demo"
    book = demo / "voorbeeld-debiteuren.xlsx"
    steps = [run(["demo", str(demo)])]
    workbooks = [_cells(book)]
    statements = sorted((demo / "bankafschriften").iterdir())
    einvoices = sorted(str(p) for p in (demo / "e-facturen").iterdir())
    for name, args in STEPS:
        expanded: list[str] = []
        for a in args:
            if a == "{s}":
                expanded.append(str(statements[-1]))
            elif a == "{e}":
                expanded += einvoices
            else:
                expanded.append(a)
        steps.append(run([name, str(book), *expanded]))
        workbooks.append(_cells(book))
    for step in steps:
        for key in ("out", "err"):
            step[key] = str(step[key]).replace(str(work), "WORK")
        step["args"] = [str(a).replace(str(work), "WORK") for a in step["args"]]  # type: ignore[union-attr]
    data = {"steps": steps, "workbooks": workbooks, "files": _files(demo)}
    (target / "snapshot.json").write_text(
        json.dumps(data, ensure_ascii=False, indent=1, default=str), encoding="utf-8"
    )


def _clock(text: object) -> object:
    """Return an output with the backups' names (the wall clock) left out."""
    if not isinstance(text, str):
        return text
    return re.sub(r"-\d{8}-\d{6}(-\d+)?\.xlsx", "-<tijd>.xlsx", text)


def diff(a: Path, b: Path) -> int:
    """Print every difference between two snapshots; return the number of differences."""
    left = json.loads((a / "snapshot.json").read_text("utf-8"))
    right = json.loads((b / "snapshot.json").read_text("utf-8"))
    found = 0

    def report(where: str, x: object, y: object) -> None:
        nonlocal found
        found += 1
        print(f"- {where}:\n    before: {str(x)[:400]}\n    after:  {str(y)[:400]}")

    for k, (x, y) in enumerate(zip(left["steps"], right["steps"], strict=True)):
        for key in ("code", "out", "err"):
            if _clock(x[key]) != _clock(y[key]):
                report(f"step {k} {' '.join(x['args'][:1])} {key}", x[key], y[key])
    for k, (x, y) in enumerate(zip(left["workbooks"], right["workbooks"], strict=True)):
        for sheet in sorted(set(x) | set(y)):
            rx, ry = x.get(sheet), y.get(sheet)
            if rx == ry:
                continue
            if rx is None or ry is None:
                report(f"workbook after step {k}, sheet {sheet}", rx is not None, ry is not None)
                continue
            for r in range(max(len(rx), len(ry))):
                cx = rx[r] if r < len(rx) else []
                cy = ry[r] if r < len(ry) else []
                if cx != cy:
                    report(f"workbook after step {k}, {sheet} row {r + 1}", cx, cy)
    fx, fy = left["files"], right["files"]
    for name in sorted(set(fx) | set(fy)):
        if fx.get(name) != fy.get(name):
            report(f"file {name}", fx.get(name, "(missing)"), fy.get(name, "(missing)"))
    print(f"{found} difference(s)")
    return found


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--diff":
        return 1 if diff(Path(argv[1]), Path(argv[2])) else 0
    snapshot(Path(argv[0]), Path(argv[1]).resolve())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
