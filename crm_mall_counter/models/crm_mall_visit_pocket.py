# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# pylint: disable=consider-merging-classes-inherited
"""Numbers taken on a phone (``crm.mall.queue.ticket``): the visit knows it is
remote, and each step of the queue tells the phones following it."""

from odoo import api, fields, models
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)


class CrmMallVisit(models.Model):
    _inherit = "crm.mall.visit"
    _crm_iso_protected = {"queue_origin": _lt("the check-in records it")}

    queue_origin = fields.Selection(
        [("walk_in", "Walk-in"), ("remote", "On the phone")],
        string="Number taken",
        default="walk_in",
        required=True,
        readonly=True,
        index=True,
        help="Walk-in: at the counter; on the phone: from a queue QR code.",
    )

    @api.model
    def _create_queued(self, values):
        visit = super()._create_queued(values)
        # a priority visitor checked in passes the phones waiting there
        if visit.counter_id and visit.priority:
            self.env["crm.mall.queue.ticket"]._pocket_push(visit.counter_id)
        return visit

    def _pocket_moved(self, result):
        self.env["crm.mall.queue.ticket"]._pocket_push(self.counter_id)
        return result

    def action_call(self):
        return self._pocket_moved(super().action_call())

    def action_no_show(self):
        return self._pocket_moved(super().action_no_show())

    def action_transfer(self, counter_id):
        return self._pocket_moved(super().action_transfer(counter_id))

    def action_served(self):
        return self._pocket_moved(super().action_served())
