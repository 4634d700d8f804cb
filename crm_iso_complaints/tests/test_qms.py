# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Complaints feed the QMS: nonconformities and the management review's inputs."""

from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from ..tools import clock
from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestNonconformityFromComplaints(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cause = cls.env["crm.iso.root.cause"].create({"name": "Worn sensors"})
        cls.other_cause = cls.env["crm.iso.root.cause"].create({"name": "Training"})

    def _two_complaints(self):
        first = self.new_complaint(
            complaint_root_cause_id=self.cause.id,
            complaint_root_cause_detail="Sensor worn out",
        )
        second = self.new_complaint(
            name="Escalator stuck again",
            description="<p>Stuck between floors.</p>",
            complaint_root_cause_id=self.cause.id,
        )
        return first, second

    def test_two_complaints_open_one_nonconformity(self):
        first, second = self._two_complaints()
        action = self.env["mgmtsystem.action"].create(
            {
                "name": "Replace the sensors",
                "crm_iso_origin": "complaint",
                "crm_iso_complaint_ids": [(6, 0, first.ids)],
            }
        )
        complaints = (first | second).with_user(self.manager)
        # OCA's "Create Nonconformity": one for the complaints of one root cause
        result = complaints.action_nonconformity_create()
        nc = self.env["mgmtsystem.nonconformity"].browse(result["res_id"])
        self.assertEqual(nc.ticket_ids, first | second)
        self.assertEqual(first.nonconformity_id, nc)
        self.assertEqual(second.nonconformity_id, nc)
        self.assertEqual(nc.ticket_count, 2)
        self.assertEqual(nc.crm_iso_root_cause_id, self.cause)
        self.assertEqual(nc.company_id, first.company_id)
        self.assertIn("Worn sensors", nc.analysis)
        self.assertIn("Sensor worn out", nc.analysis)
        for complaint in (first, second):
            self.assertIn(complaint.complaint_ref, nc.description)
        self.assertIn("The escalator stopped with us on it.", nc.description)
        self.assertIn("Stuck between floors.", nc.description)
        self.assertIn(action.name, nc.action_comments)
        self.assertEqual(nc.action_ids, action)
        self.assertIn(
            self.env.ref("mgmtsystem_nonconformity.nc_origin_external_client"),
            nc.origin_ids,
        )
        # the improvement log reads from the nonconformities
        log = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_iso_complaints.action_crm_iso_improvement_log"
        )
        self.assertEqual(log["res_model"], "mgmtsystem.nonconformity")
        self.assertEqual(log["domain"], "[('ticket_ids.is_complaint', '=', True)]")
        self.assertIn(nc, nc.search([("ticket_ids.is_complaint", "=", True)]))
        # officers see the link, from both sides; they do not open nonconformities
        officer_nc = nc.with_user(self.officer)
        self.assertEqual(officer_nc.ticket_ids, first | second)
        officer_nc.read(["name", "description", "analysis", "stage_id", "origin_ids"])
        self.assertEqual(first.with_user(self.officer).nonconformity_id, nc)
        smart = first.with_user(self.officer).action_open_nonconformity()
        self.assertEqual(smart["res_id"], nc.id)
        third = self.new_complaint(complaint_root_cause_id=self.cause.id)
        with self.assertRaises(AccessError):
            third.with_user(self.officer).action_nonconformity_create()
        # a complaint feeds one nonconformity: a second one is refused
        with self.assertRaises(UserError):
            (first | third).action_nonconformity_create()
        self.assertFalse(third.nonconformity_id)

    def test_only_complaints_with_one_root_cause(self):
        first, second = self._two_complaints()
        no_cause = self.new_complaint()
        with self.assertRaises(UserError):
            (first | no_cause).action_nonconformity_create()
        second.complaint_root_cause_id = self.other_cause
        with self.assertRaises(UserError):
            (first | second).action_nonconformity_create()

    def test_company_wall(self):
        company_b = self.env["res.company"].create({"name": "Mall B"})
        self.env.user.company_ids |= company_b
        env_b = self.env(context={"allowed_company_ids": company_b.ids})
        complaint_b = (
            env_b["helpdesk.ticket"]
            .with_company(company_b)
            .create(
                {
                    "name": "B complaint",
                    "description": "<p>x</p>",
                    "is_complaint": True,
                    "partner_id": self.customer.id,
                    "company_id": company_b.id,
                    "complaint_root_cause_id": self.cause.id,
                }
            )
        )
        first, _second = self._two_complaints()
        nc = self.env["mgmtsystem.nonconformity"].browse(
            first.action_nonconformity_create()["res_id"]
        )
        both = self.env(
            context={"allowed_company_ids": (first.company_id | company_b).ids}
        )
        with self.assertRaises(UserError):
            nc.with_env(both).write(
                {"ticket_ids": [fields.Command.link(complaint_b.id)]}
            )
        with self.assertRaises(UserError):
            complaint_b.with_env(both).write({"nonconformity_id": nc.id})
        with self.assertRaises(UserError):
            (first | complaint_b).with_env(both).action_nonconformity_create()


