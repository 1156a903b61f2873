"""Tests for debiteuren.letters.render: filling, errors, sandbox, merging, PDF and e-mail."""

from __future__ import annotations

import email
import io
import re
import shutil
import subprocess
import zipfile
from datetime import UTC, datetime
from decimal import Decimal
from email import policy
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from debiteuren.errors import DebiteurenError
from debiteuren.letters import render
from debiteuren.letters.fields import known_fields
from debiteuren.letters.qr import epc_payload, epc_qr_png
from debiteuren.letters.render import (
    TemplateError,
    check_template,
    convert_to_pdf,
    find_template,
    letter_text,
    make_eml,
    merge_letters,
    render_letter,
    shipped_template_dir,
    template_fields,
)
from debiteuren.letters.samples import sample_context

SHIPPED = shipped_template_dir()


def _template(folder: Path, body: str, *, name: str = "herinnering.docx", header: str = "") -> Path:
    """Write a one-paragraph template ``folder/nl/<name>`` and return its path."""
    doc = Document()
    for line in body.split("\n"):
        doc.add_paragraph(line)
    if header:
        doc.sections[0].header.paragraphs[0].text = header
    path = folder / "nl" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


def _qr_png(context: dict) -> bytes:
    return epc_qr_png(
        epc_payload(
            name=context["schuldeiser"]["naam"],
            iban=context["betaling"]["iban"],
            amount=Decimal("1457.29"),
            text=context["betaling"]["kenmerk"],
        )
    )


def _letter(template: str, language: str, *, qr: bool = True) -> bytes:
    context = sample_context(template, language)
    path = SHIPPED / language / f"{template}.docx"
    return render_letter(path, context, qr_png=_qr_png(context) if qr else None)


class TestRenderLetter:
    def test_fills_fields_and_escapes(self, tmp_path: Path):
        path = _template(tmp_path, "{{ klant.naam }} | {{ schuldeiser.naam }} | {{ klant.adres }}")
        context = sample_context("aanmaning", "nl")
        context["klant"]["adres"] = 'Straat "A" 1 & <2>'
        text = letter_text(render_letter(path, context))
        assert 'Jansen & Zn <BV> | Van Dijk Installatietechniek B.V. | Straat "A" 1 & <2>' in text

    def test_keeps_the_context_unchanged(self, tmp_path: Path):
        path = _template(tmp_path, "{{ betaling.qr }}{{ klant.naam }}")
        context = sample_context("herinnering", "nl")
        before = repr(context)
        render_letter(path, context, qr_png=_qr_png(context))
        assert repr(context) == before

    def test_names_an_unknown_field_and_its_template(self, tmp_path: Path):
        path = _template(tmp_path, "Beste {{ klant.naamm }},")
        with pytest.raises(TemplateError) as caught:
            render_letter(path, sample_context("herinnering", "nl"))
        assert str(caught.value) == "Sjabloon nl/herinnering.docx: onbekend veld 'klant.naamm'"
        assert caught.value.field == "klant.naamm"
        assert caught.value.template == "nl/herinnering.docx"
        assert isinstance(caught.value, DebiteurenError)

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ("{{ klantt.naam }}", "klantt"),
            ("{% for f in facturen %}{{ f.bedragg }}{% endfor %}", "facturen.bedragg"),
            ("{% if kosten.gratis %}x{% endif %}", "kosten.gratis"),
            ("{{ regeling.termijnen[0].datum }}", "regeling.termijnen.datum"),
        ],
    )
    def test_names_unknown_fields_in_full(self, tmp_path: Path, body: str, field: str):
        path = _template(tmp_path, body, name="regeling.docx")
        with pytest.raises(
            TemplateError, match=re.escape(f"nl/regeling.docx: onbekend veld '{field}'")
        ):
            render_letter(path, sample_context("regeling", "nl"))

    def test_finds_unknown_fields_in_the_header(self, tmp_path: Path):
        path = _template(tmp_path, "{{ klant.naam }}", header="{{ schuldeiser.logo }}")
        with pytest.raises(TemplateError, match=r"onbekend veld 'schuldeiser\.logo'"):
            render_letter(path, sample_context("herinnering", "nl"))

    def test_reports_a_broken_tag(self, tmp_path: Path):
        path = _template(tmp_path, "{% if klant.naam %}geen einde")
        with pytest.raises(
            TemplateError, match=r"^Sjabloon nl/herinnering\.docx: fout in een code"
        ):
            render_letter(path, sample_context("herinnering", "nl"))

    @pytest.mark.parametrize(
        "body",
        [
            "{{ ''.__class__ }}",
            "{{ ''.__class__.__mro__[1].__subclasses__() }}",
            "{{ klant.__class__.__init__.__globals__ }}",
            "{{ klant.naam.format.__globals__ }}",
        ],
    )
    def test_the_sandbox_blocks_python_internals(self, tmp_path: Path, body: str):
        path = _template(tmp_path, body)
        with pytest.raises(
            TemplateError, match=r"Sjabloon nl/herinnering\.docx: niet toegestane code"
        ):
            render_letter(path, sample_context("herinnering", "nl"))

    def test_rejects_a_file_that_is_not_word(self, tmp_path: Path):
        path = tmp_path / "nl" / "herinnering.docx"
        path.parent.mkdir()
        path.write_text("geen Word")
        with pytest.raises(TemplateError, match="geen geldig Word-bestand"):
            render_letter(path, sample_context("herinnering", "nl"))

    def test_puts_the_qr_code_in_as_a_3_cm_image(self):
        doc = Document(io.BytesIO(_letter("herinnering", "nl")))
        shapes = doc.inline_shapes
        assert len(shapes) == 1
        assert round(shapes[0].width / 36000) == 30

    def test_leaves_the_qr_code_out_without_an_image(self):
        doc = Document(io.BytesIO(_letter("herinnering", "nl", qr=False)))
        assert len(doc.inline_shapes) == 0
        assert "Scan de QR-code" not in letter_text(_letter("herinnering", "nl", qr=False))


