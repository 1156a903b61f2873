"""The Jinja sandbox a letter template runs in: plain data in, nothing else within reach.

A template is a Word file a user may have received from someone else, so its tags are untrusted
code. Three rules keep them harmless:

1. **Only plain data reaches a template.** :func:`plain_context` copies the context into text,
   numbers, truth values, dates, lists and dicts; anything else is a programming error. The EPC
   QR code is a :class:`QrImage`, which a template can place (``{{ betaling.qr }}``) but which
   exposes nothing: no attribute, no method.
2. **Only an allow-list of attributes.** Text methods that do not grow a text (``upper``,
   ``split``, ...), the read-only methods of dicts and lists, a date's parts and ``loop``'s
   fields. Everything else, and every name starting with ``_``, is refused as
   :class:`jinja2.sandbox.SecurityError`. There is no ``include``, ``import`` or ``extends``:
   a template cannot load another file.
3. **Bounded work.** Each letter has a budget of loop steps and calls (:data:`MAX_STEPS`), of
   processor time (:data:`MAX_SECONDS`: a filter such as ``sort`` does work no step counts; the
   clock is read every few steps, comparisons and operators, and at once after work on a large
   text or list) and
   of output (:data:`MAX_OUTPUT` characters); ``range`` gives at most :data:`MAX_RANGE`
   numbers, and a text or list that an operator, ``~`` or a filter would make longer than
   :data:`MAX_TEXT` is refused before it is made; so is the text of a short list that holds
   one list many times (``[a] * 1000``), measured before it is printed, joined, filtered or
   compared.
   A template that exceeds a limit raises :class:`TemplateLimit` with a Dutch sentence; the
   renderer names the template.
"""

from __future__ import annotations

import inspect
import operator
import re
import time
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from decimal import Decimal
from types import UnionType
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator
from jinja2.runtime import LoopContext
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from jinja2.utils import Namespace
from markupsafe import Markup

from ..formatting import whole_number
from ..untrusted import document_text

__all__ = [
    "MAX_CODES",
    "MAX_OUTPUT",
    "MAX_RANGE",
    "MAX_STEPS",
    "MAX_TEXT",
    "MAX_TOKENS",
    "METHODS",
    "TOO_DEEP",
    "QrImage",
    "TemplateLimit",
    "UnknownField",
    "check_markup",
    "check_source",
    "letter_environment",
    "plain_context",
]

#: Loop steps and calls a letter may take (a letter with 40 invoices takes a few hundred).
MAX_STEPS = 100_000
#: Characters a letter's XML may grow to (a long letter is some hundreds of thousands).
MAX_OUTPUT = 20_000_000
#: Numbers ``range`` may give.
MAX_RANGE = 10_000
#: Characters (or items) one computed text or list may have.
MAX_TEXT = 1_000_000
#: Bits one computed whole number may have (about 3,000 digits).
MAX_BITS = 10_000
#: Codes (``{{ … }}``, ``{% … %}``) a template may have: compiling one takes about 13 kB and
#: 0.2 ms, so 65,000 (1 MB of ``{{ klant.naam }}``) took 860 MB and 12 s before any letter,
#: and a template of 100 MB would take gigabytes more. The shipped ones have at most 200.
MAX_CODES = 10_000
#: Processor seconds one letter may take (a letter takes some milliseconds). Sorting a list of
#: 10,000 numbers in each of 3,000 loop steps took more than 20 s, within every other limit.
MAX_SECONDS = 10
#: Steps between two looks at the clock.
_CLOCK_EVERY = 64


#: Why a template whose codes are nested deeper than Python's recursion allows is refused.
TOO_DEEP = (
    "de codes zijn te diep in elkaar genest (velden, filters, haakjes of {% if %} binnen elkaar)"
)


class TemplateLimit(SecurityError):
    """A template asked for more work than a letter may take; ``message`` is Dutch."""


class UnknownField(jinja2.UndefinedError):
    """Raised inside Jinja for a field the context does not have; carries its full path."""

    def __init__(self, field: str) -> None:
        self.field = field
        super().__init__(f"onbekend veld '{field}'")


# --- plain data ---------------------------------------------------------------------------------


