#!/usr/bin/env python3
# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Hand-written mutation check of the retention dates and the access rules.

Each mutant changes one exact snippet of willsoft_privacy (the date
arithmetic in models/res_company.py, the access lists and record rules in
security/). The check copies the module to a scratch folder, installs it
once on one database, verifies that the unmutated module passes the chosen
test classes, then for each mutant writes the mutated copy, updates the
module with ``-u willsoft_privacy --test-enable --test-tags ...`` and counts
it killed when a test fails. The source tree is never written to.

The record-rule files are ``noupdate="1"``: in the scratch copy that flag is
dropped (for the original and every mutant alike) so an update really
rewrites the rules under test.

    source scripts/lib.sh && setup_all >/dev/null
    $VENV/bin/python scripts/mutation_check.py --db mut_check [--only D1,A2]

Connection settings come from PGHOST, PGPORT, PGUSER and PGPASSWORD, as
scripts/lib.sh exports them; ODOO_SRC names the Odoo tree (default
/opt/odoo-18.0). The database is dropped and created afresh.
"""

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODULE = "willsoft_privacy"
COMPANY = "models/res_company.py"
CSV = "security/ir.model.access.csv"
RULES_COMPANY = "security/willsoft_privacy_company_security.xml"
RULES_REQUEST = "security/willsoft_privacy_request_security.xml"
DATE_TAGS = "/willsoft_privacy:TestRetentionDates,/willsoft_privacy:TestRetentionClock"
ACCESS_TAGS = "/willsoft_privacy:TestAccess,/willsoft_privacy:TestSecurityMatrix"

ANON = "return relationship_end + relativedelta(months=self.privacy_grace_months)"
PROSPECT = "return last_contact + relativedelta(months=self.privacy_prospect_months)"
OTHER = "return last_contact + relativedelta(months=self.privacy_other_months)"
IDLE = "return last_voucher + relativedelta(months=self.privacy_customer_idle_months)"
VOUCHER = "datetime.date(fiscal_year_end.year + self.privacy_voucher_years, 12, 31)"

# (id, file, original snippet, mutated snippet, description)
MUTANTS = [
    ("D1", COMPANY, ANON, ANON[:-1] + ", days=1)", "grace end one day late"),
    ("D2", COMPANY, ANON, ANON[:-1] + ", days=-1)", "grace end one day early"),
    ("D3", COMPANY, ANON, "return relationship_end", "3-month grace dropped"),
    (
        "D4",
        COMPANY,
        ANON,
        ANON.replace("months=", "years="),
        "grace in years, not months",
    ),
    (
        "D5",
        COMPANY,
        PROSPECT,
        PROSPECT[:-1] + ", days=1)",
        "prospect expiry one day late",
    ),
    (
        "D6",
        COMPANY,
        PROSPECT,
        PROSPECT.replace("months=", "years="),
        "prospect period in years",
    ),
    (
        "D7",
        COMPANY,
        OTHER,
        OTHER[:-1] + ", days=-1)",
        "other contact expiry one day early",
    ),
    (
        "D8",
        COMPANY,
        'if category == "prospect":',
        'if category != "prospect":',
        "prospect and other periods swapped",
    ),
    ("D9", COMPANY, IDLE, IDLE[:-1] + ", days=1)", "idle customer ends one day late"),
    ("D10", COMPANY, IDLE, IDLE.replace("months=", "years="), "idle period in years"),
    (
        "D11",
        COMPANY,
        VOUCHER,
        VOUCHER.replace("year +", "year + 1 +"),
        "voucher kept a year too long (+1 year)",
    ),
    (
        "D12",
        COMPANY,
        VOUCHER,
        "datetime.date(fiscal_year_end.year + self.privacy_voucher_years, "
        "fiscal_year_end.month, fiscal_year_end.day)",
        "six years from the fiscal year end, not the calendar year end",
    ),
    (
        "D13",
        COMPANY,
        VOUCHER,
        VOUCHER.replace("fiscal_year_end.year", "voucher_date.year"),
        "calendar year of the voucher, fiscal year ignored",
    ),
    ("D14", COMPANY, ")[1]\n", ")[0]\n", "fiscal year start instead of its end"),
    (
        "D15",
        "models/res_partner.py",
        "_privacy_voucher_retention_end(m.date) >= today",
        "_privacy_voucher_retention_end(m.date) > today",
        "voucher on its last retention day no longer holds (>= to >)",
    ),
    (
        "A1",
        CSV,
        "model_willsoft_privacy_request_verification,group_privacy_officer,1,1,1,1",
        "model_willsoft_privacy_request_verification,group_privacy_officer,1,1,1,1\n"
        "access_mut_verification_user,mut,model_willsoft_privacy_request_verification,"
        "group_privacy_user,1,0,0,0",
        "privacy user reads identity verifications",
    ),
    (
        "A2",
        CSV,
        "model_willsoft_privacy_audit_log,group_privacy_officer,1,0,0,0",
        "model_willsoft_privacy_audit_log,group_privacy_officer,1,1,0,1",
        "officer writes and deletes the audit ledger",
    ),
    (
        "A3",
        CSV,
        "model_willsoft_privacy_request,group_privacy_user,1,0,0,0",
        "model_willsoft_privacy_request,group_privacy_user,1,1,1,0",
        "privacy user writes requests",
    ),
    (
        "A4",
        CSV,
        "model_willsoft_privacy_request,base.group_portal,1,0,0,0",
        "model_willsoft_privacy_request,base.group_portal,1,1,0,0",
        "portal writes its requests",
    ),
    (
        "A5",
        CSV,
        "model_willsoft_privacy_suppression,group_privacy_user,1,0,0,0",
        "model_willsoft_privacy_suppression,group_privacy_user,1,1,1,1",
        "privacy user edits the suppression list",
    ),
    (
        "A6",
        CSV,
        "model_willsoft_privacy_email_confirmation,group_privacy_officer,1,0,0,0",
        "model_willsoft_privacy_email_confirmation,group_privacy_officer,1,1,0,0",
        "officer edits e-mail confirmations",
    ),
    (
        "A7",
        RULES_REQUEST,
        "[('partner_id', '=', user.partner_id.id)]",
        "[(1, '=', 1)]",
        "portal reads everybody's requests",
    ),
    (
        "A8",
        RULES_REQUEST,
        "<field name=\"domain_force\">[('company_id', 'in', company_ids)]</field>",
        "<field name=\"domain_force\">[(1, '=', 1)]</field>",
        "request company rule dropped",
    ),
    (
        "A9",
        RULES_COMPANY,
        "<field name=\"domain_force\">[('company_id', 'in', company_ids)]</field>",
        "<field name=\"domain_force\">[(1, '=', 1)]</field>",
        "notice company rule dropped",
    ),
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--db", default="mut_check", help="scratch database (recreated)"
    )
    parser.add_argument("--odoo", default=os.environ.get("ODOO_SRC", "/opt/odoo-18.0"))
    parser.add_argument("--only", help="comma-separated mutant ids")
    return parser.parse_args()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def odoo(args, addons, extra):
    port = free_port()
    cmd = [
        sys.executable,
        os.path.join(args.odoo, "odoo-bin"),
        f"--addons-path={addons},{os.path.join(args.odoo, 'odoo', 'addons')}",
        f"--db_host={os.environ.get('PGHOST', '127.0.0.1')}",
        f"--db_port={os.environ.get('PGPORT', '5432')}",
        f"--db_user={os.environ.get('PGUSER', 'willsoft')}",
        f"--db_password={os.environ.get('PGPASSWORD', 'willsoft')}",
        f"--http-port={port}",
        f"--gevent-port={port + 1}",
        "--log-level=info",
        "--without-demo=all",
        "--stop-after-init",
        "-d",
        args.db,
        *extra,
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    return proc.returncode, proc.stdout + proc.stderr


def tests_failed(output):
    """Failures, errors and test counts an update logged."""
    bad = re.findall(r"(?:FAIL|ERROR): (?:Subtest )?(\w+\.\w+)", output)
    failed = re.search(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests", output)
    broken = "odoo.modules.loading: " in output and "Traceback" in output
    count = failed and (int(failed.group(1)) + int(failed.group(2)))
    ran = int(failed.group(3)) if failed else 0
    return bool(bad or count or broken), sorted(set(bad)), ran


def write_module(src, dst, mutant=None):
    """Fresh copy of the module in ``dst`` with ``mutant`` applied."""
    target = os.path.join(dst, MODULE)
    if os.path.exists(target):
        shutil.rmtree(target)
    shutil.copytree(
        os.path.join(src, MODULE), target, ignore=shutil.ignore_patterns("__pycache__")
    )
    for name in (RULES_COMPANY, RULES_REQUEST):
        path = os.path.join(target, name)
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text.replace('<odoo noupdate="1">', "<odoo>"))
    if mutant:
        _id, name, original, mutated, _desc = mutant
        path = os.path.join(target, name)
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        if text.count(original) < 1:
            raise SystemExit(f"{_id}: snippet not found in {name}: {original!r}")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text.replace(original, mutated, 1))


def run_tests(args, scratch, tags):
    code, out = odoo(
        args, scratch, ["-u", MODULE, "--test-enable", "--test-tags", tags]
    )
    failed, names, ran = tests_failed(out)
    return failed or code != 0, names, ran, out


def main():
    args = parse_args()
    mutants = MUTANTS
    if args.only:
        wanted = set(args.only.split(","))
        mutants = [m for m in MUTANTS if m[0] in wanted]
    env = dict(os.environ)
    subprocess.run(
        [
            "dropdb",
            "--if-exists",
            "-h",
            env.get("PGHOST", "127.0.0.1"),
            "-p",
            env.get("PGPORT", "5432"),
            "-U",
            env.get("PGUSER", "willsoft"),
            args.db,
        ],
        check=True,
        env={**env, "PGPASSWORD": env.get("PGPASSWORD", "willsoft")},
    )
    scratch = tempfile.mkdtemp(prefix="mutation_")
    try:
        write_module(REPO, scratch)
        code, out = odoo(args, scratch, ["-i", MODULE])
        if code:
            print(out[-3000:])
            raise SystemExit("install failed")
        for tags in sorted(
            {DATE_TAGS if m[0].startswith("D") else ACCESS_TAGS for m in mutants}
        ):
            failed, names, ran, out = run_tests(args, scratch, tags)
            print(
                f"baseline {tags}: {ran} tests,",
                "FAILED " + ",".join(names) if failed else "pass",
                flush=True,
            )
            if failed or not ran:
                print(out[-5000:])
                raise SystemExit("the unmutated module does not pass: aborting")
        rows = []
        for mutant in mutants:
            tags = DATE_TAGS if mutant[0].startswith("D") else ACCESS_TAGS
            start = time.monotonic()
            write_module(REPO, scratch, mutant)
            failed, names, ran, _out = run_tests(args, scratch, tags)
            verdict = "killed" if failed else "SURVIVED"
            rows.append((mutant[0], mutant[1], mutant[4], verdict, ",".join(names)))
            print(
                f"{mutant[0]:4} {verdict:8} {time.monotonic() - start:5.0f}s "
                f"{mutant[4]} [{','.join(names)}]",
                flush=True,
            )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print("\n| id | file | mutant | result | failing tests |\n|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    killed = sum(1 for row in rows if row[3] == "killed")
    print(f"\nscore: {killed}/{len(rows)} killed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
