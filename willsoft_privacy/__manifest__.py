# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Willsoft Privacy",
    "summary": "Keep the privacy notice's promises: consent, retention and "
    "data-subject requests for CRM and invoicing",
    "version": "18.0.1.0.0",
    "category": "Productivity/Privacy",
    "website": "https://www.willsoft.fi",
    "author": "Willsoft Oy",
    "license": "LGPL-3",
    "application": True,
    "depends": ["mail", "portal", "account"],
    "data": [
        "security/res_groups.xml",
        "security/ir.model.access.csv",
        "data/ir_cron.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/menus.xml",
        "wizards/willsoft_privacy_end_relationship_views.xml",
        "views/willsoft_privacy_audit_log_views.xml",
        "views/willsoft_privacy_retention_views.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "willsoft_privacy/static/tests/tours/*.js",
        ],
    },
    "post_init_hook": "post_init_hook",
    "uninstall_hook": "uninstall_hook",
    "demo": [
        "demo/res_partner_demo.xml",
        "demo/res_users_demo.xml",
    ],
}
