"""The WSGI entry point for production servers: `gunicorn -c deploy/gunicorn.conf.py webapp.wsgi:app`.

The one module that builds an app when imported, because that is what a WSGI server imports; settings come
from the environment (Settings.from_env)."""

from webapp.app import create_app

app = create_app()
