# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html2plaintext


class MgmtsystemNonconformity(models.Model):
    """The OCA nonconformity, linked to the complaints that revealed it."""

    _inherit = "mgmtsystem.nonconformity"
    _check_company_auto = True

    crm_iso_complaint_ids = fields.Many2many(
        "helpdesk.ticket",
        "crm_iso_nonconformity_ticket_rel",
        "nonconformity_id",
        "ticket_id",
        string="Complaints",
        check_company=True,
        copy=False,
        domain=[("is_complaint", "=", True)],
    )
    crm_iso_complaint_count = fields.Integer(
        string="Complaint count", compute="_compute_crm_iso_complaint_count"
    )
    crm_iso_root_cause_id = fields.Many2one(
        "crm.iso.root.cause",
        string="Complaint root cause",
        check_company=True,
        index="btree_not_null",
        tracking=True,
    )

    @api.depends("crm_iso_complaint_ids")
    def _compute_crm_iso_complaint_count(self):
        for nonconformity in self:
            nonconformity.crm_iso_complaint_count = len(
                nonconformity.crm_iso_complaint_ids
            )

    # ------------------------------------------------------------ from complaints
    @api.model
    def _crm_iso_complaint_actions(self, complaints):
        """The corrective actions already decided for these complaints (OCA
        actions, linked to the nonconformity's ``action_ids`` as well)."""
        return complaints.corrective_action_ids

    @api.model
    def _crm_iso_check_complaints(self, complaints):
        if not complaints:
            raise UserError(self.env._("Select the complaints first."))
        if not all(complaints.mapped("is_complaint")):
            raise UserError(self.env._("Only complaints open a nonconformity here."))
        without_cause = complaints.filtered(lambda c: not c.complaint_root_cause_id)
        if without_cause:
            raise UserError(
                self.env._(
                    "Complaints %(refs)s have no root cause yet: a nonconformity "
                    "starts from the systemic cause found by the investigation.",
                    refs=", ".join(without_cause.mapped("complaint_ref")),
                )
            )
        if len(complaints.complaint_root_cause_id) > 1:
            raise UserError(
                self.env._(
                    "These complaints have different root causes (%(causes)s): one "
                    "nonconformity is opened per systemic cause.",
                    causes=", ".join(complaints.complaint_root_cause_id.mapped("name")),
                )
            )
        if len(complaints.company_id) > 1:
            raise UserError(
                self.env._("A nonconformity gathers complaints of one company.")
            )

    @api.model
    def _crm_iso_from_complaints(self, complaints):
        """One nonconformity prefilled from ``complaints`` (same root cause, same
        company): description, root cause analysis and action plan."""
        self._crm_iso_check_complaints(complaints)
        complaints = complaints.sorted("id")
        cause = complaints.complaint_root_cause_id
        company = complaints.company_id
        actions = self._crm_iso_complaint_actions(complaints)
        partner = complaints.partner_id
        nonconformity = self.create(
            {
                "name": self.env._("Complaints: %(cause)s", cause=cause.name),
                "description": "\n\n".join(
                    f"{c.complaint_ref} - {c.name}\n"
                    f"{html2plaintext(c.description or '').strip()}"
                    for c in complaints
                ),
                "analysis": "\n".join(
                    [cause.name]
                    + [
                        f"{c.complaint_ref}: {c.complaint_root_cause_detail}"
                        for c in complaints
                        if c.complaint_root_cause_detail
                    ]
                ),
                "action_comments": "\n".join(
                    f"{a.name} ({a.user_id.name}"
                    + (f", {a.date_deadline}" if a.date_deadline else "")
                    + ")"
                    for a in actions
                )
                or False,
                "crm_iso_root_cause_id": cause.id,
                "crm_iso_complaint_ids": [fields.Command.set(complaints.ids)],
                "action_ids": [fields.Command.set(actions.ids)],
                "partner_id": (partner if len(partner) == 1 else company.partner_id).id,
                "reference": ", ".join(complaints.mapped("complaint_ref")),
                "responsible_user_id": self.env.user.id,
                "manager_user_id": (complaints.team_id.user_id[:1] or self.env.user).id,
                "origin_ids": [
                    fields.Command.set(
                        self.env.ref(
                            "mgmtsystem_nonconformity.nc_origin_external_client"
                        ).ids
                    )
                ],
                "company_id": company.id,
                "res_model": "helpdesk.ticket" if len(complaints) == 1 else False,
                "res_id": complaints.id if len(complaints) == 1 else False,
            }
        )
        body = Markup("%s %s") % (
            self.env._("Nonconformity opened:"),
            nonconformity._get_html_link(title=nonconformity.ref),
        )
        for complaint in complaints:
            complaint.message_post(body=body, subtype_xmlid="mail.mt_note")
        return nonconformity

    # ------------------------------------------------------------ navigation
    def _crm_iso_form_action(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    def _crm_iso_list_action(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_iso_complaints.action_crm_iso_improvement_log"
        )
        action["domain"] = [("id", "in", self.ids)]
        action["context"] = {}
        return action

    def action_crm_iso_view_complaints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_iso_complaints.action_crm_iso_complaints"
        )
        action["domain"] = [("id", "in", self.crm_iso_complaint_ids.ids)]
        return action
