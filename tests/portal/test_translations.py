"""The Greek, Italian and Slovak catalogues: complete, in one register and one vocabulary
per language, with plan names kept and categories translated.

The glossary tests read the catalogues themselves (locale/<lang>/LC_MESSAGES/django.po);
the rest render through Django's translation machinery, as a page would.
"""

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext

from accounts.models import Customer, User
from tickets.defaults import CATEGORIES

LANGUAGES = ["el", "it", "sk"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\{.*?\}\}")


@dataclass
class Entry:
    msgid: str = ""
    plural: str | None = None
    context: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
    # gettext's "#|" lines: the message a fuzzy guess was made from.
    guessed_from: list[str] = field(default_factory=list)

    def translations(self) -> list[str]:
        return [self.msgstr[index] for index in sorted(self.msgstr)]


def catalogue(language: str) -> list[Entry]:
    """The entries of the language's django.po, header left out."""
    path = Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po"
    entries: list[Entry] = []
    for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
        entry, target = Entry(), None
        for line in block.splitlines():
            keyword, _, rest = line.partition(" ")
            if line.startswith("#,"):
                entry.flags += [flag.strip() for flag in line[2:].split(",")]
            elif line.startswith("#|"):
                entry.guessed_from.append(line[2:].strip())
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                kind, index = target
                value = ast.literal_eval(line)
                if kind == "msgstr":
                    entry.msgstr[index] += value
                else:
                    setattr(entry, kind, getattr(entry, kind) + value)
            elif keyword.startswith("msgstr"):
                index = int(keyword[7:-1]) if "[" in keyword else 0
                entry.msgstr[index] = ast.literal_eval(rest)
                target = ("msgstr", index)
            else:
                kind = {"msgid": "msgid", "msgid_plural": "plural", "msgctxt": "context"}
                setattr(entry, kind[keyword], ast.literal_eval(rest))
                target = (kind[keyword], None)
        if entry.msgid:
            entries.append(entry)
    return entries


def words(text: str) -> str:
    """A translation without its placeholders and markup, which are not words of the language."""
    return re.sub(r"<[^>]+>", " ", PLACEHOLDER.sub(" ", text))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    untranslated = [
        entry.msgid
        for entry in catalogue(language)
        # A guess of gettext's with its flag removed but its "#|" left was never reviewed.
        if "fuzzy" in entry.flags or entry.guessed_from or not all(entry.translations())
    ]
    assert untranslated == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders_of_the_english(language):
    broken = []
    for entry in catalogue(language):
        for index, text in enumerate(entry.translations()):
            english = entry.msgid if index == 0 or entry.plural is None else entry.plural
            if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(english)):
                broken.append((entry.msgid, text))
    assert broken == []


# Terms a translation must not use, each with the word the catalogue uses instead; the
# report of issue 7 lists the glossary of every language.
FORBIDDEN = {
    "el": {
        "Mobile": r"\bMobile\b",  # Υπηρεσίες κινητής
        "domain": r"(?i)\bdomains?\b",  # όνομα χώρου, ονόματα χώρου
        "records": r"(?i)\brecords?\b",  # εγγραφές DNS
        "nameservers": r"(?i)\bnameservers?\b",  # διακομιστές ονομάτων
        "panel": r"(?i)\bpanel\b",  # πίνακας ελέγχου
        "hosting": r"(?i)\bhosting\b",  # φιλοξενία
        "web site": r"(?i)\bweb site\b",  # ιστότοπος
        "parakalo": r"Παρακαλώ",  # Παρακαλούμε
        "ilektroniko tachydromeio": r"ηλεκτρονικ\w* ταχυδρομ",  # email
        "e-mail": r"(?i)e-mail",  # email
        "eisagete": r"εισάγετε|εισάγατε",  # εισαγάγετε, εισαγάγατε
        "synthimatiko": r"συνθηματικ",  # κωδικός πρόσβασης
    },
    "it": {
        "tu pronouns": r"(?i)\b(tu|ti|te|tuo|tua|tuoi|tue)\b",  # Lei: Suo, Sua, Le, La
        "tu verbs": r"(?i)\b(hai|puoi|devi|vuoi|sei stato)\b",  # ha, può, deve, vuole, è stato
        "tu imperatives": r"(?i)\b(inserisci|controlla|segui)\b",  # inserisca, controlli, segua
        "login": r"(?i)\blogin\b",  # accesso, utenza
        "pannello": r"(?i)\bpannello\b",  # area riservata
        "email": r"(?i)(?<![-\w])email",  # e-mail
    },
    "sk": {
        "login": r"(?i)\blogin\w*",  # používateľské konto, prihlasovacie meno, prihlásenie
        "email": r"(?i)(?<![-\w])email",  # e-mail, e-mailová adresa
    },
}


