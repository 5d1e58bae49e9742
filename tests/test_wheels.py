"""The addons install the way docs/deployment.md tells an administrator:
wheels built with whool from a clean clone, installed with pip into a
virtual environment that holds Odoo as a package, then installed into a
database and updated with -u, with no addons path pointing at the checkout.

Odoo's own dependencies are reused from the project's virtual environment (a
plain path in a .pth file) so that the test does not rebuild them."""

import ast
import configparser
import email
import pathlib
import re
import shutil
import site
import subprocess
import sys
import zipfile

import psycopg2
import pytest

from conftest import pgdb, server_log_problems

ADDONS = (
    "willsoft_privacy",
    "willsoft_privacy_crm",
    "willsoft_privacy_website",
    "willsoft_privacy_mass_mailing",
    "willsoft_privacy_website_mass_mailing",
)
# A bridge requires the addon it builds on; whool leaves out Odoo's own.
BUILDS_ON = {"willsoft_privacy_website_mass_mailing": "willsoft_privacy_mass_mailing"}
# What setup.py of the Odoo tree needs to install the tree as a package.
ODOO_PACKAGING_FILES = (
    "setup.py",
    "setup.cfg",
    "PKG-INFO",
    "MANIFEST.in",
    "README.md",
    "requirements.txt",
    "setup",
)


def run(*cmd, stdin=None, timeout=300):
    result = subprocess.run(
        [str(c) for c in cmd],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"{cmd}\n{output[-4000:]}"
    return output


def pip(python, *args):
    # The project venv's pip; the build backend (whool) is found there too.
    return run(python, "-m", "pip", "--disable-pip-version-check", "-q", *args)


def wheel_metadata(wheel):
    with zipfile.ZipFile(wheel) as archive:
        [meta] = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        return email.message_from_string(archive.read(meta).decode()), set(
            archive.namelist()
        )


@pytest.fixture(scope="module")
def clone(repo, tmp_path_factory):
    """A clean clone of the committed repository, plus an untracked file that
    must not end up in a wheel."""
    path = tmp_path_factory.mktemp("wheels") / "clone"
    run("git", "clone", "--quiet", repo, path)
    # One more commit on the base addon, so that its version has a counter
    # whatever the last commit of the repository was.
    (path / "willsoft_privacy" / "readme" / "HISTORY.md").write_text("- Built.\n")
    git = ("git", "-C", path, "-c", "user.name=t", "-c", "user.email=t@example.com")
    run(*git, "add", "willsoft_privacy/readme/HISTORY.md")
    run(*git, "commit", "--quiet", "-m", "A commit after the version change")
    (path / "willsoft_privacy" / "untracked-notes.txt").write_text("not shipped\n")
    return path


@pytest.fixture(scope="module")
def wheels(clone):
    dist = clone.parent / "dist"
    pip(
        sys.executable,
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "--wheel-dir",
        dist,
        *(clone / addon for addon in ADDONS),
    )
    return {wheel_metadata(w)[0]["Name"]: w for w in sorted(dist.glob("*.whl"))}


def test_wheels_are_named_and_require_as_odoo_addons(wheels, clone):
    assert sorted(wheels) == sorted(f"odoo-addon-{a}" for a in ADDONS)
    for addon in ADDONS:
        meta, files = wheel_metadata(wheels[f"odoo-addon-{addon}"])
        requires = sorted(meta.get_all("Requires-Dist"))
        # Core addons (mail, crm, website, mass_mailing) come with odoo itself.
        expected = ["odoo==18.0.*"]
        if addon != "willsoft_privacy":
            base = BUILDS_ON.get(addon, "willsoft_privacy")
            expected.insert(0, f"odoo-addon-{base}==18.0.*")
        assert requires == expected, addon
        # whool reads the version from the manifest and appends the number of
        # commits since it changed, from the clone's git history (without git
        # it gives the manifest's version alone).
        manifest = ast.literal_eval((clone / addon / "__manifest__.py").read_text())
        counter = (
            r"\.[1-9][0-9]*" if addon == "willsoft_privacy" else r"(\.[1-9][0-9]*)?"
        )
        assert re.fullmatch(re.escape(manifest["version"]) + counter, meta["Version"])
        assert f"odoo/addons/{addon}/__manifest__.py" in files
    _meta, files = wheel_metadata(wheels["odoo-addon-willsoft_privacy"])
    # Only what git tracks is packed.
    assert "odoo/addons/willsoft_privacy/readme/HISTORY.md" in files
    assert "odoo/addons/willsoft_privacy/untracked-notes.txt" not in files
    assert not [f for f in files if "__pycache__" in f or f.endswith(".pyc")]


@pytest.fixture(scope="module")
def venv(clone):
    """A fresh virtual environment with the Odoo tree installed as a package
    (editable, from a staging folder so that nothing is written into the
    shared tree) and Odoo's dependencies taken from the project venv."""
    import odoo

    odoo_tree = pathlib.Path(odoo.__file__).resolve().parent.parent
    stage = clone.parent / "odoo-stage"
    stage.mkdir()
    for name in ODOO_PACKAGING_FILES:
        src = odoo_tree / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, stage / name)
    (stage / "odoo").symlink_to(odoo_tree / "odoo")

    path = clone.parent / "venv"
    run(sys._base_executable, "-m", "venv", "--without-pip", path)
    python = path / "bin" / "python"
    [new_site] = path.glob("lib/python*/site-packages")
    # A plain path: the project venv's own .pth files (which put the Odoo tree
    # on the path) are not read, so odoo comes only from the install below.
    (new_site / "project-venv.pth").write_text(site.getsitepackages()[0] + "\n")
    pip(python, "install", "--no-deps", "--no-build-isolation", "--editable", stage)
    return python


