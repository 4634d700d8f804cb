# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html2plaintext
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

# OCA's bridge moves a nonconformity's tickets to the helpdesk stage mapped on
# its new stage; a complaint takes its own transition instead, here the one of
# the nonconformity's new state (the others have no step in the complaint's
# lifecycle: the complaint's response and closing are the complainant's).
NONCONFORMITY_TRANSITIONS = {"analysis": "investigation"}


class MgmtsystemNonconformity(models.Model):
    """The OCA nonconformity, linked to the complaints that revealed it."""

    _name = "mgmtsystem.nonconformity"
    _inherit = ["mgmtsystem.nonconformity", "crm.iso.guarded.mixin"]
    _check_company_auto = True
    _crm_iso_protected = {
        "crm_iso_audit_line_id": _lt("a failed audit question opens its own")
    }

    crm_iso_root_cause_id = fields.Many2one(
        "crm.iso.root.cause",
        string="Complaint root cause",
        check_company=True,
        index="btree_not_null",
        tracking=True,
    )
    # the question of an ISO 10002 audit that failed (mgmtsystem.audit): one
    # nonconformity per question, whatever the retries
    crm_iso_audit_line_id = fields.Many2one(
        "mgmtsystem.verification.line",
        string="Audit question",
        check_company=True,
        readonly=True,
        ondelete="restrict",
        copy=False,
    )
    _crm_iso_audit_line_unique = models.UniqueIndex(
        "(crm_iso_audit_line_id) WHERE crm_iso_audit_line_id IS NOT NULL",
        "An audit question opens one nonconformity.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        """OCA's ``create`` names its argument ``vals`` (``/json/2`` cannot
        call it by name) and writes the reference into the caller's dicts (a
        retry would find it there): here it gets ``vals_list``, copied."""
        return super().create([dict(vals) for vals in vals_list])

    # ------------------------------------------------------------ stage sync
    def write(self, vals):
        """OCA's stage sync, mapped onto the complaints' own transitions
        (``NONCONFORMITY_TRANSITIONS``), or a note in their chatter."""
        if not vals.get("stage_id") or self.env.context.get("skip_stage_change"):
            return super().write(vals)
        # every complaint of the nonconformity, also those the user cannot see:
        # each then gets the transition, if the user may take it, or the note
        linked = {
            nonconformity: nonconformity.sudo()
            .ticket_ids.filtered("is_complaint")
            .with_env(self.env)
            for nonconformity in self
        }
        complaints = self.env["helpdesk.ticket"].union(*linked.values())
        with complaints._crm_iso_following():
            result = super().write(vals)
        stage = self.env["mgmtsystem.nonconformity.stage"].browse(vals["stage_id"])
        target = NONCONFORMITY_TRANSITIONS.get(stage.state, False)
        for nonconformity, its_complaints in linked.items():
            source = Markup("%s %s") % (
                nonconformity._get_html_link(title=nonconformity.ref),
                self.env._("moved to %(stage)s.", stage=stage.name),
            )
            its_complaints._crm_iso_follow(target, source)
        return result

    # ------------------------------------------------------------ from complaints
    @api.model
    def _crm_iso_complaint_actions(self, complaints):
        """The corrective actions already decided for these complaints (OCA
        actions, linked to the nonconformity's ``action_ids`` as well)."""
        return complaints.complaint_corrective_action_ids

    @api.model
    def _crm_iso_check_complaints(self, complaints):
        if not complaints:
            raise UserError(self.env._("Select the complaints first."))
        if not all(complaints.mapped("is_complaint")):
            raise UserError(self.env._("Only complaints open a nonconformity here."))
        linked = complaints.filtered("nonconformity_id")
        if linked:
            raise UserError(
                self.env._(
                    "Complaints %(refs)s already feed a nonconformity (%(ncs)s).",
                    refs=", ".join(linked.mapped("complaint_ref")),
                    ncs=", ".join(linked.nonconformity_id.mapped("ref")),
                )
            )
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
                "ticket_ids": [fields.Command.set(complaints.ids)],
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
