"""TLS options of listeners and pools, each shown with real TLS traffic through the VIP:
client authentication (and its revocation list), TLS versions, ciphers, ALPN, HSTS,
and re-encryption to members verified against a CA (with a client certificate)."""
import http.client
import json
import socket
import ssl
import time

import pytest

from tests.support import ports
from tests.support import tls

SERVER_NAME = 'lb.example.test'


@pytest.fixture
def authority(certificate_dir):
    """A CA, its certificate file in the certificate directory, and a server bundle."""
    ca = tls.Authority('test-ca')
    ca.write_certificate(certificate_dir / 'ca.pem')
    ca.issue(certificate_dir / 'server.pem', SERVER_NAME)
    return ca


def serve(api, lb, member, listener=None, pool=None, listener_protocol='TERMINATED_HTTPS',
          monitor=None):
    """Listener -> pool -> `member` on `lb`; returns (listener, pool, port)."""
    port = ports.free_port(lb['vip_address'])
    created_listener = api.create_child(
        lb['id'], 'listeners', 'listener', loadbalancer_id=lb['id'],
        protocol=listener_protocol, protocol_port=port, **(listener or {}))
    created_pool = api.create_child(
        lb['id'], 'pools', 'pool', listener_id=created_listener['id'], protocol='HTTP',
        lb_algorithm='ROUND_ROBIN', **(pool or {}))
    api.create_child(lb['id'], 'pools/%s/members' % created_pool['id'], 'member',
                     address=member.address, protocol_port=member.port)
    if monitor:
        api.create_child(lb['id'], 'healthmonitors', 'healthmonitor',
                         pool_id=created_pool['id'], **monitor)
    return created_listener, created_pool, port


def client(certificate=None, maximum_version=None, ciphers=None, alpn=None):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    if certificate:
        context.load_cert_chain(str(certificate))
    if maximum_version:
        context.maximum_version = maximum_version
    if ciphers:
        context.set_ciphers(ciphers)
    if alpn:
        context.set_alpn_protocols(alpn)
    return context


def exchange(vip, port, context, send_request=True):
    """One TLS connection: (TLS version, cipher, ALPN protocol, status, headers, body).
    Raises OSError (ssl.SSLError among them) when the load balancer refuses it."""
    with socket.create_connection((vip, port), timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname=SERVER_NAME) as connection:
            status, headers, body = None, {}, b''
            if send_request:
                connection.sendall(b'GET / HTTP/1.1\r\nHost: %s\r\n'
                                   b'Connection: close\r\n\r\n' % SERVER_NAME.encode())
                received = b''
                while chunk := connection.recv(65536):
                    received += chunk
                if not received:
                    raise ConnectionResetError('closed without a response')
                head, _, body = received.partition(b'\r\n\r\n')
                lines = head.decode('latin-1').split('\r\n')
                status = int(lines[0].split()[1])
                headers = {k.lower(): v.strip() for k, _, v in
                           (line.partition(':') for line in lines[1:])}
            return (connection.version(), connection.cipher()[0],
                    connection.selected_alpn_protocol(), status, headers, body)


def status_of(vip, port, context):
    return exchange(vip, port, context)[3]


def test_mandatory_client_authentication_needs_a_certificate_of_the_ca(
        api, loadbalancer, echo_server, authority, certificate_dir, tmp_path):
    authority.issue(tmp_path / 'client.pem', 'client')
    tls.Authority('other-ca').issue(tmp_path / 'stranger.pem', 'stranger')
    _, _, port = serve(api, loadbalancer, echo_server('echo'), listener={
        'default_tls_container_ref': str(certificate_dir / 'server.pem'),
        'client_ca_tls_container_ref': str(certificate_dir / 'ca.pem'),
        'client_authentication': 'MANDATORY'})
    vip = loadbalancer['vip_address']
    with pytest.raises(OSError):
        exchange(vip, port, client())
    with pytest.raises(OSError):
        exchange(vip, port, client(tmp_path / 'stranger.pem'))
    assert status_of(vip, port, client(tmp_path / 'client.pem')) == 200


def test_optional_client_authentication_and_a_revocation_list(
        api, loadbalancer, echo_server, authority, certificate_dir, tmp_path):
    revoked = authority.issue(tmp_path / 'revoked.pem', 'revoked')
    authority.issue(tmp_path / 'kept.pem', 'kept')
    tls.Authority('other-ca').issue(tmp_path / 'stranger.pem', 'stranger')
    listener, _, port = serve(api, loadbalancer, echo_server('echo'), listener={
        'default_tls_container_ref': str(certificate_dir / 'server.pem'),
        'client_ca_tls_container_ref': str(certificate_dir / 'ca.pem'),
        'client_authentication': 'OPTIONAL'})
    vip = loadbalancer['vip_address']
    assert status_of(vip, port, client()) == 200
    assert status_of(vip, port, client(tmp_path / 'revoked.pem')) == 200
    with pytest.raises(OSError):
        exchange(vip, port, client(tmp_path / 'stranger.pem'))

    authority.write_crl(certificate_dir / 'crl.pem', revoked=[revoked])
    api.update_child(loadbalancer['id'], '/listeners/' + listener['id'], 'listener',
                     client_crl_container_ref=str(certificate_dir / 'crl.pem'))
    with pytest.raises(OSError):
        exchange(vip, port, client(tmp_path / 'revoked.pem'))
    assert status_of(vip, port, client(tmp_path / 'kept.pem')) == 200


