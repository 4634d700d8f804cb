# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import AGENT, NOW, TODAY, MallCase


@tagged("post_install", "-at_install")
class TestShifts(MallCase):
    def test_template_hours_in_the_counter_time_zone(self):
        self.assertEqual(self.shift.start, datetime(2026, 11, 23, 8, 0))
        self.assertEqual(self.shift.stop, datetime(2026, 11, 23, 14, 0))
        self.calendar.tz = "Asia/Tehran"
        night = self.env["crm.mall.shift"].create(
            {
                "user_id": self.agent.id,
                "counter_id": self.counter.id,
                "template_id": self.env.ref("crm_mall_counter.shift_template_night").id,
                "date": datetime(2026, 11, 24).date(),
            }
        )
        # 22:00 Tehran = 18:30 UTC, until 08:00 next day = 04:30 UTC
        self.assertEqual(night.start, datetime(2026, 11, 24, 18, 30))
        self.assertEqual(night.stop, datetime(2026, 11, 25, 4, 30))

    def test_no_overlapping_shifts_for_one_person(self):
        Shift = self.env["crm.mall.shift"]
        before = Shift.search_count([])
        with (
            self.assertRaisesRegex(ValidationError, "overlapping"),
            self.cr.savepoint(),
        ):
            Shift.create(
                {
                    "user_id": self.agent.id,
                    "counter_id": self.other_counter.id,
                    "start": datetime(2026, 11, 23, 13, 0),
                    "stop": datetime(2026, 11, 23, 18, 0),
                    "date": TODAY,
                }
            )
        self.assertEqual(Shift.search_count([]), before)

    def test_my_counter_my_shift(self):
        with freeze_time(NOW):
            action = self.env["crm.mall.shift"].with_user(self.agent).action_my_shift()
        self.assertEqual(action["res_id"], self.shift.id)
        with freeze_time(datetime(2026, 11, 23, 20, 0)):
            action = self.env["crm.mall.shift"].with_user(self.agent).action_my_shift()
        self.assertFalse(action.get("res_id"))


