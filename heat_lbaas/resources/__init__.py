"""Heat resource plugins of heat-lbaas.

Heat loads them from a one-line module in its plugin_dirs:
    from heat_lbaas.resources import resource_mapping

Only the Octavia types are here: the devcloud's process-spawning LBaaS::Dev::* types
are registered by the devcloud's own plugin module (heat_lbaas.devcloud.heat_plugin),
and nothing in this package imports the devcloud or the controller.
"""

from heat_lbaas.resources import health_monitor
from heat_lbaas.resources import l7policy
from heat_lbaas.resources import l7rule
from heat_lbaas.resources import listener
from heat_lbaas.resources import loadbalancer
from heat_lbaas.resources import loadbalancer_tree
from heat_lbaas.resources import member
from heat_lbaas.resources import pool
from heat_lbaas.resources import pool_members


def resource_mapping():
    return {
        'LBaaS::LoadBalancer': loadbalancer.LoadBalancer,
        'LBaaS::Listener': listener.Listener,
        'LBaaS::Pool': pool.Pool,
        'LBaaS::Member': member.Member,
        'LBaaS::HealthMonitor': health_monitor.HealthMonitor,
        'LBaaS::L7Policy': l7policy.L7Policy,
        'LBaaS::L7Rule': l7rule.L7Rule,
        'LBaaS::PoolMembers': pool_members.PoolMembers,
        'LBaaS::LoadBalancerTree': loadbalancer_tree.LoadBalancerTree,
    }

