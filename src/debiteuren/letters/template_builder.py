"""Build the letter templates (.docx) from the texts in this module.

The templates in ``letter_templates/<lang>/<id>.docx`` are generated here with python-docx, so
that their wording lives in the repository as text and changes can be reviewed line by line.
A user may edit the generated files in Word; the fields they can use are listed in
``letter_templates/README.md``. Regenerate with::

    python -m debiteuren.letters.template_builder [DIR]

Layout (A4, one letter per section): the letterhead and the address block are the two rows of
a borderless table with exact row heights, so the recipient's address sits in the window of a
left-window envelope (DIN 5008 form B and the usual Dutch and Belgian window envelopes: the
address zone starts 45 mm from the top of the page, the text 25 mm from the left edge); the
reference block (date, our reference, customer number) stands to its right. Page 2 and later
carry a one-line running header; every page has a footer with the creditor's registration, VAT
number and IBAN, and "page X of Y".

Legal wording (see ``shared/domain/nl.md`` §4 and ``be.md`` §3.2):

- ``veertiendagenbrief`` (NL consumer, art. 6:96 lid 6 BW): the term is worded "binnen veertien
  dagen vanaf de dag nadat deze brief bij u is bezorgd"; never "na dagtekening", "na heden" or
  "na verzending" (HR 25-11-2016, ECLI:NL:HR:2016:2704). It states the collection costs as an
  amount and, when VAT is added, says so and why.
- ``eerste_herinnering`` (BE consumer, Book XIX WER): free of charge, the creditor's enterprise
  number, due date, outstanding balance, at least 14 calendar days with the last day, the damages
  (lump sum and interest with its start) owed if unpaid, payment details, and the consumer's
  rights with a contact for disputes or a payment plan.
- Letters that interrupt limitation in the Netherlands (art. 3:317 BW) reserve the creditor's
  right to payment when ``brief.stuit_verjaring`` is true.
"""

from __future__ import annotations

import io
import sys
import zipfile
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

__all__ = ["LANGUAGES", "TEMPLATE_IDS", "build_all", "build_template", "main"]

#: Template ids, one .docx per id and language.
TEMPLATE_IDS = (
    "herinnering",
    "veertiendagenbrief",
    "aanmaning",
    "eerste_herinnering",
    "ingebrekestelling",
    "regeling",
    "overdracht",
)
#: Letter languages.
LANGUAGES = ("nl", "fr", "en")

#: Templates written for Belgian debtors only: their Dutch text uses Flemish legal terms.
_BELGIAN = frozenset({"eerste_herinnering", "ingebrekestelling"})

_ACCENT = RGBColor(0x1F, 0x4E, 0x79)
_GREY = RGBColor(0x59, 0x59, 0x59)
_HEADER_FILL = "E3EAF2"
_BOX_FILL = "F2F4F7"
_RULE = "A6B4C4"
_FIXED_TIME = datetime(2025, 1, 1)  # core properties and zip entries: reproducible files

# Page geometry in millimetres (A4).
_LEFT, _RIGHT, _TOP, _BOTTOM = 25, 20, 20, 22
_TEXT_WIDTH = 210 - _LEFT - _RIGHT  # 165
_LETTERHEAD_HEIGHT = 45 - _TOP  # letterhead row ends where the address zone starts
_ADDRESS_HEIGHT = 45  # the address zone: 45 mm to 90 mm from the top edge
_ADDRESS_WIDTH = 85

_INVOICE_WIDTHS = (22, 19, 19, 13, 18, 17, 17, 17, 23)
_PERIOD_WIDTHS = (27, 22, 22, 14, 28, 20, 32)
_PLAN_WIDTHS = (25, 40, 35)
_ACTION_WIDTHS = (30, 135)
_DEBTOR_WIDTHS = (45, 120)
_PAYMENT_WIDTHS = (122, 43)

# --------------------------------------------------------------------------------------------
# Words per language
# --------------------------------------------------------------------------------------------

_LABELS: dict[str, dict[str, str]] = {
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
}

_INVOICE_HEADERS = {
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
}
_PERIOD_HEADERS = {
    "nl": ("Factuur", "Van", "Tot en met", "Dagen", "Grondslag", "Rentevoet", "Rente"),
    "nl-BE": ("Factuur", "Van", "Tot en met", "Dagen", "Grondslag", "Rentevoet", "Interest"),
    "fr": ("Facture", "Du", "Au", "Jours", "Base", "Taux", "Intérêts"),
    "en": ("Invoice", "From", "To", "Days", "Base", "Rate", "Interest"),
}
_PLAN_HEADERS = {
    "nl": ("Termijn", "Uiterlijk te betalen op", "Bedrag"),
    "fr": ("Tranche", "À payer au plus tard le", "Montant"),
    "en": ("Instalment", "To be paid by", "Amount"),
}
_ACTION_HEADERS = {"nl": ("Datum", "Actie"), "fr": ("Date", "Démarche"), "en": ("Date", "Action")}

_WORD_LANG = {"nl": "nl-NL", "nl-BE": "nl-BE", "fr": "fr-BE", "en": "en-GB"}
_TITLES = {
    "herinnering": {"nl": "Herinnering", "fr": "Rappel", "en": "Reminder"},
    "veertiendagenbrief": {"nl": "14-dagenbrief", "fr": "Mise en demeure", "en": "Final demand"},
    "aanmaning": {
        "nl": "Aanmaning en ingebrekestelling",
        "fr": "Sommation et mise en demeure",
        "en": "Formal demand and notice of default",
    },
    "eerste_herinnering": {
        "nl": "Eerste herinnering",
        "fr": "Premier rappel",
        "en": "First reminder",
    },
    "ingebrekestelling": {
        "nl": "Ingebrekestelling",
        "fr": "Mise en demeure",
        "en": "Notice of default",
    },
    "regeling": {
        "nl": "Betalingsregeling",
        "fr": "Plan de paiement",
        "en": "Payment plan",
    },
    "overdracht": {
        "nl": "Overdracht ter incasso",
        "fr": "Transmission pour recouvrement",
        "en": "Transfer for collection",
    },
}

# --------------------------------------------------------------------------------------------
# Text snippets shared by several letters
# --------------------------------------------------------------------------------------------

_ONE = "{% if facturen|length == 1 %}"

_CONTACT = {
    "nl": "{% if schuldeiser.telefoon %}{{ schuldeiser.telefoon }} of {% endif %}"
    "{{ schuldeiser.email }}",
    "fr": "{% if schuldeiser.telefoon %}au {{ schuldeiser.telefoon }} ou {% endif %}"
    "par e-mail à {{ schuldeiser.email }}",
    "en": "{% if schuldeiser.telefoon %}on {{ schuldeiser.telefoon }} or {% endif %}"
    "by email at {{ schuldeiser.email }}",
}

_INTEREST = {
    "nl": "Over het openstaande bedrag rekenen wij {{ rente.omschrijving }} vanaf "
    "{{ rente.vanaf }}; de rentevoet bedraagt momenteel {{ rente.percentage }} per jaar. "
    "De berekening per periode vindt u hieronder.",
    "fr": "Le montant impayé porte des intérêts de retard à compter du {{ rente.vanaf }}, "
    "actuellement au taux de {{ rente.percentage }} l'an, soit {{ rente.omschrijving }}. "
    "Le détail du calcul par période figure ci-dessous.",
    "en": "Interest is charged on the unpaid amount from {{ rente.vanaf }}, currently at "
    "{{ rente.percentage }} per year: {{ rente.omschrijving }}. "
    "The calculation per period is shown below.",
}


def _amounts(field: str, word: str) -> str:
    """Return Jinja that lists an amount per invoice, " (factuur F1: € 40,00; …)", when the
    list ``field`` has more than one: a letter that sums costs per invoice shows each one.
    French puts a space before the colon and the semicolon."""
    colon, semicolon = (" : ", " ; ") if word == "facture" else (": ", "; ")
    return (
        "{% if " + field + "|length > 1 %} ({% for x in " + field + " %}" + word + " "
        "{{ x.factuur }}" + colon + "{{ x.bedrag }}{% if not loop.last %}" + semicolon + ""
        "{% endif %}{% endfor %}){% endif %}"
    )


