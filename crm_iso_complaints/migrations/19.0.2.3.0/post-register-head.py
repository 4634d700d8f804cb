# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Each company's register head (19.0.2.3.0): its last sequence and hash, read
from the chain's last row (``fork = 0``), for the companies that have rows. A
company without a head gets one at its first append; a head already there is
left alone (running this twice changes nothing)."""


def migrate(cr, version):
    cr.execute(
        "INSERT INTO crm_iso_event_head (company_id, sequence, hash) "
        "SELECT DISTINCT ON (company_id) company_id, sequence, hash "
        "FROM crm_iso_event WHERE fork = 0 "
        "ORDER BY company_id, sequence DESC, id DESC "
        "ON CONFLICT (company_id) DO NOTHING"
    )
