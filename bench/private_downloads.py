"""Download of a 10 MB private file from the bucket: streamed by the portal (FileResponse
over the S3 object, as tickets/views.py does) against a redirect to a presigned URL
(60 seconds, Content-Disposition: attachment) fetched by the client. Against moto_server on
this machine (tests/s3_standin.py), so network time is left out: what remains is the
portal's own work per download. Run: .venv/bin/python bench/private_downloads.py
"""

import os
import statistics
import sys
import time
import tracemalloc
import urllib.request
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DATABASE_URL", "sqlite://")

from tests.s3_standin import CREDENTIALS, S3Standin, client  # noqa: E402

SIZE = 10 * 1024 * 1024
ROUNDS = 7


def main() -> None:
    os.environ.update(CREDENTIALS)
    server = S3Standin().wait_ready()
    try:
        bucket = f"bench-{uuid.uuid4().hex[:12]}"
        client(server.endpoint).create_bucket(
            Bucket=bucket,
            CreateBucketConfiguration={"LocationConstraint": CREDENTIALS["AWS_DEFAULT_REGION"]},
        )
        os.environ["PRIVATE_STORAGE_URL"] = (
            f"s3://{bucket}/private?endpoint={server.endpoint}&region=eu-central-1"
        )
        import django

        django.setup()
        from django.core.files.base import ContentFile
        from django.http import FileResponse

        from portal.storage import DOWNLOAD_BLOCK_SIZE, private_file_response, private_storage

        name = private_storage.save("bench/ten-megabytes.bin", ContentFile(os.urandom(SIZE)))

        def stream(*, opened: bool = False) -> tuple[float, int, int]:
            """Returns (seconds to the first block, bytes, peak memory of the portal)."""
            tracemalloc.start()
            start = time.perf_counter()
            if opened:  # the storage's open(): the whole object copied first
                response = FileResponse(private_storage.open(name), as_attachment=True)
            else:
                response = private_file_response(name, as_attachment=True)
            blocks = iter(response.streaming_content)
            received = len(next(blocks))
            first = time.perf_counter() - start
            received += sum(len(block) for block in blocks)
            response.close()
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            return first, received, peak

        def redirect() -> tuple[float, int, int]:
            tracemalloc.start()
            start = time.perf_counter()
            url = private_storage.url(
                name,
                parameters={"ResponseContentDisposition": 'attachment; filename="a.bin"'},
                expire=60,
            )
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            # The browser's second request, straight to the bucket.
            with urllib.request.urlopen(url) as answer:  # noqa: S310 (the presigned http URL)
                first_block = answer.read(DOWNLOAD_BLOCK_SIZE)
                first = time.perf_counter() - start
                received = len(first_block) + sum(
                    len(block) for block in iter(lambda: answer.read(DOWNLOAD_BLOCK_SIZE), b"")
                )
            return first, received, peak

        for label, download in (
            (
                "streamed by the portal, storage open() (whole object first)",
                lambda: stream(opened=True),
            ),
            ("streamed by the portal, straight from the GET (chosen)", stream),
            ("redirect to a presigned URL", redirect),
        ):
            download()  # warm-up: connections, imports
            totals, firsts, peaks = [], [], []
            for _ in range(ROUNDS):
                start = time.perf_counter()
                first, received, peak = download()
                totals.append(time.perf_counter() - start)
                assert received == SIZE
                firsts.append(first)
                peaks.append(peak)
            print(
                f"{label}: total median {statistics.median(totals) * 1000:.0f} ms "
                f"(max {max(totals) * 1000:.0f}), first block median "
                f"{statistics.median(firsts) * 1000:.1f} ms, portal peak memory "
                f"{max(peaks) / 1024 / 1024:.2f} MB"
            )
    finally:
        server.stop()


if __name__ == "__main__":
    main()
