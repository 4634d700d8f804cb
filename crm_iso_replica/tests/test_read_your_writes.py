# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Read-your-writes with a replica: after a button, the same session reads the
record from the primary for a while (controllers/read_your_writes.py).

The tests declare the replica the server would have with ``db_replica_host``
(``_replica_configured``); one test checks that without it no session is
stamped. A button is *Archive* on a contact (``action_archive`` through
``/web/dataset/call_button``), the form's reload its ``web_read``.
"""

import time
from unittest.mock import patch

import odoo.http
from odoo.tests import JsonRpcException, new_test_user, tagged

from odoo.addons.crm_iso_replica.controllers import read_your_writes

from .common import STAFF, ReplicaCase

ON_REPLICA = True
ON_PRIMARY = False


@tagged("post_install", "-at_install")
class TestReadYourWrites(ReplicaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.colleague = new_test_user(
            cls.env, "replica_colleague", groups=STAFF, password=cls.PASSWORD
        )

    def setUp(self):
        super().setUp()
        replica = patch.object(read_your_writes, "_replica_configured", lambda: True)
        replica.start()
        self.addCleanup(replica.stop)

    def stamp(self):
        stored = odoo.http.root.session_store.get(self.session.sid)
        return stored.get(read_your_writes.SESSION_KEY)

    def reload(self):
        """Where the form's reload of the contact runs, and what it shows."""
        with self.read_only_flags("res.partner", "web_read") as flags:
            records = self.web_read()
        self.assertEqual(len(flags), 1, flags)
        return flags[0], records[0]["active"]

    def archive(self, partner=None):
        partner = partner or self.contact
        self.call_kw(
            "res.partner", "action_archive", [partner.ids], route="call_button"
        )

    def later(self, seconds):
        """The server's clock, ``seconds`` from now, in the controller only."""
        now = time.time() + seconds
        return patch.object(read_your_writes.time, "time", lambda: now)

    def test_after_a_button_the_form_reads_the_primary(self):
        self.authenticate("replica_staff", self.PASSWORD)
        self.assertEqual(self.reload(), (ON_REPLICA, True))
        self.archive()
        # the reload after the button, and the next reads for 10 s: primary
        self.assertEqual(self.reload(), (ON_PRIMARY, False))
        self.assertEqual(self.reload(), (ON_PRIMARY, False))
        # reads on the primary do not extend the window: after it, the replica
        with self.later(11):
            self.assertEqual(self.reload(), (ON_REPLICA, False))

    def test_saving_a_form_stamps_too(self):
        """``web_save`` (not read-only) through call_kw: the same window."""
        self.authenticate("replica_staff", self.PASSWORD)
        self.call_kw(
            "res.partner",
            "web_save",
            [self.contact.ids, {"name": "Hall B kiosk (moved)"}],
            {"specification": {}},
        )
        with self.read_only_flags("res.partner", "web_read") as flags:
            records = self.web_read(["name"])
        self.assertEqual(
            (flags, records[0]["name"]), ([ON_PRIMARY], "Hall B kiosk (moved)")
        )
        self.assertGreater(self.stamp(), time.time())

    def test_only_the_session_that_wrote_sticks_to_the_primary(self):
        self.authenticate("replica_staff", self.PASSWORD)
        self.archive()
        self.authenticate("replica_colleague", self.PASSWORD)
        self.assertEqual(self.reload()[0], ON_REPLICA)

    def test_read_only_calls_do_not_stamp_the_session(self):
        self.authenticate("replica_staff", self.PASSWORD)
        for _i in range(3):
            self.assertEqual(self.reload()[0], ON_REPLICA)
        self.assertIsNone(self.stamp())

    def test_window_is_a_setting(self):
        self.env["ir.config_parameter"].sudo().set_param(read_your_writes.PARAM, "60")
        self.authenticate("replica_staff", self.PASSWORD)
        self.archive()
        with self.later(30):
            self.assertEqual(self.reload()[0], ON_PRIMARY)
        with self.later(61):
            self.assertEqual(self.reload()[0], ON_REPLICA)

    def test_a_bad_setting_falls_back_to_the_default(self):
        self.env["ir.config_parameter"].sudo().set_param(read_your_writes.PARAM, "ten")
        self.authenticate("replica_staff", self.PASSWORD)
        self.archive()
        with self.later(9):
            self.assertEqual(self.reload()[0], ON_PRIMARY)
        with self.later(11):
            self.assertEqual(self.reload()[0], ON_REPLICA)

    def test_a_refused_button_does_not_stamp(self):
        """Archiving the contact of an active user is refused by Odoo."""
        self.authenticate("replica_staff", self.PASSWORD)
        with self.assertRaises(JsonRpcException):
            self.archive(self.colleague.partner_id)
        self.assertTrue(self.colleague.partner_id.active)
        self.assertIsNone(self.stamp())
        self.assertEqual(self.reload()[0], ON_REPLICA)

    def test_without_replica_no_session_is_stamped(self):
        self.authenticate("replica_staff", self.PASSWORD)
        with patch.object(read_your_writes, "_replica_configured", lambda: False):
            self.archive()
        self.assertIsNone(self.stamp())
        self.assertFalse(self.contact.active, "the button itself ran")
