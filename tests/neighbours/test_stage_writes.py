# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""OCA neighbours that write a ticket's stage on their own, on complaints.

Runs in the co-installation database of ``make test`` (tools/crm_suite.py,
``NEIGHBOURS``), where helpdesk_ticket_close_inactive and
helpdesk_ticket_partner_response are installed beside the suite: their stage
writes on complaints become the complaint's transition when the lifecycle and
the real user allow it, otherwise a note; the rest of their work is done.
"""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import SQL, mute_logger

from odoo.addons.crm_iso_complaints.tests.common import (
    MANAGER,
    ComplaintCase,
    execute_kw,
)
from odoo.addons.helpdesk_ticket_partner_response.tests.test_partner_response import (
    MAIL_TEMPLATE,
)

STAGE = "crm_iso_complaints.stage_complaint_{}"
SYNC_LOG = "odoo.addons.crm_iso_complaints.models.helpdesk_ticket_stage_sync"


class StageWriteCase(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stage = {
            state: cls.env.ref(STAGE.format(state))
            for state in ("received", "response", "reopened", "closed")
        }
        cls.stage_new = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new")
        cls.stage_done = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")

    def notes(self, ticket):
        return ticket.message_ids.filtered(
            lambda m: m.message_type == "notification" and "was not applied" in m.body
        )


class TestCloseInactive(StageWriteCase):
    """helpdesk_ticket_close_inactive's cron on a team that holds complaints."""

    def idle(self, *tickets):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE helpdesk_ticket SET last_stage_update = %s WHERE id IN %s",
                fields.Datetime.now() - timedelta(days=30),
                tuple(t.id for t in tickets),
            )
        )
        self.env.invalidate_all()

    def run_cron(self, closing_stage):
        self.env["helpdesk.ticket.team"].search([]).close_inactive_tickets = False
        self.team.write(
            {
                "close_inactive_tickets": True,
                "inactive_tickets_day_limit_warning": 0,
                "ticket_stage_ids": [
                    (6, 0, [self.stage_new.id, *(s.id for s in self.stage.values())])
                ],
                "closing_ticket_stage": closing_stage.id,
            }
        )
        cron = self.env.ref(
            "helpdesk_ticket_close_inactive.ir_cron_close_inactive_tickets"
        )
        # what ir.cron's _callback runs, as the cron's user; raises if it fails
        with mute_logger(SYNC_LOG):
            cron.ir_actions_server_id.with_user(cron.user_id).run()
        self.env.invalidate_all()

    def test_complaints_transition_or_note_plain_tickets_close(self):
        plain = self.env["helpdesk.ticket"].create(
            {"name": "Idle question", "description": "x", "team_id": self.team.id}
        )
        received = self.new_complaint()
        responded = self.responded_complaint()
        self.idle(plain, received, responded)
        self.run_cron(self.stage["closed"])
        # the complaint that may close is closed by its transition, as the cron's user
        self.assertEqual(responded.complaint_state, "closed")
        self.assertEqual(responded.stage_id, self.stage["closed"])
        self.assertEqual(responded.complaint_closed_uid, self.env.ref("base.user_root"))
        self.assertIn(
            '"to": "closed"', "".join(responded.complaint_event_ids.mapped("payload"))
        )
        # the one the lifecycle does not let close keeps its stage, with a note
        self.assertEqual(received.complaint_state, "received")
        self.assertEqual(received.stage_id, self.stage["received"])
        self.assertIn("does not go from Received to Closed", self.notes(received).body)
        # and the plain ticket of the same run is closed
        self.assertEqual(plain.stage_id, self.stage["closed"])

    def test_plain_closing_stage_is_no_complaint_stage(self):
        plain = self.env["helpdesk.ticket"].create(
            {"name": "Idle question", "description": "x", "team_id": self.team.id}
        )
        responded = self.responded_complaint()
        self.idle(plain, responded)
        self.run_cron(self.stage_done)
        self.assertEqual(plain.stage_id, self.stage_done)
        self.assertEqual(responded.complaint_state, "response")
        self.assertIn("is not a complaint stage", self.notes(responded).body)
        # the next run says it once, not once a day
        self.run_cron(self.stage_done)
        self.assertEqual(len(self.notes(responded)), 1)


