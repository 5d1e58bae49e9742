# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class WillsoftPrivacyNoticeSection(models.Model):
    _name = "willsoft.privacy.notice.section"
    _description = "Privacy notice section"
    _order = "notice_id, sequence, id"

    notice_id = fields.Many2one(
        "willsoft.privacy.notice",
        required=True,
        ondelete="cascade",
        index=True,
    )
    sequence = fields.Integer(default=10)
    number = fields.Integer(string="No.", required=True)
    title = fields.Char(string="Heading", required=True, translate=True)
    body = fields.Text(string="Text", translate=True)

    @api.model_create_multi
    def create(self, vals_list):
        notices = self.env["willsoft.privacy.notice"].browse(
            [vals.get("notice_id") for vals in vals_list]
        )
        notices.exists()._check_not_published()
        return super().create(vals_list)

    def write(self, vals):
        self.notice_id._check_not_published()
        if "notice_id" in vals:
            self.notice_id.browse(vals["notice_id"])._check_not_published()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_published(self):
        # A cascade from a draft's deletion passes here too.
        self.notice_id._check_not_published()

    def _body_blocks(self):
        """The body as blocks to show: ("p", text) or ("ul", [items]); lines
        starting with "- " are list items."""
        self.ensure_one()
        blocks = []
        for line in (self.body or "").splitlines():
            line = line.strip()
            if line.startswith("- "):
                if not blocks or blocks[-1][0] != "ul":
                    blocks.append(("ul", []))
                blocks[-1][1].append(line[2:])
            elif line:
                blocks.append(("p", line))
        return blocks
