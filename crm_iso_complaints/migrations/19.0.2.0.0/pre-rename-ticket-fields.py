# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Generic field names this addon added to ``helpdesk.ticket`` get a specific name
(another helpdesk addon could add a ``response`` or an ``impact`` of its own).

Before the new code loads: the stored columns, the ``ir.model.fields`` rows (so
that tracking values and the field's translations follow), their selection values
and their xmlids are renamed in place, so that no data is lost and nothing is
recreated. Mail templates, server actions, saved filters and users' views that
name an old field are rewritten in every language (a noupdate template would
otherwise keep rendering ``object.response``, which Odoo refuses once the field is
gone). Plain SQL, idempotent: a name already renamed is skipped.
"""

from odoo.tools import SQL

from odoo.addons.crm_iso_complaints.tools import upgrade

MODEL = "helpdesk.ticket"
TABLE = "helpdesk_ticket"
MODULE = "crm_iso_complaints"
RENAMED = (
    ("response", "complaint_response"),
    ("impact", "complaint_impact"),
    ("findings", "investigation_findings"),
    ("remedy", "complaint_remedy"),
    ("policy_id", "complaint_policy_id"),
    ("hours_left", "complaint_hours_left"),
    ("severity", "complaint_severity"),
    ("complexity", "complaint_complexity"),
    ("is_eligible", "is_eligible_complaint"),
    ("eligibility_note", "complaint_eligibility_note"),
    ("root_cause_id", "complaint_root_cause_id"),
    ("root_cause_detail", "complaint_root_cause_detail"),
    ("rejection_reason", "complaint_rejection_reason"),
    ("reopen_count", "complaint_reopen_count"),
    ("archive_reason", "complaint_archive_reason"),
    ("decision_date", "complaint_decision_date"),
    ("is_overdue", "complaint_is_overdue"),
    ("event_ids", "complaint_event_ids"),
    ("escalation_level", "complaint_escalation_level"),
    ("escalation_ids", "complaint_escalation_ids"),
    ("pause_ids", "complaint_pause_ids"),
    ("clock_state", "complaint_clock_state"),
    ("can_assess", "can_assess_complaint"),
)


def _column_exists(cr, column):
    return upgrade.column_exists(cr, TABLE, column)


def _field_id(cr, name):
    cr.execute(
        SQL(
            "SELECT id FROM ir_model_fields WHERE model = %s AND name = %s",
            MODEL,
            name,
        )
    )
    row = cr.fetchone()
    return row[0] if row else None


def _rename_xmlids(cr, old_prefix, new_prefix):
    cr.execute(
        SQL(
            "UPDATE ir_model_data SET name = %s || substr(name, %s) "
            "WHERE module = %s AND (name = %s OR name LIKE %s)",
            new_prefix,
            len(old_prefix) + 1,
            MODULE,
            old_prefix,
            old_prefix.replace("_", "\\_") + "\\_\\_%",
        )
    )


def migrate(cr, version):
    for old, new in RENAMED:
        if _column_exists(cr, old) and not _column_exists(cr, new):
            cr.execute(
                SQL(
                    "ALTER TABLE %s RENAME COLUMN %s TO %s",
                    SQL.identifier(TABLE),
                    SQL.identifier(old),
                    SQL.identifier(new),
                )
            )
        new_id, old_id = _field_id(cr, new), _field_id(cr, old)
        if new_id:
            if old_id:  # both rows (a field re-created): its tracking follows
                cr.execute(
                    SQL(
                        "UPDATE mail_tracking_value SET field_id = %s "
                        "WHERE field_id = %s",
                        new_id,
                        old_id,
                    )
                )
            continue
        cr.execute(
            SQL(
                "UPDATE ir_model_fields SET name = %s WHERE model = %s AND name = %s",
                new,
                MODEL,
                old,
            )
        )
        # field_helpdesk_ticket__<name>, selection__helpdesk_ticket__<name>__<value>
        _rename_xmlids(cr, f"field_{TABLE}__{old}", f"field_{TABLE}__{new}")
        _rename_xmlids(cr, f"selection__{TABLE}__{old}", f"selection__{TABLE}__{new}")
    upgrade.rename_field_references(cr, MODEL, dict(RENAMED))
