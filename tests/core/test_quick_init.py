"""model.quick_init: the records it gives a written-out ``__init__`` are made exactly as the
one ``dataclass`` made (issue 17), and it refuses the records it cannot make that way."""

from dataclasses import MISSING, dataclass, field, fields
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from debiteuren.core.claim import InvoiceClaim
from debiteuren.core.interest import Allocation, Capitalisation, CostCharge, Statement
from debiteuren.core.ladder import InvoiceStage
from debiteuren.core.model import Invoice, Payment, quick_init
from debiteuren.core.watch import LimitationWarning
from debiteuren.workbook.schema import PaymentRecord

RECORDS = [
    Invoice,  # 50,000 read from a large book (issue 17)
    Payment,
    Allocation,
    Capitalisation,
    CostCharge,
    Statement,
    InvoiceClaim,
    InvoiceStage,
    LimitationWarning,
    PaymentRecord,  # 100,000 rows of a large bank statement
]

# Any value will do: neither __init__ looks at it.
VALUES = st.one_of(
    st.none(),
    st.integers(),
    st.text(max_size=5),
    st.dates(),
    st.decimals(allow_nan=False, places=2),
    st.tuples(st.integers()),
)


def _by_dataclass(cls, kwargs):
    made = object.__new__(cls)
    cls._dataclass_init(made, **kwargs)
    return made


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(RECORDS), st.data())
def test_the_record_is_made_as_dataclass_makes_it(cls, data):
    kwargs = {}
    for f in fields(cls):
        # a field with a default is left out now and then: its default must be the same
        if f.default is MISSING or data.draw(st.booleans()):
            kwargs[f.name] = data.draw(VALUES, label=f.name)
    quick, slow = cls(**kwargs), _by_dataclass(cls, kwargs)
    for f in fields(cls):
        assert getattr(quick, f.name) is getattr(slow, f.name), f.name
    assert quick == slow
    assert repr(quick) == repr(slow)


@pytest.mark.parametrize("cls", RECORDS)
def test_wrong_arguments_are_refused_as_before(cls):
    required = {f.name: None for f in fields(cls) if f.default is MISSING}
    first = next(iter(required))
    missing = {name: None for name in required if name != first}
    for make in (
        lambda init: init(object.__new__(cls), None),  # positional
        lambda init: init(object.__new__(cls), **required, unknown=1),
        lambda init: init(object.__new__(cls), **missing),
    ):
        with pytest.raises(TypeError):
            make(cls.__init__)
        with pytest.raises(TypeError):
            make(cls._dataclass_init)
    cls(**required)  # the right ones are taken


def test_a_record_stays_frozen():
    c = Capitalisation(on=date(2024, 1, 1), amount=1, base_after=2)
    with pytest.raises(AttributeError):
        c.amount = 3  # type: ignore[misc]


def test_records_it_cannot_make_are_refused():
    @dataclass(frozen=True, kw_only=True)
    class NoSlots:
        a: int

    @dataclass(slots=True, kw_only=True)
    class NotFrozen:
        a: int

    @dataclass(frozen=True, slots=True)
    class Positional:
        a: int

    @dataclass(frozen=True, slots=True, kw_only=True)
    class Factory:
        a: list = field(default_factory=list)

    @dataclass(frozen=True, slots=True, kw_only=True)
    class Hidden:
        a: int = field(default=1, init=False)

    @dataclass(frozen=True, slots=True, kw_only=True)
    class After:
        a: int

        def __post_init__(self) -> None:
            pass

    for cls in (NoSlots, NotFrozen, Positional, Factory, Hidden, After):
        with pytest.raises(TypeError):
            quick_init(cls)
