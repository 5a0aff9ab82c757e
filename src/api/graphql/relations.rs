//! Relations as a researcher filters them: by predicate, evidence type, confidence and source,
//! the same four arguments on `path`, `paths`, `subgraph`, `connections` and the top-level
//! `relations` connection, read here once.

use super::page::{PageInfo, decode_cursor, encode_cursor};
use super::types::{EvidenceType, Relation, relations};
use crate::services::explore::{self, RelationFilter};
use crate::store::Store;
use async_graphql::{Context, ErrorExtensions, Object, Result, SimpleObject};

/// The relation filters as their arguments give them; `source` is looked up in `store`.
pub fn relation_filter(
    store: &Store,
    predicates: Option<Vec<String>>,
    evidence_types: Option<Vec<EvidenceType>>,
    min_confidence: Option<f64>,
    source: Option<String>,
) -> Result<RelationFilter> {
    let source = source
        .map(|name| explore::source_iri(store, &name))
        .transpose()
        .map_err(|error| error.extend())?;
    Ok(RelationFilter {
        predicates,
        evidence: evidence_types.map(|types| types.into_iter().map(Into::into).collect()),
        min_confidence,
        source,
    })
}

/// One relation of a page, with its cursor.
#[derive(SimpleObject)]
pub struct RelationEdge {
    /// The relation.
    node: Relation,
    /// An opaque cursor: give it as `after` for the relations after this one.
    cursor: String,
}

/// A page of relations, as a Relay connection.
pub struct RelationConnection {
    page_info: PageInfo,
    edges: Vec<RelationEdge>,
    total_count: usize,
}

/// A page of relations, in id order, as a Relay connection: the relations, their cursors, where
/// the page is and how many relations match over all pages.
#[Object]
impl RelationConnection {
    /// Whether there are relations before and after this page, and its first and last cursors.
    async fn page_info(&self) -> &PageInfo {
        &self.page_info
    }

    /// The page's relations, each with its cursor.
    async fn edges(&self) -> &[RelationEdge] {
        &self.edges
    }

    /// The page's relations, without cursors.
    async fn nodes(&self) -> Vec<&Relation> {
        self.edges.iter().map(|edge| &edge.node).collect()
    }

    /// How many relations match the filters, over all pages.
    async fn total_count(&self) -> usize {
        self.total_count
    }
}

/// The page of `ids` (every match, in order) that `first` and `after` ask for.
pub async fn page(
    ctx: &Context<'_>,
    ids: Vec<String>,
    first: usize,
    after: Option<String>,
) -> Result<RelationConnection> {
    let start = match after {
        Some(cursor) => decode_cursor(&cursor, "relation")? + 1,
        None => 0,
    };
    let end = (start + first).min(ids.len());
    let page = ids.get(start.min(ids.len())..end).unwrap_or_default();
    let edges: Vec<RelationEdge> = relations(ctx, page)
        .await?
        .into_iter()
        .enumerate()
        .map(|(offset, node)| RelationEdge {
            node,
            cursor: encode_cursor(start + offset, "relation"),
        })
        .collect();
    let page_info = PageInfo::new(
        start > 0,
        end < ids.len(),
        edges.first().map(|edge| edge.cursor.clone()),
        edges.last().map(|edge| edge.cursor.clone()),
    );
    Ok(RelationConnection {
        page_info,
        edges,
        total_count: ids.len(),
    })
}
