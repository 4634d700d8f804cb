# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The event register: every lifecycle event of complaints and dispute cases,
chained by hash per company so that a change made behind the ORM shows.

Each row stores ``hash = sha256(prev_hash | its content)``, where ``prev_hash`` is
the hash of the row before it in the same company and ``sequence`` counts the
company's rows from 1. Rows are appended in the transaction of the change they
record, under a transaction lock per company (two nodes never fork the chain).
``_verify`` walks the chain and lists every break (see readme/DESCRIPTION.md for
what this proves and what it cannot).
"""

import hashlib
import json

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

# advisory lock namespace of the register (pg_advisory_xact_lock(int, int))
LOCK_NAMESPACE = 100021
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

    _company_sequence_idx = models.Index("(company_id, sequence)")
    _record_idx = models.Index("(res_model, res_id)")

    # every field: a register row is written once, by _append, and never changed
    _crm_iso_protected = dict.fromkeys(
        [*HASHED, "prev_hash", "hash"], _lt("the register records events itself")
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
        for company_id, company_records in sorted(by_company.items()):
            self.env.cr.execute(
                SQL("SELECT pg_advisory_xact_lock(%s, %s)", LOCK_NAMESPACE, company_id)
            )
            self.env.cr.execute(
                SQL(
                    "SELECT sequence, hash FROM crm_iso_event WHERE company_id = %s "
                    "ORDER BY sequence DESC, id DESC LIMIT 1",
                    company_id,
                )
            )
            last = self.env.cr.fetchone() or (0, "")
            sequence, prev = last
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
        with Event._crm_iso_unlocked():
            return Event.create(vals_list)

    # ------------------------------------------------------------ verify
    @api.model
    @api.readonly
    def _verify(self, company_ids=None):
        """Walk each company's chain; return the list of breaks found.

        A break is a dict: company_id, sequence, record_ref, kind (altered,
        removed, inserted, broken) and detail. Rows are read by SQL, company by
        company, so that what the ORM would hide (a row added behind it) counts.
        """
        self.env.flush_all()
        where = SQL("TRUE")
        if company_ids is not None:
            where = SQL("company_id = ANY(%s)", list(company_ids))
        self.env.cr.execute(
            SQL(
                "SELECT id, company_id, sequence, date, user_id, res_model, res_id, "
                "record_ref, event, payload, prev_hash, hash FROM crm_iso_event "
                "WHERE %s ORDER BY company_id, sequence, id",
                where,
            )
        )
        breaks, checked = [], 0
        company, expected, last_hash = None, 1, ""
        for row in self.env.cr.dictfetchall():
            checked += 1
            if row["company_id"] != company:
                company, expected, last_hash = row["company_id"], 1, ""
            kind = None
            if row["sequence"] < expected:
                kind = "inserted"
            elif row["sequence"] > expected:
                kind = "removed"
            elif (row["prev_hash"] or "") != last_hash:
                intact = row_hash(row["prev_hash"], row) == row["hash"]
                kind = "broken" if intact else "inserted"
            elif row_hash(row["prev_hash"], row) != row["hash"]:
                kind = "altered"
            if kind:
                breaks.append(
                    {
                        "company_id": company,
                        "sequence": row["sequence"],
                        "record_ref": row["record_ref"],
                        "kind": kind,
                        "detail": row["event"],
                        "missing": (expected, row["sequence"] - 1)
                        if kind == "removed"
                        else False,
                    }
                )
            if kind == "inserted":
                continue  # the chain goes on from the last genuine row
            expected = row["sequence"] + 1
            last_hash = row["hash"]
        return {"checked": checked, "breaks": breaks}

    @api.model
    @api.readonly
    def _heads(self, company_ids):
        """The last row of each company's chain (sequence and hash)."""
        self.env.cr.execute(
            SQL(
                "SELECT DISTINCT ON (company_id) company_id, sequence, hash "
                "FROM crm_iso_event WHERE company_id = ANY(%s) "
                "ORDER BY company_id, sequence DESC, id DESC",
                list(company_ids),
            )
        )
        return self.env.cr.dictfetchall()
