"""The password hasher: Argon2id with the first configuration of OWASP's Password Storage
Cheat Sheet (19 MiB of memory, 2 iterations, 1 lane) instead of Django's default (100 MiB,
8 lanes).

Checking a password costs about 30 ms of one core here instead of 200 ms: in the hour a
provider's outage sends every customer to the login page at once, Django's default made
logins the slowest page of the load test (bench/LOADTEST.md) while buying resistance that
OWASP does not ask for. Passwords stored with the old parameters still verify and are
hashed again with these at their next login (Django's must_update).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class PortalArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024
    parallelism = 1