_COSTS = {
    "nl": "Daarnaast bent u op grond van {{ kosten.omschrijving }} "
    "{% if brief.land == 'BE' %}een forfaitaire vergoeding{% else %}een vergoeding voor "
    "incassokosten{% endif %} verschuldigd van **{{ kosten.bedrag }}**"
    "{% if kosten.per_factuur %}, berekend per factuur{% endif %}"
    + _amounts("kosten.per_factuur_bedragen", "factuur")
    + "{% if kosten.inclusief_btw %}, inclusief {{ kosten.btw_bedrag }} btw omdat wij de btw "
    "niet kunnen verrekenen{% endif %}.",
    "fr": "En outre, en vertu de {{ kosten.omschrijving }}, "
    "{% if brief.land == 'BE' %}une indemnité forfaitaire{% else %}une indemnité pour frais "
    "de recouvrement{% endif %} de **{{ kosten.bedrag }}** est due"
    "{% if kosten.per_factuur %}, calculée par facture{% endif %}"
    + _amounts("kosten.per_factuur_bedragen", "facture")
    + "{% if kosten.inclusief_btw %}, dont {{ kosten.btw_bedrag }} de TVA, que nous ne pouvons "
    "pas récupérer{% endif %}.",
    "en": "In addition, under {{ kosten.omschrijving }}, "
    "{% if brief.land == 'BE' %}a fixed compensation{% else %}compensation for collection "
    "costs{% endif %} of **{{ kosten.bedrag }}** is payable"
    "{% if kosten.per_factuur %}, calculated per invoice{% endif %}"
    + _amounts("kosten.per_factuur_bedragen", "invoice")
    + "{% if kosten.inclusief_btw %}, including {{ kosten.btw_bedrag }} VAT, which we cannot "
    "recover{% endif %}.",
}

# The hand-over letter speaks about the debtor in the third person.
_INTEREST_HANDOVER = {
    "nl": "Over het openstaande bedrag is de schuldenaar {{ rente.omschrijving }} verschuldigd "
    "vanaf {{ rente.vanaf }}; de rentevoet bedraagt momenteel {{ rente.percentage }} per jaar. "
    "De berekening tot en met de datum van deze brief staat hieronder.",
    "fr": "Le débiteur est redevable d'intérêts de retard sur le montant impayé à compter du "
    "{{ rente.vanaf }}, actuellement au taux de {{ rente.percentage }} l'an, soit "
    "{{ rente.omschrijving }}. Le calcul jusqu'à la date de la présente figure ci-dessous.",
    "en": "The debtor owes interest on the unpaid amount from {{ rente.vanaf }}, currently at "
    "{{ rente.percentage }} per year: {{ rente.omschrijving }}. The calculation up to the date "
    "of this letter is shown below.",
}
_COSTS_HANDOVER = {
    "nl": "Daarnaast is de schuldenaar op grond van {{ kosten.omschrijving }} "
    "{% if brief.land == 'BE' %}een forfaitaire vergoeding{% else %}een vergoeding voor "
    "incassokosten{% endif %} verschuldigd van **{{ kosten.bedrag }}**"
    "{% if kosten.per_factuur %}, berekend per factuur{% endif %}"
    + _amounts("kosten.per_factuur_bedragen", "factuur")
    + "{% if kosten.inclusief_btw %}, inclusief {{ kosten.btw_bedrag }} btw{% endif %}.",
    "fr": "En outre, le débiteur est redevable, en vertu de {{ kosten.omschrijving }}, "
    "{% if brief.land == 'BE' %}d'une indemnité forfaitaire{% else %}d'une indemnité pour "
    "frais de recouvrement{% endif %} de **{{ kosten.bedrag }}**"
    "{% if kosten.per_factuur %}, calculée par facture{% endif %}"
    + _amounts("kosten.per_factuur_bedragen", "facture")
    + "{% if kosten.inclusief_btw %}, dont {{ kosten.btw_bedrag }} de TVA{% endif %}.",
    "en": "In addition, under {{ kosten.omschrijving }}, the debtor owes "
    "{% if brief.land == 'BE' %}a fixed compensation{% else %}compensation for collection "
    "costs{% endif %} of **{{ kosten.bedrag }}**"
    "{% if kosten.per_factuur %}, calculated per invoice{% endif %}"
    + _amounts("kosten.per_factuur_bedragen", "invoice")
    + "{% if kosten.inclusief_btw %}, including {{ kosten.btw_bedrag }} VAT{% endif %}.",
}

_RESERVE = {
    "nl": "Wij behouden ons uitdrukkelijk ons recht op volledige betaling voor.",
    "fr": "Nous nous réservons expressément notre droit au paiement intégral.",
    "en": "We expressly reserve our right to payment in full.",
}

_PAY_REFERENCE = {
    "nl": "Wilt u bij uw betaling als {{ betaling.kenmerk_soort }} "
    "**{{ betaling.kenmerk }}** vermelden? Dan kunnen wij uw betaling direct verwerken.",
    "fr": "Lors de votre paiement, veuillez mentionner la communication "
    "**{{ betaling.kenmerk }}**, afin que nous puissions traiter votre paiement sans délai.",
    "en": "Please quote the {{ betaling.kenmerk_soort }} **{{ betaling.kenmerk }}** with your "
    "payment so that we can process it straight away.",
}


def _deadline(lang: str) -> str:
    """Return 'by <date>' or 'within N days' for a term, in ``lang``."""
    return {
        "nl": "{% if brief.termijn_tot %}uiterlijk op **{{ brief.termijn_tot }}**"
        "{% else %}binnen {{ brief.termijn_dagen }} dagen{% endif %}",
        "fr": "{% if brief.termijn_tot %}au plus tard le **{{ brief.termijn_tot }}**"
        "{% else %}dans les {{ brief.termijn_dagen }} jours{% endif %}",
        "en": "{% if brief.termijn_tot %}by **{{ brief.termijn_tot }}** at the latest"
        "{% else %}within {{ brief.termijn_dagen }} days{% endif %}",
    }[lang]


def _plural(lang: str, one: str, many: str) -> str:
    """Return a Jinja choice between ``one`` and ``many`` by the number of invoices."""
    del lang
    return f"{_ONE}{one}{{% else %}}{many}{{% endif %}}"


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


def _herinnering(lang: str) -> list[Block]:
    if lang == "nl":
        intro = (
            "Volgens onze administratie "
            + _plural(lang, "is de onderstaande factuur", "zijn de onderstaande facturen")
            + " nog niet (volledig) betaald, hoewel de betalingstermijn is verstreken. "
            "Wellicht is de betaling aan uw aandacht ontsnapt."
        )
        ask = (
            "Wij verzoeken u vriendelijk het totaalbedrag van **{{ totaal.totaal }}** "
            + _deadline(lang)
            + " over te maken met de betaalgegevens hieronder."
        )
        paid = (
            "Heeft u het bedrag inmiddels betaald? Dan kunt u deze herinnering als niet "
            "verzonden beschouwen. Heeft u vragen over de factuur, of klopt er iets niet? "
            "Neem dan contact met ons op via " + _CONTACT[lang] + ". Wij helpen u graag."
        )
    elif lang == "fr":
        intro = (
            "Sauf erreur de notre part, "
            + _plural(
                lang,
                "la facture ci-dessous n'a pas encore été réglée",
                "les factures ci-dessous n'ont pas encore été réglées",
            )
            + " (intégralement), bien que le délai de paiement soit expiré. "
            "Il s'agit peut-être d'un simple oubli."
        )
        ask = (
            "Nous vous prions de bien vouloir virer le montant total de **{{ totaal.totaal }}** "
            + _deadline(lang)
            + ", au moyen des données de paiement ci-dessous."
        )
        paid = (
            "Si vous avez effectué le paiement entre-temps, nous vous prions de ne pas tenir "
            "compte du présent rappel. Pour toute question concernant la facture, ou si "
            "quelque chose ne vous semble pas correct, n'hésitez pas à nous contacter "
            + _CONTACT[lang]
            + "."
        )
    else:
        intro = (
            "According to our records, "
            + _plural(
                lang,
                "the invoice below has not yet been paid",
                "the invoices below have not yet been paid",
            )
            + " (in full), although the payment term has expired. "
            "Perhaps the payment has escaped your attention."
        )
        ask = (
            "We kindly ask you to transfer the total amount of **{{ totaal.totaal }}** "
            + _deadline(lang)
            + ", using the payment details below."
        )
        paid = (
            "If you have already paid, please disregard this reminder. If you have any "
            "questions about the invoice, or if something is not right, please contact us "
            + _CONTACT[lang]
            + ". We will be happy to help."
        )
    return [
        ("p", intro),
        ("invoices",),
        ("interest",),
        ("costs",),
        ("p", ask),
        ("p", _PAY_REFERENCE[lang]),
        ("payment",),
        ("p", paid),
        ("reserve",),
        ("closing",),
    ]


