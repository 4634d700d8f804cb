# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The suite's batch copies of upstream code, pinned to upstream.

Three places redo upstream work for a whole batch at once, for speed:

* ``ir.sequence._crm_iso_next_batch`` and ``_crm_iso_next_by_code_batch``
  (models/ir_sequence.py) draw what base's ``_next``/``next_by_code`` draw;
* ``helpdesk.ticket._prepare_ticket_numbers`` (models/helpdesk_ticket.py) draws
  the numbers helpdesk_mgmt's ``_prepare_ticket_number`` draws in its ``create``;
* ``helpdesk.ticket._message_post_creation_batch`` (models/helpdesk_ticket_mail.py)
  posts the "Ticket created" messages mail's ``create`` posts one by one.

Each test here runs the upstream path and the suite's path on the same input
and compares what they leave, field by field; ``test_*_detect_*`` change the
upstream method with ``patch.object`` and check that the comparison fails: an
Odoo or OCA update that changes upstream's behaviour fails these tests instead
of drifting quietly from the copies.
"""

from contextlib import ExitStack, contextmanager
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import TransactionCase, tagged

from odoo.addons.base.models import ir_sequence as base_sequence
from odoo.addons.helpdesk_mgmt.models.helpdesk_ticket import (
    HelpdeskTicket as MgmtTicket,
)
from odoo.addons.mail.models.mail_thread import MailThread

from ..models.helpdesk_ticket import HelpdeskTicket as SuiteTicket
from ..models.helpdesk_ticket_mail import HelpdeskTicketMail as SuiteTicketMail
from .common import ComplaintCase

DRAWS = 4
# date interpolation in prefixes and suffixes: the clock is frozen so both paths
# read the same moment; the range year differs from the current one on purpose
NOW = "2026-03-20 10:30:00"
OTHER_DAY = "2025-06-01"


def draw_twice(cr, seq_name):
    """base's ``_select_nextval`` drawing two numbers a time."""
    cr.execute("SELECT nextval(%s)", [seq_name])
    cr.execute("SELECT nextval(%s)", [seq_name])
    return cr.fetchone()


