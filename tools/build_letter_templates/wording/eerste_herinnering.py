"""The wording of the letter ``eerste_herinnering``, per language."""

from __future__ import annotations

from .common import CONTACT, PAY_REFERENCE, Block, amounts, plural

#: The tip on free debt help names Belgian services (OCMW/CPAS, CAW, ÖSHZ): only for a
#: customer who lives in Belgium, not for a consumer abroad whose claim Belgian law governs.
IN_BELGIUM = "{% if klant.landcode == 'BE' %}"
END_IF = "{% endif %}"


def blocks(lang: str) -> list[Block]:
    if lang == "nl":
        return [
            (
                "p",
                "Volgens onze gegevens hebben wij de betaling van "
                + plural(lang, "de onderstaande factuur", "de onderstaande facturen")
                + " nog niet (volledig) ontvangen. Hieronder vindt u de omschrijving, de "
                "vervaldag en het openstaande saldo.",
            ),
            ("invoices",),
            ("if", "xix.kosteloos"),
            ("p", "**Deze eerste herinnering is kosteloos.**"),
            ("else",),
            (
                "p",
                "Voor deze herinnering rekenen wij op grond van {{ kosten.omschrijving }} "
                "**{{ kosten.bedrag }}** aan.",
            ),
            ("endif",),
            (
                "p",
                "Wij vragen u het openstaande saldo van **{{ totaal.totaal }}** te betalen "
                "uiterlijk op **{{ xix.laatste_dag }}**. U beschikt daarvoor over een termijn "
                "van {{ brief.termijn_dagen }} kalenderdagen.",
            ),
            ("h", "Wat als u niet tijdig betaalt?"),
            ("if", "xix.heeft_forfait or xix.heeft_rente"),
            (
                "p",
                "Hebben wij het volledige bedrag niet uiterlijk op {{ xix.laatste_dag }} "
                "ontvangen, dan bent u, "
                "{% if xix.heeft_forfait or xix.rente_beding %}zoals bepaald in onze algemene "
                "voorwaarden en {% endif %}binnen de grenzen van artikel XIX.4 van het Wetboek "
                "van economisch recht, het volgende verschuldigd:",
            ),
            ("if", "xix.heeft_forfait"),
            (
                "li",
                "een forfaitaire schadevergoeding van **{{ xix.forfait }}**"
                + amounts("xix.forfait_per_factuur", "factuur")
                + ";",
            ),
            ("endif",),
            ("if", "xix.heeft_rente"),
            (
                "li",
                "nalatigheidsinteresten tegen **{{ xix.rente_percentage }}** per jaar op het "
                "openstaande saldo, vanaf {{ xix.rente_vanaf }}"
                "{% if not xix.rente_beding %} (de wettelijke interest){% endif %}.",
            ),
            ("endif",),
            ("else",),
            (
                "p",
                "Hebben wij het volledige bedrag niet uiterlijk op {{ xix.laatste_dag }} "
                "ontvangen, dan kunnen wij verdere stappen zetten om de schuld in te vorderen.",
            ),
            ("endif",),
            ("h", "Uw rechten"),
            ("p", "Tijdens deze termijn kunt u:"),
            ("li", "bij ons bijkomende uitleg of de bewijsstukken van deze schuld opvragen;"),
            ("li", "de schuld betwisten als u het er niet mee eens bent;"),
            ("li", "een afbetalingsplan vragen als u het bedrag niet in één keer kunt betalen."),
            (
                "p",
                "Neem daarvoor contact op met {{ schuldeiser.ondertekenaar }} via "
                + CONTACT[lang]
                + "."
                + IN_BELGIUM
                + " Heeft u moeite om uw schulden te betalen? Dan kunt u gratis hulp vragen "
                "bij een erkende instelling voor schuldbemiddeling, bijvoorbeeld het OCMW of "
                "het CAW in uw buurt." + END_IF,
            ),
            ("p", PAY_REFERENCE[lang]),
            ("payment",),
            (
                "p",
                "Heeft u intussen betaald? Dan mag u deze herinnering als onbestaande beschouwen.",
            ),
            ("reserve",),
            ("closing",),
        ]
    if lang == "fr":
        return [
            (
                "p",
                "Selon nos données, nous n'avons pas encore reçu (intégralement) le paiement "
                + plural(lang, "de la facture ci-dessous", "des factures ci-dessous")
                + ". Vous trouverez ci-dessous la description, la date d'échéance et le solde "
                "restant dû.",
            ),
            ("invoices",),
            ("if", "xix.kosteloos"),
            ("p", "**Ce premier rappel est gratuit.**"),
            ("else",),
            (
                "p",
                "Pour ce rappel, nous portons en compte **{{ kosten.bedrag }}** en vertu de "
                "{{ kosten.omschrijving }}.",
            ),
            ("endif",),
            (
                "p",
                "Nous vous prions de payer le solde restant dû de **{{ totaal.totaal }}** au "
                "plus tard le **{{ xix.laatste_dag }}**. Vous disposez à cet effet d'un délai "
                "de {{ brief.termijn_dagen }} jours calendrier.",
            ),
            ("h", "Que se passe-t-il si vous ne payez pas à temps ?"),
            ("if", "xix.heeft_forfait or xix.heeft_rente"),
            (
                "p",
                "Si nous n'avons pas reçu l'intégralité du montant au plus tard le "
                "{{ xix.laatste_dag }}, vous serez redevable, "
                "{% if xix.heeft_forfait or xix.rente_beding %}conformément à "
                "nos conditions générales et {% endif %}dans les limites de l'article XIX.4 du "
                "Code de droit économique, des montants suivants :",
            ),
            ("if", "xix.heeft_forfait"),
            (
                "li",
                "une indemnité forfaitaire de **{{ xix.forfait }}**"
                + amounts("xix.forfait_per_factuur", "facture")
                + " ;",
            ),
            ("endif",),
            ("if", "xix.heeft_rente"),
            (
                "li",
                "des intérêts de retard au taux de **{{ xix.rente_percentage }}** l'an sur le "
                "solde restant dû, à compter du {{ xix.rente_vanaf }}"
                "{% if not xix.rente_beding %} (l'intérêt légal){% endif %}.",
            ),
            ("endif",),
            ("else",),
            (
                "p",
                "Si nous n'avons pas reçu l'intégralité du montant au plus tard le "
                "{{ xix.laatste_dag }}, nous pourrons entreprendre d'autres démarches pour "
                "recouvrer la dette.",
            ),
            ("endif",),
            ("h", "Vos droits"),
            ("p", "Pendant ce délai, vous pouvez :"),
            (
                "li",
                "nous demander des explications complémentaires ou les pièces justificatives "
                "de cette dette ;",
            ),
            ("li", "contester la dette si vous n'êtes pas d'accord ;"),
            (
                "li",
                "demander un plan de paiement si vous ne pouvez pas payer le montant en une fois.",
            ),
            (
                "p",
                "Pour ce faire, veuillez contacter {{ schuldeiser.ondertekenaar }} "
                + CONTACT[lang]
                + "."
                + IN_BELGIUM
                + " Si vous éprouvez des difficultés à payer vos dettes, vous pouvez obtenir "
                "une aide gratuite auprès d'un service de médiation de dettes agréé, par "
                "exemple auprès du CPAS de votre commune." + END_IF,
            ),
            ("p", PAY_REFERENCE[lang]),
            ("payment",),
            (
                "p",
                "Si vous avez payé entre-temps, veuillez ne pas tenir compte du présent rappel.",
            ),
            ("reserve",),
            ("closing",),
        ]
    if lang == "de":
        # Book XIX in the words of the official German text of the Belgian Code of Economic
        # Law (Wirtschaftsgesetzbuch): kostenlose erste Zahlungserinnerung, Pauschalentschädigung,
        # Verzugszinsen, Abzahlungsplan; debt help at the ÖSHZ (OCMW/CPAS).
        return [
            (
                "p",
                "nach unseren Unterlagen haben wir die Zahlung "
                + plural(
                    lang, "der unten aufgeführten Rechnung", "der unten aufgeführten Rechnungen"
                )
                + " noch nicht (vollständig) erhalten. Unten finden Sie die Beschreibung, das "
                "Fälligkeitsdatum und den offenen Saldo.",
            ),
            ("invoices",),
            ("if", "xix.kosteloos"),
            ("p", "**Diese erste Zahlungserinnerung ist kostenlos.**"),
            ("else",),
            (
                "p",
                "Für diese Zahlungserinnerung berechnen wir gemäß {{ kosten.omschrijving }} "
                "**{{ kosten.bedrag }}**.",
            ),
            ("endif",),
            (
                "p",
                "Wir bitten Sie, den offenen Saldo von **{{ totaal.totaal }}** spätestens bis zum "
                "**{{ xix.laatste_dag }}** zu zahlen. Dafür steht Ihnen eine Frist von "
                "{{ brief.termijn_dagen }} Kalendertagen zur Verfügung.",
            ),
            ("h", "Was geschieht, wenn Sie nicht rechtzeitig zahlen?"),
            ("if", "xix.heeft_forfait or xix.heeft_rente"),
            (
                "p",
                "Geht der volle Betrag nicht spätestens am {{ xix.laatste_dag }} bei uns ein, "
                "schulden Sie "
                "{% if xix.heeft_forfait or xix.rente_beding %}gemäß unseren Allgemeinen "
                "Geschäftsbedingungen und {% endif %}in den Grenzen von Artikel XIX.4 des "
                "Wirtschaftsgesetzbuches Folgendes:",
            ),
            ("if", "xix.heeft_forfait"),
            (
                "li",
                "eine Pauschalentschädigung in Höhe von **{{ xix.forfait }}**"
                + amounts("xix.forfait_per_factuur", "Rechnung")
                + ";",
            ),
            ("endif",),
            ("if", "xix.heeft_rente"),
            (
                "li",
                "Verzugszinsen zum Satz von **{{ xix.rente_percentage }}** pro Jahr auf den "
                "offenen Saldo ab dem {{ xix.rente_vanaf }}"
                "{% if not xix.rente_beding %} (gesetzliche Zinsen){% endif %}.",
            ),
            ("endif",),
            ("else",),
            (
                "p",
                "Geht der volle Betrag nicht spätestens am {{ xix.laatste_dag }} bei uns ein, "
                "können wir weitere Schritte zur Beitreibung der Schuld unternehmen.",
            ),
            ("endif",),
            ("h", "Ihre Rechte"),
            ("p", "Während dieser Frist können Sie:"),
            ("li", "bei uns zusätzliche Erläuterungen oder die Belege zu dieser Schuld anfordern;"),
            ("li", "die Schuld bestreiten, wenn Sie nicht einverstanden sind;"),
            (
                "li",
                "einen Abzahlungsplan beantragen, wenn Sie den Betrag nicht auf einmal zahlen "
                "können.",
            ),
            (
                "p",
                "Dazu erreichen Sie {{ schuldeiser.ondertekenaar }} "
                + CONTACT[lang]
                + "."
                + IN_BELGIUM
                + " Haben Sie Schwierigkeiten, Ihre Schulden zu bezahlen? Dann erhalten Sie "
                "kostenlose Hilfe bei einer anerkannten Schuldnerberatungsstelle, zum Beispiel "
                "beim Öffentlichen Sozialhilfezentrum (ÖSHZ) Ihrer Gemeinde." + END_IF,
            ),
            ("p", PAY_REFERENCE[lang]),
            ("payment",),
            (
                "p",
                "Falls Sie inzwischen bezahlt haben, betrachten Sie diese Zahlungserinnerung "
                "bitte als gegenstandslos.",
            ),
            ("reserve",),
            ("closing",),
        ]
    return [
        (
            "p",
            "According to our records, we have not yet received payment (in full) of "
            + plural(lang, "the invoice below", "the invoices below")
            + ". Below you will find the description, the due date and the outstanding "
            "balance.",
        ),
        ("invoices",),
        ("if", "xix.kosteloos"),
        ("p", "**This first reminder is free of charge.**"),
        ("else",),
        (
            "p",
            "For this reminder we charge **{{ kosten.bedrag }}** under {{ kosten.omschrijving }}.",
        ),
        ("endif",),
        (
            "p",
            "Please pay the outstanding balance of **{{ totaal.totaal }}** no later than "
            "**{{ xix.laatste_dag }}**. You have a period of {{ brief.termijn_dagen }} calendar "
            "days to do so.",
        ),
        ("h", "What happens if you do not pay in time?"),
        ("if", "xix.heeft_forfait or xix.heeft_rente"),
        (
            "p",
            "If we have not received the full amount by {{ xix.laatste_dag }}, you will owe "
            "the following, "
            "{% if xix.heeft_forfait or xix.rente_beding %}in accordance with our general "
            "terms and conditions and {% endif %}within the limits of Article XIX.4 of the "
            "Belgian Code of Economic Law:",
        ),
        ("if", "xix.heeft_forfait"),
        (
            "li",
            "a fixed compensation of **{{ xix.forfait }}**"
            + amounts("xix.forfait_per_factuur", "invoice")
            + ";",
        ),
        ("endif",),
        ("if", "xix.heeft_rente"),
        (
            "li",
            "late-payment interest at **{{ xix.rente_percentage }}** per year on the "
            "outstanding balance, from {{ xix.rente_vanaf }}"
            "{% if not xix.rente_beding %} (the Belgian legal interest rate){% endif %}.",
        ),
        ("endif",),
        ("else",),
        (
            "p",
            "If we have not received the full amount by {{ xix.laatste_dag }}, we may take "
            "further steps to recover the debt.",
        ),
        ("endif",),
        ("h", "Your rights"),
        ("p", "During this period you may:"),
        ("li", "ask us for further explanation or for the supporting documents of this debt;"),
        ("li", "dispute the debt if you do not agree with it;"),
        ("li", "ask for a payment plan if you cannot pay the amount in one go."),
        (
            "p",
            "To do so, please contact {{ schuldeiser.ondertekenaar }} "
            + CONTACT[lang]
            + "."
            + IN_BELGIUM
            + " If you have difficulty paying your debts, you can get free help from a "
            "recognised debt mediation service, for example the public social welfare centre "
            "(OCMW/CPAS) in your municipality." + END_IF,
        ),
        ("p", PAY_REFERENCE[lang]),
        ("payment",),
        ("p", "If you have paid in the meantime, please disregard this reminder."),
        ("reserve",),
        ("closing",),
    ]
