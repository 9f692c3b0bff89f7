"""The controller's packages import only downwards (docs/architecture.md, "Repository
layout"): a module importing one of its own layer or above would tie a lower part to
a higher one (as amphora/stats.py once imported health/). The production resources
import neither the controller nor the devcloud (nor its web server's uvloop)."""
import ast
import json
import pathlib
import subprocess
import sys

import heat_lbaas.controller

# Top to bottom; a module may import from the layers below its own.
LAYERS = (
    ('service', 'amphorae_cli'),
    ('drivers',),
    ('api',),
    ('worker',),
    ('health',),
    ('status_transitions',),
    ('amphora',),
    ('db', 'certificates', 'process_limits', 'vip_networks'),
    ('admin_model', 'graph'),
    ('model', 'config', 'errors'),
)
RANK = {name: rank for rank, names in enumerate(LAYERS) for name in names}
ROOT = pathlib.Path(heat_lbaas.controller.__file__).parent
PREFIX = 'heat_lbaas.controller'


def _imported_parts(tree):
    """The controller's top-level parts a module imports."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and (
                node.module == PREFIX or node.module.startswith(PREFIX + '.')):
            rest = node.module[len(PREFIX) + 1:]
            if rest:
                yield rest.split('.')[0]
            else:
                yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith(PREFIX + '.'):
                    yield alias.name[len(PREFIX) + 1:].split('.')[0]


def _modules():
    for path in sorted(ROOT.rglob('*.py')):
        part = path.relative_to(ROOT).parts[0].removesuffix('.py')
        if part != '__init__' and 'migrations' not in path.parts:
            yield path, part


def test_every_part_of_the_controller_has_a_layer():
    assert {part for _, part in _modules()} == set(RANK)


def test_imports_point_down_only():
    upward = []
    for path, part in _modules():
        for imported in _imported_parts(ast.parse(path.read_text())):
            if imported != part and RANK[imported] <= RANK[part]:
                upward.append('%s imports %s' % (path.relative_to(ROOT), imported))
    assert upward == []


MODULES_IMPORTED_BY = '''
import importlib, json, sys
importlib.import_module(sys.argv[1])
print(json.dumps(sorted(sys.modules)))
'''


def _modules_imported_by(name):
    """Every module loaded by importing `name`."""
    result = subprocess.run([sys.executable, '-c', MODULES_IMPORTED_BY, name],
                            capture_output=True, text=True, timeout=120, check=True)
    return json.loads(result.stdout)


def _imported_names(tree):
    """Dotted names a module imports (`from a import b` gives a.b)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield from ('%s.%s' % (node.module, alias.name) for alias in node.names)
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def test_the_resources_import_neither_controller_nor_devcloud_nor_uvloop():
    resources = ROOT.parent / 'resources'
    forbidden = [
        '%s imports %s' % (path.name, name) for path in sorted(resources.rglob('*.py'))
        for name in _imported_names(ast.parse(path.read_text()))
        if name.split('.')[0] == 'uvloop' or name.startswith(
            ('heat_lbaas.controller', 'heat_lbaas.devcloud'))]
    assert forbidden == []


def test_only_the_web_server_process_imports_uvloop():
    # The Heat engine imports webserver.py to start and stop servers.
    assert 'uvloop' not in _modules_imported_by('heat_lbaas.devcloud.webserver')
    assert 'uvloop' in _modules_imported_by('heat_lbaas.devcloud.identity_http')
