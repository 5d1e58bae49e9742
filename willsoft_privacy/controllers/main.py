# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

from .forms import captcha_ok, clean

VERIFICATION_MODEL = "willsoft.privacy.request.verification"
SESSION_KEY = "willsoft_privacy_pending_id"
FORM_FIELDS = ("name", "email", "kind", "description", "notice_id")


class PrivacyPublicForm(http.Controller):
    """Requests from people without a portal login: the request is made only
    after the person types the code sent to their email."""

    def _privacy_form_values(self, **values):
        Request = request.env["willsoft.privacy.request"]
        kinds = Request._fields["kind"]._description_selection(request.env)
        return {
            "privacy_kinds": kinds,
            "form": {},
            "error": None,
            "company": request.env.company,
            # The request records the version the person was shown.
            "privacy_notice": request.env["willsoft.privacy.notice"]
            .sudo()
            ._current(request.env.company),
            **values,
        }

    def _privacy_captcha_ok(self):
        """Odoo's captcha hook, when a captcha addon (google_recaptcha,
        website_cf_turnstile) provides it; without one there is nothing to
        check."""
        return captcha_ok("willsoft_privacy_request")

    @http.route(
        "/privacy/request", type="http", auth="public", website=True, sitemap=False
    )
    def privacy_request_form(self, **kw):
        return request.render(
            "willsoft_privacy.privacy_request_public", self._privacy_form_values()
        )

    @http.route(
        "/privacy/request/send",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        sitemap=False,
    )
    def privacy_request_send(self, **post):
        values = {key: clean(post.get(key, "")) for key in FORM_FIELDS}
        try:
            if not self._privacy_captcha_ok():
                raise UserError(
                    request.env._("The captcha check failed. Please try again.")
                )
            pending = request.env[VERIFICATION_MODEL]._start(
                values, request.httprequest.remote_addr
            )
        except (UserError, ValidationError) as error:
            return request.render(
                "willsoft_privacy.privacy_request_public",
                self._privacy_form_values(form=values, error=error.args[0]),
            )
        request.session[SESSION_KEY] = pending.id
        return request.render(
            "willsoft_privacy.privacy_request_confirm",
            self._privacy_form_values(email=pending.email),
        )

    @http.route(
        "/privacy/request/confirm",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        sitemap=False,
    )
    def privacy_request_confirm(self, code=None, **post):
        pending_id = request.session.get(SESSION_KEY)
        pending = request.env[VERIFICATION_MODEL].sudo().browse(pending_id).exists()
        if not pending:
            return request.redirect("/privacy/request")
        try:
            privacy_request = pending._confirm(clean(code, 20))
        except UserError as error:
            # Returning normally keeps the counted attempt.
            return request.render(
                "willsoft_privacy.privacy_request_confirm",
                self._privacy_form_values(email=pending.email, error=error.args[0]),
            )
        request.session.pop(SESSION_KEY, None)
        return request.render(
            "willsoft_privacy.privacy_request_thanks",
            self._privacy_form_values(privacy_request=privacy_request),
        )
