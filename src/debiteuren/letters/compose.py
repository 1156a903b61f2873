"""One letter from its plan: the context, the template (the user's own first), the QR code.

The plan (:class:`~debiteuren.core.letters.LetterPlan`) says what the letter is about; the
debtor's rules choose the template (:func:`~.context.template_for`); the context is plain data
(:func:`~.context.letter_context`); the EPC QR code carries the amount and the structured
reference when there is something to pay to a known account.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from ..core.letters import LetterPlan
from ..core.model import Creditor, Settings
from ..core.rates import RateBook
from ..core.rules import rules_for
from ..errors import DebiteurenError
from . import qr as qr_mod
from .context import letter_context, template_for

__all__ = ["compose", "letter_job", "qr_code", "qr_payload", "render_plan"]


def compose(
    plan: LetterPlan,
    creditor: Creditor,
    settings: Settings,
    rates: RateBook | None,
    *,
    user_dir: Path | None = None,
    template: str = "",
    qr: bool = True,
    qr_amount: Decimal | None = None,
) -> tuple[dict, bytes]:
    """Return the context and the filled .docx of one letter.

    Args:
      user_dir: the user's template folder (``sjablonen``), or None for the shipped ones.
      template: the template id; default the one the debtor's rules give the plan's step.
      qr: add the EPC QR code; ``qr_amount`` is its amount when it is not the letter's total
        (a payment plan's first instalment).
    """
    context = letter_context(plan, creditor, settings, rates)
    if qr_amount is not None:
        context["_qr"]["amount"] = qr_amount
    return context, render_plan(plan, context, creditor, user_dir, template=template, qr=qr)


def render_plan(
    plan: LetterPlan,
    context: dict,
    creditor: Creditor,
    user_dir: Path | None = None,
    *,
    template: str = "",
    qr: bool = True,
) -> bytes:
    """Return the filled .docx of a letter whose context is made (see :func:`compose`)."""
    from .render import render_letter  # python-docx, lxml: desktop only

    job = letter_job(plan, context, creditor, user_dir, template=template, qr=False)
    return render_letter(job.template, context, qr_png=qr_code(context) if qr else None)


def letter_job(
    plan: LetterPlan,
    context: dict,
    creditor: Creditor,
    user_dir: Path | None = None,
    *,
    template: str = "",
    qr: bool = True,
):
    """Return what :func:`render_plan` would fill, as a job for
    :func:`~.render.render_letters` (many letters at once, in a pool of processes); the QR
    code is drawn where the letter is filled."""
    chosen = template or template_for(plan.step, rules_for(plan.claim.debtor, creditor))
    from .render import LetterJob, find_template  # python-docx, lxml: desktop only

    path = find_template(chosen, plan.language, user_dir)
    return LetterJob(path, context, qr_payload=qr_payload(context) if qr else None)


def qr_code(context: dict) -> bytes | None:
    """Return the EPC QR code (PNG) of a letter's context; None when there is nothing to pay or
    no account to pay to. Drawn once per payload in a process."""
    payload = qr_payload(context)
    if payload is None:
        return None
    try:
        return qr_mod.cached_qr_png(payload, 6)
    except DebiteurenError:
        return None


def qr_payload(context: dict) -> str | None:
    """Return the EPC QR payload of a letter's context; None when there is nothing to pay or
    no account to pay to."""
    data = context["_qr"]
    ref = data["reference"]
    if data["amount"] <= 0 or not data["iban"]:
        return None
    reference = ref.value if ref is not None and ref.kind.value in ("rf", "ogm") else None
    text = None if reference else (ref.display if ref is not None else context["brief"]["kenmerk"])
    try:
        payload = qr_mod.epc_payload(
            name=data["name"][:70],
            iban=data["iban"],
            amount=data["amount"],
            reference=reference,
            text=text,
            bic=data["bic"],
        )
    except DebiteurenError:
        return None
    return payload
