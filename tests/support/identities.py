"""Callers as keystonemiddleware's auth_token hands them to the API: the identity
headers it sets after checking a token. A controller run with [api_settings]
auth_strategy = testing trusts them as sent, so tests need no Keystone."""
from tests.support import octavia_api


def caller(url, project_id, *roles, user_id=None):
    """An OctaviaApi client acting as a user of `project_id` with `roles`."""
    api = octavia_api.OctaviaApi(url)
    api.http.headers.update({
        'X-Identity-Status': 'Confirmed',
        'X-Project-Id': project_id,
        'X-Roles': ','.join(roles),
        'X-User-Id': user_id or 'user-of-%s' % project_id,
    })
    return api
