"""heat-lbaas-amphorae: list or stop the HAProxy processes (amphorae) of a controller.

    heat-lbaas-amphorae --config-file controller.conf list|stop

The controller leaves its amphorae serving when it stops (a restarted controller adopts
them), so stopping them is this explicit step: `stop` ends every HAProxy master of the
state directory by the PID in its pid file, after /proc/<pid>/cmdline shows that
amphora's configuration. Run it once the controller has stopped. A later controller
start serves every load balancer again from its last accepted configuration.
"""
import argparse
import sys

from oslo_config import cfg

from heat_lbaas.controller import config
from heat_lbaas.controller import drivers


def driver_for(conf):
    # With amphora_network = namespace, stop also removes the namespaces, veths,
    # bridge and host namespace name the controller created.
    return drivers.amphora_driver(conf, drivers.namespace_topology(conf))


def main(argv=None):
    parser = argparse.ArgumentParser(prog='heat-lbaas-amphorae',
                                     description=__doc__.split('\n')[0])
    parser.add_argument('--config-file', required=True,
                        help="the controller's configuration file")
    parser.add_argument('action', choices=('list', 'stop'))
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    conf = cfg.ConfigOpts()
    config.register(conf)
    conf(['--config-file', args.config_file], project='heat-lbaas',
         prog='heat-lbaas-amphorae')
    driver = driver_for(conf)
    for lb_id in driver.running_ids():
        print('%s %s' % (lb_id, driver.master_pid(lb_id)))
    if args.action == 'stop':
        driver.stop_all()
        print('stopped')
    return 0


if __name__ == '__main__':
    sys.exit(main())
