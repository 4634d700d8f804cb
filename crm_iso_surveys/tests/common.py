# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import TransactionCase, new_test_user

ANALYST = "crm_iso_surveys.group_survey_analyst"
MANAGER = "crm_iso_surveys.group_survey_manager"


class SatisfactionCase(TransactionCase):
    """A survey with one question of each metric and a plan using it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.analyst = new_test_user(cls.env, "s_analyst", groups=ANALYST)
        cls.manager = new_test_user(
            cls.env, "s_manager", groups=MANAGER, email="plan.owner@example.com"
        )
        cls.survey = cls.env["survey.survey"].create(
            {"title": "Visit satisfaction", "access_mode": "token"}
        )
        Question = cls.env["survey.question"]

        def scale(title, low, high, metric, **extra):
            return Question.create(
                {
                    "survey_id": cls.survey.id,
                    "title": title,
                    "question_type": "scale",
                    "scale_min": low,
                    "scale_max": high,
                    "crm_iso_metric": metric,
                    **extra,
                }
            )

        cls.q_csat = scale("Satisfied?", 1, 5, "csat")
        cls.q_nps = scale("Recommend?", 0, 10, "nps")
        cls.q_ces = scale("Effort?", 1, 7, "ces")
        cls.q_staff = scale("Staff", 1, 5, "driver", crm_iso_weight=3)
        cls.q_place = scale("Place", 0, 10, "driver", crm_iso_weight=1)
        cls.plan = cls.env["crm.iso.measurement.plan"].create(
            {
                "name": "Visits",
                "survey_ids": [(6, 0, cls.survey.ids)],
                "owner_id": cls.manager.id,
            }
        )
        cls.touchpoint = cls.env.ref("crm_iso_complaints.touchpoint_counter")

    def respond(self, values, partner=None, done=True, **context):
        """A response with scale answers {question: value}, completed by default."""
        response = self.env["survey.user_input"].create(
            {
                "survey_id": self.survey.id,
                "partner_id": partner.id if partner else False,
                "crm_iso_plan_id": self.plan.id,
                **context,
            }
        )
        self.env["survey.user_input.line"].create(
            [
                {
                    "user_input_id": response.id,
                    "question_id": question.id,
                    "answer_type": "scale",
                    "value_scale": value,
                }
                for question, value in values.items()
            ]
        )
        if done:
            response._mark_done()
        return response
