# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The queue's rules under real parallel requests (issue #25, item 8): a real
``odoo --workers 2`` server on this database, agents sending ``/jsonrpc``
requests at the same moment from threads, then the data and the server's log.

- Two agents calling next at once, and calling the same visitors at once: each
  visitor is called once, by one agent; the expected race leaves no ERROR in
  the log (at most a warning, the refusal, and Odoo's INFO retry).
- An agent whose shift ended, at the same moments, cannot serve, call or
  transfer any of them.
- Check-ins at once while numbered visitors are written another counter: the
  writes are refused, the series stays unique and without a gap.
"""

import contextlib
import logging
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import requests

from odoo import SUPERUSER_ID, api, fields, release
from odoo.tests import tagged
from odoo.tools import SQL, config

from .common import CommittedCounterCase

_logger = logging.getLogger(__name__)
PASSWORD = "queue-workers-pass-1234"
HOST = "127.0.0.1"
READY_BUDGET = 180  # seconds for the server to answer
#: log lines an operator's alerting would page on
ALERT = re.compile(r"^\S+ \S+ \d+ (ERROR|CRITICAL) ", re.MULTILINE)


def _free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def workers_server(log_path, workers=2):
    """``odoo --workers N`` on this test's database and configuration, on free
    ports, its log in ``log_path``; stopped on leaving. Yields its base URL.

    odoo-bin is used when there is one: under ``-m odoo`` the master respawns
    the websocket process in a loop (see bench/cluster.py ``odoo_launcher``).
    """
    odoo_bin = Path(release.__file__).resolve().parent.parent / "odoo-bin"
    launcher = [str(odoo_bin)] if odoo_bin.is_file() else ["-m", "odoo"]
    port = _free_port()
    db = config["db_name"]
    db = db[0] if isinstance(db, list) else db
    cmd = [
        sys.executable,
        *launcher,
        "-c",
        config.rcfile,
        "-d",
        db,
        "--db-filter",
        f"^{db}$",
        "--workers",
        str(workers),
        "--http-interface",
        HOST,
        "--http-port",
        str(port),
        "--gevent-port",
        str(_free_port()),
        "--max-cron-threads",
        "0",
        "--log-level",
        "info",
        "--logfile",
        str(log_path),
    ]
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True
    )
    base = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + READY_BUDGET
        while True:
            if proc.poll() is not None:
                raise AssertionError(f"odoo exited ({proc.returncode}): {log_path}")
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"{base}/web/login", timeout=30).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise AssertionError(f"odoo did not answer in {READY_BUDGET}s")
            time.sleep(0.5)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@tagged("post_install", "-at_install")
class TestQueueOnTwoWorkers(CommittedCounterCase):
    COUNTER = ("Workers desk", "WRK")
    LOGINS = ("queue_workers_a", "queue_workers_b")

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            counter = env["crm.mall.counter"].browse(self.counter_id)
            other = env["crm.mall.counter"].create(
                {"name": "Workers desk 2", "code": "WRK2"}
            )
            self.other_id = other.id
            late = env["res.users"].create(
                {
                    "name": "queue_workers_late",
                    "login": "queue_workers_late",
                    "group_ids": [
                        (6, 0, env.ref("crm_mall_counter.group_counter_agent").ids)
                    ],
                }
            )
            self.late = late.id
            now = fields.Datetime.now()
            env["crm.mall.shift"].create(
                {
                    "user_id": late.id,
                    "counter_id": counter.id,
                    "date": now.date(),
                    "start": now - timedelta(hours=4),
                    "stop": now - timedelta(hours=1),
                }
            )
            env["res.users"].browse([*self.agents, late.id]).password = PASSWORD
        self.addCleanup(self._cleanup_more)
        self.session = requests.Session()

    def _cleanup_more(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
            visits = env["crm.mall.visit"].search([("counter_id", "=", self.other_id)])
            partners = visits.partner_id
            visits.unlink()
            partners.unlink()
            env["crm.mall.shift"].search([("user_id", "=", self.late)]).unlink()
            env["crm.mall.counter"].browse(self.other_id).unlink()
            env["res.users"].browse(self.late).unlink()

    # ------------------------------------------------------------ helpers
    def checkin(self, count, start):
        """``count`` visitors checked in at the counter (committed)."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, self.agents[0], {})
            return [
                env["crm.mall.visit"]
                .checkin(f"+98912666{start + i:04d}", counter_id=self.counter_id)
                .id
                for i in range(count)
            ]

    def rpc(self, base, uid, model, method, *args):
        """(result, error's class name) of execute_kw as ``uid`` on ``base``."""
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {
                "service": "object",
                "method": "execute_kw",
                "args": [
                    config["db_name"][0]
                    if isinstance(config["db_name"], list)
                    else config["db_name"],
                    uid,
                    PASSWORD,
                    model,
                    method,
                    list(args),
                    {},
                ],
            },
        }
        body = requests.post(f"{base}/jsonrpc", json=payload, timeout=120).json()
        if "error" in body:
            return None, body["error"]["data"]["name"].rsplit(".", 1)[-1]
        return body.get("result"), None

    def at_once(self, calls):
        """Send ``calls`` [(uid, model, method, *args)] at the same moment, one
        thread each; their (result, error) in order."""
        barrier = threading.Barrier(len(calls), timeout=60)

        def send(call):
            barrier.wait()
            return self.rpc(self.base, *call)

        with ThreadPoolExecutor(len(calls)) as pool:
            return list(pool.map(send, calls))

    def visits(self, ids):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            return {
                v.id: (v.state, v.agent_id.id, v.counter_id.id, v.queue_number)
                for v in env["crm.mall.visit"].browse(ids)
            }

    # ------------------------------------------------------------ the test
    def test_races_of_a_busy_counter(self):
        a, b = self.agents
        call_next = self.checkin(8, 0)
        log_dir = tempfile.mkdtemp(prefix="queue_workers_")
        self.addCleanup(shutil.rmtree, log_dir, ignore_errors=True)
        log = Path(log_dir) / "odoo.log"
        with workers_server(log) as self.base:
            # the workers load the registry before anything is measured
            self.at_once([(a, "res.users", "read", [a], ["login"])] * 4)

            # two agents call next at once until nobody waits, while the late
            # agent tries to serve one of them
            called = []
            for _round in range(20):
                results = self.at_once(
                    [
                        (a, "crm.mall.counter", "action_call_next", [self.counter_id]),
                        (b, "crm.mall.counter", "action_call_next", [self.counter_id]),
                        (self.late, "crm.mall.visit", "action_served", call_next[-1:]),
                    ]
                )
                late = results.pop()
                self.assertEqual(late[1], "UserError", "the late agent is refused")
                done = [r["params"]["next"]["res_id"] for r, error in results if r]
                refused = [error for r, error in results if error]
                self.assertTrue(set(refused) <= {"UserError"}, refused)
                called += done
                if len(refused) == 2:
                    break  # nobody waiting
                if len(called) == len(call_next):
                    break
            self.assertEqual(sorted(called), sorted(call_next), "each called once")
            self.assertEqual(len(called), len(set(called)))

            # both agents call the same visitor at the same moment (the late
            # agent serves it, or transfers it, at that moment too)
            same = self.checkin(6, 100)
            winners = {}
            for visit_id in same:
                results = self.at_once(
                    [
                        (a, "crm.mall.visit", "action_call", [visit_id]),
                        (b, "crm.mall.visit", "action_call", [visit_id]),
                        (self.late, "crm.mall.visit", "action_served", [visit_id]),
                        (
                            self.late,
                            "crm.mall.visit",
                            "action_transfer",
                            [visit_id],
                            self.other_id,
                        ),
                    ]
                )
                errors = [error for _result, error in results]
                self.assertEqual(sorted(errors[:2], key=str), [None, "UserError"])
                self.assertEqual(errors[2:], ["UserError", "UserError"])
                winners[visit_id] = (a, b)[errors.index(None)]

            # a visitor locked by another agent's transaction, which then calls it
            locked = self.checkin(1, 200)[0]
            with self.registry.cursor() as cr:
                cr.execute(
                    SQL(
                        "SELECT id FROM crm_mall_visit WHERE id = %s FOR UPDATE", locked
                    )
                )
                with ThreadPoolExecutor(1) as pool:
                    pending = pool.submit(
                        self.rpc,
                        self.base,
                        a,
                        "crm.mall.visit",
                        "action_call",
                        [locked],
                    )
                    time.sleep(1.0)  # the agent's request meets the lock
                    cr.execute(
                        SQL(
                            "UPDATE crm_mall_visit SET state = 'called',"
                            " call_time = now() AT TIME ZONE 'UTC', agent_id = %s"
                            " WHERE id = %s",
                            b,
                            locked,
                        )
                    )
                    cr.commit()
                    self.assertEqual(pending.result(timeout=120), (None, "UserError"))

            # check-ins at once while numbered visitors are written elsewhere
            forged = self.at_once(
                [
                    (a, "crm.mall.visit", "write", [vid], {"counter_id": self.other_id})
                    for vid in call_next[:4]
                ]
                + [
                    (
                        uid,
                        "crm.mall.visit",
                        "checkin",
                        f"+98912666{300 + i:04d}",
                        False,  # name
                        self.counter_id,
                    )
                    for i, uid in enumerate((a, b, a, b))
                ]
            )
        text = log.read_text(encoding="utf-8")
        self.assertFalse(
            ALERT.findall(text), "no ERROR in the server log:\n" + text[-4000:]
        )
        self.assertNotIn("bad query", text)
        retries = len(re.findall(r"tries left, try again", text))
        _logger.info(
            "queue races on 2 workers: %s request(s) retried, 0 ERROR", retries
        )

        states = self.visits(call_next + same + [locked])
        self.assertTrue(all(state == "called" for state, *_ in states.values()))
        self.assertEqual({vid: states[vid][1] for vid in same}, winners)
        self.assertEqual(states[locked][1], b, "called by the other agent")
        self.assertEqual([error for _r, error in forged[:4]], ["UserError"] * 4)
        self.assertTrue(all(state[2] == self.counter_id for state in states.values()))
        # the counter's series: unique, without a gap, nobody moved away
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            numbers = (
                env["crm.mall.visit"]
                .search([("counter_id", "=", self.counter_id)], order="queue_seq")
                .mapped("queue_seq")
            )
            self.assertFalse(
                env["crm.mall.visit"].search_count([("counter_id", "=", self.other_id)])
            )
        self.assertEqual(numbers, list(range(1, len(numbers) + 1)))
        self.assertEqual(len(numbers), 8 + 6 + 1 + 4)
