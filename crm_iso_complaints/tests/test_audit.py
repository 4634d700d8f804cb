# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The ISO 10002 audit of the complaints-handling process (#27 part 4), on
OCA's mgmtsystem.audit: prefilled from the suite's records, reviewed by an
auditor who does not own the process, failed questions open one nonconformity
each, closing freezes it, the trend and the management review input."""

from datetime import timedelta

from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from ..tools import audit_scoring, clock
from .common import MANAGER

AUDITOR = "mgmtsystem.group_mgmtsystem_auditor"
QMS_MANAGER = "mgmtsystem.group_mgmtsystem_manager"


class AuditCase:
    """A company of its own (its figures are the test's), an audit manager, an
    auditor and the complaints manager who owns the process (the auditee); a
    mixin of the ORM and the HTTP API tests."""

    PASSWORD = "audit-pass-1234"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        cls.company = cls.env["res.company"].create({"name": "Audited mall"})
        own = {
            "company_id": cls.company.id,
            "company_ids": [(6, 0, cls.company.ids)],
            "password": cls.PASSWORD,
        }
        cls.audit_manager = new_test_user(
            cls.env, "aud_qms_manager", groups=QMS_MANAGER, **own
        )
        cls.auditor = new_test_user(cls.env, "aud_auditor", groups=AUDITOR, **own)
        cls.owner = new_test_user(cls.env, "aud_owner", groups=MANAGER, **own)
        cls.customer = cls.env["res.partner"].create(
            {"name": "Audited complainant", "company_id": cls.company.id}
        )
        cls.complaint = cls.new_complaint()
        cls.complaint.with_user(cls.owner).action_acknowledge()
        cls.today = clock.local_date(clock.company_tz(cls.company))

    @classmethod
    def new_complaint(cls):
        return (
            cls.env["helpdesk.ticket"]
            .with_user(cls.owner)
            .with_company(cls.company)
            .create(
                {
                    "name": "Escalator stopped",
                    "description": "<p>x</p>",
                    "is_complaint": True,
                    "partner_id": cls.customer.id,
                }
            )
        )

    def new_audit(self, **vals):
        return (
            self.env["mgmtsystem.audit"]
            .with_user(self.audit_manager)
            .create(
                {
                    "name": "ISO 10002",
                    "crm_iso_is_10002": True,
                    "company_id": self.company.id,
                    "user_id": self.audit_manager.id,
                    "crm_iso_date_from": self.today - timedelta(days=30),
                    "crm_iso_date_to": self.today,
                    "auditor_user_ids": [(6, 0, self.auditor.ids)],
                    "auditee_user_ids": [(6, 0, self.owner.ids)],
                    **vals,
                }
            )
        )

    def line(self, audit, code):
        return audit.line_ids.filtered(lambda line: line.crm_iso_code == code)

    def review_all(self, audit, score=80.0):
        """The auditor confirms the prefilled questions, scores the others."""
        lines = audit.with_user(self.auditor).line_ids
        prefilled = lines.filtered(
            lambda line: line.crm_iso_prefilled and line.crm_iso_state == "pending"
        )
        prefilled.action_crm_iso_confirm()
        lines.filtered(
            lambda line: line.crm_iso_state == "pending"
        ).action_crm_iso_override(score, "Interviews of the audit")


@tagged("post_install", "-at_install")
class TestAudit(AuditCase, TransactionCase):
    def test_prefill_computes_from_the_records(self):
        audit = self.new_audit()
        audit.action_crm_iso_prefill()
        questions = self.env["crm.iso.audit.question"].search(
            [("company_id", "in", (self.company.id, False))]
        )
        self.assertEqual(audit.line_ids.crm_iso_question_id, questions)
        self.assertEqual(audit.crm_iso_prefilled_uid, self.audit_manager)
        # the KPI the complaints report computes, not a second formula
        start, end = self.env["mgmtsystem.review"]._crm_iso_bounds(
            audit.crm_iso_date_from, audit.crm_iso_date_to, self.company
        )
        kpis = self.env["crm.iso.complaint.report"].get_kpis(
            [
                ("company_id", "=", self.company.id),
                ("complaint_received_date", ">=", start),
                ("complaint_received_date", "<", end),
            ]
        )[0]
        ack = self.line(audit, "ack_in_time")
        self.assertTrue(ack.crm_iso_prefilled)
        self.assertEqual(
            ack.crm_iso_prefill_score,
            audit_scoring.share_score(kpis["ack_in_time_pct"]),
        )
        # no complaint closed yet: nothing to measure, the auditor scores it
        resolve = self.line(audit, "resolve_in_time")
        self.assertFalse(resolve.crm_iso_prefilled)
        # no objectivity record: it fails; the data changes, the score moves
        objectivity = self.line(audit, "objectivity")
        self.assertEqual(objectivity.crm_iso_prefill_score, 0.0)
        objectivity.with_user(self.auditor).action_crm_iso_confirm()
        self.assertEqual(objectivity.crm_iso_state, "confirmed")
        before = audit.crm_iso_score
        self.complaint.with_user(self.owner).complaint_subject_user_ids = self.auditor
        audit.action_crm_iso_prefill()
        self.assertEqual(objectivity.crm_iso_prefill_score, 100.0)
        self.assertIn("1 of the 1 complaints", objectivity.crm_iso_evidence)
        # a new prefill replaces the reviews of what it prefilled
        self.assertEqual(objectivity.crm_iso_state, "pending")
        self.assertGreater(audit.crm_iso_score, before)
        # the template is taken once
        self.assertEqual(audit.line_ids.crm_iso_question_id, questions)

    def test_sections_average_the_scores(self):
        audit = self.new_audit()
        audit.action_crm_iso_prefill()
        self.review_all(audit, 70.0)
        for section, fname in (
            ("framework", "crm_iso_score_framework"),
            ("operation", "crm_iso_score_operation"),
        ):
            lines = audit.line_ids.filtered(lambda l, s=section: l.crm_iso_section == s)
            self.assertAlmostEqual(
                audit[fname],
                audit_scoring.average(lines.mapped("crm_iso_score")),
                places=1,
            )
        self.assertAlmostEqual(
            audit.crm_iso_score,
            audit_scoring.average(audit.line_ids.mapped("crm_iso_score")),
            places=1,
        )

    def test_only_an_independent_auditor_reviews(self):
        audit = self.new_audit()
        audit.action_crm_iso_prefill()
        ack = self.line(audit, "ack_in_time")
        # the process owner is not an auditor of it
        with self.assertRaises(ValidationError):
            audit.auditor_user_ids = self.auditor | self.owner
        # the audit manager is no auditor; the owner only reads the audit
        with self.assertRaises(UserError):
            ack.with_user(self.audit_manager).action_crm_iso_override(10, "I say so")
        with self.assertRaises(AccessError):
            ack.with_user(self.owner).action_crm_iso_override(10, "I say so")
        # an override needs a reason
        for reason in (None, "", "   "):
            with self.assertRaises(UserError):
                ack.with_user(self.auditor).action_crm_iso_override(10, reason)
        with self.assertRaises(UserError):
            ack.with_user(self.auditor).action_crm_iso_override(110, "Too much")
        self.assertEqual(ack.crm_iso_state, "pending")
        ack.with_user(self.auditor).action_crm_iso_override(30, " Late answers ")
        self.assertRecordValues(
            ack,
            [
                {
                    "crm_iso_state": "overridden",
                    "crm_iso_score": 30.0,
                    "crm_iso_reason": "Late answers",
                    "crm_iso_reviewed_uid": self.auditor.id,
                    "is_conformed": False,
                    "crm_iso_failed": True,
                }
            ],
        )
        self.assertTrue(ack.crm_iso_reviewed_date)
        # the typed score and reason of the form's Override button
        policy = self.line(audit, "policy").with_user(self.auditor)
        policy.write({"crm_iso_new_score": 90, "crm_iso_new_reason": "Seen"})
        policy.action_crm_iso_override()
        self.assertEqual(policy.crm_iso_score, 90.0)
        self.assertTrue(policy.is_conformed)

    def test_prefilled_evidence_and_review_are_protected(self):
        audit = self.new_audit()
        audit.action_crm_iso_prefill()
        ack = self.line(audit, "ack_in_time")
        for user in (self.auditor, self.audit_manager):
            for vals in (
                {"crm_iso_evidence": "All perfect"},
                {"crm_iso_prefill_score": 100},
                {"crm_iso_score": 100},
                {"crm_iso_state": "confirmed"},
                {"is_conformed": True},
                {"crm_iso_reviewed_uid": user.id},
            ):
                with self.assertRaises(UserError):
                    ack.with_user(user).write(vals)
        with self.assertRaises(UserError):
            ack.sudo().write({"crm_iso_score": 100})
        with self.assertRaises(UserError):
            audit.sudo().write({"crm_iso_score": 100})
        with self.assertRaises(UserError):
            audit.with_user(self.audit_manager).write({"state": "done"})
        with self.assertRaises(UserError):
            self.env["mgmtsystem.verification.line"].with_user(self.auditor).create(
                {"name": "Forged", "audit_id": audit.id, "crm_iso_score": 100}
            )
        # OCA's own audits keep OCA's rules
        plain = self.env["mgmtsystem.audit"].create({"name": "ISO 9001"})
        line = self.env["mgmtsystem.verification.line"].create(
            {"name": "Q", "audit_id": plain.id, "is_conformed": True}
        )
        line.is_conformed = False
        self.assertFalse(line.is_conformed)
        # ...but do not become ISO 10002 audits with forged reviews
        for record, vals in (
            (plain, {"crm_iso_is_10002": True}),
            (plain, {"crm_iso_score": 100}),
            (line, {"crm_iso_score": 100}),
            (line, {"crm_iso_state": "confirmed"}),
        ):
            with self.assertRaises(UserError):
                record.write(vals)

    def test_failed_question_opens_exactly_one_nonconformity(self):
        audit = self.new_audit()
        audit.action_crm_iso_prefill()
        ack = self.line(audit, "ack_in_time").with_user(self.auditor)
        ack.action_crm_iso_override(20, "Acknowledgements are late")
        audit.with_user(self.auditor).action_crm_iso_open_nonconformities()
        audit.with_user(self.auditor).action_crm_iso_open_nonconformities()
        nonconformities = self.env["mgmtsystem.nonconformity"].search(
            [("crm_iso_audit_line_id", "=", ack.id)]
        )
        self.assertEqual(len(nonconformities), 1)
        self.assertEqual(audit.nonconformity_ids, nonconformities)
        self.assertEqual(nonconformities.company_id, self.company)
        self.assertEqual(nonconformities.responsible_user_id, self.owner)
        self.assertIn("Acknowledgements are late", nonconformities.description)
        # only failed questions open one
        self.assertFalse(
            self.env["mgmtsystem.nonconformity"].search_count(
                [
                    ("crm_iso_audit_line_id", "in", audit.line_ids.ids),
                    ("crm_iso_audit_line_id", "!=", ack.id),
                ]
            )
        )
        # a retry that would not see the first one's: the unique index refuses
        Nonconformity = self.env["mgmtsystem.nonconformity"].sudo()
        vals = audit._crm_iso_nonconformity_vals(ack)
        with (
            Nonconformity._crm_iso_unlocked(),
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            Nonconformity.create(vals)
        # the link is the question's own: nobody sets or moves it
        other = self.line(audit, "policy")
        with self.assertRaises(UserError):
            nonconformities.sudo().write({"crm_iso_audit_line_id": other.id})

    def test_close_needs_every_review_and_freezes_the_audit(self):
        audit = self.new_audit()
        audit.action_crm_iso_prefill()
        with self.assertRaises(UserError):
            audit.with_user(self.auditor).button_close()
        self.review_all(audit, 40.0)  # the unscored questions fail
        with self.assertRaises(UserError):
            audit.with_user(self.owner).button_close()
        audit.with_user(self.auditor).button_close()
        self.assertEqual(audit.state, "done")
        self.assertEqual(audit.crm_iso_closed_uid, self.auditor)
        failed = audit.line_ids.filtered("crm_iso_failed")
        self.assertTrue(failed)
        self.assertEqual(
            audit.nonconformity_ids.crm_iso_audit_line_id.sorted("id"),
            failed.sorted("id"),
        )
        line = audit.line_ids[:1]
        for call in (
            lambda: audit.with_user(self.audit_manager).write({"name": "Other"}),
            lambda: audit.sudo().write({"crm_iso_date_to": self.today}),
            lambda: line.with_user(self.auditor).write({"comments": "later"}),
            lambda: line.sudo().unlink(),
            lambda: self.env["mgmtsystem.verification.line"].create(
                {"name": "Late", "audit_id": audit.id}
            ),
            lambda: audit.action_crm_iso_prefill(),
            lambda: line.with_user(self.auditor).action_crm_iso_override(99, "x"),
            lambda: audit.sudo().unlink(),
        ):
            with self.assertRaises(UserError):
                call()
        # the chatter still takes messages
        audit.message_post(body="Report sent")

    def test_trend_against_the_previous_audit_of_the_company(self):
        first = self.new_audit(name="Q1")
        first.action_crm_iso_prefill()
        self.review_all(first, 40.0)
        first.with_user(self.auditor).button_close()
        # another company's audit is not this one's previous
        other = self.env["mgmtsystem.audit"].create(
            {"name": "Other company", "crm_iso_is_10002": True}
        )
        other._crm_iso_write({"state": "done", "closing_date": fields.Datetime.now()})
        second = self.new_audit(name="Q2")
        second.action_crm_iso_prefill()
        self.review_all(second, 90.0)
        self.assertEqual(second.crm_iso_previous_id, first)
        self.assertAlmostEqual(
            second.crm_iso_trend, second.crm_iso_score - first.crm_iso_score, places=1
        )
        self.assertGreater(second.crm_iso_trend, 0)
        self.assertFalse(first.crm_iso_previous_id)
        # the evidence of the question "audited regularly"
        self.assertEqual(self.line(second, "previous_audit").crm_iso_prefill_score, 100)

    def test_the_closed_audit_is_an_input_of_the_management_review(self):
        audit = self.new_audit()
        audit.action_crm_iso_prefill()
        self.review_all(audit, 40.0)
        audit.with_user(self.auditor).button_close()
        review = (
            self.env["mgmtsystem.review"]
            .with_user(self.audit_manager)
            .create(
                {
                    "name": "Review",
                    "date": fields.Datetime.now(),
                    "company_id": self.company.id,
                    "crm_iso_date_from": self.today - timedelta(days=1),
                    "crm_iso_date_to": self.today + timedelta(days=1),
                }
            )
        )
        review.sudo().action_crm_iso_pull_inputs()
        rows = review.crm_iso_input_ids.filtered(lambda row: row.section == "audit")
        by_code = {row.code: row for row in rows}
        score = by_code[f"audit.{audit.id}.score"]
        self.assertAlmostEqual(score.value, audit.crm_iso_score, places=1)
        self.assertEqual(
            score.status,
            "met" if audit.crm_iso_score >= audit_scoring.PASS_SCORE else "missed",
        )
        self.assertEqual(
            by_code[f"audit.{audit.id}.failed"].value, audit.crm_iso_failed_count
        )
        self.assertIn(f"audit.{audit.id}.operation", by_code)
        # the review held counts as the evidence of the next audit
        review.sudo().button_close()
        later = self.new_audit(name="Next")
        later.action_crm_iso_prefill()
        self.assertEqual(self.line(later, "review_held").crm_iso_prefill_score, 100)