def odoo_conf_without_addons_path(odoo_conf, tmp_path):
    given = configparser.ConfigParser()
    given.read(odoo_conf)
    conf = configparser.ConfigParser()
    conf["options"] = {
        key: value for key, value in given["options"].items() if key.startswith("db_")
    }
    conf["options"]["data_dir"] = str(tmp_path / "data")
    path = tmp_path / "odoo.conf"
    with path.open("w") as f:
        conf.write(f)
    return path


WHERE_IS_THE_ADDON = """
import sys
import odoo
from odoo.modules.module import get_module_path, initialize_sys_path
odoo.tools.config.parse_config(["-c", sys.argv[1]])
initialize_sys_path()
print(get_module_path("willsoft_privacy"))
"""


def test_install_and_update_from_wheels(
    wheels, venv, clone, odoo_conf, test_db, tmp_path
):
    dist = next(iter(wheels.values())).parent
    # --no-index: everything the wheels require is there already.
    pip(venv, "install", "--no-index", "--find-links", dist, *wheels.values())
    site_packages = next(venv.parent.parent.glob("lib/python*/site-packages"))
    installed = site_packages / "odoo" / "addons"
    assert sorted(p.name for p in installed.iterdir()) == sorted(ADDONS)

    conf = odoo_conf_without_addons_path(odoo_conf, tmp_path)
    assert "addons_path" not in conf.read_text()
    db = f"{test_db}_wheels"
    pgdb("drop", db)
    odoo = (venv, "-m", "odoo", "-c", conf, "-d", db, "--no-http")
    try:
        for step in ("-i", "-u"):
            log = run(
                *odoo,
                step,
                "willsoft_privacy",
                "--stop-after-init",
                "--without-demo=all",
                "--log-level=warn",
                timeout=600,
            )
            assert server_log_problems(log) == [], step
        # Where the server finds the addon, with this configuration.
        where = run(venv, "-c", WHERE_IS_THE_ADDON, conf).strip().splitlines()[-1]
        assert pathlib.Path(where) == installed / "willsoft_privacy"
        manifest = ast.literal_eval(
            (clone / "willsoft_privacy" / "__manifest__.py").read_text()
        )
        with psycopg2.connect(dbname=db) as conn, conn.cursor() as cur:
            cur.execute(
                "SELECT state, latest_version FROM ir_module_module"
                " WHERE name = 'willsoft_privacy'"
            )
            assert cur.fetchall() == [("installed", manifest["version"])]
    finally:
        pgdb("drop", db)
