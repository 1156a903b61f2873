"""Words shared by the letters: labels, table headers, titles and sentence snippets, per
language."""

from __future__ import annotations

#: Templates written for Belgian debtors only: their Dutch text uses Flemish legal terms.
BELGIAN = frozenset({"eerste_herinnering", "ingebrekestelling"})

# --------------------------------------------------------------------------------------------
# Words per language
# --------------------------------------------------------------------------------------------

LABELS: dict[str, dict[str, str]] = {
    "nl": {
        "date": "Datum",
        "our_ref": "Ons kenmerk",
        "customer_no": "Klantnummer",
        "contact": "Contactpersoon",
        "dossier": "Dossier",
        "phone": "Tel.",
        "email": "E-mail",
        "vat": "Btw-nummer",
        "attn": "t.a.v.",
        "page": "Pagina",
        "page_of": "van",
        "total": "Totaal",
        "total_interest": "Totaal rente",
        "pay_heading": "Betaalgegevens",
        "amount": "Bedrag",
        "beneficiary": "Ten name van",
        "qr_caption": "Scan de QR-code met uw bank-app om direct te betalen.",
        "closing": "Met vriendelijke groet,",
        "interest_basis": "Rente per dag berekend; dagtelling: {{ rente.dagtelling }}.",
        "debtor_heading": "Gegevens van de schuldenaar",
        "claim_heading": "De vordering",
        "actions_heading": "Verstuurde brieven en andere acties",
        "action": "Actie",
        "kind": "Soort",
        "consumer": "consument",
        "business": "onderneming",
        "name": "Naam",
        "address": "Adres",
        "postcode_city": "Postcode en plaats",
        "country": "Land",
    },
    "fr": {
        "date": "Date",
        "our_ref": "Notre référence",
        "customer_no": "N° de client",
        "contact": "Contact",
        "dossier": "Dossier",
        "phone": "Tél.",
        "email": "E-mail",
        "vat": "N° TVA",
        "attn": "À l'attention de",
        "page": "Page",
        "page_of": "sur",
        "total": "Total",
        "total_interest": "Total des intérêts",
        "pay_heading": "Données de paiement",
        "amount": "Montant",
        "beneficiary": "Bénéficiaire",
        "qr_caption": "Scannez le code QR avec votre application bancaire pour payer directement.",
        "closing": "Veuillez agréer l'expression de nos salutations distinguées.",
        "interest_basis": "Intérêts calculés par jour ; base : {{ rente.dagtelling }}.",
        "debtor_heading": "Données du débiteur",
        "claim_heading": "La créance",
        "actions_heading": "Courriers envoyés et autres démarches",
        "action": "Démarche",
        "kind": "Qualité",
        "consumer": "consommateur",
        "business": "entreprise",
        "name": "Nom",
        "address": "Adresse",
        "postcode_city": "Code postal et localité",
        "country": "Pays",
    },
    "en": {
        "date": "Date",
        "our_ref": "Our reference",
        "customer_no": "Customer number",
        "contact": "Contact",
        "dossier": "File",
        "phone": "Tel.",
        "email": "Email",
        "vat": "VAT number",
        "attn": "Attn.",
        "page": "Page",
        "page_of": "of",
        "total": "Total",
        "total_interest": "Total interest",
        "pay_heading": "Payment details",
        "amount": "Amount",
        "beneficiary": "Beneficiary",
        "qr_caption": "Scan the QR code with your banking app to pay directly.",
        "closing": "Yours sincerely,",
        "interest_basis": "Interest calculated per day; day count: {{ rente.dagtelling }}.",
        "debtor_heading": "Debtor details",
        "claim_heading": "The claim",
        "actions_heading": "Letters sent and other actions",
        "action": "Action",
        "kind": "Type",
        "consumer": "consumer",
        "business": "business",
        "name": "Name",
        "address": "Address",
        "postcode_city": "Postcode and town",
        "country": "Country",
    },
    "de": {
        "date": "Datum",
        "our_ref": "Unser Zeichen",
        "customer_no": "Kundennummer",
        "contact": "Ansprechpartner",
        "dossier": "Aktenzeichen",
        "phone": "Tel.",
        "email": "E-Mail",
        "vat": "USt-IdNr.",
        "attn": "z. Hd.",
        "page": "Seite",
        "page_of": "von",
        "total": "Summe",
        "total_interest": "Zinsen gesamt",
        "pay_heading": "Zahlungsangaben",
        "amount": "Betrag",
        "beneficiary": "Empfänger",
        "qr_caption": "Scannen Sie den QR-Code mit Ihrer Banking-App, um direkt zu bezahlen.",
        "closing": "Mit freundlichen Grüßen",
        "interest_basis": "Zinsen taggenau berechnet; Zinstage: {{ rente.dagtelling }}.",
        "debtor_heading": "Angaben zum Schuldner",
        "claim_heading": "Die Forderung",
        "actions_heading": "Versandte Schreiben und sonstige Maßnahmen",
        "action": "Maßnahme",
        "kind": "Art",
        "consumer": "Verbraucher",
        "business": "Unternehmen",
        "name": "Name",
        "address": "Anschrift",
        "postcode_city": "Postleitzahl und Ort",
        "country": "Land",
    },
}

