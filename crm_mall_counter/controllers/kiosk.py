# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from odoo import http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request
from odoo.tools import SQL

from odoo.addons.crm_iso_complaints.tools import clock, jalali

from . import screen_language
from .screen_language import LANGUAGE_NAMES, LANGUAGES

KIOSK_TYPES = ("scale", "char_box", "text_box")
#: seconds without input before a kiosk goes back to its start page
IDLE_SECONDS = 90
#: seconds the thank-you page stays before the start page
THANKS_SECONDS = 6
#: the longest answer of a kiosk text question, in characters (refused beyond)
TEXT_LIMITS = {"char_box": 255, "text_box": 4000}
# ASCII digits only: str.isdigit() accepts "²", which int() refuses
_INTEGER = re.compile(r"[+-]?[0-9]+", re.ASCII)
# control characters PostgreSQL or a report cannot hold (NUL first); not \t \n \r
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class KioskInputError(Exception):
    """An answer the kiosk refuses; its (translated) message is shown on the page."""


class _AlreadyAnswered(Exception):
    pass


def _text(value):
    """A form value as text (a file sent in its place is no answer)."""
    return value.strip() if isinstance(value, str) else ""


class KioskController(http.Controller):
    """Counter kiosks: a full-screen survey authenticated by the device token.

    Nothing here trusts an id from the request: the device comes from its secret
    token, the visit from its own one-time token, checked against the device's
    counter, before any sudo() write. Whatever a tablet sends, the kiosk answers
    with its own page and a readable message; nothing is stored unless every
    answer is valid.
    """

    # ------------------------------------------------------------ pages
    def _language(self, device, language):
        """The kiosk language (``fa``/``en``) to show: the kiosk's switch, else
        the language set on the device (the browser's for an unknown kiosk);
        the rule shared with the other public pages is
        ``screen_language.choose`` (English without fa_IR installed)."""
        default = None
        if language not in LANGUAGES:
            if device:
                default = device.lang or device._crm_mall_default_lang()
            else:
                default = request.env.lang
        return screen_language.choose(language, default)

    def _page(self, device, token, language, status=200, **values):
        """The kiosk page of ``device`` in ``language`` (already chosen)."""
        installed = screen_language.installed()
        survey = device._kiosk_survey()[1].with_context(lang=LANGUAGES[language])
        digits = screen_language.digits(language)
        visit_token = values.pop("visit_token", "") or ""
        return request.render(
            "crm_mall_counter.kiosk_page",
            {
                "device": device,
                "token": token,
                "start_url": f"/kiosk/{token}",
                "survey": survey,
                "questions": survey.question_ids.filtered(
                    lambda q: q.question_type in KIOSK_TYPES
                ),
                "visit_token": visit_token,
                "language": language,
                "languages": [
                    (code, name, f"/kiosk/{token}?language={code}&visit={visit_token}")
                    for code, name in LANGUAGE_NAMES
                    if LANGUAGES[code] in installed
                ],
                "rtl": language == "fa",
                "digits": digits,
                "thanks": False,
                "already": False,
                "message": False,
                "answers": {},
                "idle_seconds": IDLE_SECONDS,
                "thanks_seconds": THANKS_SECONDS,
                "today": jalali.format_local(
                    clock.local_date(clock.record_tz(device.counter_id)),
                    LANGUAGES[language],
                ),
                **values,
            },
            status=status,
        )

    def _refused(self, language):
        """The page of an unknown, replaced or revoked kiosk token (404)."""
        language = self._language(None, language)
        return request.render(
            "crm_mall_counter.kiosk_refused",
            {"language": language, "rtl": language == "fa"},
            status=404,
        )

    def _visit(self, device, visit_token):
        """The visit of a one-time token at this device's counter, or nothing."""
        Visit = request.env["crm.mall.visit"].sudo()
        if not isinstance(visit_token, str) or not 0 < len(visit_token) <= 100:
            return Visit
        visit = Visit.search([("kiosk_token", "=", visit_token)], limit=1)
        # a visit of another counter is no more known here than a made-up token
        return visit if visit.counter_id == device.counter_id else Visit

    def _invalid_visit_message(self):
        return request.env._(
            "This survey link is not valid at this counter. Please ask the counter "
            "staff to send the survey again."
        )

    # ------------------------------------------------------------ routes
    @http.route(
        "/kiosk/<string:token>",
        type="http",
        auth="public",
        website=False,
        # the page only reads: the answers go to /submit
        readonly=True,
    )
    def kiosk(self, token, visit=None, language=None, thanks=None, error=None, **kw):
        device = request.env["crm.mall.kiosk.device"]._from_token(token)
        if not device:
            return self._refused(language)
        language = self._language(device, language)
        values = {"thanks": bool(thanks), "already": error == "already"}
        if visit:
            found = self._visit(device, visit)
            if not found:
                values["message"] = self._invalid_visit_message()
            elif found.kiosk_answered:
                values["already"] = True
            visit = found.kiosk_token if found and not found.kiosk_answered else ""
        elif not thanks:
            # the visit an agent of this counter just asked to answer at the kiosk
            visit = device._pending_visit().kiosk_token or ""
        return self._page(device, token, language, visit_token=visit, **values)

    @http.route(
        "/kiosk/<string:token>/submit",
        type="http",
        auth="public",
        methods=["POST"],
        website=False,
        # checked below, to answer an expired page with the kiosk page, not a 400
        csrf=False,
    )
    def kiosk_submit(self, token, **post):
        device = request.env["crm.mall.kiosk.device"]._from_token(token)
        language = post.pop("language", None)
        if not device:
            return self._refused(language)
        language = self._language(device, language)
        csrf = post.pop("csrf_token", None)
        visit_token = _text(post.pop("visit_token", None))
        answers = {key: value for key, value in post.items() if isinstance(value, str)}

        def again(message, visit_token=visit_token):
            refill = {
                key: value.translate(clock.TO_ASCII) for key, value in answers.items()
            }
            return self._page(
                device,
                token,
                language,
                visit_token=visit_token,
                message=message,
                answers=refill,
            )

        if not isinstance(csrf, str) or not request.validate_csrf(csrf):
            return again(
                request.env._("This page had expired. Please give your answers again.")
            )
        visit = request.env["crm.mall.visit"]
        if visit_token:
            visit = self._visit(device, visit_token)
            if not visit:
                return again(self._invalid_visit_message(), visit_token="")
        plan, survey = device._kiosk_survey()
        if not survey:
            return self._page(device, token, language)
        already = f"/kiosk/{token}?error=already&language={language}"
        if visit.kiosk_answered:
            return request.redirect(already)
        try:
            lines = self._parse_answers(
                survey.with_context(lang=request.env.lang), post
            )
        except KioskInputError as error:
            return again(error.args[0])
        try:
            with request.env.cr.savepoint():
                if visit and not self._claim(visit):
                    raise _AlreadyAnswered()
                self._store_answer(device, plan, survey, visit, lines)
        except _AlreadyAnswered:
            return request.redirect(already)
        except (ValidationError, UserError):
            # nothing stored: the savepoint rolled the answer and the claim back
            return again(
                request.env._("Your answer could not be recorded. Please try again.")
            )
        return request.redirect(f"/kiosk/{token}?thanks=1&language={language}")

    # ------------------------------------------------------------ answers
    def _parse_answers(self, survey, post):
        """The answer lines of a submitted form, or KioskInputError.

        Only this survey's kiosk questions may be answered: a ``q_<id>`` of any
        other question means a tampered or outdated form.
        """
        env = request.env
        questions = survey.sudo().question_ids.filtered(
            lambda q: q.question_type in KIOSK_TYPES
        )
        keys = {f"q_{question.id}" for question in questions}
        if any(key.startswith("q_") and key not in keys for key in post):
            raise KioskInputError(
                env._(
                    "This form does not match the current survey. Please answer again."
                )
            )
        digits = screen_language.digits("fa" if env.lang.startswith("fa") else "en")
        lines = []
        for question in questions:
            raw = _text(post.get(f"q_{question.id}"))
            if question.question_type == "scale":
                raw = raw.translate(clock.TO_ASCII)
            else:
                raw = _CONTROL.sub("", raw).strip()
            if raw == "":  # "0" is an answer: never a truthiness test here
                if question.constr_mandatory:
                    raise KioskInputError(
                        question.constr_error_msg
                        or env._(
                            "Please answer “%(question)s”.", question=question.title
                        )
                    )
                continue
            if question.question_type == "scale":
                scale = {
                    "question": question.title,
                    "min": digits(question.scale_min),
                    "max": digits(question.scale_max),
                }
                if not _INTEGER.fullmatch(raw):
                    raise KioskInputError(
                        env._(
                            "“%(question)s”: please choose a whole number from "
                            "%(min)s to %(max)s.",
                            **scale,
                        )
                    )
                # a 30-digit number is only out of the scale (no int() of it)
                number = int(raw) if len(raw.lstrip("+-")) <= 6 else None
                if number is None or not (
                    question.scale_min <= number <= question.scale_max
                ):
                    raise KioskInputError(
                        env._(
                            "“%(question)s”: the answer is outside the scale; please "
                            "choose from %(min)s to %(max)s.",
                            **scale,
                        )
                    )
                value = {"answer_type": "scale", "value_scale": number}
            elif len(raw) > (limit := TEXT_LIMITS[question.question_type]):
                raise KioskInputError(
                    env._(
                        "“%(question)s”: the answer is too long (%(length)s "
                        "characters, at most %(limit)s).",
                        question=question.title,
                        length=digits(len(raw)),
                        limit=digits(limit),
                    )
                )
            elif question.question_type == "char_box":
                value = {"answer_type": "char_box", "value_char_box": raw}
            else:
                value = {"answer_type": "text_box", "value_text_box": raw}
            lines.append({"question_id": question.id, **value})
        if not lines:
            raise KioskInputError(
                env._("Please answer at least one question before sending.")
            )
        return lines

    def _claim(self, visit):
        """Mark the visit answered, once, even with two submissions at once."""
        request.env.cr.execute(
            SQL(
                "UPDATE crm_mall_visit SET kiosk_answered = TRUE "
                "WHERE id = %s AND NOT COALESCE(kiosk_answered, FALSE) "
                "RETURNING id",
                visit.id,
            )
        )
        claimed = bool(request.env.cr.fetchone())
        visit.invalidate_recordset(["kiosk_answered"])
        return claimed

    def _store_answer(self, device, plan, survey, visit, lines):
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
        request.env["survey.user_input.line"].sudo().create(
            [{"user_input_id": response.id, **line} for line in lines]
        )
        response._mark_done()
