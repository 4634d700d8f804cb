# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# a scale answer: a few decimal digits (Persian and Arabic-Indic ones included,
# which int() reads); not "²", not "1e3", not a 30-digit number
SCALE_ANSWER = re.compile(r"\d{1,3}")
# the scale a metric question must use: (min, max) or None for any scale
METRIC_SCALES = {"nps": (0, 10), "ces": (1, 7), "csat": None, "driver": None}


class SurveyQuestion(models.Model):
    _inherit = "survey.question"

    crm_iso_metric = fields.Selection(
        [
            ("csat", "CSAT (satisfied = top box)"),
            ("nps", "NPS (0-10)"),
            ("ces", "CES (1-7 effort, lower is better)"),
            ("driver", "Satisfaction index driver"),
        ],
        string="Satisfaction metric",
        help="Marks the question as a satisfaction measure (see tools/metrics.py).",
    )
    crm_iso_top_box = fields.Integer(
        string="CSAT top box",
        default=2,
        help="The answers in the top N of the scale count as satisfied.",
    )
    crm_iso_weight = fields.Float(
        string="Index weight", default=1.0, help="Weight of this driver in the index."
    )

    @api.constrains(
        "crm_iso_metric",
        "question_type",
        "scale_min",
        "scale_max",
        "crm_iso_weight",
        "crm_iso_top_box",
    )
    def _check_crm_iso_metric(self):
        for question in self.filtered("crm_iso_metric"):
            metric = question.crm_iso_metric
            label = dict(self._fields["crm_iso_metric"].selection)[metric]
            if question.question_type != "scale":
                raise ValidationError(
                    self.env._(
                        "%(question)s: a %(metric)s question must be a scale question.",
                        question=question.title,
                        metric=label,
                    )
                )
            expected = METRIC_SCALES[metric]
            if expected and (question.scale_min, question.scale_max) != expected:
                raise ValidationError(
                    self.env._(
                        "%(question)s: %(metric)s needs a %(low)s-%(high)s scale.",
                        question=question.title,
                        metric=label,
                        low=expected[0],
                        high=expected[1],
                    )
                )
            if metric == "driver" and question.crm_iso_weight < 0:
                raise ValidationError(
                    self.env._(
                        "%(question)s: an index weight cannot be negative.",
                        question=question.title,
                    )
                )
            span = question.scale_max - question.scale_min
            if metric == "csat" and not 1 <= question.crm_iso_top_box <= span:
                raise ValidationError(
                    self.env._(
                        "%(question)s: the CSAT top box must be between 1 and "
                        "%(span)s.",
                        question=question.title,
                        span=span,
                    )
                )
        surveys = self.filtered(lambda q: q.crm_iso_metric == "driver").survey_id
        for survey in surveys:
            drivers = survey.question_ids.filtered(
                lambda q: q.crm_iso_metric == "driver"
            )
            if not sum(drivers.mapped("crm_iso_weight")):
                raise ValidationError(
                    self.env._(
                        "The index drivers of %(survey)s have no weight: their "
                        "weights must not sum to zero.",
                        survey=survey.title,
                    )
                )

    def _validate_scale(self, answer):
        """An answer off the scale gets the survey page's own message under the
        question, instead of a server error when the line is saved."""
        errors = super()._validate_scale(answer)
        if errors or answer in (None, False, ""):
            return errors
        text = str(answer).strip()
        if not SCALE_ANSWER.fullmatch(text) or not (
            self.scale_min <= int(text) <= self.scale_max
        ):
            return {
                self.id: self.env._(
                    "Choose a value from %(low)s to %(high)s.",
                    low=self.scale_min,
                    high=self.scale_max,
                )
            }
        return {}
