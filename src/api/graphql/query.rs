//! The query root's searches and listings: each resolver turns its arguments into a service
//! call, runs it off the async executor when it walks the graph, and wraps the result. No graph
//! algorithm or SPARQL here. Counts and rankings are in `rankings`.

use super::arguments::{
    DateWindow, count, named_empty, off_executor, page_size, relation_filters, selection, walk_direction, window,
};
use super::errors::internal;
use super::page::{PageInfo, decode_cursor, encode_cursor};
use super::relations::{RelationConnection, relation_filter};
use super::types::{
    Direction, Entity, EntityKind, EntityOrder, EntityOrderField, EvidenceType, KindCount, Openness, OpennessCount,
    OrderDirection, ParallelRelations, Path, Relation, RelationKind, SourceCount, SourceDocument, Subgraph, YearCount,
    entities, relations,
};
use super::{request, warn};
use crate::api::timing::Phase;
use crate::services::explore::{self, Centrality, PathQuery, QueryError, RelationFilter, Window};
use crate::services::listing::{self, EntityFilter, Listing, OrderKey, YearRange};
use crate::store::{Store, StoreError};
use async_graphql::{Context, ErrorExtensions, Object, Result, SimpleObject};
use std::collections::HashSet;
use std::sync::OnceLock;

/// The filters `path` and `paths` share, as their arguments give them: kinds, the relation
/// filters, openness, direction (from directed and direction), maxHops, temporal, between.
struct PathFilters(
    Option<Vec<RelationKind>>,
    RelationFilter,
    Option<Openness>,
    explore::Direction,
    Option<i32>,
    Option<bool>,
    Option<DateWindow>,
);

impl PathFilters {
    fn query(self, from: String, to: String, via: Vec<String>) -> Result<PathQuery> {
        let Self(kinds, relations, openness, directed, max_hops, temporal, between) = self;
        Ok(PathQuery {
            from,
            to,
            via,
            selection: selection(kinds, relations, openness, directed, between.as_ref())?,
            max_hops: count(max_hops, "maxHops")?,
            temporal: temporal.unwrap_or(false),
        })
    }
}

/// One entity of a page, with its cursor.
#[derive(SimpleObject)]
pub struct EntityEdge {
    /// The entity.
    node: Entity,
    /// An opaque cursor: give it as `after` for the entities after this one.
    cursor: String,
}

// Written out rather than async-graphql's `Connection`, which gives its type no description.
pub struct EntityConnection {
    page_info: PageInfo,
    edges: Vec<EntityEdge>,
    /// Every entity the filters keep, over all pages (for the facets).
    listed: Listing,
}

/// Relations a path search may walk where the request is being served (about a quarter of a
/// millisecond on a graph of a million relations) before it moves to the search pool: handing a
/// search to another thread and back costs about as much (`Server-Timing`'s `hop`), and a bound
/// keeps a long one from holding up the requests that share this thread.
const QUICK_SEARCH: usize = 32_768;

/// A page of entities, as a Relay connection: the entities, their cursors, where the page is and
/// how many entities match over all pages.
#[Object]
impl EntityConnection {
    /// Whether there are entities before and after this page, and its first and last cursors.
    async fn page_info(&self) -> &PageInfo {
        &self.page_info
    }
    /// The page's entities, each with its cursor.
    async fn edges(&self) -> &[EntityEdge] {
        &self.edges
    }
    /// The page's entities, without cursors.
    async fn nodes(&self) -> Vec<&Entity> {
        self.edges.iter().map(|edge| &edge.node).collect()
    }
    /// Number of entities matching the filters, over all pages.
    async fn total_count(&self) -> usize {
        self.listed.len()
    }
    /// Counts over every entity matching the filters (all pages, not this one); each count is
    /// computed only when asked for.
    async fn facets(&self) -> Facets {
        Facets {
            listed: self.listed.clone(),
            counted: OnceLock::new(),
        }
    }
}

/// Counts over the entities of a connection's whole filter, counted on the first ask.
pub struct Facets {
    listed: Listing,
    counted: OnceLock<listing::Facets>,
}

impl Facets {
    fn counted(&self) -> &listing::Facets {
        self.counted.get_or_init(|| self.listed.facets())
    }
}

