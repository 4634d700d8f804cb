# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, datetime, timedelta

from odoo import SUPERUSER_ID, api, fields
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, TransactionCase, new_test_user
from odoo.tests.common import get_db_name

from odoo.addons.crm_iso_complaints.tests.common import calendar_vals

AGENT = "crm_mall_counter.group_counter_agent"
TODAY = date(2026, 11, 23)  # a Monday
NOW = datetime(2026, 11, 23, 10, 0)  # UTC

#: every group of the suite's three addons: the tables of the RPC trust tests
SUITE_GROUPS = (
    "crm_iso_complaints.group_complaint_user",
    "crm_iso_complaints.group_dispute_officer",
    "crm_iso_complaints.group_complaint_manager",
    "crm_iso_surveys.group_survey_analyst",
    "crm_iso_surveys.group_survey_manager",
    "crm_mall_counter.group_counter_agent",
    "crm_mall_counter.group_call_centre_agent",
    "crm_mall_counter.group_office_reviewer",
    "crm_mall_counter.group_qc_inspector",
    "crm_mall_counter.group_action_staff",
    "crm_mall_counter.group_counter_supervisor",
    "crm_mall_counter.group_mall_manager",
)


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


def open_visits(env, vals_list):
    """Visits made as the check-in makes them, for a test's history (a visit
    is otherwise opened by ``checkin`` alone: see crm.mall.visit.create)."""
    Visit = env["crm.mall.visit"]
    with Visit._crm_iso_unlocked():
        return Visit.create(vals_list)


class CommittedCounterCase(BaseCase):
    """A counter and two agents on shift, committed for real: tests whose
    threads each run in their own database transaction, as two agents would.
    Everything made here, visits and visitors included, is removed afterwards.
    """

    COUNTER = ("Race desk", "RACE")
    LOGINS = ("race_a", "race_b")

    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            name, code = self.COUNTER
            counter = env["crm.mall.counter"].create({"name": name, "code": code})
            self.counter_id = counter.id
            self.agents = []
            for login in self.LOGINS:
                user = env["res.users"].create(
                    {
                        "name": login,
                        "login": login,
                        "group_ids": [(6, 0, env.ref(AGENT).ids)],
                    }
                )
                shift_now(user, counter, hours=1)
                self.agents.append(user.id)
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
            visits = env["crm.mall.visit"].search(
                [("counter_id", "=", self.counter_id)]
            )
            partners = visits.partner_id
            visits.unlink()
            partners.unlink()
            env["crm.mall.shift"].search(
                [("counter_id", "=", self.counter_id)]
            ).unlink()
            env["crm.mall.counter"].browse(self.counter_id).unlink()
            env["res.users"].browse(self.agents).unlink()


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
