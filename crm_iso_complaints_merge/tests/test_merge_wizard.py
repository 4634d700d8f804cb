# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""helpdesk_mgmt_merge's wizard on complaints, through the real /jsonrpc."""

from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.crm_iso_complaints.tests.common import ComplaintCase, execute_kw


@tagged("post_install", "-at_install")
class TestMergeWizard(HttpCase, ComplaintCase):
    def setUp(self):
        super().setUp()
        self.keep = self.new_complaint()
        self.duplicate = self.new_complaint(name="Broken escalator (again)")
        self.duplicate.message_post(body="Second call.", message_type="comment")

    def merge(self, user, tickets, keep, **values):
        """Create OCA's wizard and merge, over RPC as ``user``."""
        wizard_id, error = execute_kw(
            self,
            user,
            user.login,
            "helpdesk.ticket.merge",
            "create",
            [
                {
                    "ticket_ids": [(6, 0, tickets.ids)],
                    "dst_ticket_id": keep.id,
                    "crm_iso_reason": "Same complaint, by phone and by mail",
                    **values,
                }
            ],
            # OCA's default_get reads the selection (the list's active_ids)
            {"context": {"active_ids": tickets.ids}},
        )
        if not error:
            _result, error = execute_kw(
                self,
                user,
                user.login,
                "helpdesk.ticket.merge",
                "merge_tickets",
                [wizard_id],
            )
        self.env.invalidate_all()
        return error and error.rsplit(".", 1)[-1]

    def test_manager_merges_complaints(self):
        self.assertIsNone(
            self.merge(self.manager, self.keep | self.duplicate, self.keep)
        )
        self.assertTrue(self.duplicate.active)
        self.assertEqual(self.duplicate.complaint_state, "duplicate")
        self.assertEqual(self.duplicate.duplicate_id, self.keep)
        self.assertIn("Second call.", "".join(self.keep.message_ids.mapped("body")))
        self.assertIn(
            "Second call.", "".join(self.duplicate.message_ids.mapped("body"))
        )
        self.assertEqual(
            self.duplicate.complaint_event_ids.sorted("sequence")[-1].event, "duplicate"
        )
        self.assertEqual(
            self.keep.complaint_event_ids.sorted("sequence")[-1].event, "merge"
        )

    def test_refused(self):
        plain = self.env["helpdesk.ticket"].create(
            {"name": "Plain", "description": "<p>x</p>"}
        )
        for user, tickets, keep, values in (
            (self.officer, self.keep | self.duplicate, self.keep, {}),
            (self.manager, self.duplicate | plain, plain, {}),
            (
                self.manager,
                self.keep | self.duplicate,
                self.keep,
                {"crm_iso_reason": ""},
            ),
            (
                self.manager,
                self.keep | self.duplicate,
                self.keep,
                {"create_new_ticket": True, "dst_ticket_name": "New"},
            ),
        ):
            self.assertEqual(self.merge(user, tickets, keep, **values), "UserError")
            self.assertEqual(self.duplicate.complaint_state, "received")
            self.assertTrue(self.duplicate.active)
        self.assertTrue(plain.active)

    def test_plain_tickets_keep_oca_merge(self):
        first, second = self.env["helpdesk.ticket"].create(
            [
                {"name": "Plain 1", "description": "<p>1</p>"},
                {"name": "Plain 2", "description": "<p>2</p>"},
            ]
        )
        # OCA's merge moves mail.message rows (res_id): Odoo lets administrators
        # only do that, whatever the suite does
        helpdesk_manager = new_test_user(
            self.env,
            "hd_manager_merge",
            groups="helpdesk_mgmt.group_helpdesk_manager,base.group_system",
        )
        self.assertIsNone(
            self.merge(helpdesk_manager, first | second, first, crm_iso_reason=False)
        )
        self.assertFalse(second.active)
