"""The devcloud web server's request reading and answers (the serving itself:
tests/functional/test_webserver.py)."""
import pytest

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


def test_a_request_head_gives_method_target_and_whether_to_keep_the_connection():
    parse = identity_http.Request.parse
    request = parse(b'GET /x?sleep=0.5 HTTP/1.1\r\nHost: a\r\nX-Other: b')
    assert (request.method, request.target, request.keep_alive) == (
        b'GET', '/x?sleep=0.5', True)
    assert request.delay() == 0.5
    assert parse(b'HEAD / HTTP/1.1\r\nConnection: Close').keep_alive is False
    assert parse(b'GET / HTTP/1.0').keep_alive is False
    assert parse(b'GET / HTTP/1.0\r\nconnection: keep-alive').keep_alive is True
    assert parse(b'GET /?other=1 HTTP/1.1').delay() == 0.0


def test_an_unreadable_request_head_is_refused():
    for head in (b'GET /', b'GET / SPDY/3', b'GET  / HTTP/1.1', b'GET / HTTP/1.1\r\nno colon'):
        with pytest.raises(ValueError):
            identity_http.Request.parse(head)


def test_an_answer_is_one_write_with_its_length_and_identity():
    text = identity_http.answer(200, b'served-by: s/r\n', True, 's/r').decode()
    head, _, body = text.partition('\r\n\r\n')
    assert head.splitlines() == ['HTTP/1.1 200 OK', 'Content-Type: text/plain; charset=utf-8',
                                 'Content-Length: 15', 'Connection: keep-alive',
                                 'X-Served-By: s/r']
    assert body == 'served-by: s/r\n'
    assert identity_http.answer(200, b'abc', False, 's', with_body=False).endswith(
        b'Connection: close\r\nX-Served-By: s\r\n\r\n')