/// Counts over the entities a connection's filters keep, over all its pages.
#[Object]
impl Facets {
    /// Entities by kind; kinds with no entity are left out.
    async fn by_kind(&self) -> Vec<KindCount> {
        self.counted()
            .by_kind
            .iter()
            .map(|(&kind, &count)| KindCount {
                kind: kind.into(),
                count,
            })
            .collect()
    }
    /// Entities by openness, with null for those the sources do not rate; values no entity has
    /// are left out.
    async fn by_openness(&self) -> Vec<OpennessCount> {
        self.counted()
            .by_openness
            .iter()
            .map(|(&openness, &count)| OpennessCount {
                openness: openness.map(Into::into),
                count,
            })
            .collect()
    }
    /// Entities by the year of their start (or issue) date, earliest first; undated ones are in
    /// no year.
    async fn by_year(&self) -> Vec<YearCount> {
        self.counted()
            .by_year
            .iter()
            .map(|(&year, &count)| YearCount { year, count })
            .collect()
    }
    /// Entities by the documents their evidence or claims cite (an entity counts once for each
    /// document), most entities first, then by document. Read from the store: one scan of the
    /// evidence.
    async fn by_source(&self, ctx: &Context<'_>) -> Result<Vec<SourceCount>> {
        let store = request(ctx).store.clone();
        let cited = on_store(move || store.entity_documents()).await?;
        let mut counts: Vec<SourceCount> = self
            .listed
            .count_by(cited)
            .into_iter()
            .map(|(document, count)| SourceCount { document, count })
            .collect();
        counts.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.document.cmp(&b.document)));
        Ok(counts)
    }
}

/// Runs a store read on the blocking pool.
async fn on_store<T: Send + 'static>(work: impl FnOnce() -> Result<T, StoreError> + Send + 'static) -> Result<T> {
    match crate::api::blocking::on_pool(work).await {
        Ok(result) => result.map_err(|error| QueryError::Store(error).extend()),
        Err(error) => Err(internal(error)),
    }
}

/// The entities the store-read filters keep (`location`, `source`: the catalog holds neither),
/// or `None` when neither is given. Both given: the entities both keep.
async fn stored_filters(
    store: &Store,
    location: Option<&str>,
    source: Option<&str>,
) -> Result<Option<HashSet<String>>> {
    let source = source
        .map(|name| explore::source_iri(store, name))
        .transpose()
        .map_err(|error| error.extend())?;
    let location = location.map(str::to_owned);
    let store = store.clone();
    let found = crate::api::blocking::on_pool(move || {
        let located = location.map(|text| explore::located(&store, &text)).transpose()?;
        let stated = source.map(|iri| explore::stated_by(&store, &iri)).transpose()?;
        Ok::<_, QueryError>(match (located, stated) {
            (Some(located), Some(stated)) => Some(located.intersection(&stated).cloned().collect()),
            (located, stated) => located.or(stated),
        })
    })
    .await
    .map_err(internal)?;
    found.map_err(|error| error.extend())
}

/// What an `orderBy` field orders by: the label, the start date, or a whole-graph centrality
/// measure.
fn order_key(field: EntityOrderField) -> Result<OrderKey> {
    Ok(match field {
        EntityOrderField::Label => OrderKey::Label,
        EntityOrderField::StartDate => OrderKey::StartDate,
        EntityOrderField::Degree => OrderKey::Score(Centrality::Degree),
        EntityOrderField::Pagerank => OrderKey::Score(Centrality::PageRank),
        EntityOrderField::Betweenness => OrderKey::Score(Centrality::Betweenness),
        EntityOrderField::Closeness => OrderKey::Score(Centrality::Closeness),
    })
}

/// The cursor kind of an `entities` page in this order, so that a cursor of one order is
/// refused by another.
fn cursor_kind(order: Option<&EntityOrder>) -> String {
    match order {
        None => "entity".to_owned(),
        Some(order) => format!("entity-{:?}-{:?}", order.field, order.direction),
    }
}

#[derive(Default)]
pub struct Explore;

