//! Test support: small hand-made graphs, a brute-force enumerator of every simple path (the
//! oracle the searches are checked against, written from the specification rather than from the
//! searches' code), a validator for returned paths, and property tests over random small graphs.

use proptest::prelude::*;

use super::constraints::{Constraints, Linking};
use super::{
    DayWindow, Direction, EdgeFacts, EdgeIndex, Filter, GraphPath, NodeData, NodeIndex, Parallel, Projection,
    ProjectionBuilder,
};
use crate::model::{EntityKind, EvidenceType, Openness, PartialDate, RelationKind};

/// An open, undated meeting.
pub(super) fn plain() -> NodeData {
    NodeData {
        kind: EntityKind::Meeting,
        openness: Some(Openness::Open),
        start: None,
        end: None,
        ongoing: false,
    }
}

pub(super) fn closed() -> NodeData {
    NodeData {
        openness: Some(Openness::Closed),
        ..plain()
    }
}

/// An open meeting starting on a partial date.
pub(super) fn on(date: &str) -> NodeData {
    NodeData {
        start: Some(date.parse::<PartialDate>().unwrap().day_range()),
        ..plain()
    }
}

/// The predicate the generated graphs declare symmetric ([`build`]'s `kept-apart`, [`arb_spec`]'s
/// `p2`).
const SYMMETRIC: [&str; 2] = ["https://example.org/kept-apart", "https://example.org/p2"];

/// Builds a projection from the listed nodes, plus a [`plain`] node for every other id an edge
/// names. An edge `(source, predicate, target)` gets the id `source--predicate--target`; it is
/// indirect when its predicate is `influenced`, direct otherwise; `kept-apart` is symmetric.
pub(super) fn build(nodes: &[(&str, NodeData)], edges: &[(&str, &str, &str)]) -> Projection {
    let mut builder = ProjectionBuilder::new();
    builder.symmetric(SYMMETRIC);
    for (id, data) in nodes {
        builder.add_node(id, *data);
    }
    for (source, _, target) in edges {
        builder.add_node(source, plain());
        builder.add_node(target, plain());
    }
    for (source, predicate, target) in edges {
        let kind = if *predicate == "influenced" {
            RelationKind::Indirect
        } else {
            RelationKind::Direct
        };
        let id = format!("{source}--{predicate}--{target}");
        let predicate = format!("https://example.org/{predicate}");
        assert!(builder.add_edge(&id, source, target, EdgeFacts::new(&predicate, kind)));
    }
    builder.build()
}

/// The documents generated relations cite.
const DOCUMENTS: [&str; 3] = [
    "https://example.org/d0",
    "https://example.org/d1",
    "https://example.org/d2",
];

/// The evidence type, confidence and documents of a generated relation: a function of its id, so
/// that a relation set twice with one id is the same relation.
fn facts_of(id: &str) -> (Option<EvidenceType>, Option<f64>, Vec<String>) {
    let hash = id
        .bytes()
        .fold(7_u32, |hash, byte| hash.wrapping_mul(31).wrapping_add(u32::from(byte)));
    let evidence = [
        None,
        Some(EvidenceType::SeedQuote),
        Some(EvidenceType::PublicSource),
        Some(EvidenceType::Inferred),
    ][(hash % 4) as usize];
    let confidence = [None, Some(0.4), Some(0.8)][(hash / 4 % 3) as usize];
    let documents = match hash / 12 % 5 {
        0 => vec![],
        1 => vec![DOCUMENTS[0]],
        2 => vec![DOCUMENTS[1]],
        3 => vec![DOCUMENTS[0], DOCUMENTS[2]],
        _ => vec![DOCUMENTS[2], DOCUMENTS[1], DOCUMENTS[0]],
    };
    (evidence, confidence, documents.into_iter().map(str::to_owned).collect())
}

pub(super) fn ids<'p>(projection: &'p Projection, path: &GraphPath) -> Vec<&'p str> {
    path.nodes.iter().map(|&n| projection.node_id(n)).collect()
}

fn node_allowed(projection: &Projection, filter: &Filter, n: NodeIndex) -> bool {
    let data = projection.node_data(n);
    if let Some(wanted) = filter.openness
        && data.openness != Some(wanted)
    {
        return false;
    }
    let Some(window) = filter.window else {
        return true;
    };
    // Undated: the window decides. Dated: the entity lasts from its first known day to the last
    // day of its latest date, or for ever when it is ongoing and no end is known.
    let Some(first) = data.start.or(data.end) else {
        return window.undated;
    };
    let last = match data.end {
        None if data.ongoing => i32::MAX,
        end => end.map_or(first.latest, |end| end.latest.max(first.latest)),
    };
    window.from.is_none_or(|from| last >= from) && window.to.is_none_or(|to| first.earliest <= to)
}

