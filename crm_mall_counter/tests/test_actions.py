# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Every documented action works from the web client (its button or wizard)
and gives the same result as the method itself; requalifying closes what the
old route created; the cockpit's drill-downs open what its figures count; the
counter board's "today" is the counter's own day; the repeat-complainant flag
and its search agree."""

from datetime import datetime, timedelta

from freezegun import freeze_time
from lxml import etree

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.crm_iso_complaints.tests.common import calendar_vals

from ..wizards.crm_mall_cockpit import DRILL_DOWNS
from .common import AGENT, NOW, MallCase, open_visits

REVIEWER = "crm_mall_counter.group_office_reviewer"
MANAGER = "crm_mall_counter.group_mall_manager"
# the cockpit's drill-down button of each figure
BUTTONS = {
    "visits": "action_open_visits",
    "calls": "action_open_calls",
    "complaints_received": "action_open_received",
    "complaints_open": "action_open_open_complaints",
    "complaints_overdue": "action_open_overdue",
    "disputes_open": "action_open_disputes",
    "disputes_opened": "action_open_disputes_opened",
    "disputes_closed": "action_open_disputes_closed",
    "disputes_open_period": "action_open_disputes_open_period",
    "qc_inspections": "action_open_inspections",
    "qc_orders_overdue": "action_open_overdue_orders",
    "shifts": "action_open_shifts",
}


def notes(record):
    """The text of a record's chatter."""
    return "".join(record.sudo().message_ids.mapped("body"))


