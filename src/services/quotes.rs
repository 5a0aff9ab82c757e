//! The index of the quotes of a catalog base, for text search: the
//! words of each quote, folded as refs and search fold them, with BM25's statistics, and the
//! snippets that show where the words were found.

use crate::model::fold;
use crate::store::Passage;
use std::collections::BTreeMap;

/// A short excerpt of the text that matched, with the words found marked as (start, length) in
/// characters of `text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snippet {
    pub text: String,
    pub marks: Vec<(usize, usize)>,
}

/// A word of a text: its byte range and its folded form.
pub struct Word {
    start: usize,
    end: usize,
    pub folded: String,
}

/// The words of `text` (runs of letters and digits), folded as refs and search fold them.
pub fn words(text: &str) -> Vec<Word> {
    let mut found = Vec::new();
    let mut start = None;
    for (at, c) in text.char_indices().chain([(text.len(), ' ')]) {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(at),
            (false, Some(begun)) => {
                found.push(Word {
                    start: begun,
                    end: at,
                    folded: fold(&text[begun..at]),
                });
                start = None;
            }
            _ => {}
        }
    }
    found
}

/// The words asked for, folded; the last one may be a prefix.
pub struct Wanted {
    pub words: Vec<String>,
}

impl Wanted {
    pub fn new(text: &str) -> Self {
        let mut words: Vec<String> = Vec::new();
        for word in self::words(text) {
            if !words.contains(&word.folded) {
                words.push(word.folded);
            }
        }
        Self { words }
    }

    /// Whether a text's word is query word `i`.
    pub fn matches(&self, i: usize, word: &str) -> bool {
        let wanted = &self.words[i];
        word == wanted || (i + 1 == self.words.len() && word.starts_with(wanted.as_str()))
    }

    /// Which query word, if any, a text's word is.
    pub fn which(&self, word: &str) -> Option<usize> {
        (0..self.words.len()).find(|&i| self.matches(i, word))
    }
}

/// BM25's parameters, as most engines default them.
const K1: f64 = 1.2;
const B: f64 = 0.75;
/// How much more a passage counts when it has the words asked for side by side, in order.
const PHRASE: f64 = 1.5;
/// How many words a snippet shows at most.
const SNIPPET_WORDS: usize = 24;

/// The quotes of one catalog base, indexed by their folded words.
pub struct PassageIndex {
    passages: Vec<Passage>,
    /// Words per passage.
    lengths: Vec<u32>,
    average_length: f64,
    /// Word -> (passage, occurrences), by passage.
    postings: BTreeMap<Box<str>, Vec<(u32, u32)>>,
}

impl PassageIndex {
    pub fn new(passages: Vec<Passage>) -> Self {
        let mut postings: BTreeMap<Box<str>, Vec<(u32, u32)>> = BTreeMap::new();
        let mut lengths = Vec::with_capacity(passages.len());
        for (at, passage) in passages.iter().enumerate() {
            let at = u32::try_from(at).unwrap_or(u32::MAX);
            let words = words(&passage.quote);
            lengths.push(u32::try_from(words.len()).unwrap_or(u32::MAX));
            for word in words {
                let list = postings.entry(word.folded.into_boxed_str()).or_default();
                match list.last_mut() {
                    Some((known, count)) if *known == at => *count += 1,
                    _ => list.push((at, 1)),
                }
            }
        }
        let total: f64 = lengths.iter().map(|&length| f64::from(length)).sum();
        let average_length = if passages.is_empty() {
            1.0
        } else {
            (total / passages.len() as f64).max(1.0)
        };
        Self {
            passages,
            lengths,
            average_length,
            postings,
        }
    }

    /// The passage at `at`, with how many words it has.
    pub fn passage(&self, at: u32) -> (&Passage, u32) {
        (&self.passages[at as usize], self.lengths[at as usize])
    }

    pub fn len(&self) -> usize {
        self.passages.len()
    }

    pub fn is_empty(&self) -> bool {
        self.passages.is_empty()
    }

    /// The postings of query word `i` (every word it matches, for the last one), merged by
    /// passage: (passage, occurrences).
    fn postings_of(&self, wanted: &Wanted, i: usize) -> Vec<(u32, u32)> {
        let word = wanted.words[i].as_str();
        if i + 1 < wanted.words.len() {
            return self.postings.get(word).cloned().unwrap_or_default();
        }
        let mut merged: BTreeMap<u32, u32> = BTreeMap::new();
        for (_, list) in self
            .postings
            .range::<str, _>((std::ops::Bound::Included(word), std::ops::Bound::Unbounded))
            .take_while(|(known, _)| known.starts_with(word))
        {
            for &(passage, count) in list {
                *merged.entry(passage).or_default() += count;
            }
        }
        merged.into_iter().collect()
    }

