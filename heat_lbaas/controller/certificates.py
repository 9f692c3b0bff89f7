"""Certificates, CA bundles and revocation lists of TLS listeners and pools, from a local
directory instead of Barbican.

A container reference is a PEM file inside the controller's certificate directory
(`[certificates] storage_path`), given as an absolute path or a `file://` URL. Nothing
else on the machine can be named: a reference outside the directory, a `..` component,
a symbolic link anywhere below the directory, and anything but a regular file (a FIFO,
a device, a socket, a directory) are refused, as is a file above MAX_BYTES. The file
is opened non-blocking and checked with fstat before a single byte is read, so a FIFO
or a device cannot stall the thread that reads it.

The API reads a reference when a listener or pool names it (outside any database
lock); the worker reads it again when it applies the load balancer and copies it into
the amphora's directory, so the amphora keeps serving the same file even if the
original changes.
"""
import errno
import hashlib
import os
import stat
import urllib.parse

from cryptography import x509
from cryptography.hazmat.primitives import serialization

# What a reference must hold, named as HAProxy's keyword prefixes.
BUNDLE = 'crt'   # a certificate (and intermediates) with its unencrypted private key
CA = 'ca'        # one or more CA certificates
CRL = 'crl'      # a certificate revocation list

# A PEM bundle with a long chain stays well under this.
MAX_BYTES = 1024 * 1024

_DIRECTORY_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
# O_NONBLOCK: opening a FIFO for reading returns at once instead of waiting for a
# writer; O_NOCTTY: a terminal never becomes the controller's.
_FILE_FLAGS = (os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY |
               os.O_CLOEXEC)


class CertificateError(ValueError):
    """The reference cannot be read, or does not hold what it must."""


class InvalidContent(CertificateError):
    """The file was read but is not a valid PEM of the expected kind."""


class CertificateStore:
    def __init__(self, storage_path):
        self.root = os.path.abspath(storage_path) if storage_path else None

    def load(self, ref, kind=BUNDLE):
        """The PEM text of `ref`, checked to be of `kind`."""
        pem = self.read(ref)
        _CHECKS[kind](pem)
        return pem

    def read(self, ref):
        parts = self._parts_below_root(ref)
        descriptor = self._open(parts)
        try:
            status = os.fstat(descriptor)
            if not stat.S_ISREG(status.st_mode):
                raise CertificateError('not a regular file')
            if status.st_size > MAX_BYTES:
                raise CertificateError('larger than %d bytes' % MAX_BYTES)
            data = b''
            while len(data) <= MAX_BYTES:
                chunk = os.read(descriptor, MAX_BYTES + 1 - len(data))
                if not chunk:
                    break
                data += chunk
        except OSError as error:
            raise CertificateError(error.strerror or str(error))
        finally:
            os.close(descriptor)
        if len(data) > MAX_BYTES:
            raise CertificateError('larger than %d bytes' % MAX_BYTES)
        return data

    def _parts_below_root(self, ref):
        if self.root is None:
            raise CertificateError('no certificate directory is configured '
                                   '([certificates] storage_path)')
        if ref.startswith('file://'):
            url = urllib.parse.urlsplit(ref)
            if url.netloc not in ('', 'localhost'):
                raise CertificateError('a file:// URL of another host')
            path = urllib.parse.unquote(url.path)
        else:
            path = ref
        if not os.path.isabs(path):
            raise CertificateError('not an absolute path or file:// URL')
        if '\0' in path:
            raise CertificateError('a path with a NUL character')
        if '..' in path.split('/'):
            raise CertificateError('a path with ".." components')
        path = os.path.normpath(path)
        for root in (self.root, os.path.realpath(self.root)):
            if path.startswith(root + os.sep):
                return path[len(root) + 1:].split(os.sep)
        raise CertificateError('not inside the certificate directory %s' % self.root)

    def _open(self, parts):
        """A descriptor of root/parts, never following a symbolic link below root."""
        try:
            directory = os.open(self.root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        except OSError as error:
            raise CertificateError('certificate directory %s: %s'
                                   % (self.root, error.strerror))
        try:
            for part in parts[:-1]:
                below = os.open(part, _DIRECTORY_FLAGS, dir_fd=directory)
                os.close(directory)
                directory = below
            return os.open(parts[-1], _FILE_FLAGS, dir_fd=directory)
        except OSError as error:
            if error.errno in (errno.ELOOP, errno.ENOTDIR):
                raise CertificateError('a symbolic link or a path through a non-directory'
                                       ', which is not followed')
            raise CertificateError(error.strerror or str(error))
        finally:
            os.close(directory)


def _check_bundle(pem):
    try:
        certificate = x509.load_pem_x509_certificates(pem)[0]
        key = serialization.load_pem_private_key(pem, password=None)
    except ValueError as error:
        raise InvalidContent('no PEM certificate and unencrypted private key: %s'
                             % error)
    if certificate.public_key().public_numbers() != key.public_key().public_numbers():
        raise InvalidContent('the private key does not match the certificate')


def ca_certificates(pem):
    try:
        return x509.load_pem_x509_certificates(pem)
    except ValueError as error:
        raise InvalidContent(str(error))


def revocation_list(pem):
    try:
        return x509.load_pem_x509_crl(pem)
    except ValueError as error:
        raise InvalidContent(str(error))


_CHECKS = {BUNDLE: _check_bundle, CA: ca_certificates, CRL: revocation_list}


def crl_signed_by(crl_pem, ca_pem):
    """Whether the revocation list is signed by one of the CA certificates."""
    crl = revocation_list(crl_pem)
    for certificate in ca_certificates(ca_pem):
        try:
            if crl.is_signature_valid(certificate.public_key()):
                return True
        except TypeError:
            continue
    return False


def staged_name(kind, pem):
    # Named by kind and content: no user-given text reaches the HAProxy configuration.
    return '%s-%s.pem' % (kind, hashlib.sha256(pem).hexdigest()[:32])
