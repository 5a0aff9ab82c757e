//! The query root: each resolver turns its arguments into a service call, runs it off the async
//! executor when it walks the graph, and wraps the result. No graph algorithm or SPARQL here.

use super::errors::internal;
use super::request;
use super::types::{
    CentralityMetric, Component, Entity, EntityKind, KindCount, Openness, OpennessCount, Path, Ranked, Relation,
    RelationKind, RelationKindCount, Stats, Subgraph, entities, relations,
};
use crate::services::catalog::Catalog;
use crate::services::explore::{Centrality, EntityFilter, PathQuery, QueryError, Selection, Window};
use async_graphql::connection::{Connection, Edge, EmptyFields};
use async_graphql::{Context, ErrorExtensions, InputObject, Object, Result, SimpleObject};
use std::sync::Arc;

/// A date window; either end may be left open. Dates are ISO 8601: YYYY, YYYY-MM or YYYY-MM-DD.
#[derive(InputObject, Clone, Default)]
pub struct DateWindow {
    pub from: Option<String>,
    pub to: Option<String>,
}

fn window(between: Option<&DateWindow>) -> Result<Option<Window>> {
    between
        .map(|between| Window::parse(between.from.as_deref(), between.to.as_deref(), "between"))
        .transpose()
        .map_err(|error| error.extend())
}

fn selection(
    kinds: Option<Vec<RelationKind>>,
    openness: Option<Openness>,
    directed: bool,
    between: Option<&DateWindow>,
) -> Result<Selection> {
    Ok(Selection {
        kinds: kinds.map(|kinds| kinds.into_iter().map(Into::into).collect()),
        openness: openness.map(Into::into),
        directed,
        between: window(between)?,
    })
}

fn count(value: Option<i32>, field: &'static str) -> Result<Option<usize>> {
    value
        .map(|value| {
            usize::try_from(value).map_err(|_| {
                QueryError::BadInput {
                    field,
                    message: "must not be negative".to_owned(),
                }
                .extend()
            })
        })
        .transpose()
}

/// The filters `path` and `paths` share, as their arguments give them: kinds, openness,
/// directed, maxHops, temporal, between.
struct PathFilters(
    Option<Vec<RelationKind>>,
    Option<Openness>,
    Option<bool>,
    Option<i32>,
    Option<bool>,
    Option<DateWindow>,
);

impl PathFilters {
    fn query(self, from: String, to: String, via: Vec<String>) -> Result<PathQuery> {
        let Self(kinds, openness, directed, max_hops, temporal, between) = self;
        Ok(PathQuery {
            from,
            to,
            via,
            selection: selection(kinds, openness, directed.unwrap_or(false), between.as_ref())?,
            max_hops: count(max_hops, "maxHops")?,
            temporal: temporal.unwrap_or(false),
        })
    }
}

/// Runs graph work on the compute pool (one thread per core), so that a long search does not
/// stall other requests. Not tokio's blocking pool: it hands each call to whichever of its idle
/// threads wakes first, and every new thread starts with cold per-node scratch arrays
/// (`graph::marks`), which at a million entities cost more than the search.
async fn off_executor<T: Send + 'static>(
    catalog: &Arc<Catalog>,
    work: impl FnOnce(&Catalog) -> Result<T, QueryError> + Send + 'static,
) -> Result<T> {
    let catalog = catalog.clone();
    match crate::api::compute::run(move || work(&catalog)).await {
        Ok(result) => result.map_err(|error| error.extend()),
        Err(error) => Err(internal(error)),
    }
}

/// Extra fields of the `entities` connection.
#[derive(SimpleObject)]
pub struct EntityConnectionFields {
    /// Number of entities matching the filters, over all pages.
    total_count: usize,
}

pub struct Query;

