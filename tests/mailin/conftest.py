import os
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.mailin.dovecot import require_dovecot, start_dovecot, stop_dovecot


@pytest.fixture
def dovecot(settings):
    """A real IMAP server with an empty support mailbox, polled by the portal."""
    require_dovecot(ci=bool(os.environ.get("CI")))
    # Not pytest's tmp_path: Dovecot's own users must be able to enter the folder.
    root = Path(tempfile.mkdtemp(prefix="portal-dovecot-"))
    server = start_dovecot(root)
    settings.INBOUND_IMAP_URL = [server.url]
    yield server
    stop_dovecot(server)
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(autouse=True)
def reply_domain(settings):
    settings.INBOUND_REPLY_DOMAIN = "reply.example.com"
    settings.DEFAULT_FROM_EMAIL = "Support Portal <support@example.com>"
    return settings.INBOUND_REPLY_DOMAIN
