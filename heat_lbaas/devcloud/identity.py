"""The devcloud's Keystone (``up --auth keystone``): configuration, first-run setup and
the users, projects, roles and catalog it must hold.

Keystone 30 runs from its own virtualenv (``make keystone-venv``: its pins clash with
openstack-heat's), served by gunicorn (sync workers) and storing its data in the private
MariaDB of the state dir (SQLite gives "database is locked" under concurrent
clients). What it holds is made to match ``provision`` on every ``up`` (idempotent),
so a changed port or a lost object comes back.
"""
import grp
import json
import os
import pathlib
import pwd
import subprocess

from heat_lbaas.devcloud import catalog
from heat_lbaas.devcloud.settings import HOST

KEYSTONE_VENV_ENV = 'HEAT_LBAAS_KEYSTONE_VENV'
# Keystone's gunicorn processes (one request at a time each: see gunicorn_command).
KEYSTONE_WORKERS = 4
CHECKOUT = pathlib.Path(__file__).absolute().parent.parent.parent
DEFAULT_DOMAIN = 'Default'
ADMIN = 'admin'
SERVICE_PROJECT = 'service'
# Octavia's default roles (keystone-manage bootstrap creates them, plus manager and
# service); the demo projects get one user per role below admin.
READER, MEMBER, SERVICE = 'reader', 'member', 'service'
DEMO_PROJECTS = ('demo', 'alt_demo')
# Service users: each validates tokens for its API (keystonemiddleware); Heat's is
# also the trustee of the stacks' trusts.
HEAT_USER = 'heat'
CONTROLLER_USER = 'octavia'
# Heat's stack domain: users Heat creates for stacks (ScalingPolicy/WaitCondition
# credentials) live there, managed by the domain's admin.
STACK_DOMAIN = 'heat'
STACK_DOMAIN_ADMIN = 'heat_domain_admin'
STACK_USER_ROLE = 'heat_stack_user'
# Roles a stack's trust hands to Heat: what the LBaaS resources need on the load
# balancer API, nothing more.
TRUSTS_DELEGATED_ROLES = (MEMBER,)
DATABASE = 'keystone'


def demo_users(project):
    """{user name: role} of a demo project: `<project>` is a member."""
    return {project: MEMBER, '%s_reader' % project: READER}


def venv_bin():
    """The Keystone virtualenv's bin directory (built by `make keystone-venv`)."""
    venv = os.environ.get(KEYSTONE_VENV_ENV) or str(CHECKOUT / '.venv-keystone')
    return pathlib.Path(venv) / 'bin'


def url(settings):
    return 'http://%s:%d' % (HOST, settings.keystone_port)


def auth_url(settings):
    return url(settings) + '/v3'


def render_keystone_conf(settings, paths, database_url, cache_url):
    return f"""\
# Written by heat-lbaas-devcloud up --auth keystone; rewritten on every up.
[DEFAULT]
debug = false

[database]
connection = {database_url}

[token]
provider = fernet

[fernet_tokens]
key_repository = {paths.fernet_keys}

[fernet_receipts]
key_repository = {paths.fernet_keys}

[credential]
key_repository = {paths.credential_keys}

[identity]
# bcrypt's minimum: every token issue hashes a password, on a 2-core machine
# shared with everything else. The hashes stay bcrypt.
password_hash_rounds = 4

[cache]
# The private memcached every gunicorn worker shares (heat_lbaas/devcloud/memcached.py):
# a cache of each worker's own would keep what another worker changed.
enabled = true
backend = dogpile.cache.pymemcache
memcache_servers = {cache_url}
"""


def gunicorn_command(settings, paths):
    return [str(venv_bin() / 'gunicorn'),
            # One request at a time per process: Keystone is not thread-safe.
            # Its AuthContextMiddleware keeps the token it validated on the
            # middleware object (self.token), shared by a process's threads, so under
            # gthread a request was now and then authorized with another request's
            # token (Heat's identity:create_trust refused: "requires a scope of
            # ['project'], request was made with domain scope": a concurrent
            # request's domain-scoped token). Processes share nothing.
            '--worker-class', 'sync', '--workers', str(KEYSTONE_WORKERS),
            # Keystone is imported once, by the master, and the workers are forked
            # from it: each importing it again cost 3-4 s of CPU apiece at every up.
            # Nothing connects while it loads (oslo.db and the memcache client open
            # their connections at first use, in the worker).
            '--preload',
            # gunicorn 27 otherwise shares one control socket per user: a second
            # devcloud (or Octavia's API) would take it over.
            '--no-control-socket',
            '--graceful-timeout', '5',
            '--bind', '%s:%d' % (HOST, settings.keystone_port),
            # The marker the devcloud checks in /proc/<pid>/cmdline.
            '--env', 'OS_KEYSTONE_CONFIG_FILES=%s' % paths.keystone_conf,
            '--pythonpath', str(CHECKOUT),
            'heat_lbaas.devcloud.keystone_wsgi:application']


