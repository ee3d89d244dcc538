"""Celery tasks of accounts. Arguments are ids only: a code is put in the text by the
task at send time and never travels through the broker."""

from celery import Task, shared_task

from accounts.activity.services import login_history_purge
from accounts.mobile.texts import render_account_sms
from sms import SmsTransientError
from sms.services import sms_deliver, sms_give_up

MAX_RETRIES = 4


@shared_task(bind=True, max_retries=MAX_RETRIES)
def send_account_sms(self: Task, sms_id: int) -> None:
    """Send a code or a notice about the login's mobile (accounts.mobile.texts)."""
    try:
        sms_deliver(sms_id=sms_id, render=render_account_sms)
    except SmsTransientError as error:
        if self.request.retries >= MAX_RETRIES:
            sms_give_up(sms_id=sms_id, error_message=error.message)
            return
        # A code is worth little after minutes: retry soon, and not for long.
        raise self.retry(countdown=min(5 * 2**self.request.retries, 60)) from None


@shared_task
def purge_login_history() -> int:
    """Daily: the login history older than LOGIN_HISTORY_DAYS goes (one DELETE)."""
    return login_history_purge()
