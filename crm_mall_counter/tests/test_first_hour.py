# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The first hour after ``make run`` (issue #30): demo agents on shift, each
role on its own screen, one clock on every surface, devices in their language,
figures by the date things happened, no demo message leaving the machine."""

import re
from datetime import timedelta

import pytz
from freezegun import freeze_time
from lxml import html

from odoo import fields
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

from odoo.addons.crm_iso_complaints.tools import clock

from ..demo import generator
from .common import MallCase, shift_now
from .test_kiosk_cockpit import KioskCase

TEHRAN = pytz.timezone("Asia/Tehran")
PERSIAN_WORD = re.compile(r"[\u0600-\u06FF]")


def text_of(page, css_class):
    """The text of the element of ``css_class`` in the HTML ``page``."""
    nodes = html.fromstring(page).xpath(f"//*[contains(@class, '{css_class}')]")
    return nodes[0].text_content().strip() if nodes else None


@tagged("post_install", "-at_install")
class TestDemoFirstHour(TransactionCase):
    """Read from the demo as installed (``make test`` installs it just before)."""

    def agents(self):
        for login, counter_ref in generator.AGENT_COUNTERS:
            user = self.env["res.users"].search([("login", "=", login)])
            yield user, self.env.ref(counter_ref)

    def test_every_demo_agent_is_on_shift_now_at_their_counter(self):
        Shift = self.env["crm.mall.shift"]
        for user, counter in self.agents():
            self.assertEqual(counter._crm_iso_tz(), "Asia/Tehran")
            shift = Shift._current(user)
            self.assertEqual(shift.counter_id, counter, user.login)
            # planned in the counter's zone: the template's hours on Tehran's clock
            start = pytz.utc.localize(shift.start).astimezone(TEHRAN)
            self.assertEqual(
                start.hour + start.minute / 60, shift.template_id.hour_from
            )
            self.assertEqual(
                self.env["crm.mall.checkin"].with_user(user).new({}).counter_id,
                counter,
            )

    def test_the_cron_keeps_them_on_shift_on_later_days(self):
        cron = self.env.ref("crm_mall_counter.cron_demo_plan_shifts")
        Shift = self.env["crm.mall.shift"]
        later = fields.Datetime.now() + timedelta(days=40, hours=5)
        for user, _counter in self.agents():
            self.assertFalse(Shift._current(user, later))
        with freeze_time(later):
            cron.ir_actions_server_id.run()
            again = self.env["crm.mall.counter"]._crm_demo_plan_shifts()
        self.assertTrue(again)
        for user, counter in self.agents():
            self.assertEqual(Shift._current(user, later).counter_id, counter)
        # planned once: a second run adds nothing
        with freeze_time(later):
            self.assertFalse(generator.plan_shifts(self.env))

    def test_the_demo_mall_reads_tehran_time(self):
        self.assertEqual(
            clock.company_tz(self.env.ref("base.main_company")), "Asia/Tehran"
        )
        counters = self.env["crm.mall.counter"].union(
            *(self.env.ref(f"crm_mall_counter.counter_{n}") for n in generator.COUNTERS)
        )
        self.assertEqual(
            set(counters.mapped(lambda c: c._crm_iso_tz())), {"Asia/Tehran"}
        )

    def test_demo_records_agree_by_date(self):
        """A complaint registered at a visit was received on the visit's day."""
        complaints = self.env["helpdesk.ticket"].search(
            [
                ("is_complaint", "=", True),
                ("partner_id.crm_mall_phone", "=like", "+98912%"),
            ]
        )
        from_visits = complaints.filtered("crm_mall_visit_id")
        self.assertGreater(len(from_visits), 20)
        for complaint in from_visits:
            visit = complaint.crm_mall_visit_id
            self.assertGreaterEqual(
                complaint.complaint_received_date, visit.checkin_date
            )
            self.assertEqual(
                clock.local_date("Asia/Tehran", complaint.complaint_received_date),
                clock.local_date("Asia/Tehran", visit.checkin_date),
                complaint.complaint_ref,
            )

    def test_no_demo_message_leaves_the_machine(self):
        complaints = self.env["helpdesk.ticket"].search(
            [
                ("is_complaint", "=", True),
                ("partner_id.crm_mall_phone", "=like", "+98912%"),
            ]
        )
        messages = self.env["mail.message"].search(
            [("model", "=", "helpdesk.ticket"), ("res_id", "in", complaints.ids)]
        )
        mails = (
            self.env["mail.mail"]
            .sudo()
            .search([("mail_message_id", "in", messages.ids)])
        )
        self.assertTrue(mails, "the demo acknowledges complaints by mail")
        self.assertNotIn("outgoing", mails.mapped("state"))
        # phone_validation (a dependency) brings Odoo's sms module: always there
        self.assertIn("sms.sms", self.env, "Odoo's sms module is not installed")
        sms = (
            self.env["sms.sms"].sudo().search([("mail_message_id", "in", messages.ids)])
        )
        self.assertTrue(sms, "the demo acknowledges complaints by SMS")
        self.assertEqual(set(sms.mapped("state")), {"canceled"})

    def test_demo_names_in_persian_for_persian_staff(self):
        self.env["res.lang"]._activate_lang("fa_IR")
        self.env["ir.module.module"]._load_module_terms(["crm_mall_counter"], ["fa_IR"])
        counters = self.env["crm.mall.counter"].union(
            *(self.env.ref(f"crm_mall_counter.counter_{n}") for n in generator.COUNTERS)
        )
        screen = self.env.ref("crm_mall_counter.display_waiting_room")
        services = self.env["crm.mall.queue.service"].search([])
        for records in (counters, screen, services):
            self._assert_persian_and_english(records)

    def _assert_persian_and_english(self, records):
        for record in records.with_context(lang="fa_IR"):
            self.assertRegex(record.name, PERSIAN_WORD, record)
        for record in records.with_context(lang="en_US"):
            self.assertNotRegex(record.name, PERSIAN_WORD, record)


