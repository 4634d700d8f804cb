# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A read-only request whose replica dies under it is served again on the primary.

With ``db_replica_host`` configured, Odoo 19 serves read-only requests on a
cursor of the replica. It falls back to the primary only when it cannot *open*
that cursor (``Registry.cursor``, odoo/orm/registry.py), and serves a read-only
request again on a read/write cursor only after a
``psycopg2.errors.ReadOnlySqlTransaction`` (``Request._serve_db``,
odoo/http.py). A request whose query is running on the replica when the
replica stops gets ``OperationalError: server closed the connection
unexpectedly``; ``retrying`` (odoo/service/model.py) then rolls back on the
dead connection, which raises ``InterfaceError: connection already closed``,
and the request fails.

Here, when the connection of the request's read-only cursor is lost during
authentication, pre-dispatch, the endpoint or the fallback, the error is turned
into ``ReadOnlySqlTransaction``: Odoo's own path closes the read-only cursor
and serves the request again, whole, on a read/write cursor of the primary
(access log: ``ro->rw``). The registry then skips the replica for Odoo's usual
20 minutes, as it does when opening a replica cursor fails, so that the next
requests of this worker do not meet the dead replica first.

Only a read-only cursor is concerned, and only with a replica configured
(``registry._db_readonly``): a read-only request does not write, so serving it
again is what Odoo already does for ``ReadOnlySqlTransaction``. The dead
cursor needs no care: ``Cursor.close`` does nothing once psycopg2 has marked
its connection closed, and ``ConnectionPool.borrow`` drops closed connections.
"""

import time

import psycopg2
import psycopg2.errors

from odoo import models
from odoo.http import request

# libpq's own errors (no SQLSTATE) are the bare classes: "server closed the
# connection unexpectedly", "connection already closed"; a server going away
# sends admin_shutdown, crash_shutdown or cannot_connect_now. Any other error
# (a lock, a timeout, a recovery conflict) is left to Odoo.
LINK_ERRORS = (psycopg2.OperationalError, psycopg2.InterfaceError)
SHUTDOWN_ERRORS = (
    psycopg2.errors.AdminShutdown,
    psycopg2.errors.CrashShutdown,
    psycopg2.errors.CannotConnectNow,
)


def _link_lost(cr, exc):
    """Whether ``exc`` (or None) comes from ``cr`` losing its connection.

    The error may be wrapped: ``_authenticate_explicit`` turns any error into
    ``AccessDenied`` (odoo/addons/base/models/ir_http.py), so the chain of
    causes is read too.
    """
    if cr.closed:  # psycopg2 marks the connection closed once it is broken
        return True
    seen = set()
    while exc is not None and id(exc) not in seen:
        if type(exc) in LINK_ERRORS or isinstance(exc, SHUTDOWN_ERRORS):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _crm_iso_replica_serve(cls, serve, *args):
        """``serve(*args)``; if the replica's connection is lost meanwhile,
        raise ``ReadOnlySqlTransaction`` so that Odoo serves the request again
        on the primary."""
        cr = request.env.cr
        if not cr.readonly or request.registry._db_readonly is None:
            return serve(*args)
        try:
            result = serve(*args)
        except psycopg2.errors.ReadOnlySqlTransaction:
            raise  # a write on the replica, or already turned into one below
        except Exception as exc:
            if not _link_lost(cr, exc):
                raise
            cls._crm_iso_replica_lost(exc)
        # a controller that caught the error may still have answered
        if _link_lost(cr, None):
            cls._crm_iso_replica_lost(None)
        return result

    @classmethod
    def _crm_iso_replica_lost(cls, exc):
        # what Registry.cursor does when it cannot open a replica cursor
        request.registry._db_readonly_failed_time = time.monotonic()
        raise psycopg2.errors.ReadOnlySqlTransaction(
            f"crm_iso_replica: the replica's connection was lost ({exc!r}); "
            f"the replica is skipped for a while"
        ) from exc

    @classmethod
    def _authenticate(cls, endpoint):
        return cls._crm_iso_replica_serve(super()._authenticate, endpoint)

    @classmethod
    def _auth_method_public(cls):
        return cls._crm_iso_replica_serve(super()._auth_method_public)

    @classmethod
    def _pre_dispatch(cls, rule, args):
        return cls._crm_iso_replica_serve(super()._pre_dispatch, rule, args)

    @classmethod
    def _dispatch(cls, endpoint):
        return cls._crm_iso_replica_serve(super()._dispatch, endpoint)

    @classmethod
    def _serve_fallback(cls):
        return cls._crm_iso_replica_serve(super()._serve_fallback)
