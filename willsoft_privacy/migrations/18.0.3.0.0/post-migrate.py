# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """A category the facts do not give was chosen by staff: it stays so.
    Then the clock is set from every partner's events, and every retention
    date follows it."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    Partner = env["res.partner"].with_context(active_test=False)
    commercials = Partner.search([("parent_id", "=", False)])
    facts = Partner._privacy_fact_categories(commercials)
    chosen = commercials.filtered(lambda p: p.privacy_category != facts[p.id])
    if chosen:
        Partner.search([("commercial_partner_id", "in", chosen.ids)]).write(
            {"privacy_category_manual": True}
        )
    Partner._privacy_refresh_clock(full=True)
    everyone = Partner.search([("id", "!=", False)])
    env.add_to_compute(Partner._fields["privacy_last_contact_date"], everyone)
    env.add_to_compute(Partner._fields["privacy_last_voucher_date"], everyone)
    env.add_to_compute(Partner._fields["privacy_anonymise_date"], everyone)
    env.flush_all()
