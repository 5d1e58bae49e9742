# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class WillsoftPrivacyRequest(models.Model):
    _inherit = "willsoft.privacy.request"

    @api.model
    def _privacy_export_labels(self):
        """Words for the keys of the visitors and page views, for the
        readable copy of the export."""
        labels = super()._privacy_export_labels()
        labels.update(
            {
                "visitor": self.env._("Visitor"),
                "url": self.env._("Web address"),
                "page": self.env._("Page"),
                "visited": self.env._("Visited"),
                "website": self.env._("Website"),
                "language": self.env._("Language"),
                "timezone": self.env._("Time zone"),
                "visits": self.env._("Visits"),
                "first_visit": self.env._("First visit"),
                "last_visit": self.env._("Last visit"),
            }
        )
        return labels

    @api.model
    def _privacy_export_value_labels(self):
        """A visitor's language by name, as the partner's."""
        value_labels = super()._privacy_export_value_labels()
        value_labels["language"] = dict(self.env["res.lang"].get_installed())
        return value_labels