@tagged("post_install", "-at_install")
class TestBoardByEventDate(MallCase):
    def _subject_of_visit_at(self, moment, kind):
        Visit = self.env["crm.mall.visit"].sudo()
        with Visit._crm_iso_unlocked():
            visit = Visit.create(
                {
                    "counter_id": self.counter.id,
                    "partner_id": self.env["res.partner"].create({"name": "V"}).id,
                    "checkin_date": moment,
                    "state": "served",
                    "channel": "counter",
                }
            )
        return (
            self.env["crm.mall.subject"]
            .sudo()
            .create({"visit_id": visit.id, "subject_type": kind, "description": "Said"})
        )

    def test_subjects_count_on_the_day_of_their_visit(self):
        now = fields.Datetime.now()
        # both rows written now; one visit happened yesterday
        self._subject_of_visit_at(now - timedelta(days=1, hours=1), "complaint")
        self._subject_of_visit_at(now, "request")
        self.counter.invalidate_recordset()
        self.assertEqual(self.counter.subjects_today, 1)
        self.assertEqual(self.counter.complaints_today, 0)


@tagged("post_install", "-at_install")
class TestLanding(HttpCase):
    """After login each role opens on its own screen (``home_action_id``)."""

    def test_each_role_lands_on_its_screen(self):
        roles = (
            ("group_counter_agent", "action_crm_mall_checkin_screen"),
            ("group_call_centre_agent", "action_crm_mall_call"),
            ("group_qc_inspector", "action_crm_mall_qc_inspections"),
            ("group_mall_manager", "action_crm_mall_cockpit"),
        )
        for group, action in roles:
            login = f"landing_{group}"
            new_test_user(self.env, login, groups=f"crm_mall_counter.{group}")
            self.authenticate(login, login)
            info = self.make_jsonrpc_request("/web/session/get_session_info")
            self.assertEqual(
                info["home_action_id"],
                self.env.ref(f"crm_mall_counter.{action}").id,
                group,
            )
        # a chosen home action wins; administrators keep Odoo's default
        user = self.env["res.users"].search([("login", "=", login)])
        user.action_id = self.env.ref("crm_mall_counter.action_crm_mall_visits").id
        info = self.make_jsonrpc_request("/web/session/get_session_info")
        self.assertEqual(info["home_action_id"], user.action_id.id)
        self.authenticate("admin", "admin")
        info = self.make_jsonrpc_request("/web/session/get_session_info")
        self.assertFalse(info["home_action_id"])


