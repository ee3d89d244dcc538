"""Celery tasks of the Support PIN. Arguments are ids only: the PIN is computed by the
task at send time and never travels through the broker."""

from celery import Task, shared_task

from sms import SmsTransientError
from sms.services import sms_deliver
from supportpin.sms import render_pin_sms


def retry_delay(retries: int) -> int:
    """Exponential backoff: 5 s, 10 s, 20 s, 40 s, then every minute."""
    return min(5 * 2**retries, 60)


@shared_task(bind=True, max_retries=None)
def send_support_pin_sms(self: Task, sms_id: int) -> None:
    """Send a PIN by SMS. While the provider fails for a while (5xx, 429, a timeout), try
    again until the PIN it carries stops being accepted: then the record is marked expired
    (by the claim in `sms_deliver`, or the sweep), and nothing is sent after that."""
    try:
        sms_deliver(sms_id=sms_id, render=render_pin_sms)
    except SmsTransientError:
        raise self.retry(countdown=retry_delay(self.request.retries)) from None