class TestTemplateFields:
    def test_lists_fields_with_loop_variables_resolved(self, tmp_path: Path):
        path = _template(
            tmp_path,
            "{{ klant.naam|upper }}\n"
            "{% for f in facturen %}{{ f.nummer }} {{ loop.index }}{% endfor %}\n"
            "{% set x = 3 %}{{ x }} {{ range(2)|length }}\n"
            "{{ regeling.termijnen[0].bedrag }}",
        )
        assert template_fields(path) == {
            "klant.naam",
            "facturen",
            "facturen.nummer",
            "regeling.termijnen.bedrag",
        }

    def test_check_template_names_every_unknown_field(self, tmp_path: Path):
        path = _template(tmp_path, "{{ klant.naamm }} {{ klant.naam }} {{ brief.datumm }}")
        assert check_template(path, known_fields()) == [
            "Sjabloon nl/herinnering.docx: onbekend veld 'brief.datumm'",
            "Sjabloon nl/herinnering.docx: onbekend veld 'klant.naamm'",
        ]

    def test_check_template_reports_broken_tags(self, tmp_path: Path):
        path = _template(tmp_path, "{{ klant.naam ")
        (message,) = check_template(path, known_fields())
        assert message.startswith("Sjabloon nl/herinnering.docx: fout in een code")


class TestFindTemplate:
    def test_prefers_the_users_template(self, tmp_path: Path):
        own = _template(tmp_path, "{{ klant.naam }}")
        assert find_template("herinnering", "nl", tmp_path) == own

    def test_falls_back_to_the_shipped_template(self, tmp_path: Path):
        found = find_template("aanmaning", "fr", tmp_path)
        assert found == SHIPPED / "fr" / "aanmaning.docx"
        assert find_template("aanmaning", "fr") == found

    def test_reports_a_missing_template(self, tmp_path: Path):
        with pytest.raises(TemplateError, match=r"Sjabloon es/herinnering\.docx: niet gevonden"):
            find_template("herinnering", "es", tmp_path)