/// Whether the filter lets relation `e` through, from what the generator gave it ([`facts_of`])
/// rather than from what the projection keeps. (Document sets are the projection's own numbers;
/// `relations_keep_their_facts_built_or_through_a_delta` checks them against the documents.)
fn edge_allowed(projection: &Projection, filter: &Filter, e: EdgeIndex) -> bool {
    let (evidence, confidence, _) = facts_of(projection.relation_id(e));
    let data = projection.edge_data(e);
    let iri = projection.predicate_iri(e);
    let predicates: Option<Vec<&str>> = filter.predicates.as_ref().map(|indices| {
        let table: Vec<&str> = projection.predicate_iris().collect();
        indices
            .iter()
            .filter_map(|&i| table.get(usize::from(i)).copied())
            .collect()
    });
    let confidence = confidence.unwrap_or(1.0);
    filter.kinds.as_ref().is_none_or(|kinds| kinds.contains(&data.kind))
        && predicates.is_none_or(|predicates| predicates.contains(&iri))
        && filter
            .evidence
            .as_ref()
            .is_none_or(|wanted| evidence.is_some_and(|evidence| wanted.contains(&evidence)))
        && filter
            .min_confidence
            .is_none_or(|least| confidence * 10_000.0 >= f64::from(least) - 0.5)
        && filter
            .document_sets
            .as_ref()
            .is_none_or(|sets| sets.contains(&data.documents))
}

/// The shortest path between two ids as ids, checked against brute force on the way.
pub(super) fn shortest<'p>(projection: &'p Projection, from: &str, to: &str, filter: &Filter) -> Option<Vec<&'p str>> {
    let (from, to) = (projection.node(from).unwrap(), projection.node(to).unwrap());
    let path = projection.shortest_path(from, to, filter);
    assert_eq!(
        path,
        all_paths(projection, from, to, filter).into_iter().next(),
        "against brute force"
    );
    path.map(|path| ids(projection, &path))
}

/// No dated node is definitely before a dated node earlier on the path.
fn respects_time(projection: &Projection, path: &GraphPath) -> bool {
    let dates: Vec<_> = path
        .nodes
        .iter()
        .filter_map(|&n| projection.node_data(n).ordering_date())
        .collect();
    dates
        .iter()
        .enumerate()
        .all(|(i, later)| dates[..i].iter().all(|earlier| later.latest >= earlier.earliest))
}

/// Every simple path from `from` to `to` the filter allows, sorted in the tie order by comparing
/// the id strings themselves.
pub(super) fn all_paths(projection: &Projection, from: NodeIndex, to: NodeIndex, filter: &Filter) -> Vec<GraphPath> {
    fn extend(projection: &Projection, filter: &Filter, to: NodeIndex, path: &mut GraphPath, out: &mut Vec<GraphPath>) {
        let last = *path.nodes.last().unwrap();
        if last == to {
            out.push(path.clone());
            return;
        }
        if filter.max_hops.is_some_and(|max| path.hops() >= max) {
            return;
        }
        for e in projection.edges() {
            let Some(next) = walk(projection, filter, e, last) else {
                continue;
            };
            if !edge_allowed(projection, filter, e)
                || !node_allowed(projection, filter, next)
                || path.nodes.contains(&next)
            {
                continue;
            }
            path.nodes.push(next);
            path.edges.push(e);
            extend(projection, filter, to, path, out);
            path.nodes.pop();
            path.edges.pop();
        }
    }

    let mut out = Vec::new();
    if node_allowed(projection, filter, from) && node_allowed(projection, filter, to) {
        extend(projection, filter, to, &mut GraphPath::single(from), &mut out);
    }
    if filter.temporal {
        out.retain(|path| respects_time(projection, path));
    }
    let key = |path: &GraphPath| {
        let nodes: Vec<&str> = path.nodes.iter().map(|&n| projection.node_id(n)).collect();
        let edges: Vec<&str> = path.edges.iter().map(|&e| projection.relation_id(e)).collect();
        (path.hops(), nodes, edges)
    };
    out.sort_by_cached_key(key);
    out
}

/// Paths from [`all_paths`] with one path per node sequence: the first in the tie order of
/// those through the same nodes.
pub(super) fn first_per_sequence(mut paths: Vec<GraphPath>) -> Vec<GraphPath> {
    // Sorted by length then node ids, paths through the same nodes are neighbours, the first of
    // them with the smallest relation ids.
    paths.dedup_by(|later, first| later.nodes == first.nodes);
    paths
}

