#!/usr/bin/python3
"""deploy/kubernetes stays honest: what its manifests say matches the server.

Checks, on the manifests as committed:
- every file parses as YAML; every document has apiVersion, kind and a name, and no
  namespace (the manifests go into whatever namespace they are applied to);
- kustomization.yaml lists every manifest of the folder, and nothing that is not there;
- every SSR_* variable the manifests set is a setting of src/server/config.cpp, or one of the
  fleet's (SSR_ROLE, SSR_ADVERTISE_URL, SSR_WORKER_HEARTBEAT_MS, SSR_WORKER_LEASE_MS);
- each Deployment's container runs `--role api` or `--role worker`, probes GET /livez
  (liveness) and GET /readyz (readiness) on the port it listens on (SSR_LISTEN), and mounts
  the ReadWriteMany claim at SSR_DATA_DIR; $(VAR) in args names a variable the container has;
  runAsNonRoot comes with a numeric runAsUser (the image's USER is a name);
- the worker advertises its pod IP (the downward API), sets SSR_MAX_LIVE_RECORDINGS (0 would
  count the node's cores, not the pod's), gives SIGTERM's drain enough time
  (terminationGracePeriodSeconds >= shutdown_grace_s + one heartbeat + each running part
  finished one after another, at most PART_CLOSE_S each: the worker that takes the session
  over stores them), and has a PodDisruptionBudget.

Then it breaks copies of the manifests one way at a time and checks that each is caught, so
that the checks themselves cannot silently stop checking. Python 3 with PyYAML (python3-yaml).
"""

import copy
import os
import re
import sys

import yaml

ROOT = os.environ.get("SSR_SOURCE_DIR") or os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MANIFESTS = os.path.join(ROOT, "deploy", "kubernetes")
CONFIG_CPP = os.path.join(ROOT, "src", "server", "config.cpp")
FLEET_VARIABLES = {"SSR_ROLE", "SSR_ADVERTISE_URL", "SSR_WORKER_HEARTBEAT_MS",
                   "SSR_WORKER_LEASE_MS"}
# Finishing one running part at the stop (the encoder flushed, the cues written), at most: the
# worker that takes the session over stores it, not the draining one (about 0.1 s measured for
# each of three parts, docs/scaling.md "Drain").
PART_CLOSE_S = 2
# Defaults of src/server/config.h and the fleet contract, when the manifests leave them out.
DEFAULT_SHUTDOWN_GRACE_S = 10
DEFAULT_HEARTBEAT_MS = 1000


def setting_variables():
    with open(CONFIG_CPP) as f:
        names = set(re.findall(r'"(SSR_[A-Z0-9_]+)"', f.read()))
    assert "SSR_DATABASE_URL" in names and "SSR_S3_BUCKET" in names, \
        "config.cpp no longer names its variables as string literals: update this test"
    return names | FLEET_VARIABLES


def load():
    """{file name: [documents]} of the folder."""
    docs = {}
    for name in sorted(os.listdir(MANIFESTS)):
        if name.endswith((".yaml", ".yml")):
            with open(os.path.join(MANIFESTS, name)) as f:
                docs[name] = [d for d in yaml.safe_load_all(f) if d is not None]
    return docs


def of_kind(docs, kind):
    return [d for name, ds in docs.items() if name != "kustomization.yaml"
            for d in ds if d.get("kind") == kind]


def component(doc):
    return doc.get("metadata", {}).get("labels", {}).get("app.kubernetes.io/component")


def env_of(container, docs):
    """The container's variables: env entries, then ConfigMaps and Secrets it takes whole."""
    values = {}
    for ref in container.get("envFrom", []):
        for kind, key in (("ConfigMap", "configMapRef"), ("Secret", "secretRef")):
            if key in ref:
                for d in of_kind(docs, kind):
                    if d["metadata"]["name"] == ref[key]["name"]:
                        values.update(d.get("data") or {})
                        values.update(d.get("stringData") or {})
    for e in container.get("env", []):
        values[e["name"]] = e.get("value", e.get("valueFrom"))
    return values


