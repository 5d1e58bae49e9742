# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    """18.0.2.2.0 keys phone numbers in E.164 (phone_validation) instead of the
    old +358 rule. The suppression list holds keyed hashes only: entries whose
    number is still on a partner get the new key; the others keep the old key,
    which the lookup still tries. See _rehash_legacy_phones."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    added = env["willsoft.privacy.suppression"]._rehash_legacy_phones()
    _logger.info("Suppression list: %s phone numbers rekeyed to E.164.", len(added))
    # Controller details were field defaults before: seed them for the main
    # company when it still has none (the defaults already filled it on install).
    env["res.company"]._privacy_seed_controller()