/// The ids of the relations each hop of `path` may take, in id order: the relations at that
/// position in the filter's paths through the same nodes (`all`, from [`all_paths`]).
pub(super) fn hop_relations<'p>(projection: &'p Projection, path: &GraphPath, all: &[GraphPath]) -> Vec<Vec<&'p str>> {
    (0..path.hops())
        .map(|hop| {
            let mut relations: Vec<&str> = all
                .iter()
                .filter(|other| other.nodes == path.nodes)
                .map(|other| projection.relation_id(other.edges[hop]))
                .collect();
            relations.sort_unstable();
            relations.dedup();
            relations
        })
        .collect()
}

/// What [`Projection::parallel_relations`] lists for each hop of `path`, as ids.
fn parallel_relations<'p>(projection: &'p Projection, path: &GraphPath, filter: &Filter) -> Vec<Vec<&'p str>> {
    path.nodes
        .windows(2)
        .map(|hop| {
            projection
                .parallel_relations(hop[0], hop[1], filter)
                .into_iter()
                .map(|e| projection.relation_id(e))
                .collect()
        })
        .collect()
}

/// Asserts that `path` is a simple walk from `from` to `to` that the filter allows.
pub(super) fn check_path(projection: &Projection, path: &GraphPath, from: NodeIndex, to: NodeIndex, filter: &Filter) {
    assert_eq!(path.nodes.len(), path.edges.len() + 1, "{path:?}");
    assert_eq!((path.nodes[0], *path.nodes.last().unwrap()), (from, to));
    for (i, &e) in path.edges.iter().enumerate() {
        let (source, target) = projection.endpoints(e);
        let forward = (source, target) == (path.nodes[i], path.nodes[i + 1]);
        let backward = (target, source) == (path.nodes[i], path.nodes[i + 1]);
        let symmetric = SYMMETRIC.contains(&projection.predicate_iri(e));
        assert!(
            (forward && (filter.direction != Direction::In || symmetric))
                || (backward && (filter.direction != Direction::Out || symmetric)),
            "relation {i} does not join its nodes: {path:?}"
        );
        assert!(
            edge_allowed(projection, filter, e),
            "relation {i} is filtered out: {path:?}"
        );
    }
    let mut distinct = path.nodes.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), path.nodes.len(), "not simple: {path:?}");
    assert!(path.nodes.iter().all(|&n| node_allowed(projection, filter, n)));
    assert!(filter.max_hops.is_none_or(|max| path.hops() <= max));
    assert!(!filter.temporal || respects_time(projection, path));
}

const IDS: [&str; 9] = ["a", "ab", "b", "ba", "c", "ca", "d", "e", "f"];

/// A partial date: a year offset, a month, a day.
type DateSeed = (i32, Option<u8>, Option<u8>);

fn arb_date() -> impl Strategy<Value = Option<DateSeed>> {
    let seed = (
        -2..=2_i32,
        proptest::option::weighted(0.8, 1..=12_u8),
        proptest::option::of(1..=28_u8),
    );
    proptest::option::weighted(
        0.6,
        seed.prop_map(|(offset, month, day)| (offset, month, month.and(day))),
    )
}

fn arb_node() -> impl Strategy<Value = (Option<Openness>, Option<DateSeed>, Option<DateSeed>, bool)> {
    let openness = prop_oneof![8 => Just(Some(Openness::Open)), 1 => Just(Some(Openness::Closed)), 1 => Just(None)];
    (
        openness,
        arb_date(),
        proptest::option::weighted(0.2, arb_date()).prop_map(Option::flatten),
        proptest::bool::weighted(0.2),
    )
}

