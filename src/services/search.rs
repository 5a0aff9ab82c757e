//! Finding entities by what people call them: refs (an id, an IRI, a label or an alias, ignoring
//! case, accents and punctuation) and ranked text search over labels, aliases and descriptions.
//!
//! A compact in-memory inverted index rather than a search engine: the fields are short, the
//! index is rebuilt with the graph projection (so it is never out of step with it), and the
//! same accent folding serves refs, search and suggestions.

use crate::graph::ids::Ids;
use crate::model::fold;
use crate::services::packed::{Summaries, Summary};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasher, RandomState};

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

/// The field a token occurs in; a hit in a label counts most.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
enum Field {
    #[default]
    Description,
    /// An alias or the id.
    Alias,
    Label,
}

impl Field {
    fn weight(self) -> f64 {
        match self {
            Field::Label => 3.0,
            Field::Alias => 2.0,
            Field::Description => 1.0,
        }
    }
}

/// One document a token occurs in: 8 bytes, where a tuple of usize, f64 and u32 took 24.
#[derive(Clone, Copy, Debug, Default)]
struct Posting {
    document: u32,
    occurrences: u16,
    /// The best field the token occurs in.
    field: Field,
}

/// Refs and text search over the entities of one catalog. Documents are positions in the
/// catalog's summaries (sorted by id), which every method is given: the index keeps no text of
/// its own but its vocabulary, so that a million entities cost tens of megabytes here, not a
/// gigabyte.
pub struct SearchIndex {
    /// (hash of a folded, punctuation-free label or alias, document), sorted. A hash may collide:
    /// matches are checked against the names themselves.
    by_name: Vec<(u64, u32)>,
    hasher: RandomState,
    /// Every folded token, sorted, end to end: token `t` is `text[ends[t - 1]..ends[t]]`.
    text: String,
    ends: Vec<u32>,
    /// Token `t`'s postings are `postings[starts[t]..starts[t + 1]]`, by document.
    starts: Vec<u32>,
    postings: Vec<Posting>,
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

/// Narrows a count to the u32 the index stores; the catalog cannot hold 2^32 entities or tokens
/// (the projection's indices are u32 too).
fn narrow(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl SearchIndex {
    /// The index of `entities`, which are sorted by id.
    pub fn new(entities: &Summaries) -> Self {
        let hasher = RandomState::new();
        let mut by_name = Vec::with_capacity(entities.len() * 2);
        // Tokens are interned as they come (one string, no allocation per token) and each
        // occurrence recorded as (token, posting) in one array, sorted at the end.
        let mut vocabulary = Ids::default();
        let mut occurrences: Vec<(u32, Posting)> = Vec::new();
        let mut counts: Vec<(u32, Field, u32)> = Vec::new();
        for entity in entities.iter() {
            let document = narrow(entity.position());
            let mut keys: Vec<u64> = entity
                .names()
                .map(name_key)
                .filter(|key| !key.is_empty())
                .map(|key| hasher.hash_one(key))
                .collect();
            keys.sort_unstable();
            keys.dedup();
            by_name.extend(keys.into_iter().map(|key| (key, document)));

            counts.clear();
            for (field, text) in fields(&entity) {
                for token in tokens(text) {
                    let token = narrow(
                        vocabulary
                            .find(&token)
                            .or_else(|| vocabulary.insert(&token))
                            .unwrap_or(0),
                    );
                    match counts.iter_mut().find(|(known, _, _)| *known == token) {
                        Some((_, best, count)) => {
                            *best = (*best).max(field);
                            *count += 1;
                        }
                        None => counts.push((token, field, 1)),
                    }
                }
            }
            occurrences.extend(counts.iter().map(|&(token, field, count)| {
                let occurrences = u16::try_from(count).unwrap_or(u16::MAX);
                (
                    token,
                    Posting {
                        document,
                        occurrences,
                        field,
                    },
                )
            }));
        }
        by_name.sort_unstable();

        // Tokens in text order, for prefixes.
        let mut order: Vec<u32> = (0..narrow(vocabulary.len())).collect();
        order.sort_unstable_by(|&a, &b| vocabulary.get(a as usize).cmp(vocabulary.get(b as usize)));
        let mut rank = vec![0_u32; order.len()];
        let (mut text, mut ends) = (String::new(), Vec::with_capacity(order.len()));
        for (position, &token) in order.iter().enumerate() {
            rank[token as usize] = narrow(position);
            text.push_str(vocabulary.get(token as usize));
            ends.push(narrow(text.len()));
        }
        drop(vocabulary);
        // Postings grouped by token (a counting sort: each token's documents stay in order).
        let mut starts = vec![0_u32; order.len() + 1];
        for &(token, _) in &occurrences {
            starts[rank[token as usize] as usize + 1] += 1;
        }
        for t in 1..starts.len() {
            starts[t] += starts[t - 1];
        }
        let mut next = starts.clone();
        let mut postings = vec![Posting::default(); occurrences.len()];
        for (token, posting) in occurrences {
            let slot = &mut next[rank[token as usize] as usize];
            postings[*slot as usize] = posting;
            *slot += 1;
        }
        text.shrink_to_fit();
        Self {
            by_name,
            hasher,
            text,
            ends,
            starts,
            postings,
        }
    }

    /// Heap bytes held, for the logs and the benchmarks.
    pub fn bytes(&self) -> usize {
        self.by_name.capacity() * 16
            + self.text.capacity()
            + (self.ends.capacity() + self.starts.capacity()) * 4
            + self.postings.capacity() * std::mem::size_of::<Posting>()
    }

    fn token(&self, t: usize) -> &str {
        let start = t.checked_sub(1).map_or(0, |before| self.ends[before] as usize);
        &self.text[start..self.ends[t] as usize]
    }

    fn postings_of(&self, t: usize) -> &[Posting] {
        &self.postings[self.starts[t] as usize..self.starts[t + 1] as usize]
    }

    /// The first token not before `word` in text order.
    fn seek(&self, word: &str) -> usize {
        let (mut low, mut high) = (0, self.ends.len());
        while low < high {
            let middle = (low + high) / 2;
            if self.token(middle) < word {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        low
    }
}

/// One entity indexed on its own: the terms and name keys of an entity added or changed since
/// an index was built, worked out once, when it is written.
#[derive(Clone, Debug, Default)]
pub struct Document {
    /// (token, occurrences, best field), by token.
    terms: Vec<(Box<str>, u16, Field)>,
    /// The name keys of its label and aliases.
    keys: Vec<String>,
}

impl Document {
    pub fn new(entity: &Summary<'_>) -> Self {
        let mut terms: Vec<(Box<str>, u16, Field)> = Vec::new();
        for (field, text) in fields(entity) {
            for token in tokens(text) {
                match terms.iter_mut().find(|(known, _, _)| **known == *token) {
                    Some((_, count, best)) => {
                        *best = (*best).max(field);
                        *count = count.saturating_add(1);
                    }
                    None => terms.push((token.into(), 1, field)),
                }
            }
        }
        terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut keys: Vec<String> = entity.names().map(name_key).filter(|key| !key.is_empty()).collect();
        keys.sort_unstable();
        keys.dedup();
        Self { terms, keys }
    }
}

/// The fields of an entity that search reads, each with the field it counts as.
fn fields<'s>(entity: &Summary<'s>) -> impl Iterator<Item = (Field, &'s str)> + use<'s> {
    let fields = [
        (Field::Label, entity.label()),
        (Field::Description, entity.description().unwrap_or("")),
    ];
    let aliases = entity.aliases().map(|alias| (Field::Alias, alias));
    fields.into_iter().chain(aliases).chain([(Field::Alias, entity.id())])
}

/// What refs and search run over: the entities an index was built from, less those changed or
/// removed since, plus documents for the entities added or changed since. Answers equal those
/// of an index built from scratch over the same entities (scores included: a word's weight
/// counts the documents of both).
pub struct Corpus<'a> {
    pub index: &'a SearchIndex,
    /// The entities the index was built from, in id order.
    pub base: &'a Summaries,
    /// Whether the base entity at a position is still as it was.
    pub current: Box<dyn Fn(usize) -> bool + Sync + 'a>,
    /// Entities added or changed since, with their documents.
    pub added: Vec<(Summary<'a>, &'a Document)>,
    /// How many entities there are in all.
    pub count: usize,
}

/// A document of the corpus: a base position, or an entry of `added`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Doc {
    Base(u32),
    Added(u32),
}

impl<'a> Corpus<'a> {
    /// The entities the index was built from, unchanged (the catalog builds its own corpus).
    #[cfg(test)]
    pub fn whole(index: &'a SearchIndex, base: &'a Summaries) -> Self {
        Self {
            index,
            base,
            current: Box::new(|_| true),
            added: Vec::new(),
            count: base.len(),
        }
    }

    fn summary(&self, doc: Doc) -> Option<Summary<'a>> {
        match doc {
            Doc::Base(position) => self.base.get(position as usize),
            Doc::Added(k) => self.added.get(k as usize).map(|&(summary, _)| summary),
        }
    }

    fn has_id(&self, id: &str) -> bool {
        self.base.position(id).is_some_and(|position| (self.current)(position))
            || self.added.iter().any(|(summary, _)| summary.id() == id)
    }

    /// Entities with a label or alias whose name key is `key`.
    fn named(&self, key: &str) -> Vec<Summary<'a>> {
        let index = self.index;
        let hash = index.hasher.hash_one(key);
        let first = index.by_name.partition_point(|&(h, _)| h < hash);
        let base = index.by_name[first..]
            .iter()
            .take_while(|&&(h, _)| h == hash)
            .filter(|&&(_, document)| (self.current)(document as usize))
            .filter_map(|&(_, document)| self.base.get(document as usize))
            .filter(|entity| entity.names().any(|name| name_key(name) == key));
        let added = self
            .added
            .iter()
            .filter(|(_, document)| document.keys.iter().any(|known| known == key))
            .map(|&(summary, _)| summary);
        base.chain(added).collect()
    }

