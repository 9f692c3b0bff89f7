"""What an amphora's haproxy.cfg may contain, checked from outside the controller.

`haproxy -c` says whether HAProxy accepts the file; `foreign_lines` says which lines
the controller's template could not have written: a line whose first word is none of
the template's keywords, or with characters outside printable ASCII. The keywords are
read from the template itself (and the L7 lines of its macros in templates/l7.j2),
so a new template line needs no change here, while a line injected through a user's
value ("x\\nstats socket ...") still has to start with one of them at the indentation
of a section line.
"""
import os
import re
import shutil
import subprocess

from heat_lbaas.controller.amphora import render

TEMPLATE = os.path.join(os.path.dirname(render.__file__), 'templates', 'haproxy.cfg.j2')
# Lines the template writes through {{ acl }} and {{ action }} (templates/l7.j2).
L7_KEYWORDS = ('acl', 'http-request', 'redirect', 'use_backend')
SECTIONS = ('global', 'defaults', 'frontend', 'backend')
PRINTABLE = re.compile(r'[ -~]*')


def template_keywords():
    keywords = set(L7_KEYWORDS)
    with open(TEMPLATE) as template:
        for line in template:
            word = line.split()[0] if line.split() else ''
            if word and not word.startswith(('{%', '{{', '#')):
                keywords.add(word)
    return keywords


def foreign_lines(config_text, keywords=None):
    """Lines of `config_text` the template could not have written."""
    keywords = keywords or template_keywords()
    foreign = []
    for line in config_text.split('\n'):
        words = line.split()
        if not PRINTABLE.fullmatch(line):
            foreign.append(line)
        elif not words or words[0].startswith('#'):
            continue
        elif line[0] != ' ':
            if words[0] not in SECTIONS:
                foreign.append(line)
        elif not line.startswith('    ') or line[4] == ' ' or words[0] not in keywords:
            foreign.append(line)
    return foreign


def haproxy_check(config_path):
    """(accepted, output) of `haproxy -c -f config_path`."""
    result = subprocess.run([shutil.which('haproxy'), '-c', '-f', config_path],
                            capture_output=True, text=True, timeout=60)
    return result.returncode == 0, result.stdout + result.stderr


def amphora_config_path(state_dir, lb_id):
    return os.path.join(state_dir, 'amphorae', lb_id, 'haproxy.cfg')


ANSWERING = '''global
    stats socket {stats_socket} mode 600 level admin expose-fd listeners
defaults
    mode http
    timeout connect 5s
    timeout client 30s
    timeout server 30s
frontend vip
    bind {vip}:{port}
    http-request return status 200 content-type text/plain string "{answer}"
'''


def answering(stats_socket, vip, port, answer):
    """A haproxy.cfg that answers every request on vip:port with `answer` itself (no
    backend): an amphora stand-in whose answers say which one served."""
    return ANSWERING.format(stats_socket=stats_socket, vip=vip, port=port, answer=answer)
