"""keepalived's configuration for one amphora of an ACTIVE_STANDBY pair.

As Octavia's keepalived driver renders it (keepalived_base.template): VRRP over
unicast between the two amphorae's own addresses (vrrp_ip), the VIP as the virtual
address, priorities MASTER 100 and BACKUP 90 with `nopreempt`, and a check script on
HAProxy's stats socket (vrrp_check.py) that moves the VIP away from an amphora whose
HAProxy stopped answering. Unlike Octavia, whose amphorae each sit on their load
balancer's own network, every amphora here shares one bridge, so each load balancer's
pair gets its own virtual_router_id.
"""
import dataclasses
import math
import os
import shlex
import sys

from heat_lbaas.controller.amphora import jinja_env
from heat_lbaas.controller.amphora import vrrp_check

MASTER, BACKUP, STANDALONE = 'MASTER', 'BACKUP', 'STANDALONE'
# Octavia's constants ROLE_MASTER_PRIORITY and ROLE_BACKUP_PRIORITY.
PRIORITY = {MASTER: 100, BACKUP: 90}
VRRP_IDS = range(1, 256)
# keepalived reads at most 8 characters of a PASS password.
AUTH_PASS_LENGTH = 8
# Seconds a Python start may take on a loaded machine: keepalived's deadline for a
# check covers it and the check's own longest wait (a check it ends counts failed).
PYTHON_START_ALLOWANCE = 2
CHECK_TIMEOUT = math.ceil(vrrp_check.LONGEST_WAIT + PYTHON_START_ALLOWANCE)


@dataclasses.dataclass(frozen=True)
class VrrpTiming:
    """Octavia's [keepalived_vrrp] options (config.KEEPALIVED_VRRP_OPTS)."""
    advert_int: float = 1
    check_interval: int = 1
    fail_count: int = 1
    success_count: int = 2
    garp_refresh_interval: int = 5
    garp_refresh_count: int = 2

    @classmethod
    def from_conf(cls, conf):
        group = conf.keepalived_vrrp
        return cls(**{field.name: getattr(group, 'vrrp_' + field.name)
                      for field in dataclasses.fields(cls)})


@dataclasses.dataclass(frozen=True)
class VrrpAmphora:
    amphora_id: str
    role: str               # MASTER or BACKUP
    vrrp_ip: str            # the amphora's own address on the bridge
    interface: str          # its interface inside its namespace
    stats_socket: str       # its HAProxy's stats socket


def check_command(stats_sockets):
    """The command keepalived runs to check HAProxy: this interpreter, isolated (-I:
    no user site, no environment) and without site-packages (-S: the check needs only
    the standard library, and starts in about half the CPU time, which counts on a
    loaded machine where a check that misses its deadline moves the VIP), running
    vrrp_check.py on the sockets."""
    words = [sys.executable, '-I', '-S', os.path.abspath(vrrp_check.__file__)]
    words += stats_sockets
    for word in words:
        # keepalived splits the script line on spaces and reads quotes itself.
        if any(c.isspace() or c in '"\'\\' for c in word):
            raise ValueError('keepalived cannot run a check path with spaces or quotes: '
                             '%r' % word)
    return shlex.join(words)


def _advert_int(seconds):
    """keepalived's notation: whole seconds as an integer, else centiseconds."""
    seconds = float(seconds)
    return '%d' % seconds if seconds.is_integer() else '%.2f' % seconds


def render(loadbalancer_id, vrrp_id, auth_pass, vip_address, vip_prefixlen, amphora,
           peers, timing, script_user):
    """keepalived.conf of `amphora`, whose peers are `peers` (VrrpAmphora each).

    Whole-second advertisement intervals are VRRP version 2 with a password, as
    Octavia renders them; a fraction needs VRRP version 3, which has no password."""
    if vrrp_id not in VRRP_IDS:
        raise ValueError('virtual_router_id %s outside 1-255' % vrrp_id)
    if not auth_pass.isalnum() or len(auth_pass) > AUTH_PASS_LENGTH:
        raise ValueError('a VRRP password is up to 8 letters and digits')
    return jinja_env.ENVIRONMENT.get_template('keepalived.conf.j2').render(
        amphora_id=amphora.amphora_id, loadbalancer_id=loadbalancer_id,
        role=amphora.role, router_id=amphora.amphora_id.replace('-', '')[:16],
        script_user=script_user,
        check_command=check_command([amphora.stats_socket]),
        check_interval=timing.check_interval,
        check_timeout=max(timing.check_interval, CHECK_TIMEOUT),
        fail_count=timing.fail_count, success_count=timing.success_count,
        vrrp_group_name=loadbalancer_id.replace('-', ''),
        interface=amphora.interface, vrrp_id=vrrp_id,
        priority=PRIORITY[amphora.role],
        garp_refresh_interval=timing.garp_refresh_interval,
        garp_refresh_count=timing.garp_refresh_count,
        advert_int=_advert_int(timing.advert_int),
        vrrp_version=2 if float(timing.advert_int).is_integer() else 3,
        auth_pass=auth_pass,
        vrrp_ip=amphora.vrrp_ip, peer_vrrp_ips=[peer.vrrp_ip for peer in peers],
        vip_address=vip_address, vip_prefixlen=vip_prefixlen)
