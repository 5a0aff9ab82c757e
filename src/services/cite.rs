//! Citations of an answer (a path, a subgraph, a relation): one `Cited` value, built from what
//! the answer contains, rendered as CSL-JSON and as a BibTeX `@misc` entry. Pure: the date and
//! the URL are given by the caller (the API reads the clock and the request), so that the same
//! input always renders the same citation.

use crate::model::Citation;
use serde_json::{Value, json};

/// A calendar date (proleptic Gregorian, UTC).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Date {
    pub year: i64,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// The date `days` days after 1970-01-01 (Howard Hinnant's `civil_from_days`).
    pub fn from_unix_days(days: i64) -> Self {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Self {
            year,
            // Both in range by construction (1..=31, 1..=12).
            month: u32::try_from(month).unwrap_or(1),
            day: u32::try_from(day).unwrap_or(1),
        }
    }

    fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    fn date_parts(self) -> Value {
        json!({ "date-parts": [[self.year, self.month, self.day]] })
    }
}

/// One document an answer cites, once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CitedSource {
    /// As `Citation::document`: a seed file name, a URL, or an imported file's name.
    pub document: String,
    /// The document's title, when known.
    pub title: Option<String>,
}

/// Everything a citation of one answer says.
#[derive(Clone, Debug, PartialEq)]
pub struct Cited {
    /// What the answer is, e.g. "Path from A to B in the govgraph knowledge graph".
    pub title: String,
    pub dataset_version: String,
    /// The GraphQL document that produced the answer, when known.
    pub query: Option<String>,
    /// Where the answer can be had again: a `GET /graphql?query=...` URL, or the dataset's IRI.
    pub url: String,
    /// The documents cited, distinct, in the order of `distinct_sources`.
    pub sources: Vec<CitedSource>,
    /// When the answer was computed (issued and accessed).
    pub date: Date,
}

/// A citation in both forms.
#[derive(Clone, Debug, PartialEq)]
pub struct Rendered {
    /// A CSL-JSON array of one item.
    pub csl_json: Value,
    pub bibtex: String,
}

/// The distinct documents of these citations, ordered by document (then a titled one first):
/// the same answer always lists its sources the same way, whatever order they were loaded in.
pub fn distinct_sources<'a>(citations: impl IntoIterator<Item = &'a Citation>) -> Vec<CitedSource> {
    let mut sources: Vec<CitedSource> = citations
        .into_iter()
        .map(|citation| CitedSource {
            document: citation.document.clone(),
            title: citation.title.clone(),
        })
        .collect();
    sources.sort_by(|a, b| a.document.cmp(&b.document).then_with(|| b.title.cmp(&a.title)));
    sources.dedup_by(|later, earlier| later.document == earlier.document);
    sources
}

/// `GET /graphql?query=...` on `root` (ending in `/`), with the variables and operation name
/// when there are any.
pub fn query_url(root: &str, query: &str, variables: Option<&Value>, operation_name: Option<&str>) -> String {
    let mut parameters = form_urlencoded::Serializer::new(String::new());
    parameters.append_pair("query", query);
    if let Some(variables) = variables.filter(|variables| variables.as_object().is_none_or(|map| !map.is_empty())) {
        parameters.append_pair("variables", &variables.to_string());
    }
    if let Some(name) = operation_name {
        parameters.append_pair("operationName", name);
    }
    // `+` for a space is form encoding; `%20` reads the same to every URL parser.
    let encoded = parameters.finish().replace('+', "%20");
    format!("{root}graphql?{encoded}")
}

/// The key both forms give the entry: `govgraph-` and the version's letters and digits.
fn key(version: &str) -> String {
    let tail: String = version
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("govgraph-{}", tail.trim_matches('-'))
}

fn source_line(source: &CitedSource) -> String {
    match &source.title {
        Some(title) if title != &source.document => format!("{title} ({})", source.document),
        _ => source.document.clone(),
    }
}

/// Renders both forms from one value, so that they never say different things.
pub fn render(cited: &Cited) -> Rendered {
    let sources: Vec<String> = cited.sources.iter().map(source_line).collect();
    let sources_text = if sources.is_empty() {
        "no source document recorded".to_owned()
    } else {
        sources.join("; ")
    };
    let mut note = format!(
        "govgraph dataset version {}. Sources: {sources_text}.",
        cited.dataset_version
    );
    if let Some(query) = &cited.query {
        note.push_str(&format!(" GraphQL query: {}", query.trim()));
    }
    let csl_json = json!([{
        "id": key(&cited.dataset_version),
        "type": "dataset",
        "title": cited.title,
        "author": [{ "literal": "govgraph" }],
        "publisher": "govgraph",
        "version": cited.dataset_version,
        "issued": cited.date.date_parts(),
        "accessed": cited.date.date_parts(),
        "URL": cited.url,
        "references": sources_text,
        "note": note,
    }]);
    let fields = [
        ("author", format!("{{{}}}", escape("govgraph"))),
        ("title", format!("{{{}}}", escape(&cited.title))),
        ("publisher", escape("govgraph")),
        ("year", cited.date.year.to_string()),
        ("month", cited.date.month.to_string()),
        ("version", escape(&cited.dataset_version)),
        ("url", escape_url(&cited.url)),
        ("urldate", cited.date.iso()),
        ("note", escape(&note)),
    ];
    let mut bibtex = format!("@misc{{{},\n", key(&cited.dataset_version));
    for (name, value) in fields {
        bibtex.push_str(&format!("  {name} = {{{value}}},\n"));
    }
    bibtex.push_str("}\n");
    Rendered { csl_json, bibtex }
}

