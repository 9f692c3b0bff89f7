"""What L7 policies and rules may hold: Octavia's rules (octavia/common/validate.py
l7rule_data and sanitize_l7policy_api_args) and messages, made stricter where a value
reaches the HAProxy configuration.

Octavia escapes only backslashes and spaces in rule values, so a quote or '#' in a
value changes the configuration's meaning. Here every value, key and URL is limited
to printable ASCII without white space, quotes or '#'; a backslash is accepted only in
regular expressions, where the renderer escapes it. Nothing a user sends can then end
an HAProxy word, start a comment or a new line.
"""
import re
import urllib.parse

from heat_lbaas import octavia_vocabulary as octavia
from heat_lbaas.controller.amphora import l7_render
from heat_lbaas.controller.amphora import pcre2
from heat_lbaas.controller import errors

DEFAULT_REDIRECT_HTTP_CODE = 302
# Octavia's MAX_L7RULES_PER_L7POLICY.
MAX_RULES_PER_POLICY = 50

# Octavia's HTTP_HEADER_VALUE_REGEX without '"', "'", '\\' and '#'.
PLAIN_VALUE = r"[A-Za-z0-9!$%&()*+,\-./:;<=>?@\[\]^_`{|}~]+"
PLAIN_VALUE_TEXT = ("Value should contain only printable ASCII characters other than "
                    "white space, quotes, backslash and '#'")
# Regular expressions may use backslashes (escaped when rendered).
REGEX_VALUE = r"[A-Za-z0-9!$%&()*+,\-./:;<=>?@\[\]^_`{|}~\\]+"
REGEX_VALUE_TEXT = ("Value should contain only printable ASCII characters other than "
                    "white space, quotes and '#'")
# RFC 7230 token characters, as Octavia's HTTP_HEADER_NAME_REGEX, without '#', "'"
# and ',' (HAProxy reads a comma inside req.hdr() as the start of a second argument).
KEY = r"[A-Za-z0-9!$%&*+\-.^_`|~]+"
KEY_TEXT = "Value should be an HTTP header or cookie name (letters, digits, !$%&*+-.^_`|~)"
# RFC 3986 characters without "'" and '#' (a fragment is never sent to a server).
URL_CHARACTERS = r"[A-Za-z0-9\-._~:/?\[\]@!$&()*+,;=%]+"


class RuleInvalid(errors.ApiError):
    def __init__(self, detail):
        super().__init__('Error parsing L7Rule: %s' % detail)


class PolicyArgsInvalid(errors.ApiError):
    def __init__(self, detail):
        super().__init__('Invalid L7 Policy arguments: %s' % detail)


class TooManyRules(errors.Conflict):
    def __init__(self, policy_id):
        super().__init__('Too many rules on L7 policy %s' % policy_id)


class PoolInUseByPolicy(errors.Conflict):
    def __init__(self, pool_id, policy_id):
        super().__init__('Pool %s is in use by L7 policy %s' % (pool_id, policy_id))


def _check_characters(field, value, pattern, explanation, max_length=255):
    if len(value) > max_length:
        raise errors.InvalidInput(
            field, value, 'Value should have a maximum character requirement of %s'
            % max_length)
    if not re.fullmatch(pattern, value, flags=re.ASCII):
        raise errors.InvalidInput(field, value, explanation)


def check_rule(rule):
    """`rule`: the full set of a rule's values (after defaults or merged on update)."""
    rule_type, compare_type = rule['type'], rule['compare_type']
    if rule_type in octavia.RULE_TYPES_WITH_KEY:
        if not rule.get('key'):
            raise RuleInvalid('Invalid L7 Rule: L7 rule type requires a key')
        _check_characters('key', rule['key'], KEY, KEY_TEXT)
    elif rule.get('key') is not None:
        # HAProxy would ignore it; keep it out of the configuration altogether.
        _check_characters('key', rule['key'], KEY, KEY_TEXT)
    if compare_type not in octavia.COMPARE_TYPES_BY_RULE_TYPE[rule_type]:
        raise RuleInvalid('Invalid L7 Rule: invalid comparison type for rule type')
    value = rule['value']
    if compare_type == 'REGEX':
        _check_characters('value', value, REGEX_VALUE, REGEX_VALUE_TEXT)
        try:
            re.compile(value)
        except re.error as error:
            raise RuleInvalid('Unable to parse regular expression: %s' % error)
        _check_haproxy_regex(rule)
    else:
        _check_characters('value', value, PLAIN_VALUE, PLAIN_VALUE_TEXT)


def _check_haproxy_regex(rule):
    """Octavia checks with Python's `re`; HAProxy compiles with PCRE2, which refuses
    some of what `re` accepts, and would then refuse the whole configuration."""
    try:
        reason = pcre2.error(l7_render.regex_of(rule), caseless=l7_render.caseless(rule))
    except pcre2.Unavailable as error:
        raise errors.ProviderUnsupported('amphora', str(error))
    if reason:
        raise RuleInvalid('Unable to parse regular expression: %s' % reason)


def check_url(field, value):
    """An absolute http(s) URL with nothing HAProxy would read as syntax."""
    _check_characters(field, value, URL_CHARACTERS, 'Not a valid URL: %s' % value)
    try:
        parts = urllib.parse.urlsplit(value)
        parts.port   # raises ValueError on a bad port
    except ValueError:
        raise errors.InvalidInput(field, value, 'Not a valid URL: %s' % value)
    if parts.scheme not in ('http', 'https') or not parts.hostname:
        raise errors.InvalidInput(field, value, 'Not a valid URL: %s' % value)


def sanitize_policy(policy):
    """Check a policy's values against its action and clear what the action does
    not use, as Octavia's sanitize_l7policy_api_args does. Changes `policy`."""
    action = policy['action']
    if action == 'REDIRECT_TO_POOL' and not policy.get('redirect_pool_id'):
        raise PolicyArgsInvalid('redirect_pool_id or redirect_pool must not be None')
    if action == 'REDIRECT_TO_URL' and not policy.get('redirect_url'):
        raise PolicyArgsInvalid('redirect_url must not be None')
    if action == 'REDIRECT_PREFIX' and not policy.get('redirect_prefix'):
        raise PolicyArgsInvalid('redirect_prefix must not be None')
    if action != 'REDIRECT_TO_POOL':
        policy['redirect_pool_id'] = None
    if action != 'REDIRECT_TO_URL':
        policy['redirect_url'] = None
    if action != 'REDIRECT_PREFIX':
        policy['redirect_prefix'] = None
    if action in octavia.HTTP_REDIRECT_ACTIONS:
        check_url('redirect_url' if action == 'REDIRECT_TO_URL' else 'redirect_prefix',
                  policy['redirect_url'] or policy['redirect_prefix'])
        policy['redirect_http_code'] = (policy.get('redirect_http_code')
                                        or DEFAULT_REDIRECT_HTTP_CODE)
    else:
        policy['redirect_http_code'] = None
    return policy
