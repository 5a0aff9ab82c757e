//! The graph projection: a read-only petgraph copy of the store's entities and relations, fed once
//! by the caller through [`ProjectionBuilder`] into an immutable base, to which writes add a small
//! delta (`delta`: [`Projection::with_changes`] derives a new projection sharing the base,
//! [`Projection::folded`] makes a new base). This module owns the interned ids, the path type and
//! the tie order; the queries live in the sibling modules (`path`, `temporal`, `yen`, `via`,
//! `neighbourhood`, `centrality`).
//!
//! # Tie order
//!
//! Every query is deterministic. Paths are ordered by their number of relations first. Among
//! paths of equal length, the one whose sequence of node ids (compared as strings, element by
//! element) is smallest comes first; if the node sequences are equal (parallel edges), the smaller
//! sequence of relation ids wins. Ids are unique, so this is a total order on distinct paths;
//! [`Projection::compare_paths`] implements it. Where parallel relations are folded (see
//! [`Parallel`]), a node sequence stands for all its paths and is represented by the first of
//! them: the smallest relation id at every hop. Node lists that are not paths (neighbourhoods,
//! components) are ordered by node id where the query does not fix another order.

mod centrality;
mod communities;
mod constraints;
mod delta;
mod documents;
mod filter;
pub(crate) mod ids;
mod leiden;
mod marks;
mod neighbourhood;
mod part;
mod path;
mod temporal;
mod via;
mod yen;

#[cfg(test)]
mod oracle;

use delta::Delta;
use documents::Documents;
use ids::Ids;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::Arc;

use petgraph::{Directed, Graph};

use crate::model::{DayRange, EntityKind, EvidenceType, Openness, RelationKind};

pub use communities::{Communities, Community};
pub use delta::RelationChange;
pub use filter::{DayWindow, Direction, Filter};
pub use neighbourhood::Neighbourhood;
pub use path::GaveUp;
pub use petgraph::graph::{EdgeIndex, NodeIndex};
pub use yen::Parallel;

/// What the queries need to know about an entity; everything else stays in the store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NodeData {
    pub kind: EntityKind,
    pub openness: Option<Openness>,
    pub start: Option<DayRange>,
    pub end: Option<DayRange>,
    /// The entity is ongoing (`gg:dateStatus gg:Ongoing`): without an end it has no last day.
    pub ongoing: bool,
}

impl NodeData {
    /// The days the entity may cover (see [`DayRange::span`]: an ongoing entity without an end
    /// runs on); `None` when it is undated.
    pub fn span(&self) -> Option<DayRange> {
        DayRange::span(self.start, self.end, self.ongoing)
    }

    /// The date that places the entity in time when a path must respect time: its start, or its
    /// end when it has no start.
    pub fn ordering_date(&self) -> Option<DayRange> {
        self.start.or(self.end)
    }
}

/// What the queries need to know about a relation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EdgeData {
    pub kind: RelationKind,
    pub evidence: Option<EvidenceType>,
    /// Index into the projection's predicate table, see [`Projection::predicate_iri`].
    pub predicate: u16,
    /// In ten-thousandths (see [`confidence`]).
    pub confidence: u16,
    /// Index into the projection's table of document sets, see [`Projection::documents`].
    pub documents: u32,
}

/// A confidence in `0..=1` as the projection keeps it, in ten-thousandths; a relation that states
/// none (its evidence is a quote, not an inference) counts as certain, as the exports' `weight`
/// does.
pub fn confidence(value: Option<f64>) -> u16 {
    let value = value.filter(|value| value.is_finite()).unwrap_or(1.0).clamp(0.0, 1.0);
    (value * 10_000.0).round() as u16
}

/// A relation as the builder and writes give it, besides its id and ends.
#[derive(Clone, Copy, Debug)]
pub struct EdgeFacts<'a> {
    pub predicate: &'a str,
    pub kind: RelationKind,
    pub evidence: Option<EvidenceType>,
    pub confidence: Option<f64>,
    /// The IRIs of the documents the relation cites.
    pub documents: &'a [String],
}

impl<'a> EdgeFacts<'a> {
    /// A relation that cites nothing and states no evidence.
    pub fn new(predicate: &'a str, kind: RelationKind) -> Self {
        Self {
            predicate,
            kind,
            evidence: None,
            confidence: None,
            documents: &[],
        }
    }
}

