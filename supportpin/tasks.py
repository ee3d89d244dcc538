"""Celery tasks of the Support PIN. Arguments are ids only: the PIN is computed by the
task at send time and never travels through the broker."""

from celery import Task, shared_task

from sms import SmsTransientError
from sms.services import sms_deliver, sms_give_up
from supportpin.sms import render_pin_sms

MAX_RETRIES = 6


def retry_delay(retries: int) -> int:
    """Exponential backoff: 5 s, 10 s, 20 s, ... at most 5 minutes."""
    return min(5 * 2**retries, 300)


@shared_task(bind=True, max_retries=MAX_RETRIES)
def send_support_pin_sms(self: Task, sms_id: int) -> None:
    try:
        sms_deliver(sms_id=sms_id, render=render_pin_sms)
    except SmsTransientError as error:
        if self.request.retries >= MAX_RETRIES:
            sms_give_up(sms_id=sms_id, error_message=error.message)
            return
        raise self.retry(countdown=retry_delay(self.request.retries)) from None
