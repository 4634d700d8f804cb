# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Merging duplicate complaints through the real /jsonrpc: a complaint manager
merges (an officer may not), the kept complaint gets copies of the messages and
attachments, the duplicate stays readable, closed as a duplicate, and the
register records both sides."""

import base64
import json

from odoo.tests import HttpCase, tagged

from .common import ComplaintCase, execute_kw


@tagged("post_install", "-at_install")
class TestMergeDuplicates(HttpCase, ComplaintCase):
    def rpc(self, user, model, method, *args, **kwargs):
        result, error = execute_kw(self, user, user.login, model, method, args, kwargs)
        return result, error and error.rsplit(".", 1)[-1]

    def merge(self, user, duplicates, keep, reason="Registered twice"):
        """Merge duplicate through the button's wizard, over RPC."""
        action, error = self.rpc(
            user, "helpdesk.ticket", "action_crm_iso_merge_duplicate", duplicates.ids
        )
        if error:
            return error
        wizard_id, error = self.rpc(
            user,
            "crm.iso.complaint.reason.wizard",
            "create",
            {
                "action": action["context"]["default_action"],
                "ticket_ids": [(6, 0, action["context"]["default_ticket_ids"])],
                "keep_ticket_id": keep.id,
                "reason": reason,
            },
        )
        if error:
            return error
        _result, error = self.rpc(
            user, "crm.iso.complaint.reason.wizard", "action_apply", [wizard_id]
        )
        self.env.invalidate_all()
        return error

    def setUp(self):
        super().setUp()
        self.keep = self.advance(self.new_complaint(), "acknowledged", "assessed")
        self.duplicate = self.advance(
            self.new_complaint(name="Broken escalator (by phone)"), "acknowledged"
        )
        self.duplicate.message_post(
            body="The complainant called again.",
            message_type="comment",
            attachments=[("photo.txt", b"escalator photo")],
        )
        self.env["ir.attachment"].create(
            {
                "name": "receipt.txt",
                "datas": base64.b64encode(b"receipt"),
                "res_model": "helpdesk.ticket",
                "res_id": self.duplicate.id,
            }
        )

    def test_manager_merges_duplicate(self):
        messages = self.duplicate.message_ids.filtered(
            lambda m: m.message_type != "notification"
        )
        self.assertIsNone(self.merge(self.manager, self.duplicate, self.keep))
        # the duplicate stays on record, closed as a duplicate of the kept one
        self.assertTrue(self.duplicate.active)
        self.assertEqual(self.duplicate.complaint_state, "duplicate")
        self.assertEqual(self.duplicate.stage_id.complaint_state, "duplicate")
        self.assertEqual(self.duplicate.duplicate_id, self.keep)
        self.assertEqual(self.duplicate.crm_iso_duplicate_reason, "Registered twice")
        self.assertEqual(self.duplicate.crm_iso_duplicate_uid, self.manager)
        self.assertEqual(self.keep.duplicate_ids, self.duplicate)
        self.assertEqual(self.keep.complaint_state, "assessed")
        # copies on the kept complaint; the originals are still on the duplicate
        kept_bodies = "".join(self.keep.message_ids.mapped("body"))
        self.assertIn("The complainant called again.", kept_bodies)
        self.assertTrue(messages <= self.duplicate.message_ids)
        names = self.env["ir.attachment"].search(
            [("res_model", "=", "helpdesk.ticket"), ("res_id", "=", self.keep.id)]
        )
        self.assertEqual(sorted(names.mapped("name")), ["photo.txt", "receipt.txt"])
        copy = self.keep.message_ids.filtered(
            lambda m: "called again" in (m.body or "")
        )
        self.assertEqual(copy.attachment_ids.mapped("name"), ["photo.txt"])
        self.assertEqual(copy.attachment_ids.res_id, self.keep.id)
        self.assertEqual(
            self.env["ir.attachment"].search_count(
                [
                    ("res_model", "=", "helpdesk.ticket"),
                    ("res_id", "=", self.duplicate.id),
                ]
            ),
            2,
        )
        # both sides in the register
        closed = self.duplicate.complaint_event_ids.sorted("sequence")[-1]
        self.assertEqual(closed.event, "duplicate")
        payload = json.loads(closed.payload)
        self.assertEqual(payload["duplicate_id"], self.keep.id)
        self.assertEqual(payload["crm_iso_duplicate_reason"], "Registered twice")
        merged = self.keep.complaint_event_ids.sorted("sequence")[-1]
        self.assertEqual(merged.event, "merge")
        self.assertEqual(
            json.loads(merged.payload)["merged"][0]["ref"],
            self.duplicate.complaint_ref,
        )
        # the duplicate is still readable by an officer, and final
        read, error = self.rpc(
            self.officer,
            "helpdesk.ticket",
            "read",
            self.duplicate.ids,
            ["complaint_state", "duplicate_id", "crm_iso_duplicate_reason"],
        )
        self.assertIsNone(error)
        self.assertEqual(read[0]["duplicate_id"][0], self.keep.id)
        self.assertFalse(self.duplicate.complaint_is_overdue)
        # merged once: a second merge or any move is refused
        self.assertEqual(
            self.merge(self.manager, self.duplicate, self.keep), "UserError"
        )

    def test_officer_may_not_merge(self):
        self.assertEqual(
            self.merge(self.officer, self.duplicate, self.keep), "UserError"
        )
        self.assertEqual(self.duplicate.complaint_state, "acknowledged")
        self.assertFalse(self.duplicate.duplicate_id)
        self.assertNotIn("called again", "".join(self.keep.message_ids.mapped("body")))

    def test_the_link_is_set_by_the_merge_only(self):
        """helpdesk_mgmt's "Duplicate of" and the reason, written by hand (or by
        helpdesk_mgmt's Mark as duplicate wizard), are refused on a complaint."""
        for vals in (
            {"duplicate_id": self.keep.id},
            {"crm_iso_duplicate_reason": "x"},
            {"complaint_state": "duplicate"},
        ):
            _result, error = self.rpc(
                self.manager, "helpdesk.ticket", "write", self.duplicate.ids, vals
            )
            self.assertEqual(error, "UserError")
        _result, error = self.rpc(
            self.manager,
            "helpdesk.ticket",
            "write",
            self.keep.ids,
            {"duplicate_ids": [(4, self.duplicate.id)]},
        )
        self.assertEqual(error, "UserError")
        wizard = self.env["helpdesk.ticket.duplicate.wizard"].create(
            {"ticket_id": self.duplicate.id, "duplicate_of_id": self.keep.id}
        )
        _result, error = self.rpc(
            self.manager,
            "helpdesk.ticket.duplicate.wizard",
            "action_confirm",
            wizard.ids,
        )
        self.assertEqual(error, "UserError")
        self.env.invalidate_all()
        self.assertFalse(self.duplicate.duplicate_id)
        self.assertEqual(self.duplicate.complaint_state, "acknowledged")

    def test_refused_merges(self):
        plain = self.env["helpdesk.ticket"].create(
            {"name": "Plain", "description": "<p>x</p>"}
        )
        other = self.env["res.partner"].create({"name": "Someone else"})
        stranger = self.new_complaint(partner_id=other.id)
        rejected = self.new_complaint()
        rejected.with_user(self.manager)._crm_iso_reject_with_reason("Not ours")
        for duplicates, keep in (
            (self.duplicate, plain),  # a complaint into a plain ticket
            (plain, self.keep),  # a plain ticket into a complaint
            (self.duplicate, self.duplicate),  # into itself
            (stranger, self.keep),  # another complainant
            (self.duplicate, rejected),  # into a rejected one
        ):
            self.assertEqual(self.merge(self.manager, duplicates, keep), "UserError")
        self.assertEqual(self.duplicate.complaint_state, "acknowledged")
        self.assertEqual(stranger.complaint_state, "received")
        self.assertFalse(plain.duplicate_id)
        # helpdesk_mgmt's "Duplicate of" stays free on plain tickets
        wizard = self.env["helpdesk.ticket.duplicate.wizard"].create(
            {"ticket_id": plain.id, "duplicate_of_id": self.keep.id}
        )
        wizard.action_confirm()
        self.assertEqual(plain.duplicate_id, self.keep)
