//! What writes changed since a projection's base was built. A write derives a new projection
//! from the current one by applying its changes here: entities set or removed, relations set or
//! removed. The cost is the size of the delta and the relations of the nodes it touches, never
//! the size of the base, which stays shared. A base node the delta knows anything about is
//! *marked* (one bit), so the accessors' hot path asks the delta only about those.
//!
//! # Invariants
//!
//! - Indices are stable for the life of a base: a base id keeps its index when it is removed and
//!   set again; a new entity takes the next index past the base (`node_bound`) and keeps it.
//!   A relation set again with other ends, kind or predicate is removed and added past the base,
//!   because the base's edges are immutable; `relation(id)` looks in the delta first.
//! - A node's run (its relations, outgoing then incoming, each sorted by the node at the other
//!   end, then by relation) is overridden as a whole the first time a write touches it.
//! - Removed indices are kept sorted, so `nodes()` and `edges()` skip them in one merge.
//! - Ranks: a base id of rank `r` ranks `r << 32 | 1 << 31`; an added id that sorts between the
//!   base ids of ranks `r - 1` and `r` ranks `r << 32 | q`, `q` its place among the added ids of
//!   that gap. So ranks order ids as strings do, and comparing them never reads a string.
//! - Applying changes to a projection gives one equal (node for node, relation for relation, in
//!   id order) to a projection built from scratch out of the result: the property tests of
//!   `oracle` run every search on projections made both ways.

use std::sync::Arc;

use foldhash::fast::RandomState;

use super::documents::Documents;
use super::{EdgeData, EdgeFacts, EdgeIndex, NodeData, NodeIndex, Projection, ProjectionBuilder, Rank, Runs, Step};

type Map<K, V> = std::collections::HashMap<K, V, RandomState>;

/// A relation as a write sets it.
#[derive(Clone, Copy, Debug)]
pub struct RelationChange<'a> {
    pub source: &'a str,
    pub target: &'a str,
    pub facts: EdgeFacts<'a>,
}

/// Something the delta added past the base: its id, what it is, its rank.
#[derive(Clone)]
pub(super) struct Added<T> {
    id: Arc<str>,
    pub(super) value: T,
    pub(super) rank: Rank,
    /// How many base ids sort before this one.
    gap: u32,
}

impl<T> Added<T> {
    pub(super) fn id(&self) -> &str {
        &self.id
    }
}

#[derive(Clone, Copy, PartialEq)]
pub(super) struct AddedEdge {
    pub(super) source: NodeIndex,
    pub(super) target: NodeIndex,
    pub(super) data: EdgeData,
}

/// A node's relations as the delta knows them: outgoing ones, then incoming ones.
#[derive(Clone, Default)]
pub(super) struct Run {
    steps: Vec<Step>,
    incoming: usize,
}

impl Run {
    pub(super) fn split(&self) -> Runs<'_> {
        self.steps.split_at(self.incoming)
    }

    fn half(&mut self, incoming: bool) -> (&mut Vec<Step>, std::ops::Range<usize>) {
        let range = if incoming {
            self.incoming..self.steps.len()
        } else {
            0..self.incoming
        };
        (&mut self.steps, range)
    }

    fn insert(&mut self, step: Step, incoming: bool) {
        let key = |&(e, other): &Step| (other, e);
        let (steps, range) = self.half(incoming);
        let at = range.start + steps[range].partition_point(|s| key(s) < key(&step));
        steps.insert(at, step);
        if !incoming {
            self.incoming += 1;
        }
    }

    fn remove(&mut self, step: Step, incoming: bool) {
        let key = |&(e, other): &Step| (other, e);
        let (steps, range) = self.half(incoming);
        if let Ok(at) = steps[range.clone()].binary_search_by(|s| key(s).cmp(&key(&step))) {
            steps.remove(range.start + at);
            if !incoming {
                self.incoming -= 1;
            }
        }
    }
}