    /// How rare each query word is, as BM25's inverse document frequency over this index.
    pub fn rarity(&self, wanted: &Wanted) -> Vec<f64> {
        let n = self.passages.len() as f64;
        (0..wanted.words.len())
            .map(|i| {
                let df = self.postings_of(wanted, i).len() as f64;
                (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
            })
            .collect()
    }

    /// The passages holding every query word, as (passage, occurrences per word).
    pub fn matching(&self, wanted: &Wanted) -> Vec<(u32, Vec<u32>)> {
        let mut found: Option<Vec<(u32, Vec<u32>)>> = None;
        for i in 0..wanted.words.len() {
            let postings = self.postings_of(wanted, i);
            found = Some(match found {
                None => postings.into_iter().map(|(at, count)| (at, vec![count])).collect(),
                Some(so_far) => so_far
                    .into_iter()
                    .filter_map(|(at, mut counts)| {
                        let position = postings.binary_search_by_key(&at, |&(known, _)| known).ok()?;
                        counts.push(postings[position].1);
                        Some((at, counts))
                    })
                    .collect(),
            });
        }
        found.unwrap_or_default()
    }

    pub fn score(&self, rarity: &[f64], counts: &[u32], length: u32, phrase: bool) -> f64 {
        let norm = 1.0 - B + B * f64::from(length) / self.average_length;
        let score: f64 = rarity
            .iter()
            .zip(counts)
            .map(|(idf, &tf)| {
                let tf = f64::from(tf);
                idf * tf * (K1 + 1.0) / (tf + K1 * norm)
            })
            .sum();
        if phrase { score * PHRASE } else { score }
    }
}

/// Whether the query words follow one another, in order, somewhere in `text`'s words.
pub fn has_phrase(wanted: &Wanted, text: &[Word]) -> bool {
    let n = wanted.words.len();
    n > 1
        && text.windows(n).any(|window| {
            window
                .iter()
                .enumerate()
                .all(|(i, word)| wanted.matches(i, &word.folded))
        })
}

/// The excerpt of `text` around its words that match most of the query, with those marked.
pub fn snippet(wanted: &Wanted, text: &str) -> Snippet {
    let words = words(text);
    let which: Vec<Option<usize>> = words.iter().map(|word| wanted.which(&word.folded)).collect();
    // The window of SNIPPET_WORDS words holding the most distinct query words, first of equals.
    let span = SNIPPET_WORDS.min(words.len());
    let mut best = (0, 0);
    for start in 0..=(words.len() - span) {
        let mut seen: Vec<usize> = which[start..start + span].iter().flatten().copied().collect();
        seen.sort_unstable();
        seen.dedup();
        if seen.len() > best.1 {
            best = (start, seen.len());
        }
    }
    let (first, last) = (best.0, best.0 + span);
    let (from, to) = if words.is_empty() || span == words.len() {
        (0, text.len())
    } else {
        (words[first].start, words[last - 1].end)
    };
    let mut shown = String::new();
    if from > 0 {
        shown.push('…');
    }
    let offset = shown.chars().count();
    shown.push_str(text[from..to].trim());
    let leading = text[from..to].len() - text[from..to].trim_start().len();
    if to < text.len() {
        shown.push('…');
    }
    let marks = words
        .iter()
        .zip(&which)
        .filter(|(word, which)| which.is_some() && word.start >= from + leading && word.end <= to)
        .map(|(word, _)| {
            let start = offset + text[from + leading..word.start].chars().count();
            (start, text[word.start..word.end].chars().count())
        })
        .collect();
    Snippet { text: shown, marks }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Holder;

    fn passage(id: &str, quote: &str) -> Passage {
        Passage {
            holder: Holder::Relation(id.to_owned()),
            document: "doc".to_owned(),
            quote: quote.to_owned(),
        }
    }

    #[test]
    fn a_snippet_marks_the_words_found_in_characters() {
        let wanted = Wanted::new("sao paulo");
        let found = snippet(&wanted, "Held in São Paulo, Brazil.");
        assert_eq!(found.text, "Held in São Paulo, Brazil.");
        let marked: Vec<String> = found
            .marks
            .iter()
            .map(|&(start, length)| found.text.chars().skip(start).take(length).collect())
            .collect();
        assert_eq!(marked, ["São", "Paulo"]);
    }

    #[test]
    fn a_long_text_is_cut_around_its_matches() {
        let text = format!(
            "{} partnership between CGI and 1Net {}",
            "word ".repeat(40),
            "tail ".repeat(40)
        );
        let found = snippet(&Wanted::new("partnership between cgi"), &text);
        assert!(
            found.text.starts_with('…') && found.text.ends_with('…'),
            "{}",
            found.text
        );
        assert_eq!(found.marks.len(), 3);
        assert!(words(&found.text).len() <= SNIPPET_WORDS);
    }

    #[test]
    fn every_word_must_match_and_the_last_may_be_a_prefix() {
        let index = PassageIndex::new(vec![
            passage("a", "a partnership between CGI and 1Net"),
            passage("b", "a partnership of many"),
            passage("c", "CGI partners"),
        ]);
        let matched = |text: &str| -> Vec<u32> {
            index
                .matching(&Wanted::new(text))
                .into_iter()
                .map(|(at, _)| at)
                .collect()
        };
        assert_eq!(matched("partnership cgi"), [0]);
        assert_eq!(matched("partner"), [0, 1, 2]);
        assert_eq!(matched("cgi part"), [0, 2]);
        assert!(matched("cgi nothing").is_empty());
    }

    #[test]
    fn the_words_side_by_side_rank_first() {
        let wanted = Wanted::new("partnership between");
        assert!(has_phrase(&wanted, &words("a partnership between two")));
        assert!(!has_phrase(&wanted, &words("between a partnership")));
    }
}
