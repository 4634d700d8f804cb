# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import threading
from unittest.mock import patch

from odoo import SUPERUSER_ID, api
from odoo.service.model import retrying
from odoo.tests import tagged

from ..models.crm_mall_visit import CrmMallVisit
from .common import CommittedCounterCase

PHONE = "+989127770000"


@tagged("post_install", "-at_install")
class TestConcurrentCheckin(CommittedCounterCase):
    """Two agents check in the same new phone at the same moment, for real.

    Two threads with their own database transactions both find no visitor, then
    both create one: the second blocks on the unique phone index until the first
    commits, fails, and Odoo's retrying() (which every RPC request goes through)
    runs it again. One partner, both visits kept.
    """

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