/// Up to 9 nodes with shuffled ids and up to 20 relations, parallel and antiparallel ones included.
/// Most relations follow a backbone through the nodes in order, mostly forwards, so that shortest
/// paths are long and have alternatives; the others join random nodes. In half of the graphs dates
/// mostly grow along the backbone, so that time-respecting paths exist but shortcuts often go back
/// in time; in the other half they are random.
fn arb_spec() -> impl Strategy<Value = Spec> {
    let count = prop_oneof![1 => 1..=9_usize, 3 => 7..=9_usize];
    let nodes = count.prop_flat_map(|count| proptest::collection::vec(arb_node(), count));
    let relation = (0..3_u8, proptest::bool::weighted(0.8));
    let link = (
        proptest::bool::weighted(0.9),
        proptest::bool::weighted(0.25),
        relation.clone(),
    );
    let backbone = proptest::collection::vec(link, 8);
    let extra = (0..9_usize, 0..9_usize, relation);
    let extra = prop_oneof![
        3 => proptest::collection::vec(extra.clone(), 0..=5),
        1 => proptest::collection::vec(extra, 0..=12),
    ];
    let ids = Just(IDS.to_vec()).prop_shuffle();
    (nodes, backbone, extra, ids, any::<bool>()).prop_map(|(nodes, backbone, extra, ids, in_order)| {
        let mut spec = Spec::default();
        for (position, (id, (openness, start, end, ongoing))) in ids.iter().zip(&nodes).enumerate() {
            let day_range = |(offset, month, day): DateSeed| {
                let year = if in_order {
                    2010 + position as i32 + offset / 2
                } else {
                    2013 + offset
                };
                PartialDate { year, month, day }.day_range()
            };
            let data = NodeData {
                kind: EntityKind::Meeting,
                openness: *openness,
                start: start.map(day_range),
                end: end.map(day_range),
                ongoing: *ongoing,
            };
            spec.nodes.push((id, data));
        }
        let backbone = backbone
            .into_iter()
            .enumerate()
            .filter(|&(_, (present, ..))| present)
            .map(|(i, (_, reverse, relation))| {
                if reverse {
                    (i + 1, i, relation)
                } else {
                    (i, i + 1, relation)
                }
            });
        for (source, target, (predicate, direct)) in backbone.chain(extra) {
            let (source, target) = (ids[source % nodes.len()], ids[target % nodes.len()]);
            let kind = if direct {
                RelationKind::Direct
            } else {
                RelationKind::Indirect
            };
            let id = format!("{source}--p{predicate}--{target}");
            spec.edges
                .push((id, source, target, format!("https://example.org/p{predicate}"), kind));
        }
        spec
    })
}

/// [`arb_spec`] with relations added alongside some of its relations: between the same two
/// nodes, either way round, under predicates the spec does not use (`p3`, `p4`), so that many
/// hops have a choice of relations.
fn arb_parallel_spec() -> impl Strategy<Value = Spec> {
    let copy = proptest::option::weighted(0.4, (3..5_u8, any::<bool>(), proptest::bool::weighted(0.8)));
    (arb_spec(), proptest::collection::vec(copy, 20)).prop_map(|(mut spec, copies)| {
        let added: Vec<_> = spec
            .edges
            .iter()
            .zip(copies)
            .filter_map(|((_, source, target, _, _), copy)| {
                let (predicate, reverse, direct) = copy?;
                let (source, target) = if reverse {
                    (*target, *source)
                } else {
                    (*source, *target)
                };
                let kind = if direct {
                    RelationKind::Direct
                } else {
                    RelationKind::Indirect
                };
                let id = format!("{source}--p{predicate}--{target}");
                Some((id, source, target, format!("https://example.org/p{predicate}"), kind))
            })
            .collect();
        spec.edges.extend(added);
        spec
    })
}

/// A projection of [`arb_spec`], built at once or, half the time, through a delta.
fn arb_projection() -> impl Strategy<Value = Projection> {
    projection_of(arb_spec())
}

/// A projection of a spec, built at once or, half the time, through a delta.
fn projection_of(spec: impl Strategy<Value = Spec>) -> impl Strategy<Value = Projection> {
    (spec, proptest::option::weighted(0.5, any::<u64>())).prop_map(|(spec, delta)| match delta {
        None => spec.build(),
        Some(seed) => spec.through_a_delta(seed),
    })
}

/// A projection's nodes and relations, to build at once or through a delta.
#[derive(Clone, Debug, Default)]
struct Spec {
    nodes: Vec<(&'static str, NodeData)>,
    edges: Vec<(String, &'static str, &'static str, String, RelationKind)>,
}

impl Spec {
    fn build(&self) -> Projection {
        let mut builder = ProjectionBuilder::new();
        builder.symmetric(SYMMETRIC);
        for (id, data) in &self.nodes {
            builder.add_node(id, *data);
        }
        for (id, source, target, predicate, kind) in &self.edges {
            let (evidence, confidence, documents) = facts_of(id);
            let facts = EdgeFacts {
                evidence,
                confidence,
                documents: &documents,
                ..EdgeFacts::new(predicate, *kind)
            };
            builder.add_edge(id, source, target, facts);
        }
        builder.build()
    }

