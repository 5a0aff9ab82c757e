//! The change feed: what each write through a replica changed, kept in the remote store beside
//! the change log, so that the other replicas apply the changes made after their version instead
//! of pulling the whole dataset again (as RDF Delta keeps Fuseki replicas in step).
//!
//! An entry is `{CHANGE}{number}` in the meta graph, with its number, the head it leads to, the
//! fingerprint the change was logged with, and its patch: RDF Patch rows (`A` adds, `D` deletes
//! a quad written as in N-Quads) in the order the write made them. A write whose effect a patch
//! cannot state (a SPARQL Update runs operations, not quads) or whose patch passes
//! [`PATCH_MAX_BYTES`] leaves no entry: the gap in the numbers sends replicas to a full pull. The
//! store keeps the last [`FEED_KEPT`] entries; a replica further behind pulls everything.

use super::StoreError;
use super::version::record_change;
use super::vocab::{
    CHANGE, DATASET, GG_CHANGE_NUMBER, GG_FINGERPRINT, GG_PATCH, GG_VERSION, META_GRAPH, ONTOLOGY_GRAPH, id_namespace,
    rel_namespace,
};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphNameRef, Literal, NamedOrBlankNode, Quad};
use oxigraph::store::Transaction;
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// Entries the store keeps (as many as the change log keeps at least).
pub(super) const FEED_KEPT: u64 = super::version::LOG_KEPT;

/// The longest patch an entry carries; a larger write (a big Graph Store upload) leaves a gap.
pub(super) const PATCH_MAX_BYTES: usize = 256 * 1024;

/// The rows of one write's patch, as its writer makes them.
pub(super) struct Patch {
    /// `None` once the write did something a patch cannot state, or grew too large.
    rows: Option<String>,
}

impl Patch {
    pub fn new() -> Self {
        Self {
            rows: Some(String::new()),
        }
    }

    pub fn add(&mut self, quad: &Quad) {
        self.row('A', quad);
    }

    pub fn delete(&mut self, quad: &Quad) {
        self.row('D', quad);
    }

    /// The write did something only replaying it could repeat.
    pub fn unstatable(&mut self) {
        self.rows = None;
    }

    fn row(&mut self, operation: char, quad: &Quad) {
        if let Some(rows) = &mut self.rows {
            let _ = writeln!(rows, "{operation} {quad} .");
            if rows.len() > PATCH_MAX_BYTES {
                self.rows = None;
            }
        }
    }

    pub fn rows(&self) -> Option<&str> {
        self.rows.as_deref()
    }
}

/// The number in a head or log entry, `"{number} {hash}"`.
const NUMBER: &str = "<http://www.w3.org/2001/XMLSchema#integer>(STRBEFORE(STR(?head), \" \"))";

/// The update that records the entry of the change just logged, run on the remote store after
/// the version bump in the same request (so `?head` is the new head), and that drops the entries
/// [`FEED_KEPT`] changes old.
pub(super) fn record_entry(fingerprint: &str, rows: &str) -> String {
    let fingerprint = Literal::new_simple_literal(fingerprint);
    let patch = Literal::new_simple_literal(rows);
    format!(
        "INSERT {{ GRAPH {META_GRAPH} {{ ?entry {GG_CHANGE_NUMBER} ?number ; {GG_VERSION} ?head ; {GG_FINGERPRINT} {fingerprint} ; {GG_PATCH} {patch} }} }}
WHERE {{
  GRAPH {META_GRAPH} {{ {DATASET} {GG_VERSION} ?head }}
  BIND({NUMBER} AS ?number)
  BIND(IRI(CONCAT(\"{CHANGE}\", STR(?number))) AS ?entry)
}} ;
DELETE {{ GRAPH {META_GRAPH} {{ ?old ?p ?o }} }}
WHERE {{
  GRAPH {META_GRAPH} {{ {DATASET} {GG_VERSION} ?head . ?old {GG_CHANGE_NUMBER} ?n ; ?p ?o }}
  FILTER(?n + {FEED_KEPT} <= {NUMBER})
}}"
    )
}

/// One entry, as read from the store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Entry {
    pub number: u64,
    /// The head after the change, `"{number} {hash}"`.
    pub head: String,
    pub fingerprint: String,
    pub patch: String,
}

/// The query for the entries after change `after`, in order: the columns `Entry` reads.
pub(super) fn entries_after(after: u64) -> String {
    format!(
        "SELECT ?number ?head ?fingerprint ?patch WHERE {{
  GRAPH {META_GRAPH} {{ ?entry {GG_CHANGE_NUMBER} ?number ; {GG_VERSION} ?head ; {GG_FINGERPRINT} ?fingerprint ; {GG_PATCH} ?patch }}
  FILTER(?number > {after})
}} ORDER BY ?number LIMIT {FEED_KEPT}"
    )
}

