//! The documentation, checked: every example in README.md and in docs/*.md runs, and every link
//! to a local file or heading resolves. The documents are found by reading docs/, so a new one is
//! covered without touching this file. Each fenced block is run according to its language:
//!
//! - `graphql`: queries on the seed, each answering something; mutations in the order written,
//!   as the admin, on a fresh server; subscriptions on that server, opened before the mutations,
//!   each hearing of them.
//! - `sparql`: on the seed through `/sparql`; an `ASK` must be true.
//! - `sh`, `bash`: each command (a line and its `\` continuations) through `bash -c` with
//!   `set -o pipefail`, in a temporary directory holding `tests/fixtures/docs/` (the files the
//!   examples name) and a `./data` as `make serve` leaves it; `127.0.0.1:8080` is a server the
//!   test starts, `$TOKEN` its admin token, and curl fails on an HTTP error. It must succeed.
//! - `console`: each `$ ` command likewise; the lines after it are its output (`…` or `...` stand
//!   for anything), and one that shows an error (`error: ...`, `{"error": ...}`) must fail.
//!
//! What a test cannot run is skipped by one of two visible rules, and printed: a block right
//! after a `<!-- not run: WHY -->` line, or a command that starts with one of `NOT_RUN`. A block
//! in any other language without that mark fails the test.

use crate::util::{BIN, Server, Workspace, next_message, project_file, seed, serve_backend, subscribe};
use serde_json::{Value, json};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;
use tungstenite::WebSocket;

/// The admin token of the servers the examples run on (`$TOKEN` in the shell examples).
const TOKEN: &str = "docs-admin-token";

/// Commands the shell examples show that a test cannot run, and why.
const NOT_RUN: &[(&str, &str)] = &[
    ("make ", "builds and installs the tools; CI runs `make test` itself"),
    (
        "govgraph serve",
        "runs until stopped; the examples' requests go to a server the test starts",
    ),
    (
        "bench/",
        "a benchmark runs for minutes; CI runs `bench/compare --smoke`",
    ),
    ("cargo bench", "a benchmark runs for minutes"),
];

/// How many examples of each kind a document had when this test was written, at least: finding
/// fewer means the extraction broke, and an extraction that finds nothing would pass anything.
const FEWEST_GRAPHQL: &[(&str, usize)] = &[("README.md", 9), ("docs/graphql.md", 2), ("docs/curating.md", 6)];
const FEWEST_SPARQL: &[(&str, usize)] = &[("docs/cli.md", 1)];
const FEWEST_SHELL: &[(&str, usize)] = &[
    ("README.md", 3),
    ("docs/graphql.md", 2),
    ("docs/linked-data.md", 10),
    ("docs/visualization.md", 3),
    ("docs/curating.md", 2),
    ("docs/cli.md", 10),
    ("docs/operations.md", 3),
];

/// The languages this test runs; a block in another needs a `<!-- not run: ... -->` mark.
const RUN_LANGUAGES: &[&str] = &["graphql", "sparql", "sh", "bash", "console"];

/// A Markdown file of the documentation.
struct Doc {
    /// Its path from the project's root, as messages name it.
    name: String,
    text: String,
}

/// A fenced code block.
struct Block {
    language: String,
    code: String,
    /// The line of its opening fence, from 1.
    line: usize,
    /// Why it is not run, when the line before it says so.
    not_run: Option<String>,
}

/// One command of a shell example, and for a `console` example the output it shows.
struct ShellCommand {
    line: usize,
    text: String,
    output: Option<String>,
}

/// README.md, then every Markdown file of docs/, by name.
fn documents() -> Vec<Doc> {
    let mut names = vec!["README.md".to_owned()];
    let mut in_docs: Vec<String> = std::fs::read_dir(project_file("docs"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".md"))
        .map(|name| format!("docs/{name}"))
        .collect();
    in_docs.sort();
    names.extend(in_docs);
    names
        .into_iter()
        .map(|name| Doc {
            text: std::fs::read_to_string(project_file(&name)).unwrap(),
            name,
        })
        .collect()
}

