//! The invariants of ARCHITECTURE.md that the code's text can show: each library in its layer
//! (Oxigraph in `src/store`, petgraph in `src/graph`, actix and async-graphql in `src/api`, clap
//! in the command line), the API away from projection indices, only the write path
//! (`src/services/writes.rs`) refreshes the catalog and swaps it in, and no two files of a
//! directory refer to each other.

use std::path::{Path, PathBuf};

/// Every Rust file under `src`, with its code lines (comments left out).
fn sources() -> Vec<(PathBuf, Vec<String>)> {
    fn walk(directory: &Path, files: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(directory).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, files);
            } else if path.extension().is_some_and(|extension| extension == "rs") {
                files.push(path);
            }
        }
    }
    let root = crate::util::project_file("src");
    let mut files = Vec::new();
    walk(&root, &mut files);
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let code = std::fs::read_to_string(&path)
                .unwrap()
                .lines()
                .filter(|line| !line.trim_start().starts_with("//"))
                .map(str::to_owned)
                .collect();
            (path.strip_prefix(&root).unwrap().to_owned(), code)
        })
        .collect()
}

/// The files outside `allowed` (a path prefix under `src`) whose code contains `needle`.
fn offenders(needle: &str, allowed: &[&str]) -> Vec<String> {
    sources()
        .into_iter()
        .filter(|(path, _)| !allowed.iter().any(|prefix| path.starts_with(prefix)))
        .filter(|(_, code)| code.iter().any(|line| line.contains(needle)))
        .map(|(path, _)| path.display().to_string())
        .collect()
}

/// Each library that shapes a layer, and the only place that may name it.
#[test]
fn each_library_stays_in_its_layer() {
    assert!(!sources().is_empty());
    let layers: [(&str, &[&str]); 6] = [
        ("oxigraph", &["store"]),
        ("petgraph", &["graph"]),
        ("actix", &["api"]),
        ("async_graphql", &["api"]),
        ("clap", &["config.rs", "main.rs"]),
        // The only HTTP client talks to a replica's own store and nothing else.
        ("ureq", &["store/remote.rs"]),
    ];
    for (library, allowed) in layers {
        assert_eq!(
            offenders(library, allowed),
            Vec::<String>::new(),
            "{library} outside {allowed:?}"
        );
    }
    // The needle must find something where it is allowed, or the check proves nothing.
    assert_ne!(offenders("async_graphql", &[]), Vec::<String>::new());
}

/// A GraphQL request reads the catalog current when it started (or the one its own mutation
/// made): only the HTTP entry point takes it from the shared state, once per request.
#[test]
fn a_graphql_request_takes_the_shared_catalog_once() {
    let readers: Vec<String> = sources()
        .into_iter()
        .filter(|(path, code)| {
            path.starts_with("api/graphql") && code.iter().any(|line| line.contains("state.catalog"))
        })
        .map(|(path, _)| path.display().to_string())
        .collect();
    assert_eq!(readers, ["api/graphql/http.rs"]);
}

/// `src/graph` is pure: no files, network, environment, clock or randomness in its code (its
/// tests and the brute-force oracle left out), so a search's answer depends on its input only.
#[test]
fn the_graph_module_is_pure() {
    let impure = [
        "std::fs",
        "std::net",
        "std::env",
        "std::time",
        "Instant",
        "SystemTime",
        "rand::",
        "tracing::",
    ];
    for (path, code) in sources() {
        if !path.starts_with("graph") || path.ends_with("oracle.rs") {
            continue;
        }
        let code: Vec<&String> = code.iter().take_while(|line| !line.contains("#[cfg(test)]")).collect();
        for needle in impure {
            let line = code.iter().find(|line| line.contains(needle));
            assert!(line.is_none(), "{} uses {needle}: {line:?}", path.display());
        }
    }
}

/// The API holds entities and relations as the catalog hands them out (ids, handles), never as
/// indices into the projection, which a later catalog may number differently.
#[test]
fn the_api_never_holds_projection_indices() {
    for needle in ["NodeIndex", "EdgeIndex", ".projection."] {
        assert_eq!(
            offenders(needle, &["graph", "services"]),
            Vec::<String>::new(),
            "{needle}"
        );
    }
}

#[test]
fn only_the_write_path_refreshes_and_swaps_the_catalog() {
    assert_eq!(offenders(".refresh(", &["services/writes.rs"]), Vec::<String>::new());
    // The shared catalog is an `ArcSwap` handed to the write path as `current`.
    assert_eq!(
        offenders("current.store(", &["services/writes.rs"]),
        Vec::<String>::new()
    );
    assert_eq!(offenders("state.catalog.store(", &[]), Vec::<String>::new());
}

/// Which files each file's code (its tests left out) refers to, among the files of its own
/// directory: `super::name` and `crate::dir::name` paths, and `name` imported in a
/// `use super::{...}` group. A directory's `mod.rs` is left out: its children use its items by
/// design.
fn sibling_references() -> Vec<(String, String)> {
    let sources = sources();
    let stem = |path: &Path| path.file_stem().unwrap().to_string_lossy().into_owned();
    let mut references = Vec::new();
    for (path, code) in &sources {
        if stem(path) == "mod" {
            continue;
        }
        let directory = path.parent().unwrap();
        let module: String = directory
            .components()
            .map(|part| format!("{}::", part.as_os_str().to_string_lossy()))
            .collect();
        let siblings: Vec<String> = sources
            .iter()
            .filter(|(other, _)| other.parent() == Some(directory) && other != path && stem(other) != "mod")
            .map(|(other, _)| stem(other))
            .collect();
        let code: Vec<&String> = code.iter().take_while(|line| !line.contains("#[cfg(test)]")).collect();
        for sibling in siblings {
            let words = |line: &str| -> bool {
                let group = line.split_once("super::{").map(|(_, group)| group);
                line.contains(&format!("super::{sibling}::"))
                    || line.contains(&format!("crate::{module}{sibling}::"))
                    || line.contains(&format!("crate::{module}{{"))
                        && line
                            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                            .any(|word| word == sibling)
                    || group.is_some_and(|group| {
                        group
                            .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                            .any(|item| item == sibling || item.starts_with(&format!("{sibling}::")))
                    })
            };
            if code.iter().any(|line| words(line)) {
                references.push((
                    path.display().to_string(),
                    directory.join(format!("{sibling}.rs")).display().to_string(),
                ));
            }
        }
    }
    references
}

#[test]
fn no_two_files_refer_to_each_other() {
    let references = sibling_references();
    assert!(
        references
            .iter()
            .any(|(from, to)| from == "graph/path.rs" && to == "graph/temporal.rs"),
        "the reader finds references: {references:?}"
    );
    let cycles: Vec<&(String, String)> = references
        .iter()
        .filter(|(from, to)| from < to && references.contains(&(to.clone(), from.clone())))
        .collect();
    assert_eq!(cycles, Vec::<&(String, String)>::new());
}
