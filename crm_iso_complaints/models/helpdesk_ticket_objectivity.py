# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# pylint: disable=consider-merging-classes-inherited
# (one class per concern of the complaint, on purpose: see helpdesk_ticket.py)
"""Objectivity (ISO 10002, 4.6): who may investigate a complaint.

The staff complained about and those who declared a conflict of interest
cannot be assigned. Both lists only grow; a complaint manager takes someone
off with a reason kept in the chatter and the register.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

OBJECTIVITY = ("complaint_subject_user_ids", "complaint_conflict_user_ids")


class HelpdeskTicketObjectivity(models.Model):
    """Objectivity records of a complaint."""

    _inherit = "helpdesk.ticket"
    # objectivity (ISO 10002, 4.6)
    complaint_subject_user_ids = fields.Many2many(
        "res.users",
        "crm_iso_ticket_subject_user_rel",
        "ticket_id",
        "user_id",
        string="Staff complained about",
        check_company=True,
        help="They cannot investigate this complaint.",
    )
    complaint_conflict_user_ids = fields.Many2many(
        "res.users",
        "crm_iso_ticket_conflict_user_rel",
        "ticket_id",
        "user_id",
        string="Declared conflicts of interest",
        check_company=True,
        readonly=True,
    )

    # ------------------------------------------------------------ rules
    @api.constrains(
        "user_id", "complaint_subject_user_ids", "complaint_conflict_user_ids"
    )
    def _check_crm_iso_objectivity(self):
        for ticket in self.filtered("is_complaint"):
            user = ticket.user_id
            if user and user in ticket.complaint_subject_user_ids:
                raise ValidationError(
                    self.env._(
                        "%(user)s is the person complained about in %(ref)s and "
                        "cannot investigate it.",
                        user=user.name,
                        ref=ticket.complaint_ref,
                    )
                )
            if user and user in ticket.complaint_conflict_user_ids:
                raise ValidationError(
                    self.env._(
                        "%(user)s declared a conflict of interest on %(ref)s and "
                        "cannot investigate it.",
                        user=user.name,
                        ref=ticket.complaint_ref,
                    )
                )

    def _check_crm_iso_objectivity_append_only(self, before):
        """Objectivity records only grow: removing a person complained about or
        a declared conflict is a complaint manager's decision with a reason
        (``_crm_iso_remove_from_objectivity``), kept in the history."""
        added = {}
        for ticket in self:
            for name in OBJECTIVITY:
                now_ids = set(ticket[name].ids)
                if before[ticket.id][name] - now_ids:
                    raise UserError(
                        self.env._(
                            "%(ref)s: a person leaves the staff complained about or "
                            "the declared conflicts only by a complaint manager's "
                            "decision, with a reason (Remove from objectivity "
                            "record).",
                            ref=ticket.complaint_ref,
                        )
                    )
                new = now_ids - before[ticket.id][name]
                if new:
                    added.setdefault(ticket.id, {})[name] = sorted(new)
        if added:
            self.browse(list(added))._crm_iso_log_events(
                "objectivity", {tid: {"added": v} for tid, v in added.items()}
            )

    # ------------------------------------------------------------ decisions
    def action_declare_conflict(self):
        return self._crm_iso_reason_wizard("conflict")

    def action_reassign(self):
        return self._crm_iso_reason_wizard("reassign")

    def action_remove_objectivity(self):
        return self._crm_iso_reason_wizard("remove_objectivity")

    def _crm_iso_declare_conflict(self, reason):
        """The current user declares a conflict of interest, and is unassigned."""
        self._check_crm_iso_reason(reason)
        user = self.env.user
        unassigned = self.filtered(lambda t: t.user_id == user)
        link = {"complaint_conflict_user_ids": [fields.Command.link(user.id)]}
        unassigned._crm_iso_write({**link, "user_id": False})
        (self - unassigned)._crm_iso_write(link)
        self._crm_iso_log_events(
            "objectivity",
            {t.id: {"unassigned": t in unassigned} for t in self},
            common={"conflict_declared": user.id, "reason": reason},
        )
        self.message_post(
            body=self.env._(
                "%(user)s declared a conflict of interest: %(reason)s",
                user=user.name,
                reason=reason,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return True

    def _crm_iso_reassign(self, user_id, reason):
        """A new investigator, with the reason; objectivity is checked on write."""
        self._check_crm_iso_reason(reason)
        new_user = self.env["res.users"].browse(int(user_id or 0)).exists()
        if user_id and not new_user:
            raise UserError(self.env._("The new investigator does not exist."))
        for ticket in self:
            old = ticket.user_id
            ticket.write({"user_id": new_user.id})
            ticket.message_post(
                body=self.env._(
                    "Reassigned from %(old)s to %(new)s: %(reason)s",
                    old=old.name or "-",
                    new=new_user.name or "-",
                    reason=reason,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _crm_iso_remove_from_objectivity(self, user_id, reason):
        """A complaint manager takes a person off the staff complained about and
        the declared conflicts, with a reason kept in the chatter and register."""
        self._check_crm_iso_manager(self.env._("change an objectivity record"))
        self._check_crm_iso_reason(reason)
        user = self.env["res.users"].browse(int(user_id or 0)).exists()
        if not user:
            raise UserError(self.env._("Choose the person to remove."))
        command = [fields.Command.unlink(user.id)]
        self._crm_iso_write(dict.fromkeys(OBJECTIVITY, command))
        self._crm_iso_log_events(
            "objectivity",
            common={"removed": user.id, "reason": reason},
        )
        self.message_post(
            body=self.env._(
                "%(user)s removed from the objectivity record: %(reason)s",
                user=user.name,
                reason=reason,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return True
