#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Concurrent load on a real multi-worker Odoo: check-ins, complaints, kiosk.

    python3 bench/load_test.py [--checkins 100] [--transitions 50] [--kiosk 50]
                               [--workers 2] [--threads 16]
                               [--nodes 2 [--replica]]

Creates a throw-away database with crm_mall_counter (no demo), sets it up
in-process (counter, agents with API keys and open shifts, a complaint officer,
open complaints, a kiosk with an NPS survey, visits with kiosk tokens), starts
``odoo --workers N`` on 127.0.0.1 and fires at once, from a thread pool:

* check-ins through JSON-2 ``/json/2/crm.mall.visit/checkin`` (about 30% on five
  shared phone numbers written differently, so two workers race to create the
  same visitor),
* ``action_acknowledge`` on distinct complaints through JSON-2,
* kiosk answers (GET the page for its CSRF token, POST the form), each with its
  own visit token, plus a few re-using a token, which must be refused.

Then checks the database (one partner per phone, every visit there, every
transition applied, one answer per visit token), that no request got a 5xx, counts
the retries the server logged, prints throughput and latencies, drops the database
and exits 0 when every check passes, 1 otherwise.

With ``--nodes N``, the same load then runs again, on a copy of the database
taken before any data, against N servers of ``--workers`` workers each (requests
round-robin over them; with ``--replica`` a streaming standby of the PostgreSQL
server serves their read-only cursors, see cluster.py), and the req/s of both
sides are printed side by side with their ratio.
"""

import argparse
import contextlib
import functools
import itertools
import random
import re
import statistics
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor, as_completed
from concurrent.futures import TimeoutError as FuturesTimeout
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tools"))

import crm_suite
from cluster import copy_db, odoo_nodes, standby
from harness import close_inprocess, query

AGENTS = 4
SHARED_PHONES = 5
SHARED_PREFIX = "+9891210000"  # E.164 of the shared numbers, see checkin_phones
HTTP_TIMEOUT = 90  # > Odoo's worst retry backoff (2+4+8+16 s) plus the work
FIRE_BUDGET = 240  # seconds for the whole concurrent phase
RETRY_RE = re.compile(r"tries left|maximum number of tries")


@dataclass
class Fixture:
    counter_id: int = 0
    agent_keys: list = field(default_factory=list)
    officer_key: str = ""
    complaint_ids: list = field(default_factory=list)
    device_token: str = ""
    nps_question_id: int = 0
    kiosk_visits: dict = field(default_factory=dict)  # token -> visit id
    expected_visits: dict = field(default_factory=dict)  # E.164 -> check-ins


@dataclass
class Hit:
    """One HTTP request: its kind, status, latency and what it answered."""

    kind: str
    status: int
    seconds: float
    outcome: str = ""
    key: str = ""


# ------------------------------------------------------------------- the data
def checkin_phones(count):
    """(phone as typed, E.164) pairs: ~30% on SHARED_PHONES numbers.

    The shared numbers are typed in several national/international forms (and
    Persian digits) so the race is on the *normalised* number, as at a counter.
    """
    persian = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
    forms = (
        lambda n: f"0{n}",
        lambda n: f"+98{n}",
        lambda n: f"0098{n}",
        lambda n: f"0{n}".translate(persian),
    )
    phones, shared = [], 0
    for i in range(count):
        if i % 10 < 3:
            national = f"91210000{shared % SHARED_PHONES:02d}"
            phones.append((forms[shared % len(forms)](national), f"+98{national}"))
            shared += 1
        else:
            national = f"935{i:07d}"
            phones.append((f"0{national}", f"+98{national}"))
    return phones


def create_users(env, fixture):
    """Counter agents on an open shift at the counter, and a complaint officer.

    Shift bounds are written directly (no template) so the shift is open now
    whatever the time of day the benchmark runs.
    """
    from odoo import fields

    agent_group = env.ref("crm_mall_counter.group_counter_agent")
    officer_group = env.ref("crm_iso_complaints.group_complaint_user")
    now = fields.Datetime.now()
    Keys = env["res.users.apikeys"]
    for i in range(AGENTS):
        agent = env["res.users"].create(
            {
                "name": f"Load agent {i}",
                "login": f"load_agent_{i}",
                "password": f"load-agent-{i}-pw",
                "group_ids": [(6, 0, agent_group.ids)],
            }
        )
        env["crm.mall.shift"].create(
            {
                "user_id": agent.id,
                "counter_id": fixture.counter_id,
                "date": now.date(),
                "start": now - timedelta(hours=1),
                "stop": now + timedelta(hours=6),
            }
        )
        # sudo: a key without expiry needs it; scope None = any RPC (JSON-2)
        fixture.agent_keys.append(
            Keys.with_user(agent).sudo()._generate(None, "load", None)
        )
    officer = env["res.users"].create(
        {
            "name": "Load officer",
            "login": "load_officer",
            "password": "load-officer-pw",
            "email": "officer@example.com",
            "group_ids": [(6, 0, officer_group.ids)],
        }
    )
    fixture.officer_key = Keys.with_user(officer).sudo()._generate(None, "load", None)


def create_complaints(env, fixture, count):
    """Open (received) complaints, one per transition request."""
    partners = env["res.partner"].create(
        [
            {"name": f"Complainant {i}", "email": f"complainant{i}@example.com"}
            for i in range(count)
        ]
    )
    tickets = env["helpdesk.ticket"].create(
        [
            {
                "name": f"Load complaint {i}",
                "description": "<p>Waited too long at the counter.</p>",
                "is_complaint": True,
                "partner_id": partner.id,
            }
            for i, partner in enumerate(partners)
        ]
    )
    fixture.complaint_ids = tickets.ids


def create_kiosk(env, fixture, count):
    """A kiosk at the counter, its plan and NPS survey, and visits to rate.

    Each visit has its own visitor, so concurrent answers do not all update the
    same partner's satisfaction figures (a contention a real mall does not have).
    """
    survey = env["survey.survey"].create(
        {"title": "How was your visit?", "access_mode": "public"}
    )
    question = env["survey.question"].create(
        {
            "survey_id": survey.id,
            "title": "Would you recommend us?",
            "question_type": "scale",
            "scale_min": 0,
            "scale_max": 10,
            "crm_iso_metric": "nps",
        }
    )
    env["crm.iso.measurement.plan"].create(
        {
            "name": "Load kiosk",
            "survey_ids": [(6, 0, survey.ids)],
            "channel_kiosk": True,
            "crm_mall_counter_ids": [(6, 0, [fixture.counter_id])],
            "sequence": 1,
        }
    )
    device = env["crm.mall.kiosk.device"].create(
        {"name": "Load tablet", "counter_id": fixture.counter_id}
    )
    partners = env["res.partner"].create(
        [{"name": f"Kiosk visitor {i}"} for i in range(count)]
    )
    Visit = env["crm.mall.visit"]
    with Visit._crm_iso_unlocked():  # visits as the check-in opens them
        visits = Visit.create(
            [{"counter_id": fixture.counter_id, "partner_id": p.id} for p in partners]
        )
    visits.action_kiosk_survey()
    # the token is shown once, in the wizard the button opens
    link = device.action_new_token()["context"]["default_kiosk_url"]
    fixture.device_token = link.rsplit("/", 1)[1]
    fixture.nps_question_id = question.id
    fixture.kiosk_visits = {v.kiosk_token: v.id for v in visits}


def setup_data(conf, db, args):
    """Create everything in-process as superuser and commit: the fastest path."""
    import odoo
    from odoo.modules.registry import Registry

    # warn: keep the in-process registry's INFO lines out of the report
    odoo.tools.config.parse_config(["-c", str(conf), "--log-level", "warn"])
    # importable only once the config has put the repository on the addons path
    from odoo.addons.crm_mall_counter.tools.phone import normalize_phone

    fixture = Fixture()
    with Registry(db).cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        fixture.counter_id = (
            env["crm.mall.counter"].create({"name": "Load desk", "code": "LOAD"}).id
        )
        create_users(env, fixture)
        create_complaints(env, fixture, args.transitions)
        create_kiosk(env, fixture, args.kiosk)
        cr.commit()
    # cross-check our own E.164 with the addon's normaliser
    for typed, e164 in checkin_phones(args.checkins):
        if normalize_phone(typed) != e164:
            raise crm_suite.SuiteError(f"{typed} normalises to another number")
        fixture.expected_visits[e164] = fixture.expected_visits.get(e164, 0) + 1
    return fixture


# --------------------------------------------------------------- the requests
def json2(base, key, model, method, payload, kind, tag):
    """One JSON-2 call as the API key's user."""
    start = time.perf_counter()
    try:
        res = requests.post(
            f"{base}/json/2/{model}/{method}",
            json=payload,
            headers={"Authorization": f"bearer {key}"},
            timeout=HTTP_TIMEOUT,
        )
    except requests.RequestException as exc:
        return [Hit(kind, 0, time.perf_counter() - start, repr(exc), tag)]
    seconds = time.perf_counter() - start
    outcome = res.text[:300] if res.status_code != 200 else res.text[:60]
    return [Hit(kind, res.status_code, seconds, outcome, tag)]