INVOICE_HEADERS = {
    "nl": (
        "Factuur",
        "Factuur\u00addatum",
        "Verval\u00addatum",
        "Dagen te laat",
        "Hoofdsom",
        "Betaald",
        "Rente",
        "Kosten",
        "Te betalen",
    ),
    "nl-BE": (
        "Factuur",
        "Factuur\u00addatum",
        "Vervaldag",
        "Dagen te laat",
        "Hoofdsom",
        "Betaald",
        "Interest",
        "Kosten",
        "Te betalen",
    ),
    "fr": (
        "Facture",
        "Date",
        "Échéance",
        "Jours de retard",
        "Principal",
        "Payé",
        "Intérêts",
        "Frais",
        "À payer",
    ),
    "en": (
        "Invoice",
        "Invoice date",
        "Due date",
        "Days overdue",
        "Principal",
        "Paid",
        "Interest",
        "Costs",
        "To pay",
    ),
    "de": (
        "Rechnung",
        "Rechnungs\u00addatum",
        "Fällig\u00adkeit",
        "Verzugs\u00adtage",
        "Haupt\u00adforderung",
        "Bezahlt",
        "Zinsen",
        "Kosten",
        "Zu zahlen",
    ),
}
PERIOD_HEADERS = {
    "nl": ("Factuur", "Van", "Tot en met", "Dagen", "Grondslag", "Rentevoet", "Rente"),
    "nl-BE": ("Factuur", "Van", "Tot en met", "Dagen", "Grondslag", "Rentevoet", "Interest"),
    "fr": ("Facture", "Du", "Au", "Jours", "Base", "Taux", "Intérêts"),
    "en": ("Invoice", "From", "To", "Days", "Base", "Rate", "Interest"),
    "de": ("Rechnung", "Vom", "Bis einschl.", "Tage", "Betrag", "Zinssatz", "Zinsen"),
}
#: The period table's total where a variant names the interest otherwise than its language's
#: labels: a Belgian letter's column is 'Interest' (nalatigheidsinterest), so is its total.
TOTAL_INTEREST = {"nl-BE": "Totaal interest"}
PLAN_HEADERS = {
    "nl": ("Termijn", "Uiterlijk te betalen op", "Bedrag"),
    "fr": ("Tranche", "À payer au plus tard le", "Montant"),
    "en": ("Instalment", "To be paid by", "Amount"),
    "de": ("Rate", "Spätestens zu zahlen am", "Betrag"),
}
ACTION_HEADERS = {
    "nl": ("Datum", "Actie"),
    "fr": ("Date", "Démarche"),
    "en": ("Date", "Action"),
    "de": ("Datum", "Maßnahme"),
}

