#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Two Odoo nodes on one database with a real PostgreSQL streaming standby.

    python3 bench/bench_replica.py [--checkins 100] [--transitions 50]
                                   [--kiosk 50] [--reads 150] [--ryw 100]
                                   [--workers 2] [--threads 16]
                                   [--remote-apply] [--stop-mode immediate|fast]

Builds a database with crm_mall_counter and crm_iso_replica, the replica
plumbing it measures (the data of load_test.py, plus a manager who reads the
dashboards and complaints for the read-your-writes probe), takes a streaming
standby of the PostgreSQL server (cluster.py), starts
two ``odoo --workers N --db_replica_host/--db_replica_port`` nodes and sends,
round-robin over both nodes, load_test.py's writes (check-ins, transitions,
kiosk answers) mixed with the dashboard reads of the web client
(web_search_read, web_read_group, KPI and chart entry points, the cockpit's
figures). It prints:

1. the share of the bench database's transactions and rows read served by the
   standby (pg_stat_database on each server, delta over the run), and the
   cursor Odoo used per request kind (its access log);
2. the KPI, cockpit and chart figures computed with a cursor on the primary and
   with one on the standby, once caught up: they must be identical;
3. read-your-writes: a button (call_button action_acknowledge) then, at once,
   the form's reload (web_read), as the web client does, with the same
   session: any stale state, and the cursor (access log) each reload ran on;
4. the fault: the same load again, the standby stopped (``pg_ctl stop -m
   immediate``, or ``fast``) when half of it is done: every request that
   failed, and those served again on the primary.

Then stops the nodes, removes the standby and drops the database. Exits 1 when
a check fails.
"""

import argparse
import contextlib
import copy
import functools
import itertools
import json
import random
import re
import statistics
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tools"))

import crm_suite
import load_test
from cluster import HOST, odoo_nodes, pg_connect, standby
from load_test import HTTP_TIMEOUT, Hit

MANAGER = ("load_manager", "load-manager-pw")
OFFICER = ("load_officer", "load-officer-pw")  # created by load_test.create_users
STALE_PROBES = 5  # button + reload pairs with the standby's replay paused
STATS_FLUSH = 11  # s: PostgreSQL 15 backends flush their counters within 10 s
LOG_RE = re.compile(r'"(GET|POST) (/\S*) HTTP/[\d.]+" \d+ \S+ \d+ [\d.]+ [\d.]+ (\S+)')
# server log lines of the fault phase: Odoo's fallback when opening a replica
# cursor fails, the suite's re-serve (crm_iso_replica/models/ir_http.py),
# and Odoo giving up on the first cursor of a request (odoo/http.py)
FALLBACK_LINE = "Failed to open a readonly cursor"
RESERVED_LINE = "the replica's connection was lost"
NODB_LINE = "Database or registry unusable"
COCKPIT_FIGURES = [
    "visits",
    "calls",
    "complaints_received",
    "complaints_open",
    "complaints_overdue",
    "ack_in_time_pct",
    "nps",
    "csat",
    "responses",
]


# ------------------------------------------------------------------- the data
def setup(conf, db, args):
    """load_test.py's data, then the manager, a cockpit and the extra records."""
    import odoo
    from odoo.modules.registry import Registry

    fixture = load_test.setup_data(conf, db, args)
    with Registry(db).cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        groups = (
            env.ref("crm_mall_counter.group_mall_manager")
            | env.ref("crm_iso_complaints.group_complaint_manager")
            | env.ref("crm_iso_surveys.group_survey_manager")
        )
        manager = env["res.users"].create(
            {
                "name": "Load manager",
                "login": MANAGER[0],
                "password": MANAGER[1],
                "group_ids": [(6, 0, groups.ids)],
            }
        )
        fixture.manager_id = manager.id
        # complaints for the read-your-writes probe, then the fault phase's data
        probe = copy.copy(fixture)
        load_test.create_complaints(env, probe, args.ryw)
        fixture.ryw_ids = probe.complaint_ids
        load_test.create_complaints(env, probe, STALE_PROBES)
        fixture.stale_ids = probe.complaint_ids
        fault = copy.copy(fixture)
        load_test.create_complaints(env, fault, args.transitions)
        partners = env["res.partner"].create(
            [{"name": f"Fault visitor {i}"} for i in range(args.kiosk)]
        )
        Visit = env["crm.mall.visit"]
        with Visit._crm_iso_unlocked():  # visits as the check-in opens them
            visits = Visit.create(
                [
                    {"counter_id": fixture.counter_id, "partner_id": p.id}
                    for p in partners
                ]
            )
        visits.action_kiosk_survey()
        fault.kiosk_visits = {v.kiosk_token: v.id for v in visits}
        cr.commit()
    load_test.close_inprocess(db)
    return fixture, fault