@tagged("post_install", "-at_install")
class TestSequencePins(TransactionCase):
    """Numbers: base's ``_next``/``next_by_code`` and helpdesk_mgmt's
    ``_prepare_ticket_number`` one by one against the batch methods."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Sequence = cls.env["ir.sequence"]
        cls.company = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Pin company B"})
        cls.company_c = cls.env["res.company"].create({"name": "Pin company C"})
        cls.company_d = cls.env["res.company"].create({"name": "Pin company D"})
        shared = Sequence.search(
            [("code", "=", "helpdesk.ticket.sequence"), ("company_id", "=", False)]
        )
        # company B numbers its tickets with its own no-gap, dated sequence; C
        # and D share helpdesk_mgmt's
        own = Sequence.create(
            {
                "name": "Company B tickets",
                "code": "helpdesk.ticket.sequence",
                "company_id": cls.company_b.id,
                "implementation": "no_gap",
                "prefix": "B%(year)s%(month)s-",
                "suffix": "/%(day)s",
                "padding": 4,
                "number_next": 5,
                "number_increment": 3,
            }
        )
        cls.ticket_sequences = shared | own
        cls.sequences = {
            "standard": Sequence.create(
                {
                    "name": "Pin standard",
                    "prefix": "S%(y)s%(doy)s/",
                    "suffix": "-%(woy)s",
                    "padding": 3,
                    "number_next": 40,
                    "number_increment": 2,
                }
            ),
            "no gap": Sequence.create(
                {
                    "name": "Pin no gap",
                    "implementation": "no_gap",
                    "prefix": "N%(month)s/",
                    "padding": 5,
                    "number_next": 7,
                    "number_increment": 3,
                }
            ),
            "standard, date ranges": Sequence.create(
                {
                    "name": "Pin ranges",
                    "use_date_range": True,
                    "prefix": "R%(range_year)s/%(year)s/",
                    "padding": 2,
                }
            ),
            "no gap, date ranges": Sequence.create(
                {
                    "name": "Pin no gap ranges",
                    "implementation": "no_gap",
                    "use_date_range": True,
                    "prefix": "G%(range_y)s-",
                    "suffix": "/%(current_year)s",
                    "padding": 3,
                    "number_increment": 5,
                }
            ),
        }

    # ----------------------------------------------------------------- helpers
    def _ranges(self, sequences):
        return self.env["ir.sequence.date_range"].search(
            [("sequence_id", "in", sequences.ids)]
        )

    def _counters(self, sequences):
        """Where the counters of ``sequences`` stand, date ranges included."""
        self.env.invalidate_all()
        ranges = self._ranges(sequences)
        return {
            "ranges": set(ranges.ids),
            "next": {rec: rec.number_next_actual for rec in [*sequences, *ranges]},
        }

    def _rewind(self, sequences, counters):
        """Put the counters back, dropping the date ranges drawn since."""
        self._ranges(sequences).filtered(
            lambda r: r.id not in counters["ranges"]
        ).sudo().unlink()
        for rec, number in counters["next"].items():
            rec.sudo().number_next_actual = number

    def _replay(self, sequences, upstream, suite):
        """``upstream()`` and ``suite()``, each from the same counters."""
        counters = self._counters(sequences)
        expected = upstream()
        self._rewind(sequences, counters)
        return expected, suite()

    def _next_batch_runs(self, sequence, day=None):
        """``DRAWS`` numbers of ``sequence`` by base's ``next_by_id`` one by one,
        and by ``_crm_iso_next_batch``; each followed by the number ``next_by_id``
        draws next (the counter moved past the batch as one by one)."""
        sequence = sequence.with_context(ir_sequence_date=day) if day else sequence
        return self._replay(
            sequence,
            lambda: [sequence.next_by_id() for _i in range(DRAWS + 1)],
            lambda: sequence._crm_iso_next_batch(DRAWS) + [sequence.next_by_id()],
        )

    def _ticket_vals(self):
        """Tickets of four companies in one batch: the shared sequence's
        companies interleaved, a number given, B's own sequence."""
        base = {"description": "<p>Pinned</p>"}
        companies = [
            self.company_c,
            self.company_d,
            self.company_b,
            self.company_c,
            False,
            self.company_b,
            self.company_d,
        ]
        vals_list = [
            dict(base, name=f"Pin {i}", **({"company_id": c.id} if c else {}))
            for i, c in enumerate(companies)
        ]
        vals_list[4]["number"] = "GIVEN-1"
        vals_list[5]["number"] = "/"
        return vals_list

    def _ticket_number_runs(self):
        """The numbers of the same tickets created one by one through
        helpdesk_mgmt's ``create`` (the suite's batch numbering switched off,
        so helpdesk_mgmt's ``_prepare_ticket_number`` draws them), and
        created in one batch through the suite's ``_prepare_ticket_numbers``."""
        Ticket = self.env["helpdesk.ticket"]

        def upstream():
            with patch.object(SuiteTicket, "_prepare_ticket_numbers") as off:
                numbers = [Ticket.create(vals).number for vals in self._ticket_vals()]
            self.assertEqual(off.call_count, len(numbers), "the batch draw was off")
            return numbers

        def suite():
            return Ticket.create(self._ticket_vals()).mapped("number")

        return self._replay(self.ticket_sequences, upstream, suite)

    @contextmanager
    def _upstream_changed(self, name):
        """One way upstream's numbering could change in an update."""
        with ExitStack() as stack:
            if name == "nextval":
                stack.enter_context(
                    patch.object(base_sequence, "_select_nextval", draw_twice)
                )
            elif name == "nogap":
                update_nogap = base_sequence._update_nogap
                stack.enter_context(
                    patch.object(
                        base_sequence,
                        "_update_nogap",
                        lambda rec, step: update_nogap(rec, 2 * step),
                    )
                )
            elif name == "format":
                get_next_char = base_sequence.IrSequence.get_next_char
                stack.enter_context(
                    patch.object(
                        base_sequence.IrSequence,
                        "get_next_char",
                        lambda seq, number: get_next_char(seq, number).lower(),
                    )
                )
            else:  # helpdesk_mgmt's own ticket number
                prepare = MgmtTicket._prepare_ticket_number
                stack.enter_context(
                    patch.object(
                        MgmtTicket,
                        "_prepare_ticket_number",
                        lambda ticket, values: f"#{prepare(ticket, values)}",
                    )
                )
            yield

    # ------------------------------------------------------------------- tests
    def test_next_batch_as_next(self):
        """Standard and no-gap sequences, increments, padding, prefixes and
        suffixes with dates, date ranges (a new one and the current one)."""
        with freeze_time(NOW):
            for label, sequence in self.sequences.items():
                days = [None, OTHER_DAY] if sequence.use_date_range else [None]
                for day in days:
                    with self.subTest(sequence=label, day=day):
                        expected, batch = self._next_batch_runs(sequence, day)
                        self.assertEqual(batch, expected)
                        self.assertEqual(len(set(batch)), DRAWS + 1)

    def test_no_gap_batch_is_gapless(self):
        """A no-gap batch: consecutive steps from the counter, and the next
        number right after it."""
        sequence = self.sequences["no gap"]
        with freeze_time(NOW):
            start = self._counters(sequence)["next"][sequence]
            batch = self._next_batch_runs(sequence)[1]
        self.assertEqual(
            [int(number.split("/")[1]) for number in batch],
            [start + 3 * k for k in range(DRAWS + 1)],
        )

    def test_by_code_as_one_by_one(self):
        """``_crm_iso_next_by_code_batch``: each company's own sequence, else
        the shared one, in the order given, as ``next_by_code`` in each."""
        Sequence = self.env["ir.sequence"]
        companies = [self.company_c, self.company_b, self.company_d, self.company_c]
        with freeze_time(NOW):
            expected, batch = self._replay(
                self.ticket_sequences,
                lambda: [
                    Sequence.with_company(c).next_by_code("helpdesk.ticket.sequence")
                    for c in companies
                ],
                lambda: Sequence._crm_iso_next_by_code_batch(
                    "helpdesk.ticket.sequence", [c.id for c in companies]
                ),
            )
        self.assertEqual(batch, expected)
        self.assertEqual(
            Sequence._crm_iso_next_by_code_batch("no.such.code", [self.company.id]),
            [Sequence.next_by_code("no.such.code")],
        )

    def test_ticket_numbers_as_helpdesk_mgmt(self):
        with freeze_time(NOW):
            expected, batch = self._ticket_number_runs()
        self.assertEqual(batch, expected)
        self.assertEqual(batch[4], "GIVEN-1", "a given number is kept")
        self.assertTrue(batch[2].startswith("B202603-"), "B's own sequence")
        self.assertEqual(len(set(batch)), len(batch))

    def test_number_pins_detect_upstream_changes(self):
        """Each comparison above fails when upstream draws otherwise."""
        cases = [
            ("nextval", lambda: self._next_batch_runs(self.sequences["standard"])),
            ("nogap", lambda: self._next_batch_runs(self.sequences["no gap"])),
            (
                "format",
                lambda: self._next_batch_runs(
                    self.sequences["standard, date ranges"], OTHER_DAY
                ),
            ),
            ("helpdesk_mgmt", self._ticket_number_runs),
        ]
        with freeze_time(NOW):
            for name, runs in cases:
                with self.subTest(upstream=name):
                    expected, batch = runs()
                    self.assertEqual(batch, expected, "unchanged upstream: equal")
                    with self._upstream_changed(name):
                        expected, batch = runs()
                    self.assertNotEqual(batch, expected)


