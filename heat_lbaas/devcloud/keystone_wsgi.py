"""Keystone's WSGI application for gunicorn, run from the Keystone virtualenv.

    gunicorn --pythonpath <checkout> heat_lbaas.devcloud.keystone_wsgi:application

with ``OS_KEYSTONE_CONFIG_FILES`` naming keystone.conf. Only Keystone is imported
(the Keystone virtualenv has nothing of heat_lbaas installed; its pins clash with
openstack-heat's). Why a module of our own: Keystone's parses ``sys.argv`` with
oslo.config, which under gunicorn holds gunicorn's own options and fails.
"""
import sys

sys.argv = sys.argv[:1]

from keystone.server import wsgi  # noqa: E402  (after sys.argv is cleared)

application = wsgi.initialize_public_application()
