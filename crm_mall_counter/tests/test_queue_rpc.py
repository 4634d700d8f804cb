# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The queue through the real external API (/jsonrpc execute_kw) as an agent:
the transitions work, their stamps cannot be written, wrong calls are refused
with a sentence and change nothing."""

from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.crm_iso_complaints.tests.common import execute_kw

from .common import shift_now

PASSWORD = "queue-rpc-pass-1234"
FORGED = {
    "state": "served",
    "call_time": "2020-01-01 00:00:00",
    "service_start": "2020-01-01 00:00:00",
    "service_end": "2020-01-01 00:00:00",
    "queue_number": "Z-999",
    "queue_seq": 999,
    "queue_date": "2020-01-01",
    "priority": True,
    "wait_minutes": 1.0,
    "within_service_level": True,
}


@tagged("post_install", "-at_install")
class TestQueueRpc(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent = new_test_user(
            cls.env,
            "queue_rpc_agent",
            groups="crm_mall_counter.group_counter_agent",
            password=PASSWORD,
        )
        cls.counter = cls.env["crm.mall.counter"].create(
            {"name": "RPC desk", "code": "RPC"}
        )
        shift_now(cls.agent, cls.counter, hours=8)

    def execute(self, model, method, *args, **kwargs):
        """(result, error's class name) of execute_kw as the agent over /jsonrpc."""
        result, error = execute_kw(
            self, self.agent, PASSWORD, model, method, args, kwargs
        )
        return result, error and error.rsplit(".", 1)[-1]

    def stored(self, visit_id):
        self.env.invalidate_all()
        return self.env["crm.mall.visit"].browse(visit_id).read(list(FORGED))[0]

    def test_stamps_are_set_by_transitions_only(self):
        ids, error = self.execute(
            "crm.mall.visit", "checkin", "09121110000", counter_id=self.counter.id
        )
        self.assertIsNone(error)
        (visit_id,) = ids  # a method of the model returns the ids of its records
        before = self.stored(visit_id)
        self.assertEqual(before["queue_number"], "A-001")
        for name, value in FORGED.items():
            for context in ({}, {"crm_iso_transition": True}):
                with self.subTest(name=name, context=context):
                    _result, error = self.execute(
                        "crm.mall.visit",
                        "write",
                        [visit_id],
                        {name: value},
                        context=context,
                    )
                    self.assertEqual(error, "UserError")
        self.assertEqual(self.stored(visit_id), before)
        # the transitions do it
        _result, error = self.execute(
            "crm.mall.counter", "action_call_next", [self.counter.id]
        )
        self.assertIsNone(error)
        called = self.stored(visit_id)
        self.assertEqual(called["state"], "called")
        self.assertTrue(called["call_time"])
        # calling twice, a no-show of a served visit: a sentence, nothing changed
        _result, error = self.execute("crm.mall.visit", "action_call", [visit_id])
        self.assertEqual(error, "UserError")
        self.assertEqual(self.stored(visit_id), called)
        _result, error = self.execute("crm.mall.visit", "action_served", [visit_id])
        self.assertIsNone(error)
        served = self.stored(visit_id)
        _result, error = self.execute("crm.mall.visit", "action_no_show", [visit_id])
        self.assertEqual(error, "UserError")
        self.assertEqual(self.stored(visit_id), served)
        for args in (["x"], [None], [{"id": 1}]):
            _result, error = self.execute(
                "crm.mall.visit", "action_transfer", [visit_id], *args
            )
            self.assertEqual(error, "UserError", args)
        _result, error = self.execute(
            "crm.mall.visit",
            "checkin",
            "09121110001",
            counter_id=self.counter.id,
            service_id="A",
        )
        self.assertEqual(error, "UserError")
