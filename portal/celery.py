"""The Celery application. Broker and behaviour come from Django settings (CELERY_*)."""

import os

from celery import Celery
from celery.signals import beat_init, before_task_publish, task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@beat_init.connect
def _one_beat_at_a_time(sender: object, **kwargs: object) -> None:
    from portal.beatlock import hold_beat_lock

    hold_beat_lock()


@before_task_publish.connect
def _request_id_goes_with_the_task(headers: dict | None = None, **kwargs: object) -> None:
    from portal.logs import task_publish_headers

    if headers is not None:
        task_publish_headers(headers)


@task_prerun.connect
def _task_logs_with_its_request_id(task_id: str, task: object, **kwargs: object) -> None:
    from portal.logs import task_started

    task_started(task_id, task)


@task_postrun.connect
def _task_forgets_its_request_id(task_id: str, **kwargs: object) -> None:
    from portal.logs import task_finished

    task_finished(task_id)
