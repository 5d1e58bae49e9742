# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import http
from odoo.http import request

from ..models.willsoft_privacy_notice import NOTICE_LANGS
from .forms import valid_id


def set_request_lang(lang):
    """Show the page in ``lang`` (``?lang=fi_FI``) when it is installed;
    otherwise the language the routing chose (URL, cookie, browser)."""
    installed = dict(request.env["res.lang"].get_installed())
    if lang and lang in installed:
        request.update_context(lang=lang)
        request.lang = request.env["res.lang"]._get_data(code=lang)
    return request.env.lang


class PrivacyNoticeController(http.Controller):
    @http.route(
        ["/privacy/notice", "/privacy/notice/<int:notice_id>"],
        type="http",
        auth="public",
        website=True,
        sitemap=False,
    )
    def privacy_notice(self, notice_id=None, lang=None, **kwargs):
        if notice_id is not None and not valid_id(notice_id):
            raise request.not_found()
        set_request_lang(lang)
        Notice = request.env["willsoft.privacy.notice"].sudo()
        # Only published versions of the visitor's company are public.
        published = Notice.search(
            [
                ("state", "=", "published"),
                ("company_id", "=", request.env.company.id),
            ],
            order="publish_date desc, version desc",
        )
        notice = (
            published.filtered(lambda n: n.id == notice_id)
            if notice_id
            else (published[:1])
        )
        if not notice:
            raise request.not_found()
        installed = dict(request.env["res.lang"].get_installed())
        return request.render(
            "willsoft_privacy.privacy_notice_page",
            {
                "notice": notice,
                "current": published[:1],
                "versions": published,
                "notice_langs": [
                    (code, installed[code])
                    for code in NOTICE_LANGS
                    if code in installed
                ],
            },
        )
