//! GEXF 1.3: every attribute of the one list as a typed column (dates as text too, which
//! readers without spells such as graphology keep), dates again as `start`/`end` spells for
//! Gephi's timeline, the weight and the legend's colours and shapes in GEXF's own attributes,
//! and a truncated selection said in `<meta>`.

use super::Drawing;
use super::attributes::{self, Attribute, Node, Type};
use super::legend::{self, Colour, Shape};
use super::xml::{self, Xml, attribute};
use crate::model::{DateStatus, DayRange, Entity, PartialDate, Relation};
use quick_xml::events::BytesText;
use std::io;

/// GEXF's viz namespace knows four node shapes: a hexagon is nearest a disc.
fn gexf_shape(shape: Shape) -> &'static str {
    match shape {
        Shape::Ellipse | Shape::Hexagon => "disc",
        Shape::Rectangle => "square",
        Shape::Diamond => "diamond",
        Shape::Triangle => "triangle",
    }
}

/// Back from days since 1970 to a calendar date: GEXF dates are full days.
fn calendar(days: i32) -> String {
    let z = i64::from(days) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// An entity's spell, its first and last days as the graph's windows see them
/// ([`DayRange::span`]): one date alone is both ends, and an ongoing entity without an end has no
/// last day (GEXF's open-ended spell, a `start` and no `end`).
fn span(entity: &Entity) -> Option<(String, Option<String>)> {
    let day_range = |date: PartialDate| date.day_range();
    let ongoing = entity.date_status == Some(DateStatus::Ongoing);
    let span = DayRange::span(
        entity.start_date.map(day_range),
        entity.end_date.map(day_range),
        ongoing,
    )?;
    let end = (span.latest != DayRange::OPEN_END).then(|| calendar(span.latest));
    Some((calendar(span.earliest), end))
}

pub fn write(drawing: &Drawing) -> Vec<u8> {
    xml::document("GEXF", |writer| {
        writer
            .create_element("gexf")
            .with_attribute(("xmlns", "http://gexf.net/1.3"))
            .with_attribute(("xmlns:viz", "http://gexf.net/1.3/viz"))
            .with_attribute(("version", "1.3"))
            .write_inner_content(|writer| {
                meta(writer, drawing.truncated)?;
                graph(writer, drawing)
            })?;
        Ok(())
    })
}

/// GEXF has no graph attributes: `<meta>` is where a reader (Gephi's import report) looks.
fn meta(writer: &mut Xml, truncated: bool) -> io::Result<()> {
    let text = |writer: &mut Xml, name: &str, value: &str| -> io::Result<()> {
        writer.create_element(name).write_text_content(BytesText::new(value))?;
        Ok(())
    };
    writer.create_element("meta").write_inner_content(|writer| {
        text(writer, "creator", "govgraph")?;
        if truncated {
            text(writer, "keywords", "truncated")?;
            text(
                writer,
                "description",
                "truncated: the node limit left reachable entities out",
            )?;
        }
        Ok(())
    })?;
    Ok(())
}

fn graph(writer: &mut Xml, drawing: &Drawing) -> io::Result<()> {
    writer
        .create_element("graph")
        .with_attribute(("defaultedgetype", "directed"))
        .with_attribute(("mode", "dynamic"))
        .with_attribute(("timeformat", "date"))
        .write_inner_content(|writer| {
            declare(writer, "node", attributes::NODE)?;
            declare(writer, "edge", attributes::EDGE)?;
            writer
                .create_element("nodes")
                .write_inner_content(|writer| drawing.nodes.iter().try_for_each(|n| node(writer, n)))?;
            writer.create_element("edges").write_inner_content(|writer| {
                drawing.relations.iter().try_for_each(|relation| edge(writer, relation))
            })?;
            Ok(())
        })?;
    Ok(())
}

fn gexf_type(kind: Type) -> &'static str {
    match kind {
        Type::Text | Type::List => "string",
        Type::Integer => "integer",
        Type::Number => "double",
    }
}

/// The columns of a class (`node` or `edge`), named by the attribute and numbered in order.
fn declare<T>(writer: &mut Xml, class: &str, list: &[Attribute<T>]) -> io::Result<()> {
    writer
        .create_element("attributes")
        .with_attribute(("class", class))
        .write_inner_content(|writer| {
            list.iter().enumerate().try_for_each(|(index, column)| {
                let id = index.to_string();
                let kind = gexf_type(column.kind);
                xml::empty(
                    writer,
                    "attribute",
                    &[("id", &id), ("title", column.name), ("type", kind)],
                )
            })
        })?;
    Ok(())
}

/// The values of the declared columns, by index; an absent one is left out.
fn values<T>(writer: &mut Xml, list: &[Attribute<T>], item: &T) -> io::Result<()> {
    writer.create_element("attvalues").write_inner_content(|writer| {
        list.iter()
            .enumerate()
            .try_for_each(|(index, column)| match column.value(item) {
                Some(value) => {
                    let index = index.to_string();
                    xml::empty(writer, "attvalue", &[("for", &index), ("value", &value.text())])
                }
                None => Ok(()),
            })
    })?;
    Ok(())
}

fn node(writer: &mut Xml, node: &Node) -> io::Result<()> {
    let entity = &node.entity;
    let mut element = writer
        .create_element("node")
        .with_attribute(attribute("id", &entity.id))
        .with_attribute(attribute("label", &entity.label));
    if let Some((start, end)) = span(entity) {
        element = element.with_attribute(("start", start.as_str()));
        if let Some(end) = end {
            element = element.with_attribute(("end", end.as_str()));
        }
    }
    element.write_inner_content(|writer| {
        values(writer, attributes::NODE, node)?;
        colour(writer, legend::colour(entity.openness))?;
        xml::empty(
            writer,
            "viz:shape",
            &[("value", gexf_shape(legend::shape(entity.kind)))],
        )
    })?;
    Ok(())
}

fn colour(writer: &mut Xml, colour: Colour) -> io::Result<()> {
    let [r, g, b] = [colour.red, colour.green, colour.blue].map(|channel| channel.to_string());
    xml::empty(writer, "viz:color", &[("r", &r), ("g", &g), ("b", &b)])
}

fn edge(writer: &mut Xml, relation: &Relation) -> io::Result<()> {
    let weight = attributes::weight(relation).to_string();
    xml::edge(writer, relation)
        .with_attribute(attribute("label", &relation.predicate_label))
        .with_attribute(("weight", weight.as_str()))
        .write_inner_content(|writer| {
            values(writer, attributes::EDGE, relation)?;
            xml::empty(writer, "viz:shape", &[("value", legend::line_style(relation.kind))])
        })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A partial date stands for its first (start) or last (end) day.
    fn day(date: PartialDate, end: bool) -> String {
        let range = date.day_range();
        calendar(if end { range.latest } else { range.earliest })
    }

    #[test]
    fn partial_dates_become_their_first_or_last_day() {
        let date = |s: &str| s.parse::<PartialDate>().unwrap();
        assert_eq!(day(date("2014-04-23"), false), "2014-04-23");
        assert_eq!(day(date("2014-02"), true), "2014-02-28");
        assert_eq!(day(date("2012"), true), "2012-12-31");
        assert_eq!(day(date("2000-02"), true), "2000-02-29");
    }
}
