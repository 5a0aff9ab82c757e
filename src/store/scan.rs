//! Scans of input texts for what their parsers cannot bound themselves: how deep brackets nest
//! (SPARQL, Turtle, TriG, JSON-LD), how many terms JSON-LD contexts define, how far RDF/XML
//! entities expand. A scan reads each byte once, keeps a few counters, and reports the position
//! where a limit was passed; it recognises just enough of each syntax (strings, comments, IRIs)
//! not to count brackets that are only text. It is the first, precise line of defence: a SPARQL
//! text that slips past it still cannot overflow a stack, because its parse gets a stack sized
//! for its length (`checked::parse_stack`).

use super::limits::{Exceeded, InputLimit, Position};

/// Which bracket syntax a [`BracketScan`] reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Brackets {
    /// SPARQL: `<` may be an IRI or the less-than operator, told apart by looking ahead.
    Sparql,
    /// Turtle and TriG: `<` always opens an IRI.
    Turtle,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Code,
    Comment,
    /// After a backslash outside strings (an escaped character of a local name).
    Escape,
    Iri,
    /// `count` quotes of kind `quote` in a row where a string starts.
    Quotes {
        quote: u8,
        count: u8,
    },
    String {
        quote: u8,
        long: bool,
        escaped: bool,
        closing: u8,
    },
}

/// Counts the nesting of `{`, `(` and `[` outside strings, comments and IRIs, as the text
/// streams by.
pub struct BracketScan {
    syntax: Brackets,
    max: usize,
    depth: usize,
    state: State,
    position: Position,
}

/// Characters that cannot appear in an IRI reference (`IRIREF` in both grammars).
fn outside_iri(byte: u8) -> bool {
    byte <= b' ' || matches!(byte, b'<' | b'>' | b'"' | b'{' | b'}' | b'|' | b'^' | b'`')
}

impl BracketScan {
    pub fn new(syntax: Brackets, max: usize) -> Self {
        Self {
            syntax,
            max,
            depth: 0,
            state: State::Code,
            position: Position::default(),
        }
    }

    /// Reads the next part of the text.
    pub fn feed(&mut self, bytes: &[u8]) -> Result<(), Exceeded> {
        let mut index = 0;
        while index < bytes.len() {
            let byte = bytes[index];
            if let State::Quotes { quote, count } = self.state
                && byte != quote
            {
                // `""` was an empty string; one quote opened a short string. Either way this
                // byte is read again in the new state.
                self.state = match count {
                    2 => State::Code,
                    _ => State::String {
                        quote,
                        long: false,
                        escaped: false,
                        closing: 0,
                    },
                };
                continue;
            }
            self.position.advance(byte);
            index += 1;
            self.state = match self.state {
                State::Code => match byte {
                    b'#' => State::Comment,
                    b'\\' => State::Escape,
                    b'"' | b'\'' => State::Quotes { quote: byte, count: 1 },
                    b'<' if self.syntax == Brackets::Turtle => State::Iri,
                    b'<' => {
                        // In SPARQL an IRI runs to `>` through characters IRIs may hold;
                        // anything else makes this `<` the less-than operator.
                        let rest = &bytes[index..];
                        if let Some(end) = rest.iter().position(|b| outside_iri(*b))
                            && rest[end] == b'>'
                        {
                            for skipped in &rest[..=end] {
                                self.position.advance(*skipped);
                            }
                            index += end + 1;
                        }
                        State::Code
                    }
                    b'{' | b'(' | b'[' => {
                        self.depth += 1;
                        if self.depth > self.max {
                            return Err(self.position.exceeded(InputLimit::Nesting));
                        }
                        State::Code
                    }
                    b'}' | b')' | b']' => {
                        self.depth = self.depth.saturating_sub(1);
                        State::Code
                    }
                    _ => State::Code,
                },
                State::Comment if byte == b'\n' => State::Code,
                State::Comment => State::Comment,
                State::Escape => State::Code,
                State::Iri if byte == b'>' || byte == b'\n' => State::Code,
                State::Iri => State::Iri,
                State::Quotes { quote, count: 2 } => State::String {
                    quote,
                    long: true,
                    escaped: false,
                    closing: 0,
                },
                State::Quotes { quote, .. } => State::Quotes { quote, count: 2 },
                State::String {
                    quote,
                    long,
                    escaped,
                    closing,
                } => {
                    let string = |escaped, closing| State::String {
                        quote,
                        long,
                        escaped,
                        closing,
                    };
                    if escaped {
                        string(false, 0)
                    } else if byte == b'\\' {
                        string(true, 0)
                    } else if byte == quote {
                        if !long || closing == 2 {
                            State::Code
                        } else {
                            string(false, closing + 1)
                        }
                    } else if byte == b'\n' && !long {
                        // A short string ends with its line (the parser reports it unclosed).
                        State::Code
                    } else {
                        string(false, 0)
                    }
                }
            };
        }
        Ok(())
    }
}

