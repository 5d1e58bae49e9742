# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.tools import SQL


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def _privacy_clock_sources(self):
        """A lead or opportunity is contact: when it was opened, moved on,
        won or lost (core stamps these; a plain write is no contact)."""
        return [
            *super()._privacy_clock_sources(),
            {
                "model": "crm.lead",
                "from": SQL("crm_lead src"),
                "person": SQL("src.partner_id"),
                "date": SQL(
                    "GREATEST(src.date_open, src.date_last_stage_update, "
                    "src.date_closed, src.date_conversion)"
                ),
                "where": None,
                "changed": SQL("src.write_date"),
            },
        ]

    @api.model
    def _privacy_fact_categories(self, commercials):
        """A partner with a lead, and no sale, is a potential customer."""
        facts = super()._privacy_fact_categories(commercials)
        groups = (
            self.env["crm.lead"]
            .sudo()
            .with_context(active_test=False)
            ._read_group(
                [("partner_id.commercial_partner_id", "in", commercials.ids)],
                ["partner_id"],
            )
        )
        for (person,) in groups:
            commercial = person.commercial_partner_id.id
            if facts.get(commercial) == "other":
                facts[commercial] = "prospect"
        return facts