def kiosk_page(session, url, visit_token):
    """GET the kiosk page: (hit, CSRF token or None); the cookie stays in session."""
    start = time.perf_counter()
    try:
        page = session.get(url, params={"visit": visit_token}, timeout=HTTP_TIMEOUT)
    except requests.RequestException as exc:
        return Hit("kiosk_get", 0, time.perf_counter() - start, repr(exc)), None
    hit = Hit("kiosk_get", page.status_code, time.perf_counter() - start)
    if 'id="kiosk_already"' in page.text:
        # a token already answered is refused by the page itself, before any form
        hit.outcome, hit.key = "already", visit_token
        return hit, None
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    if page.status_code != 200 or not csrf:
        hit.outcome = "no csrf token in the page"
        return hit, None
    return hit, csrf.group(1)


def kiosk_post(session, url, form):
    """POST the answer; the redirect's Location tells thanks from refusal."""
    start = time.perf_counter()
    try:
        res = session.post(
            f"{url}/submit", data=form, allow_redirects=False, timeout=HTTP_TIMEOUT
        )
    except requests.RequestException as exc:
        return Hit("kiosk_post", 0, time.perf_counter() - start, repr(exc))
    location = res.headers.get("Location", "")
    if "thanks=1" in location:
        outcome = "thanks"
    elif "error=already" in location:
        outcome = "already"
    else:
        outcome = f"other: {location or res.text[:200]}"
    seconds = time.perf_counter() - start
    return Hit("kiosk_post", res.status_code, seconds, outcome, form["visit_token"])


