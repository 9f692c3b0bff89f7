"""The devcloud's own Heat resource types (LBaaS::Dev::*).

They start processes on the Heat engine's machine (web servers, load alarms that POST
URLs a template supplies), so a production Heat must never load them: only the
devcloud's plugin module (heat_lbaas.devcloud.heat_plugin) registers them, and
heat_lbaas.resources never imports this package.
"""
