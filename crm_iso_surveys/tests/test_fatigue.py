# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Survey fatigue: cooldown across channels, sampling, the plan's sample size."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, tagged

from odoo.addons.crm_iso_complaints.tests.common import ComplaintCase, execute_kw

from .common import SatisfactionCase

DAY0 = datetime(2026, 6, 10, 9, 0)
COOLDOWN = 7
REFUSED = ("odoo.exceptions.AccessError", "odoo.exceptions.UserError")


@tagged("post_install", "-at_install")
class TestFatigue(ComplaintCase, SatisfactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Invitation = cls.env["crm.iso.survey.invitation"]
        cls.crowd = cls.env["res.partner"].create(
            [
                {"name": f"Customer {n}", "email": f"c{n}@example.com"}
                for n in range(400)
            ]
        )

    # ------------------------------------------------------------ helpers
    def mail_invite(self, partners):
        """Odoo's Share wizard of the plan's survey, as a user sends it."""
        template = self.env.ref("survey.mail_template_user_input_invite")
        wizard = self.env["survey.invite"].create(
            {
                "survey_id": self.survey.id,
                "partner_ids": [(6, 0, partners.ids)],
                "template_id": template.id,
                "existing_mode": "new",
            }
        )
        return wizard.action_invite()

    def answers_of(self, partner):
        return self.env["survey.user_input"].search([("partner_id", "=", partner.id)])

    def rows_of(self, partner):
        return self.Invitation.search([("partner_id", "=", partner.id)], order="id")

    # ------------------------------------------------------------ cooldown
    def test_cooldown_across_channels(self):
        self.plan.write(
            {
                "invitation_cooldown_days": COOLDOWN,
                "post_resolution": True,
                "sequence": 1,
            }
        )
        with freeze_time(DAY0):
            self.mail_invite(self.customer)
        mailed = self.answers_of(self.customer)
        self.assertEqual(mailed.crm_iso_channel, "email")
        self.assertEqual(mailed.crm_iso_plan_id, self.plan)
        complaint = self.new_complaint()
        with freeze_time(DAY0 + timedelta(days=3)):
            complaint._crm_iso_send_post_resolution_survey()
            # the mail wizard itself is under the cooldown too, and says so
            told = self.mail_invite(self.customer)
        self.assertEqual(told["tag"], "display_notification")
        self.assertIn("1 recipient(s) not invited", told["params"]["message"])
        self.assertEqual(self.answers_of(self.customer), mailed, "not surveyed again")
        with freeze_time(DAY0 + timedelta(days=COOLDOWN + 1)):
            complaint._crm_iso_send_post_resolution_survey()
        again = self.answers_of(self.customer) - mailed
        self.assertEqual(again.crm_iso_complaint_id, complaint)
        self.assertEqual(
            [(r.channel, r.state, r.skip_reason) for r in self.rows_of(self.customer)],
            [
                ("email", "sent", False),
                ("post_resolution", "skipped", "cooldown"),
                ("email", "skipped", "cooldown"),
                ("post_resolution", "sent", False),
            ],
        )
        self.assertEqual(
            self.rows_of(self.customer).mapped("date")[1],
            DAY0 + timedelta(days=3),
        )

    def test_cooldown_reads_every_plan_of_the_company(self):
        """Another plan's invitation counts; another company's does not."""
        other_plan = self.plan.copy({"name": "Other plan"})
        self.plan.invitation_cooldown_days = COOLDOWN
        other_plan._crm_iso_invite(self.customer, "email")
        rows = self.plan._crm_iso_invite(self.customer, "kiosk")
        self.assertEqual(rows.skip_reason, "cooldown")
        elsewhere = self.env["res.company"].create({"name": "Other mall"})
        self.plan.owner_id.company_ids |= elsewhere
        foreign = self.plan.copy({"name": "Foreign", "company_id": elsewhere.id})
        foreign.invitation_cooldown_days = COOLDOWN
        self.assertEqual(foreign._crm_iso_invite(self.crowd[0], "email").state, "sent")
        self.assertEqual(
            self.plan._crm_iso_invite(self.crowd[0], "email").state,
            "sent",
            "another company's invitation is behind its wall",
        )

    def test_closing_a_complaint_in_the_cooldown_sends_nothing(self):
        self.plan.write(
            {"invitation_cooldown_days": 30, "post_resolution": True, "sequence": 1}
        )
        self.mail_invite(self.customer)
        complaint = self.closed_complaint(crm_iso_touchpoint_id=self.touchpoint.id)
        self.assertFalse(
            self.env["survey.user_input"].search(
                [("crm_iso_complaint_id", "=", complaint.id)]
            )
        )
        self.assertEqual(self.rows_of(self.customer)[-1].skip_reason, "cooldown")

    # ------------------------------------------------------------ sampling
    def test_sampling_is_stable_and_close_to_the_rate(self):
        self.plan.invitation_rate = 30.0
        with freeze_time(DAY0):
            first = self.plan._crm_iso_invite(self.crowd, "email")
            second = self.plan._crm_iso_invite(self.crowd, "kiosk")
        drawn = first.filtered(lambda r: r.state == "sent").partner_id
        self.assertEqual(
            second.filtered(lambda r: r.state == "sent").partner_id,
            drawn,
            "the same customers are drawn again in the period, on any channel",
        )
        self.assertEqual(
            set(first.filtered(lambda r: r.state == "skipped").mapped("skip_reason")),
            {"sampling"},
        )
        # 400 draws at 30%: 120 expected, a standard deviation of about 9
        self.assertTrue(95 <= len(drawn) <= 145, len(drawn))
        with freeze_time(DAY0 + timedelta(days=31)):
            next_month = self.plan._crm_iso_invite(self.crowd, "email")
        redrawn = next_month.filtered(lambda r: r.state == "sent").partner_id
        self.assertTrue(95 <= len(redrawn) <= 145, len(redrawn))
        self.assertNotEqual(redrawn, drawn, "a new period draws anew")
        self.plan.invitation_rate = 0.0
        self.assertEqual(
            set(self.plan._crm_iso_invite(self.crowd[:20], "email").mapped("state")),
            {"skipped"},
        )

    # ------------------------------------------------------------ sample size
    def test_sample_size_is_never_exceeded_and_the_excess_counted(self):
        self.plan.write({"invitation_limit": 5, "frequency": "monthly"})
        with freeze_time(DAY0):
            rows = self.plan._crm_iso_invite(self.crowd[:12], "email")
            self.mail_invite(self.crowd[12:15])
        with freeze_time(DAY0 + timedelta(days=5)):
            late = self.plan._crm_iso_invite(self.crowd[15:20], "kiosk")
        self.assertEqual(rows.mapped("state"), ["sent"] * 5 + ["skipped"] * 7)
        self.assertEqual(
            set(rows.filtered(lambda r: r.state == "skipped").mapped("skip_reason")),
            {"sample_full"},
        )
        self.assertFalse(self.answers_of(self.crowd[12]), "no mail over the sample")
        self.assertEqual(set(late.mapped("skip_reason")), {"sample_full"})
        # the plan shows the invited and every skip by reason
        self.plan.invalidate_recordset()
        self.assertEqual(self.plan.invitation_sent_count, 5)
        self.assertEqual(self.plan.invitation_skipped_count, 15)
        self.assertEqual(self.plan.invitation_sample_full_count, 15)
        self.assertEqual(self.plan.invitation_cooldown_count, 0)
        # a complaint manager reads plans, not the log: the counts still show
        self.assertEqual(self.plan.with_user(self.manager).invitation_skipped_count, 15)
        skipped = self.plan.action_view_skipped_invitations()
        self.assertEqual(self.Invitation.search_count(skipped["domain"]), 15)
        self.assertEqual(
            self.Invitation.search_count(self.plan.action_view_invitations()["domain"]),
            5,
        )
        # a new month, a new sample
        with freeze_time(DAY0 + timedelta(days=30)):
            july = self.plan._crm_iso_invite(self.crowd[20:30], "email")
        self.assertEqual(july.mapped("state").count("sent"), 5)

    def test_a_quarterly_plan_samples_per_quarter(self):
        self.plan.write({"invitation_limit": 2, "frequency": "quarterly"})
        with freeze_time(datetime(2026, 4, 2)):
            self.plan._crm_iso_invite(self.crowd[:2], "email")
        with freeze_time(datetime(2026, 6, 29)):
            june = self.plan._crm_iso_invite(self.crowd[2:3], "email")
        with freeze_time(datetime(2026, 7, 1)):
            july = self.plan._crm_iso_invite(self.crowd[3:4], "email")
        self.assertEqual(june.skip_reason, "sample_full")
        self.assertEqual(july.state, "sent")

    # ------------------------------------------------------------ set-based
    def test_one_history_query_for_any_batch(self):
        self.plan.write({"invitation_cooldown_days": COOLDOWN, "invitation_limit": 500})
        self.plan._crm_iso_invite(self.crowd[:50], "email")
        counts = []
        # the first batch warms the registry's caches: compare the next two
        for batch in (self.crowd[50:52], self.crowd[100:105], self.crowd[200:300]):
            self.env.flush_all()
            self.env.invalidate_all()
            batch = self.env["res.partner"].browse(batch.ids)
            start = self.cr.sql_log_count
            with self.assertQueryCount(7):
                self.plan._crm_iso_invite(batch, "email")
                self.env.flush_all()
            counts.append(self.cr.sql_log_count - start)
        self.assertEqual(counts[1], counts[2], "as many queries for 5 as for 100")

    # ------------------------------------------------------------ bad input
    def test_bad_rules_are_refused(self):
        for vals in (
            {"invitation_rate": 100.5},
            {"invitation_rate": -1.0},
            {"invitation_cooldown_days": -3},
            {"invitation_limit": -1},
        ):
            with (
                self.subTest(vals=vals),
                self.assertRaises(ValidationError),
                self.env.cr.savepoint(),
            ):
                self.plan.write(vals)
        self.plan.invalidate_recordset()
        self.assertEqual(self.plan.invitation_rate, 100.0)
        self.assertEqual(self.plan.invitation_cooldown_days, 0)


@tagged("post_install", "-at_install")
class TestFatigueRpc(HttpCase, SatisfactionCase):
    """The invitation log through the real external API: nobody forges it."""

    def execute(self, user, method, args, kwargs=None):
        password = user.login + "x" * (8 - len(user.login))
        return execute_kw(
            self, user, password, "crm.iso.survey.invitation", method, args, kwargs
        )

    def test_log_rows_are_not_writable_over_rpc(self):
        self.plan.invitation_limit = 1
        row, skipped = self.plan._crm_iso_invite(
            self.env["res.partner"].create([{"name": "A"}, {"name": "B"}]), "email"
        )
        before = row.read()[0]
        for user in (self.analyst, self.manager):
            result, _error = self.execute(user, "read", [row.ids, ["state"]])
            self.assertEqual(result[0]["state"], "sent", "the user reads the log")
            forged = {"state": "skipped", "skip_reason": "cooldown"}
            for method, args in (
                ("write", [row.ids, forged]),
                ("write", [skipped.ids, {"skip_reason": "sampling"}]),
                ("write", [row.ids, {"date": "2020-01-01 00:00:00"}]),
                ("unlink", [row.ids]),
                (
                    "create",
                    [
                        {
                            "partner_id": row.partner_id.id,
                            "plan_id": self.plan.id,
                            "channel": "kiosk",
                            "date": "2020-01-01 00:00:00",
                            "state": "sent",
                            "company_id": self.env.company.id,
                        }
                    ],
                ),
            ):
                with self.subTest(user=user.login, method=method):
                    result, error = self.execute(user, method, args)
                    # the ACL, or the guard before it: refused either way
                    self.assertIn(error, REFUSED, result)
        self.env.invalidate_all()
        self.assertEqual(row.read()[0], before)
        self.assertEqual(skipped.skip_reason, "sample_full")
        self.assertEqual(
            self.env["crm.iso.survey.invitation"].search_count(
                [("plan_id", "=", self.plan.id)]
            ),
            2,
        )
        # not even the superuser changes or deletes a row by hand
        with self.assertRaises(UserError):
            row.write({"state": "skipped", "skip_reason": "cooldown"})
        with self.assertRaises(UserError):
            row.unlink()
