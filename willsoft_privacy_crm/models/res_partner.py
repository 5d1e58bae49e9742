# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.tools import SQL


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def _privacy_clock_sources(self):
        """A lead or opportunity is contact: when it was opened, moved on,
        won or lost (core stamps these; a plain write is no contact). So is
        a meeting in the calendar that the person attends."""
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
            # A meeting the person attends (invited, not declined) is
            # contact on its day; one planned ahead keeps them until then,
            # as a planned call keeps a lead.
            {
                "model": "calendar.event",
                "from": SQL(
                    "calendar_attendee att "
                    "JOIN calendar_event src ON src.id = att.event_id"
                ),
                "person": SQL("att.partner_id"),
                "date": SQL("src.start"),
                "where": SQL("src.active AND att.state IS DISTINCT FROM 'declined'"),
                "changed": SQL("GREATEST(src.write_date, att.write_date)"),
            },
        ]

    @api.model
    def _privacy_last_events(self, commercial_ids=None, since=None):
        # The meetings' source reads the attendees' answers too.
        self.env["calendar.attendee"].flush_model(["state", "partner_id"])
        return super()._privacy_last_events(commercial_ids, since)

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
