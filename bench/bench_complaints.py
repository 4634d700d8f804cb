#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Complaint deadlines, the deadline cron and the KPIs against OCA's helpdesk SLA.

    python3 bench/bench_complaints.py [--complaints 10000] [--open 100000] [--quick]

Creates two throw-away databases without demo data, one with crm_iso_complaints
and one with helpdesk_mgmt_sla (the baseline), both with the same 40 h/week
calendar holding a public holiday, and measures in the same run:

1. creating N complaints through the ORM (deadlines computed) against creating N
   tickets whose team uses two SLAs (their deadlines computed);
2. the deadline cron over M open complaints, 5% of which cross a threshold
   (its activities, notes, logs and the digest mail of each person),
   against helpdesk_mgmt_sla's own way of flagging breached SLAs over M tickets;
3. the KPIs over the M complaints (``get_kpis`` per category, the report's
   ``formatted_read_group`` per month) against hand-written SQL.

The M open complaints and tickets are cloned from one ORM-created row by SQL
(``INSERT ... SELECT ... FROM generate_series``) with their deadlines set in SQL:
building 100,000 through the ORM would take longer than the whole benchmark.
Prints times, SQL query counts and ratios ours / baseline; drops both databases.
"""

import argparse
import datetime as dt
import time

from harness import bench_env, clone_rows, measure

from odoo import Command, fields
from odoo.tools import SQL

CATEGORIES = 5
# one complaint in CROSS_EVERY is warned and one escalated: 5% cross a threshold
CROSS_EVERY = 40
# aggregates of the report that the hand-written SQL must reproduce
REPORT_AVGS = (
    "complaint_ack_work_hours",
    "complaint_resolve_work_hours",
    "ack_in_time_pct",
    "resolve_in_time_pct",
    "reopened_pct",
)
KPI_SQL = """
    SELECT %(key)s AS key,
           count(*) AS count,
           avg(complaint_ack_work_hours)
               FILTER (WHERE complaint_acknowledged_date IS NOT NULL) AS ack_avg,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY complaint_ack_work_hours)
               FILTER (WHERE complaint_acknowledged_date IS NOT NULL) AS ack_median,
           avg(complaint_resolve_work_hours)
               FILTER (WHERE complaint_closed_date IS NOT NULL) AS resolve_avg,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY complaint_resolve_work_hours)
               FILTER (WHERE complaint_closed_date IS NOT NULL) AS resolve_median,
           avg(CASE WHEN complaint_ack_on_time THEN 100.0 ELSE 0.0 END)
               FILTER (WHERE complaint_acknowledged_date IS NOT NULL)
               AS ack_in_time_pct,
           avg(CASE WHEN complaint_resolve_on_time THEN 100.0 ELSE 0.0 END)
               FILTER (WHERE complaint_closed_date IS NOT NULL)
               AS resolve_in_time_pct,
           avg(CASE WHEN complaint_reopen_count > 0 THEN 100.0 ELSE 0.0 END)
               AS reopened_pct
      FROM helpdesk_ticket
     WHERE is_complaint AND active
  GROUP BY 1
  ORDER BY 1