    /// The id a ref names: an id or IRI exactly, else a label or alias ignoring case, accents
    /// and punctuation.
    pub fn resolve(&self, reference: &str) -> Result<String, RefError> {
        let trimmed = reference.trim();
        let id = trimmed
            .strip_prefix(crate::store::vocab::id_namespace())
            .unwrap_or(trimmed);
        if self.has_id(id) {
            return Ok(id.to_owned());
        }
        match self.named(&name_key(trimmed)).as_slice() {
            [single] => Ok(single.id().to_owned()),
            [] => Err(RefError::NotFound {
                reference: reference.to_owned(),
                suggestions: self.suggest(trimmed, 5),
            }),
            several => {
                let mut candidates: Vec<(String, String)> = several
                    .iter()
                    .map(|entity| (entity.id().to_owned(), entity.label().to_owned()))
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
    /// first, as (id, label). Names are folded here rather than kept folded: this runs on a
    /// miss, not per query, and on every core.
    pub fn suggest(&self, text: &str, limit: usize) -> Vec<(String, String)> {
        let wanted = fold(text);
        let similarity = |entity: Summary<'a>| {
            let best = entity
                .names()
                .map(|name| strsim::jaro_winkler(&wanted, &fold(name)))
                .fold(0.0, f64::max);
            (best, entity)
        };
        let base = (0..self.base.len())
            .into_par_iter()
            .filter(|&position| (self.current)(position))
            .filter_map(|position| self.base.get(position))
            .map(similarity);
        let mut scored: Vec<(f64, Summary<'a>)> = base
            .chain(self.added.par_iter().map(|&(summary, _)| similarity(summary)))
            .filter(|(score, _)| *score >= 0.75)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.id().cmp(b.1.id())));
        let mut suggestions: Vec<Summary<'a>> = scored.into_iter().map(|(_, entity)| entity).collect();
        for (entity, _) in self.ranked(text) {
            if !suggestions.iter().any(|known| known.id() == entity.id()) {
                suggestions.push(entity);
            }
        }
        suggestions
            .into_iter()
            .take(limit)
            .map(|entity| (entity.id().to_owned(), entity.label().to_owned()))
            .collect()
    }

    /// Entities matching every word of `text` (the last word may be a prefix), ranked by a
    /// BM25-like score weighted by field; ties by id.
    pub fn search(&self, text: &str) -> Vec<(String, f64)> {
        self.ranked(text)
            .into_iter()
            .map(|(entity, score)| (entity.id().to_owned(), score))
            .collect()
    }

    /// The documents holding a token that `word` matches (the token itself, or one it begins
    /// when `prefix`), by token: (document, occurrences, field).
    fn matches(&self, word: &str, prefix: bool) -> BTreeMap<&'a str, Vec<(Doc, u16, Field)>> {
        let index = self.index;
        let wanted = |token: &str| if prefix { token.starts_with(word) } else { token == word };
        let mut found: BTreeMap<&'a str, Vec<(Doc, u16, Field)>> = BTreeMap::new();
        for t in (index.seek(word)..index.ends.len()).take_while(|&t| wanted(index.token(t))) {
            let live = index
                .postings_of(t)
                .iter()
                .filter(|posting| (self.current)(posting.document as usize))
                .map(|posting| (Doc::Base(posting.document), posting.occurrences, posting.field));
            found.entry(index.token(t)).or_default().extend(live);
        }
        for (k, (_, document)) in self.added.iter().enumerate() {
            let first = document.terms.partition_point(|(token, _, _)| &**token < word);
            for (token, occurrences, field) in document.terms[first..].iter().take_while(|(token, _, _)| wanted(token))
            {
                found
                    .entry(token)
                    .or_default()
                    .push((Doc::Added(k as u32), *occurrences, *field));
            }
        }
        found.retain(|_, documents| !documents.is_empty());
        found
    }

