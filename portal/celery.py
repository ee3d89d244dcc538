"""The Celery application. Broker and behaviour come from Django settings (CELERY_*)."""

import os

from celery import Celery
from celery.signals import beat_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@beat_init.connect
def _one_beat_at_a_time(sender: object, **kwargs: object) -> None:
    from portal.beatlock import hold_beat_lock

    hold_beat_lock()
