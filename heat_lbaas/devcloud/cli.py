"""heat-lbaas-devcloud: a real Heat and the bundled controller on this machine.

    heat-lbaas-devcloud up [--auth noauth|keystone] [--heat-port N] [--heat-poll-interval S]
                           [--controller-port N] [--vip-cidr CIDR]
                           [--amphora-driver haproxy|noop] [--load-balancer-endpoint URL]
                           [--amphora-network auto|loopback|namespace]
    heat-lbaas-devcloud env [--user NAME] [--project NAME]
    heat-lbaas-devcloud tempest-conf [--suite heat_lbaas|octavia] [--work-dir DIR]
    heat-lbaas-devcloud status | down [--purge] | logs [NAME] [-f]

State (configs, databases, logs, pid files) lives in $HEAT_LBAAS_DEVCLOUD_DIR,
default ./.devcloud.
"""

import argparse
import os
import shlex
import sys
import time

from heat_lbaas.devcloud import amphora_network
from heat_lbaas.devcloud import catalog
from heat_lbaas.devcloud import config
from heat_lbaas.devcloud import identity
from heat_lbaas.devcloud import lifecycle
from heat_lbaas.devcloud import processes
from heat_lbaas.devcloud import tempest_conf
from heat_lbaas.devcloud.settings import (AMPHORA_DRIVERS, AUTH_MODES,
                                          DEFAULT_HEAT_POLL_INTERVAL, DEFAULT_HEAT_TRIGGER_PAUSE,
                                          STATE_DIR_ENV, Settings,
                                          StatePaths, state_dir_from_env)

LOG_NAMES = ('heat', 'controller', 'keystone')


def usage_hint(paths):
    return f"""
Use it:
  eval "$(heat-lbaas-devcloud env)"      # or: source <(heat-lbaas-devcloud env)
  openstack stack list
  openstack orchestration resource type list --filter name=LBaaS
  openstack stack create -t templates/<template>.yaml --wait --poll 1 mystack
  openstack loadbalancer list
  heat-lbaas-devcloud status | logs heat | down
(state, logs and clouds.yaml: {paths.root})"""


def cmd_up(args, state_dir):
    paths, _ = lifecycle.up(state_dir, heat_port=args.heat_port,
                            controller_port=args.controller_port,
                            vip_cidr=args.vip_cidr, timeout=args.timeout,
                            heat_debug=args.debug, auth=args.auth,
                            heat_poll_interval=args.heat_poll_interval,
                            amphora_driver=args.amphora_driver,
                            load_balancer_endpoint=args.load_balancer_endpoint,
                            amphora_network=args.amphora_network)
    cmd_status(args, state_dir)
    print(usage_hint(paths))


def cmd_down(args, state_dir):
    lifecycle.down(state_dir, purge=args.purge)
    print('devcloud down')


def cmd_status(args, state_dir):
    report = lifecycle.status(state_dir)
    print('state dir:   %s' % report['state_dir'])
    for service in report['services']:
        print('%-12s pid %-8s %-8s %s' % (
            service['name'] + ':', service['pid'] or '-',
            'running' if service['alive'] else 'stopped', service['url']))
    print('VIP subnet:  %s (%s)' % (report['vip_subnet_id'] or '-',
                                    report['vip_cidr']))
    if report['amphora_network'] == 'namespace':
        print('amphorae:    namespace (each amphora in a network namespace %s, '
              'bridge %s)' % (report['namespaces'], report['bridge']))
    else:
        print('amphorae:    loopback (every HAProxy on the host\'s loopback)')
    print('haproxy:     %d running' % report['haproxy'])
    print('web servers: %d running' % report['webservers'])
    print('load alarms: %d running' % report['alarms'])
    if not all(s['alive'] for s in report['services']):
        return 3   # like `systemctl status`: not (fully) running
    return 0


def environment_exports(paths, settings):
    exports = {
        'OS_CLIENT_CONFIG_FILE': str(paths.clouds_yaml),
        'OS_CLOUD': config.CLOUD_NAME,
        'HEAT_LBAAS_VIP_SUBNET_ID': settings.vip_subnet_id,
        STATE_DIR_ENV: str(paths.root),
    }
    return ''.join('export %s=%s\n' % (k, shlex.quote(v))
                   for k, v in exports.items())


