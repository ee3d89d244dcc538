"""/metrics for Prometheus: who may read it, and the portal's own figures.

django-prometheus counts requests, latency, database queries and cache reads in each
process (README, "Metrics", says how several gunicorn workers add up). The portal's own
figures are read from the database (and the Celery queue from Redis) when Prometheus
scrapes, so that they are right whichever process changed them. Each is one aggregate
over an index: the open requests (a partial index), or what happened in the last
METRICS_WINDOW_HOURS (an index on the time), never a whole table.
"""

import hmac
import ipaddress
import logging
import os
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from functools import cache

import prometheus_client
import redis
from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, Min, OuterRef, Q
from django.http import HttpRequest
from django.utils import timezone
from prometheus_client import multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from accounts.models import LoginAttempt
from outbox.models import OutboundEmail
from portal.celery import app as celery_app
from portal.net import client_ip
from sms.models import SmsMessage
from sms.purposes import purpose_choices
from supportpin.models import VerificationAttempt
from tickets.models import Priority, Ticket, TicketMessage

logger = logging.getLogger(__name__)

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# kombu's Redis transport keeps a queue's tasks sent with a priority in lists of their
# own, named after the queue with this separator and the priority step (0 is the queue).
_PRIORITY_SEPARATOR = "\x06\x16"
_PRIORITY_STEPS = (0, 3, 6, 9)


@cache
def _networks(entries: tuple[str, ...]) -> tuple[IpNetwork, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def metrics_enabled() -> bool:
    return bool(settings.METRICS_ALLOWED_IPS or settings.METRICS_TOKEN)


def metrics_reader_allowed(request: HttpRequest) -> bool:
    """A bearer token equal to METRICS_TOKEN, or a client address in METRICS_ALLOWED_IPS
    (the address portal.net.client_ip takes, as lockouts and the login history do)."""
    token = settings.METRICS_TOKEN
    scheme, _space, offered = request.headers.get("Authorization", "").partition(" ")
    if (
        token
        and scheme.lower() == "bearer"
        and hmac.compare_digest(offered.strip().encode(), token.encode())
    ):
        return True
    if not settings.METRICS_ALLOWED_IPS:
        return False
    address = client_ip(request)
    if address is None:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _networks(tuple(settings.METRICS_ALLOWED_IPS)))


def exposition() -> bytes:
    """The text Prometheus reads: django-prometheus's counters (of this process, or of
    every gunicorn worker with PROMETHEUS_MULTIPROC_DIR), then the portal's figures."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        process_registry = prometheus_client.CollectorRegistry()
        multiprocess.MultiProcessCollector(process_registry)
    else:
        process_registry = prometheus_client.REGISTRY
    portal_registry = prometheus_client.CollectorRegistry(auto_describe=False)
    portal_registry.register(PortalCollector())
    return prometheus_client.generate_latest(process_registry) + prometheus_client.generate_latest(
        portal_registry
    )


def _labels(choices: Iterable[tuple[object, object]]) -> list[str]:
    return [str(value) for value, _label in choices]


def _priority_name(value: int) -> str:
    return Priority(value).name.lower()


class PortalCollector(Collector):
    """The portal's figures, read from the database at each scrape."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        now = timezone.now()
        since = now - timedelta(hours=settings.METRICS_WINDOW_HOURS)
        window = f"{settings.METRICS_WINDOW_HOURS}h"
        yield from _ticket_figures(now=now, since=since, window=window)
        yield from _sms_figures(since=since, window=window)
        yield from _outbox_figures(now=now)
        recent = {"since": since, "window": window}
        yield from _recent_counts(
            VerificationAttempt,
            "result",
            VerificationAttempt.Result.values,
            name="portal_pin_verifications",
            documentation=f"Support PIN checks by agents in the last {window}, by result.",
            **recent,
        )
        yield from _recent_counts(
            LoginAttempt,
            "outcome",
            LoginAttempt.Outcome.values,
            name="portal_logins",
            documentation=f"Attempts to log in in the last {window}, by outcome.",
            **recent,
        )
        yield from _celery_figures()


