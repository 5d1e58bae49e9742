# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """The completion letter now greets the person by the name kept for the
    answer (an erasure anonymises the partner first), and names the
    supervisory authority. Its template is seeded under noupdate: reset it
    from the data file, as the Reset Template button does."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    template = env.ref(
        "willsoft_privacy.mail_template_request_done", raise_if_not_found=False
    )
    if template:
        template.reset_template()
