"""The private files as a whole: what no row names any more.

Every private file (under PRIVATE_MEDIA_ROOT, or in the bucket of PRIVATE_STORAGE_URL)
belongs to a row (an attachment, its thumbnail, a kept upload, a received email, a data
export...): each is written just before the row that names it, in the same request, and
deleted once that row is gone. A process killed between the two (a web worker killed
during a request with an upload) leaves a file no row names. The daily sweep deletes such
files once they are older than PRIVATE_ORPHAN_FILES_HOURS, so that a file whose row is
still being written (a request in flight) is never taken. It knows no app: it asks every
model's file fields.
"""

import logging
from collections.abc import Iterator
from datetime import datetime

from django.apps import apps
from django.core.files.storage import Storage
from django.db.models import FileField

from portal.storage import PrivateStorage, private_storage

logger = logging.getLogger(__name__)


def _named_files() -> set[str]:
    named = set()
    for model in apps.get_models():
        for field in model._meta.fields:
            if not isinstance(field, FileField) or not isinstance(field.storage, PrivateStorage):
                continue
            names = (
                model._default_manager.exclude(**{field.name: ""})
                .values_list(field.name, flat=True)
                .iterator(chunk_size=5000)
            )
            named.update(name for name in names if name)
    return named


def private_files(folder: str = "", *, storage: Storage = private_storage) -> Iterator[str]:
    """The name of every private file under `folder`, in the folder or in the bucket."""
    try:
        subfolders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    prefix = f"{folder.rstrip('/')}/" if folder else ""
    for file_name in files:
        yield prefix + file_name
    for subfolder in subfolders:
        yield from private_files(prefix + subfolder, storage=storage)


def private_orphans_purge(*, older_than: datetime) -> int:
    """Delete the private files that no row names and that were last written before
    `older_than`, in the folder or in the bucket. Returns how many were deleted."""
    named = _named_files()
    deleted = 0
    for name in private_files():
        if name in named or private_storage.get_modified_time(name) >= older_than:
            continue
        private_storage.delete(name)
        logger.warning(
            "Deleted private file %s: no row names it (its request never finished)", name
        )
        deleted += 1
    return deleted
