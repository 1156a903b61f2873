"""The wording of the letter ``aanmaning``, per language."""

from __future__ import annotations

from .common import CONTACT, PAY_REFERENCE, Block, deadline, plural


def blocks(lang: str) -> list[Block]:
    if lang == "nl":
        blocks: list[Block] = [
            (
                "p",
                "Ondanks {% if brief.vorige_datum %}onze herinnering van "
                "{{ brief.vorige_datum }}{% else %}het verstrijken van de betalingstermijn"
                "{% endif %} hebben wij de betaling van "
                + plural(lang, "de onderstaande factuur", "de onderstaande facturen")
                + " nog niet (volledig) ontvangen.",
            ),
            ("invoices",),
            ("interest",),
            ("costs",),
            (
                "p",
                "Hierbij manen wij u aan en stellen wij u in gebreke. Wij verzoeken u het "
                "totaalbedrag van **{{ totaal.totaal }}** " + deadline(lang) + " te betalen.",
            ),
            (
                "p",
                "Voor zover u nog niet in verzuim was, bent u dat na het verstrijken van deze "
                "termijn. De rente loopt door tot de dag van volledige betaling.",
            ),
            (
                "p",
                "Hebben wij het volledige bedrag niet binnen deze termijn ontvangen, dan dragen "
                "wij de vordering zonder nadere aankondiging over aan een incassobureau of "
                "gerechtsdeurwaarder. De kosten daarvan komen voor uw rekening voor zover de "
                "wet of onze overeenkomst dat toestaat.",
            ),
            (
                "p",
                "Bent u het niet eens met deze vordering, of heeft u inmiddels betaald? Neem "
                "dan direct contact met ons op via " + CONTACT[lang] + ".",
            ),
        ]
    elif lang == "fr":
        blocks = [
            (
                "p",
                "Malgré {% if brief.vorige_datum %}notre rappel du {{ brief.vorige_datum }}"
                "{% else %}l'expiration du délai de paiement{% endif %}, nous n'avons toujours "
                "pas reçu (intégralement) le paiement "
                + plural(lang, "de la facture ci-dessous", "des factures ci-dessous")
                + ".",
            ),
            ("invoices",),
            ("interest",),
            ("costs",),
            (
                "p",
                "Par la présente, nous vous sommons de payer et vous mettons en demeure de "
                "régler le montant total de **{{ totaal.totaal }}** " + deadline(lang) + ".",
            ),
            (
                "p",
                "Dans la mesure où vous n'étiez pas encore en demeure, vous le serez à "
                "l'expiration de ce délai. Les intérêts continuent de courir jusqu'au jour du "
                "paiement intégral.",
            ),
            (
                "p",
                "À défaut de paiement intégral dans ce délai, nous confierons le recouvrement, "
                "sans autre avis, à une agence de recouvrement ou à un huissier de justice. "
                "Les frais qui en découlent seront à votre charge dans la mesure où la loi ou "
                "notre contrat le permet.",
            ),
            (
                "p",
                "Si vous contestez cette créance ou si vous avez payé entre-temps, veuillez "
                "nous contacter immédiatement " + CONTACT[lang] + ".",
            ),
        ]
    elif lang == "de":
        blocks = [
            (
                "p",
                "trotz {% if brief.vorige_datum %}unserer Zahlungserinnerung vom "
                "{{ brief.vorige_datum }}{% else %}Ablauf der Zahlungsfrist{% endif %} haben wir "
                "die Zahlung "
                + plural(
                    lang, "der unten aufgeführten Rechnung", "der unten aufgeführten Rechnungen"
                )
                + " noch nicht (vollständig) erhalten.",
            ),
            ("invoices",),
            ("interest",),
            ("costs",),
            (
                "p",
                "Hiermit mahnen wir Sie und setzen Sie in Verzug. Wir fordern Sie auf, den "
                "Gesamtbetrag von **{{ totaal.totaal }}** " + deadline(lang) + " zu zahlen.",
            ),
            (
                "p",
                "Soweit Sie sich noch nicht in Verzug befanden, geraten Sie mit Ablauf dieser "
                "Frist in Verzug. Die Zinsen laufen bis zum Tag der vollständigen Zahlung weiter.",
            ),
            (
                "p",
                "Geht der volle Betrag nicht innerhalb dieser Frist bei uns ein, übergeben wir die "
                "Forderung ohne weitere Ankündigung einem Inkassobüro oder einem "
                "Gerichtsvollzieher. Die dadurch entstehenden Kosten gehen zu Ihren Lasten, soweit "
                "das Gesetz oder unser Vertrag dies zulässt.",
            ),
            (
                "p",
                "Sind Sie mit dieser Forderung nicht einverstanden, oder haben Sie inzwischen "
                "bezahlt? Dann erreichen Sie uns umgehend " + CONTACT[lang] + ".",
            ),
        ]
    else:
        blocks = [
            (
                "p",
                "Despite {% if brief.vorige_datum %}our reminder of {{ brief.vorige_datum }}"
                "{% else %}the expiry of the payment term{% endif %}, we have not yet received "
                "payment (in full) of "
                + plural(lang, "the invoice below", "the invoices below")
                + ".",
            ),
            ("invoices",),
            ("interest",),
            ("costs",),
            (
                "p",
                "We hereby formally demand payment and give you notice of default. Please pay "
                "the total amount of **{{ totaal.totaal }}** " + deadline(lang) + ".",
            ),
            (
                "p",
                "Insofar as you were not yet in default, you will be in default when this "
                "period expires. Interest continues to accrue until the day of payment in full.",
            ),
            (
                "p",
                "If we have not received the full amount within this period, we will hand the "
                "claim over to a collection agency or a bailiff without further notice. The "
                "costs of doing so will be charged to you insofar as the law or our agreement "
                "allows.",
            ),
            (
                "p",
                "If you dispute this claim or have paid in the meantime, please contact us "
                "immediately " + CONTACT[lang] + ".",
            ),
        ]
    return [*blocks, ("p", PAY_REFERENCE[lang]), ("payment",), ("reserve",), ("closing",)]