/// Whether a quad is part of the feed itself, which a replica's copy leaves out: its copy
/// applies changes, it does not serve them.
pub(super) fn in_feed(quad: &Quad) -> bool {
    matches!(&quad.subject, NamedOrBlankNode::NamedNode(node) if node.as_str().starts_with(CHANGE))
}

/// What a set of changes touched, as far as the read model is concerned: the entities and
/// relations whose own triples changed, or everything (the ontology changed).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changed {
    pub everything: bool,
    pub entities: BTreeSet<String>,
    pub relations: BTreeSet<String>,
}

impl Changed {
    /// Notes a changed quad. The read model reads entities and relations from their own triples
    /// (the subject), and kinds and predicate labels from the ontology.
    pub(super) fn observe(&mut self, quad: &Quad) {
        if quad.graph_name.as_ref() == GraphNameRef::NamedNode(ONTOLOGY_GRAPH) {
            self.everything = true;
        }
        if let NamedOrBlankNode::NamedNode(subject) = &quad.subject {
            if let Some(id) = subject.as_str().strip_prefix(id_namespace()) {
                self.entities.insert(id.to_owned());
            } else if let Some(id) = subject.as_str().strip_prefix(rel_namespace()) {
                self.relations.insert(id.to_owned());
            }
        }
    }
}

/// Applies `entries`, in order, to a replica's copy, logging each change as the store did; says
/// what they touched in `changed`. `Ok(false)` when the copy's head after an entry is not the
/// entry's: the copy was not where the entries start (a write of its own raced them), and the
/// transaction must not be committed.
pub(super) fn apply(
    transaction: &mut Transaction<'_>,
    entries: &[Entry],
    changed: &mut Changed,
) -> Result<bool, StoreError> {
    for entry in entries {
        for line in entry.patch.lines() {
            let (operation, quad) = parse_row(line)?;
            changed.observe(&quad);
            match operation {
                'A' => transaction.insert(&quad),
                _ => transaction.remove(&quad),
            };
        }
        if record_change(transaction, &entry.fingerprint)? != entry.head {
            return Ok(false);
        }
    }
    Ok(true)
}

fn parse_row(line: &str) -> Result<(char, Quad), StoreError> {
    let malformed = |message: String| StoreError::Syntax {
        location: "change feed".to_owned(),
        message: format!("{message}: {line}"),
    };
    let (operation, quad) = match line.split_once(' ') {
        Some(("A", quad)) => ('A', quad),
        Some(("D", quad)) => ('D', quad),
        _ => return Err(malformed("a row is `A QUAD .` or `D QUAD .`".to_owned())),
    };
    let mut quads = RdfParser::from_format(RdfFormat::NQuads).for_slice(quad.as_bytes());
    match (quads.next(), quads.next()) {
        (Some(Ok(quad)), None) => Ok((operation, quad)),
        (Some(Err(error)), _) => Err(malformed(error.to_string())),
        _ => Err(malformed("a row holds one quad".to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::NamedNode;

    fn quad(subject: &str, object: &str) -> Quad {
        Quad::new(
            NamedNode::new_unchecked(subject),
            NamedNode::new_unchecked("https://example.org/p"),
            Literal::new_simple_literal(object),
            NamedNode::new_unchecked("https://example.org/g"),
        )
    }

    #[test]
    fn rows_read_back_as_the_quads_they_wrote_in_order() {
        let mut patch = Patch::new();
        let odd = quad("https://example.org/s", "a \"quoted\"\nline \\ é");
        patch.add(&odd);
        patch.delete(&quad("https://example.org/s", "b"));
        let rows: Vec<_> = patch
            .rows()
            .unwrap()
            .lines()
            .map(|line| parse_row(line).unwrap())
            .collect();
        assert_eq!(rows, [('A', odd), ('D', quad("https://example.org/s", "b"))]);
        assert!(parse_row("X <a:b> <a:c> <a:d> .").is_err());
        assert!(parse_row("A <a:b> <a:c> .").is_err());
    }

    #[test]
    fn a_patch_too_large_or_unstatable_has_no_rows() {
        let mut large = Patch::new();
        let row = quad("https://example.org/s", &"x".repeat(1000));
        for _ in 0..=PATCH_MAX_BYTES / 1000 {
            large.add(&row);
        }
        assert!(large.rows().is_none());
        let mut unstatable = Patch::new();
        unstatable.add(&row);
        unstatable.unstatable();
        unstatable.add(&row);
        assert!(unstatable.rows().is_none());
    }
}