class TestMergeLetters:
    LETTERS = (("herinnering", "nl"), ("veertiendagenbrief", "nl"), ("aanmaning", "fr"))

    @pytest.fixture(scope="class")
    @classmethod
    def merged(cls) -> bytes:
        return merge_letters([_letter(t, lang) for t, lang in cls.LETTERS])

    def test_has_one_section_per_letter(self, merged: bytes):
        doc = Document(io.BytesIO(merged))
        assert len(doc.sections) == len(self.LETTERS)
        for section in doc.sections:
            assert section.start_type == 2  # WD_SECTION.NEW_PAGE
            assert section._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
            assert section.different_first_page_header_footer

    def test_contains_every_letter(self, merged: bytes):
        text = letter_text(merged)
        for template, language in self.LETTERS:
            context = sample_context(template, language)
            assert context["klant"]["naam"] in text
            assert context["totaal"]["totaal"] in text
            assert context["brief"]["titel"] in text

    def test_keeps_each_letters_own_footer(self, merged: bytes):
        doc = Document(io.BytesIO(merged))
        footers = [s.footer.paragraphs[0].text for s in doc.sections]
        assert "Van Dijk Installatietechniek B.V." in footers[0]
        assert "Tandartspraktijk 't Zonnehof" in footers[1]
        assert "Van Dijk Installatietechniek B.V." in footers[2]
        assert doc.sections[1].footer.part is not doc.sections[0].footer.part

    def test_numbers_pages_per_letter(self, merged: bytes):
        doc = Document(io.BytesIO(merged))
        for section in doc.sections:
            numbers = section.footer.paragraphs[-1]
            instructions = "".join(t.text for t in numbers._p.iter(qn("w:instrText")))
            assert "PAGE" in instructions and "NUMPAGES" not in instructions
            assert numbers.text.strip() in ("Pagina 1", "Page 1")

    def test_keeps_every_qr_code_with_unique_ids(self, merged: bytes):
        doc = Document(io.BytesIO(merged))
        assert len(doc.inline_shapes) == len(self.LETTERS)
        ids = [e.get("id") for e in doc.element.body.iter() if e.tag.endswith("}docPr")]
        assert len(ids) == len(set(ids)) == len(self.LETTERS)
        blips = [b.get(qn("r:embed")) for b in doc.element.body.iter(qn("a:blip"))]
        assert all(doc.part.related_parts[r].content_type == "image/png" for r in blips)

    @staticmethod
    def _with_footnote(folder: Path, note: str) -> Path:
        from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
        from docx.opc.packuri import PackURI
        from docx.opc.part import Part
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls

        doc = Document()
        paragraph = doc.add_paragraph("Beste {{ klant.naam }},")
        paragraph._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:footnoteReference w:id="1"/></w:r>'))
        notes = (
            f'<w:footnotes {nsdecls("w")}><w:footnote w:type="separator" w:id="-1"><w:p><w:r>'
            '<w:separator/></w:r></w:p></w:footnote><w:footnote w:id="1"><w:p><w:r><w:t>'
            f"{note}</w:t></w:r></w:p></w:footnote></w:footnotes>"
        ).encode()
        part = Part(
            PackURI("/word/footnotes.xml"), CONTENT_TYPE.WML_FOOTNOTES, notes, doc.part.package
        )
        doc.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)
        path = folder / "nl" / "herinnering.docx"
        path.parent.mkdir(parents=True, exist_ok=True)
        doc.save(path)
        return path

    @pytest.mark.parametrize("first_has_notes", [True, False])
    def test_each_letter_keeps_its_own_footnotes(self, tmp_path: Path, first_has_notes: bool):
        """A footnote reference names its note by number: every letter of the print file
        showed the first letter's footnote, with the first customer's name in it."""
        import copy

        from lxml import etree

        path = self._with_footnote(tmp_path, "Voetnoot voor {{ klant.naam }}")
        letters = []
        for name in ("Eerste Klant BV", "Tweede Klant BV", "Derde Klant BV"):
            context = copy.deepcopy(sample_context("herinnering", "nl"))
            context["klant"]["naam"] = name
            letters.append(render_letter(path, context))
        if not first_has_notes:
            letters[0] = render_letter(_template(tmp_path / "zonder", "Beste"), {})
        merged = Document(io.BytesIO(merge_letters(letters)))
        (part,) = [
            r.target_part for r in merged.part.rels.values() if r.reltype.endswith("/footnotes")
        ]
        tree = etree.fromstring(part.blob)
        texts = {
            n.get(qn("w:id")): "".join(n.itertext())
            for n in tree.iter(qn("w:footnote"))
            if n.get(qn("w:type")) is None
        }
        refs = [r.get(qn("w:id")) for r in merged.element.body.iter(qn("w:footnoteReference"))]
        wanted = ["Eerste Klant BV", "Tweede Klant BV", "Derde Klant BV"][3 - len(refs) :]
        assert [texts[r] for r in refs] == [f"Voetnoot voor {name}" for name in wanted]
        assert any(n.get(qn("w:type")) == "separator" for n in tree)

    @staticmethod
    def _with_comment(folder: Path, comment: str) -> Path:
        doc = Document()
        paragraph = doc.add_paragraph("Beste {{ klant.naam }},")
        doc.add_comment(paragraph.runs, text=comment, author="Sjabloonmaker")
        path = folder / "nl" / "herinnering.docx"
        path.parent.mkdir(parents=True, exist_ok=True)
        doc.save(path)
        return path

    @pytest.mark.parametrize("first_has_comments", [True, False])
    def test_each_letter_keeps_its_own_comments(self, tmp_path: Path, first_has_comments: bool):
        """A comment's range and reference name it by number in the document's comments part,
        and the merge moved only the body: every letter of the print file pointed at the first
        letter's comments (another template's remark), or at none when it had none."""
        from lxml import etree

        letters = [
            render_letter(
                self._with_comment(tmp_path / kind, f"Opmerking bij de {kind}"),
                sample_context("herinnering", "nl"),
            )
            for kind in ("herinnering", "aanmaning", "ingebrekestelling")
        ]
        if not first_has_comments:
            letters[0] = render_letter(_template(tmp_path / "zonder", "Beste"), {})
        merged = Document(io.BytesIO(merge_letters(letters)))
        (part,) = [
            r.target_part for r in merged.part.rels.values() if r.reltype.endswith("/comments")
        ]
        tree = etree.fromstring(part.blob)
        texts = {n.get(qn("w:id")): "".join(n.itertext()) for n in tree.iter(qn("w:comment"))}
        body = merged.element.body
        refs = [r.get(qn("w:id")) for r in body.iter(qn("w:commentReference"))]
        wanted = ["herinnering", "aanmaning", "ingebrekestelling"][3 - len(refs) :]
        assert [texts[r] for r in refs] == [f"Opmerking bij de {kind}" for kind in wanted]
        assert [r.get(qn("w:id")) for r in body.iter(qn("w:commentRangeStart"))] == refs
        assert [r.get(qn("w:id")) for r in body.iter(qn("w:commentRangeEnd"))] == refs
        assert len(set(refs)) == len(refs) == len(texts)

    @staticmethod
    def _commented(folder: Path, letter: str, missing: str = "") -> Path:
        """Write a template 'Brief <letter>' with the comment 'Opmerking bij <letter>'; with
        ``missing``, a reference whose comment is not there: the comments part is gone
        ("part"), the comment is gone from it ("comment"), or a second paragraph refers to
        a comment 1 the part does not have ("extra")."""
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls

        doc = Document()
        paragraph = doc.add_paragraph(f"Brief {letter}")
        doc.add_comment(paragraph.runs, text=f"Opmerking bij {letter}", author="Sjabloonmaker")
        if missing == "extra":
            doc.add_paragraph(f"Brief {letter} los")._p.extend(
                parse_xml(f'<w:r {nsdecls("w")}><{tag} w:id="1"/></w:r>')[0]
                for tag in ("w:commentRangeStart", "w:commentRangeEnd", "w:commentReference")
            )
        path = folder / letter / "nl" / "herinnering.docx"
        path.parent.mkdir(parents=True)
        doc.save(path)
        if missing in ("part", "comment"):
            blob = path.read_bytes()
            with zipfile.ZipFile(io.BytesIO(blob)) as source, zipfile.ZipFile(path, "w") as out:
                for item in source.infolist():
                    data = source.read(item)
                    if item.filename == "word/comments.xml" and missing == "comment":
                        data = re.sub(rb"<w:comment .*</w:comment>", b"", data, flags=re.S)
                    elif missing == "part" and item.filename == "word/comments.xml":
                        continue
                    elif missing == "part" and item.filename.endswith(
                        ("document.xml.rels", "].xml")
                    ):
                        data = re.sub(rb"<[^<]*comments[^>]*>", b"", data)
                    out.writestr(item, data)
        return path

    @pytest.mark.parametrize(
        "letters",
        [
            (("A", ""), ("B", "part"), ("C", "comment")),
            (("B", "part"), ("A", "")),
            (("C", "comment"), ("A", "")),
            (("D", "extra"), ("A", ""), ("E", "extra")),
        ],
    )
    def test_a_reference_without_its_comment_shows_no_other_letters_comment(
        self, tmp_path: Path, letters: tuple
    ):
        """A comment reference whose comment the letter does not have kept its number in the
        print file, where that number is another letter's comment: letter B showed letter
        A's remark. Such a reference is dropped; every other one points at its own letter's
        comment."""
        from lxml import etree

        made = [
            render_letter(self._commented(tmp_path, letter, missing), {})
            for letter, missing in letters
        ]
        merged = Document(io.BytesIO(merge_letters(made)))
        (part,) = [
            r.target_part for r in merged.part.rels.values() if r.reltype.endswith("/comments")
        ]
        texts = {
            n.get(qn("w:id")): "".join(n.itertext())
            for n in etree.fromstring(part.blob).iter(qn("w:comment"))
        }
        found = {}
        for paragraph in merged.element.body.iter(qn("w:p")):
            text = "".join(t.text or "" for t in paragraph.iter(qn("w:t")))
            for tag in ("w:commentRangeStart", "w:commentRangeEnd", "w:commentReference"):
                ids = [r.get(qn("w:id")) for r in paragraph.iter(qn(tag))]
                found.setdefault(text, []).append([texts.get(i, "(geen)") for i in ids])
        wanted = {
            f"Brief {letter}": [[f"Opmerking bij {letter}"]] * 3
            if missing in ("", "extra")
            else [[]] * 3
            for letter, missing in letters
        }
        wanted.update({f"Brief {x} los": [[]] * 3 for x, missing in letters if missing == "extra"})
        assert found == wanted
        assert len(texts) == sum(missing in ("", "extra") for _, missing in letters)

    @staticmethod
    def _threaded(folder: Path, letter: str, *, resolved: bool) -> Path:
        """Write a template 'Brief <letter>' with a question and a reply to it, as Word saves a
        thread: the comments' paragraphs carry a w14:paraId, commentsExtended links the reply to
        the question (and says whether the question is resolved), commentsIds and
        commentsExtensible give each a durable id, people.xml names the authors. Every template
        uses the same ids, as copies of one template do."""
        doc = Document()
        paragraph = doc.add_paragraph(f"Brief {letter}")
        doc.add_comment(paragraph.runs, text=f"Vraag bij {letter}", author=f"Auteur {letter}")
        doc.add_comment(paragraph.runs, text=f"Antwoord bij {letter}", author=f"Auteur {letter}")
        path = folder / letter / "nl" / "herinnering.docx"
        path.parent.mkdir(parents=True)
        doc.save(path)
        ns = {
            "w15": "http://schemas.microsoft.com/office/word/2012/wordml",
            "w16cid": "http://schemas.microsoft.com/office/word/2016/wordml/cid",
            "w16cex": "http://schemas.microsoft.com/office/word/2018/wordml/cex",
        }
        office = "http://schemas.microsoft.com/office"
        ct = "application/vnd.openxmlformats-officedocument.wordprocessingml"
        parts = {
            "commentsExtended": (
                f"{office}/2011/relationships/commentsExtended",
                f'<w15:commentsEx xmlns:w15="{ns["w15"]}"><w15:commentEx w15:paraId="0A0A0A01"'
                f' w15:done="{int(resolved)}"/><w15:commentEx w15:paraId="0A0A0A02"'
                ' w15:paraIdParent="0A0A0A01" w15:done="0"/></w15:commentsEx>',
            ),
            "commentsIds": (
                f"{office}/2016/09/relationships/commentsIds",
                f'<w16cid:commentsIds xmlns:w16cid="{ns["w16cid"]}"><w16cid:commentId'
                ' w16cid:paraId="0A0A0A01" w16cid:durableId="1B1B1B01"/><w16cid:commentId'
                ' w16cid:paraId="0A0A0A02" w16cid:durableId="1B1B1B02"/></w16cid:commentsIds>',
            ),
            "commentsExtensible": (
                f"{office}/2018/08/relationships/commentsExtensible",
                f'<w16cex:commentsExtensible xmlns:w16cex="{ns["w16cex"]}">'
                '<w16cex:commentExtensible w16cex:durableId="1B1B1B01"'
                ' w16cex:dateUtc="2026-10-01T09:00:00Z"/><w16cex:commentExtensible'
                ' w16cex:durableId="1B1B1B02" w16cex:dateUtc="2026-10-01T10:00:00Z"/>'
                "</w16cex:commentsExtensible>",
            ),
            "people": (
                f"{office}/2011/relationships/people",
                f'<w15:people xmlns:w15="{ns["w15"]}"><w15:person w15:author="Auteur {letter}">'
                f'<w15:presenceInfo w15:providerId="None" w15:userId="Auteur {letter}"/>'
                "</w15:person></w15:people>",
            ),
        }
        blob = path.read_bytes()
        with zipfile.ZipFile(io.BytesIO(blob)) as source, zipfile.ZipFile(path, "w") as out:
            for item in source.infolist():
                data = source.read(item)
                if item.filename == "word/comments.xml":
                    for n in (0, 1):
                        data = re.sub(
                            rf'(<w:comment w:id="{n}"[^>]*>)<w:p>'.encode(),
                            rf'\1<w:p w14:paraId="0A0A0A0{n + 1}" w14:textId="77777777">'.encode(),
                            data,
                        )
                elif item.filename == "word/_rels/document.xml.rels":
                    rels = "".join(
                        f'<Relationship Id="rIdC{k}" Type="{reltype}" Target="{name}.xml"/>'
                        for k, (name, (reltype, _)) in enumerate(parts.items())
                    )
                    data = data.replace(b"</Relationships>", rels.encode() + b"</Relationships>")
                elif item.filename == "[Content_Types].xml":
                    types = "".join(
                        f'<Override PartName="/word/{name}.xml" ContentType="{ct}.{name}+xml"/>'
                        for name in parts
                    )
                    data = data.replace(b"</Types>", types.encode() + b"</Types>")
                out.writestr(item, data)
            for name, (_, xml) in parts.items():
                out.writestr(f"word/{name}.xml", xml)
        return path

    @staticmethod
    def _threads(merged: bytes) -> dict:
        """Return, per comment of a print file, its text, the text of the comment it answers,
        whether it is resolved, its date and its durable id; and the authors in people.xml."""
        from lxml import etree

        w14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
        w15 = "{http://schemas.microsoft.com/office/word/2012/wordml}"
        cid = "{http://schemas.microsoft.com/office/word/2016/wordml/cid}"
        cex = "{http://schemas.microsoft.com/office/word/2018/wordml/cex}"
        doc = Document(io.BytesIO(merged))
        parts = {r.reltype.rsplit("/", 1)[-1]: r.target_part for r in doc.part.rels.values()}
        trees = {
            k: etree.fromstring(p.blob) for k, p in parts.items() if k.startswith(("comm", "peo"))
        }
        by_para = {}
        for comment in trees["comments"].iter(qn("w:comment")):
            last = comment.findall(qn("w:p"))[-1]
            by_para[last.get(f"{w14}paraId")] = "".join(comment.itertext())
        assert len(by_para) == len(list(trees["comments"].iter(qn("w:comment"))))
        extended = {e.get(f"{w15}paraId"): e for e in trees["commentsExtended"]}
        ids = {e.get(f"{cid}paraId"): e.get(f"{cid}durableId") for e in trees["commentsIds"]}
        assert len(set(ids.values())) == len(ids) == len(trees["commentsIds"])
        dates = {
            e.get(f"{cex}durableId"): e.get(f"{cex}dateUtc") for e in trees["commentsExtensible"]
        }
        assert len(dates) == len(trees["commentsExtensible"])
        threads = {
            text: (
                by_para.get(extended[para].get(f"{w15}paraIdParent")),
                extended[para].get(f"{w15}done"),
                dates[ids[para]],
            )
            for para, text in by_para.items()
        }
        authors = [p.get(f"{w15}author") for p in trees["people"]]
        return {"threads": threads, "authors": authors}

    @pytest.mark.parametrize("first", ["threaded", "plain"])
    def test_each_letter_keeps_its_own_comment_threads(self, tmp_path: Path, first: str):
        """Word keeps a comment's replies, its resolved state, its durable id and its author
        in parts beside the comments, by the paragraph ids of the comments. The print file
        kept the first letter's parts only: the other letters' replies were loose comments
        and their resolved flags gone. Every letter's are carried over under new ids, unique
        in the print file."""
        letters = [render_letter(self._threaded(tmp_path, x, resolved=x == "A"), {}) for x in "ABC"]
        if first == "plain":
            letters[0] = render_letter(_template(tmp_path / "zonder", "Beste"), {})
        found = self._threads(merge_letters(letters))
        wanted = {}
        for x in "ABC"[1 if first == "plain" else 0 :]:
            done = "1" if x == "A" else "0"
            wanted[f"Vraag bij {x}"] = (None, done, "2026-10-01T09:00:00Z")
            wanted[f"Antwoord bij {x}"] = (f"Vraag bij {x}", "0", "2026-10-01T10:00:00Z")
        assert found["threads"] == wanted
        assert found["authors"] == [f"Auteur {x}" for x in "ABC"[1 if first == "plain" else 0 :]]

    @pytest.mark.parametrize(
        ("kind", "target"),
        [
            ("commentsExtended", "document.xml"),
            ("commentsIds", "comments.xml"),
            ("people", "styles.xml"),
        ],
    )
    @pytest.mark.parametrize("hostile", [0, 1])
    def test_a_thread_part_that_is_another_part_is_left_alone(
        self, tmp_path: Path, kind: str, target: str, hostile: int
    ):
        """A template whose relationship to a thread part points at another part (the
        document, the comments, the styles: hostile or damaged) had the other letters' thread
        entries appended to that part: ``<w15:commentEx>`` after the body of the print file's
        document, ``<w16cid:commentId>`` among its comments, ``<w15:person>`` among its
        styles, which Word reports as unreadable. Such a part is no thread part: it is left
        as it is, and every comment is in the print file."""
        from lxml import etree

        paths = [self._threaded(tmp_path, x, resolved=False) for x in "AB"]
        path = paths[hostile]
        blob = path.read_bytes()
        with zipfile.ZipFile(io.BytesIO(blob)) as source, zipfile.ZipFile(path, "w") as out:
            for item in source.infolist():
                data = source.read(item)
                if item.filename == "word/_rels/document.xml.rels":
                    data = data.replace(
                        f'Target="{kind}.xml"'.encode(), f'Target="{target}"'.encode()
                    )
                out.writestr(item, data)
        letters = [render_letter(p, {}) for p in paths]
        merged = merge_letters(letters)
        with zipfile.ZipFile(io.BytesIO(merged)) as package:
            parts = {
                n: package.read(n)
                for n in ("word/document.xml", "word/comments.xml", "word/styles.xml")
            }
        with zipfile.ZipFile(io.BytesIO(letters[0])) as first:
            styles = first.read("word/styles.xml")
        assert [c.tag for c in etree.fromstring(parts["word/document.xml"])] == [qn("w:body")]
        assert {c.tag for c in etree.fromstring(parts["word/comments.xml"])} == {qn("w:comment")}
        assert etree.tostring(etree.fromstring(parts["word/styles.xml"])) == etree.tostring(
            etree.fromstring(styles)
        )
        texts = sorted("".join(c.itertext()) for c in etree.fromstring(parts["word/comments.xml"]))
        assert texts == sorted(f"{q} bij {x}" for x in "AB" for q in ("Vraag", "Antwoord"))

    @pytest.mark.parametrize("kind", ["commentsExtended", "commentsIds", "people"])
    def test_a_thread_part_that_is_another_part_makes_no_such_part(self, tmp_path: Path, kind):
        """The same in a later letter when the first has no threads: the print file got a new
        thread part copied from that other part's root (a ``<w:styles>`` as its people)."""
        from lxml import etree

        path = self._threaded(tmp_path, "B", resolved=False)
        blob = path.read_bytes()
        with zipfile.ZipFile(io.BytesIO(blob)) as source, zipfile.ZipFile(path, "w") as out:
            for item in source.infolist():
                data = source.read(item)
                if item.filename == "word/_rels/document.xml.rels":
                    data = data.replace(f'Target="{kind}.xml"'.encode(), b'Target="styles.xml"')
                out.writestr(item, data)
        plain = render_letter(_template(tmp_path / "zonder", "Beste"), {})
        merged = merge_letters([plain, render_letter(path, {})])
        doc = Document(io.BytesIO(merged))
        roots = {
            r.reltype.rsplit("/", 1)[-1]: etree.fromstring(r.target_part.blob).tag
            for r in doc.part.rels.values()
            if r.reltype.rsplit("/", 1)[-1] in ("commentsExtended", "commentsIds", "people")
        }
        assert kind not in roots
        assert all(not tag.endswith("}styles") for tag in roots.values())

    @pytest.mark.parametrize("damaged", [0, 1])
    def test_a_damaged_thread_part_leaves_the_comments(self, tmp_path: Path, damaged: int):
        """Word's thread parts are not filled, so a damaged one reaches the merge: the print
        file is made, with every comment; that letter's threads are left out."""
        paths = [self._threaded(tmp_path, x, resolved=False) for x in "AB"]
        path = paths[damaged]
        blob = path.read_bytes()
        with zipfile.ZipFile(io.BytesIO(blob)) as source, zipfile.ZipFile(path, "w") as out:
            for item in source.infolist():
                data = source.read(item)
                if item.filename == "word/commentsExtended.xml":
                    data = data[:-20]
                out.writestr(item, data)
        merged = merge_letters([render_letter(p, {}) for p in paths])
        from lxml import etree

        doc = Document(io.BytesIO(merged))
        (part,) = [r.target_part for r in doc.part.rels.values() if r.reltype.endswith("/comments")]
        texts = sorted("".join(c.itertext()) for c in etree.fromstring(part.blob))
        assert texts == sorted(f"{q} bij {x}" for x in "AB" for q in ("Vraag", "Antwoord"))

    @pytest.mark.parametrize("number", ["²", "1" * 5000])
    def test_a_note_number_that_is_no_number_does_not_stop_the_print_file(
        self, tmp_path: Path, number: str
    ):
        """The first letter's notes are numbered on: a separator numbered '²' (a digit to
        str.isdigit, not to int) or with 5,000 digits stopped the merge with a ValueError."""
        path = self._with_footnote(tmp_path, "Voetnoot")
        blob = path.read_bytes()
        with zipfile.ZipFile(io.BytesIO(blob)) as source, zipfile.ZipFile(path, "w") as target:
            for item in source.infolist():
                data = source.read(item)
                if item.filename == "word/footnotes.xml":
                    data = data.replace(b'w:id="-1"', f'w:id="{number}"'.encode())
                target.writestr(item, data)
        letters = [render_letter(path, sample_context("herinnering", "nl")) for _ in range(2)]
        merged = Document(io.BytesIO(merge_letters(letters)))
        refs = [r.get(qn("w:id")) for r in merged.element.body.iter(qn("w:footnoteReference"))]
        assert len(set(refs)) == 2

    def test_one_letter_stays_one_letter(self):
        merged = merge_letters([_letter("regeling", "en")])
        assert len(Document(io.BytesIO(merged)).sections) == 1

    def test_refuses_nothing(self):
        with pytest.raises(DebiteurenError):
            merge_letters([])


