"""gunicorn reads this file from the directory it starts in (`gunicorn portal.wsgi:application`).

gunicorn has no setting for its `Server` response header; the value it sends is the module
name `SERVER`, read when each response is made. An empty value names neither the server nor
its version, which only helps someone looking for a vulnerable release.
"""

import gunicorn.http.wsgi

gunicorn.http.wsgi.SERVER = ""

wsgi_app = "portal.wsgi:application"
