#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The event register under concurrent requests, and what it costs.

    python3 bench/bench_register.py [--transitions 120] [--threads 8]
                                    [--workers 2] [--rounds 2] [--one-company]

Creates a throw-away database with crm_iso_complaints (no demo), two companies,
a complaint manager of both with an API key, and open complaints in each. Then,
on a real ``odoo --workers N`` server on 127.0.0.1:

1. the race (what tests/test_register_concurrency.py proves): 10 registrations
   and 30 acknowledgements sent together over ``/jsonrpc`` (16 at the same
   instant, the connections a 2-worker server queues, the rest as each one is
   answered), across the two companies; the register is then checked (every
   request answered, sequences 1..n per company, each ``prev_hash`` the
   previous row's hash, no fork, the head on the last row, ``_verify`` clean);
2. the cost: ``--transitions`` acknowledgements from ``--threads`` client
   threads, once on a server with the register and once on a server started by
   ``register_off_server.py`` (the same Odoo, ``crm.iso.event._append``
   replaced in that process only), on fresh complaints each time, ``--rounds``
   times in alternation, the transitions alternating over the two companies
   (``--one-company``: all in the first, so every pair of concurrent requests
   contends for the same head). Prints transitions per second of both and the
   ratio, and the serialization retries the servers logged.

Drops the database and stops the servers even on failure; exits 1 if a check
of the race fails.
"""

import argparse
import contextlib
import json
import re
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH), str(BENCH.parent / "tools")]

import cluster
import crm_suite
from harness import complaints_db, query

HOST = cluster.HOST
HTTP_TIMEOUT = 120  # above Odoo's worst retry backoff (2+4+8+16 s) plus the work
BACKLOG_PER_WORKER = 8  # odoo/service/server.py: listen(8 * self.population)
RETRY_RE = re.compile(r"tries left|maximum number of tries")

SETUP = """
import json
Company = env["res.company"]
companies = env.ref("base.main_company") | Company.create({"name": "Register mall B"})
manager = env["res.users"].create({
    "name": "Register manager",
    "login": "register_manager",
    "password": "register-manager-pw",
    "group_ids": [(6, 0, env.ref("crm_iso_complaints.group_complaint_manager").ids)],
    "company_id": companies[0].id,
    "company_ids": [(6, 0, companies.ids)],
})
key = env["res.users.apikeys"].with_user(manager).sudo()._generate(None, "reg", None)
complaints, partners = {}, {}
for company in companies:
    partner = env["res.partner"].create({"name": f"Complainant of {company.name}"})
    partners[company.id] = partner.id
    complaints[company.id] = env["helpdesk.ticket"].with_company(company).create([
        {"name": f"Open complaint {i}", "description": "<p>Waited</p>",
         "is_complaint": True, "partner_id": partner.id, "company_id": company.id}
        for i in range(%(per_company)d)
    ]).ids
env.cr.commit()
print("RESULT:" + json.dumps({"uid": manager.id, "key": key,
    "companies": companies.ids, "partners": partners, "complaints": complaints}))
"""

VERIFY = """
import json
print("RESULT:" + json.dumps(env["crm.iso.event"]._verify()["breaks"]))
"""


# ------------------------------------------------------------------- plumbing
def shell(suite, db, conf, code):
    """Run ``code`` in ``odoo shell`` (``Suite.shell``); return the JSON it
    printed after RESULT:."""
    for line in suite.shell(db, code, conf).splitlines():
        if line.startswith("RESULT:"):
            return json.loads(line[7:])
    raise crm_suite.SuiteError(f"odoo shell on {db} printed no RESULT")


def prepare(suite, db, per_company, template=None):
    """crm_iso_complaints in ``db`` (``harness.complaints_db``), then the fixture."""
    complaints_db(suite, db, template)
    conf = suite.write_conf(f"register-{db}", db, with_demo=False)
    return conf, create_fixture(suite, db, conf, per_company)


def cleanup_confs(db):
    """The configuration files this script wrote for ``db``."""
    for conf in crm_suite.STATE.glob(f"*{db}*.conf"):
        conf.unlink(missing_ok=True)


def create_fixture(suite, db, conf, per_company):
    """The second company, the manager of both, open complaints in each."""
    fixture = shell(suite, db, conf, SETUP % {"per_company": per_company})
    fixture["complaints"] = {int(c): ids for c, ids in fixture["complaints"].items()}
    fixture["partners"] = {int(c): p for c, p in fixture["partners"].items()}
    return fixture


@contextlib.contextmanager
def server(suite, conf, db, workers, log_path, register=True):
    """A real ``odoo --workers N``, with the register or without it."""
    port = cluster.free_port()
    log = open(log_path, "w", encoding="utf-8")  # noqa: SIM115
    if register:
        proc = cluster.start_server(suite, conf, port, db, workers, log)
    else:
        cmd = [sys.executable, str(BENCH / "register_off_server.py")]
        cmd += ["-c", str(conf), "--workers", str(workers)]
        cmd += ["--http-interface", HOST, "--http-port", str(port)]
        cmd += ["--gevent-port", str(cluster.free_port()), "--max-cron-threads", "0"]
        cmd += ["--db-filter", f"^{db}$", "--log-level", "info"]
        proc = subprocess.Popen(
            cmd, env=suite.env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def stop():
        cluster.stop_server(proc)
        log.close()

    with cluster.cleanup(stop):
        base = f"http://{HOST}:{port}"
        cluster.wait_ready(proc, base, workers)
        yield base


def rpc(base, db, fixture, model, method, args):
    """One ``/jsonrpc`` execute_kw as the manager: (ok, error, seconds)."""
    companies = fixture["companies"]
    payload = {
        "jsonrpc": "2.0",
        "method": "call",
        "id": 1,
        "params": {
            "service": "object",
            "method": "execute_kw",
            "args": [db, fixture["uid"], fixture["key"], model, method, args]
            + [{"context": {"allowed_company_ids": companies}}],
        },
    }
    start = time.perf_counter()
    try:
        res = requests.post(f"{base}/jsonrpc", json=payload, timeout=HTTP_TIMEOUT)
        body = res.json()
    except (requests.RequestException, ValueError) as error:
        return False, repr(error), time.perf_counter() - start
    error = body.get("error") and body["error"]["data"].get("message")
    return res.status_code == 200 and not error, error, time.perf_counter() - start


def fire(bases, db, fixture, calls, threads):
    """Send ``calls`` [(model, method, args)] from ``threads`` threads, released
    together, round-robin over the servers ``bases``; return
    ([(ok, error, seconds)], wall seconds)."""
    barrier = threading.Barrier(min(threads, len(calls)))

    def one(numbered):
        number, call = numbered
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=30)
        return rpc(bases[number % len(bases)], db, fixture, *call)

    start = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        hits = list(pool.map(one, enumerate(calls)))
    return hits, time.perf_counter() - start


def race_calls(fixture, registrations, transitions, companies=None):
    """Registrations and acknowledgements alternating over the companies."""
    companies = companies or fixture["companies"]
    calls = []
    for i in range(registrations):
        company = companies[i % len(companies)]
        vals = {
            "name": f"Raced registration {i}",
            "description": "<p>At the same instant</p>",
            "is_complaint": True,
            "partner_id": fixture["partners"][company],
            "company_id": company,
        }
        calls.append(("helpdesk.ticket", "create", [vals]))
    for i in range(transitions):
        company = companies[i % len(companies)]
        complaint = fixture["complaints"][company].pop()
        calls.append(("helpdesk.ticket", "action_acknowledge", [[complaint]]))
    return calls


def check_register(suite, db, conf):
    """[(label, ok, value)] about the register as the database holds it."""
    checks = []
    rows = query(
        suite,
        db,
        "SELECT company_id, sequence, fork, prev_hash, hash FROM crm_iso_event "
        "ORDER BY company_id, sequence, fork, id",
    )
    heads = {
        c: (s, h)
        for c, s, h in query(
            suite, db, "SELECT company_id, sequence, hash FROM crm_iso_event_head"
        )
    }
    by_company = {}
    for company, sequence, fork, prev, hash_ in rows:
        by_company.setdefault(company, []).append((sequence, fork, prev, hash_))
    for company, chain in sorted(by_company.items()):
        sequences = [s for s, *_ in chain]
        checks.append(
            (
                f"company {company}: sequences 1..{len(chain)}, no fork",
                sequences == list(range(1, len(chain) + 1))
                and not any(f for _s, f, *_ in chain),
                f"{len(chain)} rows",
            )
        )
        links = sum(
            1
            for before, row in zip([None, *chain], chain, strict=False)
            if (row[2] or "") == (before[3] if before else "")
        )
        checks.append(
            (f"company {company}: every prev_hash link", links == len(chain), links)
        )
        checks.append(
            (
                f"company {company}: head on the last row",
                heads.get(company) == (chain[-1][0], chain[-1][3]),
                heads.get(company, (None,))[0],
            )
        )
    breaks = shell(suite, db, conf, VERIFY)
    checks.append(("integrity check (_verify) clean", breaks == [], breaks[:3]))
    return checks


def retries(log_path):
    return len(RETRY_RE.findall(Path(log_path).read_text(encoding="utf-8")))


# ------------------------------------------------------------------- the run
def race_on(suite, db, conf, fixture, bases, workers, registrations=10, transitions=30):
    """Section 1 against the running servers ``bases`` (of ``workers`` workers
    each): the checks, and the seconds the race took.

    As many requests leave at once as the servers can take: Odoo's prefork
    server listens with a backlog of 8 connections per worker
    (``odoo/service/server.py``, ``listen(8 * self.population)``); beyond it the
    kernel resets connections before Odoo reads them. The others follow as
    soon as a request is answered, so every worker always has one waiting.
    """
    calls = race_calls(fixture, registrations, transitions)
    acknowledged = [args[0][0] for _m, method, args in calls if method != "create"]
    threads = min(len(calls), BACKLOG_PER_WORKER * workers * len(bases))
    hits, seconds = fire(bases, db, fixture, calls, threads)
    failed = [error for ok, error, _s in hits if not ok]
    states = dict(
        query(
            suite,
            db,
            "SELECT complaint_state, count(*) FROM helpdesk_ticket "
            "WHERE id = ANY(%s) GROUP BY 1",
            (acknowledged,),
        )
    )
    ((registered, receipts),) = query(
        suite,
        db,
        "SELECT count(DISTINCT t.id), count(e.id) FROM helpdesk_ticket t "
        "LEFT JOIN crm_iso_event e ON e.res_model = 'helpdesk.ticket' "
        "AND e.res_id = t.id AND e.event = 'receipt' "
        "WHERE t.name LIKE 'Raced registration %%'",
    )
    checks = [
        ("no request failed", not failed, failed[:3]),
        (
            "every acknowledgement applied",
            states == {"acknowledged": transitions},
            states,
        ),
        (
            "every registration stored, one receipt each",
            (registered, receipts) == (registrations, registrations),
            (registered, receipts),
        ),
        *check_register(suite, db, conf),
    ]
    return checks, seconds


def race(suite, db, conf, fixture, workers, tmp):
    """Section 1 on a server of its own; returns (checks, figures)."""
    log_path = Path(tmp) / "race.log"
    with server(suite, conf, db, workers, log_path) as base:
        checks, seconds = race_on(suite, db, conf, fixture, [base], workers)
    figures = [
        ("race: requests", 40),
        ("race: seconds", f"{seconds:.1f}"),
        ("race: serialization retries logged", retries(log_path)),
    ]
    return checks, figures


def cost(suite, db, conf, fixture, args, tmp):
    """Section 2: transitions per second with and without the register."""
    results = {True: [], False: []}
    companies = fixture["companies"][:1] if args.one_company else None
    for round_ in range(args.rounds):
        for register in (True, False):
            calls = race_calls(fixture, 0, args.transitions, companies)
            log_path = Path(tmp) / f"cost-{round_}-{'on' if register else 'off'}.log"
            with server(suite, conf, db, args.workers, log_path, register) as base:
                hits, seconds = fire([base], db, fixture, calls, args.threads)
            failed = sum(1 for ok, _e, _s in hits if not ok)
            results[register].append((len(calls) / seconds, failed, retries(log_path)))
    return results


def report(figures, checks, results):
    print("\n== event register: the race")
    for label, value in figures:
        print(f"  {label:<44} {value}")
    for label, ok, value in checks:
        print(f"  {'PASS' if ok else 'FAIL'}  {label:<48} {value}")
    if results:
        print("\n== transitions per second (acknowledgements over /jsonrpc)")
        for register, label in ((True, "with the register"), (False, "register off")):
            for i, (rate, failed, retried) in enumerate(results[register]):
                print(
                    f"  round {i + 1} {label:<18} {rate:7.2f} /s  "
                    f"failed {failed}, retries logged {retried}"
                )
        on = sum(r for r, *_ in results[True]) / len(results[True])
        off = sum(r for r, *_ in results[False]) / len(results[False])
        print(f"  ratio with / without the register: {on / off:.3f}x")
        print(f"  cost of the register: {(1 - on / off) * 100:.1f}%")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--transitions", type=int, default=120)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument(
        "--one-company",
        action="store_true",
        help="every transition of the cost phase in one company (one head)",
    )
    args = parser.parse_args(argv)
    suite = crm_suite.Suite()
    db = f"crm_iso_bench_register_{uuid.uuid4().hex[:8]}"
    started = time.monotonic()
    # the race takes 15 of each company, each round a phase on and a phase off
    per_company = 15 + args.transitions * args.rounds * (2 if args.one_company else 1)
    try:
        with tempfile.TemporaryDirectory(prefix="crm_iso_register_") as tmp:
            conf, fixture = prepare(suite, db, per_company)
            checks, figures = race(suite, db, conf, fixture, args.workers, tmp)
            results = cost(suite, db, conf, fixture, args, tmp)
            figures.append(("total seconds", f"{time.monotonic() - started:.0f}"))
            report(figures, checks, results)
    finally:
        suite.drop_db(db)
        cleanup_confs(db)
    return 0 if all(ok for _l, ok, _v in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
