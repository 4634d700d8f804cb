# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# pylint: disable=consider-merging-classes-inherited
# (one class per concern of the complaint, on purpose: see helpdesk_ticket.py)
"""Merging duplicate complaints, the ISO way: nothing is lost, both are recorded.

A complaint registered twice (the same complainant by mail and by phone, say) is
merged into the one kept, by a complaint manager, with a reason
(``_crm_iso_merge_into``, the "Merge duplicate" button): the kept complaint gets
copies of the duplicate's messages and attachments; the duplicate stays on
record, closed as a duplicate by its own transition (status ``duplicate``,
stamped) with the reason and a link to the kept one (helpdesk_mgmt's own
"Duplicate of", ``duplicate_id``, which only this merge sets on a complaint);
the register records both sides (``duplicate`` and ``merge`` events).

Complaints are merged with complaints only: a plain ticket is not a complaint
registered twice, and a complaint is never folded into a ticket (it would leave
the register). helpdesk_mgmt_merge's wizard does the same for complaints through
the optional ``crm_iso_complaints_merge`` addon.
"""

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)
USE_MERGE = _lt("use Merge duplicate, which asks for the complaint kept and a reason")


class HelpdeskTicketMerge(models.Model):
    _inherit = "helpdesk.ticket"
    _crm_iso_protected = {"crm_iso_duplicate_reason": USE_MERGE}

    crm_iso_duplicate_reason = fields.Text(
        string="Why a duplicate", readonly=True, copy=False, tracking=True
    )

    # ---------------------------------------------- "Duplicate of": the merge's only
    # helpdesk_mgmt's field stays free on plain tickets (its Mark as duplicate)
    @api.model_create_multi
    def create(self, vals_list):
        if any(
            vals.get("is_complaint") and vals.get("duplicate_id") for vals in vals_list
        ):
            self._crm_iso_refuse_duplicate_link()
        return super().create(vals_list)

    def write(self, vals):
        if "duplicate_id" in vals and self.filtered("is_complaint"):
            self._crm_iso_refuse_duplicate_link()
        return super().write(vals)

    def _crm_iso_refuse_duplicate_link(self):
        if not self._crm_iso_is_unlocked():
            raise UserError(
                self.env._(
                    "A complaint becomes a duplicate of another only by a merge: %s.",
                    self.env._(USE_MERGE),
                )
            )

    def action_crm_iso_merge_duplicate(self):
        """The "Merge duplicate" button: asks for the complaint kept and why."""
        return self._crm_iso_reason_wizard("merge")

    def _crm_iso_merge_into(self, keep, reason):
        """Merge these complaints into ``keep`` (a complaint, or its id).

        Copies their messages and attachments onto ``keep``, closes each as a
        duplicate of it with ``reason`` and records both sides in the register.
        A complaint manager only (the ``duplicate`` transition checks it).
        """
        self._check_crm_iso_reason(reason)
        keep = self.browse(keep.id if isinstance(keep, models.BaseModel) else keep)
        self._crm_iso_check_merge(keep)
        self._complaint_transition(
            "duplicate",
            {"duplicate_id": keep.id, "crm_iso_duplicate_reason": reason},
        )
        copied = {dup.id: dup._crm_iso_copy_thread(keep) for dup in self}
        keep._crm_iso_log_events(
            "merge",
            common={
                "merged": [
                    {
                        "id": duplicate.id,
                        "ref": duplicate.complaint_ref,
                        "messages": copied[duplicate.id][0],
                        "attachments": copied[duplicate.id][1],
                    }
                    for duplicate in self
                ],
                "reason": reason,
            },
        )
        for duplicate in self:
            for record, label, other in (
                (keep, self.env._("Duplicate merged in:"), duplicate),
                (duplicate, self.env._("Closed as a duplicate of"), keep),
            ):
                record.message_post(
                    body=Markup("%s %s: %s")
                    % (label, other._get_html_link(title=other.complaint_ref), reason),
                    subtype_xmlid="mail.mt_note",
                )
        return True

    def _crm_iso_check_merge(self, keep):
        if not keep.exists() or not keep.is_complaint:
            raise UserError(
                self.env._(
                    "A complaint is merged into another complaint only: a plain "
                    "ticket is not a complaint registered twice."
                )
            )
        plain = self.filtered(lambda ticket: not ticket.is_complaint)
        if plain:
            raise UserError(
                self.env._(
                    "%(tickets)s: only complaints are merged into a complaint.",
                    tickets=", ".join(plain.mapped("number")),
                )
            )
        if keep in self:
            raise UserError(
                self.env._(
                    "%(ref)s cannot be merged into itself: choose the complaint "
                    "to keep.",
                    ref=keep.complaint_ref,
                )
            )
        if keep.complaint_state == "rejected":
            raise UserError(
                self.env._(
                    "%(ref)s was rejected as not a complaint: keep a complaint.",
                    ref=keep.complaint_ref,
                )
            )
        if keep.complaint_state == "duplicate":
            raise UserError(
                self.env._(
                    "%(ref)s is itself a duplicate: merge into %(kept)s instead.",
                    ref=keep.complaint_ref,
                    kept=keep.duplicate_id.complaint_ref,
                )
            )
        others = self.filtered(
            lambda c: (
                c.company_id != keep.company_id
                or c.partner_id.commercial_partner_id
                != keep.partner_id.commercial_partner_id
            )
        )
        if others:
            raise UserError(
                self.env._(
                    "%(refs)s and %(kept)s are not the same complaint (another "
                    "complainant or company): complaints of one cause are linked "
                    "through their root cause, not merged.",
                    refs=", ".join(others.mapped("complaint_ref")),
                    kept=keep.complaint_ref,
                )
            )

    def _crm_iso_copy_thread(self, keep):
        """Copy this complaint's messages (not the system notifications) and
        attachments onto ``keep``; the originals stay where they are.
        Returns (messages copied, attachments copied)."""
        self.ensure_one()
        # the merge is a manager's checked decision: the copies are the system's
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .search([("res_model", "=", self._name), ("res_id", "=", self.id)])
        )
        copies = {
            attachment: attachment.copy({"res_id": keep.id})
            for attachment in attachments
        }
        messages = self.sudo().message_ids.filtered(
            lambda m: m.message_type != "notification"
        )
        for message in messages.sorted("id"):
            own = message.attachment_ids.filtered(lambda a: a in copies)
            message.copy(
                {
                    "res_id": keep.id,
                    "attachment_ids": [fields.Command.set([copies[a].id for a in own])],
                }
            )
        return len(messages), len(copies)
