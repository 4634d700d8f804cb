#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Satisfaction KPIs over 1,000,000 survey answer lines.

    python3 bench/bench_surveys.py [--responses 100000] [--lines-per-response 10]
                                   [--quick] [--survey-stats-responses 10000]

Creates its own database with ``crm_iso_surveys`` (no demo data), generates by
SQL one survey of scale questions (CSAT, NPS, CES and weighted drivers), a
measurement plan, 20 counters (touchpoints) and N completed responses spread
over 12 months, stores each response's metrics with the addon's own
``_crm_iso_compute_metrics``, and measures in the same run:

* ours: ``crm.iso.satisfaction.report`` (``get_kpis`` per month, and every KPI
  per month x counter with ``formatted_read_group`` as the pivot view asks it);
* baseline 1: a hand-written SQL GROUP BY over the answer lines;
* baseline 2: Odoo survey's own result page statistics
  (``survey.question._prepare_statistics``), on a subset, extrapolated;
* peak memory after ours at 25%, 50% and 100% of the data, and after baseline 2
  on its subsets.

The data is generated in three steps (3, 6 and 12 months of responses) so that
ours is measured on a database that grows, as a real one does. The database is
dropped at the end.
"""

import argparse
import contextlib
import datetime
import resource
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path

from dateutil.relativedelta import relativedelta

REPO = Path(__file__).resolve().parent.parent
# tools/crm_suite.py finds Odoo and PostgreSQL as `make test` does
sys.path.insert(0, str(REPO / "tools"))

import crm_suite
from harness import run_outside_transaction

from odoo import Command, api
from odoo.modules.registry import Registry
from odoo.tools import SQL, config

MONTHS = 12
COUNTERS = 20
COMPUTE_BATCH = 1000
SINGLE_CALLS = 200
TARGET_RATIO = 1.5
# index weights of the driver questions, cycled when there are more drivers
DRIVER_WEIGHTS = (3.0, 2.0, 2.0, 1.0, 1.0, 1.0, 0.5)
REPORT_AGGREGATES = [
    "csat:avg",
    "nps:avg",
    "ces:avg",
    "satisfaction_index:avg",
    "nbr:sum",
]


# ------------------------------------------------------------------ plumbing
def rss_mb():
    """(peak RSS, current RSS) of this process in MB.

    The peak (ru_maxrss, KB on Linux) only grows: when it does not move after a
    measure, that measure did not need more memory than what came before it.
    """
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with open("/proc/self/statm", encoding="ascii") as fh:
        pages = int(fh.read().split()[1])
    return peak, pages * resource.getpagesize() / 2**20


@contextlib.contextmanager
def odoo_env(conf, db):
    """A superuser environment, initialised as ``odoo shell`` does in Odoo 19."""
    config.parse_config(["-c", str(conf), "--log-level=warn"], setup_logging=True)
    threading.current_thread().dbname = db
    registry = Registry(db)
    try:
        with registry.cursor() as cr:
            # the superuser's context has no tz: read_group's months are then
            # UTC months, as in get_kpis and the SQL baseline, so cells compare
            ctx = api.Environment(cr, api.SUPERUSER_ID, {})["res.users"].context_get()
            yield api.Environment(cr, api.SUPERUSER_ID, ctx)
    finally:
        # release the pooled connections, else dropdb has to kill them
        Registry.delete(db)


def vacuum_analyze(db, tables):
    """VACUUM ANALYZE outside Odoo's transaction (VACUUM refuses to run in one).

    Fresh bulk inserts have no statistics, no visibility map and no hint bits:
    the first reader would pay for them. Autovacuum does this in a real database.
    """
    run_outside_transaction(db, *(f"VACUUM ANALYZE {table}" for table in tables))


class Measure:
    """Median time over ``repeat`` runs, queries of one run, memory after them."""

    def __init__(self, env, fn, repeat=3):
        runs = []
        for _ in range(repeat):
            # an empty ORM cache per run: each run pays its reads as a request would
            env.flush_all()
            env.invalidate_all()
            queries = env.cr.sql_log_count
            start = time.perf_counter()
            self.result = fn()
            runs.append((time.perf_counter() - start, env.cr.sql_log_count - queries))
        self.seconds = statistics.median(seconds for seconds, _q in runs)
        self.queries = runs[-1][1]
        self.peak_mb, self.current_mb = rss_mb()


# ------------------------------------------------------------------ data
def make_fixture(env, lines_per_response):
    """The survey, its measurement plan and 20 counters (as touchpoints)."""
    touchpoints = env["crm.iso.touchpoint"].search([], order="id")
    missing = COUNTERS - len(touchpoints)
    if missing > 0:
        touchpoints |= env["crm.iso.touchpoint"].create(
            [
                {"name": f"Counter {i:02d}", "code": f"BENCH_COUNTER_{i:02d}"}
                for i in range(1, missing + 1)
            ]
        )
    touchpoints = touchpoints[:COUNTERS]
    survey = env["survey.survey"].create(
        {"title": "Counter satisfaction (bench)", "access_mode": "token"}
    )
    specs = [
        ("How satisfied are you?", 1, 5, "csat", 1.0),
        ("Would you recommend us?", 0, 10, "nps", 1.0),
        ("How easy was it?", 1, 7, "ces", 1.0),
    ] + [
        (f"Driver {i + 1}", 1, 5, "driver", DRIVER_WEIGHTS[i % len(DRIVER_WEIGHTS)])
        for i in range(lines_per_response - 3)
    ]
    env["survey.question"].create(
        [
            {
                "survey_id": survey.id,
                "sequence": seq,
                "title": title,
                "question_type": "scale",
                "scale_min": low,
                "scale_max": high,
                "crm_iso_metric": metric,
                "crm_iso_weight": weight,
            }
            for seq, (title, low, high, metric, weight) in enumerate(specs, 1)
        ]
    )
    plan = env["crm.iso.measurement.plan"].create(
        {
            "name": "Counters (bench)",
            "survey_ids": [Command.set(survey.ids)],
            "touchpoint_ids": [Command.set(touchpoints.ids)],
        }
    )
    env.flush_all()
    return survey, plan, touchpoints


def window_start():
    """First day of the 12 whole months before the current one (UTC, naive)."""
    this_month = datetime.datetime.now(datetime.timezone.utc).replace(
        day=1, hour=0, minute=0, second=0, microsecond=0, tzinfo=None
    )
    return this_month - relativedelta(months=MONTHS)


def generate(env, fixture, first, count, total):
    """Insert responses ``first .. first+count-1`` of ``total`` and their lines.

    Response n falls in month n * 12 // total of the window, so ids grow with
    dates as in a real database and a step of 25% adds exactly 3 months.
    Returns the id of the last response before this step.
    """
    survey, plan, touchpoints = fixture
    env.cr.execute("SELECT COALESCE(max(id), 0) FROM survey_user_input")
    after = env.cr.fetchone()[0]
    env.cr.execute(
        SQL(
            """
            INSERT INTO survey_user_input
                (survey_id, access_token, state, test_entry, start_datetime,
                 end_datetime, crm_iso_plan_id, crm_iso_touchpoint_id,
                 crm_iso_channel, scoring_percentage, scoring_total,
                 scoring_success, is_session_answer,
                 create_uid, write_uid, create_date, write_date)
            SELECT %(survey)s, gen_random_uuid()::text, 'done', FALSE,
                   t.at - interval '4 minutes', t.at, %(plan)s,
                   (%(touchpoints)s::int[])[1 + n %% %(n_tp)s],
                   (ARRAY['kiosk', 'email', 'portal', 'call_centre'])[1 + n %% 4],
                   0, 0, FALSE, FALSE, 1, 1, t.at, t.at
              FROM generate_series(%(first)s, %(last)s) n,
                   LATERAL (SELECT (n + random()) * %(months)s / %(total)s AS pos) p,
                   LATERAL (SELECT %(start)s::timestamp
                                   + floor(p.pos) * interval '1 month' AS day1) m,
                   LATERAL (SELECT m.day1 + (p.pos - floor(p.pos))
                                   * (m.day1 + interval '1 month' - m.day1) AS at) t
             ORDER BY n
            """,
            survey=survey.id,
            plan=plan.id,
            touchpoints=touchpoints.ids,
            n_tp=len(touchpoints),
            first=first,
            last=first + count - 1,
            total=total,
            months=MONTHS,
            start=window_start(),
        )
    )
    # One line per question, value in the question's own scale. The exponent
    # (below 1: answers lean to the top) varies by counter and month so that
    # the KPIs differ between cells, as they would for real counters.
    env.cr.execute(
        SQL(
            """
            INSERT INTO survey_user_input_line
                (user_input_id, survey_id, question_id, question_sequence,
                 skipped, answer_type, value_scale, answer_score,
                 answer_is_correct, create_uid, write_uid, create_date,
                 write_date)
            SELECT ui.id, ui.survey_id, q.id, q.sequence, FALSE, 'scale',
                   q.scale_min + floor((q.scale_max - q.scale_min + 1) * power(
                       random(), 0.45 + 0.05 * (ui.crm_iso_touchpoint_id %% 7)
                       + 0.02 * extract(month FROM ui.end_datetime)))::int,
                   0, FALSE, 1, 1, ui.end_datetime, ui.end_datetime
              FROM survey_user_input ui
              JOIN survey_question q ON q.survey_id = ui.survey_id
             WHERE ui.survey_id = %(survey)s AND ui.id > %(after)s
             ORDER BY ui.id, q.sequence
            """,
            survey=survey.id,
            after=after,
        )
    )
    return after


def compute_metrics(env, after):
    """The addon's own per-response metrics, by batches as a cron would.

    Returns (seconds, queries, responses) for the batched calls.
    """
    env.cr.execute(
        "SELECT id FROM survey_user_input WHERE id > %s ORDER BY id", (after,)
    )
    ids = [row[0] for row in env.cr.fetchall()]
    Response = env["survey.user_input"]
    queries = env.cr.sql_log_count
    start = time.perf_counter()
    for i in range(0, len(ids), COMPUTE_BATCH):
        Response.browse(ids[i : i + COMPUTE_BATCH])._crm_iso_compute_metrics()
    return time.perf_counter() - start, env.cr.sql_log_count - queries, len(ids)


def compute_metrics_one_by_one(env, sample):
    """``_mark_done`` calls it for one response: the cost a respondent pays."""
    env.cr.execute(
        "SELECT id FROM survey_user_input ORDER BY id DESC LIMIT %s", (sample,)
    )
    ids = [row[0] for row in env.cr.fetchall()]
    start = time.perf_counter()
    for rid in ids:
        env["survey.user_input"].browse(rid)._crm_iso_compute_metrics()
    return time.perf_counter() - start, len(ids)


def nth_response_id(env, n):
    env.cr.execute(
        "SELECT id FROM survey_user_input ORDER BY id OFFSET %s LIMIT 1", (n - 1,)
    )
    return env.cr.fetchone()[0]


# ------------------------------------------------------------------ measures
def ours_month(env, domain):
    return env["crm.iso.satisfaction.report"].get_kpis(domain, "month")


def ours_cut(env, domain):
    """What the pivot view asks: every KPI per month x counter, one read_group."""
    return env["crm.iso.satisfaction.report"].formatted_read_group(
        domain, ["date:month", "crm_iso_touchpoint_id"], REPORT_AGGREGATES
    )


def ours_cut_kpis(env, months):
    """get_kpis per counter, one call per month: adds intervals and sample flags."""
    Report = env["crm.iso.satisfaction.report"]
    return [
        Report.get_kpis(
            [("date", ">=", month), ("date", "<", month + relativedelta(months=1))],
            "crm_iso_touchpoint_id",
        )
        for month in months
    ]


def baseline_sql(env, by_counter, max_id=None):
    """CSAT, NPS, CES and index straight from the answer lines, in one GROUP BY.

    One level of aggregation, the fastest way to write it: it equals the
    per-response definitions here because every response answers every
    question once (same total driver weight in each response).
    """
    # importable only once parse_config has put the repo on the addons path
    from odoo.addons.crm_iso_surveys.tools import metrics

    key = SQL("ui.crm_iso_touchpoint_id") if by_counter else SQL("NULL::int")
    env.cr.execute(
        SQL(
            """
            SELECT date_trunc('month', COALESCE(ui.end_datetime, ui.create_date)),
                   %(key)s,
                   count(*) FILTER (WHERE q.crm_iso_metric = 'csat'),
                   avg(CASE WHEN q.crm_iso_metric = 'csat' THEN
                       CASE WHEN l.value_scale > q.scale_max - q.crm_iso_top_box
                            THEN 100.0 ELSE 0.0 END END),
                   avg(CASE WHEN q.crm_iso_metric = 'nps' THEN
                       CASE WHEN l.value_scale >= %(promoter)s THEN 100.0
                            WHEN l.value_scale <= %(detractor)s THEN -100.0
                            ELSE 0.0 END END),
                   avg(CASE WHEN q.crm_iso_metric = 'ces'
                            THEN l.value_scale::float END),
                   sum(CASE WHEN q.crm_iso_metric = 'driver'
                            THEN q.crm_iso_weight * 100.0
                                 * (l.value_scale - q.scale_min)
                                 / (q.scale_max - q.scale_min) END)
                     / NULLIF(sum(CASE WHEN q.crm_iso_metric = 'driver'
                                       THEN q.crm_iso_weight END), 0)
              FROM survey_user_input_line l
              JOIN survey_question q ON q.id = l.question_id
              JOIN survey_user_input ui ON ui.id = l.user_input_id
             WHERE ui.state = 'done' AND NOT COALESCE(ui.test_entry, FALSE)
               AND l.answer_type = 'scale' AND NOT COALESCE(l.skipped, FALSE)
               AND q.crm_iso_metric IS NOT NULL AND %(cut)s
          GROUP BY 1, 2 ORDER BY 1, 2
            """,
            key=key,
            promoter=metrics.NPS_PROMOTER_MIN,
            detractor=metrics.NPS_DETRACTOR_MAX,
            cut=SQL("ui.id <= %s", max_id) if max_id else SQL("TRUE"),
        )
    )
    return env.cr.fetchall()


def survey_stats(env, survey, max_id):
    """Survey's result page (controllers/main.py ``survey_report``) on a subset.

    Same steps as ``_extract_filters_data`` without filters, restricted to the
    responses up to ``max_id``, then the survey and per-question statistics.
    """
    inputs = (
        env["survey.user_input"]
        .sudo()
        ._search(
            [
                ("state", "!=", "new"),
                ("test_entry", "=", False),
                ("survey_id", "=", survey.id),
                ("id", "<=", max_id),
            ]
        )
    )
    lines = env["survey.user_input.line"].search([("user_input_id", "in", inputs)])
    survey_data = survey._prepare_statistics(lines)
    question_data = survey.question_and_page_ids._prepare_statistics(lines)
    return survey_data, question_data


# ------------------------------------------------------------------ checks
def cut_cells(rows):
    """formatted_read_group rows as {(month, counter): (n, csat, nps, ces, index)}."""
    return {
        (row["date:month"][0][:10], row["crm_iso_touchpoint_id"][0]): (
            row["nbr:sum"],
            row["csat:avg"],
            row["nps:avg"],
            row["ces:avg"],
            row["satisfaction_index:avg"],
        )
        for row in rows
    }


def month_cells(rows):
    """get_kpis rows as {(month, None): (n, csat, nps, ces, index)}."""
    return {
        (str(row["key"])[:10], None): (
            row["csat_n"],
            row["csat"],
            row["nps"],
            row["ces"],
            row["index"],
        )
        for row in rows
    }


def max_difference(ours, baseline_rows):
    """Largest |ours - baseline| over all cells and KPIs (inf: other cells)."""
    base = {(str(month)[:10], key): values for month, key, *values in baseline_rows}
    if ours.keys() != base.keys():
        return float("inf")
    return max(
        abs(float(a) - float(b))
        for key, values in ours.items()
        for a, b in zip(values, base[key], strict=True)
    )


# ------------------------------------------------------------------ output
def fmt_row(label, responses, m, ratio=""):
    return (
        f"  {label:<46} {responses:>9,} {m.seconds:>9.4f} {m.queries:>8d} "
        f"{m.peak_mb:>8.0f} {ratio}"
    )


def table_header():
    return (
        f"  {'measure':<46} {'responses':>9} {'time s':>9} {'queries':>8} "
        f"{'peakMB':>8} ratio"
    )


def ratio_text(ours, baseline):
    value = ours.seconds / baseline.seconds
    verdict = "within" if value <= TARGET_RATIO else "OVER"
    return f"ours/b1 {value:.3f}x ({verdict} {TARGET_RATIO}x)"


# ------------------------------------------------------------------ steps
def step_measures(env, size, lines):
    """Ours and baseline 1 on the whole database as it is after a step."""
    env.cr.execute(
        "SELECT DISTINCT date_trunc('month', end_datetime) FROM survey_user_input "
        "ORDER BY 1"
    )
    months = [row[0] for row in env.cr.fetchall()]
    measures = {
        "ours get_kpis([], 'month')": Measure(env, lambda: ours_month(env, [])),
        "b1 SQL GROUP BY month": Measure(env, lambda: baseline_sql(env, False)),
        "ours read_group month x counter": Measure(env, lambda: ours_cut(env, [])),
        "ours get_kpis(counter) x each month": Measure(
            env, lambda: ours_cut_kpis(env, months)
        ),
        "b1 SQL GROUP BY month x counter": Measure(
            env, lambda: baseline_sql(env, True)
        ),
    }
    diff = max(
        max_difference(
            month_cells(measures["ours get_kpis([], 'month')"].result),
            measures["b1 SQL GROUP BY month"].result,
        ),
        max_difference(
            cut_cells(measures["ours read_group month x counter"].result),
            measures["b1 SQL GROUP BY month x counter"].result,
        ),
    )
    print(
        f"\n-- {size:,} responses, {lines:,} answer lines, {len(months)} months "
        f"x {COUNTERS} counters (max |ours - b1| over every cell and KPI: "
        f"{diff:.1e})"
    )
    print(table_header())
    b1_month = measures["b1 SQL GROUP BY month"]
    b1_cut = measures["b1 SQL GROUP BY month x counter"]
    for label, m in measures.items():
        ratio = ""
        if label.startswith("ours"):
            ratio = ratio_text(m, b1_month if "'month'" in label else b1_cut)
        print(fmt_row(label, size, m, ratio))
    return measures


def survey_stats_measures(env, survey, sizes, total, ours_full):
    """Baseline 2 on growing subsets, ours on the same subsets, extrapolation.

    Returns the memory rows (label, peak MB, current MB) after each subset.
    """
    print(
        "\n-- baseline 2: survey's own result-page statistics on subsets of the "
        f"{total:,} responses (extrapolated linearly from the largest subset)"
    )
    print(table_header())
    last, rss_rows = None, []
    for size in sizes:
        max_id = nth_response_id(env, size)
        domain = [("id", "<=", max_id)]
        ours = Measure(env, lambda d=domain: ours_cut(env, d))
        b2 = Measure(env, lambda m=max_id: survey_stats(env, survey, m), repeat=1)
        env.invalidate_all()  # drop the cached lines before the next subset
        print(fmt_row("ours read_group month x counter", size, ours))
        print(
            fmt_row(
                "b2 survey _prepare_statistics",
                size,
                b2,
                f"b2/ours {b2.seconds / ours.seconds:,.0f}x, "
                f"{1000 * b2.seconds / size:.3f} s per 1,000 responses",
            )
        )
        last = (size, b2)
        rss_rows.append((f"b2 at {size:,} responses", b2.peak_mb, b2.current_mb))
    size, b2 = last
    seconds = b2.seconds * total / size
    queries = round(b2.queries * total / size)
    how = "measured on all" if size == total else "extrapolated to"
    print(
        f"  b2 {how} {total:,} responses: {seconds:,.1f} s, "
        f"~{queries:,} queries; ours on all of them: {ours_full.seconds:.4f} s "
        f"-> survey statistics are {seconds / ours_full.seconds:,.0f}x slower "
        "(and give no month x counter cut: one run per cell would be needed)"
    )
    return rss_rows


def grow_and_measure(env, db, fixture, args):
    """Generate 25%, 50%, 100% of the responses, measuring after each step.

    Returns the measures at 100%, memory rows, and the generation and
    per-response metric costs (seconds, queries, responses).
    """
    n = args.responses
    done, gen_seconds, compute = 0, 0.0, [0.0, 0, 0]
    full, rss_rows = {}, []
    for size in (n // 4, n // 2, n):
        start = time.perf_counter()
        after = generate(env, fixture, done, size - done, n)
        gen_seconds += time.perf_counter() - start
        seconds, queries, count = compute_metrics(env, after)
        compute = [compute[0] + seconds, compute[1] + queries, compute[2] + count]
        env.cr.commit()
        vacuum_analyze(db, ["survey_user_input", "survey_user_input_line"])
        done = size
        full = step_measures(env, size, size * args.lines_per_response)
        m = full["ours read_group month x counter"]
        rss_rows.append((f"ours at {size:,} responses", m.peak_mb, m.current_mb))
    return full, rss_rows, gen_seconds, compute


def print_compute(env, gen_seconds, compute):
    seconds, queries, count = compute
    single_seconds, single_n = compute_metrics_one_by_one(env, SINGLE_CALLS)
    print(
        "\n-- per-response metrics stored by _crm_iso_compute_metrics\n"
        f"  by batches of {COMPUTE_BATCH:,}: {count:,} responses in "
        f"{seconds:.2f} s, {queries:,} queries = "
        f"{1000 * seconds / count:.3f} s per 1,000 responses\n"
        f"  one by one as _mark_done calls it ({single_n} calls): "
        f"{1000 * single_seconds / single_n:.3f} s per 1,000 responses\n"
        f"  (data generation by SQL took {gen_seconds:.1f} s)"
    )


def run(env, db, args):
    n = args.responses
    fixture = make_fixture(env, args.lines_per_response)
    env.cr.commit()
    env.cr.execute("SHOW jit")
    jit = env.cr.fetchone()[0]
    print(
        f"\n== bench_surveys: {n:,} responses x {args.lines_per_response} answer "
        f"lines = {n * args.lines_per_response:,} lines, {MONTHS} months, "
        f"{COUNTERS} counters (PostgreSQL jit={jit})"
    )
    full, rss_rows, gen_seconds, compute = grow_and_measure(env, db, fixture, args)
    print_compute(env, gen_seconds, compute)
    sub = min(args.survey_stats_responses, n)
    rss_rows += survey_stats_measures(
        env,
        fixture[0],
        [sub // 4, sub // 2, sub],
        n,
        full["ours read_group month x counter"],
    )
    print("\n-- memory (peak RSS only grows: a flat peak means no extra memory)")
    for label, peak, current in rss_rows:
        print(f"  {label:<46} peak {peak:8.0f} MB   current {current:8.0f} MB")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--lines-per-response", type=int, default=10)
    parser.add_argument(
        "--survey-stats-responses",
        type=int,
        default=10_000,
        help="responses given to survey's own statistics (baseline 2)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="a smoke run: 5,000 responses"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.responses = 5_000
    if args.lines_per_response < 4:
        parser.error("--lines-per-response: at least 4 (CSAT, NPS, CES, a driver)")
    if args.responses < 100:
        parser.error("--responses: at least 100")
    return args


def main(argv=None):
    args = parse_args(argv)
    began = time.perf_counter()
    suite = crm_suite.Suite()
    if suite.host not in ("127.0.0.1", "localhost") and not suite.host.startswith("/"):
        raise SystemExit(f"refusing a non-local PostgreSQL server: {suite.host}")
    db = f"crm_iso_bench_surveys_{uuid.uuid4().hex[:8]}"
    try:
        suite.install(db, ["crm_iso_surveys"], with_demo=False, log_name=db)
        print(f"database {db} installed in {time.perf_counter() - began:.0f} s")
        conf = suite.write_conf(db, db, with_demo=False)
        with odoo_env(conf, db) as env:
            run(env, db, args)
    finally:
        suite.drop_db(db)
        (crm_suite.STATE / f"{db}.conf").unlink(missing_ok=True)
        (crm_suite.STATE / f"install-{db}.conf").unlink(missing_ok=True)
    print(f"\ntotal runtime {time.perf_counter() - began:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
