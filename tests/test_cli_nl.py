"""The command line speaks Dutch, also in Click's own texts (help pages, usage errors)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from debiteuren import cli_nl
from debiteuren.cli import UserError, main, parse_day

#: Words of Click's English texts that are also Dutch words (or Dutch in these outputs).
_SHARED = {"is", "in", "of", "a", "be", "s", "open", "stop"}


def _click_words() -> set[str]:
    """Every English word in Click's translatable texts and usage placeholders."""
    texts = list(cli_nl.MESSAGES) + [t for pair in cli_nl.PLURALS for t in pair]
    texts += ["[OPTIONS] COMMAND [ARGS]... TEXT INTEGER PATH BOOLEAN FLOAT"]
    words: set[str] = set()
    for text in texts:
        text = re.sub(r"\{[^}]*\}|%\([^)]*\)s", " ", text)
        words |= {w.casefold() for w in re.findall(r"[A-Za-z]+", text)}
    return words - _SHARED


def _runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)  # click < 8.2
    except TypeError:
        return CliRunner()  # click >= 8.2 keeps stderr apart


def _english(text: str) -> set[str]:
    """Return Click's English words in ``text``; option names (``--help``) are names."""
    text = re.sub(r"--?[\w-]+", " ", text)
    return {w for w in re.findall(r"[A-Za-z]+", text) if w.casefold() in _click_words()}


@pytest.mark.parametrize(
    ("args", "code", "expected"),
    [
        (["--help"], 0, ["Gebruik: debiteuren [OPTIES] OPDRACHT", "Opties:", "Opdrachten:"]),
        (["bijwerk"], 2, ["De opdracht 'bijwerk' bestaat niet. Bedoelt u 'bijwerken'?"]),
        (
            ["brieven", "--kanaal", "fax", "x.xlsx"],
            2,
            ["Ongeldige waarde voor '--kanaal': 'fax' is geen geldige keuze; kies uit 'auto'"],
        ),
        (["gesprek", "x.xlsx"], 2, ["Fout: Ontbrekende optie '--klant'."]),
        (["--versie"], 0, ["debiteuren, versie "]),
        (["--version"], 0, ["debiteuren, versie "]),
        (["gesprek", "--help"], 0, ["--klant TEKST", "[verplicht]", "--peildatum DATUM"]),
        # --op is a date like --peildatum: its help said TEKST and gave no format
        (["gesprek", "--help"], 0, ["--op DATUM", "(JJJJ-MM-DD)"]),
        (["verzonden", "--help"], 0, ["--op DATUM", "(JJJJ-MM-DD)"]),
        (["excel", "--help"], 0, ["Gebruik: debiteuren excel [OPTIES] OPDRACHT"]),
    ],
)
def test_click_speaks_dutch(args, code, expected):
    result = _runner().invoke(main, args, prog_name="debiteuren")
    output = result.stdout + result.stderr
    assert result.exit_code == code, output
    for text in expected:
        assert text in output
    assert not _english(output), output


def test_every_command_help_is_dutch():
    runner = _runner()
    for name, command in main.commands.items():
        subcommands = getattr(command, "commands", {})
        for args in [[name], *([name, sub] for sub in subcommands)]:
            result = runner.invoke(main, [*args, "--help"], prog_name="debiteuren")
            assert result.exit_code == 0
            assert not _english(result.stdout), (args, result.stdout)


def test_the_handover_help_names_what_readme_names():
    """``overdracht --help`` left "beloofd" out of the invoices that are not handed over;
    README (and service.handover) keep a promised invoice back too."""
    result = _runner().invoke(main, ["overdracht", "--help"], prog_name="debiteuren")
    help_text = " ".join(result.stdout.split())
    assert "niet betaald, betwist, gepauzeerd, beloofd of in een lopende" in help_text
    readme = " ".join((Path(__file__).parents[1] / "README.md").read_text("utf-8").split())
    assert "niet betaald, betwist (kolom Betwist), gepauzeerd, beloofd of in een lopende" in readme


