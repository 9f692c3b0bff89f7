"""Certificate references of the noop amphora driver, as Octavia's noop_cert_manager.

Every reference, whatever it names, is accepted without reading anything: a
certificate bundle is one self-signed certificate with its key, a CA bundle is that
certificate, a revocation list is an empty one it signed. All three are generated
once per controller, so the API's checks (a key matching its certificate, a CRL
signed by its CA) pass as they would for real files.
"""
import datetime

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from heat_lbaas.controller import certificates

NAME = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, 'heat-lbaas noop certificate')])
VALIDITY = datetime.timedelta(days=3650)


def _generated_pems():
    # An EC key: generated in a millisecond, where RSA takes tens of them.
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder().subject_name(NAME).issuer_name(NAME)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + VALIDITY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256()))
    crl = (x509.CertificateRevocationListBuilder().issuer_name(NAME)
           .last_update(now).next_update(now + VALIDITY).sign(key, hashes.SHA256()))
    certificate_pem = certificate.public_bytes(serialization.Encoding.PEM)
    key_pem = key.private_bytes(serialization.Encoding.PEM,
                                serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return {certificates.BUNDLE: certificate_pem + key_pem,
            certificates.CA: certificate_pem,
            certificates.CRL: crl.public_bytes(serialization.Encoding.PEM)}


class NoopCertificateStore:
    """The CertificateStore interface (load, read), with no file behind any ref."""

    def __init__(self):
        self._pems = _generated_pems()

    def load(self, ref, kind=certificates.BUNDLE):
        return self._pems[kind]

    def read(self, ref):
        return self._pems[certificates.BUNDLE]