/// Checks a whole text.
pub fn brackets(syntax: Brackets, text: &[u8], max: usize) -> Result<(), Exceeded> {
    BracketScan::new(syntax, max).feed(text)
}

/// What a JSON container is, as the scan walks into it.
#[derive(Clone, Copy)]
struct Container {
    object: bool,
    /// Inside the value of an `@context` key.
    context: bool,
}

/// Checks a JSON-LD document: the nesting of objects and arrays, and the number of keys inside
/// `@context` values (term definitions expand through each other, one recursion per term). A
/// text that is not JSON is left to the parser to report.
pub fn json(text: &[u8], max_nesting: usize, max_terms: usize) -> Result<(), Exceeded> {
    let mut stack: Vec<Container> = Vec::new();
    let mut position = Position::default();
    let mut terms = 0_usize;
    // Whether the next string is a key, and whether the last key read was `@context`.
    let mut expect_key = false;
    let mut context_key = false;
    let mut index = 0;
    while index < text.len() {
        let byte = text[index];
        position.advance(byte);
        index += 1;
        match byte {
            b'"' => {
                let start = index;
                let mut escaped = false;
                while index < text.len() {
                    let byte = text[index];
                    position.advance(byte);
                    index += 1;
                    match byte {
                        _ if escaped => escaped = false,
                        b'\\' => escaped = true,
                        b'"' => break,
                        _ => {}
                    }
                }
                if expect_key {
                    let inside = stack.last().is_some_and(|top| top.context);
                    if inside {
                        terms += 1;
                        if terms > max_terms {
                            return Err(position.exceeded(InputLimit::JsonLdTerms));
                        }
                    }
                    let raw = &text[start - 1..index];
                    context_key = raw == b"\"@context\""
                        || (raw.contains(&b'\\')
                            && serde_json::from_slice::<String>(raw).is_ok_and(|key| key == "@context"));
                    expect_key = false;
                }
            }
            b'{' | b'[' => {
                let context = context_key || stack.last().is_some_and(|top| top.context);
                stack.push(Container {
                    object: byte == b'{',
                    context,
                });
                if stack.len() > max_nesting {
                    return Err(position.exceeded(InputLimit::Nesting));
                }
                expect_key = byte == b'{';
                context_key = false;
            }
            b'}' | b']' => {
                stack.pop();
                context_key = false;
            }
            b',' => {
                expect_key = stack.last().is_some_and(|top| top.object);
                context_key = false;
            }
            _ => {}
        }
    }
    Ok(())
}

/// Checks an RDF/XML document: the nesting of elements, and how far the entities it declares
/// expand (each declaration is expanded when it is read, each use copies its value). A text
/// that is not well-formed XML is left to the parser to report.
pub fn xml(text: &[u8], max_nesting: usize, max_expansion: usize) -> Result<(), Exceeded> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(text);
    let mut depth = 0_usize;
    let mut entities = Entities::default();
    loop {
        let before = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        match reader.read_event() {
            Ok(Event::Start(_)) => {
                depth += 1;
                if depth > max_nesting {
                    return Err(Position::of(text, before).exceeded(InputLimit::Nesting));
                }
            }
            Ok(Event::End(_)) => depth = depth.saturating_sub(1),
            Ok(Event::DocType(declarations)) => {
                if entities.declare(&declarations, max_expansion).is_err() {
                    return Err(Position::of(text, before).exceeded(InputLimit::EntityExpansion));
                }
                let after = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
                if let Err(offset) = entities.uses(&text[after.min(text.len())..], max_expansion) {
                    return Err(Position::of(text, after + offset).exceeded(InputLimit::EntityExpansion));
                }
            }
            Ok(Event::Eof) | Err(_) => return Ok(()),
            Ok(_) => {}
        }
    }
}

