"""Pure logic of the devcloud's keystone mode: rendered configs, exports, the private
MariaDB's defaults file, the controller's auth_token wiring (decided by one option)."""
import configparser
import shlex

import pytest
import yaml
from oslo_config import cfg

from heat_lbaas.controller import config as controller_config
from heat_lbaas.controller.api import keystone_auth
from heat_lbaas.devcloud import cli
from heat_lbaas.devcloud import config
from heat_lbaas.devcloud import identity
from heat_lbaas.devcloud import mariadb
from heat_lbaas.devcloud import memcached
from heat_lbaas.devcloud.settings import Settings, StatePaths


def keystone_settings():
    settings = Settings(heat_port=18004, controller_port=19876, keystone_port=15000,
                        auth='keystone')
    settings.fill_first_run_values()
    return settings


def parsed(text):
    conf = configparser.ConfigParser(interpolation=None)
    conf.read_string(text)   # strict: a section twice would fail here
    return conf


def test_heat_uses_keystonemiddleware_and_trusts(tmp_path):
    settings = keystone_settings()
    conf = parsed(config.render_heat_conf(settings, StatePaths(tmp_path)))
    assert conf['paste_deploy']['flavor'] == 'keystone'
    assert conf['DEFAULT']['deferred_auth_method'] == 'trusts'
    assert conf['DEFAULT']['trusts_delegated_roles'] == 'member'
    assert conf['DEFAULT']['stack_user_domain_name'] == 'heat'
    assert conf['DEFAULT']['stack_domain_admin'] == 'heat_domain_admin'
    assert conf['DEFAULT']['stack_domain_admin_password'] == settings.password(
        'heat_domain_admin')
    # No devcloud shortcut: no fake Keystone client, no noauth token, default policy.
    assert 'keystone_backend' not in conf['DEFAULT']
    assert not conf.has_section('noauth')
    assert not conf.has_section('oslo_policy')
    assert conf['trustee']['username'] == 'heat'
    assert conf['trustee']['auth_url'] == 'http://127.0.0.1:15000'
    assert conf['keystone_authtoken']['username'] == 'heat'
    assert conf['keystone_authtoken']['password'] == settings.password('heat')


def test_heat_pipeline_of_the_keystone_flavor_checks_tokens():
    paste = parsed(config.API_PASTE_INI)
    keystone = paste['composite:api']['keystone'].split()
    assert keystone.index('authtoken') < keystone.index('context')
    assert 'noauth' not in keystone
    assert paste['filter:authtoken']['paste.filter_factory'] == (
        'keystonemiddleware.auth_token:filter_factory')


def test_controller_conf_asks_for_keystone_only_in_keystone_mode(tmp_path):
    settings = keystone_settings()
    conf = parsed(config.render_controller_conf(settings, StatePaths(tmp_path)))
    assert conf['api_settings']['auth_strategy'] == 'keystone'
    assert conf['keystone_authtoken']['username'] == 'octavia'
    assert conf['keystone_authtoken']['password'] == settings.password('octavia')
    settings.auth = 'noauth'
    conf = parsed(config.render_controller_conf(settings, StatePaths(tmp_path)))
    assert conf['api_settings']['auth_strategy'] == 'noauth'
    assert not conf.has_section('keystone_authtoken')
    assert conf['api']['bind_host'] == '127.0.0.1'


def controller_conf(strategy):
    conf = cfg.ConfigOpts()
    controller_config.register(conf)
    conf([], default_config_files=[])
    conf.set_override('auth_strategy', strategy, group='api_settings')
    return conf


def application(environ, start_response):
    start_response('200 OK', [])
    return [b'']


def test_auth_token_wraps_the_api_only_with_the_keystone_strategy():
    assert keystone_auth.wrap(application, controller_conf('noauth')) is application
    wrapped = keystone_auth.wrap(application, controller_conf('keystone'))
    assert type(wrapped).__name__ == 'SkippingAuthProtocol'
    assert wrapped.__class__.__mro__[1].__module__ == 'keystonemiddleware.auth_token'
    with pytest.raises(ValueError):
        controller_conf('anything-else')


def test_clouds_yaml_has_a_password_cloud_per_user():
    settings = keystone_settings()
    clouds = yaml.safe_load(config.render_clouds_yaml(settings))['clouds']
    assert set(clouds) == {'devcloud', 'devcloud-demo', 'devcloud-demo_reader',
                           'devcloud-alt_demo', 'devcloud-alt_demo_reader'}
    demo = clouds['devcloud-demo']
    assert demo['auth_type'] == 'password'
    assert demo['auth']['auth_url'] == 'http://127.0.0.1:15000/v3'
    assert demo['auth']['project_name'] == 'demo'
    assert demo['auth']['password'] == settings.password('demo')
    assert clouds['devcloud']['auth']['username'] == 'admin'


