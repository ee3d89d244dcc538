"""The portal's processes for fault tests: a Redis of the test's own, gunicorn and Celery
workers started as in production (DEBUG off), each stopped by the test that started it.

They share the test's database (committed data: the tests use `transactional_db`), an
SMTP sink and the Twilio stand-in of this process."""

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
# Fernet key of the PIN secrets, shared by this process (which activates the PINs) and the
# processes it starts.
FIELD_ENCRYPTION_KEY = "cFNOqHHOw_GSOigFAMgdZc0V59t5B1oIiN0GdA4Gc8Y="
SECRET_KEY = "fault-tests-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(condition, timeout: float = 30.0, every: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return False


def _listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
    except OSError:
        return False
    return True


class Process:
    """One child process; `stop()` ends it (SIGTERM, then SIGKILL), `kill()` at once."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        self.args = args
        self.env = env
        self.log = log
        self.popen: subprocess.Popen | None = None

    def start(self) -> "Process":
        with self.log.open("ab") as log:
            # A group of its own: killing it kills its children too (a worker's pool and
            # embedded beat), as stopping a service does, and leaves no orphan behind.
            self.popen = subprocess.Popen(
                self.args,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    def _signal_group(self, signum: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signum)

    def kill(self) -> None:
        if self.popen is not None:
            self._signal_group(signal.SIGKILL)
            self.popen.wait(10)

    def stop(self) -> None:
        if self.popen is None:
            return
        if self.popen.poll() is None:
            self._signal_group(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.popen.wait(15)
        self._signal_group(signal.SIGKILL)  # whatever of the group is left
        self.popen.wait(10)

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


class RedisServer(Process):
    def __init__(self, folder: Path) -> None:
        self.port = free_port()
        server = shutil.which("redis-server") or "/usr/bin/redis-server"
        args = [server, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        args += ["--appendonly", "no", "--dir", str(folder)]
        super().__init__(args, dict(os.environ), folder / f"redis-{self.port}.log")

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        super().start()
        assert wait_until(lambda: _listening(self.port)), self.output()
        return self

    def stop(self) -> None:
        super().stop()
        assert wait_until(lambda: not _listening(self.port))


def portal_env(*, database_url: str, redis_url: str, smtp_port: int, twilio_url: str) -> dict:
    """The environment of a production-shaped portal process on this machine."""
    env = {
        key: value for key, value in os.environ.items() if not key.startswith(("PYTEST", "DJANGO_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DEBUG": "0",
            "SECRET_KEY": SECRET_KEY,
            "FIELD_ENCRYPTION_KEY": FIELD_ENCRYPTION_KEY,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "SITE_URL": "https://localhost",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "CELERY_BROKER_URL": redis_url,
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            "TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
            "TWILIO_AUTH_TOKEN": "fault-token",
            "TWILIO_FROM_NUMBER": "+15005550006",
            "TWILIO_API_BASE_URL": twilio_url,
            "LOG_LEVEL": "WARNING",
            # Seconds, not the minutes of production: the same paths, sooner.
            "OUTBOX_SWEEP_SECONDS": "1",
            "OUTBOX_REQUEUE_AFTER_SECONDS": "1",
            "OUTBOX_RETRY_FIRST_SECONDS": "1",
            "SMS_SWEEP_SECONDS": "1",
            "SMS_REQUEUE_AFTER_SECONDS": "1",
            # A beat killed with its worker is replaced by the next one within seconds.
            "CELERY_BEAT_LOCK_SECONDS": "2",
        }
    )
    return env


class Gunicorn(Process):
    def __init__(self, env: dict, folder: Path, workers: int = 2) -> None:
        self.port = free_port()
        args = [sys.executable, "-m", "gunicorn", "portal.wsgi", "-w", str(workers)]
        args += ["-b", f"127.0.0.1:{self.port}", "--log-level", "warning"]
        super().__init__(args, env, folder / f"gunicorn-{self.port}.log")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "Gunicorn":
        super().start()
        assert wait_until(lambda: _listening(self.port)), self.output()
        return self


class CeleryWorker(Process):
    """One worker (solo pool: killing it kills the task it runs), with beat inside it."""

    def __init__(
        self, env: dict, folder: Path, name: str = "faults@localhost", *, beat: bool = True,
        pool: tuple[str, ...] = ("--pool=solo",),
    ) -> None:  # fmt: skip
        self.name = name
        args = [sys.executable, "-m", "celery", "-A", "portal", "worker", *pool]
        args += ["-n", name, "-l", "INFO"]
        if beat:
            args += ["-B", "-s", str(folder / "beat-schedule")]
        super().__init__(args, env, folder / "worker.log")

    def start(self) -> "CeleryWorker":
        size = self.log.stat().st_size if self.log.exists() else 0
        super().start()
        ready = re.compile(rf"{re.escape(self.name)} ready")
        assert wait_until(lambda: ready.search(self.output()[size:]) is not None, 60), (
            self.output()[size:]
        )
        return self


class CeleryBeat(Process):
    """A beat on its own, as production runs it (`celery -A portal beat`)."""

    def __init__(self, env: dict, folder: Path, name: str) -> None:
        args = [sys.executable, "-m", "celery", "-A", "portal", "beat", "-l", "INFO"]
        args += ["-s", str(folder / f"beat-schedule-{name}")]
        super().__init__(args, env, folder / f"beat-{name}.log")


class Browser:
    """A customer's browser against gunicorn: the session cookie of a login made in the
    database, a CSRF token from the page it posts from (cookies are set by hand: with
    DEBUG off they are Secure, and this is plain HTTP on 127.0.0.1)."""

    def __init__(self, base_url: str, session_key: str, language: str = "en") -> None:
        self.base_url = base_url
        self.language = language
        self.cookies = {"sessionid": session_key}
        self.http = requests.Session()

    def _headers(self) -> dict:
        cookie = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        return {"Cookie": cookie, "Accept-Language": self.language}

    def get(self, path: str) -> requests.Response:
        response = self.http.get(
            self.base_url + path, headers=self._headers(), allow_redirects=False, timeout=30
        )
        return self._keep_cookies(response)

    def _keep_cookies(self, response: requests.Response) -> requests.Response:
        for cookie in response.cookies:
            self.cookies[cookie.name] = cookie.value
        self.http.cookies.clear()
        return response

    def post_form(
        self, path: str, data: dict, *, form_page: str = "", files: dict | None = None
    ) -> requests.Response:
        """Post to `path` as the form on `form_page` (by default `path` itself) would."""
        page = self.get(form_page or path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token, f"no form at {path}: {page.status_code}"
        return self._keep_cookies(
            self.http.post(
                self.base_url + path,
                data={"csrfmiddlewaretoken": token.group(1), **data},
                files=files,
                headers={**self._headers(), "Referer": self.base_url + (form_page or path)},
                allow_redirects=False,
                timeout=30,
            )
        )
