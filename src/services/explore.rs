//! The questions a researcher asks of the graph — paths, neighbourhoods, connections, timelines,
//! counts, rankings — answered from a [`Catalog`] with the limits of the configuration. Refs
//! are resolved here; results are entity and relation ids, which the API loads in batches.

use super::catalog::{Catalog, CommunityIds, CommunityReport};
use super::search::RefError;
use crate::config::Limits;
use crate::graph::{DayWindow, Filter, GaveUp, GraphPath, NodeIndex, Projection};

pub use crate::graph::{Direction, Parallel};
use crate::model::{DayRange, EntityKind, EvidenceType, Openness, PartialDate, RelationKind};
use crate::store::StoreError;
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    #[error("no entity matches `{reference}`")]
    NotFound {
        reference: String,
        suggestions: Vec<(String, String)>,
    },
    #[error("`{reference}` matches {} entities; use one of their ids", candidates.len())]
    Ambiguous {
        reference: String,
        candidates: Vec<(String, String)>,
    },
    #[error("{field}: {message}")]
    BadInput { field: &'static str, message: String },
    #[error("{limit} is limited to {max} (asked for {asked})")]
    LimitExceeded {
        limit: &'static str,
        max: usize,
        asked: usize,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl QueryError {
    /// Its row in the error table.
    pub fn code(&self) -> crate::error_code::ErrorCode {
        use crate::error_code::ErrorCode;
        match self {
            QueryError::NotFound { .. } => ErrorCode::NotFound,
            QueryError::Ambiguous { .. } => ErrorCode::Ambiguous,
            QueryError::BadInput { .. } => ErrorCode::BadUserInput,
            QueryError::LimitExceeded { .. } => ErrorCode::LimitExceeded,
            QueryError::Store(error) => error.code(),
        }
    }
}

impl From<RefError> for QueryError {
    fn from(error: RefError) -> Self {
        match error {
            RefError::NotFound { reference, suggestions } => QueryError::NotFound { reference, suggestions },
            RefError::Ambiguous { reference, candidates } => QueryError::Ambiguous { reference, candidates },
        }
    }
}

/// A date window given as partial dates; either end may be open. An entity meets it when its
/// span (an ongoing one's has no last day) overlaps it; undated entities meet it only with
/// `include_undated`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Window {
    pub from: Option<PartialDate>,
    pub to: Option<PartialDate>,
    pub include_undated: bool,
}

impl Window {
    /// Reads `from`/`to` as ISO dates (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`).
    pub fn parse(from: Option<&str>, to: Option<&str>, field: &'static str) -> Result<Self, QueryError> {
        let date = |text: Option<&str>| {
            text.map(str::parse::<PartialDate>)
                .transpose()
                .map_err(|message| QueryError::BadInput { field, message })
        };
        let window = Self {
            from: date(from)?,
            to: date(to)?,
            include_undated: false,
        };
        if let (Some(from), Some(to)) = (window.from, window.to)
            && to.is_before(&from)
        {
            return Err(QueryError::BadInput {
                field,
                message: format!("`to` ({to}) is before `from` ({from})"),
            });
        }
        Ok(window)
    }

    /// The same window with `include_undated` set.
    pub fn including_undated(self, include_undated: bool) -> Self {
        Self {
            include_undated,
            ..self
        }
    }

    fn days(&self) -> DayWindow {
        DayWindow {
            from: self.from.map(|d| d.day_range().earliest),
            to: self.to.map(|d| d.day_range().latest),
            undated: self.include_undated,
        }
    }

    /// Whether an entity with this span (`None`: undated) meets the window.
    pub(super) fn keeps(&self, span: Option<DayRange>) -> bool {
        self.days().passes(span)
    }
}

/// Reads an `asOf` date (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`).
pub fn as_of(text: Option<&str>) -> Result<Option<PartialDate>, QueryError> {
    text.map(str::parse::<PartialDate>)
        .transpose()
        .map_err(|message| QueryError::BadInput { field: "asOf", message })
}

/// The way a search walks relations, from `directed` (the older argument: true is OUT, false
/// BOTH) and `direction`; absent both, BOTH. Both given and disagreeing is an error naming both,
/// for GraphQL and `/subgraph` alike.
pub fn walk_direction(directed: Option<bool>, direction: Option<Direction>) -> Result<Direction, QueryError> {
    let from_directed = |directed| if directed { Direction::Out } else { Direction::Both };
    let name = |direction| match direction {
        Direction::Out => "OUT",
        Direction::In => "IN",
        Direction::Both => "BOTH",
    };
    match (directed, direction) {
        (Some(directed), Some(direction)) if from_directed(directed) != direction => Err(QueryError::BadInput {
            field: "direction",
            message: format!(
                "`directed` {directed} means {} and conflicts with `direction` {}; give only `direction`",
                name(from_directed(directed)),
                name(direction)
            ),
        }),
        (_, Some(direction)) => Ok(direction),
        (Some(directed), None) => Ok(from_directed(directed)),
        (None, None) => Ok(Direction::Both),
    }
}

/// Which relations a query may use besides their kind: by predicate, evidence type, confidence
/// and cited document. Every condition given must hold.
#[derive(Clone, Debug, Default)]
pub struct RelationFilter {
    /// Property names of the ontology (`feedsInto`) or IRIs; a name no relation uses is
    /// BAD_USER_INPUT, so a typo is not mistaken for an empty answer.
    pub predicates: Option<Vec<String>>,
    /// A relation stating no evidence type matches none.
    pub evidence: Option<Vec<EvidenceType>>,
    /// In `0..=1`; a relation stating no confidence (its evidence is a quote) counts as 1.
    pub min_confidence: Option<f64>,
    /// The IRI of a document the relation cites (see `Store::document_iri`).
    pub source: Option<String>,
}

impl RelationFilter {
    /// Whether the filter lets every relation through.
    pub fn is_empty(&self) -> bool {
        self.predicates.is_none() && self.evidence.is_none() && self.min_confidence.is_none() && self.source.is_none()
    }

    /// The filter in the projection's terms; fails on a predicate no relation uses or a
    /// confidence outside `0..=1`.
    fn apply(&self, projection: &Projection, filter: &mut Filter) -> Result<(), QueryError> {
        if let Some(names) = &self.predicates {
            let mut indices = Vec::with_capacity(names.len());
            for name in names {
                let iri = predicate_iri(name);
                let index = projection.predicate_index(&iri).ok_or_else(|| {
                    let mut in_use: Vec<&str> = projection.predicate_iris().map(short_predicate).collect();
                    in_use.sort_unstable();
                    QueryError::BadInput {
                        field: "predicates",
                        message: format!("no relation has the predicate `{name}` (in use: {})", in_use.join(", ")),
                    }
                })?;
                indices.push(index);
            }
            indices.sort_unstable();
            indices.dedup();
            filter.predicates = Some(indices);
        }
        filter.evidence = self.evidence.clone();
        if let Some(least) = self.min_confidence {
            if !(0.0..=1.0).contains(&least) {
                return Err(QueryError::BadInput {
                    field: "minConfidence",
                    message: format!("must be between 0 and 1 (got {least})"),
                });
            }
            filter.min_confidence = Some(crate::graph::confidence(Some(least)));
        }
        filter.document_sets = self.source.as_ref().map(|iri| projection.document_sets_citing(iri));
        Ok(())
    }
}

/// The IRI of the document a `source` filter names (see `Store::document_iri`); a name no
/// evidence cites is BAD_USER_INPUT, so that a typo is not mistaken for an empty answer.
pub fn source_iri(store: &crate::store::Store, name: &str) -> Result<String, QueryError> {
    store.document_iri(name)?.ok_or_else(|| QueryError::BadInput {
        field: "source",
        message: format!(
            "no evidence cites a document `{name}`: give a URL, a document's id or a file name as \
             `Source.document` shows it"
        ),
    })
}

/// The ids of the entities whose location (`schema:location`, read from the store: the catalog
/// does not hold it) contains `text`, ignoring case and accents. One scan of the locations.
pub fn located(store: &crate::store::Store, text: &str) -> Result<HashSet<String>, QueryError> {
    let wanted = crate::model::fold(text.trim());
    Ok(store
        .entity_locations()?
        .into_iter()
        .filter(|(_, location)| crate::model::fold(location).contains(&wanted))
        .map(|(id, _)| id)
        .collect())
}

/// The ids of the entities the document `iri` states: those whose evidence, or the evidence of
/// whose claims, cites it. Reads only the store's quads that name the document.
pub fn stated_by(store: &crate::store::Store, iri: &str) -> Result<HashSet<String>, QueryError> {
    Ok(store.entities_citing(iri)?.into_iter().collect())
}

/// The IRI a predicate is given by: an IRI as it is, a property name in the ontology's namespace.
fn predicate_iri(name: &str) -> String {
    let name = name.trim();
    if name.contains("://") {
        name.to_owned()
    } else {
        format!("{}{name}", crate::store::vocab::NS)
    }
}

/// A predicate as a user names it: its local name in the ontology's namespace, else its IRI.
pub fn short_predicate(iri: &str) -> &str {
    iri.strip_prefix(crate::store::vocab::NS).unwrap_or(iri)
}

/// The filters a path or subgraph query shares.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    pub kinds: Option<Vec<RelationKind>>,
    pub relations: RelationFilter,
    pub openness: Option<Openness>,
    /// Which way relations are walked (symmetric ones either way).
    pub direction: Direction,
    pub between: Option<Window>,
    /// Only what had started by this date (undated entities pass): the graph as it stood then.
    pub as_of: Option<PartialDate>,
}

