# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, timedelta
from unittest.mock import patch

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from ..tools import formulas
from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestLifecycle(ComplaintCase):
    def test_complaint_gets_reference_stage_and_category_defaults(self):
        first = self.new_complaint(user=self.officer)
        second = self.new_complaint(user=self.officer)
        self.assertTrue(first.complaint_ref.startswith("CMP/"))
        self.assertNotEqual(first.complaint_ref, second.complaint_ref)
        self.assertEqual(first.complaint_state, "received")
        self.assertEqual(first.stage_id.complaint_state, "received")
        self.assertEqual(first.team_id, self.team)

    def test_batch_creation_looks_up_the_received_stage_once(self):
        Stage = type(self.env["helpdesk.ticket.stage"])
        original, lookups = Stage._complaint_stage, []

        def counting(stages, state):
            lookups.append(state)
            return original(stages, state)

        with patch.object(Stage, "_complaint_stage", counting):
            complaints = self.env["helpdesk.ticket"].create(
                [
                    {
                        "name": f"Broken escalator {i}",
                        "description": "<p>Stopped.</p>",
                        "is_complaint": True,
                        "partner_id": self.customer.id,
                        "category_id": self.category.id,
                    }
                    for i in range(5)
                ]
            )
        self.assertEqual(lookups, ["received"])
        self.assertEqual(set(complaints.mapped("complaint_state")), {"received"})
        self.assertEqual(len(set(complaints.mapped("complaint_ref"))), 5)

    def test_category_team_wins_over_the_assignees_team(self):
        other = self.env["helpdesk.ticket.team"].create({"name": "IT desk"})
        self.officer.helpdesk_team_ids = other
        complaint = self.new_complaint(user_id=self.officer.id)
        self.assertEqual(complaint.team_id, self.team)
        chosen = self.new_complaint(user_id=self.officer.id, team_id=other.id)
        self.assertEqual(chosen.team_id, other)
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Printer",
                "description": "<p>Out of paper</p>",
                "user_id": self.officer.id,
            }
        )
        self.assertEqual(ticket.team_id, other)
        # a team of another company never takes a complaint out of its company
        branch = self.env["res.company"].create({"name": "Branch mall"})
        self.env.user.company_ids |= branch
        shared = self.env["helpdesk.ticket.category"].create(
            {"name": "Shared", "company_id": False, "complaint_team_id": self.team.id}
        )
        foreign = self.new_complaint(company_id=branch.id, category_id=shared.id)
        self.assertEqual(foreign.company_id, branch)
        self.assertNotEqual(foreign.team_id, self.team)
        # nor is a branch complaint filed in another company's category
        main_only = self.env["helpdesk.ticket.category"].create(
            {"name": "Main mall only", "company_id": self.env.company.id}
        )
        with self.assertRaisesRegex(UserError, "company"):
            self.new_complaint(company_id=branch.id, category_id=main_only.id)

    def test_other_tickets_are_untouched(self):
        ticket = self.env["helpdesk.ticket"].create(
            {"name": "Printer", "description": "<p>Out of paper</p>"}
        )
        self.assertFalse(ticket.complaint_ref)
        self.assertFalse(ticket.complaint_state)
        self.assertFalse(ticket.stage_id.complaint_state)
        self.assertFalse(ticket.complaint_policy_id)
        stage_ids = self.env["helpdesk.ticket"]._read_group_stage_ids(
            self.env["helpdesk.ticket.stage"], []
        )
        self.assertFalse(stage_ids.filtered("complaint_state"))

    def _commit_tracking(self):
        """Mail tracking is written at commit time, once per request."""
        self.env.flush_all()
        self.cr.precommit.run()

    def test_full_lifecycle_stamps_each_transition(self):
        complaint = self.new_complaint(user=self.officer)
        self._commit_tracking()
        complaint.with_user(self.officer).action_acknowledge()
        self._commit_tracking()
        self.assertEqual(complaint.complaint_acknowledged_uid, self.officer)
        self.assertTrue(complaint.complaint_acknowledged_date)
        for state in ("assessed", "investigation", "response"):
            self.advance(complaint, state)
            self._commit_tracking()
        self.assertEqual(complaint.complaint_assessed_uid, self.manager)
        self.assertEqual(complaint.complaint_customer_decision, "pending")
        self.assertTrue(complaint.complaint_decision_date)
        complaint.with_user(self.officer).action_customer_accept()
        self.advance(complaint, "closed")
        self._commit_tracking()
        self.assertEqual(complaint.complaint_state, "closed")
        self.assertEqual(complaint.complaint_closed_uid, self.manager)
        self.assertTrue(complaint.stage_id.closed)
        self.assertTrue(complaint.complaint_resolve_work_hours >= 0)
        complaint.invalidate_recordset(["message_ids"])
        tracked = complaint.sudo().message_ids.tracking_value_ids.filtered(
            lambda v: v.field_id.name == "complaint_state"
        )
        self.assertEqual(len(tracked), 5)

    def test_every_refused_transition(self):
        labels = [state for state, _label in formulas.STATES]
        complaint = self.new_complaint()
        for source in ("received", "acknowledged", "closed", "rejected"):
            complaint.sudo()._crm_iso_write({"complaint_state": source})
            for target in labels:
                if target in formulas.TRANSITIONS[source] or target == source:
                    continue
                with self.assertRaises(UserError), self.cr.savepoint():
                    complaint.sudo()._complaint_transition(target)
                self.assertEqual(complaint.complaint_state, source)

    def test_no_skipping_acknowledgement(self):
        complaint = self.new_complaint()
        with self.assertRaisesRegex(UserError, "cannot go from Received"):
            complaint.with_user(self.manager).action_start_investigation()
        with self.assertRaises(UserError):
            complaint.with_user(self.manager).write(
                {
                    "stage_id": self.env.ref(
                        "crm_iso_complaints.stage_complaint_closed"
                    ).id
                }
            )
        self.assertEqual(complaint.complaint_state, "received")

    def test_kanban_drag_follows_the_lifecycle(self):
        complaint = self.new_complaint()
        ack_stage = self.env.ref("crm_iso_complaints.stage_complaint_acknowledged")
        complaint.with_user(self.officer).write({"stage_id": ack_stage.id})
        self.assertEqual(complaint.complaint_state, "acknowledged")
        self.assertEqual(complaint.complaint_acknowledged_uid, self.officer)
        ordinary = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        with self.assertRaisesRegex(UserError, "not a complaint stage"):
            complaint.with_user(self.officer).write({"stage_id": ordinary.id})

    def test_closing_needs_response_and_decision(self):
        complaint = self.advance(
            self.new_complaint(), "acknowledged", "assessed", "investigation"
        )
        with self.assertRaisesRegex(UserError, "response and the remedy"):
            complaint.action_propose_response()
        self.assertEqual(complaint.complaint_state, "investigation")
        complaint.sudo()._crm_iso_write({"complaint_state": "response"})
        with self.assertRaisesRegex(UserError, "without a recorded response"):
            complaint.with_user(self.manager).action_close()

    def test_assessment_and_closing_are_for_managers(self):
        complaint = self.advance(self.new_complaint(), "acknowledged")
        officer_view = complaint.with_user(self.officer)
        with self.assertRaisesRegex(UserError, "Only a complaint manager"):
            officer_view.write({"complaint_severity": "4"})
        with self.assertRaisesRegex(UserError, "Only a complaint manager"):
            officer_view.action_assess()
        self.assertFalse(complaint.complaint_severity)
        self.assertFalse(officer_view.can_assess_complaint)
        self.assertTrue(complaint.with_user(self.manager).can_assess_complaint)

    def test_rejection_needs_a_reason(self):
        complaint = self.new_complaint()
        with self.assertRaisesRegex(UserError, "reason"):
            complaint.with_user(self.manager)._crm_iso_reject_with_reason("  ")
        wizard = (
            self.env["crm.iso.complaint.reason.wizard"]
            .with_user(self.manager)
            .create(
                {
                    "action": "reject",
                    "ticket_ids": [(6, 0, complaint.ids)],
                    "reason": "A question, not a complaint",
                }
            )
        )
        wizard.action_apply()
        self.assertEqual(complaint.complaint_state, "rejected")
        self.assertEqual(
            complaint.complaint_rejection_reason, "A question, not a complaint"
        )
        with self.assertRaises(UserError):
            complaint.with_user(self.officer).action_acknowledge()

    def test_customer_rejection_then_reopen(self):
        complaint = self.responded_complaint()
        complaint.with_user(self.officer)._crm_iso_customer_reject("Too little")
        self.assertEqual(complaint.complaint_customer_decision, "rejected")
        complaint.with_user(self.officer)._crm_iso_reopen_with_reason(
            "Customer unhappy"
        )
        self.assertEqual(complaint.complaint_state, "reopened")
        self.assertEqual(complaint.complaint_reopen_count, 1)
        self.advance(complaint, "investigation")
        self.assertEqual(complaint.complaint_state, "investigation")

    def test_converting_a_ticket_and_never_back(self):
        ticket = self.env["helpdesk.ticket"].create(
            {"name": "Shop closed early", "description": "<p>x</p>"}
        )
        ticket.with_user(self.officer).write({"is_complaint": True})
        self.assertEqual(ticket.complaint_state, "received")
        self.assertTrue(ticket.complaint_ref)
        with self.assertRaises(UserError):
            ticket.with_user(self.manager).write({"is_complaint": False})

    def test_corrective_action_links_several_complaints(self):
        first, second = self.new_complaint(), self.new_complaint()
        action = (
            self.env["mgmtsystem.action"]
            .with_user(self.officer)
            .create(
                {
                    "name": "Service the escalators monthly",
                    "crm_iso_origin": "complaint",
                    "crm_iso_complaint_ids": [(6, 0, (first | second).ids)],
                    "crm_iso_category_id": self.category.id,
                }
            )
        )
        # an OCA action of the right type, in OCA's first stage
        self.assertEqual(action.type_action, "correction")
        self.assertEqual(action.stage_id, self.env.ref("mgmtsystem_action.stage_draft"))
        self.assertTrue(action.reference)
        self.assertEqual(first.complaint_corrective_action_ids, action)
        self.assertEqual(action.crm_iso_complaint_count, 2)
        with self.assertRaises(UserError):
            action.action_crm_iso_effective()
        # the stage moves only through the buttons
        open_stage = self.env.ref("mgmtsystem_action.stage_open")
        for values in (
            {"stage_id": open_stage.id},
            {"crm_iso_done_date": "2020-01-01"},
            {"crm_iso_origin": False},
        ):
            with self.assertRaisesRegex(UserError, "not changed by hand"):
                action.with_user(self.officer).write(values)
        action.action_crm_iso_start()
        self.assertEqual(action.stage_id, open_stage)
        self.assertTrue(action.date_open)
        action.action_crm_iso_done()
        self.assertEqual(action.crm_iso_state, "done")
        self.assertEqual(action.crm_iso_done_uid, self.officer)
        self.assertTrue(action.date_closed)
        # the owner does not check their own action: a complaint manager does
        with self.assertRaisesRegex(UserError, "complaint manager"):
            action.action_crm_iso_effective()
        action = action.with_user(self.manager)
        action.action_crm_iso_effective()
        self.assertEqual(action.crm_iso_checked_uid, self.manager)
        self.assertEqual(action.crm_iso_effectiveness, "effective")
        with self.assertRaisesRegex(UserError, "checked already"):
            action.action_crm_iso_not_effective()
        log = self.env["mgmtsystem.action"].search(
            [
                ("crm_iso_state", "=", "done"),
                ("crm_iso_category_id", "=", self.category.id),
            ]
        )
        self.assertEqual(log, action)
        # a copy starts afresh, in the first stage (a complaint officer reads the
        # OCA nonconformity links that copying reads)
        copy = action.with_user(self.officer).copy()
        self.assertEqual(
            (copy.crm_iso_state, copy.crm_iso_origin, copy.crm_iso_effectiveness),
            ("draft", "complaint", "pending"),
        )
        self.assertFalse(copy.date_open or copy.crm_iso_done_uid)
        opened = first.action_new_corrective_action()
        self.assertEqual(
            opened["context"]["default_crm_iso_category_id"], self.category.id
        )

    def test_manager_who_owns_or_did_an_action_does_not_check_it(self):
        action = (
            self.env["mgmtsystem.action"]
            .with_user(self.manager)
            .create({"name": "Mine", "crm_iso_origin": "complaint"})
        )
        action.action_crm_iso_done()
        with self.assertRaisesRegex(UserError, "another person checks it"):
            action.action_crm_iso_effective()

    def test_overdue_actions_escalate_once(self):
        action = (
            self.env["mgmtsystem.action"]
            .with_user(self.officer)
            .create(
                {
                    "name": "Late",
                    "crm_iso_origin": "complaint",
                    "date_deadline": date.today() - timedelta(days=1),
                }
            )
        )
        Action = self.env["mgmtsystem.action"]
        self.assertTrue(action.crm_iso_is_overdue)
        self.assertIn(action, Action.search([("crm_iso_is_overdue", "=", True)]))
        Action._cron_crm_iso_escalate_overdue()
        Action._cron_crm_iso_escalate_overdue()
        self.assertTrue(action.crm_iso_escalated)
        self.assertEqual(len(action.activity_ids), 1)

    def test_plain_oca_actions_keep_oca_behaviour(self):
        """An action without an origin moves through its stages by hand."""
        plain = self.env["mgmtsystem.action"].create(
            {"name": "Calibrate", "type_action": "immediate"}
        )
        plain.stage_id = self.env.ref("mgmtsystem_action.stage_open")
        self.assertTrue(plain.date_open)
        self.assertFalse(plain.crm_iso_state)
        with self.assertRaisesRegex(UserError, "not changed by hand"):
            plain.write({"crm_iso_origin": "complaint"})
        # nor does it pass for a corrective action of a complaint, from either side
        complaint = self.new_complaint()
        with self.assertRaises(ValidationError):
            complaint.write({"complaint_corrective_action_ids": [(4, plain.id)]})
        with self.assertRaises(ValidationError):
            plain.write({"crm_iso_complaint_ids": [(4, complaint.id)]})
        complaint.invalidate_recordset()
        self.assertFalse(complaint.complaint_corrective_action_ids)