def keystone_exports(paths, settings, user, project):
    """The openstack CLI's OS_* variables for a devcloud user; OS_CLOUD goes (it
    would win over them)."""
    credentials = config.keystone_credentials(settings, user, project)
    exports = {
        'OS_AUTH_TYPE': 'password',
        'OS_AUTH_URL': credentials['auth_url'],
        'OS_IDENTITY_API_VERSION': '3',
        'OS_REGION_NAME': catalog.REGION,
        'OS_PROJECT_NAME': project,
        'OS_PROJECT_DOMAIN_NAME': credentials['project_domain_name'],
        'OS_USERNAME': user,
        'OS_USER_DOMAIN_NAME': credentials['user_domain_name'],
        'OS_PASSWORD': credentials['password'],
        # As in clouds.yaml: `openstack loadbalancer` wants a network service, and no
        # Neutron runs (config.render_clouds_yaml explains).
        'OS_NETWORK_ENDPOINT_OVERRIDE': catalog.load_balancer_endpoint(
            settings.controller_port),
        'HEAT_LBAAS_VIP_SUBNET_ID': settings.vip_subnet_id,
        STATE_DIR_ENV: str(paths.root),
    }
    return 'unset OS_CLOUD OS_CLIENT_CONFIG_FILE\n' + ''.join(
        'export %s=%s\n' % (k, shlex.quote(v)) for k, v in exports.items())


def cmd_env(args, state_dir):
    paths = StatePaths(state_dir)
    if not paths.settings.exists():
        print('no devcloud in %s; run heat-lbaas-devcloud up' % paths.root,
              file=sys.stderr)
        return 1
    settings = Settings.load(paths)
    if settings.auth != 'keystone':
        if args.user or args.project:
            print('--user and --project need a devcloud up with --auth keystone',
                  file=sys.stderr)
            return 1
        sys.stdout.write(environment_exports(paths, settings))
        return 0
    user = args.user or identity.DEMO_PROJECTS[0]
    if user not in settings.passwords or user not in identity.user_names():
        print('no devcloud user %r; users: %s' % (user, ', '.join(identity.user_names())),
              file=sys.stderr)
        return 1
    project = args.project or identity.user_project(user)
    sys.stdout.write(keystone_exports(paths, settings, user, project))
    return 0


def cmd_tempest_conf(args, state_dir):
    paths = StatePaths(state_dir)
    settings = Settings.load(paths)
    if settings.auth != 'keystone':
        print('tempest-conf needs a devcloud up with --auth keystone (Tempest makes '
              'its projects and users in Keystone)', file=sys.stderr)
        return 1
    providers = None
    if args.suite == 'octavia':
        # What GET /v2/lbaas/providers answers is what the suite must be told.
        session = identity.user_session(settings, identity.ADMIN, identity.ADMIN)
        answer = session.get(catalog.load_balancer_endpoint(settings.controller_port)
                             + '/v2/lbaas/providers').json()
        providers = {p['name']: p['description'] for p in answer['providers']}
    sys.stdout.write(tempest_conf.render(
        args.suite, identity.auth_url(settings), catalog.REGION,
        settings.password(identity.ADMIN), os.path.abspath(args.work_dir),
        vip_subnet_id=settings.vip_subnet_id, devcloud_dir=str(paths.root),
        providers=providers))
    return 0


def cmd_logs(args, state_dir):
    paths = StatePaths(state_dir)
    names = [args.name] if args.name else [
        n for n in LOG_NAMES if n != 'keystone' or paths.log_file(n).exists()]
    for name in names:
        if len(names) > 1:
            print('==> %s <==' % paths.log_file(name))
        print(processes.tail(paths.log_file(name), args.lines))
    if args.follow:
        follow([paths.log_file(n) for n in names])
    return 0


def follow(files):
    """Print what is appended to ``files`` until Ctrl-C (like tail -f)."""
    positions = {f: (f.stat().st_size if f.exists() else 0) for f in files}
    try:
        while True:
            for log_file in files:
                if not log_file.exists():
                    continue
                with open(log_file, 'rb') as handle:
                    handle.seek(positions[log_file])
                    data = handle.read()
                    positions[log_file] = handle.tell()
                if data:
                    sys.stdout.write(data.decode(errors='replace'))
                    sys.stdout.flush()
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass


