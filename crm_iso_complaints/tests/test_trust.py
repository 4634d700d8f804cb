# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Trust by construction: identity and time of a complaint, objectivity records
that only grow, and the event register's hash chain (see test_trust_rpc.py at
the suite level for every protected field through the external API)."""

import importlib.util
import json
from datetime import datetime, timedelta
from itertools import pairwise
from pathlib import Path

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, mute_logger

from odoo.addons.crm_iso_complaints.models.crm_iso_event import row_hash

from .common import MONDAY_10, ComplaintCase

HASH_FIELDS = [
    "company_id",
    "sequence",
    "date",
    "user_id",
    "res_model",
    "res_id",
    "record_ref",
    "event",
    "payload",
    "prev_hash",
]


class TestIdentityAndTime(ComplaintCase):
    def test_receipt_is_the_servers_clock(self):
        with freeze_time(MONDAY_10):
            complaint = self.new_complaint(user=self.officer)
        self.assertEqual(complaint.complaint_received_date, MONDAY_10)
        # an officer cannot give a receipt moment, earlier or later
        for moment in (MONDAY_10 - timedelta(days=3), MONDAY_10 + timedelta(days=1)):
            with self.assertRaises(UserError), self.cr.savepoint():
                self.new_complaint(
                    user=self.officer,
                    complaint_received_date=moment,
                    complaint_receipt_backdate_reason="paper form",
                )

    def test_paper_receipt_by_a_manager_with_a_reason(self):
        earlier = MONDAY_10 - timedelta(days=2)
        with freeze_time(MONDAY_10):
            with self.assertRaisesRegex(ValidationError, "Say why"):
                self.new_complaint(user=self.manager, complaint_received_date=earlier)
            with self.assertRaisesRegex(ValidationError, "in the future"):
                self.new_complaint(
                    user=self.manager,
                    complaint_received_date=MONDAY_10 + timedelta(hours=1),
                    complaint_receipt_backdate_reason="typo",
                )
            with self.assertRaisesRegex(ValidationError, "not a date"):
                self.new_complaint(
                    user=self.manager,
                    complaint_received_date="last tuesday",
                    complaint_receipt_backdate_reason="paper",
                )
            complaint = self.new_complaint(
                user=self.manager,
                complaint_received_date=earlier,
                complaint_receipt_backdate_reason=(
                    "Letter received at the gate on Saturday"
                ),
            )
        self.assertEqual(complaint.complaint_received_date, earlier)
        self.assertGreater(complaint.create_date, earlier)
        self.assertTrue(
            complaint.message_ids.filtered(lambda m: "Letter received" in m.body)
        )
        receipt = complaint.complaint_event_ids.filtered(lambda e: e.event == "receipt")
        self.assertIn("Letter received", receipt.payload)
        # and once registered, never changed again, by anyone
        for user in (self.officer, self.manager, self.env.ref("base.user_admin")):
            with self.assertRaises(UserError), self.cr.savepoint():
                complaint.with_user(user).write({"complaint_received_date": MONDAY_10})
        self.assertEqual(complaint.complaint_received_date, earlier)

    def test_reference_unique_per_company_in_the_database(self):
        first, second = self.new_complaint(), self.new_complaint()
        self.env.flush_all()
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.cr.savepoint(),
        ):
            self.env.cr.execute(
                SQL(
                    "UPDATE helpdesk_ticket SET complaint_ref = %s WHERE id = %s",
                    first.complaint_ref,
                    second.id,
                )
            )
        other = self.env["res.company"].create({"name": "Other mall"})
        self.env.cr.execute(
            SQL(
                "UPDATE helpdesk_ticket SET complaint_ref = %s, company_id = %s "
                "WHERE id = %s",
                first.complaint_ref,
                other.id,
                second.id,
            )
        )  # the same number in another company is allowed

    def test_a_complaint_stays_a_complaint_and_is_never_deleted(self):
        complaint = self.new_complaint()
        for user in (self.officer, self.manager):
            with self.assertRaises(UserError), self.cr.savepoint():
                complaint.with_user(user).write({"is_complaint": False})
        for user in (self.manager, self.env.ref("base.user_admin")):
            with self.assertRaises(UserError), self.cr.savepoint():
                complaint.with_user(user).sudo().unlink()
        with self.assertRaisesRegex(UserError, "archived with a reason"):
            complaint.with_user(self.manager).write({"active": False})
        self.assertTrue(complaint.exists() and complaint.is_complaint)
        self.assertTrue(complaint.active)

    def test_no_context_key_unlocks_or_moves_time(self):
        """Keys that once unlocked the guard or set the clock's "now" (no code
        reads them any more, a regression would read one again): refused all
        the same, the complaint re-read from the database unchanged."""
        complaint = self.new_complaint()
        keys = {
            "crm_iso_transition": True,
            "crm_iso_now": "2020-01-01 00:00:00",
            "crm_iso_archive_reason": True,
            "crm_iso_new_user_id": self.manager.id,
        }
        fields_ = ["complaint_state", "complaint_severity", "write_date"]
        before = complaint.read(fields_)
        with self.assertRaises(UserError):
            complaint.with_user(self.manager).with_context(**keys).write(
                {"complaint_state": "closed"}
            )
        with self.assertRaises(UserError):
            complaint.with_user(self.officer).with_context(**keys).write(
                {"complaint_severity": "3"}
            )
        self.env.invalidate_all()
        self.assertEqual(complaint.read(fields_), before)
        self.assertEqual(before[0]["complaint_state"], "received")
        # the deadlines run against the server's clock, not a context "now":
        # the acknowledgement is due before 2099, not overdue today
        self.assertTrue(complaint._crm_iso_pending_deadline())
        late = complaint.with_context(crm_iso_now=datetime(2099, 1, 1))
        self.env.invalidate_all()
        self.assertFalse(late.complaint_is_overdue)
        # context defaults never preset a protected field
        forged = (
            self.env["helpdesk.ticket"]
            .with_user(self.officer)
            .with_context(
                default_complaint_state="closed",
                default_ack_on_time=True,
                default_complaint_ref="X-1",
            )
            .create(
                {
                    "name": "n",
                    "description": "<p>n</p>",
                    "is_complaint": True,
                    "partner_id": self.customer.id,
                    "category_id": self.category.id,
                }
            )
        )
        self.assertEqual(forged.complaint_state, "received")
        self.assertFalse(forged.complaint_ack_on_time)
        self.assertNotEqual(forged.complaint_ref, "X-1")


class TestProtectedFields(ComplaintCase):
    def test_every_concern_adds_its_share_to_one_guard(self):
        """Each file of the ticket lists its own protected fields; the guard
        protects their union, and refuses each of them on write."""
        Ticket = self.env["helpdesk.ticket"]
        stamps = {
            f"complaint_{state}_{kind}"
            for state in (
                "acknowledged",
                "assessed",
                "investigation",
                "response",
                "rejected",
                "reopened",
            )
            for kind in ("date", "uid")
        } | {"complaint_closed_date", "complaint_closed_uid"}
        expected = stamps | {
            # core: reference and receipt
            "complaint_ref",
            "complaint_state",
            "complaint_received_date",
            "complaint_receipt_backdate_reason",
            "complaint_archive_reason",
            "complaint_event_ids",
            # lifecycle
            "complaint_decision_date",
            "complaint_customer_decision",
            "complaint_customer_rejection_reason",
            "complaint_rejection_reason",
            "complaint_reopen_count",
            # clocks and pauses
            "complaint_first_response_date",
            "complaint_last_update_date",
            "complaint_ack_work_hours",
            "complaint_resolve_work_hours",
            "complaint_ack_on_time",
            "complaint_resolve_on_time",
            "complaint_ack_warned",
            "complaint_resolve_warned",
            "complaint_paused_since",
            "complaint_paused_work_hours",
            "complaint_update_paused_hours",
            "complaint_pause_ids",
            # escalation, dispute, threading
            "complaint_escalation_level",
            "complaint_escalation_ids",
            "complaint_dispute_ids",
            "complaint_dispute_requested_date",
            "parent_complaint_id",
            # merge of duplicates (helpdesk_mgmt's duplicate_id is guarded too)
            "crm_iso_duplicate_date",
            "crm_iso_duplicate_uid",
            "crm_iso_duplicate_reason",
        }
        own = {
            name
            for name in Ticket._crm_iso_protected_fields()
            # the other addons of the suite protect their own fields too
            if Ticket._fields[name]._module == "crm_iso_complaints"
        }
        self.assertEqual(own, expected)
        complaint = self.new_complaint()
        for name in (
            "complaint_reopen_count",
            "complaint_paused_work_hours",
            "complaint_ack_on_time",
        ):
            with self.assertRaisesRegex(UserError, "not changed by hand"):
                complaint.write({name: 1})


class TestObjectivity(ComplaintCase):
    def test_records_only_grow_removal_is_a_managers_decision(self):
        complaint = self.new_complaint(
            complaint_subject_user_ids=[(6, 0, self.officer.ids)]
        )
        # the person complained about cannot take themselves off, nor can others
        for user in (self.officer, self.manager):
            for command in ([(3, self.officer.id)], [(5, 0, 0)], [(6, 0, [])]):
                with self.assertRaises(UserError), self.cr.savepoint():
                    complaint.with_user(user).write(
                        {"complaint_subject_user_ids": command}
                    )
        self.assertEqual(complaint.complaint_subject_user_ids, self.officer)
        # and they cannot investigate, whatever the path
        with self.assertRaises(ValidationError), self.cr.savepoint():
            complaint.with_user(self.manager).write({"user_id": self.officer.id})
        with self.assertRaises(ValidationError), self.cr.savepoint():
            complaint.with_user(self.manager)._crm_iso_reassign(self.officer.id, "try")
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.new_complaint(
                user_id=self.officer.id,
                complaint_subject_user_ids=[(6, 0, self.officer.ids)],
            )
        # adding is allowed to the officer, and recorded
        complaint.with_user(self.officer).write(
            {"complaint_subject_user_ids": [(4, self.helpdesk_user.id)]}
        )
        self.assertIn(self.helpdesk_user, complaint.complaint_subject_user_ids)
        # a conflict declared stays declared
        complaint.with_user(self.manager)._crm_iso_declare_conflict("My brother-in-law")
        with self.assertRaises(UserError), self.cr.savepoint():
            complaint.with_user(self.manager).write(
                {"complaint_conflict_user_ids": [(3, self.manager.id)]}
            )
        # removal: a complaint manager, with a reason, kept in the history
        wizard = complaint.with_user(self.officer).action_remove_objectivity()
        self.assertEqual(wizard["context"]["default_action"], "remove_objectivity")
        with self.assertRaisesRegex(UserError, "complaint manager"):
            complaint.with_user(self.officer)._crm_iso_remove_from_objectivity(
                self.officer.id, "mistake"
            )
        with self.assertRaisesRegex(UserError, "reason"):
            complaint.with_user(self.manager)._crm_iso_remove_from_objectivity(
                self.officer.id, " "
            )
        complaint.with_user(self.manager)._crm_iso_remove_from_objectivity(
            self.officer.id, "Wrong person: the complaint names another agent"
        )
        self.assertNotIn(self.officer, complaint.complaint_subject_user_ids)
        events = complaint.complaint_event_ids.filtered(
            lambda e: e.event == "objectivity"
        )
        self.assertEqual(len(events), 3)  # added, conflict, removed
        self.assertIn("Wrong person", events.sorted("sequence")[-1].payload)


class TestEventRegister(ComplaintCase):
    def _events(self):
        return self.env["crm.iso.event"].search(
            [("company_id", "=", self.env.company.id)], order="sequence"
        )

    def _breaks(self):
        result = self.env["crm.iso.event"]._verify([self.env.company.id])
        return [(b["kind"], b["sequence"]) for b in result["breaks"]]

    def test_lifecycle_events_are_chained(self):
        complaint = self.closed_complaint()
        kinds = complaint.complaint_event_ids.sorted("sequence").mapped("event")
        self.assertEqual(
            kinds,
            [
                "receipt",
                "transition",
                "assessment",
                "transition",
                "decision",
                "customer_answer",
                "transition",
            ],
        )
        closing = complaint.complaint_event_ids.sorted("sequence")[-1]
        payload = json.loads(closing.payload)
        self.assertEqual(payload["to"], "closed")
        self.assertIn("complaint_resolve_on_time", payload)
        self.assertEqual(closing.user_id, self.manager)
        self.assertEqual(self._breaks(), [])
        rows = self._events()
        for previous, row in pairwise(rows):
            self.assertEqual(row.prev_hash, previous.hash)
            self.assertEqual(row.sequence, previous.sequence + 1)

    def test_register_rows_are_never_changed_through_the_orm(self):
        self.new_complaint()
        row = self._events()[-1]
        for user in (self.manager, self.env.ref("base.user_admin")):
            with self.assertRaises(UserError), self.cr.savepoint():
                row.with_user(user).sudo().write({"payload": "{}"})
            with self.assertRaises(UserError), self.cr.savepoint():
                row.with_user(user).sudo().unlink()
            with self.assertRaises(UserError), self.cr.savepoint():
                row.with_user(user).sudo().create(
                    {**row.read(["res_model", "res_id", "event"])[0], "hash": "x"}
                )

    def _tamper(self, query, *args):
        self.env.flush_all()
        self.env.cr.execute(SQL(query, *args))
        self.env.invalidate_all()

    def test_each_kind_of_tampering_is_found(self):
        for _i in range(4):
            self.closed_complaint()
        rows = self._events()
        self.assertEqual(self._breaks(), [])
        check = self.env["crm.iso.integrity.check"].with_user(self.manager).create({})
        check.action_check()
        self.assertEqual(check.state, "intact")
        self.assertEqual(check.head_ids.sequence, rows[-1].sequence)
        # a row changed
        altered = rows[5]
        genuine = altered.payload
        self._tamper(
            "UPDATE crm_iso_event SET payload = %s WHERE id = %s",
            '{"to": "closed"}',
            altered.id,
        )
        self.assertEqual(self._breaks(), [("altered", altered.sequence)])
        self._tamper(
            "UPDATE crm_iso_event SET payload = %s WHERE id = %s",
            genuine,
            altered.id,
        )
        self.assertEqual(self._breaks(), [])
        # a row removed
        removed = rows[10]
        sequence = removed.sequence
        self._tamper(
            "CREATE TEMP TABLE saved_event AS SELECT * FROM crm_iso_event "
            "WHERE id = %s",
            removed.id,
        )
        self._tamper("DELETE FROM crm_iso_event WHERE id = %s", removed.id)
        self.assertEqual(self._breaks(), [("removed", sequence + 1)])
        self._tamper("INSERT INTO crm_iso_event SELECT * FROM saved_event")
        self.assertEqual(self._breaks(), [])
        # a row inserted between two others: PostgreSQL refuses a second row at
        # a sequence; passed off as a fork kept from before 19.0.2.3.0, the check
        # finds it
        between = rows[15]
        insert = (
            "INSERT INTO crm_iso_event (company_id, sequence, fork, date, user_id, "
            "res_model, res_id, record_ref, event, payload, prev_hash, hash) "
            "SELECT company_id, sequence, %s, date, user_id, res_model, res_id, "
            "record_ref, 'transition', '{\"to\": \"closed\"}', prev_hash, "
            "md5(random()::text) FROM crm_iso_event WHERE id = %s"
        )
        with (
            self.assertRaises(IntegrityError),
            self.cr.savepoint(),
            mute_logger("odoo.sql_db"),
        ):
            self._tamper(insert, 0, between.id)
        self._tamper(insert, 1, between.id)
        self.assertEqual(self._breaks(), [("inserted", between.sequence)])
        check.action_check()
        self.assertEqual(check.state, "broken")
        self.assertEqual(check.break_ids.kind, "inserted")
        # the PDF report lists it
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "crm_iso_complaints.action_report_integrity_check", check.ids
            )[0]
            .decode()
        )
        self.assertIn("Row inserted", html)

    def test_a_recomputed_hash_still_breaks_the_chain(self):
        self.closed_complaint()
        row = self._events()[2]
        self._tamper(
            "UPDATE crm_iso_event SET user_id = %s WHERE id = %s",
            self.officer.id,
            row.id,
        )
        forged = row.read(
            ["company_id", "sequence", "date", "user_id", "res_model", "res_id"]
            + ["record_ref", "event", "payload", "prev_hash"]
        )[0]
        values = {k: (v[0] if isinstance(v, tuple) else v) for k, v in forged.items()}
        self._tamper(
            "UPDATE crm_iso_event SET hash = %s WHERE id = %s",
            row_hash(values["prev_hash"], values),
            row.id,
        )
        self.assertEqual(self._breaks(), [("broken", row.sequence + 1)])

    def test_a_fork_from_before_the_head_row_is_kept_and_listed(self):
        """The 19.0.2.3.0 migration on a register the old advisory lock forked:
        two intact rows at one sequence, chained to the same row; the chain went
        on from the first one. Nothing is renumbered, changed or removed."""
        self.new_complaint()
        self.new_complaint()
        rows = self._events()
        genuine = rows[-2]  # the chain goes on from it: rows[-1] links to it
        self._tamper(
            "ALTER TABLE crm_iso_event "
            "DROP CONSTRAINT crm_iso_event_company_sequence_uniq"
        )
        twin = genuine.read(HASH_FIELDS)[0]
        twin = {k: (v[0] if isinstance(v, tuple) else v) for k, v in twin.items()}
        twin["payload"] = '{"twin": true}'
        self._tamper(
            "INSERT INTO crm_iso_event (company_id, sequence, fork, date, user_id, "
            "res_model, res_id, record_ref, event, payload, prev_hash, hash) "
            "VALUES (%s, %s, 0, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            *(twin[name] for name in HASH_FIELDS),
            row_hash(twin["prev_hash"], twin),
        )
        before = self.env["crm.iso.event"].search_count([])
        spec = importlib.util.spec_from_file_location(
            "pre_register_head",
            Path(__file__).parent.parent / "migrations/19.0.2.3.0/pre-register-head.py",
        )
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        with mute_logger(migration.__name__):
            migration.migrate(self.env.cr, "19.0.2.2.0")
            migration.migrate(self.env.cr, "19.0.2.2.0")  # twice: the same
        self._tamper(
            "ALTER TABLE crm_iso_event ADD CONSTRAINT "
            "crm_iso_event_company_sequence_uniq UNIQUE (company_id, sequence, fork)"
        )
        self.assertEqual(self.env["crm.iso.event"].search_count([]), before)
        at_sequence = self.env["crm.iso.event"].search(
            [
                ("company_id", "=", genuine.company_id.id),
                ("sequence", "=", genuine.sequence),
            ]
        )
        self.assertEqual(
            {(e.id == genuine.id, e.fork) for e in at_sequence},
            {(True, 0), (False, 1)},
        )
        self.assertEqual(self._breaks(), [("forked", genuine.sequence)])

    def test_dispute_transitions_are_registered(self):
        complaint = self.responded_complaint()
        complaint.with_user(self.officer)._crm_iso_customer_reject("Not enough")
        provider = self.env["crm.iso.dr.provider"].create(
            {
                "partner_id": self.env["res.partner"].create({"name": "DR"}).id,
                "method_ids": [
                    (6, 0, self.env.ref("crm_iso_complaints.dr_method_mediation").ids)
                ],
            }
        )
        case = self.env["crm.iso.dispute"].create(
            {
                "complaint_id": complaint.id,
                "provider_id": provider.id,
                "method_id": provider.method_ids.id,
                "customer_consent": True,
            }
        )
        case.with_user(self.manager).action_next()
        events = self.env["crm.iso.event"].search(
            [("res_model", "=", "crm.iso.dispute"), ("res_id", "=", case.id)]
        )
        self.assertEqual(len(events), 2)
        self.assertEqual(self._breaks(), [])
