//! The query root's text search over what the sources say (`search`): quotes of relations,
//! claims and entities beside the entities' names and descriptions, with snippets.

use super::arguments::{named_empty, page_size};
use super::errors::internal;
use super::page::{PageInfo, decode_cursor, encode_cursor};
use super::types::{Entity, Relation, Source, entities, relations};
use super::{request, warn};
use crate::model::Citation;
use crate::services::explore::{self, QueryError};
use crate::services::passages::{self, Hit, Matched, TextQuery};
use crate::store::Holder;
use async_graphql::{Context, Enum, ErrorExtensions, Object, Result, SimpleObject};

/// Where a text-search hit matched.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum MatchedField {
    /// An entity's label.
    Label,
    /// One of an entity's aliases.
    Alias,
    /// An entity's description.
    Description,
    /// A quote a relation, an entity or one of its claims rests on.
    Quote,
}

impl From<MatchedField> for Matched {
    fn from(field: MatchedField) -> Self {
        match field {
            MatchedField::Label => Self::Label,
            MatchedField::Alias => Self::Alias,
            MatchedField::Description => Self::Description,
            MatchedField::Quote => Self::Quote,
        }
    }
}

impl From<Matched> for MatchedField {
    fn from(field: Matched) -> Self {
        match field {
            Matched::Label => Self::Label,
            Matched::Alias => Self::Alias,
            Matched::Description => Self::Description,
            Matched::Quote => Self::Quote,
        }
    }
}

/// Where, in a snippet, a word of the search was found.
#[derive(SimpleObject, Clone, Copy)]
pub struct TextSpan {
    /// The offset of the word's first character in the snippet, in characters (Unicode scalar
    /// values: `Array.from(snippet)` in JavaScript, `snippet[start:]` in Python).
    start: usize,
    /// The word's length, in characters.
    length: usize,
}

/// One hit: what matched, where, and the words around it.
pub struct SearchHit {
    hit: Hit,
    citation: Option<Citation>,
}

/// One hit of a text search: what matched, where, and the words around it.
#[Object]
impl SearchHit {
    /// How well the hit matches (BM25, labels weighing most); hits come best first.
    async fn score(&self) -> f64 {
        self.hit.score
    }

    /// Where the words were found.
    async fn field(&self) -> MatchedField {
        self.hit.matched.into()
    }

    /// Up to 24 words of the text that matched, around the words found; "…" marks a cut.
    async fn snippet(&self) -> &str {
        &self.hit.snippet.text
    }

    /// Where the snippet has the words searched for.
    async fn highlights(&self) -> Vec<TextSpan> {
        self.hit
            .snippet
            .marks
            .iter()
            .map(|&(start, length)| TextSpan { start, length })
            .collect()
    }

    /// The entity whose label, alias, description or quote matched, or whose claim's quote
    /// did; null for a relation's quote.
    async fn entity(&self, ctx: &Context<'_>) -> Result<Option<Entity>> {
        let Some(id) = self.hit.holder.entity() else {
            return Ok(None);
        };
        Ok(entities(ctx, &[id.to_owned()]).await?.into_iter().next())
    }

    /// The relation whose quote matched; null otherwise.
    async fn relation(&self, ctx: &Context<'_>) -> Result<Option<Relation>> {
        let Holder::Relation(id) = &self.hit.holder else {
            return Ok(None);
        };
        Ok(relations(ctx, std::slice::from_ref(id)).await?.into_iter().next())
    }

    /// For a claim's quote, the property the claim is about ("openness", "startDate", ...), as
    /// `Entity.claims(property)` takes it; null otherwise.
    async fn claim_property(&self) -> Option<String> {
        passages::claim_property(&self.hit).map(|property| property.to_string())
    }

    /// For a quote, its document and the whole quote; null otherwise.
    async fn source(&self) -> Option<Source> {
        self.citation.clone().map(Source)
    }
}

