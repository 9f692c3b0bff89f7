#!/usr/bin/env python3
"""Pictures and tables of a HOT template, generated from the template itself.

    scripts/topology.py templates/l7_routing.yaml      # the markdown section of one template
    scripts/topology.py --update docs/templates.md     # rewrite every generated section

A section is a Mermaid graph of the resources (an arrow A --> B says that A refers to B,
labelled get_resource, get_attr or depends_on), a table of the parameters (with the
resources whose properties take each one: the get_param links) and a table of the
outputs. docs/templates.md holds one section per template between
`<!-- BEGIN GENERATED from PATH -->` and `<!-- END GENERATED from PATH -->`;
tests/unit/test_template_docs.py fails when a section differs from what this script
makes of the template now, so the pictures cannot drift from the templates.
"""

import argparse
import pathlib
import re
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[1]

BLOCK = re.compile(r'(<!-- BEGIN GENERATED from (?P<path>\S+) -->\n)(?P<body>.*?)'
                   r'(<!-- END GENERATED from (?P=path) -->)', re.S)

# Resource types that hold a definition of other resources (nested in their properties).
GROUP_DEFINITION = {
    'OS::Heat::AutoScalingGroup': 'resource',
    'OS::Heat::ResourceGroup': 'resource_def',
}


def load(path):
    return yaml.safe_load(pathlib.Path(path).read_text())


def references(value):
    """(function, name) for every get_resource / get_attr / get_param inside `value`."""
    if isinstance(value, dict):
        for key, argument in value.items():
            if key in ('get_resource', 'get_attr', 'get_param'):
                name = argument[0] if isinstance(argument, list) else argument
                if isinstance(name, str):
                    yield key, name
            yield from references(argument)
    elif isinstance(value, list):
        for item in value:
            yield from references(item)


def depends_on(resource):
    needs = resource.get('depends_on') or []
    return [needs] if isinstance(needs, str) else list(needs)


def resource_links(template):
    """{(from, to): [functions]}: which resource refers to which, and how."""
    resources = template.get('resources') or {}
    links = {}
    for name, resource in resources.items():
        found = [(fn, target) for fn, target in references(resource.get('properties'))
                 if fn != 'get_param' and target in resources]
        found += [('depends_on', target) for target in depends_on(resource)]
        for function, target in found:
            kinds = links.setdefault((name, target), [])
            if function not in kinds:
                kinds.append(function)
    return links


def type_label(resource):
    label = resource['type']
    definition_key = GROUP_DEFINITION.get(label)
    nested = (resource.get('properties') or {}).get(definition_key) if definition_key else None
    if isinstance(nested, dict) and nested.get('type'):
        label += ' of ' + nested['type']
    if resource.get('condition'):
        label += ' (if %s)' % resource['condition']
    return label


def mermaid(template):
    lines = ['```mermaid', 'flowchart LR']
    for name, resource in (template.get('resources') or {}).items():
        lines.append('  %s["%s<br/><small>%s</small>"]' % (name, name, type_label(resource)))
    for (source, target), kinds in resource_links(template).items():
        lines.append('  %s -->|%s| %s' % (source, ', '.join(kinds), target))
    lines.append('```')
    return lines


def _cell(value):
    text = ' '.join(str(value).split())
    return text.replace('|', '\\|')


def _constraints(parameter):
    described = []
    for constraint in parameter.get('constraints') or ():
        for kind in ('range', 'length'):
            if kind in constraint:
                bounds = constraint[kind]
                described.append('%s %s..%s' % (kind, bounds.get('min', ''),
                                                bounds.get('max', '')))
        if 'allowed_values' in constraint:
            described.append('one of ' + ', '.join(map(str, constraint['allowed_values'])))
        if 'allowed_pattern' in constraint:
            described.append('pattern `%s`' % constraint['allowed_pattern'])
        if 'custom_constraint' in constraint:
            described.append(constraint['custom_constraint'])
    return '; '.join(described)


def parameter_users(template):
    """{parameter: [resources whose definition takes it, and conditions on it]}."""
    users = {}
    for name, condition in (template.get('conditions') or {}).items():
        for function, parameter in references(condition):
            if function == 'get_param':
                users.setdefault(parameter, []).append('condition %s' % name)
    for name, resource in (template.get('resources') or {}).items():
        for function, parameter in references(resource):
            if function == 'get_param' and name not in users.setdefault(parameter, []):
                users[parameter].append(name)
    return users


def parameters_table(template):
    parameters = template.get('parameters') or {}
    if not parameters:
        return ['No parameters.']
    users = parameter_users(template)
    lines = ['| parameter | type | default | constraints | used by | description |',
             '|---|---|---|---|---|---|']
    for name, parameter in parameters.items():
        default = parameter.get('default', '(required)')
        if default == '':
            default = "''"
        lines.append('| `%s` | %s | %s | %s | %s | %s |' % (
            name, parameter.get('type', ''), _cell(default), _cell(_constraints(parameter)),
            ', '.join(users.get(name, [])), _cell(parameter.get('description', ''))))
    return lines


def outputs_table(template):
    outputs = template.get('outputs') or {}
    if not outputs:
        return ['No outputs.']
    lines = ['| output | description |', '|---|---|']
    for name, output in outputs.items():
        lines.append('| `%s` | %s |' % (name, _cell(output.get('description', ''))))
    return lines


def section(path):
    """The generated markdown of one template (path relative to the checkout)."""
    template = load(ROOT / path)
    lines = mermaid(template)
    lines += ['', '**Parameters**', ''] + parameters_table(template)
    lines += ['', '**Outputs**', ''] + outputs_table(template)
    return '\n'.join(lines) + '\n'


def generated_blocks(document):
    """[(path, body)] of the generated sections of a markdown document."""
    return [(match['path'], match['body']) for match in BLOCK.finditer(document)]


def updated(document):
    return BLOCK.sub(lambda match: match[1] + section(match['path']) + match[4], document)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('template', nargs='?', help='a template, relative to the checkout')
    parser.add_argument('--update', metavar='MARKDOWN',
                        help='rewrite the generated sections of this document')
    args = parser.parse_args(argv)
    if args.update:
        path = pathlib.Path(args.update)
        path.write_text(updated(path.read_text()))
    elif args.template:
        sys.stdout.write(section(args.template))
    else:
        parser.error('give a template or --update MARKDOWN')
    return 0


if __name__ == '__main__':
    sys.exit(main())