def test_tls_versions_refuse_a_client_of_another_version(
        api, loadbalancer, echo_server, authority, certificate_dir):
    listener, _, port = serve(api, loadbalancer, echo_server('echo'), listener={
        'default_tls_container_ref': str(certificate_dir / 'server.pem')})
    vip = loadbalancer['vip_address']
    # Octavia's defaults for a TERMINATED_HTTPS listener: TLS 1.2 and 1.3.
    assert listener['tls_versions'] == ['TLSv1.2', 'TLSv1.3']
    assert exchange(vip, port, client(maximum_version=ssl.TLSVersion.TLSv1_2))[0] == (
        'TLSv1.2')

    api.update_child(loadbalancer['id'], '/listeners/' + listener['id'], 'listener',
                     tls_versions=['TLSv1.3'])
    with pytest.raises(ssl.SSLError):
        exchange(vip, port, client(maximum_version=ssl.TLSVersion.TLSv1_2))
    assert exchange(vip, port, client())[0] == 'TLSv1.3'


def test_tls_ciphers_limit_what_a_client_may_use(
        api, loadbalancer, echo_server, authority, certificate_dir):
    _, _, port = serve(api, loadbalancer, echo_server('echo'), listener={
        'default_tls_container_ref': str(certificate_dir / 'server.pem'),
        'tls_versions': ['TLSv1.2'], 'tls_ciphers': 'ECDHE-ECDSA-AES256-GCM-SHA384'})
    vip = loadbalancer['vip_address']
    with pytest.raises(ssl.SSLError):
        exchange(vip, port, client(ciphers='ECDHE-ECDSA-AES128-GCM-SHA256'))
    version, cipher, _, status, _, _ = exchange(vip, port, client())
    assert (version, cipher, status) == ('TLSv1.2', 'ECDHE-ECDSA-AES256-GCM-SHA384', 200)


def test_alpn_protocols_are_offered_to_clients(
        api, loadbalancer, echo_server, authority, certificate_dir):
    listener, _, port = serve(api, loadbalancer, echo_server('echo'), listener={
        'default_tls_container_ref': str(certificate_dir / 'server.pem')})
    vip = loadbalancer['vip_address']
    offered = ['h2', 'http/1.1']
    assert exchange(vip, port, client(alpn=offered), send_request=False)[2] == 'h2'
    api.update_child(loadbalancer['id'], '/listeners/' + listener['id'], 'listener',
                     alpn_protocols=['http/1.1'])
    assert exchange(vip, port, client(alpn=offered))[2:4] == ('http/1.1', 200)


def test_hsts_header_is_added_to_responses(
        api, loadbalancer, echo_server, authority, certificate_dir):
    _, _, port = serve(api, loadbalancer, echo_server('echo'), listener={
        'default_tls_container_ref': str(certificate_dir / 'server.pem'),
        'hsts_max_age': 31536000, 'hsts_include_subdomains': True,
        'hsts_preload': True})
    headers = exchange(loadbalancer['vip_address'], port, client())[4]
    assert headers['strict-transport-security'] == (
        'max-age=31536000; includeSubDomains; preload;')


