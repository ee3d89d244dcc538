"""One Celery beat at a time, whatever is started by mistake.

A beat that starts takes a lock in Redis (the broker) before its scheduler runs, and
renews it every third of `CELERY_BEAT_LOCK_SECONDS`. A second beat finds the lock taken
and waits as a standby, logging why; it takes over once the first has been gone for the
lock's lifetime (stopped, killed, or its machine lost). A beat that finds another one
holding the lock (it stalled for longer than the lifetime) stops at once rather than send
a job a second time; one whose Redis restarted empty takes the lock again. Without a Redis
broker (tasks run in-process) there is no beat and nothing to lock.
"""

import logging
import os
import socket
import threading
import time

import redis
from django.conf import settings

logger = logging.getLogger(__name__)

KEY = "portal:celery-beat-lock"
# Extends the lock only while this beat still holds it.
_RENEW = """
if redis.call("get", KEYS[1]) == ARGV[1] then
  return redis.call("pexpire", KEYS[1], ARGV[2])
end
return 0
"""


def hold_beat_lock() -> None:
    """Wait until this process holds the beat lock, then keep it in a daemon thread."""
    url = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://")):
        return
    client = redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=5)
    holder = f"{socket.gethostname()}:{os.getpid()}"
    ttl_ms = settings.CELERY_BEAT_LOCK_SECONDS * 1000
    told = False
    while not _try(lambda: client.set(KEY, holder, nx=True, px=ttl_ms)):
        if not told:
            logger.warning(
                "Another Celery beat (%s) holds the lock: this one waits as a standby and "
                "takes over when that one has been gone for %d s.",
                _try(lambda: client.get(KEY)),
                settings.CELERY_BEAT_LOCK_SECONDS,
            )
            told = True
        time.sleep(max(1.0, settings.CELERY_BEAT_LOCK_SECONDS / 6))
    logger.info("This Celery beat holds the lock (%s)", holder)
    renew = client.register_script(_RENEW)
    threading.Thread(
        target=_keep, args=(client, renew, holder, ttl_ms), name="beat-lock", daemon=True
    ).start()


def _keep(client, renew, holder: str, ttl_ms: int) -> None:
    while True:
        time.sleep(ttl_ms / 3000)
        renewed = _try(lambda: renew(keys=[KEY], args=[holder, ttl_ms]), default=None)
        if renewed is None or renewed:
            # Renewed, or Redis is away: then no other beat can take the lock either, and
            # this one publishes nothing until it returns.
            continue
        # The lock is gone (Redis restarted empty) or another beat holds it.
        if not _try(lambda: client.set(KEY, holder, nx=True, px=ttl_ms)):
            logger.error("Another Celery beat holds the lock now: this one stops.")
            os._exit(1)


def _try(call, default=False):
    try:
        return call()
    except redis.RedisError as error:
        logger.warning("Celery beat lock: Redis did not answer (%s)", error)
        return default
