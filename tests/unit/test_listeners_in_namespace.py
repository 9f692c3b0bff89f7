"""With amphora_network = namespace, HAProxy runs on the host and only its listeners
are bound in the amphora's namespace: every bind line, and nothing else, gets the
`namespace` option (haproxy_process.listeners_in_namespace)."""
from heat_lbaas.controller.amphora import haproxy_process

RENDERED = '''global
    stats socket /tmp/hlb-x/lb.stats mode 600 level admin expose-fd listeners

frontend l1
    mode http
    bind 198.18.0.2:80

frontend l2
    mode tcp
    bind 198.18.0.2:443 ssl crt /s/a.pem crt /s/b.pem alpn h2,http/1.1

backend p1
    server m1 127.0.0.1:8080 weight 1 check inter 5000 fall 3 rise 2
'''


def test_every_bind_line_and_only_those_get_the_namespace():
    placed = haproxy_process.listeners_in_namespace(RENDERED, 'amphora-1a2b3c4d')
    lines = placed.splitlines()
    assert '    bind 198.18.0.2:80 namespace amphora-1a2b3c4d' in lines
    # The option follows the address, before the listener's other options.
    assert ('    bind 198.18.0.2:443 namespace amphora-1a2b3c4d ssl crt /s/a.pem '
            'crt /s/b.pem alpn h2,http/1.1') in lines
    changed = [line for line in lines if line not in RENDERED.splitlines()]
    assert len(changed) == 2
    # Members are reached from the host: no namespace on server lines.
    assert '    server m1 127.0.0.1:8080 weight 1 check inter 5000 fall 3 rise 2' in lines


def test_a_configuration_without_listeners_is_unchanged():
    text = RENDERED.split('frontend')[0]
    assert haproxy_process.listeners_in_namespace(text, 'amphora-1a2b3c4d') == text
