"""The scripts stop with a message that says what to do when Odoo is missing."""

import os
import subprocess


def run_script(repo, script, **env):
    return subprocess.run(
        ["bash", str(repo / "scripts" / script)],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_run_without_odoo_tree_and_offline_says_what_to_provide(repo, tmp_path):
    missing = tmp_path / "no-odoo-here"
    for script in ("run", "test"):
        result = run_script(
            repo,
            script,
            ODOO_SRC=str(missing),
            # Nothing listens there: the same as being offline.
            ODOO_NIGHTLY_URL="http://127.0.0.1:9/odoo_18.0.latest.tar.gz",
        )
        assert result.returncode == 2, result.stderr
        assert "No Odoo 18.0 source tree found" in result.stderr
        assert "export ODOO_SRC=" in result.stderr
        assert str(missing) in result.stderr


def test_wrong_tree_is_named(repo, tmp_path):
    (tmp_path / "README").write_text("not odoo")
    result = run_script(repo, "run", ODOO_SRC=str(tmp_path))
    assert result.returncode == 2
    assert "is not an Odoo 18.0 source tree" in result.stderr


def test_postgres_role_postgres_is_refused(repo):
    result = run_script(
        repo,
        "run",
        WILLSOFT_PG="env",
        PGUSER="postgres",
        PGHOST="127.0.0.1",
        PGPASSWORD="x",
    )
    assert result.returncode == 2
    assert "Odoo refuses to run as the postgres role" in result.stderr
