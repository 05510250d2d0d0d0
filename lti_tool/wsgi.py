"""WSGI entry point for any server: `gunicorn lti_tool.wsgi:app` (configuration from CARECERT_* variables)."""

from lti_tool.app import create_app

app = create_app()
