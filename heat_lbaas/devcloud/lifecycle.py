"""up, down and status of a devcloud living in one state directory."""

import dataclasses
import shutil
import subprocess
import sys
import time

from keystoneauth1 import exceptions as ks_exceptions

from heat_lbaas.controller.amphora import netns
from heat_lbaas.devcloud import amphora_network as amphora_networks
from heat_lbaas.devcloud import child_process
from heat_lbaas.devcloud import config
from heat_lbaas.devcloud import identity
from heat_lbaas.devcloud import mariadb
from heat_lbaas.devcloud import memcached
from heat_lbaas.devcloud import processes
from heat_lbaas.devcloud import readiness
from heat_lbaas.devcloud import services
from heat_lbaas.devcloud import sqlite_ids
from heat_lbaas.devcloud.settings import Settings, StatePaths, choose_port

READY_TIMEOUT = 60
# Keystone, Heat and the controller load side by side (and Keystone's first run
# migrates its schema): on a busy 2-core machine that took over two minutes.
KEYSTONE_READY_TIMEOUT = 300
# A web server or load alarm writes its ready file well within a second.
CHILD_READY_TIMEOUT = 20


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
       timeout=None, heat_debug=False, auth='noauth', amphora_driver='haproxy',
       load_balancer_endpoint=None, out=print, amphora_network=None,
       heat_poll_interval=None):
    """Start what is not running and keep what runs: Heat, the controller (which
    adopts the HAProxy processes still serving and starts the others) and every web
    server and load alarm of the stacks (child_process restart files).

    `load_balancer_endpoint`: Heat uses this load-balancer API (e.g. upstream Octavia)
    instead of the bundled controller, which is then not started; kept for the life
    of the state dir."""
    paths = StatePaths(state_dir)
    timeout = timeout or (KEYSTONE_READY_TIMEOUT if auth == 'keystone' else READY_TIMEOUT)
    first_up = not paths.settings.exists()
    settings = Settings.load(paths)
    if load_balancer_endpoint and load_balancer_endpoint != settings.load_balancer_endpoint:
        if running_services(paths, settings):
            raise DevcloudError('the devcloud runs with load-balancer API %s; run '
                                '`heat-lbaas-devcloud down` first to change it'
                                % config.load_balancer_url(settings))
        settings.load_balancer_endpoint = load_balancer_endpoint.rstrip('/')
    everything = services.all_services(paths, settings)
    running = running_services(paths, settings)
    check_running_unchanged(settings, running, heat_port, controller_port, vip_cidr)
    if running and settings.auth != auth:
        raise DevcloudError('the devcloud runs with --auth %s, not %s; run '
                            '`heat-lbaas-devcloud down` first to change it'
                            % (settings.auth, auth))
    if 'controller' in running and settings.amphora_driver != amphora_driver:
        raise DevcloudError('the controller runs with --amphora-driver %s, not %s; run '
                            '`heat-lbaas-devcloud down` first to change it'
                            % (settings.amphora_driver, amphora_driver))
    settings.amphora_driver = amphora_driver
    if 'controller' not in running:
        choose_amphora_network(settings, paths, amphora_networks.asked(
            amphora_network, first_up, settings.amphora_network))
    elif amphora_network not in (None, amphora_networks.AUTO) and \
            amphora_network != settings.amphora_network:
        raise DevcloudError('the controller runs with --amphora-network %s, not %s; '
                            'run `heat-lbaas-devcloud down` first to change it'
                            % (settings.amphora_network, amphora_network))
    if auth != settings.auth:
        settings.auth = auth
        everything = services.all_services(paths, settings)

    started = time.monotonic()
    # Members first: the load balancers the controller serves again point at them.
    restart_children(paths, out)
    if len(running) == len(everything):
        out('devcloud already running in %s' % paths.root)
        return paths, settings
    if running:
        out('devcloud partly running (%s); starting %s' % (
            ', '.join(running),
            ', '.join(s.name for s in everything if s.name not in running)))

    settings.fill_first_run_values()
    if vip_cidr:
        settings.vip_cidr = vip_cidr
    if 'heat' not in running:
        settings.heat_debug = heat_debug
        settings.heat_poll_interval = heat_poll_interval
        settings.heat_port = choose_port(heat_port, settings.heat_port,
                                         taken={settings.controller_port}
                                         if 'controller' in running else ())
    if 'controller' not in running and not settings.load_balancer_endpoint:
        settings.controller_port = choose_port(controller_port,
                                               settings.controller_port,
                                               taken={settings.heat_port})
    if auth == 'keystone' and 'keystone' not in running:
        settings.keystone_port = choose_port(
            None, settings.keystone_port,
            taken={settings.heat_port, settings.controller_port})
    config.write_all(settings, paths)
    if auth == 'keystone':
        prepare_keystone(settings, paths)
        out('mariadb, memcached and keystone set-up: %.1f s' % (time.monotonic() - started))
    # After the configuration files: they made up the passwords they hold.
    settings.save(paths)
    if 'heat' not in running:
        sync_heat_database(paths)

    env = services.process_environment(paths)
    waiting = []
    for service in services.all_services(paths, settings):
        if service.name in running:
            continue
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
        if running:
            # What ran before this `up` keeps running; only what it started goes.
            for service, _ in waiting:
                processes.stop_by_pid_file(service.pid_file, service.marker)
        else:
            down(state_dir, out=lambda *_: None)
        raise DevcloudError('\n'.join(report))
    if auth == 'keystone':
        out('services answering: %.1f s' % (time.monotonic() - started))
        finish_keystone(settings, paths, timeout)
        out('keystone provisioned, Heat answers a demo member: %.1f s'
            % (time.monotonic() - started))
    out('devcloud up in %.1f s (state in %s)' % (time.monotonic() - started,
                                                 paths.root))
    return paths, settings


