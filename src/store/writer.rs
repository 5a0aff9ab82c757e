//! Every write goes through a [`Writer`]: an Oxigraph transaction on the local dataset that, for
//! a replica over a remote SPARQL store, also keeps a journal of what it did. On commit the
//! journal is sent to the remote store as one SPARQL 1.1 Update request (which the store runs
//! atomically), with the dataset version bumped from the remote's own head in the same request;
//! only when the remote store has accepted it does the local copy commit, so a replica never
//! shows a write its store did not take.

use super::feed::{Changed, Patch, record_entry};
use super::remote::{Remote, append};
use super::version::{LOG_KEPT, change_hash, record_change};
use super::vocab::{DATASET, GG_CHANGE, GG_VERSION, META_GRAPH};
use super::{Store, StoreError};
use oxigraph::model::{GraphName, GraphNameRef, Literal, NamedNode, NamedNodeRef, Quad};
use oxigraph::store::Transaction;
use std::ops::Deref;

/// One step of a write, as the remote store will replay it.
enum Step {
    Insert(Quad),
    Remove(Quad),
    Clear(GraphName),
    Drop(NamedNode),
    Create(NamedNode),
    /// One operation of a SPARQL Update (a user's, the materialisation rules), written out
    /// with full IRIs: some stores take a prologue only at the start of a request.
    Operation(String),
}

pub(super) struct Writer<'a> {
    transaction: Transaction<'a>,
    remote: Option<&'a Remote>,
    journal: Vec<Step>,
    /// What the write changed, for the change feed other replicas follow.
    patch: Patch,
    /// What the write touched, for the read model.
    changed: Changed,
    change: Option<String>,
    store: &'a Store,
}

impl<'a> Deref for Writer<'a> {
    type Target = Transaction<'a>;

    /// Reads see the transaction's own writes.
    fn deref(&self) -> &Self::Target {
        &self.transaction
    }
}

impl Store {
    /// Starts a write (refused while the disk is full).
    pub(super) fn begin(&self) -> Result<Writer<'_>, StoreError> {
        self.check_room()?;
        Ok(Writer {
            transaction: self.inner.start_transaction()?,
            remote: self.remote.as_deref(),
            journal: Vec::new(),
            patch: Patch::new(),
            changed: Changed::default(),
            change: None,
            store: self,
        })
    }
}

impl<'a> Writer<'a> {
    fn journaling(&self) -> bool {
        self.remote.is_some()
    }

    pub fn insert(&mut self, quad: &Quad) {
        self.transaction.insert(quad);
        self.changed.observe(quad);
        if self.journaling() {
            self.patch.add(quad);
            self.journal.push(Step::Insert(quad.clone()));
        }
    }

    pub fn remove(&mut self, quad: &Quad) {
        self.transaction.remove(quad);
        self.changed.observe(quad);
        if self.journaling() {
            self.patch.delete(quad);
            self.journal.push(Step::Remove(quad.clone()));
        }
    }

    pub fn extend<'b>(&mut self, quads: impl IntoIterator<Item = &'b Quad>) {
        for quad in quads {
            self.insert(quad);
        }
    }

    pub fn clear_graph(&mut self, graph: GraphNameRef<'_>) -> Result<(), StoreError> {
        self.note_deletions(graph)?;
        if self.journaling() {
            self.journal.push(Step::Clear(graph.into_owned()));
        }
        self.transaction.clear_graph(graph)?;
        Ok(())
    }

    /// A cleared or dropped graph is the deletion of each of its quads, for the read model and
    /// the patch.
    fn note_deletions(&mut self, graph: GraphNameRef<'_>) -> Result<(), StoreError> {
        let journaling = self.journaling();
        for quad in self.transaction.quads_for_pattern(None, None, None, Some(graph)) {
            let quad = quad?;
            self.changed.observe(&quad);
            if journaling {
                self.patch.delete(&quad);
            }
        }
        Ok(())
    }

    pub fn insert_named_graph(&mut self, graph: NamedNodeRef<'_>) {
        self.transaction.insert_named_graph(graph);
        if self.journaling() {
            self.journal.push(Step::Create(graph.into_owned()));
        }
    }

    pub fn remove_named_graph(&mut self, graph: NamedNodeRef<'_>) -> Result<(), StoreError> {
        self.note_deletions(graph.into())?;
        if self.journaling() {
            self.journal.push(Step::Drop(graph.into_owned()));
        }
        self.transaction.remove_named_graph(graph)?;
        Ok(())
    }

    /// The transaction, for the operations of a SPARQL Update to run on; the remote store runs
    /// the same operations.
    pub fn for_update(&mut self, operations: &[spargebra::GraphUpdateOperation]) -> &mut Transaction<'a> {
        self.changed.everything = true;
        if self.journaling() {
            self.patch.unstatable();
            self.journal.extend(
                operations
                    .iter()
                    .map(|operation| Step::Operation(operation.to_string())),
            );
        }
        &mut self.transaction
    }

    /// Records the change in the log and moves the dataset version (see `version`).
    pub fn record_change(&mut self, fingerprint: &str) -> Result<(), StoreError> {
        record_change(&mut self.transaction, fingerprint)?;
        self.change = Some(fingerprint.to_owned());
        Ok(())
    }

    /// Commits: first in the remote store if there is one, then locally. Returns what the write
    /// touched.
    pub fn commit(self) -> Result<Changed, StoreError> {
        if let Some(remote) = self.remote {
            remote.update(&journal_request(
                &self.journal,
                self.change.as_deref(),
                self.patch.rows(),
            ))?;
        }
        self.transaction.commit()?;
        self.store.committed()?;
        Ok(self.changed)
    }
}

