"""`python manage.py backup DIR`: the database (pg_dump, custom format) and the private
files (a tar of PRIVATE_MEDIA_ROOT) into DIR, with a manifest of their checksums.
Restore with `python manage.py restore DIR` (README, "Backups")."""

import hashlib
import json
import os
import shutil
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

DUMP = "database.dump"
FILES = "private-files.tar.gz"
MANIFEST = "manifest.json"


def pg_environment() -> tuple[list[str], dict[str, str]]:
    """pg_dump/pg_restore arguments and environment for the configured database."""
    params = connection.settings_dict
    if connection.vendor != "postgresql":
        raise CommandError("Backups are made of PostgreSQL; the SQLite file can be copied.")
    args = ["-h", params["HOST"] or "127.0.0.1", "-p", str(params["PORT"] or 5432)]
    args += ["-U", params["USER"] or "postgres"]
    env = {"PGPASSWORD": params["PASSWORD"] or ""}
    return args, env


def program(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise CommandError(f"{name} is not installed (Debian: apt-get install postgresql-client).")
    return path


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class Command(BaseCommand):
    help = "Back up the database and the private files into a folder."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("folder", type=Path)

    def handle(self, *args: object, folder: Path, **options: object) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        pg_args, pg_env = pg_environment()
        subprocess.run(  # noqa: S603 (arguments from the settings and the command line)
            [program("pg_dump"), "-Fc", "--no-owner", *pg_args, "-f", str(folder / DUMP),
             connection.settings_dict["NAME"]],
            env={**os.environ, **pg_env},
            check=True,
        )  # fmt: skip
        root = Path(settings.PRIVATE_MEDIA_ROOT)
        with tarfile.open(folder / FILES, "w:gz") as archive:
            if root.exists():
                archive.add(root, arcname=".")
        manifest = {
            "made_at": timezone.now().isoformat(),
            "files": {name: sha256(folder / name) for name in (DUMP, FILES)},
        }
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=2))
        self.stdout.write(f"Backed up the database and {root} into {folder}.")