def test_reencryption_verifies_members_against_the_ca_and_presents_a_client_certificate(
        api, loadbalancer, echo_server, authority, certificate_dir, tmp_path):
    authority.issue(tmp_path / 'member.pem', 'member.example.test')
    authority.issue(certificate_dir / 'to-members.pem', 'lb-client')
    trusted = echo_server('trusted', tls_bundle=str(tmp_path / 'member.pem'),
                     client_ca=str(certificate_dir / 'ca.pem'))
    _, pool, port = serve(api, loadbalancer, trusted, listener_protocol='HTTP', pool={
        'tls_enabled': True, 'ca_tls_container_ref': str(certificate_dir / 'ca.pem'),
        'tls_container_ref': str(certificate_dir / 'to-members.pem')}, monitor={
            'type': 'HTTPS', 'delay': 1, 'timeout': 1, 'max_retries': 1,
            'max_retries_down': 1})
    assert pool['tls_versions'] == ['TLSv1.2', 'TLSv1.3']
    vip = loadbalancer['vip_address']
    body = json.loads(http_get(vip, port))
    assert body['name'] == 'trusted'

    # A member whose certificate the CA did not sign: no traffic, and its checks fail.
    tls.write_bundle(str(tmp_path / 'self-signed.pem'), 'member.example.test')
    impostor = echo_server('impostor', tls_bundle=str(tmp_path / 'self-signed.pem'))
    member = api.create_child(loadbalancer['id'], 'pools/%s/members' % pool['id'],
                              'member', address=impostor.address,
                              protocol_port=impostor.port)
    wait_for_member(api, pool['id'], member['id'], 'ERROR')
    names = {json.loads(http_get(vip, port))['name'] for _ in range(6)}
    assert names == {'trusted'}

    # Without the client certificate, the member (which requires one) refuses.
    api.update_child(loadbalancer['id'], '/pools/' + pool['id'], 'pool',
                     tls_container_ref=None)
    api.request('DELETE', '/pools/%s/members/%s' % (pool['id'], member['id']))
    api.wait_active(loadbalancer['id'])
    assert http_status(vip, port) == 503


def test_reencryption_without_a_ca_does_not_verify(api, loadbalancer, echo_server, tmp_path):
    tls.write_bundle(str(tmp_path / 'self-signed.pem'), 'member.example.test')
    member = echo_server('self-signed', tls_bundle=str(tmp_path / 'self-signed.pem'))
    _, _, port = serve(api, loadbalancer, member, listener_protocol='HTTP',
                       pool={'tls_enabled': True})
    assert json.loads(http_get(loadbalancer['vip_address'], port))['name'] == (
        'self-signed')


def http_status(vip, port):
    connection = http.client.HTTPConnection(vip, port, timeout=10)
    try:
        connection.request('GET', '/')
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def http_get(vip, port):
    connection = http.client.HTTPConnection(vip, port, timeout=10)
    try:
        connection.request('GET', '/')
        response = connection.getresponse()
        body = response.read()
        assert response.status == 200, (response.status, body)
        return body
    finally:
        connection.close()


def wait_for_member(api, pool_id, member_id, status, timeout=15):
    deadline = time.monotonic() + timeout
    while True:
        member = api.request('GET', '/pools/%s/members/%s' % (pool_id, member_id)).json()
        if member['member']['operating_status'] == status:
            return
        assert time.monotonic() < deadline, member
        time.sleep(0.1)


@pytest.mark.parametrize('listener, message', [
    ({'client_authentication': 'MANDATORY'},
     'Client authentication setting MANDATORY requires a client CA container '
     'reference.'),
    ({'client_crl_container_ref': '{dir}/crl.pem'},
     'A client authentication CA reference is required to specify a client '
     'authentication revocation list.'),
    ({'tls_versions': []}, 'Empty TLS version list.'),
    ({'tls_versions': ['TLSv1.2', 'TLSv9']}, 'Invalid TLS versions: TLSv9'),
    ({'tls_versions': ['TLSv1.1', 'TLSv1.2']},
     "Provider 'amphora' does not support a requested option: TLS versions TLSv1.1"),
    ({'alpn_protocols': ['spdy/3']}, 'Invalid ALPN protocol: spdy/3'),
    ({'alpn_protocols': []}, 'Empty ALPN protocol list.'),
    ({'tls_ciphers': 'HIGH ciphers'}, 'Invalid characters in cipher string.'),
    ({'hsts_preload': True}, 'HSTS configuration options hsts_include_subdomains and '
                             'hsts_preload only make sense if hsts_max_age is set'),
    ({'client_ca_tls_container_ref': '{dir}/server.pem.missing'},
     "Could not retrieve certificate: ['{dir}/server.pem.missing'] "
     "(client_ca_tls_container_ref: No such file or directory)"),
    ({'client_ca_tls_container_ref': '{dir}/ca.pem',
      'client_crl_container_ref': '{dir}/other-crl.pem'},
     'The CRL specified is not valid for client certificate authority reference '
     'supplied.'),
    ({'client_ca_tls_container_ref': '{dir}/server.pem.txt'},
     'The client authentication CA certificate is invalid.'),
])
def test_invalid_tls_listener_options_get_octavias_400(
        api, loadbalancer, authority, certificate_dir, listener, message):
    tls.Authority('other').write_crl(certificate_dir / 'other-crl.pem')
    authority.write_crl(certificate_dir / 'crl.pem')
    (certificate_dir / 'server.pem.txt').write_text('not a certificate')
    fields = {name: value.replace('{dir}', str(certificate_dir))
              if isinstance(value, str) else value for name, value in listener.items()}
    response = api.request('POST', '/listeners', {'listener': dict(
        loadbalancer_id=loadbalancer['id'], protocol='TERMINATED_HTTPS',
        protocol_port=8443,
        default_tls_container_ref=str(certificate_dir / 'server.pem'), **fields)})
    assert response.status_code == _expected_status(message), response.text
    assert message.replace('{dir}', str(certificate_dir)) in response.json()['faultstring']
    assert api.loadbalancer(loadbalancer['id'])['provisioning_status'] == 'ACTIVE'


