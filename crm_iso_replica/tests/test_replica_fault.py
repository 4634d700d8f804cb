# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A read-only request whose replica connection is lost is served again on the
primary (models/ir_http.py).

In an HttpCase the web client's read-only calls get a real read-only cursor
(``ReplicaCase``); the registry is given the read-only pool it has with
``db_replica_host``. The loss of the replica is simulated
by the error psycopg2 raises then (``OperationalError: server closed the
connection unexpectedly``), raised once by a query step on the read-only
cursor; the real thing is proven by bench/bench_replica.py, which stops a
streaming standby under load.
"""

import functools
import inspect
from contextlib import contextmanager
from unittest.mock import patch

import psycopg2
import psycopg2.errors

from odoo import sql_db
from odoo.http import request
from odoo.service import security
from odoo.tests import JsonRpcException, tagged
from odoo.tools import mute_logger

from .common import ReplicaCase

LOST = "server closed the connection unexpectedly"


@tagged("post_install", "-at_install")
class TestReplicaFault(ReplicaCase):
    def setUp(self):
        super().setUp()
        # the read-only pool Odoo opens with db_replica_host (or in test mode);
        # HttpCase's cursors do not use it; the "skip the replica" mark is
        # restored after each test
        for name, value in (
            ("_db_readonly", sql_db.db_connect(self.registry.db_name, readonly=True)),
            ("_db_readonly_failed_time", None),
        ):
            patcher = patch.object(self.registry, name, value)
            patcher.start()
            self.addCleanup(patcher.stop)

    @contextmanager
    def replica_dies(self, owner, name, error):
        """``owner.name`` (a method or a classmethod) raises ``error`` the first
        time it runs on a read-only cursor; yields the read-only flag of the
        cursor of each call."""
        calls = []
        static = inspect.getattr_static(owner, name)
        is_classmethod = isinstance(static, classmethod)
        original = static.__func__ if is_classmethod else static

        @functools.wraps(original)
        def failing(*args, **kwargs):
            readonly = request.env.cr.readonly
            calls.append(readonly)
            if readonly and calls.count(True) == 1:
                raise error
            return original(*args, **kwargs)

        replacement = classmethod(failing) if is_classmethod else failing
        with patch.object(owner, name, replacement), mute_logger("odoo.xx"):
            yield calls

    def test_form_read_is_served_again_on_the_primary(self):
        self.authenticate("replica_staff", self.PASSWORD)
        model = type(self.env["res.partner"])
        lost = psycopg2.OperationalError(LOST)
        with self.replica_dies(model, "web_read", lost) as calls:
            records = self.web_read()
        self.assertEqual(
            records,
            [{"id": self.contact.id, "name": "Hall B kiosk", "active": True}],
        )
        self.assertEqual(calls, [True, False], "read-only, then read/write")
        # the next requests skip the replica, as after a failed connection
        self.assertIsNotNone(self.registry._db_readonly_failed_time)

    def test_session_check_lost_while_authenticating(self):
        """The session check queries the replica before the controller, and
        Odoo turns any error there into "Access Denied" (``_authenticate``)."""
        self.authenticate("replica_staff", self.PASSWORD)
        lost = psycopg2.InterfaceError("connection already closed")
        with self.replica_dies(security, "check_session", lost) as calls:
            records = self.web_read()
        self.assertEqual(records[0]["name"], "Hall B kiosk")
        self.assertEqual(calls, [True, False])

    def test_public_page_is_served_again(self):
        """A page for a visitor who is not logged in (auth='public', read-only:
        the web client's translations), the replica lost in the controller."""
        self.authenticate(None, None)
        model = type(self.env["ir.http"])
        lost = psycopg2.OperationalError(LOST)
        with self.replica_dies(model, "_get_web_translations_hash", lost) as calls:
            page = self.url_open("/web/webclient/translations?lang=en_US")
        self.assertEqual(page.status_code, 200)
        self.assertEqual(page.json()["lang"], "en_US")
        self.assertEqual(calls, [True, False])

    def test_other_errors_are_left_to_odoo(self):
        """A statement timeout on a live replica is not a lost replica."""
        self.authenticate("replica_staff", self.PASSWORD)
        model = type(self.env["res.partner"])
        timeout = psycopg2.errors.QueryCanceled("canceling statement due to timeout")
        with (
            self.replica_dies(model, "web_read", timeout) as calls,
            self.assertRaises(JsonRpcException),
        ):
            self.web_read()
        self.assertEqual(calls, [True])
        self.assertIsNone(self.registry._db_readonly_failed_time)

    def test_without_replica_nothing_changes(self):
        self.authenticate("replica_staff", self.PASSWORD)
        model = type(self.env["res.partner"])
        lost = psycopg2.OperationalError(LOST)
        with (
            patch.object(self.registry, "_db_readonly", None),
            self.replica_dies(model, "web_read", lost) as calls,
            self.assertRaises(JsonRpcException),
        ):
            self.web_read()
        self.assertEqual(calls, [True])
