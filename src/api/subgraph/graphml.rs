//! GraphML with a typed `<key>` declared for every attribute of the one list, and the graph's
//! `truncated` flag as graph data, as Gephi, yEd and networkx read them.

use super::Drawing;
use super::attributes::{self, Attribute, Type};
use super::xml::{self, Xml, attribute};
use quick_xml::events::BytesText;
use std::io;

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
                key(writer, "graph", "truncated", "boolean")?;
                declare(writer, "node", attributes::NODE)?;
                declare(writer, "edge", attributes::EDGE)?;
                graph(writer, drawing)
            })?;
        Ok(())
    })
}

fn graphml_type(kind: Type) -> &'static str {
    match kind {
        Type::Text | Type::List => "string",
        Type::Integer => "int",
        Type::Number => "double",
    }
}

/// A key named `{scope}_{name}`.
fn key(writer: &mut Xml, scope: &str, name: &str, kind: &str) -> io::Result<()> {
    let id = format!("{scope}_{name}");
    xml::empty(
        writer,
        "key",
        &[("id", &id), ("for", scope), ("attr.name", name), ("attr.type", kind)],
    )
}

fn declare<T>(writer: &mut Xml, scope: &str, list: &[Attribute<T>]) -> io::Result<()> {
    list.iter()
        .try_for_each(|attribute| key(writer, scope, attribute.name, graphml_type(attribute.kind)))
}

fn graph(writer: &mut Xml, drawing: &Drawing) -> io::Result<()> {
    writer
        .create_element("graph")
        .with_attribute(("id", "govgraph"))
        .with_attribute(("edgedefault", "directed"))
        .write_inner_content(|writer| {
            data(writer, "graph_truncated", &drawing.truncated.to_string())?;
            drawing.nodes.iter().try_for_each(|node| {
                writer
                    .create_element("node")
                    .with_attribute(attribute("id", &node.entity.id))
                    .write_inner_content(|writer| values(writer, "node", attributes::NODE, node))?;
                Ok::<(), io::Error>(())
            })?;
            drawing.relations.iter().try_for_each(|relation| {
                xml::edge(writer, relation)
                    .write_inner_content(|writer| values(writer, "edge", attributes::EDGE, relation))?;
                Ok::<(), io::Error>(())
            })
        })?;
    Ok(())
}

/// The item's values; an absent one is left out rather than written empty.
fn values<T>(writer: &mut Xml, scope: &str, list: &[Attribute<T>], item: &T) -> io::Result<()> {
    attributes::values(list, item)
        .into_iter()
        .try_for_each(|(attribute, value)| data(writer, &format!("{scope}_{}", attribute.name), &value.text()))
}

fn data(writer: &mut Xml, key: &str, value: &str) -> io::Result<()> {
    writer
        .create_element("data")
        .with_attribute(("key", key))
        .write_text_content(BytesText::new(value))?;
    Ok(())
}