@pytest.mark.parametrize('protocol, fields, message', [
    ('HTTP', {'hsts_max_age': 10}, 'The HSTS feature can only be used for listeners '
                                   'using the TERMINATED_HTTPS protocol.'),
    ('HTTP', {'client_ca_tls_container_ref': '/x'},
     'Certificate container references are not allowed on HTTP protocol listeners.'),
    ('TERMINATED_HTTPS', {}, 'An SNI or default certificate container reference must '
                             'be provided for TERMINATED_HTTPS protocol listeners.'),
])
def test_tls_options_on_the_wrong_listener_get_400(api, loadbalancer, protocol, fields,
                                                   message):
    response = api.request('POST', '/listeners', {'listener': dict(
        loadbalancer_id=loadbalancer['id'], protocol=protocol, protocol_port=8443,
        **fields)})
    assert response.status_code == 400, response.text
    assert message in response.json()['faultstring']


@pytest.mark.parametrize('pool, message', [
    ({'crl_container_ref': '{dir}/crl.pem'},
     'A CA certificate reference is required to specify a revocation list.'),
    ({'tls_enabled': True, 'tls_versions': ['SSLv3']},
     "Provider 'amphora' does not support a requested option: TLS versions SSLv3"),
    ({'tls_enabled': True, 'tls_container_ref': '{dir}/ca.pem'},
     "Could not retrieve certificate: ['{dir}/ca.pem'] (tls_container_ref: no PEM "
     "certificate and unencrypted private key"),
])
def test_invalid_tls_pool_options_get_octavias_400(
        api, loadbalancer, authority, certificate_dir, pool, message):
    authority.write_crl(certificate_dir / 'crl.pem')
    fields = {name: value.replace('{dir}', str(certificate_dir))
              if isinstance(value, str) else value for name, value in pool.items()}
    response = api.request('POST', '/pools', {'pool': dict(
        loadbalancer_id=loadbalancer['id'], protocol='HTTP', lb_algorithm='ROUND_ROBIN',
        **fields)})
    assert response.status_code == _expected_status(message), response.text
    assert message.replace('{dir}', str(certificate_dir)) in response.json()['faultstring']


def _expected_status(message):
    # Octavia's 501 for what the provider does not serve, 400 for invalid options.
    return 501 if message.startswith("Provider 'amphora'") else 400


def served_certificate(vip, port, server_name):
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with socket.create_connection((vip, port), timeout=5) as raw:
        with context.wrap_socket(raw, server_hostname=server_name) as wrapped:
            return wrapped.getpeercert(binary_form=True)


def test_the_most_sni_certificates_deploy_with_every_bind_option_and_one_more_is_400(
        api, loadbalancer, echo_server, authority, certificate_dir, controller):
    """Each SNI certificate is two words of the bind line, which HAProxy cuts at 64."""
    most = 20
    names = ['sni%d.example.test' % n for n in range(most + 1)]
    served = {name: tls.write_bundle(str(certificate_dir / (name + '.pem')), name)
              for name in names}
    refs = [str(certificate_dir / (name + '.pem')) for name in names]
    authority.write_crl(certificate_dir / 'crl.pem')
    listener, _, port = serve(api, loadbalancer, echo_server('echo'), listener={
        'default_tls_container_ref': str(certificate_dir / 'server.pem'),
        'sni_container_refs': refs[:most],
        'client_authentication': 'OPTIONAL',
        'client_ca_tls_container_ref': str(certificate_dir / 'ca.pem'),
        'client_crl_container_ref': str(certificate_dir / 'crl.pem'),
        'tls_versions': ['TLSv1.2', 'TLSv1.3'], 'alpn_protocols': ['http/1.1'],
        'tls_ciphers': 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256'})
    vip = loadbalancer['vip_address']
    assert api.loadbalancer(loadbalancer['id'])['provisioning_status'] == 'ACTIVE'
    shown = api.request('GET', '/listeners/' + listener['id']).json()['listener']
    assert shown['provisioning_status'] == 'ACTIVE', controller.log()
    for name in (names[0], names[most - 1]):
        assert served_certificate(vip, port, name) == served[name]

    response = api.request('PUT', '/listeners/' + listener['id'],
                           {'listener': {'sni_container_refs': refs}})
    assert response.status_code == 400, response.text
    assert 'sni_container_refs' in response.json()['faultstring']
