# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

from .forms import captcha_ok, clean, valid_id
from .notice import set_request_lang

LINK_PARAMS = ("partner_id", "purpose_id", "channel", "expiry", "token")


class PrivacyConsentController(http.Controller):
    """Signed links in emails: GET shows what the link will do, POST (with
    the CSRF token of the page) does it. The person comes from the signed
    link, never from the form."""

    @http.route(
        ["/privacy/consent/<any(confirm,withdraw):action>"],
        type="http",
        auth="public",
        website=True,
        sitemap=False,
        methods=["GET", "POST"],
    )
    def privacy_consent_link(self, action, lang=None, **kwargs):
        params = {key: clean(kwargs.get(key) or "", 200) for key in LINK_PARAMS}
        Consent = request.env["willsoft.privacy.consent"].sudo()
        values = {"action": action, "params": params, "done": False, "error": False}
        try:
            partner, purpose = Consent._check_link(action, **params)
        except UserError as error:
            values["error"] = error.args[0]
            return request.render("willsoft_privacy.consent_page", values, status=403)
        set_request_lang(lang or partner.lang)
        values.update(
            partner=partner,
            purpose=purpose.with_context(lang=request.env.lang),
            notice_url="/privacy/notice",
        )
        if action == "withdraw" and (
            Consent._state(partner, purpose, params["channel"]) == "withdrawn"
        ):
            # Already done (and the person perhaps erased since): say so,
            # record nothing twice.
            values["done"] = True
            return request.render("willsoft_privacy.consent_page", values)
        if request.httprequest.method == "POST":
            proof = {
                "ip_address": request.httprequest.remote_addr,
                "user_agent": request.httprequest.user_agent.string,
            }
            try:
                if action == "confirm":
                    Consent._confirm_from_link(params, **proof)
                else:
                    Consent._withdraw_from_link(params, **proof)
            except UserError as error:
                values["error"] = error.args[0]
                return request.render(
                    "willsoft_privacy.consent_page", values, status=403
                )
            values["done"] = True
        return request.render("willsoft_privacy.consent_page", values)

    @http.route(
        ["/privacy/consent/subscribe/<int:purpose_id>"],
        type="http",
        auth="public",
        website=True,
        sitemap=False,
        methods=["GET", "POST"],
    )
    def privacy_consent_subscribe(self, purpose_id, lang=None, **kwargs):
        if not valid_id(purpose_id):
            raise request.not_found()
        set_request_lang(lang)
        purpose = (
            request.env["willsoft.privacy.processing"]
            .sudo()
            .search(
                [
                    ("id", "=", purpose_id),
                    ("legal_basis", "=", "consent"),
                    # The website's company only: another company's purpose
                    # is not signed up to here.
                    ("company_id", "in", (False, request.env.company.id)),
                ]
            )
        )
        if not purpose:
            raise request.not_found()
        values = {
            "purpose": purpose.with_context(lang=request.env.lang),
            "name": clean(kwargs.get("name", ""), 200),
            "email": clean(kwargs.get("email", ""), 254),
            "error": False,
            "sent": False,
            "notice_url": "/privacy/notice",
        }
        if request.httprequest.method == "POST":
            try:
                if not captcha_ok("willsoft_privacy_subscribe"):
                    raise UserError(
                        request.env._("The captcha check failed. Please try again.")
                    )
                request.env["willsoft.privacy.consent"].sudo()._subscribe_from_form(
                    purpose,
                    values["name"],
                    values["email"],
                    lang=request.env.lang,
                    ip_address=request.httprequest.remote_addr,
                    user_agent=request.httprequest.user_agent.string,
                )
            except (UserError, ValidationError) as error:
                values["error"] = error.args[0]
            else:
                values["sent"] = True
        return request.render("willsoft_privacy.consent_subscribe_page", values)
