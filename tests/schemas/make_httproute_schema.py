"""Writes httproute-v1.json, the HTTPRoute schema tests/test_k8s_manifests.py validates against, from the
Gateway API's experimental CRD (the channel that has sessionPersistence):

    python tests/schemas/make_httproute_schema.py gateway.networking.k8s.io_httproutes.yaml v1.6.1

The CRD is config/crd/experimental/gateway.networking.k8s.io_httproutes.yaml of kubernetes-sigs/gateway-api
at the release named. Only the v1 schema of what a manifest writes is kept: no status (the gateway writes
that) and no descriptions (most of the CRD's size).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml

OUT = Path(__file__).with_name("httproute-v1.json")


def without_descriptions(node):
    if isinstance(node, dict):
        return {key: without_descriptions(value) for key, value in node.items() if key != "description"}
    if isinstance(node, list):
        return [without_descriptions(item) for item in node]
    return node


def main(crd_path: str, release: str) -> None:
    crd = yaml.safe_load(Path(crd_path).read_text(encoding="utf-8"))
    channel = crd["metadata"]["annotations"]["gateway.networking.k8s.io/channel"]
    bundle = crd["metadata"]["annotations"]["gateway.networking.k8s.io/bundle-version"]
    if channel != "experimental" or bundle != release:
        sys.exit(f"expected the experimental CRD of {release}, got {channel} {bundle}")
    (v1,) = [version for version in crd["spec"]["versions"] if version["name"] == "v1"]
    openapi = without_descriptions(v1["schema"]["openAPIV3Schema"])
    del openapi["properties"]["status"]
    schema = {
        "$comment": f"HTTPRoute gateway.networking.k8s.io/v1, Gateway API {release} (experimental channel), from "
                    "kubernetes-sigs/gateway-api config/crd/experimental/gateway.networking.k8s.io_httproutes.yaml; "
                    "status and descriptions dropped. Made by make_httproute_schema.py beside this file.",
        **openapi,
    }
    OUT.write_text(json.dumps(schema, indent=1, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:])