    /// The same projection, reached by changes to a base that differs from it: some nodes
    /// missing or with other data, some relations missing, reversed or of the other kind, and
    /// a node and relations that must go. `seed` chooses which.
    fn through_a_delta(&self, seed: u64) -> Projection {
        let chosen = |salt: u64, i: usize| (seed.rotate_left((salt * 13 + i as u64) as u32 % 64)) & 1 == 1;
        let mut base = ProjectionBuilder::new();
        base.symmetric(SYMMETRIC);
        base.add_node("zz-gone", plain());
        for (i, (id, data)) in self.nodes.iter().enumerate() {
            if chosen(1, i) {
                base.add_node(id, if chosen(2, i) { closed() } else { *data });
            }
        }
        base.add_node("a-gone", plain());
        for (i, (id, source, target, predicate, kind)) in self.edges.iter().enumerate() {
            let other = match kind {
                RelationKind::Direct => RelationKind::Indirect,
                RelationKind::Indirect => RelationKind::Direct,
            };
            let (evidence, confidence, documents) = facts_of(id);
            let facts = EdgeFacts {
                evidence,
                confidence,
                documents: &documents,
                ..EdgeFacts::new(predicate, *kind)
            };
            let other_facts = EdgeFacts {
                kind: other,
                confidence: Some(0.5),
                documents: &documents[documents.len().min(1)..],
                ..facts
            };
            match (chosen(3, i), chosen(4, i), chosen(5, i)) {
                (true, true, true) => base.add_edge(id, source, target, facts),
                (true, true, false) => base.add_edge(id, source, target, other_facts),
                (true, false, _) => base.add_edge(id, target, source, other_facts),
                _ => false,
            };
            base.add_edge(&format!("{id}-gone"), source, "zz-gone", facts);
        }
        let base = base.build();
        // The builder keeps the first of two relations with one id; a delta keeps the last set.
        let mut seen = std::collections::HashSet::new();
        let edges: Vec<_> = self.edges.iter().filter(|edge| seen.insert(&edge.0)).collect();
        let nodes = self.nodes.iter().map(|(id, data)| (*id, Some(*data)));
        let gone = [("zz-gone", None), ("a-gone", None)];
        let facts: Vec<_> = edges.iter().map(|edge| facts_of(&edge.0)).collect();
        let relations = edges.iter().zip(&facts).map(
            |((id, source, target, predicate, kind), (evidence, confidence, documents))| {
                let change = super::RelationChange {
                    source,
                    target,
                    facts: EdgeFacts {
                        evidence: *evidence,
                        confidence: *confidence,
                        documents,
                        ..EdgeFacts::new(predicate, *kind)
                    },
                };
                (id.as_str(), Some(change))
            },
        );
        // In two steps, so that a delta is built on a delta.
        let half = base.with_changes(nodes.chain(gone), []);
        half.with_changes([], relations)
    }
}

fn arb_filter() -> impl Strategy<Value = Filter> {
    let kinds = prop_oneof![
        6 => Just(None),
        1 => Just(Some(vec![RelationKind::Direct])),
        1 => Just(Some(vec![RelationKind::Indirect])),
        1 => Just(Some(vec![RelationKind::Direct, RelationKind::Indirect])),
    ];
    let openness = prop_oneof![6 => Just(None), 2 => Just(Some(Openness::Open)), 1 => Just(Some(Openness::Closed))];
    let bound = proptest::option::of(14_600..17_200_i32);
    let window = (bound.clone(), bound, any::<bool>()).prop_map(|(from, to, undated)| DayWindow { from, to, undated });
    let window = proptest::option::weighted(0.15, window);
    let max_hops = proptest::option::weighted(0.3, 0..6_usize);
    (
        arb_direction(),
        kinds,
        openness,
        window,
        proptest::bool::weighted(0.6),
        max_hops,
        arb_relation_filter(),
    )
        .prop_map(
            |(direction, kinds, openness, window, temporal, max_hops, relations)| Filter {
                direction,
                kinds,
                openness,
                window,
                temporal,
                max_hops,
                ..relations
            },
        )
}

/// Filters on predicates, evidence, confidence and documents, by the projection's indices (a
/// predicate or set index no relation has lets nothing of it through, as in a real query).
fn arb_relation_filter() -> impl Strategy<Value = Filter> {
    let subset =
        |max: u32| proptest::collection::btree_set(0..max, 0..3).prop_map(|set| set.into_iter().collect::<Vec<u32>>());
    let predicates = proptest::option::weighted(
        0.12,
        subset(4).prop_map(|set| set.into_iter().map(|p| p as u16).collect()),
    );
    let evidence = proptest::option::weighted(0.12, proptest::sample::subsequence(EvidenceType::ALL.to_vec(), 1..=3));
    let min_confidence = proptest::option::weighted(
        0.12,
        prop_oneof![Just(4_000_u16), Just(5_000), Just(8_000), Just(10_000)],
    );
    let document_sets = proptest::option::weighted(0.12, subset(6));
    (predicates, evidence, min_confidence, document_sets).prop_map(
        |(predicates, evidence, min_confidence, document_sets)| Filter {
            predicates,
            evidence,
            min_confidence,
            document_sets,
            ..Filter::default()
        },
    )
}

fn arb_direction() -> impl Strategy<Value = Direction> {
    prop_oneof![Just(Direction::Out), Just(Direction::In), Just(Direction::Both)]
}

/// The node reached by walking `e` from `n`, if the filter's direction allows it: forwards
/// unless the direction is `In`, backwards unless it is `Out`, either way if the predicate is
/// symmetric.
fn walk(projection: &Projection, filter: &Filter, e: EdgeIndex, n: NodeIndex) -> Option<NodeIndex> {
    let (source, target) = projection.endpoints(e);
    let symmetric = SYMMETRIC.contains(&projection.predicate_iri(e));
    if source == n && (filter.direction != Direction::In || symmetric) {
        Some(target)
    } else if target == n && (filter.direction != Direction::Out || symmetric) {
        Some(source)
    } else {
        None
    }
}

fn joins(projection: &Projection, e: EdgeIndex, nodes: &[NodeIndex]) -> bool {
    let (source, target) = projection.endpoints(e);
    nodes.contains(&source) && nodes.contains(&target)
}

/// Each node's BFS distance from the nearest allowed root within `depth`, `usize::MAX` beyond.
fn distances(projection: &Projection, roots: &[NodeIndex], depth: usize, filter: &Filter) -> Vec<usize> {
    let mut distance = vec![usize::MAX; projection.node_bound()];
    let mut frontier: Vec<NodeIndex> = roots
        .iter()
        .copied()
        .filter(|&r| node_allowed(projection, filter, r))
        .collect();
    for &r in &frontier {
        distance[r.index()] = 0;
    }
    for level in 1..=depth {
        let mut next = Vec::new();
        for &n in &frontier {
            for e in projection.edges() {
                let Some(other) = walk(projection, filter, e, n) else {
                    continue;
                };
                if edge_allowed(projection, filter, e)
                    && node_allowed(projection, filter, other)
                    && distance[other.index()] == usize::MAX
                {
                    distance[other.index()] = level;
                    next.push(other);
                }
            }
        }
        frontier = next;
    }
    distance
}

/// Two node positions, mostly in backbone order so that directed searches find paths.
fn arb_ends() -> impl Strategy<Value = (usize, usize)> {
    let distinct = (0..9_usize, 1..9_usize).prop_map(|(a, step)| (a, (a + step) % 9));
    let ends = prop_oneof![9 => distinct, 1 => (0..9_usize).prop_map(|a| (a, a))];
    (ends, proptest::bool::weighted(0.75))
        .prop_map(|((a, b), ordered)| if ordered { (a.min(b), a.max(b)) } else { (a, b) })
}

/// The `n`th node (modulo their number), in index order.
fn nth_node(projection: &Projection, n: usize) -> NodeIndex {
    projection.nodes().nth(n % projection.node_count()).unwrap()
}

fn ends_in(projection: &Projection, (from, to): (usize, usize)) -> (NodeIndex, NodeIndex) {
    (nth_node(projection, from), nth_node(projection, to))
}

/// Checks the folded k shortest paths against brute force (`expected`, from [`all_paths`]): one
/// path per node sequence, each the first of its sequence, in the tie order; and each hop's
/// parallel relations against the relations the filter's paths through the same nodes take there.
fn check_folded(
    projection: &Projection,
    from: NodeIndex,
    to: NodeIndex,
    k: usize,
    filter: &Filter,
    expected: &[GraphPath],
) -> Result<(), TestCaseError> {
    let sequences = first_per_sequence(expected.to_vec());
    let folded = projection.k_shortest_paths(from, to, k, filter, Parallel::Fold);
    for path in &folded {
        check_path(projection, path, from, to, filter);
        prop_assert_eq!(
            parallel_relations(projection, path, filter),
            hop_relations(projection, path, expected),
            "hops of {:?}",
            ids(projection, path)
        );
    }
    prop_assert_eq!(&folded[..], &sequences[..k.min(sequences.len())]);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn searches_agree_with_brute_force(
        projection in arb_projection(),
        filter in arb_filter(),
        ends in arb_ends(),
        k in 1..8_usize,
        budget in 0..60_usize,
    ) {
        // Ends are mostly in backbone order: upstream searches start from the later one.
        let ends = if filter.direction == Direction::In { (ends.1, ends.0) } else { ends };
        let (from, to) = ends_in(&projection, ends);
        let expected = all_paths(&projection, from, to, &filter);

        let shortest = projection.shortest_path(from, to, &filter);
        if let Some(path) = &shortest {
            check_path(&projection, path, from, to, &filter);
        }
        prop_assert_eq!(shortest.as_ref(), expected.first());
        for linking in [Linking::Search, Linking::Scan] {
            let mut forced = Constraints::new(&filter);
            forced.linking = linking;
            prop_assert_eq!(&projection.first_path(from, to, &forced), &shortest, "{:?}", linking);
        }
        // A bounded search answers as the unbounded one or gives up; with room for every
        // relation from both sides, it never gives up.
        if let Ok(found) = projection.path_within(from, to, &filter, budget) {
            prop_assert_eq!(&found, &shortest, "within {}", budget);
        }
        let room = 4 * projection.edge_count() + 4;
        prop_assert_eq!(projection.path_within(from, to, &filter, room), Ok(shortest.clone()));

        let paths = projection.k_shortest_paths(from, to, k, &filter, Parallel::Expand);
        for path in &paths {
            check_path(&projection, path, from, to, &filter);
        }
        prop_assert_eq!(&paths[..], &expected[..k.min(expected.len())]);
        check_folded(&projection, from, to, k, &filter, &expected)?;

        prop_assert_eq!(projection.path_via(&[from, to], &filter), shortest);
    }

    #[test]
    fn time_respecting_searches_agree_with_brute_force(
        projection in arb_projection(),
        direction in arb_direction(),
        max_hops in proptest::option::weighted(0.2, 2..7_usize),
        ends in arb_ends(),
        k in 1..6_usize,
    ) {
        // Only time restricts the search, so that long time-respecting detours are common.
        let filter = Filter { direction, temporal: true, max_hops, ..Filter::default() };
        let (from, to) = ends_in(&projection, ends);
        let expected = all_paths(&projection, from, to, &filter);
        let shortest = projection.shortest_path(from, to, &filter);
        prop_assert_eq!(shortest.as_ref(), expected.first());
        let paths = projection.k_shortest_paths(from, to, k, &filter, Parallel::Expand);
        prop_assert_eq!(&paths[..], &expected[..k.min(expected.len())]);
        check_folded(&projection, from, to, k, &filter, &expected)?;
    }

    #[test]
    fn folded_searches_agree_with_brute_force_among_parallel_relations(
        projection in projection_of(arb_parallel_spec()),
        filter in arb_filter(),
        ends in arb_ends(),
        k in 1..8_usize,
    ) {
        let ends = if filter.direction == Direction::In { (ends.1, ends.0) } else { ends };
        let (from, to) = ends_in(&projection, ends);
        let expected = all_paths(&projection, from, to, &filter);
        let paths = projection.k_shortest_paths(from, to, k, &filter, Parallel::Expand);
        prop_assert_eq!(&paths[..], &expected[..k.min(expected.len())]);
        check_folded(&projection, from, to, k, &filter, &expected)?;
    }

}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn paths_via_waypoints_are_valid(
        projection in arb_projection(),
        filter in arb_filter(),
        stops in proptest::collection::vec(0..9_usize, 1..5),
    ) {
        let stops: Vec<NodeIndex> = stops.iter().map(|&s| nth_node(&projection, s)).collect();
        if let Some(path) = projection.path_via(&stops, &filter) {
            check_path(&projection, &path, stops[0], *stops.last().unwrap(), &filter);
            let mut position = 0;
            for stop in &stops {
                let found = path.nodes[position..].iter().position(|n| n == stop);
                prop_assert!(found.is_some(), "stops out of order in {:?}", path);
                position += found.unwrap_or(0);
            }
        }
    }

