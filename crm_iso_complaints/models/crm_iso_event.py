# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The event register: every lifecycle event of complaints and dispute cases,
chained by hash per company so that a change made behind the ORM shows.

Each row stores ``hash = sha256(prev_hash | its content)``, where ``prev_hash`` is
the hash of the row before it in the same company and ``sequence`` counts the
company's rows from 1. Rows are appended in the transaction of the change they
record. Each company's last sequence and hash live in its head row
(``crm.iso.event.head``), which every append locks (``SELECT ... FOR UPDATE``)
and moves. Odoo runs a request in REPEATABLE READ: when another transaction
moved the head after this one's snapshot was taken, the lock raises a
serialization failure, Odoo rolls the whole request back and runs it again
(``odoo/service/model.py``, ``retrying``), and the retry reads the head as the
other one committed it. So the head read is always the last committed row, on
one node or several, and ``UNIQUE (company_id, sequence, fork)`` makes a second
row at a sequence impossible in PostgreSQL itself.

``fork`` is 0 on every row the register appends. Before 19.0.2.3.0 the register
took an advisory lock after the snapshot and could fork under concurrency (two
rows chained to the same row); the 19.0.2.3.0 migration keeps those rows as they
were written and numbers the extra ones ``fork`` 1, 2, ... (see
``migrations/19.0.2.3.0/pre-register-head.py``). ``_verify`` walks the chain and
lists every break, and every fork (see readme/DESCRIPTION.md for what this
proves and what it cannot).
"""

import hashlib
import json

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

EVENTS = [
    ("receipt", "Received"),
    ("transition", "Status change"),
    ("assessment", "Assessment"),
    ("decision", "Decision proposed"),
    ("customer_answer", "Complainant's answer"),
    ("pause", "Clocks paused"),
    ("resume", "Clocks resumed"),
    ("escalation", "Escalation"),
    ("objectivity", "Objectivity record"),
    ("assignment", "Investigator assigned"),
    ("reopen", "Reopened"),
    ("archive", "Archived"),
    ("dispute", "Dispute case"),
    ("dispute_request", "Dispute resolution asked by the complainant"),
    ("duplicate", "Closed as a duplicate"),
    ("merge", "Duplicate merged in"),
]
# the columns a row's hash covers, in this order
HASHED = (
    "company_id",
    "sequence",
    "date",
    "user_id",
    "res_model",
    "res_id",
    "record_ref",
    "event",
    "payload",
)


def row_hash(prev_hash, row):
    """The hash of a row: its content chained to the previous row's hash."""
    parts = [prev_hash or ""]
    for name in HASHED:
        value = row[name]
        if name == "date" and value:
            value = fields.Datetime.to_string(value)
        parts.append("" if value in (None, False) else str(value))
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