# --------------------------------------------------------------- web client
class WebClient:
    """A browser session per thread, logged in once, shared by both nodes
    (the nodes keep their sessions in the same data_dir)."""

    def __init__(self, db, login, password):
        self.db, self.login, self.password = db, login, password
        self.local = threading.local()

    def session(self, base):
        if getattr(self.local, "session", None) is None:
            session = requests.Session()
            res = session.post(
                f"{base}/web/session/authenticate",
                json={
                    "jsonrpc": "2.0",
                    "params": {
                        "db": self.db,
                        "login": self.login,
                        "password": self.password,
                    },
                },
                timeout=HTTP_TIMEOUT,
            )
            if res.status_code != 200 or "error" in res.json():
                raise crm_suite.SuiteError(f"cannot log in {self.login}: {res.text}")
            self.local.session = session
        return self.local.session

    def rpc(self, base, route, model, method, args, kwargs, kind):
        """(Hit, result): a JSON-RPC error counts as a failed request (500)."""
        start = time.perf_counter()
        try:
            res = self.session(base).post(
                f"{base}/web/dataset/{route}/{model}/{method}",
                json={
                    "jsonrpc": "2.0",
                    "params": {
                        "model": model,
                        "method": method,
                        "args": args,
                        "kwargs": kwargs,
                    },
                },
                timeout=HTTP_TIMEOUT,
            )
        except requests.RequestException as exc:
            return Hit(kind, 0, time.perf_counter() - start, repr(exc)), None
        seconds = time.perf_counter() - start
        body = res.json() if res.status_code == 200 else {}
        if "error" in body:
            message = body["error"].get("data", {}).get("message", "")
            return Hit(kind, 500, seconds, f"rpc error: {message}"[:300]), None
        return Hit(kind, res.status_code, seconds, res.text[:60]), body.get("result")

    def call_kw(self, base, model, method, args, kwargs, kind):
        return self.rpc(base, "call_kw", model, method, args, kwargs, kind)


# --------------------------------------------------------------- the requests
def dashboard_tasks(node, fixture, manager, count):
    """The reads of the web client and of the dashboards, ``count`` in all."""
    from_date, to_date = "2026-01-01", "2026-12-31"
    charts = ["complaints_trend", "satisfaction_trend", "counters", "waiting_time"]
    reads = [
        (
            "complaint_list",
            "helpdesk.ticket",
            "web_search_read",
            [],
            {
                "domain": [["is_complaint", "=", True]],
                "specification": {
                    "name": {},
                    "complaint_state": {},
                    "partner_id": {"fields": {"display_name": {}}},
                },
                "limit": 80,
                "count_limit": 10001,
            },
        ),
        (
            "visits_grouped",
            "crm.mall.visit",
            "web_read_group",
            [],
            {
                "domain": [],
                "groupby": ["counter_id"],
                "aggregates": ["__count"],
            },
        ),
        (
            "complaint_kpis",
            "crm.iso.complaint.report",
            "get_kpis",
            [],
            {"groupby": "team_id"},
        ),
        ("satisfaction_kpis", "crm.iso.satisfaction.report", "get_kpis", [], {}),
        ("charts", "crm.iso.chart", "get_charts", [charts, from_date, to_date], {}),
        (
            # opening the cockpit: the form's onchange on a new record
            "cockpit",
            "crm.mall.cockpit",
            "onchange",
            [[], {}, [], {name: {} for name in ["period", *COCKPIT_FIGURES]}],
            {},
        ),
    ]

    def read(base, kind, model, method, args, kwargs):
        return [manager.call_kw(base, model, method, args, kwargs, kind)[0]]

    return [
        functools.partial(read, node(), *reads[i % len(reads)]) for i in range(count)
    ]


