#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The clock state of many open complaints is a search on stored deadlines.

    python3 bench/bench_clocks.py [--complaints 100000]

Generates open complaints by SQL (received over the last weeks, deadlines set),
then measures, in the same run: the ``complaint_clock_state`` and
``complaint_is_overdue`` searches the cron and the lists use, against a baseline
that loads the complaints and asks each one for its pending deadline in Python
(what a cron looping over tickets does). Prints times, query counts and ratios,
and the plan of the overdue query.
"""

import argparse

from harness import bench_env, measure, report

from odoo.tools import SQL


def generate(env, count):
    """``count`` open complaints: a quarter received, the rest acknowledged."""
    env["helpdesk.ticket"].create(
        {"name": "seed", "description": "x", "is_complaint": True, "partner_id": 1}
    )
    env.flush_all()
    env.cr.execute(
        SQL(
            """
            INSERT INTO helpdesk_ticket
                (number, name, description, company_id, stage_id, priority, active,
                 is_complaint, complaint_ref, complaint_state, complaint_received_date,
                 complaint_ack_deadline, complaint_resolve_deadline,
                 complaint_policy_id, partner_id,
                 create_date, write_date, create_uid, write_uid)
            SELECT 'B' || i, 'bench ' || i, 'x', t.company_id, t.stage_id, '1', TRUE,
                   TRUE, 'BENCH/' || i,
                   CASE WHEN i %% 4 = 0 THEN 'received' ELSE 'investigation' END,
                   now() - (i %% 40) * interval '1 day',
                   now() - (i %% 40) * interval '1 day' + interval '1 day',
                   now() - (i %% 40) * interval '1 day' + interval '14 days',
                   t.complaint_policy_id, t.partner_id, now(), now(), 1, 1
              FROM generate_series(1, %s) i, helpdesk_ticket t
             WHERE t.name = 'seed'
            """,
            count,
        )
    )
    env.cr.execute("ANALYZE helpdesk_ticket")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--complaints", type=int, default=100_000)
    args = parser.parse_args()
    with bench_env(["crm_iso_complaints"], "crm_iso_bench_clocks") as env:
        generate(env, args.complaints)
        Ticket = env["helpdesk.ticket"]
        results = {}
        with measure(env, "ours: search complaint_is_overdue", results):
            overdue = Ticket.search_count([("complaint_is_overdue", "=", True)])
        with measure(env, "ours: search clock_state breached/paused", results):
            Ticket.search_count(
                [("complaint_clock_state", "in", ["breached", "paused"])]
            )
        with measure(env, "ours: cron (nothing due twice)", results):
            Ticket.search(
                [
                    ("is_complaint", "=", True),
                    ("complaint_next_escalation_date", "<=", "1970-01-01"),
                ]
            )
        with measure(env, "baseline: load + Python loop per ticket", results):
            now = Ticket._crm_iso_now()
            tickets = Ticket.search([("is_complaint", "=", True)])
            looped = sum(
                1
                for ticket in tickets
                if (deadline := ticket._crm_iso_pending_deadline()) and deadline < now
            )
        assert looped == overdue, (looped, overdue)
        report(
            f"clock state of {args.complaints} open complaints ({overdue} overdue)",
            results,
            [
                (
                    "ours: search complaint_is_overdue",
                    "baseline: load + Python loop per ticket",
                )
            ],
        )
        query = Ticket._search([("complaint_is_overdue", "=", True)])
        env.cr.execute(SQL("EXPLAIN %s", query.select("count(*)")))
        print("\n  plan of the overdue search:")
        for (line,) in env.cr.fetchall():
            print("   ", line)


if __name__ == "__main__":
    main()