impl Selection {
    /// `between`, narrowed to what had started by `as_of`: a span meets the window up to `as_of`
    /// exactly when it starts on or before it. Undated entities pass `as_of` alone.
    fn window(&self) -> Option<DayWindow> {
        let last = self.as_of.map(|date| date.day_range().latest);
        match (self.between.map(|window| window.days()), last) {
            (window, None) => window,
            (None, Some(last)) => Some(DayWindow {
                from: None,
                to: Some(last),
                undated: true,
            }),
            (Some(window), Some(last)) => Some(DayWindow {
                to: Some(window.to.map_or(last, |to| to.min(last))),
                ..window
            }),
        }
    }

    /// The filter of a neighbourhood: the window leaves undated entities out unless it includes
    /// them.
    pub(crate) fn filter(
        &self,
        projection: &Projection,
        temporal: bool,
        max_hops: Option<usize>,
    ) -> Result<Filter, QueryError> {
        let mut filter = Filter {
            direction: self.direction,
            kinds: self.kinds.clone(),
            openness: self.openness,
            window: self.window(),
            temporal,
            max_hops,
            ..Filter::default()
        };
        self.relations.apply(projection, &mut filter)?;
        Ok(filter)
    }

    /// The filter of a path search: as [`Self::filter`], except that undated entities always
    /// pass the window. A path needs every step between its ends, and the organizations and
    /// bodies that link dated events are mostly undated; leaving them out would cut most routes,
    /// so a window on a path is about the dated entities it visits.
    fn path_filter(
        &self,
        projection: &Projection,
        temporal: bool,
        max_hops: Option<usize>,
    ) -> Result<Filter, QueryError> {
        let mut filter = self.filter(projection, temporal, max_hops)?;
        if let Some(window) = filter.window.as_mut() {
            window.undated = true;
        }
        Ok(filter)
    }
}

