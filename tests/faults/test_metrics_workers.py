"""/metrics behind gunicorn with several workers: with PROMETHEUS_MULTIPROC_DIR each worker
writes its counters to a file there and any worker's scrape adds them all up, so that the
requests counted are all the requests served, even those of a worker that died."""

import os
import re
import shutil
import signal
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import prometheus_client
import pytest
import requests
from prometheus_client import multiprocess

from tests.faults.processes import Gunicorn, wait_until

pytestmark = pytest.mark.faults

TOKEN = "scrape-token-of-the-test"


def _healthz_requests(body: str) -> float:
    """Requests to /healthz, summed over the sample lines of every method and transport."""
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in body.splitlines()
        if line.startswith("django_http_requests_total_by_view_transport_method_total{")
        and 'view="healthz"' in line
    )


def _worker_pids(folder: Path) -> set[int]:
    return {
        int(match[1]) for name in os.listdir(folder) if (match := re.search(r"_(\d+)\.db$", name))
    }


def _healthz_requests_of(folder: Path, pid: int, tmp_path: Path) -> float:
    """What one worker counted: its files alone, read as a scrape reads them all."""
    alone = tmp_path / f"worker-{pid}"
    alone.mkdir()
    for name in os.listdir(folder):
        if name.endswith(f"_{pid}.db"):
            shutil.copy(folder / name, alone / name)
    registry = prometheus_client.CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=str(alone))
    return _healthz_requests(prometheus_client.generate_latest(registry).decode())


def test_a_scrape_adds_up_the_counters_of_every_worker(env, started, tmp_path):
    folder = tmp_path / "prometheus"
    folder.mkdir()
    # A previous run's counters, which gunicorn must clear when it starts.
    (folder / "counter_999999.db").write_bytes(b"stale")
    env = {**env, "PROMETHEUS_MULTIPROC_DIR": str(folder), "METRICS_TOKEN": TOKEN}
    web = started(Gunicorn(env, tmp_path, workers=2))

    def scrape() -> str:
        response = requests.get(
            f"{web.url}/metrics", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10
        )
        assert response.status_code == 200, web.output()
        return response.text

    # Two threads at a time, each a new connection: both workers take some.
    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(
            pool.map(lambda _: requests.get(f"{web.url}/healthz", timeout=10), range(40))
        )
    assert all(answer.status_code == 200 for answer in answers)
    assert 999999 not in _worker_pids(folder)
    served = {pid: _healthz_requests_of(folder, pid, tmp_path) for pid in _worker_pids(folder)}
    assert len(served) == 2
    assert all(served.values()), f"both workers should have served some: {served}"
    assert _healthz_requests(scrape()) == 40

    # A worker killed is replaced; what it had counted still counts.
    os.kill(max(served, key=served.get), signal.SIGKILL)
    assert wait_until(lambda: len(_worker_pids(folder)) == 3, timeout=30), web.output()
    for _ in range(5):
        assert requests.get(f"{web.url}/healthz", timeout=10).status_code == 200
    assert _healthz_requests(scrape()) == 45
