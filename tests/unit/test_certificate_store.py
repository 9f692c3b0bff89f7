"""Which references the certificate store reads (the API's answers to them are shown in
tests/functional/test_certificate_refs.py)."""
import os

import pytest

from heat_lbaas.controller import certificates
from tests.support import tls


@pytest.fixture
def store(tmp_path):
    (tmp_path / 'certs' / 'sub').mkdir(parents=True)
    tls.write_bundle(str(tmp_path / 'certs' / 'sub' / 'lb.pem'), 'lb.example.test')
    return certificates.CertificateStore(str(tmp_path / 'certs'))


def test_a_bundle_inside_is_read_by_path_and_by_file_url(store):
    path = os.path.join(store.root, 'sub', 'lb.pem')
    pem = store.load(path)
    assert pem.startswith(b'-----BEGIN CERTIFICATE-----')
    assert store.load('file://' + path) == pem
    assert store.load('file://localhost' + path.replace('lb.pem', 'l%62.pem')) == pem


@pytest.mark.parametrize('reference, reason', [
    ('{root}/sub/../sub/lb.pem', '".." components'),
    ('file://{root}/sub/%2e%2e/sub/lb.pem', '".." components'),
    ('file://elsewhere{root}/sub/lb.pem', 'another host'),
    ('{root}/sub/lb.pem\0', 'NUL'),
    ('sub/lb.pem', 'not an absolute path'),
    ('{root}-twin/sub/lb.pem', 'not inside the certificate directory'),
    ('{root}', 'not inside the certificate directory'),
    ('{root}/sub/missing.pem', 'No such file or directory'),
])
def test_references_that_are_refused(store, reference, reason):
    with pytest.raises(certificates.CertificateError, match=reason):
        store.load(reference.replace('{root}', store.root))


def test_nothing_is_read_without_a_configured_directory(store):
    path = os.path.join(store.root, 'sub', 'lb.pem')
    with pytest.raises(certificates.CertificateError, match='storage_path'):
        certificates.CertificateStore(None).load(path)


def test_each_kind_is_checked(store):
    bundle = os.path.join(store.root, 'sub', 'lb.pem')
    with pytest.raises(certificates.InvalidContent):
        store.load(bundle, certificates.CRL)
    authority = tls.Authority('ca')
    authority.write_certificate(os.path.join(store.root, 'ca.pem'))
    with pytest.raises(certificates.InvalidContent, match='private key'):
        store.load(os.path.join(store.root, 'ca.pem'), certificates.BUNDLE)
    assert store.load(os.path.join(store.root, 'ca.pem'), certificates.CA)
    authority.write_crl(os.path.join(store.root, 'crl.pem'))
    crl = store.load(os.path.join(store.root, 'crl.pem'), certificates.CRL)
    assert certificates.crl_signed_by(crl, store.read(os.path.join(store.root, 'ca.pem')))
    assert not certificates.crl_signed_by(crl, store.read(bundle))
