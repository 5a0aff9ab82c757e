//! The pages browsers get for dereferenced IRIs: an entity's, a relation's, and for anything else
//! its statements as a table. Each links its own IRI and the IRIs it mentions (to this server's
//! pages where govgraph minted them, so links work wherever it runs) and embeds the JSON-LD of
//! the same description for machines that read pages.

use crate::model::{Citation, Entity, Openness, Relation};
use crate::store::Statement;
use crate::store::vocab::path_for_iri;
use quick_xml::escape::escape;
use std::fmt::Write as _;

fn text(value: &str) -> String {
    escape(value).into_owned()
}

/// A link to `iri`: its page here if govgraph minted it, else the IRI itself if it is a web
/// address, else plain text.
fn link(iri: &str, shown: &str) -> String {
    match path_for_iri(iri) {
        Some(path) => format!("<a href=\"{}\">{}</a>", text(&path), text(shown)),
        None if iri.starts_with("http://") || iri.starts_with("https://") => {
            format!("<a href=\"{}\">{}</a>", text(iri), text(shown))
        }
        None => text(shown),
    }
}

/// JSON in a `<script>`: `<`, `>` and `&` only occur inside JSON strings, where `\u003c` means
/// the same, so nothing in the data can close the element.
fn json_ld_script(jsonld: &[u8]) -> String {
    let json = String::from_utf8_lossy(jsonld)
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026");
    format!("<script type=\"application/ld+json\">\n{json}</script>")
}

/// The page around a body: title, the IRI it is about, the other formats, the embedded JSON-LD.
fn frame(title: &str, iri: &str, body: &str, jsonld: &[u8]) -> String {
    let mut html = String::new();
    let _ = write!(
        html,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\
         <title>{title} · govgraph</title>\
         <link rel=\"alternate\" type=\"text/turtle\" href=\"?format=turtle\">\
         <link rel=\"alternate\" type=\"application/ld+json\" href=\"?format=jsonld\">\
         <style>body{{font:16px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#222}}\
         a{{color:#1a5fb4}}.meta{{color:#555}}dt{{font-weight:600;margin-top:.5rem}}li{{margin:.4rem 0}}\
         blockquote{{margin:.2rem 0 .2rem 1rem;color:#444;font-style:italic}}small{{color:#666}}\
         td{{vertical-align:top;padding:.2rem .5rem;border-top:1px solid #ddd;word-break:break-word}}</style>\
         {script}</head><body><p><a href=\"/playground\">govgraph</a></p><h1>{title}</h1>\
         <p class=\"meta\"><a class=\"iri\" href=\"{iri}\">{iri}</a></p>{body}\
         <p><small>Also as <a href=\"?format=turtle\">Turtle</a>, <a href=\"?format=jsonld\">JSON-LD</a>, \
         <a href=\"?format=ntriples\">N-Triples</a>, <a href=\"?format=rdfxml\">RDF/XML</a>.</small></p></body></html>\n",
        title = text(title),
        iri = text(iri),
        script = json_ld_script(jsonld),
    );
    html
}

/// An entity, its relations and its sources.
pub fn entity(entity: &Entity, relations: &[Relation], label_of: &dyn Fn(&str) -> String, jsonld: &[u8]) -> String {
    let mut html = String::new();
    let mut facts = vec![entity.kind.name().replace('_', " ")];
    if let Some(openness) = entity.openness {
        facts.push(match openness {
            Openness::Open => "open or partially open".to_owned(),
            Openness::Closed => "closed or partially closed".to_owned(),
        });
    }
    match (entity.start_date, entity.end_date) {
        (Some(start), Some(end)) => facts.push(format!("{start} – {end}")),
        (Some(start), None) => facts.push(start.to_string()),
        _ => {}
    }
    if let Some(location) = &entity.location {
        facts.push(location.clone());
    }
    let _ = write!(html, "<p class=\"meta\">{}</p>", text(&facts.join(" · ")));
    if let Some(description) = &entity.description {
        let _ = write!(html, "<p>{}</p>", text(description));
    }
    html.push_str("<dl>");
    let mut fact = |name: &str, value: &str| {
        let _ = write!(html, "<dt>{}</dt><dd>{}</dd>", text(name), text(value));
    };
    if !entity.aliases.is_empty() {
        fact("Also called", &entity.aliases.join("; "));
    }
    if let Some(note) = &entity.openness_note {
        fact("Why open or closed", note);
    }
    if let Some(note) = &entity.date_note {
        fact("About the date", note);
    }
    if let Some(identifier) = &entity.identifier {
        fact("Document symbol", identifier);
    }
    html.push_str("</dl>");
    let _ = write!(html, "<h2>Relations ({})</h2><ul>", relations.len());
    for relation in relations {
        let _ = write!(
            html,
            "<li>{} <strong>{}</strong> {} <small>({}; {})</small>{}</li>",
            end(&relation.source, label_of),
            link(&relation.iri, &relation.predicate_label),
            end(&relation.target, label_of),
            kind_and_evidence(relation),
            link(&relation.iri, "the relation"),
            citations(&relation.citations)
        );
    }
    html.push_str("</ul><h2>Sources</h2>");
    html.push_str(&citations(&entity.citations));
    frame(&entity.label, &entity.iri, &html, jsonld)
}

