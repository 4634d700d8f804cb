# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Numbers for a whole batch of records in one draw.

Copies of base's numbering, written for batch speed; each is pinned by
``tests/test_upstream_pins.py`` (``TestSequencePins``), which draws the same
numbers one by one through base's own methods and compares.
"""

from collections import defaultdict

from odoo import api, models
from odoo.tools import SQL


class IrSequence(models.Model):
    _inherit = "ir.sequence"

    @api.model
    def _crm_iso_next_by_code_batch(self, code, company_ids):
        """The numbers ``next_by_code(code)`` draws for each company of
        ``company_ids`` (one number each, in that order), as many calls of
        ``self.with_company(company).next_by_code(code)`` would draw them: the
        same access check, the company's own sequence or else a shared one,
        and ``False`` where there is none.

        Mirrors base's ``ir.sequence.next_by_code``. Companies that share a
        sequence draw from it together, in the order given, as one by one.
        Pinned by ``TestSequencePins.test_by_code_as_one_by_one``.
        """
        self.browse().check_access("read")
        sequences = {
            company_id: self.search(
                [("code", "=", code), ("company_id", "in", [company_id, False])],
                order="company_id",
                limit=1,
            )
            for company_id in dict.fromkeys(company_ids)
        }
        positions = defaultdict(list)
        for position, company_id in enumerate(company_ids):
            positions[sequences[company_id]].append(position)
        numbers = [False] * len(company_ids)
        for sequence, where in positions.items():
            if sequence:
                for position, number in zip(
                    where, sequence._crm_iso_next_batch(len(where)), strict=True
                ):
                    numbers[position] = number
        return numbers

    def _crm_iso_next_batch(self, count):
        """``count`` numbers of this sequence, as ``count`` calls of ``_next()``
        draw them (in the date range of ``ir_sequence_date``, as ``_next``).

        Mirrors base's ``ir.sequence._next``, ``_next_do``, ``get_next_char``
        and ``ir.sequence.date_range._next``; pinned by
        ``TestSequencePins.test_next_batch_as_next``. The counter moves once:

        * standard: one ``nextval`` over ``generate_series`` on the PostgreSQL
          sequence base names ``ir_sequence_<id>`` (``_<range id>``);
        * no gap: base's own ``_next()`` locks the counter's row (``FOR UPDATE
          NOWAIT``, held to the end of the transaction) and draws the first
          number; one write moves the counter past the batch under that lock,
          so the batch is consecutive and gapless.

        The prefix and suffix are interpolated once for the batch.
        """
        self.ensure_one()
        if count <= 0:
            return []
        holder = self._get_current_sequence(self.env.context.get("ir_sequence_date"))
        pg_name, formatter = f"ir_sequence_{self.id:03d}", self
        if self.use_date_range:
            pg_name = f"ir_sequence_{self.id:03d}_{holder.id:03d}"
            formatter = self.with_context(ir_sequence_date_range=holder.date_from)
        increment = self.number_increment
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
            holder._next()
            # _next moved the counter by one increment and re-reads it
            first = holder.number_next - increment
            if count > 1:
                # sudo: the counter, not the sequence's settings, as _next moves it
                holder.sudo().write({"number_next": first + increment * count})
            numbers = [first + k * increment for k in range(count)]
        # get_next_char's formula, with the prefix and suffix interpolated once
        prefix, suffix = formatter._get_prefix_suffix()
        return [f"{prefix}{number:0{self.padding}d}{suffix}" for number in numbers]
