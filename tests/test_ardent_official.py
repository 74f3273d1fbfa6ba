"""The official `ardent-sdk` clients, unchanged, against the emulator (each in its own venv)."""

from __future__ import annotations

import json
import subprocess
import textwrap

import pytest

from pulumi_dataplatforms_emulator.process import EmulatorProcess
from tests.ardent_official_envs import python_for
from tests.ardent_stacks import ardent_state

pytestmark = pytest.mark.official

FLOW_022 = """
import json, os
from ardent import ArdentClient
from ardent.exceptions import ArdentAPIError, ArdentAuthError
c = ArdentClient(os.environ["ARDENT_PUBLIC_KEY"], os.environ["ARDENT_SECRET_KEY"], base_url=os.environ["ARDENT_BASE_URL"])
db = [{"name": "analytics"}]
configs = {
    "mongodb": dict(connection_string="mongodb://u:pé@h/x", databases=[{"name": "a", "collections": [{"name": "c"}]}]),
    "postgreSQL": dict(Hostname="h", Port="5432", username="u", password="pé", databases=db),
    "supabase": dict(project_url="https://a.supabase.co", api_key="k", databases=[]),
    "airflow": dict(github_token="t", repo="a/b", dag_path="d", host="h", username="u", password="p"),
    "azureSQLServer": dict(server="s", username="u", password="p", version="18", databases=db),
    "snowflake": dict(account="a", user="u", password="p", warehouse="w", databases=db),
    "databricks": dict(server_hostname="h", http_path="/p", access_token="t",
                       catalogs=[{"name": "m", "databases": [{"name": "d", "tables": [{"name": "t"}]}]}]),
    "mysql": dict(host="h", port="3306", username="u", password="p", databases=db),
    "databricksJobs": dict(workspace_url="https://w", access_token="t", github_token="g", repo="a/b", repo_path="p"),
    "tigerbeetle": dict(cluster_id="0", replica_addresses=["localhost:3000"]),
}
out = {"set": [c.set_config(t, id="cfg-" + t, **p)["id"] for t, p in configs.items()]}
out["deleted"] = c.delete_config("cfg-mysql")
try:
    c.delete_config("cfg-mysql")
except ArdentAPIError as e:
    out["missing"] = str(e)
out["job"] = c.create_and_execute_job("profile orders")
try:
    ArdentClient("pk-ard_test_emulator0001", "wrong", base_url=os.environ["ARDENT_BASE_URL"]).set_config(
        "tigerbeetle", cluster_id="0", replica_addresses=[])
except ArdentAuthError as e:
    out["bad_secret"] = str(e)
print(json.dumps(out))
"""

FLOW_080 = """
import json, os
from ardent import ArdentClient
from ardent.exceptions import ArdentAPIError, ArdentAuthError
c = ArdentClient(os.environ["ARDENT_API_KEY"], base_url=os.environ["ARDENT_BASE_URL"])
conn = c.setup_connector("postgresql", {"host": "h", "port": 5432, "database": "d", "username": "u",
                         "password": "p"}, name="orders", selected_paths=["public.users"])
out = {"connector": conn["id"], "deleted": c.delete_connector(conn["id"])}
try:
    c.delete_connector(conn["id"])
except ArdentAPIError as e:
    out["missing"] = str(e)
job = c.create_and_execute_job("profile orders")
out["job"] = job
out["files"] = c.get_job_files(job["id"])
out["job_deleted"] = c.delete_job(job["id"])
try:
    ArdentClient("sk-ard_test_wrong", base_url=os.environ["ARDENT_BASE_URL"]).create_job("x")
except ArdentAuthError as e:
    out["bad_key"] = str(e)
print(json.dumps(out))
"""


def run_flow(version: str, flow: str, emulator: EmulatorProcess) -> dict[str, object]:
    """Runs `flow` on the official client `ardent-sdk==version`; a failed install of that pin fails the test."""
    try:
        python = python_for(version)
    except RuntimeError as exc:
        pytest.fail(f"pip could not install the pinned official client ardent-sdk=={version}: {exc}", pytrace=False)
    proc = subprocess.run(
        [str(python), "-c", textwrap.dedent(flow)],
        env={**emulator.env(), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    result: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def test_official_022_configs_and_jobs(emulator: EmulatorProcess) -> None:
    out = run_flow("0.2.2", FLOW_022, emulator)
    assert len(out["set"]) == 10  # type: ignore[arg-type]
    configs = ardent_state(emulator)["configs"]
    assert "cfg-mysql" not in configs and len(configs) == 9
    assert configs["cfg-postgreSQL"]["config"]["password"] == "pé", "non-ASCII signed body accepted"
    assert configs["cfg-azureSQLServer"]["endpoint"] == "setAzureSQLConfig"
    assert out["missing"] == "Configuration not found"
    assert out["job"]["status"] == "completed"  # type: ignore[index]
    assert out["bad_secret"] == "Invalid API key or signature"


def test_official_080_connectors_and_jobs(emulator: EmulatorProcess) -> None:
    out = run_flow("0.8.0", FLOW_080, emulator)
    assert out["deleted"] == {"status": "success", "message": "Connector deleted successfully"}
    assert out["missing"] == "Connector not found"
    assert out["job_deleted"] == {"status": "success", "message": "Job deleted successfully"}
    assert out["bad_key"] == "Invalid API key"
    state = ardent_state(emulator)
    assert state["connectors"] == {} and state["jobs"] == {}