/// A walk through the projection: `edges[i]` joins `nodes[i]` and `nodes[i + 1]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct GraphPath {
    pub nodes: Vec<NodeIndex>,
    pub edges: Vec<EdgeIndex>,
}

impl GraphPath {
    /// The path of length 0 from a node to itself.
    pub fn single(node: NodeIndex) -> Self {
        Self {
            nodes: vec![node],
            edges: Vec::new(),
        }
    }

    /// The number of relations.
    pub fn hops(&self) -> usize {
        self.edges.len()
    }
}

/// Collects nodes and relations, then freezes them into a [`Projection`].
#[derive(Default)]
pub struct ProjectionBuilder {
    graph: Graph<NodeData, EdgeData, Directed, u32>,
    /// Position `i` is node `i`'s id.
    node_ids: Ids,
    /// Position `i` is relation `i`'s id.
    relation_ids: Ids,
    predicates: Vec<Box<str>>,
    predicate_index: HashMap<Box<str>, u16, foldhash::fast::RandomState>,
    documents: Documents,
    /// The IRIs of the symmetric predicates, sorted.
    symmetric: Vec<Box<str>>,
}

impl ProjectionBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder with room for `nodes` entities and `relations` relations, so that adding them
    /// neither reallocates the graph nor rehashes the ids (at a million entities, rehashing was a
    /// fifth of a restart).
    pub fn with_capacity(nodes: usize, relations: usize) -> Self {
        Self {
            graph: Graph::with_capacity(nodes, relations),
            node_ids: Ids::with_capacity(nodes),
            relation_ids: Ids::with_capacity(relations),
            ..Self::default()
        }
    }

    /// Adds an entity. A second node with an id already present is ignored (the first wins) and
    /// `false` is returned.
    pub fn add_node(&mut self, id: &str, data: NodeData) -> bool {
        if self.node_ids.insert(id).is_none() {
            return false;
        }
        self.graph.add_node(data);
        true
    }

    /// Adds a relation from `source_id` to `target_id`. Returns `false` and ignores it when an
    /// endpoint is unknown, when it is a self-loop (a path can never use one), when its id is
    /// already present (the first wins) or when the predicate table is full (65 536 predicates).
    pub fn add_edge(&mut self, relation_id: &str, source_id: &str, target_id: &str, facts: EdgeFacts<'_>) -> bool {
        let (Some(source), Some(target)) = (self.node_ids.find(source_id), self.node_ids.find(target_id)) else {
            return false;
        };
        self.add_edge_between(relation_id, source, target, facts)
    }

    /// [`ProjectionBuilder::add_edge`] with the ends given as the positions the nodes were added
    /// at (a catalog snapshot keeps them, so a restart looks up no ids). Also `false` when a
    /// position names no node.
    pub fn add_edge_between(&mut self, relation_id: &str, source: usize, target: usize, facts: EdgeFacts<'_>) -> bool {
        let nodes = self.node_ids.len();
        if source == target || source >= nodes || target >= nodes {
            return false;
        }
        let Some(predicate) = self.intern_predicate(facts.predicate) else {
            return false;
        };
        let Some(documents) = self.documents.intern(None, facts.documents.iter().map(String::as_str)) else {
            return false;
        };
        // `insert` refuses a relation id already there.
        if self.relation_ids.insert(relation_id).is_none() {
            return false;
        }
        self.graph.add_edge(
            NodeIndex::new(source),
            NodeIndex::new(target),
            EdgeData {
                kind: facts.kind,
                evidence: facts.evidence,
                predicate,
                confidence: confidence(facts.confidence),
                documents,
            },
        );
        true
    }

    /// Declares the predicates (by IRI) whose relations read the same both ways: searches walk
    /// them either way whatever their direction, since they are no one-way flow.
    pub fn symmetric<'a>(&mut self, iris: impl IntoIterator<Item = &'a str>) {
        self.symmetric = iris.into_iter().map(Box::from).collect();
        self.symmetric.sort_unstable();
        self.symmetric.dedup();
    }

    fn intern_predicate(&mut self, iri: &str) -> Option<u16> {
        if let Some(&index) = self.predicate_index.get(iri) {
            return Some(index);
        }
        let index = u16::try_from(self.predicates.len()).ok()?;
        self.predicates.push(Box::from(iri));
        self.predicate_index.insert(Box::from(iri), index);
        Some(index)
    }

    pub fn build(self) -> Projection {
        let node_ranks = Ranks::new(&self.node_ids);
        let edge_ranks = Ranks::new(&self.relation_ids);
        let mut graph = self.graph;
        graph.shrink_to_fit();
        let adjacency = Adjacency::new(&graph);
        let (mut node_ids, mut relation_ids) = (self.node_ids, self.relation_ids);
        node_ids.shrink_to_fit();
        relation_ids.shrink_to_fit();
        let symmetric_predicates = self
            .predicates
            .iter()
            .map(|iri| self.symmetric.binary_search(iri).is_ok())
            .collect();
        let base = Frozen {
            graph,
            adjacency,
            node_ids,
            relation_ids,
            symmetric_predicates,
            symmetric: self.symmetric,
            predicates: self.predicates,
            predicate_index: self.predicate_index,
            documents: self.documents,
            node_ranks,
            edge_ranks,
        };
        Projection {
            delta: Delta::new(base.graph.node_count()),
            base: Arc::new(base),
        }
    }
}

