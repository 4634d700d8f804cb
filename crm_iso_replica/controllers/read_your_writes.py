# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Read-your-writes for the web client when reads go to a streaming replica.

Odoo 19 serves every read-only call of the web client (``web_read``,
``web_search_read``, any ``@api.readonly`` method...) from the replica
when ``db_replica_host`` is configured. After a button (a complaint's
*Acknowledge*, a visit's *Call*) the form reloads the record with a separate
``web_read``; a replica that lags behind the primary would show the record as it
was before the button.

Here, a session that has just written reads from the primary for a short while:
every call of ``/web/dataset/call_kw`` and ``/web/dataset/call_button`` of a
method that is not read-only (a button, ``web_save``, ``write``...) stamps the
session with the moment until which its read-only calls
stay on the primary (``crm_iso_replica.read_your_writes_seconds``, 10 s by
default). The stamp lives in the server-side session and uses the server's clock:
a caller can neither set it nor move it. Without a replica nothing changes: every
cursor is on the primary anyway, and no session is stamped.
"""

import time

from odoo import http
from odoo.http import request

from odoo.addons.web.controllers.dataset import DataSet

SESSION_KEY = "crm_iso_replica_primary_until"
PARAM = "crm_iso_replica.read_your_writes_seconds"
DEFAULT_SECONDS = 10


def _replica_configured():
    return request.registry._db_readonly is not None


def _on_primary_for_now():
    """True while this session's reads must stay on the primary."""
    return request.session.get(SESSION_KEY, 0) > time.time()


def _stamp_after_write():
    """After a call that may write, keep this session's reads on the primary.

    Only a method that is not read-only stamps: reads served on the primary
    during the window do not extend it.
    """
    param = request.env["ir.config_parameter"].sudo()
    try:
        seconds = float(param.get_param(PARAM, DEFAULT_SECONDS))
    except ValueError:
        seconds = DEFAULT_SECONDS
    request.session[SESSION_KEY] = time.time() + max(seconds, 0)


class DataSetReadYourWrites(DataSet):
    def _crm_iso_replica_readonly(self, rule, args):
        return self._call_kw_readonly(rule, args) and not _on_primary_for_now()

    def _crm_iso_replica_after_call(self):
        if _replica_configured() and not self._call_kw_readonly(None, None):
            _stamp_after_write()

    @http.route(readonly=_crm_iso_replica_readonly)
    def call_kw(self, model, method, args, kwargs, path=None):
        result = super().call_kw(model, method, args, kwargs, path=path)
        self._crm_iso_replica_after_call()
        return result

    @http.route(readonly=_crm_iso_replica_readonly)
    def call_button(self, model, method, args, kwargs, path=None):
        result = super().call_button(model, method, args, kwargs, path=path)
        self._crm_iso_replica_after_call()
        return result
