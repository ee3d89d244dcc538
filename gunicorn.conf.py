"""gunicorn reads this file from the directory it starts in (`gunicorn portal.wsgi:application`).

gunicorn has no setting for its `Server` response header; the value it sends is the module
name `SERVER`, read when each response is made. An empty value names neither the server nor
its version, which only helps someone looking for a vulnerable release.
"""

import os

import gunicorn.http.wsgi

gunicorn.http.wsgi.SERVER = ""

wsgi_app = "portal.wsgi:application"


# The garbage collector runs between requests, not inside them (portal/collector.py).
def post_worker_init(worker) -> None:
    from gunicorn.workers.sync import SyncWorker

    from portal import collector

    collector.worker_ready(between_requests=isinstance(worker, SyncWorker))


def post_request(worker, req, environ, resp) -> None:
    from portal import collector

    collector.request_done()


# With PROMETHEUS_MULTIPROC_DIR set, every worker writes its django-prometheus counters to
# files there and /metrics adds them up (README, "Metrics"). Files left by a previous run
# would be added too, so the folder is emptied when gunicorn starts; a worker that exits
# leaves its counters, and its live gauges are dropped.
def on_starting(server) -> None:
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        os.makedirs(folder, exist_ok=True)
        for name in os.listdir(folder):
            if name.endswith(".db"):
                os.remove(os.path.join(folder, name))


def child_exit(server, worker) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