def ryw_task(base, officer, complaint_id, results):
    """The form's button, then its reload, as the web client does it."""
    hit, __ = officer.rpc(
        base,
        "call_button",
        "helpdesk.ticket",
        "action_acknowledge",
        [[complaint_id]],
        {"context": {}},
        "ryw_button",
    )
    reload, rows = officer.call_kw(
        base,
        "helpdesk.ticket",
        "web_read",
        [[complaint_id]],
        {"specification": {"complaint_state": {}}},
        "ryw_reload",
    )
    if hit.status == 200 and reload.status == 200:
        results.append(rows[0]["complaint_state"] if rows else None)
    return [hit, reload]


def stale_probe(node, base, officer, complaint_ids):
    """Button + reload with the standby's replay paused (a lag made on purpose):
    the states the reloads showed, then replay resumed."""
    conn = pg_connect(node.port)
    states = []
    try:
        with conn.cursor() as cr:
            cr.execute("SELECT pg_wal_replay_pause()")
        for cid in complaint_ids:
            ryw_task(base, officer, cid, states)
    finally:
        with conn.cursor() as cr:
            cr.execute("SELECT pg_wal_replay_resume()")
        conn.close()
    return states


def mixed_phases(bases, fixture, args, clients, ryw=None):
    """load_test.py's phases with the dashboard reads (and the probe) mixed in."""
    rng = random.Random(17)
    phases, refusals = load_test.build_phases(bases, fixture, args, rng)
    node = itertools.cycle(bases).__next__
    extra = dashboard_tasks(node, fixture, clients["manager"], args.reads)
    if ryw is not None:
        extra += [
            functools.partial(ryw_task, node(), clients["officer"], cid, ryw)
            for cid in fixture.ryw_ids
        ]
    # interleaved at random, each list in its order: load_test's racing pairs
    # stay at the start of the phase
    picks = [0] * len(phases[0]) + [1] * len(extra)
    rng.shuffle(picks)
    sources = [iter(phases[0]), iter(extra)]
    phases[0] = [next(sources[pick]) for pick in picks]
    return phases, refusals


# ------------------------------------------------------------ measurements
def db_counters(port, db):
    """Transactions and rows read of ``db`` on the server at ``port``."""
    conn = pg_connect(port)
    try:
        with conn.cursor() as cr:
            cr.execute(
                "SELECT xact_commit + xact_rollback, tup_returned + tup_fetched "
                "FROM pg_stat_database WHERE datname = %s",
                (db,),
            )
            return cr.fetchone()
    finally:
        conn.close()


def log_offsets(logs):
    return [Path(log).stat().st_size for log in logs]


def log_since(log, offset):
    """What the server wrote to ``log`` after ``offset`` bytes."""
    return Path(log).read_bytes()[offset:].decode("utf-8", errors="replace")


def logged(text, message):
    """Warnings of ``text`` that carry ``message`` (not their tracebacks)."""
    return sum(" WARNING " in line and message in line for line in text.splitlines())


def cursor_modes(logs, offsets):
    """{request kind: {cursor mode: count}} from the access log lines written
    after ``offsets``: 'ro' is the standby."""
    modes = {}
    for log, offset in zip(logs, offsets, strict=True):
        for method, path, mode in LOG_RE.findall(log_since(log, offset)):
            if path.startswith("/web/dataset/"):
                kind = path.split("/")[-1]
            elif path.startswith("/json/2/"):
                kind = path.split("/", 3)[3]
            elif path.startswith("/kiosk/"):
                kind = "kiosk " + method
            else:
                kind = path
            modes.setdefault(kind, {}).setdefault(mode, 0)
            modes[kind][mode] += 1
    return modes


def reload_modes(modes):
    """The cursor modes of the form reloads: the only web_read of the load
    (logged as ``web_read`` or ``web_read#helpdesk.ticket.web_read``)."""
    row = {}
    for kind, counts in modes.items():
        if kind.split("#")[0] == "web_read":
            for mode, count in counts.items():
                row[mode] = row.get(mode, 0) + count
    return row


def reload_cursors(row):
    """'rw 100, ro 0' from a row of cursor_modes (rw is the primary)."""
    return ", ".join(f"{mode} {row.get(mode, 0)}" for mode in ("rw", "ro", "ro->rw"))


def print_modes(modes):
    print(f"\n{'request':<44}{'standby (ro)':>13}{'primary (rw)':>13}{'ro->rw':>8}")
    for kind in sorted(modes):
        row = modes[kind]
        print(
            f"{kind:<44}{row.get('ro', 0):>13}{row.get('rw', 0):>13}"
            f"{row.get('ro->rw', 0):>8}"
        )


