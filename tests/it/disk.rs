//! A full disk is said, not hidden: a write that would leave the disk holding the store with
//! less room than `--min-free-space` is refused as `STORAGE_FULL` (HTTP 507 on the SPARQL and
//! Graph Store endpoints), the reason is logged and shown by `/readyz`, reads go on, and once
//! space is freed writing resumes with every acknowledged write in place. The disk is a real
//! 40 MB file system (tmpfs) in a mount namespace of the server's own.

use crate::util::{Server, Workspace};
use serde_json::{Value, json};
use std::io::Write;
use std::path::{Path, PathBuf};

const TOKEN: &str = "disk-test-token";

/// Fills the file system holding `path` with one file, up to the last byte it takes.
fn fill(path: &Path) {
    let mut ballast = std::fs::File::create(path).expect("the ballast file");
    for size in [1 << 20, 4096] {
        let block = vec![0_u8; size];
        while ballast.write_all(&block).is_ok() {}
    }
}

fn create(server: &Server, id: &str) -> Value {
    let mutation = "mutation($id: ID!) { createEntity(input: { id: $id, label: $id, kind: MEETING, \
                    sources: [{ document: \"https://example.org/disk\" }] }) { id } }";
    let body = json!({ "query": mutation, "variables": { "id": id } }).to_string();
    let response = server.request(
        "POST",
        "/graphql",
        &[
            ("content-type", "application/json"),
            ("authorization", &format!("Bearer {TOKEN}")),
        ],
        Some(&body),
    );
    assert_eq!(response.status, 200, "{}", response.body);
    serde_json::from_str(&response.body).unwrap()
}

fn readiness(server: &Server) -> Value {
    let (status, body) = server.get("/readyz");
    assert_eq!(status, 200, "reads go on, so the server stays ready: {body}");
    serde_json::from_str(&body).unwrap()
}

#[test]
fn a_full_disk_refuses_writes_as_storage_full_and_writing_resumes_once_space_is_freed() {
    let workspace = Workspace::new();
    let mount = workspace.path("disk");
    std::fs::create_dir(&mount).unwrap();
    let mount = mount.display().to_string();
    // Root may mount in a mount namespace of its own; anyone else maps themselves to root in a
    // user namespace first.
    let mut wrapper = vec!["unshare", "--mount"];
    if !rustix::process::geteuid().is_root() {
        wrapper.push("--map-root-user");
    }
    wrapper.extend([
        "sh",
        "-c",
        "mount -t tmpfs -o size=40m tmpfs \"$0\" && exec \"$@\"",
        &mount,
    ]);
    let data = format!("{mount}/data");
    let server = Server::start_under(
        &wrapper,
        &["--data", &data, "--admin-token", TOKEN, "--min-free-space", "4194304"],
    );
    // The file system as the server sees it.
    let inside = PathBuf::from(format!("/proc/{}/root{mount}", server.pid()));
    assert!(inside.join("data").is_dir(), "the store is on the small file system");

    let acknowledged: Vec<String> = (0..5).map(|n| format!("before-the-disk-filled-{n}")).collect();
    for id in &acknowledged {
        let answer = create(&server, id);
        assert_eq!(answer["data"]["createEntity"]["id"], id.as_str(), "{answer}");
    }
    assert_eq!(readiness(&server)["status"], "ready");

    fill(&inside.join("ballast"));
    let refused = create(&server, "while-the-disk-is-full");
    assert_eq!(refused["errors"][0]["extensions"]["code"], "STORAGE_FULL", "{refused}");
    assert!(refused["data"].is_null(), "{refused}");
    let bearer = format!("Bearer {TOKEN}");
    let update = server.request(
        "POST",
        "/sparql/update",
        &[
            ("content-type", "application/sparql-update"),
            ("authorization", &bearer),
        ],
        Some("INSERT DATA { GRAPH <https://example.org/g> { <https://example.org/a> <https://example.org/b> 1 } }"),
    );
    assert_eq!(update.status, 507, "{}", update.body);
    let error: Value = serde_json::from_str(&update.body).unwrap();
    assert_eq!(error["error"]["code"], "STORAGE_FULL");
    assert!(
        error["error"]["message"].as_str().unwrap().contains("--min-free-space"),
        "{error}"
    );
    let upload = server.request(
        "PUT",
        "/store?graph=https%3A%2F%2Fexample.org%2Fg",
        &[("content-type", "text/turtle"), ("authorization", &bearer)],
        Some("<https://example.org/a> <https://example.org/b> 1 ."),
    );
    assert_eq!(upload.status, 507, "{}", upload.body);

    let ready = readiness(&server);
    assert_eq!(ready["status"], "degraded", "{ready}");
    assert_eq!(ready["writes"]["code"], "STORAGE_FULL", "{ready}");
    assert!(
        ready["writes"]["reason"].as_str().unwrap().contains("left on the disk"),
        "{ready}"
    );
    assert!(
        server.stderr().contains("the disk is full"),
        "logged:\n{}",
        server.stderr()
    );
    // Reads go on.
    assert_eq!(server.get("/healthz").0, 200);
    let read = server.graphql("{ entity(ref: \"before-the-disk-filled-0\") { id } }", json!({}));
    assert_eq!(read["data"]["entity"]["id"], "before-the-disk-filled-0", "{read}");

    std::fs::remove_file(inside.join("ballast")).unwrap();
    let resumed = create(&server, "after-space-was-freed");
    assert_eq!(
        resumed["data"]["createEntity"]["id"], "after-space-was-freed",
        "{resumed}"
    );
    assert_eq!(readiness(&server)["status"], "ready");
    for id in acknowledged.iter().map(String::as_str).chain(["after-space-was-freed"]) {
        let found = server.graphql("query($id: String!) { entity(ref: $id) { id } }", json!({ "id": id }));
        assert_eq!(found["data"]["entity"]["id"], id, "{found}");
    }
    server.stop();
}
