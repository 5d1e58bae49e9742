# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class WillsoftPrivacyDataMap(models.AbstractModel):
    """Leads and opportunities: linked to the partner, or carrying one of its
    email addresses without a link (a lead from a web form, say)."""

    _inherit = "willsoft.privacy.data.map"

    @api.model
    def _privacy_handlers(self):
        handlers = super()._privacy_handlers()
        # Before messages: unlinking a lead takes its own chatter with it.
        self._privacy_insert_handlers(
            handlers,
            "messages",
            [
                {
                    "kind": "leads",
                    "label": self.env._("Leads and opportunities"),
                    "model": "crm.lead",
                    "fields": {
                        "company_name": "partner_name",
                        "email": "email_from",
                        "stage": "stage_id",
                        "created": "create_date",
                    },
                }
            ],
        )
        return handlers

    @api.model
    def _privacy_leads_domain(self, plan):
        partners = plan["partners"]
        emails = self._privacy_emails(partners, plan)
        domain = [("partner_id", "in", partners.ids)]
        if emails:
            domain = ["|", ("email_normalized", "in", emails), *domain]
        return domain

    @api.model
    def _privacy_leads_find(self, plan):
        return self._privacy_search_domain("leads", plan)

    @api.model
    def _privacy_leads_export(self, records, plan):
        return [
            {
                "id": lead.id,
                "type": lead.type,
                "name": lead.name,
                "contact_name": lead.contact_name or "",
                "company_name": lead.partner_name or "",
                "email": lead.email_from or "",
                "phone": lead.phone or "",
                "stage": lead.stage_id.name or "",
                "description": str(lead.description or ""),
                "created": fields.Datetime.to_string(lead.create_date),
            }
            for lead in records
        ]
