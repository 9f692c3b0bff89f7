"""Certificate references cannot reach the rest of the host: only regular files inside
the controller's certificate directory are read. Everything else (a path outside it,
`..`, a symbolic link out, a FIFO, a device, a directory, a huge file) is a 400 naming
the field, and neither the API nor the worker ever waits on such a file."""
import os
import ssl
import time

import pytest

from tests.support import tls

# (object, field, other fields the object needs so that only `field` is at fault).
FIELDS = [
    ('listener', 'default_tls_container_ref', {}),
    ('listener', 'client_ca_tls_container_ref',
     {'default_tls_container_ref': '{good_bundle}', 'client_authentication': 'OPTIONAL'}),
    ('pool', 'tls_container_ref', {'tls_enabled': True}),
    ('pool', 'ca_tls_container_ref', {'tls_enabled': True}),
]


@pytest.fixture
def hostile_refs(certificate_dir, tmp_path):
    """name -> a reference that must be refused, each holding or reaching a valid PEM."""
    outside = tmp_path / 'outside.pem'
    tls.write_bundle(str(outside), 'outside.example.test')
    (certificate_dir / 'link-out.pem').symlink_to(outside)
    (certificate_dir / 'linked-dir').symlink_to(tmp_path, target_is_directory=True)
    os.mkfifo(certificate_dir / 'fifo.pem')
    (certificate_dir / 'a-directory').mkdir()
    with open(certificate_dir / 'huge.pem', 'wb') as huge:
        huge.truncate(64 * 1024 * 1024)
    return {
        'absolute path outside': str(outside),
        'file:// URL outside': 'file://' + str(outside),
        'dot-dot escape': str(certificate_dir) + '/..' * 12 + str(outside),
        'symlink out': str(certificate_dir / 'link-out.pem'),
        'through a symlinked directory': str(certificate_dir / 'linked-dir' / 'outside.pem'),
        'FIFO': str(certificate_dir / 'fifo.pem'),
        'device': '/dev/zero',
        'device by file:// URL': 'file:///dev/zero',
        'directory': str(certificate_dir / 'a-directory'),
        'huge file': str(certificate_dir / 'huge.pem'),
        'relative path': 'outside.pem',
    }


def _create(api, lb, kind, fields):
    if kind == 'listener':
        body = dict(loadbalancer_id=lb['id'], protocol='TERMINATED_HTTPS',
                    protocol_port=8443, **fields)
    else:
        body = dict(loadbalancer_id=lb['id'], protocol='HTTP',
                    lb_algorithm='ROUND_ROBIN', **fields)
    return api.request('POST', '/%ss' % kind, {kind: body})


@pytest.mark.parametrize('kind, field, needs', FIELDS,
                         ids=[field for _, field, _ in FIELDS])
def test_every_reference_outside_the_directory_is_a_400_naming_the_field(
        api, loadbalancer, certificate_dir, hostile_refs, kind, field, needs):
    tls.write_bundle(str(certificate_dir / 'good.pem'), 'lb.example.test')
    extra = {name: value.replace('{good_bundle}', str(certificate_dir / 'good.pem'))
             if isinstance(value, str) else value for name, value in needs.items()}
    for case, ref in hostile_refs.items():
        started = time.monotonic()
        response = _create(api, loadbalancer, kind, dict(extra, **{field: ref}))
        assert response.status_code == 400, (case, response.text)
        fault = response.json()['faultstring']
        assert fault.startswith("Could not retrieve certificate: ['%s'] (%s: "
                                % (ref, field)), (case, fault)
        # Refused at once: nothing waited for a writer of the FIFO or read the device.
        assert time.monotonic() - started < 10, case
    assert api.loadbalancer(loadbalancer['id'])['provisioning_status'] == 'ACTIVE'


def test_a_reference_inside_the_directory_by_file_url_and_subdirectory_is_read(
        api, loadbalancer, certificate_dir):
    (certificate_dir / 'site').mkdir()
    tls.write_bundle(str(certificate_dir / 'site' / 'lb.pem'), 'lb.example.test')
    response = _create(api, loadbalancer, 'listener', {
        'default_tls_container_ref': 'file://' + str(certificate_dir / 'site' / 'lb.pem')})
    assert response.status_code == 201, response.text
    api.wait_active(loadbalancer['id'])


def test_a_file_turned_into_a_fifo_fails_the_change_without_blocking_the_worker(
        api, loadbalancer, certificate_dir, controller):
    bundle = certificate_dir / 'lb.pem'
    certificate = tls.write_bundle(str(bundle), 'lb.example.test')
    response = _create(api, loadbalancer, 'listener',
                       {'default_tls_container_ref': str(bundle)})
    assert response.status_code == 201, response.text
    listener = response.json()['listener']
    api.wait_active(loadbalancer['id'])
    vip, port = loadbalancer['vip_address'], 8443

    bundle.unlink()
    os.mkfifo(bundle)
    response = api.request('PUT', '/listeners/' + listener['id'],
                           {'listener': {'name': 'renamed'}})
    assert response.status_code == 200, response.text
    # The change fails as Octavia's revert does: the listener goes to ERROR, its load
    # balancer back to ACTIVE (it takes the next request).
    deadline = time.monotonic() + 15
    while api.listener(listener['id'])['provisioning_status'] != 'ERROR':
        assert time.monotonic() < deadline, 'the worker did not finish the change'
        time.sleep(0.05)
    assert api.loadbalancer(loadbalancer['id'])['provisioning_status'] == 'ACTIVE'
    assert 'not a regular file' in controller.log()
    # The previous configuration still serves, with the previous certificate.
    assert ssl.PEM_cert_to_DER_cert(ssl.get_server_certificate((vip, port))) == certificate
    # A new request naming the FIFO is refused at once; the API keeps answering.
    response = api.request('PUT', '/listeners/' + listener['id'],
                           {'listener': {'default_tls_container_ref': str(bundle)}})
    assert response.status_code == 400, response.text
    assert 'not a regular file' in response.json()['faultstring']

    bundle.unlink()
    repaired = tls.write_bundle(str(bundle), 'lb.example.test')
    response = api.request('PUT', '/loadbalancers/%s/failover' % loadbalancer['id'])
    assert response.status_code == 202, response.text
    api.wait_active(loadbalancer['id'])
    # The listener in ERROR is repaired by its next update, which reads the file again.
    response = api.request('PUT', '/listeners/' + listener['id'],
                           {'listener': {'name': 'repaired'}})
    assert response.status_code == 200, response.text
    api.wait_active(loadbalancer['id'])
    assert api.listener(listener['id'])['provisioning_status'] == 'ACTIVE'
    assert ssl.PEM_cert_to_DER_cert(ssl.get_server_certificate((vip, port))) == repaired
