# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, datetime, timedelta

from odoo import fields
from odoo.tests import TransactionCase, new_test_user

from odoo.addons.crm_iso_complaints.tests.common import calendar_vals

AGENT = "crm_mall_counter.group_counter_agent"
TODAY = date(2026, 11, 23)  # a Monday
NOW = datetime(2026, 11, 23, 10, 0)  # UTC


def shift_now(user, counter, hours=3):
    """A shift of ``user`` at ``counter`` open now, by the real clock (HTTP and
    browser tests, where time is not frozen)."""
    now = fields.Datetime.now()
    return counter.env["crm.mall.shift"].create(
        {
            "user_id": user.id,
            "counter_id": counter.id,
            "date": now.date(),
            "start": now - timedelta(hours=1),
            "stop": now + timedelta(hours=hours),
        }
    )


class MallCase(TransactionCase):
    """Two counters (UTC, 8-16 Monday-Friday), an agent on a morning shift."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.env["resource.calendar"].create(
            calendar_vals("Mall UTC 8-16", "UTC", range(5), 8.0, 16.0)
        )
        cls.team = cls.env.ref("crm_iso_complaints.team_customer_relations")
        Counter = cls.env["crm.mall.counter"]
        cls.counter = Counter.create(
            {"name": "Desk A", "code": "T-A", "calendar_id": cls.calendar.id}
        )
        cls.other_counter = Counter.create(
            {"name": "Desk B", "code": "T-B", "calendar_id": cls.calendar.id}
        )
        cls.agent = new_test_user(cls.env, "m_agent", groups=AGENT)
        cls.agent_b = new_test_user(cls.env, "m_agent_b", groups=AGENT)
        cls.morning = cls.env.ref("crm_mall_counter.shift_template_morning")
        cls.shift = cls.env["crm.mall.shift"].create(
            {
                "user_id": cls.agent.id,
                "counter_id": cls.counter.id,
                "template_id": cls.morning.id,
                "date": TODAY,
            }
        )
        cls.env["crm.mall.shift"].create(
            {
                "user_id": cls.agent_b.id,
                "counter_id": cls.other_counter.id,
                "template_id": cls.morning.id,
                "date": TODAY,
            }
        )

    def checkin(self, phone="09121234567", user=None, **kw):
        Visit = self.env["crm.mall.visit"].with_user(user or self.agent)
        return Visit.checkin(phone, counter_id=kw.pop("counter", self.counter).id, **kw)

    def subject(self, visit, subject_type="request", user=None, **vals):
        return (
            self.env["crm.mall.subject"]
            .with_user(user or self.agent)
            .create(
                {
                    "visit_id": visit.id,
                    "subject_type": subject_type,
                    "description": vals.pop("description", "Something to say"),
                    **vals,
                }
            )
        )
