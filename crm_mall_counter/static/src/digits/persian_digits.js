// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
/**
 * The digits a reader expects, for the pages the browser updates live (the
 * waiting-room screen, the pocket ticket): Persian (۰-۹) for a Persian page,
 * unchanged otherwise. The one JS copy of the server's table
 * (crm_iso_complaints/tools/clock.py, ``digits``), which renders these pages.
 */
const PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹";

export function digits(value, persian) {
    const text = value === null || value === undefined ? "" : String(value);
    return persian ? text.replace(/[0-9]/g, (d) => PERSIAN_DIGITS[d]) : text;
}
