//! GEXF 1.3 with attributes and dates (`start`/`end` on nodes), so Gephi's timeline works, and
//! the legend's colours and shapes in the visualisation namespace.

use super::{Drawing, colour, openness_name};
use crate::model::{EntityKind, PartialDate};
use quick_xml::Writer;
use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesDecl, Event};
use quick_xml::name::QName;
use std::borrow::Cow;
use std::io;

/// An attribute value escaped for XML, line breaks and tabs included (an XML parser turns raw
/// ones into spaces), so labels survive exactly.
fn attribute<'a>(key: &'a str, value: &str) -> Attribute<'a> {
    let escaped = quick_xml::escape::escape(value)
        .replace('\n', "&#10;")
        .replace('\r', "&#13;")
        .replace('\t', "&#9;");
    Attribute {
        key: QName(key.as_bytes()),
        value: Cow::Owned(escaped.into_bytes()),
    }
}

/// GEXF dates are full days: a partial date stands for its first (start) or last (end) day.
fn day(date: PartialDate, end: bool) -> String {
    let range = date.day_range();
    let days = if end { range.latest } else { range.earliest };
    // Back from days since 1970 to a calendar date.
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

fn gexf_shape(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Meeting => "disc",
        EntityKind::Document => "square",
        EntityKind::DiscussionSpace => "triangle",
        EntityKind::Organization | EntityKind::Person => "diamond",
    }
}

fn rgb(hex: &str) -> (u8, u8, u8) {
    let channel = |range: std::ops::Range<usize>| u8::from_str_radix(hex.get(range).unwrap_or("80"), 16).unwrap_or(128);
    (channel(1..3), channel(3..5), channel(5..7))
}

const NODE_ATTRIBUTES: &[&str] = &["kind", "openness", "location", "iri"];
const EDGE_ATTRIBUTES: &[&str] = &["kind", "predicate", "evidenceType"];

pub fn write(drawing: &Drawing) -> Vec<u8> {
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    let result = (|| -> io::Result<()> {
        writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        writer
            .create_element("gexf")
            .with_attribute(("xmlns", "http://gexf.net/1.3"))
            .with_attribute(("xmlns:viz", "http://gexf.net/1.3/viz"))
            .with_attribute(("version", "1.3"))
            .write_inner_content(|writer| {
                writer.create_element("meta").write_inner_content(|writer| {
                    writer
                        .create_element("creator")
                        .write_text_content(quick_xml::events::BytesText::new("govgraph"))?;
                    Ok(())
                })?;
                writer
                    .create_element("graph")
                    .with_attribute(("defaultedgetype", "directed"))
                    .with_attribute(("mode", "dynamic"))
                    .with_attribute(("timeformat", "date"))
                    .write_inner_content(|writer| {
                        for (class, names) in [("node", NODE_ATTRIBUTES), ("edge", EDGE_ATTRIBUTES)] {
                            writer
                                .create_element("attributes")
                                .with_attribute(("class", class))
                                .write_inner_content(|writer| {
                                    for (index, name) in names.iter().enumerate() {
                                        writer
                                            .create_element("attribute")
                                            .with_attribute(("id", index.to_string().as_str()))
                                            .with_attribute(("title", *name))
                                            .with_attribute(("type", "string"))
                                            .write_empty()?;
                                    }
                                    Ok(())
                                })?;
                        }
                        writer.create_element("nodes").write_inner_content(|writer| {
                            for entity in &drawing.entities {
                                let mut node = writer
                                    .create_element("node")
                                    .with_attribute(attribute("id", &entity.id))
                                    .with_attribute(attribute("label", &entity.label));
                                if let Some(start) = entity.start_date.or(entity.end_date) {
                                    node = node.with_attribute(("start", day(start, false).as_str()));
                                    let end = entity.end_date.unwrap_or(start);
                                    node = node.with_attribute(("end", day(end, true).as_str()));
                                }
                                node.write_inner_content(|writer| {
                                    writer.create_element("attvalues").write_inner_content(|writer| {
                                        let values = [
                                            entity.kind.name(),
                                            openness_name(entity.openness),
                                            entity.location.as_deref().unwrap_or(""),
                                            &entity.iri,
                                        ];
                                        for (index, value) in values.iter().enumerate() {
                                            writer
                                                .create_element("attvalue")
                                                .with_attribute(("for", index.to_string().as_str()))
                                                .with_attribute(attribute("value", value))
                                                .write_empty()?;
                                        }
                                        Ok(())
                                    })?;
                                    let (r, g, b) = rgb(colour(entity.openness));
                                    writer
                                        .create_element("viz:color")
                                        .with_attribute(("r", r.to_string().as_str()))
                                        .with_attribute(("g", g.to_string().as_str()))
                                        .with_attribute(("b", b.to_string().as_str()))
                                        .write_empty()?;
                                    writer
                                        .create_element("viz:shape")
                                        .with_attribute(("value", gexf_shape(entity.kind)))
                                        .write_empty()?;
                                    Ok(())
                                })?;
                            }
                            Ok(())
                        })?;
                        writer.create_element("edges").write_inner_content(|writer| {
                            for relation in &drawing.relations {
                                writer
                                    .create_element("edge")
                                    .with_attribute(attribute("id", &relation.id))
                                    .with_attribute(attribute("source", &relation.source))
                                    .with_attribute(attribute("target", &relation.target))
                                    .with_attribute(attribute("label", &relation.predicate_label))
                                    .write_inner_content(|writer| {
                                        writer.create_element("attvalues").write_inner_content(|writer| {
                                            let values = [
                                                relation.kind.name(),
                                                relation.predicate.as_str(),
                                                relation.evidence_type.map_or("", |e| e.name()),
                                            ];
                                            for (index, value) in values.iter().enumerate() {
                                                writer
                                                    .create_element("attvalue")
                                                    .with_attribute(("for", index.to_string().as_str()))
                                                    .with_attribute(attribute("value", value))
                                                    .write_empty()?;
                                            }
                                            Ok(())
                                        })?;
                                        let shape = if relation.kind == crate::model::RelationKind::Direct {
                                            "solid"
                                        } else {
                                            "dashed"
                                        };
                                        writer
                                            .create_element("viz:shape")
                                            .with_attribute(("value", shape))
                                            .write_empty()?;
                                        Ok(())
                                    })?;
                            }
                            Ok(())
                        })?;
                        Ok(())
                    })?;
                Ok(())
            })?;
        Ok(())
    })();
    if let Err(error) = result {
        tracing::error!(%error, "writing GEXF to memory failed");
    }
    let mut bytes = writer.into_inner();
    bytes.push(b'\n');
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_dates_become_their_first_or_last_day() {
        let date = |s: &str| s.parse::<PartialDate>().unwrap();
        assert_eq!(day(date("2014-04-23"), false), "2014-04-23");
        assert_eq!(day(date("2014-02"), true), "2014-02-28");
        assert_eq!(day(date("2012"), true), "2012-12-31");
        assert_eq!(day(date("2000-02"), true), "2000-02-29");
    }
}