def _ticket_figures(*, now: datetime, since: datetime, window: str) -> Iterator[GaugeMetricFamily]:
    # The open requests, by priority, in one pass over the partial index tickets_open_now
    # (only its columns are named, so that PostgreSQL reads the index alone).
    open_rows = {
        row["priority"]: row
        for row in Ticket.objects.filter(status__in=Ticket.ACTIVE_STATUSES)
        .values("priority")
        .annotate(n=Count("priority"), overdue=Count("priority", filter=Q(response_due_at__lt=now)))
        .order_by()
    }
    opened = dict(
        Ticket.objects.filter(created_at__gte=since)
        .values_list("priority")
        .annotate(n=Count("priority"))
        .order_by()
    )
    is_open = GaugeMetricFamily(
        "portal_tickets_open",
        "Requests open now (new, open or waiting on the customer), by priority.",
        labels=["priority"],
    )
    overdue = GaugeMetricFamily(
        "portal_tickets_overdue",
        "Open requests whose owed answer is past its SLA due time now, by priority.",
        labels=["priority"],
    )
    opened_family = GaugeMetricFamily(
        "portal_tickets_opened",
        f"Requests opened in the last {window}, by priority.",
        labels=["priority", "window"],
    )
    for value in Priority.values:
        row = open_rows.get(value, {})
        is_open.add_metric([_priority_name(value)], row.get("n", 0))
        overdue.add_metric([_priority_name(value)], row.get("overdue", 0))
        opened_family.add_metric([_priority_name(value), window], opened.get(value, 0))
    yield is_open
    yield overdue
    yield opened_family

    # Each request's first answer, among the answers written in the window (the partial
    # index tickets_message_answered), and whether it came in time.
    earlier = TicketMessage.objects.filter(
        ticket=OuterRef("ticket"), sla_met__isnull=False, created_at__lt=OuterRef("created_at")
    )
    first = (
        TicketMessage.objects.filter(sla_met__isnull=False, created_at__gte=since)
        .exclude(Exists(earlier))
        .aggregate(
            in_time=Count("id", filter=Q(sla_met=True)),
            breached=Count("id", filter=Q(sla_met=False)),
        )
    )
    first_family = GaugeMetricFamily(
        "portal_first_responses",
        f"Requests' first answers given in the last {window}: in time, or after the SLA "
        "due time (breached).",
        labels=["result", "window"],
    )
    first_family.add_metric(["in_time", window], first["in_time"])
    first_family.add_metric(["breached", window], first["breached"])
    yield first_family


def _sms_figures(*, since: datetime, window: str) -> Iterator[GaugeMetricFamily]:
    counts = {
        (purpose, status): n
        for purpose, status, n in SmsMessage.objects.filter(created_at__gte=since)
        .values_list("purpose", "status")
        .annotate(n=Count("id"))
        .order_by()
    }
    family = GaugeMetricFamily(
        "portal_sms",
        f"SMS asked for in the last {window}, by purpose and by where they are now "
        "(queued, sending, sent, delivered, undelivered, failed, expired, unknown).",
        labels=["purpose", "status", "window"],
    )
    purposes = sorted(set(_labels(purpose_choices())) | {purpose for purpose, _status in counts})
    for purpose in purposes:
        for status in SmsMessage.Status.values:
            family.add_metric([purpose, status, window], counts.get((purpose, status), 0))
    yield family


def _outbox_figures(*, now: datetime) -> Iterator[GaugeMetricFamily]:
    # The index (status, due_at) answers both the counts and the earliest due time.
    rows = {
        row["status"]: row
        for row in OutboundEmail.objects.filter(
            status__in=[
                OutboundEmail.Status.PENDING,
                OutboundEmail.Status.SENDING,
                OutboundEmail.Status.FAILED,
            ]
        )
        .values("status")
        .annotate(n=Count("status"), earliest=Min("due_at"))
        .order_by()
    }
    emails = GaugeMetricFamily(
        "portal_outbox_emails",
        "Emails in the outbox waiting to be sent (pending), being sent, or given up "
        "(failed, kept for OUTBOX_KEEP_DAYS).",
        labels=["status"],
    )
    for status in ("pending", "sending", "failed"):
        emails.add_metric([status], rows.get(status, {}).get("n", 0))
    yield emails
    earliest = rows.get("pending", {}).get("earliest")
    late = GaugeMetricFamily(
        "portal_outbox_oldest_due_seconds",
        "How long the pending email due the earliest has been due (0 when none is late).",
    )
    late.add_metric([], max((now - earliest).total_seconds(), 0) if earliest else 0)
    yield late


def _recent_counts(
    model: type[models.Model],
    column: str,
    values: list[str],
    *,
    name: str,
    documentation: str,
    since: datetime,
    window: str,
) -> Iterator[GaugeMetricFamily]:
    """Rows of `model` created since `since`, counted by `column`: every value, zeros too."""
    counts = dict(
        model.objects.filter(created_at__gte=since)
        .values_list(column)
        .annotate(n=Count("pk"))
        .order_by()
    )
    family = GaugeMetricFamily(name, documentation, labels=[column, "window"])
    for value in values:
        family.add_metric([value, window], counts.get(value, 0))
    yield family


def celery_queue_length(broker_url: str, queue: str) -> int | None:
    """The tasks waiting in a Redis broker's queue (all its priority lists); None without
    a Redis broker, or when Redis cannot be reached."""
    if not broker_url.startswith(("redis://", "rediss://", "unix://")):
        return None
    keys = [f"{queue}{_PRIORITY_SEPARATOR}{step}" if step else queue for step in _PRIORITY_STEPS]
    client = redis.Redis.from_url(broker_url, socket_connect_timeout=0.5, socket_timeout=0.5)
    try:
        pipeline = client.pipeline(transaction=False)
        for key in keys:
            pipeline.llen(key)
        return sum(pipeline.execute())
    except (redis.RedisError, OSError) as error:
        logger.warning("Celery queue length skipped: Redis is unreachable (%s)", error)
        return None
    finally:
        client.close()


def _celery_figures() -> Iterator[GaugeMetricFamily]:
    queue = celery_app.conf.task_default_queue
    length = celery_queue_length(settings.CELERY_BROKER_URL, queue)
    if length is None:
        return
    family = GaugeMetricFamily(
        "portal_celery_queue_length",
        "Tasks waiting in the Celery queue for a worker.",
        labels=["queue"],
    )
    family.add_metric([queue], length)
    yield family