@pytest.mark.parametrize(
    "args",
    [
        ["bijwerken"],
        ["brieven"],
        ["verzonden"],
        ["betalingen", "afschrift.xml"],
        ["regeling", "--klant", "K1", "--termijnen", "2", "--eerste", "2099-01-15"],
        ["gesprek", "--klant", "K1", "--uitkomst", "notitie"],
        ["overdracht", "--klant", "K1"],
        ["export"],
        ["facturen", "factuur.xml"],
    ],
)
def test_a_workbook_named_without_its_extension_is_suggested(tmp_path, monkeypatch, args):
    """``debiteuren bijwerken b`` beside b.xlsx said "Het werkboek b bestaat niet.": every
    command that takes the workbook suggests the name with its extension when that file is
    there."""
    monkeypatch.chdir(tmp_path)
    for name in ("b.xlsx", "afschrift.xml", "factuur.xml"):
        (tmp_path / name).write_bytes(b"x")
    command, *rest = args
    result = _runner().invoke(main, [command, "b", *rest], prog_name="debiteuren")
    output = " ".join((result.stdout + result.stderr).split())
    assert result.exit_code != 0
    assert "Het werkboek b bestaat niet; bedoelt u b.xlsx?" in output, output
    assert (tmp_path / "b.xlsx").read_bytes() == b"x"


def test_the_catalogue_leaves_unknown_texts_alone():
    assert cli_nl.gettext("Usage:") == "Gebruik:"
    assert cli_nl.gettext("something new") == "something new"
    assert cli_nl.ngettext("x", "xs", 2) == "xs"
    assert (
        cli_nl.ngettext("{value!r} is not {choice}.", "{value!r} is not one of {choices}.", 1)
        == "{value!r} is geen geldige keuze; kies {choice}."
    )


def test_ctrl_c_after_the_save_says_the_file_is_complete(tmp_path, monkeypatch):
    """Stopped after its save, ``bijwerken`` says the workbook is complete, not just
    "Afgebroken."; stopped before any save, Click's own "Afgebroken." stays."""
    from debiteuren import service
    from debiteuren.workbook import files

    book = tmp_path / "boek.xlsx"
    book.write_bytes(b"oud")

    def saved_then_stopped(*args, **kwargs):
        files.atomic_write(book, lambda temp: temp.write_bytes(b"nieuw"))
        raise KeyboardInterrupt

    def stopped(*args, **kwargs):
        raise KeyboardInterrupt

    runner = _runner()
    monkeypatch.setattr(service, "update", saved_then_stopped)
    result = runner.invoke(main, ["bijwerken", str(book), "--peildatum", "2026-10-15"])
    assert result.exit_code == 1 and book.read_bytes() == b"nieuw"
    assert "Afgebroken nadat boek.xlsx al was opgeslagen" in result.stderr
    monkeypatch.setattr(service, "update", stopped)
    result = runner.invoke(main, ["bijwerken", str(book), "--peildatum", "2026-10-15"])
    assert result.exit_code == 1 and "Afgebroken." in result.stderr
    assert "opgeslagen" not in result.stderr