def test_env_exports_a_users_credentials_and_drops_os_cloud(tmp_path):
    settings = keystone_settings()
    text = cli.keystone_exports(StatePaths(tmp_path), settings, 'alt_demo_reader',
                                'alt_demo')
    lines = text.splitlines()
    assert lines[0] == 'unset OS_CLOUD OS_CLIENT_CONFIG_FILE'
    exports = dict(shlex.split(line[len('export '):])[0].split('=', 1)
                   for line in lines[1:])
    assert exports['OS_AUTH_URL'] == 'http://127.0.0.1:15000/v3'
    assert exports['OS_USERNAME'] == 'alt_demo_reader'
    assert exports['OS_PROJECT_NAME'] == 'alt_demo'
    assert exports['OS_PASSWORD'] == settings.password('alt_demo_reader')
    assert exports['OS_IDENTITY_API_VERSION'] == '3'
    assert exports['OS_USER_DOMAIN_NAME'] == exports['OS_PROJECT_DOMAIN_NAME'] == 'Default'


def test_demo_users_hold_octavias_default_roles():
    assert identity.demo_users('demo') == {'demo': 'member', 'demo_reader': 'reader'}
    assert identity.user_project('alt_demo_reader') == 'alt_demo'
    assert identity.user_project('admin') == 'admin'
    assert identity.user_project('heat') is None


def test_passwords_are_made_once_and_kept(tmp_path):
    paths = StatePaths(tmp_path)
    settings = keystone_settings()
    first = settings.password('demo')
    settings.save(paths)
    again = Settings.load(paths)
    assert again.password('demo') == first
    assert again.password('alt_demo') != first


def test_mariadb_listens_on_loopback_with_its_files_in_its_directory(tmp_path):
    database = mariadb.PrivateMariaDB(tmp_path / 'db', port=23306)
    conf = configparser.ConfigParser(allow_no_value=True)
    conf.read_string(database.render_defaults())
    server = conf['mariadbd']
    assert server['bind-address'] == '127.0.0.1'
    assert server['port'] == '23306'
    for option in ('datadir', 'socket', 'pid-file', 'log-error'):
        assert server[option].startswith(str(tmp_path / 'db'))
    assert database.pid is None


def test_mariadb_refuses_names_that_are_not_plain_identifiers(tmp_path):
    database = mariadb.PrivateMariaDB(tmp_path, port=23306)
    with pytest.raises(ValueError):
        database.create_database('x`; DROP DATABASE mysql; --', 'user', 'pw')


def test_keystone_serves_one_request_at_a_time_per_process(tmp_path):
    """Keystone's AuthContextMiddleware keeps the validated token on itself, an object
    a process's threads share: threaded workers authorized a request now and then with
    another's token (Heat's trust creation refused: "requires a scope of ['project'],
    request was made with domain scope"). Its workers must be single-threaded."""
    command = identity.gunicorn_command(keystone_settings(), StatePaths(tmp_path))
    assert command[command.index('--worker-class') + 1] == 'sync'
    assert '--threads' not in command
    assert int(command[command.index('--workers') + 1]) >= 2


def test_passwords_never_read_as_command_line_options():
    settings = keystone_settings()
    passwords = [settings.password('user%d' % number) for number in range(500)]
    assert not [password for password in passwords if password.startswith('-')]


def test_keystone_workers_share_the_private_memcached(tmp_path):
    cache = memcached.PrivateMemcached(tmp_path / 'memcached')
    conf = parsed(identity.render_keystone_conf(keystone_settings(), StatePaths(tmp_path),
                                                'mysql+pymysql://k@127.0.0.1/k', cache.url))
    assert conf['cache']['enabled'] == 'true'
    assert conf['cache']['backend'] == 'dogpile.cache.pymemcache'
    assert conf['cache']['memcache_servers'] == 'unix:%s' % (tmp_path / 'memcached' / 'm.sock')
    # A unix socket of its own, private; no UDP, no port.
    command = cache.command()
    assert command[command.index('-s') + 1] == str(cache.socket)
    assert command[command.index('-a') + 1] == '0600'
    assert '-p' not in command and command[command.index('-U') + 1] == '0'