/// The custom entities of an RDF/XML document and the length each expands to.
#[derive(Default)]
struct Entities {
    lengths: std::collections::HashMap<Vec<u8>, usize>,
    /// Bytes expanded so far: declarations, then uses.
    expanded: usize,
}

impl Entities {
    /// Reads `<!ENTITY name "value">` declarations as Oxigraph's parser does (each value
    /// expanded with the entities declared before it).
    fn declare(&mut self, declarations: &[u8], max: usize) -> Result<(), ()> {
        for declaration in declarations.split(|byte| *byte == b'<').skip(1) {
            let Some(rest) = declaration.strip_prefix(b"!ENTITY") else {
                continue;
            };
            let rest = rest.trim_ascii_start();
            let rest = rest.strip_prefix(b"%").unwrap_or(rest).trim_ascii_start();
            let Some(name_end) = rest.iter().position(u8::is_ascii_whitespace) else {
                continue;
            };
            let (name, rest) = rest.split_at(name_end);
            let Some(value) = rest.trim_ascii_start().strip_prefix(b"\"") else {
                continue;
            };
            let value = value.split(|byte| *byte == b'"').next().unwrap_or_default();
            let length = self.expansion(value);
            self.expanded = self.expanded.saturating_add(length);
            if length > max || self.expanded > max {
                return Err(());
            }
            self.lengths.insert(name.to_vec(), length);
        }
        Ok(())
    }

    /// The length of `text` with the entities it uses expanded.
    fn expansion(&self, text: &[u8]) -> usize {
        let mut length = text.len();
        for (_, name) in references(text) {
            if let Some(value) = self.lengths.get(name) {
                length = length.saturating_add(*value);
            }
        }
        length
    }

    /// Adds the uses of entities in the document's body; the offset of the use that passes
    /// `max`.
    fn uses(&mut self, body: &[u8], max: usize) -> Result<(), usize> {
        if self.lengths.is_empty() {
            return Ok(());
        }
        for (offset, name) in references(body) {
            if let Some(value) = self.lengths.get(name) {
                self.expanded = self.expanded.saturating_add(*value);
                if self.expanded > max {
                    return Err(offset);
                }
            }
        }
        Ok(())
    }
}