@tagged("post_install", "-at_install")
class TestManagementReviewInputs(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = clock.local_date(clock.company_tz(cls.env.company))
        cls.review = cls.env["mgmtsystem.review"].create(
            {
                "name": "Review of the month",
                "date": fields.Datetime.now(),
                "crm_iso_date_from": cls.today - timedelta(days=30),
                "crm_iso_date_to": cls.today,
            }
        )

    def _rows(self, review=None):
        review = review or self.review
        return {row.code: row for row in review.crm_iso_input_ids}

    def test_pull_stores_the_kpis_of_the_complaint_report(self):
        self.closed_complaint()
        self.new_complaint()
        self.review.with_user(self.manager).action_crm_iso_pull_inputs()
        rows = self._rows()
        start, end = self.review._crm_iso_bounds(
            self.review.crm_iso_date_from, self.review.crm_iso_date_to
        )
        domain = [
            ("company_id", "=", self.env.company.id),
            ("complaint_received_date", ">=", start),
            ("complaint_received_date", "<", end),
        ]
        Report = self.env["crm.iso.complaint.report"]
        kpis = Report.get_kpis(domain)[0]
        self.assertGreaterEqual(kpis["count"], 2)
        self.assertEqual(rows["complaints.received"].value, kpis["count"])
        self.assertEqual(rows["complaints.received"].value_display, str(kpis["count"]))
        for code, key in (
            ("complaints.ack_in_time_pct", "ack_in_time_pct"),
            ("complaints.resolve_in_time_pct", "resolve_in_time_pct"),
            ("complaints.resolve_median", "resolve_median"),
        ):
            self.assertAlmostEqual(rows[code].value, kpis[key] or 0.0, places=2)
        self.assertEqual(rows[f"complaints.category.{self.category.id}"].value, 2)
        for group in Report.get_kpis(domain, "category_id"):
            code = f"complaints.category.{group['key'] or 0}"
            self.assertEqual(rows[code].value, group["count"])
        for code in (
            "disputes.opened",
            "disputes.closed",
            "disputes.open",
            "conduct.met",
            "conduct.missed",
            "nonconformities.opened",
            "actions.qms_open",
            "actions.corrective_open",
        ):
            self.assertIn(code, rows)
        self.assertTrue(self.review.crm_iso_pulled_date)

    def test_pull_again_replaces_and_a_closed_review_never_changes(self):
        review = self.review
        review.action_crm_iso_pull_inputs()
        before = self._rows()["complaints.received"].value
        self.new_complaint()
        review.action_crm_iso_pull_inputs()  # open: pulled again, replaced
        rows = self._rows()
        self.assertEqual(rows["complaints.received"].value, before + 1)
        self.assertEqual(len(rows), len(review.crm_iso_input_ids))
        review.button_close()
        snapshot = review.crm_iso_input_ids.read(["code", "value", "value_display"])
        self.new_complaint()
        with self.assertRaises(UserError):
            review.action_crm_iso_pull_inputs()
        row = review.crm_iso_input_ids[0]
        refusals = (
            lambda: review.write({"crm_iso_input_ids": [(5, 0, 0)]}),
            lambda: review.write({"crm_iso_date_to": self.today - timedelta(days=1)}),
            lambda: review.write({"state": "open"}),
            lambda: row.write({"value": 999}),
            lambda: row.unlink(),
            lambda: self.env["crm.iso.review.input"].create(
                {
                    "review_id": review.id,
                    "section": "complaints",
                    "code": "forged",
                    "indicator": "Forged",
                }
            ),
        )
        for refused in refusals:
            with self.assertRaises(UserError):
                refused()
        review.invalidate_recordset()
        self.assertEqual(
            review.crm_iso_input_ids.read(["code", "value", "value_display"]),
            snapshot,
        )
        self.assertEqual(review.state, "done")

    def test_rows_are_not_written_by_hand_on_an_open_review(self):
        self.review.action_crm_iso_pull_inputs()
        row = self.review.crm_iso_input_ids[0]
        with self.assertRaises(UserError):
            row.write({"value": 1})
        with self.assertRaises(UserError):
            row.unlink()

    def test_a_review_is_not_created_closed_nor_with_inputs(self):
        Review = self.env["mgmtsystem.review"]
        before = Review.search_count([])
        with self.assertRaises(UserError):
            Review.create(
                {"name": "Forged", "date": fields.Datetime.now(), "state": "done"}
            )
        with self.assertRaises(UserError):
            Review.create(
                {
                    "name": "Forged inputs",
                    "date": fields.Datetime.now(),
                    "crm_iso_input_ids": [
                        Command.create(
                            {"section": "complaints", "code": "x", "indicator": "x"}
                        )
                    ],
                }
            )
        self.assertEqual(Review.search_count([]), before)
        # an open review with its period is created as usual
        review = Review.create(
            {
                "name": "Next review",
                "date": fields.Datetime.now(),
                "crm_iso_date_from": "2026-01-01",
                "crm_iso_date_to": "2026-03-31",
            }
        )
        self.assertNotEqual(review.state, "done")
