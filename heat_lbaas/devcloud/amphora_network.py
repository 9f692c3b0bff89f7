"""Where the devcloud's amphorae run: each in a network namespace of its own when this
process can make them (root and a working `ip netns`), else on the loopback interface
(the controller's [controller] amphora_network).

Every state directory gets its own namespace prefix, bridge and private /24, so two
devclouds (and the tests' own controllers) never share or sweep each other's."""
import hashlib
import ipaddress

from heat_lbaas.controller.amphora import netns

AUTO = 'auto'
LOOPBACK = 'loopback'
NAMESPACE = 'namespace'
CHOICES = (AUTO, LOOPBACK, NAMESPACE)
# RFC 2544's benchmarking range: private, never routed; its first /24 is the
# controller's default namespace_cidr.
RANGE = ipaddress.ip_network('198.18.0.0/15')


class Unavailable(Exception):
    """Namespace mode was asked for where namespaces cannot be made."""


def asked(option, first_up, last_choice):
    """What an `up` asks for: the option given, else auto the first time, else the
    state dir's last choice (its load balancers' VIPs are in that mode's range)."""
    return option or (AUTO if first_up else last_choice)


def choose(asked, amphora_driver, can_make_namespaces):
    """The amphora_network of the controller: namespace (`auto` where it can be
    done) or loopback. Only real HAProxy amphorae have a network."""
    if amphora_driver != 'haproxy' or asked == LOOPBACK:
        return LOOPBACK
    if asked == NAMESPACE and not can_make_namespaces:
        raise Unavailable('--amphora-network namespace needs root and a working '
                          '`ip netns`')
    return NAMESPACE if can_make_namespaces else LOOPBACK


def names(state_dir):
    """(namespace prefix, bridge name) of one state directory."""
    token = hashlib.sha1(str(state_dir).encode(), usedforsecurity=False).hexdigest()[:6]
    return 'hlbd' + token, 'hlbd%sbr' % token


def choose_cidr(previous, bridge):
    """The previous /24 if no route of someone else has come over it, else the first
    /24 of RANGE that no host route overlaps, counting from one picked by the bridge's
    name: a devcloud's bridge (and its route) exists only once its first amphora runs,
    so two devclouds starting from the same first /24 would both take it."""
    if previous:
        try:
            netns.check_cidr(previous, bridge=bridge)
            return previous
        except netns.TopologyError:
            pass
    taken = [route for route, device in netns.host_routes()
             if device != bridge and route.prefixlen > 0]
    candidates = list(RANGE.subnets(new_prefix=24))
    start = int(hashlib.sha1(bridge.encode(), usedforsecurity=False).hexdigest(), 16)
    for offset in range(len(candidates)):
        candidate = candidates[(start + offset) % len(candidates)]
        if not any(route.overlaps(candidate) for route in taken):
            return str(candidate)
    raise Unavailable('no /24 of %s is free of host routes' % RANGE)