/// The changes since the base; cloned (its size, not the base's) for each write.
#[derive(Clone, Default)]
pub(super) struct Delta {
    /// One bit per base node the delta knows anything about.
    marked: Arc<Vec<u64>>,
    /// Base nodes whose data changed.
    node_data: Map<u32, NodeData>,
    /// Sorted.
    pub(super) removed_nodes: Vec<u32>,
    /// Nodes whose relations changed, by index.
    runs: Map<u32, Arc<Run>>,
    /// Node `base + k` is `added_nodes[k]`.
    pub(super) added_nodes: Vec<Added<NodeData>>,
    added_node_index: Map<Arc<str>, u32>,
    pub(super) added_edges: Vec<Added<AddedEdge>>,
    added_edge_index: Map<Arc<str>, u32>,
    /// Sorted.
    pub(super) removed_edges: Vec<u32>,
    /// Predicates the base lacks; their indices follow the base's.
    pub(super) predicates: Vec<Arc<str>>,
    predicate_index: Map<Arc<str>, u16>,
    /// Documents and sets of them the base lacks; their indices follow the base's.
    pub(super) documents: Documents,
}

impl Delta {
    pub(super) fn new(base_nodes: usize) -> Self {
        Self {
            marked: Arc::new(vec![0; base_nodes.div_ceil(64)]),
            ..Self::default()
        }
    }

    pub(super) fn marked(&self, i: usize) -> bool {
        self.marked[i / 64] & (1 << (i % 64)) != 0
    }

    fn mark(&mut self, i: usize) {
        Arc::make_mut(&mut self.marked)[i / 64] |= 1 << (i % 64);
    }

    pub(super) fn node_data(&self, i: usize) -> Option<&NodeData> {
        self.node_data.get(&(i as u32))
    }

    pub(super) fn node_removed(&self, i: usize) -> bool {
        self.removed_nodes.binary_search(&(i as u32)).is_ok()
    }

    pub(super) fn edge_removed(&self, e: usize) -> bool {
        self.removed_edges.binary_search(&(e as u32)).is_ok()
    }

    pub(super) fn run(&self, i: usize) -> Option<&Run> {
        self.runs.get(&(i as u32)).map(|run| &**run)
    }

    pub(super) fn predicate_index(&self, iri: &str) -> Option<u16> {
        self.predicate_index.get(iri).copied()
    }

    pub(super) fn added_node(&self, id: &str) -> Option<usize> {
        self.added_node_index.get(id).map(|&k| k as usize)
    }

    pub(super) fn added_edge(&self, id: &str) -> Option<usize> {
        self.added_edge_index.get(id).map(|&k| k as usize)
    }

    /// How many changes the delta holds: what folding it into a new base would save.
    pub(super) fn len(&self) -> usize {
        self.node_data.len()
            + self.removed_nodes.len()
            + self.added_nodes.len()
            + self.added_edges.len()
            + self.removed_edges.len()
    }

    pub(super) fn bytes(&self) -> usize {
        use std::mem::size_of;
        let runs: usize = self
            .runs
            .values()
            .map(|run| run.steps.capacity() * size_of::<Step>())
            .sum();
        self.marked.len() * 8
            + self.node_data.capacity() * size_of::<(u32, NodeData)>()
            + runs
            + self.added_nodes.iter().map(|added| added.id.len() + 64).sum::<usize>()
            + self.added_edges.iter().map(|added| added.id.len() + 64).sum::<usize>()
            + (self.removed_nodes.capacity() + self.removed_edges.capacity()) * 4
            + self.documents.bytes()
    }
}

fn insert_sorted(list: &mut Vec<u32>, value: u32) {
    if let Err(at) = list.binary_search(&value) {
        list.insert(at, value);
    }
}

fn remove_sorted(list: &mut Vec<u32>, value: u32) {
    if let Ok(at) = list.binary_search(&value) {
        list.remove(at);
    }
}

