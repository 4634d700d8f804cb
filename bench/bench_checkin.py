#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Counter check-in against a large partner table: the phone lookup is indexed.

    python3 bench/bench_checkin.py [--partners 1000000] [--quick] [--repeat 10]

Inserts partners by SQL in two steps (10% then 100% of ``--partners``), each with
a distinct E.164 ``crm_mall_phone`` and a ``phone`` as typed at a counter (national
form 0912...). At each step it prints the ``EXPLAIN (ANALYZE, BUFFERS)`` of the SQL
the ORM really sends for the visitor lookup, and fails unless that plan uses the
unique index on ``crm_mall_phone``. Then it measures, in the same run, the lookup
and ``crm.mall.visit.checkin`` (known and new visitor) as a counter agent, against
a baseline: the same lookup done naively, ``phone ilike <number as typed>`` on the
raw column. Prints times, SQL query counts and ratios, and flags any query of a
check-in that scans the whole partner table. ``--quick`` runs 20,000 partners.
"""

import argparse
import contextlib
import os
import statistics
import time
from datetime import timedelta
from unittest import mock

from harness import bench_env, captured_queries, explain, run_outside_transaction

from odoo import fields, release
from odoo.tests import new_test_user
from odoo.tools import SQL, config

AGENT = "crm_mall_counter.group_counter_agent"
LOCAL_HOSTS = ("127.0.0.1", "localhost")


# ------------------------------------------------------------------ data
def check_not_null_columns(env, filled):
    """Fail early if res_partner gained a NOT NULL column our INSERT leaves empty.

    Other addons may add required stored fields; a bulk INSERT bypasses the ORM
    defaults, so the columns it must fill are read from the catalog, not assumed.
    """
    env.cr.execute(
        """
        SELECT column_name FROM information_schema.columns
         WHERE table_name = 'res_partner' AND is_nullable = 'NO'
           AND column_default IS NULL
        """
    )
    missing = {name for (name,) in env.cr.fetchall()} - set(filled)
    assert not missing, f"res_partner NOT NULL columns not filled: {missing}"


PARTNER_COLUMNS = (
    "id",
    "name",
    "complete_name",
    "commercial_partner_id",
    "type",
    "active",
    "is_company",
    "partner_share",
    "lang",
    "color",
    "message_bounce",
    "phone",
    "phone_sanitized",
    "crm_mall_phone",
    "create_uid",
    "write_uid",
    "create_date",
    "write_date",
)


def insert_partners(env, first, last):
    """Partners first..last with the values an ORM create of a visitor stores.

    ``phone`` holds the number as a visitor types it (0912...), which is what a
    naive implementation would search; ``crm_mall_phone`` its E.164 form.
    """
    check_not_null_columns(env, PARTNER_COLUMNS)
    env.cr.execute(
        SQL(
            """
            INSERT INTO res_partner (%s)
            SELECT s.id, s.name, s.name, s.id, 'contact', TRUE, FALSE, TRUE,
                   'en_US', 0, 0, '0912' || s.num, '+98912' || s.num,
                   '+98912' || s.num, 1, 1, s.now, s.now
              FROM (SELECT nextval('res_partner_id_seq') AS id,
                           'Visitor ' || i AS name,
                           lpad(i::text, 7, '0') AS num,
                           now() AT TIME ZONE 'UTC' AS now
                      FROM generate_series(%s, %s) i) s
            """,
            SQL(", ").join(SQL.identifier(col) for col in PARTNER_COLUMNS),
            first,
            last,
        )
    )


def vacuum(db, statement):
    """Run a maintenance statement on its own autocommit connection.

    VACUUM refuses to run in a transaction, and Odoo's cursor is always in one.
    """
    run_outside_transaction(db, statement)


def vacuum_analyze(db):
    """A bulk insert leaves no statistics, visibility map or hint bits.

    Autovacuum would provide them in a real database, so the first measure must
    not pay for them.
    """
    vacuum(db, "VACUUM ANALYZE res_partner")


def flagged_indexes(env):
    env.cr.execute(
        """
        SELECT indexrelid::regclass::text FROM pg_index
         WHERE indrelid = 'res_partner'::regclass AND indcheckxmin
        """
    )
    return [name for (name,) in env.cr.fetchall()]


def unblock_indexes(env):
    """Rebuild res_partner's indexes if the planner may not use them yet.

    An index built while an older transaction is open (another database of the
    same cluster counts) over not-yet-removable HOT-updated rows gets
    ``indcheckxmin``: until every transaction older than the index ends, the
    planner ignores it and the lookup reads the whole table. That is a state of
    the cluster, not of the addon, so the indexes are rebuilt here while the
    table is still small, and the run says so: VACUUM FULL rewrites the table
    without HOT chains (it leaves the flag on the unique index, seen on
    PostgreSQL 15), then REINDEX, now finding no broken chain, clears it.
    """
    flagged = flagged_indexes(env)
    if flagged:
        env.cr.commit()  # VACUUM FULL waits for our locks on res_partner
        vacuum(env.cr.dbname, "VACUUM FULL res_partner")
        vacuum(env.cr.dbname, "REINDEX TABLE res_partner")
        # commit() may run post-commit hooks that start a transaction whose
        # snapshot predates the VACUUM: read pg_index from a fresh one
        env.cr.rollback()
        print(
            "  note: rebuilt res_partner (VACUUM FULL, REINDEX): indcheckxmin was on "
            f"{len(flagged)} indexes: {', '.join(flagged)}"
        )
        assert not flagged_indexes(env), "rebuilding left indcheckxmin set"
    return flagged


def setup_counter(env):
    """A counter and an agent on a shift covering now, as tests/common.py does.

    The shift gets explicit bounds rather than a template: templates are local
    opening hours, and the bench must work whatever time it runs at.
    """
    counter = env["crm.mall.counter"].create({"name": "Bench desk", "code": "BENCH"})
    agent = new_test_user(env, "bench_checkin_agent", groups=AGENT)
    now = fields.Datetime.now()
    env["crm.mall.shift"].create(
        {
            "user_id": agent.id,
            "counter_id": counter.id,
            "date": now.date(),
            "start": now - timedelta(hours=2),
            "stop": now + timedelta(hours=10),
        }
    )
    return counter, agent


def typed(i, prefix="0912"):
    """The i-th number as typed at a counter: national form, 11 digits."""
    return f"{prefix}{i:07d}"


def e164(number):
    return "+98" + number[1:]


# ----------------------------------------------------------- measuring
def timed(env, func):
    """(seconds, queries) of one call, starting from an empty record cache.

    Each check-in is a request of its own in production: the ORM cache is empty
    and pending writes are flushed, so both are included in the figure.
    """
    env.invalidate_all()
    env.flush_all()
    queries = env.cr.sql_log_count
    start = time.perf_counter()
    result = func()
    env.flush_all()
    return time.perf_counter() - start, env.cr.sql_log_count - queries, result


def run_series(env, label, calls, results):
    """Run each call once; store the per-call times and query counts."""
    samples = [timed(env, call) for call in calls]
    results[label] = ([s for s, _q, _r in samples], [q for _s, q, _r in samples])
    return [r for _s, _q, r in samples]


@contextlib.contextmanager
def naive_lookup(env):
    """Make checkin() find visitors the naive way for the duration of the block.

    Patched on the registry class in this process only: the addon's code runs
    unchanged around it, so the difference measured is the lookup alone.
    """

    def find(self, number_e164):
        return (
            self.env["res.partner"]
            .sudo()
            .search([("phone", "ilike", "0" + number_e164[3:])], limit=1)
        )

    with mock.patch.object(type(env["crm.mall.visit"]), "_find_visitor", find):
        yield


# ------------------------------------------------------------- the plan
def unique_phone_index(env):
    env.cr.execute(
        """
        SELECT indexname FROM pg_indexes
         WHERE tablename = 'res_partner' AND indexdef LIKE 'CREATE UNIQUE%%'
           AND indexdef LIKE '%%(crm_mall_phone)%%'
        """
    )
    row = env.cr.fetchone()
    assert row, "no unique index on res_partner.crm_mall_phone"
    return row[0]


def lookup_plan(env, number_e164, index):
    """EXPLAIN ANALYZE the SQL that _find_visitor's search really sends."""
    Partner = env["res.partner"].sudo()
    env.invalidate_all()
    with captured_queries() as queries:
        found = Partner.search([("crm_mall_phone", "=", number_e164)], limit=1)
    assert found, number_e164
    selects = [q for q in queries if "crm_mall_phone" in q[0]]
    assert len(selects) == 1, queries
    query, params = selects[0]
    plan = explain(env, query, params, analyze=True)
    text = "\n".join(plan)
    assert index in text and "Seq Scan" not in text, (
        f"{text}\nindcheckxmin set on: {flagged_indexes(env)}"
    )
    return env.cr.mogrify(query, params).decode(), plan


