"""/v2/lbaas/pools."""
from heat_lbaas import octavia_vocabulary as octavia
from heat_lbaas.controller import model
from heat_lbaas.controller import certificates
from heat_lbaas.controller.api import base
from heat_lbaas.controller import errors
from heat_lbaas.controller.api import l7_validation
from heat_lbaas.controller.api import listeners
from heat_lbaas.controller.api import lvs_rules
from heat_lbaas.controller.api import tls_options


def normalise_persistence(value, protocol, update=False):
    """Check session_persistence of a pool of `protocol` and give it Octavia's full
    shape."""
    if value is None:
        return None
    unknown = set(value) - {'type', 'cookie_name', 'persistence_timeout',
                            'persistence_granularity'}
    if unknown:
        raise errors.InvalidInput('session_persistence', value,
                                  'Unknown attribute: %s' % ', '.join(sorted(unknown)))
    kind = value.get('type')
    if kind not in octavia.SESSION_PERSISTENCE_TYPES:
        raise errors.InvalidInput('type', kind, 'Value should be one of: %s'
                                  % ', '.join(octavia.SESSION_PERSISTENCE_TYPES))
    timeout, granularity = lvs_rules.check_persistence_values(value)
    lvs_rules.check_persistence(protocol, value, update)
    cookie = value.get('cookie_name')
    if kind == octavia.APP_COOKIE and not cookie:
        raise errors.ValidationFailure(
            "Field 'cookie_name' must be specified when using the 'APP_COOKIE' "
            "session persistence type.")
    if kind != octavia.APP_COOKIE and cookie:
        raise errors.ValidationFailure(
            "Field 'cookie_name' should not be specified when using the '%s' "
            "session persistence type." % kind)
    if cookie and not model.matches(model.COOKIE_NAME_PATTERN, cookie):
        raise errors.InvalidInput('cookie_name', cookie, 'Value should match the '
                                  'pattern %s' % model.COOKIE_NAME_PATTERN)
    return {'type': kind, 'cookie_name': cookie,
            'persistence_timeout': timeout, 'persistence_granularity': granularity}


# Every field naming a file (see tls_options.references_unchanged).
REFERENCE_FIELDS = ('tls_container_ref', 'ca_tls_container_ref', 'crl_container_ref')


def check_tls(values, certificate_store, current=None):
    """Octavia's rules for the TLS options of a pool (re-encryption to its members).

    Reads the certificate files `values` names: call it before taking the database
    lock. On create, fills in Octavia's defaults when tls_enabled."""
    if current is None:
        merged = values
        if values.get('crl_container_ref') and not values.get('ca_tls_container_ref'):
            raise errors.ValidationFailure(
                'A CA certificate reference is required to specify a revocation list.')
    else:
        merged = dict(current, **values)
        _check_ca_update(values, current)
        # Octavia's pool PUT: null versions and ciphers mean the defaults.
        tls_options.reset_nulls(values, ('tls_versions', 'tls_ciphers'))
    tls_options.check_protocol_options(values)
    if values.get('tls_container_ref'):
        tls_options.read(certificate_store, 'tls_container_ref',
                         values['tls_container_ref'], certificates.BUNDLE)
    if merged.get('ca_tls_container_ref') and (
            values.get('ca_tls_container_ref') or values.get('crl_container_ref')):
        tls_options.read_ca_and_crl(
            certificate_store, 'ca_tls_container_ref', merged['ca_tls_container_ref'],
            'crl_container_ref', merged.get('crl_container_ref'))
    if current is None and values.get('tls_enabled'):
        tls_options.fill_defaults(values)


def _check_ca_update(values, current):
    crl = values.get('crl_container_ref', current['crl_container_ref'])
    if 'ca_tls_container_ref' in values and not values['ca_tls_container_ref']:
        if current['ca_tls_container_ref'] and crl:
            raise errors.ValidationFailure(
                'A CA reference cannot be removed when a certificate revocation list '
                'is present.')
    if crl and not values.get('ca_tls_container_ref', current['ca_tls_container_ref']):
        raise errors.ValidationFailure(
            'A CA reference is required to specify a certificate revocation list.')


class Pools(base.Collection):
    object_type = model.POOL

    def check_rules(self, values, current=None):
        if current is None or 'session_persistence' in values:
            values['session_persistence'] = normalise_persistence(
                values.get('session_persistence'), (current or values)['protocol'],
                update=current is not None)
        # Reads the certificate files `values` names: done before any database lock.
        check_tls(values, self.context.certificates, current)

    def create(self, body, project_id):
        values = self.validate_create(body)
        with self.store.transaction():
            lb_id, listener = self._parents(values)
            values['loadbalancer_id'] = lb_id
            self.lock_for_change(values, users=[listener['id']] if listener else ())
            row = self.new_row(values, project_id)
            if listener:
                self.store.update(model.LISTENER, listener['id'],
                                  {'default_pool_id': row['id']})
        self.context.worker.submit(lb_id)
        return row

    def _parents(self, values):
        listener_id, lb_id = values.get('listener_id'), values.get('loadbalancer_id')
        if not (listener_id or lb_id):
            raise errors.ValidationFailure(
                'loadbalancer_id or listener_id must be specified.')
        listener = None
        if listener_id:
            listener = self.store.get(model.LISTENER, listener_id)
            if listener is None:
                raise errors.NotFound(model.LISTENER.title, listener_id)
            if lb_id and lb_id != listener['loadbalancer_id']:
                raise errors.ValidationFailure(
                    'The provided listener does not belong to load balancer %s.' % lb_id)
            if listener['default_pool_id']:
                raise errors.Conflict('This listener already has a default pool')
            listeners.check_may_have_children(listener['protocol'])
            listeners.check_protocols(listener['protocol'], values['protocol'])
            lb_id = listener['loadbalancer_id']
        if self.store.get(model.LOADBALANCER, lb_id) is None:
            raise errors.NotFound(model.LOADBALANCER.title, lb_id)
        return lb_id, listener

    def _lock(self, pool_id):
        """The pool, once it and its parents are locked for a change of it."""
        pool = self.get(pool_id)
        self.require_mutable(pool)
        self.lock_for_change(pool)
        return pool

    def update(self, pool_id, body):
        # Certificate files are read before the lock is taken (a slow file delays
        # only this request); a concurrent change of a reference meanwhile is a 409.
        values, validated = self.validate_update(body, lambda: self.get(pool_id))
        with self.store.transaction():
            pool = self._lock(pool_id)
            tls_options.references_unchanged(REFERENCE_FIELDS, validated, pool)
            row = self.save_update(pool, values)
        self.context.worker.submit(pool['loadbalancer_id'])
        return row

    def delete(self, pool_id):
        with self.store.transaction():
            for policy in self.store.find(model.L7POLICY, redirect_pool_id=pool_id):
                if policy['provisioning_status'] != 'PENDING_DELETE':
                    raise l7_validation.PoolInUseByPolicy(pool_id, policy['id'])
            pool = self._lock(pool_id)
            # Its members and health monitor go with it.
            self.mark_deleted(pool)
        self.context.worker.submit(pool['loadbalancer_id'])