def prepare_keystone(settings, paths):
    """Keystone's database on the private MariaDB, its cache on the private
    memcached, its configuration and (first time) schema, keys and bootstrap admin."""
    try:
        cache = memcached.PrivateMemcached(paths.memcached)
        cache.start()
        database = mariadb.PrivateMariaDB(paths.mariadb)
        database.start()
        database_url = database.create_database(
            identity.DATABASE, identity.DATABASE,
            settings.password('%s_database' % identity.DATABASE))
        config.write_keystone_conf(settings, paths, database_url, cache.url)
        identity.first_run_setup(settings, paths)
    except (mariadb.MariaDBError, memcached.MemcachedError,
            identity.SetupError) as problem:
        raise DevcloudError(str(problem))


def finish_keystone(settings, paths, timeout):
    """The catalog, projects and users; then one authenticated stack list, which
    goes through Keystone, Heat's keystonemiddleware and the engine."""
    try:
        identity.provision(settings, paths)
        identity.wait_for_authenticated_heat(settings, timeout)
    except (ks_exceptions.ClientException, identity.SetupError) as problem:
        down(paths.root, out=lambda *_: None)
        raise DevcloudError('Keystone set-up failed: %s: %s'
                            % (type(problem).__name__, problem))


def choose_amphora_network(settings, paths, asked):
    """Namespace mode where this process can make namespaces, with the state dir's
    own names and a /24 no host route overlaps; loopback otherwise."""
    try:
        # An external load-balancer API runs no amphora of ours.
        driver = 'external' if settings.load_balancer_endpoint else \
            settings.amphora_driver
        settings.amphora_network = amphora_networks.choose(
            asked, driver, netns.namespaces_supported())
        if settings.amphora_network == amphora_networks.NAMESPACE:
            settings.namespace_prefix, settings.namespace_bridge = \
                amphora_networks.names(paths.root)
            settings.namespace_cidr = amphora_networks.choose_cidr(
                settings.namespace_cidr, settings.namespace_bridge)
    except amphora_networks.Unavailable as error:
        raise DevcloudError(str(error))


def check_running_unchanged(settings, running, heat_port, controller_port, vip_cidr):
    """A running service keeps its port and the controller its VIP range: refuse an
    `up` that asks otherwise instead of silently ignoring the option."""
    asked = [('heat', 'heat port', heat_port, settings.heat_port),
             ('controller', 'controller port', controller_port,
              settings.controller_port),
             ('controller', 'VIP CIDR', vip_cidr, settings.vip_cidr)]
    for service, what, wanted, current in asked:
        if service in running and wanted and wanted != current:
            raise DevcloudError('%s runs with %s %s, not %s; run `heat-lbaas-devcloud '
                                'down` first to change it' % (service, what, current,
                                                              wanted))


