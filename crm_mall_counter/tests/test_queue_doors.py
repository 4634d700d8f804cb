# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The queue's rules from every door (issue #25, item 8), through the real
external API (``/jsonrpc`` execute_kw, ``/json/2`` with an API key) as agents on
and off shift, supervisors and managers; every refusal is followed by a re-read
of what it would have changed. The same rules under real parallel requests to a
server with two workers: test_queue_workers.py."""

import importlib.util
from datetime import timedelta
from pathlib import Path

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import SQL

from odoo.addons.crm_iso_complaints.tests.common import execute_kw
from odoo.addons.crm_iso_complaints.tools import clock

from .common import MallCase, open_visits, shift_now

PASSWORD = "queue-doors-pass-1234"
AGENT = "crm_mall_counter.group_counter_agent"
SUPERVISOR = "crm_mall_counter.group_counter_supervisor"
MANAGER = "crm_mall_counter.group_mall_manager"
CALL_CENTRE = "crm_mall_counter.group_call_centre_agent"
#: what a transition or a forged write could change on a visit
STAMPS = [
    "state",
    "counter_id",
    "call_time",
    "service_start",
    "service_end",
    "shift_id",
    "agent_id",
    "queue_number",
    "queue_seq",
    "transferred_to_id",
    "service_level_minutes",
    "within_service_level",
]


MIGRATION = (
    Path(__file__).parents[1] / "migrations" / "19.0.2.3.0" / "pre-queue-rules.py"
)


@tagged("post_install", "-at_install")
class TestQueueDoors(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Counter = cls.env["crm.mall.counter"]
        cls.counter = Counter.create({"name": "Doors A", "code": "DR-A"})
        cls.other = Counter.create({"name": "Doors B", "code": "DR-B"})

        def user(login, group):
            return new_test_user(cls.env, login, groups=group, password=PASSWORD)

        cls.agent = user("doors_agent", AGENT)
        cls.agent_b = user("doors_agent_b", AGENT)
        cls.late = user("doors_late", AGENT)
        cls.idle = user("doors_idle", AGENT)
        cls.supervisor = user("doors_sup", SUPERVISOR)
        cls.supervisor_b = user("doors_sup_b", SUPERVISOR)
        cls.manager = user("doors_manager", MANAGER)
        cls.caller = user("doors_call_centre", CALL_CENTRE)
        cls.counter.supervisor_ids = cls.supervisor
        cls.other.supervisor_ids = cls.supervisor_b
        shift_now(cls.agent, cls.counter, hours=8)
        shift_now(cls.agent_b, cls.other, hours=8)
        # the late agent's shift at the counter ended an hour ago
        now = fields.Datetime.now()
        cls.env["crm.mall.shift"].create(
            {
                "user_id": cls.late.id,
                "counter_id": cls.counter.id,
                "date": now.date(),
                "start": now - timedelta(hours=4),
                "stop": now - timedelta(hours=1),
            }
        )
        cls.phones = iter(f"0912555{i:04d}" for i in range(1, 10000))

    # ------------------------------------------------------------ helpers
    def rpc(self, user, model, method, *args, **kwargs):
        """(result, error's class name) of execute_kw as ``user`` (/jsonrpc)."""
        result, error = execute_kw(self, user, PASSWORD, model, method, args, kwargs)
        return result, error and error.rsplit(".", 1)[-1]

    def json2(self, user, model, method, **params):
        """(HTTP status, error's class name or None) of /json/2 as ``user``."""
        key = (
            self.env["res.users.apikeys"]
            .with_user(user)
            ._generate("rpc", "queue doors", fields.Datetime.now() + timedelta(hours=1))
        )
        response = self.url_open(
            f"/json/2/{model}/{method}",
            json=params,
            headers={"Authorization": f"Bearer {key}"},
            method="POST",
        )
        if response.status_code == 200:
            return 200, None
        return response.status_code, response.json()["name"].rsplit(".", 1)[-1]

    def arrive(self, counter=None, **kwargs):
        """A check-in by the agent on shift at ``counter``, over /jsonrpc."""
        counter = counter or self.counter
        agent = self.agent if counter == self.counter else self.agent_b
        ids, error = self.rpc(
            agent,
            "crm.mall.visit",
            "checkin",
            next(self.phones),
            counter_id=counter.id,
            **kwargs,
        )
        self.assertIsNone(error)
        return self.env["crm.mall.visit"].browse(ids)

    def stored(self, visits):
        self.env.invalidate_all()
        return visits.read(STAMPS)

    def assertRefused(self, visits, calls):
        """Each (user, method, *args) refused, visits unchanged: a UserError, or
        an AccessError for the agent of the other counter (who cannot read the
        visits of this one)."""
        before = self.stored(visits)
        for user, method, *args in calls:
            with self.subTest(user=user.login, method=method):
                _result, got = self.rpc(
                    user, "crm.mall.visit", method, visits.ids, *args
                )
                error = "AccessError" if user == self.agent_b else "UserError"
                self.assertEqual(got, error)
                self.assertEqual(self.stored(visits), before, "nothing changed")

    # ------------------------------------------------------------ 1. shift
    def test_every_transition_needs_the_callers_open_shift(self):
        """Call, start, served, no-show and transfer: refused to an agent whose
        shift ended, to an agent on shift at another counter, to a supervisor
        and a manager off shift, also under sudo; done by the agent on shift."""
        waiting = self.arrive()
        off_shift = (self.late, self.agent_b, self.supervisor, self.manager)
        self.assertRefused(
            waiting,
            [
                (user, method, *args)
                for user in off_shift
                for method, *args in (
                    ("action_call",),
                    ("action_served",),
                    ("action_transfer", self.other.id),
                )
            ],
        )
        status, error = self.json2(
            self.late, "crm.mall.visit", "action_served", ids=waiting.ids
        )
        self.assertEqual((status, error), (422, "UserError"))
        self.assertEqual(self.stored(waiting)[0]["state"], "waiting")
        # the real user, not env.su: a sudo() path refuses the same
        with self.assertRaises(UserError):
            waiting.with_user(self.late).sudo().action_served()
        self.assertFalse(waiting.call_time, "the call is not stamped either")

        _result, error = self.rpc(
            self.agent, "crm.mall.visit", "action_call", waiting.ids
        )
        self.assertIsNone(error)
        self.assertRefused(
            waiting,
            [
                (user, method, *args)
                for user in off_shift
                for method, *args in (
                    ("action_start_service",),
                    ("action_no_show",),
                    ("action_served",),
                    ("action_transfer", self.other.id),
                )
            ],
        )
        for method in ("action_start_service", "action_served"):
            _result, error = self.rpc(self.agent, "crm.mall.visit", method, waiting.ids)
            self.assertIsNone(error, method)
        self.assertEqual(waiting.state, "served")
        # served at once from the queue: the caller on shift is stamped
        quick = self.arrive()
        _result, error = self.rpc(
            self.agent, "crm.mall.visit", "action_served", quick.ids
        )
        self.assertIsNone(error)
        self.assertEqual((quick.agent_id, quick.shift_id.user_id), (self.agent,) * 2)

    # ------------------------------------------------------------ 2. counter
    def test_only_transfer_moves_a_visitor(self):
        first, second = self.arrive(), self.arrive()
        self.assertEqual((first | second).mapped("queue_number"), ["A-001", "A-002"])
        before = self.stored(second)
        forged = (
            {"counter_id": self.other.id},
            {"counter_id": False},
            {"channel": "call_centre"},
        )
        for user in (self.agent, self.supervisor, self.manager):
            for vals in forged:
                with self.subTest(user=user.login, vals=vals):
                    _result, error = self.rpc(
                        user, "crm.mall.visit", "write", second.ids, vals
                    )
                    self.assertEqual(error, "UserError")
                    self.assertEqual(self.stored(second), before)
        status, error = self.json2(
            self.manager,
            "crm.mall.visit",
            "write",
            ids=second.ids,
            vals={"counter_id": self.other.id},
        )
        self.assertEqual((status, error), (422, "UserError"))
        with self.assertRaises(UserError):  # the superuser too
            second.sudo().write({"counter_id": self.other.id})
        self.assertEqual(self.stored(second), before)
        # the first counter's series goes on: no number drawn twice
        third = self.arrive()
        self.assertEqual(third.queue_number, "A-003")
        # Transfer moves them: the visit ends here, a new one waits there
        ids, error = self.rpc(
            self.agent, "crm.mall.visit", "action_transfer", second.ids, self.other.id
        )
        self.assertIsNone(error)
        moved = self.env["crm.mall.visit"].browse(ids)
        self.assertEqual((moved.counter_id, moved.queue_number), (self.other, "A-001"))
        self.assertEqual(moved.transferred_from_id, second)
        self.assertEqual(
            (second.counter_id, second.state, second.transferred_to_id),
            (self.counter, "transferred", self.other),
        )
        self.assertEqual(self.arrive().queue_number, "A-004")
        # the series is unique in PostgreSQL itself
        self.env.cr.execute(
            SQL(
                "SELECT indexdef FROM pg_indexes WHERE indexname = %s",
                "crm_mall_visit_queue_number_uniq",
            )
        )
        self.assertIn(
            "UNIQUE INDEX", self.env.cr.fetchone()[0], "(counter, service, day, rank)"
        )

    # ------------------------------------------------------------ 3. create
    def test_visits_enter_a_queue_only_through_the_checkin(self):
        Visit = self.env["crm.mall.visit"]
        partner = self.env["res.partner"].create({"name": "Made-up visitor"})
        mine = [("partner_id", "=", partner.id)]
        attempts = (
            {"counter_id": self.counter.id, "partner_id": partner.id},
            {"partner_id": partner.id},
            {"channel": "call_centre", "partner_id": partner.id},
        )
        for user in (self.idle, self.agent, self.supervisor, self.manager):
            for vals in attempts:
                with self.subTest(user=user.login, vals=vals):
                    _result, error = self.rpc(user, "crm.mall.visit", "create", vals)
                    self.assertEqual(error, "UserError")
                    self.assertFalse(Visit.search(mine))
        status, error = self.json2(
            self.idle, "crm.mall.visit", "create", vals_list=[attempts[0]]
        )
        self.assertEqual((status, error), (422, "UserError"))
        with self.assertRaises(UserError):  # the superuser too
            Visit.create(attempts[0])
        self.assertFalse(Visit.search(mine))
        # no shift, no check-in
        _result, error = self.rpc(
            self.idle,
            "crm.mall.visit",
            "checkin",
            "09125550000",
            counter_id=self.counter.id,
        )
        self.assertEqual(error, "UserError")
        self.assertFalse(Visit.search([("phone", "=", "09125550000")]))
        # the two doors: a check-in draws a number, the call centre registers a call
        visit = self.arrive()
        self.assertEqual((visit.queue_number, visit.state), ("A-001", "waiting"))
        ids, error = self.rpc(
            self.caller,
            "crm.mall.visit",
            "checkin",
            "09125550001",
            channel="call_centre",
        )
        self.assertIsNone(error)
        call = Visit.browse(ids)
        self.assertEqual((call.channel, call.counter_id.id), ("call_centre", False))

    # ------------------------------------------------------------ 4. order
    def test_call_next_and_the_screen_share_one_queue(self):
        """Today's waiting visitors, priority first then the oldest: the screen
        lists them in the order Call next calls them, row for row. A visitor
        without a priority (an empty one, as rows of older versions have) is not
        called first; one left waiting since yesterday is in neither."""
        now = fields.Datetime.now()
        yesterday = self.arrive()
        empty = self.arrive()
        plain = self.arrive()
        elderly = self.arrive(priority=True)
        later = self.arrive()
        self.env.flush_all()
        # minutes ago, but never before the counter's local midnight: just
        # after it, "3 minutes ago" is yesterday there (failed at 00:02 in
        # Brussels, the demo calendar's zone)
        midnight = clock.day_start(clock.record_tz(self.counter), now)[1]
        empty_at = max(now - timedelta(minutes=3), midnight)
        plain_at = empty_at + (now - empty_at) / 2
        for visit, moment in (
            (yesterday, now - timedelta(hours=26)),
            (empty, empty_at),
            (plain, plain_at),
        ):
            self.env.cr.execute(
                SQL(
                    "UPDATE crm_mall_visit SET checkin_date = %s WHERE id = %s",
                    moment,
                    visit.id,
                )
            )
        self.env.cr.execute(
            SQL("UPDATE crm_mall_visit SET priority = NULL WHERE id = %s", empty.id)
        )
        self.env.invalidate_all()
        screen, error = self.rpc(self.agent, "crm.mall.checkin", "screen_lookup")
        self.assertIsNone(error)
        listed = [row["id"] for row in screen["queue"]]
        called = []
        for _visitor in range(10):
            action, error = self.rpc(
                self.agent, "crm.mall.counter", "action_call_next", self.counter.ids
            )
            if error:
                self.assertEqual(error, "UserError", "nobody waiting")
                break
            called.append(action["params"]["next"]["res_id"])
        self.assertEqual(called, listed, "same rows, same order")
        self.assertEqual(called, [elderly.id, empty.id, plain.id, later.id])
        self.assertEqual(self.stored(yesterday)[0]["state"], "waiting")

    # ------------------------------------------------------------ 5. level
    def test_the_service_level_of_the_call_stays(self):
        """Called after 8 minutes under a 10-minute level: within it, and still
        when served after the manager lowered the level to 5; a visitor called
        after that is measured with 5."""
        self.counter.service_level_minutes = 10
        first, second = self.arrive(), self.arrive()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE crm_mall_visit SET checkin_date = %s WHERE id IN %s",
                fields.Datetime.now() - timedelta(minutes=8),
                (first | second)._ids,
            )
        )
        self.env.invalidate_all()
        _result, error = self.rpc(
            self.agent, "crm.mall.visit", "action_call", first.ids
        )
        self.assertIsNone(error)
        self.assertEqual(
            (first.service_level_minutes, first.within_service_level), (10, True)
        )
        _result, error = self.rpc(
            self.manager,
            "crm.mall.counter",
            "write",
            self.counter.ids,
            {"service_level_minutes": 5},
        )
        self.assertIsNone(error)
        for visit in (first, second):
            _result, error = self.rpc(
                self.agent, "crm.mall.visit", "action_served", visit.ids
            )
            self.assertIsNone(error)
        self.env.invalidate_all()
        self.assertEqual(
            [(v.service_level_minutes, v.within_service_level) for v in first | second],
            [(10, True), (5, False)],
        )
        self.assertRefused(
            first,
            [
                (self.manager, "write", {"service_level_minutes": 60}),
                (self.manager, "write", {"within_service_level": False}),
            ],
        )

    # ------------------------------------------------------------ 6. bounds
    def test_checkin_inputs_are_bounded(self):
        """100,000 characters in any text of the check-in: a sentence, nothing
        stored (no visit, no visitor, no email)."""
        Visit = self.env["crm.mall.visit"]
        known = self.arrive(email="known@example.com").partner_id
        huge = "x" * 100000
        phone = "09125559999"
        calls = (
            ("crm.mall.visit", "checkin", (phone,), {"name": huge}),
            ("crm.mall.visit", "checkin", (huge,), {}),
            (
                "crm.mall.visit",
                "checkin",
                (phone,),
                {"email": huge + "@example.com"},
            ),
            (
                "crm.mall.visit",
                "checkin",
                (known.phone,),
                {"email": huge + "@example.com"},
            ),
            (
                "crm.mall.checkin",
                "screen_register",
                (phone, "complaint", huge),
                {},
            ),
            (
                "crm.mall.checkin",
                "screen_register",
                (known.phone, "complaint", "Lift", huge),
                {},
            ),
            ("crm.mall.checkin", "screen_lookup", (huge,), {}),
            ("crm.mall.checkin", "screen_lookup", ("", huge), {}),
        )
        visits = Visit.search_count([])
        for model, method, args, kwargs in calls:
            with self.subTest(method=method, args=[a[:20] for a in args], kw=kwargs):
                if "counter_id" not in kwargs and method == "checkin":
                    kwargs = {**kwargs, "counter_id": self.counter.id}
                _result, error = self.rpc(self.agent, model, method, *args, **kwargs)
                self.assertEqual(error, "UserError")
                self.env.invalidate_all()
                self.assertEqual(Visit.search_count([]), visits)
                self.assertEqual(known.email, "known@example.com")
                self.assertFalse(
                    self.env["res.partner"].search_count(
                        [("crm_mall_phone", "=", "+989125559999")]
                    )
                )
        _result, error = self.rpc(
            self.agent,
            "crm.mall.visit",
            "checkin",
            phone,
            counter_id=self.counter.id,
            name="n" * 128,
            email="e" * 240 + "@example.com",
        )
        self.assertIsNone(error, "at the bound: taken")

    # ------------------------------------------------------------ 8. screens
    def test_supervisors_screens_show_their_counters_only(self):
        Display = self.env["crm.mall.display"].sudo()
        mixed = {
            "name": "Hall",
            "counter_ids": [(6, 0, (self.counter | self.other).ids)],
        }
        screens = [("name", "=", "Hall")]
        _result, error = self.rpc(self.supervisor, "crm.mall.display", "create", mixed)
        self.assertEqual(error, "ValidationError")
        status, error = self.json2(
            self.supervisor, "crm.mall.display", "create", vals_list=[mixed]
        )
        self.assertEqual((status, error), (422, "ValidationError"))
        self.assertFalse(Display.search(screens))
        with self.assertRaises(ValidationError):  # the real user under sudo
            Display.with_user(self.supervisor).sudo().create(mixed)
        self.assertFalse(Display.search(screens))
        # their own counter: made; the other counter cannot be added
        ids, error = self.rpc(
            self.supervisor,
            "crm.mall.display",
            "create",
            {"name": "Hall", "counter_ids": [(6, 0, self.counter.ids)]},
        )
        self.assertIsNone(error)
        own = Display.browse(ids)
        _result, error = self.rpc(
            self.supervisor,
            "crm.mall.display",
            "write",
            own.ids,
            {"counter_ids": [(4, self.other.id)]},
        )
        self.assertEqual(error, "ValidationError")
        self.env.invalidate_all()
        self.assertEqual(own.counter_ids, self.counter)
        # a manager's screen of the whole hall: seen by the supervisor, not changed
        ids, error = self.rpc(self.manager, "crm.mall.display", "create", mixed)
        self.assertIsNone(error)
        hall = Display.browse(ids)
        found, error = self.rpc(
            self.supervisor, "crm.mall.display", "search", [("id", "=", hall.id)]
        )
        self.assertEqual((found, error), (hall.ids, None))
        for method, args in (
            ("write", ({"counter_ids": [(3, self.other.id)]},)),
            ("write", ({"name": "Mine now"},)),
            ("action_new_token", ()),
            ("action_revoke", ()),
            ("unlink", ()),
        ):
            with self.subTest(method=method):
                _result, error = self.rpc(
                    self.supervisor, "crm.mall.display", method, hall.ids, *args
                )
                self.assertEqual(error, "AccessError")
                self.env.invalidate_all()
                self.assertEqual(
                    (hall.name, hall.counter_ids, hall.revoked, hall.token_hash),
                    ("Hall", self.counter | self.other, False, False),
                )