TITLES = {
    "herinnering": {
        "nl": "Herinnering",
        "fr": "Rappel",
        "en": "Reminder",
        "de": "Zahlungserinnerung",
    },
    "veertiendagenbrief": {
        "nl": "14-dagenbrief",
        "fr": "Mise en demeure",
        "en": "Final demand",
        "de": "Zahlungsaufforderung (14 Tage)",
    },
    "aanmaning": {
        "nl": "Aanmaning en ingebrekestelling",
        "fr": "Sommation et mise en demeure",
        "en": "Formal demand and notice of default",
        "de": "Mahnung und Inverzugsetzung",
    },
    "eerste_herinnering": {
        "nl": "Eerste herinnering",
        "fr": "Premier rappel",
        "en": "First reminder",
        "de": "Erste Zahlungserinnerung",
    },
    "ingebrekestelling": {
        "nl": "Ingebrekestelling",
        "fr": "Mise en demeure",
        "en": "Notice of default",
        "de": "Inverzugsetzung",
    },
    "regeling": {
        "nl": "Betalingsregeling",
        "fr": "Plan de paiement",
        "en": "Payment plan",
        "de": "Ratenzahlungsvereinbarung",
    },
    "overdracht": {
        "nl": "Overdracht ter incasso",
        "fr": "Transmission pour recouvrement",
        "en": "Transfer for collection",
        "de": "Übergabe zum Inkasso",
    },
}

# --------------------------------------------------------------------------------------------
# Text snippets shared by several letters
# --------------------------------------------------------------------------------------------

ONE = "{% if facturen|length == 1 %}"

CONTACT = {
    "nl": "{% if schuldeiser.telefoon %}{{ schuldeiser.telefoon }} of {% endif %}"
    "{{ schuldeiser.email }}",
    "fr": "{% if schuldeiser.telefoon %}au {{ schuldeiser.telefoon }} ou {% endif %}"
    "par e-mail à {{ schuldeiser.email }}",
    "en": "{% if schuldeiser.telefoon %}on {{ schuldeiser.telefoon }} or {% endif %}"
    "by email at {{ schuldeiser.email }}",
    # German sentences put it after "erreichen Sie uns" / "erreichen Sie <name>".
    "de": "{% if schuldeiser.telefoon %}telefonisch unter {{ schuldeiser.telefoon }} oder "
    "{% endif %}per E-Mail unter {{ schuldeiser.email }}",
}

INTEREST = {
    "nl": "Over het openstaande bedrag rekenen wij {{ rente.omschrijving }} vanaf "
    "{{ rente.vanaf }}; de rentevoet bedraagt momenteel {{ rente.percentage }} per jaar. "
    "De berekening per periode vindt u hieronder.",
    "fr": "Le montant impayé porte des intérêts de retard à compter du {{ rente.vanaf }}, "
    "actuellement au taux de {{ rente.percentage }} l'an, soit {{ rente.omschrijving }}. "
    "Le détail du calcul par période figure ci-dessous.",
    "en": "Interest is charged on the unpaid amount from {{ rente.vanaf }}, currently at "
    "{{ rente.percentage }} per year: {{ rente.omschrijving }}. "
    "The calculation per period is shown below.",
    # rente.omschrijving is a plural without an article in German ("gesetzliche Zinsen …"):
    # the object of "berechnen wir".
    "de": "Auf den offenen Betrag berechnen wir ab dem {{ rente.vanaf }} "
    "{{ rente.omschrijving }}; der Zinssatz beträgt derzeit {{ rente.percentage }} pro Jahr. "
    "Die Berechnung je Zeitraum finden Sie unten.",
}


def amounts(field: str, word: str) -> str:
    """Return Jinja that lists an amount per invoice, " (factuur F1: € 40,00; …)", when the
    list ``field`` has more than one: a letter that sums costs per invoice shows each one.
    French puts a space before the colon and the semicolon."""
    colon, semicolon = (" : ", " ; ") if word == "facture" else (": ", "; ")
    return (
        "{% if " + field + "|length > 1 %} ({% for x in " + field + " %}" + word + " "
        "{{ x.factuur }}" + colon + "{{ x.bedrag }}{% if not loop.last %}" + semicolon + ""
        "{% endif %}{% endfor %}){% endif %}"
    )