// Resolvers take the contract's arguments one by one, as the schema shows them.
#[allow(clippy::too_many_arguments)]
#[Object]
impl Query {
    /// One entity by ref: its id, IRI, label or an alias, ignoring case and accents.
    ///
    /// A ref that matches nothing (or more than one entity) nulls this field only, with its
    /// error, so the other fields of the request keep their answers.
    async fn entity(&self, ctx: &Context<'_>, r#ref: String) -> Option<Result<Entity>> {
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
    /// otherwise. With `between`, undated entities are left out.
    async fn entities(
        &self,
        ctx: &Context<'_>,
        kind: Option<EntityKind>,
        openness: Option<Openness>,
        search: Option<String>,
        between: Option<DateWindow>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Connection<String, Entity, EntityConnectionFields, EmptyFields>> {
        let data = request(ctx);
        let filter = EntityFilter {
            kind: kind.map(Into::into),
            openness: openness.map(Into::into),
            search,
            between: window(between.as_ref())?,
        };
        let ids = off_executor(&data.catalog(), move |catalog| Ok(catalog.list(&filter))).await?;
        let first = count(first, "first")?.unwrap_or(50);
        if first > data.limits.max_page {
            return Err(QueryError::LimitExceeded {
                limit: "first",
                max: data.limits.max_page,
                asked: first,
            }
            .extend());
        }
        let start = match after {
            Some(cursor) => decode_cursor(&cursor)? + 1,
            None => 0,
        };
        let end = (start + first).min(ids.len());
        let page = ids.get(start.min(ids.len())..end).unwrap_or_default();
        let mut connection = Connection::with_additional_fields(
            start > 0,
            end < ids.len(),
            EntityConnectionFields { total_count: ids.len() },
        );
        let loaded = entities(ctx, page).await?;
        connection.edges.extend(
            loaded
                .into_iter()
                .enumerate()
                .map(|(offset, entity)| Edge::new(encode_cursor(start + offset), entity)),
        );
        Ok(connection)
    }

    /// The shortest path between two entities (through `via`, in order), with every entity and
    /// relation on it; null if there is none within `maxHops`. `kinds` keeps only relations of
    /// those kinds; `openness` keeps only paths whose every entity has that openness (endpoints
    /// included); `between` keeps entities dated within the window (undated ones pass);
    /// `temporal` keeps paths whose dates never go backwards.
    async fn path(
        &self,
        ctx: &Context<'_>,
        from: String,
        to: String,
        via: Option<Vec<String>>,
        kinds: Option<Vec<RelationKind>>,
        openness: Option<Openness>,
        #[graphql(default_with = "Some(false)")] directed: Option<bool>,
        max_hops: Option<i32>,
        #[graphql(default_with = "Some(false)")] temporal: Option<bool>,
        between: Option<DateWindow>,
    ) -> Option<Result<Path>> {
        let found = async {
            let data = request(ctx);
            let filters = PathFilters(kinds, openness, directed, max_hops, temporal, between);
            let query = filters.query(from, to, via.unwrap_or_default())?;
            let limits = data.limits;
            let path = off_executor(&data.catalog(), move |catalog| catalog.path(&query, &limits)).await?;
            Ok(path.map(Path))
        };
        found.await.transpose()
    }

    /// Up to `k` (default 3) shortest loopless paths, shortest first; paths of equal length are
    /// ordered by the ids of their entities, then of their relations. Filters as for `path`.
    async fn paths(
        &self,
        ctx: &Context<'_>,
        from: String,
        to: String,
        k: Option<i32>,
        kinds: Option<Vec<RelationKind>>,
        openness: Option<Openness>,
        #[graphql(default_with = "Some(false)")] directed: Option<bool>,
        max_hops: Option<i32>,
        #[graphql(default_with = "Some(false)")] temporal: Option<bool>,
        between: Option<DateWindow>,
    ) -> Result<Vec<Path>> {
        let data = request(ctx);
        let filters = PathFilters(kinds, openness, directed, max_hops, temporal, between);
        let query = filters.query(from, to, Vec::new())?;
        let (k, limits) = (count(k, "k")?, data.limits);
        let found = off_executor(&data.catalog(), move |catalog| catalog.paths(&query, k, &limits)).await?;
        Ok(found.into_iter().map(Path).collect())
    }

    /// The neighbourhood of `roots` up to `depth` relations away (default 1), at most `limit`
    /// entities, with every relation between them.
    async fn subgraph(
        &self,
        ctx: &Context<'_>,
        roots: Vec<String>,
        #[graphql(default_with = "Some(1)")] depth: Option<i32>,
        kinds: Option<Vec<RelationKind>>,
        openness: Option<Openness>,
        limit: Option<i32>,
        #[graphql(default_with = "Some(false)")] directed: Option<bool>,
        between: Option<DateWindow>,
    ) -> Result<Subgraph> {
        let data = request(ctx);
        let selection = selection(kinds, openness, directed.unwrap_or(false), between.as_ref())?;
        let depth = count(depth, "depth")?.unwrap_or(1);
        let (limit, limits) = (count(limit, "limit")?, data.limits);
        let found = off_executor(&data.catalog(), move |catalog| {
            catalog.subgraph(&roots, depth, &selection, limit, &limits)
        })
        .await?;
        Ok(Subgraph(found))
    }

    /// Every relation between two entities, in both directions, with its sources: "explain this
    /// link".
    async fn connections(
        &self,
        ctx: &Context<'_>,
        a: String,
        b: String,
        kinds: Option<Vec<RelationKind>>,
    ) -> Result<Vec<Relation>> {
        let kinds: Option<Vec<crate::model::RelationKind>> =
            kinds.map(|kinds| kinds.into_iter().map(Into::into).collect());
        let ids = request(ctx)
            .catalog()
            .connections(&a, &b, kinds.as_deref())
            .map_err(|error| error.extend())?;
        relations(ctx, &ids).await
    }

    /// Dated entities whose dates meet the window, in date order.
    async fn timeline(
        &self,
        ctx: &Context<'_>,
        from: Option<String>,
        to: Option<String>,
        kinds: Option<Vec<EntityKind>>,
        #[graphql(default_with = "Some(100)")] first: Option<i32>,
    ) -> Result<Vec<Entity>> {
        let data = request(ctx);
        let window = Window::parse(from.as_deref(), to.as_deref(), "timeline").map_err(|error| error.extend())?;
        let kinds: Option<Vec<crate::model::EntityKind>> =
            kinds.map(|kinds| kinds.into_iter().map(Into::into).collect());
        let first = count(first, "first")?.unwrap_or(100);
        let ids = data
            .catalog()
            .timeline(window, kinds.as_deref(), first, &data.limits)
            .map_err(|error| error.extend())?;
        entities(ctx, &ids).await
    }

    /// Counts by kind, openness and relation kind.
    async fn stats(&self, ctx: &Context<'_>) -> Stats {
        let catalog = request(ctx).catalog();
        let stats = catalog.stats();
        Stats {
            entities: stats.entities,
            relations: stats.relations,
            by_kind: stats
                .by_kind
                .into_iter()
                .map(|(kind, count)| KindCount {
                    kind: kind.into(),
                    count,
                })
                .collect(),
            by_openness: stats
                .by_openness
                .into_iter()
                .map(|(openness, count)| OpennessCount {
                    openness: openness.map(Into::into),
                    count,
                })
                .collect(),
            by_relation_kind: stats
                .by_relation_kind
                .into_iter()
                .map(|(kind, count)| RelationKindCount {
                    kind: kind.into(),
                    count,
                })
                .collect(),
            dataset_version: catalog.version.clone(),
        }
    }

    /// The most central entities by a measure, highest first (ties by id), optionally of one
    /// kind.
    async fn centrality(
        &self,
        ctx: &Context<'_>,
        metric: CentralityMetric,
        kind: Option<EntityKind>,
        #[graphql(default_with = "Some(10)")] first: Option<i32>,
    ) -> Result<Vec<Ranked>> {
        let data = request(ctx);
        let metric = match metric {
            CentralityMetric::Degree => Centrality::Degree,
            CentralityMetric::Pagerank => Centrality::PageRank,
            CentralityMetric::Betweenness => Centrality::Betweenness,
        };
        let (kind, first, limits) = (kind.map(Into::into), count(first, "first")?.unwrap_or(10), data.limits);
        let ranked = off_executor(&data.catalog(), move |catalog| {
            catalog.centrality(metric, kind, first, &limits)
        })
        .await?;
        Ok(ranked.into_iter().map(|(id, score)| Ranked { id, score }).collect())
    }

    /// Weakly connected components, largest first.
    async fn components(
        &self,
        ctx: &Context<'_>,
        #[graphql(default_with = "Some(10)")] first: Option<i32>,
    ) -> Result<Vec<Component>> {
        let data = request(ctx);
        let first = count(first, "first")?.unwrap_or(10);
        if first > data.limits.max_page {
            return Err(QueryError::LimitExceeded {
                limit: "first",
                max: data.limits.max_page,
                asked: first,
            }
            .extend());
        }
        let components = off_executor(&data.catalog(), |catalog| Ok(catalog.components())).await?;
        Ok(components
            .into_iter()
            .take(first)
            .map(|members| Component {
                size: members.len(),
                members,
            })
            .collect())
    }
}

/// Cursors are opaque to clients; here, a position in the ordered result.
fn encode_cursor(position: usize) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("entity:{position}"))
}

fn decode_cursor(cursor: &str) -> Result<usize> {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| text.strip_prefix("entity:").and_then(|n| n.parse().ok()))
        .ok_or_else(|| {
            QueryError::BadInput {
                field: "after",
                message: "not a cursor of this connection".to_owned(),
            }
            .extend()
        })
}
