"""Upstream Octavia's API as a WSGI application for gunicorn (`make test-octavia`).

Imported by gunicorn in .venv-octavia (only there is `octavia` installed), never by the
tests. `octavia.wsgi.api` parses sys.argv with oslo.config, which under gunicorn holds
gunicorn's own options; this module hands Octavia its config file explicitly.

The devcloud has no Keystone: Heat's noauth middleware gives every request the devcloud's
token, whose project (the token body's) Heat's resources act for. Octavia's
`auth_strategy = noauth` takes the caller's project from X-Project-Id, which only
keystonemiddleware would have set from the token. `TokenProjects` stands in for that one
step: a request that carries a known token and no X-Project-Id gets the token's project,
as keystonemiddleware would give it after validating the token. Requests with another or
no token go to Octavia unchanged.

Environment: HEAT_LBAAS_OCTAVIA_CONF (the config file), HEAT_LBAAS_OCTAVIA_TOKEN_PROJECTS
(JSON {token: project_id}).
"""
import json
import os

from octavia.api import app as octavia_app

CONFIG_ENV = 'HEAT_LBAAS_OCTAVIA_CONF'
TOKEN_PROJECTS_ENV = 'HEAT_LBAAS_OCTAVIA_TOKEN_PROJECTS'


class TokenProjects:
    def __init__(self, app, projects):
        self.app = app
        self.projects = projects

    def __call__(self, environ, start_response):
        project = self.projects.get(environ.get('HTTP_X_AUTH_TOKEN'))
        if project and not environ.get('HTTP_X_PROJECT_ID'):
            environ['HTTP_X_PROJECT_ID'] = project
        return self.app(environ, start_response)


application = TokenProjects(
    octavia_app.setup_app(argv=['octavia-api', '--config-file', os.environ[CONFIG_ENV]]),
    json.loads(os.environ.get(TOKEN_PROJECTS_ENV) or '{}'))