@tagged("post_install", "-at_install")
class TestMessagePins(ComplaintCase):
    maxDiff = None
    """The "Ticket created" messages: mail's ``create`` one ticket at a time
    against ``_message_post_creation_batch`` for the batch."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a team whose followers hear of new tickets (the batch's message_post
        # path); cls.team has none (the batch's one-create path)
        cls.watcher = cls.env["res.partner"].create(
            {"name": "Team watcher", "email": "watcher@example.com"}
        )
        cls.loud_team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Watched desk",
                "user_id": cls.manager.id,
                "user_ids": [(6, 0, (cls.officer | cls.manager).ids)],
            }
        )
        cls.loud_team.message_subscribe(
            partner_ids=(cls.watcher | cls.manager.partner_id).ids
        )
        # complaints get the category's severity in a write after create (mail
        # tracks no change of a record it has just created, in either path)
        cls.category.complaint_severity = "3"

    def _vals(self):
        common = {"description": "<p>The lift is out of order.</p>"}
        return [
            dict(
                common,
                name="Quiet complaint",
                is_complaint=True,
                partner_id=self.customer.id,
                category_id=self.category.id,
            ),
            dict(
                common,
                name="Watched complaint",
                is_complaint=True,
                partner_id=self.customer.id,
                category_id=self.category.id,
                team_id=self.loud_team.id,
                user_id=self.manager.id,
            ),
            dict(
                common,
                name="Watched ticket",
                team_id=self.loud_team.id,
                partner_id=self.customer.id,
            ),
            dict(common, name="Plain ticket"),
            dict(common, name="Assigned ticket", user_id=self.manager.id),
        ]

    def _commit_hooks(self):
        """What the commit adds to the chatter (tracking messages)."""
        self.env.flush_all()
        self.env.cr.precommit.run()

    def _follow_up(self, tickets):
        """A tracked change and a note after the creation: tracking values,
        and the note threaded under the ticket's first messages."""
        self._commit_hooks()  # the creation's own, as its request's commit
        tickets.sudo().write({"user_id": self.helpdesk_user.id})
        for ticket in tickets.with_user(self.manager):
            ticket.message_post(
                body="Following up",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )

    def _chatter(self, tickets):
        """What mail holds of each ticket, in order, ids made relative: its
        messages (with their tracking values and notifications) and followers."""
        self._commit_hooks()
        Message = self.env["mail.message"].sudo()
        chatter = []
        for ticket in tickets.sudo():
            # the longest first: the number may hold the id's digits
            own = {
                ticket.complaint_ref or "<ref>": "<ref>",
                ticket.number: "<number>",
                str(ticket.id): "<id>",
            }

            def relative(text, own=own):
                for value in sorted(own, key=len, reverse=True):
                    text = text.replace(value, own[value])
                return text

            messages = Message.search(
                [("model", "=", ticket._name), ("res_id", "=", ticket.id)],
                order="id",
            )
            rows = []
            for message in messages:
                rows.append(
                    {
                        "body": relative(str(message.body)),
                        "subject": relative(message.subject or ""),
                        "subtype": message.subtype_id.id,
                        "message_type": message.message_type,
                        "author": message.author_id.id,
                        "author_guest": message.author_guest_id.id,
                        "email_from": message.email_from,
                        "reply_to": relative(message.reply_to or ""),
                        "model": message.model,
                        "res_id": relative(str(message.res_id)),
                        "parent": messages.ids.index(message.parent_id.id)
                        if message.parent_id in messages
                        else message.parent_id.id,
                        "record_company": message.record_company_id.id,
                        "record_alias_domain": message.record_alias_domain_id.id,
                        "email_add_signature": message.email_add_signature,
                        "is_internal": message.is_internal,
                        "partners": sorted(message.partner_ids.ids),
                        "attachments": len(message.attachment_ids),
                        "tracking": sorted(
                            (
                                value.field_id.name,
                                value.old_value_char,
                                value.new_value_char,
                                value.old_value_integer,
                                value.new_value_integer,
                                str(value.old_value_datetime),
                                str(value.new_value_datetime),
                            )
                            for value in message.sudo().tracking_value_ids
                        ),
                        "notifications": sorted(
                            (
                                notification.res_partner_id.id,
                                notification.notification_type,
                                notification.notification_status,
                                notification.is_read,
                                bool(notification.mail_mail_id),
                            )
                            for notification in message.notification_ids
                        ),
                    }
                )
            followers = sorted(
                (follower.partner_id.id, tuple(sorted(follower.subtype_ids.ids)))
                for follower in ticket.message_follower_ids
            )
            chatter.append({"messages": rows, "followers": followers})
        return chatter

    def _runs(self):
        """The chatter of the same tickets created one by one through mail's
        ``create`` (the suite's batch posting switched off), and created in
        one batch by the suite (``_message_post_creation_batch``)."""
        Ticket = self.env["helpdesk.ticket"].with_user(self.officer)
        with (
            patch.object(
                SuiteTicket, "_crm_iso_logs_creation_in_batch", return_value=False
            ) as off,
            patch.object(SuiteTicketMail, "_message_post_creation_batch") as batch,
        ):
            one_by_one = Ticket.browse()
            for vals in self._vals():
                one_by_one |= Ticket.create(vals)
        self._follow_up(one_by_one)
        self.assertTrue(off.called)
        self.assertFalse(batch.called, "mail's create posted them")
        with patch.object(
            SuiteTicketMail,
            "_message_post_creation_batch",
            autospec=True,
            side_effect=SuiteTicketMail._message_post_creation_batch,
        ) as batch:
            in_batch = Ticket.create(self._vals())
        self.assertEqual(batch.call_count, 1, "the suite's path posted them")
        self._follow_up(in_batch)
        return self._chatter(one_by_one), self._chatter(in_batch)

    def test_creation_messages_as_mail(self):
        expected, batch = self._runs()
        for position, (ticket, reference) in enumerate(
            zip(batch, expected, strict=True)
        ):
            with self.subTest(ticket=self._vals()[position]["name"]):
                self.assertEqual(ticket, reference)
        # the comparison holds what the issue asks to compare: both the batch's
        # paths, notifications, followers and tracking values
        subtype = self.env["helpdesk.ticket"]._creation_subtype().id
        created = [
            [m for m in ticket["messages"] if m["subtype"] == subtype]
            for ticket in batch
        ]
        self.assertEqual([len(messages) for messages in created], [1] * len(batch))
        self.assertFalse(created[0][0]["notifications"], "the quiet path")
        self.assertTrue(created[1][0]["notifications"], "the notified path")
        self.assertIn(self.watcher.id, [f[0] for f in batch[1]["followers"]])
        follow_up = [m for m in batch[0]["messages"] if m["tracking"]]
        self.assertEqual(len(follow_up), 1, "the reassignment is tracked")
        [note] = [m for m in batch[0]["messages"] if m["message_type"] == "comment"]
        self.assertIsNot(note["parent"], False, "threaded under a creation message")

    def test_message_pins_detect_upstream_changes(self):
        """The comparison fails when mail posts its creation message otherwise."""
        post = MailThread.message_post
        anchor = (
            self.env["mail.message"]
            .sudo()
            .create(
                {"model": "res.partner", "res_id": self.customer.id, "body": "anchor"}
            )
        )
        changes = {
            # message_post gives its messages another value
            "values": patch.object(
                MailThread,
                "message_post",
                lambda thread, **kw: post(thread, **dict(kw, subject="Changed")),
            ),
            # message_post threads a new record's first message under another
            "parent": patch.object(
                MailThread, "_message_compute_parent_id", return_value=anchor.id
            ),
        }
        for name, change in changes.items():
            with self.subTest(upstream=name):
                with change:
                    expected, batch = self._runs()
                self.assertNotEqual(batch, expected)
