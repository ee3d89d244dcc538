"""How many SMS segments a text takes, as the networks count them (3GPP TS 23.038).

A text of characters of the GSM 03.38 default alphabet (the basic set, plus the
extension table's characters, which take two septets each) is sent in GSM-7: 160
septets fit in one SMS, 153 in each part of a longer one. Any other character (Greek
small letters, most accents, emoji) makes the whole text UCS-2: 70 UTF-16 units fit in
one SMS, 67 in each part. Every SMS the portal sends is written to fit in one."""

import math
from dataclasses import dataclass

GSM7_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = "^{}\\[~]|€\f"

SINGLE = {"GSM-7": 160, "UCS-2": 70}
MULTIPART = {"GSM-7": 153, "UCS-2": 67}


@dataclass(frozen=True)
class Segments:
    encoding: str
    # Septets for GSM-7, UTF-16 code units for UCS-2.
    length: int
    count: int


def sms_segments(text: str) -> Segments:
    if all(char in GSM7_BASIC or char in GSM7_EXTENSION for char in text):
        encoding = "GSM-7"
        length = sum(2 if char in GSM7_EXTENSION else 1 for char in text)
    else:
        encoding = "UCS-2"
        length = len(text.encode("utf-16-le")) // 2
    if length <= SINGLE[encoding]:
        count = 1 if length else 0
    else:
        count = math.ceil(length / MULTIPART[encoding])
    return Segments(encoding=encoding, length=length, count=count)
