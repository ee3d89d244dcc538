"""Where private files live: a local folder (the default) or an S3-compatible bucket.

Every private FileField names `private_storage`, which forwards each call to
STORAGES["private"], read at each use: PRIVATE_STORAGE_URL chooses it at start-up, and a
test (or `manage.py move_private_files`) may put another one in its place. Neither backend
gives a file a public URL; the views check access and stream the file.
"""

from datetime import datetime
from pathlib import Path
from typing import IO, Any
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.http import FileResponse

LOCAL_BACKEND = "portal.storage.LocalPrivateStorage"
S3_BACKEND = "storages.backends.s3.S3Storage"


def private_storage_settings(url: str) -> dict[str, Any]:
    """The STORAGES entry for PRIVATE_STORAGE_URL: `s3://bucket/prefix?endpoint=URL&region=R`
    for a bucket (credentials from the usual AWS_* variables), empty for the local folder
    PRIVATE_MEDIA_ROOT."""
    if not url:
        return {"BACKEND": LOCAL_BACKEND}
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.netloc:
        raise ImproperlyConfigured(
            "PRIVATE_STORAGE_URL must look like s3://bucket/prefix?endpoint=URL&region=NAME"
        )
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    unknown = sorted(set(query) - {"endpoint", "region"})
    if unknown:
        raise ImproperlyConfigured(f"PRIVATE_STORAGE_URL: unknown parameters {unknown}")
    return {
        "BACKEND": S3_BACKEND,
        "OPTIONS": {
            "bucket_name": parts.netloc,
            "location": parts.path.strip("/"),
            "endpoint_url": query.get("endpoint"),
            "region_name": query.get("region"),
            # Never replace a file of the same name: Django picks another, as on disk.
            "file_overwrite": False,
            # Objects take the bucket's own (private) access; presigned links, where any
            # are made, last a minute at most.
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 60,
            # A file opened to be read (a thumbnail made, an export written) is copied
            # into memory up to this size, into a temporary file past it.
            "max_memory_size": 2 * 1024 * 1024,
        },
    }


class LocalPrivateStorage(FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT, which no URL serves. The root is read on each use so
    tests can move it."""

    def __init__(self, **options: Any) -> None:
        super().__init__(base_url=None, **options)

    @property
    def base_location(self) -> Path:
        return Path(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self) -> str:
        return str(Path(settings.PRIVATE_MEDIA_ROOT).resolve())

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no public URL.")


class PrivateStorage(Storage):
    """Forwards each call to STORAGES["private"] (see the module's docstring)."""

    @property
    def backend(self) -> Storage:
        return storages["private"]

    @property
    def is_local(self) -> bool:
        return isinstance(self.backend, FileSystemStorage)

    def open(self, name: str, mode: str = "rb") -> Any:
        return self.backend.open(name, mode)

    def save(self, name: str | None, content: IO[Any], max_length: int | None = None) -> str:
        return self.backend.save(name, content, max_length=max_length)

    def delete(self, name: str) -> None:
        self.backend.delete(name)

    def exists(self, name: str) -> bool:
        return self.backend.exists(name)

    def listdir(self, path: str) -> tuple[list[str], list[str]]:
        return self.backend.listdir(path)

    def size(self, name: str) -> int:
        return self.backend.size(name)

    def path(self, name: str) -> str:
        return self.backend.path(name)

    def url(self, name: str | None, **kwargs: Any) -> str:
        return self.backend.url(name, **kwargs)

    def get_valid_name(self, name: str) -> str:
        return self.backend.get_valid_name(name)

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        return self.backend.get_available_name(name, max_length=max_length)

    def generate_filename(self, filename: str) -> str:
        return self.backend.generate_filename(filename)

    def get_modified_time(self, name: str) -> datetime:
        return self.backend.get_modified_time(name)

    def get_created_time(self, name: str) -> datetime:
        return self.backend.get_created_time(name)

    def get_accessed_time(self, name: str) -> datetime:
        return self.backend.get_accessed_time(name)


private_storage = PrivateStorage()


# Blocks read from the file and written to the client: 64 KB, not FileResponse's 4 KB.
DOWNLOAD_BLOCK_SIZE = 64 * 1024


def private_file_response(name: str, **kwargs: Any) -> FileResponse:
    """A FileResponse streaming a private file block by block, from the folder or straight
    from the bucket's GET (not first copied whole, as opening an S3 file would do)."""
    backend = private_storage.backend
    if isinstance(backend, FileSystemStorage):
        response = FileResponse(backend.open(name, "rb"), **kwargs)
    else:
        from storages.utils import clean_name

        key = backend._normalize_name(clean_name(name))
        answer = backend.connection.meta.client.get_object(Bucket=backend.bucket_name, Key=key)
        response = FileResponse(answer["Body"], **kwargs)
        response["Content-Length"] = answer["ContentLength"]
    response.block_size = DOWNLOAD_BLOCK_SIZE
    return response
