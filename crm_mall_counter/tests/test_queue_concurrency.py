# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import threading
from unittest.mock import patch

from odoo import SUPERUSER_ID, api
from odoo.service.model import retrying
from odoo.tests import tagged

from ..models.crm_mall_visit_queue import CrmMallVisit
from .common import CommittedCounterCase


@tagged("post_install", "-at_install")
class TestQueueConcurrency(CommittedCounterCase):
    """Two agents of one counter, each in their own transaction, for real: they
    check visitors in at the same moment, then call the next one at once."""

    COUNTER = ("Queue race", "QR")
    LOGINS = ("queue_race_a", "queue_race_b")

    def together(self, method_name, wrapped, work):
        """Run ``work(env)`` for both agents in two threads; each thread's first
        call of ``method_name`` waits for the other's before going on."""
        barrier = threading.Barrier(2, timeout=20)
        waited = threading.local()
        original = getattr(CrmMallVisit, method_name)
        errors = []

        def in_step(*args, **kwargs):
            if not getattr(waited, "done", False):
                waited.done = True
                wrapped(barrier)
            return original(*args, **kwargs)

        def agent(uid):
            try:
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, uid, {})
                    retrying(lambda: work(env), env)
            except Exception as error:  # noqa: BLE001 - reported by the test
                errors.append(error)

        with patch.object(CrmMallVisit, method_name, in_step):
            threads = [
                threading.Thread(target=agent, args=(uid,)) for uid in self.agents
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(60)
        self.assertFalse(errors, errors)

    def visits(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            visits = env["crm.mall.visit"].search(
                [("counter_id", "=", self.counter_id)], order="id"
            )
            return [(v.queue_number, v.state) for v in visits]

    def test_two_check_ins_at_once_draw_two_numbers(self):
        """Both draw A-001; one inserts, the other's insert fails on the unique
        index and it takes A-002 at once: neither request is run again."""
        phones = dict(zip(self.agents, ("+989127771111", "+989127772222"), strict=True))
        runs = []

        def work(env):
            runs.append(env.uid)
            return env["crm.mall.visit"].checkin(
                phones[env.uid], name="Racer", counter_id=self.counter_id
            )

        # both have drawn their number; now both create
        self.together("_create_queued", lambda barrier: barrier.wait(), work)
        numbers = sorted(number for number, _state in self.visits())
        self.assertEqual(numbers, ["A-001", "A-002"])
        self.assertEqual(sorted(runs), sorted(self.agents), "no request retried")

    def test_two_agents_calling_next_at_once_call_two_visitors(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            for phone in ("+989127773333", "+989127774444"):
                env["crm.mall.visit"].with_user(self.agents[0]).checkin(
                    phone, name="Waiting", counter_id=self.counter_id
                )

        def work(env):
            env["crm.mall.counter"].browse(self.counter_id).action_call_next()

        # each holds the lock of the visitor it chose when calling them: with a
        # plain FOR UPDATE the second would wait on the first's row forever
        self.together("action_call", lambda barrier: barrier.wait(), work)
        self.assertEqual(self.visits(), [("A-001", "called"), ("A-002", "called")])
