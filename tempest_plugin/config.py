"""Tempest options of the heat-lbaas plugin ([heat_lbaas] in tempest.conf)."""
from oslo_config import cfg

group = cfg.OptGroup(name='heat_lbaas', title='heat-lbaas scenario test options')

OPTIONS = [
    cfg.StrOpt('vip_subnet_id',
               help='Subnet for the load balancers the scenarios create (on the '
                    'devcloud: `heat-lbaas-devcloud env` exports it).'),
    cfg.StrOpt('environment', default='environments/devcloud.yaml',
               help='Environment file that chooses where web servers run.'),
]
