//! Finding entities by what people call them: refs (an id, an IRI, a label or an alias, ignoring
//! case, accents and punctuation) and ranked text search over labels, aliases and descriptions.
//!
//! A small in-memory inverted index rather than a search engine: the fields are short, the
//! index is rebuilt with the graph projection (so it is never out of step with it), and the
//! same accent folding serves refs, search and suggestions.

use crate::model::{EntitySummary, fold};
use std::collections::{BTreeMap, HashMap};

/// Why a ref did not name exactly one entity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RefError {
    /// Nothing matched; the closest entities, as (id, label).
    NotFound {
        reference: String,
        suggestions: Vec<(String, String)>,
    },
    /// Several entities matched, as (id, label).
    Ambiguous {
        reference: String,
        candidates: Vec<(String, String)>,
    },
}

/// Weights of the fields in a text search: a hit in a label counts most.
const LABEL: f64 = 3.0;
const ALIAS: f64 = 2.0;
const DESCRIPTION: f64 = 1.0;

/// (document, weight of the field the token occurs in, occurrences).
type Postings = Vec<(usize, f64, u32)>;

struct Document {
    id: String,
    label: String,
    /// Folded label and aliases, for suggestions.
    names: Vec<String>,
}

/// Refs and text search over the entities of one projection.
pub struct SearchIndex {
    documents: Vec<Document>,
    by_id: HashMap<String, usize>,
    /// Folded, punctuation-free label or alias -> documents.
    by_name: HashMap<String, Vec<usize>>,
    /// Folded token -> where it occurs.
    postings: BTreeMap<String, Postings>,
}

/// Folds and keeps letters and digits only: "/1Net" and "1net" are the same name.
fn name_key(text: &str) -> String {
    fold(text).chars().filter(|c| c.is_alphanumeric()).collect()
}

fn tokens(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|token| !token.is_empty())
        .map(str::to_owned)
        .collect()
}

impl SearchIndex {
    pub fn new(entities: &[EntitySummary]) -> Self {
        let mut index = Self {
            documents: Vec::with_capacity(entities.len()),
            by_id: HashMap::with_capacity(entities.len()),
            by_name: HashMap::new(),
            postings: BTreeMap::new(),
        };
        for entity in entities {
            let position = index.documents.len();
            index.by_id.insert(entity.id.clone(), position);
            let mut names = vec![fold(&entity.label)];
            names.extend(entity.aliases.iter().map(|alias| fold(alias)));
            for name in std::iter::once(&entity.label).chain(&entity.aliases) {
                let key = name_key(name);
                if !key.is_empty() {
                    let entry = index.by_name.entry(key).or_default();
                    if !entry.contains(&position) {
                        entry.push(position);
                    }
                }
            }
            let mut counts: HashMap<String, (f64, u32)> = HashMap::new();
            let fields = [
                (LABEL, entity.label.as_str()),
                (DESCRIPTION, entity.description.as_deref().unwrap_or("")),
            ];
            let aliases = entity.aliases.iter().map(|alias| (ALIAS, alias.as_str()));
            for (weight, text) in fields.into_iter().chain(aliases).chain([(ALIAS, entity.id.as_str())]) {
                for token in tokens(text) {
                    let entry = counts.entry(token).or_insert((weight, 0));
                    entry.0 = entry.0.max(weight);
                    entry.1 += 1;
                }
            }
            for (token, (weight, count)) in counts {
                index.postings.entry(token).or_default().push((position, weight, count));
            }
            index.documents.push(Document {
                id: entity.id.clone(),
                label: entity.label.clone(),
                names,
            });
        }
        index
    }

    /// The id a ref names: an id or IRI exactly, else a label or alias ignoring case, accents
    /// and punctuation.
    pub fn resolve(&self, reference: &str) -> Result<String, RefError> {
        let trimmed = reference.trim();
        let id = trimmed
            .strip_prefix(crate::store::vocab::id_namespace())
            .unwrap_or(trimmed);
        if self.by_id.contains_key(id) {
            return Ok(id.to_owned());
        }
        let matches = self
            .by_name
            .get(&name_key(trimmed))
            .map(Vec::as_slice)
            .unwrap_or_default();
        match matches {
            [single] => Ok(self.documents[*single].id.clone()),
            [] => Err(RefError::NotFound {
                reference: reference.to_owned(),
                suggestions: self.suggest(trimmed, 5),
            }),
            several => {
                let mut candidates: Vec<(String, String)> = several
                    .iter()
                    .map(|&d| (self.documents[d].id.clone(), self.documents[d].label.clone()))
                    .collect();
                candidates.sort();
                Err(RefError::Ambiguous {
                    reference: reference.to_owned(),
                    candidates,
                })
            }
        }
    }

    /// Entities whose names look most like `text` (string similarity, then text search), best
    /// first.
    pub fn suggest(&self, text: &str, limit: usize) -> Vec<(String, String)> {
        let wanted = fold(text);
        let mut scored: Vec<(f64, usize)> = self
            .documents
            .iter()
            .enumerate()
            .map(|(position, document)| {
                let best = document
                    .names
                    .iter()
                    .map(|name| strsim::jaro_winkler(&wanted, name))
                    .fold(0.0, f64::max);
                (best, position)
            })
            .filter(|(score, _)| *score >= 0.75)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut suggestions: Vec<usize> = scored.into_iter().map(|(_, position)| position).collect();
        for (id, _) in self.search(text) {
            if let Some(&position) = self.by_id.get(&id)
                && !suggestions.contains(&position)
            {
                suggestions.push(position);
            }
        }
        suggestions
            .into_iter()
            .take(limit)
            .map(|position| {
                (
                    self.documents[position].id.clone(),
                    self.documents[position].label.clone(),
                )
            })
            .collect()
    }

