"""TLS options of listeners and pools, with Octavia's rules, messages and defaults
(octavia/api/v2/controllers/listener.py, pool.py, octavia/common/validate.py).

The certificate references a request names are read here, before the caller takes
the database lock: a slow file can delay only its own request. Callers that re-read
the row under the lock use `references_unchanged` to notice a change in between.
"""
import re

from heat_lbaas import octavia_vocabulary as octavia
from heat_lbaas.controller import certificates
from heat_lbaas.controller import errors

# Octavia's VALID_CIPHER_RE: nothing that could end or extend the HAProxy directive.
CIPHERS_PATTERN = r'[A-Za-z0-9\-+!:@=_.]+'
# Octavia's [api_settings] defaults for TLS-enabled listeners and pools.
DEFAULT_CIPHERS = ('TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:'
                   'TLS_CHACHA20_POLY1305_SHA256:'
                   'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:'
                   'ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:'
                   'ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:'
                   'DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:'
                   'DHE-RSA-CHACHA20-POLY1305')
DEFAULT_TLS_VERSIONS = ('TLSv1.2', 'TLSv1.3')
DEFAULT_ALPN_PROTOCOLS = ('h2', 'http/1.1', 'http/1.0')
DEFAULTS = {'tls_ciphers': DEFAULT_CIPHERS, 'tls_versions': DEFAULT_TLS_VERSIONS,
            'alpn_protocols': DEFAULT_ALPN_PROTOCOLS}

LISTENER_REFS = {'default_tls_container_ref': certificates.BUNDLE,
                 'client_ca_tls_container_ref': certificates.CA,
                 'client_crl_container_ref': certificates.CRL}
POOL_REFS = {'tls_container_ref': certificates.BUNDLE,
             'ca_tls_container_ref': certificates.CA,
             'crl_container_ref': certificates.CRL}


def _default(name):
    return list(DEFAULTS[name]) if name != 'tls_ciphers' else DEFAULTS[name]


def fill_defaults(values, names=tuple(DEFAULTS)):
    """Octavia's defaults for unset (null) `names` of a TLS-enabled object."""
    for name in names:
        if values.get(name) is None:
            values[name] = _default(name)


def reset_nulls(values, names):
    """On update, null resets these to Octavia's defaults (its _set_default_on_none)."""
    for name in names:
        if name in values and values[name] is None:
            values[name] = _default(name)


def check_protocol_options(values):
    """tls_ciphers, tls_versions, alpn_protocols given in `values`."""
    ciphers = values.get('tls_ciphers')
    if ciphers is not None and not re.fullmatch(CIPHERS_PATTERN, ciphers):
        raise errors.ValidationFailure(
            'Invalid characters in cipher string. Only alphanumeric, -, +, !, :, @, '
            '=, _, and . are allowed.')
    versions = values.get('tls_versions')
    if versions is not None:
        if versions == []:
            raise errors.ValidationFailure(
                'Empty TLS version list. Either specify at least one TLS version or '
                'remove this parameter to use the default.')
        invalid = [v for v in versions if v not in octavia.TLS_VERSIONS]
        if invalid:
            raise errors.ValidationFailure('Invalid TLS versions: ' + ', '.join(invalid))
    protocols = values.get('alpn_protocols')
    if protocols is not None:
        if protocols == []:
            raise errors.ValidationFailure(
                'Empty ALPN protocol list. Either specify at least one ALPN protocol '
                'or remove this parameter to use the default.')
        invalid = [p for p in protocols if p not in octavia.ALPN_PROTOCOLS]
        if invalid:
            raise errors.ValidationFailure('Invalid ALPN protocol: ' + ', '.join(invalid))


def read(store, field, ref, kind):
    """The checked PEM of `ref`, or Octavia's 400 naming the reference and the field."""
    try:
        return store.load(ref, kind)
    except certificates.InvalidContent as error:
        if kind == certificates.CA:
            raise errors.ValidationFailure(
                'The client authentication CA certificate is invalid. It must be a '
                'valid x509 PEM format certificate. Error: %s' % error)
        if kind == certificates.CRL:
            raise errors.ValidationFailure(
                'The client authentication certificate revocation list is invalid. '
                'It must be a valid x509 PEM format certificate revocation list. '
                'Error: %s' % error)
        raise _unretrievable(field, ref, error)
    except certificates.CertificateError as error:
        raise _unretrievable(field, ref, error)


def _unretrievable(field, ref, error):
    return errors.ApiError("Could not retrieve certificate: ['%s'] (%s: %s)"
                           % (ref, field, error))


def read_ca_and_crl(store, ca_field, ca_ref, crl_field, crl_ref):
    """Octavia's _validate_client_ca_and_crl_refs: both readable, the CRL the CA's."""
    ca_pem = read(store, ca_field, ca_ref, certificates.CA)
    if crl_ref:
        crl_pem = read(store, crl_field, crl_ref, certificates.CRL)
        if not certificates.crl_signed_by(crl_pem, ca_pem):
            raise errors.ValidationFailure(
                'The CRL specified is not valid for client certificate authority '
                'reference supplied.')


def references_unchanged(fields, before, now):
    """Raise 409 if a reference checked from `before` changed in `now` meanwhile."""
    if any(before.get(name) != now.get(name) for name in fields):
        raise errors.Conflict('The certificate references changed while this request '
                              'was validated; retry it.')
