# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Persian translations: complete, and faithful to placeholders and markup."""

import io
import re
from collections import Counter
from pathlib import Path

import polib
import pytest

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import trans_export

REPO = Path(__file__).resolve().parent.parent
ADDONS = (
    "crm_iso_complaints",
    "crm_iso_surveys",
    "crm_mall_counter",
    "crm_iso_complaints_merge",
    "crm_iso_replica",
)
NAMED = re.compile(r"%\([^)]*\)s")
POSITIONAL = re.compile(r"(?<!%)%s")
EXPRESSION = re.compile(r"\{\{.*?\}\}", re.DOTALL)
TAG = re.compile(r"<[^<>]+>")


def catalogs(addon):
    i18n = REPO / addon / "i18n"
    return polib.pofile(str(i18n / f"{addon}.pot")), polib.pofile(str(i18n / "fa.po"))


def signature(text):
    """What a translation must keep: placeholders, expressions, tags."""
    return (
        set(NAMED.findall(text)),
        len(POSITIONAL.findall(text)),
        set(EXPRESSION.findall(text)),
        Counter(TAG.findall(text)),
    )


@pytest.mark.parametrize("addon", ADDONS)
def test_every_term_translated(addon):
    pot, po = catalogs(addon)
    assert po.metadata.get("Language") == "fa"
    translated = {(e.msgctxt, e.msgid): e.msgstr for e in po if not e.obsolete}
    missing = [e.msgid for e in pot if not translated.get((e.msgctxt, e.msgid))]
    assert not missing, f"{len(missing)} untranslated: {missing[:5]}"


@pytest.mark.parametrize("addon", ADDONS)
def test_no_fuzzy_or_obsolete_entry(addon):
    _pot, po = catalogs(addon)
    bad = [e.msgid for e in po if e.obsolete or "fuzzy" in e.flags]
    assert not bad, f"fuzzy or obsolete: {bad[:5]}"


@pytest.mark.parametrize("addon", ADDONS)
def test_placeholders_and_markup_kept(addon):
    _pot, po = catalogs(addon)
    bad = [e.msgid for e in po if signature(e.msgid) != signature(e.msgstr)]
    assert not bad, f"placeholders or markup changed: {bad[:5]}"


@tagged("post_install", "-at_install")
class TestCatalogsCurrent(TransactionCase):
    def test_pot_files_hold_every_term_of_the_code(self):
        """Each committed .pot is what Odoo exports now: no string left out of fa.po."""
        for addon in ADDONS:
            buffer = io.BytesIO()
            self.assertTrue(trans_export(None, [addon], buffer, "po", self.env))
            exported = polib.pofile(buffer.getvalue().decode())
            committed, _po = catalogs(addon)
            terms = {(e.msgctxt, e.msgid) for e in exported}
            self.assertEqual(
                terms - {(e.msgctxt, e.msgid) for e in committed},
                set(),
                f"{addon}: re-export i18n/{addon}.pot and translate fa.po",
            )
