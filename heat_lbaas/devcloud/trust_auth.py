"""Tokens for a devcloud load alarm in keystone mode, the way Aodh gets them.

Aodh evaluates an alarm on behalf of its owner with a trust: it logs in as its service
user scoped to the trust and sends that token with every statistics read and every
signal it POSTs. A devcloud load alarm does the same with the trust Heat already holds
for the stack (the stack owner's trust to Heat's service user, `[trustee]` of
heat.conf), so it has exactly the roles the trust delegates and no more.
"""
import configparser

import requests
from keystoneauth1 import exceptions
from keystoneauth1 import session
from keystoneauth1.identity import v3


class TrustAuth(requests.auth.AuthBase):
    """requests auth: X-Auth-Token of a trust-scoped token, renewed before it expires
    (keystoneauth keeps it)."""

    def __init__(self, heat_conf, trust_id):
        trustee = configparser.ConfigParser(interpolation=None)
        trustee.read(heat_conf)
        options = trustee['trustee']
        self.session = session.Session(auth=v3.Password(
            auth_url=options['auth_url'], username=options['username'],
            password=options['password'], user_domain_name=options['user_domain_name'],
            trust_id=trust_id))

    def __call__(self, request):
        try:
            request.headers['X-Auth-Token'] = self.session.get_token()
        except exceptions.ClientException as error:
            # The evaluator treats it as any other failed request: no data this time.
            raise requests.RequestException('no token: %s' % error) from error
        return request
