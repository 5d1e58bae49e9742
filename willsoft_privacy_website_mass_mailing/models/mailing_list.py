# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import email_normalize, parse_contact_from_email

# PostgreSQL's integer: a bigger id is no list, not a server error.
MAX_ID = 2**31 - 1
# Longer than any address with a name in front of it.
MAX_VALUE = 320


class MailingList(models.Model):
    _inherit = "mailing.list"

    @api.model
    def _privacy_website_list(self, list_id):
        """The list a newsletter block of the website names, if the public
        may join it: active, public, held on a consent-based purpose of the
        website's company. Otherwise a UserError."""
        if isinstance(list_id, str) and list_id.isascii() and list_id.isdigit():
            list_id = int(list_id)
        mailing_list = self.browse()
        if isinstance(list_id, int) and not isinstance(list_id, bool):
            if 0 < list_id <= MAX_ID:
                mailing_list = self.sudo().search(
                    [
                        ("id", "=", list_id),
                        ("is_public", "=", True),
                        ("willsoft_privacy_processing_id.legal_basis", "=", "consent"),
                        (
                            "willsoft_privacy_processing_id.company_id",
                            "in",
                            (False, self.env.company.id),
                        ),
                    ]
                )
        if not mailing_list:
            raise UserError(
                self.env._(
                    "This newsletter cannot be subscribed to here. Reload the page "
                    "and try again."
                )
            )
        return mailing_list

    @api.model
    def _privacy_website_subscribe(
        self,
        list_ids,
        value,
        *,
        name=None,
        contact=None,
        lang=None,
        ip_address=None,
        user_agent=None,
    ):
        """The website's newsletter sign-up to one list or several, as a
        request for consent (double opt-in): the person is found by their
        address or recorded as a potential customer, the ledger records one
        request per purpose of the lists, the confirmation mail goes out, and
        each subscription waits opted out until the link is used. ``value`` is
        the address typed, with or without a name; ``contact`` the mailing
        contact the website form has just made. Nothing is written unless
        every check passes.

        Returns the ledger entries: none when the address is already on
        every list (nothing to ask)."""
        if not isinstance(list_ids, list | tuple):
            list_ids = [list_ids]
        lists = self.browse()
        for list_id in list_ids or [None]:
            lists |= self._privacy_website_list(list_id)
        email = False
        if isinstance(value, str) and len(value) <= MAX_VALUE:
            parsed_name, email = parse_contact_from_email(value.replace("\x00", ""))
            name = name if isinstance(name, str) and name.strip() else parsed_name
            email = email_normalize(email or "")
        if not email or len(email) > 254:
            raise UserError(self.env._("Enter a valid email address."))
        Consent = self.env["willsoft.privacy.consent"].sudo()
        Consent._subscribe_check_limits(email, ip_address)
        Subscription = self.env["mailing.subscription"].sudo()
        existing = Subscription.search(
            [
                ("list_id", "in", lists.ids),
                ("contact_id.email_normalized", "=", email),
            ],
            order="opt_out, id",
        )
        waiting = self.browse()
        now = fields.Datetime.now()
        for mailing_list in lists:
            subscription = existing.filtered(
                lambda s, ml=mailing_list: s.list_id == ml
            )[:1]
            if subscription and not subscription.opt_out:
                continue
            waiting |= mailing_list
            if subscription:
                subscription.willsoft_privacy_pending_since = now
                continue
            contact = contact or self.env["mailing.contact"].sudo().search(
                [("email_normalized", "=", email)], limit=1
            )
            if not contact:
                contact = (
                    self.env["mailing.contact"]
                    .sudo()
                    .create({"name": (name or "").strip()[:200], "email": email})
                )
            Subscription.create(
                {
                    "contact_id": contact.id,
                    "list_id": mailing_list.id,
                    "opt_out": True,
                    # Waiting, not unsubscribed.
                    "opt_out_datetime": False,
                    "willsoft_privacy_pending_since": now,
                }
            )
        events = self.env["willsoft.privacy.consent.event"]
        if not waiting:
            return events
        partner = Consent._subscribe_partner(name, email, lang)
        for purpose in waiting.willsoft_privacy_processing_id:
            names = waiting.filtered(
                lambda ml, p=purpose: ml.willsoft_privacy_processing_id == p
            ).mapped("name")
            events |= Consent._request_email_consent(
                partner,
                purpose,
                "website_newsletter",
                ip_address=ip_address,
                user_agent=user_agent,
                lang=lang,
                note=self.env._(
                    "Newsletter sign-up on the website: %(list)s", list=", ".join(names)
                ),
            )
        return events