    #[test]
    fn neighbourhoods_are_the_nearest_reachable_nodes(
        projection in arb_projection(),
        filter in arb_filter(),
        roots in proptest::collection::vec(0..9_usize, 1..3),
        depth in 0..4_usize,
        limit in 0..10_usize,
    ) {
        let roots: Vec<NodeIndex> = roots.iter().map(|&r| nth_node(&projection, r)).collect();
        let found = projection.neighbourhood(&roots, depth, &filter, limit);

        let distance = distances(&projection, &roots, depth, &filter);
        let reachable = distance.iter().filter(|&&d| d != usize::MAX).count();

        prop_assert_eq!(found.nodes.len(), reachable.min(limit));
        prop_assert_eq!(found.truncated, reachable > limit);
        let keys: Vec<(usize, &str)> =
            found.nodes.iter().map(|&n| (distance[n.index()], projection.node_id(n))).collect();
        prop_assert!(keys.iter().all(|&(d, _)| d != usize::MAX));
        prop_assert!(keys.windows(2).all(|pair| pair[0] < pair[1]), "not in BFS then id order: {:?}", keys);
        let last = keys.last().map_or(0, |&(d, _)| d);
        let closer = distance.iter().filter(|&&d| d < last).count();
        prop_assert!(keys.iter().filter(|&&(d, _)| d < last).count() == closer, "a nearer node was left out");

        let mut expected_edges: Vec<&str> = projection
            .edges()
            .filter(|&e| joins(&projection, e, &found.nodes) && edge_allowed(&projection, &filter, e))
            .map(|e| projection.relation_id(e))
            .collect();
        expected_edges.sort();
        let edges: Vec<&str> = found.edges.iter().map(|&e| projection.relation_id(e)).collect();
        prop_assert_eq!(edges, expected_edges);
    }