def check(docs):
    problems = []
    known = setting_variables()

    # Every document: a kind, a name, no namespace.
    for name, ds in docs.items():
        if not ds:
            problems.append(f"{name}: no document")
        for d in ds:
            if not isinstance(d, dict) or not d.get("apiVersion") or not d.get("kind"):
                problems.append(f"{name}: a document without apiVersion or kind")
                continue
            if name != "kustomization.yaml" and not d.get("metadata", {}).get("name"):
                problems.append(f"{name}: {d['kind']} without a name")
            if d.get("metadata", {}).get("namespace"):
                problems.append(f"{name}: {d['kind']} names a namespace")

    # kustomization.yaml lists every manifest.
    kustomization = (docs.get("kustomization.yaml") or [{}])[0]
    listed = set(kustomization.get("resources") or [])
    present = set(docs) - {"kustomization.yaml"}
    for missing in sorted(present - listed):
        problems.append(f"kustomization.yaml does not list {missing}")
    for extra in sorted(listed - present):
        problems.append(f"kustomization.yaml lists {extra}, which is not in deploy/kubernetes")

    # Every SSR_* variable is a setting.
    for name, ds in docs.items():
        text = yaml.safe_dump_all(ds)
        for var in sorted(set(re.findall(r"\bSSR_[A-Z0-9_]+\b", text)) - known):
            problems.append(f"{name}: {var} is not a setting of src/server/config.cpp "
                            "nor of the fleet")

    claims = {d["metadata"]["name"]: d for d in of_kind(docs, "PersistentVolumeClaim")}
    deployments = {component(d): d for d in of_kind(docs, "Deployment")}
    for role in ("api", "worker"):
        if role not in deployments:
            problems.append(f"no Deployment labelled app.kubernetes.io/component: {role}")
    for role, d in deployments.items():
        where = f"Deployment {d['metadata']['name']}"
        pod = d["spec"]["template"]["spec"]
        containers = pod.get("containers", [])
        if len(containers) != 1:
            problems.append(f"{where}: expected one container")
            continue
        c = containers[0]
        env = env_of(c, docs)
        args = [str(a) for a in c.get("args", [])]
        if args[:2] != ["--role", role]:
            problems.append(f"{where}: args must start with --role {role}, not {args[:2]}")
        for ref in re.findall(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)", " ".join(args)):
            if ref not in env:
                problems.append(f"{where}: args use $({ref}), which the container does not set")

        # Probes on the port the server listens on.
        listen = str(env.get("SSR_LISTEN", ""))
        port = int(listen.rsplit(":", 1)[1]) if ":" in listen else None
        if port is None:
            problems.append(f"{where}: SSR_LISTEN is not set to HOST:PORT")
        ports = {p.get("name"): p["containerPort"] for p in c.get("ports", [])}
        if port not in ports.values():
            problems.append(f"{where}: no containerPort {port} (SSR_LISTEN {listen})")
        for probe, path in (("livenessProbe", "/livez"), ("readinessProbe", "/readyz"),
                            ("startupProbe", None)):
            spec = c.get(probe)
            if spec is None:
                if path:
                    problems.append(f"{where}: no {probe}")
                continue
            get = spec.get("httpGet") or {}
            if (path and get.get("path") != path) or \
                    (not path and get.get("path") not in ("/livez", "/readyz")):
                problems.append(f"{where}: {probe} asks {get.get('path')}, not {path}")
            target = get.get("port")
            if ports.get(target, target) != port:
                problems.append(f"{where}: {probe} asks port {target}, not {port}")

        # The image's USER is a name: runAsNonRoot needs a numeric runAsUser to be checked.
        security = {**(pod.get("securityContext") or {}), **(c.get("securityContext") or {})}
        if security.get("runAsNonRoot") and not isinstance(security.get("runAsUser"), int):
            problems.append(f"{where}: runAsNonRoot without a numeric runAsUser (the image's "
                            "user is a name, which the kubelet cannot check)")

        # The shared data directory.
        data_dir = env.get("SSR_DATA_DIR")
        mounts = {m["mountPath"]: m["name"] for m in c.get("volumeMounts", [])}
        volumes = {v["name"]: v for v in pod.get("volumes", [])}
        volume = volumes.get(mounts.get(data_dir), {})
        claim = claims.get((volume.get("persistentVolumeClaim") or {}).get("claimName"))
        if not data_dir or claim is None:
            problems.append(f"{where}: SSR_DATA_DIR ({data_dir}) is not a mounted claim")
        elif "ReadWriteMany" not in claim["spec"].get("accessModes", []):
            problems.append(f"{where}: the data directory's claim is not ReadWriteMany")

        if role != "worker":
            continue
        # The worker: its pod IP advertised, its capacity set, time to drain.
        if "--advertise" not in args or "$(POD_IP)" not in args[args.index("--advertise") + 1]:
            problems.append(f"{where}: --advertise must be built from $(POD_IP)")
        pod_ip = [e for e in c.get("env", []) if e["name"] == "POD_IP"]
        if not pod_ip or pod_ip[0].get("valueFrom", {}).get("fieldRef", {}).get(
                "fieldPath") != "status.podIP":
            problems.append(f"{where}: POD_IP must come from status.podIP (downward API)")
        capacity = int(env.get("SSR_MAX_LIVE_RECORDINGS") or 0)
        if capacity <= 0:
            problems.append(f"{where}: SSR_MAX_LIVE_RECORDINGS must be set (> 0)")
        grace_s = int(env.get("SSR_SHUTDOWN_GRACE_S", DEFAULT_SHUTDOWN_GRACE_S))
        heartbeat_s = int(env.get("SSR_WORKER_HEARTBEAT_MS", DEFAULT_HEARTBEAT_MS)) / 1000
        drain_s = grace_s + heartbeat_s + max(capacity, 1) * PART_CLOSE_S
        termination_s = pod.get("terminationGracePeriodSeconds", 30)
        if termination_s < drain_s:
            problems.append(f"{where}: terminationGracePeriodSeconds {termination_s} < the "
                            f"drain's {drain_s:g} s ({grace_s} + {heartbeat_s:g} + {capacity} "
                            f"parts x {PART_CLOSE_S} s)")
        labels = d["spec"]["template"]["metadata"]["labels"]
        budgets = [b for b in of_kind(docs, "PodDisruptionBudget")
                   if b["spec"]["selector"].get("matchLabels", {}).items() <= labels.items()]
        if not budgets:
            problems.append(f"{where}: no PodDisruptionBudget selects the workers")
    return problems