class TestPartnerResponse(StageWriteCase):
    """helpdesk_ticket_partner_response on complaint stages: the complainant's
    reply is kept; the stage change is a transition only for those who may."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team.write(
            {
                "autoupdate_ticket_stage": True,
                "autopupdate_src_stage_ids": [(6, 0, cls.stage["response"].ids)],
                "autopupdate_dest_stage_id": cls.stage["reopened"].id,
            }
        )
        cls.complainant = cls.portal.partner_id
        cls.complainant.email = "c_portal@example.com"

    def test_portal_reply_is_kept_and_noted(self):
        complaint = self.responded_complaint(partner_id=self.complainant.id)
        # as the portal's chatter route posts it: sudo, after its access check
        complaint.with_user(self.portal).sudo().message_post(
            body="I do not agree", message_type="comment"
        )
        self.assertIn("I do not agree", "".join(complaint.message_ids.mapped("body")))
        self.assertEqual(complaint.complaint_state, "response")
        self.assertIn(
            "may not move a complaint to Reopened", self.notes(complaint).body
        )

    def test_mail_reply_is_kept_and_noted(self):
        complaint = self.responded_complaint(partner_id=self.complainant.id)
        with mute_logger(SYNC_LOG):
            self.env["mail.thread"].message_process(
                "helpdesk.ticket",
                MAIL_TEMPLATE.format(
                    to="complaints@example.com",
                    subject="Re: your complaint",
                    email_from=self.complainant.email,
                    msg_id="<reply-1@example.com>",
                ),
                thread_id=complaint.id,
            )
        replies = complaint.message_ids.filtered(lambda m: m.message_type == "email")
        self.assertIn("Please go ahead", replies.body)
        self.assertEqual(complaint.complaint_state, "response")
        self.assertIn("an e-mail does not move a complaint", self.notes(complaint).body)

    def test_plain_ticket_still_follows_the_reply(self):
        self.team.autopupdate_src_stage_ids |= self.stage_new
        self.team.autopupdate_dest_stage_id = self.stage_done
        plain = self.env["helpdesk.ticket"].create(
            {
                "name": "Question",
                "description": "x",
                "team_id": self.team.id,
                "partner_id": self.complainant.id,
            }
        )
        plain.with_user(self.portal).sudo().message_post(
            body="Thanks", message_type="comment"
        )
        self.assertEqual(plain.stage_id, self.stage_done)


class TestClientWrites(StageWriteCase):
    """A person's own stage write stays a request checked like its button; the
    workflow fields stay refused inside a neighbour's foreign write too."""

    def test_direct_write_refused_with_the_reason(self):
        complaint = self.new_complaint()
        with self.assertRaisesRegex(UserError, "cannot go from"):
            complaint.with_user(self.manager).write(
                {"stage_id": self.stage["closed"].id}
            )

    def test_foreign_write_never_forges_workflow_fields(self):
        complaint = self.new_complaint()
        with complaint._crm_iso_foreign_stage_writes(), self.assertRaises(UserError):
            complaint.write(
                {"stage_id": self.stage["closed"].id, "complaint_state": "closed"}
            )
        self.assertEqual(complaint.complaint_state, "received")


@tagged("post_install", "-at_install")
class TestClientWritesOverRpc(HttpCase):
    """Through the real /jsonrpc: a person's stage write on a complaint that the
    lifecycle refuses gets the reason as an error (not a silent note), a forged
    status is refused, and the complaint re-read is unchanged."""

    def test_rpc_stage_write_refused_with_the_reason(self):
        manager = new_test_user(self.env, "nb_rpc_manager", groups=MANAGER)
        manager.password = "nb-rpc-pass-1234"
        complaint = self.env["helpdesk.ticket"].create(
            {"name": "Lift", "description": "x", "is_complaint": True}
        )
        closed = self.env.ref(STAGE.format("closed"))
        for vals in ({"stage_id": closed.id}, {"complaint_state": "closed"}):
            result, error = execute_kw(
                self,
                manager,
                "nb-rpc-pass-1234",
                "helpdesk.ticket",
                "write",
                [complaint.ids, vals],
            )
            self.assertEqual((result, error), (None, "odoo.exceptions.UserError"))
            complaint.invalidate_recordset()
            self.assertEqual(complaint.complaint_state, "received")
            self.assertEqual(complaint.stage_id, self.env.ref(STAGE.format("received")))
            self.assertFalse(
                complaint.message_ids.filtered(
                    lambda m: "was not applied" in (m.body or "")
                )
            )


@tagged("post_install", "-at_install")
class TestPortalReplyOverHttp(HttpCase):
    """The complainant replies from the portal's chatter (the real route) on a
    complaint whose team moves replied tickets (partner_response): the reply is
    stored, the complaint keeps its status, a note says why."""

    def test_portal_reply_kept(self):
        portal = new_test_user(
            self.env,
            "nb_portal",
            groups="base.group_portal",
            password="nb-portal-pass-1234",
            email="nb.portal@example.com",
        )
        response = self.env.ref(STAGE.format("response"))
        team = self.env["helpdesk.ticket.team"].create(
            {
                "name": "Replies move tickets",
                "autoupdate_ticket_stage": True,
                "autopupdate_src_stage_ids": [(6, 0, response.ids)],
                "autopupdate_dest_stage_id": self.env.ref(STAGE.format("reopened")).id,
            }
        )
        complaint = self.env["helpdesk.ticket"].create(
            {
                "name": "Lift",
                "description": "x",
                "is_complaint": True,
                "team_id": team.id,
                "partner_id": portal.partner_id.id,
            }
        )
        with complaint._crm_iso_unlocked():  # straight to "response proposed"
            complaint.write({"complaint_state": "response", "stage_id": response.id})
        self.authenticate("nb_portal", "nb-portal-pass-1234")
        self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "helpdesk.ticket",
                "thread_id": complaint.id,
                "post_data": {"body": "I do not agree", "message_type": "comment"},
                "token": complaint._portal_ensure_token(),
            },
        )
        complaint.invalidate_recordset()
        bodies = "".join(complaint.message_ids.mapped("body"))
        self.assertIn("I do not agree", bodies)
        self.assertIn("may not move a complaint to Reopened", bodies)
        self.assertEqual(complaint.complaint_state, "response")
