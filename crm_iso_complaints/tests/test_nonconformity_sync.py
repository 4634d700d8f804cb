# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""OCA's nonconformity bridge on complaints: its one link and its "Create
Nonconformity", and its stage sync mapped onto the complaint's own transitions
(or a note in the chatter), never an error; through the real /jsonrpc."""

import importlib.util
from pathlib import Path

from odoo.tests import HttpCase, tagged

from .common import ComplaintCase, execute_kw


@tagged("post_install", "-at_install")
class TestNonconformitySync(HttpCase, ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cause = cls.env["crm.iso.root.cause"].create({"name": "Worn belts"})
        cls.stages = {
            state: cls.env.ref(f"mgmtsystem_nonconformity.stage_{state}")
            for state in ("draft", "analysis", "pending", "open", "done")
        }

    def rpc(self, user, model, method, *args, **kwargs):
        result, error = execute_kw(self, user, user.login, model, method, args, kwargs)
        return result, error and error.rsplit(".", 1)[-1]

    def move(self, nonconformity, state):
        """Move the nonconformity over /jsonrpc as the complaint manager."""
        _result, error = self.rpc(
            self.manager,
            "mgmtsystem.nonconformity",
            "write",
            nonconformity.ids,
            {"stage_id": self.stages[state].id},
        )
        self.assertIsNone(error)
        self.env.invalidate_all()
        self.assertEqual(nonconformity.state, state)

    def notes(self, complaint):
        return complaint.message_ids.filtered(
            lambda m: "The complaint stays" in (m.body or "")
        )

    def test_create_nonconformity_and_follow_its_stages(self):
        assessed = self.advance(
            self.new_complaint(complaint_root_cause_id=self.cause.id),
            "acknowledged",
            "assessed",
        )
        received = self.new_complaint(complaint_root_cause_id=self.cause.id)
        plain = self.env["helpdesk.ticket"].create(
            {"name": "Belt noise", "description": "<p>noise</p>"}
        )
        # OCA's "Create Nonconformity" on the complaints, over RPC
        action, error = self.rpc(
            self.manager,
            "helpdesk.ticket",
            "action_nonconformity_create",
            (assessed | received).ids,
        )
        self.assertIsNone(error)
        nc = self.env["mgmtsystem.nonconformity"].browse(action["res_id"])
        self.assertEqual(nc.ticket_ids, assessed | received)
        self.assertEqual(nc.crm_iso_root_cause_id, self.cause)
        self.assertIn("Worn belts", nc.analysis)
        plain.nonconformity_id = nc
        events = len(assessed.complaint_event_ids)

        # Analysis: the assessed complaint starts its investigation (its own
        # transition: stamped, registered); the received one cannot, and says so
        self.move(nc, "analysis")
        self.assertEqual(assessed.complaint_state, "investigation")
        self.assertEqual(assessed.complaint_investigation_uid, self.manager)
        self.assertEqual(assessed.stage_id.complaint_state, "investigation")
        self.assertEqual(
            assessed.complaint_event_ids.sorted("sequence")[-1].event, "transition"
        )
        self.assertEqual(len(assessed.complaint_event_ids), events + 1)
        self.assertEqual(received.complaint_state, "received")
        self.assertEqual(received.stage_id.complaint_state, "received")
        self.assertIn("does not go from Received", self.notes(received).body)
        self.assertFalse(self.notes(assessed))
        # a plain ticket of the same nonconformity keeps OCA's mapped stage
        self.assertEqual(
            plain.stage_id,
            self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_in_progress"),
        )

        # the nonconformity's other stages have no step in the complaint's
        # lifecycle: left out with a note, never an error
        nc.write({"action_comments": "Replace the belts", "evaluation_comments": "OK"})
        for state in ("pending", "open", "done"):
            self.move(nc, state)
            self.assertEqual(assessed.complaint_state, "investigation")
            self.assertEqual(received.complaint_state, "received")
        self.assertEqual(len(self.notes(assessed)), 3)
        self.assertIn("has no step", self.notes(assessed)[0].body)
        self.assertEqual(len(self.notes(received)), 4)
        self.assertEqual(
            plain.stage_id, self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        )
        self.assertEqual(len(assessed.complaint_event_ids), events + 1)

    def test_a_user_who_may_not_take_the_transition(self):
        """The sync runs as the user moving the nonconformity: a transition they
        may not take is left out with their refusal as the note."""
        complaint = self.advance(
            self.new_complaint(complaint_root_cause_id=self.cause.id),
            "acknowledged",
            "assessed",
        )
        nc = self.env["mgmtsystem.nonconformity"].browse(
            complaint.with_user(self.manager).action_nonconformity_create()["res_id"]
        )
        qms = self.env["res.users"].create(
            {
                "name": "QMS manager",
                "login": "qms_manager_nc",
                "password": "qms_manager_nc",
                "group_ids": [
                    (4, self.env.ref("mgmtsystem.group_mgmtsystem_manager").id),
                    (4, self.env.ref("helpdesk_mgmt.group_helpdesk_user").id),
                ],
            }
        )
        _result, error = self.rpc(
            qms,
            "mgmtsystem.nonconformity",
            "write",
            nc.ids,
            {"stage_id": self.stages["analysis"].id},
        )
        self.assertIsNone(error)
        self.env.invalidate_all()
        self.assertEqual(nc.state, "analysis")
        self.assertEqual(complaint.complaint_state, "assessed")
        self.assertEqual(len(self.notes(complaint)), 1)


@tagged("post_install", "-at_install")
class TestNonconformityLinkMigration(ComplaintCase):
    """19.0.2.3.0 moves the suite's old many2many links into OCA's field."""

    def migrate(self):
        path = (
            Path(__file__).parent.parent
            / "migrations/19.0.2.3.0/post-nonconformity-link.py"
        )
        spec = importlib.util.spec_from_file_location("post_nc_link", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        self.env.flush_all()
        module.migrate(self.env.cr, "19.0.2.2.0")
        self.env.invalidate_all()

    def test_old_links_moved_or_noted_then_table_dropped(self):
        cause = self.env["crm.iso.root.cause"].create({"name": "Old cause"})
        one, two, already = (
            self.new_complaint(complaint_root_cause_id=cause.id) for _i in range(3)
        )
        Nonconformity = self.env["mgmtsystem.nonconformity"]
        vals = {
            "partner_id": self.customer.id,
            "responsible_user_id": self.env.uid,
            "manager_user_id": self.env.uid,
            "description": "old",
        }
        first, second, oca = Nonconformity.create(
            [{**vals, "name": name} for name in ("first", "second", "oca")]
        )
        already.nonconformity_id = oca
        self.env.flush_all()
        self.env.cr.execute(
            "CREATE TABLE crm_iso_nonconformity_ticket_rel "
            "(ticket_id integer, nonconformity_id integer)"
        )
        rows = [
            (one.id, first.id),
            (one.id, second.id),  # a second nonconformity: kept as a note
            (two.id, second.id),
            (already.id, first.id),  # OCA's field already set: a note
        ]
        for row in rows:
            self.env.cr.execute(
                "INSERT INTO crm_iso_nonconformity_ticket_rel VALUES (%s, %s)", row
            )
        self.migrate()
        self.assertEqual(one.nonconformity_id, first)
        self.assertEqual(two.nonconformity_id, second)
        self.assertEqual(already.nonconformity_id, oca)
        for ticket, nonconformity in ((one, second), (already, first)):
            for record in (ticket, nonconformity):
                notes = record.message_ids.filtered(
                    lambda m: "Also linked before" in (m.body or "")
                )
                self.assertEqual(len(notes), 1)
                self.assertIn(ticket.complaint_ref, notes.body)
                self.assertIn(nonconformity.ref, notes.body)
        self.assertFalse(
            two.message_ids.filtered(lambda m: "Also linked" in (m.body or ""))
        )
        self.env.cr.execute(
            "SELECT to_regclass('crm_iso_nonconformity_ticket_rel') IS NULL"
        )
        self.assertTrue(self.env.cr.fetchone()[0])
        self.migrate()  # again: nothing to do, nothing changes
        self.assertEqual(one.nonconformity_id, first)
