"""Celery tasks of the gateway itself; each caller has its own sending task."""

from celery import shared_task

from sms.services import sms_close_abandoned, sms_requeue_waiting


@shared_task
def close_abandoned_sms() -> None:
    """Every few minutes (CELERY_BEAT_SCHEDULE): close SMS records that no task will
    finish, so people see expired or outcome unknown instead of queued or sending."""
    sms_close_abandoned()


@shared_task
def requeue_waiting_sms() -> int:
    """Every SMS_SWEEP_SECONDS (CELERY_BEAT_SCHEDULE): hand queued SMS whose task was lost
    or never published (the broker was down) to their tasks again."""
    return sms_requeue_waiting()
