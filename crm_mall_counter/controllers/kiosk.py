# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, http
from odoo.exceptions import ValidationError
from odoo.http import request
from odoo.tools import SQL

from odoo.addons.crm_iso_complaints.tools import jalali

KIOSK_TYPES = ("scale", "char_box", "text_box")


class KioskController(http.Controller):
    """Counter kiosks: a full-screen survey authenticated by the device token.

    Nothing here trusts an id from the request: the device comes from its secret
    token, the visit from its own one-time token, checked against the device's
    counter, before any sudo() write.
    """

    def _device(self, token):
        device = request.env["crm.mall.kiosk.device"]._from_token(token)
        if not device:
            raise http.request.not_found(request.env._("This kiosk is not authorised."))
        return device

    def _visit(self, device, visit_token):
        if not visit_token:
            return request.env["crm.mall.visit"]
        visit = (
            request.env["crm.mall.visit"]
            .sudo()
            .search([("kiosk_token", "=", visit_token)], limit=1)
        )
        if not visit:
            raise request.not_found()
        if visit.counter_id != device.counter_id:
            raise http.request.not_found(
                request.env._("This visit belongs to another counter.")
            )
        return visit

    @http.route("/kiosk/<string:token>", type="http", auth="public", website=False)
    def kiosk(self, token, visit=None, language=None, thanks=None, error=None, **kw):
        device = self._device(token)
        if not visit and not thanks:
            # the visit an agent of this counter just asked to answer at the kiosk
            visit = device._pending_visit().kiosk_token or ""
        survey = device._kiosk_survey()[1]
        if language not in ("fa", "en"):
            company_lang = device.counter_id.company_id.partner_id.lang or "en_US"
            language = "fa" if company_lang.startswith("fa") else "en"
        lang = "fa_IR" if language == "fa" else "en_US"
        if not request.env["res.lang"]._get_data(code=lang):
            lang = "en_US"  # Persian not installed: Persian labels, English texts
        survey = survey.with_context(lang=lang)
        return request.render(
            "crm_mall_counter.kiosk_page",
            {
                "device": device,
                "survey": survey,
                "questions": survey.question_ids.filtered(
                    lambda q: q.question_type in KIOSK_TYPES
                ),
                "visit_token": visit or "",
                "language": language,
                "lang": lang,
                "rtl": language == "fa",
                "thanks": thanks,
                "error": error,
                "today": jalali.format_local(
                    fields.Date.context_today(device),
                    "fa" if language == "fa" else "en",
                ),
            },
        )

    @http.route(
        "/kiosk/<string:token>/submit",
        type="http",
        auth="public",
        methods=["POST"],
        website=False,
    )
    def kiosk_submit(self, token, visit_token=None, language=None, **answers):
        device = self._device(token)
        visit = self._visit(device, visit_token)
        plan, survey = device._kiosk_survey()
        if not survey:
            raise request.not_found()
        if visit:
            # one answer per visit token, even with two submissions at once
            request.env.cr.execute(
                SQL(
                    "UPDATE crm_mall_visit SET kiosk_answered = TRUE "
                    "WHERE id = %s AND NOT COALESCE(kiosk_answered, FALSE) "
                    "RETURNING id",
                    visit.id,
                )
            )
            if not request.env.cr.fetchone():
                return request.redirect(
                    f"/kiosk/{token}?error=already&language={language or ''}"
                )
        try:
            with request.env.cr.savepoint():
                self._store_answer(device, plan, survey, visit, answers)
        except ValidationError:
            # nothing stored: the savepoint rolled the answer back; free the token
            request.env.cr.execute(
                SQL(
                    "UPDATE crm_mall_visit SET kiosk_answered = FALSE WHERE id = %s",
                    visit.id or 0,
                )
            )
            query = f"error=invalid&visit={visit_token or ''}&language={language or ''}"
            return request.redirect(f"/kiosk/{token}?{query}")
        return request.redirect(f"/kiosk/{token}?thanks=1&language={language or ''}")

    def _store_answer(self, device, plan, survey, visit, answers):
        response = (
            request.env["survey.user_input"]
            .sudo()
            .create(
                {
                    "survey_id": survey.id,
                    "partner_id": visit.partner_id.id,
                    "crm_iso_plan_id": plan.id,
                    "crm_iso_channel": "kiosk",
                    "crm_iso_touchpoint_id": request.env.ref(
                        "crm_iso_complaints.touchpoint_counter"
                    ).id,
                    "crm_mall_counter_id": device.counter_id.id,
                    "crm_mall_visit_id": visit.id,
                }
            )
        )
        lines = []
        for question in survey.sudo().question_ids:
            raw = (answers.get(f"q_{question.id}") or "").strip()
            if not raw or question.question_type not in KIOSK_TYPES:
                continue
            if question.question_type == "scale":
                if not raw.lstrip("-").isdigit():
                    raise ValidationError(request.env._("Invalid answer."))
                value = {"answer_type": "scale", "value_scale": int(raw)}
            elif question.question_type == "char_box":
                value = {"answer_type": "char_box", "value_char_box": raw[:255]}
            else:
                value = {"answer_type": "text_box", "value_text_box": raw}
            lines.append(
                {"user_input_id": response.id, "question_id": question.id, **value}
            )
        request.env["survey.user_input.line"].sudo().create(lines)
        response._mark_done()