class SetupError(Exception):
    """A keystone-manage step failed; the message holds its output."""


def _start_keystone_manage(paths, *args):
    """A keystone-manage step started, logging to logs/keystone-manage.log."""
    with open(paths.log_file('keystone-manage'), 'ab') as log:
        return subprocess.Popen(
            [str(venv_bin() / 'keystone-manage'), '--config-file',
             str(paths.keystone_conf), *args],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT), args[0]


def _wait_for_keystone_manage(paths, *started):
    """Wait for every step started; then raise for the first that failed."""
    failed = [name for process, name in started if process.wait() != 0]
    if failed:
        text = paths.log_file('keystone-manage').read_text(errors='replace').splitlines()
        raise SetupError('keystone-manage %s failed:\n%s' % (
            ', '.join(failed), '\n'.join(text[-30:])))


def keystone_manage(paths, *args):
    _wait_for_keystone_manage(paths, _start_keystone_manage(paths, *args))


def first_run_setup(settings, paths):
    """Schema, key repositories and the bootstrap admin, once per state dir."""
    if paths.keystone_ready.exists():
        return
    if not venv_bin().joinpath('keystone-manage').exists():
        raise SetupError('no Keystone virtualenv at %s: run `make keystone-venv`'
                         % venv_bin().parent)
    for directory in (paths.fernet_keys, paths.credential_keys):
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    owner = ['--keystone-user', pwd.getpwuid(os.getuid()).pw_name,
             '--keystone-group', grp.getgrgid(os.getgid()).gr_name]
    # The key repositories are files only: made side by side with the schema (each
    # step is a Python start of its own, seconds of importing Keystone).
    _wait_for_keystone_manage(paths, _start_keystone_manage(paths, 'db_sync'),
                              _start_keystone_manage(paths, 'fernet_setup', *owner),
                              _start_keystone_manage(paths, 'credential_setup', *owner))
    keystone_manage(paths, 'bootstrap',
                    # One argument: a value starting with '-' must not read as an option.
                    '--bootstrap-password=%s' % settings.password(ADMIN),
                    '--bootstrap-username', ADMIN,
                    '--bootstrap-project-name', ADMIN,
                    '--bootstrap-role-name', ADMIN,
                    '--bootstrap-service-name', 'keystone',
                    '--bootstrap-region-id', catalog.REGION,
                    '--bootstrap-admin-url', auth_url(settings),
                    '--bootstrap-public-url', auth_url(settings),
                    '--bootstrap-internal-url', auth_url(settings))
    paths.keystone_ready.write_text('bootstrapped\n')


# --- what Keystone holds (through its API, as the bootstrap admin) ---------------------

def admin_client(settings):
    from keystoneauth1 import session
    from keystoneauth1.identity import v3
    from keystoneclient.v3 import client

    auth = v3.Password(auth_url=auth_url(settings), username=ADMIN,
                       password=settings.password(ADMIN), project_name=ADMIN,
                       user_domain_name=DEFAULT_DOMAIN,
                       project_domain_name=DEFAULT_DOMAIN)
    # The identity endpoint of the catalog may name an earlier port: talk to this one.
    return client.Client(session=session.Session(auth=auth),
                         endpoint_override=auth_url(settings))


class Provisioner:
    """Find-or-create of each object. Each kind is listed once and only what is
    missing is written: an `up` of an existing devcloud finds everything in place
    with a few calls."""

    def __init__(self, keystone):
        self.keystone = keystone
        self.default_domain = keystone.domains.get('default')
        self.roles = {r.name: r for r in keystone.roles.list()}
        self.domains = {d.name: d for d in keystone.domains.list()}
        self.projects = {(p.domain_id, p.name): p for p in keystone.projects.list()}
        self.users = {(u.domain_id, u.name): u for u in keystone.users.list()}
        self.services = {s.type: s for s in keystone.services.list()}
        self.endpoints = {(e.service_id, e.interface, e.region_id): e
                          for e in keystone.endpoints.list()}
        self.assignments = {
            (a.user['id'], a.role['id'],
             a.scope.get('project', {}).get('id'), a.scope.get('domain', {}).get('id'))
            for a in keystone.role_assignments.list()
            if hasattr(a, 'user') and hasattr(a, 'scope')}

    def role(self, name):
        if name not in self.roles:
            self.roles[name] = self.keystone.roles.create(name)
        return self.roles[name]

    def domain(self, name):
        if name not in self.domains:
            self.domains[name] = self.keystone.domains.create(
                name, description='Heat stack domain')
        return self.domains[name]

    def project(self, name):
        key = (self.default_domain.id, name)
        if key not in self.projects:
            self.projects[key] = self.keystone.projects.create(name, self.default_domain)
        return self.projects[key]

    def user(self, name, password, domain=None, project=None):
        domain = domain or self.default_domain
        key = (domain.id, name)
        if key not in self.users:
            # The password is devcloud.json's, kept with Keystone's database in the
            # state dir; `env` prints it.
            self.users[key] = self.keystone.users.create(
                name, domain=domain, password=password, default_project=project)
        return self.users[key]

    def grant(self, role_name, user, project=None, domain=None):
        role = self.role(role_name)
        key = (user.id, role.id, project and project.id, domain and domain.id)
        if key not in self.assignments:
            self.keystone.roles.grant(role, user=user, project=project, domain=domain)
            self.assignments.add(key)

    def service(self, service_type, name, endpoint_url, region):
        if service_type not in self.services:
            self.services[service_type] = self.keystone.services.create(
                name, type=service_type)
        service = self.services[service_type]
        for interface in catalog.INTERFACES:
            endpoint = self.endpoints.get((service.id, interface, region))
            if endpoint is None:
                self.keystone.endpoints.create(service, endpoint_url,
                                               interface=interface, region=region)
            elif endpoint.url != endpoint_url:
                self.keystone.endpoints.update(endpoint, url=endpoint_url)