def figures(env):
    """Every dashboard figure the standby must give exactly as the primary."""
    Chart = env["crm.iso.chart"]
    cockpit = env["crm.mall.cockpit"].new({"period": "month"})
    env.cr.execute("SELECT pg_is_in_recovery()")
    return env.cr.fetchone()[0], {
        "complaint_kpis": env["crm.iso.complaint.report"].get_kpis(groupby="team_id"),
        "satisfaction_kpis": env["crm.iso.satisfaction.report"].get_kpis(),
        "cockpit": {name: cockpit[name] for name in COCKPIT_FIGURES},
        "charts": Chart.get_charts(
            env["crm.mall.cockpit"]._cockpit_charts(), *Chart._chart_default_period()
        ),
    }


def compare_figures(conf, db, replica_port, manager_id):
    """(equal, in recovery on each side, size) of the figures computed with a
    read-write cursor (primary) and a read-only one (standby), in-process."""
    import odoo
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(
        ["-c", str(conf), "--log-level", "warn"]
        + ["--db_replica_host", HOST, "--db_replica_port", str(replica_port)]
    )
    registry = Registry(db)
    try:
        seen = []
        for readonly in (False, True):
            with registry.cursor(readonly=readonly) as cr:
                env = odoo.api.Environment(cr, manager_id, {})
                seen.append(figures(env))
    finally:
        load_test.close_inprocess(db)
    (rec_p, fig_p), (rec_s, fig_s) = seen
    text_p = json.dumps(fig_p, sort_keys=True, default=str)
    text_s = json.dumps(fig_s, sort_keys=True, default=str)
    return text_p == text_s, (rec_p, rec_s), len(text_p), fig_p


def kill_midway(tasks, node, mode):
    """Tasks that stop the standby once half of them are done.

    Returns (tasks, state): state["killed_at"] is set when the kill returns.
    """
    half, done, lock = len(tasks) // 2, itertools.count(1), threading.Lock()
    state = {}

    def kill():
        state["started_at"] = time.monotonic()
        node.kill(mode)
        state["killed_at"] = time.monotonic()

    def wrap(task):
        def run():
            try:
                hits = task()
                return [(time.monotonic(), hit) for hit in hits]
            finally:
                with lock:
                    if next(done) == half:
                        threading.Thread(target=kill).start()

        return run

    return [wrap(task) for task in tasks], state


# ----------------------------------------------------------------------- main
def run_phase(phases, threads):
    hits, wall, done = load_test.fire_phases(phases, threads)
    return hits, wall, done, sum(map(len, phases))


def checks_of(suite, db, fixture, hits, refusals, done, total):
    q = functools.partial(load_test.query, suite, db)
    return (
        load_test.check_checkins(q, fixture, hits)
        + load_test.check_transitions(q, fixture, hits)
        + load_test.check_kiosk(q, fixture, hits, refusals)
        + load_test.check_http(hits, done, total)
    )


