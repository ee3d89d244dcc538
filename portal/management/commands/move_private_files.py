"""Move the private files from the folder (PRIVATE_MEDIA_ROOT) to the bucket of
PRIVATE_STORAGE_URL (`--to s3`), or back (`--to local`).

Each file is copied under the same name, read back and compared by SHA-256 with the
original, and only then is the original deleted. Interrupted, it is simply run again: a
file already at the destination with the same checksum is not copied again (its original
is deleted), one that differs (a copy cut short) is copied anew.
"""

import hashlib

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.core.management.base import BaseCommand, CommandError, CommandParser

from portal.files import private_files
from portal.storage import LocalPrivateStorage, private_storage_settings

BLOCK = 1024 * 1024


def sha256_of(storage: Storage, name: str) -> str:
    digest = hashlib.sha256()
    with storage.open(name, "rb") as handle:
        for block in iter(lambda: handle.read(BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()


class Command(BaseCommand):
    help = (
        "Move the private files from the folder to the bucket of PRIVATE_STORAGE_URL "
        "(--to s3) or back (--to local), each checked by SHA-256. Run it again after an "
        "interruption."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--to", choices=["s3", "local"], required=True)

    def handle(self, *args: object, to: str, **options: object) -> None:
        if not settings.PRIVATE_STORAGE_URL:
            raise CommandError("PRIVATE_STORAGE_URL is not set: it names the bucket.")
        local = LocalPrivateStorage()
        bucket = storages.create_storage(private_storage_settings(settings.PRIVATE_STORAGE_URL))
        source, target = (local, bucket) if to == "s3" else (bucket, local)
        moved = already = 0
        for name in list(private_files(storage=source)):
            checksum = sha256_of(source, name)
            if target.exists(name) and sha256_of(target, name) == checksum:
                already += 1
            else:
                if target.exists(name):
                    target.delete(name)  # a copy cut short by an earlier run
                with source.open(name, "rb") as handle:
                    stored = target.save(name, File(handle, name=name))
                if stored != name or sha256_of(target, stored) != checksum:
                    raise CommandError(
                        f"{name}: the copy at the destination differs from the original, "
                        "which is kept. Nothing after it was moved; run the command again."
                    )
                moved += 1
            source.delete(name)
            if options["verbosity"] > 1:
                self.stdout.write(name)
        self.stdout.write(
            f"Moved {moved} files to {'the bucket' if to == 's3' else 'the folder'}; "
            f"{already} already there (same SHA-256)."
        )
