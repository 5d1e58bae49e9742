# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

STATES = [
    ("pending", "To inform"),
    ("informed", "Informed"),
    ("nothing", "Received none of the data"),
    ("impossible", "Impossible"),
    ("disproportionate", "Disproportionate effort"),
]


class WillsoftPrivacyRequestRecipient(models.Model):
    """GDPR Art. 19: a recipient of the person's data, as the register of
    processing names it, and whether it was told of the correction, erasure
    or restriction (or why not)."""

    _name = "willsoft.privacy.request.recipient"
    _description = "Recipient told of a request"
    _order = "request_id, id"

    request_id = fields.Many2one(
        "willsoft.privacy.request", required=True, ondelete="cascade", index=True
    )
    name = fields.Char(string="Recipient", required=True)
    state = fields.Selection(
        STATES, string="Informed", required=True, default="pending"
    )
    date = fields.Date(string="On")
    note = fields.Char(string="How, or why not")