/// A path as ids: `nodes.len() == relations.len() + 1 == hops.len() + 1`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundPath {
    pub nodes: Vec<String>,
    /// The relation taken at each hop.
    pub relations: Vec<String>,
    /// The relations each hop stands for, in id order: every relation the query may walk between
    /// its two entities when parallel relations are folded, the one taken otherwise.
    pub hops: Vec<Vec<String>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundSubgraph {
    pub nodes: Vec<String>,
    pub relations: Vec<String>,
    pub truncated: bool,
}

/// A path query: `from` to `to`, optionally through `via` in order.
#[derive(Clone, Debug, Default)]
pub struct PathQuery {
    pub from: String,
    pub to: String,
    pub via: Vec<String>,
    pub selection: Selection,
    pub max_hops: Option<usize>,
    pub temporal: bool,
}

fn check_limit(limit: &'static str, asked: usize, max: usize) -> Result<usize, QueryError> {
    if asked > max {
        Err(QueryError::LimitExceeded { limit, max, asked })
    } else {
        Ok(asked)
    }
}

fn at_least_one(field: &'static str, value: usize) -> Result<usize, QueryError> {
    if value == 0 {
        Err(QueryError::BadInput {
            field,
            message: "must be at least 1".to_owned(),
        })
    } else {
        Ok(value)
    }
}

