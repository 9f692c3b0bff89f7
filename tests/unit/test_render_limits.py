"""What the renderer does to stay within HAProxy's parser: at most 64 words a line
(MAX_LINE_ARGS), IPv6 addresses in brackets; and the PCRE2 check that agrees with
HAProxy's regex compiler where Python's `re` does not."""
import re

import pytest

from heat_lbaas.controller.amphora import l7_render
from heat_lbaas.controller.amphora import pcre2
from heat_lbaas.controller.amphora import render
from heat_lbaas.controller.api import l7_validation

MAX_LINE_ARGS = 64


def test_cidrs_are_spread_over_lines_haproxy_can_parse():
    cidrs = ['10.%d.0.0/16' % i for i in range(123)]
    lines = render.cidr_lines(cidrs)
    assert [c for line in lines for c in line] == cidrs
    assert all(3 + len(line) <= MAX_LINE_ARGS for line in lines)
    assert render.cidr_lines([]) == []


@pytest.mark.parametrize('address, rendered', [
    ('127.0.0.1', '127.0.0.1'), ('::1', '[::1]'), ('2001:db8::', '[2001:db8::]'),
    # The API keeps addresses as written; HAProxy gets them normalised.
    ('2001:DB8:0:0:0:0:0:1', '[2001:db8::1]'), ('0:0:0:0:0:0:0:1', '[::1]')])
def test_ipv6_addresses_are_bracketed(address, rendered):
    assert render.host(address) == rendered


def test_the_longest_action_line_fits_one_haproxy_line():
    rules = [{'id': 'r%d' % i, 'invert': bool(i % 2)}
             for i in range(l7_validation.MAX_RULES_PER_POLICY)]
    for policy in ({'action': 'REJECT'},
                   {'action': 'REDIRECT_TO_URL', 'redirect_url': 'http://x/',
                    'redirect_http_code': 302},
                   {'action': 'REDIRECT_PREFIX', 'redirect_prefix': 'http://x',
                    'redirect_http_code': 302},
                   {'action': 'REDIRECT_TO_POOL'}):
        assert len(l7_render.action_line(policy, rules, 'p:l').split()) <= MAX_LINE_ARGS


@pytest.mark.parametrize('regex', [
    r'a\u0041',          # Python: 'A'; PCRE2 has no \u
    '(?a)x',             # Python's ASCII flag
    r'(a)\1',            # HAProxy compiles without captures: no group 1
    r'\N{DIGIT ONE}',    # Python's named character
])
def test_regexes_python_accepts_and_pcre2_refuses(regex):
    re.compile(regex)
    assert pcre2.error(regex)


@pytest.mark.parametrize('regex', [r'^/v\d+$', '(?P<k>a)(?P=k)', 'a{,3}', '[[:alpha:]]+'])
def test_regexes_both_accept(regex):
    assert pcre2.error(regex) is None
