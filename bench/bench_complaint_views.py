#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the web client asks when a complaints manager opens the complaint views.

    python3 bench/bench_complaint_views.py [--complaints 200000] [--runs 5] [--quick]

Creates a throw-away database with crm_iso_complaints (no demo data), clones
N complaints by SQL (12 months of receipts over 4 teams, 10 categories, 12
handlers and 2,000 complainants; recent ones spread over the open states, older
ones mostly closed, some left behind and overdue; one open complaint in eight
with an activity), then VACUUM ANALYZE. It replays, as a user of the Complaint
Manager group, the RPCs the Odoo 19 web client sent when such a user opened
the Complaints menu (list), switched to the kanban, and opened the Overdue
menu: ``complaint_view_calls.json`` holds them word for word (less ``uid`` and
``allowed_company_ids``), captured once from a real browser (an ``HttpCase``'s
``browser_js`` with web's ``call_kw`` wrapped to log each call; the kanban's
page of 40 cards per column set by hand since, from its view; the list pager's
``search_count`` added by hand). Each call goes through
``odoo.service.model.call_kw`` (what ``/web/dataset/call_kw`` runs) with the
record cache cleared; the median of ``--runs`` runs and the query count are
printed, with the EXPLAIN (ANALYZE, BUFFERS) of the call's slowest SQL
statement as the ORM sent it.