class QrImage:
    """The EPC QR code as a template sees it: placed with ``{{ betaling.qr }}``, nothing more.

    It holds docxtpl's image object privately; the sandbox refuses every attribute of this
    class, so a template cannot reach the image's template (and through it, files).
    """

    __slots__ = ("_image",)

    def __init__(self, image: Any) -> None:
        self._image = image

    def __html__(self) -> str:
        return self._image.__html__()

    def __str__(self) -> str:
        return "[QR-code]"


class _Node(dict):
    """A context dict that knows its path (``klant``), to name unknown fields in full."""

    __slots__ = ("_path",)

    def __init__(self, items: Mapping[str, Any], path: str) -> None:
        super().__init__(items)
        self._path = path


class _NodeList(list):
    """A context list that knows its path (``facturen``)."""

    __slots__ = ("_path",)

    def __init__(self, items: Iterable[Any], path: str) -> None:
        super().__init__(items)
        self._path = path


_SCALARS = (bool, int, float, Decimal, date, type(None))


def plain_context(value: Any, path: str = "") -> Any:
    """Return a copy of a letter context that holds plain data only.

    Dicts (with text keys) and lists are copied, without the keys starting with ``_`` (the
    program's own data, such as ``_qr``), and know their dotted path for messages;
    texts lose the characters XML cannot hold (a control character in a customer name would
    otherwise break the letter's XML) and the explicit direction controls (which would show
    the rest of a line in another order than it is written:
    :func:`~debiteuren.untrusted.without_direction_controls`); numbers, truth values, dates
    and None stay; a :class:`QrImage` stays.

    Args:
      value: the context (``letters.context.letter_context``) or a part of it.
      path: the dotted path of ``value`` (``""`` for the whole context).
    Returns:
      The copy. Raises TypeError for anything else, naming the field: the program must not
      hand a template an object.
    """
    if isinstance(value, str):
        return document_text(str(value))
    if isinstance(value, _SCALARS) or type(value) is QrImage:
        return value
    if isinstance(value, Mapping):
        items = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"letter context {path or '(root)'}: key {key!r} is not text")
            if key.startswith("_"):
                continue  # the program's own data (``_qr``): a template cannot use it anyway
            items[key] = plain_context(item, f"{path}.{key}" if path else key)
        return _Node(items, path)
    if isinstance(value, list | tuple):
        return _NodeList((plain_context(item, path) for item in value), path)
    raise TypeError(f"letter context {path or '(root)'}: {type(value).__name__} is not plain data")


# --- undefined fields ---------------------------------------------------------------------------


class _StrictField(jinja2.StrictUndefined):
    """StrictUndefined that reports the full dotted path of the missing field."""

    __slots__ = ()

    def _fail_with_undefined_error(self, *args: Any, **kwargs: Any):
        if self._undefined_exception is not jinja2.UndefinedError:
            return super()._fail_with_undefined_error(*args, **kwargs)  # e.g. SecurityError
        name = self._undefined_name or "?"
        owner = self._undefined_obj
        if owner is jinja2.utils.missing:
            raise UnknownField(name)
        base = getattr(owner, "_path", None)
        if base is None:
            raise UnknownField(f"{type(owner).__name__}.{name}")
        raise UnknownField(f"{base}.{name}")

    def __getattr__(self, name: str) -> Any:
        if name[:2] == "__":
            raise AttributeError(name)
        return self._fail_with_undefined_error()

    __str__ = __iter__ = __len__ = __bool__ = __eq__ = __ne__ = __hash__ = (
        _fail_with_undefined_error
    )
    __getitem__ = __call__ = __add__ = __radd__ = __contains__ = _fail_with_undefined_error


# --- what a template may touch ------------------------------------------------------------------

