# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import MONDAY_10, ComplaintCase


@tagged("post_install", "-at_install")
class TestDisputes(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.officer_dr = new_test_user(
            cls.env, "c_dr_officer", groups="crm_iso_complaints.group_dispute_officer"
        )
        cls.mediation = cls.env.ref("crm_iso_complaints.dr_method_mediation")
        cls.arbitration = cls.env.ref("crm_iso_complaints.dr_method_arbitration")
        cls.provider = cls.env["crm.iso.dr.provider"].create(
            {
                "partner_id": cls.env["res.partner"].create({"name": "Mediator"}).id,
                "method_ids": [(6, 0, cls.mediation.ids)],
            }
        )

    def _rejected_complaint(self, partner=None):
        complaint = self.responded_complaint(
            **({"partner_id": partner.id} if partner else {})
        )
        complaint.with_user(self.officer)._crm_iso_customer_reject("No")
        return complaint

    def _case(self, complaint, **vals):
        values = {
            "complaint_id": complaint.id,
            "provider_id": self.provider.id,
            "method_id": self.mediation.id,
        }
        values.update(vals)
        return self.env["crm.iso.dispute"].with_user(self.officer_dr).create(values)

    def test_eligibility_rule(self):
        Dispute = self.env["crm.iso.dispute"]
        with freeze_time(MONDAY_10):
            open_complaint = self.new_complaint()
        before = Dispute.search_count([])
        late = freeze_time(datetime(2026, 11, 24, 9, 0))
        error = self.assertRaisesRegex(ValidationError, "not finished")
        with late, error, self.cr.savepoint():
            self._case(open_complaint)
        self.assertEqual(Dispute.search_count([]), before)
        # the resolution deadline (40 working hours) has passed: eligible
        with freeze_time(datetime(2026, 12, 1, 9, 0)):
            self.assertFalse(open_complaint._crm_iso_dispute_ineligibility())
            self.env.company.crm_iso_dr_eligibility = "rejected"
            self.assertTrue(open_complaint._crm_iso_dispute_ineligibility())
        case = self._case(self._rejected_complaint())
        self.assertTrue(case.name.startswith("DR/"))
        with (
            self.assertRaisesRegex(ValidationError, "one dispute"),
            self.cr.savepoint(),
        ):
            self._case(case.complaint_id)

    def test_method_must_be_offered(self):
        complaint = self._rejected_complaint()
        with (
            self.assertRaisesRegex(ValidationError, "does not offer"),
            self.cr.savepoint(),
        ):
            self._case(complaint, method_id=self.arbitration.id)
        self.assertFalse(complaint.complaint_dispute_ids)

    def test_flow_outcome_and_closed_loop(self):
        complaint = self._rejected_complaint()
        case = self._case(complaint)
        with self.assertRaisesRegex(UserError, "consent"):
            case.action_next()
        case.customer_consent = True
        case.action_next()  # accepted
        self.assertTrue(case.consent_date)
        case.action_next()  # submitted
        self.assertEqual(case.submitted_date, date.today())
        self.assertEqual(case.deadline, date.today() + timedelta(days=45))
        with (
            self.assertRaisesRegex(ValidationError, "before its submission"),
            self.cr.savepoint(),
        ):
            case.outcome_date = date.today() - timedelta(days=1)
        case.action_next()  # in progress
        case.write(
            {
                "outcome_type": "settled",
                "settlement_terms": "Repair paid half and half",
                "implementation_due_date": date.today() + timedelta(days=10),
            }
        )
        case.action_next()  # outcome
        case.implementation_done_date = date.today() + timedelta(days=5)
        self.assertTrue(case.implemented_on_time)
        case.action_next()  # closed
        self.assertEqual(case.state, "closed")
        # closing the complaint is a complaint manager's decision: an officer
        # who is not one leaves it to them (#25, 7)
        self.assertEqual(complaint.complaint_state, "response")
        self.assertIn(self.manager, complaint.activity_ids.user_id)
        self.assertTrue(
            complaint.message_ids.filtered(lambda m: case.name in (m.body or ""))
        )
        with self.assertRaises(UserError):
            case.action_next()

    def test_a_manager_closing_the_case_closes_the_complaint(self):
        complaint = self._rejected_complaint()
        case = self._case(complaint).with_user(self.manager)
        case.customer_consent = True
        for _step in range(3):  # accepted, submitted, in progress
            case.action_next()
        case.write(
            {
                "outcome_type": "settled",
                "settlement_terms": "Repair paid",
                "implementation_due_date": date.today() + timedelta(days=10),
            }
        )
        case.action_next()  # outcome
        case.implementation_done_date = date.today()
        case.action_next()  # closed
        self.assertEqual(complaint.complaint_state, "closed")
        self.assertEqual(complaint.complaint_closed_uid, self.manager)

    def test_effectiveness_report(self):
        first = self._case(self._rejected_complaint(), customer_consent=True)
        second = self._case(self._rejected_complaint(), customer_consent=True)
        for case, outcome, days in (
            (first, "settled", 10),
            (second, "no_agreement", 30),
        ):
            case.action_next()
            case.action_next()
            case.write(
                {
                    "outcome_type": outcome,
                    "outcome_date": case.submitted_date + timedelta(days=days),
                    "cost_amount": 100 if outcome == "settled" else 300,
                }
            )
        self.env.flush_all()
        Report = self.env["crm.iso.dispute.report"].with_user(self.officer_dr)
        (group,) = Report.formatted_read_group(
            [("provider_id", "=", self.provider.id)],
            ["provider_id"],
            ["nbr:sum", "duration_days:avg", "settled_pct:avg", "cost_amount:avg"],
        )
        self.assertEqual(group["nbr:sum"], 2)
        self.assertEqual(group["duration_days:avg"], 20)
        self.assertEqual(group["settled_pct:avg"], 50)
        self.assertEqual(group["cost_amount:avg"], 200)
        self.assertEqual(Report.median_duration()[self.provider.id], 20)

    def test_provider_with_cases_is_kept_and_reviewed(self):
        self._case(self._rejected_complaint())
        with (
            self.assertRaisesRegex(UserError, "cannot be deleted"),
            self.cr.savepoint(),
        ):
            self.provider.with_user(self.manager).unlink()
        self.assertTrue(self.provider.exists())
        self.provider.declaration_review_date = date.today()
        Provider = self.env["crm.iso.dr.provider"]
        Provider._cron_review_declarations()
        Provider._cron_review_declarations()
        self.assertEqual(len(self.provider.activity_ids), 1)

    def test_access_by_group(self):
        portal_partner = self.portal.partner_id
        own = self._case(self._rejected_complaint(partner=portal_partner))
        other = self._case(self._rejected_complaint())
        Dispute = self.env["crm.iso.dispute"]
        self.assertEqual(Dispute.with_user(self.portal).search([]), own)
        with self.assertRaises(AccessError):
            other.with_user(self.portal).read(["state"])
        with self.assertRaises(AccessError):
            own.with_user(self.portal).write({"customer_consent": True})
        # complaint officers read, dispute officers handle, nobody deletes
        self.assertEqual(other.with_user(self.officer).state, "proposed")
        with self.assertRaises(AccessError):
            other.with_user(self.officer).write({"cost_amount": 10})
        other.with_user(self.officer_dr).write({"cost_amount": 10})
        with self.assertRaises(UserError):
            other.with_user(self.manager).unlink()
        with self.assertRaises(AccessError):
            Dispute.with_user(self.employee).search([])
