"""The wording of the letter ``ingebrekestelling``, per language."""

from __future__ import annotations

from .common import CONTACT, PAY_REFERENCE, Block, deadline, plural


def blocks(lang: str) -> list[Block]:
    if lang == "nl":
        consumer_intro = (
            "{% if brief.vorige_datum %}Op {{ brief.vorige_datum }} stuurden wij u"
            "{% else %}Wij stuurden u eerder{% endif %} een eerste herinnering. De "
            "betalingstermijn van die herinnering is verstreken zonder dat wij het volledige "
            "bedrag hebben ontvangen.{% if kosten.van_toepassing %} Zoals bepaald in onze "
            "algemene voorwaarden en binnen de grenzen van artikel XIX.4 van het Wetboek van "
            "economisch recht is daarom nu de forfaitaire schadevergoeding verschuldigd."
            "{% endif %}"
        )
        business_intro = (
            "Ondanks het verstrijken van de vervaldag hebben wij de betaling van "
            + plural(lang, "de onderstaande factuur", "de onderstaande facturen")
            + " nog niet (volledig) ontvangen."
        )
        blocks: list[Block] = [
            ("if", "klant.is_consument"),
            ("p", consumer_intro),
            ("else",),
            ("p", business_intro),
            ("endif",),
            ("invoices",),
            ("interest",),
            ("costs",),
            (
                "p",
                "Wij stellen u hierbij formeel in gebreke en verzoeken u het totaalbedrag van "
                "**{{ totaal.totaal }}** te betalen " + deadline(lang) + ".",
            ),
            (
                "p",
                "Blijft betaling uit, dan vertrouwen wij de invordering toe aan een advocaat "
                "of gerechtsdeurwaarder{% if not klant.is_consument %}, of aan een "
                "incassobureau, zonder verdere aankondiging{% endif %}."
                "{% if rente.van_toepassing %} De interesten blijven lopen tot de dag van "
                "volledige betaling.{% endif %}",
            ),
            ("if", "klant.is_consument"),
            (
                "p",
                "Kunt u het bedrag niet in één keer betalen, of betwist u de schuld? Neem dan "
                "contact met ons op via "
                + CONTACT[lang]
                + ". Wij bekijken graag samen met u een afbetalingsplan.",
            ),
            ("else",),
            (
                "p",
                "Betwist u deze vordering of heeft u intussen betaald? Neem dan onmiddellijk "
                "contact met ons op via " + CONTACT[lang] + ".",
            ),
            ("endif",),
            ("p", PAY_REFERENCE[lang]),
        ]
    elif lang == "fr":
        consumer_intro = (
            "{% if brief.vorige_datum %}Le {{ brief.vorige_datum }}, nous vous avons adressé"
            "{% else %}Nous vous avons adressé précédemment{% endif %} un premier rappel. Le "
            "délai de paiement fixé dans ce rappel a expiré sans que nous ayons reçu "
            "l'intégralité du montant.{% if kosten.van_toepassing %} Conformément à nos "
            "conditions générales et dans les limites de l'article XIX.4 du Code de droit "
            "économique, l'indemnité forfaitaire est dès lors due.{% endif %}"
        )
        business_intro = (
            "Malgré l'expiration de la date d'échéance, nous n'avons toujours pas reçu "
            "(intégralement) le paiement "
            + plural(lang, "de la facture ci-dessous", "des factures ci-dessous")
            + "."
        )
        blocks = [
            ("if", "klant.is_consument"),
            ("p", consumer_intro),
            ("else",),
            ("p", business_intro),
            ("endif",),
            ("invoices",),
            ("interest",),
            ("costs",),
            (
                "p",
                "Par la présente, nous vous mettons formellement en demeure de payer le "
                "montant total de **{{ totaal.totaal }}** " + deadline(lang) + ".",
            ),
            (
                "p",
                "À défaut de paiement, nous confierons le recouvrement à un avocat ou à un "
                "huissier de justice{% if not klant.is_consument %}, ou à une agence de "
                "recouvrement, sans autre avis{% endif %}.{% if rente.van_toepassing %} Les "
                "intérêts continuent de courir jusqu'au jour du paiement intégral.{% endif %}",
            ),
            ("if", "klant.is_consument"),
            (
                "p",
                "Si vous ne pouvez pas payer ce montant en une fois, ou si vous contestez la "
                "dette, veuillez nous contacter "
                + CONTACT[lang]
                + ". Nous examinerons volontiers avec vous un plan de paiement.",
            ),
            ("else",),
            (
                "p",
                "Si vous contestez cette créance ou si vous avez payé entre-temps, veuillez "
                "nous contacter immédiatement " + CONTACT[lang] + ".",
            ),
            ("endif",),
            ("p", PAY_REFERENCE[lang]),
        ]
    elif lang == "de":
        # Belgian law in German: the terms of the official German translation (Inverzugsetzung,
        # Wirtschaftsgesetzbuch, Pauschalentschädigung, Verzugszinsen, Gerichtsvollzieher).
        consumer_intro = (
            "{% if brief.vorige_datum %}am {{ brief.vorige_datum }} haben wir Ihnen"
            "{% else %}wir haben Ihnen bereits{% endif %} eine erste Zahlungserinnerung "
            "gesandt. Die darin gesetzte Zahlungsfrist ist abgelaufen, ohne dass wir den vollen "
            "Betrag erhalten haben.{% if kosten.van_toepassing %} Gemäß unseren Allgemeinen "
            "Geschäftsbedingungen und in den Grenzen von Artikel XIX.4 des "
            "Wirtschaftsgesetzbuches ist daher nun die Pauschalentschädigung geschuldet."
            "{% endif %}"
        )
        business_intro = (
            "trotz Überschreitung des Fälligkeitsdatums haben wir die Zahlung "
            + plural(lang, "der unten aufgeführten Rechnung", "der unten aufgeführten Rechnungen")
            + " noch nicht (vollständig) erhalten."
        )
        blocks = [
            ("if", "klant.is_consument"),
            ("p", consumer_intro),
            ("else",),
            ("p", business_intro),
            ("endif",),
            ("invoices",),
            ("interest",),
            ("costs",),
            (
                "p",
                "Hiermit setzen wir Sie förmlich in Verzug und fordern Sie auf, den Gesamtbetrag "
                "von **{{ totaal.totaal }}** " + deadline(lang) + " zu zahlen.",
            ),
            (
                "p",
                "Bleibt die Zahlung aus, beauftragen wir einen Rechtsanwalt oder "
                "Gerichtsvollzieher mit der Beitreibung{% if not klant.is_consument %} oder, "
                "ohne weitere Ankündigung, ein Inkassobüro{% endif %}."
                "{% if rente.van_toepassing %} Die Zinsen laufen bis zum Tag der "
                "vollständigen Zahlung weiter.{% endif %}",
            ),
            ("if", "klant.is_consument"),
            (
                "p",
                "Können Sie den Betrag nicht auf einmal zahlen, oder bestreiten Sie die Schuld? "
                "Dann erreichen Sie uns " + CONTACT[lang] + ". Wir prüfen gern gemeinsam mit "
                "Ihnen einen Abzahlungsplan.",
            ),
            ("else",),
            (
                "p",
                "Bestreiten Sie diese Forderung, oder haben Sie inzwischen bezahlt? Dann "
                "erreichen Sie uns umgehend " + CONTACT[lang] + ".",
            ),
            ("endif",),
            ("p", PAY_REFERENCE[lang]),
        ]
    else:
        consumer_intro = (
            "{% if brief.vorige_datum %}On {{ brief.vorige_datum }} we sent you"
            "{% else %}We previously sent you{% endif %} a first reminder. The payment period "
            "given in that reminder has expired without our receiving the full amount."
            "{% if kosten.van_toepassing %} In accordance with our general terms and conditions "
            "and within the limits of Article XIX.4 of the Belgian Code of Economic Law, the "
            "fixed compensation is therefore now payable.{% endif %}"
        )
        business_intro = (
            "Although the due date has passed, we have not yet received payment (in full) of "
            + plural(lang, "the invoice below", "the invoices below")
            + "."
        )
        blocks = [
            ("if", "klant.is_consument"),
            ("p", consumer_intro),
            ("else",),
            ("p", business_intro),
            ("endif",),
            ("invoices",),
            ("interest",),
            ("costs",),
            (
                "p",
                "We hereby formally give you notice of default and ask you to pay the total "
                "amount of **{{ totaal.totaal }}** " + deadline(lang) + ".",
            ),
            (
                "p",
                "If payment is not made, we will entrust the collection to a lawyer or a "
                "bailiff{% if not klant.is_consument %}, or to a collection agency, without "
                "further notice{% endif %}.{% if rente.van_toepassing %} Interest continues to "
                "accrue until the day of payment in full.{% endif %}",
            ),
            ("if", "klant.is_consument"),
            (
                "p",
                "If you cannot pay the amount in one go, or if you dispute the debt, please "
                "contact us " + CONTACT[lang] + ". We will gladly discuss a payment plan with "
                "you.",
            ),
            ("else",),
            (
                "p",
                "If you dispute this claim or have paid in the meantime, please contact us "
                "immediately " + CONTACT[lang] + ".",
            ),
            ("endif",),
            ("p", PAY_REFERENCE[lang]),
        ]
    return [*blocks, ("payment",), ("reserve",), ("closing",)]
