"""gunicorn's workers run the garbage collector between requests (portal/collector.py),
through the hooks of gunicorn.conf.py."""

import gc
import importlib.util
from pathlib import Path

import pytest

from portal import collector

ROOT = Path(__file__).resolve().parents[2]


def sync_worker():
    from gunicorn.workers.sync import SyncWorker

    return SyncWorker.__new__(SyncWorker)


@pytest.fixture
def gunicorn_conf():
    spec = importlib.util.spec_from_file_location("gunicorn_conf", ROOT / "gunicorn.conf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    thresholds = gc.get_threshold()
    yield module
    gc.unfreeze()
    gc.set_threshold(*thresholds)


def test_a_worker_freezes_what_it_loaded_and_collects_only_after_each_response(gunicorn_conf):
    gunicorn_conf.post_worker_init(worker=sync_worker())

    assert gc.get_freeze_count() > 10_000
    assert gc.get_threshold()[0] == collector.THRESHOLD
    # A request's worth of containers does not start a collection inside the request...
    made = [[n] for n in range(2_000)]
    assert gc.get_count()[0] >= 2_000
    # ...the one after the response has been sent empties the young generation.
    gunicorn_conf.post_request(worker=None, req=None, environ={}, resp=None)
    assert gc.get_count()[0] < 50
    assert made


def test_a_threaded_worker_freezes_but_keeps_pythons_collections(gunicorn_conf, monkeypatch):
    from gunicorn.workers.gthread import ThreadWorker

    thresholds = gc.get_threshold()
    gunicorn_conf.post_worker_init(worker=ThreadWorker.__new__(ThreadWorker))
    collections = []
    monkeypatch.setattr(gc, "collect", lambda generation=2: collections.append(generation))

    gunicorn_conf.post_request(worker=None, req=None, environ={}, resp=None)

    assert gc.get_freeze_count() > 10_000
    assert gc.get_threshold() == thresholds
    assert collections == []


def test_every_thousandth_request_collects_everything(gunicorn_conf, monkeypatch):
    gunicorn_conf.post_worker_init(worker=sync_worker())
    collections = []
    monkeypatch.setattr(gc, "collect", lambda generation=2: collections.append(generation))
    monkeypatch.setattr(collector, "_served", 0)

    for _ in range(2 * collector.FULL_EVERY):
        gunicorn_conf.post_request(worker=None, req=None, environ={}, resp=None)

    assert collections.count(2) == 2
    assert collections.count(1) == 2 * collector.FULL_EVERY - 2
