//! The query root's counts and rankings: `stats`, `centrality` (over the whole graph or a scope),
//! `brokers`, `communities`, `components`.

use super::arguments::{DateWindow, count, off_executor, page_size, selection};
use super::relations::relation_filter;
use super::request;
use super::types::{
    CentralityMetric, CommunityReport, Component, EntityKind, EvidenceType, EvidenceTypeCount, KindCount, Openness,
    OpennessCount, PredicateCount, Ranked, RelationKind, RelationKindCount, Stats,
};
use crate::services::explore::{self, Centrality, Scope};
use async_graphql::{Context, ErrorExtensions, Object, Result};

#[derive(Default)]
pub struct Rankings;

// Resolvers take the contract's arguments one by one, as the schema shows them.
#[allow(clippy::too_many_arguments)]
#[Object]
impl Rankings {
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
            by_predicate: stats
                .by_predicate
                .into_iter()
                .map(|(iri, count)| PredicateCount {
                    predicate: explore::short_predicate(&iri).to_owned(),
                    label: catalog.predicate_labels(&iri).0.to_owned(),
                    iri,
                    count,
                })
                .collect(),
            by_evidence_type: stats
                .by_evidence_type
                .into_iter()
                .map(|(evidence, count)| EvidenceTypeCount {
                    evidence_type: evidence.map(Into::into),
                    count,
                })
                .collect(),
            dataset_version: catalog.version.clone(),
        }
    }

    /// The most central entities by a measure, highest first (ties by id), optionally of one
    /// kind. Scores are computed over the whole graph, or over the part the scope arguments
    /// keep: a neighbourhood (`roots`, `depth`), a period (`between`), what one document states
    /// (`source`), or relations of some predicates, evidence or confidence. A whole-graph ranking
    /// mostly measures which document was longest; a scoped one answers "central in the ICANN
    /// diagram", "central in 2013", "central around NETmundial".
    async fn centrality(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The measure to rank by.")] metric: CentralityMetric,
        #[graphql(desc = "Only rank entities of this kind (scores are still computed over the whole scope).")]
        kind: Option<EntityKind>,
        #[graphql(
            default_with = "Some(10)",
            desc = "How many entities: 10 by default, at most the server's `--max-page` (500 by \
                    default; more is LIMIT_EXCEEDED)."
        )]
        first: Option<i32>,
        #[graphql(desc = "Rank within the neighbourhood of these refs (as `subgraph` finds it) \
                          instead of the whole graph.")]
        roots: Option<Vec<String>>,
        #[graphql(desc = "With `roots`: how many relations away to go, 1 by default, at most the \
                          server's `--max-subgraph-depth`.")]
        depth: Option<i32>,
        #[graphql(desc = "Rank only among entities whose dates overlap this window (undated ones \
                          are kept, as on a path), over the relations between them.")]
        between: Option<DateWindow>,
        #[graphql(desc = "The graph as it stood on this date (YYYY, YYYY-MM or YYYY-MM-DD): only \
                          entities that had started by then (their start or issue date on or \
                          before it; undated ones are kept), and the relations between them.")]
        as_of: Option<String>,
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
        #[graphql(desc = "Rank within what one document states: the relations citing it, and \
                          the entities they join. Named as `Source.document` shows it: a URL, a \
                          document's id or a file name.")]
        source: Option<String>,
    ) -> Result<Vec<Ranked>> {
        let data = request(ctx);
        let metric = match metric {
            CentralityMetric::Degree => Centrality::Degree,
            CentralityMetric::Pagerank => Centrality::PageRank,
            CentralityMetric::Betweenness => Centrality::Betweenness,
            CentralityMetric::Closeness => Centrality::Closeness,
        };
        let relations = relation_filter(&data.store, predicates, evidence_types, min_confidence, source)?;
        let mut selection = selection(None, relations, None, explore::Direction::Both, between.as_ref())?;
        // A ranking among the dated entities of a period still counts the undated bodies that
        // link them, as a path does.
        selection.between = selection.between.map(|window| window.including_undated(true));
        selection.as_of = explore::as_of(as_of.as_deref()).map_err(|error| error.extend())?;
        let scope = Scope {
            roots: roots.unwrap_or_default(),
            depth: count(depth, "depth")?.unwrap_or(1),
            selection,
        };
        let (kind, first, limits) = (kind.map(Into::into), count(first, "first")?.unwrap_or(10), data.limits);
        let ranked = off_executor(&data.catalog(), &data.timing, move |catalog| {
            catalog.centrality(metric, kind, first, &scope, &limits)
        })
        .await?;
        Ok(ranked.into_iter().map(|(id, score)| Ranked { id, score }).collect())
    }

    /// Brokers: the articulation points of the graph taken undirected (entities whose removal
    /// disconnects their component), most separating first. An entity's score is how many
    /// entities its removal cuts off from the largest part left of its component (at least 1);
    /// ties by id.
    async fn brokers(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            default_with = "Some(10)",
            desc = "How many entities: 10 by default, at most the server's `--max-page` (500 by \
                    default; more is LIMIT_EXCEEDED)."
        )]
        first: Option<i32>,
        #[graphql(desc = "The graph as it stood on this date (YYYY, YYYY-MM or YYYY-MM-DD): only \
                          entities that had started by then (undated ones are kept), and the \
                          relations between them.")]
        as_of: Option<String>,
    ) -> Result<Vec<Ranked>> {
        let data = request(ctx);
        let first = count(first, "first")?.unwrap_or(10);
        let as_of = explore::as_of(as_of.as_deref()).map_err(|error| error.extend())?;
        let limits = data.limits;
        let ranked = off_executor(&data.catalog(), &data.timing, move |catalog| {
            catalog.brokers(first, as_of, &limits)
        })
        .await?;
        Ok(ranked.into_iter().map(|(id, score)| Ranked { id, score }).collect())
    }

    /// Communities: a Leiden partition maximising modularity of the graph taken undirected,
    /// parallel relations (either way) as one edge of weight 1. The same seed on the same
    /// dataset version gives the same answer (and is served from a cache).
    async fn communities(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            default_with = "Some(1.0)",
            desc = "Modularity's resolution: above 1 favours smaller \
                                          communities, below 1 larger ones."
        )]
        resolution: Option<f64>,
        #[graphql(default_with = "Some(1)", desc = "The seed of Leiden's random choices (0 or more).")] seed: Option<
            i32,
        >,
        #[graphql(desc = "Only relations of these kinds (and the entities they join); every \
                          relation when absent.")]
        kinds: Option<Vec<RelationKind>>,
        #[graphql(desc = "The graph as it stood on this date (YYYY, YYYY-MM or YYYY-MM-DD): only \
                          entities that had started by then (undated ones are kept), and the \
                          relations between them.")]
        as_of: Option<String>,
        #[graphql(desc = "Only entities of this openness (the open processes, or the closed \
                          ones; those the sources do not rate are left out), and the relations \
                          between them.")]
        openness: Option<Openness>,
        #[graphql(
            default_with = "Some(20)",
            desc = "How many communities to list: 20 by default, at most the server's \
                    `--max-page` (500 by default; more is LIMIT_EXCEEDED). `count` counts them all."
        )]
        first: Option<i32>,
    ) -> Result<CommunityReport> {
        let data = request(ctx);
        let first = page_size(first, 20, &data.limits)?;
        let seed = count(seed, "seed")?.unwrap_or(1) as u64;
        let resolution = resolution.unwrap_or(1.0);
        let as_of = explore::as_of(as_of.as_deref()).map_err(|error| error.extend())?;
        let kinds = kinds.map(|kinds| kinds.into_iter().map(Into::into).collect());
        let openness = openness.map(Into::into);
        let limits = data.limits;
        let report = off_executor(&data.catalog(), &data.timing, move |catalog| {
            catalog.communities(resolution, seed, kinds, openness, as_of, &limits)
        })
        .await?;
        Ok(CommunityReport { report, first })
    }

    /// Weakly connected components, largest first.
    async fn components(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            default_with = "Some(10)",
            desc = "How many components: 10 by default, at most the server's `--max-page` (500 by \
                    default; more is LIMIT_EXCEEDED)."
        )]
        first: Option<i32>,
    ) -> Result<Vec<Component>> {
        let data = request(ctx);
        let first = page_size(first, 10, &data.limits)?;
        let components = off_executor(&data.catalog(), &data.timing, |catalog| Ok(catalog.components())).await?;
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
