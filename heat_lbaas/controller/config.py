"""oslo.config options of the bundled amphora controller.

`list_opts` feeds oslo-config-generator (`make sample-config`), so every option here
appears with its help text in etc/heat-lbaas-controller.conf.sample.
"""
import ipaddress

from oslo_config import cfg

API_OPTS = [
    cfg.HostAddressOpt('bind_host', default='127.0.0.1',
                       help='Address the Octavia v2 API listens on. Keep it on loopback: '
                            'the controller has no authentication of its own.'),
    cfg.PortOpt('bind_port', default=9876,
                help='Port the Octavia v2 API listens on (9876 is Octavia\'s).'),
    cfg.IntOpt('threads', default=8, min=1,
               help='Worker threads of the WSGI server.'),
    cfg.IntOpt('connection_limit', default=1000, min=1,
               help='Open client connections the API accepts at once; beyond it, new '
                    'connections wait. Every Heat resource being created or deleted '
                    'keeps its own kept-alive connection, so a stack of 100 members '
                    'needs more than the WSGI server\'s default of 100.'),
    cfg.BoolOpt('access_log', default=False,
                help='Log one line per API request, "METHOD path status", at INFO '
                     'through the heat_lbaas.controller.access logger (make bench '
                     'counts requests and 409 answers from it).'),
]

# Octavia's [api_settings] options of the same names.
API_SETTINGS_OPTS = [
    cfg.StrOpt('auth_strategy', default='noauth',
               choices=[('noauth', 'No authentication: every caller is an '
                         'administrator, its project is X-Project-Id or [controller] '
                         'default_project_id.'),
                        ('keystone', 'Keystone tokens, checked by keystonemiddleware\'s '
                         'auth_token in front of the API; Octavia\'s policy rules '
                         'apply to the identity it passes on.'),
                        ('testing', 'Octavia\'s testing strategy: the identity headers '
                         'auth_token would set (X-Project-Id, X-Roles, X-User-Id) are '
                         'trusted as sent and the policy rules apply to them. Only for '
                         'tests: any caller can claim any role.')],
               help='How API callers are identified (Octavia\'s [api_settings] '
                    'auth_strategy). The policy rules are Octavia\'s, overridable '
                    'with [oslo_policy] policy_file.'),
    cfg.IntOpt('udp_connect_min_interval_health_monitor', default=3,
               help='The smallest delay (seconds) of a UDP-CONNECT health monitor, as '
                    'Octavia\'s option of that name: a check sends a datagram and '
                    'waits for an ICMP error, which hosts rate-limit. A negative '
                    'value means no limit.'),
]