def test_ctrl_c_after_the_letters_but_before_the_workbook_says_the_workbook_is_unchanged(
    tmp_path, monkeypatch
):
    """Stopped after ``brieven`` saved its letters but before it saved the workbook, the
    message said "wat daar staat is volledig en klopt; alleen het verslag ... is niet getoond":
    as if the letters were on Acties, while the workbook was unchanged."""
    from debiteuren import service
    from debiteuren.workbook import files

    book = tmp_path / "boek.xlsx"
    book.write_bytes(b"oud")
    letter = tmp_path / "K001-herinnering.docx"

    def letters_then_stopped(path, *args, **kwargs):
        with files.workbook_lock(path):
            files.atomic_write(letter, lambda temp: temp.write_bytes(b"brief"))
            raise KeyboardInterrupt

    monkeypatch.setattr(service, "letters", letters_then_stopped)
    result = _runner().invoke(main, ["brieven", str(book), "--peildatum", "2026-10-15"])
    assert result.exit_code == 1 and book.read_bytes() == b"oud"
    assert result.stderr.strip() == (
        "Afgebroken nadat K001-herinnering.docx al was opgeslagen, maar vóórdat boek.xlsx was "
        "bijgewerkt: boek.xlsx is niet gewijzigd en noemt die bestanden dus niet. Voer de "
        "opdracht opnieuw uit."
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            # Click said only "De opdracht 'boek.xlsx' bestaat niet."
            ["boek.xlsx", "bijwerken", "--peildatum", "2026-10-15"],
            "Fout: De opdracht komt vóór het werkboek: debiteuren bijwerken boek.xlsx "
            "--peildatum 2026-10-15",
        ),
        (
            # the statement was opened as the workbook: ".xml is geen Excel-werkmap"
            ["betalingen", "afschrift.xml", "boek.xlsx"],
            "Fout: Eerst het werkboek, dan de bestanden: debiteuren betalingen BOEK.xlsx "
            "AFSCHRIFT... (afschrift.xml staat nu op de plaats van het werkboek). Er is niets "
            "gewijzigd.",
        ),
        (
            ["facturen", "factuur.xml", "boek.xlsx"],
            "Fout: Eerst het werkboek, dan de bestanden: debiteuren facturen BOEK.xlsx "
            "FACTUUR.xml... (factuur.xml staat nu op de plaats van het werkboek). Er is niets "
            "gewijzigd.",
        ),
    ],
)
def test_the_workbook_in_the_wrong_place_is_told_the_right_order(args, expected):
    result = _runner().invoke(main, args, prog_name="debiteuren")
    assert result.exit_code == 2
    assert expected in result.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["bijwerken", "boek.xlsx", "--peildatum", "2926-10-15"],
            "Fout: --peildatum: '2926-10-15' ligt in het jaar 2926; controleer het jaar "
            "(debiteuren rekent met datums van 1900 tot en met 2199).",
        ),
        (
            [
                "bereken",
                "--bedrag",
                "100",
                "--vervaldatum",
                "2026-01-01",
                "--tot",
                "31-12-9999",
                "--rente",
                "nl-handels",
            ],
            "Fout: --tot: '31-12-9999' ligt in het jaar 9999; controleer het jaar",
        ),
    ],
)
def test_a_date_centuries_away_is_a_typo_not_a_traceback(tmp_path, args, expected):
    """A year such as 2926 (for 2026) capitalised interest for 900 years until the Decimal
    context overflowed: decimal.InvalidOperation (9999: "year 10000 is out of range")."""
    book = tmp_path / "boek.xlsx"
    book.write_bytes(b"niet gelezen")
    args = [str(book) if a == "boek.xlsx" else a for a in args]
    result = _runner().invoke(main, args, prog_name="debiteuren")
    assert result.exit_code == 2 and expected in result.stderr, result.stderr


def test_sjablonen_controleren_names_the_german_folder_too(tmp_path):
    """The letters are also in German (letter_templates/de); help and message named only nl/,
    fr/ and en/."""
    result = _runner().invoke(main, ["sjablonen", "controleren", str(tmp_path)])
    assert result.exit_code == 2
    assert "Geen sjablonen (.docx in nl/, fr/, en/ of de/) gevonden in" in result.stderr
    shown = _runner().invoke(main, ["sjablonen", "controleren", "--help"]).stdout
    assert "MAP bevat nl/, fr/, en/ en de/." in " ".join(shown.split())


def test_ctrl_c_during_the_export_says_files_may_be_missing(tmp_path, monkeypatch):
    """Stopped after the export saved its .xlsx and .csv but before its PDF, the message said
    "wat daar staat is volledig en klopt; alleen het verslag ... is niet getoond": as if the
    export were complete."""
    from debiteuren.service import export as export_module
    from debiteuren.workbook import files

    book = tmp_path / "boek.xlsx"
    book.write_bytes(b"boek")

    def two_files_then_stopped(*args, **kwargs):
        for name in ("debiteuren-2026-10-15.xlsx", "openstaande-posten-2026-10-15.csv"):
            files.atomic_write(tmp_path / name, lambda temp: temp.write_bytes(b"x"))
        raise KeyboardInterrupt

    monkeypatch.setattr(export_module, "export", two_files_then_stopped)
    result = _runner().invoke(main, ["export", str(book), "--per", "2026-10-15"])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Afgebroken nadat debiteuren-2026-10-15.xlsx, openstaande-posten-2026-10-15.csv al was "
        "opgeslagen: wat daar staat is volledig, maar de opdracht is niet afgemaakt en er kunnen "
        "bestanden ontbreken. Voer de opdracht opnieuw uit."
    )