/// The journal as one SPARQL 1.1 Update request: the steps, the version bump, and the change's
/// entry in the feed when its patch can state it.
fn journal_request(journal: &[Step], change: Option<&str>, patch: Option<&str>) -> String {
    let mut operations: Vec<String> = Vec::new();
    let mut index = 0;
    while index < journal.len() {
        match &journal[index] {
            Step::Insert(_) | Step::Remove(_) => {
                // Consecutive inserts (or removes) go in one DATA block.
                let inserting = matches!(journal[index], Step::Insert(_));
                let mut block = String::new();
                while let Some(Step::Insert(quad) | Step::Remove(quad)) = journal.get(index) {
                    if matches!(journal[index], Step::Insert(_)) != inserting {
                        break;
                    }
                    append(&mut block, quad);
                    index += 1;
                }
                let verb = if inserting { "INSERT DATA" } else { "DELETE DATA" };
                operations.push(format!("{verb} {{\n{block}}}"));
                continue;
            }
            Step::Clear(GraphName::DefaultGraph) => operations.push("CLEAR SILENT DEFAULT".to_owned()),
            Step::Clear(GraphName::NamedNode(graph)) => operations.push(format!("CLEAR SILENT GRAPH {graph}")),
            Step::Clear(GraphName::BlankNode(_)) => {}
            Step::Drop(graph) => operations.push(format!("DROP SILENT GRAPH {graph}")),
            Step::Create(graph) => operations.push(format!("CREATE SILENT GRAPH {graph}")),
            Step::Operation(operation) => operations.push(operation.clone()),
        }
        index += 1;
    }
    if let Some(fingerprint) = change {
        operations.push(version_bump(fingerprint));
        if let Some(rows) = patch {
            operations.push(record_entry(fingerprint, rows));
        }
    }
    operations.join(" ;\n")
}

