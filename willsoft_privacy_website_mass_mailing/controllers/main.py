# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError, ValidationError
from odoo.http import request, route

from odoo.addons.website_mass_mailing.controllers.main import MassMailController


class PrivacyMassMailController(MassMailController):
    """The newsletter block and popup of the website: an email sign-up is a
    request for consent, confirmed by the link in the mail (double opt-in)."""

    @route()
    def subscribe(self, list_id, value, subscription_type, **post):
        if subscription_type != "email":
            return super().subscribe(list_id, value, subscription_type, **post)
        ir_http = request.env["ir.http"]
        if not ir_http._verify_request_recaptcha_token(
            "website_mass_mailing_subscribe"
        ):
            return {
                "toast_type": "danger",
                "toast_content": request.env._(
                    "The captcha check failed. Please try again."
                ),
            }
        try:
            # The answer is a message, not an error: nothing half-written
            # may stay behind it.
            with request.env.cr.savepoint():
                request.env["mailing.list"].sudo()._privacy_website_subscribe(
                    [list_id],
                    value,
                    lang=request.env.lang,
                    ip_address=request.httprequest.remote_addr,
                    user_agent=request.httprequest.user_agent.string,
                )
        except (UserError, ValidationError) as error:
            return {"toast_type": "danger", "toast_content": error.args[0]}
        # The same answer whether the address was known or already on the
        # list, and unlike core the address typed is not kept in the session:
        # is_subscriber would tell the visitor whether someone else's address
        # is subscribed.
        return {
            "toast_type": "success",
            "toast_content": request.env._(
                "Almost done: check your email and confirm your subscription with "
                "the link we sent you."
            ),
        }
