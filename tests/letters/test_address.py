"""The address block behind the envelope's window (``letters/address.py``): at most six lines
(PostNL, bpost), a cell's own line breaks kept where there is room, long lines wrapped, the
postcode and place and the country last."""

from __future__ import annotations

import pytest

from debiteuren.letters.address import LINE_WIDTH, MAX_LINES, address_block, locality_line

MUSEUM = "Stichting Vrienden van het Openluchtmuseum voor Oude Ambachten en Beroepen Nederland"


def test_a_long_name_wraps_between_words_and_the_block_fits():
    block = address_block(
        MUSEUM,
        "Piet Jansen, afdeling Crediteurenadministratie",
        "Keizersgracht 10",
        "1015 CN  Amsterdam",
    )
    assert block.lines == (
        "Stichting Vrienden van het Openluchtmuseum voor",
        "Oude Ambachten en Beroepen Nederland",
        "t.a.v. Piet Jansen, afdeling",
        "Crediteurenadministratie",
        "Keizersgracht 10",
        "1015 CN  Amsterdam",
    )
    assert block.too_long == ""


def test_a_line_break_typed_in_a_cell_is_a_line_of_the_block_where_there_is_room():
    block = address_block(
        "Petra de Vries\nen Jan de Vries",
        "",
        "Lindelaan 4\r\nappartement 12\n\n3e verdieping, achteringang",
        "3571 AB  Utrecht",
    )
    assert block.lines == (
        "Petra de Vries",
        "en Jan de Vries",
        "Lindelaan 4",
        "appartement 12",
        "3e verdieping, achteringang",
        "3571 AB  Utrecht",
    )
    assert block.too_long == ""


def test_without_room_a_cells_lines_are_joined_with_commas_address_first():
    """Nine lines as typed: the address and then the contact go on one line each; the name
    keeps its three lines."""
    block = address_block(
        "Bouwbedrijf Van Dam B.V.\nVestiging Zoetermeer\nAfdeling Inkoop",
        "Karel van Dam\nhoofd inkoop",
        "Industrieweg 77\nGebouw C\nPostvak 12",
        "2712 LB  Zoetermeer",
    )
    assert block.lines == (
        "Bouwbedrijf Van Dam B.V.",
        "Vestiging Zoetermeer",
        "Afdeling Inkoop",
        "t.a.v. Karel van Dam, hoofd inkoop",
        "Industrieweg 77, Gebouw C, Postvak 12",
        "2712 LB  Zoetermeer",
    )
    assert block.too_long == ""
    assert block.parts == {"name": 3, "contact": 1, "address": 1}


def test_a_block_that_cannot_fit_names_the_part_with_the_most_lines():
    block = address_block(
        "Petra de Vries\nen Jan de Vries\nen Kees de Vries",
        "mr. A. Bewind, bewindvoerder van de heer en mevrouw De Vries",
        "Lindelaan 4, appartementencomplex De Linde\nappartement 12 op de derde verdieping\n"
        "achteringang via de parkeerplaats",
        "3571 AB  Utrecht",
    )
    assert len(block.lines) == 7 > MAX_LINES
    assert block.too_long == "address"
    assert block.parts == {"name": 1, "contact": 2, "address": 3}
    assert block.lines[0] == "Petra de Vries, en Jan de Vries, en Kees de Vries"
    assert block.lines[-1] == "3571 AB  Utrecht"


@pytest.mark.parametrize(
    ("language", "country", "contact_line", "last"),
    [
        ("nl", "", "t.a.v. Sophie Lambert", "1000  Brussel"),
        ("fr", "Belgique", "À l'attention de Sophie Lambert", "BELGIQUE"),
        ("en", "Belgium", "Attn. Sophie Lambert", "BELGIUM"),
        ("de", "Belgien", "z. Hd. Sophie Lambert", "BELGIEN"),
    ],
)
def test_the_contact_line_is_in_the_letters_language_and_the_country_comes_last(
    language, country, contact_line, last
):
    block = address_block(
        "Ça va Café BV",
        "Sophie Lambert",
        "Grote Markt 5",
        "1000  Brussel",
        country,
        language=language,
    )
    assert block.lines[1] == contact_line
    assert block.lines[-1] == last
    assert block.lines[-2 if country else -1] == "1000  Brussel"


def test_a_british_postcode_keeps_its_own_line_under_the_place():
    block = address_block(
        "Acme Ltd",
        "",
        "10 Downing Street",
        locality_line("SW1A 2AA", "London", "GB"),
        "Verenigd Koninkrijk",
    )
    assert block.lines == (
        "Acme Ltd",
        "10 Downing Street",
        "London",
        "SW1A 2AA",
        "VERENIGD KONINKRIJK",
    )


def test_no_line_is_longer_than_the_window_holds():
    word = "Openluchtmuseumvriendenvereniging" * 2  # 66 characters without a space
    block = address_block(f"{word} B.V.", "", "Dorpsstraat 1", "1234 AB  Ergens")
    assert all(len(line) <= LINE_WIDTH for line in block.lines)
    assert "".join(block.lines[:2]).replace(" B.V.", "") == word
