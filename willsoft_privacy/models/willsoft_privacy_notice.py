# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

# The notice is generated in these languages; Finnish is the original.
NOTICE_LANGS = ("fi_FI", "sv_SE", "en_US")


class WillsoftPrivacyNotice(models.Model):
    """One version of the privacy notice. Once published it is frozen: the
    consents and requests that name it must keep pointing at what the
    person was shown."""

    _name = "willsoft.privacy.notice"
    _description = "Privacy notice version"
    _order = "company_id, version desc"
    _rec_name = "display_name"

    version = fields.Integer(readonly=True, copy=False, default=0, index=True)
    state = fields.Selection(
        [("draft", "Draft"), ("published", "Published")],
        string="Status",
        default="draft",
        required=True,
        readonly=True,
        copy=False,
    )
    publish_date = fields.Date(string="Published on", readonly=True, copy=False)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
    )
    title = fields.Char(
        translate=True,
        required=True,
        default="Privacy notice",
    )
    change_note = fields.Text(
        string="What changed", help="For the officer: what this version changes."
    )
    section_ids = fields.One2many(
        "willsoft.privacy.notice.section",
        "notice_id",
        string="Sections",
        copy=True,
    )
    is_current = fields.Boolean(string="Current version", compute="_compute_is_current")

    _sql_constraints = [
        (
            "version_company_unique",
            "UNIQUE(company_id, version)",
            "Each version number is used once per company.",
        )
    ]

    @api.depends("version", "state")
    def _compute_display_name(self):
        for notice in self:
            notice.display_name = self.env._(
                "%(title)s, version %(version)s",
                title=notice.title,
                version=notice.version,
            )

    @api.depends("state", "publish_date")
    def _compute_is_current(self):
        current = {company: self._current(company) for company in self.company_id}
        for notice in self:
            notice.is_current = notice == current.get(notice.company_id)

    @api.model_create_multi
    def create(self, vals_list):
        published = []
        for vals in vals_list:
            # A published version (the seeded original) is created as a draft
            # with its sections, then published: sections of a published
            # version are frozen.
            published.append(
                (vals.pop("state", "draft"), vals.pop("publish_date", False))
            )
            if not vals.get("version"):
                company_id = vals.get("company_id") or self.env.company.id
                last = self.search(
                    [("company_id", "=", company_id)], order="version desc", limit=1
                )
                vals["version"] = last.version + 1
        notices = super().create(vals_list)
        for notice, (state, publish_date) in zip(notices, published, strict=True):
            if state == "published":
                notice._publish(publish_date)
        return notices

    def write(self, vals):
        self._check_not_published()
        if vals.get("state") == "published":
            if not self.section_ids:
                raise UserError(
                    self.env._("Generate or write the sections before publishing.")
                )
            vals.setdefault("publish_date", fields.Date.context_today(self))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_published(self):
        self._check_not_published()

    # Actions

    def action_publish(self):
        for notice in self:
            notice._publish()

    def action_generate(self):
        self._check_not_published()
        for notice in self:
            notice._generate_sections()

    def action_new_version(self):
        """A new draft generated from today's settings and register."""
        notice = self.create({"company_id": (self.company_id or self.env.company).id})
        notice._generate_sections()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": notice.id,
            "view_mode": "form",
        }

    def action_view_public_page(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": self._public_url(),
            "target": "new",
        }

    # Business methods

    @api.model
    def _current(self, company=None):
        """The published version in force, the one people are shown now."""
        company = company or self.env.company
        return (
            self.sudo()
            .search(
                [("company_id", "=", company.id), ("state", "=", "published")],
                order="publish_date desc, version desc",
                limit=1,
            )
            .sudo(self.env.su)
        )

    @api.model
    def _shown(self, company, notice_id=None):
        """The version a form says it showed, when it is a published version
        of ``company``; else the current one."""
        notice_id = str(notice_id or "")
        # ASCII digits within PostgreSQL's integer: anything else is no id.
        if notice_id.isascii() and notice_id.isdigit() and int(notice_id) < 2**31:
            notice = (
                self.sudo()
                .search(
                    [
                        ("id", "=", int(notice_id)),
                        ("company_id", "=", company.id),
                        ("state", "=", "published"),
                    ],
                    limit=1,
                )
                .sudo(self.env.su)
            )
            if notice:
                return notice
        return self._current(company)

    def _check_not_published(self):
        if self.filtered(lambda n: n.state == "published"):
            raise UserError(
                self.env._(
                    "A published privacy notice cannot be changed or deleted. "
                    "Create a new version instead."
                )
            )

    def _publish(self, publish_date=None):
        self.ensure_one()
        self.write(
            {
                "state": "published",
                "publish_date": publish_date or fields.Date.context_today(self),
            }
        )

    def _public_url(self):
        self.ensure_one()
        return f"/privacy/notice/{self.id}"

    def _generate_sections(self):
        """Write the sections of the notice, as in the original (1 controller
        ... 12 changes), from the company's controller details, the register
        of processing and the retention settings, in every notice language
        installed."""
        self.ensure_one()
        self.section_ids.unlink()
        installed = {code for code, _name in self.env["res.lang"].get_installed()}
        langs = [lang for lang in NOTICE_LANGS if lang in installed or lang == "en_US"]
        # The source value (en_US) first, then the translations.
        langs.sort(key=lambda lang: lang != "en_US")
        sections = self.env["willsoft.privacy.notice.section"]
        for lang in langs:
            notice = self.with_context(lang=lang)
            texts = notice._section_texts()
            notice.write({"title": notice._default_title()})
            if not sections:
                sections = sections.create(
                    [
                        {
                            "notice_id": self.id,
                            "number": number,
                            "sequence": number,
                            "title": title,
                            "body": body,
                        }
                        for number, (title, body) in enumerate(texts, start=1)
                    ]
                )
                continue
            for section, (title, body) in zip(sections, texts, strict=True):
                section.with_context(lang=lang).write({"title": title, "body": body})
        return sections

    def _default_title(self):
        company = self.company_id
        return self.env._(
            "Privacy notice of %(controller)s's customer register",
            controller=company.privacy_controller_name or company.name,
        )

    def _section_texts(self):
        """The twelve sections (title, body) in the language of the context."""
        company = self.company_id
        controller = company.privacy_controller_name or company.name
        register = (
            self.env["willsoft.privacy.processing"]
            .sudo()
            .with_company(company)
            .with_context(lang=self.env.lang)
            .search([("company_id", "in", [False, company.id])])
        )
        bases = dict(
            register._fields["legal_basis"]._description_selection(register.env)
        )

        def distinct(fname):
            return "\n".join(dict.fromkeys(filter(None, register.mapped(fname))))

        address = " ".join(
            filter(
                None, [company.privacy_controller_zip, company.privacy_controller_city]
            )
        )
        return [
            (
                self.env._("Controller"),
                "\n".join(
                    filter(
                        None,
                        [
                            controller,
                            company.privacy_controller_business_id
                            and self.env._(
                                "Business ID: %(business_id)s",
                                business_id=company.privacy_controller_business_id,
                            ),
                            ", ".join(
                                filter(
                                    None, [company.privacy_controller_street, address]
                                )
                            ),
                            company.privacy_helpdesk_email,
                        ],
                    )
                ),
            ),
            (
                self.env._("Contact person for register matters"),
                "\n".join(
                    filter(
                        None,
                        [company.privacy_contact_name, company.privacy_contact_email],
                    )
                ),
            ),
            (
                self.env._("Name of the register"),
                self.env._(
                    "%(controller)s's customer register, based on a customer "
                    "relationship, a potential customer relationship or other "
                    "relevant contact.",
                    controller=controller,
                ),
            ),
            (
                self.env._("Purpose of processing"),
                "\n".join(
                    self.env._(
                        "- %(purpose)s (legal basis: %(basis)s): %(description)s",
                        purpose=p.name,
                        basis=bases[p.legal_basis].lower(),
                        description=p.description or "",
                    )
                    for p in register
                ),
            ),
            (
                self.env._("Data content"),
                self.env._("The register may hold the following data:")
                + "\n"
                + "\n".join(
                    f"- {p.name}: {p.data_categories}"
                    for p in register
                    if p.data_categories
                ),
            ),
            (self.env._("Regular sources of data"), distinct("sources")),
            (self.env._("Recipients of data"), distinct("recipients")),
            (
                self.env._("Transfers outside the EU or EEA"),
                distinct("transfers")
                or self.env._("Data is not transferred outside the EU or EEA."),
            ),
            (
                self.env._("Principles of protecting the register"),
                distinct("security_measures"),
            ),
            (
                self.env._("Retention of data"),
                "\n".join(
                    f"- {p.name}: {p._retention_period_text()}" for p in register
                ),
            ),
            (
                self.env._("General rights of the data subject"),
                self.env._(
                    "The data subject may check what data about them is stored in "
                    "the register. On request we make the necessary changes, or "
                    "delete unnecessary, incorrect or outdated data. The data "
                    "subject may withdraw a consent at any time. Requests are made "
                    "in writing or by email to %(email)s. The data subject may also "
                    "complain to the Data Protection Ombudsman.",
                    email=company.privacy_contact_email or company.email or "",
                ),
            ),
            (
                self.env._("Changes to this privacy notice"),
                self.env._(
                    "We develop our services continuously and may therefore change "
                    "this privacy notice when needed. Earlier versions remain "
                    "available on this page."
                ),
            ),
        ]
