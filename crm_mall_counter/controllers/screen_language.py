# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The language of the pages read without logging in (kiosk, waiting-room
screen, pocket queue): Persian or English, chosen by the page's switch, else a
default; Persian only where fa_IR is installed. One helper for the three
controllers."""

import functools

from odoo.http import request

from odoo.addons.crm_iso_complaints.tools import clock

#: the pages' languages: their switch's code, the installed language rendering it
LANGUAGES = {"fa": "fa_IR", "en": "en_US"}
LANGUAGE_NAMES = (("fa", "فارسی"), ("en", "English"))


def installed():
    """The codes of the installed languages."""
    return {code for code, _name in request.env["res.lang"].get_installed()}


def choose(language, default):
    """The page's language (``fa``/``en``), set on the request: ``language``
    (the page's switch), else ``default``'s (a lang code, ``fa*`` is Persian);
    English where fa_IR is not installed."""
    if language not in LANGUAGES:
        language = "fa" if (default or "").startswith("fa") else "en"
    if LANGUAGES[language] not in installed():
        language = "en"
    request.update_context(lang=LANGUAGES[language])
    return language


def digits(language):
    """The digits of a page in ``language``: Persian or ASCII (``clock.digits``)."""
    return functools.partial(clock.digits, lang=LANGUAGES[language])
