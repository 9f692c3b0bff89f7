"""docs/templates.md shows what the templates are now: its generated sections (pictures,
parameter and output tables) equal what scripts/topology.py makes of each template."""
import importlib.util
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
DOC = ROOT / 'docs' / 'templates.md'


def _topology():
    spec = importlib.util.spec_from_file_location('topology', ROOT / 'scripts' / 'topology.py')
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


topology = _topology()
BLOCKS = topology.generated_blocks(DOC.read_text())


def test_every_template_has_a_generated_section():
    documented = {path for path, _ in BLOCKS}
    shipped = {str(path.relative_to(ROOT)) for path in (ROOT / 'templates').rglob('*.yaml')}
    assert documented == shipped


@pytest.mark.parametrize('path,body', BLOCKS, ids=[path for path, _ in BLOCKS])
def test_generated_section_is_up_to_date(path, body):
    assert body == topology.section(path), (
        'docs/templates.md is out of date for %s: run '
        '.venv/bin/python scripts/topology.py --update docs/templates.md' % path)


def test_picture_shows_resources_and_their_links():
    lines = topology.mermaid({'resources': {
        'pool': {'type': 'LBaaS::Pool', 'properties': {'listener': {'get_resource': 'lst'}}},
        'lst': {'type': 'LBaaS::Listener'},
        'group': {'type': 'OS::Heat::ResourceGroup', 'depends_on': 'pool',
                  'condition': 'big',
                  'properties': {'resource_def': {
                      'type': 'LBaaS::WebMember',
                      'properties': {'pool': {'get_attr': ['pool', 'id']}}}}}}})
    assert '  pool -->|get_resource| lst' in lines
    assert '  group -->|get_attr, depends_on| pool' in lines
    assert any('OS::Heat::ResourceGroup of LBaaS::WebMember (if big)' in line
               for line in lines)


def test_parameter_table_names_the_resources_that_take_each_parameter():
    lines = topology.parameters_table({
        'parameters': {'port': {'type': 'number', 'default': 80, 'description': 'a|b',
                                'constraints': [{'range': {'min': 1, 'max': 9}}]}},
        'resources': {'lst': {'type': 'LBaaS::Listener',
                              'properties': {'protocol_port': {'get_param': 'port'}}}}})
    assert lines[-1] == '| `port` | number | 80 | range 1..9 | lst | a\\|b |'
