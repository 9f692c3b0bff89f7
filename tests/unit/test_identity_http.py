"""The devcloud web server's `?sleep=` reading (the serving itself:
tests/functional/test_webserver.py)."""
from heat_lbaas.devcloud import identity_http


def test_sleep_is_the_number_asked_for_within_zero_and_thirty_seconds():
    assert identity_http.sleep_seconds('0.25') == 0.25
    assert identity_http.sleep_seconds('1') == 1.0
    assert identity_http.sleep_seconds('-2') == 0.0
    assert identity_http.sleep_seconds('100') == 30.0
    assert identity_http.sleep_seconds('inf') == 30.0


def test_no_sleep_when_absent_empty_or_not_a_number():
    for value in (None, '', 'soon', '1s'):
        assert identity_http.sleep_seconds(value) == 0.0
