# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.addons.website_mass_mailing.controllers.website_form import (
    WebsiteNewsletterForm,
)


class PrivacyNewsletterForm(WebsiteNewsletterForm):
    """The form variant of the newsletter block (a website form on mailing
    contacts, with the lists to tick): the contact is made as the form says,
    and its subscriptions wait for the person's confirmation, as the block's
    button does. The website form's savepoint undoes the contact when a check
    fails, and shows the message."""

    def insert_record(self, request, model, values, custom, meta=None):
        if model.sudo().model != "mailing.contact":
            return super().insert_record(request, model, values, custom, meta)
        # The form's many2many value: [(6, 0, ids)].
        list_ids = [
            list_id
            for command in values.pop("list_ids", None) or []
            if isinstance(command, list | tuple) and len(command) == 3
            for list_id in command[2] or []
        ]
        contact_id = super().insert_record(request, model, values, custom, meta)
        request.env["mailing.list"].sudo()._privacy_website_subscribe(
            list_ids,
            values.get("email"),
            name=values.get("name"),
            contact=request.env["mailing.contact"].sudo().browse(contact_id),
            lang=request.env.lang,
            ip_address=request.httprequest.remote_addr,
            user_agent=request.httprequest.user_agent.string,
        )
        return contact_id
