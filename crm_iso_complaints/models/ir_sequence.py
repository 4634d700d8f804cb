# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Numbers for a whole batch of records in one draw."""

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.base.models.ir_sequence import _update_nogap


class IrSequence(models.Model):
    _inherit = "ir.sequence"

    @api.model
    def _crm_iso_next_by_code_batch(self, code, count):
        """``count`` numbers of the sequence ``code``, as ``count`` calls of
        ``next_by_code`` would draw them (the current company's sequence, or a
        shared one); ``[False] * count`` without a sequence.

        A standard sequence draws them with one ``nextval`` over
        ``generate_series``; a no-gap one moves its counter once, by ``count``
        increments, under the same row lock as ``_next``: the batch's numbers
        are consecutive and gapless there.
        """
        sequence = self.search(
            [("code", "=", code), ("company_id", "in", [self.env.company.id, False])],
            order="company_id",
            limit=1,
        )
        if not sequence:
            return [False] * count
        return sequence._crm_iso_next_batch(count)

    def _crm_iso_next_batch(self, count):
        """``count`` numbers of this sequence, as ``_next()`` draws them."""
        self.ensure_one()
        if count <= 0:
            return []
        holder, pg_name, formatter = self, f"ir_sequence_{self.id:03d}", self
        if self.use_date_range:
            day = self.env.context.get("ir_sequence_date", fields.Date.today())
            holder = self.env["ir.sequence.date_range"].search(
                [
                    ("sequence_id", "=", self.id),
                    ("date_from", "<=", day),
                    ("date_to", ">=", day),
                ],
                limit=1,
            ) or self._create_date_range_seq(day)
            pg_name = f"ir_sequence_{self.id:03d}_{holder.id:03d}"
            formatter = self.with_context(ir_sequence_date_range=holder.date_from)
        if self.implementation == "standard":
            self.env.cr.execute(
                SQL(
                    "SELECT nextval(%s) FROM generate_series(1, %s) ORDER BY 1",
                    pg_name,
                    count,
                )
            )
            numbers = [number for (number,) in self.env.cr.fetchall()]
        else:
            first = _update_nogap(holder, self.number_increment * count)
            numbers = [first + k * self.number_increment for k in range(count)]
        # get_next_char's formula, with the prefix and suffix interpolated once
        prefix, suffix = formatter._get_prefix_suffix()
        return [f"{prefix}{number:0{self.padding}d}{suffix}" for number in numbers]