def kiosk_answer(base, fixture, visit_token, score):
    """One visitor at the kiosk: GET the page, then POST the answer."""
    url = f"{base}/kiosk/{fixture.device_token}"
    with requests.Session() as session:
        hit, csrf = kiosk_page(session, url, visit_token)
        if not csrf:
            return [hit]
        form = {
            "csrf_token": csrf,
            "visit_token": visit_token,
            f"q_{fixture.nps_question_id}": str(score),
        }
        return [hit, kiosk_post(session, url, form)]


def kiosk_double_submit(base, fixture, visit_token, score):
    """Two kiosk pages for the same visit token POSTed at the same instant.

    Both pages are loaded first, then a barrier releases both POSTs together:
    the controller's "one answer per visit token" must hold under a real race.
    """
    url = f"{base}/kiosk/{fixture.device_token}"
    sessions = [requests.Session(), requests.Session()]
    barrier = threading.Barrier(2, timeout=HTTP_TIMEOUT)
    hits, forms = [], []
    for session in sessions:
        hit, csrf = kiosk_page(session, url, visit_token)
        hits.append(hit)
        forms.append(
            {
                "csrf_token": csrf or "",
                "visit_token": visit_token,
                f"q_{fixture.nps_question_id}": str(score),
            }
        )

    def post(i):
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()
        return kiosk_post(sessions[i], url, forms[i])

    with ThreadPoolExecutor(2) as pool:
        hits += list(pool.map(post, range(2)))
    for session in sessions:
        session.close()
    return hits


def checkin_tasks(node, fixture, count):
    """(shared?, task) per check-in, spread over the agents' API keys.

    ``node()`` gives the base URL of the server of each request (round-robin).
    """
    tasks = []
    for i, (typed, e164) in enumerate(checkin_phones(count)):
        payload = {
            "phone": typed,
            "name": f"Visitor {e164}",
            "counter_id": fixture.counter_id,
        }
        key = fixture.agent_keys[i % AGENTS]
        task = functools.partial(
            json2, node(), key, "crm.mall.visit", "checkin", payload, "checkin", e164
        )
        tasks.append((e164.startswith(SHARED_PREFIX), e164, task))
    return tasks


