"""Logs: a request id and the login of the request in every record, secrets redacted, JSON
in production and readable text in development (README, "Logs and error reports").

The request id and the login id live in context variables: RequestIdMiddleware sets them
for a web request, and the Celery signals below carry them into the tasks the request
enqueues (message headers), so that one id finds the request, its tasks and what they sent.
"""

import json
import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar, Token
from datetime import UTC, datetime
from typing import IO, Any

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject, empty

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
# The request itself, so that the login is read only once something has loaded it (no query).
_request_var: ContextVar[HttpRequest | None] = ContextVar("log_request", default=None)
# The login id carried into a Celery task (no request there).
_user_id_var: ContextVar[int | str | None] = ContextVar("user_id", default=None)

REQUEST_ID_HEADER = "X-Request-ID"
# An incoming id is kept when it is a sane token: 8 to 128 of letters, digits and . _ : -
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{8,128}")

# Names (of arguments, extra fields, form fields, headers) whose values are never logged
# nor reported: any name with one of these words in it, split at _ - or space.
SENSITIVE_WORDS = frozenset(
    {
        "password",
        "passwd",
        "pass",
        "pin",
        "code",
        "codes",
        "token",
        "tokens",
        "secret",
        "key",
        "authorization",
        "cookie",
        "cookies",
        "sessionid",
        "session",
        "csrf",
        "csrftoken",
        "otp",
        "totp",
        "credentials",
        "apikey",
        "dsn",
    }
)
# Names with a sensitive word that are known to be harmless.
HARMLESS_NAMES = frozenset({"status_code", "error_code", "language_code", "country_code"})
REDACTED = "[redacted]"

# name=value, name: value or "name": "value" inside a message.
_INLINE_SECRET = re.compile(
    r"""(?ix)
    (?<!status\s)(?<!error\s)(?<!response\s)(?<!language\s)(?<!country\s)
    (?P<name>\b["']?[a-z0-9_-]*(?:password|passwd|pin|code|token|secret|key|authorization
        |cookie|sessionid|csrf\w*|otp)["']?)
    (?P<sep>\s*[=:]\s*)
    (?P<value>"[^"]*"|'[^']*'|(?:Bearer|Basic|Token)\s+\S+|[^\s,;&}\]]+)
    """
)


def is_sensitive_name(name: object) -> bool:
    if not isinstance(name, str):
        return False
    lowered = name.lower()
    if lowered in HARMLESS_NAMES:
        return False
    words = re.split(r"[_\-\s.]+", lowered)
    return lowered in SENSITIVE_WORDS or any(word in SENSITIVE_WORDS for word in words)