impl Catalog {
    /// The entity a ref names, as a node of the projection.
    pub fn resolve(&self, reference: &str) -> Result<NodeIndex, QueryError> {
        let id = self.resolve_ref(reference)?;
        self.projection.node(&id).ok_or_else(|| QueryError::NotFound {
            reference: reference.to_owned(),
            suggestions: Vec::new(),
        })
    }

    /// The id a ref names.
    pub fn resolve_id(&self, reference: &str) -> Result<String, QueryError> {
        Ok(self.resolve_ref(reference)?)
    }

    fn found(&self, path: &GraphPath, filter: &Filter, parallel: Parallel) -> FoundPath {
        let relation_id = |edge| self.projection.relation_id(edge).to_owned();
        let hops = match parallel {
            Parallel::Fold => path
                .nodes
                .windows(2)
                .map(|hop| {
                    let relations = self.projection.parallel_relations(hop[0], hop[1], filter);
                    relations.into_iter().map(relation_id).collect()
                })
                .collect(),
            Parallel::Expand => path.edges.iter().map(|&edge| vec![relation_id(edge)]).collect(),
        };
        FoundPath {
            nodes: path
                .nodes
                .iter()
                .map(|&node| self.projection.node_id(node).to_owned())
                .collect(),
            relations: path.edges.iter().map(|&edge| relation_id(edge)).collect(),
            hops,
        }
    }

    fn max_hops(&self, asked: Option<usize>, limits: &Limits) -> Result<usize, QueryError> {
        check_limit("maxHops", asked.unwrap_or(limits.max_hops), limits.max_hops)
    }

    /// The shortest path (through `via` in order, if given); `None` if there is none within
    /// `maxHops`. Its hops list their parallel relations: a shortest path takes the first of them.
    /// As [`Self::path`] when that takes at most `work` relations walked (a caller may then run
    /// it where it is, without a thread hop that would cost as much); `None` when it would take
    /// more, or when it is a kind of search that is not bounded (`via`, `temporal`), or when it
    /// finds no path (whose warnings take searches of their own).
    pub fn quick_path(&self, query: &PathQuery, limits: &Limits, work: usize) -> Result<Option<FoundPath>, QueryError> {
        if !query.via.is_empty() || query.temporal {
            return Ok(None);
        }
        let max_hops = self.max_hops(query.max_hops, limits)?;
        let (from, to) = (self.resolve(&query.from)?, self.resolve(&query.to)?);
        let filter = query
            .selection
            .path_filter(&self.projection, query.temporal, Some(max_hops))?;
        match self.projection.path_within(from, to, &filter, work) {
            Ok(Some(path)) => Ok(Some(self.found(&path, &filter, Parallel::Fold))),
            Ok(None) | Err(GaveUp) => Ok(None),
        }
    }

    pub fn path(&self, query: &PathQuery, limits: &Limits) -> Result<Option<FoundPath>, QueryError> {
        let max_hops = self.max_hops(query.max_hops, limits)?;
        let mut stops = vec![self.resolve(&query.from)?];
        for stop in &query.via {
            stops.push(self.resolve(stop)?);
        }
        stops.push(self.resolve(&query.to)?);
        let filter = query
            .selection
            .path_filter(&self.projection, query.temporal, Some(max_hops))?;
        let path = if stops.len() == 2 {
            self.projection.shortest_path(stops[0], stops[1], &filter)
        } else {
            self.projection.path_via(&stops, &filter)
        };
        Ok(path.map(|path| self.found(&path, &filter, Parallel::Fold)))
    }

