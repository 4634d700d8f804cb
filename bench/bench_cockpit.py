#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The management cockpit with a year of data for 20 counters.

    python3 bench/bench_cockpit.py [--visits-per-day 30]

Generates by SQL a year of visits, subjects, complaints and kiosk responses over
20 counters, then opens the cockpit (every figure and the per-counter lines) and
compares, in the same run, with a baseline computing the per-counter lines with a
query per counter. Prints times, query counts and ratios.
"""

import argparse

from harness import bench_env, measure, report

from odoo.tools import SQL


def generate(env, per_day):
    env["crm.mall.counter"].create(
        [
            {"name": f"Desk {i}", "code": f"D{i:02d}", "zone": f"Zone {i % 5}"}
            for i in range(20)
        ]
    )
    partner = env["res.partner"].create({"name": "Bench visitor"})
    env.flush_all()
    env.cr.execute(
        SQL(
            """
            INSERT INTO crm_mall_visit
                (channel, counter_id, company_id, agent_id, partner_id, checkin_date,
                 state, queue_origin, create_date, write_date, create_uid,
                 write_uid)
            SELECT CASE WHEN n %% 10 = 0 THEN 'call_centre' ELSE 'counter' END,
                   c.id, c.company_id, 1, %(partner)s,
                   now() - (d || ' days')::interval - (n || ' minutes')::interval,
                   'served', 'walk_in', now(), now(), 1, 1
              FROM crm_mall_counter c, generate_series(0, 364) d,
                   generate_series(1, %(per_day)s) n
            """,
            partner=partner.id,
            per_day=per_day,
        )
    )
    env.cr.execute(
        """
        INSERT INTO crm_mall_subject
            (visit_id, counter_id, channel, partner_id, company_id, subject_type,
             description, urgency, state, create_date, write_date, create_uid,
             write_uid)
        SELECT id, counter_id, channel, partner_id, company_id,
               (ARRAY['complaint','request','information'])[1 + id %% 3],
               'bench', '1', 'reviewed', checkin_date, checkin_date, 1, 1
          FROM crm_mall_visit WHERE id %% 3 = 0
        """.replace("%%", "%")
    )
    env.cr.execute("ANALYZE")


def baseline_lines(env, start):
    """A line per counter, each with its own queries (what a naive form does)."""
    lines = []
    for counter in env["crm.mall.counter"].search([("active", "=", True)]):
        lines.append(
            (
                counter.id,
                env["crm.mall.visit"].search_count(
                    [("counter_id", "=", counter.id), ("checkin_date", ">=", start)]
                ),
                env["crm.mall.subject"].search_count(
                    [
                        ("counter_id", "=", counter.id),
                        ("create_date", ">=", start),
                        ("subject_type", "=", "complaint"),
                    ]
                ),
            )
        )
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--visits-per-day", type=int, default=30)
    args = parser.parse_args()
    with bench_env(["crm_mall_counter"], "crm_iso_bench_cockpit") as env:
        generate(env, args.visits_per_day)
        env.cr.execute("SELECT count(*) FROM crm_mall_visit")
        visits = env.cr.fetchone()[0]
        results = {}
        for period in ("today", "week", "month"):
            with measure(env, f"ours: cockpit, period {period}", results):
                cockpit = env["crm.mall.cockpit"].create({"period": period})
                cockpit.visits  # noqa: B018 - computes every figure at once
        start = cockpit._start()
        with measure(env, "ours: per-counter lines only", results):
            cockpit._counter_line_values(start)
        with measure(env, "baseline: per-counter lines, a query each", results):
            baseline_lines(env, start)
        report(
            f"cockpit over {visits} visits, 20 counters, one year",
            results,
            [
                (
                    "ours: per-counter lines only",
                    "baseline: per-counter lines, a query each",
                )
            ],
        )


if __name__ == "__main__":
    main()