def test_ctrl_c_while_the_report_is_made_says_the_workbook_is_saved(tmp_path, monkeypatch):
    """Stopped after ``bijwerken`` saved the workbook, while its report was made, the message
    was only "Afgebroken.": the user could not tell that the workbook had been updated."""
    from debiteuren import service
    from debiteuren.service import reports
    from debiteuren.workbook import files

    book = tmp_path / "boek.xlsx"
    book.write_bytes(b"oud")

    def saved(path, *args, **kwargs):
        with files.workbook_lock(path):
            files.atomic_write(book, lambda temp: temp.write_bytes(b"nieuw"))
        return object()

    def stopped(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(files, "_replaced", [])
    monkeypatch.setattr(files, "_locked", [])
    monkeypatch.setattr(service, "update", saved)
    monkeypatch.setattr(reports, "report", stopped)
    result = _runner().invoke(main, ["bijwerken", str(book), "--peildatum", "2026-10-15"])
    assert result.exit_code == 1 and book.read_bytes() == b"nieuw"
    assert result.stderr.strip() == (
        "Afgebroken nadat boek.xlsx al was opgeslagen: wat daar staat is volledig en klopt; "
        "alleen het verslag van de opdracht is niet getoond."
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["brieven", "boek.xlsx", "--klant", "K001", "--klant", "K002"],
            "Fout: De optie --klant staat er twee keer; zij neemt één waarde. Geef haar één "
            "keer (voor meer klanten: draai de opdracht per klant).",
        ),
        (
            ["bijwerken", "boek.xlsx", "--peildatum=2026-10-15", "--peildatum", "2026-10-16"],
            "Fout: De optie --peildatum staat er twee keer; zij neemt één waarde.",
        ),
    ],
)
def test_an_option_of_one_value_given_twice_is_refused(tmp_path, args, expected):
    """Click kept the last value without a word: ``brieven --klant K001 --klant K002`` made
    the letters of K002 alone."""
    book = tmp_path / "boek.xlsx"
    book.write_bytes(b"niet gelezen")
    args = [str(book) if a == "boek.xlsx" else a for a in args]
    result = _runner().invoke(main, args, prog_name="debiteuren")
    assert result.exit_code == 2 and expected in result.stderr, result.stderr
    assert book.read_bytes() == b"niet gelezen"


def test_an_option_value_that_looks_like_an_option_is_a_value(tmp_path):
    """``--aan --klant`` gives --aan the value '--klant' (as Click reads it): not a second
    --klant."""
    book = tmp_path / "boek.xlsx"
    book.write_bytes(b"niet gelezen")
    args = ["verzonden", str(book), "--stap", "--kanaal", "--kanaal", "post"]
    result = _runner().invoke(main, args, prog_name="debiteuren")
    assert "twee keer" not in result.stderr


def test_a_repeatable_option_may_be_given_twice(tmp_path):
    book = tmp_path / "boek.xlsx"
    book.write_bytes(b"niet gelezen")
    args = ["verzonden", str(book), "--klant", "K001", "--klant", "K002"]
    result = _runner().invoke(main, args, prog_name="debiteuren")
    assert "twee keer" not in result.stderr


def test_checking_one_template_says_sjabloon_not_sjablonen(tmp_path):
    import shutil

    from debiteuren.letters.render import shipped_template_dir

    own = tmp_path / "sjablonen" / "nl"
    own.mkdir(parents=True)
    shutil.copy(shipped_template_dir() / "nl" / "herinnering.docx", own)
    result = _runner().invoke(main, ["sjablonen", "controleren", str(tmp_path / "sjablonen")])
    assert result.exit_code == 0
    assert result.stdout.strip() == "1 sjabloon gecontroleerd: geen onbekende velden."


@pytest.mark.parametrize("made", [".~debiteuren-abcd1234.xlsx", ".~debiteuren.boek.xlsx.lock"])
def test_a_file_debiteuren_makes_for_a_moment_is_named_by_its_folder(made):
    # a read-only folder: the message named '.~debiteuren-abcd1234.xlsx', a file the user never
    # made and cannot find afterwards
    from debiteuren.cli import os_problem

    said = os_problem(PermissionError(13, "Permission denied", f"/data/boeken/{made}"))
    assert "(/data/boeken/)" in said and ".~debiteuren" not in said
    kept = os_problem(PermissionError(13, "Permission denied", "/data/boeken/boek.xlsx"))
    assert "(/data/boeken/boek.xlsx)" in kept


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1-12-2026", date(2026, 12, 1)), ("7-2-2026", date(2026, 2, 7)), ("07-12-2026", None)],
)
def test_a_date_as_the_workbook_and_the_output_write_it_is_taken(text, expected):
    """'verzonden --op 1-12-2026' was 'geen datum', though the workbook reads '1-12-2026' and
    the output writes days as 07-12-2026: a user copying a day from either was refused."""
    assert parse_day(text, "--op") == (expected or date(2026, 12, 7))


