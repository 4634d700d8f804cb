# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""QC action orders become OCA actions (crm_iso_origin = 'qc').

States: open -> In Progress (opened when issued), done -> Closed (on its done
date), verified -> Closed and checked effective by its verifier. The responsible
becomes the action's Responsible (its issuer when there was none); the evidence
photo follows as an attachment of the new field.
"""

from odoo.addons.crm_iso_complaints.tools import action_migration as m

OLD_MODEL = "crm.mall.qc.action.order"
COLUMNS = {
    "crm_mall_inspection_id": "int4",
    "crm_mall_line_id": "int4",
    "crm_mall_department": "varchar",
    "crm_mall_priority": "varchar",
    "crm_mall_evidence": "text",
}


def migrate(cr, version):
    if not m.table_exists(cr, "crm_mall_qc_action_order"):
        return
    m.add_columns(cr, COLUMNS)
    stages = {name: m.stage_id(cr, f"stage_{name}") for name in ("open", "close")}
    done = "o.state IN ('done', 'verified')"
    m.move_rows(
        cr,
        "qc",
        OLD_MODEL,
        "crm_mall_qc_action_order",
        {
            "name": "o.name",
            "user_id": "COALESCE(o.responsible_id, o.create_uid, 1)",
            "date_deadline": "o.due_date",
            "company_id": "o.company_id",
            "active": "true",
            "priority": "'0'",
            "sequence": "10",
            "type_action": "'correction'",
            "stage_id": (
                f"CASE WHEN {done} THEN {stages['close']} ELSE {stages['open']} END"
            ),
            "date_open": "o.create_date",
            "date_closed": (
                f"CASE WHEN {done} THEN COALESCE(o.done_date::timestamp, "
                "o.write_date) END"
            ),
            "crm_iso_done_date": "o.done_date",
            "crm_iso_done_uid": "o.done_uid",
            "crm_iso_effectiveness": (
                "CASE o.state WHEN 'verified' THEN 'effective' ELSE 'pending' END"
            ),
            "crm_iso_checked_date": "o.verified_date",
            "crm_iso_checked_uid": "o.verified_by",
            "crm_iso_escalated": "COALESCE(o.escalated, false)",
            "crm_mall_inspection_id": "o.inspection_id",
            "crm_mall_line_id": "o.line_id",
            "crm_mall_department": "o.department",
            "crm_mall_priority": "COALESCE(o.priority, '0')",
            "crm_mall_evidence": "o.evidence",
            "create_uid": "o.create_uid",
            "create_date": "o.create_date",
            "write_uid": "o.write_uid",
            "write_date": "o.write_date",
        },
        attachment_fields={"evidence_photo": "crm_mall_evidence_photo"},
        tracked={"state": "crm_iso_state"},
    )