def build_phases(bases, fixture, args, rng):
    """Every request of the run, as two phases of callables, and the refusals due.

    Phase 1 starts with the shared-phone check-ins two by two on each number
    and three kiosk tokens each POSTed twice at once, so the workers really race
    on the same visitor / the same token; everything else follows, shuffled.
    Phase 2 re-uses tokens answered in phase 1: each must be refused.
    Requests go round-robin to the servers at ``bases``.
    """
    node = itertools.cycle(bases).__next__
    shared, rest, seen = [], [], {}
    for is_shared, e164, task in checkin_tasks(node, fixture, args.checkins):
        if is_shared:
            seen[e164] = seen.get(e164, 0) + 1
            shared.append(((seen[e164] - 1) // 2, e164, task))
        else:
            rest.append(task)
    # two by two on the same number: both workers take one of each pair at once
    shared.sort(key=lambda item: item[:2])
    for cid in fixture.complaint_ids:
        rest.append(
            functools.partial(
                json2,
                node(),
                fixture.officer_key,
                "helpdesk.ticket",
                "action_acknowledge",
                {"ids": [cid]},
                "transition",
                str(cid),
            )
        )
    tokens = list(fixture.kiosk_visits)
    raced = tokens[-3:] if len(tokens) >= 6 else []
    single = tokens[: len(tokens) - len(raced)]
    rest += [
        functools.partial(kiosk_answer, node(), fixture, t, rng.randint(0, 10))
        for t in single
    ]
    rng.shuffle(rest)
    racers = [
        functools.partial(kiosk_double_submit, node(), fixture, t, rng.randint(0, 10))
        for t in raced
    ]
    phase1 = [task for _, _, task in shared] + racers + rest
    reused = single[: max(3, len(single) // 10)]
    phase2 = [
        functools.partial(kiosk_answer, node(), fixture, t, rng.randint(0, 10))
        for t in reused
    ]
    return [phase1, phase2], len(raced) + len(reused)


def fire(tasks, threads, budget):
    """Run the tasks on a thread pool, bounded in time.

    Returns (hits, seconds, tasks completed).
    """
    hits, done, start = [], 0, time.perf_counter()
    pool = ThreadPoolExecutor(threads)
    futures = [pool.submit(task) for task in tasks]
    try:
        for future in as_completed(futures, timeout=budget):
            try:
                hits.extend(future.result())
            except Exception as exc:  # noqa: BLE001 a bug of ours: count it, go on
                hits.append(Hit("client_error", 0, 0.0, repr(exc)))
            done += 1
    except FuturesTimeout:
        print(f"!! a concurrent phase exceeded {budget:.0f}s: stopping it")
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    return hits, time.perf_counter() - start, done


def fire_phases(phases, threads):
    """Phase after phase, within FIRE_BUDGET in all."""
    hits, wall, done = [], 0.0, 0
    for tasks in phases:
        phase_hits, seconds, phase_done = fire(
            tasks, threads, max(FIRE_BUDGET - wall, 1)
        )
        hits += phase_hits
        wall += seconds
        done += phase_done
    return hits, wall, done


# ----------------------------------------------------------------- the checks
def check_checkins(q, fixture, hits):
    ok = [h for h in hits if h.kind == "checkin" and h.status == 200]
    dups = q(
        "SELECT crm_mall_phone, count(*) FROM res_partner "
        "WHERE crm_mall_phone IS NOT NULL GROUP BY 1 HAVING count(*) > 1",
    )
    ids = [int(i) for h in ok for i in re.findall(r"\d+", h.outcome)]
    rows = q(
        "SELECT p.crm_mall_phone, count(*) FROM crm_mall_visit v "
        "JOIN res_partner p ON p.id = v.partner_id WHERE v.id = ANY(%s) GROUP BY 1",
        (ids,),
    )
    partners = q("SELECT count(*) FROM res_partner WHERE crm_mall_phone IS NOT NULL")[
        0
    ][0]
    total = sum(fixture.expected_visits.values())
    return [
        ("no duplicate partner per normalised phone", not dups, f"duplicates: {dups}"),
        (
            "one partner per distinct phone",
            partners == len(fixture.expected_visits),
            f"{partners} partners for {len(fixture.expected_visits)} phones",
        ),
        (
            "every check-in request succeeded and its visit is stored",
            len(ok) == total == len(set(ids)) == sum(c for _, c in rows),
            (
                f"{len(ok)} ok of {total} requests, {len(set(ids))} visit ids, "
                f"{sum(c for _, c in rows)} visits in the database"
            ),
        ),
        (
            "each visit is on the partner of its phone",
            dict(rows) == fixture.expected_visits,
            "visits per phone differ from the requests"
            if dict(rows) != fixture.expected_visits
            else "",
        ),
    ]


def check_transitions(q, fixture, hits):
    ok = [h for h in hits if h.kind == "transition" and h.status == 200]
    acked = q(
        "SELECT count(*) FROM helpdesk_ticket "
        "WHERE id = ANY(%s) AND complaint_state = 'acknowledged'",
        (fixture.complaint_ids,),
    )[0][0]
    total = len(fixture.complaint_ids)
    return [
        (
            "every complaint transition applied",
            len(ok) == acked == total,
            f"{len(ok)} ok of {total} requests, {acked} acknowledged in the database",
        )
    ]


def check_kiosk(q, fixture, hits, refusals):
    posts = [h for h in hits if h.kind == "kiosk_post"]
    thanks = [h.key for h in posts if h.outcome == "thanks"]
    # a re-used token is refused by its page (GET) or, raced, by the POST
    already = [h for h in hits if h.kind.startswith("kiosk") and h.outcome == "already"]
    rows = q(
        "SELECT v.kiosk_token, count(u.id), bool_and(v.kiosk_answered) "
        "FROM crm_mall_visit v LEFT JOIN survey_user_input u "
        "ON u.crm_mall_visit_id = v.id WHERE v.id = ANY(%s) GROUP BY 1",
        (list(fixture.kiosk_visits.values()),),
    )
    wrong = [(t[:6], n) for t, n, answered in rows if n != 1 or not answered]
    total = len(fixture.kiosk_visits)
    return [
        (
            "one kiosk answer per visit token",
            not wrong and len(rows) == total,
            f"tokens with != 1 answer: {wrong}",
        ),
        (
            "each token thanked once, every re-use refused",
            sorted(thanks) == sorted(fixture.kiosk_visits) and len(already) == refusals,
            (
                f"{len(thanks)} thanks for {total} tokens, "
                f"{len(already)} refusals for {refusals} re-uses"
            ),
        ),
    ]


def check_http(hits, done, expected):
    errors = [h for h in hits if h.status >= 500 or h.status == 0]
    odd = [h for h in hits if 0 < h.status < 500 and h.status not in (200, 303)]
    sample = [(h.kind, h.status, h.outcome[:120]) for h in (errors + odd)[:5]]
    return [
        (
            "every request answered",
            done == expected and not [h for h in hits if h.status == 0],
            f"{done} tasks completed of {expected}",
        ),
        ("zero HTTP 5xx", not errors, f"{len(errors)} 5xx/failed: {sample}"),
        ("no unexpected 4xx", not odd, f"{len(odd)} unexpected: {sample}"),
    ]


def read_log(log_paths):
    """(retries, expected errors, unexpected errors) logged by the servers.

    retries: lines where retrying() (odoo.service.model) retried or gave up.
    Every failed query is logged at ERROR by odoo.sql_db ("bad query"), even
    when the caller handles it: the visitor unique-index race (turned into a
    ConcurrencyError) and serialization failures are expected under this load,
    anything else is not.
    """
    lines = [
        line
        for path in log_paths
        for line in Path(path)
        .read_text(encoding="utf-8", errors="replace")
        .splitlines()
    ]
    retries = [
        line
        for line in lines
        if "odoo.service.model:" in line and RETRY_RE.search(line)
    ]
    expected, unexpected = [], []
    for i, line in enumerate(lines):
        if " ERROR " not in line and " CRITICAL " not in line:
            continue
        detail = " ".join(lines[i : i + 3])
        race = "crm_mall_phone_uniq" in detail or "could not serialize" in detail
        is_bad_query = "odoo.sql_db: bad query" in line
        (expected if is_bad_query and race else unexpected).append(line)
    return retries, expected, unexpected


# ------------------------------------------------------------------ reporting
def server_times(log_paths):
    """Seconds Odoo itself spent per request kind (werkzeug lines of its log).

    The client latency also holds the wait for a free worker; this does not.
    """
    line_re = re.compile(
        r'"(GET|POST) (/\S*) HTTP/[\d.]+" \d+ \S+ \d+ ([\d.]+) ([\d.]+)'
    )
    times = {}
    text = "".join(
        Path(path).read_text(encoding="utf-8", errors="replace") for path in log_paths
    )
    for method, path, query_time, other_time in line_re.findall(text):
        if "crm.mall.visit/checkin" in path:
            kind = "checkin"
        elif "helpdesk.ticket/" in path:
            kind = "transition"
        elif path.startswith("/kiosk/"):
            kind = "kiosk_post" if method == "POST" else "kiosk_get"
        else:
            continue
        times.setdefault(kind, []).append(float(query_time) + float(other_time))
    return times


def percentiles(values):
    values = sorted(values)
    if not values:
        return 0.0, 0.0
    p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
    return statistics.median(values), p95


def latency_table(hits, wall, server):
    print(
        f"\n{'kind':<12}{'requests':>9}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}"
        f"{'server p50':>12}{'server p95':>12}"
    )
    for kind in ("checkin", "transition", "kiosk_get", "kiosk_post"):
        times = [h.seconds for h in hits if h.kind == kind]
        if not times:
            continue
        p50, p95 = percentiles(times)
        s50, s95 = percentiles(server.get(kind, []))
        print(
            f"{kind:<12}{len(times):>9}{len(times) / wall:>8.1f}"
            f"{p50 * 1000:>8.0f}{p95 * 1000:>8.0f}"
            f"{s50 * 1000:>12.0f}{s95 * 1000:>12.0f}"
        )
    print(f"{'all':<12}{len(hits):>9}{len(hits) / wall:>8.1f}")


def retry_kinds(retries):
    """Retries by cause: ConcurrencyError, SERIALIZATION_FAILURE, ..."""
    kinds = {}
    for line in retries:
        cause = line.split("odoo.service.model:", 1)[1].strip()
        label = cause.split("(", 1)[0].split(",", 1)[0]
        if "maximum number of tries" in line:
            label += " (gave up)"
        kinds[label] = kinds.get(label, 0) + 1
    return kinds


def report(checks, log_info, log_paths):
    retries, expected, unexpected = log_info
    print(f"\nretries logged by the server: {len(retries)} {retry_kinds(retries)}")
    print(
        f"ERROR lines in the server log: {len(expected)} expected (failed INSERT "
        f"of a racing visitor / serialization failure, then retried), "
        f"{len(unexpected)} unexpected"
    )
    for line in unexpected[:5]:
        print(f"   {line[:200]}")
    print(f"server log: {', '.join(map(str, log_paths))}\n")
    for label, passed, detail in checks:
        print(
            f"[{'PASS' if passed else 'FAIL'}] {label}"
            + ("" if passed else f": {detail}")
        )
    return all(passed for _, passed, _ in checks)


# ---------------------------------------------------------------------- main
def prepare(suite, db, args, conf_name):
    """The database's data (created in-process) and the config of its servers."""
    conf = suite.write_conf(conf_name, db, with_demo=False)
    fixture = setup_data(conf, db, args)
    close_inprocess(db)
    return conf, fixture


def run_side(suite, db, prepared, args, log_dir, nodes=1, replica_port=None):
    """The whole load against ``nodes`` servers of ``args.workers`` workers each,
    then every check. Returns (passed, HTTP requests, seconds of load)."""
    conf, fixture = prepared
    with odoo_nodes(
        suite, conf, db, nodes, args.workers, log_dir, replica_port
    ) as servers:
        bases = [base for base, _ in servers]
        logs = [log for _, log in servers]
        replica = (
            f", reads on the standby at port {replica_port}" if replica_port else ""
        )
        print(f"{nodes} server(s) of {args.workers} workers at {bases}{replica}")
        phases, refusals = build_phases(bases, fixture, args, random.Random(42))
        hits, wall, done = fire_phases(phases, args.threads)
    total = sum(map(len, phases))
    print(f"{done}/{total} tasks, {len(hits)} HTTP requests in {wall:.1f}s")
    latency_table(hits, wall, server_times(logs))
    q = functools.partial(query, suite, db)
    checks = (
        check_checkins(q, fixture, hits)
        + check_transitions(q, fixture, hits)
        + check_kiosk(q, fixture, hits, refusals)
        + check_http(hits, done, total)
    )
    log_info = read_log(logs)
    unexpected = log_info[2]
    checks.append(
        ("no unexpected ERROR in the server log", not unexpected, len(unexpected))
    )
    return report(checks, log_info, logs), len(hits), wall


def scale_table(sides):
    """req/s of each side, and the ratio of the last to the first."""
    print(f"\n{'side':<34}{'requests':>9}{'seconds':>9}{'req/s':>8}{'checks':>8}")
    for label, (passed, count, wall) in sides:
        print(
            f"{label:<34}{count:>9}{wall:>9.1f}{count / wall:>8.1f}"
            f"{'PASS' if passed else 'FAIL':>8}"
        )
    if len(sides) > 1:
        (_, (_, n1, w1)), (_, (_, n2, w2)) = sides[0], sides[-1]
        print(
            f"ratio req/s {sides[-1][0]} / {sides[0][0]}: {(n2 / w2) / (n1 / w1):.2f}x"
        )


def run(suite, dbs, args, tmp):
    """One node first; with --nodes/--replica, the same load again on a copy of
    the database made before any data, against the nodes (and the standby)."""
    started = time.monotonic()
    suite.install(dbs[0], ["crm_mall_counter"], with_demo=False, log_name=dbs[0])
    print(f"installed crm_mall_counter in {time.monotonic() - started:.0f}s")
    if len(dbs) > 1:
        copy_db(suite, dbs[0], dbs[1])
        if args.replica:  # the plumbing a database read from a replica installs
            suite.install(dbs[1], ["crm_iso_replica"], False, log_name=dbs[1])
    prepared = [prepare(suite, db, args, f"load-{db}") for db in dbs]
    print(f"data ready at {time.monotonic() - started:.0f}s")
    label = f"1 node x {args.workers} workers"
    print(f"\n==== {label}")
    sides = [(label, run_side(suite, dbs[0], prepared[0], args, Path(tmp) / "one"))]
    if len(dbs) > 1:
        label = f"{args.nodes} nodes x {args.workers} workers"
        with contextlib.ExitStack() as stack:
            replica_port = None
            if args.replica:
                node = stack.enter_context(standby(int(suite.port)))
                print(f"standby on port {node.port}: {'; '.join(node.changes)}")
                print(f"standby caught up in {node.wait_caught_up():.2f}s")
                replica_port = node.port
                label += " + standby"
            print(f"\n==== {label}")
            side = run_side(
                suite,
                dbs[1],
                prepared[1],
                args,
                Path(tmp) / "many",
                args.nodes,
                replica_port,
            )
            sides.append((label, side))
    scale_table(sides)
    return all(passed for _, (passed, _, _) in sides)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--checkins", type=int, default=100)
    parser.add_argument("--transitions", type=int, default=50)
    parser.add_argument("--kiosk", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2, help="per node")
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument(
        "--nodes", type=int, default=1, help="then run again on this many nodes"
    )
    parser.add_argument(
        "--replica",
        action="store_true",
        help="with --nodes: a streaming standby serves the read-only cursors",
    )
    args = parser.parse_args(argv)
    if args.replica and args.nodes < 2:
        parser.error("--replica goes with --nodes 2 or more")
    started = time.monotonic()
    suite = crm_suite.Suite()
    run_id = uuid.uuid4().hex[:8]
    dbs = [f"crm_iso_load_{run_id}"]
    if args.nodes > 1:
        dbs.append(f"crm_iso_load_{run_id}_nodes")
    tmp = tempfile.mkdtemp(prefix="crm_iso_load_")
    for sub in ("one", "many"):
        (Path(tmp) / sub).mkdir()
    try:
        passed = run(suite, dbs, args, tmp)
    except crm_suite.SuiteError as exc:
        print(f"load test aborted: {exc}", file=sys.stderr)
        passed = False
    finally:
        for db in dbs:
            close_inprocess(db)
            suite.drop_db(db)
            for name in (f"install-{db}", f"load-{db}"):
                (crm_suite.STATE / f"{name}.conf").unlink(missing_ok=True)
    print(f"total {time.monotonic() - started:.0f}s: {'PASS' if passed else 'FAIL'}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
