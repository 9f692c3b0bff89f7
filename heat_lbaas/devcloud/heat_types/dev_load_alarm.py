"""LBaaS::Dev::LoadAlarm: a threshold alarm on a listener's load, for the devcloud.

Aodh's OS::Aodh::* alarms need Ceilometer, Gnocchi and Aodh; the devcloud has none, so
this type gives autoscaling templates a load-based trigger there: a local process
(heat_lbaas.devcloud.load_alarm) measures the listener through the load balancer API and
POSTs to `alarm_actions` / `ok_actions` (scaling policies' signal URLs) like Aodh does.
The property names are Aodh's (threshold, comparison_operator, period,
evaluation_periods, alarm_actions, ok_actions, repeat_actions). Any property change
replaces the alarm (a new process). The process reads the statistics with the stack's
credentials: the token and project of the resource's Keystone session, the one the
LBaaS::* resources' client plugin sends its requests with.
"""
import json
import os

from heat.common.i18n import _
from heat.engine import attributes
from heat.engine import constraints
from heat.engine import properties
from heat.engine import support

from heat_lbaas.devcloud import child_process
from heat_lbaas.devcloud import load_alarm
from heat_lbaas.devcloud import private_files
from heat_lbaas.devcloud.heat_types import dev_process


class DevLoadAlarm(dev_process.DevProcessResource):
    """Alarm on a listener's active connections or connection rate, per member of a pool
    or in all; its actions are URLs POSTed on a state change (devcloud only)."""

    support_status = support.SupportStatus(version='0.1.0')

    MODULE = load_alarm.MODULE

    PROPERTIES = (
        LISTENER, POOL, METER, THRESHOLD, COMPARISON_OPERATOR, PERIOD, EVALUATION_PERIODS,
        ALARM_ACTIONS, OK_ACTIONS, REPEAT_ACTIONS,
    ) = (
        'listener', 'pool', 'meter', 'threshold', 'comparison_operator', 'period',
        'evaluation_periods', 'alarm_actions', 'ok_actions', 'repeat_actions',
    )

    ATTRIBUTES = (STATE, VALUE) = ('state', 'value')

    properties_schema = {
        LISTENER: properties.Schema(
            properties.Schema.STRING,
            _('ID of the listener whose statistics are measured.'),
            required=True,
        ),
        POOL: properties.Schema(
            properties.Schema.STRING,
            _('ID of a pool: the value is divided by its members that take traffic '
              '(ONLINE, or NO_MONITOR without a health monitor), a mean per member.'),
        ),
        METER: properties.Schema(
            properties.Schema.STRING,
            _('active_connections: connections open, averaged over the period; '
              'connection_rate: new connections per second over the period.'),
            default='active_connections',
            constraints=[constraints.AllowedValues(load_alarm.METERS)],
        ),
        THRESHOLD: properties.Schema(
            properties.Schema.NUMBER,
            _('Threshold to evaluate against.'),
            required=True,
        ),
        COMPARISON_OPERATOR: properties.Schema(
            properties.Schema.STRING,
            _('Operator used to compare the value with the threshold.'),
            default='gt',
            constraints=[constraints.AllowedValues(sorted(load_alarm.COMPARISONS))],
        ),
        PERIOD: properties.Schema(
            properties.Schema.INTEGER,
            _('Seconds of each evaluation period.'),
            default=10,
            constraints=[constraints.Range(min=1, max=3600)],
        ),
        EVALUATION_PERIODS: properties.Schema(
            properties.Schema.INTEGER,
            _('Number of consecutive periods that must breach (or not) to change state.'),
            default=1,
            constraints=[constraints.Range(min=1, max=100)],
        ),
        ALARM_ACTIONS: properties.Schema(
            properties.Schema.LIST,
            _('URLs to POST to when the alarm goes to the alarm state.'),
            default=[],
        ),
        OK_ACTIONS: properties.Schema(
            properties.Schema.LIST,
            _('URLs to POST to when the alarm goes to the ok state.'),
            default=[],
        ),
        REPEAT_ACTIONS: properties.Schema(
            properties.Schema.BOOLEAN,
            _('POST the actions after every evaluation in a state, not only on a change '
              '(with a scaling policy, its cooldown sets the pace).'),
            default=True,
        ),
    }

    attributes_schema = {
        STATE: attributes.Schema(
            _("The alarm's state now: insufficient data, ok or alarm."),
            type=attributes.Schema.STRING,
            cache_mode=attributes.Schema.CACHE_NONE,
        ),
        VALUE: attributes.Schema(
            _('The value of the last evaluation (a number, or null without data).'),
            cache_mode=attributes.Schema.CACHE_NONE,
        ),
    }

    def _state_dir(self):
        return load_alarm.default_state_dir()

    def _credentials(self):
        """The token and project the stack's requests to the load balancer API carry."""
        session = self.context.keystone_session
        return {'token': session.get_token(), 'project_id': session.get_project_id()}

    def _spawn(self, process_id, state_dir):
        credentials_file = load_alarm.auth_file(state_dir, process_id)
        os.makedirs(state_dir, exist_ok=True)
        private_files.write_text(credentials_file, json.dumps(self._credentials()))
        arguments = [
            '--alarm-id', process_id, '--name', '%s.%s' % (self.stack.name, self.name),
            '--state-dir', state_dir, '--endpoint', self.client('octavia').endpoint,
            '--auth-file', credentials_file,
            '--listener', self.properties[self.LISTENER],
            '--meter', self.properties[self.METER],
            '--threshold', str(self.properties[self.THRESHOLD]),
            '--comparison-operator', self.properties[self.COMPARISON_OPERATOR],
            '--period', str(self.properties[self.PERIOD]),
            '--evaluation-periods', str(self.properties[self.EVALUATION_PERIODS]),
        ]
        if self.properties[self.POOL]:
            arguments += ['--pool', self.properties[self.POOL]]
        arguments += [a for url in self.properties[self.ALARM_ACTIONS]
                      for a in ('--alarm-action', url)]
        arguments += [a for url in self.properties[self.OK_ACTIONS]
                      for a in ('--ok-action', url)]
        if self.properties[self.REPEAT_ACTIONS]:
            arguments.append('--repeat-actions')
        child_process.spawn(self.MODULE, process_id, arguments, state_dir)

    def check_delete_complete(self, stopping):
        if not super().check_delete_complete(stopping):
            return False
        if self.resource_id is not None:
            try:
                os.unlink(load_alarm.auth_file(self._state_dir(), self.resource_id))
            except FileNotFoundError:
                pass
        return True

    def _resolve_attribute(self, name):
        if self.resource_id is None:
            return None
        evaluated = child_process.read_ready(self._state_dir(), self.resource_id)
        return None if evaluated is None else evaluated.get(name)
