"""Money: the one place where Decimal numbers are made and rounded.

Every amount in the program is a :class:`decimal.Decimal` in euro. Amounts are rounded half-up to
cents only where the project conventions say so (``shared/domain/README.md`` §4): a capitalised
amount on its anniversary, accrued interest at a payment, and each reported component once.
Floats are refused: the workbook layer converts Excel's floats explicitly (``Decimal(str(x))``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation, localcontext

__all__ = [
    "CENT",
    "HUNDRED",
    "MAX_AMOUNT",
    "ZERO",
    "AmountFormatError",
    "Decimal",
    "allocate_cents",
    "euro_text",
    "money",
    "parse_exact_money",
    "parse_money",
    "precise",
    "round_cents",
    "to_decimal",
]

ZERO = Decimal(0)
CENT = Decimal("0.01")
HUNDRED = Decimal(100)
#: The first amount that is too large to be an invoice or a payment: a trillion euro. Excel
#: holds amounts below it to the cent, and they stay far inside Decimal's 28 digits.
MAX_AMOUNT = Decimal(10) ** 12

#: Precision used for unrounded interest arithmetic: far beyond what cents need.
_PRECISE = Context(prec=40, rounding=ROUND_HALF_UP)


def precise():
    """Return a context manager for unrounded interest arithmetic (40 significant digits)."""
    return localcontext(_PRECISE)


def to_decimal(value: Decimal | int | str) -> Decimal:
    """Return ``value`` as a Decimal; floats are refused.

    Args:
      value: a Decimal, an int, or a string in plain notation (``"1234.56"``).
    Returns:
      The Decimal. Raises TypeError for a float and ValueError for a string that is no number.
    """
    if isinstance(value, bool | float):
        raise TypeError(f"geen float als bedrag: {value!r}")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(f"geen getal: {value!r}") from None
        if not result.is_finite():
            raise ValueError(f"geen getal: {value!r}")
        return result
    raise TypeError(f"geen bedrag: {value!r}")


def round_cents(value: Decimal) -> Decimal:
    """Round ``value`` half-up to whole cents."""
    return value.quantize(CENT, ROUND_HALF_UP)  # positional: 0.1 us instead of 0.27 (issue 17)


def money(value: Decimal | int | str) -> Decimal:
    """Return ``value`` as a Decimal rounded half-up to cents (``money("12.345") == 12.35``)."""
    return round_cents(to_decimal(value))


def parse_money(text: str) -> Decimal:
    """Parse an amount as a Dutch or English user types it; return it rounded to cents.

    Accepts ``1234,56``, ``1.234,56``, ``1234.56``, ``1,234.56``, ``€ 1.234,56`` and ``-12,50``.
    A single separator followed by exactly three digits (``1.234``) is read as a thousands
    separator, as a Dutch user means it. Raises ValueError for anything else.
    """
    s = text.strip().replace("€", "").replace("EUR", "").replace("\u00a0", "").replace(" ", "")
    if not s:
        raise ValueError("leeg bedrag")
    sign = ""
    if s[0] in "+-":
        sign, s = ("-" if s[0] == "-" else ""), s[1:]
    if not s or any(ch not in "0123456789.," for ch in s):
        raise ValueError(f"geen bedrag: {text!r}")
    last_dot, last_comma = s.rfind("."), s.rfind(",")
    if last_dot >= 0 and last_comma >= 0:
        decimal_sep = "." if last_dot > last_comma else ","
    elif last_dot >= 0 or last_comma >= 0:
        sep = "." if last_dot >= 0 else ","
        parts = s.split(sep)
        if len(parts) > 2 or len(parts[-1]) == 3:
            decimal_sep = None if all(len(p) == 3 for p in parts[1:]) else sep
            if decimal_sep is None:
                s = s.replace(sep, "")
        else:
            decimal_sep = sep
    else:
        decimal_sep = None
    if decimal_sep is not None:
        thousands = "," if decimal_sep == "." else "."
        whole, _, frac = s.rpartition(decimal_sep)
        groups = whole.split(thousands)
        if len(groups) > 1 and (not groups[0] or any(len(g) != 3 for g in groups[1:]) or not frac):
            raise ValueError(f"geen bedrag: {text!r}")
        s = "".join(groups) + "." + frac
    try:
        return round_cents(Decimal(sign + s))
    except InvalidOperation:
        raise ValueError(f"geen bedrag: {text!r}") from None


class AmountFormatError(ValueError):
    """An amount that cannot be read exactly; ``reason`` says why in Dutch."""

    def __init__(self, text: str, reason: str) -> None:
        super().__init__(f"{text!r}: {reason}")
        self.reason = reason


def _thousands_ok(groups: Sequence[str]) -> bool:
    return 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])


def parse_exact_money(text: str) -> Decimal:
    """Parse an amount a person types, exactly, or refuse it: never round, never guess.

    Accepts ``1250``, ``1250,00``, ``1250.00``, ``1.250,00``, ``1,250.00``, ``1.250.000``,
    ``€ 500,-`` and a sign. Refuses more than two decimals and a single separator followed by
    exactly three digits (``0.125``, ``2500.001``, ``1.250``: thousands or decimals?).

    >>> parse_exact_money("€ 1.250,50"), parse_exact_money("500,-")
    (Decimal('1250.50'), Decimal('500.00'))
    >>> parse_exact_money("0.125")
    Traceback (most recent call last):
    ...
    debiteuren.core.money.AmountFormatError: '0.125': dubbelzinnig: ...
    """
    s = text.strip().replace("€", "").replace("EUR", "").replace("\u00a0", "").replace(" ", "")
    sign = ""
    if s[:1] in ("+", "-"):
        sign, s = ("-" if s[0] == "-" else ""), s[1:]
    if not s or any(ch not in "0123456789.,-" for ch in s):
        raise AmountFormatError(text, "geen bedrag")
    for ending in (",--", ",-", ".--", ".-"):
        if s.endswith(ending):  # whole euros: "500,-"; the other separator groups thousands
            rest, other = s[: -len(ending)], "." if ending[0] == "," else ","
            groups = rest.split(other)
            if not rest or ending[0] in rest or "-" in rest or not _thousands_ok(groups):
                raise AmountFormatError(text, "geen bedrag")
            return Decimal(sign + "".join(groups)).quantize(CENT)
    if "-" in s:
        raise AmountFormatError(text, "geen bedrag")
    last_dot, last_comma = s.rfind("."), s.rfind(",")
    frac = None  # None: no decimal separator
    if last_dot >= 0 and last_comma >= 0:
        decimal_sep = "." if last_dot > last_comma else ","
        thousands = "," if decimal_sep == "." else "."
        whole, _, frac = s.rpartition(decimal_sep)
        if decimal_sep in whole or not _thousands_ok(whole.split(thousands)):
            raise AmountFormatError(text, "de scheidingstekens kloppen niet")
        digits = whole.replace(thousands, "")
    elif last_dot >= 0 or last_comma >= 0:
        parts = s.split("." if last_dot >= 0 else ",")
        if len(parts) > 2:
            if not _thousands_ok(parts):
                raise AmountFormatError(text, "de scheidingstekens kloppen niet")
            digits = "".join(parts)
        elif len(parts[1]) == 3:
            raise AmountFormatError(text, "dubbelzinnig: duizendtallen of drie decimalen")
        else:
            digits, frac = parts
    else:
        digits = s
    if not digits or frac == "":
        raise AmountFormatError(text, "geen bedrag")
    if frac is not None and len(frac) > 2:
        raise AmountFormatError(text, "meer dan twee decimalen")
    return Decimal(sign + digits + "." + (frac or "0")).quantize(CENT)


def allocate_cents(total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """Split ``total`` (whole cents) over ``weights`` so that the parts add up exactly.

    Uses the largest-remainder method; ties go to the earlier weight. With all weights zero the
    total is split evenly.

    >>> allocate_cents(Decimal("49.50"), [Decimal(100), Decimal(150), Decimal(80)])
    [Decimal('15.00'), Decimal('22.50'), Decimal('12.00')]
    """
    if not weights:
        return []
    weights = [w if w > 0 else ZERO for w in weights]
    weight_sum = sum(weights, ZERO)
    if weight_sum == 0:
        weights = [Decimal(1)] * len(weights)
        weight_sum = Decimal(len(weights))
    cents = int((total / CENT).to_integral_value())
    with precise():
        exact = [Decimal(cents) * w / weight_sum for w in weights]
    floors = [int(e.to_integral_value(rounding="ROUND_FLOOR")) for e in exact]
    rest = cents - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:rest]:
        floors[i] += 1
    return [Decimal(c) * CENT for c in floors]


def total(values: Iterable[Decimal]) -> Decimal:
    """Return the sum of ``values`` (ZERO for none)."""
    return sum(values, ZERO)


def euro_text(amount: Decimal) -> str:
    """Return ``€ 1.234,56``: an amount in a Dutch sentence of the core (no babel needed).

    >>> euro_text(Decimal("1234.5"))
    '€ 1.234,50'
    """
    text = f"{round_cents(amount):,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return f"€ {text}"