Baseline, same run and same data: the indexes the addon declares for these
views are dropped, the calls measured again, and the indexes re-created.
Prints ratios ours / baseline; drops the database.
"""

import argparse
import json
import re
import statistics
import time
from pathlib import Path

from bench_complaints import setup_ours, ticket_vals
from harness import (
    bench_env,
    captured_queries,
    clone_rows,
    explain,
    run_outside_transaction,
)

from odoo import fields
from odoo.service.model import call_kw
from odoo.tests import new_test_user
from odoo.tools import SQL

CALLS = Path(__file__).with_name("complaint_view_calls.json")
MANAGER = "base.group_user,crm_iso_complaints.group_complaint_manager"
# the indexes crm_iso_complaints declares for these views (models.Index names)
VIEW_INDEXES = (
    "helpdesk_ticket_complaint_open_order_idx",
    "helpdesk_ticket_complaint_open_stage_idx",
)
TARGET = 0.3
TEAMS, CATEGORIES, HANDLERS, PARTNERS = 4, 10, 12, 2000
OPEN_STATES = ("received", "acknowledged", "assessed", "investigation", "response")


def log(msg):
    print(f"[bench] {msg}", flush=True)


# ------------------------------------------------------------------ data
def make_fixture(env):
    """bench_complaints' policy, category and team, plus the people and teams
    the complaints are spread over."""
    fixture = setup_ours(env)
    env["helpdesk.ticket.category"].create(
        [
            {"name": f"Bench {k}", "parent_id": fixture["parent"].id}
            for k in range(len(fixture["categories"]), CATEGORIES)
        ]
    )
    fixture["categories"] = env["helpdesk.ticket.category"].search(
        [("parent_id", "=", fixture["parent"].id)]
    )
    handlers = [
        new_test_user(
            env, f"handler{k}", groups="crm_iso_complaints.group_complaint_user"
        )
        for k in range(HANDLERS)
    ]
    fixture["users"] = handlers
    fixture["teams"] = fixture["team"] | env["helpdesk.ticket.team"].create(
        [
            {"name": f"Bench team {k}", "user_ids": [(6, 0, [u.id for u in handlers])]}
            for k in range(1, TEAMS)
        ]
    )
    fixture["partners"] = env["res.partner"].create(
        [
            {"name": f"Complainant {k}", "email": f"c{k}@example.com"}
            for k in range(PARTNERS)
        ]
    )
    fixture["channels"] = env["helpdesk.ticket.channel"].search([])
    fixture["manager"] = new_test_user(env, "complaints_manager", groups=MANAGER)
    return fixture


def pick(records, key):
    """SQL: the id at position ``key`` (modulo) of ``records``."""
    ids = records.ids if hasattr(records, "ids") else [r.id for r in records]
    return SQL("(%s::int[])[1 + mod(%s, %s)]", ids, key, len(ids))


def complaint_overrides(env, fixture, now):
    """Columns of clone ``i`` (``s.age`` hours old, ``s.state``)."""
    stage = env["helpdesk.ticket.stage"]._complaint_stage
    stage_of = SQL(
        "CASE s.state %s END",
        SQL(" ").join(
            SQL("WHEN %s THEN %s", state, stage(state).id)
            for state in (*OPEN_STATES, "closed", "rejected")
        ),
    )
    received = SQL("%s::timestamp - s.age * interval '1 hour'", now)
    is_open = SQL("s.state NOT IN ('closed', 'rejected')")
    return {
        "number": SQL("'BENCH-' || i"),
        "name": SQL("'Bench complaint ' || i"),
        "complaint_ref": SQL("'BENCH/' || i"),
        "priority": SQL("mod(i, 4)::text"),
        "category_id": pick(fixture["categories"], SQL("i")),
        "team_id": pick(fixture["teams"], SQL("i / 7")),
        "user_id": pick(fixture["users"], SQL("i / 3")),
        "partner_id": pick(fixture["partners"], SQL("i * 31")),
        "channel_id": pick(fixture["channels"], SQL("i / 11")),
        "complaint_state": SQL("s.state"),
        "stage_id": stage_of,
        "complaint_received_date": received,
        "create_date": received,
        "write_date": received,
        "last_stage_update": received,
        "complaint_acknowledged_date": SQL(
            "CASE WHEN s.state <> 'received' THEN %s + interval '5 hours' END",
            received,
        ),
        "complaint_ack_warn_date": SQL("%s + interval '18 hours'", received),
        "complaint_ack_deadline": SQL("%s + interval '1 day'", received),
        "complaint_resolve_warn_date": SQL("%s + interval '15 days'", received),
        "complaint_resolve_deadline": SQL("%s + interval '20 days'", received),
        "complaint_next_escalation_date": SQL(
            "CASE WHEN %s THEN %s + interval '20 days' END", is_open, received
        ),
        "complaint_first_response_deadline": SQL("NULL"),
        "complaint_update_deadline": SQL("NULL"),
        "complaint_closed_date": SQL(
            "CASE WHEN s.state = 'closed' THEN %s + interval '12 days' END", received
        ),
        "complaint_resolve_on_time": SQL("mod(i, 10) < 8"),
        "closed_date": SQL(
            "CASE WHEN NOT %s THEN %s + interval '12 days' END", is_open, received
        ),
    }


def generate(env, fixture, count, now):
    """``count`` complaints (and their template): within 30 days spread over the
    open states, older ones closed (1 in 20 rejected) except 1 in 100 left
    behind, overdue."""
    template = env["helpdesk.ticket"].create(ticket_vals(fixture, 1))
    env.flush_all()
    state = SQL(
        "CASE WHEN a.age < 30 * 24 THEN (%s::varchar[])[1 + mod(i, %s)] "
        "WHEN mod(i, 100) = 0 THEN 'investigation' "
        "WHEN mod(i, 20) = 1 THEN 'rejected' ELSE 'closed' END",
        list(OPEN_STATES),
        len(OPEN_STATES),
    )
    source = SQL(
        "helpdesk_ticket t, generate_series(1, %s) i, "
        "LATERAL (SELECT mod(i * 7919, 365 * 24) AS age) a, "
        "LATERAL (SELECT a.age, %s AS state) s WHERE t.id = %s",
        count,
        state,
        template.id,
    )
    clone_rows(env, "helpdesk_ticket", source, complaint_overrides(env, fixture, now))
    generate_activities(env, fixture, now)


def generate_activities(env, fixture, now):
    """A to-do on one open complaint in eight, due from 3 days ago to 3 days on."""
    ticket = env["helpdesk.ticket"].search([("number", "=", "BENCH-1")])
    activity = ticket.activity_schedule(
        "mail.mail_activity_data_todo", user_id=fixture["users"][0].id
    )
    env.flush_all()
    source = SQL(
        "mail_activity t JOIN helpdesk_ticket k ON k.number LIKE 'BENCH-%%' "
        "AND k.complaint_state NOT IN ('closed', 'rejected') AND mod(k.id, 8) = 0 "
        "WHERE t.id = %s",
        activity.id,
    )
    clone_rows(
        env,
        "mail_activity",
        source,
        {
            "res_id": SQL("k.id"),
            "user_id": SQL("k.user_id"),
            "date_deadline": SQL("%s::date + (mod(k.id, 7) - 3)", now),
        },
    )
    activity.unlink()


def population(env):
    Ticket = env["helpdesk.ticket"]
    return {
        "complaints": Ticket.search_count([("is_complaint", "=", True)]),
        "being handled": Ticket.search_count(
            [("complaint_state", "not in", ("closed", "rejected"))]
        ),
        "overdue": Ticket.search_count([("complaint_is_overdue", "=", True)]),
        "activities": env["mail.activity"].search_count([]),
    }


# ------------------------------------------------------------- the calls
def load_calls(env, manager):
    """The captured RPCs, their context set to the bench's user and company."""
    calls = json.loads(CALLS.read_text())
    for call in calls:
        context = call["kwargs"].get("context", {})
        context.update(uid=manager.id, allowed_company_ids=[manager.company_id.id])
    return calls


def run_call(env, manager, call):
    model = env(user=manager)[call["model"]]
    return call_kw(model, call["method"], call["args"], dict(call["kwargs"]))


def timed(env, manager, call):
    env.invalidate_all()
    env.flush_all()
    queries = env.cr.sql_log_count
    start = time.perf_counter()
    run_call(env, manager, call)
    return time.perf_counter() - start, env.cr.sql_log_count - queries


def scans(plan):
    """How a plan reads helpdesk_ticket: its scan nodes on that table."""
    found = (
        re.search(r"(Seq Scan|Index Only Scan|Index Scan|Bitmap Index Scan) .*", line)
        for line in plan
        if "helpdesk_ticket" in line and "Scan" in line
    )
    return sorted({m.group(0).split("  (")[0] for m in found if m})