class TestMakeEml:
    def test_makes_a_draft_with_attachments(self):
        pdf = b"%PDF-1.7 test"
        data = make_eml(
            sender="Schrijnwerkerij Peeters BV <boekhouding@peeters-schrijnwerk.be>",
            to="Ça va Café SRL <compta@cavacafe.be>",
            subject="Mise en demeure – Ça va Café",
            body_text="Madame,\n\nVeuillez trouver ci-joint notre courrier.\n",
            attachments=[("mise_en_demeure.pdf", pdf, "application/pdf")],
            date=datetime(2025, 11, 5, 9, 30, tzinfo=UTC),
        )
        assert b"\r\n" in data
        message = email.message_from_bytes(data, policy=policy.default)
        assert message["X-Unsent"] == "1"
        assert message["Subject"] == "Mise en demeure – Ça va Café"
        assert message["To"].addresses[0].display_name == "Ça va Café SRL"
        assert message["Date"].datetime == datetime(2025, 11, 5, 9, 30, tzinfo=UTC)
        assert "Veuillez trouver" in message.get_body(("plain",)).get_content()
        (attachment,) = message.iter_attachments()
        assert attachment.get_filename() == "mise_en_demeure.pdf"
        assert attachment.get_content_type() == "application/pdf"
        assert attachment.get_content() == pdf

    def test_accepts_several_recipients(self):
        data = make_eml(sender="a@b.nl", to=["x@y.nl", "z@y.nl"], subject="s", body_text="t")
        assert email.message_from_bytes(data, policy=policy.default)["To"] == "x@y.nl, z@y.nl"

    @pytest.mark.parametrize(
        "hostile",
        [
            "Letterzetter =?utf-8?q?=0D=0ABcc:_x=40example=2Eorg?=",
            "=?utf-8?q?x=40example=2Eorg?=",
            "a =?utf-8?q?=3Cx=40example=2Eorg=3E?= b",
        ],
    )
    def test_an_encoded_word_in_data_adds_no_header_and_no_recipient(self, hostile: str):
        """The e-mail package decoded an encoded word in a name and wrote it back: a Bcc
        header, or a To or From address that was not the one in the cell."""
        data = make_eml(
            sender=f'"{hostile}" <info@vandijk.nl>',
            to=f"{hostile} <klant@example.nl>",
            subject=f"Herinnering – {hostile}",
            body_text="t",
        )
        message = email.message_from_bytes(data, policy=policy.default)
        assert message["Bcc"] is None and b"\r\nBcc:" not in data
        assert [a.addr_spec for a in message["From"].addresses] == ["info@vandijk.nl"]
        assert [a.addr_spec for a in message["To"].addresses] == ["klant@example.nl"]
        assert "example.org" not in message["From"].addresses[0].display_name.replace(" ", "")
        assert "=0D=0A" in message["Subject"] or "=40" in message["Subject"]

    def test_every_recipient_of_a_list_is_addressed_as_smtplib_reads_it(self):
        """A semicolon ends a group in RFC 5322 (only the first address was read), and a
        remark with an accent was written after the address, where smtplib took it for part
        of the address."""
        listed = (
            '"Jansen, Jan" <jan@example.nl>; k@example.be (privé);piet@example.nl (thuis, werk)'
        )
        data = make_eml(
            sender="a@b.nl",
            to=listed,
            subject="s",
            body_text="t",
        )
        wanted = ["jan@example.nl", "k@example.be", "piet@example.nl"]
        message = email.message_from_bytes(data, policy=policy.default)
        assert [a.addr_spec for a in message["To"].addresses] == wanted
        legacy = email.message_from_bytes(data)  # what smtplib.send_message reads
        assert [a for _, a in email.utils.getaddresses(legacy.get_all("To"))] == wanted