/// One hit of a page, with its cursor.
#[derive(SimpleObject)]
pub struct SearchHitEdge {
    /// The hit.
    node: SearchHit,
    /// An opaque cursor: give it as `after` for the hits after this one.
    cursor: String,
}

/// A page of hits, best first, as a Relay connection.
pub struct SearchConnection {
    page_info: PageInfo,
    edges: Vec<SearchHitEdge>,
    total_count: usize,
}

/// A page of hits, best first, as a Relay connection: the hits, their cursors, where the page
/// is and how many hits there are over all pages.
#[Object]
impl SearchConnection {
    /// Whether there are hits before and after this page, and its first and last cursors.
    async fn page_info(&self) -> &PageInfo {
        &self.page_info
    }

    /// The page's hits, each with its cursor.
    async fn edges(&self) -> &[SearchHitEdge] {
        &self.edges
    }

    /// The page's hits, without cursors.
    async fn nodes(&self) -> Vec<&SearchHit> {
        self.edges.iter().map(|edge| &edge.node).collect()
    }

    /// How many hits there are over all pages.
    async fn total_count(&self) -> usize {
        self.total_count
    }
}

#[derive(Default)]
pub struct TextSearch;

#[Object]
impl TextSearch {
    /// Text search over what the sources say: the quotes relations, entities and their claims
    /// rest on, and the entities' labels, aliases and descriptions, ranked together (BM25;
    /// labels weigh most, words side by side in a quote count more). Every word must be found,
    /// ignoring case and accents; the last may be a prefix. Each hit says where it matched,
    /// with a snippet and the words found in it.
    async fn search(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The words to find. Blank finds nothing.")] text: String,
        #[graphql(desc = "Only hits in these fields; all when absent.")] fields: Option<Vec<MatchedField>>,
        #[graphql(desc = "Only quotes from this document, and entities whose evidence cites it; \
                          named as `Source.document` shows it (a URL, a document's id or a file \
                          name). A name no evidence cites is BAD_USER_INPUT.")]
        source: Option<String>,
        #[graphql(desc = "How many hits per page: 20 when absent, at most the server's `--max-page`.")] first: Option<
            i32,
        >,
        #[graphql(desc = "A cursor from this connection: the page starts after that hit.")] after: Option<String>,
    ) -> Result<SearchConnection> {
        let data = request(ctx);
        let first = page_size(first, 20, &data.limits)?;
        let start = match after {
            Some(cursor) => decode_cursor(&cursor, "hit")? + 1,
            None => 0,
        };
        let (catalog, store) = (data.catalog(), data.store.clone());
        let filtered = [("fields", fields.is_some()), ("source", source.is_some())];
        let found = crate::api::blocking::on_pool(move || {
            let query = TextQuery {
                text,
                fields: fields.map(|fields| fields.into_iter().map(Into::into).collect()),
                source: source.map(|name| explore::source_iri(&store, &name)).transpose()?,
            };
            let hits = passages::search(&catalog, &store, &query)?;
            let total = hits.len();
            let mut page = Vec::new();
            for hit in hits.into_iter().skip(start).take(first) {
                let citation = hit
                    .quoted
                    .as_ref()
                    .map(|(document, quote)| store.quote_citation(document, quote))
                    .transpose()?;
                page.push(SearchHit { hit, citation });
            }
            Ok::<_, QueryError>((page, total))
        })
        .await
        .map_err(internal)?;
        let (page, total) = found.map_err(|error| error.extend())?;
        if total == 0 {
            warn(ctx, named_empty("hit", &filtered));
        }
        let edges: Vec<SearchHitEdge> = page
            .into_iter()
            .enumerate()
            .map(|(offset, node)| SearchHitEdge {
                node,
                cursor: encode_cursor(start + offset, "hit"),
            })
            .collect();
        let end = start + edges.len();
        Ok(SearchConnection {
            page_info: PageInfo::new(
                start > 0,
                end < total,
                edges.first().map(|edge| edge.cursor.clone()),
                edges.last().map(|edge| edge.cursor.clone()),
            ),
            edges,
            total_count: total,
        })
    }
}
