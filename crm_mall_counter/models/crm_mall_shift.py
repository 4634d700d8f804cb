# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.crm_iso_complaints.tools import clock


def _utc(tz, day, hours):
    """Naive UTC datetime of ``hours`` after midnight of ``day`` in ``tz``."""
    return clock.to_utc(tz, datetime.combine(day, time()) + timedelta(hours=hours))


class CrmMallShift(models.Model):
    """A staff member's dated shift at a counter."""

    _name = "crm.mall.shift"
    _description = "Counter shift"
    _check_company_auto = True
    _order = "start desc"

    name = fields.Char(compute="_compute_name", store=True)
    user_id = fields.Many2one(
        "res.users",
        check_company=True,
        required=True,
        index=True,
        default=lambda self: self.env.user,
    )
    counter_id = fields.Many2one(
        "crm.mall.counter", check_company=True, required=True, index=True
    )
    company_id = fields.Many2one(related="counter_id.company_id", store=True)
    template_id = fields.Many2one("crm.mall.shift.template")
    date = fields.Date(required=True, default=fields.Date.context_today)
    start = fields.Datetime(
        compute="_compute_bounds",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        index=True,
    )
    stop = fields.Datetime(
        compute="_compute_bounds",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        index=True,
    )

    @api.model_create_multi
    def create(self, vals_list):
        shifts = super().create(vals_list)
        shifts._crm_mall_check_competence()
        return shifts

    def write(self, vals):
        result = super().write(vals)
        if "user_id" in vals or "counter_id" in vals:
            self._crm_mall_check_competence()
        return result

    def _crm_mall_check_competence(self):
        """A shift opens only for a person holding the counter agent's valid
        trainings, when the company requires it."""
        Training = self.env["crm.mall.training"]
        for shift in self:
            Training._crm_mall_check_competence(
                "counter_agent", shift.user_id, shift.company_id
            )

    @api.depends("user_id", "counter_id", "date")
    def _compute_name(self):
        for shift in self:
            parts = (shift.counter_id.code, shift.date, shift.user_id.name)
            shift.name = " ".join(str(part) for part in parts if part)

    @api.depends("template_id", "date", "counter_id")
    def _compute_bounds(self):
        """From the template's hours, in the counter's time zone
        (``clock.record_tz``; a new shift without a counter yet: the company's),
        stored in UTC."""
        for shift in self.filtered(lambda s: s.template_id and s.date):
            tz = clock.record_tz(shift.counter_id or shift)
            template = shift.template_id
            stop_day = shift.date + timedelta(
                days=1 if template.hour_to <= template.hour_from else 0
            )
            shift.start = _utc(tz, shift.date, template.hour_from)
            shift.stop = _utc(tz, stop_day, template.hour_to)

    @api.constrains("start", "stop", "user_id")
    def _check_no_overlap(self):
        for shift in self:
            if shift.stop <= shift.start:
                raise ValidationError(self.env._("A shift must end after it starts."))
            overlapping = self.search_count(
                [
                    ("id", "!=", shift.id),
                    ("user_id", "=", shift.user_id.id),
                    ("start", "<", shift.stop),
                    ("stop", ">", shift.start),
                ],
                limit=1,
            )
            if overlapping:
                raise ValidationError(
                    self.env._(
                        "%(user)s already has a shift overlapping %(start)s - "
                        "%(stop)s.",
                        user=shift.user_id.name,
                        start=shift.start,
                        stop=shift.stop,
                    )
                )

    @api.model
    def _current(self, user=None, moment=None):
        """The shift the user is on now (or at ``moment``), if any."""
        moment = moment or fields.Datetime.now()
        return self.sudo().search(
            [
                ("user_id", "=", (user or self.env.user).id),
                ("start", "<=", moment),
                ("stop", ">", moment),
            ],
            limit=1,
        )

    @api.model
    def action_my_shift(self):
        """'My counter, my shift': the current shift of the user, or their list."""
        shift = self._current()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_mall_counter.action_crm_mall_my_shifts"
        )
        if shift:
            action.update({"views": [(False, "form")], "res_id": shift.id})
        return action