def _veertiendagenbrief(lang: str) -> list[Block]:
    if lang == "nl":
        blocks: list[Block] = [
            (
                "p",
                "De betalingstermijn van "
                + _plural(lang, "de onderstaande factuur", "de onderstaande facturen")
                + " is verstreken en wij hebben het verschuldigde bedrag nog niet (volledig) "
                "van u ontvangen. U bent daardoor in verzuim.",
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
                + _CONTACT[lang]
                + ". Wij zoeken graag samen met u naar een oplossing, bijvoorbeeld een "
                "betalingsregeling.",
            ),
            ("p", _PAY_REFERENCE[lang]),
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
                + _plural(lang, "de la facture ci-dessous", "des factures ci-dessous")
                + " est expiré et nous n'avons pas encore reçu (intégralement) le montant dû. "
                "Vous êtes dès lors en demeure.",
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
                + _CONTACT[lang]
                + ". Nous chercherons volontiers une solution avec vous, par exemple un plan "
                "de paiement.",
            ),
            ("p", _PAY_REFERENCE[lang]),
            ("payment",),
            (
                "p",
                "Si vous avez entre-temps payé l'intégralité du montant, veuillez ne pas tenir "
                "compte de la présente lettre.",
            ),
        ]
    else:
        blocks = [
            (
                "p",
                "The payment term of "
                + _plural(lang, "the invoice below", "the invoices below")
                + " has expired and we have not yet received the amount due (in full). "
                "You are therefore in default.",
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
                "contact us before the end of the period " + _CONTACT[lang] + ". We will gladly "
                "look for a solution with you, such as a payment plan.",
            ),
            ("p", _PAY_REFERENCE[lang]),
            ("payment",),
            (
                "p",
                "If you have already paid the full amount, please disregard this letter.",
            ),
        ]
    return [*blocks, ("reserve",), ("closing",)]


def _aanmaning(lang: str) -> list[Block]:
    if lang == "nl":
        blocks: list[Block] = [
            (
                "p",
                "Ondanks {% if brief.vorige_datum %}onze herinnering van "
                "{{ brief.vorige_datum }}{% else %}het verstrijken van de betalingstermijn"
                "{% endif %} hebben wij de betaling van "
                + _plural(lang, "de onderstaande factuur", "de onderstaande facturen")
                + " nog niet (volledig) ontvangen.",
            ),
            ("invoices",),
            ("interest",),
            ("costs",),
            (
                "p",
                "Hierbij manen wij u aan en stellen wij u in gebreke. Wij verzoeken u het "
                "totaalbedrag van **{{ totaal.totaal }}** " + _deadline(lang) + " te betalen.",
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
                "dan direct contact met ons op via " + _CONTACT[lang] + ".",
            ),
        ]
    elif lang == "fr":
        blocks = [
            (
                "p",
                "Malgré {% if brief.vorige_datum %}notre rappel du {{ brief.vorige_datum }}"
                "{% else %}l'expiration du délai de paiement{% endif %}, nous n'avons toujours "
                "pas reçu (intégralement) le paiement "
                + _plural(lang, "de la facture ci-dessous", "des factures ci-dessous")
                + ".",
            ),
            ("invoices",),
            ("interest",),
            ("costs",),
            (
                "p",
                "Par la présente, nous vous sommons de payer et vous mettons en demeure de "
                "régler le montant total de **{{ totaal.totaal }}** " + _deadline(lang) + ".",
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
                "nous contacter immédiatement " + _CONTACT[lang] + ".",
            ),
        ]
    else:
        blocks = [
            (
                "p",
                "Despite {% if brief.vorige_datum %}our reminder of {{ brief.vorige_datum }}"
                "{% else %}the expiry of the payment term{% endif %}, we have not yet received "
                "payment (in full) of "
                + _plural(lang, "the invoice below", "the invoices below")
                + ".",
            ),
            ("invoices",),
            ("interest",),
            ("costs",),
            (
                "p",
                "We hereby formally demand payment and give you notice of default. Please pay "
                "the total amount of **{{ totaal.totaal }}** " + _deadline(lang) + ".",
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
                "immediately " + _CONTACT[lang] + ".",
            ),
        ]
    return [*blocks, ("p", _PAY_REFERENCE[lang]), ("payment",), ("reserve",), ("closing",)]


def _eerste_herinnering(lang: str) -> list[Block]:
    if lang == "nl":
        return [
            (
                "p",
                "Volgens onze gegevens hebben wij de betaling van "
                + _plural(lang, "de onderstaande factuur", "de onderstaande facturen")
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
                "ontvangen, dan bent u, zoals bepaald in onze algemene voorwaarden en binnen "
                "de grenzen van artikel XIX.4 van het Wetboek van economisch recht, het "
                "volgende verschuldigd:",
            ),
            ("if", "xix.heeft_forfait"),
            (
                "li",
                "een forfaitaire schadevergoeding van **{{ xix.forfait }}**"
                + _amounts("xix.forfait_per_factuur", "factuur")
                + ";",
            ),
            ("endif",),
            ("if", "xix.heeft_rente"),
            (
                "li",
                "nalatigheidsinteresten tegen **{{ xix.rente_percentage }}** per jaar op het "
                "openstaande saldo, vanaf {{ xix.rente_vanaf }}.",
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
                + _CONTACT[lang]
                + ". Heeft u moeite om uw schulden te betalen? Dan kunt u gratis hulp vragen "
                "bij een erkende instelling voor schuldbemiddeling, bijvoorbeeld het OCMW of "
                "het CAW in uw buurt.",
            ),
            ("p", _PAY_REFERENCE[lang]),
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
                + _plural(lang, "de la facture ci-dessous", "des factures ci-dessous")
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
                "{{ xix.laatste_dag }}, vous serez redevable, conformément à nos conditions "
                "générales et dans les limites de l'article XIX.4 du Code de droit économique, "
                "des montants suivants :",
            ),
            ("if", "xix.heeft_forfait"),
            (
                "li",
                "une indemnité forfaitaire de **{{ xix.forfait }}**"
                + _amounts("xix.forfait_per_factuur", "facture")
                + " ;",
            ),
            ("endif",),
            ("if", "xix.heeft_rente"),
            (
                "li",
                "des intérêts de retard au taux de **{{ xix.rente_percentage }}** l'an sur le "
                "solde restant dû, à compter du {{ xix.rente_vanaf }}.",
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
                + _CONTACT[lang]
                + ". Si vous éprouvez des difficultés à payer vos dettes, vous pouvez obtenir "
                "une aide gratuite auprès d'un service de médiation de dettes agréé, par "
                "exemple auprès du CPAS de votre commune.",
            ),
            ("p", _PAY_REFERENCE[lang]),
            ("payment",),
            (
                "p",
                "Si vous avez payé entre-temps, veuillez ne pas tenir compte du présent rappel.",
            ),
            ("reserve",),
            ("closing",),
        ]
    return [
        (
            "p",
            "According to our records, we have not yet received payment (in full) of "
            + _plural(lang, "the invoice below", "the invoices below")
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
            "the following, in accordance with our general terms and conditions and within the "
            "limits of Article XIX.4 of the Belgian Code of Economic Law:",
        ),
        ("if", "xix.heeft_forfait"),
        (
            "li",
            "a fixed compensation of **{{ xix.forfait }}**"
            + _amounts("xix.forfait_per_factuur", "invoice")
            + ";",
        ),
        ("endif",),
        ("if", "xix.heeft_rente"),
        (
            "li",
            "late-payment interest at **{{ xix.rente_percentage }}** per year on the "
            "outstanding balance, from {{ xix.rente_vanaf }}.",
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
            + _CONTACT[lang]
            + ". If you have difficulty paying your debts, you can get free help from a "
            "recognised debt mediation service, for example the public social welfare centre "
            "(OCMW/CPAS) in your municipality.",
        ),
        ("p", _PAY_REFERENCE[lang]),
        ("payment",),
        ("p", "If you have paid in the meantime, please disregard this reminder."),
        ("reserve",),
        ("closing",),
    ]


