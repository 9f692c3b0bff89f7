"""The nftables ruleset of one load balancer's UDP listeners: what keepalived's LVS
virtual servers do in Octavia's amphora (kernel forwarding of datagrams to the
members, NAT mode), done by nf_tables in the amphora's network namespace, since
this kernel has no IPVS (docs/controller.md, "UDP data plane").

One table of ours, `ip heat_lbaas`, replaced whole in one `nft -f` transaction
(`add table` + `delete table` + the new table): a change never leaves a moment
with half a ruleset. Per listener with a default pool, in the prerouting NAT chain:

- datagrams from outside allowed_cidrs are dropped;
- the others are DNATed to one member of the rotation (members live, enabled,
  with weight > 0 and not taken out by their health check), chosen as Octavia's
  algorithm says where nftables can: ROUND_ROBIN `numgen inc` over the members,
  each repeated by its weight (divided by the weights' greatest common divisor);
  SOURCE_IP and SOURCE_IP persistence `jhash` of the client's address masked by
  persistence_granularity; SOURCE_IP_PORT `jhash` of address and port.
  (LEAST_CONNECTIONS has no nftables counterpart: the API refuses it, 501.)
- with no member in rotation, the datagrams are dropped, as LVS drops them with no
  real server.

The postrouting chain masquerades what was DNATed, so members answer the amphora,
which sends the answer back from the VIP (Octavia's amphora masquerades for LVS).
The choice is made for a flow's first datagram; conntrack keeps the flow's later
datagrams on the same member while its entry lives.

Only validated, normalised values reach the text: addresses and networks through
ipaddress, ports and weights as ints, ids as UUIDs.
"""
import functools
import ipaddress
import math
import uuid

from heat_lbaas import octavia_vocabulary as octavia

TABLE = 'heat_lbaas'
UDP = 'UDP'
# Objects in these states are in the ruleset (as in the HAProxy configuration).
LIVE = ('ACTIVE', 'PENDING_CREATE', 'PENDING_UPDATE', 'ERROR')
# Algorithms nftables can carry out; LEAST_CONNECTIONS needs counts of flows per
# member that no nftables expression keeps.
ALGORITHMS = ('ROUND_ROBIN', 'SOURCE_IP', 'SOURCE_IP_PORT')
# jhash's seed: fixed, so a client hashes to the same member after every re-render.
SEED = 0


class Unrenderable(ValueError):
    """A value the API should have refused reached the renderer."""


def _live(rows):
    return [row for row in rows if row['provisioning_status'] in LIVE]


def _id(value):
    return str(uuid.UUID(str(value)))


def _port(value):
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 65536:
        raise Unrenderable('not a port: %r' % (value,))
    return value


def _ipv4(value):
    address = ipaddress.ip_address(value)
    if address.version != 4:
        raise Unrenderable('not an IPv4 address: %r' % (value,))
    return str(address)