    /// Up to `k` shortest loopless paths, shortest first, ties by the ids along the path; with
    /// [`Parallel::Fold`], one per sequence of entities, each hop listing its parallel relations.
    pub fn paths(
        &self,
        query: &PathQuery,
        k: Option<usize>,
        parallel: Parallel,
        limits: &Limits,
    ) -> Result<Vec<FoundPath>, QueryError> {
        let k = check_limit("k", at_least_one("k", k.unwrap_or(3))?, limits.max_k)?;
        let max_hops = self.max_hops(query.max_hops, limits)?;
        if !query.via.is_empty() {
            return Err(QueryError::BadInput {
                field: "via",
                message: "is only supported by `path`".to_owned(),
            });
        }
        let (from, to) = (self.resolve(&query.from)?, self.resolve(&query.to)?);
        let filter = query
            .selection
            .path_filter(&self.projection, query.temporal, Some(max_hops))?;
        Ok(self
            .projection
            .k_shortest_paths(from, to, k, &filter, parallel)
            .iter()
            .map(|path| self.found(path, &filter, parallel))
            .collect())
    }

    /// The neighbourhood of `roots` up to `depth`, at most `limit` entities, with every relation
    /// between them.
    pub fn subgraph(
        &self,
        roots: &[String],
        depth: usize,
        selection: &Selection,
        limit: Option<usize>,
        limits: &Limits,
    ) -> Result<FoundSubgraph, QueryError> {
        if roots.is_empty() {
            return Err(QueryError::BadInput {
                field: "roots",
                message: "give at least one ref".to_owned(),
            });
        }
        check_limit("roots", roots.len(), limits.max_page)?;
        let depth = check_limit("depth", depth, limits.max_subgraph_depth)?;
        let limit = Self::node_limit(limit, limits)?;
        let roots: Vec<NodeIndex> = roots.iter().map(|root| self.resolve(root)).collect::<Result<_, _>>()?;
        self.neighbourhood(&roots, depth, selection, limit)
    }

    /// The whole graph, bounded like a subgraph: every entity the filters keep, at most `limit`
    /// of them (in id order, `truncated` when some are left out), with every relation between
    /// them.
    pub fn whole_graph(
        &self,
        selection: &Selection,
        limit: Option<usize>,
        limits: &Limits,
    ) -> Result<FoundSubgraph, QueryError> {
        let limit = Self::node_limit(limit, limits)?;
        let everyone: Vec<NodeIndex> = self.projection.nodes().collect();
        // Depth 0: the roots themselves, and the relations between them.
        self.neighbourhood(&everyone, 0, selection, limit)
    }

    fn node_limit(limit: Option<usize>, limits: &Limits) -> Result<usize, QueryError> {
        check_limit(
            "limit",
            at_least_one("limit", limit.unwrap_or(limits.max_subgraph_nodes))?,
            limits.max_subgraph_nodes,
        )
    }

    fn neighbourhood(
        &self,
        roots: &[NodeIndex],
        depth: usize,
        selection: &Selection,
        limit: usize,
    ) -> Result<FoundSubgraph, QueryError> {
        let filter = selection.filter(&self.projection, false, None)?;
        let found = self.projection.neighbourhood(roots, depth, &filter, limit);
        Ok(FoundSubgraph {
            nodes: found
                .nodes
                .iter()
                .map(|&node| self.projection.node_id(node).to_owned())
                .collect(),
            relations: found
                .edges
                .iter()
                .map(|&edge| self.projection.relation_id(edge).to_owned())
                .collect(),
            truncated: found.truncated,
        })
    }

    /// The filter `kinds` and `relations` make, for a listing of relations.
    fn relation_filter(
        &self,
        kinds: Option<&[RelationKind]>,
        relations: &RelationFilter,
    ) -> Result<Filter, QueryError> {
        let mut filter = Filter {
            kinds: kinds.map(<[RelationKind]>::to_vec),
            ..Filter::default()
        };
        relations.apply(&self.projection, &mut filter)?;
        Ok(filter)
    }

