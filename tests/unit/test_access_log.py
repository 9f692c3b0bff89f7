"""The controller's access-log middleware (pure WSGI, no processes)."""
import logging

import webob

from heat_lbaas.controller.api import access_log


class Recorder(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines = []

    def emit(self, record):
        self.lines.append((record.levelno, record.getMessage()))


def logged(application, request):
    logger = logging.getLogger('test_access_log')
    logger.setLevel(logging.INFO)
    logger.propagate = False
    recorder = Recorder()
    logger.addHandler(recorder)
    try:
        response = request.get_response(access_log.AccessLog(application, logger))
    finally:
        logger.removeHandler(recorder)
    return response, recorder.lines


def answering(status, body=b'{}'):
    def application(environ, start_response):
        start_response(status, [('Content-Type', 'application/json')])
        return [body]
    return application


def test_one_info_line_per_request_with_method_path_and_status():
    request = webob.Request.blank('/v2/lbaas/pools/p1/members', method='POST')
    response, lines = logged(answering('409 Conflict', b'{"faultcode": "Client"}'), request)
    assert response.status_int == 409
    assert response.body == b'{"faultcode": "Client"}'
    assert lines == [(logging.INFO, 'POST /v2/lbaas/pools/p1/members 409')]


def test_query_string_is_part_of_the_path():
    request = webob.Request.blank('/v2/lbaas/loadbalancers/x?cascade=true',
                                  method='DELETE')
    _, lines = logged(answering('204 No Content', b''), request)
    assert lines == [(logging.INFO, 'DELETE /v2/lbaas/loadbalancers/x?cascade=true 204')]


def test_a_failing_application_is_logged_as_500_and_the_error_goes_on():
    def broken(environ, start_response):
        raise RuntimeError('boom')
    logger = logging.getLogger('test_access_log_broken')
    logger.setLevel(logging.INFO)
    logger.propagate = False
    recorder = Recorder()
    logger.addHandler(recorder)
    try:
        webob.Request.blank('/v2/lbaas/pools').get_response(
            access_log.AccessLog(broken, logger))
    except RuntimeError:
        pass
    else:
        raise AssertionError('the error was swallowed')
    finally:
        logger.removeHandler(recorder)
    assert recorder.lines == [(logging.INFO, 'GET /v2/lbaas/pools 500')]


def test_parse_line_reads_back_what_oslo_log_wrote():
    text = ('2025-01-01 10:00:00.123 4242 INFO heat_lbaas.controller.access [-] '
            + access_log.log_line('PUT', '/v2/lbaas/pools/p/members', 202))
    assert access_log.parse_line(text) == ('PUT', '/v2/lbaas/pools/p/members', 202)
    assert access_log.parse_line('2025-01-01 INFO Octavia v2 API on http://x/') is None
    assert access_log.parse_line('') is None


def test_the_option_is_off_by_default_and_the_devcloud_turns_it_on(tmp_path):
    from oslo_config import cfg

    from heat_lbaas.controller import config
    from heat_lbaas.devcloud import config as devcloud_config
    from heat_lbaas.devcloud.settings import Settings, StatePaths

    conf = cfg.ConfigOpts()
    config.register(conf)
    conf([])
    assert conf.api.access_log is False

    settings = Settings(heat_port=18004, controller_port=19876)
    settings.fill_first_run_values()
    rendered = devcloud_config.render_controller_conf(settings, StatePaths(tmp_path))
    path = tmp_path / 'controller.conf'
    path.write_text(rendered)
    conf = cfg.ConfigOpts()
    config.register(conf)
    conf(['--config-file', str(path)])
    assert conf.api.access_log is True


def test_log_tail_returns_whole_new_lines_and_logged_request_picks_access_lines(tmp_path):
    log = tmp_path / 'controller.log'
    log.write_text('before heat_lbaas.controller.access GET /v2 200\n')
    tail = access_log.LogTail(log)
    with open(log, 'a') as out:
        out.write('t INFO heat_lbaas.controller.access POST /v2/lbaas/pools 409\n'
                  'another logger line\nt INFO heat_lbaas.controller.access GET /v2')
    lines = tail.new_lines()
    assert [access_log.logged_request(line) for line in lines] == [
        ('POST', '/v2/lbaas/pools', 409), None]
    with open(log, 'a') as out:
        out.write('/lbaas 200\n')      # the line being written is read once whole
    assert [access_log.logged_request(line) for line in tail.new_lines()] == [
        ('GET', '/v2/lbaas', 200)]
    assert tail.new_lines() == []
