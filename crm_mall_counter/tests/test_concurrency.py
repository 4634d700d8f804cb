# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import threading
from datetime import timedelta
from unittest.mock import patch

from odoo import SUPERUSER_ID, api, fields
from odoo.modules.registry import Registry
from odoo.service.model import retrying
from odoo.tests import BaseCase, tagged
from odoo.tests.common import get_db_name

from ..models.crm_mall_visit import CrmMallVisit

PHONE = "+989127770000"


@tagged("post_install", "-at_install")
class TestConcurrentCheckin(BaseCase):
    """Two agents check in the same new phone at the same moment, for real.

    Two threads with their own database transactions both find no visitor, then
    both create one: the second blocks on the unique phone index until the first
    commits, fails, and Odoo's retrying() (which every RPC request goes through)
    runs it again. One partner, both visits kept.
    """

    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            now = fields.Datetime.now()
            self.counter_id = (
                env["crm.mall.counter"].create({"name": "Race desk", "code": "RACE"}).id
            )
            self.agents = []
            for login in ("race_a", "race_b"):
                user = env["res.users"].create(
                    {
                        "name": login,
                        "login": login,
                        "group_ids": [
                            (6, 0, env.ref("crm_mall_counter.group_counter_agent").ids)
                        ],
                    }
                )
                env["crm.mall.shift"].create(
                    {
                        "user_id": user.id,
                        "counter_id": self.counter_id,
                        "date": now.date(),
                        "start": now - timedelta(hours=1),
                        "stop": now + timedelta(hours=1),
                    }
                )
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

    def test_same_new_phone_twice_at_once(self):
        barrier = threading.Barrier(2, timeout=30)
        waited = threading.local()
        original = CrmMallVisit._create_visitor
        errors = []

        def create_together(model, e164, name):
            if not getattr(waited, "done", False):
                waited.done = True
                barrier.wait()  # both found nothing; now both create
            return original(model, e164, name)

        def agent_checks_in(uid):
            try:
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, uid, {})
                    retrying(
                        lambda: env["crm.mall.visit"].checkin(
                            PHONE, name="Nima", counter_id=self.counter_id
                        ),
                        env,
                    )
            except Exception as error:  # noqa: BLE001 - reported by the test
                errors.append(error)

        with patch.object(CrmMallVisit, "_create_visitor", create_together):
            threads = [
                threading.Thread(target=agent_checks_in, args=(uid,))
                for uid in self.agents
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(60)
        self.assertFalse(errors, errors)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            partners = env["res.partner"].search([("crm_mall_phone", "=", PHONE)])
            self.assertEqual(len(partners), 1)
            visits = env["crm.mall.visit"].search(
                [("counter_id", "=", self.counter_id)]
            )
            self.assertEqual(len(visits), 2)
            self.assertEqual(visits.partner_id, partners)
