"""The wording of the letter ``regeling``, per language."""

from __future__ import annotations

from .common import CONTACT, Block, plural


def blocks(lang: str) -> list[Block]:
    if lang == "nl":
        texts = (
            "Zoals afgesproken bevestigen wij hierbij de betalingsregeling voor "
            + plural(lang, "de onderstaande factuur", "de onderstaande facturen")
            + ".",
            "U betaalt het totaalbedrag van **{{ regeling.totaal }}** in "
            "{{ regeling.termijnen|length }} termijnen:",
            "Vermeld bij elke betaling als {{ betaling.kenmerk_soort }} "
            "**{{ betaling.kenmerk }}**, zodat wij uw betalingen juist kunnen verwerken. "
            "Hieronder vindt u de betaalgegevens voor de eerste termijn.",
            "Het totaal is het bedrag op de datum van deze brief; over het openstaande deel loopt "
            "de rente door, zodat na de laatste termijn een klein restant kan overblijven, dat "
            "wij u dan laten weten. Zolang u de termijnen op tijd betaalt, nemen wij geen "
            "verdere stappen. Wordt een "
            "termijn niet of niet volledig op tijd betaald, dan vervalt deze regeling en is het "
            "dan nog openstaande bedrag in één keer verschuldigd; wij hervatten dan de "
            "invordering.",
            "Wilt u een termijn verschuiven of heeft u vragen? Neem dan tijdig contact met ons "
            "op via " + CONTACT[lang] + ".",
        )
    elif lang == "fr":
        texts = (
            "Comme convenu, nous vous confirmons par la présente le plan de paiement relatif "
            + plural(lang, "à la facture ci-dessous", "aux factures ci-dessous")
            + ".",
            "Vous payez le montant total de **{{ regeling.totaal }}** en "
            "{{ regeling.termijnen|length }} tranches :",
            "Lors de chaque paiement, veuillez mentionner la communication "
            "**{{ betaling.kenmerk }}**, afin que nous puissions traiter correctement vos "
            "paiements. Les données de paiement de la première tranche figurent ci-dessous.",
            "Le total est le montant dû à la date du présent courrier ; les intérêts continuent "
            "à courir sur la partie restant due, de sorte qu'un petit solde peut subsister après "
            "la dernière tranche, que nous vous communiquerons. Tant que vous payez les tranches "
            "à temps, nous n'entreprendrons aucune autre démarche. Si une tranche n'est pas "
            "payée (intégralement) à temps, le présent plan "
            "prend fin et le solde restant dû devient exigible en une fois ; nous reprendrons "
            "alors le recouvrement.",
            "Si vous souhaitez reporter une tranche ou si vous avez des questions, veuillez "
            "nous contacter à temps " + CONTACT[lang] + ".",
        )
    elif lang == "de":
        texts = (
            "wie vereinbart bestätigen wir hiermit die Ratenzahlungsvereinbarung für "
            + plural(lang, "die unten aufgeführte Rechnung", "die unten aufgeführten Rechnungen")
            + ".",
            "Sie zahlen den Gesamtbetrag von **{{ regeling.totaal }}** in "
            "{{ regeling.termijnen|length }} Raten:",
            "Bitte geben Sie bei jeder Zahlung als {{ betaling.kenmerk_soort }} "
            "**{{ betaling.kenmerk }}** an, damit wir Ihre Zahlungen richtig zuordnen können. "
            "Unten finden Sie die Zahlungsangaben für die erste Rate.",
            "Der Gesamtbetrag ist der am Datum dieses Schreibens geschuldete Betrag; auf den "
            "offenen Teil laufen die Zinsen weiter, sodass nach der letzten Rate ein kleiner "
            "Restbetrag verbleiben kann, den wir Ihnen dann mitteilen. Solange Sie die Raten "
            "pünktlich zahlen, unternehmen wir keine weiteren Schritte. Wird eine Rate nicht "
            "oder nicht vollständig rechtzeitig gezahlt, entfällt diese Vereinbarung, und der "
            "dann noch offene Betrag ist sofort in einer Summe fällig; wir nehmen die "
            "Beitreibung dann wieder auf.",
            "Möchten Sie eine Rate verschieben, oder haben Sie Fragen? Dann erreichen Sie uns "
            "rechtzeitig vorher " + CONTACT[lang] + ".",
        )
    else:
        texts = (
            "As agreed, we hereby confirm the payment plan for "
            + plural(lang, "the invoice below", "the invoices below")
            + ".",
            "You will pay the total amount of **{{ regeling.totaal }}** in "
            "{{ regeling.termijnen|length }} instalments:",
            "Please quote the {{ betaling.kenmerk_soort }} **{{ betaling.kenmerk }}** with "
            "every payment so that we can process your payments correctly. The payment "
            "details for the first instalment are shown below.",
            "The total is the amount due on the date of this letter; interest continues to run on "
            "the part still outstanding, so a small balance may remain after the last "
            "instalment, which we will let you know. As long as you pay the instalments on "
            "time, we will take no further action. If an "
            "instalment is not paid (in full) on time, this plan lapses and the remaining "
            "balance becomes payable at once; we will then resume collection.",
            "If you would like to move an instalment or have any questions, please contact us "
            "in good time " + CONTACT[lang] + ".",
        )
    intro, plan, reference, lapse, contact = texts
    return [
        ("p", intro),
        ("invoices",),
        ("interest",),
        ("p", plan),
        ("plan",),
        ("p", reference),
        ("payment",),
        ("p", lapse),
        ("p", contact),
        ("reserve",),
        ("closing",),
    ]
