# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Demo data a mall recognises, generated deterministically at install.

Plain Python, no model: a production database has nothing of it in its registry.
It runs from demo/crm_mall_counter_demo.xml only, through the demo-only entry
point ``crm.mall.counter._crm_demo_generate`` (private, refused unless the
database is being loaded with demo data), which imports this module lazily.
The demo staff's passwords are their logins: acceptable in a demo database only.

What it makes: counters on
four floors, staff of every group, 220 visitors with Persian names and phone
numbers, two months of visits and subjects of every type, complaints in every
stage with realistic timing, kiosk survey answers, QC rounds and benchmark
visits of two competitors (the comparison shows gaps), so that every list,
board, KPI and the cockpit show something on the first login.
"""

import random
from collections import defaultdict
from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError

from odoo.addons.crm_iso_complaints.tools import clock, working_time

FIRST_NAMES = (
    "علی",
    "محمد",
    "رضا",
    "حسین",
    "مهدی",
    "امیر",
    "سارا",
    "مریم",
    "زهرا",
    "فاطمه",
    "نرگس",
    "الهام",
    "نیلوفر",
    "پریسا",
    "کیان",
    "آرش",
    "بهاره",
    "شیرین",
    "یاسمن",
    "پویا",
)
LAST_NAMES = (
    "احمدی",
    "محمدی",
    "حسینی",
    "رضایی",
    "کریمی",
    "موسوی",
    "جعفری",
    "صادقی",
    "رحیمی",
    "کاظمی",
    "هاشمی",
    "نوری",
    "یزدانی",
    "شریفی",
    "قاسمی",
    "اکبری",
)
STAFF = (
    ("demo_agent_1", "سمیرا توکلی", "crm_mall_counter.group_counter_agent"),
    ("demo_agent_2", "حامد نادری", "crm_mall_counter.group_counter_agent"),
    ("demo_caller", "لیلا فرهادی", "crm_mall_counter.group_call_centre_agent"),
    ("demo_reviewer", "مجید امینی", "crm_mall_counter.group_office_reviewer"),
    ("demo_inspector", "نسرین بهرامی", "crm_mall_counter.group_qc_inspector"),
    ("demo_cleaning", "کامران زارعی", "crm_mall_counter.group_action_staff"),
    ("demo_supervisor", "فرهاد ملکی", "crm_mall_counter.group_counter_supervisor"),
    ("demo_officer", "شبنم اسدی", "crm_iso_complaints.group_complaint_user"),
    (
        "demo_complaint_manager",
        "بیژن رستمی",
        "crm_iso_complaints.group_complaint_manager",
    ),
    ("demo_survey_manager", "مینا صالحی", "crm_iso_surveys.group_survey_manager"),
    ("demo_mall_manager", "داریوش فرجی", "crm_mall_counter.group_mall_manager"),
)
#: the counters of demo/crm_mall_counter_demo.xml (Persian names in i18n/fa.po)
COUNTERS = ("ground", "food", "first", "second", "parking")
#: the mall's clock: the demo company, its counters and staff
MALL_TZ = "Asia/Tehran"
#: the counter each demo agent works at (``plan_shifts``)
AGENT_COUNTERS = (
    ("demo_agent_1", "crm_mall_counter.counter_ground"),
    ("demo_agent_2", "crm_mall_counter.counter_food"),
)
#: the token of the demo complaint whose tracking page the README links to
TRACKING_TOKEN = "demo-tracking-link"
TRACKING_COMPLAINT = "crm_iso_complaints.demo_complaint_investigation"
#: days of shifts planned ahead of today (and one behind) by ``plan_shifts``
PLAN_DAYS = 7
SUBJECTS = {
    "complaint": (
        "Escalator stopped",
        "Toilets were dirty",
        "Guard was rude",
        "Parking charged twice",
    ),
    "request": (
        "Wheelchair needed",
        "Lost child announcement",
        "Power bank to charge phone",
    ),
    "suggestion": ("More benches on floor 2", "Play area for children"),
    "information": ("Opening hours on holidays", "Where is the pharmacy"),
    "lost_found": ("Lost a black wallet", "Found car keys"),
    "compliment": ("Very helpful staff at the desk",),
}


def generate(env, visitors=220, days=60, seed=1405):
    rng = random.Random(seed)
    now = fields.Datetime.now().replace(minute=0, second=0, microsecond=0)
    counters = _counters(env)
    users = _staff(env)
    _certifications(env, users)
    _mall_clock(env, counters, users)
    plan_shifts(env)
    partners = _visitors(env, rng, visitors)
    complaints = _visits(env, rng, counters, partners, users, now, days)
    _age_complaints(env, rng, complaints, now)
    # a known tracking link (README, Try it), on a complaint of the XML demo
    # (its id is the same in every fresh demo database)
    env.ref(TRACKING_COMPLAINT).sudo().write({"access_token": TRACKING_TOKEN})
    _kiosk_answers(env, rng, counters, partners, now, days)
    template = _inspections(env, rng, users, now)
    _benchmarks(env, users, now, template)
    # the codes of conduct's last closed periods, measured on this history
    env["crm.iso.conduct.commitment"]._cron_snapshot_periods(now.date())
    keep_messages_home(env)


def keep_messages_home(env):
    """Demo messages never leave the machine: the acknowledgements queued for
    the demo's made-up visitors (mails, and SMS where Odoo's ``sms`` is
    installed: its cron would send them to Odoo's paid SMS service) are
    cancelled, kept in the chatter as messages that were not sent."""
    if "sms.sms" in env:
        env["sms.sms"].sudo().search([("state", "=", "outgoing")]).action_set_canceled()
    env["mail.mail"].sudo().search([("state", "=", "outgoing")]).cancel()


def _counters(env):
    return env["crm.mall.counter"].union(
        *(env.ref(f"crm_mall_counter.counter_{name}") for name in COUNTERS)
    )


def _mall_clock(env, counters, users):
    """The mall in Tehran: the company, the counters' opening hours (a copy
    of the company's working week, so complaint deadlines keep their own
    calendar) and the staff, admin included, read Tehran's clock; the kiosks
    and the waiting-room screen speak Persian when the database has it."""
    company = env.company
    company.partner_id.tz = MALL_TZ
    hours = company.resource_calendar_id.copy({"name": "Mall opening hours"})
    hours.tz = MALL_TZ
    counters.write({"calendar_id": hours.id})
    (users | env.ref("base.user_admin")).write({"tz": MALL_TZ})
    # the mall's public devices speak to its visitors in Persian
    for model in ("crm.mall.kiosk.device", "crm.mall.display"):
        env[model].search([]).write({"lang": _lang(env)})


def plan_shifts(env):
    """Every demo agent on shift at their counter from yesterday to
    ``PLAN_DAYS`` ahead, round the clock (morning, evening and night
    templates), in the counter's time zone; the shifts already planned stay.

    Run at install and by the demo's cron (demo/crm_mall_counter_demo.xml):
    whenever the demo is started, its agents can check visitors in."""
    Shift = env["crm.mall.shift"].sudo()
    templates = env["crm.mall.shift.template"].search([])
    planned = []
    for login, counter_ref in AGENT_COUNTERS:
        user = env["res.users"].search([("login", "=", login)], limit=1)
        counter = env.ref(counter_ref, raise_if_not_found=False)
        if not user or not counter or not _may_work(env, user, counter):
            continue
        today = clock.local_date(clock.record_tz(counter))
        days = [today + timedelta(days=n) for n in range(-1, PLAN_DAYS + 1)]
        existing = set(
            Shift.search_fetch(
                [("user_id", "=", user.id), ("date", "in", days)],
                ["date", "template_id"],
            ).mapped(lambda s: (s.date, s.template_id.id))
        )
        planned += [
            {
                "user_id": user.id,
                "counter_id": counter.id,
                "template_id": template.id,
                "date": day,
            }
            for day in days
            for template in templates
            if (day, template.id) not in existing
        ]
    return Shift.create(planned)


#: who passed which demo certification, how many days ago: demo_agent_2 holds
#: nothing (the matrix shows who may not open a shift), the inspector's pass
#: expires within the month (the reminder job has something to say)
PASSES = (
    ("demo_agent_1", "survey_training_service", 30),
    ("demo_caller", "survey_training_service", 60),
    ("demo_inspector", "survey_training_service", 350),
    ("demo_supervisor", "survey_training_service", 90),
    ("demo_officer", "survey_training_complaints", 120),
)


def pass_certification(env, survey, partner, when):
    """A passed, finished attempt of ``survey`` by ``partner`` at ``when``:
    the correct answer to each of its questions."""
    return (
        env["survey.user_input"]
        .sudo()
        .create(
            {
                "survey_id": survey.id,
                "partner_id": partner.id,
                "state": "done",
                "start_datetime": when,
                "end_datetime": when,
                "user_input_line_ids": [
                    fields.Command.create(
                        {
                            "question_id": question.id,
                            "answer_type": "suggestion",
                            "suggested_answer_id": right[:1].id,
                        }
                    )
                    for question in survey.question_ids
                    for right in [question.suggested_answer_ids.filtered("is_correct")]
                ],
            }
        )
    )


def _certifications(env, users):
    now = fields.Datetime.now()
    for login, survey_ref, days in PASSES:
        user = users.filtered(lambda u, login=login: u.login == login)
        pass_certification(
            env,
            env.ref(f"crm_mall_counter.{survey_ref}"),
            user.partner_id,
            now - timedelta(days=days),
        )


def _may_work(env, user, counter):
    """Whether ``user`` may open a shift at ``counter`` now (a company that
    requires trainings refuses the demo agent who holds none: the job then
    plans the others' shifts instead of failing)."""
    try:
        env["crm.mall.training"]._crm_mall_check_competence(
            "counter_agent", user, counter.company_id
        )
    except UserError:
        return False
    return True


def _lang(env):
    """Persian when the database has it (``make run`` loads it), else English."""
    return "fa_IR" if env["res.lang"]._get_data(code="fa_IR").active else "en_US"


def _staff(env):
    """The unit's staff users, one or more per group."""
    users = env["res.users"]
    lang = _lang(env)
    for login, name, group in STAFF:
        users |= users.create(
            {
                "login": login,
                "password": login,
                "name": name,
                "lang": lang,
                "group_ids": [(6, 0, env.ref(group).ids)],
            }
        )
    return users


def _visitors(env, rng, count):
    return env["res.partner"].create(_visitor_vals(env, rng, count))


def _visitor_vals(env, rng, count):
    """Persian names from ``rng``, Iranian mobiles +98912 0000001 and on."""
    lang = _lang(env)
    return [
        {
            "name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            "phone": f"+98912{i:07d}",
            "crm_mall_phone": f"+98912{i:07d}",
            "email": f"visitor{i}@example.com" if i % 3 == 0 else False,
            "lang": lang,
        }
        for i in range(1, count + 1)
    ]


def _visits(env, rng, counters, partners, users, now, days):
    """Visits and subjects over the last ``days``; returns the complaints."""
    agent = users.filtered(lambda u: u.login == "demo_agent_1")
    Visit, Subject = env["crm.mall.visit"], env["crm.mall.subject"]
    # history: past check-ins and reviews, written as they were then
    with Visit._crm_iso_unlocked(), Subject._crm_iso_unlocked():
        subjects = _subjects(env, rng, counters, partners, agent, now, days)
    return subjects.ticket_id.filtered("is_complaint")


def _subjects(env, rng, counters, partners, agent, now, days):
    vals_list = [
        {
            "counter_id": rng.choice(counters).id,
            "partner_id": rng.choice(partners).id,
            "agent_id": agent.id,
            "state": "served",
            "checkin_date": now
            - timedelta(days=rng.randrange(days), hours=rng.randrange(10)),
            "channel": "call_centre" if rng.random() < 0.15 else "counter",
        }
        for _i in range(days * 8)
    ]
    # visitors waiting at the ground floor desk now: the board has a queue
    ground = env.ref("crm_mall_counter.counter_ground")
    vals_list += [
        {
            "counter_id": ground.id,
            "partner_id": rng.choice(partners).id,
            "agent_id": agent.id,
            "state": "waiting",
            "checkin_date": now - timedelta(minutes=minutes),
            "channel": "counter",
        }
        for minutes in (25, 18, 12, 4)
    ]
    visits = env["crm.mall.visit"].create(_queue(env, rng, vals_list))
    categories = env["helpdesk.ticket.category"].search(
        [
            (
                "parent_id",
                "=",
                env.ref("crm_iso_complaints.category_complaints").id,
            )
        ]
    )
    subjects = env["crm.mall.subject"].create(
        [
            {
                "visit_id": visit.id,
                "subject_type": kind,
                "description": rng.choice(SUBJECTS[kind]),
                "mood": rng.choice(["calm", "happy", "worried", "upset", "angry"]),
                "state": "reviewed" if rng.random() < 0.8 else "new",
                "category_id": rng.choice(categories).id
                if kind == "complaint"
                else False,
            }
            for visit in visits
            if visit.state == "served" and rng.random() < 0.7
            for kind in [rng.choice(list(SUBJECTS))]
        ]
    )
    return subjects


def _queue(env, rng, vals_list):
    """Queue numbers and stamps of the counter visits of ``vals_list``: numbered
    in order of arrival per counter, service and local day, called after a wait
    of a few minutes (some long), 6% no-shows, served in 2 to 12 minutes."""
    services = env["crm.mall.queue.service"].search([])
    counters = env["crm.mall.counter"].browse({v["counter_id"] for v in vals_list})
    tz = {counter.id: clock.record_tz(counter) for counter in counters}
    series = defaultdict(int)
    at_counter = [v for v in vals_list if v["channel"] == "counter"]
    for vals in sorted(at_counter, key=lambda v: v["checkin_date"]):
        service = rng.choice(services)
        day = clock.local_date(tz[vals["counter_id"]], vals["checkin_date"])
        series[vals["counter_id"], service.id, day] += 1
        seq = series[vals["counter_id"], service.id, day]
        vals.update(
            service_id=service.id,
            priority=rng.random() < 0.08,
            queue_date=day,
            queue_seq=seq,
            queue_number=f"{service.code}-{seq:03d}",
        )
        if vals["state"] == "waiting":
            continue
        call = vals["checkin_date"] + timedelta(minutes=min(rng.expovariate(1 / 6), 45))
        vals["call_time"] = call
        if rng.random() < 0.06:
            vals["state"] = "no_show"
            continue
        start = call + timedelta(minutes=rng.uniform(0.3, 1.5))
        vals.update(
            service_start=start,
            service_end=start + timedelta(minutes=rng.uniform(2, 12)),
        )
    return vals_list


def _age_complaints(env, rng, complaints, now):
    """Spread the complaints over past weeks and walk them through every stage."""
    stages = [
        "received",
        "acknowledged",
        "assessed",
        "investigation",
        "response",
        "closed",
    ]
    for complaint in complaints:
        # received at the visit that registered it: the figures agree by date
        received = min(
            complaint.crm_mall_visit_id.checkin_date
            + timedelta(minutes=rng.randrange(2, 15)),
            fields.Datetime.now(),
        )
        complaint._crm_iso_write({"received_date": received})
        target = rng.choice(stages + ["closed", "closed", "rejected"])
        if target == "rejected":
            complaint._reject_with_reason("Not a complaint: an information request")
            continue
        for state in stages[1 : stages.index(target) + 1]:
            if state == "assessed":
                complaint.write(
                    {
                        "complaint_severity": rng.choice("1234"),
                        "complaint_impact": rng.choice("123"),
                        "is_eligible_complaint": True,
                    }
                )
            if state == "response":
                complaint.write(
                    {
                        "complaint_remedy": "apology",
                        "complaint_response": "<p>We apologise.</p>",
                    }
                )
                complaint.action_propose_response()
                complaint.action_customer_accept()
                continue
            complaint._complaint_transition(state)
        _backdate(env, rng, complaint, received)


def _backdate(env, rng, complaint, received):
    """Stamps and working hours as if the complaint had been handled then."""
    calendar = complaint.complaint_policy_id.calendar_id
    values, moment = {}, received
    latest = fields.Datetime.now() - timedelta(minutes=5)
    for field in (
        "acknowledged_date",
        "assessed_date",
        "investigation_date",
        "response_date",
        "complaint_closed_date",
    ):
        if complaint[field]:
            # one investigation in four drags on past the resolution deadline
            slow = field == "response_date" and rng.random() < 0.25
            moment += timedelta(hours=rng.randrange(*((250, 450) if slow else (2, 30))))
            values[field] = min(moment, latest)
    if values.get("acknowledged_date"):
        values["ack_work_hours"] = working_time.working_hours_between(
            calendar, [(received, values["acknowledged_date"])]
        )[0]
        values["ack_on_time"] = values["acknowledged_date"] <= complaint.ack_deadline
    if values.get("complaint_closed_date"):
        values["resolve_work_hours"] = working_time.working_hours_between(
            calendar, [(received, values["complaint_closed_date"])]
        )[0]
        values["resolve_on_time"] = (
            values["complaint_closed_date"] <= complaint.resolve_deadline
        )
    complaint._crm_iso_write(values)


def _kiosk_answers(env, rng, counters, partners, now, days):
    plan = env.ref("crm_iso_surveys.plan_after_complaint")
    survey = plan.survey_ids[:1]
    questions = survey.question_ids
    responses = env["survey.user_input"].create(
        [
            {
                "survey_id": survey.id,
                "partner_id": rng.choice(partners).id if rng.random() < 0.6 else False,
                "crm_iso_plan_id": plan.id,
                "crm_iso_channel": "kiosk",
                "crm_mall_counter_id": rng.choice(counters).id,
                "crm_iso_touchpoint_id": env.ref(
                    "crm_iso_complaints.touchpoint_counter"
                ).id,
            }
            for _i in range(300)
        ]
    )
    lines = []
    for response in responses:
        mood = rng.random()
        for question in questions:
            low, high = question.scale_min, question.scale_max
            good = question.crm_iso_metric != "ces"
            value = (
                high - rng.randrange(0, 3)
                if (mood > 0.3) == good
                else low + rng.randrange(0, 3)
            )
            lines.append(
                {
                    "user_input_id": response.id,
                    "question_id": question.id,
                    "answer_type": "scale",
                    "value_scale": min(max(value, low), high),
                }
            )
    env["survey.user_input.line"].create(lines)
    responses._mark_done()
    for response in responses:
        response.end_datetime = now - timedelta(days=rng.randrange(days))


def _inspections(env, rng, users, now):
    inspector = users.filtered(lambda u: u.login == "demo_inspector")
    template = env["crm.mall.qc.template"].create(
        {
            "name": "Food court hygiene round",
            "zone": "Food court",
            "item_ids": [
                (
                    0,
                    0,
                    {
                        "section": "Tables",
                        "name": "Tables clean",
                        "answer_type": "yes_no",
                        "weight": 2,
                    },
                ),
                (
                    0,
                    0,
                    {
                        "section": "Air",
                        "name": "Smell",
                        "answer_type": "rating",
                        "weight": 3,
                    },
                ),
                (
                    0,
                    0,
                    {
                        "section": "Fridges",
                        "name": "Fridge temperature (°C)",
                        "answer_type": "number",
                        "weight": 2,
                        "number_min": 0,
                        "number_max": 5,
                    },
                ),
            ],
        }
    )
    for day in range(14):
        inspection = (
            env["crm.mall.qc.inspection"]
            .with_user(inspector)
            .create(
                {
                    "template_id": template.id,
                    "zone": "Food court",
                    "date": (now - timedelta(days=day)).date(),
                    "shift_template_id": env.ref(
                        "crm_mall_counter.shift_template_morning"
                    ).id,
                }
            )
        )
        for line in inspection.line_ids:
            if line.answer_type == "yes_no":
                line.value_yes_no = "yes" if rng.random() < 0.8 else "no"
            elif line.answer_type == "rating":
                line.value_rating = str(rng.randrange(2, 6))
            else:
                line.write({"value_number": rng.randrange(1, 8), "number_given": True})
        inspection.action_submit()
    return template


#: the demo competitors' answers on the food court checklist, per answer type:
#: Arg Centre does everything right (gaps on each criterion the mall misses),
#: Parsian Mall leaves tables dirty but keeps its fridges right
BENCHMARKS = (
    (
        "crm_mall_counter.demo_competitor_arg",
        {"yes_no": "yes", "rating": "5", "number": 3},
        "yes_no",
        (
            "Their food court staff tell visitors the tables are cleaned after "
            "every guest and point them to a free table."
        ),
    ),
    (
        "crm_mall_counter.demo_competitor_parsian",
        {"yes_no": "no", "rating": "4", "number": 2},
        "number",
        (
            "A sign at each fridge shows its temperature; staff tell visitors the "
            "food is kept at 0-5 °C."
        ),
    ),
)


def _benchmarks(env, users, now, template):
    """Two benchmark visits of each demo competitor (3 and 12 days ago: the
    months of the mall's own rounds), submitted; the older ones approved by the
    administrator (a mall manager, not the inspector) and the gaps of Arg
    Centre raised as improvement actions."""
    inspector = users.filtered(lambda u: u.login == "demo_inspector")
    admin = env.ref("base.user_admin")
    Inspection = env["crm.mall.qc.inspection"].with_user(inspector)
    for xmlid, answers, noted, note in BENCHMARKS:
        competitor = env.ref(xmlid)
        for days in (3, 12):
            visit = Inspection.create(
                {
                    "competitor_id": competitor.id,
                    "template_id": template.id,
                    "zone": "Food court",
                    "date": (now - timedelta(days=days)).date(),
                    "note": "Visited as a customer at lunch time.",
                }
            )
            for line in visit.line_ids:
                value = answers[line.answer_type]
                if line.answer_type == "number":
                    line.write({"value_number": value, "number_given": True})
                else:
                    line[f"value_{line.answer_type}"] = value
            visit.line_ids.filtered(lambda l, t=noted: l.answer_type == t).note = note
            visit.action_submit()
            if days == 12:
                visit.with_user(admin).action_approve()
    env.ref(BENCHMARKS[0][0]).with_user(admin).action_raise_gap_actions()
