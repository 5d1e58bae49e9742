# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from odoo.addons.mail.tests.common import MailCommon, mail_new_test_user

INCOMING = """Return-Path: {return_path}
To: {to}
cc: {cc}
From: {email_from}
Subject: {subject}
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Date: Fri, 10 Apr 2026 14:16:26 +0000
Message-ID: {msg_id}
{extra}
Please delete all my data from your customer register.

--
Sylvie
"""


@tagged("post_install", "-at_install")
class TestPrivacyRequestMail(MailCommon):
    """Letters go out in the person's language; mail to the privacy alias
    becomes a request."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for code in ("fi_FI", "sv_SE"):
            cls.env["res.lang"]._activate_lang(code)
        cls.env["ir.module.module"]._load_module_terms(
            ["willsoft_privacy"], ["fi_FI", "sv_SE"], overwrite=True
        )
        cls.officer = mail_new_test_user(
            cls.env,
            login="dsr_officer",
            email="officer@willsoft.example.com",
            groups="base.group_user,willsoft_privacy.group_privacy_officer",
        )
        cls.person_fi = cls.env["res.partner"].create(
            {"name": "Matti Virtanen", "email": "matti@example.com", "lang": "fi_FI"}
        )
        cls.person_sv = cls.env["res.partner"].create(
            {"name": "Anna Lind", "email": "anna@example.com", "lang": "sv_SE"}
        )
        cls.person_en = cls.env["res.partner"].create(
            {"name": "John Smith", "email": "john@example.com", "lang": "en_US"}
        )
        cls.alias = cls.env.ref("willsoft_privacy.mail_alias_privacy_request")
        cls.alias.alias_domain_id = cls.mail_alias_domain

    def new_request(self, partner, **vals):
        return (
            self.env["willsoft.privacy.request"]
            .with_user(self.officer)
            .create({"partner_id": partner.id, "kind": "erasure", **vals})
        )

    def test_acknowledgement_in_finnish(self):
        with self.mock_mail_gateway():
            request = self.new_request(self.person_fi)
        self.assertMailMail(
            self.person_fi,
            "outgoing",
            content="Vastaamme viimeistään",
            fields_values={
                "subject": f"Olemme vastaanottaneet pyyntönne {request.name}",
                "model": "willsoft.privacy.request",
                "res_id": request.id,
            },
        )
        # The letter is in the request's chatter.
        self.assertIn(
            f"Olemme vastaanottaneet pyyntönne {request.name}",
            request.message_ids.mapped("subject"),
        )

    def test_refusal_in_swedish_names_the_ombudsman(self):
        request = self.new_request(self.person_sv)
        request.with_user(self.officer).refusal_reason = "Fakturorna måste sparas."
        with self.mock_mail_gateway():
            request.with_user(self.officer).action_refuse()
        mail = self.assertMailMail(
            self.person_sv,
            "outgoing",
            content="Fakturorna måste sparas.",
            fields_values={"subject": f"Er begäran {request.name} har avslagits"},
        )
        self.assertIn("dataombudsmannen (Tietosuojavaltuutettu", mail.body_html)
        self.assertEqual(len(self._new_mails), 1)

    def test_extension_and_completion_in_english(self):
        request = self.new_request(self.person_en)
        officer_request = request.with_user(self.officer)
        officer_request.action_start()
        with self.mock_mail_gateway():
            officer_request.action_extend(2, "Twelve years of correspondence")
        self.assertMailMail(
            self.person_en,
            "outgoing",
            content="Twelve years of correspondence",
            fields_values={"subject": f"Your request {request.name} needs more time"},
        )
        officer_request.outcome = "We deleted your contact details."
        with self.mock_mail_gateway():
            officer_request.action_done()
        self.assertMailMail(
            self.person_en,
            "outgoing",
            content="We deleted your contact details.",
            fields_values={"subject": f"Your request {request.name} is completed"},
        )

    def test_identity_check_letter_to_unknown_person(self):
        request = (
            self.env["willsoft.privacy.request"]
            .with_user(self.officer)
            .create(
                {
                    "kind": "access",
                    "requester_name": "Unknown Person",
                    "requester_email": "unknown@example.com",
                }
            )
        )
        with self.mock_mail_gateway():
            request.with_user(self.officer).action_identity_check()
        self.assertMailMailWEmails(
            ["unknown@example.com"],
            "outgoing",
            fields_values={"subject": f"Please confirm your identity ({request.name})"},
        )

    def incoming(self, email_from, subject):
        mail = self.format(
            INCOMING,
            to=f"privacy@{self.alias_domain}",
            subject=subject,
            email_from=email_from,
            msg_id=f"<{subject.replace(' ', '-')}@example.com>",
        )
        with self.mock_mail_gateway():
            self.env["mail.thread"].sudo().message_process(None, mail)
        return self.env["willsoft.privacy.request"].search(
            [("description", "ilike", subject)]
        )

    def test_email_from_known_sender(self):
        request = self.incoming('"Matti Virtanen" <matti@example.com>', "Tietoni pois")
        self.assertEqual(len(request), 1)
        self.assertEqual(request.partner_id, self.person_fi)
        self.assertEqual(request.channel, "email")
        self.assertEqual(request.kind, "erasure")
        # Anyone can write a From: header: an erasure waits for the identity
        # check, and the letter goes to the contact's own address.
        self.assertEqual(request.state, "identity")
        self.assertIn("Please delete all my data", request.description)
        self.assertMailMail(
            self.person_fi,
            "outgoing",
            fields_values={
                "subject": f"Vahvistakaa henkilöllisyytenne ({request.name})"
            },
        )

    def test_email_from_unknown_sender_waits_for_identity(self):
        request = self.incoming('"Stranger" <stranger@example.net>', "My data please")
        self.assertEqual(len(request), 1)
        self.assertFalse(request.partner_id)
        self.assertEqual(request.requester_email, "stranger@example.net")
        self.assertEqual(request.requester_name, "Stranger")
        self.assertEqual(request.state, "identity")
        self.assertFalse(
            self.env["res.partner"].search([("email", "=", "stranger@example.net")])
        )
        self.assertMailMailWEmails(
            ["stranger@example.net"],
            "outgoing",
            fields_values={"subject": f"Please confirm your identity ({request.name})"},
        )
