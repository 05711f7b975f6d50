"""What can be checked of the deployment files without Docker or a cluster: the Kubernetes
manifests against the API schemas of a pinned Kubernetes version (kubernetes-validate, strict),
the Dockerfile and compose.yaml read and held to their rules, the rate limit service's limits
equal to the protos', and Envoy's configuration with global limits accepted by Envoy itself."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from drop_server.config import ConfigError, load_settings
from drop_server.edge import envoy_binary, render_config, route_limits
from drop_server.edge_global_limits import service_config
from drop_server.worker_sockets import worker_sockets

ROOT = Path(__file__).resolve().parents[2]
KUBERNETES = ROOT / "deploy" / "kubernetes"
KUBERNETES_VERSION = "1.33.0"
SECRET_NAMES = re.compile(r"(PASSWORD|SECRET|TOKEN|API_KEY|DATABASE_URL)", re.IGNORECASE)


def manifests() -> list[dict[str, object]]:
    kustomization = yaml.safe_load((KUBERNETES / "kustomization.yaml").read_text())
    documents: list[dict[str, object]] = []
    for name in kustomization["resources"]:
        documents += [d for d in yaml.safe_load_all((KUBERNETES / name).read_text()) if d]
    return documents


def by_kind(kind: str) -> list[dict[str, object]]:
    return [d for d in manifests() if d["kind"] == kind]


def test_every_manifest_is_valid_for_the_pinned_kubernetes_version() -> None:
    documents = manifests()
    assert {d["kind"] for d in documents} >= {
        "Deployment",
        "Service",
        "Job",
        "ConfigMap",
        "Secret",
        "PodDisruptionBudget",
        "HorizontalPodAutoscaler",
    }
    for document in documents:
        kubernetes_validate.validate(document, KUBERNETES_VERSION, strict=True)


def test_an_invalid_manifest_is_refused() -> None:
    (deployment,) = [d for d in by_kind("Deployment") if d["metadata"]["name"] == "drop-api"]  # type: ignore[index]
    broken = yaml.safe_load(yaml.safe_dump(deployment))
    broken["spec"]["replicas"] = "two"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSION, strict=True)


def test_pods_run_as_non_root_with_probes_and_resources() -> None:
    for deployment in by_kind("Deployment") + by_kind("Job"):
        pod = deployment["spec"]["template"]["spec"]  # type: ignore[index]
        assert pod["securityContext"]["runAsNonRoot"] is True
        for container in pod["containers"]:
            assert container["resources"]["requests"] and container["resources"]["limits"]
            assert container["securityContext"]["allowPrivilegeEscalation"] is False
            if deployment["kind"] == "Deployment":
                assert "readinessProbe" in container and (
                    "livenessProbe" in container or container["name"] == "redis"
                )


def test_the_api_is_ready_by_grpc_health_and_drop_runs_by_role() -> None:
    deployments = {d["metadata"]["name"]: d for d in by_kind("Deployment")}  # type: ignore[index]
    api = deployments["drop-api"]["spec"]["template"]["spec"]["containers"][0]  # type: ignore[index]
    assert api["args"] == ["serve", "--role", "api"]
    assert api["readinessProbe"]["grpc"]["port"] == 50051
    jobs = deployments["drop-jobs"]["spec"]["template"]["spec"]["containers"][0]  # type: ignore[index]
    assert jobs["args"] == ["serve", "--role", "jobs"]
    (job,) = by_kind("Job")
    assert job["spec"]["template"]["spec"]["containers"][0]["args"] == ["migrate"]  # type: ignore[index]
    labels = {name: d["spec"]["selector"]["matchLabels"] for name, d in deployments.items()}  # type: ignore[index]
    for budget in by_kind("PodDisruptionBudget"):
        assert budget["spec"]["selector"]["matchLabels"] in labels.values()  # type: ignore[index]
    (scaler,) = by_kind("HorizontalPodAutoscaler")
    assert scaler["spec"]["scaleTargetRef"]["name"] == "drop-api"  # type: ignore[index]


def test_no_secret_values_in_the_manifests() -> None:
    (secret,) = by_kind("Secret")
    assert all(value == "" for value in secret["stringData"].values())  # type: ignore[union-attr]
    for config in by_kind("ConfigMap"):
        assert not any(SECRET_NAMES.search(key) for key in config["data"])  # type: ignore[union-attr]


def dockerfile_stages() -> list[list[str]]:
    lines = (ROOT / "Dockerfile").read_text().replace("\\\n", " ").splitlines()
    instructions = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    stages: list[list[str]] = [[]]
    for instruction in instructions:
        if instruction.upper().startswith("FROM ") and stages[-1]:
            stages.append([])
        stages[-1].append(instruction)
    return stages


def test_the_dockerfile_is_multi_stage_pinned_non_root_and_without_secrets() -> None:
    text = (ROOT / "Dockerfile").read_text()
    base = re.search(r"^ARG PYTHON_IMAGE=(\S+)$", text, re.MULTILINE)
    assert base is not None
    # A version tag (or a digest), never a moving one like `latest` or a bare `3.11`.
    assert re.fullmatch(r"python:\d+\.\d+\.\d+-slim-\w+(@sha256:[0-9a-f]{64})?", base.group(1))
    stages = dockerfile_stages()[1:]  # the first "stage" holds the global ARG
    assert len(stages) >= 2
    runtime = stages[-1]
    users = [i for i in runtime if i.upper().startswith("USER ")]
    assert users and users[-1].split()[1].split(":")[0] not in ("0", "root")
    # The runtime installs the build stage's wheels only: the pinned dependencies.
    assert any("--no-index" in i and "/wheels" in i for i in runtime)
    assert any(i.startswith("RUN pip wheel") and " ." in i for i in stages[0])
    for instruction in [i for stage in stages for i in stage]:
        if instruction.upper().startswith(("ENV ", "ARG ")):
            assert not SECRET_NAMES.search(instruction), instruction
    assert "ENTRYPOINT" in text and "drop_server.cli" in text
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert ".env" in ignored and ".git" in ignored


def test_compose_migrates_before_drop_starts_and_holds_no_secrets() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]
    assert services["migrate"]["command"] == ["migrate"]
    for role in ("api", "jobs"):
        assert services[role]["command"] == ["serve", "--role", role]
        condition = services[role]["depends_on"]["migrate"]["condition"]
        assert condition == "service_completed_successfully"
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    for service in services.values():
        for key, value in (service.get("environment") or {}).items():
            if SECRET_NAMES.search(key) or "password" in str(value).lower():
                # Only references to the operator's .env, which must be set.
                assert re.search(r"\$\{[A-Z_]+:\?", str(value)), (key, value)
    mount = services["ratelimit"]["volumes"][0].split(":")[0]
    assert (ROOT / mount).exists()


def test_the_rate_limit_service_has_the_protos_limits() -> None:
    path = ROOT / "deploy" / "ratelimit" / "config.yaml"
    assert yaml.safe_load(path.read_text()) == service_config(route_limits()), (
        "regenerate: python -m drop_server.edge_global_limits > deploy/ratelimit/config.yaml"
    )


def test_envoy_accepts_global_limits_and_asks_for_every_limited_route(tmp_path: Path) -> None:
    settings = load_settings(
        {"DROP_DATA_DIR": str(tmp_path), "DROP_RATELIMIT_SERVICE": "drop-ratelimit:8081"}
    )
    rendered = render_config(settings, "127.0.0.1", worker_sockets(tmp_path, 2))
    config = yaml.safe_load(rendered)
    manager = config["static_resources"]["listeners"][0]["filter_chains"][0]["filters"][0]
    filters = [f["name"] for f in manager["typed_config"]["http_filters"]]
    assert "envoy.filters.http.ratelimit" in filters
    assert filters.index("envoy.filters.http.local_ratelimit") < filters.index(
        "envoy.filters.http.ratelimit"
    )
    routes = manager["typed_config"]["route_config"]["virtual_hosts"][0]["routes"]
    asked = {
        action["generic_key"]["descriptor_value"]
        for route in routes
        for limit in route.get("route", {}).get("rate_limits", [])
        for action in limit["actions"]
        if "generic_key" in action
    }
    assert asked == set(route_limits())
    clusters = {c["name"] for c in config["static_resources"]["clusters"]}
    assert "drop_ratelimit" in clusters
    (tmp_path / "envoy").mkdir()
    path = tmp_path / "envoy.yaml"
    path.write_text(rendered)
    checked = subprocess.run(
        [envoy_binary(), "--mode", "validate", "-c", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert checked.returncode == 0, checked.stdout[-2000:] + checked.stderr[-2000:]


def test_without_the_service_only_local_buckets_are_rendered(tmp_path: Path) -> None:
    rendered = render_config(load_settings({"DROP_DATA_DIR": str(tmp_path)}), "127.0.0.1")
    assert 'envoy.filters.http.ratelimit"' not in rendered and "drop_ratelimit" not in rendered
    assert 'rate_limits": [{"actions": [{"generic_key"' not in rendered


def test_a_malformed_rate_limit_service_address_is_a_configuration_error() -> None:
    with pytest.raises(ConfigError):
        load_settings({"DROP_RATELIMIT_SERVICE": "no-port"})