    /// Entities matching every word of `text` (the last word may be a prefix), ranked by a
    /// BM25-like score weighted by field; ties by id.
    pub fn search(&self, text: &str) -> Vec<(String, f64)> {
        let words = tokens(text);
        if words.is_empty() {
            return Vec::new();
        }
        let total = self.documents.len().max(1) as f64;
        let mut scores: HashMap<usize, (f64, usize)> = HashMap::new();
        for (position, word) in words.iter().enumerate() {
            let is_last = position + 1 == words.len();
            let mut per_document: HashMap<usize, f64> = HashMap::new();
            let candidates: Vec<(&String, &Postings)> = if is_last {
                self.postings
                    .range(word.clone()..)
                    .take_while(|(token, _)| token.starts_with(word.as_str()))
                    .collect()
            } else {
                self.postings.get_key_value(word).into_iter().collect()
            };
            for (token, postings) in candidates {
                let idf = (1.0 + (total - postings.len() as f64 + 0.5) / (postings.len() as f64 + 0.5)).ln();
                // A word completed from a prefix counts less than the whole word.
                let exactness = if token == word { 1.0 } else { 0.6 };
                for &(document, weight, count) in postings {
                    let saturation = f64::from(count) * 2.2 / (f64::from(count) + 1.2);
                    let score = idf * weight * saturation * exactness;
                    let best = per_document.entry(document).or_insert(0.0);
                    *best = best.max(score);
                }
            }
            for (document, score) in per_document {
                let entry = scores.entry(document).or_insert((0.0, 0));
                entry.0 += score;
                entry.1 += 1;
            }
        }
        let wanted = name_key(text);
        let mut hits: Vec<(String, f64)> = scores
            .into_iter()
            .filter(|(_, (_, matched))| *matched == words.len())
            .map(|(document, (score, _))| {
                // Naming an entity exactly puts it first.
                let exact = self.documents[document]
                    .names
                    .iter()
                    .any(|name| name_key(name) == wanted);
                (
                    self.documents[document].id.clone(),
                    if exact { score * 2.0 + 10.0 } else { score },
                )
            })
            .collect();
        hits.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::EntityKind;

    fn entity(id: &str, label: &str, aliases: &[&str], description: &str) -> EntitySummary {
        EntitySummary {
            id: id.to_owned(),
            kind: EntityKind::Meeting,
            openness: None,
            start: None,
            end: None,
            label: label.to_owned(),
            aliases: aliases.iter().map(|a| (*a).to_owned()).collect(),
            description: Some(description.to_owned()),
        }
    }

    fn index() -> SearchIndex {
        SearchIndex::new(&[
            entity("onenet", "/1net", &["1net"], "An open multistakeholder movement."),
            entity(
                "netmundial-2014",
                "Global Multistakeholder Meeting",
                &["São Paulo", "NETmundial"],
                "Held in São Paulo.",
            ),
            entity(
                "cgi-br",
                "Brazilian Internet Steering Committee",
                &["CGI.br"],
                "Based in São Paulo.",
            ),
            entity(
                "igf-2013",
                "IGF 2013",
                &["Bali IGF"],
                "The eighth Internet Governance Forum.",
            ),
            entity(
                "igf-2014",
                "IGF 2014",
                &["Istanbul IGF"],
                "The ninth Internet Governance Forum.",
            ),
            entity("panel-a", "High-Level Panel meeting", &[], "London."),
            entity("panel-b", "High-Level Panel meeting", &[], "Sunnylands."),
        ])
    }

    #[test]
    fn refs_ignore_case_accents_and_punctuation() {
        let index = index();
        assert_eq!(index.resolve("onenet"), Ok("onenet".into()));
        assert_eq!(
            index.resolve("https://w3id.org/govgraph/id/onenet"),
            Ok("onenet".into())
        );
        assert_eq!(index.resolve("1Net"), Ok("onenet".into()));
        assert_eq!(index.resolve("/1NET"), Ok("onenet".into()));
        assert_eq!(index.resolve("Sao Paulo"), Ok("netmundial-2014".into()));
        assert_eq!(index.resolve("cgi.br"), Ok("cgi-br".into()));
    }

    #[test]
    fn ambiguous_and_unknown_refs_say_why() {
        let index = index();
        match index.resolve("high-level panel meeting") {
            Err(RefError::Ambiguous { candidates, .. }) => {
                let ids: Vec<&str> = candidates.iter().map(|(id, _)| id.as_str()).collect();
                assert_eq!(ids, ["panel-a", "panel-b"]);
            }
            other => panic!("expected AMBIGUOUS, got {other:?}"),
        }
        match index.resolve("Netmundal") {
            Err(RefError::NotFound { suggestions, .. }) => assert_eq!(suggestions[0].0, "netmundial-2014"),
            other => panic!("expected NOT_FOUND, got {other:?}"),
        }
    }

    #[test]
    fn search_ranks_labels_first_and_completes_the_last_word() {
        let index = index();
        let hits = index.search("internet governance forum");
        let ids: Vec<&str> = hits.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids, ["igf-2013", "igf-2014"]);
        let hits = index.search("sao pau");
        assert_eq!(hits[0].0, "netmundial-2014", "{hits:?}");
        assert!(hits.iter().any(|(id, _)| id == "cgi-br"));
        assert!(index.search("istanbul").iter().all(|(id, _)| id == "igf-2014"));
        assert!(index.search("nothing like this").is_empty());
        assert!(index.search("  ").is_empty());
    }
}