/// A relation taken from a node, with the node at its other end.
pub(crate) type Step = (EdgeIndex, NodeIndex);

/// A node's outgoing relations, then its incoming ones.
pub(crate) type Runs<'a> = (&'a [Step], &'a [Step]);

/// Every node's relations in one array (compressed sparse rows): searches walk a node's
/// neighbours as one contiguous run instead of following petgraph's per-edge linked lists, which
/// costs a cache miss per relation on a large graph.
pub(crate) struct Adjacency {
    /// `steps[start[n]..start[n + 1]]` are node `n`'s relations, outgoing ones first.
    start: Vec<u32>,
    /// Where node `n`'s incoming relations begin.
    incoming: Vec<u32>,
    /// (relation, the node at its other end).
    steps: Vec<(EdgeIndex, NodeIndex)>,
}

impl Adjacency {
    fn new(graph: &Graph<NodeData, EdgeData, Directed, u32>) -> Self {
        let nodes = graph.node_count();
        let mut out_degree = vec![0_u32; nodes];
        let mut in_degree = vec![0_u32; nodes];
        for edge in graph.raw_edges() {
            out_degree[edge.source().index()] += 1;
            in_degree[edge.target().index()] += 1;
        }
        let mut start = Vec::with_capacity(nodes + 1);
        let mut incoming = Vec::with_capacity(nodes);
        let mut total = 0_u32;
        for n in 0..nodes {
            start.push(total);
            incoming.push(total + out_degree[n]);
            total += out_degree[n] + in_degree[n];
        }
        start.push(total);
        // Searches order ties by ids, never by the order of a run.
        let mut next_out: Vec<u32> = start[..nodes].to_vec();
        let mut next_in = incoming.clone();
        let mut steps = vec![(EdgeIndex::new(0), NodeIndex::new(0)); total as usize];
        for (index, edge) in graph.raw_edges().iter().enumerate() {
            let (source, target) = (edge.source(), edge.target());
            let e = EdgeIndex::new(index);
            steps[next_out[source.index()] as usize] = (e, target);
            next_out[source.index()] += 1;
            steps[next_in[target.index()] as usize] = (e, source);
            next_in[target.index()] += 1;
        }
        // Each run sorted by the node at the other end, so that a link between two given nodes
        // is found by binary search (see `path`).
        for n in 0..nodes {
            let (first, middle, last) = (start[n] as usize, incoming[n] as usize, start[n + 1] as usize);
            steps[first..middle].sort_unstable_by_key(|&(e, other)| (other, e));
            steps[middle..last].sort_unstable_by_key(|&(e, other)| (other, e));
        }
        Self { start, incoming, steps }
    }

