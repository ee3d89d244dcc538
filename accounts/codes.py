"""Codes sent by SMS, kept out of the database.

An SMS is stored masked and rendered by its task at send time, so the code must be
computable then; storing it, even hashed (a 6-digit code is a million guesses away from
any unkeyed hash), would hand it to whoever reads a backup. So the database keeps a
random nonce, and the code is a keyed hash of it (HMAC with SECRET_KEY): without the key
a row tells nothing, and a new nonce makes every earlier code worthless."""

import secrets

from django.utils.crypto import constant_time_compare, salted_hmac

CODE_DIGITS = 6


def new_nonce() -> str:
    return secrets.token_hex(16)


def code_for(purpose: str, nonce: str) -> str:
    """The code of `nonce`, for one `purpose` (a code of one cannot serve another)."""
    digest = salted_hmac(f"accounts.codes.{purpose}", nonce, algorithm="sha256").digest()
    return f"{int.from_bytes(digest[:8], 'big') % 10**CODE_DIGITS:0{CODE_DIGITS}d}"


def code_matches(purpose: str, nonce: str, typed: str) -> bool:
    return bool(nonce) and constant_time_compare(code_for(purpose, nonce), typed)


def spaced(code: str) -> str:
    """How a code is written in a message: 123 456."""
    half = len(code) // 2
    return f"{code[:half]} {code[half:]}"