@pytest.mark.parametrize("text", ["1-12-26", "1--12-2026", "+1-12-2026", "٣-12-2026", "32-1-2026"])
def test_a_day_that_is_not_a_date_is_still_refused(text):
    with pytest.raises(UserError, match="is geen datum; schrijf bv. 2025-03-31 of 31-03-2025"):
        parse_day(text, "--op")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15/04/2026", date(2026, 4, 15)),
        ("5/4/2026", date(2026, 4, 5)),
        ("15.04.2026", date(2026, 4, 15)),
        ("2026-4-15", date(2026, 4, 15)),
        ("2026-04-15", date(2026, 4, 15)),
    ],
)
def test_a_date_as_a_belgian_letter_or_the_workbook_writes_it_is_taken(text, expected):
    """The Belgian letters date a term '29/10/2026' and the workbook reads '15/04/2026',
    '15.04.2026' and '2026-4-15'; 'verzonden --op 15/04/2026' or '--peildatum 2026-4-15'
    copied from there was 'geen datum'."""
    assert parse_day(text, "--op") == expected


@pytest.mark.parametrize("text", ["15/04-2026", "15/4/26", "2026/4/15", "4/15/2026", "١٥/04/2026"])
def test_a_day_with_mixed_or_foreign_separators_is_still_refused(text):
    with pytest.raises(UserError, match="is geen datum; schrijf bv. 2025-03-31 of 31-03-2025"):
        parse_day(text, "--op")


def test_a_file_no_letter_uses_is_named_not_passed_as_checked(tmp_path):
    # nl/herinering.docx (a typo), NL/ and a .dotx: brieven silently took the shipped template
    # for them, while controleren said "3 sjablonen gecontroleerd: geen onbekende velden."
    import shutil

    from debiteuren.letters.render import shipped_template_dir

    shipped = shipped_template_dir() / "nl" / "herinnering.docx"
    own = tmp_path / "sjablonen"
    for name in ("nl/herinering.docx", "NL/herinnering.docx", "nl/aanmaning.dotx"):
        (own / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(shipped, own / name)
    result = _runner().invoke(main, ["sjablonen", "controleren", str(own)])
    assert result.exit_code == 2
    names = (
        "herinnering.docx, eerste_herinnering.docx, veertiendagenbrief.docx, overdracht.docx, "
        "regeling.docx, aanmaning.docx, ingebrekestelling.docx"
    )
    assert result.stdout.splitlines() == [
        f"Let op: {label} wordt door geen brief gebruikt: een eigen sjabloon heet zoals een "
        f"meegeleverd ({names}) en staat in een map nl, fr, en of de; het is niet gecontroleerd."
        for label in ("NL/herinnering.docx", "nl/aanmaning.dotx", "nl/herinering.docx")
    ]
    assert f"Geen sjablonen (.docx in nl/, fr/, en/ of de/) gevonden in {own}" in result.stderr


def test_checking_without_a_folder_says_it_checked_the_shipped_templates():
    # the README said to check one's own templates this way; it checked the shipped ones
    from debiteuren.letters.render import shipped_template_dir

    result = _runner().invoke(main, ["sjablonen", "controleren"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == (
        f"Dit waren de meegeleverde sjablonen ({shipped_template_dir()}). Uw eigen sjablonen "
        "controleert u met: debiteuren sjablonen controleren MAP (de map sjablonen naast de map "
        "brieven)."
    )


def test_a_template_that_cannot_be_read_is_named_once(tmp_path):
    # its problem came twice: from the check and again from the note about embedded fonts
    own = tmp_path / "sjablonen"
    (own / "nl" / "herinnering.docx").mkdir(parents=True)  # a folder, not a file
    result = _runner().invoke(main, ["sjablonen", "controleren", str(own)])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"Sjabloon nl/herinnering.docx: bestand niet gevonden ({own / 'nl' / 'herinnering.docx'})"
    ]
