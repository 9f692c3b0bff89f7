# heat-lbaas for a production Heat: copy this file into a directory named in
# heat.conf's [DEFAULT] plugin_dirs on every heat-engine host, then restart heat-engine.
# It registers the LBaaS::* types over the Octavia v2 API and nothing else (the
# devcloud's LBaaS::Dev::* types are never loaded this way).
from heat_lbaas.resources import resource_mapping  # noqa: F401
