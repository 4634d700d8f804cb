# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.exceptions import ValidationError


class SurveyUserInputLine(models.Model):
    _inherit = "survey.user_input.line"

    @api.constrains("value_scale", "answer_type", "question_id")
    def _check_crm_iso_value_in_scale(self):
        """Survey accepts any integer on a scale question; the KPIs cannot."""
        for line in self.filtered(lambda l: l.answer_type == "scale"):
            question = line.question_id
            if not question.scale_min <= line.value_scale <= question.scale_max:
                raise ValidationError(
                    self.env._(
                        "%(value)s is outside the scale of %(question)s "
                        "(%(low)s to %(high)s).",
                        value=line.value_scale,
                        question=question.title,
                        low=question.scale_min,
                        high=question.scale_max,
                    )
                )
