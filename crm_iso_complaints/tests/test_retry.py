# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A request that Odoo retries succeeds on the retry (#25).

``odoo/service/model.py`` ``retrying`` runs the same call again, with the same
argument objects, after a serialization failure. Both tests force the retry
instead of hoping for one: the same vals_list objects created twice, and a
``/jsonrpc`` create whose first try fails with a real PostgreSQL serialization
failure after the complaint's receipt was logged.
"""

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import MANAGER, OFFICER, ComplaintCase, execute_kw


class TestCreateAgain(ComplaintCase):
    def test_same_vals_list_created_twice(self):
        vals_list = [
            {
                "name": f"Lift stuck {i}",
                "description": "<p>Stuck</p>",
                "is_complaint": True,
                "partner_id": self.customer.id,
                "category_id": self.category.id,
            }
            for i in range(2)
        ]
        given = [dict(vals) for vals in vals_list]
        Ticket = self.env["helpdesk.ticket"].with_user(self.officer)
        first = Ticket.create(vals_list)
        self.assertEqual(vals_list, given)
        second = Ticket.create(vals_list)  # what a retry does
        for complaints in (first, second):
            self.assertEqual(set(complaints.mapped("complaint_state")), {"received"})
            self.assertTrue(all(complaints.mapped("complaint_received_date")))
        self.assertFalse(
            set(first.mapped("complaint_ref")) & set(second.mapped("complaint_ref"))
        )
        self.assertFalse(set(first.mapped("number")) & set(second.mapped("number")))


@tagged("post_install", "-at_install")
class TestRetriedRequest(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.officer = new_test_user(cls.env, "r_officer", groups=OFFICER)
        cls.manager = new_test_user(cls.env, "r_manager", groups=MANAGER)
        cls.customer = cls.env["res.partner"].create({"name": "Retried complainant"})

    def fail_once(self, model, method):
        """The first call of ``model.method`` in this test fails the way a
        concurrent transaction makes it fail: PostgreSQL's serialization
        failure (SQLSTATE 40001), which Odoo retries."""
        calls = []
        original = getattr(type(self.env[model]), method)

        def failing(records, *args, **kwargs):
            result = original(records, *args, **kwargs)
            calls.append(records.ids)
            if len(calls) == 1:
                records.env.cr.execute(
                    "DO $$ BEGIN RAISE EXCEPTION 'forced' USING ERRCODE = '40001'; "
                    "END $$"
                )
            return result

        self.patch(type(self.env[model]), method, failing)
        return calls

    def test_registration_retried_after_a_serialization_failure(self):
        calls = self.fail_once("helpdesk.ticket", "_crm_iso_log_receipt")
        vals = {
            "name": "Retried escalator",
            "description": "<p>Stopped</p>",
            "is_complaint": True,
            "partner_id": self.customer.id,
        }
        with mute_logger("odoo.sql_db", "odoo.service.model"):
            ticket_id, error = execute_kw(
                self, self.officer, "r_officer", "helpdesk.ticket", "create", [vals]
            )
        self.assertIsNone(error)
        self.assertEqual(len(calls), 2, "the request was not retried")
        tickets = self.env["helpdesk.ticket"].search(
            [("name", "=", "Retried escalator")]
        )
        self.assertEqual(tickets.ids, [ticket_id])
        self.assertEqual(tickets.complaint_state, "received")
        self.assertTrue(tickets.complaint_received_date and tickets.complaint_ref)
        receipts = tickets.complaint_event_ids.filtered(lambda e: e.event == "receipt")
        self.assertEqual(len(receipts), 1)
        self.assertEqual(
            self.env["crm.iso.event"]._verify([tickets.company_id.id])["breaks"], []
        )

    def test_transition_retried_after_a_serialization_failure(self):
        ticket = (
            self.env["helpdesk.ticket"]
            .with_user(self.officer)
            .create(
                {
                    "name": "Retried acknowledgement",
                    "description": "<p>x</p>",
                    "is_complaint": True,
                    "partner_id": self.customer.id,
                }
            )
        )
        calls = self.fail_once("crm.iso.event", "_append")
        with mute_logger("odoo.sql_db", "odoo.service.model"):
            _result, error = execute_kw(
                self,
                self.manager,
                "r_manager",
                "helpdesk.ticket",
                "action_acknowledge",
                [ticket.ids],
            )
        self.assertIsNone(error)
        self.assertEqual(len(calls), 2, "the request was not retried")
        ticket = ticket.sudo()
        ticket.invalidate_recordset()
        self.assertEqual(ticket.complaint_state, "acknowledged")
        events = ticket.complaint_event_ids.mapped("event")
        self.assertEqual(sorted(events), ["receipt", "transition"])
        self.assertEqual(
            self.env["crm.iso.event"]._verify([ticket.company_id.id])["breaks"], []
        )