/// The `&name;` references in a text: each one's offset and name.
fn references(text: &[u8]) -> impl Iterator<Item = (usize, &[u8])> {
    // A name ends at `;`; at another `&` or a space there was none (each byte is read at most
    // twice).
    text.iter()
        .enumerate()
        .filter(|(_, byte)| **byte == b'&')
        .filter_map(|(offset, _)| {
            let rest = &text[offset + 1..];
            let end = rest
                .iter()
                .position(|byte| matches!(byte, b';' | b'&') || byte.is_ascii_whitespace())?;
            (rest[end] == b';').then(|| (offset, &rest[..end]))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth_error(syntax: Brackets, text: &str, max: usize) -> Option<(u64, u64)> {
        brackets(syntax, text.as_bytes(), max)
            .err()
            .map(|exceeded| (exceeded.line, exceeded.column))
    }

    #[test]
    fn brackets_in_strings_comments_and_iris_do_not_count() {
        let sparql = "SELECT * WHERE { ?s ?p \"((({{{\" . ?s ?p '''[[[ \"\"\" ''' # ((((\n \
                      ?s <http://x/a(((b> ?o FILTER(?o < 3 && ?o > (1)) ex:a\\( }";
        assert_eq!(depth_error(Brackets::Sparql, sparql, 3), None);
        assert_eq!(depth_error(Brackets::Sparql, sparql, 2), Some((2, 47)));
        let turtle = "@prefix : <http://x/> .\n:a :b \"\"\"(((\n[[[\"\"\" , [ :c ( 1 2 ) ] .";
        assert_eq!(depth_error(Brackets::Turtle, turtle, 2), None);
        assert_eq!(depth_error(Brackets::Turtle, turtle, 1), Some((3, 15)));
    }

    #[test]
    fn nesting_past_the_limit_is_found_where_it_happens_even_across_parts() {
        let text = format!("ASK {{\n  {}?s ?p ?o{} }}", "{ ".repeat(300), " }".repeat(300));
        assert_eq!(depth_error(Brackets::Sparql, &text, 256), Some((2, 2 * 255 + 3)));
        let mut scan = BracketScan::new(Brackets::Turtle, 3);
        assert!(scan.feed(b":a :b [ :c \"[[[").is_ok());
        assert!(scan.feed(b"[\" ; :d [ :e (").is_ok());
        let exceeded = scan.feed(b" [ ] ) ] ] .").unwrap_err();
        assert_eq!((exceeded.line, exceeded.column), (1, 31));
    }

    #[test]
    fn escaped_quotes_and_empty_strings_keep_the_scan_in_step() {
        let text = r#"ASK { FILTER("a\"((" = "" && '' = '\'' && """x""y""" = "") }"#;
        assert_eq!(depth_error(Brackets::Sparql, text, 2), None);
        assert!(depth_error(Brackets::Sparql, &format!("{text} {{{{{{"), 2).is_some());
    }

    #[test]
    fn json_counts_nesting_and_context_keys() {
        let deep = format!("{}1{}", "[".repeat(10), "]".repeat(10));
        assert!(json(deep.as_bytes(), 10, 100).is_ok());
        let exceeded = json(deep.as_bytes(), 9, 100).unwrap_err();
        assert_eq!((exceeded.limit, exceeded.column), (InputLimit::Nesting, 10));
        let document = r#"{"@context": {"a": "http://x/", "b": {"@id": "a:b"}}, "a:p": {"x": 1, "y": "{[{["}}"#;
        assert!(json(document.as_bytes(), 3, 3).is_ok());
        let exceeded = json(document.as_bytes(), 3, 2).unwrap_err();
        assert_eq!(exceeded.limit, InputLimit::JsonLdTerms);
        let escaped = r#"{"\u0040context": {"a": "http://x/", "b": "a:"}}"#;
        assert_eq!(
            json(escaped.as_bytes(), 3, 1).unwrap_err().limit,
            InputLimit::JsonLdTerms
        );
    }

    #[test]
    fn xml_counts_elements_and_entity_expansion() {
        let deep = format!("<r>{}{}</r>", "<a>".repeat(5), "</a>".repeat(5));
        assert!(xml(deep.as_bytes(), 6, 100).is_ok());
        assert_eq!(xml(deep.as_bytes(), 5, 100).unwrap_err().limit, InputLimit::Nesting);
        let mut laughs = String::from("<!DOCTYPE r [ <!ENTITY a0 \"lol\">");
        for level in 1..8 {
            let previous = format!("&a{};", level - 1).repeat(10);
            laughs.push_str(&format!("<!ENTITY a{level} \"{previous}\">"));
        }
        laughs.push_str("]><r>&a7;</r>");
        let exceeded = xml(laughs.as_bytes(), 10, 1 << 20).unwrap_err();
        assert_eq!(exceeded.limit, InputLimit::EntityExpansion);
        let uses = format!(
            "<!DOCTYPE r [ <!ENTITY owl \"http://www.w3.org/2002/07/owl#\"> ]><r>{}</r>",
            "<a b=\"&owl;x\"/>".repeat(10)
        );
        assert!(xml(uses.as_bytes(), 10, 400).is_ok());
        assert_eq!(
            xml(uses.as_bytes(), 10, 200).unwrap_err().limit,
            InputLimit::EntityExpansion
        );
    }
}
