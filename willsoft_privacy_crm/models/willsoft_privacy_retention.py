# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class WillsoftPrivacyRetention(models.AbstractModel):
    _inherit = "willsoft.privacy.retention"

    @api.model
    def _run_own_clocks(self):
        """Also leads and opportunities without a partner, by their own
        clock: last activity plus the potential-customer period."""
        counts = super()._run_own_clocks()
        today = fields.Date.context_today(self)
        # Like the partners: a company whose runs wait for approval keeps its
        # leads until an officer approves today's run.
        waiting = (
            self.env["res.company"]
            .sudo()
            .search([("privacy_run_needs_approval", "=", True)])
            .filtered(lambda c: c.privacy_run_approved_date != today)
        )
        due = (
            self.env["crm.lead"]
            ._privacy_unlinked_due(today)
            .filtered(lambda lead: (lead.company_id or self.env.company) not in waiting)
        )
        erased = due._privacy_erase_unlinked()
        counts["unlinked_leads"] = erased
        if erased:
            self.env["willsoft.privacy.audit.log"]._log(
                "run",
                counts={"leads": erased},
                message=self.env._(
                    "Leads without a partner erased after the potential-customer "
                    "period."
                ),
            )
        return counts
