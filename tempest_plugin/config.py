"""Tempest options of the heat-lbaas plugin: `[heat_lbaas]` in tempest.conf, and
`[service_available] heat_lbaas` (as every OpenStack tempest plugin declares whether its
service is there; the scenario tests skip without it)."""
import os

from oslo_config import cfg

# The repository's templates/ and environments/ (the plugin runs from a clone, as the
# templates are files Heat's client reads, not Python modules).
REPOSITORY = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

service_available_group = cfg.OptGroup(name='service_available',
                                       title='Available OpenStack services')

SERVICE_AVAILABLE_OPTIONS = [
    cfg.BoolOpt('heat_lbaas', default=True,
                help='Whether Heat with the heat-lbaas resource plugin (LBaaS::* types) '
                     'and a load-balancer (Octavia v2) service are available.'),
]

group = cfg.OptGroup(name='heat_lbaas', title='heat-lbaas scenario test options')

OPTIONS = [
    cfg.StrOpt('templates_dir', default=os.path.join(REPOSITORY, 'templates'),
               help='Directory of the heat-lbaas templates (autoscaling_web.yaml, ...).'),
    cfg.ListOpt('environments',
                default=[os.path.join(REPOSITORY, 'environments', 'devcloud.yaml')],
                help='Environment files given to every stack, in order: they choose where '
                     'web servers run (environments/devcloud.yaml: devcloud processes; '
                     'environments/openstack.yaml: Nova servers).'),
    cfg.StrOpt('vip_subnet_id',
               help='Subnet of the load balancers the scenarios create (on the devcloud: '
                    '`heat-lbaas-devcloud env` exports it). Unset: the environments\' '
                    'vip_subnet parameter default.'),
    cfg.StrOpt('server_control', default='devcloud', choices=['devcloud', 'nova'],
               help='How the member-failure scenario stops and starts a web server: '
                    'devcloud (kill the LBaaS::Dev::WebServer process, start it again as '
                    '`heat-lbaas-devcloud up` does) or nova (stop and start the '
                    'OS::Nova::Server).'),
    cfg.StrOpt('devcloud_state_dir', default=os.environ.get('HEAT_LBAAS_DEVCLOUD_DIR'),
               help='With server_control = devcloud: the devcloud state directory '
                    '(HEAT_LBAAS_DEVCLOUD_DIR of `heat-lbaas-devcloud up`).'),
    cfg.IntOpt('stack_timeout', default=600,
               help='Seconds a stack create, update or delete may take.'),
    cfg.FloatOpt('build_interval', default=1.0,
                 help='Seconds between two status reads while waiting.'),
    cfg.IntOpt('member_detection_seconds', default=20,
               help='Seconds a health monitor may take to mark a dead member ERROR (and a '
                    'restarted one ONLINE) in the member-failure scenario.'),
    cfg.IntOpt('request_timeout', default=10,
               help='Seconds one HTTP request through the VIP may take.'),
]