    /// Node `n`'s outgoing and incoming relations.
    fn runs(&self, n: usize) -> Runs<'_> {
        let (first, middle, last) = (
            self.start[n] as usize,
            self.incoming[n] as usize,
            self.start[n + 1] as usize,
        );
        (&self.steps[first..middle], &self.steps[middle..last])
    }

    fn bytes(&self) -> usize {
        use std::mem::size_of;
        (self.start.capacity() + self.incoming.capacity()) * size_of::<u32>()
            + self.steps.capacity() * size_of::<(EdgeIndex, NodeIndex)>()
    }
}

/// Each id's position in id order, so that the tie order compares integers, not strings.
enum Ranks {
    /// The ids were added in id order (as the catalog adds them): position `i` has rank `i`.
    InOrder,
    /// `rank[i]` is position `i`'s rank, `by_rank[r]` the position of rank `r`.
    Sorted { rank: Vec<u32>, by_rank: Vec<u32> },
}

impl Ranks {
    fn new(ids: &Ids) -> Self {
        if (1..ids.len()).all(|i| ids.get(i - 1) < ids.get(i)) {
            return Ranks::InOrder;
        }
        let mut by_rank: Vec<u32> = (0..ids.len()).map(|i| i as u32).collect();
        by_rank.sort_unstable_by(|&a, &b| ids.get(a as usize).cmp(ids.get(b as usize)));
        let mut rank = vec![0; ids.len()];
        for (position, &index) in by_rank.iter().enumerate() {
            rank[index as usize] = position as u32;
        }
        Ranks::Sorted { rank, by_rank }
    }

    fn rank(&self, i: usize) -> u32 {
        match self {
            Ranks::InOrder => i as u32,
            Ranks::Sorted { rank, .. } => rank[i],
        }
    }

