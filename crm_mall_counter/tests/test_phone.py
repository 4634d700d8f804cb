# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from ..tools.phone import normalize_phone

VALID = [
    ("09121234567", "+989121234567"),
    ("0912 123 4567", "+989121234567"),
    ("0912-123-4567", "+989121234567"),
    ("(0912) 123 4567", "+989121234567"),
    ("+98 912 123 4567", "+989121234567"),
    ("+989121234567", "+989121234567"),
    ("989121234567", "+989121234567"),
    ("00989121234567", "+989121234567"),
    ("9121234567", "+989121234567"),
    ("۰۹۱۲۱۲۳۴۵۶۷", "+989121234567"),
    ("٠٩١٢١٢٣٤٥٦٧", "+989121234567"),
    ("+۹۸۹۱۲۱۲۳۴۵۶۷", "+989121234567"),
    ("09351234567", "+989351234567"),
    ("09901234567", "+989901234567"),
    ("021 8888 7777", "+982188887777"),
    ("0098 21 2222 3333", "+982122223333"),
    ("0311 222 3344", "+983112223344"),
    ("+44 20 7946 0958", "+442079460958"),
    ("+1 650 253 0000", "+16502530000"),
    ("+971 50 123 4567", "+971501234567"),
    ("+49 30 901820", "+4930901820"),
    ("+90 532 123 45 67", "+905321234567"),
]
INVALID = ["", "abc", "12345", "0912", "+98 912 123 45678901", "۰۹۱۲"]


@tagged("post_install", "-at_install")
class TestPhoneNormalisation(TransactionCase):
    def test_valid_numbers_become_e164(self):
        for raw, expected in VALID:
            with self.subTest(raw=raw):
                self.assertEqual(normalize_phone(raw), expected)

    def test_invalid_numbers_are_refused(self):
        for raw in INVALID:
            with self.subTest(raw=raw), self.assertRaises(UserError):
                normalize_phone(raw)