    /// Every relation between two entities, in both directions, by relation id.
    pub fn connections(
        &self,
        a: &str,
        b: &str,
        kinds: Option<&[RelationKind]>,
        relations: &RelationFilter,
    ) -> Result<Vec<String>, QueryError> {
        let (a, b) = (self.resolve(a)?, self.resolve(b)?);
        let filter = self.relation_filter(kinds, relations)?;
        let mut relations: Vec<String> = self
            .projection
            .edges_of(a)
            .filter(|&edge| {
                let (source, target) = self.projection.endpoints(edge);
                (source == b || target == b) && filter.edge_passes(self.projection.edge_data(edge))
            })
            .map(|edge| self.projection.relation_id(edge).to_owned())
            .collect();
        relations.sort();
        relations.dedup();
        Ok(relations)
    }

    /// Every relation the filters keep, in id order.
    pub fn relations(
        &self,
        kinds: Option<&[RelationKind]>,
        relations: &RelationFilter,
    ) -> Result<Vec<String>, QueryError> {
        let filter = self.relation_filter(kinds, relations)?;
        let mut kept: Vec<_> = self
            .projection
            .edges()
            .filter(|&edge| filter.edge_passes(self.projection.edge_data(edge)))
            .collect();
        // Ranks order relations as their ids do, without reading a string.
        kept.sort_unstable_by_key(|&edge| self.projection.edge_rank(edge));
        Ok(kept
            .into_iter()
            .map(|edge| self.projection.relation_id(edge).to_owned())
            .collect())
    }

    /// Entities whose dates meet the window (ongoing ones from their start on), in date order
    /// (then by id); with `include_undated`, the undated ones follow, by id.
    pub fn timeline(
        &self,
        window: Window,
        kinds: Option<&[EntityKind]>,
        within: Option<&HashSet<String>>,
        first: usize,
        limits: &Limits,
    ) -> Result<Vec<String>, QueryError> {
        let first = check_limit("first", first, limits.max_page)?;
        // Sorted by (undated, first day, id): the undated ones after every dated one.
        let mut kept: Vec<(bool, i32, &str)> = self
            .entities()
            .filter(|entity| kinds.is_none_or(|kinds| kinds.contains(&entity.kind())))
            .filter(|entity| within.is_none_or(|within| within.contains(entity.id())))
            .filter_map(|entity| {
                let span = entity.span();
                window.keeps(span).then(|| match span {
                    Some(span) => (false, span.earliest, entity.id()),
                    None => (true, i32::MAX, entity.id()),
                })
            })
            .collect();
        kept.sort();
        Ok(kept.into_iter().take(first).map(|(.., id)| id.to_owned()).collect())
    }

    /// Counts by kind, openness and relation kind.
    pub fn stats(&self) -> Stats {
        let mut stats = Stats {
            entities: self.entity_count(),
            relations: self.projection.edge_count(),
            ..Stats::default()
        };
        for entity in self.entities() {
            *stats.by_kind.entry(entity.kind()).or_default() += 1;
            *stats.by_openness.entry(entity.openness()).or_default() += 1;
        }
        for edge in self.projection.edges() {
            let data = self.projection.edge_data(edge);
            *stats.by_relation_kind.entry(data.kind).or_default() += 1;
            *stats.by_evidence_type.entry(data.evidence).or_default() += 1;
            *stats
                .by_predicate
                .entry(self.projection.predicate_iri(edge).to_owned())
                .or_default() += 1;
        }
        stats
    }

