//! GraphML with a `<key>` declared for every attribute, as Gephi, yEd and networkx read it.

use super::{Drawing, colour, openness_name};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};
use std::io;

const NODE_KEYS: &[&str] = &[
    "label",
    "kind",
    "openness",
    "startDate",
    "endDate",
    "location",
    "iri",
    "color",
];
const EDGE_KEYS: &[&str] = &["label", "predicate", "kind", "evidenceType", "id"];

fn data(writer: &mut Writer<Vec<u8>>, key: &str, value: &str) -> io::Result<()> {
    writer
        .create_element("data")
        .with_attribute(("key", key))
        .write_text_content(BytesText::new(value))?;
    Ok(())
}

pub fn write(drawing: &Drawing) -> Vec<u8> {
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    let result = (|| -> io::Result<()> {
        writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        writer
            .create_element("graphml")
            .with_attribute(("xmlns", "http://graphml.graphdrawing.org/xmlns"))
            .with_attribute(("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"))
            .with_attribute((
                "xsi:schemaLocation",
                "http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd",
            ))
            .write_inner_content(|writer| {
                for (scope, keys) in [("node", NODE_KEYS), ("edge", EDGE_KEYS)] {
                    for key in keys {
                        writer
                            .create_element("key")
                            .with_attribute(("id", format!("{scope}_{key}").as_str()))
                            .with_attribute(("for", scope))
                            .with_attribute(("attr.name", *key))
                            .with_attribute(("attr.type", "string"))
                            .write_empty()?;
                    }
                }
                writer
                    .create_element("graph")
                    .with_attribute(("id", "govgraph"))
                    .with_attribute(("edgedefault", "directed"))
                    .write_inner_content(|writer| {
                        for entity in &drawing.entities {
                            writer
                                .create_element("node")
                                .with_attribute(("id", entity.id.as_str()))
                                .write_inner_content(|writer| {
                                    let start = entity.start_date.map(|d| d.to_string()).unwrap_or_default();
                                    let end = entity.end_date.map(|d| d.to_string()).unwrap_or_default();
                                    for (key, value) in [
                                        ("label", entity.label.as_str()),
                                        ("kind", entity.kind.name()),
                                        ("openness", openness_name(entity.openness)),
                                        ("startDate", &start),
                                        ("endDate", &end),
                                        ("location", entity.location.as_deref().unwrap_or("")),
                                        ("iri", &entity.iri),
                                        ("color", colour(entity.openness)),
                                    ] {
                                        if !value.is_empty() {
                                            data(writer, &format!("node_{key}"), value)?;
                                        }
                                    }
                                    Ok(())
                                })?;
                        }
                        for relation in &drawing.relations {
                            writer
                                .create_element("edge")
                                .with_attribute(("id", relation.id.as_str()))
                                .with_attribute(("source", relation.source.as_str()))
                                .with_attribute(("target", relation.target.as_str()))
                                .write_inner_content(|writer| {
                                    data(writer, "edge_label", &relation.predicate_label)?;
                                    data(writer, "edge_predicate", &relation.predicate)?;
                                    data(writer, "edge_kind", relation.kind.name())?;
                                    if let Some(evidence) = relation.evidence_type {
                                        data(writer, "edge_evidenceType", evidence.name())?;
                                    }
                                    data(writer, "edge_id", &relation.id)
                                })?;
                        }
                        Ok(())
                    })?;
                Ok(())
            })?;
        Ok(())
    })();
    if let Err(error) = result {
        tracing::error!(%error, "writing GraphML to memory failed");
    }
    let mut bytes = writer.into_inner();
    bytes.push(b'\n');
    bytes
}
