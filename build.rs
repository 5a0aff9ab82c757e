//! Embeds the ontology, the seed and the playground into the binary, so that `govgraph serve`
//! needs no files at run time: every `ontology/*.ttl` and `seed/*.trig` becomes a `(name, text)`
//! entry, every file of `playground/dist/` a `(name, bytes)` entry.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::fmt::Write as _;
use std::path::Path;
use std::{env, fs};

fn main() {
    let root = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let mut code = String::new();
    for (constant, dir, extension) in [("ONTOLOGY", "ontology", "ttl"), ("SEED", "seed", "trig")] {
        let dir = Path::new(&root).join(dir);
        println!("cargo:rerun-if-changed={}", dir.display());
        let mut files: Vec<_> = fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
            .map(|entry| entry.expect("readable directory entry").path())
            .filter(|path| path.extension().is_some_and(|e| e == extension))
            .collect();
        files.sort();
        writeln!(code, "pub const {constant}: &[(&str, &str)] = &[").unwrap();
        for file in files {
            println!("cargo:rerun-if-changed={}", file.display());
            let name = file
                .strip_prefix(&root)
                .expect("file under the crate")
                .display()
                .to_string();
            writeln!(code, "    ({name:?}, include_str!({:?})),", file.display().to_string()).unwrap();
        }
        writeln!(code, "];").unwrap();
    }
    let out = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).to_owned();
    fs::write(out.join("bundled.rs"), &code).expect("OUT_DIR is writable");

    // The playground's built bundle, served at /playground.
    let mut code = String::new();
    let dist = Path::new(&root).join("playground/dist");
    println!("cargo:rerun-if-changed={}", dist.display());
    let mut assets: Vec<_> = fs::read_dir(&dist)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dist.display()))
        .map(|entry| entry.expect("readable directory entry").path())
        .filter(|path| path.is_file())
        .collect();
    assets.sort();
    writeln!(code, "pub const PLAYGROUND: &[(&str, &[u8])] = &[").unwrap();
    for asset in assets {
        println!("cargo:rerun-if-changed={}", asset.display());
        let name = asset.file_name().expect("a file name").to_string_lossy().into_owned();
        writeln!(
            code,
            "    ({name:?}, include_bytes!({:?})),",
            asset.display().to_string()
        )
        .unwrap();
    }
    writeln!(code, "];").unwrap();
    fs::write(out.join("playground.rs"), code).expect("OUT_DIR is writable");
}