impl Projection {
    /// This projection with `entities` set (`Some`) or removed (`None`), then `relations` set or
    /// removed, by id; it shares the base. A removed entity takes its relations along; a relation
    /// the builder would refuse (an end missing, a self-loop, a full predicate table) is removed.
    pub fn with_changes<'a>(
        &self,
        entities: impl IntoIterator<Item = (&'a str, Option<NodeData>)>,
        relations: impl IntoIterator<Item = (&'a str, Option<RelationChange<'a>>)>,
    ) -> Projection {
        let mut next = self.clone();
        let (nodes_before, edges_before) = (next.delta.added_nodes.len(), next.delta.added_edges.len());
        for (id, data) in entities {
            match data {
                Some(data) => next.set_node(id, data),
                None => next.remove_node(id),
            }
        }
        for (id, relation) in relations {
            let ends = relation.and_then(|relation| {
                let (source, target) = (next.node(relation.source)?, next.node(relation.target)?);
                let facts = relation.facts;
                let predicate = next.intern_predicate(facts.predicate)?;
                let documents = next
                    .delta
                    .documents
                    .intern(Some(&next.base.documents), facts.documents.iter().map(String::as_str))?;
                let data = EdgeData {
                    kind: facts.kind,
                    evidence: facts.evidence,
                    predicate,
                    confidence: super::confidence(facts.confidence),
                    documents,
                };
                (source != target).then_some(AddedEdge { source, target, data })
            });
            match ends {
                Some(edge) => next.set_edge(id, edge),
                None => {
                    if let Some(e) = next.relation(id) {
                        next.remove_edge(e);
                    }
                }
            }
        }
        rerank(&mut next.delta.added_nodes, nodes_before);
        rerank(&mut next.delta.added_edges, edges_before);
        next
    }

    /// How many changes the projection holds over its base.
    pub fn delta_len(&self) -> usize {
        self.delta.len()
    }

    /// The same graph as a new base without a delta, nodes and relations in id order: what a
    /// builder given them from scratch makes. Costs the whole graph.
    pub fn folded(&self) -> Projection {
        let nodes: Vec<NodeIndex> = self.nodes().collect();
        let edges: Vec<EdgeIndex> = self.edges().collect();
        self.rebuilt(nodes, edges)
    }

    /// A new base of `nodes` and `edges` (relations between them), each with all it holds, in id
    /// order as a build adds them: what a fold and a part make.
    pub(super) fn rebuilt(&self, mut nodes: Vec<NodeIndex>, mut edges: Vec<EdgeIndex>) -> Projection {
        nodes.sort_unstable_by_key(|&n| self.rank(n));
        nodes.dedup();
        edges.sort_unstable_by_key(|&e| self.edge_rank(e));
        edges.dedup();
        let mut position = vec![usize::MAX; self.node_bound()];
        let mut builder = ProjectionBuilder::with_capacity(nodes.len(), edges.len());
        builder.symmetric(self.symmetric_predicates());
        for (at, &n) in nodes.iter().enumerate() {
            position[n.index()] = at;
            builder.add_node(self.node_id(n), *self.node_data(n));
        }
        for e in edges {
            let (source, target) = self.endpoints(e);
            let data = self.edge_data(e);
            let documents: Vec<String> = self.documents(e).map(str::to_owned).collect();
            let facts = EdgeFacts {
                predicate: self.predicate_iri(e),
                kind: data.kind,
                evidence: data.evidence,
                confidence: Some(f64::from(data.confidence) / 10_000.0),
                documents: &documents,
            };
            // A relation whose end is not among `nodes` is refused by the builder.
            builder.add_edge_between(
                self.relation_id(e),
                position[source.index()],
                position[target.index()],
                facts,
            );
        }
        builder.build()
    }

    /// Sets a node's data.
    fn set_node(&mut self, id: &str, data: NodeData) {
        let base_nodes = self.base_nodes();
        if let Some(k) = self.delta.added_node(id) {
            self.delta.added_nodes[k].value = data;
            remove_sorted(&mut self.delta.removed_nodes, (base_nodes + k) as u32);
            return;
        }
        if let Some(i) = self.base.node_ids.find(id) {
            self.delta.mark(i);
            remove_sorted(&mut self.delta.removed_nodes, i as u32);
            if self.base.graph[NodeIndex::new(i)] == data {
                self.delta.node_data.remove(&(i as u32));
            } else {
                self.delta.node_data.insert(i as u32, data);
            }
            return;
        }
        let id: Arc<str> = Arc::from(id);
        let gap = self.base.node_ranks.before(&self.base.node_ids, &id);
        let k = self.delta.added_nodes.len() as u32;
        self.delta.added_node_index.insert(Arc::clone(&id), k);
        self.delta.added_nodes.push(Added {
            id,
            value: data,
            rank: 0,
            gap,
        });
    }

