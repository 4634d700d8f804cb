# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Survey fatigue at the counter kiosk: a visitor invited recently is not asked."""

from datetime import timedelta

from freezegun import freeze_time

from odoo.tests import HttpCase, tagged

from .common import NOW
from .test_kiosk_cockpit import KioskCase

COOLDOWN = 7


@tagged("post_install", "-at_install")
class TestKioskFatigue(HttpCase, KioskCase):
    def test_cooldown_from_a_mail_to_the_kiosk(self):
        self.plan.invitation_cooldown_days = COOLDOWN
        with freeze_time(NOW):
            visit = self.checkin()
        visitor = visit.partner_id
        day0 = NOW - timedelta(days=3)
        with freeze_time(day0):
            wizard = self.env["survey.invite"].create(
                {
                    "survey_id": self.survey.id,
                    "partner_ids": [(6, 0, visitor.ids)],
                    "template_id": self.env.ref(
                        "survey.mail_template_user_input_invite"
                    ).id,
                }
            )
            wizard.action_invite()
        # day 3: the agent sends the visitor to the kiosk, the plan says no
        with freeze_time(NOW):
            result = visit.with_user(self.agent).action_kiosk_survey()
        self.assertEqual(result["tag"], "display_notification")
        self.assertIn(visitor.name, result["params"]["message"])
        self.assertFalse(visit.kiosk_token)
        self.assertFalse(visit.kiosk_sent_date)
        rows = self.env["crm.iso.survey.invitation"].search(
            [("partner_id", "=", visitor.id)], order="id"
        )
        self.assertEqual(
            [(r.channel, r.state, r.skip_reason, r.date) for r in rows],
            [("email", "sent", False, day0), ("kiosk", "skipped", "cooldown", NOW)],
        )
        # the kiosk shows its own page: no error, no question about this visit
        page = self.url_open(f"/kiosk/{self.token}?language=en")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Would you recommend us?", page.text)
        self.assertNotIn('id="kiosk_error"', page.text)
        self.assertNotIn("Traceback", page.text)
        # day N+1: asked again
        with freeze_time(day0 + timedelta(days=COOLDOWN + 1)):
            self.assertIs(visit.with_user(self.agent).action_kiosk_survey(), True)
        self.assertTrue(visit.kiosk_token)
        rows = self.env["crm.iso.survey.invitation"].search(
            [("partner_id", "=", visitor.id)], order="id"
        )
        self.assertEqual(rows[-1].channel, "kiosk")
        self.assertEqual(rows[-1].state, "sent")
        page = self.url_open(f"/kiosk/{self.token}?visit={visit.kiosk_token}")
        self.assertIn(visit.kiosk_token, page.text)
        self.plan.invalidate_recordset()
        self.assertEqual(
            (self.plan.invitation_sent_count, self.plan.invitation_cooldown_count),
            (2, 1),
        )