COSTS = {
    "nl": "Daarnaast bent u op grond van {{ kosten.omschrijving }} "
    "{% if brief.land == 'BE' %}een forfaitaire vergoeding{% else %}een vergoeding voor "
    "incassokosten{% endif %} verschuldigd van **{{ kosten.bedrag }}**"
    "{% if kosten.per_factuur %}, berekend per factuur{% endif %}"
    + amounts("kosten.per_factuur_bedragen", "factuur")
    + "{% if kosten.inclusief_btw %}, inclusief {{ kosten.btw_bedrag }} btw omdat wij de btw "
    "niet kunnen verrekenen{% endif %}.",
    "fr": "En outre, en vertu de {{ kosten.omschrijving }}, "
    "{% if brief.land == 'BE' %}une indemnité forfaitaire{% else %}une indemnité pour frais "
    "de recouvrement{% endif %} de **{{ kosten.bedrag }}** est due"
    "{% if kosten.per_factuur %}, calculée par facture{% endif %}"
    + amounts("kosten.per_factuur_bedragen", "facture")
    + "{% if kosten.inclusief_btw %}, dont {{ kosten.btw_bedrag }} de TVA, que nous ne pouvons "
    "pas récupérer{% endif %}.",
    "en": "In addition, under {{ kosten.omschrijving }}, "
    "{% if brief.land == 'BE' %}a fixed compensation{% else %}compensation for collection "
    "costs{% endif %} of **{{ kosten.bedrag }}** is payable"
    "{% if kosten.per_factuur %}, calculated per invoice{% endif %}"
    + amounts("kosten.per_factuur_bedragen", "invoice")
    + "{% if kosten.inclusief_btw %}, including {{ kosten.btw_bedrag }} VAT, which we cannot "
    "recover{% endif %}.",
    # kosten.omschrijving is a dative in German: "gemäß Artikel 6:96 …", "gemäß dem … Gesetz".
    "de": "Außerdem schulden Sie gemäß {{ kosten.omschrijving }} "
    "{% if brief.land == 'BE' %}eine Pauschalentschädigung{% else %}eine Vergütung für "
    "Inkassokosten{% endif %} in Höhe von **{{ kosten.bedrag }}**"
    "{% if kosten.per_factuur %}, berechnet je Rechnung{% endif %}"
    + amounts("kosten.per_factuur_bedragen", "Rechnung")
    + "{% if kosten.inclusief_btw %}, einschließlich {{ kosten.btw_bedrag }} Umsatzsteuer, da "
    "wir die Umsatzsteuer nicht als Vorsteuer abziehen können{% endif %}.",
}

# The hand-over letter speaks about the debtor in the third person.
INTEREST_HANDOVER = {
    "nl": "Over het openstaande bedrag is de schuldenaar {{ rente.omschrijving }} verschuldigd "
    "vanaf {{ rente.vanaf }}; de rentevoet bedraagt momenteel {{ rente.percentage }} per jaar. "
    "De berekening tot en met de datum van deze brief staat hieronder.",
    "fr": "Le débiteur est redevable d'intérêts de retard sur le montant impayé à compter du "
    "{{ rente.vanaf }}, actuellement au taux de {{ rente.percentage }} l'an, soit "
    "{{ rente.omschrijving }}. Le calcul jusqu'à la date de la présente figure ci-dessous.",
    "en": "The debtor owes interest on the unpaid amount from {{ rente.vanaf }}, currently at "
    "{{ rente.percentage }} per year: {{ rente.omschrijving }}. The calculation up to the date "
    "of this letter is shown below.",
    "de": "Der Schuldner schuldet auf den offenen Betrag ab dem {{ rente.vanaf }} "
    "{{ rente.omschrijving }}; der Zinssatz beträgt derzeit {{ rente.percentage }} pro Jahr. "
    "Die Berechnung bis zum Datum dieses Schreibens finden Sie unten.",
}
COSTS_HANDOVER = {
    "nl": "Daarnaast is de schuldenaar op grond van {{ kosten.omschrijving }} "
    "{% if brief.land == 'BE' %}een forfaitaire vergoeding{% else %}een vergoeding voor "
    "incassokosten{% endif %} verschuldigd van **{{ kosten.bedrag }}**"
    "{% if kosten.per_factuur %}, berekend per factuur{% endif %}"
    + amounts("kosten.per_factuur_bedragen", "factuur")
    + "{% if kosten.inclusief_btw %}, inclusief {{ kosten.btw_bedrag }} btw{% endif %}.",
    "fr": "En outre, le débiteur est redevable, en vertu de {{ kosten.omschrijving }}, "
    "{% if brief.land == 'BE' %}d'une indemnité forfaitaire{% else %}d'une indemnité pour "
    "frais de recouvrement{% endif %} de **{{ kosten.bedrag }}**"
    "{% if kosten.per_factuur %}, calculée par facture{% endif %}"
    + amounts("kosten.per_factuur_bedragen", "facture")
    + "{% if kosten.inclusief_btw %}, dont {{ kosten.btw_bedrag }} de TVA{% endif %}.",
    "en": "In addition, under {{ kosten.omschrijving }}, the debtor owes "
    "{% if brief.land == 'BE' %}a fixed compensation{% else %}compensation for collection "
    "costs{% endif %} of **{{ kosten.bedrag }}**"
    "{% if kosten.per_factuur %}, calculated per invoice{% endif %}"
    + amounts("kosten.per_factuur_bedragen", "invoice")
    + "{% if kosten.inclusief_btw %}, including {{ kosten.btw_bedrag }} VAT{% endif %}.",
    "de": "Außerdem schuldet der Schuldner gemäß {{ kosten.omschrijving }} "
    "{% if brief.land == 'BE' %}eine Pauschalentschädigung{% else %}eine Vergütung für "
    "Inkassokosten{% endif %} in Höhe von **{{ kosten.bedrag }}**"
    "{% if kosten.per_factuur %}, berechnet je Rechnung{% endif %}"
    + amounts("kosten.per_factuur_bedragen", "Rechnung")
    + "{% if kosten.inclusief_btw %}, einschließlich {{ kosten.btw_bedrag }} Umsatzsteuer"
    "{% endif %}.",
}

