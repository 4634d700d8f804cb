# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The counter's one-page check-in: the visitor's card looked up as typed, the
subject registered by one button, the visitor's email and consent recorded."""

from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import NOW, MallCase

ACK = "We have received your complaint"


@tagged("post_install", "-at_install")
class TestCheckinScreen(MallCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Screen = cls.env["crm.mall.checkin"].with_user(cls.agent)
        manager = new_test_user(
            cls.env, "m_screen_manager", groups="crm_mall_counter.group_mall_manager"
        )
        cls.parking = (
            cls.env["document.page"]
            .with_user(manager)
            .create(
                {
                    "name": "Parking hours",
                    "parent_id": cls.env.ref(
                        "crm_mall_counter.page_category_answers"
                    ).id,
                    "crm_mall_keywords": "parking car",
                    "draft_name": "1.0",
                    "content": "<p>Open 8:00 to 24:00</p>",
                }
            )
        )
        cls.parking.action_crm_mall_approve()

    def register(self, subject_type="complaint", phone="09121234567", **kw):
        return self.Screen.screen_register(
            phone, subject_type, kw.pop("description", "The lift is stuck"), **kw
        )

    # ------------------------------------------------------------ contact fields
    def test_email_and_consent_for_new_and_known_visitors(self):
        with freeze_time(NOW):
            new = self.checkin(name="Sara", email=" Sara@Example.com ", consent=True)
        partner = new.partner_id
        self.assertEqual(partner.email, "sara@example.com")
        self.assertTrue(partner.crm_mall_contact_consent)
        self.assertEqual(partner.crm_mall_contact_consent_date, NOW)
        later = datetime(2026, 11, 23, 11, 0)
        with freeze_time(later):
            self.checkin(email="sara.k@example.com", consent=False)
        self.assertEqual(partner.email, "sara.k@example.com")
        self.assertFalse(partner.crm_mall_contact_consent)
        self.assertEqual(partner.crm_mall_contact_consent_date, later)
        with freeze_time(NOW):
            self.checkin()  # nothing given: nothing changed
        self.assertEqual(partner.email, "sara.k@example.com")
        self.assertEqual(partner.crm_mall_contact_consent_date, later)

    def test_bad_email_or_consent_changes_nothing(self):
        with freeze_time(NOW):
            partner = self.checkin(name="Sara", email="sara@example.com").partner_id
        Visit, Partner = self.env["crm.mall.visit"], self.env["res.partner"]
        before = (Visit.search_count([]), Partner.search_count([]))
        bad_emails = (
            "sara",
            "sara@example",
            "a@b.com, c@d.com",
            "Sara <sara@b.com>",
            "sa ra@b.com",
            42,
            ["sara@b.com"],
        )
        for email in bad_emails:
            with (
                self.subTest(email=email),
                freeze_time(NOW),
                self.assertRaisesRegex(UserError, "email"),
            ):
                self.checkin(email=email)
        for phone in ("09351110042", "09121234567"):  # a new visitor, a known one
            with freeze_time(NOW), self.assertRaisesRegex(UserError, "email"):
                self.checkin(phone, name="Other", email="not-an-email")
        with freeze_time(NOW), self.assertRaisesRegex(UserError, "true or false"):
            self.checkin(consent="yes")
        self.assertEqual((Visit.search_count([]), Partner.search_count([])), before)
        self.assertEqual(partner.email, "sara@example.com")
        self.assertFalse(partner.crm_mall_contact_consent)

    def test_the_email_of_a_user_is_not_changed_at_the_counter(self):
        """A user's email is their login's recovery address: refused."""
        self.agent_b.partner_id.crm_mall_phone = "+989121112233"
        with (
            freeze_time(NOW),
            self.assertRaisesRegex(UserError, "user of the database"),
        ):
            self.checkin("09121112233", email="thief@example.com")
        self.assertNotEqual(self.agent_b.email, "thief@example.com")

    def test_a_counter_complainant_receives_the_acknowledgement(self):
        with freeze_time(NOW):
            result = self.register(name="Sara", email="sara@example.com", consent=True)
        ticket = self.env["helpdesk.ticket"].search(
            [("complaint_ref", "=", result["reference"])]
        )
        self.assertTrue(ticket.is_complaint)
        ticket.with_user(self.env.ref("base.user_admin")).action_acknowledge()
        sent = ticket.message_ids.filtered(lambda m: ACK in (m.subject or ""))
        self.assertEqual(len(sent), 1)
        self.assertEqual(sent.partner_ids.email, "sara@example.com")
        notified = self.env["mail.notification"].search(
            [
                ("mail_message_id", "=", sent.id),
                ("res_partner_id", "=", ticket.partner_id.id),
                ("notification_type", "=", "email"),
            ]
        )
        self.assertEqual(len(notified), 1)

    # ------------------------------------------------------------ complaint origin
    def test_a_complaint_shows_its_visit_and_subject(self):
        with freeze_time(NOW):
            result = self.register()
        subject = self.env["crm.mall.subject"].browse(result["subject_id"])
        ticket = subject.ticket_id
        handler = new_test_user(
            self.env, "m_handler", groups="crm_iso_complaints.group_complaint_user"
        )
        ticket.sudo().team_id.user_ids = [(4, handler.id)]
        self.assertFalse(
            self.env["crm.mall.subject"].with_user(handler).has_access("read")
        )
        values = ticket.with_user(handler).read(
            ["crm_mall_visit_id", "crm_mall_subject_id"]
        )[0]
        self.assertEqual(values["crm_mall_visit_id"][0], result["visit_id"])
        self.assertEqual(values["crm_mall_subject_id"][0], subject.id)
        arch = ticket.with_user(handler).get_views([(False, "form")])["views"]["form"]
        self.assertIn('name="crm_mall_subject_id"', arch["arch"])
        lone = self.env["helpdesk.ticket"].create(
            {"name": "By mail", "description": "<p>x</p>"}
        )
        self.assertFalse(lone.crm_mall_subject_id)
        self.assertFalse(lone.crm_mall_visit_id)

    # ------------------------------------------------------------ the screen
    def test_lookup_shows_the_card_queue_and_answers(self):
        with freeze_time(NOW):
            first = self.checkin(name="Sara", email="sara@example.com")
            self.subject(first, "complaint", description="Broken lift")
            first.action_served()
            self.checkin("09351110001", name="Reza")  # waiting
            self.checkin("09351110002", name="Mina")  # waiting, after Reza
            self.checkin(
                "09351110003",
                name="Elsewhere",
                user=self.agent_b,
                counter=self.other_counter,
            )
            partner = first.partner_id.sudo()
            partner.write(
                {"crm_iso_nps_class": "promoter", "crm_iso_loyalty_segment": "champion"}
            )
            screen = self.Screen.screen_lookup(
                "۰۹۱۲۱۲۳۴۵۶۷", "Where can I leave my car?"
            )
        card = screen["visitor"]
        self.assertEqual(screen["phone_e164"], "+989121234567")
        self.assertEqual(card["name"], "Sara")
        self.assertEqual(card["email"], "sara@example.com")
        self.assertEqual(card["visit_count"], 1)
        ticket = first.subject_ids.ticket_id.sudo()
        self.assertEqual(
            card["complaints"],
            [
                {
                    "reference": ticket.complaint_ref,
                    "state": "Received",
                    "name": "Broken lift",
                }
            ],
        )
        self.assertEqual(
            (card["satisfaction"], card["segment"]), ("Promoter", "Champion")
        )
        self.assertEqual([w["visitor"] for w in screen["queue"]], ["Reza", "Mina"])
        answers = self.env["document.page"].browse([a["id"] for a in screen["answers"]])
        self.assertIn(self.parking, answers)
        self.assertTrue(all(answers.mapped("crm_mall_approved")))
        self.assertIn(
            "8:00", screen["answers"][answers.ids.index(self.parking.id)]["content"]
        )
        self.parking.sudo().crm_mall_approved = False
        with freeze_time(NOW):
            again = self.Screen.screen_lookup("09121234567", "car")
        self.assertNotIn(self.parking.id, [a["id"] for a in again["answers"]])
        self.assertIn(("complaint", "Complaint"), screen["subject_types"])
        unknown = self.Screen.screen_lookup("09129999999")
        self.assertFalse(unknown["visitor"])
        self.assertTrue(self.Screen.screen_lookup("0912")["phone_error"])

    def test_register_checks_in_once_and_routes(self):
        Visit = self.env["crm.mall.visit"]
        with freeze_time(NOW):
            complaint = self.register(name="Sara")
            question = self.register("information", description="Where is the ATM?")
        self.assertEqual(complaint["visit_id"], question["visit_id"])
        visit = Visit.browse(complaint["visit_id"])
        self.assertEqual(visit.counter_id, self.counter)
        self.assertEqual(visit.partner_id.name, "Sara")
        ticket = visit.subject_ids.filtered(lambda s: s.subject_type == "complaint")
        ticket = ticket.ticket_id.sudo()
        self.assertEqual(complaint["reference"], ticket.complaint_ref)
        self.assertEqual(complaint["state"], "Received")
        self.assertIn(ticket.complaint_ref, complaint["message"])
        with freeze_time(NOW):  # the agent on shift ends the visit
            visit.with_user(self.agent).action_served()
        admin = self.env.ref("base.user_admin")
        self.env["crm.mall.routing.rule"].create(
            {"subject_type": "suggestion", "action": "activity", "user_id": admin.id}
        )
        with freeze_time(NOW):
            again = self.register("suggestion", description="More benches")
        self.assertNotEqual(again["visit_id"], visit.id)
        self.assertFalse(again["reference"])
        self.assertIn("sent to the person in charge", again["message"])

    def test_the_screen_queues_by_service_and_calls_the_next(self):
        """A subject button queues the visitor for its service (a complaint in
        A, information in B, a suggestion in the general D); the queue lists
        the numbers in call order; *Call next* calls its first."""
        Visit = self.env["crm.mall.visit"]
        with freeze_time(NOW):
            complaint = self.register(name="Sara")
            info = self.register(
                "information", phone="09351110001", name="Reza", description="ATM?"
            )
            other = self.register(
                "suggestion", phone="09351110002", name="Mina", description="Benches"
            )
            screen = self.Screen.screen_lookup("")
        self.assertEqual(
            [complaint["queue_number"], info["queue_number"], other["queue_number"]],
            ["A-001", "B-001", "D-001"],
        )
        self.assertEqual(screen["counter_id"], self.counter.id)
        self.assertEqual(
            [(w["number"], w["visitor"]) for w in screen["queue"]],
            [("A-001", "Sara"), ("B-001", "Reza"), ("D-001", "Mina")],
        )
        with freeze_time(NOW):
            self.counter.with_user(self.agent).action_call_next()
            # Sara, called, comes back with another subject: the same visit
            again = self.register("information", description="Lost keys")
            screen = self.Screen.screen_lookup("")
        self.assertEqual(Visit.browse(complaint["visit_id"]).state, "called")
        self.assertEqual(again["visit_id"], complaint["visit_id"])
        self.assertEqual([w["number"] for w in screen["queue"]], ["B-001", "D-001"])

    def test_bad_screen_input_is_refused_and_changes_nothing(self):
        inspector = new_test_user(
            self.env, "m_screen_qc", groups="crm_mall_counter.group_qc_inspector"
        )
        counted = ("crm.mall.visit", "crm.mall.subject", "res.partner")
        before = {name: self.env[name].search_count([]) for name in counted}
        cases = (
            ({"subject_type": "fax"}, "kind of subject"),
            ({"subject_type": None}, "kind of subject"),
            ({"description": "   "}, "Describe"),
            ({"description": 42}, "Describe"),
            ({"phone": "12ab"}, "cannot be read"),
            ({"phone": 9121234567}, "phone number as text"),
            ({"email": "nope"}, "email"),
            ({"consent": "yes"}, "true or false"),
        )
        for kwargs, message in cases:
            with (
                self.subTest(**kwargs),
                freeze_time(NOW),
                self.assertRaisesRegex(UserError, message),
            ):
                self.register(
                    kwargs.pop("subject_type", "complaint"),
                    kwargs.pop("phone", "09121234567"),
                    **kwargs,
                )
        evening = freeze_time(datetime(2026, 11, 23, 20, 0))
        with evening, self.assertRaisesRegex(UserError, "no open shift"):
            self.register()
        for args in ((123,), ("0912", {"x": 1}), (None,)):
            with self.subTest(args=args), self.assertRaises(UserError):
                self.Screen.screen_lookup(*args)
        Screen = self.env["crm.mall.checkin"].with_user(inspector)
        with self.assertRaises(AccessError):
            Screen.screen_lookup("09121234567")
        with freeze_time(NOW), self.assertRaises(AccessError):
            Screen.screen_register("09121234567", "complaint", "x")
        after = {name: self.env[name].search_count([]) for name in counted}
        self.assertEqual(after, before)

    def queries(self, *args):
        """The number of queries of one lookup, caches emptied."""
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        result = self.Screen.screen_lookup(*args)
        return self.cr.sql_log_count - before, result

    def test_lookup_runs_a_bounded_number_of_queries(self):
        """As many queries for a visitor with a long history and a long queue
        as for a short one: no query per complaint, visit or answer."""
        with freeze_time(NOW):
            visit = self.checkin(name="Sara")
            self.subject(visit, "complaint", description="First")
            self.Screen.screen_lookup("09121234567", "parking car")  # warm caches
            short, _screen = self.queries("09121234567", "parking car")
            for index in range(6):
                self.subject(visit, "complaint", description=f"Again {index}")
                self.checkin(f"0935222010{index}", name=f"Queue {index}")
            long, screen = self.queries("09121234567", "parking car")
        self.assertEqual(len(screen["visitor"]["complaints"]), 7)
        self.assertEqual(len(screen["queue"]), 7)
        self.assertLessEqual(long, short)
        self.assertLessEqual(short, 16)
