"""The shipped templates and environments parse, and use only types that exist."""

import pathlib

import pytest
import yaml

from heat.common import environment_format
from heat.common import template_format
from yamllint import config as yamllint_config
from yamllint import linter

from heat_lbaas.devcloud import settings
from heat_lbaas.resources import resource_mapping

ROOT = pathlib.Path(__file__).resolve().parents[2]
TEMPLATES = sorted((ROOT / 'templates').rglob('*.yaml'))
ENVIRONMENTS = sorted((ROOT / 'environments').glob('*.yaml'))

# Heat templates start without '---' and use {flow: maps} freely.
YAMLLINT_CONFIG = yamllint_config.YamlLintConfig(
    'extends: default\n'
    'rules:\n'
    '  document-start: disable\n'
    '  line-length: {max: 100}\n'
    '  truthy: {allowed-values: ["true", "false"], check-keys: false}\n')


def _ids(paths):
    return [str(path.relative_to(ROOT)) for path in paths]


def _aliases():
    """Types the environments map to a registered type (e.g. LBaaS::WebServer)."""
    aliases = {}
    for path in ENVIRONMENTS:
        registry = yaml.safe_load(path.read_text()).get('resource_registry', {})
        aliases.update({name: target for name, target in registry.items()
                        if isinstance(target, str)})
    return aliases


def _resource_types(template):
    """Every resource type in a template, including an AutoScalingGroup's resource."""
    for resource in (template.get('resources') or {}).values():
        yield resource['type']
        nested = (resource.get('properties') or {}).get('resource')
        if resource['type'] == 'OS::Heat::AutoScalingGroup' and nested:
            yield nested['type']


def test_there_are_templates_and_environments():
    assert (ROOT / 'templates' / 'autoscaling_web.yaml') in TEMPLATES
    assert (ROOT / 'templates' / 'lib' / 'web_member.yaml') in TEMPLATES
    assert (ROOT / 'environments' / 'devcloud.yaml') in ENVIRONMENTS


@pytest.mark.parametrize('path', TEMPLATES, ids=_ids(TEMPLATES))
def test_template_parses_with_heats_parser(path):
    template = template_format.parse(path.read_text())
    assert template['heat_template_version']
    assert template.get('description')


@pytest.mark.parametrize('path', TEMPLATES, ids=_ids(TEMPLATES))
def test_every_parameter_is_described(path):
    template = template_format.parse(path.read_text())
    for name, parameter in (template.get('parameters') or {}).items():
        assert parameter.get('description'), name


@pytest.mark.parametrize('path', TEMPLATES, ids=_ids(TEMPLATES))
def test_every_resource_type_exists(path):
    template = template_format.parse(path.read_text())
    registered = resource_mapping()
    aliases = _aliases()
    for resource_type in _resource_types(template):
        if resource_type.endswith('.yaml'):
            assert (path.parent / resource_type).is_file(), resource_type
        elif resource_type.startswith('OS::Heat::'):
            continue
        else:
            assert aliases.get(resource_type, resource_type) in registered, resource_type


@pytest.mark.parametrize('path', ENVIRONMENTS, ids=_ids(ENVIRONMENTS))
def test_environment_parses_with_heats_parser(path):
    parsed = environment_format.parse(path.read_text())
    for alias, target in parsed.get('resource_registry', {}).items():
        if isinstance(target, str) and not target.endswith('.yaml'):
            assert target in resource_mapping(), (alias, target)


@pytest.mark.parametrize('path', TEMPLATES + ENVIRONMENTS, ids=_ids(TEMPLATES + ENVIRONMENTS))
def test_yamllint_finds_nothing(path):
    problems = list(linter.run(path.read_text(), YAMLLINT_CONFIG, str(path)))
    assert not problems, '\n'.join(str(problem) for problem in problems)


def test_devcloud_environment_sets_the_vip_subnet():
    env = yaml.safe_load((ROOT / 'environments' / 'devcloud.yaml').read_text())
    assert env['parameter_defaults']['vip_subnet'] == settings.VIP_SUBNET_ID


def test_scaling_urls_are_signal_urls():
    template = template_format.parse((ROOT / 'templates' / 'autoscaling_web.yaml').read_text())
    outputs = template['outputs']
    assert outputs['scale_up_url']['value'] == {'get_attr': ['scale_up', 'signal_url']}
    assert outputs['scale_down_url']['value'] == {'get_attr': ['scale_down', 'signal_url']}