    #[test]
    fn a_delta_gives_the_projection_a_build_gives(spec in arb_spec(), seed in any::<u64>()) {
        let (built, changed) = (spec.build(), spec.through_a_delta(seed));
        prop_assert_eq!(format!("{:?}", built.folded()), format!("{:?}", changed.folded()));
        prop_assert_eq!((built.node_count(), built.edge_count()), (changed.node_count(), changed.edge_count()));
        for n in built.nodes() {
            let m = changed.node(built.node_id(n)).unwrap();
            let steps = |projection: &Projection, n, direction, backward| {
                let mut steps: Vec<(String, String)> = projection
                    .steps(n, direction, backward)
                    .map(|(e, other)| (projection.relation_id(e).to_owned(), projection.node_id(other).to_owned()))
                    .collect();
                steps.sort();
                steps
            };
            for direction in [Direction::Out, Direction::In] {
                prop_assert_eq!(steps(&built, n, direction, false), steps(&changed, m, direction, false));
                prop_assert_eq!(steps(&built, n, direction, true), steps(&changed, m, direction, true));
            }
            prop_assert_eq!(built.degree(n), changed.degree(m));
        }
        let mut ranked: Vec<NodeIndex> = changed.nodes().collect();
        ranked.sort_by_key(|&n| changed.rank(n));
        let ids: Vec<&str> = ranked.iter().map(|&n| changed.node_id(n)).collect();
        prop_assert!(ids.windows(2).all(|pair| pair[0] < pair[1]), "ranks out of id order: {:?}", ids);
        let mut ranked: Vec<EdgeIndex> = changed.edges().collect();
        ranked.sort_by_key(|&e| changed.edge_rank(e));
        let ids: Vec<&str> = ranked.iter().map(|&e| changed.relation_id(e)).collect();
        prop_assert!(ids.windows(2).all(|pair| pair[0] < pair[1]), "ranks out of id order: {:?}", ids);
    }