def share_phase(suite, db, node, servers, fixture, args, clients):
    """The mixed load with the standby up: shares, stale reads, checks."""
    bases = [base for base, _ in servers]
    logs = [log for _, log in servers]
    ryw = []
    phases, refusals = mixed_phases(bases, fixture, args, clients, ryw)
    time.sleep(STATS_FLUSH)  # the warm-up's counters are flushed before "before"
    before = [db_counters(port, db) for port in (suite.port, node.port)]
    offsets = log_offsets(logs)
    lags = []
    sampling = threading.Event()

    def sample():
        while not sampling.wait(0.2):
            lags.append(node.replay_lag())

    with ThreadPoolExecutor(1) as pool:
        pool.submit(sample)
        hits, wall, done, total = run_phase(phases, args.threads)
        sampling.set()
    time.sleep(STATS_FLUSH)
    after = [db_counters(port, db) for port in (suite.port, node.port)]
    (px, pr), (sx, sr) = [
        tuple(a - b for a, b in zip(aft, bef, strict=True))
        for aft, bef in zip(after, before, strict=True)
    ]
    print(f"\n{done}/{total} tasks, {len(hits)} HTTP requests in {wall:.1f}s")
    print(f"\n{'bench database':<24}{'primary':>12}{'standby':>12}{'standby %':>11}")
    print(f"{'transactions':<24}{px:>12}{sx:>12}{100 * sx / max(px + sx, 1):>10.1f}%")
    print(f"{'rows read':<24}{pr:>12}{sr:>12}{100 * sr / max(pr + sr, 1):>10.1f}%")
    modes = cursor_modes(logs, offsets)
    print_modes(modes)
    times = [lag for lag in lags if lag is not None]
    print(
        f"replay lag (pg_stat_replication.replay_lag) sampled every 0.2 s: "
        f"{len(times)} samples while WAL flowed, median "
        f"{statistics.median(times) if times else 0:.1f} ms, max "
        f"{max(times, default=0):.1f} ms"
    )
    stale = [state for state in ryw if state != "acknowledged"]
    reloads = reload_modes(modes)
    print(
        f"read-your-writes: {len(ryw)} button + reload pairs, "
        f"{len(stale)} reload(s) showed the state before the button: {stale[:5]}; "
        f"the reloads ran on {reload_cursors(reloads)}"
    )
    paused, paused_reloads = [], {}
    if args.remote_apply:
        print("replay not paused: with remote_apply the button would wait for it")
    else:
        offsets = log_offsets(logs)
        paused = stale_probe(node, bases[0], clients["officer"], fixture.stale_ids)
        paused_reloads = reload_modes(cursor_modes(logs, offsets))
        print(
            f"same with the standby's replay paused (pg_wal_replay_pause): "
            f"{len(paused)} pairs, the reload showed {paused}, "
            f"ran on {reload_cursors(paused_reloads)}"
        )
    checks = checks_of(suite, db, fixture, hits, refusals, done, total)
    checks += [
        ("the standby served reads", sx > 0, f"{sx} transactions"),
        (
            "every form reload after the button shows the new state",
            not stale and len(ryw) == len(fixture.ryw_ids),
            f"{len(stale)} stale of {len(ryw)}",
        ),
        (
            "with replay paused too",
            all(state == "acknowledged" for state in paused),
            paused,
        ),
        (
            "every reload ran on the primary (rw): the session's stamp",
            reloads == {"rw": len(fixture.ryw_ids)}
            and paused_reloads == ({} if args.remote_apply else {"rw": STALE_PROBES}),
            (reloads, paused_reloads),
        ),
    ]
    return checks


def fault_phase(suite, db, node, servers, fault, args, clients):
    """The same load; the standby dies halfway: which requests fail?"""
    bases = [base for base, _ in servers]
    logs = [log for _, log in servers]
    phases, refusals = mixed_phases(bases, fault, args, clients)
    offsets = log_offsets(logs)
    wrapped, state = kill_midway(phases[0], node, args.stop_mode)
    hits_at, wall, done, total = run_phase([wrapped, phases[1]], args.threads)
    hits = [h if isinstance(h, Hit) else h[1] for h in hits_at]
    killed = state.get("started_at", float("inf"))
    timed = [h for h in hits_at if not isinstance(h, Hit)]
    late = [h for ended, h in timed if ended >= killed]
    answered = timed + [(None, h) for h in hits_at if isinstance(h, Hit)]
    failed = [
        (None if ended is None else ended - killed, h)
        for ended, h in answered
        if h.status not in (200, 303)
    ]
    print(f"\n{done}/{total} tasks, {len(hits)} HTTP requests in {wall:.1f}s")
    print(
        f"standby stopped (-m {args.stop_mode}) after {len(phases[0]) // 2} tasks, in "
        f"{state.get('killed_at', killed) - killed:.2f}s; {len(late)} requests "
        f"answered after that"
    )
    print(f"failed requests: {len(failed)} (answered at, s from the kill)")
    for delta, h in failed[:8]:
        when = "?" if delta is None else f"{delta:+.2f}"
        print(f"   {when} {h.kind} {h.status} {h.outcome[:160]}")
    texts = [log_since(log, offset) for log, offset in zip(logs, offsets, strict=True)]
    for label, line in (
        ("'Failed to open a readonly cursor, falling back' logged", FALLBACK_LINE),
        ("served again on the primary after losing the replica", RESERVED_LINE),
        ("first cursor unusable (RegistryError, served without database)", NODB_LINE),
    ):
        print(f"{label}: {sum(logged(text, line) for text in texts)}")
    print_modes(cursor_modes(logs, offsets))
    return checks_of(suite, db, fault, hits, refusals, done, total) + [
        ("the standby was stopped during the load", "killed_at" in state, "")
    ]


