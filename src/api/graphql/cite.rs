//! The `cite` field of paths, subgraphs and relations: gathers what the answer cites (through
//! the request's loaders) and what the request says (its document, its URL, today's date), and
//! hands them to `services::cite`, which renders the citation.

use super::errors::internal;
use super::request;
use crate::services::cite::{Cited, Date, Rendered, distinct_sources, render};
use crate::store::vocab::DATASET;
use async_graphql::{Context, Object, Result};
use std::time::{SystemTime, UNIX_EPOCH};

/// What a request tells its citations; set by the HTTP layer when the request starts.
#[derive(Clone, Debug)]
pub struct Citing {
    /// The GraphQL document of the request.
    pub query: Option<String>,
    /// A `GET /graphql?query=...` URL that asks the same again; none for a mutation.
    pub url: Option<String>,
    /// The day the request started (UTC), from the server's clock.
    pub today: Date,
}

impl Default for Citing {
    fn default() -> Self {
        Self {
            query: None,
            url: None,
            today: today(),
        }
    }
}

/// Today (UTC) by the server's clock.
pub fn today() -> Date {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| elapsed.as_secs())
        .unwrap_or_default();
    Date::from_unix_days(i64::try_from(seconds / 86_400).unwrap_or_default())
}

/// A citation of one answer, titled `title`, naming every document the entities and relations
/// with these ids are cited from.
pub(super) async fn cite(
    ctx: &Context<'_>,
    title: String,
    entities: &[String],
    relations: &[String],
) -> Result<Citation> {
    let data = request(ctx);
    let relations = data
        .relations
        .load_many(relations.iter().cloned())
        .await
        .map_err(internal)?;
    let entities = data
        .entities
        .load_many(entities.iter().cloned())
        .await
        .map_err(internal)?;
    let citations = relations
        .values()
        .flat_map(|relation| relation.citations.iter())
        .chain(entities.values().flat_map(|entity| entity.citations.iter()));
    let cited = Cited {
        title,
        dataset_version: data.catalog().version.clone(),
        query: data.citing.query.clone(),
        url: data.citing.url.clone().unwrap_or_else(|| DATASET.as_str().to_owned()),
        sources: distinct_sources(citations),
        date: data.citing.today,
    };
    let rendered = render(&cited);
    Ok(Citation { cited, rendered })
}

pub struct Citation {
    cited: Cited,
    rendered: Rendered,
}

/// How to cite an answer: the dataset version it was computed from, the query that produced it
/// and the source documents of what it contains, as CSL-JSON and as BibTeX.
#[Object]
impl Citation {
    /// The citation as CSL-JSON (an array of one item of type "dataset": title, author and
    /// publisher "govgraph", `issued` and `accessed` today, `version`, `URL`, the sources in
    /// `references` and `note`), for Zotero, citeproc or pandoc.
    async fn csl_json(&self) -> &serde_json::Value {
        &self.rendered.csl_json
    }
    /// The citation as a BibTeX `@misc` entry, every special character escaped.
    async fn bibtex(&self) -> &str {
        &self.rendered.bibtex
    }
    /// The documents the answer's entities and relations are cited from, each once, in the
    /// order of their names (as `Source.document`).
    async fn sources(&self) -> Vec<&str> {
        self.cited
            .sources
            .iter()
            .map(|source| source.document.as_str())
            .collect()
    }
    /// The GraphQL document that produced the answer; null when not known.
    async fn query(&self) -> Option<&str> {
        self.cited.query.as_deref()
    }
    /// Where the answer can be had again: a `GET /graphql?query=...` URL of this server, or the
    /// dataset's IRI for an answer a mutation produced.
    async fn url(&self) -> &str {
        &self.cited.url
    }
    /// The dataset version the answer was computed from (as the response's
    /// `extensions.datasetVersion`).
    async fn dataset_version(&self) -> &str {
        &self.cited.dataset_version
    }
}
