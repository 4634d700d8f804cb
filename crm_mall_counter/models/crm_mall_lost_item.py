# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools.translate import LazyTranslate

from .crm_mall_subject import record_by_id

_lt = LazyTranslate(__name__)


class CrmMallLostItem(models.Model):
    """A lost item reported by a visitor, or an item found in the mall."""

    _name = "crm.mall.lost.item"
    _description = "Lost or found item"
    _inherit = ["mail.thread", "crm.iso.guarded.mixin"]
    _order = "event_date desc, id desc"
    _check_company_auto = True
    _crm_iso_protected = {
        "state": _lt("use Match and Hand over"),
        "match_id": _lt("use Match"),
        "handover_date": _lt("use Hand over"),
    }

    name = fields.Char(string="Item", required=True, tracking=True)
    kind = fields.Selection(
        [("lost", "Reported lost"), ("found", "Found")], required=True, index=True
    )
    description = fields.Text()
    photo = fields.Image(max_width=1024, max_height=1024)
    place = fields.Char(help="Where it was lost or found.")
    event_date = fields.Datetime(
        string="When", default=fields.Datetime.now, required=True
    )
    partner_id = fields.Many2one(
        "res.partner", string="Reported by", check_company=True
    )
    counter_id = fields.Many2one("crm.mall.counter", check_company=True, index=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    match_id = fields.Many2one(
        "crm.mall.lost.item", string="Matched with", check_company=True, readonly=True
    )
    state = fields.Selection(
        [("open", "Open"), ("matched", "Matched"), ("handed_over", "Handed over")],
        default="open",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    receiver_name = fields.Char(tracking=True)
    receiver_id_number = fields.Char(string="Receiver's ID document", tracking=True)
    handover_date = fields.Datetime(readonly=True)

    def action_match(self, other_id=False):
        """Match a found item with a lost report (either way round), by id (a
        number, as over RPC): both open, of the same company."""
        if len(self) != 1 or not self.exists():
            raise UserError(self.env._("Match one item at a time."))
        other = record_by_id(self.env[self._name], other_id)
        if not other:
            raise UserError(self.env._("Choose the item to match with."))
        other.check_access("read")
        if (
            self.kind == other.kind
            or self.state != "open"
            or other.state != "open"
            or self.company_id != other.company_id
        ):
            raise UserError(self.env._("Match a found item with an open lost report."))
        self._crm_iso_write({"match_id": other.id, "state": "matched"})
        other._crm_iso_write({"match_id": self.id, "state": "matched"})
        return True

    def action_open_match(self):
        """The Match button: pick one of ``candidate_matches()`` (or any open item
        of the other kind) in a wizard that calls ``action_match``."""
        self.ensure_one()
        if self.state != "open":
            raise UserError(self.env._("Only an open item is matched."))
        wizard = self.env["crm.mall.lost.item.match.wizard"].create(
            {"item_id": self.id, "match_id": self.candidate_matches()[:1].id}
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Match %(item)s", item=self.name),
            "res_model": wizard._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    def _match_domain(self):
        """Where a match is chosen from: open items of the other kind, same company."""
        self.ensure_one()
        return Domain(
            [
                ("kind", "!=", self.kind),
                ("state", "=", "open"),
                ("company_id", "=", self.company_id.id),
            ]
        )

    def candidate_matches(self):
        """Open items of the other kind with a word of the name in common."""
        self.ensure_one()
        words = [w for w in self.name.split() if len(w) > 2] or [self.name]
        return self.search(
            self._match_domain() & Domain.OR(Domain("name", "ilike", w) for w in words)
        )

    def action_hand_over(self):
        for item in self:
            if not (item.receiver_name and item.receiver_id_number):
                raise UserError(
                    self.env._(
                        "Record the receiver's name and identity document before "
                        "handing an item over."
                    )
                )
        if self.filtered(lambda i: i.state == "handed_over"):
            raise UserError(self.env._("This item was handed over already."))
        self._crm_iso_write(
            {"state": "handed_over", "handover_date": fields.Datetime.now()}
        )
        self.match_id._crm_iso_write({"state": "handed_over"})
        return True
