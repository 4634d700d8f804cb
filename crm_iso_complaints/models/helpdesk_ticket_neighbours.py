# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# pylint: disable=consider-merging-classes-inherited
# (one class per concern of the complaint, on purpose: see helpdesk_ticket.py)
"""One deadline system and one satisfaction request per complaint.

A complaint follows the suite's ISO 10002 clocks (``helpdesk_ticket_clocks.py``:
acknowledge and resolve deadlines from the complaint policy, paused while waiting
for the complainant) and, once resolved, the suite's surveys (crm_iso_surveys).
When OCA's ``helpdesk_mgmt_sla`` or ``helpdesk_mgmt_rating`` are installed beside
the suite they keep serving plain tickets, and leave complaints alone: no SLA row
(a second deadline due at another time) and no rating request (a second
satisfaction mail) for a complaint.

The suite does not depend on them: the methods below extend theirs when they
are installed (the suite loads after them, being deeper in the dependency
graph, so its class comes first in the model's method resolution) and do
nothing otherwise.
"""

from odoo import models


class HelpdeskTicketNeighbours(models.Model):
    """Complaints out of helpdesk_mgmt_sla's deadlines and helpdesk_mgmt_rating."""

    _inherit = "helpdesk.ticket"

    def _crm_iso_neighbour(self, method):
        """helpdesk_mgmt_sla's / _rating's ``method`` for the plain tickets of
        self (a no-op when that addon is not installed)."""
        plain = self.filtered(lambda ticket: not ticket.is_complaint)
        return getattr(super(HelpdeskTicketNeighbours, plain), method, None)

    def _crm_iso_drop_sla(self):
        """Complaints carry no helpdesk_mgmt_sla row (one from before they
        became complaints goes)."""
        if "ticket_sla_ids" in self._fields:
            self.filtered("is_complaint").sudo().ticket_sla_ids.unlink()

    def set_sla(self):
        self._crm_iso_drop_sla()
        method = self._crm_iso_neighbour("set_sla")
        return method() if method else None

    def refresh_sla(self):
        self._crm_iso_drop_sla()
        method = self._crm_iso_neighbour("refresh_sla")
        # theirs takes one ticket: nothing to refresh on a complaint
        return method() if method and not self.is_complaint else None

    def _send_ticket_rating_mail(self, force_send=False):
        method = self._crm_iso_neighbour("_send_ticket_rating_mail")
        return method(force_send=force_send) if method else None
