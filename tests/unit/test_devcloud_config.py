"""Pure logic of the devcloud: token body/catalog, rendered configs, settings."""

import configparser
import ipaddress
import json
import os

import pytest
import yaml

from heat_lbaas.devcloud import catalog
from heat_lbaas.devcloud import cli
from heat_lbaas.devcloud import config
from heat_lbaas.devcloud import lifecycle
from heat_lbaas.devcloud import processes
from heat_lbaas.devcloud import services
from heat_lbaas.devcloud import settings as devcloud_settings
from heat_lbaas.devcloud.settings import Settings, StatePaths


def make_settings():
    result = Settings(heat_port=18004, controller_port=19876)
    result.fill_first_run_values()
    return result


def endpoints_of(token_body, service_type):
    services = [s for s in token_body['token']['catalog']
                if s['type'] == service_type]
    assert len(services) == 1
    return services[0]['endpoints']


def test_token_body_catalog_has_heat_and_load_balancer_on_every_interface():
    body = json.loads(config.render_token_body(make_settings()))
    heat = endpoints_of(body, 'orchestration')
    lb = endpoints_of(body, 'load-balancer')
    assert {e['interface'] for e in heat} == {'public', 'internal', 'admin'}
    assert {e['url'] for e in heat} == {'http://127.0.0.1:18004/v1/admin'}
    assert {e['url'] for e in lb} == {'http://127.0.0.1:19876'}
    assert {e['region'] for e in heat + lb} == {catalog.REGION}
    endpoints_of(body, 'identity')


def test_token_body_is_an_admin_v3_token_that_does_not_expire():
    token = catalog.build_token_body(1, 'http://127.0.0.1:2', 'p1', 'http://x/v3')['token']
    assert token['project']['id'] == 'p1'
    assert [r['name'] for r in token['roles']] == ['admin']
    assert token['expires_at'].startswith('2999')


def test_token_body_is_accepted_by_keystoneauth():
    from keystoneauth1 import access
    body = catalog.build_token_body(18004, 'http://127.0.0.1:19876', 'admin', 'http://x/v3')
    info = access.create(body=body, auth_token='t')
    assert info.service_catalog.url_for(
        service_type='load-balancer', interface='public',
        region_name=catalog.REGION) == 'http://127.0.0.1:19876'
    assert info.role_names == ['admin']


def test_heat_conf_has_the_options_noauth_heat_needs(tmp_path):
    paths = StatePaths(tmp_path)
    conf = configparser.ConfigParser(interpolation=None)
    conf.read_string(config.render_heat_conf(make_settings(), paths))
    assert conf['DEFAULT']['transport_url'] == 'fake://'
    assert conf['DEFAULT']['keystone_backend'] == config.FAKE_KEYSTONE
    assert conf['DEFAULT']['deferred_auth_method'] == 'password'
    assert len(conf['DEFAULT']['auth_encryption_key']) == 32
    assert conf['DEFAULT']['plugin_dirs'] == str(paths.plugin_dir)
    # Out-of-band changes are brought back on update (--converge alone misses most).
    assert conf['DEFAULT']['observe_on_update'] == 'true'
    assert conf['paste_deploy']['flavor'] == 'noauth'
    assert conf['noauth']['token_response'] == str(paths.token_body)
    assert conf['oslo_policy']['enforce_new_defaults'] == 'false'
    assert conf['oslo_policy']['enforce_scope'] == 'false'
    assert conf['oslo_messaging_notifications']['driver'] == 'noop'
    assert conf['devcloud']['bind_host'] == '127.0.0.1'
    assert conf['devcloud']['bind_port'] == '18004'
    assert conf['database']['connection'] == 'sqlite:///%s' % paths.heat_db


def test_heat_debug_logging_follows_the_setting(tmp_path):
    paths = StatePaths(tmp_path)
    settings = make_settings()
    for debug in (False, True):
        settings.heat_debug = debug
        conf = configparser.ConfigParser(interpolation=None)
        conf.read_string(config.render_heat_conf(settings, paths))
        assert conf['DEFAULT']['debug'] == str(debug).lower()


def test_heat_poll_interval_caps_both_of_heats_fixed_sleeps(tmp_path):
    """The devcloud's pace by default (checks every 0.1 s, no pause after triggering a
    resource); `up --heat-poll-interval 1` is stock Heat's (1 s for both)."""
    paths = StatePaths(tmp_path)
    settings = make_settings()
    for interval, expected in ((None, ('0.1', '0.0')), (1.0, ('1.0', '1.0')),
                               (0.02, ('0.02', '0.02'))):
        settings.heat_poll_interval = interval
        conf = configparser.ConfigParser(interpolation=None)
        conf.read_string(config.render_heat_conf(settings, paths))
        assert (conf['devcloud']['max_poll_sleep'],
                conf['devcloud']['max_trigger_sleep']) == expected


def test_controller_conf_carries_the_vip_subnet(tmp_path):
    settings = make_settings()
    conf = configparser.ConfigParser()
    conf.read_string(config.render_controller_conf(settings, StatePaths(tmp_path)))
    assert conf['api']['bind_host'] == '127.0.0.1'
    assert conf['api']['bind_port'] == '19876'
    assert conf['controller']['vip_subnet_id'] == settings.vip_subnet_id
    assert conf['controller']['vip_subnet_cidr'] == '127.77.0.0/16'
    assert conf['controller']['state_dir'] == str(tmp_path / 'controller')
    assert conf['certificates']['storage_path'] == str(tmp_path / 'certificates')


