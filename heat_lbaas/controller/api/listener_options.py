"""Listener options checked beyond their declared types: certificates and inserted
headers, with Octavia's messages. (Allowed CIDRs are a declared kind, checked and
normalised by api/validation.py.)"""
from heat_lbaas.controller.amphora import certificates
from heat_lbaas.controller.api import errors

TLS_REFS = ('default_tls_container_ref', 'sni_container_refs')
# Octavia's insert_headers per listener protocol; values are the strings true/false.
INSERTABLE_HEADERS = {
    'HTTP': ('X-Forwarded-For', 'X-Forwarded-Port', 'X-Forwarded-Proto'),
    'TERMINATED_HTTPS': ('X-Forwarded-For', 'X-Forwarded-Port', 'X-Forwarded-Proto'),
}


def check(protocol, values, current=None):
    """Raise an ApiError unless the (new) listener options are valid together."""
    merged = dict(current or {}, **values)
    _check_certificates(protocol, merged, values)
    _check_insert_headers(protocol, values.get('insert_headers'))


def _refs(values):
    refs = list(values.get('sni_container_refs') or [])
    if values.get('default_tls_container_ref'):
        refs.insert(0, values['default_tls_container_ref'])
    return refs


def _check_certificates(protocol, merged, changed):
    if protocol != 'TERMINATED_HTTPS':
        if _refs(changed):
            raise errors.ValidationFailure(
                'Certificate container references are only allowed on '
                'TERMINATED_HTTPS protocol listeners.')
        return
    if not merged.get('default_tls_container_ref'):
        raise errors.ValidationFailure(
            'An SNI or default certificate container reference must be provided for '
            'TERMINATED_HTTPS listeners.')
    for ref in _refs(changed):
        try:
            certificates.load(ref)
        except certificates.CertificateError as error:
            raise errors.ApiError("Could not retrieve certificate: ['%s'] (%s)"
                                  % (ref, error))


def _check_insert_headers(protocol, headers):
    if not headers:
        return
    allowed = INSERTABLE_HEADERS.get(protocol, ())
    unknown = sorted(set(headers) - set(allowed))
    if unknown:
        raise errors.InvalidInput(
            'insert_headers', headers,
            'Unsupported header(s) for %s listeners: %s (supported: %s)'
            % (protocol, ', '.join(unknown), ', '.join(allowed) or 'none'))
    for name, value in headers.items():
        if str(value).lower() not in ('true', 'false'):
            raise errors.InvalidInput('insert_headers', headers,
                                      "Header %s must be 'true' or 'false'" % name)