@tagged("post_install", "-at_install")
class TestCheckin(MallCase):
    def test_new_then_known_visitor(self):
        Partner = self.env["res.partner"]
        with freeze_time(NOW):
            first = self.checkin("0912 123 4567", name="Reza Karimi")
            again = self.checkin("+98 912 123 4567")
        self.assertEqual(first.partner_id, again.partner_id)
        self.assertEqual(first.partner_id.name, "Reza Karimi")
        self.assertEqual(first.partner_id.crm_mall_phone, "+989121234567")
        self.assertEqual(
            Partner.search_count([("crm_mall_phone", "=", "+989121234567")]), 1
        )
        self.assertEqual(again.shift_id, self.shift)
        self.assertEqual(again.history_visit_count, 2)
        self.assertEqual(first.partner_id.crm_mall_visit_count, 2)
        self.assertEqual(first.partner_id.crm_mall_counter_ids, self.counter)

    def test_checkin_screen_shows_the_history(self):
        with freeze_time(NOW):
            visit = self.checkin("09121234567", name="Sima")
            self.subject(visit, "complaint", description="Broken lift")
            wizard = (
                self.env["crm.mall.checkin"]
                .with_user(self.agent)
                .create({"phone": "۰۹۱۲۱۲۳۴۵۶۷"})
            )
        self.assertEqual(wizard.counter_id, self.counter)
        self.assertEqual(wizard.partner_id, visit.partner_id)
        self.assertEqual(wizard.visit_count, 1)
        self.assertEqual(wizard.open_complaints, 1)
        bad = self.env["crm.mall.checkin"].with_user(self.agent).new({"phone": "123"})
        self.assertTrue(bad.phone_error)

    def test_bad_checkins_change_nothing(self):
        Visit, Partner = self.env["crm.mall.visit"], self.env["res.partner"]
        before = (Visit.search_count([]), Partner.search_count([]))
        with freeze_time(NOW), self.assertRaisesRegex(UserError, "cannot be read"):
            self.checkin("12ab")
        with freeze_time(NOW), self.assertRaisesRegex(UserError, "no open shift"):
            self.checkin("09121234567", counter=self.other_counter)
        evening = freeze_time(datetime(2026, 11, 23, 20, 0))
        with evening, self.assertRaisesRegex(UserError, "no open shift"):
            self.checkin("09121234567")
        self.assertEqual((Visit.search_count([]), Partner.search_count([])), before)

    def test_call_centre_intake(self):
        caller_agent = new_test_user(
            self.env, "m_caller", groups="crm_mall_counter.group_call_centre_agent"
        )
        call = (
            self.env["crm.mall.visit"]
            .with_user(caller_agent)
            .checkin("+44 20 7946 0958", name="Tourist", channel="call_centre")
        )
        self.assertEqual(call.channel, "call_centre")
        self.assertTrue(call.call_time)
        subject = self.subject(call, "complaint", user=caller_agent)
        channel = self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_phone")
        self.assertEqual(subject.ticket_id.sudo().channel_id, channel)

    def test_call_dialog_records_email_and_consent(self):
        """The Register a call dialog: email and consent of a new caller, shown
        again for the known caller, changed there; a bad email is refused."""
        caller_agent = new_test_user(
            self.env, "m_caller2", groups="crm_mall_counter.group_call_centre_agent"
        )
        Dialog = self.env["crm.mall.checkin"].with_user(caller_agent)
        call = {"channel": "call_centre", "phone": "+44 20 7946 0959"}
        Dialog.create(
            {**call, "name": "Guest", "email": " Guest@Example.com", "consent": True}
        ).action_checkin()
        partner = self.env["res.partner"].search(
            [("crm_mall_phone", "=", "+442079460959")]
        )
        self.assertEqual(partner.email, "guest@example.com")
        self.assertTrue(partner.crm_mall_contact_consent)
        self.assertTrue(partner.crm_mall_contact_consent_date)
        known = Dialog.create(call)
        self.assertEqual((known.email, known.consent), ("guest@example.com", True))
        known.write({"email": "new@example.com", "consent": False})
        known.action_checkin()
        self.assertEqual(partner.email, "new@example.com")
        self.assertFalse(partner.crm_mall_contact_consent)
        bad = Dialog.create({**call, "email": "not an address"})
        with self.assertRaisesRegex(UserError, "is not an email address"):
            bad.action_checkin()
        self.assertEqual(partner.email, "new@example.com")

    def test_checkin_runs_a_fixed_number_of_queries(self):
        with freeze_time(NOW):
            self.checkin("09120000001", name="warm-up")
            self.env.invalidate_all()
            with self.assertQueryCount(21):
                self.checkin("09120000001")
            self.env["res.partner"].create(
                [
                    {"name": f"P{i}", "crm_mall_phone": f"+98912555{i:04d}"}
                    for i in range(50)
                ]
            )
            self.env.invalidate_all()
            with self.assertQueryCount(21):
                self.checkin("09120000001")


