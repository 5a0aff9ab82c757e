"""Drives one govgraph server for bench/live/run: timed writes, paths idle and during a write
burst, and the server's resident memory meanwhile. Standard library only.

    python3 drive.py URL TOKEN PID WRITES LABEL

Prints one JSON object: milliseconds per write kind (median and mean), path latency p50/p99
idle and under a write burst, and resident memory (steady, peak during the burst).
"""

import http.client
import json
import random
import statistics
import sys
import threading
import time
import urllib.parse

url, token, pid, writes, label = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
parsed = urllib.parse.urlparse(url)


class Client:
    """One kept-alive connection, as a client library would hold."""

    def __init__(self):
        self.connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=600)

    def graphql(self, query, variables=None, admin=False):
        headers = {"content-type": "application/json"}
        if admin:
            headers["authorization"] = f"Bearer {token}"
        body = json.dumps({"query": query, "variables": variables or {}})
        started = time.perf_counter()
        self.connection.request("POST", "/graphql", body, headers)
        response = self.connection.getresponse()
        payload = json.loads(response.read())
        elapsed = (time.perf_counter() - started) * 1000
        if response.status != 200 or payload.get("errors"):
            raise SystemExit(f"{label}: {query[:60]}... failed: {response.status} {payload}")
        return payload["data"], elapsed


def rss_mib():
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def summary(values):
    return {"median_ms": round(statistics.median(values), 2), "mean_ms": round(statistics.mean(values), 2)}


CREATE = "mutation($input: EntityInput!) { createEntity(input: $input) { id } }"
RELATE = "mutation($input: RelationInput!) { createRelation(input: $input) { id } }"
UPDATE = "mutation($id: ID!, $patch: EntityPatch!) { updateEntity(id: $id, patch: $patch) { id } }"
DELETE = "mutation($id: ID!) { deleteEntity(id: $id) }"
PATH = "query($from: String!, $to: String!) { path(from: $from, to: $to, maxHops: 12) { length } }"
SOURCE = [{"document": "https://example.org/live-bench", "quote": "measured"}]

client = Client()
ids, _ = client.graphql("{ entities(first: 500) { edges { node { id } } } }")
existing = [edge["node"]["id"] for edge in ids["entities"]["edges"]]
random.seed(7)
run = f"{int(time.time() * 1000) % 1_000_000}"


def write_round(client, n, timings):
    """One entity created, related to an existing one, renamed and deleted: four writes."""
    entity = {"label": f"Live {run} {n}", "kind": "MEETING", "startDate": "2014-04", "sources": SOURCE}
    data, ms = client.graphql(CREATE, {"input": entity}, admin=True)
    timings["create entity"].append(ms)
    created = data["createEntity"]["id"]
    relation = {"source": created, "target": random.choice(existing), "kind": "DIRECT", "sources": SOURCE}
    _, ms = client.graphql(RELATE, {"input": relation}, admin=True)
    timings["create relation"].append(ms)
    _, ms = client.graphql(UPDATE, {"id": created, "patch": {"label": f"Live {run} {n} renamed"}}, admin=True)
    timings["update entity"].append(ms)
    _, ms = client.graphql(DELETE, {"id": created}, admin=True)
    timings["delete entity"].append(ms)


timings = {kind: [] for kind in ["create entity", "create relation", "update entity", "delete entity"]}
for n in range(writes):
    write_round(client, n, timings)

pairs = [(random.choice(existing), random.choice(existing)) for _ in range(200)]


def paths(client):
    latencies = []
    for source, target in pairs:
        _, ms = client.graphql(PATH, {"from": source, "to": target})
        latencies.append(ms)
    return latencies


steady = rss_mib()
idle = paths(client)

# The same paths while another connection writes without pause; memory sampled meanwhile.
burst_done = threading.Event()
burst_writes = {kind: [] for kind in timings}
peak = [steady]


def burst():
    writer = Client()
    n = writes
    while not burst_done.is_set():
        write_round(writer, n, burst_writes)
        n += 1


def sample():
    while not burst_done.is_set():
        peak[0] = max(peak[0], rss_mib())
        time.sleep(0.05)


threads = [threading.Thread(target=burst), threading.Thread(target=sample)]
for thread in threads:
    thread.start()
busy = paths(client)
burst_done.set()
for thread in threads:
    thread.join()

print(
    json.dumps(
        {
            "label": label,
            "writes": {kind: summary(values) for kind, values in timings.items()},
            "path_idle": {"p50_ms": round(percentile(idle, 0.5), 2), "p99_ms": round(percentile(idle, 0.99), 2)},
            "path_during_writes": {
                "p50_ms": round(percentile(busy, 0.5), 2),
                "p99_ms": round(percentile(busy, 0.99), 2),
                "writes_meanwhile": sum(len(values) for values in burst_writes.values()),
            },
            "rss_mib": {"steady": round(steady, 1), "peak_during_writes": round(peak[0], 1)},
        }
    )
)
