# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Required trainings per role: an Odoo survey certification and how long a pass
stays valid. Who holds what is crm.mall.competence (the one place it is computed);
the rule "no valid certification, no work" is :meth:`_crm_mall_check_competence`."""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

#: the roles that need a training, and the group that is the role
ROLES = [
    ("counter_agent", "Counter agent"),
    ("call_centre_agent", "Call-centre agent"),
    ("qc_inspector", "QC inspector"),
    ("complaint_officer", "Complaint officer"),
]
ROLE_GROUPS = {
    "counter_agent": "crm_mall_counter.group_counter_agent",
    "call_centre_agent": "crm_mall_counter.group_call_centre_agent",
    "qc_inspector": "crm_mall_counter.group_qc_inspector",
    "complaint_officer": "crm_iso_complaints.group_complaint_user",
}


class CrmMallTraining(models.Model):
    """A training a role needs: passing its certification survey makes a person
    competent for ``validity_months``."""

    _name = "crm.mall.training"
    _description = "Required training"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _check_company_auto = True
    _order = "role, name"

    name = fields.Char(required=True, translate=True)
    role = fields.Selection(ROLES, required=True, index=True)
    survey_id = fields.Many2one(
        "survey.survey",
        string="Certification",
        required=True,
        domain=[("certification", "=", True)],
        help="An Odoo survey marked as a certification: a passed attempt "
        "(Quiz Passed) of the person's contact counts.",
    )
    validity_months = fields.Integer(
        string="Valid for (months)", default=12, required=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    active = fields.Boolean(default=True)

    _role_survey_uniq = models.Constraint(
        "UNIQUE (company_id, role, survey_id)",
        "This certification is already required for this role in this company.",
    )

    @api.constrains("validity_months", "survey_id")
    def _check_training(self):
        for training in self:
            if training.validity_months < 1:
                raise ValidationError(
                    self.env._("A training stays valid for at least one month.")
                )
            if not training.survey_id.certification:
                raise ValidationError(
                    self.env._(
                        "%(survey)s is not a certification: mark the survey as a "
                        "certification first.",
                        survey=training.survey_id.title,
                    )
                )

    @api.model
    def _crm_mall_check_competence(self, role, user, company):
        """Refuse unless ``user`` holds a valid certification of every active
        training of ``role`` in ``company``, when the company requires it.

        ``user`` is the person doing the work (the real user, or the staff
        member a shift is planned for), never the superuser of a sudo path.
        """
        company = company.sudo()
        if not company.crm_mall_competence_required or not user:
            return
        missing = (
            self.env["crm.mall.competence"]
            .sudo()
            .search(
                [
                    ("user_id", "=", user.id),
                    ("role", "=", role),
                    ("company_id", "=", company.id),
                    ("state", "!=", "valid"),
                ]
            )
        )
        if missing:
            raise UserError(
                self.env._(
                    "%(user)s has no valid certification for: %(trainings)s. "
                    "%(company)s requires it for this work (a %(role)s).",
                    user=user.sudo().name,
                    trainings=", ".join(missing.training_id.mapped("name")),
                    company=company.name,
                    role=dict(self._fields["role"]._description_selection(self.env))[
                        role
                    ],
                )
            )

    @api.model
    def _cron_crm_mall_expiry_reminders(self):
        """An activity for each person whose certification expires within the
        company's notice (crm_mall_competence_remind_days): one per person,
        training and expiry date, however often the job runs."""
        today = fields.Date.context_today(self)
        Competence = self.env["crm.mall.competence"].sudo()
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        # the companies that require some training
        for (company,) in self.sudo()._read_group(
            [("active", "=", True)], ["company_id"]
        ):
            horizon = today + timedelta(days=company.crm_mall_competence_remind_days)
            rows = Competence.search(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "valid"),
                    ("expiry_date", "<=", horizon),
                ]
            )
            if not rows:
                continue
            existing = {
                (a.res_id, a.user_id.id, a.date_deadline)
                for a in self.env["mail.activity"]
                .sudo()
                .search(
                    [
                        ("res_model", "=", self._name),
                        ("res_id", "in", rows.training_id.ids),
                        ("user_id", "in", rows.user_id.ids),
                    ]
                )
            }
            vals_list = [
                {
                    "res_model_id": model_id,
                    "res_id": row.training_id.id,
                    "user_id": row.user_id.id,
                    "activity_type_id": activity_type.id,
                    "date_deadline": row.expiry_date,
                    "summary": self.env._(
                        "Renew %(training)s before %(date)s",
                        training=row.training_id.name,
                        date=row.expiry_date,
                    ),
                }
                for row in rows
                if (row.training_id.id, row.user_id.id, row.expiry_date) not in existing
            ]
            self.env["mail.activity"].sudo().create(vals_list)