class ActionsCase(MallCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reviewer = new_test_user(cls.env, "act_reviewer", groups=REVIEWER)
        cls.manager = new_test_user(cls.env, "act_manager", groups=MANAGER)
        # information goes to an activity of the manager; the rest to tickets
        cls.rule_information = cls.env["crm.mall.routing.rule"].create(
            {
                "name": "Information: the manager answers",
                "subject_type": "information",
                "action": "activity",
                "user_id": cls.manager.id,
            }
        )

    def registered(self, *types):
        with freeze_time(NOW):
            visit = self.checkin()
            return [self.subject(visit, kind, description=kind) for kind in types]

    def review(self, subjects, opener="action_open_review", **values):
        """Open the review wizard as its button does, choose, apply."""
        action = getattr(subjects.with_user(self.reviewer), opener)()
        wizard = self.env[action["res_model"]].with_user(self.reviewer)
        wizard = wizard.browse(action["res_id"])
        wizard.write(values)
        return wizard.action_apply()


@tagged("post_install", "-at_install")
class TestReviewFromTheWebClient(ActionsCase):
    def test_buttons_exist_for_every_review_action(self):
        Subject = self.env["crm.mall.subject"]
        form = etree.fromstring(Subject.get_view(view_type="form")["arch"])
        names = set(form.xpath("//header/button/@name"))
        self.assertLessEqual(
            {"action_confirm", "action_open_review", "action_open_assign"}, names
        )
        listing = etree.fromstring(Subject.get_view(view_type="list")["arch"])
        self.assertIn("action_open_review", listing.xpath("//header/button/@name"))
        wizard = self.env["crm.mall.subject.review.wizard"]
        arch = etree.fromstring(wizard.get_view(view_type="form")["arch"])
        self.assertEqual(
            set(arch.xpath("//field[@name='decision']/../..//field/@name"))
            >= {"subject_type", "category_id", "target_id", "user_id"},
            True,
        )
        self.assertEqual(
            {key for key, _label in wizard._fields["decision"].selection},
            {"confirm", "requalify", "merge", "assign"},
        )
        item = etree.fromstring(
            self.env["crm.mall.lost.item"].get_view(view_type="form")["arch"]
        )
        self.assertIn("action_open_match", item.xpath("//header/button/@name"))

    def test_confirm_merge_assign_through_the_wizard(self):
        first, second, third = self.registered("request", "request", "suggestion")
        self.review(first)
        self.assertEqual((first.state, first.reviewer_id), ("reviewed", self.reviewer))
        # the wizard's target domain: the same visitor and company, never itself
        action = second.with_user(self.reviewer).action_open_review()
        wizard = self.env[action["res_model"]].browse(action["res_id"])
        self.assertEqual(wizard.partner_id, second.partner_id)
        self.assertEqual(wizard.company_id, second.company_id)
        self.review(second, decision="merge", target_id=first.id)
        self.assertEqual((second.state, second.duplicate_of_id), ("merged", first))
        self.assertEqual(second.ticket_id.sudo().duplicate_id, first.ticket_id.sudo())
        self.review(third, decision="assign", user_id=self.manager.id)
        self.assertEqual(third.ticket_id.sudo().user_id, self.manager)
        self.assertEqual(third.state, "reviewed")
        # a reviewed subject is reassigned from its Assign button
        self.review(first, "action_open_assign", user_id=self.manager.id)
        self.assertEqual(first.ticket_id.sudo().user_id, self.manager)
        with self.assertRaisesRegex(UserError, "reviewed already"):
            self.review(second, "action_open_assign", user_id=self.manager.id)

    def test_review_queue_selection_and_who_may_review(self):
        first, second = self.registered("suggestion", "suggestion")
        self.review(first | second)  # the list's Review button, two selected
        self.assertEqual(set((first | second).mapped("state")), {"reviewed"})
        both = new_test_user(
            self.env, "act_agent_reviewer", groups=f"{AGENT},{REVIEWER}"
        )
        with freeze_time(NOW):
            visit = self.checkin()
            own = self.subject(visit, "request", user=both)
        with self.assertRaisesRegex(UserError, "another person"):
            own.with_user(both).action_open_review()
        with self.assertRaisesRegex(UserError, "office reviewer"):
            own.with_user(self.agent_b).action_open_review()
        with self.assertRaisesRegex(UserError, "office reviewer"):
            own.with_user(self.agent_b).action_confirm()
        self.assertEqual(own.state, "new")

    def test_bad_ids_and_values_are_clear_errors(self):
        subject, other = self.registered("request", "request")
        mine = subject.with_user(self.reviewer)
        for bad in (0, None, False, "abc", 10**9, [10**9, "x"], {"id": 1}, 1.5):
            with self.assertRaisesRegex(UserError, "Choose the subject"):
                mine.action_merge_into(bad)
            with self.assertRaisesRegex(UserError, "Choose the person"):
                mine.action_assign(bad)
        with self.assertRaisesRegex(UserError, "merged into itself"):
            mine.action_merge_into(subject.id)
        with self.assertRaisesRegex(UserError, "not a subject type"):
            mine.action_requalify(42)
        with self.assertRaisesRegex(UserError, "existing category"):
            mine.action_requalify("request", 10**9)
        portal = new_test_user(self.env, "act_portal", groups="base.group_portal")
        with self.assertRaisesRegex(UserError, "internal user"):
            mine.action_assign(portal.id)
        with self.assertRaisesRegex(UserError, "existing subjects"):
            self.env["crm.mall.subject"].with_user(self.reviewer).browse(
                10**9
            ).action_confirm()
        # ids in the forms an RPC client sends them work
        mine.action_merge_into([other.id, "its name"])
        self.assertEqual(subject.duplicate_of_id, other)
        other.with_user(self.reviewer).action_assign(str(self.manager.id))
        self.assertEqual(other.ticket_id.sudo().user_id, self.manager)

    def test_merge_into_another_company_is_refused(self):
        company_b = self.env["res.company"].create({"name": "Mall B"})
        self.reviewer.write(
            {"company_ids": [(4, company_b.id)]},
        )
        # B's rule assigns a user of B (companies are walls)
        self.manager.company_ids = [(4, company_b.id)]
        partner = self.env["res.partner"].create({"name": "B visitor"})
        counter_b = self.env["crm.mall.counter"].create(
            {"name": "B desk", "code": "B-1", "company_id": company_b.id}
        )
        self.env["crm.mall.routing.rule"].create(
            {
                "name": "B: suggestions to the manager",
                "subject_type": "suggestion",
                "action": "activity",
                "user_id": self.manager.id,
                "company_id": company_b.id,
            }
        )
        visit_b = open_visits(
            self.env(context=dict(self.env.context, allowed_company_ids=company_b.ids)),
            {
                "counter_id": counter_b.id,
                "partner_id": partner.id,
                "company_id": company_b.id,
            },
        )
        theirs = (
            self.env["crm.mall.subject"]
            .with_company(company_b)
            .create(
                {
                    "visit_id": visit_b.id,
                    "subject_type": "suggestion",
                    "description": "elsewhere",
                }
            )
        )
        (mine,) = self.registered("suggestion")
        self.assertEqual(theirs.company_id, company_b)
        both = mine.with_user(self.reviewer).with_context(
            allowed_company_ids=[self.env.company.id, company_b.id]
        )
        with self.assertRaisesRegex(UserError, "of its company"):
            both.action_merge_into(theirs.id)
        only_a = new_test_user(self.env, "act_reviewer_a", groups=REVIEWER)
        with self.assertRaises(AccessError):
            mine.with_user(only_a).action_merge_into(theirs.id)
        self.assertEqual(mine.state, "new")


@tagged("post_install", "-at_install")
class TestRequalifyReroutes(ActionsCase):
    def test_ticket_to_activity_closes_the_ticket(self):
        (subject,) = self.registered("request")
        old = subject.ticket_id.sudo()
        self.assertFalse(old.is_complaint)
        self.review(subject, decision="requalify", subject_type="information")
        self.assertTrue(old.closed, "no orphan ticket stays open")
        self.assertEqual(
            old.stage_id, self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_cancelled")
        )
        self.assertIn("Requalified at review: Information", notes(old))
        self.assertIn(self.reviewer.name, notes(old))
        self.assertFalse(subject.ticket_id)
        self.assertEqual(subject.rule_id, self.rule_information)
        self.assertEqual(subject.sudo().activity_ids.user_id, self.manager)
        self.assertEqual(subject.state, "reviewed")

    def test_complaint_to_request_leaves_the_complaint_to_its_managers(self):
        """Rejecting a complaint is a complaint manager's decision (ISO 10002):
        a reviewer who is not one leaves it untouched, with a to-do for them."""
        (subject,) = self.registered("complaint")
        complaint = subject.ticket_id.sudo()
        subject.with_user(self.reviewer).action_requalify("request")
        self.assertEqual(complaint.complaint_state, "received")
        self.assertFalse(complaint.complaint_rejected_uid)
        managers = self.env.ref("crm_iso_complaints.group_complaint_manager")
        self.assertTrue(complaint.activity_ids)
        self.assertLessEqual(
            complaint.activity_ids.user_id, managers.sudo().all_user_ids
        )
        self.assertIn(self.reviewer.name, notes(complaint))
        new = subject.ticket_id.sudo()
        self.assertTrue(new and new != complaint)
        self.assertFalse(new.is_complaint)

    def test_complaint_to_request_rejects_the_complaint(self):
        """A reviewer who is also a complaint manager rejects it at once."""
        self.reviewer.group_ids = [
            (4, self.env.ref("crm_iso_complaints.group_complaint_manager").id)
        ]
        (subject,) = self.registered("complaint")
        complaint = subject.ticket_id.sudo()
        self.assertEqual(complaint.complaint_state, "received")
        subject.with_user(self.reviewer).action_requalify("request")
        self.assertTrue(complaint.exists() and complaint.is_complaint, "ISO: kept")
        self.assertEqual(complaint.complaint_state, "rejected")
        self.assertEqual(
            complaint.complaint_rejection_reason, "Requalified at review: Request"
        )
        self.assertEqual(complaint.complaint_rejected_uid, self.reviewer)
        self.assertIn(self.reviewer.name, notes(complaint))
        new = subject.ticket_id.sudo()
        self.assertTrue(new and new != complaint)
        self.assertFalse(new.is_complaint)
        self.assertFalse(new.closed)

    def test_request_to_complaint_and_activity_to_ticket(self):
        request, information = self.registered("request", "information")
        old = request.ticket_id.sudo()
        request.with_user(self.reviewer).action_requalify("complaint")
        self.assertTrue(old.closed)
        self.assertTrue(request.ticket_id.sudo().is_complaint)
        self.assertTrue(information.sudo().activity_ids)
        information.with_user(self.reviewer).action_requalify("suggestion")
        self.assertFalse(information.sudo().activity_ids, "the old to-do is gone")
        self.assertTrue(information.ticket_id)
        self.assertIn("Requalified at review: Suggestion", notes(information))

    def test_the_same_route_keeps_its_ticket(self):
        request, complaint = self.registered("request", "complaint")
        ticket = request.ticket_id
        request.with_user(self.reviewer).action_requalify("suggestion")
        self.assertEqual(request.ticket_id, ticket, "both go to the default team")
        self.assertFalse(ticket.sudo().closed)
        category = self.env["helpdesk.ticket.category"].create({"name": "Parking"})
        kept = complaint.ticket_id
        complaint.with_user(self.reviewer).action_requalify("complaint", category.id)
        self.assertEqual(complaint.ticket_id, kept)
        self.assertEqual(kept.sudo().complaint_state, "received")
        self.assertEqual(complaint.category_id, category)


@tagged("post_install", "-at_install")
class TestLostItemMatch(ActionsCase):
    def test_match_from_its_button(self):
        Item = self.env["crm.mall.lost.item"].with_user(self.agent)
        found = Item.create({"name": "Blue umbrella", "kind": "found"})
        other = Item.create({"name": "Red umbrella", "kind": "found"})
        lost = Item.create({"name": "My umbrella", "kind": "lost"})
        action = lost.action_open_match()
        wizard = self.env[action["res_model"]].with_user(self.agent)
        wizard = wizard.browse(action["res_id"])
        self.assertEqual(wizard.candidate_ids, found | other)
        self.assertIn(wizard.match_id, found | other)
        wizard.match_id = other
        wizard.action_apply()
        self.assertEqual((lost.match_id, other.match_id), (other, lost))
        self.assertEqual(found.state, "open")
        with self.assertRaisesRegex(UserError, "open item"):
            lost.action_open_match()

    def test_bad_matches(self):
        Item = self.env["crm.mall.lost.item"].with_user(self.agent)
        lost = Item.create({"name": "Keys", "kind": "lost"})
        twin = Item.create({"name": "Keys too", "kind": "lost"})
        company_b = self.env["res.company"].create({"name": "Mall B2"})
        elsewhere = self.env["crm.mall.lost.item"].create(
            {"name": "Keys", "kind": "found", "company_id": company_b.id}
        )
        for bad in (0, "x", None, 10**9):
            with self.assertRaisesRegex(UserError, "Choose the item"):
                lost.action_match(bad)
        with self.assertRaisesRegex(UserError, "open lost report"):
            lost.action_match(twin.id)
        with self.assertRaisesRegex(UserError, "open lost report"):
            lost.sudo().action_match(elsewhere.id)
        self.assertNotIn(elsewhere, lost.candidate_matches())
        self.assertEqual(lost.state, "open")


@tagged("post_install", "-at_install")
class TestRoutingRuleNames(ActionsCase):
    def test_names(self):
        Rule = self.env["crm.mall.routing.rule"]
        team = self.env.ref("crm_iso_complaints.team_customer_relations")
        self.assertTrue(self.env.ref("crm_mall_counter.routing_default").name)
        plain = Rule.create(
            {"subject_type": "request", "action": "ticket", "team_id": team.id}
        )
        self.assertEqual(plain.name, "Rule for Request")
        category = self.env["helpdesk.ticket.category"].create({"name": "Lifts"})
        default = Rule.create(
            {"action": "ticket", "team_id": team.id, "category_id": category.id}
        )
        self.assertEqual(default.name, "Default rule, Lifts")
        named = Rule.create({"name": "Mine", "action": "ticket", "team_id": team.id})
        self.assertEqual(named.name, "Mine")
        self.assertFalse(Rule.search([("name", "=", False)]))
        listing = etree.fromstring(Rule.get_view(view_type="list")["arch"])
        self.assertTrue(listing.xpath("//field[@name='name']"))


@tagged("post_install", "-at_install")
class TestCockpitDrillDowns(ActionsCase):
    def test_each_button_opens_what_its_figure_counts(self):
        partner = self.env["res.partner"].create({"name": "Drill visitor"})
        open_visits(self.env, {"counter_id": self.counter.id, "partner_id": partner.id})
        open_visits(self.env, {"channel": "call_centre", "partner_id": partner.id})
        template = self.env["crm.mall.qc.template"].search([], limit=1)
        if template:
            self.env["crm.mall.qc.inspection"].create(
                {"template_id": template.id, "zone": "Drill zone"}
            )  # a draft: not counted
        cockpit = self.env["crm.mall.cockpit"].with_user(self.manager)
        cockpit = cockpit.create({"period": "month"})
        form = etree.fromstring(cockpit.get_view(view_type="form")["arch"])
        drill_buttons = {
            name
            for name in form.xpath("//button/@name")
            if name.startswith("action_open_")
        }
        self.assertEqual(drill_buttons, set(BUTTONS.values()))
        self.assertEqual(set(BUTTONS), set(DRILL_DOWNS))
        self.assertGreaterEqual(cockpit.calls, 1)
        for figure, button in BUTTONS.items():
            action = getattr(cockpit, button)()
            records = (
                self.env[action["res_model"]]
                .with_user(self.manager)
                .search(action["domain"])
            )
            self.assertEqual(len(records), cockpit[figure], figure)
            self.assertFalse(
                [k for k in action["context"] if k.startswith("search_default_")],
                figure,
            )

    def test_lines_are_stored_own_and_follow_the_period(self):
        Cockpit = self.env["crm.mall.cockpit"].with_user(self.manager)
        cockpit = Cockpit.create({"period": "today"})
        counters = self.env["crm.mall.counter"].with_user(self.manager)
        active = counters.search([("active", "=", True)])
        Line = self.env["crm.mall.cockpit.line"].with_user(self.manager)
        rows = Line.search_read(
            [("cockpit_id", "=", cockpit.id)], ["counter_id", "visits"]
        )
        self.assertEqual({r["counter_id"][0] for r in rows}, set(active.ids))
        partner = self.env["res.partner"].create({"name": "Line visitor"})
        open_visits(self.env, {"counter_id": self.counter.id, "partner_id": partner.id})
        old = cockpit.counter_line_ids
        cockpit.period = "week"
        self.assertFalse(old.exists())
        line = cockpit.counter_line_ids.filtered(
            lambda li: li.counter_id == self.counter
        )
        self.assertEqual(line.visits, 1)
        other = new_test_user(self.env, "act_manager2", groups=MANAGER)
        self.assertFalse(
            self.env["crm.mall.cockpit.line"]
            .with_user(other)
            .search([("cockpit_id", "=", cockpit.id)])
        )

    def test_the_form_shows_the_lines_before_and_after_saving(self):
        """What the web client does: onchange on a new cockpit, then save."""
        cockpit = self.env["crm.mall.cockpit"].with_user(self.manager)
        with Form(cockpit) as form:
            self.assertTrue(form.counter_line_ids)
            shown = len(form.counter_line_ids)
            form.period = "week"
            self.assertEqual(len(form.counter_line_ids), shown)
        saved = form.record
        self.assertEqual(len(saved.counter_line_ids), shown)
        self.assertEqual(saved.period, "week")

    def test_period_starts_at_midnight_of_the_company(self):
        """The mall's day, whoever looks: a manager travelling in another zone
        sees the same "today" as the counters."""
        self.manager.tz = "America/New_York"
        self.env.company.partner_id.tz = "Asia/Tehran"
        with freeze_time(datetime(2026, 11, 23, 21, 0)):  # 00:30 on the 24th
            cockpit = self.env["crm.mall.cockpit"].with_user(self.manager)
            cockpit = cockpit.create({"period": "today"})
            self.assertEqual(cockpit._start(), datetime(2026, 11, 23, 20, 30))
            self.assertEqual(cockpit._start_date().isoformat(), "2026-11-24")


@tagged("post_install", "-at_install")
class TestCounterBoardDay(ActionsCase):
    def test_today_is_the_counters_day(self):
        tehran = self.env["resource.calendar"].create(
            calendar_vals("Tehran 8-16", "Asia/Tehran", range(5), 8.0, 16.0)
        )
        self.counter.calendar_id = tehran
        partner = self.env["res.partner"].create({"name": "Late visitor"})
        visits = {}
        # 23:30 Tehran on the 23rd (yesterday there), then 00:15 on the 24th
        for moment in (datetime(2026, 11, 23, 20, 0), datetime(2026, 11, 23, 20, 45)):
            with freeze_time(moment):
                visits[moment] = open_visits(
                    self.env, {"counter_id": self.counter.id, "partner_id": partner.id}
                )
        for moment, visit in visits.items():
            subject = self.env["crm.mall.subject"].create(
                {
                    "visit_id": visit.id,
                    "subject_type": "complaint",
                    "description": "late",
                }
            )
            self.env.flush_all()
            self.env.cr.execute(
                "UPDATE crm_mall_subject SET create_date = %s WHERE id = %s",
                (moment, subject.id),
            )
            self.assertEqual(subject.counter_id, self.counter)
        self.env.invalidate_all()
        with freeze_time(datetime(2026, 11, 23, 21, 0)):  # 00:30 Tehran, the 24th
            self.assertEqual(self.counter.visits_today, 1)
            self.assertEqual(self.counter.subjects_today, 1)
            self.assertEqual(self.counter.complaints_today, 1)
            # a UTC counter is still on the 23rd: both visits are today's
            self.other_counter.calendar_id = self.calendar
            open_visits(
                self.env,
                {"counter_id": self.other_counter.id, "partner_id": partner.id},
            )
            self.env.invalidate_all()
            self.assertEqual(self.other_counter.visits_today, 1)
        with freeze_time(datetime(2026, 11, 23, 20, 50)):  # 00:20 Tehran
            self.env.invalidate_all()
            self.assertEqual(self.counter.visits_today, 1)
        with freeze_time(datetime(2026, 11, 23, 20, 10)):  # 23:40 Tehran, the 23rd
            self.env.invalidate_all()
            self.assertEqual(self.counter.visits_today, 2)


@tagged("post_install", "-at_install")
class TestRepeatComplainant(ActionsCase):
    def complaint(self, partner, when, archived=False):
        with freeze_time(when):
            ticket = self.env["helpdesk.ticket"].create(
                {
                    "name": "Again",
                    "description": "<p>again</p>",
                    "is_complaint": True,
                    "partner_id": partner.id,
                }
            )
        if archived:
            ticket._crm_iso_archive_with_reason("Entered twice")
        return ticket

    def test_flag_and_search_agree(self):
        self.env.company.write(
            {"crm_iso_repeat_complaint_count": 3, "crm_iso_repeat_complaint_days": 30}
        )
        Partner = self.env["res.partner"]
        now = datetime(2026, 11, 23, 10, 0)
        recent, old = now - timedelta(days=2), now - timedelta(days=45)
        three, two_and_old, with_archived, none = Partner.create(
            [{"name": n} for n in ("three", "two+old", "archived", "none")]
        )
        for partner, dates in (
            (three, (recent, recent, recent)),
            (two_and_old, (recent, recent, old)),
            (with_archived, (recent, recent)),
        ):
            for when in dates:
                self.complaint(partner, when)
        self.complaint(with_archived, recent, archived=True)
        people = three | two_and_old | with_archived | none
        officer = self.manager  # a mall manager is a complaint officer
        mine = Partner.with_user(officer)
        with freeze_time(now):
            flagged = people.with_user(officer).filtered("is_repeat_complainant")
            self.assertEqual(flagged, (three | with_archived).with_user(officer))
            scope = [("id", "in", people.ids)]
            for operator, value, expected in (
                ("=", True, flagged),
                ("!=", False, flagged),
                ("=", False, people - flagged),
                ("!=", True, people - flagged),
            ):
                found = mine.search(
                    [*scope, ("is_repeat_complainant", operator, value)]
                )
                self.assertEqual(set(found.ids), set(expected.ids), operator)