    /// How many of `ids` sort before `id`.
    fn before(&self, ids: &Ids, id: &str) -> u32 {
        let at_rank = |r: usize| match self {
            Ranks::InOrder => r,
            Ranks::Sorted { by_rank, .. } => by_rank[r] as usize,
        };
        let (mut low, mut high) = (0, ids.len());
        while low < high {
            let middle = (low + high) / 2;
            if ids.get(at_rank(middle)) < id {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        low as u32
    }

    fn bytes(&self) -> usize {
        match self {
            Ranks::InOrder => 0,
            Ranks::Sorted { rank, by_rank } => (rank.capacity() + by_rank.capacity()) * 4,
        }
    }
}

/// A rank in the tie order: a base id's rank in its upper half, and in the lower half room for
/// ids a delta adds between two base ids (see `delta`).
pub(crate) type Rank = u64;

/// The rank of the base id of rank `r`: after every added id that sorts before it.
fn base_rank(r: u32) -> Rank {
    (Rank::from(r) << 32) | (1 << 31)
}

/// What a projection was built with: immutable, shared by every projection derived from it.
struct Frozen {
    graph: Graph<NodeData, EdgeData, Directed, u32>,
    adjacency: Adjacency,
    node_ids: Ids,
    relation_ids: Ids,
    predicates: Vec<Box<str>>,
    predicate_index: HashMap<Box<str>, u16, foldhash::fast::RandomState>,
    /// Whether each predicate of `predicates` is symmetric.
    symmetric_predicates: Vec<bool>,
    /// The IRIs of the symmetric predicates, sorted (predicates a delta adds are looked up here).
    symmetric: Vec<Box<str>>,
    documents: Documents,
    node_ranks: Ranks,
    edge_ranks: Ranks,
}

/// The read-only graph the queries run on: an immutable base (compressed adjacency, interned
/// ids) shared through an `Arc`, plus a small delta of what writes changed since (see `delta`),
/// which every accessor consults. Node and edge indices run over `0..node_bound()` and
/// `0..edge_bound()`, with gaps where a node or relation was removed; they are only meaningful for
/// the projection that handed them out: the accessors taking an index panic on an index from
/// elsewhere, like slice indexing does.
#[derive(Clone)]
pub struct Projection {
    base: Arc<Frozen>,
    delta: Delta,
}

impl Projection {
    pub fn node(&self, id: &str) -> Option<NodeIndex> {
        let n = match self.delta.added_node(id) {
            Some(k) => NodeIndex::new(self.base_nodes() + k),
            None => NodeIndex::new(self.base.node_ids.find(id)?),
        };
        self.is_live(n).then_some(n)
    }

    pub fn node_id(&self, n: NodeIndex) -> &str {
        match n.index().checked_sub(self.base_nodes()) {
            None => self.base.node_ids.get(n.index()),
            Some(k) => self.delta.added_nodes[k].id(),
        }
    }

    pub fn node_data(&self, n: NodeIndex) -> &NodeData {
        match n.index().checked_sub(self.base_nodes()) {
            None if self.delta.marked(n.index()) => self.delta.node_data(n.index()).unwrap_or(&self.base.graph[n]),
            None => &self.base.graph[n],
            Some(k) => &self.delta.added_nodes[k].value,
        }
    }

    pub fn relation(&self, relation_id: &str) -> Option<EdgeIndex> {
        // A relation changed since the base lives in the delta under the same id.
        let e = match self.delta.added_edge(relation_id) {
            Some(k) => EdgeIndex::new(self.base_edges() + k),
            None => EdgeIndex::new(self.base.relation_ids.find(relation_id)?),
        };
        (!self.delta.edge_removed(e.index())).then_some(e)
    }

    pub fn relation_id(&self, e: EdgeIndex) -> &str {
        match e.index().checked_sub(self.base_edges()) {
            None => self.base.relation_ids.get(e.index()),
            Some(k) => self.delta.added_edges[k].id(),
        }
    }

    pub fn edge_data(&self, e: EdgeIndex) -> &EdgeData {
        match e.index().checked_sub(self.base_edges()) {
            None => &self.base.graph[e],
            Some(k) => &self.delta.added_edges[k].value.data,
        }
    }

    /// The relation's source and target.
    pub fn endpoints(&self, e: EdgeIndex) -> (NodeIndex, NodeIndex) {
        match e.index().checked_sub(self.base_edges()) {
            None => {
                let edge = &self.base.graph.raw_edges()[e.index()];
                (edge.source(), edge.target())
            }
            Some(k) => {
                let edge = &self.delta.added_edges[k].value;
                (edge.source, edge.target)
            }
        }
    }

    pub fn predicate_iri(&self, e: EdgeIndex) -> &str {
        let predicate = usize::from(self.edge_data(e).predicate);
        match predicate.checked_sub(self.base.predicates.len()) {
            None => &self.base.predicates[predicate],
            Some(k) => self.delta.predicates.get(k).map_or("", |iri| iri),
        }
    }

    /// The index of a predicate IRI in the predicate table, if a relation uses it.
    pub fn predicate_index(&self, iri: &str) -> Option<u16> {
        self.base
            .predicate_index
            .get(iri)
            .copied()
            .or_else(|| self.delta.predicate_index(iri))
    }

    /// The IRIs of the documents relation `e` cites, in no particular order.
    pub fn documents(&self, e: EdgeIndex) -> impl Iterator<Item = &str> + '_ {
        let base = &self.base.documents;
        let documents = &self.delta.documents;
        documents
            .set(base, self.edge_data(e).documents)
            .iter()
            .map(move |&document| documents.iri(base, document))
    }

    /// The positions in [`Projection::document_iris`] of the documents relation `e` cites, sorted.
    pub fn document_positions(&self, e: EdgeIndex) -> &[u32] {
        self.delta
            .documents
            .set(&self.base.documents, self.edge_data(e).documents)
    }

    /// The document sets (see [`EdgeData::documents`]) that cite the document `iri`, sorted;
    /// empty when no relation cites it.
    pub fn document_sets_citing(&self, iri: &str) -> Vec<u32> {
        let (base, documents) = (&self.base.documents, &self.delta.documents);
        documents
            .document(base, iri)
            .map(|document| documents.sets_with(base, document))
            .unwrap_or_default()
    }

    /// Every document a relation cites or once cited, each once.
    pub fn document_iris(&self) -> impl Iterator<Item = &str> {
        self.delta.documents.iris(&self.base.documents)
    }

    /// The IRIs of the relations' predicates, each once.
    pub fn predicate_iris(&self) -> impl Iterator<Item = &str> {
        let base = self.base.predicates.iter().map(|iri| &**iri);
        base.chain(self.delta.predicates.iter().map(|iri| &**iri))
    }

    /// How many entities there are.
    pub fn node_count(&self) -> usize {
        self.node_bound() - self.delta.removed_nodes.len()
    }

    /// How many relations there are.
    pub fn edge_count(&self) -> usize {
        self.edge_bound() - self.delta.removed_edges.len()
    }

    /// One past the largest node index: the length of an array indexed by node.
    pub fn node_bound(&self) -> usize {
        self.base_nodes() + self.delta.added_nodes.len()
    }

    /// One past the largest edge index.
    pub fn edge_bound(&self) -> usize {
        self.base_edges() + self.delta.added_edges.len()
    }

    /// Every node, in index order.
    pub fn nodes(&self) -> impl Iterator<Item = NodeIndex> + '_ {
        skipping(self.node_bound(), &self.delta.removed_nodes).map(NodeIndex::new)
    }

