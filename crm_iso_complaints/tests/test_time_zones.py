# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""One clock (``tools/clock.py``), one rule per kind of call site: a record's
days are its company's (or counter's), a company's figures over a period are
cut at that company's midnights whoever computes them, and a person's own
"today" is in their own zone. A mall in Tehran (UTC+03:30) and one in UTC,
at 21:00 UTC on 30 September 2026: already 1 October in Tehran."""

from datetime import date, datetime

from freezegun import freeze_time

from odoo import fields
from odoo.tests import new_test_user, tagged

from ..tools import clock
from .common import ComplaintCase

EVENING = datetime(2026, 9, 30, 21, 0)  # 00:30 on 1 October in Tehran


@tagged("post_install", "-at_install")
class TestTimeZones(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Company = cls.env["res.company"]
        cls.tehran = Company.create({"name": "Tehran Mall"})
        cls.tehran.partner_id.tz = "Asia/Tehran"
        cls.utc = Company.create({"name": "UTC Mall"})
        cls.utc.partner_id.tz = "UTC"
        cls.utc.resource_calendar_id.tz = "UTC"
        cls.env.user.company_ids |= cls.tehran | cls.utc
        # the person computing lives in UTC: no figure may follow them
        cls.reader = new_test_user(
            cls.env,
            "tz_reader",
            groups="crm_iso_complaints.group_complaint_manager",
            tz="UTC",
            company_ids=[(6, 0, (cls.tehran | cls.utc | cls.env.company).ids)],
        )

    def test_local_midnight_of_a_complaint_in_tehran_and_in_utc(self):
        with freeze_time(EVENING):
            in_tehran = self.new_complaint(company_id=self.tehran.id)
            in_utc = self.new_complaint(company_id=self.utc.id)
            self.assertEqual(clock.record_tz(in_tehran), "Asia/Tehran")
            self.assertEqual(clock.record_tz(in_utc), "UTC")
            self.assertEqual(
                clock.day_start(clock.record_tz(in_tehran)),
                (date(2026, 10, 1), datetime(2026, 9, 30, 20, 30)),
            )
            self.assertEqual(
                clock.day_start(clock.record_tz(in_utc)),
                (date(2026, 9, 30), datetime(2026, 9, 30, 0, 0)),
            )

    def test_conduct_periods_are_the_companys_days(self):
        """A complaint received at 00:30 on 1 October in Tehran is October's
        there; at 21:00 on 30 September in UTC it is September's."""
        Commitment = self.env["crm.iso.conduct.commitment"]
        commitments = Commitment.browse()
        for company in (self.tehran, self.utc):
            code = self.env["crm.iso.conduct.code"].create(
                {"name": "Promises", "company_id": company.id}
            )
            commitments |= Commitment.create(
                {
                    "code_id": code.id,
                    "name": "Few reopened complaints",
                    "indicator": "reopen_rate",
                    "target": 10,
                }
            )
            with freeze_time(EVENING):
                self.new_complaint(company_id=company.id)
        october = commitments.with_user(self.reader)._evaluate(
            date(2026, 10, 1), date(2026, 11, 1)
        )
        september = commitments._evaluate(date(2026, 9, 1), date(2026, 10, 1))
        in_tehran, in_utc = commitments
        self.assertEqual((october[in_tehran.id][1], october[in_utc.id][1]), (1, 0))
        self.assertEqual((september[in_tehran.id][1], september[in_utc.id][1]), (0, 1))

    def test_review_period_is_the_companys_days_whoever_pulls(self):
        review = self.env["mgmtsystem.review"].create(
            {
                "name": "October review",
                "date": fields.Datetime.now(),
                "company_id": self.tehran.id,
                "crm_iso_date_from": date(2026, 10, 1),
                "crm_iso_date_to": date(2026, 10, 31),
            }
        )
        bounds = review.with_user(self.reader)._crm_iso_bounds(
            review.crm_iso_date_from, review.crm_iso_date_to
        )
        self.assertEqual(
            bounds, (datetime(2026, 9, 30, 20, 30), datetime(2026, 10, 31, 20, 30))
        )

    def test_audit_period_is_the_audited_companys_days_whoever_audits(self):
        """An ISO 10002 audit of the Tehran mall, its evidence gathered by a
        person whose current company is the UTC one: October is Tehran's."""
        with freeze_time(EVENING):
            self.new_complaint(company_id=self.tehran.id)
        audit = self.env["mgmtsystem.audit"].create(
            {
                "name": "October audit",
                "company_id": self.tehran.id,
                "crm_iso_is_10002": True,
                "crm_iso_date_from": date(2026, 10, 1),
                "crm_iso_date_to": date(2026, 10, 31),
            }
        )
        evidence = audit.with_company(self.utc)._crm_iso_audit_evidence(
            date(2026, 10, 1), date(2026, 10, 31)
        )
        self.assertIn("of the 1 complaints", evidence["objectivity"][0])

    def test_a_persons_today_is_in_their_own_zone(self):
        Action = self.env["mgmtsystem.action"]
        in_tehran = new_test_user(self.env, "tz_tehran", tz="Asia/Tehran")
        with freeze_time(EVENING):
            self.assertEqual(
                Action.with_user(in_tehran)._crm_iso_today(), date(2026, 10, 1)
            )
            self.assertEqual(
                Action.with_user(self.reader)._crm_iso_today(), date(2026, 9, 30)
            )
            # the context's zone is not the person's
            self.assertEqual(
                Action.with_user(in_tehran).with_context(tz="UTC")._crm_iso_today(),
                date(2026, 10, 1),
            )