/// A relation: its ends, kind, evidence and sources.
pub fn relation(relation: &Relation, label_of: &dyn Fn(&str) -> String, jsonld: &[u8]) -> String {
    let mut html = String::new();
    let _ = write!(
        html,
        "<p>{} <strong>{}</strong> {}</p><p class=\"meta\">{}</p>",
        end(&relation.source, label_of),
        text(&relation.predicate_label),
        end(&relation.target, label_of),
        text(&kind_and_evidence(relation)),
    );
    html.push_str("<dl>");
    if let Some(confidence) = relation.confidence {
        let _ = write!(html, "<dt>Confidence</dt><dd>{confidence}</dd>");
    }
    if let Some(reason) = &relation.inference_reason {
        let _ = write!(html, "<dt>Why it is inferred</dt><dd>{}</dd>", text(reason));
    }
    let _ = write!(
        html,
        "<dt>Property</dt><dd>{}</dd></dl><h2>Sources</h2>",
        link(&relation.predicate, &relation.predicate)
    );
    html.push_str(&citations(&relation.citations));
    let title = format!(
        "{} {} {}",
        label_of(&relation.source),
        relation.predicate_label,
        label_of(&relation.target)
    );
    frame(&title, &relation.iri, &html, jsonld)
}

/// Anything else: its statements, grouped by subject.
pub fn statements(title: &str, iri: &str, intro: &str, statements: &[Statement], jsonld: &[u8]) -> String {
    let mut html = format!("<p>{}</p><table>", text(intro));
    let mut subject = "";
    for statement in statements {
        if statement.subject != subject {
            subject = &statement.subject;
            let _ = write!(html, "<tr><th colspan=\"2\">{}</th></tr>", link(subject, subject));
        }
        let object = if statement.object_is_iri {
            link(&statement.object, &statement.object)
        } else {
            text(&statement.object)
        };
        let _ = write!(
            html,
            "<tr><td>{}</td><td>{object}</td></tr>",
            link(&statement.predicate, &statement.predicate)
        );
    }
    html.push_str("</table>");
    frame(title, iri, &html, jsonld)
}

fn end(id: &str, label_of: &dyn Fn(&str) -> String) -> String {
    format!("<a href=\"/id/{}\">{}</a>", text(id), text(&label_of(id)))
}

fn kind_and_evidence(relation: &Relation) -> String {
    let evidence = relation
        .evidence_type
        .map(|e| format!(", {}", e.name()))
        .unwrap_or_default();
    format!("{} relation{evidence}", relation.kind.name())
}

/// Sources: a document entity (a seed document among them) links to its page, a web page to
/// itself; each with its quote.
fn citations(citations: &[Citation]) -> String {
    if citations.is_empty() {
        return String::new();
    }
    let mut html = String::from("<ul>");
    for citation in citations {
        let shown = citation.title.as_deref().unwrap_or(&citation.document);
        let document = if citation.document_entity.is_some() || citation.document.starts_with("http") {
            link(&citation.document_iri, shown)
        } else {
            text(&citation.document)
        };
        let _ = write!(html, "<li>{document}");
        if citation.document_entity.is_some() && citation.document != shown {
            let _ = write!(html, " <small>({})</small>", text(&citation.document));
        }
        if let Some(quote) = &citation.quote {
            let _ = write!(html, "<blockquote>“{}”</blockquote>", text(quote));
        }
        html.push_str("</li>");
    }
    html.push_str("</ul>");
    html
}