CONTROLLER_OPTS = [
    cfg.StrOpt('state_dir', default='/var/lib/heat-lbaas/controller',
               help='Directory for the SQLite database and one sub-directory per '
                    'amphora (rendered haproxy.cfg, pid file).'),
    cfg.StrOpt('vip_subnet_cidr', default='127.77.0.0/16',
               help='CIDR VIPs are allocated from. It must lie inside 127.0.0.0/8, '
                    'which Linux routes to the loopback interface, so every load '
                    'balancer gets its own address with no interface setup.'),
    cfg.StrOpt('vip_subnet_id', default='35dc0b41-9dc8-5abb-bb66-90b11392828c',
               help='UUID by which the API exposes the VIP subnet (vip_subnet_id).'),
    cfg.StrOpt('vip_network_id', default='2bcecfc5-9c7c-54a1-a809-648cc439e9b5',
               help='UUID by which the API exposes the VIP network (vip_network_id).'),
    cfg.StrOpt('default_project_id', default='admin',
               help='Project of objects created by requests without X-Project-Id.'),
    cfg.StrOpt('haproxy_binary', default='haproxy',
               help='HAProxy executable that runs each amphora.'),
    cfg.IntOpt('workers', default=4, min=1,
               help='Threads applying load-balancer changes. Changes of one load '
                    'balancer are always applied in order, one at a time.'),
    cfg.FloatOpt('health_interval', default=1.0, min=0.1,
                 help='Seconds between reads of HAProxy health-check results.'),
    cfg.StrOpt('amphora_driver', default='haproxy',
               choices=[('haproxy', 'One HAProxy process per load balancer on its '
                                    'loopback VIP, certificates read from '
                                    '[certificates] storage_path.'),
                        ('noop', 'Nothing is served: as Octavia with its no-op '
                                 'amphora, network and certificate drivers, for API '
                                 'tests. Any VIP subnet, network, port and address '
                                 'and any certificate reference are accepted, '
                                 'statuses go ACTIVE at once, operating statuses '
                                 'stay as Octavia\'s no-op drivers leave them.')],
               help='What serves the load balancers. Never use noop for real '
                    'traffic: it serves nothing.'),
    cfg.StrOpt('amphora_network', default='loopback',
               choices=[('loopback', 'Every HAProxy runs in the controller\'s own '
                                     'network namespace and binds its VIP on the '
                                     'loopback interface (vip_subnet_cidr).'),
                        ('namespace', 'Every amphora\'s HAProxy runs in a network '
                                      'namespace of its own, joined by a veth pair to '
                                      'the host bridge namespace_bridge; VIPs come from '
                                      'namespace_cidr. Needs root.')],
               help='Where amphorae run (docs/controller.md, "Topologies").'),
    cfg.StrOpt('namespace_cidr', default='198.18.0.0/24',
               help='With amphora_network = namespace: the private IPv4 network of '
                    'the bridge. Its first address is the bridge\'s (the gateway), '
                    'VIPs are placed in its lower half, the amphorae\'s own addresses '
                    'in its upper half. The controller refuses to start with a range '
                    'that is not private or reserved, smaller than a /28, or that '
                    'overlaps a route the host has.'),
    cfg.StrOpt('namespace_bridge', default='hlb-br0',
               help='With amphora_network = namespace: the Linux bridge the amphorae '
                    'are joined to (at most 15 characters). The controller creates it '
                    'and refuses to start if a device of that name exists that it did '
                    'not create.'),
    cfg.StrOpt('namespace_prefix', default='amphora',
               help='With amphora_network = namespace: the amphora namespaces are '
                    'named <prefix>-<8 hex of the amphora id>, and the host\'s own '
                    'namespace <prefix>-host (for connections to members).'),
]

# Octavia's local certificate manager keeps its files in [certificates] storage_path.
CERTIFICATE_OPTS = [
    cfg.StrOpt('storage_path',
               help='Directory holding the PEM files that certificate references '
                    '(default_tls_container_ref, sni_container_refs, '
                    'client_ca_tls_container_ref, client_crl_container_ref, and the '
                    'pool tls_container_ref, ca_tls_container_ref, crl_container_ref) '
                    'may name, as an absolute path or file:// URL inside it. Anything '
                    'else (a path outside it, a symbolic link, a FIFO, a device) is '
                    'refused with 400. Unset: every certificate reference is refused.'),
]


# Octavia's [quotas] defaults: -1 is unlimited, Octavia's own default.
QUOTA_RESOURCES = ('load_balancer', 'listener', 'pool', 'health_monitor', 'member',
                   'l7policy', 'l7rule')
QUOTA_OPTS = [
    cfg.IntOpt('default_%s_quota' % resource, default=-1, min=-1, max=2000000000,
               help='Default %s quota of a project without its own '
                    '(PUT /v2/lbaas/quotas/{project_id}); -1 is unlimited.'
                    % resource.replace('_', ' '))
    for resource in QUOTA_RESOURCES
]

# Bounds on the objects under one parent: each load balancer is one HAProxy process
# and its whole configuration is re-rendered and checked on every change, so these
# keep one load balancer's changes fast and its configuration within what one
# process serves well. Octavia bounds only rules per policy (50).
LIMIT_OPTS = [
    cfg.IntOpt('listeners_per_loadbalancer', default=100, min=1,
               help='Listeners of one load balancer (each binds a VIP port).'),
    cfg.IntOpt('pools_per_loadbalancer', default=200, min=1,
               help='Pools of one load balancer (a backend per pool and listener).'),
    cfg.IntOpt('members_per_pool', default=1000, min=1,
               help='Members of one pool; a batch update of that many stays well '
                    'under the default max_request_body_size.'),
    cfg.IntOpt('l7policies_per_listener', default=100, min=1,
               help='L7 policies of one listener (evaluated in order per request).'),
    cfg.IntOpt('l7rules_per_l7policy', default=50, min=1,
               help='Rules of one L7 policy; 50 is Octavia\'s fixed limit.'),
    cfg.IntOpt('tags_per_object', default=1000, min=0,
               help='Tags on one object (each at most 255 characters, as in '
                    'Octavia). Octavia sets no limit and its API test suite sends 100; '
                    'this bound only keeps one request from storing without end.'),
]


