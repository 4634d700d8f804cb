# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    crm_mall_phone = fields.Char(
        string="Visitor phone (E.164)",
        copy=False,
        help="Normalised number a visitor is found by at the counters.",
    )
    crm_mall_visit_ids = fields.One2many("crm.mall.visit", "partner_id")
    crm_mall_visit_count = fields.Integer(
        compute="_compute_crm_mall_visits", string="Visits"
    )
    crm_mall_last_visit = fields.Datetime(compute="_compute_crm_mall_visits")
    crm_mall_counter_ids = fields.Many2many(
        "crm.mall.counter",
        compute="_compute_crm_mall_visits",
        string="Counters visited",
    )
    # recorded at the counter (see crm.mall.visit._checkin_contact): the only
    # partner fields, with the email, a counter agent may change
    crm_mall_contact_consent = fields.Boolean(
        string="Agrees to be contacted",
        copy=False,
        help="The visitor agreed to be contacted by the mall (mail, SMS) about "
        "their subjects and surveys.",
    )
    crm_mall_contact_consent_date = fields.Datetime(
        string="Consent recorded on",
        copy=False,
        readonly=True,
        help="When the consent was last given or withdrawn.",
    )

    _crm_mall_phone_uniq = models.UniqueIndex(
        "(crm_mall_phone) WHERE crm_mall_phone IS NOT NULL",
        "Another visitor already has this phone number.",
    )

    def _compute_crm_mall_visits(self):
        Visit = self.env["crm.mall.visit"].sudo()
        stats = {
            partner: (count, last, counters)
            for partner, count, last, counters in Visit._read_group(
                [("partner_id", "in", self.ids)],
                ["partner_id"],
                ["__count", "checkin_date:max", "counter_id:array_agg"],
            )
        }
        for partner in self:
            count, last, counters = stats.get(partner, (0, False, []))
            partner.crm_mall_visit_count = count
            partner.crm_mall_last_visit = last
            partner.crm_mall_counter_ids = [c for c in counters if c]

    def action_view_crm_mall_visits(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_mall_counter.action_crm_mall_visits"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        return action

    def action_view_crm_mall_subjects(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_mall_counter.action_crm_mall_subjects"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"search_default_group_type": 1}
        return action
