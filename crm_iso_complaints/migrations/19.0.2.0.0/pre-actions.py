# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Corrective actions become OCA actions (crm_iso_origin = 'complaint').

States: draft -> Draft, in_progress -> In Progress (opened when created: the day it
started was not kept), done -> Closed (closed on its done date), cancelled ->
Cancelled (closed when last written). Owner -> Responsible, due date -> Deadline,
the effectiveness check and its note as they were.
"""

from odoo.addons.crm_iso_complaints.tools import action_migration as m

OLD_MODEL = "crm.iso.corrective.action"
SHARED_COLUMNS = {
    "crm_iso_origin": "varchar",
    "crm_iso_done_date": "date",
    "crm_iso_done_uid": "int4",
    "crm_iso_effectiveness": "varchar",
    "crm_iso_checked_date": "timestamp",
    "crm_iso_checked_uid": "int4",
    "crm_iso_check_note": "text",
    "crm_iso_escalated": "bool",
    "crm_iso_category_id": "int4",
}


def migrate(cr, version):
    if not m.table_exists(cr, "crm_iso_corrective_action"):
        return
    m.add_columns(cr, SHARED_COLUMNS)
    stages = {
        name: m.stage_id(cr, f"stage_{name}")
        for name in ("draft", "open", "close", "cancel")
    }
    m.move_rows(
        cr,
        "complaint",
        OLD_MODEL,
        "crm_iso_corrective_action",
        {
            "name": "o.name",
            "description": "o.description",
            "user_id": "COALESCE(o.owner_id, o.create_uid, 1)",
            "date_deadline": "o.due_date",
            "company_id": "o.company_id",
            "active": "true",
            "priority": "'0'",
            "sequence": "10",
            "type_action": "'correction'",
            "stage_id": (
                f"CASE o.state WHEN 'in_progress' THEN {stages['open']} "
                f"WHEN 'done' THEN {stages['close']} "
                f"WHEN 'cancelled' THEN {stages['cancel']} "
                f"ELSE {stages['draft']} END"
            ),
            "date_open": "CASE WHEN o.state != 'draft' THEN o.create_date END",
            "date_closed": (
                "CASE o.state WHEN 'done' THEN COALESCE(o.done_date::timestamp, "
                "o.write_date) WHEN 'cancelled' THEN o.write_date END"
            ),
            "crm_iso_done_date": "o.done_date",
            "crm_iso_effectiveness": "COALESCE(o.effectiveness, 'pending')",
            "crm_iso_checked_date": "o.effectiveness_date::timestamp",
            "crm_iso_checked_uid": "o.effectiveness_uid",
            "crm_iso_check_note": "o.effectiveness_note",
            "crm_iso_escalated": "false",
            "crm_iso_category_id": "o.category_id",
            "create_uid": "o.create_uid",
            "create_date": "o.create_date",
            "write_uid": "o.write_uid",
            "write_date": "o.write_date",
        },
        tracked={"state": "crm_iso_state", "complaint_ids": "crm_iso_complaint_ids"},
    )
