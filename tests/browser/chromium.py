"""Where the browser tests find Chromium, and what happens when it is missing."""

import os

import pytest


def require_chromium(path: str, *, ci: bool) -> None:
    """Skip with the reason when Chromium is missing; in CI, fail instead."""
    if not os.path.exists(path):
        message = f"Chromium not found at {path}: install it with `apt-get install chromium`."
        if ci:
            pytest.fail(message + " Browser tests are required in CI.")
        pytest.skip(message)
