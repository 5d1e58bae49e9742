# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

# Leads erased per daily run at most; the rest the next day.
LEAD_BATCH = 1000


class CrmLead(models.Model):
    """A lead or opportunity that never got a partner (a web form, an import)
    is a potential customer of its own: it follows the potential-customer
    period from its last activity, not any partner's clock."""

    _inherit = "crm.lead"

    def _privacy_last_activity(self):
        """``{lead id: date}``: the latest of its creation, its last change of
        stage, its closing, a mail or comment on it, and a planned activity's
        deadline (a call planned next month keeps it alive until then)."""
        last = {}
        for lead in self:
            dates = [
                d
                for d in (
                    lead.create_date,
                    lead.date_last_stage_update,
                    lead.date_closed,
                    lead.date_conversion,
                )
                if d
            ]
            last[lead.id] = max(dates).date() if dates else fields.Date.today()
        if not self:
            return last
        groups = (
            self.env["mail.message"]
            .sudo()
            ._read_group(
                [
                    ("model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("message_type", "in", ("email", "comment")),
                ],
                ["res_id"],
                ["date:max"],
            )
        )
        activities = (
            self.env["mail.activity"]
            .sudo()
            ._read_group(
                [("res_model", "=", self._name), ("res_id", "in", self.ids)],
                ["res_id"],
                ["date_deadline:max"],
            )
        )
        for res_id, when in groups + activities:
            day = when.date() if hasattr(when, "hour") else when
            if day and day > last[res_id]:
                last[res_id] = day
        return last

    @api.model
    def _privacy_unlinked_due(self, today=None, limit=LEAD_BATCH):
        """Leads without a partner whose potential-customer period, counted
        from their last activity, has run out (due on the last day)."""
        today = today or fields.Date.context_today(self)
        leads = (
            self.sudo()
            .with_context(active_test=False)
            .search([("partner_id", "=", False)], order="id")
        )
        last = leads._privacy_last_activity()
        due = leads.filtered(
            lambda lead: (
                last[lead.id]
                + relativedelta(
                    months=(lead.company_id or self.env.company).privacy_prospect_months
                )
                <= today
            )
        )
        return due[:limit]

    def _privacy_erase_unlinked(self):
        """Erase these partnerless leads: deleted with their chatter; their
        address and phone live on as keyed hashes only, so that the person
        coming back is noticed. Returns how many."""
        leads = self.sudo().with_context(active_test=False)
        values = {
            value.strip()
            for lead in leads
            for value in (lead.email_from, lead.phone, lead.email_normalized)
            if value and value.strip()
        }
        count = len(leads)
        leads.unlink()
        self.env["willsoft.privacy.suppression"]._suppress(values)
        return count
