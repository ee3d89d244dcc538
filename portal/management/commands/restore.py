"""`python manage.py restore DIR`: a backup made by `backup` into the configured database,
which must be empty (a new one), and the private files into PRIVATE_MEDIA_ROOT, which must
be empty or missing. Checksums are verified first."""

import json
import os
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from portal.management.commands.backup import (
    DUMP,
    FILES,
    MANIFEST,
    pg_environment,
    program,
    sha256,
)


class Command(BaseCommand):
    help = "Restore a backup into an empty database and private files folder."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("folder", type=Path)

    def handle(self, *args: object, folder: Path, **options: object) -> None:
        manifest = json.loads((folder / MANIFEST).read_text())
        for name, checksum in manifest["files"].items():
            if sha256(folder / name) != checksum:
                raise CommandError(f"{name} does not match its checksum: the backup is damaged.")
        if connection.introspection.table_names():
            raise CommandError("The database is not empty: restore into a new one.")
        root = Path(settings.PRIVATE_MEDIA_ROOT)
        if root.exists() and any(root.iterdir()):
            raise CommandError(f"{root} is not empty: restore into a new folder.")
        pg_args, pg_env = pg_environment()
        subprocess.run(  # noqa: S603 (arguments from the settings and the command line)
            [program("pg_restore"), "--no-owner", "--exit-on-error", *pg_args,
             "-d", connection.settings_dict["NAME"], str(folder / DUMP)],
            env={**os.environ, **pg_env},
            check=True,
        )  # fmt: skip
        root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(folder / FILES, "r:gz") as archive:
            archive.extractall(root, filter="data")
        self.stdout.write(f"Restored the backup of {manifest['made_at']} from {folder}.")
