"""The wording of the letter ``veertiendagenbrief``, per language."""

from __future__ import annotations

from .common import CONTACT, PAY_REFERENCE, Block, plural


def blocks(lang: str) -> list[Block]:
    if lang == "nl":
        blocks: list[Block] = [
            (
                "p",
                "De betalingstermijn van "
                + plural(lang, "de onderstaande factuur", "de onderstaande facturen")
                + " is verstreken en wij hebben het verschuldigde bedrag "
                + _AFTER_NOTICE.format(
                    "ook binnen de termijn van onze eerdere brief, die als ingebrekestelling "
                    "gold, niet",
                    "nog niet",
                )
                + " (volledig) van u ontvangen. U bent daardoor in verzuim.",
            ),
            ("invoices",),
            ("interest",),
            ("h", "Betaal binnen veertien dagen"),
            (
                "p",
                "Wij verzoeken u het totaalbedrag van **{{ totaal.totaal }}** te betalen "
                "**binnen veertien dagen vanaf de dag nadat deze brief bij u is bezorgd**.",
            ),
            ("h", "Wat gebeurt er als u niet op tijd betaalt?"),
            ("if", "kosten.van_toepassing"),
            (
                "p",
                "Hebben wij het volledige bedrag niet binnen deze termijn ontvangen, dan bent "
                "u ook buitengerechtelijke incassokosten verschuldigd. Wij vorderen dan op "
                "grond van {{ kosten.omschrijving }} een bedrag van **{{ kosten.bedrag }}**."
                "{% if kosten.inclusief_btw %} Dit bedrag is inclusief "
                "{{ kosten.btw_bedrag }} btw, omdat wij de btw niet kunnen verrekenen."
                "{% endif %}",
            ),
            ("endif",),
            ("if", "rente.van_toepassing"),
            (
                "p",
                "Ook blijft u {{ rente.omschrijving }} verschuldigd tot de dag waarop u "
                "volledig hebt betaald.",
            ),
            ("endif",),
            (
                "p",
                "Blijft betaling uit, dan kunnen wij de vordering uit handen geven aan een "
                "incassobureau of een gerechtsdeurwaarder en zo nodig aan de rechter "
                "voorleggen.",
            ),
            (
                "p",
                "Kunt u het bedrag niet in één keer betalen, of bent u het niet eens met deze "
                "vordering? Neem dan vóór het einde van de termijn contact met ons op via "
                + CONTACT[lang]
                + ". Wij zoeken graag samen met u naar een oplossing, bijvoorbeeld een "
                "betalingsregeling.",
            ),
            ("p", PAY_REFERENCE[lang]),
            ("payment",),
            (
                "p",
                "Heeft u het volledige bedrag inmiddels betaald? Dan kunt u deze brief als "
                "niet verzonden beschouwen.",
            ),
        ]
    elif lang == "fr":
        blocks = [
            (
                "p",
                "Le délai de paiement "
                + plural(lang, "de la facture ci-dessous", "des factures ci-dessous")
                + " est expiré et nous n'avons "
                + _AFTER_NOTICE.format(
                    "pas reçu (intégralement) le montant dû, pas même dans le délai de notre "
                    "précédent courrier, qui valait mise en demeure",
                    "pas encore reçu (intégralement) le montant dû",
                )
                + ". Vous êtes dès lors en demeure.",
            ),
            ("invoices",),
            ("interest",),
            ("h", "Payez dans les quatorze jours"),
            (
                "p",
                "Nous vous invitons à payer le montant total de **{{ totaal.totaal }}** "
                "**dans un délai de quatorze jours à compter du lendemain du jour où cette "
                "lettre vous a été remise**.",
            ),
            ("h", "Que se passe-t-il si vous ne payez pas à temps ?"),
            ("if", "kosten.van_toepassing"),
            (
                "p",
                "Si nous n'avons pas reçu l'intégralité du montant dans ce délai, vous serez "
                "également redevable de frais de recouvrement extrajudiciaires. Nous "
                "réclamerons alors, en vertu de {{ kosten.omschrijving }}, un montant de "
                "**{{ kosten.bedrag }}**.{% if kosten.inclusief_btw %} Ce montant comprend "
                "{{ kosten.btw_bedrag }} de TVA, car nous ne pouvons pas récupérer la TVA."
                "{% endif %}",
            ),
            ("endif",),
            ("if", "rente.van_toepassing"),
            (
                "p",
                "Les intérêts de retard continuent en outre de courir jusqu'au jour du paiement "
                "intégral.",
            ),
            ("endif",),
            (
                "p",
                "À défaut de paiement, nous pourrons confier le recouvrement de la créance à "
                "une agence de recouvrement ou à un huissier de justice et, si nécessaire, "
                "saisir le juge.",
            ),
            (
                "p",
                "Si vous ne pouvez pas payer ce montant en une fois, ou si vous contestez "
                "cette créance, veuillez nous contacter avant l'expiration du délai "
                + CONTACT[lang]
                + ". Nous chercherons volontiers une solution avec vous, par exemple un plan "
                "de paiement.",
            ),
            ("p", PAY_REFERENCE[lang]),
            ("payment",),
            (
                "p",
                "Si vous avez entre-temps payé l'intégralité du montant, veuillez ne pas tenir "
                "compte de la présente lettre.",
            ),
        ]
    elif lang == "de":
        blocks = [
            (
                "p",
                "die Zahlungsfrist "
                + plural(
                    lang, "der unten aufgeführten Rechnung", "der unten aufgeführten Rechnungen"
                )
                + " ist abgelaufen, und wir haben den geschuldeten Betrag "
                + _AFTER_NOTICE.format(
                    "auch innerhalb der Frist unseres früheren Schreibens, das als "
                    "Inverzugsetzung galt, nicht",
                    "noch nicht",
                )
                + " (vollständig) von Ihnen erhalten. Sie befinden sich daher in Verzug.",
            ),
            ("invoices",),
            ("interest",),
            ("h", "Bitte zahlen Sie innerhalb von vierzehn Tagen"),
            (
                "p",
                "Wir fordern Sie auf, den Gesamtbetrag von **{{ totaal.totaal }}** **innerhalb "
                "von vierzehn Tagen ab dem Tag nach der Zustellung dieses Schreibens** zu zahlen.",
            ),
            ("h", "Was geschieht, wenn Sie nicht rechtzeitig zahlen?"),
            ("if", "kosten.van_toepassing"),
            (
                "p",
                "Geht der volle Betrag nicht innerhalb dieser Frist bei uns ein, schulden Sie "
                "außerdem außergerichtliche Inkassokosten. Wir fordern dann gemäß "
                "{{ kosten.omschrijving }} einen Betrag von **{{ kosten.bedrag }}**."
                "{% if kosten.inclusief_btw %} Dieser Betrag enthält {{ kosten.btw_bedrag }} "
                "Umsatzsteuer, da wir die Umsatzsteuer nicht als Vorsteuer abziehen können."
                "{% endif %}",
            ),
            ("endif",),
            ("if", "rente.van_toepassing"),
            (
                "p",
                "Außerdem schulden Sie bis zum Tag der vollständigen Zahlung weiterhin "
                "{{ rente.omschrijving }}.",
            ),
            ("endif",),
            (
                "p",
                "Bleibt die Zahlung aus, können wir die Forderung einem Inkassobüro oder einem "
                "Gerichtsvollzieher übergeben und sie erforderlichenfalls dem Gericht vorlegen.",
            ),
            (
                "p",
                "Können Sie den Betrag nicht auf einmal zahlen, oder sind Sie mit dieser "
                "Forderung nicht einverstanden? Dann erreichen Sie uns vor Ablauf der Frist "
                + CONTACT[lang]
                + ". Wir suchen gern gemeinsam mit Ihnen nach einer Lösung, zum Beispiel einer "
                "Ratenzahlungsvereinbarung.",
            ),
            ("p", PAY_REFERENCE[lang]),
            ("payment",),
            (
                "p",
                "Falls Sie den vollen Betrag inzwischen bezahlt haben, betrachten Sie dieses "
                "Schreiben bitte als gegenstandslos.",
            ),
        ]
    else:
        blocks = [
            (
                "p",
                "The payment term of "
                + plural(lang, "the invoice below", "the invoices below")
                + " has expired and we have not "
                + _AFTER_NOTICE.format(
                    "received the amount due (in full), not even within the term of our "
                    "earlier letter, which served as a notice of default",
                    "yet received the amount due (in full)",
                )
                + ". You are therefore in default.",
            ),
            ("invoices",),
            ("interest",),
            ("h", "Please pay within fourteen days"),
            (
                "p",
                "We ask you to pay the total amount of **{{ totaal.totaal }}** **within "
                "fourteen days from the day after this letter has been delivered to you**.",
            ),
            ("h", "What happens if you do not pay in time?"),
            ("if", "kosten.van_toepassing"),
            (
                "p",
                "If we have not received the full amount within this period, you will also "
                "owe extrajudicial collection costs. Under {{ kosten.omschrijving }}, we will "
                "then claim an amount of **{{ kosten.bedrag }}**.{% if kosten.inclusief_btw %} "
                "This amount includes {{ kosten.btw_bedrag }} VAT, because we cannot recover "
                "the VAT.{% endif %}",
            ),
            ("endif",),
            ("if", "rente.van_toepassing"),
            (
                "p",
                "Interest also continues to accrue until the day on which you have paid in full.",
            ),
            ("endif",),
            (
                "p",
                "If payment is not made, we may hand the claim over to a collection agency or "
                "a bailiff and, if necessary, bring it before the court.",
            ),
            (
                "p",
                "If you cannot pay the amount in one go, or if you dispute this claim, please "
                "contact us before the end of the period " + CONTACT[lang] + ". We will gladly "
                "look for a solution with you, such as a payment plan.",
            ),
            ("p", PAY_REFERENCE[lang]),
            ("payment",),
            (
                "p",
                "If you have already paid the full amount, please disregard this letter.",
            ),
        ]
    return [*blocks, ("reserve",), ("closing",)]


#: Why the consumer is in default: a Dutch consumer whose payment term was not agreed beforehand
#: is in default only after the term of a notice of default (art. 6:82 BW; the setting "NL
#: consument: rente pas na 14-dagenbrief"), not when the payment term expired.
_AFTER_NOTICE = "{{% if brief.na_ingebrekestelling %}}{}{{% else %}}{}{{% endif %}}"