@tagged("post_install", "-at_install")
class TestSubjectsAndRouting(MallCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Rule = cls.env["crm.mall.routing.rule"]
        cls.shop_team = cls.env["helpdesk.ticket.team"].create(
            {"name": "Tenant relations"}
        )
        cls.food = cls.env["helpdesk.ticket.category"].create({"name": "Food"})
        cls.food_hygiene = cls.env["helpdesk.ticket.category"].create(
            {"name": "Hygiene", "parent_id": cls.food.id}
        )
        cls.manager = new_test_user(
            cls.env, "m_manager", groups="crm_mall_counter.group_mall_manager"
        )
        cls.rule_request = Rule.create(
            {"subject_type": "request", "action": "ticket", "team_id": cls.shop_team.id}
        )
        cls.rule_food = Rule.create(
            {
                "subject_type": "request",
                "category_id": cls.food.id,
                "action": "activity",
                "user_id": cls.manager.id,
            }
        )

    def test_routing_matrix(self):
        with freeze_time(NOW):
            visit = self.checkin()
            complaint = self.subject(visit, "complaint", description="Rude guard")
            request = self.subject(visit, "request", description="Wheelchair please")
            food = self.subject(
                visit,
                "request",
                description="Dirty table",
                category_id=self.food_hygiene.id,
            )
            idea = self.subject(visit, "suggestion", description="More benches")
        ticket = complaint.ticket_id.sudo()
        self.assertTrue(ticket.is_complaint)
        self.assertEqual(ticket.complaint_state, "received")
        self.assertEqual(
            ticket.channel_id, self.env.ref("crm_iso_complaints.channel_counter")
        )
        self.assertEqual(ticket.partner_id, visit.partner_id)
        self.assertEqual(request.ticket_id.sudo().team_id, self.shop_team)
        self.assertEqual(request.rule_id, self.rule_request)
        self.assertFalse(food.ticket_id, "the more specific rule schedules an activity")
        self.assertEqual(food.rule_id, self.rule_food)
        self.assertEqual(food.sudo().activity_ids.user_id, self.manager)
        default = self.env.ref("crm_mall_counter.routing_default")
        self.assertEqual(idea.rule_id, default)
        self.assertEqual(idea.ticket_id.sudo().team_id, self.team)

    def test_missing_rule_and_bad_subjects(self):
        self.env.ref("crm_mall_counter.routing_default").active = False
        Subject = self.env["crm.mall.subject"]
        with freeze_time(NOW):
            visit = self.checkin()
        before = Subject.search_count([])
        with self.assertRaisesRegex(UserError, "No routing rule"), self.cr.savepoint():
            self.subject(visit, "compliment")
        for vals in ({"subject_type": False}, {"description": " "}):
            error = self.assertRaisesRegex(ValidationError, "type and a description")
            with error, self.cr.savepoint():
                self.subject(visit, **{"subject_type": "request", **vals})
        with (
            self.assertRaisesRegex(ValidationError, "needs a team"),
            self.cr.savepoint(),
        ):
            self.env["crm.mall.routing.rule"].create({"action": "ticket"})
        self.assertEqual(Subject.search_count([]), before)

    def test_review_queue_deadline_and_actions(self):
        self.env.company.crm_mall_review_hours = 4
        reviewer = new_test_user(
            self.env, "m_reviewer", groups="crm_mall_counter.group_office_reviewer"
        )
        with freeze_time(datetime(2026, 11, 23, 10, 0)):
            visit = self.checkin()
        with freeze_time(datetime(2026, 11, 23, 14, 0)):
            first = self.subject(visit, "suggestion", description="Music too loud")
            second = self.subject(visit, "suggestion", description="Music is loud")
        # 2 hours on Monday (to 16:00), 2 on Tuesday from 08:00
        self.assertEqual(first.review_deadline, datetime(2026, 11, 24, 10, 0))
        Subject = self.env["crm.mall.subject"].with_user(reviewer)
        with freeze_time(datetime(2026, 11, 24, 11, 0)):
            overdue = Subject.search([("is_review_overdue", "=", True)])
            self.assertIn(first, overdue)
            second.with_user(reviewer).action_merge_into(first.id)
            first.with_user(reviewer).action_requalify("complaint")
            self.assertEqual(
                Subject.search([("is_review_overdue", "=", True)]) & first, Subject
            )
        self.assertEqual(second.state, "merged")
        self.assertEqual(second.duplicate_of_id, first)
        self.assertTrue(first.ticket_id.sudo().is_complaint)
        self.assertEqual(first.reviewer_id, reviewer)
        first.with_user(reviewer).action_assign(self.manager.id)

    def test_the_registrant_does_not_review(self):
        reviewer = new_test_user(
            self.env,
            "m_reviewer2",
            groups=AGENT + ",crm_mall_counter.group_office_reviewer",
        )
        with freeze_time(NOW):
            visit = self.checkin()
            own = self.subject(visit, "suggestion", user=reviewer)
            other = self.subject(visit, "suggestion")
        for method, args in (
            ("action_confirm", ()),
            ("action_requalify", ("request",)),
            ("action_merge_into", (other.id,)),
            ("action_assign", (self.manager.id,)),
        ):
            with (
                self.assertRaisesRegex(UserError, "another person"),
                self.cr.savepoint(),
            ):
                getattr(own.with_user(reviewer), method)(*args)
        for values in ({"state": "reviewed"}, {"reviewer_id": reviewer.id}):
            with self.assertRaises(UserError), self.cr.savepoint():
                own.with_user(reviewer).write(values)
        self.assertEqual(own.state, "new")
        with self.assertRaisesRegex(UserError, "subject type"):
            other.with_user(reviewer).action_requalify("nonsense")
        with self.assertRaisesRegex(UserError, "Choose the subject"):
            other.with_user(reviewer).action_merge_into(0)
        other.with_user(reviewer).action_confirm()
        self.assertEqual((other.state, other.reviewer_id), ("reviewed", reviewer))
        with self.assertRaisesRegex(UserError, "reviewed already"):
            other.with_user(reviewer).action_confirm()

    def test_access_by_group(self):
        supervisor = new_test_user(
            self.env, "m_super", groups="crm_mall_counter.group_counter_supervisor"
        )
        self.other_counter.supervisor_ids = supervisor
        with freeze_time(NOW):
            mine = self.checkin()
            theirs = self.checkin(user=self.agent_b, counter=self.other_counter)
        Visit = self.env["crm.mall.visit"]
        self.assertIn(mine, Visit.with_user(self.agent).search([]))
        self.assertNotIn(theirs, Visit.with_user(self.agent).search([]))
        with self.assertRaises(AccessError):
            theirs.with_user(self.agent).read(["partner_id"])
        self.assertEqual(
            Visit.with_user(supervisor).search([("id", "in", (mine | theirs).ids)]),
            theirs,
        )
        self.assertEqual(
            Visit.with_user(self.manager).search_count(
                [("id", "in", (mine | theirs).ids)]
            ),
            2,
        )
        with self.assertRaises(AccessError):
            self.counter.with_user(self.agent).write({"name": "x"})
        with self.assertRaises(AccessError):
            self.env["crm.mall.routing.rule"].with_user(self.agent).create(
                {"action": "ticket", "team_id": self.team.id}
            )


@tagged("post_install", "-at_install")
class TestLostFoundBoard(MallCase):
    def test_lost_and_found(self):
        Item = self.env["crm.mall.lost.item"].with_user(self.agent)
        found = Item.create(
            {"name": "Black leather wallet", "kind": "found", "place": "Food court"}
        )
        lost = Item.create({"name": "Lost my wallet", "kind": "lost"})
        self.assertIn(found, lost.candidate_matches())
        lost.action_match(found.id)
        self.assertEqual((lost.state, found.state), ("matched", "matched"))
        with self.assertRaisesRegex(UserError, "identity document"):
            found.action_hand_over()
        found.write({"receiver_name": "Ali Rezaei", "receiver_id_number": "0012345678"})
        found.action_hand_over()
        self.assertEqual((lost.state, found.state), ("handed_over", "handed_over"))

    def test_counter_board(self):
        with freeze_time(NOW):
            visit = self.checkin()
            self.subject(visit, "complaint")
            self.subject(visit, "request")
        (self.counter | self.other_counter).invalidate_recordset()
        with freeze_time(NOW):
            self.assertEqual(self.counter.visits_today, 1)
            self.assertEqual(self.counter.waiting_today, 1)
            self.assertEqual(self.counter.subjects_today, 2)
            self.assertEqual(self.counter.complaints_today, 1)
            self.assertEqual(self.counter.review_backlog, 2)
            self.assertEqual(self.other_counter.visits_today, 0)


@tagged("post_install", "-at_install")
class TestCounterSatisfaction(MallCase):
    def test_kpis_by_counter_and_agent_reads_own_counter_only(self):
        survey = self.env["survey.survey"].create({"title": "Kiosk"})
        nps = self.env["survey.question"].create(
            {
                "survey_id": survey.id,
                "title": "Recommend?",
                "question_type": "scale",
                "scale_min": 0,
                "scale_max": 10,
                "crm_iso_metric": "nps",
            }
        )
        responses = self.env["survey.user_input"]
        for counter, score in ((self.counter, 10), (self.other_counter, 2)):
            response = self.env["survey.user_input"].create(
                {"survey_id": survey.id, "crm_mall_counter_id": counter.id}
            )
            self.env["survey.user_input.line"].create(
                {
                    "user_input_id": response.id,
                    "question_id": nps.id,
                    "answer_type": "scale",
                    "value_scale": score,
                }
            )
            responses |= response
        responses._mark_done()
        self.env.flush_all()
        Report = self.env["crm.iso.satisfaction.report"]
        rows = {
            r["key"]: r["nps"]
            for r in Report.get_kpis([("survey_id", "=", survey.id)], "counter_id")
        }
        self.assertEqual(rows, {self.counter.id: 100.0, self.other_counter.id: -100.0})
        mine = Report.with_user(self.agent).search([("survey_id", "=", survey.id)])
        self.assertEqual(mine.counter_id, self.counter)
        with self.assertRaises(AccessError):
            self.env["crm.iso.measurement.plan"].with_user(self.agent).search([])
