# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class WillsoftPrivacyRetention(models.AbstractModel):
    _inherit = "willsoft.privacy.retention"

    @api.model
    def _run_own_clocks(self):
        """Also the mailing data left under addresses already erased (the
        suppression list's keyed hashes)."""
        counts = super()._run_own_clocks()
        data_map = self.env["willsoft.privacy.data.map"]
        contacts, traces = data_map._suppressed_mailing_records()
        found = {"mailing_contacts": len(contacts), "mailing_traces": len(traces)}
        if contacts or traces:
            data_map._erase_mailing_traces(traces, {})
            data_map._erase_mailing_contacts(contacts, {})
            self.env["willsoft.privacy.audit.log"]._log(
                "run",
                counts=found,
                message=self.env._("Mailing data under erased addresses deleted."),
            )
        counts.update(found)
        return counts