@pytest.mark.parametrize(
    ("language", "pattern"),
    [
        pytest.param(language, pattern, id=f"{language}-{term}")
        for language, terms in FORBIDDEN.items()
        for term, pattern in terms.items()
    ],
)
def test_translations_use_the_glossary_of_the_language(language, pattern):
    found = [
        text
        for entry in catalogue(language)
        for text in entry.translations()
        if re.search(pattern, words(text))
    ]
    assert found == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_plan_names_are_product_names_left_in_english(language):
    plans = [label for _, label in Customer.Plan.choices]
    with translation.override(language):
        assert [str(label) for label in plans] == ["Basic", "Premium", "Business"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_category_is_translated_and_no_two_share_a_name(language):
    with translation.override(language):
        names = [gettext(name) for name in CATEGORIES]
    assert [name for name, english in zip(names, CATEGORIES, strict=True) if name == english] == []
    assert len(set(names)) == len(names)


@pytest.mark.parametrize("language", LANGUAGES)
def test_answer_due_has_one_wording_in_a_column_and_in_a_field(language):
    with translation.override(language):
        assert gettext("Answer due").casefold() == gettext("answer due").casefold()


def _password_rules(password: str) -> tuple[list[str], list[str]]:
    """The help texts of the configured validators, and their errors for the password."""
    person = User(username="mariorossi", full_name="Mario Rossi", email="mario@example.com")
    try:
        password_validation.validate_password(password, person)
    except ValidationError as error:
        errors = error.messages
    else:
        errors = []
    return password_validation.password_validators_help_texts(), errors


def test_django_password_rules_address_the_italian_reader_as_lei():
    with translation.override("it"):
        help_texts, _ = _password_rules("")
        _, short_errors = _password_rules("1234")
        _, similar_errors = _password_rules("mariorossi1")
    assert help_texts == [
        "La Sua password non può essere troppo simile ai Suoi altri dati personali.",
        "La Sua password deve contenere almeno 8 caratteri.",
        "La Sua password non può essere una password di uso comune.",
        "La Sua password non può essere composta solo da cifre.",
    ]
    assert short_errors == [
        "Questa password è troppo corta. Deve contenere almeno 8 caratteri.",
        "Questa password è troppo comune.",
        "Questa password è composta solo da cifre.",
    ]
    assert similar_errors == ["La password è troppo simile al campo «nome utente»."]


@pytest.mark.parametrize(
    ("language", "help_text", "too_short"),
    [
        (
            "el",
            "Ο κωδικός πρόσβασής σας πρέπει να περιέχει τουλάχιστον 8 χαρακτήρες.",
            "Αυτός ο κωδικός πρόσβασης είναι πολύ σύντομος. "
            "Πρέπει να περιέχει τουλάχιστον 8 χαρακτήρες.",
        ),
        (
            "sk",
            "Vaše heslo musí obsahovať aspoň 8 znakov.",
            "Toto heslo je príliš krátke. Musí obsahovať aspoň 8 znakov.",
        ),
    ],
    ids=["el", "sk"],
)
def test_django_password_rules_are_translated_in_the_words_of_the_catalogue(
    language, help_text, too_short
):
    with translation.override(language):
        help_texts, _ = _password_rules("")
        _, errors = _password_rules("x7Qp!zK")
    assert help_text in help_texts
    assert errors == [too_short]


@pytest.mark.parametrize(
    ("language", "invalid_email"),
    [
        ("it", "Inserisca un indirizzo e-mail valido."),
        ("el", "Εισαγάγετε μια έγκυρη διεύθυνση email."),
        ("sk", "Zadajte platnú e-mailovú adresu."),
    ],
)
def test_djangos_form_errors_speak_in_the_portals_words(client, db, language, invalid_email):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.post("/accounts/username/", {"email": "not-an-address"})
    assert invalid_email in response.text


def test_djangos_form_errors_address_the_italian_reader_as_lei():
    messages = [
        "Enter a valid value.",
        "Enter a number.",
        "Select a valid choice. That choice is not one of the available choices.",
        "Upload a valid image. The file you uploaded was either not an image or a corrupted image.",
    ]
    with translation.override("it"):
        translated = [gettext(message) for message in messages]
    assert translated == [
        "Inserisca un valore valido.",
        "Inserisca un numero.",
        "Scelga un'opzione valida. La scelta fatta non è tra quelle disponibili.",
        "Carichi un'immagine valida. Il file caricato non è un'immagine o è danneggiato.",
    ]
