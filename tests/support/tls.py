"""Self-signed certificates made at test time (PEM bundles of certificate and key)."""
import datetime

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def write_bundle(path, common_name):
    """Write cert + key to `path`; return the certificate's DER bytes."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now - datetime.timedelta(minutes=5))
                   .not_valid_after(now + datetime.timedelta(days=1))
                   .add_extension(x509.SubjectAlternativeName([x509.DNSName(common_name)]),
                                  critical=False)
                   .sign(key, hashes.SHA256()))
    with open(path, 'wb') as bundle:
        bundle.write(certificate.public_bytes(serialization.Encoding.PEM))
        bundle.write(key.private_bytes(serialization.Encoding.PEM,
                                       serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    return certificate.public_bytes(serialization.Encoding.DER)


class Authority:
    """A test certificate authority: issues server and client bundles and revokes."""

    def __init__(self, common_name):
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
        now = datetime.datetime.now(datetime.timezone.utc)
        self.certificate = (
            x509.CertificateBuilder().subject_name(self.name).issuer_name(self.name)
            .public_key(self.key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None),
                           critical=True)
            .add_extension(x509.KeyUsage(
                digital_signature=True, content_commitment=False,
                key_encipherment=False, data_encipherment=False, key_agreement=False,
                key_cert_sign=True, crl_sign=True, encipher_only=False,
                decipher_only=False), critical=True)
            .sign(self.key, hashes.SHA256()))

    def write_certificate(self, path):
        """The CA certificate alone (what ca-file takes)."""
        with open(path, 'wb') as pem:
            pem.write(self.certificate.public_bytes(serialization.Encoding.PEM))

    def issue(self, path, common_name):
        """Write a bundle (certificate + key) signed by this CA; return the certificate."""
        key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.datetime.now(datetime.timezone.utc)
        certificate = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME,
                                                        common_name)]))
            .issuer_name(self.name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(common_name)]),
                           critical=False)
            .sign(self.key, hashes.SHA256()))
        with open(path, 'wb') as bundle:
            bundle.write(certificate.public_bytes(serialization.Encoding.PEM))
            bundle.write(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
        return certificate

    def write_crl(self, path, revoked=()):
        """A revocation list signed by this CA, revoking the `revoked` certificates."""
        now = datetime.datetime.now(datetime.timezone.utc)
        builder = (x509.CertificateRevocationListBuilder().issuer_name(self.name)
                   .last_update(now - datetime.timedelta(minutes=5))
                   .next_update(now + datetime.timedelta(days=1)))
        for certificate in revoked:
            builder = builder.add_revoked_certificate(
                x509.RevokedCertificateBuilder()
                .serial_number(certificate.serial_number)
                .revocation_date(now - datetime.timedelta(minutes=5)).build())
        crl = builder.sign(self.key, hashes.SHA256())
        with open(path, 'wb') as pem:
            pem.write(crl.public_bytes(serialization.Encoding.PEM))