fn blocks(doc: &Doc) -> Vec<Block> {
    let lines: Vec<&str> = doc.text.lines().collect();
    let mut blocks = Vec::new();
    let mut index = 0;
    while index < lines.len() {
        let Some(language) = lines[index].trim_start().strip_prefix("```") else {
            index += 1;
            continue;
        };
        // A block inside a list item is indented: its lines lose the fence's indentation.
        let indent = lines[index].len() - lines[index].trim_start().len();
        let not_run = index
            .checked_sub(1)
            .and_then(|previous| lines[previous].trim().strip_prefix("<!-- not run:"))
            .and_then(|mark| mark.strip_suffix("-->"))
            .map(|why| why.trim().to_owned());
        let opening = index;
        let mut code = String::new();
        index += 1;
        while index < lines.len() && lines[index].trim() != "```" {
            code.push_str(lines[index].get(indent..).unwrap_or(lines[index].trim_start()));
            code.push('\n');
            index += 1;
        }
        blocks.push(Block {
            language: language.trim().to_owned(),
            code,
            line: opening + 1,
            not_run,
        });
        index += 1;
    }
    blocks
}

/// The blocks of `doc` in one of `languages` that are to run; the others are reported as skipped.
fn runnable<'a>(doc: &Doc, all: &'a [Block], languages: &[&str]) -> Vec<&'a Block> {
    all.iter()
        .filter(|block| languages.contains(&block.language.as_str()))
        .filter(|block| match &block.not_run {
            Some(why) => {
                eprintln!(
                    "not run: {}:{}: a {} block ({why})",
                    doc.name, block.line, block.language
                );
                false
            }
            None => true,
        })
        .collect()
}

#[track_caller]
fn assert_no_failures(failures: &[String]) {
    assert!(
        failures.is_empty(),
        "{} failing documentation example(s):\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

fn fewest(table: &[(&str, usize)], doc: &Doc) -> usize {
    table
        .iter()
        .find(|(name, _)| *name == doc.name)
        .map_or(0, |(_, count)| *count)
}

// ---- GraphQL ----

/// The operations of a `graphql` block: each starts at a line that opens one, comments dropped.
fn graphql_operations(code: &str) -> Vec<String> {
    let mut operations = Vec::new();
    let mut current = String::new();
    for line in code.lines() {
        let opens_operation = ["{", "query", "mutation", "subscription"]
            .iter()
            .any(|keyword| line.starts_with(keyword));
        if opens_operation && !current.trim().is_empty() {
            operations.push(std::mem::take(&mut current));
        }
        if !line.trim_start().starts_with('#') {
            current.push_str(line);
            current.push('\n');
        }
    }
    if !current.trim().is_empty() {
        operations.push(current);
    }
    operations
}

/// `query`, `mutation` or `subscription` (a bare selection set is a query).
fn operation_kind(operation: &str) -> &'static str {
    let operation = operation.trim_start();
    ["mutation", "subscription"]
        .into_iter()
        .find(|kind| operation.starts_with(kind))
        .unwrap_or("query")
}

fn post_graphql(server: &Server, operation: &str, token: Option<&str>) -> Value {
    let body = json!({ "query": operation }).to_string();
    let bearer = token.map(|token| format!("Bearer {token}"));
    let mut headers = vec![("content-type", "application/json")];
    if let Some(bearer) = &bearer {
        headers.push(("authorization", bearer));
    }
    let response = server.request("POST", "/graphql", &headers, Some(&body));
    serde_json::from_str(&response.body).unwrap_or_else(|_| json!({ "errors": [response.body] }))
}

/// A query must answer something: its first field neither null nor empty.
fn query_failure(query: &str) -> Option<String> {
    let response = post_graphql(seed(), query, None);
    let first = response["data"].as_object().and_then(|fields| fields.values().next());
    let answered =
        response.get("errors").is_none() && first.is_some_and(|value| !value.is_null() && value != &json!([]));
    (!answered).then(|| format!("{query}answered nothing: {response:#}"))
}

/// A write of the test's own, after the examples': a subscriber has heard everything once it has
/// heard of this.
const PROBE: &str = r#"mutation { createEntity(input: { label: "Docs probe", kind: ORGANIZATION,
  sources: [{ document: "https://example.org/docs-probe" }] }) { id } }"#;

