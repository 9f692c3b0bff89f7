"""How a failed Octavia request reaches Heat: the API's answer, read from the client's
exceptions, and the exception that fails a resource with the API's own words."""

from heat.common import exception
from heat.common.i18n import _
from osc_lib import exceptions as osc_exceptions
from octaviaclient.api.v2 import octavia as octavia_api


class OctaviaRequestFailed(exception.HeatException):
    msg_fmt = _('%(reason)s')


def api_error_of(ex):
    """(HTTP status, faultstring) of a failed client call, or None if it was no API answer.

    OctaviaAPI wraps most errors into OctaviaClientException (message = the faultstring),
    but a 404 from a show (osc_lib's find) arrives as osc_lib's NotFound.
    """
    if isinstance(ex, octavia_api.OctaviaClientException):
        return ex.code, ex.message
    if isinstance(ex, osc_exceptions.ClientException):
        return ex.http_status, ex.message
    return None