def run(suite, db, args, tmp):
    started = time.monotonic()
    addons = ["crm_mall_counter", "crm_iso_replica"]
    suite.install(db, addons, with_demo=False, log_name=db)
    print(f"installed {', '.join(addons)} in {time.monotonic() - started:.0f}s")
    conf = suite.write_conf(f"load-{db}", db, with_demo=False)
    fixture, fault = setup(conf, db, args)
    print(f"data ready at {time.monotonic() - started:.0f}s")
    clients = {
        "manager": WebClient(db, *MANAGER),
        "officer": WebClient(db, *OFFICER),
    }
    checks = []
    with contextlib.ExitStack() as stack:
        node = stack.enter_context(standby(int(suite.port)))
        print(f"standby on 127.0.0.1:{node.port}; primary: {'; '.join(node.changes)}")
        print(f"standby caught up in {node.wait_caught_up():.2f}s")
        # left before the fault: a synchronous standby that dies blocks commits
        sync = stack.enter_context(contextlib.ExitStack())
        if args.remote_apply:
            sync.enter_context(node.synchronous(db))
            print(f"primary: {node.changes[-1]}")
        servers = stack.enter_context(
            odoo_nodes(suite, conf, db, 2, args.workers, tmp, node.port)
        )
        print(f"2 nodes x {args.workers} workers: {[b for b, _ in servers]}")
        print("\n==== 1. mixed load, standby up")
        checks += share_phase(suite, db, node, servers, fixture, args, clients)
        print("\n==== 2. KPI figures, primary vs standby")
        print(f"standby caught up in {node.wait_caught_up():.2f}s")
        same, recovery, size, sample = compare_figures(
            conf, db, node.port, fixture.manager_id
        )
        print(
            f"pg_is_in_recovery() primary/standby cursor: {recovery}; "
            f"{size} bytes of JSON; identical: {same}"
        )
        print(f"e.g. cockpit: {sample['cockpit']}")
        checks += [
            (
                "the read-only cursor is on the standby",
                recovery == (False, True),
                recovery,
            ),
            ("KPI, cockpit and chart figures identical", same, ""),
        ]
        sync.close()
        print("\n==== 3. fault: the standby stopped halfway through the load")
        checks += fault_phase(suite, db, node, servers, fault, args, clients)
    print(f"\nprimary restored: {'; '.join(node.changes[1:])}")
    print(f"standby directory removed: {node.tmp is None}\n")
    for label, passed, detail in checks:
        print(
            f"[{'PASS' if passed else 'FAIL'}] {label}"
            + ("" if passed else f": {detail}")
        )
    return all(passed for _, passed, _ in checks)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--checkins", type=int, default=100)
    parser.add_argument("--transitions", type=int, default=50)
    parser.add_argument("--kiosk", type=int, default=50)
    parser.add_argument("--reads", type=int, default=150, help="dashboard reads")
    parser.add_argument("--ryw", type=int, default=100, help="button + reload pairs")
    parser.add_argument("--workers", type=int, default=2, help="per node")
    parser.add_argument(
        "--remote-apply",
        action="store_true",
        help="the bench database's commits wait until the standby applied them "
        "(phases 1 and 2)",
    )
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument(
        "--stop-mode",
        choices=["immediate", "fast"],
        default="immediate",
        help="how the fault phase stops the standby (pg_ctl stop -m)",
    )
    args = parser.parse_args(argv)
    started = time.monotonic()
    suite = crm_suite.Suite()
    db = f"crm_iso_replica_{uuid.uuid4().hex[:8]}"
    tmp = tempfile.mkdtemp(prefix="crm_iso_replica_")
    try:
        passed = run(suite, db, args, tmp)
    except crm_suite.SuiteError as exc:
        print(f"replica bench aborted: {exc}", file=sys.stderr)
        passed = False
    finally:
        load_test.close_inprocess(db)
        suite.drop_db(db)
        for name in (f"install-{db}", f"load-{db}"):
            (crm_suite.STATE / f"{name}.conf").unlink(missing_ok=True)
    print(f"server logs: {tmp}")
    print(f"total {time.monotonic() - started:.0f}s: {'PASS' if passed else 'FAIL'}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
