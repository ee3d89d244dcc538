"""A throwaway Dovecot IMAP server: its own config, users and maildirs in a temporary
folder, run in the foreground as the current user on a free port. Nothing of the
system's Dovecot (its config, its service) is read or touched."""

import getpass
import os
import pwd
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from imapclient import IMAPClient

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
PASSWORD = "mailbox-secret"


def require_dovecot(*, ci: bool) -> None:
    """Skip with the reason when Dovecot is missing; in CI, fail instead."""
    if not os.path.exists(DOVECOT):
        message = "Dovecot not found: install it with `apt-get install dovecot-imapd`."
        if ci:
            pytest.fail(message + " The email channel's tests are required in CI.")
        pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


CONFIG = """\
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
instance_name = portal-tests-{port}
log_path = {root}/dovecot.log
default_internal_user = {internal_user}
default_internal_group = {internal_group}
default_login_user = {login_user}
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
mail_location = maildir:{root}/mail/%u
mail_uid = {uid}
mail_gid = {gid}
first_valid_uid = 0
first_valid_gid = 0
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service pop3-login {{
  inet_listener pop3 {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
namespace inbox {{
  inbox = yes
  separator = /
}}
"""


@dataclass
class Dovecot:
    root: Path
    port: int
    process: subprocess.Popen

    username = "support@example.com"
    password = PASSWORD

    @property
    def url(self) -> str:
        return f"imap://support%40example.com:{PASSWORD}@127.0.0.1:{self.port}/INBOX"

    def client(self) -> IMAPClient:
        client = IMAPClient("127.0.0.1", port=self.port, ssl=False, timeout=10)
        client.login(self.username, self.password)
        return client

    def deliver(self, raw: bytes) -> None:
        """Put a message in the inbox, as the mail server delivers it."""
        with self.client() as client:
            client.append("INBOX", raw)

    def count(self, folder: str) -> int:
        with self.client() as client:
            if not client.folder_exists(folder):
                return 0
            return len(client.select_folder(folder, readonly=True) and client.search("ALL"))

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text() if path.exists() else ""


def start_dovecot(root: Path) -> Dovecot:
    for folder in ("run", "state", "mail", "home"):
        (root / folder).mkdir()
    port = _free_port()
    user = getpass.getuser()
    group = subprocess.run(["id", "-gn"], capture_output=True, text=True, check=True).stdout
    group = group.strip()
    # Dovecot's login processes refuse to run as root: as root (a CI container), they run
    # as the unprivileged users the Debian package creates, and the folder is opened up.
    internal_user, internal_group, login_user = user, group, user
    uid, gid = os.getuid(), os.getgid()
    if uid == 0:
        internal_user, internal_group, login_user = "dovecot", "dovecot", "dovenull"
        uid, gid = pwd.getpwnam("dovecot").pw_uid, pwd.getpwnam("dovecot").pw_gid
        root.chmod(0o755)
        for folder in ("mail", "home"):
            os.chown(root / folder, uid, gid)
    (root / "users").write_text(f"{Dovecot.username}:{{PLAIN}}{PASSWORD}\n")
    (root / "dovecot.conf").write_text(
        CONFIG.format(
            root=root,
            port=port,
            internal_user=internal_user,
            internal_group=internal_group,
            login_user=login_user,
            uid=uid,
            gid=gid,
        )
    )
    process = subprocess.Popen(
        [DOVECOT, "-F", "-c", str(root / "dovecot.conf")],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    server = Dovecot(root=root, port=port, process=process)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read().decode(errors="replace") if process.stdout else ""
            raise RuntimeError(f"Dovecot stopped: {output}\n{server.log()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server
        except OSError:
            time.sleep(0.1)
    process.terminate()
    raise RuntimeError(f"Dovecot did not listen on {port}:\n{server.log()}")


def stop_dovecot(server: Dovecot) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()