class CrmIsoEvent(models.Model):
    _name = "crm.iso.event"
    _description = "ISO event register"
    _inherit = ["crm.iso.guarded.mixin"]
    _order = "company_id, sequence desc"
    _crm_iso_append_only = True
    _rec_name = "record_ref"

    company_id = fields.Many2one("res.company", required=True, readonly=True)
    sequence = fields.Integer(readonly=True, required=True)
    date = fields.Datetime(readonly=True, required=True)
    user_id = fields.Many2one("res.users", string="By", readonly=True)
    res_model = fields.Char(string="Record model", readonly=True, required=True)
    res_id = fields.Many2oneReference(
        string="Record", model_field="res_model", readonly=True, required=True
    )
    record_ref = fields.Char(string="Reference", readonly=True, index=True)
    event = fields.Selection(EVENTS, readonly=True, required=True)
    payload = fields.Text(string="Details", readonly=True)
    prev_hash = fields.Char(string="Previous hash", readonly=True)
    hash = fields.Char(readonly=True, required=True)
    fork = fields.Integer(
        readonly=True,
        required=True,
        default=0,
        help="0 on the chain. n > 0: the n-th extra row at this sequence, written "
        "when the register forked under concurrency before version 19.0.2.3.0 and "
        "kept as it was written.",
    )

    # one row per sequence and company: only the forks kept from before
    # 19.0.2.3.0 have fork > 0, and the register never writes fork
    _company_sequence_uniq = models.Constraint(
        "UNIQUE (company_id, sequence, fork)",
        "The event register has one row per sequence and company.",
    )
    _record_idx = models.Index("(res_model, res_id)")

    # every field: a register row is written once, by _append, and never changed
    _crm_iso_protected = dict.fromkeys(
        [*HASHED, "prev_hash", "hash", "fork"],
        _lt("the register records events itself"),
    )

    # ------------------------------------------------------------ append
    @api.model
    def _append(
        self, records, event, payloads=None, ref_field="display_name", common=None
    ):
        """Append one row per record (of one model), chained per company.

        What each row records: ``common`` plus ``payloads[record id]``.
        """
        if not records:
            return self.browse()
        payloads = payloads or {}
        now = fields.Datetime.now()
        Event = self.sudo()
        vals_list = []
        by_company = {}
        for record in records:
            company_id = record.company_id.id or self.env.company.id
            by_company.setdefault(company_id, []).append(record)
        heads = {}
        # companies in a fixed order: two appends never lock heads crosswise
        for company_id, company_records in sorted(by_company.items()):
            sequence, prev = self._lock_head(company_id)
            for record in company_records:
                sequence += 1
                row = {
                    "company_id": company_id,
                    "sequence": sequence,
                    "date": now,
                    "user_id": self.env.uid,
                    "res_model": record._name,
                    "res_id": record.id,
                    "record_ref": record[ref_field] or "",
                    "event": event,
                    "payload": json.dumps(
                        {**(common or {}), **payloads.get(record.id, {})},
                        sort_keys=True,
                        ensure_ascii=False,
                        default=str,
                    ),
                }
                row["prev_hash"] = prev
                row["hash"] = prev = row_hash(prev, row)
                vals_list.append(row)
            heads[company_id] = (sequence, prev)
        with Event._crm_iso_unlocked():
            events = Event.create(vals_list)
        for company_id, (sequence, last_hash) in heads.items():
            self.env.cr.execute(
                SQL(
                    "UPDATE crm_iso_event_head SET sequence = %s, hash = %s "
                    "WHERE company_id = %s",
                    sequence,
                    last_hash,
                    company_id,
                )
            )
        self.env["crm.iso.event.head"].invalidate_model(["sequence", "hash"])
        return events

    @api.model
    def _lock_head(self, company_id):
        """Lock the company's head row; return its (sequence, hash).

        ``FOR UPDATE`` waits for an append in progress; if the head moved after
        this transaction's snapshot, PostgreSQL raises a serialization failure
        (REPEATABLE READ) and Odoo runs the request again. A company's first
        append creates its head from its last row (none: 0, ""); two first
        appends at once: the second one's insert fails the same way.
        """
        cr = self.env.cr
        locked = SQL(
            "SELECT sequence, hash FROM crm_iso_event_head "
            "WHERE company_id = %s FOR UPDATE",
            company_id,
        )
        cr.execute(locked)
        head = cr.fetchone()
        if head is None:
            cr.execute(
                SQL(
                    "INSERT INTO crm_iso_event_head (company_id, sequence, hash) "
                    "SELECT %(company)s, COALESCE(max(sequence), 0), COALESCE(("
                    "  SELECT hash FROM crm_iso_event WHERE company_id = %(company)s "
                    "  AND fork = 0 ORDER BY sequence DESC LIMIT 1), '') "
                    "FROM crm_iso_event WHERE company_id = %(company)s AND fork = 0 "
                    "ON CONFLICT (company_id) DO NOTHING RETURNING sequence, hash",
                    company=company_id,
                )
            )
            head = cr.fetchone()
            if head is None:  # created meanwhile (a READ COMMITTED cursor)
                cr.execute(locked)
                head = cr.fetchone()
        return head[0], head[1] or ""

    # ------------------------------------------------------------ verify
    @api.model
    @api.readonly
    def _verify(self, company_ids=None):
        """Walk each company's chain; return the list of breaks found.

        A break is a dict: company_id, sequence, record_ref, kind (altered,
        removed, inserted, broken, forked) and detail. Rows are read by SQL,
        company by company, so that what the ORM would hide (a row added behind
        it) counts. A row kept from a fork of the register before 19.0.2.3.0
        (``fork`` > 0) is listed as ``forked`` when it is intact and chained to a
        row of the sequence before it, as ``inserted`` otherwise. Rows
        missing after the last one the head records count as removed.
        """
        self.env.flush_all()
        where = SQL("TRUE")
        if company_ids is not None:
            where = SQL("company_id = ANY(%s)", list(company_ids))
        self.env.cr.execute(
            SQL("SELECT company_id, sequence FROM crm_iso_event_head WHERE %s", where)
        )
        head_sequence = dict(self.env.cr.fetchall())
        self.env.cr.execute(
            SQL(
                "SELECT id, company_id, sequence, fork, date, user_id, res_model, "
                "res_id, record_ref, event, payload, prev_hash, hash "
                "FROM crm_iso_event WHERE %s ORDER BY company_id, sequence, fork, id",
                where,
            )
        )
        breaks, checked = [], 0
        company, expected, last_hash = None, 1, ""
        # hashes of the rows (chain and forks) at this sequence and the one before
        level, before = (None, set()), set()

        def add(company, kind, row, missing=False):
            breaks.append(
                {
                    "company_id": company,
                    "sequence": row["sequence"],
                    "record_ref": row["record_ref"],
                    "kind": kind,
                    "detail": row["event"],
                    "missing": missing,
                }
            )

        def removed(company, first, last):
            """Rows first..last the head counted, none of them found."""
            if company is not None and last >= first:
                row = {"sequence": last, "record_ref": "", "event": ""}
                add(company, "removed", row, (first, last))

        for row in self.env.cr.dictfetchall():
            checked += 1
            if row["company_id"] != company:
                removed(company, expected, head_sequence.pop(company, 0))
                company, expected, last_hash = row["company_id"], 1, ""
                level, before = (None, set()), set()
            if row["sequence"] != level[0]:
                previous = level
                level = (row["sequence"], set())
                before = previous[1] if previous[0] == row["sequence"] - 1 else set()
            level[1].add(row["hash"])
            intact = row_hash(row["prev_hash"], row) == row["hash"]
            if row["fork"]:
                chained = (row["prev_hash"] or "") in (before or {""})
                add(company, "forked" if intact and chained else "inserted", row)
                continue  # a fork never moves the chain on
            kind = None
            if row["sequence"] < expected:
                kind = "inserted"
            elif row["sequence"] > expected:
                kind = "removed"
            elif (row["prev_hash"] or "") != last_hash:
                kind = "broken" if intact else "inserted"
            elif not intact:
                kind = "altered"
            if kind:
                missing = kind == "removed" and (expected, row["sequence"] - 1)
                add(company, kind, row, missing)
            if kind == "inserted":
                continue  # the chain goes on from the last genuine row
            expected = row["sequence"] + 1
            last_hash = row["hash"]
        removed(company, expected, head_sequence.pop(company, 0))
        for head_company, last in head_sequence.items():  # every row of it gone
            removed(head_company, 1, last)
        return {"checked": checked, "breaks": breaks}

    @api.model
    @api.readonly
    def _heads(self, company_ids):
        """The last row of each company's chain (sequence and hash)."""
        self.env.cr.execute(
            SQL(
                "SELECT DISTINCT ON (company_id) company_id, sequence, hash "
                "FROM crm_iso_event WHERE company_id = ANY(%s) AND fork = 0 "
                "ORDER BY company_id, sequence DESC, id DESC",
                list(company_ids),
            )
        )
        return self.env.cr.dictfetchall()
