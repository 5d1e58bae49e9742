# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Willsoft Privacy: CRM",
    "summary": "Leads, opportunities and calendar meetings in the personal-data "
    "map: exported, erased and checked with the rest of a person's data",
    "version": "18.0.1.2.0",
    "category": "Productivity/Privacy",
    "website": "https://www.willsoft.fi",
    "author": "Willsoft Oy",
    "license": "LGPL-3",
    "depends": ["crm", "willsoft_privacy"],
    "demo": ["demo/crm_lead_demo.xml"],
    "auto_install": True,
}
