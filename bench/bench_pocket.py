#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The pocket queue live (#28): how soon a phone learns that the queue moved.

    python3 bench/bench_pocket.py -c /work/dev/h_x.conf -d h_x [--phones 100]
        [--calls 10] [--workers 2] [--poll 5]

Makes a counter with an agent on shift, a service and a queue QR code (committed,
removed at the end), starts a real ``odoo --workers N`` with its gevent/websocket
process, and takes ``--phones`` numbers through the public page (GET + POST, as a
phone does). Then two runs of ``--calls`` *Call next* by the agent over /jsonrpc,
one every 1.5 s:

- live: every phone holds a websocket on its number's channel
  (``crm_mall_ticket:<token>``); the delay is from sending Call next to the
  phone receiving the new state;
- polling: every phone asks ``/queue/ticket/<token>/state`` every ``--poll``
  seconds (random phase); the delay is from Call next to the first poll that
  shows the move.

Prints p50/p95 of both, and the server's CPU seconds (master, workers and gevent
process) per 100 phones during each run.
"""

import argparse
import json
import random
import re
import secrets
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import psutil
import requests
import websocket

from odoo import SUPERUSER_ID, api, fields
from odoo.modules.registry import Registry
from odoo.tools import config

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH), str(BENCH.parent / "tools")]

import cluster
import crm_suite

HOST = cluster.HOST
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
PASSWORD = "bench-pocket-" + secrets.token_hex(4)
#: phones opening their websocket at the same moment
CONNECTING = 16


def setup(db):
    registry = Registry(db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        suffix = secrets.token_hex(3)
        counter = env["crm.mall.counter"].create(
            {"name": f"Bench pocket {suffix}", "code": f"BP{suffix}"}
        )
        agent = env["res.users"].create(
            {
                "name": f"bench pocket {suffix}",
                "login": f"bench_pocket_{suffix}",
                "password": PASSWORD,
                "group_ids": [
                    (6, 0, env.ref("crm_mall_counter.group_counter_agent").ids)
                ],
            }
        )
        now = fields.Datetime.now()
        env["crm.mall.shift"].create(
            {
                "user_id": agent.id,
                "counter_id": counter.id,
                "date": now.date(),
                "start": now - timedelta(hours=1),
                "stop": now + timedelta(hours=3),
            }
        )
        service = env["crm.mall.queue.service"].create(
            {"name": "Bench", "code": "BQ" + "".join(random.choices("XYZW", k=1))}
        )
        entrance = env["crm.mall.queue.entrance"].create(
            {
                "name": "Bench door",
                "counter_ids": [(6, 0, counter.ids)],
                "service_ids": [(6, 0, service.ids)],
                "max_waiting": 100000,
                "limit_device": 100000,
                "limit_minute": 100000,
            }
        )
        token = entrance.action_new_qr()["url"].split("/")[2]
        return registry, {
            "counter": counter.id,
            "agent": agent.id,
            "login": agent.login,
            "service": service.id,
            "entrance": entrance.id,
            "token": token,
        }


def teardown(registry, ids):
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
        visits = env["crm.mall.visit"].search([("counter_id", "=", ids["counter"])])
        visits.unlink()
        env["crm.mall.queue.entrance"].browse(ids["entrance"]).unlink()
        env["crm.mall.shift"].search([("counter_id", "=", ids["counter"])]).unlink()
        env["crm.mall.queue.service"].browse(ids["service"]).unlink()
        env["crm.mall.counter"].browse(ids["counter"]).unlink()
        env["res.users"].browse(ids["agent"]).unlink()


def start_server(conf, db, workers, log):
    """cluster.py's ``odoo --workers N`` on free ports of 127.0.0.1, its
    websocket (gevent) process on one we know: the phones connect to it."""
    port, gevent = cluster.free_port(), cluster.free_port()
    proc = cluster.start_server(
        crm_suite.Suite(), conf, port, db, workers, log, gevent_port=gevent
    )
    base = f"http://{HOST}:{port}"
    cluster.wait_ready(proc, base, workers)
    return proc, base, f"ws://{HOST}:{gevent}/websocket?version=19.0-2"


def cpu_seconds(proc):
    total = 0.0
    for p in [psutil.Process(proc.pid), *psutil.Process(proc.pid).children(True)]:
        try:
            times = p.cpu_times()
            total += times.user + times.system
        except psutil.Error:
            pass
    return total


def take(base, token, service):
    session = requests.Session()
    page = session.get(f"{base}/queue/{token}?lang=en", timeout=60)
    response = session.post(
        f"{base}/queue/{token}/take?lang=en",
        data={"csrf_token": CSRF.search(page.text).group(1), "service": str(service)},
        allow_redirects=False,
        timeout=60,
    )
    assert response.status_code == 303, response.text[-500:]
    return response.headers["Location"].split("/queue/ticket/")[1].split("?")[0]


def agent_calls(base, db, ids, calls, call_times):
    uid = ids["agent"]
    for _i in range(calls):
        time.sleep(1.5)
        call_times.append(time.monotonic())
        response = requests.post(
            f"{base}/jsonrpc",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "params": {
                    "service": "object",
                    "method": "execute_kw",
                    "args": [
                        db,
                        uid,
                        PASSWORD,
                        "crm.mall.counter",
                        "action_call_next",
                        [[ids["counter"]]],
                    ],
                },
            },
            timeout=60,
        )
        assert "error" not in response.json(), response.text[:500]


def live_run(base, ws_url, db, ids, tokens, calls):
    received = {token: [] for token in tokens}
    sockets, ready = [], threading.Barrier(len(tokens) + 1, timeout=300)
    connecting = threading.Semaphore(CONNECTING)

    def listen(token):
        # phones open their page a few at a time: the websocket process has a
        # pool of db_maxconn connections, and each handshake takes one
        with connecting:
            ws = websocket.create_connection(ws_url, timeout=300, origin=base)
            sockets.append(ws)
            ws.send(
                json.dumps(
                    {
                        "event_name": "subscribe",
                        "data": {"channels": [f"crm_mall_ticket:{token}"], "last": 0},
                    }
                )
            )
        ready.wait()
        while True:
            try:
                message = ws.recv()
            except Exception:  # noqa: BLE001 - closed at the end
                return
            now = time.monotonic()
            for note in json.loads(message or "[]"):
                if note.get("message", {}).get("type") == "crm_mall_ticket/state":
                    received[token].append(now)

    threads = [threading.Thread(target=listen, args=(t,), daemon=True) for t in tokens]
    for thread in threads:
        thread.start()
    ready.wait()
    time.sleep(2)  # subscriptions land
    call_times = []
    agent_calls(base, db, ids, calls, call_times)
    time.sleep(3)
    for ws in sockets:
        ws.close()
    delays = []
    for times in received.values():
        for t0 in call_times:
            after = [t for t in times if t >= t0]
            if after:
                delays.append(after[0] - t0)
    expected = len(call_times) * len(tokens)
    return delays, expected


def poll_run(base, db, ids, tokens, calls, period):
    stop = threading.Event()
    seen = {token: [] for token in tokens}  # (time, state json)

    def poll(token):
        session = requests.Session()
        time.sleep(random.uniform(0, period))
        while not stop.is_set():
            body = session.get(f"{base}/queue/ticket/{token}/state", timeout=60).text
            seen[token].append((time.monotonic(), body))
            stop.wait(period)

    with ThreadPoolExecutor(len(tokens)) as pool:
        for token in tokens:
            pool.submit(poll, token)
        time.sleep(period + 1)
        call_times = []
        agent_calls(base, db, ids, calls, call_times)
        time.sleep(period + 1)
        stop.set()
    delays = []
    for samples in seen.values():
        for t0 in call_times:
            before = [body for t, body in samples if t < t0]
            after = [(t, body) for t, body in samples if t >= t0]
            if before and after and after[0][1] != before[-1]:
                delays.append(after[0][0] - t0)
    return delays


def pct(values, q):
    values = sorted(values)
    return (
        values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--phones", type=int, default=100)
    parser.add_argument("--calls", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--poll", type=float, default=5.0)
    args = parser.parse_args()
    config.parse_config(["-c", args.config, "-d", args.database])
    registry, ids = setup(args.database)
    log_path = f"/tmp/bench_pocket_{ids['counter']}.log"
    log = open(log_path, "w", encoding="utf-8")  # noqa: SIM115
    proc = None
    try:
        proc, base, ws_url = start_server(args.config, args.database, args.workers, log)
        with ThreadPoolExecutor(8) as pool:
            tokens = list(
                pool.map(
                    lambda _i: take(base, ids["token"], ids["service"]),
                    range(args.phones + args.calls * 2),
                )
            )
        # the phones follow the last numbers: every call moves them all
        followers = tokens[-args.phones :]
        cpu = cpu_seconds(proc)
        live, expected = live_run(
            base, ws_url, args.database, ids, followers, args.calls
        )
        live_cpu = cpu_seconds(proc) - cpu
        cpu = cpu_seconds(proc)
        polled = poll_run(base, args.database, ids, followers, args.calls, args.poll)
        poll_cpu = cpu_seconds(proc) - cpu
    finally:
        if proc:
            cluster.stop_server(proc)
        log.close()
        teardown(registry, ids)
    per100 = 100 / args.phones
    print(f"phones {args.phones}, calls {args.calls}, workers {args.workers}")
    print(
        f"live (bus):    {len(live)}/{expected} updates, p50 {pct(live, 0.5):.3f}s"
        f" p95 {pct(live, 0.95):.3f}s max {max(live, default=float('nan')):.3f}s,"
        f" server CPU {live_cpu * per100:.2f}s per 100 phones"
    )
    print(
        f"polling {args.poll:g}s: {len(polled)} updates, p50 {pct(polled, 0.5):.3f}s"
        f" p95 {pct(polled, 0.95):.3f}s, server CPU {poll_cpu * per100:.2f}s"
        " per 100 phones"
    )
    print(f"mean live {statistics.fmean(live or [0]):.3f}s; server log {log_path}")


if __name__ == "__main__":
    main()