#: Text methods that never make a text much longer.
_TEXT_METHODS = frozenset(
    (
        *("capitalize", "casefold", "count", "endswith", "find", "index", "isalnum", "isalpha"),
        *("isdecimal", "isdigit", "islower", "isnumeric", "isspace", "istitle", "isupper"),
        *("lower", "lstrip", "partition", "removeprefix", "removesuffix", "rfind", "rindex"),
        *("rpartition", "rsplit", "rstrip", "split", "splitlines", "startswith", "strip"),
        *("swapcase", "title", "upper"),
    )
)
_MARKUP_METHODS = _TEXT_METHODS | {"striptags", "unescape"}
_DICT_METHODS = frozenset({"get", "items", "keys", "values"})
_LIST_METHODS = frozenset({"count", "index"})
#: The methods a template may call on a field: ``klant.naam.upper()`` uses the field klant.naam.
METHODS = _TEXT_METHODS | _DICT_METHODS | _LIST_METHODS
_DATE_FIELDS = frozenset({"day", "isoformat", "isoweekday", "month", "strftime", "weekday", "year"})
_DATETIME_FIELDS = _DATE_FIELDS | {"hour", "minute", "second"}
_LOOP_FIELDS = frozenset(
    (
        *("changed", "cycle", "depth", "depth0", "first", "index", "index0", "last", "length"),
        *("nextitem", "previtem", "revindex", "revindex0"),
    )
)


#: (type, the attributes a template may use on it), the first matching type wins (Markup is a
#: str, a datetime a date); None: any public attribute.
_ALLOWED: tuple[tuple[type | UnionType, frozenset[str] | None], ...] = (
    (Markup, _MARKUP_METHODS),
    (str, _TEXT_METHODS),
    (dict, _DICT_METHODS),
    (list | tuple, _LIST_METHODS),
    (datetime, _DATETIME_FIELDS),
    (date, _DATE_FIELDS),
    (LoopContext, _LOOP_FIELDS),
    (Namespace, None),  # its attributes are values the template set itself
)


def _allowed(obj: Any) -> frozenset[str] | None:
    """Return the attributes a template may use on ``obj``; None: any public one."""
    for kind, allowed in _ALLOWED:
        if isinstance(obj, kind):
            return allowed
    return frozenset()


def _size(value: Any) -> int:
    """Return the length of a text, list or tuple; 0 for anything else."""
    return len(value) if isinstance(value, str | list | tuple) else 0


#: A width or precision in a format that makes a long text: five digits or more, or ``*``
#: (``'%*d' % (10**9, 1)`` takes the width from its argument).
_FORMAT_WIDTH = re.compile(r"\d{5,}|%(?:\([^)]*\))?[-#0 +]*(?:\*|\d*\.\*)")


def _text_size(value: Any, indent: int = 0) -> int:
    """Return about how many characters ``value`` has as text (``str``, ``tojson``), stopping
    as soon as that is more than :data:`MAX_TEXT`.

    A list may hold the same list many times: ``[a] * 1000``, where ``a`` holds another list
    a thousand times, is short, but its text repeats every list it holds (``{{ b }}`` of three
    such levels is gigabytes). Lists, tuples, dicts and namespaces are walked as their text
    spells them out; with ``indent`` (``tojson(indent=…)``) each item on its own line,
    indented by its depth.
    """
    total, todo = 0, [(value, 0)]
    while todo and total <= MAX_TEXT:
        item, depth = todo.pop()
        if isinstance(item, Namespace):
            item = item._Namespace__attrs  # type: ignore[attr-defined]
        elif isinstance(item, _VIEWS):
            item = list(item)
        if isinstance(item, dict):
            item = [part for pair in item.items() for part in pair]
        if not isinstance(item, list | tuple):
            total += _scalar_size(item) + depth * indent
            continue
        inner = depth + 1
        total += 2 + depth * indent + len(item) * (2 + inner * indent)
        for part in item:
            if isinstance(part, str):
                total += len(part)
            elif isinstance(part, _SIZED):
                todo.append((part, inner))
            else:
                total += _scalar_size(part)
    return total


#: The views of a dict (``d.items()``): their text spells out what they show.
_VIEWS = (type({}.keys()), type({}.values()), type({}.items()))
_SIZED = (list, tuple, dict, Namespace, *_VIEWS)