def catalog_entries(settings):
    """(type, name, URL) of each service. Keystone puts the token's project into
    Heat's URL, as Heat expects it (/v1/<project id>)."""
    return [
        ('identity', 'keystone', auth_url(settings)),
        ('orchestration', 'heat',
         'http://%s:%d/v1/$(project_id)s' % (HOST, settings.heat_port)),
        ('load-balancer', 'octavia',
         catalog.load_balancer_endpoint(settings.controller_port)),
    ]


def provision(settings, paths):
    """Make Keystone hold the devcloud's catalog, projects, users and roles; skipped
    when the last run provisioned the same catalog (same ports) and users."""
    wanted = json.dumps({'catalog': catalog_entries(settings), 'users': user_names()})
    stamp = paths.keystone_dir / 'provisioned.json'
    if stamp.exists() and stamp.read_text() == wanted:
        return
    _provision(settings)
    stamp.write_text(wanted)


def _provision(settings):
    make = Provisioner(admin_client(settings))
    for service_type, name, endpoint_url in catalog_entries(settings):
        make.service(service_type, name, endpoint_url, catalog.REGION)
    make.role(STACK_USER_ROLE)
    service_project = make.project(SERVICE_PROJECT)
    for name in (HEAT_USER, CONTROLLER_USER):
        user = make.user(name, settings.password(name), project=service_project)
        make.grant(SERVICE, user, project=service_project)
    stack_domain = make.domain(STACK_DOMAIN)
    domain_admin = make.user(STACK_DOMAIN_ADMIN, settings.password(STACK_DOMAIN_ADMIN),
                             domain=stack_domain)
    make.grant(ADMIN, domain_admin, domain=stack_domain)
    for project_name in DEMO_PROJECTS:
        project = make.project(project_name)
        for user_name, role in demo_users(project_name).items():
            user = make.user(user_name, settings.password(user_name), project=project)
            make.grant(role, user, project=project)


def user_names():
    """Every user `env --user` can print credentials for."""
    names = [ADMIN]
    for project in DEMO_PROJECTS:
        names += list(demo_users(project))
    return names


def user_project(user):
    """The project a devcloud user works in by default."""
    if user == ADMIN:
        return ADMIN
    for project in DEMO_PROJECTS:
        if user in demo_users(project):
            return project
    return None


def user_session(settings, user, project):
    from keystoneauth1 import session
    from keystoneauth1.identity import v3

    return session.Session(auth=v3.Password(
        auth_url=auth_url(settings), username=user, password=settings.password(user),
        project_name=project, user_domain_name=DEFAULT_DOMAIN,
        project_domain_name=DEFAULT_DOMAIN))


def wait_for_authenticated_heat(settings, timeout):
    """A demo member lists its stacks through the catalog's Heat endpoint: Keystone
    issues the token, Heat's keystonemiddleware validates it, the engine answers."""
    import time
    from keystoneauth1 import exceptions

    project = DEMO_PROJECTS[0]
    demo = user_session(settings, project, project)
    deadline = time.monotonic() + timeout
    while True:
        try:
            response = demo.get('/stacks', endpoint_filter={
                'service_type': 'orchestration', 'interface': 'public',
                'region_name': catalog.REGION}, raise_exc=False)
            if response.status_code == 200:
                return
            problem = 'HTTP %d: %s' % (response.status_code, response.text[:300])
        except exceptions.ClientException as error:
            problem = str(error)
        if time.monotonic() > deadline:
            raise SetupError('Heat did not list stacks for user %s: %s'
                             % (project, problem))
        time.sleep(0.5)
