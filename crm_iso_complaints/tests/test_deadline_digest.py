# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The deadline cron tells each person once per run: one digest mail listing
their new warnings and escalations, no e-mail per activity."""

from datetime import date, datetime
from urllib.parse import parse_qs, urlsplit

from freezegun import freeze_time
from lxml import html

from odoo.tests import new_test_user, tagged

from .common import MANAGER, MONDAY_10, OFFICER, ComplaintCase

WARN_MONDAY = datetime(2026, 11, 23, 14, 30)  # past 50% of the 8 h to acknowledge
BREACH_TUESDAY = datetime(2026, 11, 24, 11, 0)  # past the 8 h


@tagged("post_install", "-at_install")
class TestDeadlineDigest(ComplaintCase):
    def setUp(self):
        super().setUp()
        self.Ticket = self.env["helpdesk.ticket"]
        self.Mail = self.env["mail.mail"]
        self.Message = self.env["mail.message"]

    # ------------------------------------------------------------ helpers
    def _complaints(self, count, **vals):
        return self.Ticket.create(
            [
                {
                    "name": f"Digest complaint {i}",
                    "description": "<p>x</p>",
                    "is_complaint": True,
                    "partner_id": self.customer.id,
                    "category_id": self.category.id,
                    "user_id": False,  # not the creating user: the team leader
                    **vals,
                }
                for i in range(count)
            ]
        )

    def _run(self, moment):
        """Run the cron at ``moment``; return the digests it created for the
        test's people (the demo data's complaints alert their own people)."""
        before = self.Mail.search([]).ids
        with freeze_time(moment):
            self.Ticket._cron_complaint_deadlines()
        people = self.env["res.users"].search([("login", "=like", "c\\_%")])
        return self.Mail.search(
            [("id", "not in", before), ("recipient_ids", "in", people.partner_id.ids)]
        )

    def _quiet_other_complaints(self):
        """The demo data's complaints are due too: out of the count's way."""
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE helpdesk_ticket SET complaint_ack_warned = TRUE, "
            "complaint_resolve_warned = TRUE, "
            "complaint_next_escalation_date = NULL WHERE is_complaint"
        )
        self.env.invalidate_all()

    def _digest_of(self, digests, user):
        mine = digests.filtered(lambda mail: mail.recipient_ids == user.partner_id)
        self.assertEqual(len(mine), 1, f"one digest for {user.login}")
        return mine

    def _links(self, digest):
        """{complaint id: href} of the digest's links, read from its HTML."""
        links = {}
        for anchor in html.fromstring(digest.body_html).iter("a"):
            href = anchor.get("href")
            query = parse_qs(urlsplit(href).query)
            self.assertEqual(urlsplit(href).path, "/mail/view")
            self.assertEqual(query["model"], ["helpdesk.ticket"])
            links[int(query["res_id"][0])] = href
        return links

    def _activities(self, complaints):
        return self.env["mail.activity"].search(
            [("res_model", "=", "helpdesk.ticket"), ("res_id", "in", complaints.ids)]
        )

    # ------------------------------------------------------------ tests
    def test_one_digest_per_person_with_their_items(self):
        with freeze_time(MONDAY_10):
            officer_own = self._complaints(2, user_id=self.officer.id)
            unassigned = self._complaints(3)  # the team leader is warned
        notifications = self.Message.search_count(
            [("message_type", "=", "user_notification")]
        )
        digests = self._run(WARN_MONDAY)
        self.assertEqual(len(digests), 2)
        for user, complaints in (
            (self.officer, officer_own),
            (self.manager, unassigned),
        ):
            digest = self._digest_of(digests, user)
            links = self._links(digest)
            self.assertEqual(set(links), set(complaints.ids), "exactly their items")
            base = complaints[0].get_base_url()
            for complaint in complaints:
                self.assertTrue(links[complaint.id].startswith(base + "/mail/view?"))
                self.assertIn(complaint.complaint_ref, digest.body_html)
                # the link opens a complaint that the person may read
                complaint.with_user(user).check_access("read")
            self.assertIn("deadline is approaching", digest.body_html)
            self.assertIn("Complaint deadlines", digest.subject)
        # the activities exist, for the right person and date; none was e-mailed
        for user, complaints in (
            (self.officer, officer_own),
            (self.manager, unassigned),
        ):
            activities = self._activities(complaints)
            self.assertEqual(len(activities), len(complaints))
            self.assertEqual(activities.user_id, user)
            self.assertEqual(
                set(activities.mapped("date_deadline")), {date(2026, 11, 23)}
            )
        self.assertEqual(
            self.Message.search_count([("message_type", "=", "user_notification")]),
            notifications,
            "no notification per activity",
        )
        # a second run with nothing new sends nothing
        self.assertFalse(self._run(WARN_MONDAY))

    def test_escalations_and_warnings_in_one_digest(self):
        with freeze_time(MONDAY_10):
            warned_first = self._complaints(2)
        self._run(WARN_MONDAY)
        with freeze_time(datetime(2026, 11, 24, 9, 0)):
            fresh = self._complaints(1)
        # Tuesday 14:30: the first two breached, the fresh one warned (50% of 8 h)
        digests = self._run(datetime(2026, 11, 24, 14, 30))
        digest = self._digest_of(digests, self.manager)
        self.assertEqual(len(digests), 1)
        self.assertEqual(set(self._links(digest)), set((warned_first | fresh).ids))
        self.assertIn("escalated to you at level 1", digest.body_html)
        self.assertIn("deadline is approaching", digest.body_html)
        escalations = self._activities(warned_first).filtered(
            lambda act: "escalated" in act.summary
        )
        self.assertEqual(len(escalations), 2)
        self.assertEqual(escalations.user_id, self.manager)
        self.assertEqual(
            set(escalations.mapped("date_deadline")), {date(2026, 11, 24)}, "today"
        )
        self.assertFalse(self._run(datetime(2026, 11, 24, 14, 30)))

    def test_digest_in_the_person_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.officer.lang = "fr_FR"
        self.env.ref("crm_iso_complaints.deadline_digest").update_field_translations(
            "arch_db",
            {
                "fr_FR": {
                    "The complaint deadlines below need your attention.": (
                        "Les échéances ci-dessous demandent votre attention."
                    )
                }
            },
        )
        with freeze_time(MONDAY_10):
            self._complaints(1, user_id=self.officer.id)
            self._complaints(1)
        digests = self._run(WARN_MONDAY)
        french = self._digest_of(digests, self.officer).body_html
        english = self._digest_of(digests, self.manager).body_html
        self.assertIn("Les échéances ci-dessous demandent votre attention.", french)
        self.assertNotIn("need your attention", french)
        self.assertIn("The complaint deadlines below need your attention.", english)

    def test_companies_do_not_mix(self):
        """A person's digest holds the items of the companies they belong to.

        Chosen: one digest per person and run even when they belong to several
        companies, with a section per company; an item of a company the person
        does not belong to is left out of their digest (its activity remains).
        """
        company_b = self.env["res.company"].create({"name": "Digest mall B"})
        # the policy and its calendar apply to both companies
        self.policy.company_id = False
        self.calendar.company_id = False
        self.manager.company_ids |= company_b
        leader_b = new_test_user(
            self.env,
            "c_leader_b",
            groups=f"{OFFICER},{MANAGER}",
            company_id=company_b.id,
            company_ids=[(6, 0, company_b.ids)],
            email="leader_b@example.com",
        )
        team_b = self.env["helpdesk.ticket.team"].create(
            {"name": "Desk B", "company_id": company_b.id, "user_id": leader_b.id}
        )
        b_vals = {"company_id": company_b.id, "team_id": team_b.id}
        with freeze_time(MONDAY_10):
            a_officer = self._complaints(1, user_id=self.officer.id)
            a_manager = self._complaints(1)
            b_leader = self._complaints(1, **b_vals)
            b_manager = self._complaints(1, user_id=self.manager.id, **b_vals)
        self.assertEqual(
            (b_leader | b_manager).company_id, company_b, "company B complaints"
        )
        digests = self._run(WARN_MONDAY)
        self.assertEqual(len(digests), 3)
        expected = {
            self.officer: a_officer,
            leader_b: b_leader,
            self.manager: a_manager | b_manager,
        }
        for user, complaints in expected.items():
            digest = self._digest_of(digests, user)
            self.assertEqual(set(self._links(digest)), set(complaints.ids))
        both = self._digest_of(digests, self.manager).body_html
        self.assertIn("Digest mall B", both, "a section per company")
        self.assertIn(self.env.company.name, both)
        single = self._digest_of(digests, leader_b).body_html
        self.assertNotIn(self.env.company.name, single)

    def _measured_run(self, moment, expected):
        with freeze_time(moment), self.assertQueryCount(__system__=expected):
            self.Ticket._cron_complaint_deadlines()

    def test_cron_queries_do_not_grow_with_due_complaints(self):
        """10 or 40 complaints crossing a threshold: the same number of queries."""
        self._quiet_other_complaints()
        with freeze_time(datetime(2026, 11, 20, 10, 0)):  # a Friday: warm-up
            self._complaints(5)
        self.assertTrue(self._run(datetime(2026, 11, 20, 14, 30)))
        self.assertTrue(self._run(datetime(2026, 11, 23, 10, 15)))
        with freeze_time(MONDAY_10):
            first = self._complaints(10)
        self._measured_run(WARN_MONDAY, WARN_QUERIES)  # warns 10
        self._measured_run(datetime(2026, 11, 24, 10, 15), ESCALATE_QUERIES)
        with freeze_time(datetime(2026, 11, 24, 10, 30)):
            second = self._complaints(40)
        self._measured_run(datetime(2026, 11, 24, 14, 45), WARN_QUERIES)  # warns 40
        self._measured_run(datetime(2026, 11, 25, 11, 0), ESCALATE_QUERIES)
        self.assertEqual(len(self._activities(first)), 20)
        self.assertEqual(len(self._activities(second)), 80)
        levels = (first | second).mapped("complaint_escalation_level")
        self.assertEqual(set(levels), {1})


# queries of one cron run whose due complaints all go to one person (its digest
# run at once in a savepoint of crm.iso.job: SAVEPOINT and RELEASE included)
WARN_QUERIES = 20
ESCALATE_QUERIES = 23