RESERVE = {
    "nl": "Wij behouden ons uitdrukkelijk ons recht op volledige betaling voor.",
    "fr": "Nous nous réservons expressément notre droit au paiement intégral.",
    "en": "We expressly reserve our right to payment in full.",
    "de": "Wir behalten uns unseren Anspruch auf vollständige Zahlung ausdrücklich vor.",
}

PAY_REFERENCE = {
    "nl": "Wilt u bij uw betaling als {{ betaling.kenmerk_soort }} "
    "**{{ betaling.kenmerk }}** vermelden? Dan kunnen wij uw betaling direct verwerken.",
    "fr": "Lors de votre paiement, veuillez mentionner la communication "
    "**{{ betaling.kenmerk }}**, afin que nous puissions traiter votre paiement sans délai.",
    "en": "Please quote the {{ betaling.kenmerk_soort }} **{{ betaling.kenmerk }}** with your "
    "payment so that we can process it straight away.",
    "de": "Bitte geben Sie bei Ihrer Zahlung als {{ betaling.kenmerk_soort }} "
    "**{{ betaling.kenmerk }}** an, damit wir Ihre Zahlung sofort zuordnen können.",
}


def deadline(lang: str) -> str:
    """Return 'by <date>' or 'within N days' for a term, in ``lang``."""
    return {
        "nl": "{% if brief.termijn_tot %}uiterlijk op **{{ brief.termijn_tot }}**"
        "{% else %}binnen {{ brief.termijn_dagen }} dagen{% endif %}",
        "fr": "{% if brief.termijn_tot %}au plus tard le **{{ brief.termijn_tot }}**"
        "{% else %}dans les {{ brief.termijn_dagen }} jours{% endif %}",
        "en": "{% if brief.termijn_tot %}by **{{ brief.termijn_tot }}** at the latest"
        "{% else %}within {{ brief.termijn_dagen }} days{% endif %}",
        "de": "{% if brief.termijn_tot %}spätestens bis zum **{{ brief.termijn_tot }}**"
        "{% else %}innerhalb von {{ brief.termijn_dagen }} Tagen{% endif %}",
    }[lang]


def plural(lang: str, one: str, many: str) -> str:
    """Return a Jinja choice between ``one`` and ``many`` by the number of invoices."""
    del lang
    return f"{ONE}{one}{{% else %}}{many}{{% endif %}}"


