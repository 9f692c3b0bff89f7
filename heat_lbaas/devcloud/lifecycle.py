"""up, down and status of a devcloud living in one state directory."""

import shutil
import subprocess
import time

from heat_lbaas.devcloud import config
from heat_lbaas.devcloud import processes
from heat_lbaas.devcloud import readiness
from heat_lbaas.devcloud import services
from heat_lbaas.devcloud import sqlite_ids
from heat_lbaas.devcloud.settings import Settings, StatePaths, choose_port

READY_TIMEOUT = 60


class DevcloudError(Exception):
    """Something the user must see; the message says what and where to look."""


def running_services(paths, settings):
    """{service name: pid} of the devcloud's services that are up."""
    running = {}
    for service in services.all_services(paths, settings):
        pid = processes.running_pid(service.pid_file, service.marker)
        if pid:
            running[service.name] = pid
    return running


def up(state_dir, heat_port=None, controller_port=None, vip_cidr=None,
       timeout=READY_TIMEOUT, heat_debug=False, out=print):
    paths = StatePaths(state_dir)
    settings = Settings.load(paths)
    everything = services.all_services(paths, settings)
    running = running_services(paths, settings)
    if len(running) == len(everything):
        out('devcloud already running in %s' % paths.root)
        return paths, settings
    if running:
        # Half a devcloud (one process died): start both again from a clean slate
        # rather than guess which configuration the survivor was started with.
        out('devcloud partly running (%s); restarting it' % ', '.join(running))
        down(state_dir, out=out)

    started = time.monotonic()
    settings.fill_first_run_values()
    if vip_cidr:
        settings.vip_cidr = vip_cidr
    settings.heat_debug = heat_debug
    settings.heat_port = choose_port(heat_port, settings.heat_port)
    settings.controller_port = choose_port(controller_port,
                                           settings.controller_port,
                                           taken={settings.heat_port})
    settings.save(paths)
    config.write_all(settings, paths)
    sync_heat_database(paths)

    env = services.process_environment(paths)
    waiting = []
    for service in services.all_services(paths, settings):
        pid = processes.start_detached(service.command, service.log_file,
                                       service.pid_file, env=env,
                                       cwd=str(paths.root))
        waiting.append((service, pid))
    try:
        readiness.wait_until_answering(
            [(s.name, pid, s.ready_url) for s, pid in waiting], timeout)
    except readiness.NotReady as problem:
        report = [str(problem)]
        for service, _ in waiting:
            report.append('--- last lines of %s ---\n%s' % (
                service.log_file, processes.tail(service.log_file)))
        down(state_dir, out=lambda *_: None)
        raise DevcloudError('\n'.join(report))
    out('devcloud up in %.1f s (state in %s)' % (time.monotonic() - started,
                                                 paths.root))
    return paths, settings


def sync_heat_database(paths):
    """Create Heat's schema once (heat-manage db_sync, ~2 s on SQLite), with row ids
    that are never reused (sqlite_ids explains the defect this prevents)."""
    if not paths.heat_db_ready.exists():
        create_heat_schema(paths)
    # Every time, not only after db_sync: databases made before this fix are converted
    # on their next `up` (a no-op, a few ms, once converted).
    sqlite_ids.autoincrement_tables(paths.heat_db)


def create_heat_schema(paths):
    log_file = paths.log_file('heat-manage')
    with open(log_file, 'ab') as log:
        result = subprocess.run(
            [services.venv_script('heat-manage'), '--config-file',
             str(paths.heat_conf), 'db_sync'],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    if result.returncode != 0:
        raise DevcloudError('heat-manage db_sync failed:\n%s'
                            % processes.tail(log_file))
    paths.heat_db_ready.write_text('db_sync done\n')


def down(state_dir, purge=False, out=print):
    paths = StatePaths(state_dir)
    settings = Settings.load(paths)
    for service in reversed(services.all_services(paths, settings)):
        pid = processes.stop_by_pid_file(service.pid_file, service.marker)
        if pid:
            out('stopped %s (pid %d)' % (service.name, pid))
    # The controller stops its HAProxy processes on SIGTERM; these are what is
    # left if it could not (killed, crashed), and the web servers and load alarms Heat
    # started.
    leftovers = [(f, services.HAPROXY_MARKER)
                 for f in services.haproxy_pid_files(paths)]
    leftovers += [(f, services.WEBSERVER_MARKER)
                  for f in services.webserver_pid_files(paths)]
    leftovers += [(f, services.ALARM_MARKER) for f in services.alarm_pid_files(paths)]
    for pid_file, marker in leftovers:
        pid = processes.stop_by_pid_file(pid_file, marker, timeout=5)
        if pid:
            out('stopped %s (pid %d)' % (pid_file.name, pid))
    if purge and paths.root.exists():
        if not paths.settings.exists() and any(paths.root.iterdir()):
            raise DevcloudError('%s does not look like a devcloud state directory '
                                '(no %s); not removing it'
                                % (paths.root, paths.settings.name))
        shutil.rmtree(paths.root)
        out('removed %s' % paths.root)


def count_alive(pid_files, marker):
    return sum(1 for f in pid_files if processes.running_pid(f, marker))


def status(state_dir):
    """A dict describing the devcloud (the CLI prints it)."""
    paths = StatePaths(state_dir)
    settings = Settings.load(paths)
    report = {'state_dir': str(paths.root), 'services': []}
    for service in services.all_services(paths, settings):
        pid = processes.read_pid(service.pid_file)
        alive = bool(pid) and processes.is_ours(pid, service.marker)
        report['services'].append({'name': service.name, 'pid': pid,
                                   'alive': alive, 'url': service.ready_url})
    report['vip_subnet_id'] = settings.vip_subnet_id
    report['vip_cidr'] = settings.vip_cidr
    report['haproxy'] = count_alive(services.haproxy_pid_files(paths),
                                    services.HAPROXY_MARKER)
    report['webservers'] = count_alive(services.webserver_pid_files(paths),
                                       services.WEBSERVER_MARKER)
    report['alarms'] = count_alive(services.alarm_pid_files(paths), services.ALARM_MARKER)
    return report
