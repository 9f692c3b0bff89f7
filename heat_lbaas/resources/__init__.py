"""Heat resource plugins of heat-lbaas.

Heat loads them from a one-line module in its plugin_dirs:
    from heat_lbaas.resources import resource_mapping
"""

from heat_lbaas.resources import dev_load_alarm
from heat_lbaas.resources import dev_webserver
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
        'LBaaS::Dev::WebServer': dev_webserver.DevWebServer,
        'LBaaS::Dev::LoadAlarm': dev_load_alarm.DevLoadAlarm,
    }