def build_parser():
    parser = argparse.ArgumentParser(
        prog='heat-lbaas-devcloud',
        description='Run a real OpenStack Heat (noauth, or with a real Keystone: '
                    'up --auth keystone) and the bundled Octavia-compatible '
                    'controller on this machine. State: $%s '
                    '(default ./.devcloud).' % STATE_DIR_ENV)
    commands = parser.add_subparsers(dest='command', required=True)

    up = commands.add_parser('up', help='start the devcloud (idempotent)')
    up.add_argument('--heat-port', type=int,
                    help='Heat API port (default: the previous one if free, '
                         'else any free port)')
    up.add_argument('--controller-port', type=int,
                    help='controller (load-balancer API) port (default: as '
                         '--heat-port)')
    up.add_argument('--vip-cidr',
                    help='VIP subnet inside 127.0.0.0/8 (default: the previous '
                         'one, first time 127.77.0.0/16)')
    up.add_argument('--load-balancer-endpoint', metavar='URL',
                    help='an Octavia v2 API (e.g. upstream Octavia) for Heat instead of '
                         'the bundled controller, which then does not run; kept until '
                         '`down --purge`')
    up.add_argument('--timeout', type=int,
                    help='seconds to wait for the services to answer (default %d, '
                         'with --auth keystone %d)' % (lifecycle.READY_TIMEOUT,
                                                       lifecycle.KEYSTONE_READY_TIMEOUT))
    up.add_argument('--debug', action='store_true',
                    help="Heat's debug logging in logs/heat.log (engine steps, sync points, "
                         'messages); off again at the next up without it')
    up.add_argument('--heat-poll-interval', type=float, metavar='SECONDS',
                    help="cap on the Heat engine's fixed 1 s sleeps (between two checks "
                         'of a resource action, after triggering each resource of a '
                         'traversal); default %s between checks and %s after triggers; '
                         "1 for stock Heat's pace (as make bench compares); back to the "
                         'default at the next up without it'
                         % (DEFAULT_HEAT_POLL_INTERVAL, DEFAULT_HEAT_TRIGGER_PAUSE))
    up.add_argument('--auth', choices=AUTH_MODES, default='noauth',
                    help='noauth (default): no Keystone, every caller is admin; '
                         'keystone: a real Keystone on a private MariaDB, Heat with '
                         'trusts, the controller behind keystonemiddleware')
    up.add_argument('--amphora-driver', choices=AMPHORA_DRIVERS, default='haproxy',
                    help='haproxy (default): each load balancer is a real HAProxy; '
                         "noop: Octavia's noop drivers, the API only (no traffic), "
                         "as octavia-tempest-plugin's API suite runs")
    up.add_argument('--amphora-network', choices=amphora_network.CHOICES,
                    default=None,
                    help='auto (the default the first time; later the state dir\'s '
                         'last choice): namespace where this process can make '
                         'namespaces (root), else loopback; namespace: each amphora '
                         'a network namespace of its own behind a bridge, VIPs in a '
                         'private /24 of 198.18.0.0/15 (needed for ACTIVE_STANDBY); '
                         'loopback: every HAProxy on the host\'s loopback, VIPs in '
                         '--vip-cidr; chosen when the controller starts and shown by '
                         '`status`')
    up.set_defaults(func=cmd_up)

    down = commands.add_parser('down', help='stop every devcloud process')
    down.add_argument('--purge', action='store_true',
                      help='also remove the state directory')
    down.set_defaults(func=cmd_down)

    status = commands.add_parser('status', help='show processes and endpoints')
    status.set_defaults(func=cmd_status)

    env = commands.add_parser('env', help='print shell exports for the '
                                          'openstack CLI')
    env.add_argument('--user', help='with --auth keystone: whose credentials '
                                    '(default demo; admin, demo, demo_reader, '
                                    'alt_demo, alt_demo_reader)')
    env.add_argument('--project', help="with --auth keystone: the project to scope "
                                       "to (default: the user's own)")
    env.set_defaults(func=cmd_env)

    tempest = commands.add_parser(
        'tempest-conf', help='print a tempest.conf for this devcloud (--auth keystone)')
    tempest.add_argument('--suite', choices=tempest_conf.SUITES, default='heat_lbaas',
                         help="heat_lbaas: this project's scenario tests; octavia: "
                              "octavia-tempest-plugin's API tests (up with "
                              '--amphora-driver noop)')
    tempest.add_argument('--work-dir', default='.',
                         help="where Tempest writes its log and locks")
    tempest.set_defaults(func=cmd_tempest_conf)

    logs = commands.add_parser('logs', help='show the log files')
    logs.add_argument('name', nargs='?', choices=LOG_NAMES)
    logs.add_argument('-f', '--follow', action='store_true')
    logs.add_argument('-n', '--lines', type=int, default=50)
    logs.set_defaults(func=cmd_logs)
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    try:
        return args.func(args, state_dir_from_env()) or 0
    except lifecycle.DevcloudError as problem:
        print('heat-lbaas-devcloud %s: %s' % (args.command, problem),
              file=sys.stderr)
        return 1


if __name__ == '__main__':
    sys.exit(main())