# Octavia's [keepalived_vrrp] options, same names and meaning, for ACTIVE_STANDBY
# load balancers. Octavia checks HAProxy every 5 s and fails it after 2 checks; here
# every second and after 1, so the BACKUP takes the VIP within 2 s of HAProxy dying.
# Octavia advertises every second; here every 0.5 s, so the BACKUP also takes the VIP
# within 2 s of the whole MASTER dying (three missed advertisements and a skew).
KEEPALIVED_VRRP_OPTS = [
    cfg.FloatOpt('vrrp_advert_int', default=0.5, min=0.05, max=255,
                 help='Amphora role and priority advertisement interval in seconds. '
                      'A BACKUP takes the VIP when it hears nothing for three '
                      'intervals and a skew (0.65 of one at priority 90): 1.8 s at '
                      'the default 0.5, 3.65 s at Octavia\'s 1. Whole seconds use '
                      'VRRP version 2 with a password, as Octavia does; a fraction '
                      'uses VRRP version 3 (RFC 5798, centisecond intervals), which '
                      'has no password.'),
    cfg.IntOpt('vrrp_check_interval', default=1, min=1,
               help='VRRP health check script run interval in seconds (the check '
                    'asks HAProxy\'s stats socket).'),
    cfg.IntOpt('vrrp_fail_count', default=1, min=1,
               help='Number of successive failures before transition to a fail '
                    'state (the BACKUP then takes the VIP). Octavia\'s default is '
                    '2 (with checks every 5 s); 1 moves the VIP within about 1.5 s '
                    'of HAProxy dying, at the price of a switch when a single check '
                    'finds no HAProxy listening or gets no answer within 2 s.'),
    cfg.IntOpt('vrrp_success_count', default=2, min=1,
               help='Number of consecutive successes before transition to a '
                    'success state.'),
    cfg.IntOpt('vrrp_garp_refresh_interval', default=5, min=0,
               help='Time in seconds between gratuitous ARP announcements from '
                    'the MASTER.'),
    cfg.IntOpt('vrrp_garp_refresh_count', default=2, min=1,
               help='Number of gratuitous ARP announcements to make on each '
                    'refresh interval.'),
    cfg.StrOpt('keepalived_binary', default='keepalived',
               help='keepalived executable run in each ACTIVE_STANDBY amphora\'s '
                    'namespace.'),
]


def register(conf=cfg.CONF):
    conf.register_opts(API_OPTS, group='api')
    conf.register_opts(API_SETTINGS_OPTS, group='api_settings')
    conf.register_opts(CONTROLLER_OPTS, group='controller')
    conf.register_opts(CERTIFICATE_OPTS, group='certificates')
    conf.register_opts(QUOTA_OPTS, group='quotas')
    conf.register_opts(LIMIT_OPTS, group='limits')
    conf.register_opts(KEEPALIVED_VRRP_OPTS, group='keepalived_vrrp')


def list_opts():
    return [('api', API_OPTS), ('api_settings', API_SETTINGS_OPTS),
            ('controller', CONTROLLER_OPTS),
            ('certificates', CERTIFICATE_OPTS), ('quotas', QUOTA_OPTS),
            ('limits', LIMIT_OPTS), ('keepalived_vrrp', KEEPALIVED_VRRP_OPTS)]


def vip_network(conf):
    network = ipaddress.ip_network(conf.controller.vip_subnet_cidr)
    if not network.subnet_of(ipaddress.ip_network('127.0.0.0/8')):
        raise ValueError('[controller] vip_subnet_cidr %s is not inside 127.0.0.0/8'
                         % network)
    return network