    /// Every relation, in index order.
    pub fn edges(&self) -> impl Iterator<Item = EdgeIndex> + '_ {
        skipping(self.edge_bound(), &self.delta.removed_edges).map(EdgeIndex::new)
    }

    /// The relations touching `n`, outgoing ones first, then incoming ones.
    pub fn edges_of(&self, n: NodeIndex) -> impl Iterator<Item = EdgeIndex> + '_ {
        let (outgoing, incoming) = self.runs(n);
        outgoing.iter().chain(incoming).map(|&(edge, _)| edge)
    }

    /// A rough estimate of the heap and inline memory the projection holds, for benchmarks.
    pub fn approximate_bytes(&self) -> usize {
        use std::mem::size_of;
        let base = &self.base;
        size_of::<Self>()
            + base.graph.node_count() * size_of::<petgraph::graph::Node<NodeData, u32>>()
            + base.graph.edge_count() * size_of::<petgraph::graph::Edge<EdgeData, u32>>()
            + base.node_ids.bytes()
            + base.relation_ids.bytes()
            + base
                .predicates
                .iter()
                .map(|iri| iri.len() + size_of::<Box<str>>())
                .sum::<usize>()
            + base.documents.bytes()
            + base.node_ranks.bytes()
            + base.edge_ranks.bytes()
            + base.adjacency.bytes()
            + self.delta.bytes()
    }

    /// Compares two paths in the tie order of the module documentation: fewer relations first,
    /// then the node id sequence, then the relation id sequence.
    pub fn compare_paths(&self, a: &GraphPath, b: &GraphPath) -> Ordering {
        a.hops()
            .cmp(&b.hops())
            .then_with(|| {
                a.nodes
                    .iter()
                    .map(|&n| self.rank(n))
                    .cmp(b.nodes.iter().map(|&n| self.rank(n)))
            })
            .then_with(|| {
                let edge_rank = |e: &EdgeIndex| self.edge_rank(*e);
                a.edges.iter().map(edge_rank).cmp(b.edges.iter().map(edge_rank))
            })
    }

    /// The node's place in id order.
    pub(crate) fn rank(&self, n: NodeIndex) -> Rank {
        match n.index().checked_sub(self.base_nodes()) {
            None => base_rank(self.base.node_ranks.rank(n.index())),
            Some(k) => self.delta.added_nodes[k].rank,
        }
    }

    /// The relation's place in id order.
    pub(crate) fn edge_rank(&self, e: EdgeIndex) -> Rank {
        match e.index().checked_sub(self.base_edges()) {
            None => base_rank(self.base.edge_ranks.rank(e.index())),
            Some(k) => self.delta.added_edges[k].rank,
        }
    }

    /// Whether `n` is a node of this projection; searches check their arguments with it so that a
    /// stale index gives no path rather than a panic.
    pub(crate) fn contains(&self, n: NodeIndex) -> bool {
        n.index() < self.node_bound() && self.is_live(n)
    }

    /// Whether a write touched `n` since the base was built (its data, its relations, or its
    /// existence); always for a node added since.
    pub fn changed_since_base(&self, n: NodeIndex) -> bool {
        n.index() >= self.base_nodes() || self.delta.marked(n.index())
    }

    fn is_live(&self, n: NodeIndex) -> bool {
        let i = n.index();
        if i < self.base_nodes() && !self.delta.marked(i) {
            return true;
        }
        !self.delta.node_removed(i)
    }

    fn base_nodes(&self) -> usize {
        self.base.graph.node_count()
    }

    fn base_edges(&self) -> usize {
        self.base.graph.edge_count()
    }

    /// Node `n`'s outgoing relations, then its incoming ones, each with the node at the other
    /// end and sorted by it (then by relation).
    pub(crate) fn runs(&self, n: NodeIndex) -> Runs<'_> {
        let i = n.index();
        if i < self.base_nodes() && !self.delta.marked(i) {
            return self.base.adjacency.runs(i);
        }
        match self.delta.run(i) {
            Some(run) => run.split(),
            None if i < self.base_nodes() => self.base.adjacency.runs(i),
            None => (&[], &[]),
        }
    }

    pub(crate) fn outgoing(&self, n: NodeIndex) -> &[(EdgeIndex, NodeIndex)] {
        self.runs(n).0
    }

    #[cfg(test)]
    pub(crate) fn incoming(&self, n: NodeIndex) -> &[(EdgeIndex, NodeIndex)] {
        self.runs(n).1
    }

    /// Whether relation `e`'s predicate is declared symmetric.
    pub fn is_symmetric(&self, e: EdgeIndex) -> bool {
        let predicate = usize::from(self.edge_data(e).predicate);
        match self.base.symmetric_predicates.get(predicate) {
            Some(&symmetric) => symmetric,
            None => self
                .base
                .symmetric
                .binary_search_by(|iri| (**iri).cmp(self.predicate_iri(e)))
                .is_ok(),
        }
    }

    /// The IRIs of the predicates declared symmetric, sorted.
    pub fn symmetric_predicates(&self) -> impl Iterator<Item = &str> {
        self.base.symmetric.iter().map(|iri| &**iri)
    }

    /// Node `n`'s runs as a search in `direction` sees them (towards `n` when `backward`), each
    /// step with the node at the other end: the relations along the direction, the ones against
    /// it, and whether only the symmetric relations of the second run may be walked (false when
    /// all of it may, direction `Both`; the run is empty when none may, no predicate being
    /// symmetric).
    pub(crate) fn oriented(&self, n: NodeIndex, direction: Direction, backward: bool) -> (&[Step], &[Step], bool) {
        let (outgoing, incoming) = self.runs(n);
        let (along, against) = if backward != (direction == Direction::In) {
            (incoming, outgoing)
        } else {
            (outgoing, incoming)
        };
        match direction {
            Direction::Both => (along, against, false),
            _ if self.base.symmetric.is_empty() => (along, &[], false),
            _ => (along, against, true),
        }
    }

    /// The relations leading away from `n` (towards `n` when `backward`) that a search in
    /// `direction` may walk, with the node at their other end: along the direction first.
    pub(crate) fn steps(
        &self,
        n: NodeIndex,
        direction: Direction,
        backward: bool,
    ) -> impl Iterator<Item = (EdgeIndex, NodeIndex)> + '_ {
        let (along, against, symmetric_only) = self.oriented(n, direction, backward);
        along.iter().copied().chain(
            against
                .iter()
                .copied()
                .filter(move |&(e, _)| !symmetric_only || self.is_symmetric(e)),
        )
    }
}

