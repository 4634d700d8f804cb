# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# pylint: disable=consider-merging-classes-inherited
# (one class per concern of the complaint, on purpose: see helpdesk_ticket.py)
"""A neighbour moves a complaint: it follows through its own transitions.

OCA addons write a ticket's ``stage_id`` by themselves (the nonconformity bridge
syncs its tickets when a nonconformity changes stage, say). On a complaint the
status and its stage change only through the lifecycle's gate
(``_complaint_transition``), so such a sync is mapped onto the complaint's own
transition: ``_crm_iso_follow`` takes it where the lifecycle allows it and the
user may take it, and otherwise leaves the complaint where it is with a note in
its chatter that says why. It never raises: the neighbour's wizard, button or
cron goes on with its other records.

Foreign stage writes in general (crons, automation rules, the mail gateway,
replies) are handled in ``helpdesk_ticket_stage_sync.py``; this file is for the
bridges whose target status the suite knows better than a helpdesk stage says.
A neighbour whose sync the suite maps itself (it knows the target status better
than a helpdesk stage says) runs its write inside ``_crm_iso_following()``: the
stage it writes on those complaints is then left alone by ``write`` below.
"""

import contextvars
from contextlib import contextmanager

from markupsafe import Markup

from odoo import models
from odoo.exceptions import UserError

from ..tools import formulas

# ids of the complaints whose stage a neighbour is syncing in the running code
_FOLLOWING = contextvars.ContextVar("crm_iso_stage_following", default=frozenset())


class HelpdeskTicketStageFollow(models.Model):
    _inherit = "helpdesk.ticket"

    @contextmanager
    def _crm_iso_following(self):
        """Inside the block, stage writes on these complaints are a neighbour's
        sync that the caller maps itself: ``write`` leaves their stage alone.
        Server code only (a ``contextvars`` variable, no context key)."""
        token = _FOLLOWING.set(_FOLLOWING.get() | frozenset(self.ids))
        try:
            yield self
        finally:
            _FOLLOWING.reset(token)

    def _crm_iso_followed(self):
        """The records of ``self`` whose stage a neighbour is syncing now."""
        following = _FOLLOWING.get()
        return self.filtered(lambda ticket: ticket.id in following)

    def write(self, vals):
        """The stage a neighbour syncs on followed complaints is left alone here
        (not even read: the neighbour's user may not see them); the caller maps
        it onto their transitions afterwards. Everything else as usual."""
        followed = self._crm_iso_followed() if "stage_id" in vals else self.browse()
        if not followed:
            return super().write(vals)
        rest = {key: value for key, value in vals.items() if key != "stage_id"}
        if rest:
            super(HelpdeskTicketStageFollow, followed).write(rest)
        others = self - followed
        return super(HelpdeskTicketStageFollow, others).write(vals) if others else True

    def _crm_iso_follow(self, target, source):
        """Move these complaints to the status ``target`` by their own
        transition, as the current user; where the lifecycle or the user's
        rights refuse it (or ``target`` is False: the lifecycle has no step for
        the neighbour's move), leave the complaint and note why in its chatter.

        ``source``: what moved, as markup for the note (a link to the
        nonconformity and its stage, say). Never raises a ``UserError``.
        """
        labels = dict(formulas.STATES)
        # read as the system (the user may not see every complaint of the
        # neighbour's record); the transition is tried as the user
        for complaint in self.sudo().filtered("is_complaint"):
            if target and complaint.complaint_state == target:
                continue
            if not target:
                reason = self.env._("the complaint's lifecycle has no step for it")
            elif target not in formulas.TRANSITIONS[complaint.complaint_state]:
                reason = self.env._(
                    "a complaint does not go from %(from)s to %(to)s",
                    **{
                        "from": labels[complaint.complaint_state],
                        "to": labels[target],
                    },
                )
            else:
                try:
                    with self.env.cr.savepoint():
                        complaint.with_env(self.env)._complaint_transition(target)
                    continue
                except UserError as error:
                    reason = str(error.args[0]).rstrip(".")
            # the suite's own record of the skip, whatever the user may do here
            complaint.message_post(
                body=Markup("%s<br/>%s")
                % (
                    source,
                    self.env._(
                        "The complaint stays %(state)s: %(reason)s.",
                        state=labels[complaint.complaint_state],
                        reason=reason,
                    ),
                ),
                subtype_xmlid="mail.mt_note",
            )
