"""Settings for the support portal.

This is the only module that reads the environment. With nothing set, the portal runs
on its embedded defaults: SQLite, Celery tasks in-process, email and SMS to the console,
DEBUG on. Production sets the variables listed in the README.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
import dj_email_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from portal.errors import init_sentry
from portal.logs import logging_config
from portal.storage import private_storage_settings

BASE_DIR = Path(__file__).resolve().parent.parent


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def _env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = _env_bool("DEBUG", default=True)

_DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"
SECRET_KEY = os.environ.get("SECRET_KEY") or _DEV_SECRET_KEY
# Keys SECRET_KEY replaced, still accepted for what they signed (sessions, reset and
# activation links, cookies) until those expire: README, "Rotating the keys".
SECRET_KEY_FALLBACKS = _env_list("SECRET_KEY_FALLBACKS", [])
if not DEBUG and SECRET_KEY == _DEV_SECRET_KEY:
    raise RuntimeError("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS", [])

# Public address of the portal, used in links inside emails and SMS.
SITE_URL = os.environ.get("SITE_URL", "http://localhost:8000").rstrip("/")
SITE_NAME = os.environ.get("SITE_NAME", "Support Portal")

INSTALLED_APPS = [
    "portal.apps.PortalAdminConfig",  # django.contrib.admin, with portal.admin.PortalAdminSite
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_email",
    "django_otp_webauthn",
    "csp",
    "axes",
    "portal",
    "outbox",
    "sms",
    "accounts",
    "accounts.privacy",
    "tickets",
    "supportpin",
    "helpcentre",
    "mailin",
    "billing",
    "django_prometheus",
]

MIDDLEWARE = [
    # Outermost, so that the latency it measures is the whole request's.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # Next: every log record of the request, even of the middleware, has its id.
    "portal.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # django-otp's, reading the device by a statement compiled once.
    "accounts.middleware.OTPMiddleware",
    # Before any view, form or admin filter makes a query from what the request carries.
    "portal.middleware.NulCharacterGuardMiddleware",
    "accounts.activity.middleware.SignedInSessionMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
    "portal.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Just outside Axes, so that its lockout page is counted with the status it answers.
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    # Axes must be last: it turns lockouts signalled by the backend into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.site",
            ],
            # {% url %} keeping the URLs without arguments (portal/templatetags/kept_urls.py).
            "builtins": ["portal.templatetags.kept_urls"],
        },
    },
]

# Widgets render through TEMPLATES, so that templates/ can override the admin's (a date and
# time field whose two inputs each have a label).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# --- Database -------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=_env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default must take concurrent requests: readers do not wait for the
    # writer (WAL), a writer waits for the one before it instead of failing with "database
    # is locked" (timeout), and a transaction takes the write lock when it begins, since
    # SQLite cannot wait for the lock when a transaction that has read wants to write.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }
# The same engines, counting connections, queries and their durations for /metrics.
DATABASES["default"]["ENGINE"] = DATABASES["default"]["ENGINE"].replace(
    "django.db.backends.", "django_prometheus.db.backends.", 1
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, cache and Celery ----------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or REDIS_URL

if REDIS_URL:
    CACHES = {
        "default": {
            # Redis's own backend, except that Redis being down reads as an empty cache
            # (and counters as unreadable, which django-ratelimit treats as "limited"),
            # so that no page fails for it; an unreachable Redis is given up in 0.5 s.
            "BACKEND": "portal.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "portal"),
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "portal.cache.CountingLocMemCache"}}

# Without a broker, tasks run in-process so that `make run` needs nothing else.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing from a request gives up fast when the broker is away: one retry on a fresh
# connection (a Redis restart leaves stale ones in the pool), a 1 s connect timeout. What
# was not published waits in the database for its sweep (outbox, SMS records).
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0,
    "interval_max": 0,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 1
# A task is re-delivered when its worker dies before acknowledging it (acks_late), after
# this many seconds: longer than any task may run (CELERY_TASK_TIME_LIMIT), so that a slow
# task is never run twice at once, and far shorter than kombu's default hour. Email and
# SMS do not wait for it: their sweeps hand them out again sooner.
CELERY_TASK_TIME_LIMIT = 10 * 60
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_TASK_TIME_LIMIT + 5 * 60,
    "socket_connect_timeout": 1,
    "socket_timeout": 5,
}
CELERY_BEAT_SCHEDULE: dict = {}
# Exactly one beat schedules (portal/beatlock.py): a second one waits as a standby and
# takes over this many seconds after the first is gone.
CELERY_BEAT_LOCK_SECONDS = _env_int("CELERY_BEAT_LOCK_SECONDS", 60)

# --- Authentication -------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.EmailOrUsernameBackend",
]
PASSWORD_HASHERS = [
    "accounts.hashers.PortalArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "full_name", "email")},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:dashboard"
LOGOUT_REDIRECT_URL = "portal:home"

# Registration and account links.
ACCOUNT_ACTIVATION_DAYS = _env_int("ACCOUNT_ACTIVATION_DAYS", 3)
ACCOUNT_EMAIL_CHANGE_HOURS = _env_int("ACCOUNT_EMAIL_CHANGE_HOURS", 24)
ACCOUNT_INVITATION_DAYS = _env_int("ACCOUNT_INVITATION_DAYS", 7)
# Wrong current passwords accepted from a logged-in login (to change the email address or
# the password, to confirm it is you) before it must wait out the window.
ACCOUNT_PASSWORD_CHECK_LIMIT = _env_int("ACCOUNT_PASSWORD_CHECK_LIMIT", 5)
ACCOUNT_PASSWORD_CHECK_MINUTES = _env_int("ACCOUNT_PASSWORD_CHECK_MINUTES", 15)
# Forms that send mail (password reset, username reminder, activation resend, registration,
# email change, invitations): at most this many mails an hour to one recipient address, and
# this many asked from one client (IP) address. Past either, the page looks the same and
# nothing is sent. Counted by django-ratelimit in the cache (Redis in production).
MAIL_LIMIT_PER_RECIPIENT_HOUR = _env_int("MAIL_LIMIT_PER_RECIPIENT_HOUR", 3)
MAIL_LIMIT_PER_CLIENT_HOUR = _env_int("MAIL_LIMIT_PER_CLIENT_HOUR", 20)
RATELIMIT_IP_META_KEY = "portal.net.client_ip"
REGISTRATION_REQUIRES_CONTRACT_NUMBER = _env_bool("REGISTRATION_REQUIRES_CONTRACT_NUMBER", False)
# New accounts registered from one client address in an hour; past it the form asks to
# come back later.
REGISTRATION_LIMIT_PER_ADDRESS_HOUR = _env_int("REGISTRATION_LIMIT_PER_ADDRESS_HOUR", 5)
PASSWORD_RESET_TIMEOUT = _env_int("PASSWORD_RESET_TIMEOUT", 60 * 60 * 3)

# Brute-force protection: AXES_FAILURE_LIMIT failures for the same login from the same
# address lock that pair for AXES_COOLOFF_MINUTES (the lockout page says how long).
AXES_FAILURE_LIMIT = _env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=_env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "accounts.backends.axes_login_name"
AXES_LOCKOUT_CALLABLE = "accounts.views.lockout_response"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "portal.net.client_ip"
# How many reverse proxies (nginx, a load balancer) append to X-Forwarded-For in front of
# gunicorn; 0 when gunicorn faces the browsers. Lockouts and the audit trail depend on it.
TRUSTED_PROXY_COUNT = _env_int("TRUSTED_PROXY_COUNT", 0)

# --- Two-factor authentication (accounts/mfa) -----------------------------------------
# Failed codes counted per login across all its devices: this many lock the second step
# for TWO_FACTOR_LOCK_MINUTES, and the login's owner is emailed.
TWO_FACTOR_FAILURE_LIMIT = _env_int("TWO_FACTOR_FAILURE_LIMIT", 10)
TWO_FACTOR_LOCK_MINUTES = _env_int("TWO_FACTOR_LOCK_MINUTES", 15)
# "Remember this browser": how long the signed cookie skips the second step.
TWO_FACTOR_REMEMBER_DAYS = _env_int("TWO_FACTOR_REMEMBER_DAYS", 30)
# Password checked, code not yet given: how long the half-done login waits.
TWO_FACTOR_PENDING_MINUTES = 10
# Changing a security setting asks again for the password (and a code) unless the login
# proved it in the last this many minutes (ASVS 3.7.1).
REAUTH_MINUTES = _env_int("REAUTH_MINUTES", 10)
RECOVERY_CODE_COUNT = 10
# django-otp's per-device back-off: 1, 2, 4, 8 ... seconds after successive failures.
TWO_FACTOR_THROTTLE_FACTOR = 1
OTP_TOTP_THROTTLE_FACTOR = TWO_FACTOR_THROTTLE_FACTOR
OTP_EMAIL_THROTTLE_FACTOR = TWO_FACTOR_THROTTLE_FACTOR
OTP_TOTP_ISSUER = SITE_NAME
# Nobody reads a login's TOTP secret or email code in the admin, not even a superuser.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
OTP_EMAIL_TOKEN_VALIDITY = 60 * _env_int("TWO_FACTOR_EMAIL_CODE_MINUTES", 10)
OTP_EMAIL_COOLDOWN_DURATION = 30
# Passkeys: WebAuthn refuses an IP address as relying party, so the RP ID is the host
# name of the request (e.g. localhost for `make run`), and the browser's origin must be
# SITE_URL or the request's own origin, whose host ALLOWED_HOSTS has already checked.
OTP_WEBAUTHN_RP_ID_CALLABLE = "accounts.mfa.webauthn.relying_party_id"
OTP_WEBAUTHN_RP_NAME = SITE_NAME
OTP_WEBAUTHN_ALLOWED_ORIGINS = [SITE_URL]
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_HELPER_CLASS = "accounts.mfa.webauthn.PortalWebAuthnHelper"

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("el", _("Greek")),
    ("it", _("Italian")),
    ("sk", _("Slovak")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Athens")
USE_I18N = True
USE_TZ = True

# --- Static and private files ---------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploaded files are never served from a public URL; views check access first. They live
# under PRIVATE_MEDIA_ROOT, or in a bucket when PRIVATE_STORAGE_URL is set
# (s3://bucket/prefix?endpoint=URL&region=NAME, credentials from the AWS_* variables).
PRIVATE_STORAGE_URL = os.environ.get("PRIVATE_STORAGE_URL", "")
STORAGES["private"] = private_storage_settings(PRIVATE_STORAGE_URL)
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT") or BASE_DIR / "private")
MEDIA_ROOT = PRIVATE_MEDIA_ROOT
# A file no row names (its request was killed between the two) is deleted after this long
# by a daily job (portal/files.py); younger ones may belong to a request in flight.
PRIVATE_ORPHAN_FILES_HOURS = _env_int("PRIVATE_ORPHAN_FILES_HOURS", 24)
CELERY_BEAT_SCHEDULE["portal-purge-orphan-files"] = {
    "task": "portal.tasks.purge_orphan_files",
    "schedule": 24 * 60 * 60,
}

# --- Email ----------------------------------------------------------------------------
if os.environ.get("EMAIL_URL"):
    _email = dj_email_url.parse(os.environ["EMAIL_URL"])
    EMAIL_BACKEND = _email["EMAIL_BACKEND"]
    EMAIL_HOST = _email["EMAIL_HOST"]
    EMAIL_PORT = _email["EMAIL_PORT"]
    EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
    EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
    EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
    EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
    EMAIL_TIMEOUT = _email["EMAIL_TIMEOUT"] or 10
else:
    EMAIL_BACKEND = os.environ.get(
        "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
    )
    EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
    EMAIL_PORT = _env_int("EMAIL_PORT", 25)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS", False)
    EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Support Portal <support@example.com>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# Supervisors alerted by operational warnings (e.g. the SMS daily cap).
SUPERVISOR_EMAILS = _env_list("SUPERVISOR_EMAILS", [])

# --- Outbox: every email is a row first (outbox/) -------------------------------------
# The sweep hands out every email that is due and was not taken within
# OUTBOX_REQUEUE_AFTER_SECONDS (its task was lost, the broker was down, the server said
# "later"), and takes back one whose worker has been sending it for longer than
# OUTBOX_SENDING_LEASE_SECONDS (a send gives up after EMAIL_TIMEOUT per step, so a longer
# one means the worker died; a worker restarted under the same name takes it back at
# once). An email still refused after OUTBOX_GIVE_UP_HOURS is marked failed.
OUTBOX_SWEEP_SECONDS = _env_int("OUTBOX_SWEEP_SECONDS", 60)
OUTBOX_REQUEUE_AFTER_SECONDS = _env_int("OUTBOX_REQUEUE_AFTER_SECONDS", 30)
OUTBOX_SENDING_LEASE_SECONDS = _env_int("OUTBOX_SENDING_LEASE_SECONDS", 60)
OUTBOX_RETRY_FIRST_SECONDS = _env_int("OUTBOX_RETRY_FIRST_SECONDS", 30)
OUTBOX_GIVE_UP_HOURS = _env_int("OUTBOX_GIVE_UP_HOURS", 48)
OUTBOX_KEEP_DAYS = _env_int("OUTBOX_KEEP_DAYS", 30)
CELERY_BEAT_SCHEDULE["outbox-sweep"] = {
    "task": "outbox.tasks.sweep_outbox",
    "schedule": OUTBOX_SWEEP_SECONDS,
}
CELERY_BEAT_SCHEDULE["outbox-purge"] = {
    "task": "outbox.tasks.purge_outbox",
    "schedule": 24 * 60 * 60,
}

# --- SMS gateway ----------------------------------------------------------------------
# The gateway was portal.sms: a backend named by its old path is the same backend.
_sms_backend = os.environ.get("SMS_BACKEND", "")
SMS_BACKEND = _sms_backend.replace("portal.sms.backends.", "sms.backends.") or (
    "sms.backends.twilio.TwilioBackend"
    if os.environ.get("TWILIO_ACCOUNT_SID")
    else "sms.backends.outbox.OutboxBackend"
)
TWILIO_ACCOUNT_SID = os.environ.get("TWILIO_ACCOUNT_SID", "")
TWILIO_AUTH_TOKEN = os.environ.get("TWILIO_AUTH_TOKEN", "")
TWILIO_FROM_NUMBER = os.environ.get("TWILIO_FROM_NUMBER", "")
TWILIO_MESSAGING_SERVICE_SID = os.environ.get("TWILIO_MESSAGING_SERVICE_SID", "")
# Lets tests and staging point the official SDK at a local stand-in for Twilio.
TWILIO_API_BASE_URL = os.environ.get("TWILIO_API_BASE_URL", "")
SMS_DAILY_GLOBAL_CAP = _env_int("SMS_DAILY_GLOBAL_CAP", 5000)
# Anti-abuse limits on SMS (pumping, harassment); the global cap is SMS_DAILY_GLOBAL_CAP.
# Per login: SMS_LIMIT_PER_LOGIN_WINDOW in any SMS_LIMIT_PER_LOGIN_WINDOW_MINUTES (the
# window was a fixed half hour, and the limit's variable is still read by its old name).
SMS_LIMIT_PER_LOGIN_WINDOW = _env_int(
    "SMS_LIMIT_PER_LOGIN_WINDOW", _env_int("SMS_LIMIT_PER_LOGIN_HALF_HOUR", 3)
)
SMS_LIMIT_PER_LOGIN_WINDOW_MINUTES = _env_int("SMS_LIMIT_PER_LOGIN_WINDOW_MINUTES", 30)
SMS_LIMIT_PER_LOGIN_DAY = _env_int("SMS_LIMIT_PER_LOGIN_DAY", 10)
SMS_LIMIT_PER_ADDRESS_HOUR = _env_int("SMS_LIMIT_PER_ADDRESS_HOUR", 10)
# Per destination number, whoever asks (codes, PINs and notices alike): an hour and a day.
SMS_LIMIT_PER_NUMBER_HOUR = _env_int("SMS_LIMIT_PER_NUMBER_HOUR", 5)
SMS_LIMIT_PER_NUMBER_DAY = _env_int("SMS_LIMIT_PER_NUMBER_DAY", 10)
# The countries SMS may go to (ISO 3166 codes), as the provider's geo permissions allow:
# a mobile number elsewhere is refused when it is typed in, and never sent to.
SMS_ALLOWED_COUNTRIES = _env_list("SMS_ALLOWED_COUNTRIES", ["GR", "CY", "IT", "SK", "CZ"])
# A new mobile number counts once the code sent to it is entered: within this many
# minutes, with at most this many wrong codes, and this many codes sent again on request.
MOBILE_VERIFICATION_MINUTES = _env_int("MOBILE_VERIFICATION_MINUTES", 10)
MOBILE_VERIFICATION_ATTEMPTS = _env_int("MOBILE_VERIFICATION_ATTEMPTS", 5)
MOBILE_VERIFICATION_RESENDS = _env_int("MOBILE_VERIFICATION_RESENDS", 2)
# Codes by SMS as a second factor: how long one works, and the wait before another.
TWO_FACTOR_SMS_CODE_MINUTES = _env_int("TWO_FACTOR_SMS_CODE_MINUTES", 10)
TWO_FACTOR_SMS_COOLDOWN_SECONDS = 60
# A send takes seconds (the Twilio client times out at 10 s): an SMS still "sending" after
# this long was interrupted, and is marked "outcome unknown" (never resent). An SMS with no
# send-by time that is still queued after SMS_UNSENT_GIVE_UP_HOURS is given up.
SMS_SENDING_STUCK_MINUTES = 15
SMS_UNSENT_GIVE_UP_HOURS = 24
# A queued SMS whose task has not taken it after this long (lost, or the broker was down
# when it was asked for) is handed to a worker again, until it expires.
SMS_REQUEUE_AFTER_SECONDS = _env_int("SMS_REQUEUE_AFTER_SECONDS", 60)
CELERY_BEAT_SCHEDULE["sms-requeue-waiting"] = {
    "task": "sms.tasks.requeue_waiting_sms",
    "schedule": _env_int("SMS_SWEEP_SECONDS", 60),
}
CELERY_BEAT_SCHEDULE["sms-close-abandoned"] = {
    "task": "sms.tasks.close_abandoned_sms",
    "schedule": 5 * 60,
}
PHONE_DEFAULT_REGION = os.environ.get("PHONE_DEFAULT_REGION", "GR")

# Key that encrypts Support PIN secrets at rest; kept out of the database.
FIELD_ENCRYPTION_KEY = os.environ.get("FIELD_ENCRYPTION_KEY", "")

# --- Tickets (the tickets app owns this section) -----------------------------------
TICKETS_ATTACHMENT_MAX_BYTES = _env_int("TICKETS_ATTACHMENT_MAX_MB", 10) * 1024 * 1024
TICKETS_ATTACHMENTS_PER_MESSAGE = _env_int("TICKETS_ATTACHMENTS_PER_MESSAGE", 10)
# Files that passed the checks on a form with other errors are kept this long for the form
# to be sent again, and at most this many bytes per login at once.
TICKETS_KEPT_UPLOAD_HOURS = _env_int("TICKETS_KEPT_UPLOAD_HOURS", 24)
TICKETS_KEPT_UPLOAD_MAX_BYTES = _env_int("TICKETS_KEPT_UPLOAD_MAX_MB", 50) * 1024 * 1024
# A resolved ticket the customer does not answer closes after this many days.
TICKETS_AUTO_CLOSE_DAYS = _env_int("TICKETS_AUTO_CLOSE_DAYS", 7)
# Agents are warned this many minutes before a response falls due.
TICKETS_BREACH_WARNING_MINUTES = _env_int("TICKETS_BREACH_WARNING_MINUTES", 60)
CELERY_BEAT_SCHEDULE["tickets-close-resolved"] = {
    "task": "tickets.tasks.close_resolved_tickets",
    "schedule": 60 * 60,
}
CELERY_BEAT_SCHEDULE["tickets-warn-breaches"] = {
    "task": "tickets.tasks.warn_of_coming_breaches",
    "schedule": 5 * 60,
}
CELERY_BEAT_SCHEDULE["tickets-purge-pending-uploads"] = {
    "task": "tickets.tasks.purge_pending_uploads",
    "schedule": 60 * 60,
}
# The agents' dashboard charts past days from summary rows, counted again every hour.
CELERY_BEAT_SCHEDULE["tickets-summarise-days"] = {
    "task": "tickets.tasks.summarise_days",
    "schedule": 60 * 60,
}

# --- Email channel (mailin) ----------------------------------------------------------
# Support mailboxes to poll, comma-separated: imaps://user%40example.com:password@host/INBOX.
# Without one, nothing polls and email replies are off (README, "Email channel").
INBOUND_IMAP_URL = _env_list("INBOUND_IMAP_URL", [])
# The domain of the signed reply addresses (support+T-26-00123.<signature>@domain) and of
# the notifications' Message-IDs; its MX must deliver to the first mailbox.
INBOUND_REPLY_DOMAIN = os.environ.get("INBOUND_REPLY_DOMAIN", "")
INBOUND_REPLY_LOCAL_PART = os.environ.get("INBOUND_REPLY_LOCAL_PART", "support")
INBOUND_POLL_SECONDS = _env_int("INBOUND_POLL_SECONDS", 60)
# Past this many emails an hour from one sender, the rest are kept as "throttled".
INBOUND_MAX_PER_SENDER_PER_HOUR = 20
if INBOUND_IMAP_URL:
    CELERY_BEAT_SCHEDULE["mailin-poll"] = {
        "task": "mailin.tasks.poll_mailboxes",
        "schedule": INBOUND_POLL_SECONDS,
    }

# --- Billing data: invoices, contracts and usage (the billing app owns this section) ---
# A request to /api/v1/ whose body is larger is refused (413) before it is read; the
# largest is a bulk of call records (BILLING_IMPORT_MAX_ROWS rows of some 150 bytes).
BILLING_API_MAX_BODY_BYTES = _env_int("BILLING_API_MAX_BODY_MB", 200) * 1024 * 1024
BILLING_IMPORT_MAX_ROWS = _env_int("BILLING_IMPORT_MAX_ROWS", 100_000)
# Rows of a bulk import are written in batches of this many, each all or nothing.
BILLING_IMPORT_BATCH_ROWS = _env_int("BILLING_IMPORT_BATCH_ROWS", 5000)
# Call records are kept this many months (whole months before the current one): older
# monthly partitions are dropped by the daily job, and older records are refused.
CALL_RECORDS_KEEP_MONTHS = _env_int("CALL_RECORDS_KEEP_MONTHS", 24)
# Partitions are made this many months ahead of the current one.
CALL_RECORDS_MONTHS_AHEAD = 2
CELERY_BEAT_SCHEDULE["billing-call-record-partitions"] = {
    "task": "billing.tasks.maintain_call_record_partitions",
    "schedule": 24 * 60 * 60,
}

# --- Privacy: account deletion and the data export (accounts.privacy) -----------------
# A closed customer's requests, messages and attachments are kept, without names, this
# many days and then purged (README, "Privacy", says why one year).
DATA_RETENTION_DAYS = _env_int("DATA_RETENTION_DAYS", 365)
# A "Download my data" link works this many hours; then the file is deleted.
DATA_EXPORT_HOURS = _env_int("DATA_EXPORT_HOURS", 24)
DATA_EXPORTS_PER_DAY = _env_int("DATA_EXPORTS_PER_DAY", 3)
CELERY_BEAT_SCHEDULE["privacy-purge-closed-customers"] = {
    "task": "accounts.privacy.tasks.purge_closed_customers",
    "schedule": 24 * 60 * 60,
}
CELERY_BEAT_SCHEDULE["privacy-expire-exports"] = {
    "task": "accounts.privacy.tasks.expire_data_exports",
    "schedule": 15 * 60,
}

# --- Support PIN (the supportpin app owns this section) -------------------------------
# Without FIELD_ENCRYPTION_KEY, development derives the key of the PIN secrets from
# SECRET_KEY; with DEBUG off the portal refuses to store or read a PIN secret.
SUPPORT_PIN_DEV_KEY_FROM_SECRET_KEY = DEBUG
# Guessing limits, counted per login across all agents and channels, and per agent.
SUPPORT_PIN_SOFT_LOCK_FAILURES = 5
SUPPORT_PIN_SOFT_LOCK_MINUTES = 30
SUPPORT_PIN_HARD_LOCK_FAILURES = 10
SUPPORT_PIN_AGENT_FAILURES_PER_HOUR = 30
SUPPORT_PIN_VERIFIED_MINUTES = 15

# --- Metrics (/metrics, Prometheus) ---------------------------------------------------
# Who may read /metrics: client addresses or networks (comma separated, counted as
# portal.net.client_ip counts them, so behind TRUSTED_PROXY_COUNT proxies), and anyone who
# sends `Authorization: Bearer <METRICS_TOKEN>`. With neither set, /metrics is off (404).
METRICS_ALLOWED_IPS = _env_list("METRICS_ALLOWED_IPS", [])
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
# The portal's own figures count what happened in this window (SMS, logins, PIN checks,
# first answers), so that a scrape reads an index, never a whole table.
METRICS_WINDOW_HOURS = 24

# --- Security -------------------------------------------------------------------------
# Sessions live in the database (Django's database engine, whose read is a prepared
# statement: portal/sessions.py), not in Redis: Redis going down signs nobody out, and the
# Security page can end any of them.
SESSION_ENGINE = "portal.sessions"
# The login history (every attempt to log in) is kept this many days, then purged; a
# sign-in from a browser and system not seen within it is emailed to the login's owner.
LOGIN_HISTORY_DAYS = _env_int("LOGIN_HISTORY_DAYS", 90)
# A signed-in session's "last active" moves at most this often.
SESSION_ACTIVITY_SECONDS = 60
CELERY_BEAT_SCHEDULE["accounts-purge-login-history"] = {
    "task": "accounts.tasks.purge_login_history",
    "schedule": 24 * 60 * 60,
}
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = _env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # The billing API answers plain HTTP with a refusal instead of a redirect, which a
    # client would follow by sending its token in clear again, every time.
    # Prometheus scrapes each web machine directly, on the private network (README,
    # "Metrics"), as the load balancer's health check reaches /healthz.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$", r"^api/"]

# Content-Security-Policy: our pages and the admin load scripts, styles, images and fonts
# from the portal only, with no inline script or style. DEBUG reports violations in the
# browser's console without blocking, so that a new page can be tried before it is enforced.
_CSP_DIRECTIVES = {
    "default-src": [SELF],
    "script-src": [SELF],
    "style-src": [SELF],
    "img-src": [SELF],
    "font-src": [SELF],
    "connect-src": [SELF],
    "form-action": [SELF],
    "base-uri": [SELF],
    "object-src": [NONE],
    "frame-ancestors": [NONE],
}
if DEBUG:
    CONTENT_SECURITY_POLICY = None
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": _CSP_DIRECTIVES}
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": _CSP_DIRECTIVES}
    CONTENT_SECURITY_POLICY_REPORT_ONLY = None

# --- Logs and error reports (portal/logs.py, portal/errors.py) ------------------------
# LOG_FORMAT: json (one object a line, the default with DEBUG off) or text (for people,
# the default with DEBUG on). Every record has the request id and the login id; secrets
# are redacted.
LOG_FORMAT = os.environ.get("LOG_FORMAT") or ("text" if DEBUG else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise RuntimeError("LOG_FORMAT must be json or text.")
LOGGING = logging_config(level=os.environ.get("LOG_LEVEL", "INFO"), fmt=LOG_FORMAT)
# The worker and beat log through LOGGING too, not through Celery's own handler.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    init_sentry(
        dsn=SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )
