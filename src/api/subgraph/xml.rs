//! What the GraphML and GEXF writers share: an indented document built in memory, and attribute
//! values written so that any label survives a parser.

use crate::model::Relation;
use quick_xml::Writer;
use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesDecl, Event};
use quick_xml::name::QName;
use quick_xml::writer::ElementWriter;
use std::borrow::Cow;
use std::io;

pub type Xml = Writer<Vec<u8>>;

/// The declaration, then what `root` writes, then a final line break. Writing to memory does not
/// fail, so an error is only logged: the response is whatever was written.
pub fn document(format: &str, root: impl FnOnce(&mut Xml) -> io::Result<()>) -> Vec<u8> {
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    let declaration = Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None));
    let result = writer.write_event(declaration).and_then(|()| root(&mut writer));
    if let Err(error) = result {
        tracing::error!(%error, "writing {format} to memory failed");
    }
    let mut bytes = writer.into_inner();
    bytes.push(b'\n');
    bytes
}

/// An attribute value escaped for XML, line breaks and tabs included (a parser turns raw ones
/// into spaces), so labels survive exactly.
pub fn attribute<'a>(key: &'a str, value: &str) -> Attribute<'a> {
    let escaped = quick_xml::escape::escape(value)
        .replace('\n', "&#10;")
        .replace('\r', "&#13;")
        .replace('\t', "&#9;");
    Attribute {
        key: QName(key.as_bytes()),
        value: Cow::Owned(escaped.into_bytes()),
    }
}

/// An element with attributes and nothing inside.
pub fn empty(writer: &mut Xml, name: &str, attributes: &[(&str, &str)]) -> io::Result<()> {
    writer
        .create_element(name)
        .with_attributes(attributes.iter().map(|&(key, value)| attribute(key, value)))
        .write_empty()?;
    Ok(())
}

/// An `edge` element of `relation`, named by its id and its ends, as both formats start one.
pub fn edge<'w>(writer: &'w mut Xml, relation: &Relation) -> ElementWriter<'w, Vec<u8>> {
    writer
        .create_element("edge")
        .with_attribute(attribute("id", &relation.id))
        .with_attribute(attribute("source", &relation.source))
        .with_attribute(attribute("target", &relation.target))
}
