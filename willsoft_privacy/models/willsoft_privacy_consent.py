# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
import time
from datetime import timedelta
from urllib.parse import urlencode

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import consteq, email_normalize
from odoo.tools.misc import hmac

from .willsoft_privacy_consent_event import CHANNELS, RECORD_EVENT, SIGNUP_SOURCES

_logger = logging.getLogger(__name__)

TOKEN_SCOPE = "willsoft_privacy.consent"
EXPIRY_PARAM = "willsoft_privacy.consent_confirm_hours"
DEFAULT_EXPIRY_HOURS = 72
# Sign-ups per hour, per address and per IP address (as the request form).
LIMIT_PER_EMAIL = 3
LIMIT_PER_IP = 10


class WillsoftPrivacyConsent(models.AbstractModel):
    """What happens when consent is asked, given or withdrawn: the ledger
    entry with its proof, the signed links of the double opt-in and of the
    withdrawal, and the effect of a withdrawal."""

    _name = "willsoft.privacy.consent"
    _description = "Consent management"

    # Ledger

    @api.model
    def _record_event(
        self,
        partner,
        purpose,
        channel,
        action,
        source,
        *,
        note=None,
        ip_address=None,
        user_agent=None,
        text_shown=None,
        lang=None,
        notice=None,
    ):
        """Write one line in the ledger; a withdrawal takes effect at once."""
        partner.ensure_one()
        purpose.ensure_one()
        lang = lang or partner.lang or self.env.lang
        if text_shown is None:
            text_shown = purpose.with_context(lang=lang).consent_text
        notice = notice or self.env["willsoft.privacy.notice"]._current(
            partner.company_id or self.env.company
        )
        event = (
            self.env["willsoft.privacy.consent.event"]
            .sudo()
            .with_context(**{RECORD_EVENT: True})
            .create(
                {
                    "partner_id": partner.id,
                    "processing_id": purpose.id,
                    "channel": channel,
                    "action": action,
                    "source": source,
                    "note": note,
                    "ip_address": ip_address,
                    "user_agent": (user_agent or "")[:512] or False,
                    "text_shown": text_shown,
                    "lang": lang,
                    "notice_id": notice.id,
                    "user_id": self.env.user.id,
                    "company_id": (partner.company_id or self.env.company).id,
                }
            )
        )
        if action == "withdrawn":
            self._purge_consent_only_data(partner, purpose, channel)
        elif (
            action == "given"
            and channel == "email"
            and partner._privacy_proven_email()
            and self._lifts_objection(partner, purpose, source)
        ):
            # A fresh, confirmed consent lifts the stop that a withdrawal set,
            # on the address the person proved only.
            blacklist = self.env["mail.blacklist"].sudo()
            proven = partner._privacy_proven_email()
            if blacklist.search([("email", "=", proven)]):
                blacklist._remove(
                    proven,
                    message=self.env._(
                        "Consent given again (ledger entry %s).", event.id
                    ),
                )
        return event

    @api.model
    def _lifts_objection(self, partner, purpose, source):
        """An objection to direct marketing (GDPR 21(3)) is absolute: only the
        person's own new consent to the purpose objected to lifts it, never a
        consent to another purpose, nor one imported by staff."""
        objections = (
            self.env["willsoft.privacy.request"]
            .sudo()
            .search(
                [
                    ("kind", "=", "objection"),
                    ("marketing_stopped_date", "!=", False),
                    ("partner_id", "=", partner.id),
                ]
            )
        )
        if not objections:
            return True
        if source == "import":
            return False
        return all(
            objection.objection_processing_id == purpose for objection in objections
        )

    @api.model
    def _state(self, partner, purpose, channel):
        """'given', 'withdrawn' or False, from the ledger."""
        state = (
            self.env["willsoft.privacy.consent.state"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", partner.id),
                    ("processing_id", "=", purpose.id),
                    ("channel", "=", channel),
                ],
                limit=1,
            )
        )
        return state.state or False

    # Portal

    @api.model
    def _portal_purposes(self, partner):
        """The consent-based purposes a person can give or withdraw in the
        portal: active, and shared or of the person's company."""
        company = partner.company_id or self.env.company
        return (
            self.env["willsoft.privacy.processing"]
            .sudo()
            .search(
                [
                    ("legal_basis", "=", "consent"),
                    ("company_id", "in", (False, company.id)),
                ]
            )
        )

    @api.model
    def _portal_rows(self, partner):
        """Per consent-based purpose, one row per channel with the current
        state from the ledger, for the My privacy page."""
        partner = partner.sudo()
        states = {
            (state.processing_id.id, state.channel): state
            for state in self.env["willsoft.privacy.consent.state"]
            .sudo()
            .search([("partner_id", "=", partner.id)])
        }
        channels = dict(
            self.env["willsoft.privacy.consent.event"]
            ._fields["channel"]
            ._description_selection(self.env)
        )
        return [
            {
                "purpose": purpose,
                "channels": [
                    {
                        "channel": channel,
                        "label": channels[channel],
                        "state": states[purpose.id, channel].state
                        if (purpose.id, channel) in states
                        else False,
                        "since": states[purpose.id, channel].since
                        if (purpose.id, channel) in states
                        else False,
                    }
                    for channel, _label in CHANNELS
                ],
            }
            for purpose in self._portal_purposes(partner)
        ]

    @api.model
    def _portal_record(self, partner, values, *, ip_address=None, user_agent=None):
        """Give or withdraw consent from the portal. ``partner`` comes from
        the session; ``values`` are the whitelisted form fields purpose_id,
        channel, action and notice_id. A logged-in person has proven their
        address, so consent by email counts at once, as in ``_record_event``,
        once the address on their contact is the one they proved."""
        action = values.get("action")
        channel = values.get("channel")
        purpose_id = values.get("purpose_id")
        purpose = self.env["willsoft.privacy.processing"]
        if str(purpose_id or "").isascii() and str(purpose_id or "").isdigit():
            purpose = self._portal_purposes(partner).filtered(
                lambda p: p.id == int(purpose_id)
            )
        if (
            not purpose
            or action not in ("given", "withdrawn")
            or channel not in dict(CHANNELS)
        ):
            raise UserError(
                self.env._(
                    "This consent cannot be changed here. Reload the page and try "
                    "again."
                )
            )
        if (
            action == "given"
            and channel == "email"
            and partner.sudo().privacy_email_unproven
        ):
            raise UserError(
                self.env._(
                    "Confirm your new email address first: we send email only to "
                    "an address you have confirmed."
                )
            )
        lang = partner.lang or self.env.lang
        if action == "given":
            text_shown = purpose.with_context(lang=lang).consent_text
        else:
            text_shown = self.with_context(lang=lang).env._("Withdraw my consent")
        company = partner.company_id or self.env.company
        return self._record_event(
            partner,
            purpose,
            channel,
            action,
            "portal",
            ip_address=ip_address,
            user_agent=user_agent,
            text_shown=text_shown,
            lang=lang,
            notice=self.env["willsoft.privacy.notice"]._shown(
                company, values.get("notice_id")
            ),
        )

    # Withdrawal

    @api.model
    def _purge_consent_only_data(self, partner, purpose, channel="email"):
        """Make a withdrawal take effect at once (notice, section 10).

        Consent-based sending stops (:meth:`_stop_sending`), the
        communication data held only on that consent is erased
        (:meth:`_erase_consent_data`), and a person who is with us
        only on consent and has withdrawn the last of it is erased through
        the retention engine; so is a partner the retention run has taken
        already, of which it kept what the consents needed
        (:meth:`_kept_past_retention`). A legal hold keeps the data,
        never the sending. The blacklist entry and the ledger remain: they
        are what stops the sending and what proves that it stopped. The
        audit log gets the counts. Returns ``{kind: count}``."""
        partner = partner.sudo().with_context(active_test=False)
        counts = self._stop_sending(partner, purpose, channel)
        Log = self.env["willsoft.privacy.audit.log"]
        if partner._privacy_on_hold():
            Log._log(
                "consent",
                partner=partner,
                counts=counts,
                message=self.env._(
                    "Consent withdrawn: sending stopped; the data is kept while "
                    "the legal hold lasts."
                ),
            )
            return counts
        counts.update(self._erase_consent_data(partner, purpose, channel))
        Log._log(
            "consent",
            partner=partner,
            counts=counts,
            message=self.env._(
                "Consent withdrawn: sending stopped and the data held only on it "
                "erased."
            ),
        )
        if self._held_only_on_consent(partner) or self._kept_past_retention(partner):
            self.env["willsoft.privacy.retention"]._erase_now(partner)
            counts["partner"] = 1
        return counts

    @api.model
    def _kept_past_retention(self, partner):
        """Whether the retention run has already taken this commercial
        partner (restricted or anonymised): what it kept of it on its
        consents (``willsoft.privacy.retention._process_batch``) then
        follows the consents. The engine's erasure ends it as its stage says,
        keeping what the consents still given need, and nothing once none
        is; on a partner with nothing left it changes nothing."""
        return partner.privacy_stage != "none" and not partner.parent_id

    @api.model
    def _stop_sending(self, partner, purpose, channel):
        """Stop consent-based sending at once: the email address goes on
        Odoo's blacklist (no mass mailing reaches it; contract-based bulletins
        still do), a phone number on the phone blacklist where that addon is
        installed, and queued mails of the purpose are cancelled. Bridge
        addons extend it. Returns ``{kind: count}``."""
        counts = {}
        message = self.env._("Consent to %(purpose)s withdrawn.", purpose=purpose.name)
        # The address the person proved: a typed one may be someone else's.
        proven = partner._privacy_proven_email()
        if channel == "email" and proven:
            self.env["mail.blacklist"].sudo()._add(proven, message=message)
            counts["blacklist"] = 1
        if channel in ("sms", "phone") and "phone.blacklist" in self.env:
            # Likewise the number the company entered or an officer verified.
            number = next(iter(partner._privacy_proven_phones()), False)
            if number:
                self.env["phone.blacklist"].sudo().add(number, message=message)
                counts["phone_blacklist"] = 1
        queued = self._consent_mails(partner, purpose).filtered(
            lambda mail: mail.state == "outgoing"
        )
        if queued:
            queued.write({"state": "cancel"})
            counts["cancelled_mails"] = len(queued)
        return counts

    @api.model
    def _consent_mails(self, partner, purpose):
        """Mails sent, or to be sent, to the person for the purpose."""
        return (
            self.env["mail.mail"]
            .sudo()
            .search(
                [
                    ("recipient_ids", "in", partner.ids),
                    ("willsoft_privacy_processing_id", "=", purpose.id),
                ]
            )
        )

    @api.model
    def _erase_consent_data(self, partner, purpose, channel):
        """Erase the communication data held only on this consent: by email,
        the mails sent to the person for the purpose (the confirmation of
        the double opt-in among them) with their messages. Bridge addons
        extend it with their own records (mailing lists and mailings).
        Returns ``{kind: count}``."""
        counts = {}
        if channel != "email":
            return counts
        mails = self._consent_mails(partner, purpose)
        shared = mails.filtered(lambda mail: mail.recipient_ids - partner)
        if shared:
            # Not expected (one mail per person), but a colleague's copy stays.
            shared.write({"recipient_ids": [fields.Command.unlink(partner.id)]})
        if mails - shared:
            (mails - shared).unlink()
        if mails:
            counts["consent_mails"] = len(mails)
        return counts

    @api.model
    def _held_only_on_consent(self, partner):
        """Whether the person came to us only through a consent sign-up and
        now has nothing else with us: no consent still given, not a customer,
        no user, no hold, and no record of another kind than the partner
        itself, its consents and the communication data of consents
        (:meth:`_consent_kinds`)."""
        if (
            not partner.privacy_consent_only
            or partner.privacy_category == "customer"
            or partner.privacy_stage != "none"
            or partner.parent_id
            or partner.child_ids
            or partner.user_ids
        ):
            return False
        if (
            self.env["willsoft.privacy.consent.state"]
            .sudo()
            .search_count(
                [("partner_id", "=", partner.id), ("state", "=", "given")], limit=1
            )
        ):
            return False
        counts = self.env["willsoft.privacy.data.map"]._counts(partner)
        allowed = self._consent_kinds()
        return not any(
            count["found"] for kind, count in counts.items() if kind not in allowed
        )

    @api.model
    def _consent_kinds(self):
        """Kinds of the personal-data map that a person held only on consent
        may have without being held on anything else. A privacy request is
        not among them: the person has dealt with us beyond the consent, and
        follows the clock of potential customers."""
        return {"partner", "consents"}

    # Signed links

    @api.model
    def _token(self, action, partner_id, purpose_id, channel, expiry):
        message = f"{action}:{partner_id}:{purpose_id}:{channel}:{expiry}"
        return hmac(self.env(su=True), TOKEN_SCOPE, message)

    @api.model
    def _link_params(self, action, partner, purpose, channel="email", expiry=0):
        return {
            "partner_id": partner.id,
            "purpose_id": purpose.id,
            "channel": channel,
            "expiry": expiry,
            "token": self._token(action, partner.id, purpose.id, channel, expiry),
        }

    @api.model
    def _confirm_expiry(self):
        hours = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(EXPIRY_PARAM, DEFAULT_EXPIRY_HOURS)
        )
        return int(time.time()) + hours * 3600

    @api.model
    def _confirm_valid_hours(self):
        """How long a confirmation link is valid, as the mail tells it."""
        return int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(EXPIRY_PARAM, DEFAULT_EXPIRY_HOURS)
        )

    @api.model
    def _confirm_url(self, partner, purpose):
        params = self._link_params(
            "confirm", partner, purpose, expiry=self._confirm_expiry()
        )
        return f"{partner.get_base_url()}/privacy/consent/confirm?{urlencode(params)}"

    @api.model
    def _withdraw_url(self, partner, purpose, channel="email"):
        """The signed withdrawal link every consent-based message carries.
        It does not expire: a message may be read years later."""
        params = self._link_params("withdraw", partner, purpose, channel)
        return f"{partner.get_base_url()}/privacy/consent/withdraw?{urlencode(params)}"

    @api.model
    def _check_link(self, action, partner_id, purpose_id, channel, expiry, token):
        """The partner and purpose of a signed link, or a UserError."""
        invalid = UserError(
            self.env._(
                "This link is not valid. Use the latest link we sent you, or "
                "contact us."
            )
        )
        try:
            partner_id, purpose_id, expiry = (
                int(partner_id),
                int(purpose_id),
                int(expiry),
            )
        except (TypeError, ValueError):
            raise invalid from None
        if not (0 < partner_id < 2**31 and 0 < purpose_id < 2**31):
            # Beyond PostgreSQL's integer: no such record.
            raise invalid
        # consteq refuses non-ASCII text with a TypeError: such a token or
        # channel is simply wrong.
        if not all(isinstance(v, str) and v.isascii() for v in (token, channel)):
            raise invalid
        expected = self._token(action, partner_id, purpose_id, channel, expiry)
        if not consteq(expected, token):
            raise invalid
        if action == "confirm" and expiry < time.time():
            raise UserError(
                self.env._(
                    "This confirmation link has expired. Subscribe again to get a "
                    "new one."
                )
            )
        partner = self.env["res.partner"].sudo().browse(partner_id).exists()
        purpose = (
            self.env["willsoft.privacy.processing"].sudo().browse(purpose_id).exists()
        )
        if not partner or not purpose or purpose.legal_basis != "consent":
            raise invalid
        return partner, purpose

    # Double opt-in

    @api.model
    def _request_email_consent(
        self,
        partner,
        purpose,
        source,
        *,
        ip_address=None,
        user_agent=None,
        lang=None,
        note=None,
    ):
        """First step of the double opt-in: log what was shown and send the
        confirmation link. Consent counts only once the link is used."""
        if not partner.email:
            raise UserError(
                self.env._("%(name)s has no email address.", name=partner.name)
            )
        lang = lang or partner.lang or self.env.lang
        event = self._record_event(
            partner,
            purpose,
            "email",
            "requested",
            source,
            note=note,
            ip_address=ip_address,
            user_agent=user_agent,
            lang=lang,
        )
        # An editable mail template, rendered in the language shown.
        template = self.env.ref("willsoft_privacy.mail_template_consent_confirm")
        template.sudo().send_mail(
            event.id,
            email_values={"willsoft_privacy_processing_id": purpose.id},
        )
        return event

    @api.model
    def _subscribe_from_form(
        self, purpose, name, email, *, lang=None, ip_address=None, user_agent=None
    ):
        """A sign-up on the public form: the person is found by their email or
        recorded as a potential customer, then asked to confirm. The answer
        is the same either way, so the form tells nobody who is known."""
        normalized = email_normalize((email or "")[:254])
        if not normalized:
            raise UserError(self.env._("Enter a valid email address."))
        if purpose.legal_basis != "consent" or not purpose.active:
            raise UserError(self.env._("This subscription is not available."))
        self._subscribe_check_limits(normalized, ip_address)
        partner = self._subscribe_partner(name, normalized, lang)
        return self._request_email_consent(
            partner,
            purpose,
            "public_form",
            ip_address=ip_address,
            user_agent=user_agent,
            lang=lang,
        )

    @api.model
    def _subscribe_partner(self, name, email, lang=None):
        """The person behind a public sign-up with the normalised ``email``:
        found by the address, or recorded as a potential customer held only
        on consent."""
        Partner = self.env["res.partner"].sudo()
        # Only someone who proved the address is "found": a contact that
        # merely typed it is not the person signing up. An earlier sign-up
        # not yet confirmed is the same person again.
        partner = Partner.search(
            [("privacy_email_proven", "=", email)], limit=1
        ) or Partner.search(
            [
                ("email_normalized", "=", email),
                ("privacy_consent_only", "=", True),
                ("privacy_email_proven", "=", False),
            ],
            limit=1,
        )
        if not partner:
            # No "Contact created" note: the ledger tells how they came, and
            # nothing but their consent is to hold them.
            partner = Partner.with_context(mail_create_nolog=True).create(
                {
                    "name": (name or "").strip()[:200] or email,
                    "email": email,
                    "lang": lang or self.env.lang,
                    "privacy_category": "prospect",
                    "privacy_source": "self",
                    "privacy_consent_only": True,
                }
            )
        return partner

    @api.model
    def _subscribe_check_limits(self, email, ip_address):
        """The sign-up form's limits, those of the public request form: a
        few confirmation mails an hour per address and per IP address, all
        public sign-ups (the form, the website's newsletter) together."""
        since = fields.Datetime.now() - timedelta(hours=1)
        recent = [
            ("action", "=", "requested"),
            ("source", "in", SIGNUP_SOURCES),
            ("create_date", ">=", since),
        ]
        Event = self.env["willsoft.privacy.consent.event"].sudo()
        if Event.search_count(
            [*recent, ("partner_id.email_normalized", "=", email)]
        ) >= LIMIT_PER_EMAIL or (
            ip_address
            and Event.search_count([*recent, ("ip_address", "=", ip_address)])
            >= LIMIT_PER_IP
        ):
            raise UserError(
                self.env._("Too many requests. Please try again in an hour.")
            )

    @api.model
    def _confirm_from_link(self, params, *, ip_address=None, user_agent=None):
        partner, purpose = self._check_link("confirm", **params)
        requested = (
            self.env["willsoft.privacy.consent.event"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", partner.id),
                    ("processing_id", "=", purpose.id),
                    ("channel", "=", "email"),
                    ("action", "=", "requested"),
                ],
                limit=1,
            )
        )
        if not requested:
            raise UserError(self.env._("There is no subscription to confirm."))
        if partner.privacy_consent_only and not partner.privacy_email_proven:
            # The link went to the address the sign-up form created the
            # contact with: using it proves the address.
            partner._privacy_email_prove(email_normalize(partner.email or ""), "link")
        return self._record_event(
            partner,
            purpose,
            "email",
            "given",
            "email_link",
            ip_address=ip_address,
            user_agent=user_agent,
            text_shown=requested.text_shown,
            lang=requested.lang,
            notice=requested.notice_id,
        )

    @api.model
    def _withdraw_from_link(self, params, *, ip_address=None, user_agent=None):
        partner, purpose = self._check_link("withdraw", **params)
        return self._record_event(
            partner,
            purpose,
            params["channel"],
            "withdrawn",
            "email_link",
            ip_address=ip_address,
            user_agent=user_agent,
            text_shown=self.env._("Withdraw my consent"),
        )