/// Text as BibTeX/LaTeX reads it literally: every special character escaped, so that braces
/// stay balanced and nothing is read as a command, a comment, math or a parameter.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => escaped.push_str("\\textbackslash{}"),
            '{' | '}' | '&' | '%' | '$' | '#' | '_' => {
                escaped.push('\\');
                escaped.push(c);
            }
            '~' => escaped.push_str("\\textasciitilde{}"),
            '^' => escaped.push_str("\\textasciicircum{}"),
            // A line break inside a field is harmless, but one entry per line reads better.
            '\n' | '\r' => escaped.push(' '),
            _ => escaped.push(c),
        }
    }
    escaped
}

/// A URL for the `url` field (which styles set with `\url`): percent-encoded already, so only
/// `%`, `#` and `&` need a backslash (hyperref reads `\%`, `\#` and `\&` in an argument as
/// the character).
fn escape_url(url: &str) -> String {
    let mut escaped = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            '%' | '#' | '&' => {
                escaped.push('\\');
                escaped.push(c);
            }
            // Never in a URL this server makes; percent-encoded should one appear.
            '{' => escaped.push_str("\\%7B"),
            '}' => escaped.push_str("\\%7D"),
            '\\' => escaped.push_str("\\%5C"),
            _ => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    fn citation(document: &str, title: Option<&str>) -> Citation {
        Citation {
            document: document.to_owned(),
            document_iri: format!("urn:x:{document}"),
            document_entity: None,
            title: title.map(str::to_owned),
            quote: None,
        }
    }

    #[test]
    fn dates_come_from_unix_days() {
        assert_eq!(
            Date::from_unix_days(0),
            Date {
                year: 1970,
                month: 1,
                day: 1
            }
        );
        assert_eq!(
            Date::from_unix_days(11_016),
            Date {
                year: 2000,
                month: 2,
                day: 29
            }
        );
        assert_eq!(
            Date::from_unix_days(20_789),
            Date {
                year: 2026,
                month: 12,
                day: 2
            }
        );
        assert_eq!(
            Date::from_unix_days(-1),
            Date {
                year: 1969,
                month: 12,
                day: 31
            }
        );
    }

    #[test]
    fn sources_are_distinct_and_sorted() {
        let citations = [
            citation("b.txt", None),
            citation("a.txt", None),
            citation("b.txt", Some("B")),
        ];
        let sources = distinct_sources(&citations);
        let documents: Vec<_> = sources.iter().map(|source| source.document.as_str()).collect();
        assert_eq!(documents, ["a.txt", "b.txt"]);
        assert_eq!(sources[1].title.as_deref(), Some("B"));
    }

    #[test]
    fn special_characters_are_escaped() {
        assert_eq!(
            escape(r"R&D 100% {x}_y \z #1 $m$ ~^"),
            r"R\&D 100\% \{x\}\_y \textbackslash{}z \#1 \$m\$ \textasciitilde{}\textasciicircum{}"
        );
        assert_eq!(
            escape_url("http://h/graphql?query=%7B&a=1#"),
            r"http://h/graphql?query=\%7B\&a=1\#"
        );
    }

    #[test]
    fn both_forms_say_the_same() {
        let cited = Cited {
            title: "Path from A_1 to B".to_owned(),
            dataset_version: "3 abc".to_owned(),
            query: Some("{ x }".to_owned()),
            url: query_url("http://h/", "{ x }", None, None),
            sources: distinct_sources(&[citation("doc_1.txt", Some("Doc & co"))]),
            date: Date::from_unix_days(0),
        };
        let rendered = render(&cited);
        let item = &rendered.csl_json[0];
        assert_eq!(item["type"], "dataset");
        assert_eq!(item["version"], "3 abc");
        assert_eq!(item["URL"], "http://h/graphql?query=%7B%20x%20%7D");
        assert_eq!(item["issued"]["date-parts"], json!([[1970, 1, 1]]));
        assert!(rendered.bibtex.starts_with("@misc{govgraph-3-abc,\n"));
        assert!(rendered.bibtex.contains(r"title = {{Path from A\_1 to B}}"));
        assert!(rendered.bibtex.contains(r"Doc \& co (doc\_1.txt)"));
        assert!(
            rendered
                .bibtex
                .contains(r"url = {http://h/graphql?query=\%7B\%20x\%20\%7D}")
        );
    }
}
