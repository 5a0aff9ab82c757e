//! Text search over what the sources say: the quotes of entities, relations and claims, beside
//! the entities' labels, aliases and descriptions, ranked together, each hit with where it
//! matched and a short snippet around the words found.
//!
//! Quotes are not in the catalog (they are provenance, read from the store), so their index is
//! built from one scan of the store the first time a catalog base is searched, and shared by
//! every catalog derived from that base. What writes touched since the base is left out of the
//! index's answers and read again from the store instead: an answer is always the store's.

use crate::model::ClaimProperty;
use crate::services::catalog::Catalog;
use crate::services::quotes::{PassageIndex, Snippet, Wanted, has_phrase, snippet, words};
use crate::store::{Holder, Passage, Store, StoreError};
use std::collections::{BTreeSet, HashSet};

/// Where a hit matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Matched {
    Label,
    Alias,
    Description,
    Quote,
}

/// One hit of a text search.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    pub score: f64,
    pub matched: Matched,
    pub holder: Holder,
    /// The quote's document (IRI) and the whole quote, for a quote.
    pub quoted: Option<(String, String)>,
    pub snippet: Snippet,
}

/// What a text search asks for.
#[derive(Clone, Debug, Default)]
pub struct TextQuery {
    pub text: String,
    /// Only hits matched in these fields; all when `None`.
    pub fields: Option<Vec<Matched>>,
    /// Only quotes from this document (IRI), and entities that cite it.
    pub source: Option<String>,
}

/// The quotes a search reads: an index of the catalog's base, less what writes touched since,
/// plus what the store says of those now.
struct Quotes<'a> {
    index: &'a PassageIndex,
    touched_entities: HashSet<&'a str>,
    touched_relations: HashSet<&'a str>,
    fresh: Vec<Passage>,
}

impl Quotes<'_> {
    fn current(&self, holder: &Holder) -> bool {
        match holder {
            Holder::Relation(id) => !self.touched_relations.contains(id.as_str()),
            Holder::Entity(id) | Holder::Claim { entity: id, .. } => !self.touched_entities.contains(id.as_str()),
        }
    }

    fn hits(&self, wanted: &Wanted, source: Option<&str>) -> Vec<Hit> {
        let rarity = self.index.rarity(wanted);
        let wanted_source = |passage: &Passage| source.is_none_or(|iri| passage.document == iri);
        let hit = |passage: &Passage, score: f64| Hit {
            score,
            matched: Matched::Quote,
            holder: passage.holder.clone(),
            quoted: Some((passage.document.clone(), passage.quote.clone())),
            snippet: snippet(wanted, &passage.quote),
        };
        let mut hits = Vec::new();
        for (at, counts) in self.index.matching(wanted) {
            let (passage, length) = self.index.passage(at);
            if self.current(&passage.holder) && wanted_source(passage) {
                let phrase = has_phrase(wanted, &words(&passage.quote));
                hits.push(hit(passage, self.index.score(&rarity, &counts, length, phrase)));
            }
        }
        for passage in self.fresh.iter().filter(|passage| wanted_source(passage)) {
            let text = words(&passage.quote);
            let counts: Vec<u32> = (0..wanted.words.len())
                .map(|i| text.iter().filter(|word| wanted.matches(i, &word.folded)).count() as u32)
                .collect();
            if counts.iter().all(|&count| count > 0) {
                let length = u32::try_from(text.len()).unwrap_or(u32::MAX);
                let score = self.index.score(&rarity, &counts, length, has_phrase(wanted, &text));
                hits.push(hit(passage, score));
            }
        }
        hits
    }
}

/// The entity hits of a search: the catalog's entity search, each hit placed in the field that
/// holds most of the words (the label first on ties), with a snippet of that field.
fn entity_hits(catalog: &Catalog, wanted: &Wanted, text: &str, citing: Option<&BTreeSet<String>>) -> Vec<Hit> {
    let mut hits = Vec::new();
    for (id, score) in catalog.search(text) {
        if citing.is_some_and(|citing| !citing.contains(&id)) {
            continue;
        }
        let Some(entity) = catalog.summary(&id) else {
            continue;
        };
        let fields = [(Matched::Label, entity.label())]
            .into_iter()
            .chain(entity.aliases().map(|alias| (Matched::Alias, alias)))
            .chain(
                entity
                    .description()
                    .map(|description| (Matched::Description, description)),
            );
        let found = |text: &str| {
            let mut seen: Vec<usize> = words(text)
                .iter()
                .filter_map(|word| wanted.which(&word.folded))
                .collect();
            seen.sort_unstable();
            seen.dedup();
            seen.len()
        };
        // Ties keep the first field (label, then aliases, then description).
        let mut best: Option<(usize, Matched, &str)> = None;
        for (field, text) in fields {
            let count = found(text);
            if count > 0 && best.is_none_or(|(known, _, _)| count > known) {
                best = Some((count, field, text));
            }
        }
        let Some((_, matched, text)) = best else {
            continue;
        };
        hits.push(Hit {
            score,
            matched,
            holder: Holder::Entity(id.clone()),
            quoted: None,
            snippet: snippet(wanted, text),
        });
    }
    hits
}

/// Every hit of `query`, best first (ties by holder, then field, then quote), quotes and
/// entities together. Blank text finds nothing.
pub fn search(catalog: &Catalog, store: &Store, query: &TextQuery) -> Result<Vec<Hit>, StoreError> {
    let wanted = Wanted::new(&query.text);
    if wanted.words.is_empty() {
        return Ok(Vec::new());
    }
    let wants = |field: Matched| query.fields.as_ref().is_none_or(|fields| fields.contains(&field));
    let mut hits = Vec::new();
    if wants(Matched::Quote) {
        let index = catalog.passage_index(store)?;
        let (touched_entities, touched_relations) = catalog.touched_since_base();
        let fresh = store
            .passages_of(touched_entities.iter().copied(), touched_relations.iter().copied())?
            .into_iter()
            .filter(|passage| exists(catalog, &passage.holder))
            .collect();
        let quotes = Quotes {
            index: &index,
            touched_entities,
            touched_relations,
            fresh,
        };
        hits.extend(quotes.hits(&wanted, query.source.as_deref()));
    }
    if [Matched::Label, Matched::Alias, Matched::Description]
        .into_iter()
        .any(wants)
    {
        let citing = query
            .source
            .as_deref()
            .map(|iri| store.entities_citing(iri))
            .transpose()?;
        hits.extend(
            entity_hits(catalog, &wanted, &query.text, citing.as_ref())
                .into_iter()
                .filter(|hit| wants(hit.matched)),
        );
    }
    hits.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.holder.cmp(&b.holder))
            .then_with(|| a.matched.cmp(&b.matched))
            .then_with(|| a.quoted.cmp(&b.quoted))
    });
    Ok(hits)
}

/// Whether the holder of a quote read from the store is in the catalog (the store may be a
/// write ahead of a request's catalog).
fn exists(catalog: &Catalog, holder: &Holder) -> bool {
    match holder {
        Holder::Relation(id) => catalog.projection.relation(id).is_some(),
        Holder::Entity(id) | Holder::Claim { entity: id, .. } => catalog.summary(id).is_some(),
    }
}

/// The claim property a hit's quote is about, for a claim's quote.
pub fn claim_property(hit: &Hit) -> Option<ClaimProperty> {
    match hit.holder {
        Holder::Claim { property, .. } => Some(property),
        _ => None,
    }
}
