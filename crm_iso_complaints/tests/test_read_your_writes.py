# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Read-your-writes with a replica: after a button, the same session reads the
record from the primary for a while (controllers/read_your_writes.py).

In an HttpCase, Odoo's test cursors give the web client's read-only calls a
real read-only transaction, as the replica would (odoo/tests/common.py), so
``cursor_modes`` records where each ``web_read`` ran, through the real
``/web/dataset`` routes. The tests declare the replica the server would have
with ``db_replica_host`` (``_replica_configured``); one test checks that
without it no session is stamped.
"""

import time
from unittest.mock import patch

import odoo.http
from odoo.tests import new_test_user, tagged

from odoo.addons.crm_iso_complaints.controllers import read_your_writes

from .common import MANAGER, OFFICER, ReadonlyCase

PASSWORD = "ryw-pass-12345"
ON_REPLICA = (True, "on")
ON_PRIMARY = (False, "off")


@tagged("post_install", "-at_install")
class TestReadYourWrites(ReadonlyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        new_test_user(cls.env, "ryw_officer", groups=OFFICER, password=PASSWORD)
        new_test_user(cls.env, "ryw_manager", groups=MANAGER, password=PASSWORD)
        cls.complaint = cls.env["helpdesk.ticket"].create(
            {
                "name": "Broken escalator",
                "description": "<p>Stopped twice.</p>",
                "is_complaint": True,
                "partner_id": cls.env["res.partner"].create({"name": "Visitor"}).id,
            }
        )

    def setUp(self):
        super().setUp()
        replica = patch.object(read_your_writes, "_replica_configured", lambda: True)
        replica.start()
        self.addCleanup(replica.stop)

    def stamp(self):
        stored = odoo.http.root.session_store.get(self.session.sid)
        return stored.get(read_your_writes.SESSION_KEY)

    def web_read(self):
        """Where the form's reload of the complaint runs, and what it shows."""
        with self.cursor_modes("helpdesk.ticket", "web_read") as modes:
            records = self.call_kw(
                "helpdesk.ticket",
                "web_read",
                [self.complaint.ids],
                {"specification": {"complaint_state": {}}},
            )
        self.assertEqual(len(modes), 1, modes)
        return modes[0], records[0]["complaint_state"]

    def acknowledge(self):
        self.make_jsonrpc_request(
            "/web/dataset/call_button/helpdesk.ticket/action_acknowledge",
            {
                "model": "helpdesk.ticket",
                "method": "action_acknowledge",
                "args": [self.complaint.ids],
                "kwargs": {},
            },
        )

    def later(self, seconds):
        """The server's clock, ``seconds`` from now, in the controller only."""
        now = time.time() + seconds
        return patch.object(read_your_writes.time, "time", lambda: now)

    def test_after_a_button_the_form_reads_the_primary(self):
        self.authenticate("ryw_officer", PASSWORD)
        self.assertEqual(self.web_read(), (ON_REPLICA, "received"))
        self.acknowledge()
        # the reload after the button, and the next reads for 10 s: primary
        self.assertEqual(self.web_read(), (ON_PRIMARY, "acknowledged"))
        self.assertEqual(self.web_read(), (ON_PRIMARY, "acknowledged"))
        # reads on the primary do not extend the window: after it, the replica
        with self.later(11):
            self.assertEqual(self.web_read(), (ON_REPLICA, "acknowledged"))

    def test_only_the_session_that_wrote_sticks_to_the_primary(self):
        self.authenticate("ryw_officer", PASSWORD)
        self.acknowledge()
        self.authenticate("ryw_manager", PASSWORD)
        self.assertEqual(self.web_read()[0], ON_REPLICA)

    def test_read_only_calls_do_not_stamp_the_session(self):
        self.authenticate("ryw_officer", PASSWORD)
        for _i in range(3):
            self.assertEqual(self.web_read()[0], ON_REPLICA)
        self.assertIsNone(self.stamp())

    def test_window_is_a_setting(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "crm_iso_complaints.read_your_writes_seconds", "60"
        )
        self.authenticate("ryw_officer", PASSWORD)
        self.acknowledge()
        with self.later(30):
            self.assertEqual(self.web_read()[0], ON_PRIMARY)
        with self.later(61):
            self.assertEqual(self.web_read()[0], ON_REPLICA)

    def test_a_refused_button_does_not_stamp(self):
        self.authenticate("ryw_officer", PASSWORD)
        self.complaint.action_acknowledge()
        with self.assertRaises(Exception):  # noqa: B017 - the RPC error
            self.acknowledge()  # acknowledged twice: refused
        self.assertEqual(self.web_read()[0], ON_REPLICA)

    def test_without_replica_no_session_is_stamped(self):
        self.authenticate("ryw_officer", PASSWORD)
        with patch.object(read_your_writes, "_replica_configured", lambda: False):
            self.acknowledge()
        self.assertIsNone(self.stamp())
        self.assertEqual(
            self.complaint.complaint_state, "acknowledged", "the button itself ran"
        )
