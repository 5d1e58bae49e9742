# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """18.0.2.0.0 brings the notice as data. Its data file publishes the 2018
    original only on install; a database updated from 18.0.1 publishes it here."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    notice = env.ref("willsoft_privacy.notice_2018", raise_if_not_found=False)
    if notice and notice.state == "draft":
        notice._publish("2018-04-05")