def _scalar_size(value: Any) -> int:
    """Return about how many characters a value that holds no other value has as text."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, int):
        return value.bit_length() // 3 + 1
    return 40


def _no_code(value: Any) -> Any:
    """Refuse a function, class or method where a text is made of it (in the letter, with
    ``~``, ``%`` or a filter such as ``|string``): Python's description of it
    ("<function _bounded_range at 0x7f…>", "<class 'dict'>") is no text of a letter."""
    if callable(value) and not isinstance(value, jinja2.Undefined | QrImage):
        raise TemplateLimit(
            "een functie of methode zonder haakjes (zoals {{ range }}) is geen tekst voor de brief"
        )
    return value


def _check_size(value: Any) -> Any:
    """Refuse a list, dict, view or namespace whose text is longer than :data:`MAX_TEXT`."""
    if isinstance(value, _SIZED) and _text_size(value) > MAX_TEXT:
        raise _too_long()
    return value


class _Budget:
    """What is left of a letter's steps and output, and when its processor time is up.

    The clock is read every :data:`_CLOCK_EVERY` ticks (a step is a tick; so is a comparison or
    an operator, which no step counts), and at once after work on a large text or list
    (:meth:`weigh`): one filter over a text of a million characters can take a second, and 64
    of them between two looks at the clock let a letter run far past its time.
    """

    __slots__ = ("deadline", "output", "steps", "ticks")

    def __init__(self) -> None:
        self.steps = MAX_STEPS
        self.output = MAX_OUTPUT
        self.deadline = time.process_time() + MAX_SECONDS
        self.ticks = _CLOCK_EVERY  # the ticks left until the next look at the clock

    def step(self, count: int = 1) -> None:
        self.steps -= count
        if self.steps < 0:
            most = whole_number(MAX_STEPS)
            raise TemplateLimit(
                f"het sjabloon herhaalt of roept te vaak aan (meer dan {most} keer)"
            )
        self.ticks -= 1
        if self.ticks <= 0:
            self.look()

    def tick(self) -> None:
        """Count work that is no step (a comparison, an operator) towards the next look."""
        self.ticks -= 1
        if self.ticks <= 0:
            self.look()

    def weigh(self, *values: Any) -> None:
        """Look at the clock now when any of ``values`` is a large text, list or dict: the
        work just done on it may have been long."""
        for value in values:
            if isinstance(value, _WEIGHED) and len(value) > _LARGE:
                self.look()
                return

    def look(self) -> None:
        """Refuse the letter when its processor time is up."""
        self.ticks = _CLOCK_EVERY
        if time.process_time() >= self.deadline:
            raise TemplateLimit(
                f"het sjabloon rekent te lang (meer dan {MAX_SECONDS} seconden "
                "processortijd voor één brief)"
            )

    def emit(self, count: int) -> None:
        self.output -= count
        if self.output < 0:
            most = whole_number(MAX_OUTPUT)
            raise TemplateLimit(f"de brief wordt te groot (meer dan {most} tekens)")


#: The length from which work on a text, list or dict has the clock read at once (a letter's
#: texts and lists are far shorter; a filter over this many items takes about a millisecond).
_LARGE = 10_000
_WEIGHED = (str, list, tuple, dict)


def check_source(source: str) -> str:
    """Return a template's Jinja source; refuse it before it is parsed or compiled when it has
    more than :data:`MAX_CODES` codes, or when its codes hold more than :data:`MAX_TOKENS`
    names, numbers, texts and signs together."""
    codes = source.count("{{") + source.count("{%")
    if codes > MAX_CODES:
        raise _too_many_codes(codes)
    tokens = 0
    try:
        for _, kind, _ in _LEXER.tokeniter(source, None):
            if kind not in _NO_TOKEN:
                tokens += 1
                if tokens > MAX_TOKENS:
                    raise TemplateLimit(
                        "de codes van het sjabloon zijn samen te lang (meer dan "
                        f"{whole_number(MAX_TOKENS)} namen, getallen, teksten en tekens)"
                    )
    except jinja2.TemplateSyntaxError:
        pass  # parsing the template names the mistake
    return source


def _too_many_codes(codes: int) -> TemplateLimit:
    return TemplateLimit(
        f"het sjabloon heeft te veel codes ({whole_number(codes)}; hoogstens "
        f"{whole_number(MAX_CODES)} keer {{{{ … }}}} of {{% … %}})"
    )


def check_markup(xml: str) -> str:
    """Return a part of a template (its Word XML) after checking that docxtpl can clean the
    markup of its codes in bounded time; refuse it before.

    docxtpl looks from every ``{{`` and ``{%`` (also where Word markup sits between the two
    signs) for the code's end, once for each of several cleanings: an opening that is never
    closed costs a look to the end of the part. 8,000 of them took 2.4 s, 80,000 (a few kB
    zipped) minutes, before :func:`check_source` counted the codes. Refused: more than
    :data:`MAX_CODES` openings, or openings whose ends lie more than :data:`MAX_OPEN` characters
    further on together.
    """
    reach, ends = 0, {}  # ends: the end found for each kind, past where it was looked for
    for openings, opening in enumerate(_OPENING.finditer(xml), 1):
        if openings > MAX_CODES:
            raise _too_many_codes(max(openings, xml.count("{{") + xml.count("{%")))
        start = opening.end()  # the second sign
        farthest = start
        for end in (_ANY_END, _OWN_END[xml[start]]):
            found = ends.get(end)
            if found is None or found <= start:
                hit = end.search(xml, start + 1)
                found = ends[end] = hit.end() if hit else len(xml)
            farthest = max(farthest, found)
        reach += farthest - start
        if reach > MAX_OPEN:
            raise TemplateLimit(
                "de codes van het sjabloon worden niet of pas laat afgesloten (samen meer dan "
                f"{whole_number(MAX_OPEN)} tekens van {{{{ of {{% tot }}}} of %}})"
            )
    return xml


#: Characters from the openings of a template's codes to their ends, together (a code with
#: Word markup inside is some hundreds; docxtpl takes about 25 ms per million).
MAX_OPEN = 20_000_000
#: Where a code opens: the ``{`` of ``{{`` or ``{%``, with Word markup between the two or not
#: (docxtpl removes it).
_OPENING = re.compile(r"\{(?:<[^>]*>)*(?=[{%])")
#: What ends a code for docxtpl: any ``}}`` or ``%}``, and the end of its own kind.
_ANY_END = re.compile(r"[}%]}")
_OWN_END = {"{": re.compile(r"}}"), "%": re.compile(r"%}")}


#: The names, numbers, texts and signs the codes of a template may have together. Compiling
#: takes about 15 µs and 350 bytes per one: a single code ``{{ [1, 1, …] }}`` of a million
#: numbers (2 MB of XML, a few kB zipped) took 31 s and 700 MB, and a template may unpack to
#: 100 MB. Ten thousand codes ``{{ klant.naam }}`` (:data:`MAX_CODES`) have 50,000.
MAX_TOKENS = 100_000
#: The lexer of a letter's environment (the default syntax), to count a template's tokens.
_LEXER = jinja2.Environment().lexer
#: What the lexer yields that is no part of a code.
_NO_TOKEN = frozenset({"data", "whitespace"})


def _too_long(what: str = "een tekst of lijst") -> TemplateLimit:
    return TemplateLimit(f"{what} wordt te lang (meer dan {whole_number(MAX_TEXT)} tekens)")


def _check_text(value: Any) -> Any:
    if _size(value) > MAX_TEXT:
        raise _too_long()
    return value


def _bounded_range(*args: int) -> range:
    """``range`` for templates: at most :data:`MAX_RANGE` numbers."""
    numbers = range(*args)
    try:
        count = len(numbers)
    except OverflowError:
        count = MAX_RANGE + 1
    if count > MAX_RANGE:
        most = whole_number(MAX_RANGE)
        raise TemplateLimit(f"range(...) geeft te veel getallen (meer dan {most})")
    return numbers


def _binop(op: str, left: Any, right: Any) -> Any:
    """Perform an arithmetic operator after checking that its result stays small."""
    if op == "*":
        for seq, count in ((left, right), (right, left)):
            sized = isinstance(seq, str | list | tuple) and isinstance(count, int)
            if sized and len(seq) * max(count, 0) > MAX_TEXT:
                raise _too_long()
        whole = isinstance(left, int) and isinstance(right, int)
        if whole and left.bit_length() + right.bit_length() > MAX_BITS:
            raise TemplateLimit("een berekening geeft een te groot getal")
    elif op == "**":
        if isinstance(left, int) and isinstance(right, int) and right > 0:
            if max(left.bit_length(), 1) * right > MAX_BITS:
                raise TemplateLimit("een berekening geeft een te groot getal")
        elif isinstance(right, int | float | Decimal) and abs(right) > MAX_BITS:
            raise TemplateLimit("een berekening geeft een te groot getal")
    elif op == "+":
        if _size(left) + _size(right) > MAX_TEXT:
            raise _too_long()
    elif op == "%" and isinstance(left, str):
        if _FORMAT_WIDTH.search(left):
            raise TemplateLimit("een opmaakcode vraagt een te grote breedte")
        return _check_text(_OPERATORS[op](left, _check_size(_no_code(right))))
    return _OPERATORS[op](left, right)


_OPERATORS = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
    "//": operator.floordiv,
    "**": operator.pow,
    "%": operator.mod,
}


def _guarded_filters(filters: Mapping[str, Any], env: _LetterEnvironment) -> dict[str, Any]:
    """Return Jinja's filters with the ones that can grow a text checked first, and every
    filter counted as a step of ``env``'s letter and refusing a list whose text would be too
    long (most filters make a text of it)."""
    out = {}
    for name, original in filters.items():
        guarded = _guard_filter(name, original) if name in _FILTER_BOUNDS else original
        out[name] = _sized_arguments(guarded, env, text=name in _TEXT_FILTERS)
    return out


def _sized_arguments(original: Any, env: _LetterEnvironment, *, text: bool = False) -> Any:
    """Wrap a filter so that it takes a step of the letter's budget (a chain of thousands of
    ``|sort`` outside any loop took minutes without one, and the clock is read at steps) and a
    list, dict or namespace among its arguments is refused when its text would be longer than
    :data:`MAX_TEXT` (:func:`_text_size`)."""

    def sized(*args: Any, **kwargs: Any) -> Any:
        if env.compiling:
            raise nodes.Impossible()  # Jinja folding constants: the letter runs it
        budget = env.budget
        budget.step()
        for value in (*args, *kwargs.values()):
            _check_size(value)
        if text:  # {{ range|string }}, {{ betaling.qr|pprint }}: Python's description of it
            for value in (*args, *kwargs.values()):
                if isinstance(value, QrImage):
                    raise TemplateLimit("de QR-code is een afbeelding, geen tekst")
                _no_code(value)
        result = original(*args, **kwargs)
        budget.weigh(result, *args)
        return result

    passes = getattr(original, "jinja_pass_arg", None)
    if passes is not None:
        sized.jinja_pass_arg = passes  # type: ignore[attr-defined]
    return sized


def _text_of(value: Any) -> str:
    return value if isinstance(value, str) else str(value)


def _int_or_len(value: Any) -> int:
    return value if isinstance(value, int) else len(str(value))


def _replace_bound(a: Mapping[str, Any]) -> int:
    text, old, new = _text_of(a["s"]), str(a["old"]), str(a["new"])
    if not old:
        return len(text) + (len(text) + 1) * len(new)
    return len(text) + text.count(old) * max(len(new) - len(old), 0)


def _join_bound(a: Mapping[str, Any]) -> int:
    items = a["value"]
    text = sum(len(i) if isinstance(i, str) else _text_size(i) for i in items)
    return text + len(str(a["d"])) * max(len(items) - 1, 0)


def _format_bound(a: Mapping[str, Any]) -> int:
    texts = [_text_of(a["value"]), *map(str, a["args"]), *map(str, a["kwargs"].values())]
    if _FORMAT_WIDTH.search(texts[0]):
        raise TemplateLimit("een opmaakcode vraagt een te grote breedte")
    return sum(len(t) for t in texts)


def _sum_bound(a: Mapping[str, Any]) -> int:
    """Summing lists or texts (``sum(start=[])``) copies the growing result once per item: the
    work is the number of items times the result's length."""
    if not isinstance(a["start"], str | list | tuple):
        return 0
    items = a["iterable"]
    return max(len(items), 1) * (_size(a["start"]) + sum(_size(i) for i in items))


def _count_bound(key: str) -> Any:
    def bound(a: Mapping[str, Any]) -> int:
        return a[key] if isinstance(a[key], int) else 0

    return bound


#: Filter name -> an upper bound of its result's length, from its bound arguments.
_FILTER_BOUNDS: dict[str, Any] = {
    "center": lambda a: max(len(_text_of(a["value"])), _int_or_len(a["width"])),
    "indent": lambda a: (
        len(_text_of(a["s"])) + (_text_of(a["s"]).count("\n") + 1) * _int_or_len(a["width"])
    ),
    "wordwrap": lambda a: len(_text_of(a["s"])) * (1 + len(a["wrapstring"] or "\n")),
    "replace": _replace_bound,
    "join": _join_bound,
    "format": _format_bound,
    "batch": _count_bound("linecount"),
    "slice": _count_bound("slices"),
    "sum": _sum_bound,
    "tojson": lambda a: _text_size(a["value"], _int_or_len(a["indent"] or 0)),
}


#: The names Jinja's filters give the argument it passes them (context, environment).
_PASSED_NAMES = frozenset({"eval_ctx", "context", "environment", "env"})


#: Filters that make a text of any value (its Python description for a function or class).
_TEXT_FILTERS = frozenset({"string", "pprint", "tojson", "format", "e", "escape", "forceescape"})


def _guard_filter(name: str, original: Any) -> Any:
    """Wrap a filter so that the length of its result is checked before it is computed."""
    signature = inspect.signature(original)
    bound_of = _FILTER_BOUNDS[name]
    passes = getattr(original, "jinja_pass_arg", None) is not None
    # Jinja's async variants (slice) get the evaluation context passed, but their signature
    # is the one of the plain function, without it: it is not bound with the other arguments
    hidden = passes and next(iter(signature.parameters), "") not in _PASSED_NAMES

    def guarded(*args: Any, **kwargs: Any) -> Any:
        args = list(args)
        first = 1 if passes else 0
        if name in ("join", "sum") and len(args) > first and not isinstance(args[first], str):
            args[first] = list(args[first])  # a generator is read once, by the bound
        try:
            bound = signature.bind(*args[1:] if hidden else args, **kwargs)
        except TypeError:
            return original(*args, **kwargs)  # Jinja reports the wrong arguments itself
        bound.apply_defaults()
        if bound_of(bound.arguments) > MAX_TEXT:
            raise _too_long()
        return _check_text(original(*args, **kwargs))

    if passes:
        guarded.jinja_pass_arg = original.jinja_pass_arg  # type: ignore[attr-defined]
    return guarded


# --- the environment ----------------------------------------------------------------------------


def _sized(node: nodes.Expr, guard: str = "guard_size") -> nodes.Expr:
    """Return ``node`` put through the environment's ``guard_size`` (or ``guard``)."""
    call = nodes.Call(nodes.EnvironmentAttribute(guard), [node], [], None, None)
    call.set_lineno(node.lineno)
    return call


class _GuardedCode(CodeGenerator):
    """Jinja's code generator with every loop, ``~``, comparison and test put through the
    letter's budget."""

    def visit_Template(self, node: nodes.Template, frame: Any = None) -> None:
        if any(name.name == "self" for name in node.find_all(nodes.Name)):
            # Jinja's reference to the template itself: ``{{ self }}`` wrote
            # "<TemplateReference None>" into the letter, no field of the context
            raise UnknownField("self")
        for loop in node.find_all(nodes.For):
            weight = sum(len(d.data) for d in loop.find_all(nodes.TemplateData))
            guard = nodes.Call(
                nodes.EnvironmentAttribute("guard_loop"),
                [loop.iter, nodes.Const(weight)],
                [],
                None,
                None,
            )
            guard.set_lineno(loop.iter.lineno)
            loop.iter = guard
        for concat in node.find_all(nodes.Concat):
            concat.nodes = [_sized(operand, "guard_operand") for operand in concat.nodes]
        for compare in node.find_all(nodes.Compare):
            compare.expr = _sized(compare.expr)
            for operand in compare.ops:
                operand.expr = _sized(operand.expr)
        for test in node.find_all(nodes.Test):
            test.node = _sized(test.node)
            test.args = [_sized(arg) for arg in test.args]
        super().visit_Template(node, frame)

    def visit_Compare(self, node: nodes.Compare, frame: Any) -> None:
        self.write("environment.guard_work(")
        super().visit_Compare(node, frame)
        self.write(")")

    def visit_Test(self, node: nodes.Test, frame: Any) -> None:
        self.write("environment.guard_work(")
        super().visit_Test(node, frame)
        self.write(")")

    def visit_Concat(self, node: nodes.Concat, frame: Any) -> None:
        self.write("environment.guard_text(")
        super().visit_Concat(node, frame)
        self.write(")")


class _LetterEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox letters are filled in (see the module docstring)."""

    code_generator_class = _GuardedCode
    intercepted_binops = frozenset(_OPERATORS)

    def __init__(self) -> None:
        super().__init__(
            undefined=_StrictField,
            autoescape=True,
            finalize=self._finalize,
            loader=jinja2.DictLoader({}),
        )
        self.budget = _Budget()
        self.compiling = False
        self.compiled: dict[str, jinja2.Template] = {}
        self.globals.clear()
        self.globals.update(range=_bounded_range, namespace=Namespace, dict=dict)
        self.filters = _guarded_filters(self.filters, self)

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:
        """Compile ``source`` once per environment: a run reuses its compiled templates."""
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        found = self.compiled.get(source)
        if found is None:
            found = self.compiled[source] = super().from_string(check_source(source))
        return found

    def compile(self, *args: Any, **kwargs: Any) -> Any:
        """Compile a template without running a filter.

        Jinja folds an expression of constants when it compiles, and writes the result into
        the compiled code: ``['a']|slice(999999, 'x')|list`` ran outside any letter's budget
        and made compiling take 1.4 GB (a list of ten texts to fill with, ten times that). A
        filter refuses to run while compiling (:func:`_sized_arguments`), so every filter runs
        when a letter is filled in, within its limits.
        """
        self.compiling = True
        try:
            return super().compile(*args, **kwargs)
        except RecursionError:  # parsing or compiling a code nested thousands of times deep
            raise TemplateLimit(TOO_DEEP) from None
        finally:
            self.compiling = False

    def fresh(self) -> None:
        """Start a new letter: its budget of steps and output is full again."""
        self.budget = _Budget()

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if attr.startswith("_"):
            return False
        allowed = _allowed(obj)
        return allowed is None or attr in allowed

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is QrImage:
            return self.unsafe_undefined(obj, attribute)
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if type(obj) is QrImage:
            return self.unsafe_undefined(obj, str(argument))
        return super().getitem(obj, argument)

    def wrap_str_format(self, value: Any) -> None:
        return None  # str.format is not allowed at all (it can pad a text without limit)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        __self.budget.step()
        if isinstance(__obj, LoopContext) and args:  # a recursive loop: loop(children)
            args = (__self.guard_loop(args[0], 0), *args[1:])
        result = super().call(__context, __obj, *args, **kwargs)
        __self.budget.weigh(result, getattr(__obj, "__self__", None))
        return result

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        self.budget.tick()
        return _binop(operator, left, right)

    def guard_work(self, value: Any) -> Any:
        """Count a comparison or a test towards the next look at the clock."""
        self.budget.tick()
        return value

    def guard_loop(self, iterable: Any, weight: int) -> Iterator[Any]:
        """Iterate ``iterable``, charging one step and ``weight`` characters per item."""
        budget = self.budget
        for item in iterable:
            budget.step()
            budget.emit(weight)
            yield item

    def guard_text(self, text: Any) -> Any:
        """Refuse a ``~`` result longer than :data:`MAX_TEXT`."""
        return _check_text(text)

    def guard_size(self, value: Any) -> Any:
        """Refuse a ``~`` operand whose text would be longer than :data:`MAX_TEXT`."""
        return _check_size(value)

    def guard_operand(self, value: Any) -> Any:
        """Refuse a ``~`` operand that is a function (:func:`_no_code`) or whose text would
        be longer than :data:`MAX_TEXT`."""
        return _check_size(_no_code(value))

    @jinja2.pass_eval_context
    def _finalize(self, eval_ctx: Any, value: Any) -> Any:
        """Count what a code writes into the letter (:data:`MAX_OUTPUT`).

        Taking the evaluation context keeps Jinja from finalizing a constant once when it
        compiles: a text between quotes (``{{ 'xxx…' }}``) was then written by every step of a
        loop without being counted (30,000 characters in a loop of a thousand steps made a
        letter of 30 million)."""
        if isinstance(value, str):
            self.budget.emit(len(value))
            return value
        _no_code(value)  # {{ range }}, {{ dict }}, {{ klant.get }}
        if hasattr(value, "__html__"):
            self.budget.emit(1000)  # the QR image
        else:
            self.budget.emit(len(str(_check_size(value))))
        return value


def letter_environment() -> jinja2.Environment:
    """Return a fresh sandbox for one letter (its budget starts full)."""
    return _LetterEnvironment()
