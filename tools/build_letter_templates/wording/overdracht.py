"""The wording of the letter ``overdracht``, per language."""

from __future__ import annotations

from .common import CONTACT, LABELS, Block


def blocks(lang: str) -> list[Block]:
    if lang == "nl":
        texts = (
            "Hierbij dragen wij de onderstaande vordering op onze klant "
            "**{{ klant.naam }}** aan u over ter incasso. Wij verzoeken u de vordering namens "
            "ons te innen. Ons dossiernummer is **{{ overdracht.dossier }}**; wilt u dit "
            "nummer in uw correspondentie vermelden?",
            "Betalingen die wij na vandaag ontvangen en afspraken die wij nog met de "
            "schuldenaar maken, geven wij direct aan u door. {{ overdracht.bijlagen }}",
            "Wij ontvangen graag een bevestiging van ontvangst. Met vragen kunt u terecht bij "
            "{{ schuldeiser.ondertekenaar }} via " + CONTACT[lang] + ".",
        )
    elif lang == "fr":
        texts = (
            "Par la présente, nous vous transmettons pour recouvrement la créance ci-dessous "
            "sur notre client **{{ klant.naam }}** et vous prions de la recouvrer en notre nom. "
            "Notre numéro de dossier est **{{ overdracht.dossier }}** ; nous vous remercions "
            "de le mentionner dans votre correspondance.",
            "Nous vous communiquerons immédiatement tout paiement reçu et tout accord conclu "
            "avec le débiteur après ce jour. {{ overdracht.bijlagen }}",
            "Nous vous saurions gré de bien vouloir accuser réception de la présente. Pour "
            "toute question, vous pouvez contacter {{ schuldeiser.ondertekenaar }} "
            + CONTACT[lang]
            + ".",
        )
    elif lang == "de":
        texts = (
            "hiermit übergeben wir Ihnen die unten aufgeführte Forderung gegen unseren Kunden "
            "**{{ klant.naam }}** zum Inkasso und bitten Sie, sie in unserem Namen einzuziehen. "
            "Unser Aktenzeichen lautet **{{ overdracht.dossier }}**; bitte geben Sie es in Ihrer "
            "Korrespondenz an.",
            "Zahlungen, die nach dem heutigen Tag bei uns eingehen, und Vereinbarungen, die wir "
            "noch mit dem Schuldner treffen, teilen wir Ihnen umgehend mit. "
            "{{ overdracht.bijlagen }}",
            "Für eine Eingangsbestätigung wären wir Ihnen dankbar. Bei Fragen erreichen Sie "
            "{{ schuldeiser.ondertekenaar }} " + CONTACT[lang] + ".",
        )
    else:
        texts = (
            "We hereby transfer the claim below against our customer **{{ klant.naam }}** to "
            "you for collection and ask you to collect it on our behalf. Our file number is "
            "**{{ overdracht.dossier }}**; please quote it in your correspondence.",
            "We will inform you immediately of any payment we receive and any arrangement we "
            "make with the debtor after today. {{ overdracht.bijlagen }}",
            "We would be grateful if you would acknowledge receipt. For any questions, please "
            "contact {{ schuldeiser.ondertekenaar }} " + CONTACT[lang] + ".",
        )
    intro, updates, receipt = texts
    labels = LABELS[lang]
    return [
        ("p", intro),
        ("h", labels["debtor_heading"]),
        ("debtor",),
        ("h", labels["claim_heading"]),
        ("invoices",),
        ("interest", "handover"),
        ("costs", "handover"),
        ("if", "overdracht.acties"),
        ("h", labels["actions_heading"]),
        ("actions",),
        ("endif",),
        ("p", updates),
        ("p", receipt),
        ("closing",),
    ]
