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
from odoo.tests import TransactionCase, tagged

from odoo.addons.crm_iso_complaints.tools import clock

from ..demo import generator
from .common import MallCase

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
            cron.method_direct_trigger()
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
            self.assertGreaterEqual(complaint.received_date, visit.checkin_date)
            self.assertEqual(
                clock.local_date("Asia/Tehran", complaint.received_date),
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
        if "sms.sms" in self.env:
            sms = (
                self.env["sms.sms"]
                .sudo()
                .search([("mail_message_id", "in", messages.ids)])
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
