"""Filling many letters: each template compiled once, a pool of processes, the same bytes as a
bare docxtpl render, the sandbox in force in every process (counted, never timed)."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import jinja2
import pytest
from docx import Document
from docxtpl import DocxTemplate, InlineImage

from debiteuren.letters import qr, render
from debiteuren.letters.qr import epc_payload
from debiteuren.letters.render import (
    QR_WIDTH,
    LetterJob,
    TemplateError,
    letter_text,
    render_letter,
    render_letters,
    shipped_template_dir,
)
from debiteuren.letters.samples import sample_context
from debiteuren.letters.sandbox import QrImage, letter_environment, plain_context

SHIPPED = shipped_template_dir()
LETTERS = [
    ("herinnering", "nl"),
    ("veertiendagenbrief", "nl"),
    ("eerste_herinnering", "fr"),
    ("ingebrekestelling", "en"),
    ("regeling", "de"),
]


def _payload(context: dict, cents: int = 145729) -> str:
    return epc_payload(
        name=context["schuldeiser"]["naam"],
        iban=context["betaling"]["iban"],
        amount=Decimal(cents) / 100,
        text=context["betaling"]["kenmerk"],
    )


def _bare(template: Path, context: dict, qr_png: bytes | None) -> bytes:
    """The letter as docxtpl makes it without any reuse: a new template, parse and compile."""
    doc = DocxTemplate(template)
    doc.init_docx()
    data = plain_context(context)
    payment = dict(data.get("betaling") or {})
    image = InlineImage(doc, io.BytesIO(qr_png), width=QR_WIDTH) if qr_png else None
    payment["qr"] = QrImage(image) if image is not None else ""
    data["betaling"] = plain_context(payment, "betaling")
    doc.render(data, jinja_env=letter_environment(), autoescape=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _members(docx: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return [(name, archive.read(name)) for name in archive.namelist()]


def _jobs(count: int) -> list[LetterJob]:
    jobs = []
    for k in range(count):
        template, language = LETTERS[k % len(LETTERS)]
        context = sample_context(template, language)
        # the window's address block is built from the name (klant.adresblok): both change
        name, customer = f"Klant {k} & Zn <BV>", context["klant"]
        customer["adresblok"] = customer["adresblok"].replace(customer["naam"], name, 1)
        customer["naam"] = name
        path = SHIPPED / language / f"{template}.docx"
        jobs.append(LetterJob(path, context, qr_payload=_payload(context, 10_000 + k)))
    return jobs


def test_every_part_is_the_same_as_a_bare_docxtpl_render():
    for job in _jobs(len(LETTERS)):
        png = qr.epc_qr_png(job.qr_payload, scale=6)
        for _ in range(2):  # the second letter of a template comes from the compiled one
            ours = render_letter(job.template, job.context, qr_png=png)
            assert _members(ours) == _members(_bare(job.template, job.context, png))


def test_a_template_is_compiled_once_for_many_letters(monkeypatch):
    compiled, patched = [], []
    real_compile, real_patch = jinja2.Environment.compile, DocxTemplate.patch_xml

    def counting_compile(self, *args, **kwargs):
        compiled.append(1)
        return real_compile(self, *args, **kwargs)

    def counting_patch(self, *args, **kwargs):
        patched.append(1)
        return real_patch(self, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counting_compile)
    monkeypatch.setattr(DocxTemplate, "patch_xml", counting_patch)
    monkeypatch.setattr(render, "_COMPILED", {})
    path = SHIPPED / "nl" / "herinnering.docx"
    context = sample_context("herinnering", "nl")
    render_letters([LetterJob(path, context)], workers=1)
    once = (len(compiled), len(patched))
    assert once[0] > 0 and once[1] > 0
    render_letters([LetterJob(path, context)] * 40, workers=1)
    assert (len(compiled), len(patched)) == once


def test_a_changed_template_is_compiled_again(tmp_path):
    path = tmp_path / "nl" / "herinnering.docx"
    path.parent.mkdir(parents=True)
    for text in ("Eerst {{ klant.naam }}", "Daarna {{ klant.naam }}"):
        doc = Document()
        doc.add_paragraph(text)
        doc.save(path)
        letter = render_letter(path, sample_context("herinnering", "nl"))
        assert text.split()[0] in letter_text(letter)


def test_a_pool_gives_the_same_letters_in_the_same_order():
    jobs = _jobs(30)
    alone = render_letters(jobs, workers=1)
    seen = []
    pooled = render_letters(jobs, workers=2, progress=lambda done, total: seen.append(done))
    assert [_members(a) for a in alone] == [_members(p) for p in pooled]
    for k, letter in enumerate(pooled):
        assert f"Klant {k} & Zn <BV>" in letter_text(letter)
    assert seen == list(range(1, 31))


def _hostile(folder: Path, body: str) -> Path:
    doc = Document()
    doc.add_paragraph(body)
    path = folder / "nl" / "herinnering.docx"
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("{{ klant.naam.__class__ }}", "niet toegestane code"),
        ("{{ range(10**7)|length }}", "range(...) geeft te veel getallen"),
        ("{{ klant.naamm }}", "onbekend veld 'klant.naamm'"),
    ],
)
def test_the_sandbox_holds_in_every_process(tmp_path, body, problem):
    # the first letter is filled here, the others in the pool: the fifth one trips the sandbox
    path = _hostile(tmp_path, '{% if klant.naam == "boos" %}' + body + "{% endif %}ok")
    jobs = []
    for k in range(8):
        context = sample_context("herinnering", "nl")
        context["klant"]["naam"] = "boos" if k == 4 else f"Klant {k}"
        jobs.append(LetterJob(path, context))
    assert len(render_letters(jobs[:4] + jobs[5:], workers=2)) == 7
    with pytest.raises(TemplateError, match="Sjabloon nl/herinnering.docx: ") as raised:
        render_letters(jobs, workers=2)
    assert problem in raised.value.message


def test_each_letter_has_its_own_budget(tmp_path):
    # one letter takes 60,000 of the 100,000 steps: every letter of the run may take them
    path = _hostile(
        tmp_path, "{% for i in range(6000) %}{% for j in range(10) %}{% endfor %}{% endfor %}ok"
    )
    letters = render_letters([LetterJob(path, sample_context("herinnering", "nl"))] * 3, workers=1)
    assert all("ok" in letter_text(letter) for letter in letters)


def test_a_qr_code_is_drawn_once_per_payload(monkeypatch):
    made = []
    real = qr.segno.make

    def counting(*args, **kwargs):
        made.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(qr.segno, "make", counting)
    qr.cached_qr_png.cache_clear()
    payload = _payload(sample_context("herinnering", "nl"), 9_999)
    first = qr.cached_qr_png(payload, 6)
    assert qr.cached_qr_png(payload, 6) == first == qr.epc_qr_png(payload, scale=6)
    assert len(made) == 2  # the cached one once, the uncached call once


def test_the_print_file_reads_each_letter_once_and_merges_the_same():
    from debiteuren.letters import merge

    docs = render_letters(_jobs(12), workers=1)
    base = Document(io.BytesIO(docs[0]))
    state = render._MergeState(base)
    for data in docs[1:]:  # each letter opened in full with python-docx: the slow way
        render._append_document(base, Document(io.BytesIO(data)), state)
    render._number_drawings(base)
    for part in render._story_parts(base):
        render._drop_total_pages(part.element)
    out = io.BytesIO()
    base.save(out)
    assert _members(render.merge_letters(docs)) == _members(out.getvalue())
    # letters of one template share their styles and footers: parsed once per merge
    shared: dict = {}
    first, again = (merge.read_letter(docs[k], shared) for k in (1, 1 + len(LETTERS)))
    assert first.styles.element is again.styles.element
    assert first.element is not again.element  # the body moves: each letter its own


def test_without_processes_the_letters_are_filled_one_by_one(monkeypatch):
    def no_processes(*args, **kwargs):
        raise OSError("geen processen in deze omgeving")

    monkeypatch.setattr(render, "ProcessPoolExecutor", no_processes)
    jobs = _jobs(6)
    assert [_members(d) for d in render_letters(jobs, workers=2)] == [
        _members(d) for d in render_letters(jobs, workers=1)
    ]


CTRL_C_WHILE_FILLING = """
import os, signal, sys, time
from pathlib import Path
from debiteuren.letters import render

MAIN = os.getpid()


def fill(job):
    if os.getpid() != MAIN and job.context["n"] == 40:
        os.killpg(0, signal.SIGINT)  # Ctrl-C in a terminal: every process of the command
        time.sleep(0.3)
    return ("ok", b"brief")


render._fill = fill
jobs = [render.LetterJob(Path("brief.docx"), {"n": n}) for n in range(400)]
try:
    render.render_letters(jobs, workers=2)
except KeyboardInterrupt:
    print("afgebroken")
    sys.exit(0)
print("niet afgebroken")
"""


def test_ctrl_c_while_letters_are_filled_in_processes_prints_no_traceback():
    # the workers took the terminal's Ctrl-C too and each printed "Process ForkProcess-1:
    # Traceback ... KeyboardInterrupt" before the command's "Afgebroken."
    done = subprocess.run(
        [sys.executable, "-c", CTRL_C_WHILE_FILLING],
        capture_output=True,
        text=True,
        start_new_session=True,  # its own process group: the Ctrl-C stays inside
        timeout=120,
    )
    assert (done.returncode, done.stdout) == (0, "afgebroken\n"), done.stderr
    assert "Traceback" not in done.stderr
