"""Error reports to Sentry when SENTRY_DSN is set (README, "Logs and error reports").

No personal data is sent by default (send_default_pii=False), and `before_send` redacts
the same names as the logs do (portal.logs.scrub) everywhere in the event: request data,
headers, cookies, local variables, extra fields, breadcrumbs. Each event is tagged with the
request id, so that the logs of the request and its tasks are one search away.
"""

from typing import Any

from portal.logs import current_user_id, request_id_var, scrub


def before_send(event: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any]:
    request_id = request_id_var.get()
    tags = event.setdefault("tags", {})
    if request_id and isinstance(tags, dict):
        tags.setdefault("request_id", request_id)
    user_id = current_user_id()
    if user_id is not None:
        # The login id only: no name, email or address (send_default_pii is off).
        event["user"] = {"id": str(user_id)}
    return scrub(event)


def before_breadcrumb(crumb: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any]:
    return scrub(crumb)


def init_sentry(*, dsn: str, environment: str, traces_sample_rate: float) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        send_default_pii=False,
        traces_sample_rate=traces_sample_rate,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        before_send=before_send,
        before_breadcrumb=before_breadcrumb,
    )