def breakages(docs):
    """(what, broken copy of docs) for each way the checks must catch."""

    def with_change(change):
        broken = copy.deepcopy(docs)
        change(broken)
        return broken

    def worker(ds):
        return next(d for d in of_kind(ds, "Deployment") if component(d) == "worker")

    def container(ds, role="worker"):
        return next(d for d in of_kind(ds, "Deployment")
                    if component(d) == role)["spec"]["template"]["spec"]["containers"][0]

    def short_grace(ds):
        worker(ds)["spec"]["template"]["spec"]["terminationGracePeriodSeconds"] = 20

    def unlisted(ds):
        ds["kustomization.yaml"][0]["resources"].pop()

    def invented_variable(ds):
        of_kind(ds, "ConfigMap")[0]["data"]["SSR_RECORDER_THREADS"] = "4"

    def wrong_liveness(ds):
        container(ds, "api")["livenessProbe"]["httpGet"]["path"] = "/healthz"

    def wrong_port(ds):
        container(ds)["readinessProbe"]["httpGet"]["port"] = 9090

    def fixed_advertise(ds):
        c = container(ds)
        c["args"][c["args"].index("--advertise") + 1] = "http://worker:8080"

    def no_budget(ds):
        for name in ds:
            ds[name] = [d for d in ds[name] if d.get("kind") != "PodDisruptionBudget"]

    def namespaced(ds):
        of_kind(ds, "Service")[0]["metadata"]["namespace"] = "classes"

    def user_by_name(ds):
        worker(ds)["spec"]["template"]["spec"]["securityContext"].pop("runAsUser")

    def one_writer_volume(ds):
        of_kind(ds, "PersistentVolumeClaim")[0]["spec"]["accessModes"] = ["ReadWriteOnce"]

    return [(f.__name__, with_change(f)) for f in (
        short_grace, unlisted, invented_variable, wrong_liveness, wrong_port, fixed_advertise,
        no_budget, namespaced, user_by_name, one_writer_volume)]


def main():
    docs = load()
    problems = check(docs)
    for p in problems:
        print("FAIL:", p)
    for what, broken in breakages(docs):
        if not check(broken):
            problems.append(what)
            print(f"FAIL: the manifests broken by {what} pass the checks")
    if problems:
        return 1
    print(f"ok: {len(docs)} files in deploy/kubernetes; each of {len(breakages(docs))} "
          "breakages is caught")
    return 0


if __name__ == "__main__":
    sys.exit(main())