    /// The `first` entities by a centrality measure, highest first (ties by id), computed over
    /// the part of the graph `scope` keeps (the whole graph, its betweenness cached, when it
    /// keeps everything).
    pub fn centrality(
        &self,
        metric: Centrality,
        kind: Option<EntityKind>,
        first: usize,
        scope: &Scope,
        limits: &Limits,
    ) -> Result<Vec<(String, f64)>, QueryError> {
        let first = check_limit("first", first, limits.max_page)?;
        let projection = self.scoped(scope, limits)?;
        let projection = projection.as_ref();
        let scores = self.scores(projection, metric);
        let mut ranked: Vec<(String, f64)> = projection
            .nodes()
            .filter(|&node| kind.is_none_or(|kind| projection.node_data(node).kind == kind))
            .map(|node| {
                (
                    projection.node_id(node).to_owned(),
                    scores.get(node.index()).copied().unwrap_or(0.0),
                )
            })
            .collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        ranked.truncate(first);
        Ok(ranked)
    }

    /// The `first` brokers of the graph as it stood on `as_of` (all of it without): its
    /// articulation points, taken undirected, each scored by how many entities its removal cuts
    /// off from the largest part left of its component; most first, ties by id.
    pub fn brokers(
        &self,
        first: usize,
        as_of: Option<PartialDate>,
        limits: &Limits,
    ) -> Result<Vec<(String, f64)>, QueryError> {
        let first = check_limit("first", first, limits.max_page)?;
        let scope = Scope {
            selection: Selection {
                as_of,
                ..Selection::default()
            },
            ..Scope::default()
        };
        let projection = self.scoped(&scope, limits)?;
        let projection = projection.as_ref();
        Ok(projection
            .brokers()
            .into_iter()
            .take(first)
            .map(|(node, cut)| (projection.node_id(node).to_owned(), cut as f64))
            .collect())
    }

    /// Leiden communities (modularity at `resolution`, from `seed`) of the graph taken
    /// undirected, parallel relations as one edge: the whole graph, or the relations of `kinds`
    /// between what had started by `as_of`. Cached per catalog (so dataset version) and
    /// arguments.
    pub fn communities(
        &self,
        resolution: f64,
        seed: u64,
        kinds: Option<Vec<RelationKind>>,
        openness: Option<Openness>,
        as_of: Option<PartialDate>,
        limits: &Limits,
    ) -> Result<Arc<CommunityReport>, QueryError> {
        if !resolution.is_finite() || resolution < 0.0 {
            return Err(QueryError::BadInput {
                field: "resolution",
                message: format!("must be a finite number, 0 or more (got {resolution})"),
            });
        }
        let key = format!("{resolution:?}|{seed}|{kinds:?}|{openness:?}|{as_of:?}");
        self.communities_cached(key, || {
            let scope = Scope {
                selection: Selection {
                    kinds,
                    openness,
                    as_of,
                    ..Selection::default()
                },
                ..Scope::default()
            };
            let projection = self.scoped(&scope, limits)?;
            let projection = projection.as_ref();
            let found = projection.communities(resolution, seed);
            let ids = |nodes: Vec<NodeIndex>| -> Vec<String> {
                nodes.into_iter().map(|n| projection.node_id(n).to_owned()).collect()
            };
            Ok(CommunityReport {
                modularity: found.modularity,
                communities: found
                    .communities
                    .into_iter()
                    .map(|community| CommunityIds {
                        members: ids(community.members),
                        central: ids(community.central),
                    })
                    .collect(),
            })
        })
    }

    /// Every node's score by `metric` over `projection` (this catalog's, its betweenness cached,
    /// or a part of it), indexed by node.
    pub(super) fn scores(&self, projection: &Projection, metric: Centrality) -> Vec<f64> {
        match metric {
            Centrality::Degree => {
                let mut degrees = vec![0.0; projection.node_bound()];
                for node in projection.nodes() {
                    degrees[node.index()] = projection.degree(node) as f64;
                }
                degrees
            }
            Centrality::PageRank if std::ptr::eq(projection, &self.projection) => self.pagerank().to_vec(),
            Centrality::PageRank => projection.pagerank(0.85, 100),
            Centrality::Betweenness if std::ptr::eq(projection, &self.projection) => self.betweenness().to_vec(),
            Centrality::Betweenness => projection.betweenness(),
            Centrality::Closeness if std::ptr::eq(projection, &self.projection) => self.closeness().to_vec(),
            Centrality::Closeness => projection.closeness(),
        }
    }

