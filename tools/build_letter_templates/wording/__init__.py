"""The wording of the letter templates: for each letter a list of blocks, in each language.

One module per letter (``herinnering.py`` …) holds its sentences; ``common.py`` the labels,
table headers and sentences several letters share. ``layout.py`` turns the blocks into Word.
"""

from __future__ import annotations

from collections.abc import Callable

from . import (
    aanmaning,
    eerste_herinnering,
    herinnering,
    ingebrekestelling,
    overdracht,
    regeling,
    veertiendagenbrief,
)
from .common import Block

__all__ = ["LETTERS", "letter_blocks"]

_PLAN_BROKEN = {
    "nl": "De betalingsregeling die wij met u hadden afgesproken, is vervallen omdat een termijn "
    "niet (op tijd) is betaald. Daarom vragen wij u nu het hele openstaande bedrag te betalen.",
    "fr": "Le plan de paiement convenu avec vous a pris fin, car une échéance n'a pas été payée "
    "(à temps). C'est pourquoi nous vous demandons à présent de payer la totalité du montant dû.",
    "en": "The payment plan we agreed with you has ended because an instalment was not paid (on "
    "time). We therefore now ask you to pay the full amount outstanding.",
    "de": "Die mit Ihnen vereinbarte Ratenzahlung ist hinfällig geworden, weil eine Rate nicht "
    "(rechtzeitig) bezahlt wurde. Wir bitten Sie deshalb, jetzt den gesamten offenen Betrag zu "
    "zahlen.",
}

#: Letters that ask for payment: they say so when a payment plan has lapsed.
_ASKS_PAYMENT = (
    "herinnering",
    "veertiendagenbrief",
    "aanmaning",
    "eerste_herinnering",
    "ingebrekestelling",
)


def _with_plan_notice(template_id: str, lang: str, blocks: list[Block]) -> list[Block]:
    """Insert the lapsed-plan paragraph after the opening paragraph of a payment letter."""
    if template_id not in _ASKS_PAYMENT:
        return blocks
    notice: list[Block] = [
        ("if", "brief.regeling_vervallen"),
        ("p", _PLAN_BROKEN[lang]),
        ("endif",),
    ]
    return [*blocks[:1], *notice, *blocks[1:]]


#: The letters, in the order they are built: template id -> the blocks in a language.
LETTERS: dict[str, Callable[[str], list[Block]]] = {
    "herinnering": herinnering.blocks,
    "veertiendagenbrief": veertiendagenbrief.blocks,
    "aanmaning": aanmaning.blocks,
    "eerste_herinnering": eerste_herinnering.blocks,
    "ingebrekestelling": ingebrekestelling.blocks,
    "regeling": regeling.blocks,
    "overdracht": overdracht.blocks,
}


def letter_blocks(template_id: str, lang: str) -> list[Block]:
    """Return the blocks of one letter in one language, with the lapsed-plan paragraph."""
    return _with_plan_notice(template_id, lang, LETTERS[template_id](lang))
