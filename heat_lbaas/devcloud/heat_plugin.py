"""What the devcloud's Heat loads from its plugin_dirs: the production LBaaS::* types
plus the devcloud's own LBaaS::Dev::* types.

A production Heat loads heat_lbaas.resources instead (docs/resources.md), which
knows nothing of these.
"""
from heat_lbaas import resources
from heat_lbaas.devcloud.heat_types import dev_load_alarm
from heat_lbaas.devcloud.heat_types import dev_webserver

DEV_TYPES = {
    'LBaaS::Dev::WebServer': dev_webserver.DevWebServer,
    'LBaaS::Dev::LoadAlarm': dev_load_alarm.DevLoadAlarm,
}


def resource_mapping():
    return {**resources.resource_mapping(), **DEV_TYPES}