/// Whether `socket` hears events, and nothing else, up to the probe's (known by its `entityId`,
/// which a subscription example therefore selects).
fn subscription_failure(subscription: &str, socket: &mut WebSocket<TcpStream>) -> Option<String> {
    loop {
        let message = next_message(socket);
        let event = &message["payload"]["data"]["graphChanged"];
        if message["type"] != "next" || message["payload"].get("errors").is_some() || event.is_null() {
            return Some(format!("{subscription}sent {message:#}"));
        }
        if event["entityId"] == "docs-probe" {
            return None;
        }
    }
}

/// The mutations of one document in order as the admin, heard by its subscriptions.
fn write_failures(mutations: &[&str], subscriptions: &[&str]) -> Vec<String> {
    let workspace = Workspace::new();
    let (_store, server) = serve_backend(&workspace, None, &["--admin-token", TOKEN]);
    let mut sockets: Vec<_> = subscriptions
        .iter()
        .map(|subscription| subscribe(&server, subscription))
        .collect();
    // The server registers a subscription after acknowledging the connection.
    std::thread::sleep(Duration::from_millis(200));
    let mut failures: Vec<String> = mutations
        .iter()
        .filter_map(|mutation| {
            let response = post_graphql(&server, mutation, Some(TOKEN));
            response
                .get("errors")
                .map(|_| format!("{mutation}failed: {response:#}"))
        })
        .collect();
    if !subscriptions.is_empty() {
        let probe = post_graphql(&server, PROBE, Some(TOKEN));
        assert!(probe.get("errors").is_none(), "the probe write failed: {probe:#}");
        failures.extend(
            subscriptions
                .iter()
                .zip(&mut sockets)
                .filter_map(|(subscription, socket)| subscription_failure(subscription, socket)),
        );
    }
    failures
}

#[test]
fn graphql_examples_run_on_the_seed() {
    let mut failures = Vec::new();
    for doc in documents() {
        let all = blocks(&doc);
        let mut operations = Vec::new();
        for block in runnable(&doc, &all, &["graphql"]) {
            let found = graphql_operations(&block.code);
            assert!(
                !found.is_empty(),
                "{}:{}: no operation found in the block",
                doc.name,
                block.line
            );
            operations.extend(found);
        }
        assert!(
            operations.len() >= fewest(FEWEST_GRAPHQL, &doc),
            "{}: found only {} GraphQL examples",
            doc.name,
            operations.len()
        );
        let of_kind = |kind: &str| -> Vec<&str> {
            operations
                .iter()
                .map(String::as_str)
                .filter(|operation| operation_kind(operation) == kind)
                .collect()
        };
        let (queries, mutations, subscriptions) = (of_kind("query"), of_kind("mutation"), of_kind("subscription"));
        let in_doc = |failure: String| format!("{}: {failure}", doc.name);
        failures.extend(queries.iter().filter_map(|query| query_failure(query)).map(in_doc));
        if !mutations.is_empty() || !subscriptions.is_empty() {
            failures.extend(write_failures(&mutations, &subscriptions).into_iter().map(in_doc));
        }
        eprintln!(
            "{}: ran {} GraphQL examples ({} mutations, {} subscriptions)",
            doc.name,
            operations.len(),
            mutations.len(),
            subscriptions.len()
        );
    }
    assert_no_failures(&failures);
}

// ---- SPARQL ----

fn sparql_failure(query: &str) -> Option<String> {
    let headers = [
        ("content-type", "application/sparql-query"),
        ("accept", "application/sparql-results+json"),
    ];
    let response = seed().request("POST", "/sparql", &headers, Some(query));
    let results: Option<Value> = serde_json::from_str(&response.body).ok();
    let false_ask = results.is_some_and(|results| results["boolean"] == json!(false));
    (response.status != 200 || false_ask).then(|| format!("{query}answered {}: {}", response.status, response.body))
}