/// `0..bound` without the sorted `removed`.
fn skipping(bound: usize, removed: &[u32]) -> impl Iterator<Item = usize> + '_ {
    let mut next_removed = 0;
    (0..bound).filter(move |&i| {
        while removed.get(next_removed).is_some_and(|&r| (r as usize) < i) {
            next_removed += 1;
        }
        removed.get(next_removed).is_none_or(|&r| r as usize != i)
    })
}

/// Lists nodes and relations by id, one line each, which is what a failing test needs to show.
impl std::fmt::Debug for Projection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let range = |range: Option<DayRange>| range.map(|r| format!("{}..{}", r.earliest, r.latest));
        let nodes: Vec<String> = self
            .nodes()
            .map(|n| {
                let data = self.node_data(n);
                let (start, end) = (range(data.start), range(data.end));
                format!(
                    "{} {:?} {:?} start {start:?} end {end:?}",
                    self.node_id(n),
                    data.kind,
                    data.openness
                )
            })
            .collect();
        let edges: Vec<String> = self
            .edges()
            .map(|e| {
                let data = self.edge_data(e);
                let mut documents: Vec<&str> = self.documents(e).collect();
                documents.sort_unstable();
                format!(
                    "{} {:?} {} {:?} {} {documents:?}",
                    self.relation_id(e),
                    data.kind,
                    self.predicate_iri(e),
                    data.evidence,
                    data.confidence
                )
            })
            .collect();
        f.debug_struct("Projection")
            .field("nodes", &nodes)
            .field("edges", &edges)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::oracle::{build, ids, plain};
    use super::*;

    #[test]
    fn the_builder_interns_ids_and_rejects_what_no_path_could_use() {
        let mut builder = ProjectionBuilder::new();
        assert!(builder.add_node("b", plain()));
        assert!(builder.add_node("a", plain()));
        let closed = NodeData {
            openness: Some(Openness::Closed),
            ..plain()
        };
        assert!(!builder.add_node("a", closed), "a duplicate id is ignored");
        assert!(builder.add_edge("a--p--b", "a", "b", EdgeFacts::new("https://x/p", RelationKind::Direct)));
        assert!(builder.add_edge(
            "b--p--a",
            "b",
            "a",
            EdgeFacts::new("https://x/p", RelationKind::Indirect)
        ));
        assert!(builder.add_edge("a--q--b", "a", "b", EdgeFacts::new("https://x/q", RelationKind::Direct)));
        assert!(!builder.add_edge("a--p--b", "b", "a", EdgeFacts::new("https://x/p", RelationKind::Direct)));
        assert!(!builder.add_edge("a--p--a", "a", "a", EdgeFacts::new("https://x/p", RelationKind::Direct)));
        assert!(!builder.add_edge("a--p--c", "a", "c", EdgeFacts::new("https://x/p", RelationKind::Direct)));
        let projection = builder.build();

        assert_eq!((projection.node_count(), projection.edge_count()), (2, 3));
        let a = projection.node("a").unwrap();
        let b = projection.node("b").unwrap();
        assert_eq!(projection.node_id(a), "a");
        assert_eq!(
            projection.node_data(a).openness,
            Some(Openness::Open),
            "the first a wins"
        );
        assert!(projection.node("c").is_none());
        let back = projection.relation("b--p--a").unwrap();
        assert_eq!(projection.relation_id(back), "b--p--a");
        assert_eq!(projection.endpoints(back), (b, a));
        assert_eq!(projection.edge_data(back).kind, RelationKind::Indirect);
        assert_eq!(projection.predicate_iri(back), "https://x/p");
        let forward = projection.relation("a--p--b").unwrap();
        assert_eq!(
            projection.edge_data(forward).predicate,
            projection.edge_data(back).predicate
        );
        assert_eq!(
            projection.predicate_iri(projection.relation("a--q--b").unwrap()),
            "https://x/q"
        );
        assert_eq!(projection.edges_of(a).count(), 3);
        assert_eq!(projection.nodes().count(), 2);
        assert!(projection.approximate_bytes() > 0);
    }

    #[test]
    fn paths_compare_by_length_then_node_ids_then_relation_ids() {
        let projection = build(
            &[("x", plain())],
            &[
                ("s", "p", "ab"),
                ("s", "q", "ab"),
                ("ab", "p", "t"),
                ("s", "p", "b"),
                ("b", "p", "t"),
                ("s", "p", "t"),
            ],
        );
        let path = |nodes: &[&str], relations: &[&str]| GraphPath {
            nodes: nodes.iter().map(|id| projection.node(id).unwrap()).collect(),
            edges: relations.iter().map(|id| projection.relation(id).unwrap()).collect(),
        };
        let direct = path(&["s", "t"], &["s--p--t"]);
        let via_ab_p = path(&["s", "ab", "t"], &["s--p--ab", "ab--p--t"]);
        let via_ab_q = path(&["s", "ab", "t"], &["s--q--ab", "ab--p--t"]);
        let via_b = path(&["s", "b", "t"], &["s--p--b", "b--p--t"]);
        let mut paths = vec![via_b.clone(), via_ab_q.clone(), direct.clone(), via_ab_p.clone()];
        paths.sort_by(|a, b| projection.compare_paths(a, b));
        assert_eq!(paths, vec![direct, via_ab_p, via_ab_q, via_b]);
        assert_eq!(ids(&projection, &paths[1]), ["s", "ab", "t"]);
    }
}
