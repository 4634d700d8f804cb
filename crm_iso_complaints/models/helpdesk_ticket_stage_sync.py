# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# pylint: disable=consider-merging-classes-inherited
# (one class per concern of the complaint, on purpose: see helpdesk_ticket.py)
"""Stage writes that do not come from the complaint's own transitions.

OCA neighbours write ``helpdesk.ticket.stage_id`` on their own: a cron closes idle
tickets (``helpdesk_ticket_close_inactive``), a customer's reply moves the ticket
(``helpdesk_ticket_partner_response``), an automation rule sets a stage. Such a
write on a complaint is a *request* for the complaint's transition into the
status of that stage, handled here, one complaint at a time:

* the transition runs when the stage is a complaint stage, the lifecycle allows
  it (``formulas.TRANSITIONS`` and its preconditions) and the *real* user, the
  one of the environment whatever ``sudo()`` the neighbour used, may take it
  (complaint officers; assess, reject and close: complaint managers);
* otherwise the complaint keeps its stage: a warning goes to the server log and
  a note to the complaint's chatter with the reason (once: the same note is not
  repeated). The other tickets of the same write, the other fields written with
  the stage and the message that triggered it are kept: the neighbour's cron or
  the customer's reply never fails because of a complaint.

Which writes are "foreign" is decided by where they come from, never by the
caller's context: code run by the server on its own, i.e. server actions (crons
and automation rules run through ``ir.actions.server.run``, see
``ir_actions_server.py``), the mail gateway (``mail_thread.py``: an e-mail's
sender is not authenticated, so an e-mail never takes a transition) and messages
posted on a ticket (a portal reply). Another addon's bridge opts in with
``tickets._crm_iso_foreign_stage_writes()``. A client that writes ``stage_id``
itself (a kanban drag, ``write`` over ``/jsonrpc`` or ``/json/2``) is a person
asking for the transition: it runs or the client gets the reason as a
``UserError``, as before. Workflow fields (``complaint_state``, the stamps...)
stay refused to every caller: only ``stage_id`` is softened.
"""

import contextvars
import logging
from contextlib import contextmanager

from odoo import models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import html2plaintext

from ..tools import formulas
from .helpdesk_ticket_lifecycle import MANAGER_GROUP, MANAGER_STATES

_logger = logging.getLogger(__name__)
OFFICER_GROUP = "crm_iso_complaints.group_complaint_user"
# who a foreign stage write is asked by: the environment's user, or nobody (mail)
BY_USER, BY_NOBODY = "user", "nobody"
_FOREIGN = contextvars.ContextVar("crm_iso_foreign_stage_writes", default=None)


@contextmanager
def foreign_stage_writes(requester=BY_USER):
    """Stage writes on complaints inside the block are foreign requests."""
    token = _FOREIGN.set(_FOREIGN.get() or requester)
    try:
        yield
    finally:
        _FOREIGN.reset(token)


class HelpdeskTicketStageSync(models.Model):
    """Foreign stage writes on complaints: a transition or a note, never an error."""

    _inherit = "helpdesk.ticket"

    def _crm_iso_foreign_stage_writes(self):
        """Context manager for another addon's bridge: its stage writes on
        complaints inside the block become transitions or notes."""
        return foreign_stage_writes()

    def message_post(self, **kwargs):
        # a reply (portal, chatter) may move the ticket (partner_response)
        with foreign_stage_writes():
            return super().message_post(**kwargs)

    def _crm_iso_request_stage(self, stage_id):
        requester = _FOREIGN.get()
        if not requester:
            return super()._crm_iso_request_stage(stage_id)
        stage = self.env["helpdesk.ticket.stage"].browse(stage_id).exists()
        target = stage.complaint_state
        refusals = {}
        movable = self.browse()
        for ticket in self.filtered(lambda t: t.complaint_state != target):
            reason = ticket._crm_iso_foreign_refusal(stage, requester)
            if reason:
                refusals[ticket.id] = reason
            else:
                movable |= ticket
        if movable:
            try:
                with self.env.cr.savepoint():
                    movable._complaint_transition(target)
            except (UserError, ValidationError) as error:
                refusals.update(dict.fromkeys(movable.ids, str(error)))
        if refusals:
            self.browse(list(refusals))._crm_iso_note_refusals(stage, refusals)
        return True

    def _crm_iso_foreign_refusal(self, stage, requester):
        """Why this complaint does not follow a foreign move to ``stage``
        (``False``: it does)."""
        self.ensure_one()
        target = stage.complaint_state
        labels = dict(formulas.STATES)
        if not target:
            return self.env._(
                "%(stage)s is not a complaint stage", stage=stage.display_name
            )
        if target not in formulas.TRANSITIONS[self.complaint_state]:
            return self.env._(
                "the lifecycle does not go from %(from)s to %(to)s",
                **{"from": labels[self.complaint_state], "to": labels[target]},
            )
        if requester == BY_NOBODY:
            return self.env._("an e-mail does not move a complaint")
        group = MANAGER_GROUP if target in MANAGER_STATES else OFFICER_GROUP
        if not self.env.user.has_group(group):  # the real user, not env.su
            return self.env._(
                "%(user)s may not move a complaint to %(to)s",
                user=self.env.user.name,
                to=labels[target],
            )
        try:
            self._check_crm_iso_transition_preconditions(target, {})
        except UserError as error:
            return str(error)
        return False

    def _crm_iso_note_refusals(self, stage, refusals):
        """Log and note (once) why these complaints kept their stage."""
        root = self.env.ref("base.partner_root")
        bodies = {
            ticket.id: self.env._(
                "The stage change to %(stage)s asked by %(user)s was not applied "
                "to this complaint: %(reason)s. A complaint moves through its own "
                "lifecycle (its buttons).",
                stage=stage.display_name,
                user=self.env.user.name,
                reason=refusals[ticket.id],
            )
            for ticket in self
        }
        for ticket in self:
            _logger.warning(
                "Complaint %s kept its stage: %s",
                ticket.complaint_ref,
                bodies[ticket.id],
            )
        said = (
            self.env["mail.message"]
            .sudo()
            .search_fetch(
                [
                    ("model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("message_type", "=", "notification"),
                    ("author_id", "=", root.id),
                ],
                ["res_id", "body"],
            )
        )
        already = {(m.res_id, html2plaintext(m.body).strip()) for m in said}
        bodies = {
            ticket_id: body
            for ticket_id, body in bodies.items()
            if (ticket_id, body.strip()) not in already
        }
        if bodies:
            self.browse(list(bodies)).sudo()._message_log_batch(
                bodies, author_id=root.id
            )