def rotation(members, out_of_rotation=()):
    """(address, port) of each member the pool sends to, repeated by its weight
    (over the weights' greatest common divisor), in a stable order."""
    chosen = [m for m in members
              if m['admin_state_up'] and m['weight'] and m['weight'] > 0
              and m['id'] not in out_of_rotation]
    if not chosen:
        return []
    divisor = functools.reduce(math.gcd, [m['weight'] for m in chosen])
    entries = []
    for member in sorted(chosen, key=lambda m: (m['created_at'] or '', m['id'])):
        entries += [(_ipv4(member['address']), _port(member['protocol_port']))] * (
            member['weight'] // divisor)
    return entries


def _granularity_mask(persistence):
    """The IPv4 netmask persistence_granularity gives (None: the whole address, the
    default). The API takes IPv4 and IPv6 netmasks alike; as for keepalived (a
    netmask or a prefix length), the leading bits of either count, at most 32."""
    given = persistence.get('persistence_granularity')
    if not given:
        return None
    bits = min(32, bin(int(ipaddress.ip_address(given))).count('1'))
    return None if bits == 32 else str(ipaddress.IPv4Network('0.0.0.0/%d' % bits).netmask)


def selector(pool):
    """The nftables expression choosing the index of the member of a new flow."""
    persistence = pool['session_persistence'] or {}
    algorithm = pool['lb_algorithm']
    if persistence.get('type') == octavia.SOURCE_IP_PERSISTENCE or \
            algorithm == 'SOURCE_IP':
        mask = _granularity_mask(persistence)
        source = 'ip saddr' if mask is None else 'ip saddr & %s' % mask
        return 'jhash %s mod %%d seed %d' % (source, SEED)
    if algorithm == 'SOURCE_IP_PORT':
        return 'jhash ip saddr . udp sport mod %%d seed %d' % SEED
    if algorithm == 'ROUND_ROBIN':
        return 'numgen inc mod %d'
    raise Unrenderable('no nftables counterpart of %s' % algorithm)


def _allowed(listener):
    """The IPv4 networks allowed_cidrs lets in; None: everyone."""
    cidrs = listener['allowed_cidrs'] or []
    if not cidrs:
        return None
    networks = {ipaddress.ip_network(c, strict=False) for c in cidrs}
    return [str(network) for network in sorted(n for n in networks if n.version == 4)]


def listener_rules(tree, listener, pool, vip, out_of_rotation):
    """The prerouting rules of one UDP listener."""
    match = 'ip daddr %s udp dport %d' % (vip, _port(listener['protocol_port']))
    comment = 'comment "listener %s"' % _id(listener['id'])
    rules = []
    allowed = _allowed(listener)
    if allowed is not None:
        # Octavia's VIP-side filter: a listener with CIDRs of another version only
        # lets in nothing of this one.
        rules.append('%s %s counter drop %s' % (
            match, 'ip saddr != { %s }' % ', '.join(allowed) if allowed else '',
            comment))
    members = [m for m in _live(tree.members_of(pool['id']))
               if ipaddress.ip_address(m['address']).version == 4]
    entries = rotation(members, out_of_rotation) if pool['admin_state_up'] else []
    if not entries:
        rules.append('%s counter drop %s' % (match, comment))
        return rules
    mapping = ', '.join('%d : %s . %d' % (index, address, port)
                        for index, (address, port) in enumerate(entries))
    rules.append('%s counter dnat ip addr . port to %s map { %s } %s' % (
        match, selector(pool) % len(entries), mapping, comment))
    return rules


def served_listeners(tree):
    """(listener, pool) of each UDP listener the ruleset serves: live, enabled, with
    a live default pool (Octavia renders no virtual server for the others)."""
    if not tree.loadbalancer['admin_state_up']:
        return []
    pools = {p['id']: p for p in _live(tree.pools)}
    return [(listener, pools[listener['default_pool_id']])
            for listener in _live(tree.listeners)
            if listener['protocol'] == UDP and listener['admin_state_up']
            and listener['default_pool_id'] in pools]


def has_udp_listeners(tree):
    return any(listener['protocol'] == UDP for listener in _live(tree.listeners))


def render(tree, out_of_rotation=()):
    """The `nft -f` text replacing our table in the amphora's namespace, or None
    when the load balancer has no live UDP listener (the table is then removed)."""
    if not has_udp_listeners(tree):
        return None
    vip = _ipv4(tree.loadbalancer['vip_address'])
    rules = [rule for listener, pool in sorted(served_listeners(tree),
                                              key=lambda pair: pair[0]['protocol_port'])
             for rule in listener_rules(tree, listener, pool, vip, out_of_rotation)]
    lines = [
        '# Rendered by heat-lbaas for load balancer %s; do not edit.'
        % _id(tree.loadbalancer['id']),
        'add table ip %s' % TABLE,
        'delete table ip %s' % TABLE,
        'table ip %s {' % TABLE,
        '    chain prerouting {',
        '        type nat hook prerouting priority dstnat; policy accept;',
        *('        ' + rule for rule in rules),
        '    }',
        '    chain postrouting {',
        '        type nat hook postrouting priority srcnat; policy accept;',
        '        ct status dnat counter masquerade',
        '    }',
        '}',
    ]
    return '\n'.join(lines) + '\n'


def removal():
    """The `nft -f` text removing our table (whether or not it exists)."""
    return 'add table ip %s\ndelete table ip %s\n' % (TABLE, TABLE)
