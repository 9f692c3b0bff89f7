"""Whether this machine can serve UDP and SCTP listeners as Octavia does: with
keepalived's LVS virtual servers, which program the kernel's IP Virtual Server
(IPVS) inside the amphora's network namespace. HAProxy proxies neither protocol.

The haproxy driver does not ask this any more: it serves UDP with nftables in
namespace mode and refuses SCTP (amphora/udp_dataplane.py probes both). This stays
for the keepalived rendering (lvs_render.py), should a kernel with IPVS run it."""
import os

# Present when the kernel has IPVS (built in or loaded): what ipvsadm and keepalived use.
IPVS_PROC = '/proc/net/ip_vs'


def unserved_reason(ipvs_proc=IPVS_PROC):
    """Why the haproxy amphora driver does not serve UDP and SCTP here, as the
    501 says it. Read once at start: a module loaded later needs a restart."""
    if not os.path.exists(ipvs_proc):
        return ('this kernel has no IP Virtual Server (no %s), which the keepalived '
                'LVS virtual servers serving UDP and SCTP need' % ipvs_proc)
    # The rendering (lvs_render.py) is checked by keepalived -t; starting
    # keepalived in the amphora's namespace is not done yet, and what is accepted
    # must be served.
    return ('keepalived LVS virtual servers are not yet started by the haproxy '
            'amphora driver')
