"""Errors shared by every app."""


class Refusal(Exception):
    """A request the portal will not carry out, with `message`: why, in words for the
    person who asked (a lazy translation, rendered in their language). Views show the
    message; nothing was changed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
