"""heat-lbaas-devcloud: a real Heat and the bundled controller on this machine.

    heat-lbaas-devcloud up [--heat-port N] [--controller-port N] [--vip-cidr CIDR]
                           [--load-balancer-endpoint URL]
    heat-lbaas-devcloud status | env | down [--purge] | logs [heat|controller] [-f]

State (configs, databases, logs, pid files) lives in $HEAT_LBAAS_DEVCLOUD_DIR,
default ./.devcloud.
"""

import argparse
import shlex
import sys
import time

from heat_lbaas.devcloud import config
from heat_lbaas.devcloud import lifecycle
from heat_lbaas.devcloud import processes
from heat_lbaas.devcloud.settings import (STATE_DIR_ENV, Settings, StatePaths,
                                          state_dir_from_env)

LOG_NAMES = ('heat', 'controller')


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
                            heat_debug=args.debug,
                            load_balancer_endpoint=args.load_balancer_endpoint)
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


def cmd_env(args, state_dir):
    paths = StatePaths(state_dir)
    if not paths.settings.exists():
        print('no devcloud in %s; run heat-lbaas-devcloud up' % paths.root,
              file=sys.stderr)
        return 1
    sys.stdout.write(environment_exports(paths, Settings.load(paths)))
    return 0


def cmd_logs(args, state_dir):
    paths = StatePaths(state_dir)
    names = [args.name] if args.name else list(LOG_NAMES)
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
        description='Run a real OpenStack Heat (noauth) and the bundled '
                    'Octavia-compatible controller on this machine. State: $%s '
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
    up.add_argument('--timeout', type=int, default=lifecycle.READY_TIMEOUT,
                    help='seconds to wait for the services to answer')
    up.add_argument('--debug', action='store_true',
                    help="Heat's debug logging in logs/heat.log (engine steps, sync points, "
                         'messages); off again at the next up without it')
    up.set_defaults(func=cmd_up)

    down = commands.add_parser('down', help='stop every devcloud process')
    down.add_argument('--purge', action='store_true',
                      help='also remove the state directory')
    down.set_defaults(func=cmd_down)

    status = commands.add_parser('status', help='show processes and endpoints')
    status.set_defaults(func=cmd_status)

    env = commands.add_parser('env', help='print shell exports for the '
                                          'openstack CLI')
    env.set_defaults(func=cmd_env)

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
