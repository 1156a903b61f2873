"""The wording of the letter ``herinnering``, per language."""

from __future__ import annotations

from .common import CONTACT, PAY_REFERENCE, Block, deadline, plural


def blocks(lang: str) -> list[Block]:
    if lang == "nl":
        intro = (
            "Volgens onze administratie "
            + plural(lang, "is de onderstaande factuur", "zijn de onderstaande facturen")
            + " nog niet (volledig) betaald, hoewel de betalingstermijn is verstreken. "
            "Wellicht is de betaling aan uw aandacht ontsnapt."
        )
        ask = (
            "Wij verzoeken u vriendelijk het totaalbedrag van **{{ totaal.totaal }}** "
            + deadline(lang)
            + " over te maken met de betaalgegevens hieronder."
        )
        paid = (
            "Heeft u het bedrag inmiddels betaald? Dan kunt u deze herinnering als niet "
            "verzonden beschouwen. Heeft u vragen over de factuur, of klopt er iets niet? "
            "Neem dan contact met ons op via " + CONTACT[lang] + ". Wij helpen u graag."
        )
    elif lang == "fr":
        intro = (
            "Sauf erreur de notre part, "
            + plural(
                lang,
                "la facture ci-dessous n'a pas encore été réglée",
                "les factures ci-dessous n'ont pas encore été réglées",
            )
            + " (intégralement), bien que le délai de paiement soit expiré. "
            "Il s'agit peut-être d'un simple oubli."
        )
        ask = (
            "Nous vous prions de bien vouloir virer le montant total de **{{ totaal.totaal }}** "
            + deadline(lang)
            + ", au moyen des données de paiement ci-dessous."
        )
        paid = (
            "Si vous avez effectué le paiement entre-temps, nous vous prions de ne pas tenir "
            "compte du présent rappel. Pour toute question concernant la facture, ou si "
            "quelque chose ne vous semble pas correct, n'hésitez pas à nous contacter "
            + CONTACT[lang]
            + "."
        )
    elif lang == "de":
        # After "Sehr geehrte Damen und Herren," a German letter goes on in lower case.
        intro = (
            "nach unseren Unterlagen "
            + plural(
                lang,
                "ist die unten aufgeführte Rechnung",
                "sind die unten aufgeführten Rechnungen",
            )
            + " trotz Ablauf der Zahlungsfrist noch nicht (vollständig) bezahlt. "
            "Möglicherweise ist Ihnen die Zahlung entgangen."
        )
        ask = (
            "Wir bitten Sie freundlich, den Gesamtbetrag von **{{ totaal.totaal }}** "
            + deadline(lang)
            + " mit den unten stehenden Zahlungsangaben zu überweisen."
        )
        paid = (
            "Falls Sie den Betrag inzwischen bezahlt haben, betrachten Sie diese Erinnerung "
            "bitte als gegenstandslos. Haben Sie Fragen zur Rechnung, oder stimmt etwas nicht? "
            "Dann erreichen Sie uns " + CONTACT[lang] + ". Wir helfen Ihnen gern."
        )
    else:
        intro = (
            "According to our records, "
            + plural(
                lang,
                "the invoice below has not yet been paid",
                "the invoices below have not yet been paid",
            )
            + " (in full), although the payment term has expired. "
            "Perhaps the payment has escaped your attention."
        )
        ask = (
            "We kindly ask you to transfer the total amount of **{{ totaal.totaal }}** "
            + deadline(lang)
            + ", using the payment details below."
        )
        paid = (
            "If you have already paid, please disregard this reminder. If you have any "
            "questions about the invoice, or if something is not right, please contact us "
            + CONTACT[lang]
            + ". We will be happy to help."
        )
    return [
        ("p", intro),
        ("invoices",),
        ("interest",),
        ("costs",),
        ("p", ask),
        ("if", "brief.ingebrekestelling"),
        ("p", _DEFAULT_NOTICE[lang]),
        ("endif",),
        ("p", PAY_REFERENCE[lang]),
        ("payment",),
        ("p", paid),
        ("reserve",),
        ("closing",),
    ]


#: For a Dutch consumer whose payment term was not agreed beforehand: this reminder is the
#: notice of default (art. 6:82 BW), and says so.
_DEFAULT_NOTICE = {
    "nl": "Betaalt u niet binnen deze termijn, dan bent u zonder verdere aanmaning in verzuim "
    "en bent u vanaf dat moment de wettelijke rente over het openstaande bedrag verschuldigd "
    "(artikel 6:119 van het Burgerlijk Wetboek). Deze brief geldt als ingebrekestelling.",
    "fr": "Si vous ne payez pas dans ce délai, vous serez en demeure sans autre rappel et vous "
    "serez redevable, à partir de ce moment, des intérêts légaux sur le montant impayé "
    "(article 6:119 du Code civil néerlandais). La présente lettre vaut mise en demeure.",
    "en": "If you do not pay within this term, you will be in default without further notice "
    "and will owe statutory interest on the unpaid amount from then on (Article 6:119 of the "
    "Dutch Civil Code). This letter serves as a notice of default.",
    "de": "Zahlen Sie nicht innerhalb dieser Frist, so befinden Sie sich ohne weitere Mahnung "
    "in Verzug und schulden ab diesem Zeitpunkt die gesetzlichen Zinsen auf den offenen "
    "Betrag (Artikel 6:119 des niederländischen Bürgerlichen Gesetzbuchs). Dieses Schreiben "
    "gilt als Inverzugsetzung.",
}