@tagged("post_install", "-at_install")
class TestOneClock(HttpCase, KioskCase):
    """One complaint at a Tehran counter, printed by a user in New York: every
    surface shows the same Tehran clock."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar.tz = "Asia/Tehran"
        cls.env.user.tz = "America/New_York"
        shift_now(cls.agent, cls.counter)
        cls.visit = (
            cls.env["crm.mall.visit"]
            .with_user(cls.agent)
            .checkin(
                "09125550101",
                name="Clock Visitor",
                counter_id=cls.counter.id,
                email="clock@example.com",
            )
        )
        cls.subject = (
            cls.env["crm.mall.subject"]
            .with_user(cls.agent)
            .create(
                {
                    "visit_id": cls.visit.id,
                    "subject_type": "complaint",
                    "description": "Lift broken",
                }
            )
        )
        cls.complaint = cls.subject.sudo().ticket_id

    def expected(self, moment):
        """Tehran's clock, computed apart from the suite's helpers."""
        return pytz.utc.localize(moment).astimezone(TEHRAN).strftime("%Y-%m-%d %H:%M")

    def surfaces(self):
        """Received / due strings on each surface, in the complainant's language."""
        complaint = self.complaint
        Report = self.env["ir.actions.report"].with_context(tz="America/New_York")
        found = {}
        for name, report, ids in (
            ("receipt", "crm_iso_complaints.report_complaint_receipt", complaint.ids),
            (
                "counter receipt",
                "crm_mall_counter.report_counter_receipt",
                self.subject.ids,
            ),
        ):
            page = Report._render_qweb_html(report, ids)[0].decode()
            found[name] = (
                text_of(page, "o_crm_iso_receipt_received"),
                text_of(page, "o_crm_iso_receipt_deadline"),
            )
        # no session: the complainant scanning the QR code
        url = complaint.crm_iso_tracking_url()
        response = self.url_open(url[len(complaint.get_base_url()) :])
        page = response.text
        found["tracking page"] = (
            text_of(page, "o_crm_iso_track_received"),
            text_of(page, "o_crm_iso_track_deadline"),
        )
        # the acknowledgement mail names the deadline; the complaint's PDF both
        # (a file for staff, in the reader's language: here the complainant's)
        self.env.user.lang = complaint.crm_iso_complainant_lang()
        ack = "crm_iso_complaints.mail_template_complaint_acknowledgement"
        body = str(
            self.env.ref(ack)
            .with_context(tz="America/New_York")
            ._render_field("body_html", complaint.ids)[complaint.id]
        )
        pdf = Report._render_qweb_html(
            "crm_iso_complaints.report_complaint_file", complaint.ids
        )[0].decode()
        found["mail and PDF"] = tuple(
            time if time in body + pdf else f"{time} missing"
            for time in found["receipt"]
        )
        return found

    def test_same_clock_on_every_surface_in_english(self):
        self.env["res.lang"]._activate_lang("en_US")
        self.complaint.partner_id.lang = "en_US"
        received = self.expected(self.complaint.complaint_received_date)
        due = self.expected(self.complaint.complaint_resolve_deadline)
        for surface, times in self.surfaces().items():
            self.assertEqual(times, (received, due), surface)

    def test_same_clock_in_persian_digits_for_a_persian_complainant(self):
        self.load_persian()
        self.complaint.partner_id.lang = "fa_IR"
        surfaces = self.surfaces()
        self.assertEqual(len(set(surfaces.values())), 1, surfaces)
        received = surfaces["receipt"][0]
        self.assertRegex(received, r"^۱۴[۰-۹]{2}/[۰-۹]{2}/[۰-۹]{2} [۰-۹]{2}:[۰-۹]{2}$")
        self.assertEqual(
            received.translate(clock.TO_ASCII)[-5:],
            self.expected(self.complaint.complaint_received_date)[-5:],
        )

    def test_screen_kiosk_and_cockpit_read_the_counters_clock(self):
        Visit = self.env["crm.mall.visit"].sudo()
        with Visit._crm_iso_unlocked():
            self.visit.write(
                {
                    "call_time": self.complaint.complaint_received_date,
                    "queue_number": "A-001",
                }
            )
        display = self.env["crm.mall.display"].create(
            {"name": "Hall", "counter_ids": [(6, 0, self.counter.ids)]}
        )
        calls = display._crm_mall_calls(self.visit, "en_US")
        self.assertEqual(calls[0]["time"], self.expected(self.visit.call_time)[-5:])
        page = self.url_open(f"/kiosk/{self.token}?language=en").text
        today = pytz.utc.localize(fields.Datetime.now()).astimezone(TEHRAN).date()
        self.assertEqual(_kiosk_today(page), today.isoformat())
        self.env.company.partner_id.tz = "Asia/Tehran"
        cockpit = self.env["crm.mall.cockpit"].create({"period": "today"})
        self.assertEqual(cockpit._start(), clock.local_midnight("Asia/Tehran", today))


