"""What an SMS is for, as each caller names it, and the task that sends it.

The gateway knows no caller: an app that sends SMS registers its purpose, the label people
read and the dotted path of its Celery task (in its AppConfig.ready), and passes the
purpose to `sms_queue`. The model's `purpose` field takes its choices from here, so the
admin shows and filters by the label; the gateway hands a queued SMS to its purpose's
task after commit, and again from the sweep when that task was lost.
"""

from django.utils.functional import Promise

_labels: dict[str, str | Promise] = {}
_tasks: dict[str, str] = {}


def register_purpose(value: str, label: str | Promise, *, task: str) -> None:
    _labels[value] = label
    _tasks[value] = task


def purpose_choices() -> list[tuple[str, str | Promise]]:
    return sorted(_labels.items())


def purpose_task(value: str) -> str:
    """The dotted path of the task that sends SMS of this purpose."""
    return _tasks[value]
