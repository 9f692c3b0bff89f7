"""The HAProxy TLS directives rendered from listener and pool rows (pure logic; the
traffic they produce is shown in tests/functional/test_tls_options.py)."""
from heat_lbaas.controller.amphora import tls_render

PATHS = {('crt', 'default'): '/a/crt-1.pem', ('crt', 'sni'): '/a/crt-2.pem',
         ('ca', 'ca'): '/a/ca-1.pem', ('crl', 'crl'): '/a/crl-1.pem',
         ('crt', 'client'): '/a/crt-3.pem'}


def _listener(**fields):
    listener = {'protocol': 'TERMINATED_HTTPS', 'default_tls_container_ref': 'default',
                'sni_container_refs': [], 'client_ca_tls_container_ref': None,
                'client_authentication': 'NONE', 'client_crl_container_ref': None,
                'tls_ciphers': None, 'tls_versions': None, 'alpn_protocols': None,
                'hsts_max_age': None, 'hsts_include_subdomains': False,
                'hsts_preload': False}
    listener.update(fields)
    return listener


def _pool(**fields):
    pool = {'tls_enabled': True, 'tls_container_ref': None, 'ca_tls_container_ref': None,
            'crl_container_ref': None, 'tls_ciphers': None, 'tls_versions': None,
            'alpn_protocols': None}
    pool.update(fields)
    return pool


def test_bind_options_follow_octavias_template():
    listener = _listener(sni_container_refs=['sni', 'default'],
                         client_ca_tls_container_ref='ca', client_crl_container_ref='crl',
                         client_authentication='MANDATORY', tls_ciphers='HIGH:!aNULL',
                         tls_versions=['TLSv1.3', 'TLSv1.2'], alpn_protocols=['h2'])
    assert tls_render.bind_options(listener, PATHS) == [
        'ssl', 'crt', '/a/crt-1.pem', 'crt', '/a/crt-2.pem',
        'ca-file', '/a/ca-1.pem', 'verify', 'required', 'crl-file', '/a/crl-1.pem',
        'ciphers', 'HIGH:!aNULL', 'ssl-min-ver', 'TLSv1.2', 'ssl-max-ver', 'TLSv1.3',
        'alpn', 'h2']
    assert tls_render.bind_options(_listener(protocol='HTTP'), PATHS) == []


def test_a_listener_with_sni_certificates_only_serves_the_first_by_default():
    listener = _listener(default_tls_container_ref=None, sni_container_refs=['sni'])
    assert tls_render.bind_options(listener, PATHS) == ['ssl', 'crt', '/a/crt-2.pem']


def test_hsts_header_in_octavias_wording():
    assert tls_render.hsts_header(_listener()) is None
    assert tls_render.hsts_header(_listener(hsts_max_age=0)) == 'max-age=0;'
    assert tls_render.hsts_header(_listener(
        hsts_max_age=10, hsts_include_subdomains=True, hsts_preload=True)) == (
        'max-age=10; includeSubDomains; preload;')


def test_server_options_verify_against_the_ca_or_not_at_all():
    assert tls_render.server_options(_pool(tls_enabled=False, ca_tls_container_ref='ca'),
                                     PATHS, checked=True) == []
    assert tls_render.server_options(_pool(), PATHS, checked=False) == [
        'ssl', 'verify', 'none', 'sni', 'ssl_fc_sni']
    pool = _pool(tls_container_ref='client', ca_tls_container_ref='ca',
                 crl_container_ref='crl', alpn_protocols=['http/1.1'])
    assert tls_render.server_options(pool, PATHS, checked=True) == [
        'ssl', 'crt', '/a/crt-3.pem', 'ca-file', '/a/ca-1.pem', 'verify', 'required',
        'crl-file', '/a/crl-1.pem', 'sni', 'ssl_fc_sni', 'check-alpn', 'http/1.1',
        'alpn', 'http/1.1']


def test_refs_name_each_file_with_its_kind():
    assert tls_render.listener_refs(_listener(
        client_ca_tls_container_ref='ca', client_crl_container_ref='crl')) == [
        ('crt', 'default'), ('ca', 'ca'), ('crl', 'crl')]
    # A revocation list without its CA is never used (the API refuses it anyway).
    assert tls_render.pool_refs(_pool(crl_container_ref='crl')) == []