def _ingebrekestelling(lang: str) -> list[Block]:
    if lang == "nl":
        consumer_intro = (
            "{% if brief.vorige_datum %}Op {{ brief.vorige_datum }} stuurden wij u"
            "{% else %}Wij stuurden u eerder{% endif %} een eerste herinnering. De "
            "betalingstermijn van die herinnering is verstreken zonder dat wij het volledige "
            "bedrag hebben ontvangen. Zoals bepaald in onze algemene voorwaarden en binnen de "
            "grenzen van artikel XIX.4 van het Wetboek van economisch recht zijn daarom nu de "
            "forfaitaire schadevergoeding en de nalatigheidsinteresten verschuldigd."
        )
        business_intro = (
            "Ondanks het verstrijken van de vervaldag hebben wij de betaling van "
            + _plural(lang, "de onderstaande factuur", "de onderstaande facturen")
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
                "**{{ totaal.totaal }}** te betalen " + _deadline(lang) + ".",
            ),
            (
                "p",
                "Blijft betaling uit, dan vertrouwen wij de invordering toe aan een advocaat "
                "of gerechtsdeurwaarder{% if not klant.is_consument %}, of aan een "
                "incassobureau, zonder verdere aankondiging{% endif %}. De interesten blijven "
                "lopen tot de dag van volledige betaling.",
            ),
            ("if", "klant.is_consument"),
            (
                "p",
                "Kunt u het bedrag niet in één keer betalen, of betwist u de schuld? Neem dan "
                "contact met ons op via "
                + _CONTACT[lang]
                + ". Wij bekijken graag samen met u een afbetalingsplan.",
            ),
            ("else",),
            (
                "p",
                "Betwist u deze vordering of heeft u intussen betaald? Neem dan onmiddellijk "
                "contact met ons op via " + _CONTACT[lang] + ".",
            ),
            ("endif",),
            ("p", _PAY_REFERENCE[lang]),
        ]
    elif lang == "fr":
        consumer_intro = (
            "{% if brief.vorige_datum %}Le {{ brief.vorige_datum }}, nous vous avons adressé"
            "{% else %}Nous vous avons adressé précédemment{% endif %} un premier rappel. Le "
            "délai de paiement fixé dans ce rappel a expiré sans que nous ayons reçu "
            "l'intégralité du montant. Conformément à nos conditions générales et dans les "
            "limites de l'article XIX.4 du Code de droit économique, l'indemnité forfaitaire "
            "et les intérêts de retard sont dès lors dus."
        )
        business_intro = (
            "Malgré l'expiration de la date d'échéance, nous n'avons toujours pas reçu "
            "(intégralement) le paiement "
            + _plural(lang, "de la facture ci-dessous", "des factures ci-dessous")
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
                "montant total de **{{ totaal.totaal }}** " + _deadline(lang) + ".",
            ),
            (
                "p",
                "À défaut de paiement, nous confierons le recouvrement à un avocat ou à un "
                "huissier de justice{% if not klant.is_consument %}, ou à une agence de "
                "recouvrement, sans autre avis{% endif %}. Les intérêts continuent de courir "
                "jusqu'au jour du paiement intégral.",
            ),
            ("if", "klant.is_consument"),
            (
                "p",
                "Si vous ne pouvez pas payer ce montant en une fois, ou si vous contestez la "
                "dette, veuillez nous contacter "
                + _CONTACT[lang]
                + ". Nous examinerons volontiers avec vous un plan de paiement.",
            ),
            ("else",),
            (
                "p",
                "Si vous contestez cette créance ou si vous avez payé entre-temps, veuillez "
                "nous contacter immédiatement " + _CONTACT[lang] + ".",
            ),
            ("endif",),
            ("p", _PAY_REFERENCE[lang]),
        ]
    else:
        consumer_intro = (
            "{% if brief.vorige_datum %}On {{ brief.vorige_datum }} we sent you"
            "{% else %}We previously sent you{% endif %} a first reminder. The payment period "
            "given in that reminder has expired without our receiving the full amount. In "
            "accordance with our general terms and conditions and within the limits of Article "
            "XIX.4 of the Belgian Code of Economic Law, the fixed compensation and late-payment "
            "interest are therefore now payable."
        )
        business_intro = (
            "Although the due date has passed, we have not yet received payment (in full) of "
            + _plural(lang, "the invoice below", "the invoices below")
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
                "amount of **{{ totaal.totaal }}** " + _deadline(lang) + ".",
            ),
            (
                "p",
                "If payment is not made, we will entrust the collection to a lawyer or a "
                "bailiff{% if not klant.is_consument %}, or to a collection agency, without "
                "further notice{% endif %}. Interest continues to accrue until the day of "
                "payment in full.",
            ),
            ("if", "klant.is_consument"),
            (
                "p",
                "If you cannot pay the amount in one go, or if you dispute the debt, please "
                "contact us " + _CONTACT[lang] + ". We will gladly discuss a payment plan with "
                "you.",
            ),
            ("else",),
            (
                "p",
                "If you dispute this claim or have paid in the meantime, please contact us "
                "immediately " + _CONTACT[lang] + ".",
            ),
            ("endif",),
            ("p", _PAY_REFERENCE[lang]),
        ]
    return [*blocks, ("payment",), ("reserve",), ("closing",)]