def test_clouds_yaml_points_every_client_at_the_right_service():
    cloud = yaml.safe_load(config.render_clouds_yaml(make_settings()))[
        'clouds']['devcloud']
    assert cloud['auth_type'] == 'none'
    assert cloud['auth']['endpoint'] == 'http://127.0.0.1:18004/v1/admin'
    assert cloud['load_balancer_endpoint_override'] == 'http://127.0.0.1:19876'


def test_an_external_load_balancer_api_replaces_the_controller(tmp_path):
    external = make_settings()
    external.load_balancer_endpoint = 'http://127.0.0.1:19999'
    body = json.loads(config.render_token_body(external))
    assert {e['url'] for e in endpoints_of(body, 'load-balancer')} == {
        'http://127.0.0.1:19999'}
    cloud = yaml.safe_load(config.render_clouds_yaml(external))['clouds']['devcloud']
    assert cloud['load_balancer_endpoint_override'] == 'http://127.0.0.1:19999'
    paths = StatePaths(tmp_path)
    assert [s.name for s in services.all_services(paths, external)] == ['heat']
    assert [s.name for s in services.all_services(paths, make_settings())] == [
        'controller', 'heat']


def test_plugin_module_imports_the_devcloud_resource_mapping():
    assert 'from heat_lbaas.devcloud.heat_plugin import resource_mapping' in (
        config.PLUGIN_MODULE)


def test_first_run_values_are_kept_once_set(tmp_path):
    paths = StatePaths(tmp_path)
    first = make_settings()
    first.save(paths)
    again = Settings.load(paths)
    again.fill_first_run_values()
    assert again == first


def test_choose_port_prefers_requested_then_previous_then_free():
    assert devcloud_settings.choose_port(4321, 1234) == 4321
    previous = devcloud_settings.free_port()
    assert devcloud_settings.choose_port(None, previous) == previous
    assert devcloud_settings.choose_port(None, previous,
                                         taken={previous}) != previous


def test_env_exports_are_shell_quoted(tmp_path):
    paths = StatePaths(tmp_path / 'with space')
    exports = cli.environment_exports(paths, make_settings())
    assert "export OS_CLOUD=devcloud\n" in exports
    assert "export OS_CLIENT_CONFIG_FILE='%s'" % paths.clouds_yaml in exports


def test_a_pid_is_only_ours_when_its_command_line_matches():
    me = os.getpid()
    assert processes.is_ours(me, processes.command_line(me).split()[0])
    assert not processes.is_ours(me, 'no-such-program-marker')
    assert not processes.is_ours(None, 'python')


def test_up_refuses_to_change_what_a_running_service_uses():
    current = make_settings()
    running = {'controller': 4242}
    # The options of a stopped service, or the same values, are fine.
    lifecycle.check_running_unchanged(current, running, 5555, None, None)
    lifecycle.check_running_unchanged(current, running, None, 19876, current.vip_cidr)
    for asked in ((None, 5555, None), (None, None, '127.99.0.0/24')):
        with pytest.raises(lifecycle.DevcloudError, match='down` first'):
            lifecycle.check_running_unchanged(current, running, *asked)
    with pytest.raises(lifecycle.DevcloudError, match='heat runs with heat port 18004'):
        lifecycle.check_running_unchanged(current, {'heat': 1}, 5555, None, None)


def test_keys_and_configuration_files_are_private_whatever_the_umask(tmp_path):
    paths = StatePaths(tmp_path)
    # A settings file left world-readable by an earlier version is narrowed too.
    paths.settings.write_text('{}')
    os.chmod(paths.settings, 0o644)
    previous_umask = os.umask(0)
    try:
        settings = make_settings()
        settings.save(paths)
        config.write_all(settings, paths)
    finally:
        os.umask(previous_umask)
    written = [paths.settings, paths.heat_conf, paths.api_paste, paths.token_body,
               paths.controller_conf, paths.clouds_yaml, paths.plugin_module]
    assert {str(p): oct(os.stat(p).st_mode & 0o777) for p in written} == {
        str(p): '0o600' for p in written}
    assert json.loads(paths.settings.read_text())['auth_encryption_key'] == \
        settings.auth_encryption_key


def test_two_devclouds_start_from_different_namespace_ranges(monkeypatch):
    """A devcloud's bridge (and the route a second devcloud would see) exists only once
    its first amphora runs: two starting at once must not both take the first /24."""
    from heat_lbaas.controller.amphora import netns
    from heat_lbaas.devcloud import amphora_network
    monkeypatch.setattr(netns, 'host_routes', lambda: [])
    chosen = {amphora_network.choose_cidr(None, amphora_network.names(state_dir)[1])
              for state_dir in ('/tmp/a/devcloud', '/tmp/b/devcloud', '/srv/devcloud')}
    assert len(chosen) == 3
    assert all(ipaddress.ip_network(cidr).subnet_of(amphora_network.RANGE)
               for cidr in chosen)
