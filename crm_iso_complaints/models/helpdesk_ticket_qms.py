# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# pylint: disable=consider-merging-classes-inherited
# (one class per concern of the complaint, on purpose: see helpdesk_ticket.py)
"""The complaint's link to the quality management system: corrective actions
(OCA ``mgmtsystem.action`` records of origin *complaint*)."""

from odoo import api, fields, models


class HelpdeskTicketQms(models.Model):
    """Corrective actions of a complaint."""

    _inherit = "helpdesk.ticket"
    complaint_corrective_action_ids = fields.Many2many(
        "mgmtsystem.action",
        "crm_iso_action_ticket_rel",
        "ticket_id",
        "action_id",
        string="Corrective actions",
        check_company=True,
        copy=False,
        domain=[("crm_iso_origin", "=", "complaint")],
    )

    @api.constrains("complaint_corrective_action_ids")
    def _check_crm_iso_corrective_actions_origin(self):
        self.complaint_corrective_action_ids._check_crm_iso_complaints_origin()

    def action_new_corrective_action(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "mgmtsystem.action",
            "views": [
                (
                    self.env.ref("crm_iso_complaints.view_corrective_action_form").id,
                    "form",
                )
            ],
            "target": "current",
            "context": {
                "default_crm_iso_origin": "complaint",
                "default_crm_iso_complaint_ids": [fields.Command.set(self.ids)],
                "default_crm_iso_category_id": self.category_id.id,
                "default_name": self.env._(
                    "Corrective action for %(ref)s", ref=self.complaint_ref
                ),
            },
        }

    def action_view_corrective_actions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_iso_complaints.action_crm_iso_corrective_actions"
        )
        action["domain"] = [("id", "in", self.complaint_corrective_action_ids.ids)]
        return action