def explained(env, manager, call):
    """EXPLAIN ANALYZE every SELECT of one run of ``call``: the slowest one's
    (ms, SQL, plan), and how each statement reads the complaints."""
    env.invalidate_all()
    with captured_queries() as queries:
        run_call(env, manager, call)
    plans = []
    for query, params in queries:
        if not re.match(r"\s*(SELECT|WITH)\b", query, re.IGNORECASE):
            continue
        plan = explain(env, query, params, analyze=True)
        ms = float(re.search(r"Execution Time: ([\d.]+)", plan[-1]).group(1))
        plans.append((ms, env.cr.mogrify(query, params).decode(), plan))
    reads = [f"{ms:.1f} ms: {' + '.join(scans(plan))}" for ms, _s, plan in plans]
    return max(plans, key=lambda p: p[0]), [r for r in reads if not r.endswith(": ")]


def measure_calls(env, manager, calls, runs, label):
    results = {}
    for call in calls:
        # a first run fills the registry's caches (views, rules, translations),
        # as they are in a running server; then the record cache is emptied
        run_call(env, manager, call)
        samples = [timed(env, manager, call) for _ in range(runs)]
        seconds = statistics.median(s for s, _q in samples)
        queries = max(q for _s, q in samples)
        results[call["label"]] = (seconds, queries, *explained(env, manager, call))
        log(f"{label}: {call['label']}: {seconds:.4f} s, {queries} queries")
    return results


# ------------------------------------------------------------- indexes
def view_indexes(env):
    env.cr.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE indexname = ANY(%s)",
        [list(VIEW_INDEXES)],
    )
    found = dict(env.cr.fetchall())
    missing = set(VIEW_INDEXES) - set(found)
    assert not missing, f"indexes not created by the addon: {missing}"
    return found


def drop_indexes(env, indexes):
    env.cr.commit()
    run_outside_transaction(env.cr.dbname, *(f"DROP INDEX {name}" for name in indexes))


def create_indexes(env, indexes):
    env.cr.commit()
    run_outside_transaction(env.cr.dbname, *indexes.values(), "ANALYZE helpdesk_ticket")


# ------------------------------------------------------------------ output
def trimmed(plan):
    """The lines of a plan that say how rows are found, sorted and counted."""
    keep = (
        "Scan",
        "Sort",
        "Limit",
        "Aggregate",
        "Join",
        "Loop",
        "Execution",
        "Index Cond",
    )
    return [line for line in plan if any(k in line for k in keep)][:14]


def print_results(population_, ours, base, calls):
    print("\n== data: " + ", ".join(f"{k} {v:,}" for k, v in population_.items()))
    print(
        f"\n  {'call':<52} {'ours s':>8} {'q':>4} {'base s':>8} {'q':>4} "
        f"{'time x':>7} {'< 0.3 s':>7}"
    )
    for call in calls:
        label = call["label"]
        s_o, q_o = ours[label][:2]
        s_b, q_b = base[label][:2]
        ok = "yes" if s_o < TARGET else "NO"
        print(
            f"  {label:<52} {s_o:8.4f} {q_o:4d} {s_b:8.4f} {q_b:4d} "
            f"{s_o / s_b:7.3f} {ok:>7}"
        )
    for title, results in (("with the indexes", ours), ("baseline", base)):
        print(f"\n== slowest SQL of each call, {title}: EXPLAIN (ANALYZE, BUFFERS)")
        for call in calls:
            (ms, sql, plan), reads = results[call["label"]][2:]
            print(f"\n  -- {call['label']}: {ms:.1f} ms\n  {sql[:600]}")
            for line in plan if title == "with the indexes" else trimmed(plan):
                print(f"    {line}")
            print("  helpdesk_ticket read by each SELECT of the call:")
            for line in reads:
                print(f"    {line}")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--complaints", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="20,000 complaints")
    args = parser.parse_args()
    if args.quick:
        args.complaints = 20_000
    return args


def main():
    args = parse_args()
    started = time.perf_counter()
    with bench_env(["crm_iso_complaints"], "crm_iso_bench_views") as env:
        fixture = make_fixture(env)
        t0 = time.perf_counter()
        generate(env, fixture, args.complaints, fields.Datetime.now())
        env.cr.commit()
        run_outside_transaction(
            env.cr.dbname,
            "VACUUM ANALYZE helpdesk_ticket",
            "VACUUM ANALYZE mail_activity",
        )
        log(
            f"{args.complaints} complaints by SQL + VACUUM ANALYZE: "
            f"{time.perf_counter() - t0:.1f} s"
        )
        manager = fixture["manager"]
        figures = population(env(user=manager))
        calls = load_calls(env, manager)
        indexes = view_indexes(env)
        ours = measure_calls(env, manager, calls, args.runs, "ours")
        drop_indexes(env, indexes)
        try:
            base = measure_calls(env, manager, calls, args.runs, "baseline")
        finally:
            create_indexes(env, indexes)
        print_results(figures, ours, base, calls)
    log(f"total {time.perf_counter() - started:.0f} s (install included)")


if __name__ == "__main__":
    main()