def _tool(name: str) -> str | None:
    return shutil.which(name)


needs_soffice = pytest.mark.skipif(render._soffice() is None, reason="LibreOffice not installed")
needs_poppler = pytest.mark.skipif(
    not (_tool("pdfinfo") and _tool("pdftotext")), reason="poppler-utils not installed"
)


def _normal(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


class TestConvertToPdf:
    def test_returns_none_without_libreoffice(self, tmp_path: Path, monkeypatch):
        monkeypatch.setattr(render, "_soffice", lambda: None)
        assert convert_to_pdf([tmp_path / "a.docx"], tmp_path) is None

    def test_refuses_two_letters_with_the_same_name(self, tmp_path: Path, monkeypatch):
        monkeypatch.setattr(render, "_soffice", lambda: "soffice")
        with pytest.raises(render.ConversionError, match="dezelfde naam"):
            convert_to_pdf([tmp_path / "a" / "x.docx", tmp_path / "b" / "x.docx"], tmp_path)

    @needs_soffice
    @needs_poppler
    def test_converts_letters_in_one_call(self, tmp_path: Path, monkeypatch):
        letters = [("veertiendagenbrief", "nl"), ("eerste_herinnering", "fr"), ("regeling", "en")]
        paths = []
        for template, language in letters:
            path = tmp_path / f"{template}_{language}.docx"
            path.write_bytes(_letter(template, language))
            paths.append(path)
        merged = tmp_path / "alle_brieven.docx"
        merged.write_bytes(merge_letters([p.read_bytes() for p in paths]))
        calls = []
        real_run = subprocess.run

        def counting_run(*args, **kwargs):
            calls.append(args[0])
            return real_run(*args, **kwargs)

        monkeypatch.setattr(render.subprocess, "run", counting_run)
        pdfs = convert_to_pdf([*paths, merged], tmp_path / "pdf")
        assert len(calls) == 1
        assert any(arg.startswith("-env:UserInstallation=file:///") for arg in calls[0])
        assert pdfs == [tmp_path / "pdf" / f"{p.stem}.pdf" for p in [*paths, merged]]

        counts = []
        for (template, language), pdf in zip(letters, pdfs, strict=False):
            info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True)
            pages = int(
                next(
                    line for line in info.stdout.splitlines() if line.startswith("Pages:")
                ).split()[1]
            )
            assert 1 <= pages <= 3
            counts.append(pages)
            text = _normal(
                subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
            )
            context = sample_context(template, language)
            assert _normal(context["totaal"]["totaal"]) in text
            assert _normal(context["betaling"]["kenmerk"]) in text
            assert _normal(context["klant"]["naam"]) in text
        info = subprocess.run(["pdfinfo", str(pdfs[-1])], capture_output=True, text=True)
        assert f"Pages: {sum(counts)}" in _normal(info.stdout)