// Resolvers take the contract's arguments one by one, as the schema shows them.
#[allow(clippy::too_many_arguments)]
#[Object]
impl Explore {
    /// One entity by ref: its id, IRI, label or an alias, ignoring case and accents.
    ///
    /// A ref that matches nothing (or more than one entity) nulls this field only, with its
    /// error, so the other fields of the request keep their answers.
    async fn entity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The entity's id, IRI, label or one of its aliases.")] r#ref: String,
    ) -> Option<Result<Entity>> {
        let found = async {
            let id = request(ctx)
                .catalog()
                .resolve_id(&r#ref)
                .map_err(|error| error.extend())?;
            Ok(entities(ctx, &[id]).await?.into_iter().next())
        };
        found.await.transpose()
    }

    /// Entities, filtered, as a Relay connection: ranked by relevance with `search`, by label
    /// otherwise. With `between`, undated entities are left out unless `includeUndated`.
    async fn entities(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only entities of this kind.")] kind: Option<EntityKind>,
        #[graphql(desc = "Only entities with this openness (those the sources do not rate are left out).")]
        openness: Option<Openness>,
        #[graphql(desc = "Words to find in labels (which count most), aliases and descriptions, \
                          ignoring case and accents; the last word may be a prefix. Ranks the \
                          entities by relevance. Blank is no search.")]
        search: Option<String>,
        #[graphql(desc = "Only entities whose dates overlap this window (an ONGOING entity's \
                          from its start on, with no end); undated ones are left out unless \
                          `includeUndated`.")]
        between: Option<DateWindow>,
        #[graphql(
            default_with = "Some(false)",
            desc = "With `between`, keep the entities that have no date as well."
        )]
        include_undated: Option<bool>,
        #[graphql(desc = "How many entities per page: 50 when absent, at most the server's \
                          `--max-page` (500 by default; more is LIMIT_EXCEEDED).")]
        first: Option<i32>,
        #[graphql(desc = "A cursor from this connection (`pageInfo.endCursor`, or an edge's): the \
                          page starts after that entity. A cursor of another connection or of \
                          another `orderBy` is BAD_USER_INPUT.")]
        after: Option<String>,
        #[graphql(desc = "Only entities of these kinds (with `kind`, of both).")] kinds: Option<Vec<EntityKind>>,
        #[graphql(desc = "Only entities whose location contains these words, ignoring case and \
                          accents (\"sao paulo\" finds \"São Paulo, Brazil\"). Blank is no filter.")]
        location: Option<String>,
        #[graphql(desc = "Only entities the document states: those whose evidence, or the evidence \
                          of one of whose claims, cites it. Named as `Source.document` shows it: a \
                          URL, a document's id or a file name; a name no evidence cites is \
                          BAD_USER_INPUT.")]
        source: Option<String>,
        #[graphql(desc = "Only entities whose start (or issue) date falls in this year or later \
                          (YYYY; a fuller date counts by its year). Undated entities are left out.")]
        from: Option<String>,
        #[graphql(desc = "Only entities whose start (or issue) date falls in this year or earlier; \
                          undated entities are left out.")]
        to: Option<String>,
        #[graphql(desc = "The order: by relevance with `search`, by label otherwise when absent. \
                          Ties by id; START_DATE puts undated entities last either way; DEGREE, \
                          PAGERANK and BETWEENNESS are over the whole graph.")]
        order_by: Option<EntityOrder>,
    ) -> Result<EntityConnection> {
        let data = request(ctx);
        let location = location.filter(|text| !text.trim().is_empty());
        let filter = EntityFilter {
            kind: kind.map(Into::into),
            kinds: kinds.map(|kinds| kinds.into_iter().map(Into::into).collect()),
            openness: openness.map(Into::into),
            search,
            between: window(between.as_ref())?.map(|window| window.including_undated(include_undated.unwrap_or(false))),
            years: YearRange::parse(from.as_deref(), to.as_deref()).map_err(|error| error.extend())?,
            within: stored_filters(&data.store, location.as_deref(), source.as_deref()).await?,
            order: order_by
                .map(|order| {
                    Ok::<_, async_graphql::Error>(listing::EntityOrder {
                        key: order_key(order.field)?,
                        descending: order.direction == OrderDirection::Desc,
                    })
                })
                .transpose()?,
        };
        let filters = [
            ("kind", filter.kind.is_some()),
            ("kinds", filter.kinds.is_some()),
            ("openness", filter.openness.is_some()),
            (
                "search",
                filter.search.as_deref().is_some_and(|text| !text.trim().is_empty()),
            ),
            ("between", filter.between.is_some()),
            ("location", location.is_some()),
            ("source", source.is_some()),
            ("from", from.is_some()),
            ("to", to.is_some()),
        ];
        let first = page_size(first, 50, &data.limits)?;
        let what = cursor_kind(order_by.as_ref());
        let start = match after {
            Some(cursor) => decode_cursor(&cursor, &what)? + 1,
            None => 0,
        };
        let catalog = data.catalog();
        let nodes = off_executor(&catalog, &data.timing, move |catalog| Ok(catalog.list(&filter))).await?;
        let listed = Listing::new(catalog, nodes);
        if listed.is_empty() {
            warn(ctx, named_empty("entity", &filters));
        }
        let end = (start + first).min(listed.len());
        let page = listed.ids(start..end);
        let edges: Vec<EntityEdge> = entities(ctx, &page)
            .await?
            .into_iter()
            .enumerate()
            .map(|(offset, node)| EntityEdge {
                node,
                cursor: encode_cursor(start + offset, &what),
            })
            .collect();
        let page_info = PageInfo::new(
            start > 0,
            end < listed.len(),
            edges.first().map(|edge| edge.cursor.clone()),
            edges.last().map(|edge| edge.cursor.clone()),
        );
        Ok(EntityConnection {
            page_info,
            edges,
            listed,
        })
    }

    /// Every document cited as evidence — seed documents by their file name, public pages by
    /// URL, imported files by name, as `Source.document` shows them — with how many entities
    /// (their claims' evidence counting for them) and relations cite it, by document.
    async fn sources(&self, ctx: &Context<'_>) -> Result<Vec<SourceDocument>> {
        let store = request(ctx).store.clone();
        let documents = on_store(move || store.cited_documents()).await?;
        Ok(documents
            .into_iter()
            .map(|document| SourceDocument {
                document: document.document,
                label: document.label,
                entities: document.entities,
                relations: document.relations,
            })
            .collect())
    }

    /// The shortest path between two entities (through `via`, in order), with every entity and
    /// relation on it; null if there is none within `maxHops`. `kinds` keeps only relations of
    /// those kinds; `openness` keeps only paths whose every entity has that openness (endpoints
    /// included); `between` keeps entities dated within the window (undated ones pass, ONGOING
    /// ones run on from their start);
    /// `temporal` keeps paths whose dates never go backwards.
    async fn path(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Where the path starts: a ref (id, IRI, label or alias).")] from: String,
        #[graphql(desc = "Where the path ends: a ref.")] to: String,
        #[graphql(desc = "Refs the path must visit, in this order; each leg avoids the entities of \
                          the legs before it.")]
        via: Option<Vec<String>>,
        #[graphql(desc = "Only walk relations of these kinds; \
                          every kind when absent.")]
        kinds: Option<Vec<RelationKind>>,
        #[graphql(desc = "Only paths whose every entity, the endpoints \
                          included, has this openness.")]
        openness: Option<Openness>,
        #[graphql(desc = "true walks relations only from source to target (as `direction: OUT`); \
                          false or absent, either way (as BOTH). Prefer `direction`; giving both \
                          and disagreeing is BAD_USER_INPUT.")]
        directed: Option<bool>,
        #[graphql(desc = "Which way to walk relations: OUT from source to target (downstream), IN \
                          from target to source (upstream: what led here), BOTH either way (the \
                          default). Relations of a symmetric predicate (owl:SymmetricProperty in \
                          the ontology, e.g. contrastedWith) are walked either way whatever the \
                          direction.")]
        direction: Option<Direction>,
        #[graphql(desc = "The longest path looked for, in relations: the server's `--max-hops` (12 \
                          by default) when absent, and at most that (more is LIMIT_EXCEEDED).")]
        max_hops: Option<i32>,
        #[graphql(
            default_with = "Some(false)",
            desc = "Only paths along which dates never go backwards (undated entities pass)."
        )]
        temporal: Option<bool>,
        #[graphql(desc = "Only relations with one of these predicates: property names of the \
                          ontology as in the CSV import (`feedsInto`, `organizes`) or IRIs. A name \
                          no relation has is BAD_USER_INPUT.")]
        predicates: Option<Vec<String>>,
        #[graphql(desc = "Only relations known by one of these kinds of evidence (e.g. no \
                          INFERRED links).")]
        evidence_types: Option<Vec<EvidenceType>>,
        #[graphql(desc = "Only relations at least this confident, from 0 to 1; a relation quoted \
                          from a source states no confidence and counts as 1.")]
        min_confidence: Option<f64>,
        #[graphql(desc = "Only relations citing this document, named as `Source.document` shows \
                          it: a URL, a document's id or a file name. A name no evidence cites is \
                          BAD_USER_INPUT.")]
        source: Option<String>,
        #[graphql(desc = "Only entities dated within this \
                          window; undated ones pass.")]
        between: Option<DateWindow>,
        #[graphql(desc = "The graph as it stood on this date (YYYY, YYYY-MM or YYYY-MM-DD): only \
                          entities that had started by then (their start or issue date on or \
                          before it; undated ones are kept), and the relations between them.")]
        as_of: Option<String>,
    ) -> Option<Result<Path>> {
        let found = async {
            let data = request(ctx);
            let direction = walk_direction(directed, direction)?;
            let relations = relation_filter(&data.store, predicates, evidence_types, min_confidence, source)?;
            let filters = PathFilters(kinds, relations, openness, direction, max_hops, temporal, between);
            let mut query = filters.query(from, to, via.unwrap_or_default())?;
            query.selection.as_of = explore::as_of(as_of.as_deref()).map_err(|error| error.extend())?;
            let limits = data.limits;
            let catalog = data.catalog();
            let quick = data
                .timing
                .time(Phase::Search, || catalog.quick_path(&query, &limits, QUICK_SEARCH))
                .map_err(|error| error.extend())?;
            if let Some(path) = quick {
                return Ok(Some(Path(path)));
            }
            let (path, warnings) = off_executor(&catalog, &data.timing, move |catalog| {
                let path = catalog.path(&query, &limits)?;
                let warnings = match path {
                    None => catalog.why_no_path(&query, &limits)?,
                    Some(_) => Vec::new(),
                };
                Ok((path, warnings))
            })
            .await?;
            warn(ctx, warnings);
            Ok(path.map(Path))
        };
        found.await.transpose()
    }

    /// Up to `k` (default 3) shortest loopless paths, shortest first; paths of equal length are
    /// ordered by the ids of their entities, then of their relations. By default paths through
    /// the same entities in the same order count once, each hop listing the parallel relations
    /// it stands for (`parallel`). Filters as for `path`.
    async fn paths(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Where the paths start: a ref (id, IRI, label or alias).")] from: String,
        #[graphql(desc = "Where the paths end: a ref.")] to: String,
        #[graphql(desc = "How many paths: 3 when absent, at least 1, at most the server's `--max-k` \
                          (20 by default; more is LIMIT_EXCEEDED).")]
        k: Option<i32>,
        #[graphql(desc = "Only walk relations of these kinds; \
                          every kind when absent.")]
        kinds: Option<Vec<RelationKind>>,
        #[graphql(desc = "Only paths whose every entity, the endpoints \
                          included, has this openness.")]
        openness: Option<Openness>,
        #[graphql(desc = "true walks relations only from source to target (as `direction: OUT`); \
                          false or absent, either way (as BOTH). Prefer `direction`; giving both \
                          and disagreeing is BAD_USER_INPUT.")]
        directed: Option<bool>,
        #[graphql(desc = "Which way to walk relations: OUT from source to target (downstream), IN \
                          from target to source (upstream: what led here), BOTH either way (the \
                          default). Relations of a symmetric predicate (owl:SymmetricProperty in \
                          the ontology, e.g. contrastedWith) are walked either way whatever the \
                          direction.")]
        direction: Option<Direction>,
        #[graphql(desc = "The longest path looked for, in relations: the server's `--max-hops` (12 \
                          by default) when absent, and at most that (more is LIMIT_EXCEEDED).")]
        max_hops: Option<i32>,
        #[graphql(
            default_with = "Some(false)",
            desc = "Only paths along which dates never go backwards (undated entities pass)."
        )]
        temporal: Option<bool>,
        #[graphql(desc = "Only relations with one of these predicates: property names of the \
                          ontology as in the CSV import (`feedsInto`, `organizes`) or IRIs. A name \
                          no relation has is BAD_USER_INPUT.")]
        predicates: Option<Vec<String>>,
        #[graphql(desc = "Only relations known by one of these kinds of evidence (e.g. no \
                          INFERRED links).")]
        evidence_types: Option<Vec<EvidenceType>>,
        #[graphql(desc = "Only relations at least this confident, from 0 to 1; a relation quoted \
                          from a source states no confidence and counts as 1.")]
        min_confidence: Option<f64>,
        #[graphql(desc = "Only relations citing this document, named as `Source.document` shows \
                          it: a URL, a document's id or a file name. A name no evidence cites is \
                          BAD_USER_INPUT.")]
        source: Option<String>,
        #[graphql(desc = "Only entities dated within this \
                          window; undated ones pass.")]
        between: Option<DateWindow>,
        #[graphql(desc = "The graph as it stood on this date (YYYY, YYYY-MM or YYYY-MM-DD): only \
                          entities that had started by then (their start or issue date on or \
                          before it; undated ones are kept), and the relations between them.")]
        as_of: Option<String>,
        #[graphql(
            default_with = "Some(ParallelRelations::Fold)",
            desc = "What to make of parallel relations (several relations between the same two \
                    entities): FOLD (the default) gives one path per sequence of entities, each hop \
                    listing its relations; EXPAND makes every choice of relation its own path."
        )]
        parallel: Option<ParallelRelations>,
    ) -> Result<Vec<Path>> {
        let data = request(ctx);
        let direction = walk_direction(directed, direction)?;
        let relations = relation_filter(&data.store, predicates, evidence_types, min_confidence, source)?;
        let filters = PathFilters(kinds, relations, openness, direction, max_hops, temporal, between);
        let mut query = filters.query(from, to, Vec::new())?;
        query.selection.as_of = explore::as_of(as_of.as_deref()).map_err(|error| error.extend())?;
        let (k, limits) = (count(k, "k")?, data.limits);
        let parallel = parallel.unwrap_or(ParallelRelations::Fold).into();
        let (found, warnings) = off_executor(&data.catalog(), &data.timing, move |catalog| {
            let found = catalog.paths(&query, k, parallel, &limits)?;
            let warnings = match found.is_empty() {
                true => catalog.why_no_path(&query, &limits)?,
                false => Vec::new(),
            };
            Ok((found, warnings))
        })
        .await?;
        warn(ctx, warnings);
        Ok(found.into_iter().map(Path).collect())
    }

    /// The neighbourhood of `roots` up to `depth` relations away (default 1), at most `limit`
    /// entities, with every relation between them.
    async fn subgraph(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Refs of the entities to start from: at least one, at most the server's \
                          `--max-page` (500 by default).")]
        roots: Vec<String>,
        #[graphql(
            default_with = "Some(1)",
            desc = "How many relations away from the roots to go: 1 by default, 0 for the roots \
                    alone, at most the server's `--max-subgraph-depth` (4 by default)."
        )]
        depth: Option<i32>,
        #[graphql(desc = "Only follow relations of these kinds; \
                          every kind when absent.")]
        kinds: Option<Vec<RelationKind>>,
        #[graphql(desc = "Only entities with this openness, \
                          the roots included.")]
        openness: Option<Openness>,
        #[graphql(desc = "Most entities to return: the server's `--max-subgraph-nodes` (500 by \
                          default) when absent, and at most that; `truncated` says whether it cut \
                          the neighbourhood.")]
        limit: Option<i32>,
        #[graphql(desc = "true walks relations only from source to target (as `direction: OUT`); \
                          false or absent, either way (as BOTH). Prefer `direction`; giving both \
                          and disagreeing is BAD_USER_INPUT.")]
        directed: Option<bool>,
        #[graphql(desc = "Which way to walk relations: OUT from source to target (downstream), IN \
                          from target to source (upstream: what led here), BOTH either way (the \
                          default). Relations of a symmetric predicate (owl:SymmetricProperty in \
                          the ontology, e.g. contrastedWith) are walked either way whatever the \
                          direction.")]
        direction: Option<Direction>,
        #[graphql(desc = "Only relations with one of these predicates: property names of the \
                          ontology as in the CSV import (`feedsInto`, `organizes`) or IRIs. A name \
                          no relation has is BAD_USER_INPUT.")]
        predicates: Option<Vec<String>>,
        #[graphql(desc = "Only relations known by one of these kinds of evidence (e.g. no \
                          INFERRED links).")]
        evidence_types: Option<Vec<EvidenceType>>,
        #[graphql(desc = "Only relations at least this confident, from 0 to 1; a relation quoted \
                          from a source states no confidence and counts as 1.")]
        min_confidence: Option<f64>,
        #[graphql(desc = "Only relations citing this document, named as `Source.document` shows \
                          it: a URL, a document's id or a file name. A name no evidence cites is \
                          BAD_USER_INPUT.")]
        source: Option<String>,
        #[graphql(desc = "Only entities whose dates overlap this window (an ONGOING entity's \
                          from its start on, with no end), the roots included; undated ones are \
                          left out unless `includeUndated`.")]
        between: Option<DateWindow>,
        #[graphql(
            default_with = "Some(false)",
            desc = "With `between`, keep the entities that have no date as well."
        )]
        include_undated: Option<bool>,
        #[graphql(desc = "The graph as it stood on this date (YYYY, YYYY-MM or YYYY-MM-DD): only \
                          entities that had started by then (their start or issue date on or \
                          before it; undated ones are kept), and the relations between them.")]
        as_of: Option<String>,
    ) -> Result<Subgraph> {
        let data = request(ctx);
        let direction = walk_direction(directed, direction)?;
        let relations = relation_filter(&data.store, predicates, evidence_types, min_confidence, source)?;
        let mut selection = selection(kinds, relations, openness, direction, between.as_ref())?;
        selection.between = selection
            .between
            .map(|window| window.including_undated(include_undated.unwrap_or(false)));
        selection.as_of = explore::as_of(as_of.as_deref()).map_err(|error| error.extend())?;
        let depth = count(depth, "depth")?.unwrap_or(1);
        let (limit, limits) = (count(limit, "limit")?, data.limits);
        let (found, warnings) = off_executor(&data.catalog(), &data.timing, move |catalog| {
            let found = catalog.subgraph(&roots, depth, &selection, limit, &limits)?;
            let roots: Vec<&str> = roots.iter().map(String::as_str).collect();
            Ok((found, catalog.removed_refs(&roots, "root", &selection)?))
        })
        .await?;
        warn(ctx, warnings);
        Ok(Subgraph(found))
    }

    /// Every relation between two entities, in both directions, with its sources: "explain this
    /// link".
    async fn connections(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "One entity: a ref (id, IRI, label or alias).")] a: String,
        #[graphql(desc = "The other entity: a ref.")] b: String,
        #[graphql(desc = "Only relations of these kinds; every \
                          kind when absent.")]
        kinds: Option<Vec<RelationKind>>,
        #[graphql(desc = "Only relations with one of these predicates: property names of the \
                          ontology as in the CSV import (`feedsInto`, `organizes`) or IRIs. A name \
                          no relation has is BAD_USER_INPUT.")]
        predicates: Option<Vec<String>>,
        #[graphql(desc = "Only relations known by one of these kinds of evidence (e.g. no \
                          INFERRED links).")]
        evidence_types: Option<Vec<EvidenceType>>,
        #[graphql(desc = "Only relations at least this confident, from 0 to 1; a relation quoted \
                          from a source states no confidence and counts as 1.")]
        min_confidence: Option<f64>,
        #[graphql(desc = "Only relations citing this document, named as `Source.document` shows \
                          it: a URL, a document's id or a file name. A name no evidence cites is \
                          BAD_USER_INPUT.")]
        source: Option<String>,
    ) -> Result<Vec<Relation>> {
        let data = request(ctx);
        let kinds: Option<Vec<crate::model::RelationKind>> =
            kinds.map(|kinds| kinds.into_iter().map(Into::into).collect());
        let filter = relation_filter(&data.store, predicates, evidence_types, min_confidence, source)?;
        let ids = data
            .catalog()
            .connections(&a, &b, kinds.as_deref(), &filter)
            .map_err(|error| error.extend())?;
        if ids.is_empty() {
            warn(
                ctx,
                named_empty("relation", &relation_filters(kinds.is_some(), &filter)),
            );
        }
        relations(ctx, &ids).await
    }

    /// Every relation the filters keep, in id order, as a Relay connection: "who organized
    /// what", "every inferred link", "everything the ICANN diagram states".
    async fn relations(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only relations of these kinds; every \
                          kind when absent.")]
        kinds: Option<Vec<RelationKind>>,
        #[graphql(desc = "Only relations with one of these predicates: property names of the \
                          ontology as in the CSV import (`feedsInto`, `organizes`) or IRIs. A name \
                          no relation has is BAD_USER_INPUT.")]
        predicates: Option<Vec<String>>,
        #[graphql(desc = "Only relations known by one of these kinds of evidence (e.g. no \
                          INFERRED links).")]
        evidence_types: Option<Vec<EvidenceType>>,
        #[graphql(desc = "Only relations at least this confident, from 0 to 1; a relation quoted \
                          from a source states no confidence and counts as 1.")]
        min_confidence: Option<f64>,
        #[graphql(desc = "Only relations citing this document, named as `Source.document` shows \
                          it: a URL, a document's id or a file name. A name no evidence cites is \
                          BAD_USER_INPUT.")]
        source: Option<String>,
        #[graphql(desc = "How many relations per page: 50 when absent, at most the server's \
                          `--max-page` (500 by default; more is LIMIT_EXCEEDED).")]
        first: Option<i32>,
        #[graphql(desc = "A cursor from this connection (`pageInfo.endCursor`, or an edge's): the \
                          page starts after that relation. Anything else is BAD_USER_INPUT.")]
        after: Option<String>,
    ) -> Result<RelationConnection> {
        let data = request(ctx);
        let kinds: Option<Vec<crate::model::RelationKind>> =
            kinds.map(|kinds| kinds.into_iter().map(Into::into).collect());
        let filter = relation_filter(&data.store, predicates, evidence_types, min_confidence, source)?;
        let first = page_size(first, 50, &data.limits)?;
        let filters = relation_filters(kinds.is_some(), &filter);
        let ids = off_executor(&data.catalog(), &data.timing, move |catalog| {
            catalog.relations(kinds.as_deref(), &filter)
        })
        .await?;
        if ids.is_empty() {
            warn(ctx, named_empty("relation", &filters));
        }
        super::relations::page(ctx, ids, first, after).await
    }

    /// Entities whose dates meet the window, in date order: an ONGOING entity without an end
    /// meets every window from its start on. Undated entities are left out unless
    /// `includeUndated`, which lists them after the dated ones.
    async fn timeline(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The window's first date (ISO 8601: YYYY, YYYY-MM or YYYY-MM-DD), from its \
                          first day; open when absent.")]
        from: Option<String>,
        #[graphql(desc = "The window's last date, through its last \
                          day; open when absent.")]
        to: Option<String>,
        #[graphql(desc = "Only entities of these kinds; every \
                          kind when absent.")]
        kinds: Option<Vec<EntityKind>>,
        #[graphql(
            default_with = "Some(100)",
            desc = "Most entities to return: 100 by default, at most the server's `--max-page` (500 \
                    by default; more is LIMIT_EXCEEDED)."
        )]
        first: Option<i32>,
        #[graphql(
            default_with = "Some(false)",
            desc = "Keep the entities that have no date as well, after the dated ones (by id)."
        )]
        include_undated: Option<bool>,
        #[graphql(desc = "Only entities the document states (their evidence, or their claims', \
                          cites it), named as `Source.document` shows it: a URL, a document's id \
                          or a file name. A name no evidence cites is BAD_USER_INPUT.")]
        source: Option<String>,
    ) -> Result<Vec<Entity>> {
        let data = request(ctx);
        let within = stored_filters(&data.store, None, source.as_deref()).await?;
        let window = Window::parse(from.as_deref(), to.as_deref(), "timeline")
            .map_err(|error| error.extend())?
            .including_undated(include_undated.unwrap_or(false));
        let kinds: Option<Vec<crate::model::EntityKind>> =
            kinds.map(|kinds| kinds.into_iter().map(Into::into).collect());
        let first = count(first, "first")?.unwrap_or(100);
        let ids = data
            .catalog()
            .timeline(window, kinds.as_deref(), within.as_ref(), first, &data.limits)
            .map_err(|error| error.extend())?;
        if ids.is_empty() {
            let filters = [
                ("from", from.is_some()),
                ("to", to.is_some()),
                ("kinds", kinds.is_some()),
                ("source", source.is_some()),
            ];
            warn(ctx, named_empty("entity", &filters));
        }
        entities(ctx, &ids).await
    }
}
