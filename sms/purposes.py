"""What an SMS is for, as each caller names it.

The gateway knows no caller: an app that sends SMS registers its purpose and the label
people read (in its AppConfig.ready) and passes the purpose to `sms_queue`. The model's
`purpose` field takes its choices from here, so the admin shows and filters by the label.
"""

from django.utils.functional import Promise

_labels: dict[str, str | Promise] = {}


def register_purpose(value: str, label: str | Promise) -> None:
    _labels[value] = label


def purpose_choices() -> list[tuple[str, str | Promise]]:
    return sorted(_labels.items())