"""
BASELINES = {
    "1": "helpdesk_mgmt_sla: N tickets of an SLA team, 2 SLAs each (8 h, 80 h)",
    "2": "helpdesk_mgmt_sla has no cron: search breached SLAs, _stage_recompute each",
    "3": "hand-written GROUP BY on helpdesk_ticket, same figures (results compared)",
}


def log(msg):
    print(f"[bench] {msg}", flush=True)


# ------------------------------------------------------------------ fixtures
def make_calendar(env):
    """The company's 40 h/week in UTC, closed on the next working day (holiday)."""
    calendar = env["resource.calendar"].create({"name": "Bench 40h", "tz": "UTC"})
    day = fields.Date.today() + dt.timedelta(days=1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    env["resource.calendar.leaves"].create(
        {
            "name": "Bench public holiday",
            "calendar_id": calendar.id,
            "date_from": dt.datetime.combine(day, dt.time.min),
            "date_to": dt.datetime.combine(day, dt.time(23, 59, 59)),
        }
    )
    return calendar


def make_common(env, team_vals):
    """Team, sub-categories of a "Bench" category and a complainant."""
    admin = env.ref("base.user_admin")
    team = env["helpdesk.ticket.team"].create(
        {"name": "Bench team", "user_id": admin.id, **team_vals}
    )
    parent = env["helpdesk.ticket.category"].create({"name": "Bench"})
    categories = env["helpdesk.ticket.category"].create(
        [{"name": f"Bench {k}", "parent_id": parent.id} for k in range(CATEGORIES)]
    )
    partner = env["res.partner"].create(
        {"name": "Bench complainant", "email": "complainant@example.com"}
    )
    return {
        "team": team,
        "parent": parent,
        "categories": categories,
        "partner": partner,
    }


def setup_ours(env):
    """A policy (8 h to acknowledge, 80 h to resolve, one escalation level)."""
    calendar = make_calendar(env)
    fixture = make_common(env, {})
    # complaints take their team and severity from the category
    fixture["categories"].write(
        {"complaint_team_id": fixture["team"].id, "complaint_severity": "2"}
    )
    env["crm.iso.complaint.policy"].create(
        {
            "name": "Bench policy",
            "category_id": fixture["parent"].id,
            "calendar_id": calendar.id,
            "ack_hours": 8,
            "resolve_hours": 80,
            "warn_percent": 75,
            "escalation_level_ids": [Command.create({"level": 1, "percent": 100})],
        }
    )
    fixture["extra"] = {"is_complaint": True}
    return fixture


def setup_baseline(env):
    """An SLA team on the same calendar: 8 h and 10 days (80 h) to a closed stage."""
    calendar = make_calendar(env)
    fixture = make_common(env, {"use_sla": True, "resource_calendar_id": calendar.id})
    done = env["helpdesk.ticket.stage"].search([("closed", "=", True)], limit=1)
    team = [Command.link(fixture["team"].id)]
    fixture["slas"] = env["helpdesk.sla"].create(
        [
            {"name": "Acknowledge", "team_ids": team, "stage_id": done.id, "hours": 8},
            {"name": "Resolve", "team_ids": team, "stage_id": done.id, "days": 10},
        ]
    )
    fixture["extra"] = {"team_id": fixture["team"].id}
    return fixture


def ticket_vals(fixture, count):
    categories = fixture["categories"]
    return [
        {
            "name": f"Bench ticket {k}",
            "description": "<p>Bench</p>",
            "category_id": categories[k % len(categories)].id,
            "partner_id": fixture["partner"].id,
            **fixture["extra"],
        }
        for k in range(count)
    ]


# ---------------------------------------------------------- bulk generation
def series_overrides(fixture, now):
    """Columns of clone ``i``: number, category, received over the last 30 days."""
    received = SQL(
        "%s::timestamp - mod(i, 30) * interval '1 day' "
        "- mod(i, 24) * interval '1 hour'",
        now,
    )
    ids = fixture["categories"].ids
    return {
        "number": SQL("'BENCH-' || i"),
        "name": SQL("'Bench ticket ' || i"),
        "category_id": SQL("(%s::int[])[1 + mod(i, %s)]", ids, len(ids)),
        "create_date": received,
        "write_date": SQL("%s::timestamp", now),
    }


def deadline_overrides(now):
    """Warning and deadline moments: 1 in 40 warned-due, 1 in 40 breached.

    Breached ones were warned by an earlier run, as in production, so each
    crossing complaint is either warned or escalated: 5% cross a threshold.
    """
    past = SQL("%s::timestamp - interval '1 hour'", now)
    warn = SQL(
        "CASE WHEN mod(i, %s) = 0 THEN %s "
        "ELSE %s::timestamp + (1 + mod(i, 7)) * interval '1 day' END",
        CROSS_EVERY // 2,
        past,
        now,
    )
    deadline = SQL(
        "CASE WHEN mod(i, %s) = 0 THEN %s "
        "ELSE %s::timestamp + (3 + mod(i, 7)) * interval '1 day' END",
        CROSS_EVERY,
        past,
        now,
    )
    warned = SQL("mod(i, %s) = 0", CROSS_EVERY)
    return {
        "complaint_ack_warn_date": warn,
        "complaint_resolve_warn_date": warn,
        "complaint_ack_deadline": deadline,
        "complaint_resolve_deadline": deadline,
        "complaint_next_escalation_date": deadline,
        "complaint_ack_warned": warned,
        "complaint_resolve_warned": warned,
    }


def state_overrides(env, received):
    """A third still to acknowledge, the others acknowledged and investigated."""
    stage = env["helpdesk.ticket.stage"]._complaint_stage
    pending = SQL("mod(i, 3) = 0")
    return {
        "complaint_ref": SQL("'BENCH/' || i"),
        "complaint_state": SQL(
            "CASE WHEN %s THEN 'received' ELSE 'investigation' END", pending
        ),
        "stage_id": SQL(
            "CASE WHEN %s THEN %s ELSE %s END",
            pending,
            stage("received").id,
            stage("investigation").id,
        ),
        "complaint_received_date": received,
        "complaint_acknowledged_date": SQL(
            "CASE WHEN %s THEN NULL ELSE %s + interval '4 hours' END", pending, received
        ),
        "complaint_ack_work_hours": SQL(
            "CASE WHEN %s THEN 0 ELSE mod(i, 12) + 0.5 END", pending
        ),
        "complaint_ack_on_time": SQL("mod(i, 12) < 8"),
    }


def generate_complaints(env, fixture, count, now):
    template = env["helpdesk.ticket"].create(ticket_vals(fixture, 1))
    env.flush_all()
    overrides = series_overrides(fixture, now)
    overrides.update(deadline_overrides(now))
    overrides.update(state_overrides(env, overrides["create_date"]))
    source = SQL(
        "helpdesk_ticket t, generate_series(1, %s) i WHERE t.id = %s",
        count,
        template.id,
    )
    clone_rows(env, "helpdesk_ticket", source, overrides)
    env.cr.execute("ANALYZE helpdesk_ticket")


def generate_sla_tickets(env, fixture, count, now):
    """Tickets, then their two SLA rows; the 8 h SLA of 1 ticket in 20 is past."""
    template = env["helpdesk.ticket"].create(ticket_vals(fixture, 1))
    env.flush_all()
    source = SQL(
        "helpdesk_ticket t, generate_series(1, %s) i WHERE t.id = %s",
        count,
        template.id,
    )
    clone_rows(env, "helpdesk_ticket", source, series_overrides(fixture, now))
    deadline = SQL(
        "CASE WHEN mod(k.id, 20) = 0 AND t.sla_id = %s "
        "THEN %s::timestamp - interval '1 hour' "
        "ELSE %s::timestamp + (3 + mod(k.id, 7)) * interval '1 day' END",
        fixture["slas"][0].id,
        now,
        now,
    )
    source = SQL(
        "helpdesk_ticket_sla t JOIN helpdesk_ticket k ON k.number LIKE 'BENCH-%%' "
        "WHERE t.ticket_id = %s",
        template.id,
    )
    overrides = {
        "ticket_id": SQL("k.id"),
        "state": SQL("'in_progress'"),
        "last_state_date": SQL("k.create_date"),
        "deadline": deadline,
    }
    clone_rows(env, "helpdesk_ticket_sla", source, overrides)
    env.cr.execute("ANALYZE helpdesk_ticket")
    env.cr.execute("ANALYZE helpdesk_ticket_sla")


def make_history(env, now):
    """Spread the complaints over a year and close 3 in 4 acknowledged ones, so
    that every KPI column has data (the cron's population was all open)."""
    closing = SQL("complaint_acknowledged_date IS NOT NULL AND mod(id, 4) <> 0")
    received = SQL("%s::timestamp - mod(id, 365) * interval '1 day'", now)
    env.cr.execute(
        SQL(
            """
            UPDATE helpdesk_ticket
               SET complaint_received_date = %(received)s,
                   complaint_state = CASE WHEN %(closing)s THEN 'closed'
                                          ELSE complaint_state END,
                   complaint_closed_date = CASE WHEN %(closing)s
                       THEN %(received)s + interval '10 days' END,
                   complaint_resolve_work_hours = CASE WHEN %(closing)s
                       THEN mod(id, 100) + 0.5 END,
                   complaint_resolve_on_time = mod(id, 100) < 80,
                   complaint_reopen_count = CASE WHEN mod(id, 25) = 0 THEN 1 ELSE 0 END
             WHERE complaint_ref LIKE 'BENCH/%%'
            """,
            received=received,
            closing=closing,
        )
    )
    env.cr.execute("ANALYZE helpdesk_ticket")


# ------------------------------------------------------------------ measures
def sla_check(env):
    """Flag breached SLAs the only way helpdesk_mgmt_sla knows: one at a time."""
    due = env["helpdesk.ticket.sla"].search(
        [("state", "=", "in_progress"), ("deadline", "<=", fields.Datetime.now())]
    )
    for ticket_sla in due:
        ticket_sla._stage_recompute()
    return len(due)


def measure_cron(ours, base, res_ours, res_base):
    # no job runner here (queue_job's no-delay switch): the digests are rendered
    # and queued as mails inside row 2's timed block, so row 2 carries their cost
    ours = ours(context={**ours.context, "queue_job__no_delay": True})
    Ticket = ours["helpdesk.ticket"]
    assert not ours["crm.iso.job"]._crm_iso_runner_serves(), "digests would queue"
    mails = ours["mail.mail"].search_count([])
    with measure(ours, "2", res_ours):
        Ticket._cron_complaint_deadlines()
    with measure(ours, "2b", res_ours):
        Ticket._cron_complaint_deadlines()
    with measure(base, "2", res_base):
        flagged = sla_check(base)
    with measure(base, "2b", res_base):
        sla_check(base)
    escalated = ours["crm.iso.escalation"].search_count([])
    activities = ours["mail.activity"].search_count([])
    digests = ours["mail.mail"].search_count([]) - mails
    log(
        f"cron: {activities - escalated} warned + {escalated} escalated complaints, "
        f"{digests} digest mail(s); baseline: {flagged} SLAs flagged expired"
    )


def rounded(rows):
    return [
        tuple(round(v, 6) if isinstance(v, float) else v for v in row) for row in rows
    ]


def measure_kpis(env, res_ours, res_base):
    """Report KPIs against hand-written SQL; both must give the same figures."""
    Report = env["crm.iso.complaint.report"]
    aggregates = ["__count", *(f"{name}:avg" for name in REPORT_AVGS)]
    with measure(env, "3a", res_ours):
        kpis = Report.get_kpis([], "category_id")
    with measure(env, "3b", res_ours):
        months = Report.formatted_read_group(
            [], ["complaint_received_date:month"], aggregates
        )
    with measure(env, "3a", res_base):
        env.cr.execute(SQL(KPI_SQL, key=SQL("category_id")))
        by_category = env.cr.dictfetchall()
    with measure(env, "3b", res_base):
        # UTC months: read_group uses the context's time zone, and ours has none
        env.cr.execute(
            SQL(KPI_SQL, key=SQL("date_trunc('month', complaint_received_date)"))
        )
        by_month = env.cr.dictfetchall()
    assert rounded(r.values() for r in kpis) == rounded(
        r.values() for r in by_category
    ), "get_kpis and the hand-written SQL disagree"
    ours_months = [(g["__count"], g["complaint_ack_work_hours:avg"]) for g in months]
    hand_months = [(r["count"], r["ack_avg"]) for r in by_month]
    assert rounded(ours_months) == rounded(hand_months), "monthly figures disagree"


def measure_create(ours, base, fixtures, count, res_ours, res_base):
    with measure(ours, "1", res_ours):
        ours["helpdesk.ticket"].create(ticket_vals(fixtures[0], count))
    with measure(base, "1", res_base):
        base["helpdesk.ticket"].create(ticket_vals(fixtures[1], count))


# ------------------------------------------------------------------ output
def print_table(args, res_ours, res_base):
    labels = {
        "1": f"1  create {args.complaints} with deadlines",
        "2": f"2  deadline cron, {args.open} open, 5% due",
        "2b": "2b same cron again, nothing due",
        "3a": "3a KPIs per category (get_kpis)",
        "3b": "3b KPIs per month (formatted_read_group)",
    }
    print(
        f"\n== crm_iso_complaints vs baseline, one run ({args.complaints} created, "
        f"{args.open} open)"
    )
    print(
        f"  {'measure':<42} {'ours s':>9} {'queries':>8} "
        f"{'base s':>9} {'queries':>8} {'time x':>8} {'queries x':>9}"
    )
    for key, label in labels.items():
        s_ours, q_ours = res_ours[key]
        s_base, q_base = res_base[key]
        print(
            f"  {label:<42} {s_ours:9.3f} {q_ours:8d} {s_base:9.3f} {q_base:8d} "
            f"{s_ours / s_base:8.3f} {q_ours / max(q_base, 1):9.3f}"
        )
        if key == "1":
            per_ours = q_ours / args.complaints
            per_base = q_base / args.complaints
            print(
                f"  {'1q queries per complaint created':<42} {'-':>9} "
                f"{per_ours:8.2f} {'-':>9} {per_base:8.2f} {'-':>8} "
                f"{per_ours / per_base:9.3f}"
            )
    print("  baselines:")
    for key, text in BASELINES.items():
        print(f"    {key}: {text}")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--complaints", type=int, help="N created (10000)")
    parser.add_argument("--open", type=int, help="M open for cron and KPIs (100000)")
    parser.add_argument("--quick", action="store_true", help="N=500, M=5000")
    args = parser.parse_args()
    args.complaints = args.complaints or (500 if args.quick else 10_000)
    args.open = args.open or (5_000 if args.quick else 100_000)
    return args


def main():
    args = parse_args()
    started = time.perf_counter()
    res_ours, res_base, setup = {}, {}, {}
    with (
        bench_env(["crm_iso_complaints"], "crm_iso_bench_ours") as ours,
        bench_env(["helpdesk_mgmt_sla"], "crm_iso_bench_sla") as base,
    ):
        fixtures = (setup_ours(ours), setup_baseline(base))
        now = fields.Datetime.now()
        with measure(ours, "ours", setup):
            generate_complaints(ours, fixtures[0], args.open, now)
        with measure(base, "baseline", setup):
            generate_sla_tickets(base, fixtures[1], args.open, now)
        log(
            f"generated {args.open} open rows by SQL: ours {setup['ours'][0]:.1f} s, "
            f"baseline {setup['baseline'][0]:.1f} s"
        )
        measure_cron(ours, base, res_ours, res_base)
        make_history(ours, now)
        measure_kpis(ours, res_ours, res_base)
        # last, so that the cron and the KPIs run over exactly the M generated rows
        measure_create(ours, base, fixtures, args.complaints, res_ours, res_base)
        print_table(args, res_ours, res_base)
    log(f"total {time.perf_counter() - started:.0f} s (installs included)")


if __name__ == "__main__":
    main()