def test_an_own_template_that_is_no_file_is_refused_not_passed_over(tmp_path):
    # a folder (or a link to nothing) under the template's name: the letters took the shipped
    # template without a word, while 'sjablonen controleren' refused it
    from debiteuren.letters.render import TemplateError, find_template

    own = tmp_path / "sjablonen"
    (own / "nl" / "herinnering.docx").mkdir(parents=True)
    (own / "fr").mkdir()
    (own / "fr" / "herinnering.docx").symlink_to(tmp_path / "weg.docx")
    for language in ("nl", "fr"):
        with pytest.raises(TemplateError) as refused:
            find_template("herinnering", language, own)
        assert refused.value.message == (
            f"Sjabloon {language}/herinnering.docx: bestand niet gevonden "
            f"({own / language / 'herinnering.docx'}): daar staat geen gewoon bestand; zet daar "
            "uw sjabloon of haal het weg (dan geldt het meegeleverde)"
        )
    assert find_template("aanmaning", "nl", own).parent.parent.name == "letter_templates"


def test_an_eml_dated_by_the_local_clock_names_its_zone():
    # the command line's clock has no zone: the Date header said "-0000" (zone unknown, RFC
    # 5322 3.3), and a mail program showed 09:30 local time as 09:30 UTC
    from debiteuren.letters.render import make_eml

    now = datetime(2026, 10, 15, 9, 30)
    data = make_eml(sender="a@example.nl", to="b@example.nl", subject="x", body_text="y", date=now)
    message = email.message_from_bytes(data, policy=policy.default)
    assert b"-0000" not in data
    assert message["Date"].datetime == now.astimezone()