def _regeling(lang: str) -> list[Block]:
    if lang == "nl":
        texts = (
            "Zoals afgesproken bevestigen wij hierbij de betalingsregeling voor "
            + _plural(lang, "de onderstaande factuur", "de onderstaande facturen")
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
            "op via " + _CONTACT[lang] + ".",
        )
    elif lang == "fr":
        texts = (
            "Comme convenu, nous vous confirmons par la présente le plan de paiement relatif "
            + _plural(lang, "à la facture ci-dessous", "aux factures ci-dessous")
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
            "nous contacter à temps " + _CONTACT[lang] + ".",
        )
    else:
        texts = (
            "As agreed, we hereby confirm the payment plan for "
            + _plural(lang, "the invoice below", "the invoices below")
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
            "in good time " + _CONTACT[lang] + ".",
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


def _overdracht(lang: str) -> list[Block]:
    if lang == "nl":
        texts = (
            "Hierbij dragen wij de onderstaande vordering op onze klant "
            "**{{ klant.naam }}** aan u over ter incasso. Wij verzoeken u de vordering namens "
            "ons te innen. Ons dossiernummer is **{{ overdracht.dossier }}**; wilt u dit "
            "nummer in uw correspondentie vermelden?",
            "Betalingen die wij na vandaag ontvangen en afspraken die wij nog met de "
            "schuldenaar maken, geven wij direct aan u door. {{ overdracht.bijlagen }}",
            "Wij ontvangen graag een bevestiging van ontvangst. Met vragen kunt u terecht bij "
            "{{ schuldeiser.ondertekenaar }} via " + _CONTACT[lang] + ".",
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
            + _CONTACT[lang]
            + ".",
        )
    else:
        texts = (
            "We hereby transfer the claim below against our customer **{{ klant.naam }}** to "
            "you for collection and ask you to collect it on our behalf. Our file number is "
            "**{{ overdracht.dossier }}**; please quote it in your correspondence.",
            "We will inform you immediately of any payment we receive and any arrangement we "
            "make with the debtor after today. {{ overdracht.bijlagen }}",
            "We would be grateful if you would acknowledge receipt. For any questions, please "
            "contact {{ schuldeiser.ondertekenaar }} " + _CONTACT[lang] + ".",
        )
    intro, updates, receipt = texts
    labels = _LABELS[lang]
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


_PLAN_BROKEN = {
    "nl": "De betalingsregeling die wij met u hadden afgesproken, is vervallen omdat een termijn "
    "niet (op tijd) is betaald. Daarom vragen wij u nu het hele openstaande bedrag te betalen.",
    "fr": "Le plan de paiement convenu avec vous a pris fin, car une échéance n'a pas été payée "
    "(à temps). C'est pourquoi nous vous demandons à présent de payer la totalité du montant dû.",
    "en": "The payment plan we agreed with you has ended because an instalment was not paid (on "
    "time). We therefore now ask you to pay the full amount outstanding.",
}

#: Letters that ask for payment: they say so when a payment plan has lapsed.
_ASKS_PAYMENT = (
    "herinnering",
    "veertiendagenbrief",
    "aanmaning",
    "eerste_herinnering",
    "ingebrekestelling",
)


def _with_plan_notice(template_id: str, lang: str, blocks: list[Block]) -> list[Block]:
    """Insert the lapsed-plan paragraph after the opening paragraph of a payment letter."""
    if template_id not in _ASKS_PAYMENT:
        return blocks
    notice: list[Block] = [
        ("if", "brief.regeling_vervallen"),
        ("p", _PLAN_BROKEN[lang]),
        ("endif",),
    ]
    return [*blocks[:1], *notice, *blocks[1:]]


_LETTERS: dict[str, Callable[[str], list[Block]]] = {
    "herinnering": _herinnering,
    "veertiendagenbrief": _veertiendagenbrief,
    "aanmaning": _aanmaning,
    "eerste_herinnering": _eerste_herinnering,
    "ingebrekestelling": _ingebrekestelling,
    "regeling": _regeling,
    "overdracht": _overdracht,
}

# --------------------------------------------------------------------------------------------
# Low-level docx helpers
# --------------------------------------------------------------------------------------------

_TBLPR_ORDER = (
    "tblStyle",
    "tblpPr",
    "tblOverlap",
    "bidiVisual",
    "tblStyleRowBandSize",
    "tblStyleColBandSize",
    "tblW",
    "jc",
    "tblCellSpacing",
    "tblInd",
    "tblBorders",
    "shd",
    "tblLayout",
    "tblCellMar",
    "tblLook",
)
_TCPR_ORDER = (
    "cnfStyle",
    "tcW",
    "gridSpan",
    "hMerge",
    "vMerge",
    "tcBorders",
    "shd",
    "noWrap",
    "tcMar",
    "textDirection",
    "tcFitText",
    "vAlign",
    "hideMark",
)
_PPR_ORDER = (
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "framePr",
    "widowControl",
    "numPr",
    "suppressLineNumbers",
    "pBdr",
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
)
_SECTPR_ORDER = (
    "headerReference",
    "footerReference",
    "footnotePr",
    "endnotePr",
    "type",
    "pgSz",
    "pgMar",
    "paperSrc",
    "pgBorders",
    "lnNumType",
    "pgNumType",
    "cols",
    "formProt",
    "vAlign",
    "noEndnote",
    "titlePg",
    "textDirection",
    "bidi",
    "rtlGutter",
    "docGrid",
    "printerSettings",
)


def _put(parent, child, order: Sequence[str]) -> None:
    """Insert ``child`` into ``parent`` at its schema position, replacing a same-named child."""
    local = child.tag.split("}")[1]
    for old in parent.findall(child.tag):
        parent.remove(old)
    rank = order.index(local)
    for index, sibling in enumerate(parent):
        name = sibling.tag.split("}")[1]
        if name in order and order.index(name) > rank:
            parent.insert(index, child)
            return
    parent.append(child)


def _el(tag: str, **attrs: str):
    """Return a new ``w:`` element with ``w:`` attributes."""
    element = OxmlElement(f"w:{tag}")
    for key, value in attrs.items():
        element.set(qn(f"w:{key}"), value)
    return element


def _twips(mm: float) -> str:
    return str(round(mm * 1440 / 25.4))


def _borders(tag: str, **sides: tuple[str, int, str]):
    """Return a borders element; each side is (style, size in eighths of a point, colour)."""
    element = _el(tag)
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        if side in sides:
            style, size, colour = sides[side]
            element.append(_el(side, val=style, sz=str(size), space="0", color=colour))
    return element


_NONE = ("nil", 0, "auto")


def _new_table(container, rows: int, widths_mm: Sequence[float], *, margins_mm=(0, 0)) -> Table:
    """Add a fixed-layout table with the given column widths and cell margins."""
    table = container.add_table(rows=rows, cols=len(widths_mm))
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    _put(tbl_pr, _el("tblW", w=_twips(sum(widths_mm)), type="dxa"), _TBLPR_ORDER)
    _put(tbl_pr, _el("tblInd", w="0", type="dxa"), _TBLPR_ORDER)
    _put(tbl_pr, _el("tblLayout", type="fixed"), _TBLPR_ORDER)
    left, right = margins_mm
    mar = _el("tblCellMar")
    mar.append(_el("top", w="0", type="dxa"))
    mar.append(_el("left", w=_twips(left), type="dxa"))
    mar.append(_el("bottom", w="0", type="dxa"))
    mar.append(_el("right", w=_twips(right), type="dxa"))
    _put(tbl_pr, mar, _TBLPR_ORDER)
    _put(
        tbl_pr,
        _borders(
            "tblBorders",
            **dict.fromkeys(("top", "left", "bottom", "right", "insideH", "insideV"), _NONE),
        ),
        _TBLPR_ORDER,
    )
    for index, width in enumerate(widths_mm):
        table.columns[index].width = Mm(width)
        for cell in table.columns[index].cells:
            cell.width = Mm(width)
    return table


def _cell_borders(cell: _Cell, **sides: tuple[str, int, str]) -> None:
    _put(cell._tc.get_or_add_tcPr(), _borders("tcBorders", **sides), _TCPR_ORDER)


def _shade(cell: _Cell, fill: str) -> None:
    _put(cell._tc.get_or_add_tcPr(), _el("shd", val="clear", color="auto", fill=fill), _TCPR_ORDER)


def _cell_margins(cell: _Cell, top: float, left: float, bottom: float, right: float) -> None:
    mar = _el("tcMar")
    for side, value in (("top", top), ("left", left), ("bottom", bottom), ("right", right)):
        mar.append(_el(side, w=_twips(value), type="dxa"))
    _put(cell._tc.get_or_add_tcPr(), mar, _TCPR_ORDER)


def _row_props(row, *, header: bool = False, height_mm: float | None = None) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(_el("cantSplit"))
    if header:
        tr_pr.append(_el("tblHeader"))
    if height_mm is not None:
        row.height = Mm(height_mm)
        row.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY


def _add_runs(paragraph: Paragraph, text: str, *, bold: bool = False) -> None:
    """Add ``text`` to ``paragraph``; ``**…**`` marks bold parts."""
    for index, part in enumerate(text.split("**")):
        if part:
            run = paragraph.add_run(part)
            if bold or index % 2 == 1:
                run.bold = True


def _write(paragraph: Paragraph, text: str, style: str | None = None, **fmt) -> Paragraph:
    """Fill an existing paragraph (e.g. the first one of a table cell)."""
    if style:
        paragraph.style = style
    _add_runs(paragraph, text, bold=fmt.pop("bold", False))
    align = fmt.pop("align", None)
    if align is not None:
        paragraph.alignment = align
    if fmt.pop("keep_next", False):
        paragraph.paragraph_format.keep_with_next = True
    if fmt:
        raise TypeError(f"unknown format: {sorted(fmt)}")
    return paragraph


def _par(container, text: str = "", style: str | None = None, **fmt) -> Paragraph:
    """Add a paragraph to a document, cell, header or footer."""
    return _write(container.add_paragraph(), text, style, **fmt)


def _cell_par(cell: _Cell, text: str, style: str, *, first: bool = False, **fmt) -> Paragraph:
    """Write into the cell's first paragraph (``first=True``) or add one."""
    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    return _write(paragraph, text, style, **fmt)


def _field(paragraph: Paragraph, instruction: str, placeholder: str) -> None:
    """Add a complex field (PAGE, NUMPAGES) with a placeholder result."""
    begin = paragraph.add_run()._r
    begin.append(_el("fldChar", fldCharType="begin"))
    instr_run = paragraph.add_run()._r
    instr = _el("instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    instr_run.append(instr)
    paragraph.add_run()._r.append(_el("fldChar", fldCharType="separate"))
    paragraph.add_run(placeholder)
    paragraph.add_run()._r.append(_el("fldChar", fldCharType="end"))


def _tab_stop(paragraph: Paragraph, position_mm: float, align=WD_TAB_ALIGNMENT.LEFT) -> None:
    paragraph.paragraph_format.tab_stops.add_tab_stop(Mm(position_mm), align)


def _rule_above(paragraph: Paragraph, colour: str = _RULE) -> None:
    p_pr = paragraph._p.get_or_add_pPr()
    _put(p_pr, _borders("pBdr", top=("single", 4, colour)), _PPR_ORDER)


# --------------------------------------------------------------------------------------------
# Styles and page
# --------------------------------------------------------------------------------------------


def _styles(doc: DocxDocument, word_lang: str) -> None:
    """Define the named styles a user sees in Word."""
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10)
    r_pr = normal.element.get_or_add_rPr()
    r_fonts = r_pr.find(qn("w:rFonts"))
    for attr in ("ascii", "hAnsi", "cs", "eastAsia"):
        r_fonts.set(qn(f"w:{attr}"), "Calibri")
    for old in r_pr.findall(qn("w:lang")):
        r_pr.remove(old)
    r_pr.append(_el("lang", val=word_lang))
    fmt = normal.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(6)
    fmt.line_spacing = 1.08
    fmt.widow_control = True

    def add(
        name: str,
        size: float,
        *,
        bold=False,
        colour=None,
        after=0.0,
        before=0.0,
        keep_next=False,
        line=1.0,
    ):
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.quick_style = True
        style.font.size = Pt(size)
        style.font.bold = bold
        if colour is not None:
            style.font.color.rgb = colour
        pf = style.paragraph_format
        pf.space_after = Pt(after)
        pf.space_before = Pt(before)
        pf.line_spacing = line
        pf.keep_with_next = keep_next
        return style

    add("Briefhoofd naam", 16, bold=True, colour=_ACCENT, after=2)
    add("Briefhoofd", 8, colour=_GREY)
    add("Retouradres", 7, colour=_GREY, after=5)
    add("Adres", 10)
    add("Infoblok", 8.5, after=1.5)
    add("Onderwerp", 11.5, bold=True, colour=_ACCENT, after=10, keep_next=True)
    add("Tussenkop", 10, bold=True, colour=_ACCENT, before=6, after=3, keep_next=True)
    add("Tabel", 8.5)
    add("Tabelkop", 8.5, bold=True, colour=_ACCENT)
    add("Tabeltoelichting", 7.5, colour=_GREY, before=2, after=8)
    add("Voettekst", 7.5, colour=_GREY)
    opsomming = add("Opsomming", 10, after=2, line=1.08)
    opsomming.paragraph_format.left_indent = Mm(8)
    opsomming.paragraph_format.first_line_indent = Mm(-4)
    add("Ondertekening", 10, keep_next=True, line=1.08)


def _page(doc: DocxDocument) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(_LEFT), Mm(_RIGHT)
    section.top_margin, section.bottom_margin = Mm(_TOP), Mm(_BOTTOM)
    section.header_distance, section.footer_distance = Mm(9), Mm(7)
    section.gutter = Mm(0)
    section.different_first_page_header_footer = True
    # Page numbers restart at 1 in every letter (also after merging letters into one file).
    _put(section._sectPr, _el("pgNumType", start="1"), _SECTPR_ORDER)


def _header_footer(doc: DocxDocument, lang: str) -> None:
    labels = _LABELS[lang]
    section = doc.sections[0]
    # First page: the letterhead is in the body; the header stays empty.
    section.first_page_header.paragraphs[0].style = "Voettekst"
    running = section.header.paragraphs[0]
    _write(
        running,
        "{{ schuldeiser.naam }} · {{ klant.naam }} · " + labels["our_ref"] + " {{ brief.kenmerk }}",
        "Voettekst",
    )
    centre = WD_ALIGN_PARAGRAPH.CENTER
    for footer in (section.footer, section.first_page_footer):
        line = footer.paragraphs[0]
        _write(
            line,
            "{{ schuldeiser.naam }} · {{ schuldeiser.adres }}, {{ schuldeiser.postcode }} "
            "{{ schuldeiser.plaats }}{% if schuldeiser.website %} · {{ schuldeiser.website }}"
            "{% endif %}",
            "Voettekst",
            align=centre,
        )
        _rule_above(line)
        line.paragraph_format.space_before = Pt(0)
        _par(
            footer,
            "{{ schuldeiser.registratie_label }} {{ schuldeiser.registratie }}"
            "{% if schuldeiser.btw_nummer %} · " + labels["vat"] + " {{ schuldeiser.btw_nummer }}"
            "{% endif %} · IBAN {{ schuldeiser.iban }}"
            "{% if schuldeiser.bic %} · BIC {{ schuldeiser.bic }}{% endif %}",
            "Voettekst",
            align=centre,
        )
        numbers = _par(footer, "", "Voettekst", align=WD_ALIGN_PARAGRAPH.RIGHT)
        numbers.add_run(labels["page"] + " ")
        _field(numbers, "PAGE", "1")
        numbers.add_run(" " + labels["page_of"] + " ")
        _field(numbers, "NUMPAGES", "1")


# --------------------------------------------------------------------------------------------
# Letter parts
# --------------------------------------------------------------------------------------------


def _add_lines(paragraph: Paragraph, chunks: Sequence[str | None]) -> None:
    """Add text chunks to one run, with a line break for every None.

    Conditions may enclose a line break (``"{% if x %}X", None, "{% endif %}…"``), so optional
    lines vanish without leaving an empty line, and the template stays one paragraph in Word.
    """
    run = paragraph.add_run()
    for chunk in chunks:
        if chunk is None:
            run.add_break()
        else:
            run.add_text(chunk)


def _letterhead_and_address(doc: DocxDocument, template_id: str, lang: str) -> None:
    """Add the letterhead row and the window-envelope address row."""
    labels = _LABELS[lang]
    widths = (_ADDRESS_WIDTH, _TEXT_WIDTH - _ADDRESS_WIDTH)
    table = _new_table(doc, 2, widths)
    head, address = table.rows
    _row_props(head, height_mm=_LETTERHEAD_HEIGHT)
    _row_props(address, height_mm=_ADDRESS_HEIGHT)

    name_cell, contact_cell = head.cells
    _cell_par(name_cell, "{{ schuldeiser.naam }}", "Briefhoofd naam", first=True)
    _add_lines(
        _cell_par(name_cell, "", "Briefhoofd"),
        [
            "{{ schuldeiser.adres }}",
            None,
            "{{ schuldeiser.postcode }} {{ schuldeiser.plaats }}"
            "{% if schuldeiser.land %} · {{ schuldeiser.land }}{% endif %}",
        ],
    )
    _add_lines(
        _cell_par(contact_cell, "", "Briefhoofd", first=True, align=WD_ALIGN_PARAGRAPH.RIGHT),
        [
            "{% if schuldeiser.telefoon %}" + labels["phone"] + " {{ schuldeiser.telefoon }}",
            None,
            "{% endif %}{% if schuldeiser.email %}{{ schuldeiser.email }}",
            None,
            "{% endif %}{% if schuldeiser.website %}{{ schuldeiser.website }}",
            None,
            "{% endif %}{{ schuldeiser.registratie_label }} {{ schuldeiser.registratie }}",
            None,
            "{% if schuldeiser.btw_nummer %}" + labels["vat"] + " {{ schuldeiser.btw_nummer }}",
            None,
            "{% endif %}IBAN {{ schuldeiser.iban }}",
        ],
    )

    window, info = address.cells
    # Return address on top of the window (DIN 5008: Rücksendeangabe), then the recipient.
    _cell_par(
        window,
        "{{ schuldeiser.naam }} · {{ schuldeiser.adres }} · {{ schuldeiser.postcode }} "
        "{{ schuldeiser.plaats }}",
        "Retouradres",
        first=True,
    )
    who = "overdracht" if template_id == "overdracht" else "klant"
    name_field = "overdracht.aan" if who == "overdracht" else "klant.naam"
    _add_lines(
        _cell_par(window, "", "Adres"),
        [
            "{{ " + name_field + " }}",
            None,
            "{% if "
            + who
            + ".contactpersoon %}"
            + labels["attn"]
            + " {{ "
            + who
            + ".contactpersoon }}",
            None,
            "{% endif %}{{ " + who + ".adres }}",
            None,
            "{{ " + who + ".postcode }}  {{ " + who + ".plaats }}{% if " + who + ".land %}",
            None,
            "{{ " + who + ".land|upper }}{% endif %}",
        ],
    )

    rows = [
        (labels["date"], "{{ brief.plaats }}, {{ brief.datum }}"),
        (labels["our_ref"], "{{ brief.kenmerk }}"),
    ]
    if who == "overdracht":
        rows.append((labels["dossier"], "{{ overdracht.dossier }}"))
    rows += [
        (labels["customer_no"], "{{ klant.nummer }}"),
        (labels["contact"], "{{ schuldeiser.ondertekenaar }}"),
    ]
    for index, (label, value) in enumerate(rows):
        paragraph = _cell_par(info, "", "Infoblok", first=index == 0)
        # A hanging indent: a long value (the signer "Anna de Wit, financiële administratie")
        # wraps under itself, not under its label.
        paragraph.paragraph_format.left_indent = Mm(40)
        paragraph.paragraph_format.first_line_indent = Mm(-28)
        _tab_stop(paragraph, 40)
        paragraph.add_run(label).font.color.rgb = _GREY
        paragraph.add_run("\t")
        _add_runs(paragraph, value)
    info.paragraphs[0].paragraph_format.space_before = Pt(14)


def _header_row(table: Table, headers: Sequence[str], numeric_from: int) -> None:
    row = table.rows[0]
    _row_props(row, header=True)
    for index, (cell, text) in enumerate(zip(row.cells, headers, strict=True)):
        align = WD_ALIGN_PARAGRAPH.RIGHT if index >= numeric_from else None
        _cell_par(cell, text, "Tabelkop", first=True, align=align)
        _shade(cell, _HEADER_FILL)
        _cell_borders(cell, bottom=("single", 6, "1F4E79"))
        _cell_margins(cell, 0.8, 1.0, 0.8, 1.0)


def _loop_rows(
    table: Table,
    start: int,
    loop: str,
    cells: Sequence[str],
    numeric_from: int,
    *,
    note: str | None = None,
) -> int:
    """Fill the rows of a docxtpl loop from row ``start``; return the next free row.

    The rows are: ``{%tr for %}``, the data row, and ``{%tr endfor %}``. With ``note`` (a
    field such as ``f.omschrijving``) a full-width row in small print follows the data row,
    shown only when the field is not empty.
    """
    rows = table.rows
    _cell_par(rows[start].cells[0], "{%tr " + loop + " %}", "Tabel", first=True)
    data = rows[start + 1]
    _row_props(data)
    for index, (cell, text) in enumerate(zip(data.cells, cells, strict=True)):
        align = WD_ALIGN_PARAGRAPH.RIGHT if index >= numeric_from else None
        _cell_par(cell, text, "Tabel", first=True, align=align, keep_next=note is not None)
        _cell_borders(cell, top=("single", 2, "C9D2DD"))
        _cell_margins(cell, 0.9, 1.0, 0.9 if note is None else 0.2, 1.0)
    end = start + 2
    if note is not None:
        _cell_par(rows[end].cells[0], "{%tr if " + note + " %}", "Tabel", first=True)
        row = rows[end + 1]
        _row_props(row)
        cell = row.cells[0].merge(row.cells[-1])
        paragraph = _cell_par(cell, "{{ " + note + " }}", "Tabel", first=True)
        for run in paragraph.runs:
            run.font.size = Pt(7.5)
            run.font.color.rgb = _GREY
        _cell_margins(cell, 0, 1.0, 0.9, 1.0)
        _cell_par(rows[end + 2].cells[0], "{%tr endif %}", "Tabel", first=True)
        end += 3
    _cell_par(rows[end].cells[0], "{%tr endfor %}", "Tabel", first=True)
    return end + 1


def _total_row(table: Table, index: int, label: str, span: int, values: Sequence[str]) -> None:
    row = table.rows[index]
    _row_props(row)
    first = row.cells[0].merge(row.cells[span - 1]) if span > 1 else row.cells[0]
    _cell_par(first, label, "Tabel", first=True, bold=True)
    cells = [first, *row.cells[span:]]
    unique = []
    for cell in cells:
        if all(cell._tc is not seen._tc for seen in unique):
            unique.append(cell)
    for cell, value in zip(unique[1:], values, strict=True):
        _cell_par(cell, value, "Tabel", first=True, bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    for cell in unique:
        _cell_borders(cell, top=("single", 8, "1F4E79"))
        _cell_margins(cell, 1.0, 1.0, 1.0, 1.0)


def _invoice_table(doc: DocxDocument, headers: Sequence[str], lang: str) -> None:
    table = _new_table(doc, 8, _INVOICE_WIDTHS)
    _header_row(table, headers, numeric_from=3)
    total_row = _loop_rows(
        table,
        1,
        "for f in facturen",
        (
            "{{ f.nummer }}",
            "{{ f.factuurdatum }}",
            "{{ f.vervaldatum }}",
            "{{ f.dagen_te_laat }}",
            "{{ f.hoofdsom }}",
            "{{ f.betaald }}",
            "{{ f.rente }}",
            "{{ f.kosten }}",
            "{{ f.totaal }}",
        ),
        numeric_from=3,
        note="f.omschrijving",
    )
    _total_row(
        table,
        total_row,
        _LABELS[lang]["total"],
        4,
        (
            "{{ totaal.hoofdsom }}",
            "{{ totaal.betaald }}",
            "{{ totaal.rente }}",
            "{{ totaal.kosten }}",
            "{{ totaal.totaal }}",
        ),
    )
    paid, interest, costs = (h.replace("\u00ad", "") for h in headers[5:8])
    _par(
        doc,
        "{% if betalingen.naar_rente_en_kosten %}"
        + _PAYMENTS_NOTE[lang].format(paid=paid, interest=interest, costs=costs)
        + "{% endif %}",
        "Tabeltoelichting",
    )


#: Under the invoice table when payments went to costs and interest first: the columns show
#: what is still owed, so the text and the table mean the same amounts.
_PAYMENTS_NOTE = {
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
}

#: Under the interest table: what of the interest was paid, and why the total may differ by a
#: cent from the sum of the lines (each line is rounded on its own).
_INTEREST_NOTES = {
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
}


def _interest_blocks(doc: DocxDocument, headers: Sequence[str], lang: str, text: str) -> None:
    labels = _LABELS[lang]
    _par(doc, "{%p if rente.van_toepassing %}")
    _par(doc, text, keep_next=True)
    table = _new_table(doc, 5, _PERIOD_WIDTHS)
    _header_row(table, headers, numeric_from=3)
    _loop_rows(
        table,
        1,
        "for r in renteperioden",
        (
            "{{ r.factuur }}",
            "{{ r.van }}",
            "{{ r.tot }}",
            "{{ r.dagen }}",
            "{{ r.grondslag }}",
            "{{ r.percentage }}",
            "{{ r.rente }}",
        ),
        numeric_from=3,
    )
    _total_row(table, 4, labels["total_interest"], 6, ("{{ rente.totaal }}",))
    _par(doc, labels["interest_basis"] + _INTEREST_NOTES[lang], "Tabeltoelichting")
    _par(doc, "{%p endif %}")


def _plan_table(doc: DocxDocument, lang: str) -> None:
    table = _new_table(doc, 5, _PLAN_WIDTHS)
    _header_row(table, _PLAN_HEADERS[lang], numeric_from=2)
    _loop_rows(
        table,
        1,
        "for t in regeling.termijnen",
        ("{{ t.nummer }}", "{{ t.vervaldatum }}", "{{ t.bedrag }}"),
        numeric_from=2,
    )
    _total_row(table, 4, _LABELS[lang]["total"], 2, ("{{ regeling.totaal }}",))
    _par(doc, "", "Tabeltoelichting")


def _actions_table(doc: DocxDocument, lang: str) -> None:
    table = _new_table(doc, 4, _ACTION_WIDTHS)
    _header_row(table, _ACTION_HEADERS[lang], numeric_from=99)
    _loop_rows(
        table,
        1,
        "for a in overdracht.acties",
        ("{{ a.datum }}", "{{ a.omschrijving }}"),
        numeric_from=99,
    )
    _par(doc, "", "Tabeltoelichting")


def _debtor_table(doc: DocxDocument, lang: str) -> None:
    labels = _LABELS[lang]
    rows = (
        ("", labels["name"], "{{ klant.naam }}"),
        ("", labels["customer_no"], "{{ klant.nummer }}"),
        ("klant.contactpersoon", labels["contact"], "{{ klant.contactpersoon }}"),
        ("", labels["address"], "{{ klant.adres }}"),
        ("", labels["postcode_city"], "{{ klant.postcode }} {{ klant.plaats }}"),
        ("klant.land", labels["country"], "{{ klant.land }}"),
        ("klant.email", labels["email"], "{{ klant.email }}"),
        ("klant.telefoon", labels["phone"], "{{ klant.telefoon }}"),
        (
            "",
            labels["kind"],
            "{% if klant.is_consument %}"
            + labels["consumer"]
            + "{% else %}"
            + labels["business"]
            + "{% endif %}",
        ),
    )
    count = sum(3 if condition else 1 for condition, _, _ in rows)
    table = _new_table(doc, count, _DEBTOR_WIDTHS)
    index = 0
    for condition, label, value in rows:
        if condition:
            _cell_par(
                table.rows[index].cells[0], "{%tr if " + condition + " %}", "Tabel", first=True
            )
            index += 1
        row = table.rows[index]
        _row_props(row)
        _cell_par(row.cells[0], label, "Tabel", first=True).runs[0].font.color.rgb = _GREY
        _cell_par(row.cells[1], value, "Tabel", first=True)
        for cell in row.cells:
            _cell_borders(cell, bottom=("single", 2, "C9D2DD"))
            _cell_margins(cell, 0.8, 1.0, 0.8, 1.0)
        index += 1
        if condition:
            _cell_par(table.rows[index].cells[0], "{%tr endif %}", "Tabel", first=True)
            index += 1
    _par(doc, "", "Tabeltoelichting")


def _payment_box(doc: DocxDocument, lang: str) -> None:
    labels = _LABELS[lang]
    table = _new_table(doc, 1, _PAYMENT_WIDTHS)
    row = table.rows[0]
    _row_props(row)
    details, qr = row.cells
    for cell in (details, qr):
        _shade(cell, _BOX_FILL)
        _cell_margins(cell, 2.5, 4, 2.5, 3)
    _cell_par(details, labels["pay_heading"], "Tussenkop", first=True)
    details.paragraphs[0].paragraph_format.space_before = Pt(0)
    lines = (
        (labels["amount"], "**{{ betaling.bedrag }}**"),
        ("IBAN", "{{ betaling.iban }}"),
        ("BIC", "{{ betaling.bic }}"),
        (labels["beneficiary"], "{{ schuldeiser.naam }}"),
        ("{{ betaling.kenmerk_soort|capitalize }}", "**{{ betaling.kenmerk }}**"),
    )
    for label, value in lines:
        if label == "BIC":
            _cell_par(details, "{%p if betaling.bic %}", "Infoblok")
        paragraph = _cell_par(details, "", "Infoblok")
        _tab_stop(paragraph, 42)
        paragraph.add_run(label).font.color.rgb = _GREY
        paragraph.add_run("\t")
        _add_runs(paragraph, value)
        paragraph.paragraph_format.space_after = Pt(2)
        if label == "BIC":
            _cell_par(details, "{%p endif %}", "Infoblok")
    centre = WD_ALIGN_PARAGRAPH.CENTER
    _cell_par(qr, "{{ betaling.qr }}", "Tabel", first=True, align=centre)
    _cell_par(qr, "{%p if betaling.qr %}", "Tabel")
    caption = _cell_par(qr, labels["qr_caption"], "Tabeltoelichting", align=centre)
    caption.paragraph_format.space_after = Pt(0)
    _cell_par(qr, "{%p endif %}", "Tabel")
    _par(doc, "", "Tabeltoelichting")


def _closing(doc: DocxDocument, lang: str) -> None:
    _par(doc, _LABELS[lang]["closing"], "Ondertekening").paragraph_format.space_before = Pt(6)
    _par(doc, "", "Ondertekening")
    _par(doc, "", "Ondertekening")
    _par(doc, "{{ schuldeiser.ondertekenaar }}", "Ondertekening")
    last = _par(doc, "{{ schuldeiser.naam }}", "Ondertekening")
    last.paragraph_format.keep_with_next = False


def _last_bullet(blocks: Sequence[Block], index: int) -> bool:
    """Tell whether the bullet at ``index`` ends its list (conditions do not count)."""
    for block in blocks[index + 1 :]:
        if block[0] == "li":
            return False
        if block[0] not in ("if", "else", "endif"):
            return True
    return True


def _body(doc: DocxDocument, template_id: str, lang: str) -> None:
    variant = "nl-BE" if lang == "nl" and template_id in _BELGIAN else lang
    _letterhead_and_address(doc, template_id, lang)
    subject = _par(doc, "{{ brief.titel }}", "Onderwerp")
    subject.paragraph_format.space_before = Pt(14)
    _par(doc, "{{ brief.aanhef }}")
    blocks = _with_plan_notice(template_id, lang, _LETTERS[template_id](lang))
    for index, block in enumerate(blocks):
        kind = block[0]
        if kind == "p":
            _par(doc, block[1])
        elif kind == "h":
            _par(doc, block[1], "Tussenkop")
        elif kind == "li":
            paragraph = _par(doc, "•\t" + block[1], "Opsomming")
            _tab_stop(paragraph, 8)
            if _last_bullet(blocks, index):
                paragraph.paragraph_format.space_after = Pt(6)
        elif kind == "if":
            _par(doc, "{%p if " + block[1] + " %}")
        elif kind == "else":
            _par(doc, "{%p else %}")
        elif kind == "endif":
            _par(doc, "{%p endif %}")
        elif kind == "invoices":
            _invoice_table(doc, _INVOICE_HEADERS[variant], lang)
        elif kind == "interest":
            texts = _INTEREST_HANDOVER if block[1:] == ("handover",) else _INTEREST
            _interest_blocks(doc, _PERIOD_HEADERS[variant], lang, texts[lang])
        elif kind == "costs":
            texts = _COSTS_HANDOVER if block[1:] == ("handover",) else _COSTS
            _par(doc, "{%p if kosten.van_toepassing %}")
            _par(doc, texts[lang])
            _par(doc, "{%p endif %}")
        elif kind == "plan":
            _plan_table(doc, lang)
        elif kind == "payment":
            _payment_box(doc, lang)
        elif kind == "reserve":
            _par(doc, "{%p if brief.stuit_verjaring %}")
            _par(doc, _RESERVE[lang])
            _par(doc, "{%p endif %}")
        elif kind == "debtor":
            _debtor_table(doc, lang)
        elif kind == "actions":
            _actions_table(doc, lang)
        elif kind == "closing":
            _closing(doc, lang)
        else:  # pragma: no cover - a typo in the block lists above
            raise ValueError(f"unknown block {kind!r}")


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


def build_template(template_id: str, language: str) -> bytes:
    """Return the .docx template for one letter in one language.

    Args:
      template_id: one of :data:`TEMPLATE_IDS`.
      language: one of :data:`LANGUAGES`.
    Returns:
      The .docx file as bytes; the same texts always give the same bytes.
    """
    if template_id not in _LETTERS:
        raise ValueError(f"unknown template {template_id!r}")
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    doc = Document()
    variant = "nl-BE" if language == "nl" and template_id in _BELGIAN else language
    _styles(doc, _WORD_LANG[variant])
    _page(doc)
    _header_footer(doc, language)
    # python-docx starts with one empty paragraph: drop it so the letterhead is first.
    body = doc.element.body
    for paragraph in body.findall(qn("w:p")):
        body.remove(paragraph)
    _body(doc, template_id, language)
    props = doc.core_properties
    props.author = "debiteuren"
    props.last_modified_by = "debiteuren"
    props.title = f"{_TITLES[template_id][language]} ({language})"
    props.subject = template_id
    props.comments = (
        "Briefsjabloon van debiteuren. Velden en regels: letter_templates/README.md. "
        "Gegenereerd door debiteuren.letters.template_builder."
    )
    props.keywords = ""
    props.category = ""
    props.revision = 1
    props.created = props.modified = _FIXED_TIME
    props.last_printed = _FIXED_TIME
    out = io.BytesIO()
    doc.save(out)
    return _stable_zip(out.getvalue())


def _stable_zip(data: bytes) -> bytes:
    """Rewrite a .docx zip with fixed timestamps so that rebuilding gives identical bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=_FIXED_TIME.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(item.filename))
    return out.getvalue()


def build_all(
    directory: Path,
    *,
    templates: Iterable[str] = TEMPLATE_IDS,
    languages: Iterable[str] = LANGUAGES,
) -> list[Path]:
    """Write every template to ``directory/<lang>/<id>.docx``.

    Args:
      directory: the target folder, e.g. the repository's ``letter_templates``.
      templates: the template ids to write (all by default).
      languages: the languages to write (all by default).
    Returns:
      The paths written.
    """
    written = []
    for language in languages:
        folder = directory / language
        folder.mkdir(parents=True, exist_ok=True)
        for template_id in templates:
            path = folder / f"{template_id}.docx"
            path.write_bytes(build_template(template_id, language))
            written.append(path)
    return written


def default_directory() -> Path:
    """Return the repository's ``letter_templates`` folder (where the shipped files live)."""
    return Path(__file__).resolve().parents[3] / "letter_templates"


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m debiteuren.letters.template_builder [DIR]``."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) > 1 or (args and args[0] in ("-h", "--help")):
        print("Gebruik: python -m debiteuren.letters.template_builder [MAP]")
        return 0 if args and args[0] in ("-h", "--help") else 2
    directory = Path(args[0]) if args else default_directory()
    for path in build_all(directory):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