@tagged("post_install", "-at_install")
class TestQueueRulesMigration(MallCase):
    def test_past_verdicts_are_kept_and_empty_priorities_are_none(self):
        """A database of 19.0.2.2.0: visits called without a stored level get
        their counter's current one, and keep the verdict they were reported
        with; an empty priority becomes no priority. Twice: no harm."""
        now = fields.Datetime.now()
        self.counter.service_level_minutes = 10
        called, waiting = open_visits(
            self.env,
            [
                {
                    "counter_id": self.counter.id,
                    "partner_id": self.agent.partner_id.id,
                    "checkin_date": now - timedelta(minutes=8),
                    "call_time": now,
                    "state": "called",
                },
                {"counter_id": self.counter.id, "partner_id": self.agent.partner_id.id},
            ],
        )
        self.assertTrue(called.within_service_level)
        self.counter.service_level_minutes = 5  # lowered since
        self.env.flush_all()
        cr = self.env.cr
        cr.execute("ALTER TABLE crm_mall_visit DROP COLUMN service_level_minutes")
        cr.execute(
            SQL("UPDATE crm_mall_visit SET priority = NULL WHERE id = %s", waiting.id)
        )
        spec = importlib.util.spec_from_file_location("pre_queue_rules", MIGRATION)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for _run in range(2):
            module.migrate(cr, "19.0.2.2.0")
            cr.execute(
                SQL(
                    "SELECT id, service_level_minutes, within_service_level, priority"
                    " FROM crm_mall_visit WHERE id IN %s ORDER BY id",
                    (called | waiting)._ids,
                )
            )
            self.assertEqual(
                cr.fetchall(),
                [(called.id, 5, True, False), (waiting.id, 0, False, False)],
                "the level known, the verdict kept, no empty priority",
            )
