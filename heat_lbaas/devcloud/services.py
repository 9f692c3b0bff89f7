"""The two long-running processes of the devcloud, and the ones they leave behind.

Each service knows its command, its pid/log file and the marker that must appear in
the command line of its PID before the devcloud trusts (and signals) that PID.
"""

import dataclasses
import os
import pathlib
import shutil
import sys

from heat_lbaas.devcloud import catalog
from heat_lbaas.devcloud import identity
from heat_lbaas.devcloud import settings as devcloud_settings

HAPROXY_MARKER = 'haproxy'
WEBSERVER_MARKER = 'heat_lbaas.devcloud.webserver'
ALARM_MARKER = 'heat_lbaas.devcloud.load_alarm'


@dataclasses.dataclass
class Service:
    name: str
    command: list
    marker: str          # must occur in /proc/<pid>/cmdline
    ready_url: str       # GET answers 200 once the service works
    pid_file: pathlib.Path
    log_file: pathlib.Path


def venv_script(name):
    """A console script next to the running Python (the venv's bin), else PATH."""
    candidate = pathlib.Path(sys.executable).parent / name
    if candidate.exists():
        return str(candidate)
    return shutil.which(name) or name


def heat_server(paths, settings):
    return Service(
        name='heat',
        command=[sys.executable, '-m', 'heat_lbaas.devcloud.heat_server',
                 '--config-file', str(paths.heat_conf)],
        # The config path is unique to this state dir, and only our process has it.
        marker=str(paths.heat_conf),
        ready_url=heat_ready_url(settings),
        pid_file=paths.pid_file('heat'),
        log_file=paths.log_file('heat'),
    )


def heat_ready_url(settings):
    if settings.auth == 'keystone':
        # Everything else wants a token; up checks a stack list with one afterwards.
        return 'http://%s:%d/healthcheck' % (devcloud_settings.HOST, settings.heat_port)
    # A stack list goes through noauth, the API and (over the fake transport) the
    # engine: it proves both halves work.
    return catalog.heat_endpoint(settings.heat_port, settings.project_id) + '/stacks'


def keystone(paths, settings):
    return Service(
        name='keystone',
        command=identity.gunicorn_command(settings, paths),
        marker=str(paths.keystone_conf),
        # The v3 version document: served once the application has loaded.
        ready_url=identity.auth_url(settings),
        pid_file=paths.pid_file('keystone'),
        log_file=paths.log_file('keystone'),
    )


def controller(paths, settings):
    return Service(
        name='controller',
        command=[venv_script('heat-lbaas-controller'),
                 '--config-file', str(paths.controller_conf)],
        marker=str(paths.controller_conf),
        ready_url=catalog.load_balancer_endpoint(settings.controller_port) + '/',
        pid_file=paths.pid_file('controller'),
        log_file=paths.log_file('controller'),
    )


def all_services(paths, settings):
    # Order of start; stop goes the other way round (Heat first, so it stops
    # creating web servers and load balancers before the controller goes, Keystone
    # last). With an external load-balancer API the controller does not run.
    first = [keystone(paths, settings)] if settings.auth == 'keystone' else []
    if settings.load_balancer_endpoint:
        return first + [heat_server(paths, settings)]
    return first + [controller(paths, settings), heat_server(paths, settings)]


def process_environment(paths):
    env = dict(os.environ)
    # LBaaS::Dev::WebServer writes its pid files under <state dir>/webservers/.
    env[devcloud_settings.STATE_DIR_ENV] = str(paths.root)
    env['PYTHONUNBUFFERED'] = '1'
    return env


def haproxy_pid_files(paths):
    return sorted(paths.amphorae.glob('*/haproxy.pid'))


def webserver_pid_files(paths):
    return sorted(paths.webservers.glob('*.pid'))


def alarm_pid_files(paths):
    # LBaaS::Dev::LoadAlarm's evaluators, under <state dir>/alarms/.
    return sorted(paths.alarms.glob('*.pid'))
