"""deploy/k8s/ and deploy/compose.yaml, checked offline, with no cluster and no Docker.

Every Kubernetes manifest is validated against Kubernetes' own schemas (kubernetes-validate, strict: a
misspelt field fails instead of being dropped by the API server), the HTTPRoute against the Gateway API
CRD's schema (tests/schemas/httproute-v1.json). Then the rules that keep a class working behind several
pods: a visitor stays on their pod by cookie, never by client address (a school behind one NAT would all
land on one pod), websockets outlive nginx's default timeouts, probes ask Streamlit's health endpoint, the
database URL comes from a Secret, and the autoscaler scales the real Deployment.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
import pytest
import yaml
from kubernetes_validate import utils as kubernetes_validate

REPO = Path(__file__).resolve().parents[1]
K8S = REPO / "deploy" / "k8s"
COMPONENT = K8S / "postgres"
HTTPROUTE_SCHEMA = Path(__file__).with_name("schemas") / "httproute-v1.json"
# The five newest Kubernetes releases the package knows: the Gateway API supports the five most recent.
KUBERNETES_VERSIONS = sorted(set(kubernetes_validate.all_versions()), key=lambda v: tuple(map(int, v.split("."))))[-5:]
HEALTH = "/_stcore/health"
STREAMLIT_PORT = 8501
LONG_TIMEOUT_S = 3600  # a lesson: a websocket idle longer than nginx's timeout is cut


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def manifest_paths() -> list[Path]:
    """Every manifest in deploy/k8s/ and its component: all YAML but the kustomizations themselves."""
    return [path for path in sorted(K8S.rglob("*.yaml")) if path.name != "kustomization.yaml"]


def manifests() -> dict[str, dict]:
    """Each manifest by 'Kind/name' (the names are unique within the set)."""
    found = {}
    for path in manifest_paths():
        doc = load(path)
        found[f"{doc['kind']}/{doc['metadata']['name']}"] = doc
    return found


def the(kind: str) -> dict:
    (doc,) = [doc for key, doc in manifests().items() if key.startswith(kind + "/")]
    return doc


def app_container() -> dict:
    (container,) = the("Deployment")["spec"]["template"]["spec"]["containers"]
    return container


def closed(schema):
    """The CRD's schema with unknown fields refused, as kubernetes-validate's strict schemas do: the API server
    silently drops an unknown field, so a misspelt sessionPersistence would pass there and do nothing."""
    if isinstance(schema, dict):
        schema = {key: closed(value) for key, value in schema.items()}
        if "properties" in schema and "additionalProperties" not in schema \
                and not schema.get("x-kubernetes-preserve-unknown-fields"):
            schema["additionalProperties"] = False
        return schema
    if isinstance(schema, list):
        return [closed(item) for item in schema]
    return schema


# Against the schemas.

@pytest.mark.parametrize("path", manifest_paths(), ids=lambda path: str(path.relative_to(K8S)))
def test_every_manifest_is_valid_against_its_schema(path):
    doc = load(path)
    if doc["apiVersion"].startswith("gateway.networking.k8s.io/"):
        assert doc["apiVersion"] == "gateway.networking.k8s.io/v1" and doc["kind"] == "HTTPRoute"
        schema = closed(json.loads(HTTPROUTE_SCHEMA.read_text(encoding="utf-8")))
        jsonschema.Draft202012Validator(schema).validate(doc)
        return
    for version in KUBERNETES_VERSIONS:
        kubernetes_validate.validate(doc, version, strict=True)


def test_the_httproute_schema_is_the_gateway_api_experimental_crds():
    comment = json.loads(HTTPROUTE_SCHEMA.read_text(encoding="utf-8"))["$comment"]
    assert re.search(r"Gateway API v\d+\.\d+\.\d+ \(experimental channel\)", comment), comment


def test_a_misspelt_field_fails_validation():
    route = the("HTTPRoute")
    rule = dict(route["spec"]["rules"][0])
    rule["sessionPersistance"] = rule.pop("sessionPersistence")
    broken = {**route, "spec": {**route["spec"], "rules": [rule]}}
    schema = closed(json.loads(HTTPROUTE_SCHEMA.read_text(encoding="utf-8")))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(broken)
    container = {**app_container(), "readinesProbe": app_container()["readinessProbe"]}
    deployment = the("Deployment")
    pod = {**deployment["spec"]["template"]["spec"], "containers": [container]}
    broken = {**deployment, "spec": {**deployment["spec"], "template": {"metadata": {}, "spec": pod}}}
    with pytest.raises(jsonschema.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSIONS[-1], strict=True)


# The set as kustomize puts it together.

def test_the_kustomization_lists_every_manifest_and_the_alternatives_are_named():
    base, component = load(K8S / "kustomization.yaml"), load(COMPONENT / "kustomization.yaml")
    assert component["kind"] == "Component"
    listed = {K8S / name for name in base["resources"]} | {COMPONENT / name for name in component["resources"]}
    assert all(path.exists() for path in listed), listed
    # ingress-nginx.yaml replaces httproute.yaml; the postgres component is switched on in the kustomization.
    assert set(manifest_paths()) - listed == {K8S / "ingress-nginx.yaml"}
    text = (K8S / "kustomization.yaml").read_text(encoding="utf-8")
    assert "ingress-nginx.yaml" in text and re.search(r"^# components:\n#   - postgres$", text, re.M)


def test_no_manifest_names_a_namespace():
    for key, doc in manifests().items():
        assert "namespace" not in doc["metadata"], f"{key}: the namespace is kubectl's -n, not the manifest's"
    assert "namespace" not in load(K8S / "kustomization.yaml")


# Sticky by cookie, never by address.

def test_no_service_is_sticky_by_client_address():
    services = [doc for key, doc in manifests().items() if key.startswith("Service/")]
    assert len(services) == 2
    for service in services:
        assert service["spec"].get("sessionAffinity", "None") != "ClientIP", service["metadata"]["name"]


def test_the_service_reaches_the_app_on_streamlits_port():
    service, deployment = manifests()["Service/rnn-playground"], the("Deployment")
    assert service["spec"]["type"] == "ClusterIP"
    assert service["spec"]["selector"].items() <= deployment["spec"]["template"]["metadata"]["labels"].items()
    (port,) = service["spec"]["ports"]
    assert container_port(port["targetPort"]) == STREAMLIT_PORT


def container_port(port) -> int:
    """A probe's or a Service's port, named or a number, as the app's container port it reaches."""
    if isinstance(port, int):
        return port
    (number,) = [p["containerPort"] for p in app_container()["ports"] if p["name"] == port]
    return number