    #[test]
    fn relations_keep_their_facts_built_or_through_a_delta(spec in arb_spec(), seed in any::<u64>()) {
        for projection in [spec.build(), spec.through_a_delta(seed), spec.through_a_delta(seed).folded()] {
            for e in projection.edges() {
                let (evidence, confidence, documents) = facts_of(projection.relation_id(e));
                let data = projection.edge_data(e);
                prop_assert_eq!(data.evidence, evidence);
                prop_assert_eq!(data.confidence, super::confidence(confidence));
                let mut cited: Vec<&str> = projection.documents(e).collect();
                cited.sort_unstable();
                let mut expected: Vec<&str> = documents.iter().map(String::as_str).collect();
                expected.sort_unstable();
                prop_assert_eq!(&cited, &expected);
            }
            for document in DOCUMENTS {
                let sets = projection.document_sets_citing(document);
                for e in projection.edges() {
                    let cites = projection.documents(e).any(|iri| iri == document);
                    prop_assert_eq!(sets.binary_search(&projection.edge_data(e).documents).is_ok(), cites);
                }
            }
        }
    }

    #[test]
    fn centrality_is_consistent(projection in arb_projection()) {
        let ranks = projection.pagerank(0.85, 30);
        prop_assert!((ranks.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        let between = projection.betweenness();
        prop_assert!(between.iter().all(|&b| (-1e-12..=1.0 + 1e-9).contains(&b)), "{:?}", between);
        let components = projection.components();
        prop_assert_eq!(components.iter().map(Vec::len).sum::<usize>(), projection.node_count());
        prop_assert!(components.windows(2).all(|pair| pair[0].len() >= pair[1].len()));
        let degrees: usize = projection.nodes().map(|n| projection.degree(n)).sum();
        prop_assert_eq!(degrees, 2 * projection.edge_count());
    }
}