def scrub(value: Any, *, depth: int = 0) -> Any:
    """`value` with every sensitive-named entry replaced, through dicts and lists."""
    if depth > 12:
        return value
    if isinstance(value, dict):
        return {
            key: REDACTED if is_sensitive_name(key) else scrub(item, depth=depth + 1)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        scrubbed = [scrub(item, depth=depth + 1) for item in value]
        # Sentry sends headers and cookies as [name, value] pairs.
        if len(scrubbed) == 2 and is_sensitive_name(scrubbed[0]):
            scrubbed[1] = REDACTED
        return type(value)(scrubbed) if isinstance(value, tuple) else scrubbed
    if isinstance(value, str):
        return redact_text(value)
    return value


def _known_secret_values() -> list[str]:
    """The values of the portal's own secrets, redacted wherever they appear."""
    from django.conf import settings

    if not settings.configured:
        return []
    names = (
        "SECRET_KEY",
        "TWILIO_AUTH_TOKEN",
        "EMAIL_HOST_PASSWORD",
        "METRICS_TOKEN",
        "SENTRY_DSN",
    )
    values = [getattr(settings, name, "") for name in names]
    values += list(getattr(settings, "SECRET_KEY_FALLBACKS", []))
    return [value for value in values if isinstance(value, str) and len(value) >= 6]


def redact_text(text: str) -> str:
    for secret in _known_secret_values():
        if secret in text:
            text = text.replace(secret, REDACTED)
    return _INLINE_SECRET.sub(_redact_inline, text)


def _redact_inline(match: re.Match[str]) -> str:
    if match.group("name").strip("\"'").lower() in HARMLESS_NAMES:
        return match.group(0)
    return f"{match.group('name')}{match.group('sep')}{REDACTED}"


def new_request_id() -> str:
    return uuid.uuid4().hex


def sane_request_id(value: str | None) -> str | None:
    if value and _SANE_REQUEST_ID.fullmatch(value):
        return value
    return None


def current_user_id() -> int | str | None:
    """The login of the current request, when something in it has loaded the login
    already (reading it here never makes a query), or the one carried into a task."""
    request = _request_var.get()
    if request is None:
        return _user_id_var.get()
    user = request.__dict__.get("user")
    if isinstance(user, SimpleLazyObject):
        wrapped = user._wrapped
        user = None if wrapped is empty else wrapped
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user.pk


class RequestIdMiddleware:
    """Outermost: an id for the request (its X-Request-ID when sane), in every log record
    of the request and in the response's X-Request-ID header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = sane_request_id(request.headers.get(REQUEST_ID_HEADER)) or new_request_id()
        request.request_id = request_id  # type: ignore[attr-defined]
        id_token = request_id_var.set(request_id)
        request_token = _request_var.set(request)
        try:
            response = self.get_response(request)
        finally:
            _request_var.reset(request_token)
            request_id_var.reset(id_token)
        response[REQUEST_ID_HEADER] = request_id
        return response


# --- Celery: the id travels in the message headers --------------------------------------
_task_tokens: dict[str, tuple[Token, Token]] = {}


def task_publish_headers(headers: dict[str, Any]) -> None:
    """before_task_publish: the request id and login go with the task."""
    request_id = request_id_var.get()
    if request_id and "request_id" not in headers:
        headers["request_id"] = request_id
        user_id = current_user_id()
        if user_id is not None:
            headers["user_id"] = user_id


def task_started(task_id: str, task: Any) -> None:
    """task_prerun: a task from a worker logs with the id of the request that enqueued it;
    one run in-process (eager) keeps the id it runs under."""
    context = getattr(task, "request", None)
    headers = getattr(context, "headers", None) or {}
    request_id = getattr(context, "request_id", None) or headers.get("request_id")
    if request_id is None:
        return
    user_id = getattr(context, "user_id", None) or headers.get("user_id")
    _task_tokens[task_id] = (request_id_var.set(str(request_id)), _user_id_var.set(user_id))


def task_finished(task_id: str) -> None:
    """task_postrun: the worker's next task starts without the id."""
    tokens = _task_tokens.pop(task_id, None)
    if tokens is not None:
        request_id_var.reset(tokens[0])
        _user_id_var.reset(tokens[1])


# --- Filters and formatters --------------------------------------------------------------
class RequestContextFilter(logging.Filter):
    """Adds request_id and user_id to every record (None outside a request or task)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        record.user_id = current_user_id()
        return True


# Attributes every LogRecord has; the others are extra fields.
_RECORD_ATTRIBUTES = frozenset(
    vars(logging.LogRecord("", 0, "", 0, "", (), None)).keys()
    | {"message", "asctime", "request_id", "user_id", "taskName"}
)


class RedactFilter(logging.Filter):
    """Redacts secrets: arguments and extra fields named like one (password, pin, code,
    token, secret, key, authorization, cookie, sessionid, csrf), name=value pairs in the
    message, and the values of the portal's own secrets (SECRET_KEY, TWILIO_AUTH_TOKEN ...)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, dict):
            record.args = scrub(record.args)
        for name in list(vars(record)):
            if name in _RECORD_ATTRIBUTES:
                continue
            value = vars(record)[name]
            if is_sensitive_name(name):
                setattr(record, name, REDACTED)
            elif isinstance(value, dict | list | tuple | str):
                setattr(record, name, scrub(value))
        try:
            message = record.getMessage()
        except Exception:  # a malformed call: let the handler report it as logging does
            return True
        redacted = redact_text(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


def _extra_fields(record: logging.LogRecord) -> dict[str, Any]:
    extra = {}
    for name, value in vars(record).items():
        if name in _RECORD_ATTRIBUTES:
            continue
        if isinstance(value, HttpRequest):
            value = f"{value.method} {value.path}"
        extra[name] = value
    return extra


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, request_id, user_id, the
    extra fields, and the exception's traceback as text."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
            "user_id": getattr(record, "user_id", None),
            "process": record.process,
        }
        entry.update(_extra_fields(record))
        if record.exc_info:
            entry["exception"] = redact_text(self.formatException(record.exc_info))
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """For people: time, level, logger, [request id, login], message."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(context)s%(message)s")

    def format(self, record: logging.LogRecord) -> str:
        request_id = getattr(record, "request_id", None)
        user_id = getattr(record, "user_id", None)
        parts = [part for part in (request_id, f"user={user_id}" if user_id else "") if part]
        # A copy: the other handlers (and Sentry's breadcrumbs) see the record as it was.
        record = logging.makeLogRecord(vars(record))
        record.context = f"[{' '.join(parts)}] " if parts else ""
        text = super().format(record)
        if record.exc_info:
            text = redact_text(text)
        return text


def make_handler(fmt: str = "text", stream: IO[str] | None = None) -> logging.Handler:
    """The portal's log handler: to stderr (journald) unless given a stream."""
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestContextFilter())
    handler.addFilter(RedactFilter())
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    return handler


def logging_config(*, level: str, fmt: str) -> dict[str, Any]:
    """settings.LOGGING."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "handlers": {"console": {"()": "portal.logs.make_handler", "fmt": fmt}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {"django.db.backends": {"level": "WARNING"}},
    }