# --------------------------------------------------------------------------------------------
# The letters: a list of blocks per template and language
# --------------------------------------------------------------------------------------------
# Block kinds: ("p", text) paragraph; ("h", text) heading; ("li", text) bullet;
# ("if", condition) / ("endif",) paragraph-level condition; ("invoices",) the invoice table;
# ("interest",) the interest paragraph and table, shown only when interest is charged;
# ("costs",) the charged costs paragraph; ("plan",) the instalments; ("payment",) the payment
# box with the QR code; ("reserve",) the limitation sentence; ("debtor",) the debtor details;
# ("actions",) the letters sent; ("closing",) closing and signature.
# Text markup: **bold**.

Block = tuple[str, ...]


#: Under the invoice table when payments went to costs and interest first: the columns show
#: what is still owed, so the text and the table mean the same amounts.
PAYMENTS_NOTE = {
    "nl": "Van de betalingen (in totaal {{{{ betalingen.totaal }}}}) ging eerst "
    "{{{{ betalingen.rente_en_kosten }}}} naar kosten en rente. De kolom {paid} toont wat op de "
    "hoofdsom is betaald; de kolommen {interest} en {costs} tonen wat nog openstaat.",
    "fr": "Sur les paiements reçus (au total {{{{ betalingen.totaal }}}}), "
    "{{{{ betalingen.rente_en_kosten }}}} ont d'abord été imputés sur les frais et les intérêts. "
    "La colonne {paid} indique ce qui a été payé sur le principal ; les colonnes {interest} et "
    "{costs} indiquent ce qui reste dû.",
    "en": "Of the payments received ({{{{ betalingen.totaal }}}} in total), "
    "{{{{ betalingen.rente_en_kosten }}}} went to costs and interest first. The {paid} column "
    "shows what was paid on the principal; the {interest} and {costs} columns show what is "
    "still owed.",
    "de": "Von den Zahlungen (insgesamt {{{{ betalingen.totaal }}}}) wurden zunächst "
    "{{{{ betalingen.rente_en_kosten }}}} auf Kosten und Zinsen angerechnet. Die Spalte {paid} "
    "zeigt, was auf die Hauptforderung gezahlt wurde; die Spalten {interest} und {costs} zeigen, "
    "was noch offen ist.",
}

#: Under the interest table: what of the interest was paid, and why the total may differ by a
#: cent from the sum of the lines (each line is rounded on its own).
INTEREST_NOTES = {
    "nl": "{% if rente.deels_betaald %} Van deze rente is {{ rente.betaald }} al betaald; nog te "
    "betalen: {{ rente.open }}.{% endif %}{% if rente.afronding %} Elke regel is afzonderlijk "
    "op centen afgerond; het totaal is berekend over de onafgeronde bedragen en wijkt daardoor "
    "{{ rente.afronding_bedrag }} af van de optelling van de regels.{% endif %}",
    "fr": "{% if rente.deels_betaald %} Sur ces intérêts, {{ rente.betaald }} ont déjà été "
    "payés ; reste dû : {{ rente.open }}.{% endif %}{% if rente.afronding %} Chaque ligne est "
    "arrondie au cent séparément ; le total est calculé sur les montants non arrondis et "
    "diffère de ce fait de {{ rente.afronding_bedrag }} de la somme des lignes.{% endif %}",
    "en": "{% if rente.deels_betaald %} Of this interest, {{ rente.betaald }} has already been "
    "paid; still owed: {{ rente.open }}.{% endif %}{% if rente.afronding %} Each line is "
    "rounded to the cent on its own; the total is calculated on the unrounded amounts and "
    "therefore differs by {{ rente.afronding_bedrag }} from the sum of the lines.{% endif %}",
    "de": "{% if rente.deels_betaald %} Von diesen Zinsen wurden {{ rente.betaald }} bereits "
    "bezahlt; noch offen: {{ rente.open }}.{% endif %}{% if rente.afronding %} Jede Zeile ist "
    "für sich auf Cent gerundet; die Summe wird aus den ungerundeten Beträgen berechnet und "
    "weicht deshalb um {{ rente.afronding_bedrag }} von der Summe der Zeilen ab.{% endif %}",
}