#[test]
fn sparql_examples_run_on_the_seed() {
    let mut failures = Vec::new();
    for doc in documents() {
        let all = blocks(&doc);
        let queries = runnable(&doc, &all, &["sparql"]);
        assert!(
            queries.len() >= fewest(FEWEST_SPARQL, &doc),
            "{}: found only {} SPARQL examples",
            doc.name,
            queries.len()
        );
        failures.extend(
            queries
                .iter()
                .filter_map(|block| sparql_failure(&block.code))
                .map(|failure| format!("{}: {failure}", doc.name)),
        );
    }
    assert_no_failures(&failures);
}

// ---- Shell ----

/// The commands of an `sh` or `bash` block: comment lines dropped, continuations joined.
fn script_commands(block: &Block) -> Vec<ShellCommand> {
    let mut commands: Vec<ShellCommand> = Vec::new();
    let mut continues = false;
    for (offset, line) in block.code.lines().enumerate() {
        if continues {
            let command = commands.last_mut().expect("a continued command");
            command.text.push('\n');
            command.text.push_str(line);
        } else if !line.trim().is_empty() && !line.trim_start().starts_with('#') {
            commands.push(ShellCommand {
                line: block.line + 1 + offset,
                text: line.to_owned(),
                output: None,
            });
        } else {
            continue;
        }
        continues = line.ends_with('\\');
    }
    commands
}

/// The commands of a `console` block (`$ ` lines and their continuations), each with the lines
/// after it as its output.
fn console_commands(block: &Block) -> Vec<ShellCommand> {
    let mut commands: Vec<ShellCommand> = Vec::new();
    let mut continues = false;
    for (offset, line) in block.code.lines().enumerate() {
        if let Some(command) = line.strip_prefix("$ ") {
            commands.push(ShellCommand {
                line: block.line + 1 + offset,
                text: command.to_owned(),
                output: Some(String::new()),
            });
        } else if let Some(last) = commands.last_mut() {
            let target = if continues {
                &mut last.text
            } else {
                last.output.get_or_insert_with(String::new)
            };
            if !target.is_empty() {
                target.push('\n');
            }
            target.push_str(line);
        }
        continues = line.ends_with('\\');
    }
    commands
}

/// Whether `actual` is `expected`, where `…` and `...` in `expected` stand for anything.
fn matches_output(expected: &str, actual: &str) -> bool {
    let expected = expected.trim().replace("...", "…");
    let actual = actual.trim();
    let pieces: Vec<&str> = expected.split('…').collect();
    if pieces.len() == 1 {
        return actual == expected;
    }
    let (first, last) = (pieces[0], pieces[pieces.len() - 1]);
    if !actual.starts_with(first) || !actual[first.len()..].ends_with(last) {
        return false;
    }
    let mut rest = &actual[first.len()..actual.len() - last.len()];
    for piece in &pieces[1..pieces.len() - 1] {
        match rest.find(piece) {
            Some(at) => rest = &rest[at + piece.len()..],
            None => return false,
        }
    }
    true
}

fn shows_error(output: &str) -> bool {
    let output = output.trim_start();
    output.starts_with("error:") || output.starts_with("{\"error\"")
}

/// Run before each command: a pipeline fails if any part does, and curl fails on an HTTP error
/// status (printing the body), as a script would want.
const PRELUDE: &str = "set -o pipefail\n\
    curl() { command curl --fail-with-body --show-error --max-time 60 \"$@\"; }\n";

