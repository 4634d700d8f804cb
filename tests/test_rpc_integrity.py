# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Forbidden paths and bad input through JSON-RPC, as real logged-in users:
a clear UserError/ValidationError/AccessError, and no row changed."""

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException

PASSWORD = "rpc-pass-1234"
MANAGERS = (
    "crm_iso_complaints.group_complaint_manager,"
    "crm_iso_surveys.group_survey_manager,"
    "crm_mall_counter.group_mall_manager"
)


@tagged("post_install", "-at_install")
class TestRpcIntegrity(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env, "rpc_manager", groups=MANAGERS, password=PASSWORD
        )
        partner = cls.env["res.partner"].create({"name": "RPC customer"})
        cls.complaint = cls.env["helpdesk.ticket"].create(
            {
                "name": "RPC complaint",
                "description": "<p>x</p>",
                "is_complaint": True,
                "partner_id": partner.id,
            }
        )
        cls.counter = cls.env["crm.mall.counter"].create(
            {"name": "RPC desk", "code": "RPC"}
        )
        cls.calendar = cls.env.ref("resource.resource_calendar_std")

    def call(self, model, method, *args, **kwargs):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def assertRefused(self, error_names, model, method, *args, **kwargs):
        counted = self.env[model].with_context(active_test=False)
        before = counted.search_count([])
        with self.assertRaises(JsonRpcException) as caught:
            self.call(model, method, *args, **kwargs)
        self.assertIn(
            caught.exception.args[0].rsplit(".", 1)[-1], error_names.split("|")
        )
        self.env.invalidate_all()
        self.assertEqual(counted.search_count([]), before)

    def test_forbidden_paths_and_bad_input(self):
        self.authenticate("rpc_manager", PASSWORD)
        ticket = "helpdesk.ticket"
        # no unlink right, and even with it a received complaint is kept
        self.assertRefused(
            "AccessError|UserError", ticket, "unlink", [self.complaint.id]
        )
        self.assertRefused(
            "UserError", ticket, "write", [self.complaint.id], {"is_complaint": False}
        )
        self.assertRefused("UserError", ticket, "action_close", [self.complaint.id])
        self.assertRefused(
            "ValidationError",
            "crm.iso.complaint.policy",
            "create",
            [{"name": "bad", "calendar_id": self.calendar.id, "ack_hours": 0}],
        )
        self.assertRefused(
            "ValidationError",
            "crm.iso.complaint.policy",
            "create",
            [{"name": "no calendar"}],
        )
        self.assertRefused(
            "UserError",
            "crm.mall.visit",
            "checkin",
            "not a phone",
            counter_id=self.counter.id,
        )
        self.assertRefused(
            "UserError",
            "crm.mall.visit",
            "checkin",
            "09121234567",
            counter_id=self.counter.id,
        )
        self.assertRefused(
            "ValidationError",
            "crm.iso.measurement.plan",
            "create",
            [{"name": "no survey"}],
        )
        self.assertEqual(self.complaint.complaint_state, "received")
        self.assertTrue(self.complaint.exists())
