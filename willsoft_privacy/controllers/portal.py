# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import content_disposition, request

from odoo.addons.portal.controllers.portal import CustomerPortal

from .forms import clean, form_values, valid_id

REQUEST_MODEL = "willsoft.privacy.request"
# The only form fields a person may send; everything else is ignored.
FORM_FIELDS = (
    "kind",
    "description",
    "rect_name",
    "rect_email",
    "rect_phone",
    "rect_street",
    "rect_zip",
    "rect_city",
    "rect_country_id",
    "rect_lang",
    "notice_id",
)
CONSENT_FIELDS = ("purpose_id", "channel", "action", "notice_id")
CONSENT_DONE = ("given", "withdrawn")


class PrivacyPortal(CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "privacy_request_count" in counters:
            # Over a fixed domain, the person's own requests: an employee
            # who is no privacy user has no access to the model, yet has a
            # /my page too.
            values["privacy_request_count"] = (
                request.env[REQUEST_MODEL]
                .sudo()
                .search_count([("partner_id", "=", request.env.user.partner_id.id)])
            )
        return values

    def _privacy_for_employee(self):
        """My privacy serves customers; an employee gets a page that says so."""
        return request.env.user._is_internal()

    def _privacy_page_values(self, error=None, values=None):
        partner = request.env.user.partner_id
        Request = request.env[REQUEST_MODEL]
        requests = Request.search([("partner_id", "=", partner.id)])
        open_kinds = Request._open_kinds(partner)
        kinds = Request._fields["kind"]._description_selection(request.env)
        page = self._prepare_portal_layout_values()
        page.update(
            {
                "page_name": "privacy",
                "partner": partner,
                "company": request.env.company,
                "privacy_requests": requests,
                "privacy_kinds": [(key, label) for key, label in kinds],
                "privacy_open_kinds": open_kinds,
                "privacy_holdings": Request._portal_holdings(partner),
                "countries": request.env["res.country"].sudo().search([]),
                "languages": request.env["res.lang"].get_installed(),
                "error": error,
                "form": values or {},
                "privacy_consent_rows": request.env[
                    "willsoft.privacy.consent"
                ]._portal_rows(partner),
                "privacy_notice": request.env["willsoft.privacy.notice"]
                .sudo()
                ._current(partner.company_id or request.env.company),
                "privacy_email_pending": {
                    "email": partner.email,
                    "proven": partner.sudo().privacy_email_proven,
                }
                if partner.sudo().privacy_email_unproven
                else False,
            }
        )
        return page

    @http.route("/my/privacy", type="http", auth="user", website=True)
    def portal_my_privacy(self, consent_done=None, email_sent=None, **kw):
        if self._privacy_for_employee():
            return request.render(
                "willsoft_privacy.portal_my_privacy_employee",
                self._prepare_portal_layout_values(),
            )
        values = self._privacy_page_values()
        values["consent_done"] = consent_done if consent_done in CONSENT_DONE else None
        values["privacy_email_sent"] = email_sent == "1"
        return request.render("willsoft_privacy.portal_my_privacy", values)

    def _privacy_employee_refused(self):
        return request.render(
            "willsoft_privacy.portal_my_privacy_employee",
            self._prepare_portal_layout_values(),
            status=403,
        )

    @http.route(
        "/my/privacy/email/send",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_privacy_email_send(self, **post):
        """Send a code to the address the person set on their account."""
        if self._privacy_for_employee():
            return self._privacy_employee_refused()
        try:
            request.env["willsoft.privacy.email.confirmation"]._send(
                request.env.user.partner_id
            )
        except UserError as error:
            return request.render(
                "willsoft_privacy.portal_my_privacy",
                self._privacy_page_values(error=error.args[0]),
                status=400,
            )
        return request.redirect("/my/privacy?email_sent=1#privacy_email_confirm")

    @http.route(
        "/my/privacy/email/confirm",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_privacy_email_confirm(self, code=None, **post):
        if self._privacy_for_employee():
            return self._privacy_employee_refused()
        try:
            request.env["willsoft.privacy.email.confirmation"]._confirm(
                request.env.user.partner_id, clean(code, 20)
            )
        except UserError as error:
            values = self._privacy_page_values(error=error.args[0])
            values["privacy_email_sent"] = True
            return request.render(
                "willsoft_privacy.portal_my_privacy", values, status=400
            )
        return request.redirect("/my/privacy")

    @http.route(
        "/my/privacy/consent",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_privacy_consent(self, **post):
        if self._privacy_for_employee():
            return self._privacy_employee_refused()
        values = form_values(post, CONSENT_FIELDS)
        try:
            event = request.env["willsoft.privacy.consent"]._portal_record(
                request.env.user.partner_id,
                values,
                ip_address=request.httprequest.remote_addr,
                user_agent=request.httprequest.user_agent.string,
            )
        except UserError as error:
            return request.render(
                "willsoft_privacy.portal_my_privacy",
                self._privacy_page_values(error=error.args[0]),
            )
        return request.redirect(
            f"/my/privacy?consent_done={event.action}#privacy_consents"
        )

    @http.route(
        "/my/privacy/request/new",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_privacy_new(self, **post):
        if self._privacy_for_employee():
            return self._privacy_employee_refused()
        values = form_values(post, FORM_FIELDS)
        partner = request.env.user.partner_id
        try:
            privacy_request = request.env[REQUEST_MODEL]._portal_create(
                partner, {**values, "channel": "portal"}
            )
        except UserError as error:
            return request.render(
                "willsoft_privacy.portal_my_privacy",
                self._privacy_page_values(error=error.args[0], values=values),
            )
        return request.redirect(privacy_request.access_url)

    @http.route(
        "/my/privacy/request/<int:request_id>",
        type="http",
        auth="public",
        website=True,
    )
    def portal_my_privacy_request(self, request_id, access_token=None, **kw):
        if not valid_id(request_id):
            return request.redirect("/my")
        if access_token and not access_token.isascii():
            # Core compares tokens with consteq, which refuses non-ASCII text:
            # such a token is simply a wrong one.
            return request.redirect("/my")
        try:
            request_sudo = self._document_check_access(
                REQUEST_MODEL, request_id, access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = self._get_page_view_values(
            request_sudo,
            access_token,
            {"page_name": "privacy", "privacy_request": request_sudo},
            "my_privacy_requests_history",
            False,
            **kw,
        )
        return request.render("willsoft_privacy.portal_privacy_request_page", values)

    @http.route(
        "/my/privacy/export/<int:request_id>/<string:fmt>/<string:token>",
        type="http",
        auth="public",
    )
    def portal_my_privacy_export(self, request_id, fmt, token, **kw):
        """The export behind a tokened link: the token alone opens it, so
        that the link in a letter works; it expires with the export."""
        if not valid_id(request_id):
            raise NotFound()
        request_sudo = request.env[REQUEST_MODEL].sudo().browse(request_id).exists()
        if not request_sudo:
            raise NotFound()
        attachment = request_sudo._export_check_token(fmt, token)
        if not attachment:
            raise NotFound()
        request_sudo._log_download(fmt)
        return request.make_response(
            attachment.raw,
            headers=[
                ("Content-Type", attachment.mimetype),
                ("Content-Disposition", content_disposition(attachment.name)),
                ("X-Content-Type-Options", "nosniff"),
                ("Cache-Control", "no-store"),
            ],
        )