/// The change-log entry and the next head, computed by the remote store from its own head, so
/// that writes through different replicas chain in the order the store took them. The same
/// arithmetic as `version::Head::next`: count + 1, and the first 8 bytes (16 hex digits) of
/// SHA-256(previous hash, newline, fingerprint), from the latest head when a bulk load left more
/// than one (all of which go).
/// The log is compacted by the same rule as `version::record_change`, in a second operation of
/// the same request: at a count that is a multiple of `LOG_KEPT`, entries more than `LOG_KEPT`
/// changes old (or not numbered) go.
fn version_bump(fingerprint: &str) -> String {
    let change = Literal::new_simple_literal(change_hash(fingerprint));
    let fingerprint = Literal::new_simple_literal(fingerprint);
    format!(
        "DELETE {{ GRAPH {META_GRAPH} {{ {DATASET} {GG_VERSION} ?old }} }}
INSERT {{ GRAPH {META_GRAPH} {{ {DATASET} {GG_VERSION} ?new . {DATASET} {GG_CHANGE} ?entry }} }}
WHERE {{
  OPTIONAL {{ {{
    SELECT ?latest WHERE {{ GRAPH {META_GRAPH} {{ {DATASET} {GG_VERSION} ?latest }} }}
    ORDER BY DESC(<http://www.w3.org/2001/XMLSchema#integer>(STRBEFORE(STR(?latest), \" \"))) LIMIT 1
  }} }}
  OPTIONAL {{ GRAPH {META_GRAPH} {{ {DATASET} {GG_VERSION} ?old }} }}
  BIND(IF(BOUND(?latest), <http://www.w3.org/2001/XMLSchema#integer>(STRBEFORE(STR(?latest), \" \")), 0) + 1 AS ?count)
  BIND(IF(BOUND(?latest), STRAFTER(STR(?latest), \" \"), \"\") AS ?previous)
  BIND(CONCAT(STR(?count), \" \", SUBSTR(SHA256(CONCAT(?previous, \"\\n\", {fingerprint})), 1, 16)) AS ?new)
  BIND(CONCAT(STR(?count), \" \", {change}) AS ?entry)
}} ;
DELETE {{ GRAPH {META_GRAPH} {{ {DATASET} {GG_CHANGE} ?stale }} }}
WHERE {{
  GRAPH {META_GRAPH} {{ {DATASET} {GG_VERSION} ?head . {DATASET} {GG_CHANGE} ?stale }}
  BIND(<http://www.w3.org/2001/XMLSchema#integer>(STRBEFORE(STR(?head), \" \")) AS ?count)
  FILTER(?count - FLOOR(?count / {LOG_KEPT}) * {LOG_KEPT} = 0)
  FILTER(!CONTAINS(STR(?stale), \" \")
         || <http://www.w3.org/2001/XMLSchema#integer>(STRBEFORE(STR(?stale), \" \")) + {LOG_KEPT} <= ?count)
}}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::NoProgress;

    /// The version the remote store computes in SPARQL is the one the local copy computes in
    /// Rust: a replica that made a write does not see it as someone else's.
    #[test]
    fn the_sparql_version_bump_matches_the_local_one() {
        let local = Store::memory().unwrap();
        local.initialize(false, &NoProgress).unwrap();
        let remote_like = Store::memory().unwrap();
        remote_like.initialize(false, &NoProgress).unwrap();
        // Both hold a second head, as a bulk load leaves one until the next write sweeps it.
        for store in [&local, &remote_like] {
            let bulk = crate::store::version::bulk_change_quads(&store.inner, "a bulk load").unwrap();
            let mut loader = store.inner.bulk_loader();
            loader.load_quads(bulk).unwrap();
            loader.commit().unwrap();
        }
        let mut fingerprints = vec![
            "update\nINSERT DATA { <a:b> <a:c> \"d\" }".to_owned(),
            "create \"quoted\" \\ text".to_owned(),
        ];
        // Past two compactions of the log, which both sides make at the same changes.
        fingerprints.extend((0..2 * LOG_KEPT + 3).map(|n| format!("change {n}")));
        for fingerprint in &fingerprints {
            let mut writer = local.begin().unwrap();
            writer.record_change(fingerprint).unwrap();
            writer.commit().unwrap();
            let request = format!(
                "{} ;\n{}",
                version_bump(fingerprint),
                record_entry(fingerprint, "A <a:s> <a:p> <a:o> .\n")
            );
            remote_like.inner.update(request.as_str()).unwrap();
            assert_eq!(local.dataset_version().unwrap(), remote_like.dataset_version().unwrap());
            assert_eq!(
                local.len().unwrap(),
                remote_like.len().unwrap()
                    - remote_like
                        .inner
                        .iter()
                        .filter(|quad| super::super::feed::in_feed(quad.as_ref().unwrap()))
                        .count(),
                "after {fingerprint:?}"
            );
        }
        let entries = |store: &Store| -> Vec<String> {
            let mut entries: Vec<String> = store
                .inner
                .quads_for_pattern(Some(DATASET.into()), Some(GG_CHANGE), None, Some(META_GRAPH.into()))
                .map(|quad| quad.unwrap().object.to_string())
                .collect();
            entries.sort();
            entries
        };
        assert_eq!(entries(&local), entries(&remote_like));
        assert!(entries(&local).len() as u64 <= 2 * LOG_KEPT);
        // The feed keeps the last FEED_KEPT entries, numbered up to the head.
        let feed = entries_after(&remote_like, 0);
        let head: u64 = remote_like
            .head_value()
            .unwrap()
            .unwrap()
            .split(' ')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(feed.len() as u64, super::super::feed::FEED_KEPT);
        assert_eq!(feed.last().map(|entry| entry.number), Some(head));
    }

    /// The feed's entries as a replica reads them, here from an in-memory store.
    fn entries_after(store: &Store, after: u64) -> Vec<super::super::feed::Entry> {
        use oxigraph::sparql::{QueryResults, SparqlEvaluator};
        let prepared = SparqlEvaluator::new()
            .parse_query(&super::super::feed::entries_after(after))
            .unwrap();
        let QueryResults::Solutions(solutions) = prepared.on_store(&store.inner).execute().unwrap() else {
            panic!("a SELECT");
        };
        let text = |solution: &oxigraph::sparql::QuerySolution, name: &str| match solution.get(name) {
            Some(oxigraph::model::Term::Literal(literal)) => literal.value().to_owned(),
            other => panic!("{name}: {other:?}"),
        };
        solutions
            .map(|solution| {
                let solution = solution.unwrap();
                super::super::feed::Entry {
                    number: text(&solution, "number").parse().unwrap(),
                    head: text(&solution, "head"),
                    fingerprint: text(&solution, "fingerprint"),
                    patch: text(&solution, "patch"),
                }
            })
            .collect()
    }

    fn sorted_quads(store: &Store) -> Vec<String> {
        let mut quads: Vec<String> = store
            .inner
            .iter()
            .map(Result::unwrap)
            .filter(|quad| !super::super::feed::in_feed(quad))
            .map(|quad| quad.to_string())
            .collect();
        quads.sort();
        quads
    }

    /// A replica that applies the feed ends where the store that ran the requests is: the same
    /// quads (less the feed) and the same head; and one whose copy went elsewhere is told so.
    #[test]
    fn a_copy_that_applies_the_feed_equals_the_store_that_ran_the_requests() {
        use super::super::feed::{Changed, apply};
        let store = Store::memory().unwrap();
        store.initialize(false, &NoProgress).unwrap();
        let copy = Store::memory().unwrap();
        copy.initialize(false, &NoProgress).unwrap();
        let entity = |n: u32| {
            Quad::new(
                NamedNode::new_unchecked(crate::store::vocab::entity_iri(&format!("e{n}"))),
                crate::store::vocab::RDFS_LABEL,
                Literal::new_simple_literal(format!("E \"{n}\"\n")),
                NamedNode::new_unchecked("https://example.org/g"),
            )
        };
        for n in 0..6 {
            let mut patch = Patch::new();
            let mut journal = vec![Step::Insert(entity(n))];
            patch.add(&entity(n));
            if n % 2 == 1 {
                journal.push(Step::Remove(entity(n - 1)));
                patch.delete(&entity(n - 1));
            }
            let request = journal_request(&journal, Some(&format!("change {n}")), patch.rows());
            store.inner.update(request.as_str()).unwrap();
        }
        let before = copy.head_value().unwrap().unwrap();
        let number: u64 = before.split(' ').next().unwrap().parse().unwrap();
        let entries = entries_after(&store, number);
        assert_eq!(entries.len(), 6);
        let mut changed = Changed::default();
        let mut transaction = copy.inner.start_transaction().unwrap();
        assert!(apply(&mut transaction, &entries, &mut changed).unwrap());
        transaction.commit().unwrap();
        assert_eq!(sorted_quads(&copy), sorted_quads(&store));
        assert_eq!(copy.dataset_version().unwrap(), store.dataset_version().unwrap());
        let expected: std::collections::BTreeSet<String> = (0..6).map(|n| format!("e{n}")).collect();
        assert_eq!((changed.everything, changed.entities), (false, expected));

        // A copy that made a change of its own in between does not line up with the entries.
        let other = Store::memory().unwrap();
        other.initialize(false, &NoProgress).unwrap();
        let mut writer = other.begin().unwrap();
        writer.record_change("a change the store never saw").unwrap();
        writer.commit().unwrap();
        let mut transaction = other.inner.start_transaction().unwrap();
        assert!(!apply(&mut transaction, &entries[1..], &mut Changed::default()).unwrap());
    }

    #[test]
    fn a_journal_replays_as_one_update_request() {
        let graph = NamedNode::new_unchecked("https://example.org/g");
        let quad = |object: &str| {
            Quad::new(
                NamedNode::new_unchecked("https://example.org/s"),
                NamedNode::new_unchecked("https://example.org/p"),
                Literal::new_simple_literal(object),
                graph.clone(),
            )
        };
        let journal = vec![
            Step::Clear(graph.clone().into()),
            Step::Insert(quad("a")),
            Step::Insert(quad("b")),
            Step::Remove(quad("a")),
        ];
        let mut journal = journal;
        let update = "PREFIX ex: <https://example.org/> INSERT DATA { GRAPH ex:g { gg:x gg:y gg:z } } ;";
        let parsed = spargebra::SparqlParser::new()
            .with_prefix("gg", crate::store::vocab::NS)
            .unwrap()
            .parse_update(update)
            .unwrap();
        journal.extend(
            parsed
                .operations
                .iter()
                .map(|operation| Step::Operation(operation.to_string())),
        );
        let request = journal_request(&journal, Some("test"), None);
        let store = Store::memory().unwrap();
        store.initialize(false, &NoProgress).unwrap();
        let before = store.len().unwrap();
        store.inner.update(request.as_str()).unwrap();
        let in_graph = store
            .inner
            .quads_for_pattern(None, None, None, Some(graph.as_ref().into()))
            .count();
        assert_eq!(in_graph, 2, "b and the update's triple:\n{request}");
        assert_eq!(store.len().unwrap(), before + 2 + 1, "and a change-log entry");
    }
}
