"""Certificates of TERMINATED_HTTPS listeners, from a local store instead of Barbican.

A container reference is a PEM file on the controller's machine, given as an absolute
path or a `file://` URL. The file holds the certificate (and any intermediates) and
its private key, the bundle HAProxy's `crt` takes. The API checks it when the listener
is created or updated; the worker copies it into the amphora's directory, so the
amphora keeps serving the same certificate even if the original file changes.
"""
import hashlib
import os
import urllib.parse

from cryptography import x509
from cryptography.hazmat.primitives import serialization


class CertificateError(ValueError):
    pass


def path_of(ref):
    """The absolute file path a container reference names."""
    if ref.startswith('file://'):
        path = urllib.parse.unquote(urllib.parse.urlsplit(ref).path)
    else:
        path = ref
    if not os.path.isabs(path):
        raise CertificateError('not an absolute path or file:// URL')
    return path


def load(ref):
    """The PEM bundle of `ref`, checked to hold a certificate and its private key."""
    try:
        with open(path_of(ref), 'rb') as pem_file:
            pem = pem_file.read(1024 * 1024)
    except OSError as error:
        raise CertificateError(error.strerror or str(error))
    try:
        certificate = x509.load_pem_x509_certificates(pem)[0]
        key = serialization.load_pem_private_key(pem, password=None)
    except ValueError as error:
        raise CertificateError('no PEM certificate and unencrypted private key: %s'
                               % error)
    if certificate.public_key().public_numbers() != key.public_key().public_numbers():
        raise CertificateError('the private key does not match the certificate')
    return pem


def staged_name(pem):
    # Named by content: no user-given text reaches the HAProxy configuration.
    return 'crt-%s.pem' % hashlib.sha256(pem).hexdigest()[:32]
