# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The counter's evidence of the ISO 10002 audit (#27 part 4): the competence
of the people on the counters, the share of shifts staffed by certified people
(the cockpit's and the management review's figure), through the audit's
evidence hook."""

from datetime import timedelta

from odoo import fields
from odoo.tests import TransactionCase, new_test_user, tagged

from odoo.addons.crm_iso_complaints.tools import clock


@tagged("post_install", "-at_install")
class TestAuditEvidence(TransactionCase):
    def test_competence_coverage_is_the_share_of_certified_shifts(self):
        today = clock.local_date(clock.company_tz(self.env.company))
        now = fields.Datetime.now()
        counter = self.env["crm.mall.counter"].create(
            {"name": "Audit desk", "code": "AUDIT"}
        )
        audit = self.env["mgmtsystem.audit"].create(
            {
                "name": "ISO 10002",
                "crm_iso_is_10002": True,
                "crm_iso_date_from": today - timedelta(days=30),
                "crm_iso_date_to": today,
            }
        )

        def new_shift(login):
            user = new_test_user(
                self.env, login, groups="crm_mall_counter.group_counter_agent"
            )
            self.env["crm.mall.shift"].create(
                {
                    "user_id": user.id,
                    "counter_id": counter.id,
                    "date": today,
                    "start": now - timedelta(hours=2),
                    "stop": now + timedelta(hours=6),
                }
            )

        def share():
            shifts, certified = self.env["crm.mall.competence"]._crm_mall_shift_share(
                self.env["crm.mall.shift"].search(
                    [
                        ("company_id", "=", self.env.company.id),
                        ("date", ">=", audit.crm_iso_date_from),
                        ("date", "<=", today),
                    ]
                )
            )
            return shifts, certified, round(100.0 * certified / shifts, 1)

        new_shift("audit_agent_1")
        audit.action_crm_iso_prefill()
        line = audit.line_ids.filtered(
            lambda line: line.crm_iso_code == "competence_coverage"
        )
        shifts, certified, score = share()
        self.assertTrue(line.crm_iso_prefilled)
        self.assertEqual(line.crm_iso_prefill_score, score)
        self.assertIn(
            f"{certified} of the {shifts} counter shifts", line.crm_iso_evidence
        )
        # more shifts by people without the training: the score follows
        new_shift("audit_agent_2")
        new_shift("audit_agent_3")
        audit.action_crm_iso_prefill()
        shifts_after, _certified, score_after = share()
        self.assertEqual(shifts_after, shifts + 2)
        self.assertEqual(line.crm_iso_prefill_score, score_after)
