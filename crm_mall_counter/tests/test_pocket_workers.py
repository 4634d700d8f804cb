# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The pocket queue's limits under real parallel requests (#28): phones taking
numbers at the same moment from a real ``odoo --workers 2`` server. The limits
are counted on stored rows under the QR code's row lock, so they hold across
workers: never more numbers than the limit, each of the counter's series, no
ERROR in the server's log."""

import re
import shutil
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

from odoo import SUPERUSER_ID, api
from odoo.tests import tagged

from .common import CommittedCounterCase
from .test_queue_workers import ALERT, workers_server

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
PHONES = 8
LIMIT = 3


@tagged("post_install", "-at_install")
class TestPocketOnTwoWorkers(CommittedCounterCase):
    COUNTER = ("Pocket workers desk", "PWK")
    LOGINS = ("pocket_workers_a", "pocket_workers_b")

    def setUp(self):
        # registered first, run last: after the visits are removed
        self.addCleanup(self._pocket_cleanup)
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            service = env["crm.mall.queue.service"].create(
                {"name": "Pocket race", "code": "PWR"}
            )
            entrance = env["crm.mall.queue.entrance"].create(
                {
                    "name": "Race door",
                    "counter_ids": [(6, 0, [self.counter_id])],
                    "service_ids": [(6, 0, service.ids)],
                    "limit_minute": LIMIT,
                }
            )
            self.token = entrance.action_new_qr()["url"].split("/")[2]
            self.service_id, self.entrance_id = service.id, entrance.id

    def _pocket_cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
            env["crm.mall.queue.entrance"].browse(self.entrance_id).unlink()
            env["crm.mall.queue.service"].browse(self.service_id).unlink()

    def test_limit_per_minute_holds_across_workers(self):
        log_dir = tempfile.mkdtemp(prefix="pocket_workers_")
        self.addCleanup(shutil.rmtree, log_dir, ignore_errors=True)
        log = Path(log_dir) / "odoo.log"
        barrier = threading.Barrier(PHONES)

        def phone(base, number):
            session = requests.Session()  # a phone of its own (its cookie)
            page = session.get(f"{base}/queue/{self.token}?lang=en", timeout=60)
            data = {
                "csrf_token": CSRF.search(page.text).group(1),
                "service": str(self.service_id),
                # a phone number of its own: the cleanup removes the visitors
                "phone": f"0912555{number:04d}",
            }
            barrier.wait(timeout=60)
            response = session.post(
                f"{base}/queue/{self.token}/take?lang=en",
                data=data,
                allow_redirects=False,
                timeout=120,
            )
            return response.status_code, response.text

        with workers_server(log) as base, ThreadPoolExecutor(PHONES) as pool:
            results = list(pool.map(lambda i: phone(base, i), range(PHONES)))
        codes = sorted(code for code, _text in results)
        self.assertEqual(codes, [303] * LIMIT + [400] * (PHONES - LIMIT), codes)
        for code, text in results:
            if code == 400:
                self.assertIn("try again in a minute", text)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            visits = (
                env["crm.mall.queue.ticket"]
                .search([("entrance_id", "=", self.entrance_id)])
                .visit_id
            )
            self.assertEqual(len(visits), LIMIT)
            self.assertEqual(set(visits.mapped("queue_origin")), {"remote"})
            self.assertEqual(sorted(visits.mapped("queue_seq")), [1, 2, 3])
        self.assertFalse(ALERT.findall(log.read_text()), log.read_text()[-3000:])
