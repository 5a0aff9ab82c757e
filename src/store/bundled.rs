//! The ontology and seed compiled into the binary (see `build.rs`), as loadable documents.

use super::load::RdfDocument;
use super::vocab::{GRAPH, ONTOLOGY_GRAPH};
use oxigraph::io::RdfFormat;
use oxigraph::io::RdfParser;
use oxigraph::model::{GraphName, NamedNode, Triple};

mod files {
    include!(concat!(env!("OUT_DIR"), "/bundled.rs"));
}

/// `ontology/*.ttl`, into the ontology graph.
pub fn ontology() -> Vec<RdfDocument> {
    files::ONTOLOGY
        .iter()
        .map(|(name, text)| {
            RdfDocument::bundled(
                name,
                text,
                RdfFormat::Turtle,
                GraphName::NamedNode(ONTOLOGY_GRAPH.into_owned()),
            )
        })
        .collect()
}

/// The statements of `ontology/*.ttl` as written, for what is derived from the vocabulary
/// itself (the JSON-LD context's terms). The files parse: a test loads them.
pub fn ontology_statements() -> Vec<Triple> {
    files::ONTOLOGY
        .iter()
        .flat_map(|(_, text)| {
            RdfParser::from_format(RdfFormat::Turtle)
                .for_slice(text.as_bytes())
                .filter_map(Result::ok)
                .map(Triple::from)
        })
        .collect()
}

/// `seed/*.trig`; each file names its own graph. Stray triples outside a GRAPH block land in the
/// graph named after the file, never in the default graph.
pub fn seed() -> Vec<RdfDocument> {
    files::SEED
        .iter()
        .map(|(name, text)| {
            let stem = name.trim_start_matches("seed/").trim_end_matches(".trig");
            let graph = NamedNode::new_unchecked(format!("{GRAPH}{stem}"));
            RdfDocument::bundled(name, text, RdfFormat::TriG, GraphName::NamedNode(graph))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_ontology_and_the_seed_are_bundled() {
        assert!(
            super::files::ONTOLOGY
                .iter()
                .any(|(name, _)| *name == "ontology/govgraph.ttl")
        );
        assert!(
            super::files::ONTOLOGY
                .iter()
                .any(|(name, _)| *name == "ontology/shapes.ttl")
        );
        assert!(
            super::files::SEED.len() >= 6,
            "one seed file per source plus the public sources"
        );
    }
}