    fn remove_node(&mut self, id: &str) {
        let Some(n) = self.node(id) else {
            return;
        };
        let relations: Vec<EdgeIndex> = self.edges_of(n).collect();
        for e in relations {
            self.remove_edge(e);
        }
        if n.index() < self.base_nodes() {
            self.delta.mark(n.index());
            self.delta.node_data.remove(&(n.index() as u32));
        }
        insert_sorted(&mut self.delta.removed_nodes, n.index() as u32);
    }

    /// Sets a relation.
    fn set_edge(&mut self, id: &str, edge: AddedEdge) {
        if let Some(e) = self.relation(id) {
            let (source, target) = self.endpoints(e);
            if (source, target) == (edge.source, edge.target) && *self.edge_data(e) == edge.data {
                return;
            }
            self.remove_edge(e);
        }
        let e = match self.delta.added_edge(id) {
            Some(k) => {
                self.delta.added_edges[k].value = edge;
                let e = self.base_edges() + k;
                remove_sorted(&mut self.delta.removed_edges, e as u32);
                e
            }
            None => {
                let id: Arc<str> = Arc::from(id);
                let gap = self.base.edge_ranks.before(&self.base.relation_ids, &id);
                let k = self.delta.added_edges.len();
                self.delta.added_edge_index.insert(Arc::clone(&id), k as u32);
                self.delta.added_edges.push(Added {
                    id,
                    value: edge,
                    rank: 0,
                    gap,
                });
                self.base_edges() + k
            }
        };
        let e = EdgeIndex::new(e);
        self.run_mut(edge.source).insert((e, edge.target), false);
        self.run_mut(edge.target).insert((e, edge.source), true);
    }

    fn remove_edge(&mut self, e: EdgeIndex) {
        let (source, target) = self.endpoints(e);
        self.run_mut(source).remove((e, target), false);
        self.run_mut(target).remove((e, source), true);
        insert_sorted(&mut self.delta.removed_edges, e.index() as u32);
    }

    /// Node `n`'s run, copied into the delta the first time it changes.
    fn run_mut(&mut self, n: NodeIndex) -> &mut Run {
        let i = n.index();
        if !self.delta.runs.contains_key(&(i as u32)) {
            let (outgoing, incoming) = self.runs(n);
            let run = Run {
                steps: outgoing.iter().chain(incoming).copied().collect(),
                incoming: outgoing.len(),
            };
            self.delta.runs.insert(i as u32, Arc::new(run));
        }
        if i < self.base_nodes() {
            self.delta.mark(i);
        }
        let run = self.delta.runs.entry(i as u32).or_default();
        Arc::make_mut(run)
    }

    fn intern_predicate(&mut self, iri: &str) -> Option<u16> {
        if let Some(&index) = self.base.predicate_index.get(iri) {
            return Some(index);
        }
        if let Some(&index) = self.delta.predicate_index.get(iri) {
            return Some(index);
        }
        let index = u16::try_from(self.base.predicates.len() + self.delta.predicates.len()).ok()?;
        let iri: Arc<str> = Arc::from(iri);
        self.delta.predicates.push(Arc::clone(&iri));
        self.delta.predicate_index.insert(iri, index);
        Some(index)
    }
}

