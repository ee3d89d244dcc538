"""Python's cyclic garbage collector, run by gunicorn's workers between requests rather
than in the middle of them (gunicorn.conf.py calls these).

With Python's default thresholds a collection of the youngest objects starts every 700
new containers: several times a request, each walking whatever the request holds at that
moment, and every tenth of them a larger one (2 to 10 ms) that lands in a request's
time. Measured in-process on the bench pages (bench/RESULTS.md, issue 14), 0.8 ms of
each request went to the collector, and one request in ten waited 2 ms or more for it.

Here a worker freezes what it loaded at start (the portal's modules, its templates and
URL patterns: about 185,000 objects no collection needs to walk again), collects inside a
request only past `THRESHOLD` new containers (a request makes about 1,000; a large
export more), and collects the two younger generations after each response has been
sent, when the request's objects are gone; everything every `FULL_EVERY` requests.

Only a sync worker has a moment between requests. In a threaded worker (gthread) another
thread's request is always under way, and a collection after each response walked it
and stopped it: measured with 2 threads, 48 requests/s on the queue against 98 for sync
workers. A threaded worker freezes what it loaded and otherwise keeps Python's
collector as it is.
"""

import gc

THRESHOLD = 10_000
FULL_EVERY = 1_000

_served = 0
_between_requests = False


def worker_ready(*, between_requests: bool) -> None:
    """In a worker that has loaded the portal, before its first request; with
    `between_requests` (a worker that serves one request at a time) the collections move
    after the responses."""
    global _between_requests
    gc.collect()
    gc.freeze()
    _between_requests = between_requests
    if between_requests:
        gc.set_threshold(THRESHOLD, 50, 1000)


def request_done() -> None:
    """After a response has been sent (gunicorn's post_request)."""
    global _served
    if not _between_requests:
        return
    _served += 1
    gc.collect(2 if _served % FULL_EVERY == 0 else 1)
