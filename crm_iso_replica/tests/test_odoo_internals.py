# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The Odoo internals this addon relies on still have the shape and meaning it
expects (readme/DEVELOP.md lists them).

None of them is a public API: an Odoo update may rename, move or change one
without notice. Each test here names the internal it checks and fails with
what changed, so that the update is caught by the tests, not by a replica
failing in production. When one fails, read the new Odoo code, adapt
models/ir_http.py or controllers/read_your_writes.py, then this test and
DEVELOP.md.
"""

import inspect
import time
from unittest.mock import MagicMock, patch

import psycopg2

from odoo import sql_db
from odoo.http import Request
from odoo.modules.registry import Registry
from odoo.orm import registry as registry_module
from odoo.tests import TransactionCase, tagged

from odoo.addons.base.models.ir_http import IrHttp as BaseIrHttp
from odoo.addons.web.controllers.dataset import DataSet

from ..controllers.read_your_writes import DataSetReadYourWrites

# ir.http's request steps that models/ir_http.py wraps: classmethods, with
# these parameters (after cls)
WRAPPED_STEPS = {
    "_authenticate": ["endpoint"],
    "_auth_method_public": [],
    "_pre_dispatch": ["rule", "args"],
    "_dispatch": ["endpoint"],
    "_serve_fallback": [],
}


def parameters(function):
    return list(inspect.signature(function).parameters)


@tagged("post_install", "-at_install")
class TestOdooInternals(TransactionCase):
    def test_registry_has_the_replica_pool_and_its_failure_mark(self):
        """``Registry._db_readonly`` (the replica's pool, None without
        ``db_replica_host``) and ``_db_readonly_failed_time`` (a
        ``time.monotonic()`` moment, or None) are set on every registry."""
        source = inspect.getsource(Registry.init)
        for name in ("self._db_readonly", "self._db_readonly_failed_time"):
            self.assertIn(name, source, f"Registry.init no longer sets {name}")
        self.assertTrue(
            self.registry._db_readonly is None
            or isinstance(self.registry._db_readonly, sql_db.ConnectionPool),
            self.registry._db_readonly,
        )

    def cursor_of(self, replica_fails=False, failed_time=None, with_replica=True):
        """Registry.cursor(readonly=True), Odoo's own (the test registry's
        cursor is patched), on a primary and a replica pool that are mocks:
        which pool gave the cursor, and the failure mark after it."""
        primary, replica = MagicMock(name="primary"), MagicMock(name="replica")
        primary.cursor.return_value = "primary cursor"
        replica.cursor.return_value = "replica cursor"
        if replica_fails:
            replica.cursor.side_effect = psycopg2.OperationalError("no standby")
        with (
            patch.object(self.registry, "_db", primary),
            patch.object(
                self.registry, "_db_readonly", replica if with_replica else None
            ),
            patch.object(self.registry, "_db_readonly_failed_time", failed_time),
        ):
            cursor = Registry.cursor(self.registry, readonly=True)
            return cursor, self.registry._db_readonly_failed_time

    def test_registry_cursor_skips_the_replica_after_a_failure(self):
        """What ``_crm_iso_replica_lost`` does, setting the mark to now, makes
        ``Registry.cursor`` serve read-only cursors from the primary for
        ``_REPLICA_RETRY_TIME`` (20 minutes), as after a failed connection."""
        self.assertEqual(parameters(Registry.cursor), ["self", "readonly"])
        retry = registry_module._REPLICA_RETRY_TIME
        self.assertIsInstance(retry, (int, float))
        now = time.monotonic()
        self.assertEqual(self.cursor_of(with_replica=False)[0], "primary cursor")
        self.assertEqual(self.cursor_of(), ("replica cursor", None))
        self.assertEqual(self.cursor_of(failed_time=now)[0], "primary cursor")
        self.assertEqual(
            self.cursor_of(failed_time=now - retry - 1), ("replica cursor", None)
        )
        cursor, mark = self.cursor_of(replica_fails=True)
        self.assertEqual(cursor, "primary cursor")
        self.assertGreaterEqual(mark, now, "the mark is a time.monotonic() moment")

    def test_ir_http_steps_are_classmethods_of_that_shape(self):
        for name, params in WRAPPED_STEPS.items():
            with self.subTest(step=name):
                static = inspect.getattr_static(BaseIrHttp, name, None)
                self.assertIsInstance(static, classmethod, f"ir.http.{name}")
                self.assertEqual(parameters(getattr(BaseIrHttp, name)), params)

    def test_a_read_only_request_is_served_again_after_read_only_sql_transaction(
        self,
    ):
        """``Request._serve_db`` evaluates a callable ``readonly`` of the route
        as ``readonly(controller, rule, args)``, and serves a read-only request
        again on a read/write cursor when it raises ``ReadOnlySqlTransaction``:
        the re-serve of a lost replica rides on that."""
        source = inspect.getsource(Request._serve_db)
        for expected in (
            "readonly(rule.endpoint.func.__self__, rule, args)",
            "except psycopg2.errors.ReadOnlySqlTransaction",
            "cr = self.env.registry.cursor()",
        ):
            self.assertIn(expected, source, "Request._serve_db changed")
        source = inspect.getsource(Request._serve_ir_http)
        for step in ("._authenticate(", "._pre_dispatch("):
            self.assertIn(step, source, "Request._serve_ir_http changed")

    def test_web_dataset_routes_take_a_callable_readonly(self):
        """``DataSet._call_kw_readonly(rule, args)`` decides the cursor of
        ``/web/dataset/call_kw`` and ``call_button`` from the request's JSON
        (read_your_writes.py calls it with ``None, None`` after the call)."""
        self.assertEqual(
            parameters(DataSet._call_kw_readonly), ["self", "rule", "args"]
        )
        source = inspect.getsource(DataSet._call_kw_readonly)
        self.assertIn("request.get_json_data()['params']", source)
        self.assertNotIn("rule.", source)
        self.assertNotIn("args[", source)
        for name in ("call_kw", "call_button"):
            with self.subTest(route=name):
                upstream = getattr(DataSet, name)
                self.assertEqual(
                    parameters(upstream),
                    ["self", "model", "method", "args", "kwargs", "path"],
                )
                self.assertIs(
                    upstream.original_routing["readonly"], DataSet._call_kw_readonly
                )
                ours = getattr(DataSetReadYourWrites, name).original_routing
                self.assertEqual(ours["readonly"].__name__, "_crm_iso_replica_readonly")

    def test_a_lost_connection_marks_the_cursor_closed(self):
        """``_link_lost`` reads ``Cursor.closed``: psycopg2 marks a connection
        closed once the server ended it, ``Cursor.close`` then does not raise,
        and the pool hands out a live connection instead of the dead one."""
        pool = sql_db.db_connect(self.env.cr.dbname, readonly=True)
        cr = pool.cursor()
        try:
            cr.execute("SELECT pg_backend_pid()")
            pid = cr.fetchone()[0]
            self.assertFalse(cr.closed)
            self.env.cr.execute("SELECT pg_terminate_backend(%s)", [pid])
            self.assertTrue(self.env.cr.fetchone()[0])
            deadline = time.monotonic() + 10
            with self.assertRaises(psycopg2.OperationalError):
                while time.monotonic() < deadline:  # the backend ends at once
                    cr.execute("SELECT 1")
                    time.sleep(0.05)
            self.assertTrue(cr.closed)
        finally:
            cr.close()
        with pool.cursor() as fresh:
            fresh.execute("SELECT 1")
            self.assertEqual(fresh.fetchone(), (1,))