def naive_plan_top(env, number):
    """Scan lines of the naive lookup's plan: how it reads the table."""
    env.invalidate_all()
    with captured_queries() as queries:
        env["res.partner"].sudo().search([("phone", "ilike", number)], limit=1)
    query, params = next(q for q in queries if "ILIKE" in q[0])
    return [line for line in explain(env, query, params) if "Scan" in line]


def full_scans(env, queries):
    """SELECTs of a check-in whose plan reads all of res_partner (grows with N)."""
    found = []
    for query, params in queries:
        head = query.lstrip().upper()
        if not head.startswith(("SELECT", "WITH")) or "RES_PARTNER" not in head:
            continue
        if any(
            "Seq Scan on res_partner " in line for line in explain(env, query, params)
        ):
            found.append(env.cr.mogrify(query, params).decode())
    return found


# ------------------------------------------------------------- one step
class Step:
    """Measures at one table size; new visitors' numbers never repeat in a run."""

    new_seq = 0

    def __init__(self, env, counter, agent, size, repeat):
        self.env, self.counter, self.agent = env, counter, agent
        self.size, self.repeat = size, repeat
        # known visitors spread over the table, the middle one included
        self.known = [typed((2 * j + 1) * size // (2 * repeat)) for j in range(repeat)]
        self.results = {}

    def new_numbers(self, count=None):
        first = Step.new_seq
        Step.new_seq += count or self.repeat
        return [typed(first + j, "0935") for j in range(count or self.repeat)]

    def checkin(self, number):
        Visit = self.env["crm.mall.visit"].with_user(self.agent)
        return lambda: Visit.checkin(number, counter_id=self.counter.id)

    def lookups(self):
        Partner = self.env["res.partner"].sudo()
        ours = run_series(
            self.env,
            "lookup: ours, crm_mall_phone = E.164",
            [
                lambda n=n: Partner.search([("crm_mall_phone", "=", e164(n))], limit=1)
                for n in self.known
            ],
            self.results,
        )
        naive = run_series(
            self.env,
            "lookup: naive, phone ilike typed",
            [
                lambda n=n: Partner.search([("phone", "ilike", n)], limit=1)
                for n in self.known
            ],
            self.results,
        )
        assert [p.id for p in ours] == [p.id for p in naive]
        assert all(ours), "a known visitor was not found"

    def checkins(self):
        partners = self.env["res.partner"].sudo()
        count = partners.search_count
        before = count([])
        visits = run_series(
            self.env,
            "checkin known visitor: ours",
            [self.checkin(n) for n in self.known],
            self.results,
        )
        assert count([]) == before, "a known visitor was created again"
        assert [v.partner_id.crm_mall_phone for v in visits] == [
            e164(n) for n in self.known
        ]
        run_series(
            self.env,
            "checkin new visitor: ours",
            [self.checkin(n) for n in self.new_numbers()],
            self.results,
        )
        assert count([]) == before + self.repeat
        with naive_lookup(self.env):
            run_series(
                self.env,
                "checkin known visitor: naive lookup",
                [self.checkin(n) for n in self.known],
                self.results,
            )
            run_series(
                self.env,
                "checkin new visitor: naive lookup",
                [self.checkin(n) for n in self.new_numbers()],
                self.results,
            )
        assert count([]) == before + 2 * self.repeat

    def scans(self):
        """Queries of one check-in (known, new) that scan res_partner whole."""
        found = {}
        for kind, number in (("known", self.known[0]), ("new", self.new_numbers(1)[0])):
            self.env.invalidate_all()
            with captured_queries() as queries:
                self.checkin(number)()
                self.env.flush_all()
            found[kind] = (len(queries), full_scans(self.env, queries))
        return found


def median(values):
    return statistics.median(values)


def print_step(step, plan_sql, plan, naive_top, scans):
    print(f"\n== {step.size:,} partners")
    print(f"  lookup SQL (as sent by the ORM): {plan_sql}")
    print("  EXPLAIN (ANALYZE, BUFFERS):")
    for line in plan:
        print(f"    {line}")
    print(f"  naive lookup plan: {' / '.join(s.strip() for s in naive_top)}")
    print(
        f"\n  {'per call, ' + str(step.repeat) + ' calls':<44} {'median s':>10}"
        f" {'min s':>10} {'queries':>9}"
    )
    for label, (seconds, queries) in step.results.items():
        low, high = min(queries), max(queries)
        spread = f"{low}" if low == high else f"{low}-{high}"
        print(f"  {label:<44} {median(seconds):10.5f} {min(seconds):10.5f} {spread:>9}")
    for ours, naive in (
        ("lookup: ours, crm_mall_phone = E.164", "lookup: naive, phone ilike typed"),
        ("checkin known visitor: ours", "checkin known visitor: naive lookup"),
        ("checkin new visitor: ours", "checkin new visitor: naive lookup"),
    ):
        (s_ours, q_ours), (s_naive, q_naive) = step.results[ours], step.results[naive]
        print(
            f"  ratio {ours} / naive: time {median(s_ours) / median(s_naive):.4f}x,"
            f" queries {median(q_ours) / max(median(q_naive), 1):.2f}x"
        )
    for kind, (count, found) in scans.items():
        verdict = "none" if not found else f"{len(found)}: " + " | ".join(found)
        print(
            f"  checkin {kind} visitor: {count} statements, full scans of "
            f"res_partner: {verdict}"
        )


def run_step(env, counter, agent, index, size, repeat):
    step = Step(env, counter, agent, size, repeat)
    plan_sql, plan = lookup_plan(env, e164(typed(size // 2)), index)
    naive_top = naive_plan_top(env, typed(size // 2))
    # first calls load access rights, rules and ormcaches: not what we measure
    step.checkin(step.known[0])()
    step.checkin(step.new_numbers(1)[0])()
    step.lookups()
    step.checkins()
    scans = step.scans()
    print_step(step, plan_sql, plan, naive_top, scans)
    return step


def print_header(env, args, sizes):
    env.cr.execute("SELECT version()")
    pg = env.cr.fetchone()[0].split(",")[0]
    env.cr.execute("SHOW jit")
    jit = env.cr.fetchone()[0]
    print("\n#### bench_checkin: visitor check-in by phone on a large partner table")
    print(f"  Odoo {release.version}, {pg} (jit {jit}), {os.cpu_count()} cores")
    print(
        f"  sizes: {', '.join(f'{s:,}' for s in sizes)} partners; "
        f"{args.repeat} calls per measure"
    )


def print_summary(steps, timings):
    print("\n== across sizes (same run)")
    for label in steps[0].results:
        row = "  ".join(
            f"{s.size:>9,}: {median(s.results[label][0]):.5f} s "
            f"{median(s.results[label][1]):g} q"
            for s in steps
        )
        print(f"  {label:<40} {row}")
    # the addon promises a bounded number of queries whatever the table size
    for label in ("checkin known visitor: ours", "checkin new visitor: ours"):
        counts = {max(s.results[label][1]) for s in steps}
        verdict = "same at every size" if len(counts) == 1 else "GROWS with size"
        print(f"  queries of {label}: {verdict} ({', '.join(map(str, counts))})")
    for name, seconds in timings.items():
        print(f"  {name}: {seconds:.1f} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--partners", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="20,000 partners")
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    if not 20 * args.repeat <= args.partners < 10**7:
        # numbers are 0912 + 7 digits; the first step needs its known visitors
        parser.error(f"--partners must be in [{20 * args.repeat}, 9999999]")
    total = 20_000 if args.quick else args.partners
    sizes = (total // 10, total)
    start = time.perf_counter()
    timings = {}
    with bench_env(["crm_mall_counter"], "crm_iso_bench_checkin") as env:
        # the benchmark talks to a local server only
        host = config["db_host"] or ""
        assert host in LOCAL_HOSTS or host.startswith("/"), host
        timings["install"] = time.perf_counter() - start
        print_header(env, args, sizes)
        counter, agent = setup_counter(env)
        index = unique_phone_index(env)
        unblock_indexes(env)
        steps, done = [], 0
        for size in sizes:
            t0 = time.perf_counter()
            insert_partners(env, done + 1, size)
            done = size
            env.cr.commit()
            vacuum_analyze(env.cr.dbname)
            timings[f"insert {size:,} + VACUUM ANALYZE"] = time.perf_counter() - t0
            steps.append(run_step(env, counter, agent, index, size, args.repeat))
        timings["total"] = time.perf_counter() - start
        print_summary(steps, timings)


if __name__ == "__main__":
    main()
