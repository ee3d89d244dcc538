"""The private files folder as a whole: what no row names any more.

Every file under PRIVATE_MEDIA_ROOT belongs to a row (an attachment, its thumbnail, a kept
upload, a received email, a data export...): each is written just before the row that
names it, in the same request, and deleted once that row is gone. A process killed
between the two (a web worker killed during a request with an upload) leaves a file no row
names. The daily sweep deletes such files once they are older than
PRIVATE_ORPHAN_FILES_HOURS, so that a file whose row is still being written (a request in
flight) is never taken. It knows no app: it asks every model's file fields.
"""

import logging
import os
from datetime import datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db.models import FileField

logger = logging.getLogger(__name__)


def _named_files(root: Path) -> set[Path]:
    named = set()
    for model in apps.get_models():
        for field in model._meta.fields:
            if not isinstance(field, FileField):
                continue
            location = Path(field.storage.location).resolve()
            if not location.is_relative_to(root):
                continue
            names = (
                model._default_manager.exclude(**{field.name: ""})
                .values_list(field.name, flat=True)
                .iterator(chunk_size=5000)
            )
            named.update((location / name).resolve() for name in names if name)
    return named


def private_orphans_purge(*, older_than: datetime) -> int:
    """Delete the files under PRIVATE_MEDIA_ROOT that no row names and that were last
    written before `older_than`. Returns how many were deleted."""
    root = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    if not root.exists():
        return 0
    named = _named_files(root)
    cutoff = older_than.timestamp()
    deleted = 0
    for folder, _subfolders, files in os.walk(root):
        for file_name in files:
            path = Path(folder, file_name).resolve()
            if path in named or path.stat().st_mtime >= cutoff:
                continue
            path.unlink(missing_ok=True)
            logger.warning("Deleted %s: no row names it (its request never finished)", path)
            deleted += 1
    return deleted
