//! GraphML with a `<key>` declared for every attribute, as Gephi, yEd and networkx read it.

use super::Drawing;
use super::legend;
use super::xml::{self, Xml, attribute};
use crate::model::{Entity, Relation};
use quick_xml::events::BytesText;
use std::io;

const NODE_KEYS: [&str; 8] = [
    "label",
    "kind",
    "openness",
    "startDate",
    "endDate",
    "location",
    "iri",
    "color",
];
const EDGE_KEYS: [&str; 5] = ["label", "predicate", "kind", "evidenceType", "id"];

pub fn write(drawing: &Drawing) -> Vec<u8> {
    xml::document("GraphML", |writer| {
        writer
            .create_element("graphml")
            .with_attribute(("xmlns", "http://graphml.graphdrawing.org/xmlns"))
            .with_attribute(("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"))
            .with_attribute((
                "xsi:schemaLocation",
                "http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd",
            ))
            .write_inner_content(|writer| {
                declare(writer, "node", &NODE_KEYS)?;
                declare(writer, "edge", &EDGE_KEYS)?;
                graph(writer, drawing)
            })?;
        Ok(())
    })
}

/// A string key per attribute, named `{scope}_{key}`.
fn declare(writer: &mut Xml, scope: &str, keys: &[&str]) -> io::Result<()> {
    keys.iter().try_for_each(|key| {
        let id = format!("{scope}_{key}");
        xml::empty(
            writer,
            "key",
            &[("id", &id), ("for", scope), ("attr.name", key), ("attr.type", "string")],
        )
    })
}

fn graph(writer: &mut Xml, drawing: &Drawing) -> io::Result<()> {
    writer
        .create_element("graph")
        .with_attribute(("id", "govgraph"))
        .with_attribute(("edgedefault", "directed"))
        .write_inner_content(|writer| {
            drawing.entities.iter().try_for_each(|entity| node(writer, entity))?;
            drawing.relations.iter().try_for_each(|relation| edge(writer, relation))
        })?;
    Ok(())
}

fn data(writer: &mut Xml, key: &str, value: &str) -> io::Result<()> {
    writer
        .create_element("data")
        .with_attribute(("key", key))
        .write_text_content(BytesText::new(value))?;
    Ok(())
}

fn node(writer: &mut Xml, entity: &Entity) -> io::Result<()> {
    let start = entity.start_date.map(|d| d.to_string()).unwrap_or_default();
    let end = entity.end_date.map(|d| d.to_string()).unwrap_or_default();
    let colour = legend::colour(entity.openness).to_string();
    let values = [
        entity.label.as_str(),
        entity.kind.name(),
        legend::openness_name(entity.openness),
        &start,
        &end,
        entity.location.as_deref().unwrap_or(""),
        &entity.iri,
        &colour,
    ];
    writer
        .create_element("node")
        .with_attribute(attribute("id", &entity.id))
        .write_inner_content(|writer| {
            // An absent value is left out rather than written empty.
            NODE_KEYS
                .iter()
                .zip(values)
                .filter(|(_, value)| !value.is_empty())
                .try_for_each(|(key, value)| data(writer, &format!("node_{key}"), value))
        })?;
    Ok(())
}

fn edge(writer: &mut Xml, relation: &Relation) -> io::Result<()> {
    xml::edge(writer, relation).write_inner_content(|writer| {
        data(writer, "edge_label", &relation.predicate_label)?;
        data(writer, "edge_predicate", &relation.predicate)?;
        data(writer, "edge_kind", relation.kind.name())?;
        if let Some(evidence) = relation.evidence_type {
            data(writer, "edge_evidenceType", evidence.name())?;
        }
        data(writer, "edge_id", &relation.id)
    })?;
    Ok(())
}
