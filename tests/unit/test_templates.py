"""The shipped templates and environments parse, and use only types that exist."""

import pathlib

import pytest
import yaml

from heat.common import environment_format
from heat.common import template_format
from yamllint import config as yamllint_config
from yamllint import linter

from heat_lbaas.devcloud import settings
from heat_lbaas.devcloud.heat_plugin import resource_mapping

ROOT = pathlib.Path(__file__).resolve().parents[2]
TEMPLATES = sorted((ROOT / 'templates').rglob('*.yaml'))
ENVIRONMENTS = sorted((ROOT / 'environments').glob('*.yaml'))

# The committed configuration `make lint` uses, so both apply the same rules.
YAMLLINT_CONFIG = yamllint_config.YamlLintConfig(file=str(ROOT / '.yamllint'))

# What an environment may map a type to besides our own types: Heat's placeholder.
HEAT_TYPES = ('OS::Heat::None',)


def _ids(paths):
    return [str(path.relative_to(ROOT)) for path in paths]


def _aliases():
    """{alias: [targets]} over the environments (e.g. LBaaS::WebMember: a nested
    template on the devcloud, another on a real cloud); file targets as paths."""
    aliases = {}
    for path in ENVIRONMENTS:
        registry = yaml.safe_load(path.read_text()).get('resource_registry', {})
        for name, target in registry.items():
            if isinstance(target, str):
                if target.endswith('.yaml'):
                    target = (path.parent / target).resolve()
                aliases.setdefault(name, []).append(target)
    return aliases


def _resource_types(template):
    """Every resource type in a template, including a group's resource definition."""
    for resource in (template.get('resources') or {}).values():
        yield resource['type']
        properties = resource.get('properties') or {}
        nested = properties.get('resource') or properties.get('resource_def')
        if resource['type'] in ('OS::Heat::AutoScalingGroup', 'OS::Heat::ResourceGroup'):
            yield nested['type']


def test_there_are_templates_and_environments():
    for name in ('autoscaling_web', 'l7_routing', 'single_call_lb', 'blue_green',
                 'lib/dev_member', 'lib/nova_member', 'lib/nova_web_server'):
        assert (ROOT / 'templates' / (name + '.yaml')) in TEMPLATES
    for name in ('devcloud', 'openstack', 'octavia-compat', 'lbaas-types'):
        assert (ROOT / 'environments' / (name + '.yaml')) in ENVIRONMENTS


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
        elif resource_type.startswith(('OS::Heat::', 'OS::Nova::', 'OS::Neutron::',
                                       'OS::Aodh::')):
            continue    # Heat's own types (the Nova variant is validated in tests/e2e)
        else:
            for target in aliases.get(resource_type, [resource_type]):
                if isinstance(target, pathlib.Path):
                    assert target.is_file(), (resource_type, target)
                else:
                    assert target in registered, (resource_type, target)


@pytest.mark.parametrize('path', ENVIRONMENTS, ids=_ids(ENVIRONMENTS))
def test_environment_parses_with_heats_parser(path):
    parsed = environment_format.parse(path.read_text())
    for alias, target in parsed.get('resource_registry', {}).items():
        if isinstance(target, str) and target.endswith('.yaml'):
            assert (path.parent / target).is_file(), (alias, target)
        elif isinstance(target, str):
            assert target in resource_mapping() or target in HEAT_TYPES, (alias, target)


@pytest.mark.parametrize('path', TEMPLATES + ENVIRONMENTS, ids=_ids(TEMPLATES + ENVIRONMENTS))
def test_yamllint_finds_nothing(path):
    problems = list(linter.run(path.read_text(), YAMLLINT_CONFIG, str(path)))
    assert not problems, '\n'.join(str(problem) for problem in problems)


def test_devcloud_environment_sets_the_vip_subnet():
    env = yaml.safe_load((ROOT / 'environments' / 'devcloud.yaml').read_text())
    assert env['parameter_defaults']['vip_subnet'] == settings.VIP_SUBNET_ID


def test_devcloud_and_openstack_environments_map_the_same_aliases():
    def registry(name):
        path = ROOT / 'environments' / (name + '.yaml')
        return yaml.safe_load(path.read_text())['resource_registry']
    assert set(registry('devcloud')) == set(registry('openstack')) == {
        'LBaaS::WebServer', 'LBaaS::WebMember'}


def test_member_templates_have_one_interface():
    """The top templates cannot tell which member template the environment chose."""
    def interface(name):
        template = yaml.safe_load((ROOT / 'templates' / 'lib' / name).read_text())
        required = {key for key, parameter in template['parameters'].items()
                    if 'default' not in parameter}
        return required, set(template['outputs'])
    dev_required, dev_outputs = interface('dev_member.yaml')
    nova_required, nova_outputs = interface('nova_member.yaml')
    # `subnet` comes from environments/openstack.yaml's parameter_defaults.
    assert dev_required == nova_required - {'subnet'} == {'pool'}
    assert dev_outputs <= nova_outputs


def test_scaling_urls_are_signal_urls():
    template = template_format.parse((ROOT / 'templates' / 'autoscaling_web.yaml').read_text())
    outputs = template['outputs']
    assert outputs['scale_up_url']['value'] == {'get_attr': ['scale_up', 'signal_url']}
    assert outputs['scale_down_url']['value'] == {'get_attr': ['scale_down', 'signal_url']}
