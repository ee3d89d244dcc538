"""Reading an email: charsets, quoted history in several languages, signed addresses."""

import pytest

from mailin import addressing, parsing
from tests.factories import raw_email


@pytest.mark.parametrize(
    ("charset", "subject", "body"),
    [
        ("iso-8859-7", "Ερώτηση για τον λογαριασμό", "Πότε λήγει η συνδρομή;"),
        ("windows-1253", "Ερώτηση για τον λογαριασμό", "Πότε λήγει η συνδρομή;"),
        ("iso-8859-2", "Otázka k účtu", "Kedy mi vyprší predplatné? Ďakujem, Ľubomír"),
        ("windows-1250", "Otázka k účtu", "Kedy mi vyprší predplatné? Ďakujem, Ľubomír"),
        ("utf-8", "Domanda sull'account", "Quando scade l'abbonamento? Perché?"),
    ],
)
def test_subject_and_body_are_decoded_from_their_charset(charset, subject, body):
    parsed = parsing.parse(
        raw_email(
            sender="A <a@example.com>",
            to="b@example.com",
            subject=subject,
            body=body,
            charset=charset,
        )
    )
    assert (parsed.subject, parsed.text) == (subject, body)


def test_quoted_printable_and_rfc_2047_file_names_are_decoded():
    raw = (
        b"From: a@example.com\r\nTo: b@example.com\r\n"
        b"Subject: =?ISO-8859-7?Q?=C5=F1=FE=F4=E7=F3=E7?=\r\n"
        b"MIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="X"\r\n\r\n'
        b"--X\r\nContent-Type: text/plain; charset=windows-1250\r\n"
        b"Content-Transfer-Encoding: quoted-printable\r\n\r\n"
        b"=8Aiel som =9Aes=9Dou do Ko=9Aic.\r\n"
        b"--X\r\nContent-Type: text/plain\r\n"
        b'Content-Disposition: attachment; filename="=?UTF-8?B?zrHPgc+HzrXOr86/LnR4dA==?="\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\naGVsbG8=\r\n--X--\r\n"
    )
    parsed = parsing.parse(raw)
    assert parsed.subject == "Ερώτηση"
    assert parsed.text == "Šiel som šesťou do Košic."
    assert [(f.name, f.content) for f in parsed.files] == [("αρχείο.txt", b"hello")]


@pytest.mark.parametrize(
    "quote_header",
    [
        "On Tue, 1 Dec 2026 at 10:00, Support Portal <support@example.com> wrote:",
        "Il giorno mar 1 dic 2026 alle ore 10:00 Support Portal <support@example.com> ha scritto:",
        "Στις Τρί 1 Δεκ 2026 στις 10:00, ο/η Support Portal <support@example.com> έγραψε:",
        "Στις Τρί 1 Δεκ 2026 στις 10:00, ο/η Support Portal\n<support@example.com> έγραψε:",
        "ut 1. 12. 2026 o 10:00 Support Portal <support@example.com> napísal(a):",
        "Dňa 1. 12. 2026 o 10:00 Support Portal napísal:",
    ],
    ids=["en", "it", "el", "el-wrapped", "sk-gmail", "sk-thunderbird"],
)
def test_quoted_history_is_cut(quote_header):
    text = f"New words.\n\n{quote_header}\n> Old words.\n> More old words.\n"
    assert parsing.reply_text(text) == "New words."


def test_a_reply_without_quoted_history_is_kept_whole():
    assert parsing.reply_text("Line one.\n\nLine two napísal nič.") == (
        "Line one.\n\nLine two napísal nič."
    )


def test_a_reply_address_is_signed_and_a_forged_one_is_not_recognised(settings):
    settings.INBOUND_REPLY_DOMAIN = "reply.example.com"
    address = addressing.reply_address("T-26-00123")
    assert addressing.reference_from_address(address.upper()) == "T-26-00123"
    forged = address.replace("T-26-00123", "T-26-00124")
    assert addressing.reference_from_address(forged) is None
    assert addressing.reference_from_address("support+T-26-00123.0@reply.example.com") is None
    other_domain = address.replace("reply.example.com", "evil.example")
    assert addressing.reference_from_address(other_domain) is None


def test_without_a_reply_domain_notifications_carry_no_reply_address(settings):
    settings.INBOUND_REPLY_DOMAIN = ""
    _headers, reply_to = addressing.notification_headers("T-26-00123", first=True)
    assert reply_to == ""