def restart_children(paths, out, timeout=CHILD_READY_TIMEOUT):
    """Start again the stacks' web servers and load alarms that do not run (after a
    `down`, a reboot or a crash), on their recorded addresses; wait until each has
    written its ready file."""
    waiting = []
    for state_dir in (paths.webservers, paths.alarms):
        for process_id, pid in child_process.restart_stopped(str(state_dir)).items():
            waiting.append((state_dir, process_id, pid))
    deadline = time.monotonic() + timeout
    for state_dir, process_id, pid in waiting:
        while child_process.read_ready(str(state_dir), process_id) is None:
            if not processes.is_alive(pid) or time.monotonic() > deadline:
                out('could not restart %s/%s (pid %d): %s' % (
                    state_dir.name, process_id, pid,
                    child_process.read_log_tail(str(state_dir), process_id, 400)))
                break
            time.sleep(0.05)
        else:
            out('restarted %s/%s (pid %d)' % (state_dir.name, process_id, pid))


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
    # Keystone's too, whatever mode the settings name (a state dir that ran both).
    every_service = services.all_services(paths, dataclasses.replace(settings,
                                                                     auth='keystone'))
    for service in reversed(every_service):
        pid = processes.stop_by_pid_file(service.pid_file, service.marker)
        if pid:
            out('stopped %s (pid %d)' % (service.name, pid))
    if paths.mariadb.exists():
        database = mariadb.PrivateMariaDB(paths.mariadb)
        pid = database.pid
        database.stop()
        if pid:
            out('stopped mariadb (pid %d)' % pid)
    cache = memcached.PrivateMemcached(paths.memcached)
    pid = cache.pid
    cache.stop()
    if pid:
        out('stopped memcached (pid %d)' % pid)
    # The controller leaves its HAProxy processes serving when it stops (the next
    # one adopts them): `down` stops them, with the controller's own command, then
    # by pid file what that left; then the web servers and load alarms Heat started
    # (their restart files stay: the next `up` starts them again).
    stop_amphorae(paths, out)
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


def stop_amphorae(paths, out):
    if not paths.controller_conf.exists():
        return
    log_file = paths.log_file('amphorae')
    with open(log_file, 'ab') as log:
        result = subprocess.run(
            [sys.executable, '-m', 'heat_lbaas.controller.amphorae_cli',
             '--config-file', str(paths.controller_conf), 'stop'],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    if result.returncode != 0:
        out('heat-lbaas-amphorae stop failed (see %s); stopping HAProxy by pid file'
            % log_file)


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
    if settings.auth == 'keystone':
        pid = mariadb.PrivateMariaDB(paths.mariadb).pid
        report['services'].insert(0, {
            'name': 'mariadb', 'pid': pid, 'alive': bool(pid),
            'url': 'mysql://%s:%d' % (mariadb.HOST,
                                      mariadb.PrivateMariaDB(paths.mariadb).port)})
        cache = memcached.PrivateMemcached(paths.memcached)
        report['services'].insert(1, {'name': 'memcached', 'pid': cache.pid,
                                      'alive': bool(cache.pid), 'url': cache.url})
    report['vip_subnet_id'] = settings.vip_subnet_id
    report['amphora_network'] = settings.amphora_network
    if settings.amphora_network == amphora_networks.NAMESPACE:
        report['vip_cidr'] = settings.namespace_cidr
        report['namespaces'] = '%s-*' % settings.namespace_prefix
        report['bridge'] = settings.namespace_bridge
    else:
        report['vip_cidr'] = settings.vip_cidr
    report['haproxy'] = count_alive(services.haproxy_pid_files(paths),
                                    services.HAPROXY_MARKER)
    report['webservers'] = count_alive(services.webserver_pid_files(paths),
                                       services.WEBSERVER_MARKER)
    report['alarms'] = count_alive(services.alarm_pid_files(paths), services.ALARM_MARKER)
    return report
