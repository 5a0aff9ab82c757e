//! The invariants of ARCHITECTURE.md that the code's text can show: only `src/store` uses
//! Oxigraph, only `src/graph` petgraph, and only the write path (`src/services/writes.rs`)
//! refreshes the catalog and swaps it in.

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

#[test]
fn only_the_store_uses_oxigraph_and_only_the_graph_module_petgraph() {
    assert!(!sources().is_empty());
    assert_eq!(offenders("oxigraph", &["store"]), Vec::<String>::new());
    assert_eq!(offenders("petgraph", &["graph"]), Vec::<String>::new());
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
