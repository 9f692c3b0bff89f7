"""HAProxy's TLS directives for listeners (bind options, HSTS header) and pools (server
options), as Octavia's own HAProxy template renders them
(octavia/common/jinja/haproxy/combined_listeners/templates/macros.j2).

Every value is a path the worker chose for a staged copy (certificates.staged_name),
a fixed keyword, a TLS version or ALPN protocol from a fixed list, or a cipher string
checked by the API against Octavia's pattern (no white space, quotes or '#').
"""
from heat_lbaas.controller import certificates

# Octavia's CLIENT_AUTH_MAP: client_authentication -> HAProxy's `verify`.
CLIENT_VERIFY = {'NONE': 'none', 'OPTIONAL': 'optional', 'MANDATORY': 'required'}
# Octavia's version names, oldest first, and HAProxy's names for them.
HAPROXY_TLS_VERSIONS = {'SSLv3': 'SSLv3', 'TLSv1': 'TLSv1.0', 'TLSv1.1': 'TLSv1.1',
                        'TLSv1.2': 'TLSv1.2', 'TLSv1.3': 'TLSv1.3'}
_VERSION_ORDER = tuple(HAPROXY_TLS_VERSIONS)


def listener_refs(listener):
    """(kind, ref) of every file a TERMINATED_HTTPS listener's bind line uses."""
    if listener['protocol'] != 'TERMINATED_HTTPS':
        return []
    # The default certificate first: HAProxy serves the first to clients without
    # SNI (with SNI certificates only, the first of them, as Octavia's crt-list).
    default = listener['default_tls_container_ref']
    refs = [(certificates.BUNDLE, ref) for ref in
            dict.fromkeys(([default] if default else []) +
                          list(listener['sni_container_refs'] or []))]
    if listener['client_ca_tls_container_ref']:
        refs.append((certificates.CA, listener['client_ca_tls_container_ref']))
        if listener['client_crl_container_ref']:
            refs.append((certificates.CRL, listener['client_crl_container_ref']))
    return refs


def pool_refs(pool):
    """(kind, ref) of every file a TLS-enabled pool's server lines use."""
    if not pool['tls_enabled']:
        return []
    refs = []
    if pool['tls_container_ref']:
        refs.append((certificates.BUNDLE, pool['tls_container_ref']))
    if pool['ca_tls_container_ref']:
        refs.append((certificates.CA, pool['ca_tls_container_ref']))
        if pool['crl_container_ref']:
            refs.append((certificates.CRL, pool['crl_container_ref']))
    return refs


def _protocol_options(row):
    """ciphers, TLS versions and ALPN, shared by bind and server lines."""
    options = []
    if row['tls_ciphers']:
        options += ['ciphers', row['tls_ciphers']]
    if row['tls_versions']:
        ordered = sorted(row['tls_versions'], key=_VERSION_ORDER.index)
        # The API refuses versions this HAProxy cannot serve, so the allowed ones are
        # contiguous and a range says exactly which.
        options += ['ssl-min-ver', HAPROXY_TLS_VERSIONS[ordered[0]],
                    'ssl-max-ver', HAPROXY_TLS_VERSIONS[ordered[-1]]]
    if row['alpn_protocols']:
        options += ['alpn', ','.join(row['alpn_protocols'])]
    return options


def bind_options(listener, paths):
    """What follows `bind VIP:port` for a TERMINATED_HTTPS listener; [] otherwise.
    `paths`: {(kind, ref): path of its staged copy}."""
    if listener['protocol'] != 'TERMINATED_HTTPS':
        return []
    options = ['ssl']
    for kind, ref in listener_refs(listener):
        if kind == certificates.BUNDLE:
            options += ['crt', paths[kind, ref]]
        elif kind == certificates.CA:
            options += ['ca-file', paths[kind, ref],
                        'verify', CLIENT_VERIFY[listener['client_authentication']]]
        else:
            options += ['crl-file', paths[kind, ref]]
    return options + _protocol_options(listener)


def hsts_header(listener):
    """The Strict-Transport-Security value (Octavia's wording), or None."""
    if listener['protocol'] != 'TERMINATED_HTTPS' or listener['hsts_max_age'] is None:
        return None
    value = 'max-age=%d;' % listener['hsts_max_age']
    if listener['hsts_include_subdomains']:
        value += ' includeSubDomains;'
    if listener['hsts_preload']:
        value += ' preload;'
    return value


def server_options(pool, paths, checked):
    """What server lines of a TLS-enabled pool add (re-encryption to members); []
    otherwise. `checked`: the pool has a health monitor (its checks use TLS too)."""
    if not pool['tls_enabled']:
        return []
    options = ['ssl']
    for kind, ref in pool_refs(pool):
        if kind == certificates.BUNDLE:
            options += ['crt', paths[kind, ref]]
        elif kind == certificates.CA:
            options += ['ca-file', paths[kind, ref], 'verify', 'required']
        else:
            options += ['crl-file', paths[kind, ref]]
    if not pool['ca_tls_container_ref']:
        options += ['verify', 'none']
    # The client's SNI (if the listener terminates TLS) goes on to the member.
    options += ['sni', 'ssl_fc_sni']
    if checked and pool['alpn_protocols']:
        options += ['check-alpn', ','.join(pool['alpn_protocols'])]
    return options + _protocol_options(pool)
