"""A monitor's expected_codes, parsed once (model.expected_status_codes) for the
HAProxy check's regex and the UDP pools' HTTP checks alike."""
import pytest

from heat_lbaas.controller import model
from heat_lbaas.controller.amphora import render


@pytest.mark.parametrize('codes, statuses, regex', [
    ('200', (200,), '^(200)$'),
    ('200,202', (200, 202), '^(200|202)$'),
    ('201-204', (201, 202, 203, 204), '^(201|202|203|204)$'),
    (None, (200,), '^(200)$'),   # Octavia's default
])
def test_one_code_a_list_and_a_range(codes, statuses, regex):
    assert model.expected_status_codes(codes) == statuses
    assert render.expected_codes_regex(codes) == regex