    /// The projection a scope asks about: this catalog's own (borrowed, so its cached rankings
    /// apply) when the scope keeps everything, else the part it keeps.
    fn scoped(&self, scope: &Scope, limits: &Limits) -> Result<std::borrow::Cow<'_, Projection>, QueryError> {
        Ok(match self.scope(scope, limits)? {
            None => std::borrow::Cow::Borrowed(&self.projection),
            Some(part) => std::borrow::Cow::Owned(part),
        })
    }

    /// The part of the graph a scope keeps, as a projection; `None` when it keeps everything.
    /// With roots, their neighbourhood (as `subgraph` finds it); otherwise every entity the
    /// selection's entity filters keep, and, when it filters relations, only the entities a kept
    /// relation joins (so "as the ICANN diagram states it" ranks the diagram's entities).
    fn scope(&self, scope: &Scope, limits: &Limits) -> Result<Option<Projection>, QueryError> {
        let filter = scope.selection.filter(&self.projection, false, None)?;
        if scope.roots.is_empty() && filter.passes_everything() {
            return Ok(None);
        }
        let nodes: Vec<NodeIndex> = if scope.roots.is_empty() {
            let filters_relations = !(scope.selection.kinds.is_none() && scope.selection.relations.is_empty());
            self.projection
                .nodes()
                .filter(|&node| filter.node_passes(self.projection.node_data(node)))
                .filter(|&node| {
                    !filters_relations
                        || self.projection.edges_of(node).any(|edge| {
                            let (source, target) = self.projection.endpoints(edge);
                            let other = if source == node { target } else { source };
                            filter.edge_passes(self.projection.edge_data(edge))
                                && filter.node_passes(self.projection.node_data(other))
                        })
                })
                .collect()
        } else {
            check_limit("roots", scope.roots.len(), limits.max_page)?;
            let depth = check_limit("depth", scope.depth, limits.max_subgraph_depth)?;
            let roots: Vec<NodeIndex> = scope
                .roots
                .iter()
                .map(|root| self.resolve(root))
                .collect::<Result<_, _>>()?;
            self.projection
                .neighbourhood(&roots, depth, &filter, limits.max_subgraph_nodes)
                .nodes
        };
        Ok(Some(self.projection.part(&nodes, &filter)))
    }

    /// Weakly connected components, largest first: their sizes and members (ids).
    pub fn components(&self) -> Vec<Vec<String>> {
        self.projection
            .components()
            .into_iter()
            .map(|members| {
                members
                    .into_iter()
                    .map(|node| self.projection.node_id(node).to_owned())
                    .collect()
            })
            .collect()
    }

    /// Ids of the relations of one entity, optionally of one kind, in id order.
    pub fn relations_of(&self, id: &str, kind: Option<RelationKind>) -> Vec<String> {
        let Some(node) = self.projection.node(id) else {
            return Vec::new();
        };
        let mut seen = HashSet::new();
        let mut relations: Vec<String> = self
            .projection
            .edges_of(node)
            .filter(|&edge| kind.is_none_or(|kind| self.projection.edge_data(edge).kind == kind))
            .filter(|&edge| seen.insert(edge))
            .map(|edge| self.projection.relation_id(edge).to_owned())
            .collect();
        relations.sort();
        relations
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stats {
    pub entities: usize,
    pub relations: usize,
    pub by_kind: BTreeMap<EntityKind, usize>,
    pub by_openness: BTreeMap<Option<Openness>, usize>,
    pub by_relation_kind: BTreeMap<RelationKind, usize>,
    /// By predicate IRI.
    pub by_predicate: BTreeMap<String, usize>,
    pub by_evidence_type: BTreeMap<Option<EvidenceType>, usize>,
}

/// What a ranking is computed over: the neighbourhood of `roots` up to `depth` when roots are
/// given, otherwise the whole graph; either way only what `selection` keeps.
#[derive(Clone, Debug, Default)]
pub struct Scope {
    pub roots: Vec<String>,
    pub depth: usize,
    pub selection: Selection,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Centrality {
    Degree,
    PageRank,
    Betweenness,
    Closeness,
}
