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
            if not isinstance(subscription_type, str) or not self._get_fname(
                subscription_type
            ):
                # Core would search on no field at all: a server error.
                return {
                    "toast_type": "danger",
                    "toast_content": request.env._(
                        "This newsletter cannot be subscribed to here. Reload the "
                        "page and try again."
                    ),
                }
            # By SMS (website_mass_mailing_sms): not a consent by email.
            return super().subscribe(list_id, value, subscription_type, **post)
        try:
            # The captcha addon raises its own errors too (an invalid key, a
            # timeout): they read as the toast, as ours do.
            if not request.env["ir.http"]._verify_request_recaptcha_token(
                "website_mass_mailing_subscribe"
            ):
                raise UserError(
                    request.env._("The captcha check failed. Please try again.")
                )
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