def _kiosk_today(page):
    nodes = html.fromstring(page).xpath("//*[@id='kiosk_today']")
    return nodes[0].text_content().strip() if nodes else None


@tagged("post_install", "-at_install")
class TestDeviceLanguage(HttpCase, KioskCase):
    def test_a_kiosk_opens_in_its_own_language(self):
        self.load_persian()
        self.assertEqual(self.device.lang, self.env.company.partner_id.lang)
        self.env.company.partner_id.lang = "fa_IR"
        tablet = self.env["crm.mall.kiosk.device"].create(
            {"name": "Tablet C", "counter_id": self.counter.id}
        )
        self.assertEqual(tablet.lang, "fa_IR", "the company's language by default")
        persian = self.url_open(f"/kiosk/{self.new_link(tablet)}").text
        self.assertIn('dir="rtl"', persian)
        self.assertRegex(_kiosk_today(persian), r"^۱۴[۰-۹]{2}/[۰-۹]{2}/[۰-۹]{2}$")
        self.device.lang = "en_US"
        english = self.url_open(f"/kiosk/{self.token}").text
        self.assertIn('dir="ltr"', english)
        self.assertRegex(_kiosk_today(english), r"^20\d\d-\d\d-\d\d$")

    def test_a_screen_opens_in_its_own_language_without_counter_twice(self):
        self.load_persian()
        screen = self.env["crm.mall.display"].create(
            {"name": "Hall", "counter_ids": [(6, 0, self.counter.ids)], "lang": "fa_IR"}
        )
        screen.with_context(lang="fa_IR").name = "سالن انتظار"
        token = screen.action_new_token()["context"]["default_display_url"]
        page = self.url_open(token[token.index("/mall/display/") :]).text
        self.assertIn('dir="rtl"', page)
        self.assertIn("سالن انتظار", page)
        now_box = html.fromstring(page).xpath("//*[@id='display_now']")[0]
        self.assertNotIn("باجه باجه", " ".join(now_box.text_content().split()))


@tagged("post_install", "-at_install")
class TestFirstHourTour(HttpCase):
    def test_a_demo_agent_checks_a_demo_visitor_in_and_prints_the_receipt(self):
        """A demo agent as installed: lands on check-in, on shift at their
        counter, registers a demo visitor's complaint, prints the receipt; the
        tracking page, opened without a session, reads the same local times."""
        agent = self.env["res.users"].search([("login", "=", "demo_agent_1")])
        self.assertFalse(agent.login_date, "a fresh demo agent")
        self.start_tour("/odoo", "crm_mall_first_hour_tour", login="demo_agent_1")
        complaint = self.env["helpdesk.ticket"].search(
            [("name", "=", "The lift on floor 2 is out of order")]
        )
        self.assertEqual(complaint.partner_id.crm_mall_phone, "+989120000007")
        self.assertEqual(
            complaint.crm_mall_visit_id.counter_id,
            self.env.ref("crm_mall_counter.counter_ground"),
        )

    def test_the_readme_tracking_link_opens_logged_out(self):
        complaint = self.env["helpdesk.ticket"].search(
            [("access_token", "=", generator.TRACKING_TOKEN)]
        )
        self.assertEqual(complaint, self.env.ref(generator.TRACKING_COMPLAINT))
        page = self.url_open(complaint.get_portal_url()).text
        self.assertEqual(
            text_of(page, "o_crm_iso_track_received"),
            complaint.crm_iso_format_date(complaint.complaint_received_date),
        )
        # the link follows the server's base URL
        self.assertTrue(
            complaint.crm_iso_tracking_url().startswith(complaint.get_base_url())
        )
