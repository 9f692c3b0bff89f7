"""Listener options checked beyond their declared types: certificates, TLS options
and inserted headers, with Octavia's messages. (Allowed CIDRs are a declared kind,
checked and normalised by api/validation.py.)"""
from heat_lbaas.controller import certificates
from heat_lbaas.controller import model
from heat_lbaas.controller.api import capabilities
from heat_lbaas.controller import errors
from heat_lbaas.controller.api import lvs_rules
from heat_lbaas.controller.api import tls_options

TERMINATED_HTTPS = 'TERMINATED_HTTPS'
# Every field naming a file; a change of one between validation and the update's
# transaction is caught by tls_options.references_unchanged.
REFERENCE_FIELDS = ('default_tls_container_ref', 'sni_container_refs',
                    'client_ca_tls_container_ref', 'client_crl_container_ref')


def check(protocol, values, certificate_store, current=None):
    """Raise an ApiError unless the (new) listener options are valid together.

    Reads the certificate files `values` names: call it before taking the database
    lock. On create, fills in Octavia's TLS defaults of TERMINATED_HTTPS listeners."""
    lvs_rules.check_listener(protocol, values, update=current is not None)
    if current is None:
        _check_tls_create(protocol, values, certificate_store)
    else:
        _check_tls_update(protocol, values, current, certificate_store)
    _check_insert_headers(protocol, values.get('insert_headers'))


def _set_elsewhere_only(protocol, values):
    """Fields set in `values` that model.py declares for other listener protocols."""
    return [f.name for f in model.LISTENER.fields
            if f.listener_protocols and protocol not in f.listener_protocols
            and values.get(f.name) not in (None, [], '')]


def _server_refs(values):
    return bool(values.get('default_tls_container_ref') or
                values.get('sni_container_refs'))


def _check_references_fit(protocol, values, merged):
    """Certificates on TERMINATED_HTTPS listeners only, and always there."""
    if any(name in REFERENCE_FIELDS for name in _set_elsewhere_only(protocol, values)):
        raise errors.ValidationFailure(
            'Certificate container references are not allowed on %s protocol '
            'listeners.' % protocol)
    if protocol == TERMINATED_HTTPS and not _server_refs(merged):
        raise errors.ValidationFailure(
            'An SNI or default certificate container reference must be provided for '
            '%s protocol listeners.' % protocol)


def _check_tls_create(protocol, values, store):
    _check_references_fit(protocol, values, values)
    _check_client_authentication(values)
    tls_options.check_protocol_options(values)
    _check_hsts(protocol, values, values)
    _read_references(values, values, store)
    if protocol == TERMINATED_HTTPS:
        tls_options.fill_defaults(values)


def _check_tls_update(protocol, values, current, store):
    merged = dict(current, **values)
    _check_references_fit(protocol, values, merged)
    _check_client_authentication(merged)
    tls_options.reset_nulls(values, tuple(tls_options.DEFAULTS))
    tls_options.check_protocol_options(values)
    _check_hsts(protocol, values, merged, update=True)
    _read_references(values, merged, store)


def _check_client_authentication(merged):
    mode = merged.get('client_authentication') or 'NONE'
    if mode != 'NONE' and not merged.get('client_ca_tls_container_ref'):
        raise errors.ValidationFailure(
            'Client authentication setting %s requires a client CA container '
            'reference.' % mode)
    if (merged.get('client_crl_container_ref') and
            not merged.get('client_ca_tls_container_ref')):
        raise errors.ValidationFailure(
            'A client authentication CA reference is required to specify a client '
            'authentication revocation list.')


def _check_hsts(protocol, values, merged, update=False):
    if ((values.get('hsts_include_subdomains') or values.get('hsts_preload')) and
            merged.get('hsts_max_age') is None):
        raise errors.ValidationFailure(
            'Cannot enable hsts_include_subdomains or hsts_preload if hsts_max_age '
            'was not set as well.' if update else
            'HSTS configuration options hsts_include_subdomains and hsts_preload '
            'only make sense if hsts_max_age is set as well.')
    if 'hsts_max_age' in _set_elsewhere_only(protocol, values):
        raise errors.ValidationFailure(
            'The HSTS feature can only be used for listeners using the '
            'TERMINATED_HTTPS protocol.')


def _read_references(values, merged, store):
    """Read the files named by changed references (the CA again if its CRL changed)."""
    if values.get('default_tls_container_ref'):
        tls_options.read(store, 'default_tls_container_ref',
                         values['default_tls_container_ref'], certificates.BUNDLE)
    for ref in values.get('sni_container_refs') or ():
        tls_options.read(store, 'sni_container_refs', ref, certificates.BUNDLE)
    if merged.get('client_ca_tls_container_ref') and (
            values.get('client_ca_tls_container_ref') or
            values.get('client_crl_container_ref')):
        tls_options.read_ca_and_crl(
            store, 'client_ca_tls_container_ref', merged['client_ca_tls_container_ref'],
            'client_crl_container_ref', merged.get('client_crl_container_ref'))


def _check_insert_headers(protocol, headers):
    if not headers:
        return
    # Values are the strings true/false.
    allowed = capabilities.INSERT_HEADERS.get(protocol, ())
    if not allowed:
        # Octavia's InvalidOption, for listeners that do not read HTTP.
        raise errors.ApiError('insert-headers is not a valid option for a %s protocol '
                              'listener.' % protocol)
    unknown = sorted(set(headers) - set(allowed))
    if unknown:
        raise errors.InvalidInput(
            'insert_headers', headers,
            'Unsupported header(s) for %s listeners: %s (supported: %s)'
            % (protocol, ', '.join(unknown), ', '.join(allowed)))
    for name, value in headers.items():
        if str(value).lower() not in ('true', 'false'):
            raise errors.InvalidInput('insert_headers', headers,
                                      "Header %s must be 'true' or 'false'" % name)