/// A directory as a reader's would be after `make serve`: the seed in `./data` (the server
/// stopped), the files the examples name, and `govgraph` on the `PATH`.
fn reader_directory() -> Workspace {
    let workspace = Workspace::new();
    Server::start(&["--data", &workspace.data()]).stop();
    for entry in std::fs::read_dir(project_file("tests/fixtures/docs")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, workspace.path(&path.file_name().unwrap().to_string_lossy())).unwrap();
    }
    std::fs::create_dir(workspace.path(".bin")).unwrap();
    std::os::unix::fs::symlink(BIN, workspace.path(".bin/govgraph")).unwrap();
    workspace
}

struct Outcome {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run_in(directory: &Workspace, server: &Server, command: &str) -> Outcome {
    let address = server.base.trim_start_matches("http://");
    let command = command
        .replace("127.0.0.1:8080", address)
        .replace("localhost:8080", address);
    let path = format!(
        "{}:{}",
        directory.path(".bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut bash = Command::new("bash");
    bash.arg("-c")
        .arg(format!("{PRELUDE}{command}"))
        .current_dir(directory.dir.path())
        .env("PATH", path)
        .env("TOKEN", TOKEN);
    // The reader's settings of the test machine would change what the commands do.
    for (name, _) in std::env::vars().filter(|(name, _)| name.starts_with("GOVGRAPH_")) {
        bash.env_remove(name);
    }
    let output = bash.output().unwrap();
    Outcome {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn command_failure(doc: &Doc, command: &ShellCommand, outcome: &Outcome) -> Option<String> {
    let expects_failure = command.output.as_deref().is_some_and(shows_error);
    let status_ok = (outcome.code == Some(0)) != expects_failure;
    let output_ok = command.output.as_deref().is_none_or(|expected| {
        expected.trim().is_empty()
            || matches_output(expected, &outcome.stdout)
            || matches_output(expected, &outcome.stderr)
    });
    (!status_ok || !output_ok).then(|| {
        format!(
            "{}:{}: {}\nexit code: {:?}{}{}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            doc.name,
            command.line,
            command.text,
            outcome.code,
            if expects_failure {
                " (a failure was expected)"
            } else {
                ""
            },
            command
                .output
                .as_deref()
                .map(|expected| format!("\n--- expected output ---\n{expected}"))
                .unwrap_or_default(),
            outcome.stdout,
            outcome.stderr
        )
    })
}

fn skip_reason(command: &ShellCommand) -> Option<&'static str> {
    NOT_RUN
        .iter()
        .find(|(prefix, _)| command.text.trim_start().starts_with(prefix))
        .map(|(_, why)| *why)
}

/// Runs a document's shell examples in order, in one directory, against one server; the
/// failures, and how many commands ran.
fn shell_failures(doc: &Doc) -> (Vec<String>, usize) {
    let all = blocks(doc);
    let commands: Vec<ShellCommand> = runnable(doc, &all, &["sh", "bash", "console"])
        .into_iter()
        .flat_map(|block| match block.language.as_str() {
            "console" => console_commands(block),
            _ => script_commands(block),
        })
        .filter(|command| match skip_reason(command) {
            Some(why) => {
                eprintln!("not run: {}:{}: {} ({why})", doc.name, command.line, command.text);
                false
            }
            None => true,
        })
        .collect();
    if commands.is_empty() {
        return (Vec::new(), 0);
    }
    let directory = reader_directory();
    let server = Server::start(&["--memory", "--admin-token", TOKEN]);
    let failures = commands
        .iter()
        .filter_map(|command| command_failure(doc, command, &run_in(&directory, &server, &command.text)))
        .collect();
    (failures, commands.len())
}

#[test]
fn shell_examples_run() {
    let documents = documents();
    let results: Vec<(Vec<String>, usize)> = std::thread::scope(|scope| {
        let runs: Vec<_> = documents
            .iter()
            .map(|doc| scope.spawn(|| shell_failures(doc)))
            .collect();
        runs.into_iter().map(|run| run.join().unwrap()).collect()
    });
    let mut failures = Vec::new();
    for (doc, (doc_failures, ran)) in documents.iter().zip(results) {
        eprintln!("{}: ran {ran} shell examples", doc.name);
        if ran < fewest(FEWEST_SHELL, doc) {
            failures.push(format!("{}: found only {ran} shell examples to run", doc.name));
        }
        failures.extend(doc_failures);
    }
    assert_no_failures(&failures);
}

#[test]
fn every_block_is_run_or_says_why_not() {
    let unknown: Vec<String> = documents()
        .iter()
        .flat_map(|doc| {
            blocks(doc)
                .into_iter()
                .filter(|block| block.not_run.is_none() && !RUN_LANGUAGES.contains(&block.language.as_str()))
                .map(|block| {
                    format!(
                        "{}:{}: a `{}` block the test cannot run: make it one of {RUN_LANGUAGES:?} or mark it \
                         `<!-- not run: WHY -->`",
                        doc.name, block.line, block.language
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect();
    assert_no_failures(&unknown);
}

// ---- Links ----

/// GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|character| match character {
            ' ' => Some('-'),
            '-' | '_' => Some(character),
            _ if character.is_alphanumeric() => Some(character),
            _ => None,
        })
        .collect()
}

/// The anchors of a Markdown file's headings (code blocks left out).
fn anchors(text: &str) -> Vec<String> {
    let mut in_code = false;
    let mut anchors = Vec::new();
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
        } else if !in_code && line.starts_with('#') {
            anchors.push(anchor(line.trim_start_matches('#')));
        }
    }
    anchors
}

/// The targets of a text's Markdown links: what is inside `](...)`.
fn link_targets(text: &str) -> Vec<&str> {
    text.split("](")
        .skip(1)
        .filter_map(|rest| rest.split_once(')').map(|(target, _)| target))
        .collect()
}

fn link_failure(doc: &Doc, target: &str) -> Option<String> {
    if target.contains("://") || target.starts_with("mailto:") {
        return None;
    }
    let (file, heading) = target.split_once('#').unwrap_or((target, ""));
    let path: PathBuf = if file.is_empty() {
        project_file(&doc.name)
    } else {
        project_file(&doc.name).parent().unwrap().join(file)
    };
    if !path.exists() {
        return Some(format!(
            "{}: the link ({target}) names a file that does not exist",
            doc.name
        ));
    }
    let heading_found = heading.is_empty()
        || anchors(&std::fs::read_to_string(&path).unwrap())
            .iter()
            .any(|a| a == heading);
    (!heading_found).then(|| format!("{}: the link ({target}) names a heading that does not exist", doc.name))
}

#[test]
fn local_links_resolve() {
    let failures: Vec<String> = documents()
        .iter()
        .flat_map(|doc| {
            link_targets(&doc.text)
                .into_iter()
                .filter_map(|target| link_failure(doc, target))
                .collect::<Vec<_>>()
        })
        .collect();
    assert_no_failures(&failures);
}

#[test]
fn the_readme_links_every_doc() {
    let readme = std::fs::read_to_string(project_file("README.md")).unwrap();
    let linked: Vec<&str> = link_targets(&readme);
    let unlinked: Vec<String> = documents()
        .into_iter()
        .filter(|doc| doc.name.starts_with("docs/"))
        .filter(|doc| {
            !linked
                .iter()
                .any(|target| Path::new(target.split('#').next().unwrap()) == Path::new(&doc.name))
        })
        .map(|doc| format!("README.md does not link {}", doc.name))
        .collect();
    assert_no_failures(&unlinked);
}

#[test]
fn output_patterns_match_what_they_show() {
    assert!(matches_output("{\"a\":\"…\",\"b\":1}", "{\"a\":\"x\",\"b\":1}"));
    assert!(matches_output("{\"a\":1,...}", "{\"a\":1,\"b\":2}"));
    assert!(!matches_output("{\"a\":1,...}", "{\"a\":2,\"b\":2}"));
    assert!(!matches_output("{\"a\":1}", "{\"a\":1,\"b\":2}"));
    assert!(!matches_output("a…b…b", "ab"));
    assert!(matches_output("error: exact", "error: exact\n"));
    assert!(!matches_output("error: exact", "error: exactly"));
}