/// Ranks the added ids of the base gaps that ids were added to (the others keep theirs): by
/// gap, then by id within it. A scan of the added ids, and a sort of the few in those gaps.
fn rerank<T>(added: &mut [Added<T>], first_new: usize) {
    let mut gaps: Vec<u32> = added[first_new..].iter().map(|item| item.gap).collect();
    gaps.sort_unstable();
    gaps.dedup();
    let mut group: Vec<usize> = (0..added.len())
        .filter(|&k| gaps.binary_search(&added[k].gap).is_ok())
        .collect();
    group.sort_unstable_by(|&a, &b| (added[a].gap, &added[a].id).cmp(&(added[b].gap, &added[b].id)));
    let mut previous_gap = None;
    let mut place = 0;
    for k in group {
        let gap = added[k].gap;
        place = if previous_gap == Some(gap) { place + 1 } else { 0 };
        previous_gap = Some(gap);
        added[k].rank = (Rank::from(gap) << 32) | place as Rank;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::oracle::{build, plain};
    use crate::model::RelationKind;

    fn relation<'a>(source: &'a str, target: &'a str) -> Option<RelationChange<'a>> {
        Some(RelationChange {
            source,
            target,
            facts: EdgeFacts::new("https://example.org/p", RelationKind::Direct),
        })
    }

    /// Nodes and relations by id, with what they carry.
    fn shape(projection: &Projection) -> (Vec<String>, Vec<String>) {
        let mut nodes: Vec<(u64, String)> = projection
            .nodes()
            .map(|n| {
                (
                    projection.rank(n),
                    format!("{} {:?}", projection.node_id(n), projection.node_data(n)),
                )
            })
            .collect();
        nodes.sort();
        let mut edges: Vec<(u64, String)> = projection
            .edges()
            .map(|e| {
                let (source, target) = projection.endpoints(e);
                let line = format!(
                    "{} {} {} {} {:?} in {:?} out {:?}",
                    projection.relation_id(e),
                    projection.node_id(source),
                    projection.node_id(target),
                    projection.predicate_iri(e),
                    projection.edge_data(e).kind,
                    projection
                        .incoming(target)
                        .iter()
                        .any(|&(edge, at)| edge == e && at == source),
                    projection
                        .outgoing(source)
                        .iter()
                        .any(|&(edge, at)| edge == e && at == target),
                );
                (projection.edge_rank(e), line)
            })
            .collect();
        edges.sort();
        (
            nodes.into_iter().map(|(_, line)| line).collect(),
            edges.into_iter().map(|(_, line)| line).collect(),
        )
    }

    #[test]
    fn changes_equal_a_projection_built_from_scratch() {
        let base = build(&[], &[("b", "p", "d"), ("d", "p", "f"), ("b", "p", "f")]);
        let changed = base.with_changes(
            [
                ("a", Some(plain())),
                ("c", Some(plain())),
                ("e", Some(plain())),
                ("f", None),
                ("zz", Some(plain())),
            ],
            [
                ("a--p--b", relation("a", "b")),
                ("c--p--zz", relation("c", "zz")),
                ("b--p--d", relation("d", "b")),
            ],
        );
        let mut scratch = ProjectionBuilder::new();
        for id in ["a", "b", "c", "d", "e", "zz"] {
            scratch.add_node(id, plain());
        }
        for (id, source, target) in [("a--p--b", "a", "b"), ("b--p--d", "d", "b"), ("c--p--zz", "c", "zz")] {
            scratch.add_edge(
                id,
                source,
                target,
                EdgeFacts::new("https://example.org/p", RelationKind::Direct),
            );
        }
        let scratch = scratch.build();
        assert_eq!(shape(&changed), shape(&scratch));
        assert_eq!(shape(&changed.folded()), shape(&scratch));
        assert_eq!(changed.node_count(), 6);
        assert_eq!(changed.edge_count(), 3);
        assert!(changed.node("f").is_none() && changed.relation("d--p--f").is_none());
        // Ranks follow the ids as strings.
        let ranked: Vec<&str> = {
            let mut nodes: Vec<NodeIndex> = changed.nodes().collect();
            nodes.sort_by_key(|&n| changed.rank(n));
            nodes.into_iter().map(|n| changed.node_id(n)).collect()
        };
        assert_eq!(ranked, ["a", "b", "c", "d", "e", "zz"]);
        // The base is untouched.
        assert_eq!(base.node_count(), 3);
        assert!(base.node("a").is_none() && base.node("f").is_some());

        // A removed node set again comes back without its relations; its index is kept.
        let f = base.node("f");
        let back = changed.with_changes([("f", Some(plain()))], []);
        assert_eq!(back.node("f"), f);
        assert_eq!(back.edges_of(f.unwrap()).count(), 0);
        assert_eq!(back.delta_len(), changed.delta_len() - 1);
    }

    #[test]
    fn a_relation_the_builder_would_refuse_is_removed() {
        let base = build(&[], &[("a", "p", "b")]);
        let changed = base.with_changes([], [("a--p--b", relation("a", "a")), ("x", relation("a", "nowhere"))]);
        assert_eq!(changed.edge_count(), 0);
        assert!(changed.relation("x").is_none());
        assert_eq!(changed.edges_of(changed.node("a").unwrap()).count(), 0);
    }
}