    fn ranked(&self, text: &str) -> Vec<(Summary<'a>, f64)> {
        let words = tokens(text);
        if words.is_empty() {
            return Vec::new();
        }
        let total = self.count.max(1) as f64;
        let mut scores: HashMap<Doc, (f64, usize)> = HashMap::new();
        for (position, word) in words.iter().enumerate() {
            let is_last = position + 1 == words.len();
            let mut per_document: HashMap<Doc, f64> = HashMap::new();
            for (token, documents) in self.matches(word, is_last) {
                let count = documents.len() as f64;
                let idf = (1.0 + (total - count + 0.5) / (count + 0.5)).ln();
                // A word completed from a prefix counts less than the whole word.
                let exactness = if token == word { 1.0 } else { 0.6 };
                for (document, occurrences, field) in documents {
                    let occurrences = f64::from(occurrences);
                    let saturation = occurrences * 2.2 / (occurrences + 1.2);
                    let score = idf * field.weight() * saturation * exactness;
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
        let mut hits: Vec<(Summary<'a>, f64)> = scores
            .into_iter()
            .filter(|(_, (_, matched))| *matched == words.len())
            .filter_map(|(document, (score, _))| {
                let entity = self.summary(document)?;
                // Naming an entity exactly puts it first.
                let exact = entity.names().any(|name| name_key(name) == wanted);
                Some((entity, if exact { score * 2.0 + 10.0 } else { score }))
            })
            .collect();
        hits.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.id().cmp(b.0.id())));
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EntityKind, EntitySummary};

    fn entity(id: &str, label: &str, aliases: &[&str], description: &str) -> EntitySummary {
        EntitySummary {
            id: id.to_owned(),
            kind: EntityKind::Meeting,
            openness: None,
            start: None,
            end: None,
            ongoing: false,
            label: label.to_owned(),
            aliases: aliases.iter().map(|a| (*a).to_owned()).collect(),
            description: Some(description.to_owned()),
        }
    }

    /// The entities, sorted by id as a catalog's are, and their index.
    fn index() -> (Summaries, SearchIndex) {
        let mut entities = vec![
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
        ];
        entities.sort_by(|a, b| a.id.cmp(&b.id));
        let entities: Summaries = entities.into_iter().collect();
        let index = SearchIndex::new(&entities);
        (entities, index)
    }

    #[test]
    fn refs_ignore_case_accents_and_punctuation() {
        let (entities, index) = index();
        assert_eq!(Corpus::whole(&index, &entities).resolve("onenet"), Ok("onenet".into()));
        assert_eq!(
            Corpus::whole(&index, &entities).resolve("https://w3id.org/govgraph/id/onenet"),
            Ok("onenet".into())
        );
        assert_eq!(Corpus::whole(&index, &entities).resolve("1Net"), Ok("onenet".into()));
        assert_eq!(Corpus::whole(&index, &entities).resolve("/1NET"), Ok("onenet".into()));
        assert_eq!(
            Corpus::whole(&index, &entities).resolve("Sao Paulo"),
            Ok("netmundial-2014".into())
        );
        assert_eq!(Corpus::whole(&index, &entities).resolve("cgi.br"), Ok("cgi-br".into()));
    }

    #[test]
    fn ambiguous_and_unknown_refs_say_why() {
        let (entities, index) = index();
        match Corpus::whole(&index, &entities).resolve("high-level panel meeting") {
            Err(RefError::Ambiguous { candidates, .. }) => {
                let ids: Vec<&str> = candidates.iter().map(|(id, _)| id.as_str()).collect();
                assert_eq!(ids, ["panel-a", "panel-b"]);
            }
            other => panic!("expected AMBIGUOUS, got {other:?}"),
        }
        match Corpus::whole(&index, &entities).resolve("Netmundal") {
            Err(RefError::NotFound { suggestions, .. }) => assert_eq!(suggestions[0].0, "netmundial-2014"),
            other => panic!("expected NOT_FOUND, got {other:?}"),
        }
    }

    #[test]
    fn search_ranks_labels_first_and_completes_the_last_word() {
        let (entities, index) = index();
        let hits = Corpus::whole(&index, &entities).search("internet governance forum");
        let ids: Vec<&str> = hits.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids, ["igf-2013", "igf-2014"]);
        let hits = Corpus::whole(&index, &entities).search("sao pau");
        assert_eq!(hits[0].0, "netmundial-2014", "{hits:?}");
        assert!(hits.iter().any(|(id, _)| id == "cgi-br"));
        assert!(
            Corpus::whole(&index, &entities)
                .search("istanbul")
                .iter()
                .all(|(id, _)| id == "igf-2014")
        );
        assert!(Corpus::whole(&index, &entities).search("nothing like this").is_empty());
        assert!(Corpus::whole(&index, &entities).search("  ").is_empty());
    }

    #[test]
    fn a_large_vocabulary_stays_findable_and_compact() {
        let mut entities: Vec<EntitySummary> = (0..3000)
            .map(|n| {
                entity(
                    &format!("meeting-{n}"),
                    &format!("Meeting {n} on topic{}", n % 40),
                    &[&format!("M{n}")],
                    &format!("A meeting held in city{}.", n % 97),
                )
            })
            .collect();
        entities.sort_by(|a, b| a.id.cmp(&b.id));
        let entities: Summaries = entities.into_iter().collect();
        let index = SearchIndex::new(&entities);
        for n in [0, 7, 1234, 2999] {
            assert_eq!(
                Corpus::whole(&index, &entities).resolve(&format!("m{n}")),
                Ok(format!("meeting-{n}"))
            );
            assert_eq!(
                Corpus::whole(&index, &entities).resolve(&format!("MEETING {n} on Topic{}", n % 40)),
                Ok(format!("meeting-{n}"))
            );
        }
        // Every word must match; the last may be a prefix ("city9" completes to city9, city90..96).
        let hits = Corpus::whole(&index, &entities).search("topic3 city9");
        assert!(!hits.is_empty());
        for (id, _) in &hits {
            let n: usize = id.trim_start_matches("meeting-").parse().unwrap();
            assert_eq!(n % 40, 3, "{id}");
            assert!((n % 97).to_string().starts_with('9'), "{id}");
        }
        let expected = (0..3000)
            .filter(|n| n % 40 == 3 && (n % 97).to_string().starts_with('9'))
            .count();
        assert_eq!(hits.len(), expected);
        // Nine distinct tokens per entity (72 bytes of postings), two names (32 bytes) and two
        // tokens of its own ("m12", "12"): the old index took over 700 bytes for the same.
        assert!(index.bytes() < 160 * entities.len(), "{} bytes", index.bytes());
    }
}
