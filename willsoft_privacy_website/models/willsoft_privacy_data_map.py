# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class WillsoftPrivacyDataMap(models.AbstractModel):
    """Use of the website: the visitors tied to a partner (core links a
    visitor to the partner of a logged-in user and never deletes it; it holds
    the country, language and time zone derived from the IP address and the
    browser) and their page views."""

    _inherit = "willsoft.privacy.data.map"

    @api.model
    def _handlers(self):
        handlers = super()._handlers()
        # Before the partner; page views before their visitors, which take
        # their page views with them.
        self._insert_handlers(
            handlers,
            "partner",
            [
                {
                    "kind": "page_views",
                    "model": "website.track",
                    "label": self.env._("Website page views"),
                    "category": "website",
                    "fields": {
                        "visitor": "visitor_id",
                        "page": "page_id",
                        "visited": "visit_datetime",
                    },
                    "labels": {"url": self.env._("Web address")},
                },
                {
                    "kind": "visitors",
                    "model": "website.visitor",
                    "label": self.env._("Website visitors"),
                    "category": "website",
                    "fields": {
                        "website": "website_id",
                        "country": "country_id",
                        "language": "lang_id",
                        "visits": "visit_count",
                        "first_visit": "create_date",
                        "last_visit": "last_connection_datetime",
                    },
                    # A visitor's language by name, as the partner's.
                    "value_labels": {
                        "language": dict(self.env["res.lang"].get_installed())
                    },
                },
            ],
        )
        return handlers

    # Handler: page views

    @api.model
    def _domain_page_views(self, plan):
        return [("visitor_id.partner_id", "in", plan["partners"].ids)]

    @api.model
    def _find_page_views(self, plan):
        return self._by_domain("page_views", plan)

    @api.model
    def _export_page_views(self, records, plan):
        return [
            {
                "id": track.id,
                "visitor": track.visitor_id.id,
                "url": track.url or "",
                "page": track.page_id.name or "",
                "visited": fields.Datetime.to_string(track.visit_datetime),
            }
            for track in records
        ]

    # Handler: visitors

    @api.model
    def _domain_visitors(self, plan):
        return [("partner_id", "in", plan["partners"].ids)]

    @api.model
    def _find_visitors(self, plan):
        return self._by_domain("visitors", plan)

    @api.model
    def _export_visitors(self, records, plan):
        return [
            {
                "id": visitor.id,
                "website": visitor.website_id.name or "",
                "country": visitor.country_id.name or "",
                "language": visitor.lang_id.code or "",
                "timezone": visitor.timezone or "",
                "visits": visitor.visit_count,
                "first_visit": fields.Datetime.to_string(visitor.create_date),
                "last_visit": fields.Datetime.to_string(
                    visitor.last_connection_datetime
                ),
            }
            for visitor in records
        ]

    @api.model
    def _erase_visitors(self, records, plan):
        # Deleted, not redacted: the access token of a logged-in visitor is
        # the partner's id, and its page views go with it.
        count = len(records)
        records.unlink()
        return count