def test_the_httproute_keeps_a_visitor_on_their_pod_by_cookie():
    service = manifests()["Service/rnn-playground"]
    rules = the("HTTPRoute")["spec"]["rules"]
    assert rules
    for rule in rules:
        assert [(ref["name"], ref["port"]) for ref in rule["backendRefs"]] == \
            [(service["metadata"]["name"], service["spec"]["ports"][0]["port"])]
        persistence = rule.get("sessionPersistence")
        assert persistence and persistence["type"] == "Cookie", rule
        assert persistence["sessionName"]


def test_the_ingress_keeps_a_visitor_on_their_pod_by_cookie_and_its_websocket_open():
    ingress = the("Ingress")
    notes = ingress["metadata"]["annotations"]
    assert notes["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    assert notes["nginx.ingress.kubernetes.io/affinity-mode"] == "persistent"
    for timeout in ("proxy-read-timeout", "proxy-send-timeout"):
        assert int(notes[f"nginx.ingress.kubernetes.io/{timeout}"]) >= LONG_TIMEOUT_S, timeout
    backends = [path["backend"]["service"] for rule in ingress["spec"]["rules"] for path in rule["http"]["paths"]]
    assert backends == [{"name": "rnn-playground", "port": {"name": "http"}}]


# The app's pods.

def test_every_probe_asks_streamlits_health_endpoint():
    container = app_container()
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        check = container[probe]["httpGet"]
        assert check["path"] == HEALTH, probe
        assert container_port(check["port"]) == STREAMLIT_PORT, probe


def test_the_database_url_comes_from_the_generated_secret_never_a_literal():
    generated = {generator["name"] for generator in load(K8S / "kustomization.yaml")["secretGenerator"]}
    (db,) = [env for env in app_container()["env"] if env["name"] == "RNN_CLASS_DB"]
    assert "value" not in db, "a literal URL would put the database's password in the manifest"
    assert db["valueFrom"]["secretKeyRef"]["name"] in generated
    postgres = the("StatefulSet")["spec"]["template"]["spec"]["containers"][0]
    (password,) = [env for env in postgres["env"] if env["name"] == "POSTGRES_PASSWORD"]
    assert "value" not in password and password["valueFrom"]["secretKeyRef"]["name"] in generated
    for doc in manifests().values():
        assert "postgresql://" not in json.dumps(doc) and "postgresql+" not in json.dumps(doc)
    assert "/deploy/k8s/class-db.env" in (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()


def test_a_stopping_pod_leaves_time_for_its_websockets():
    pod = the("Deployment")["spec"]["template"]["spec"]
    sleep = app_container()["lifecycle"]["preStop"]["exec"]["command"]
    assert sleep[0] == "sleep"
    assert 0 < int(sleep[1]) < pod["terminationGracePeriodSeconds"]


def test_the_autoscaler_scales_the_real_deployment_on_cpu():
    hpa, deployment = the("HorizontalPodAutoscaler"), the("Deployment")
    target = hpa["spec"]["scaleTargetRef"]
    assert (target["apiVersion"], target["kind"], target["name"]) == \
        (deployment["apiVersion"], deployment["kind"], deployment["metadata"]["name"])
    (metric,) = hpa["spec"]["metrics"]
    assert metric["resource"]["name"] == "cpu" and metric["resource"]["target"]["type"] == "Utilization"
    assert 1 < hpa["spec"]["minReplicas"] <= hpa["spec"]["maxReplicas"]
    assert "replicas" not in deployment["spec"], "the autoscaler owns the count; an apply would reset it"
    assert app_container()["resources"]["requests"]["cpu"] == "1", "utilization is of one core, one server"


# Compose: PostgreSQL beside the replicas.

def test_compose_replicas_share_a_healthy_postgresql():
    compose = load(REPO / "deploy" / "compose.yaml")
    services = compose["services"]
    db = services["db"]
    assert db["image"].startswith("postgres:")
    assert db["healthcheck"]["test"][:2] == ["CMD", "pg_isready"]
    assert "ports" not in db, "only the replicas reach the database"
    volume, mount = db["volumes"][0].split(":")
    assert mount == "/var/lib/postgresql/data" and volume in compose["volumes"]
    apps = sorted(name for name in services if name.startswith("app"))
    assert len(apps) >= 2
    for name in apps:
        url = urlsplit(services[name]["environment"]["RNN_CLASS_DB"])
        assert url.scheme == "postgresql+psycopg" and url.hostname == "db" and url.port == 5432
        assert (url.username, url.password, url.path) == \
            (db["environment"]["POSTGRES_USER"], db["environment"]["POSTGRES_PASSWORD"],
             "/" + db["environment"]["POSTGRES_DB"])
        assert services[name]["depends_on"] == {"db": {"condition": "service_healthy"}}


def test_compose_replicas_are_the_caddyfiles_upstreams():
    services = load(REPO / "deploy" / "compose.yaml")["services"]
    upstreams = set(re.findall(r"\b(app\d+):8501\b", (REPO / "deploy" / "Caddyfile").read_text(encoding="utf-8")))
    assert upstreams == {name for name in services if name.startswith("app")}
