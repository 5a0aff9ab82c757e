//! Loading RDF documents: check every document whole first (so a syntax error changes nothing),
//! then stream them into the store with their blank nodes skolemised and the derived triples
//! materialised, in one atomic commit.

use super::limits::{Exceeded, InputLimits};
use super::materialize::{Materializer, Schema};
use super::scan::{self, BracketScan, Brackets};
use super::version::{bulk_change_quads, hex, record_change};
use super::vocab::{GENID, GRAPH, OWL_INVERSE_OF, RDFS_SUBCLASS_OF, RDFS_SUBPROPERTY_OF, percent_encode, rebase};
use super::{Progress, StoreError};
use oxigraph::io::{RdfFormat, RdfParseError, RdfParser, RdfSyntaxError};
use oxigraph::model::{BlankNode, GraphName, NamedNode, NamedOrBlankNode, Quad, Term};
use oxigraph::store::Store;
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap, VecDeque};
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// One RDF document to load: its bytes, its format and the graph its triples go into.
pub struct RdfDocument {
    name: String,
    /// Empty for a document read from `file`.
    bytes: Cow<'static, [u8]>,
    /// Line-based formats are parsed from the file, twice (check, then load), rather than held
    /// in memory: a file of millions of relations is many gigabytes.
    file: Option<PathBuf>,
    /// The content hash, computed once (reading the whole file).
    content_key: OnceLock<String>,
    format: RdfFormat,
    default_graph: GraphName,
    /// A graph sent to a graph's address may not name other graphs.
    triples_only: bool,
    /// How deep it may nest, how far it may expand.
    limits: InputLimits,
}

/// The file extensions `govgraph load` accepts, with their formats.
pub const EXTENSIONS: &[(&str, RdfFormat)] = &[
    ("ttl", RdfFormat::Turtle),
    ("nt", RdfFormat::NTriples),
    ("nq", RdfFormat::NQuads),
    ("trig", RdfFormat::TriG),
    ("rdf", RdfFormat::RdfXml),
    ("owl", RdfFormat::RdfXml),
    (
        "jsonld",
        RdfFormat::JsonLd {
            profile: oxigraph::io::JsonLdProfileSet::empty(),
        },
    ),
];

impl RdfDocument {
    /// Reads a file, its format given by its extension. Triples (as opposed to quads) go into
    /// `graph`, or into a graph named after the file (`.../graph/{file stem}`), so that every
    /// source keeps a graph of its own and `--replace` can reload it.
    pub fn from_path(path: &Path, graph: Option<&NamedNode>, limits: InputLimits) -> Result<Self, StoreError> {
        let name = path.display().to_string();
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        let format = EXTENSIONS
            .iter()
            .find(|(candidate, _)| *candidate == extension)
            .map(|(_, format)| *format)
            .ok_or_else(|| StoreError::UnknownFormat {
                file: name.clone(),
                extension,
            })?;
        // RDF/XML and JSON-LD stay in memory: error positions need the bytes (RDF/XML) and the
        // parser wants the whole document anyway (JSON-LD).
        let streamed = matches!(
            format,
            RdfFormat::NTriples | RdfFormat::NQuads | RdfFormat::Turtle | RdfFormat::TriG
        );
        let (bytes, file) = if streamed {
            std::fs::File::open(path).map_err(|source| StoreError::Read {
                file: name.clone(),
                source,
            })?;
            (Vec::new(), Some(path.to_path_buf()))
        } else {
            let bytes = std::fs::read(path).map_err(|source| StoreError::Read {
                file: name.clone(),
                source,
            })?;
            (bytes, None)
        };
        Ok(Self {
            name,
            bytes: Cow::Owned(bytes),
            file,
            content_key: OnceLock::new(),
            format,
            default_graph: GraphName::NamedNode(graph.cloned().unwrap_or_else(|| file_graph(path))),
            triples_only: false,
            limits,
        })
    }

    /// A document compiled into the binary (the ontology and the seed).
    pub(super) fn bundled(name: &str, text: &'static str, format: RdfFormat, default_graph: GraphName) -> Self {
        Self {
            name: name.to_owned(),
            bytes: Cow::Borrowed(text.as_bytes()),
            file: None,
            content_key: OnceLock::new(),
            format,
            default_graph,
            triples_only: false,
            limits: InputLimits::DEFAULT,
        }
    }

    /// A document received over HTTP: the body of a request (or a part of a multipart one), in
    /// the format of its media type, or else of its file name's extension. Triples go into
    /// `graph`; named graphs in the body are an error.
    pub fn from_body(
        bytes: Vec<u8>,
        media_type: &str,
        file_name: Option<&str>,
        target: &super::GraphTarget,
        limits: InputLimits,
    ) -> Result<Self, StoreError> {
        let graph = target.graph_name();
        let by_extension = || {
            let (_, extension) = file_name?.rsplit_once('.')?;
            RdfFormat::from_extension(extension)
        };
        let format = RdfFormat::from_media_type(media_type)
            .or_else(by_extension)
            .filter(|format| !format.supports_datasets() || matches!(format, RdfFormat::JsonLd { .. }))
            .ok_or_else(|| StoreError::UnknownMediaType(media_type.to_owned()))?;
        Ok(Self {
            name: "request body".to_owned(),
            bytes: Cow::Owned(bytes),
            file: None,
            content_key: OnceLock::new(),
            format,
            default_graph: graph,
            triples_only: true,
            limits,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// What identifies this document's content in the change log.
    pub fn fingerprint(&self) -> String {
        self.content_key()
    }

    /// Parses the document, yielding quads or a syntax error located as `FILE:LINE:COLUMN`.
    /// A document past its nesting or expansion limits yields that error instead, before its
    /// parser reads that far.
    pub(super) fn quads(&self) -> Box<dyn Iterator<Item = Result<Quad, StoreError>> + '_> {
        if let Err(exceeded) = self.scan_in_memory() {
            return Box::new(std::iter::once(Err(self.exceeded(exceeded))));
        }
        if self.format == RdfFormat::RdfXml {
            // Oxigraph's generic parser drops RDF/XML error positions; its own parser keeps the
            // byte offset, which we turn into a line and column.
            let mut parser = oxrdfxml::RdfXmlParser::new().for_slice(&self.bytes);
            let graph = self.default_graph.clone();
            return Box::new(std::iter::from_fn(move || match parser.next()? {
                Ok(triple) => Some(Ok(triple.in_graph(graph.clone()))),
                Err(error) => {
                    let offset = usize::try_from(parser.buffer_position()).unwrap_or(usize::MAX);
                    let (line, column) = line_and_column(&self.bytes, offset);
                    Some(Err(StoreError::Syntax {
                        location: format!("{}:{line}:{column}", self.name),
                        message: error.to_string(),
                    }))
                }
            }));
        }
        let mut parser = RdfParser::from_format(self.format).with_default_graph(self.default_graph.clone());
        if self.triples_only {
            parser = parser.without_named_graphs();
        }
        if let Some(path) = &self.file {
            let file = match std::fs::File::open(path) {
                Ok(file) => file,
                Err(source) => {
                    let error = StoreError::Read {
                        file: self.name.clone(),
                        source,
                    };
                    return Box::new(std::iter::once(Err(error)));
                }
            };
            // Nesting is counted as the file streams by, before the parser reads each part.
            let scanned = Scanned {
                inner: file,
                scan: matches!(self.format, RdfFormat::Turtle | RdfFormat::TriG)
                    .then(|| BracketScan::new(Brackets::Turtle, self.limits.nesting)),
            };
            return Box::new(
                parser
                    .for_reader(BufReader::with_capacity(1 << 20, scanned))
                    .map(|result| {
                        result.map_err(|error| match error {
                            RdfParseError::Syntax(error) => self.syntax_error(error),
                            RdfParseError::Io(source) => match Scanned::<std::fs::File>::exceeded(&source) {
                                Some(exceeded) => self.exceeded(exceeded),
                                None => StoreError::Read {
                                    file: self.name.clone(),
                                    source,
                                },
                            },
                        })
                    }),
            );
        }
        Box::new(
            parser
                .for_slice(&self.bytes)
                .map(|result| result.map_err(|error| self.syntax_error(error))),
        )
    }

    /// Checks a document held in memory against its limits (files are checked as they stream).
    fn scan_in_memory(&self) -> Result<(), Exceeded> {
        if self.file.is_some() {
            return Ok(());
        }
        let limits = &self.limits;
        match self.format {
            RdfFormat::Turtle | RdfFormat::TriG => scan::brackets(Brackets::Turtle, &self.bytes, limits.nesting),
            RdfFormat::JsonLd { .. } => scan::json(&self.bytes, limits.nesting, limits.jsonld_terms),
            RdfFormat::RdfXml => scan::xml(&self.bytes, limits.nesting, limits.entity_expansion),
            _ => Ok(()),
        }
    }

    fn exceeded(&self, exceeded: Exceeded) -> StoreError {
        StoreError::LimitExceeded {
            limit: exceeded.limit,
            max: self.limits.max(exceeded.limit),
            at: super::Where::File {
                name: self.name.clone(),
                line: exceeded.line,
                column: exceeded.column,
            },
        }
    }

    fn syntax_error(&self, error: RdfSyntaxError) -> StoreError {
        let location = match error.location() {
            Some(range) => format!("{}:{}:{}", self.name, range.start.line + 1, range.start.column + 1),
            None => self.name.clone(),
        };
        StoreError::Syntax {
            location,
            message: strip_position(&error.to_string()),
        }
    }

    /// A key that differs between documents with different content, for skolem IRIs.
    fn content_key(&self) -> String {
        self.content_key
            .get_or_init(|| {
                let mut hasher = Sha256::new();
                match &self.file {
                    // The file was parsed whole before anyone asks: a read error here is one the
                    // parse would have reported, and the key then only tells this content apart.
                    Some(path) => {
                        if let Ok(mut file) = std::fs::File::open(path) {
                            let _ = std::io::copy(&mut file, &mut hasher);
                        }
                    }
                    None => hasher.update(&self.bytes),
                }
                hex(&hasher.finalize()[..8])
            })
            .clone()
    }
}

/// A file read through a bracket scan: a part nested past the limit is a read error carrying
/// where, so the parser never reads it.
struct Scanned<R> {
    inner: R,
    scan: Option<BracketScan>,
}

/// The error a [`Scanned`] read fails with.
#[derive(Debug)]
struct TooDeep(Exceeded);

impl std::fmt::Display for TooDeep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "nested too deep at line {}, column {}", self.0.line, self.0.column)
    }
}

impl std::error::Error for TooDeep {}

impl<R> Scanned<R> {
    fn exceeded(error: &std::io::Error) -> Option<Exceeded> {
        error.get_ref()?.downcast_ref::<TooDeep>().map(|too_deep| too_deep.0)
    }
}

impl<R: Read> Read for Scanned<R> {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let read = self.inner.read(buffer)?;
        if let Some(scan) = &mut self.scan {
            scan.feed(&buffer[..read])
                .map_err(|exceeded| std::io::Error::new(std::io::ErrorKind::InvalidData, TooDeep(exceeded)))?;
        }
        Ok(read)
    }
}

/// The graph of a file loaded without `--graph`.
pub fn file_graph(path: &Path) -> NamedNode {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    NamedNode::new_unchecked(format!("{GRAPH}{}", percent_encode(&stem)))
}

/// Oxigraph's messages start with their own "Parser error at line L column C: "; the location
/// is already in front of ours.
fn strip_position(message: &str) -> String {
    if message.starts_with("Parser error")
        && let Some((_, rest)) = message.split_once(": ")
    {
        return rest.to_owned();
    }
    message.to_owned()
}

fn line_and_column(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let line_start = before.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
    (line, column)
}

/// What a load did.
#[derive(Debug, Default)]
pub struct LoadReport {
    pub documents: usize,
    pub quads_read: u64,
    pub quads_derived: u64,
    /// Named graphs the documents wrote into (the default graph is not listed).
    pub graphs: BTreeSet<String>,
}

/// Replaces blank nodes by IRIs derived from the document's content and the blank node's rank of
/// appearance, so the same document always yields the same IRIs and different documents never
/// share one.
pub(super) struct Skolemizer {
    prefix: String,
    names: HashMap<BlankNode, NamedNode>,
}

impl Skolemizer {
    pub(super) fn new(document: &RdfDocument) -> Self {
        Self {
            prefix: format!("{GENID}{}-", document.content_key()),
            names: HashMap::new(),
        }
    }

    fn node(&mut self, blank: BlankNode) -> NamedNode {
        let next = self.names.len();
        self.names
            .entry(blank)
            .or_insert_with(|| NamedNode::new_unchecked(format!("{}{next}", self.prefix)))
            .clone()
    }

    /// Also moves entity and relation IRIs written under the default base to the configured one.
    pub(super) fn quad(&mut self, quad: Quad) -> Quad {
        let subject: NamedOrBlankNode = match quad.subject {
            NamedOrBlankNode::BlankNode(blank) => self.node(blank).into(),
            NamedOrBlankNode::NamedNode(node) => rebased(node).into(),
        };
        let object = match quad.object {
            Term::BlankNode(blank) => self.node(blank).into(),
            Term::NamedNode(node) => rebased(node).into(),
            other => other,
        };
        let graph_name = match quad.graph_name {
            GraphName::BlankNode(blank) => self.node(blank).into(),
            other => other,
        };
        Quad::new(subject, quad.predicate, object, graph_name)
    }
}

fn rebased(node: NamedNode) -> NamedNode {
    match rebase(node.as_str()) {
        Some(iri) => NamedNode::new_unchecked(iri),
        None => node,
    }
}

/// Documents that parsed whole, and what loading them needs to know beforehand.
pub struct CheckedDocuments {
    documents: Vec<RdfDocument>,
    /// The documents' own schema (`rdfs:subClassOf`, `rdfs:subPropertyOf`, `owl:inverseOf`),
    /// known before their data streams in.
    schema_quads: Vec<Quad>,
    graphs: BTreeSet<String>,
    quads: u64,
    /// Written with the documents, in the same commit.
    extra_quads: Vec<Quad>,
}

impl CheckedDocuments {
    /// What identifies this load in the change log: the documents' contents and how they load.
    fn fingerprint(&self, replace: bool) -> String {
        let keys: Vec<String> = self
            .documents
            .iter()
            .map(|d| format!("{}@{}", d.content_key(), d.default_graph))
            .collect();
        format!("load replace={replace} {}", keys.join(" "))
    }

    /// Adds a quad to write in the same commit as the documents.
    pub(super) fn add_quad(&mut self, quad: Quad) {
        self.extra_quads.push(quad);
    }

    /// The named graphs the documents write into.
    pub fn graphs(&self) -> &BTreeSet<String> {
        &self.graphs
    }
}

/// Parses every document whole, without touching any store: the first syntax error is
/// returned with its location.
pub fn check(documents: Vec<RdfDocument>, progress: &dyn Progress) -> Result<CheckedDocuments, StoreError> {
    let mut checked = CheckedDocuments {
        documents: Vec::new(),
        schema_quads: Vec::new(),
        graphs: BTreeSet::new(),
        quads: 0,
        extra_quads: Vec::new(),
    };
    progress.start("checking", Some(documents.len() as u64));
    for (done, document) in documents.iter().enumerate() {
        for quad in document.quads() {
            let quad = quad?;
            if [RDFS_SUBCLASS_OF, RDFS_SUBPROPERTY_OF, OWL_INVERSE_OF].contains(&quad.predicate.as_ref()) {
                checked.schema_quads.push(quad.clone());
            }
            if let GraphName::NamedNode(graph) = &quad.graph_name
                && !checked.graphs.contains(graph.as_str())
            {
                checked.graphs.insert(graph.as_str().to_owned());
            }
            checked.quads += 1;
        }
        progress.set(done as u64 + 1);
    }
    progress.finish();
    checked.documents = documents;
    Ok(checked)
}

/// Loads checked documents into `store`: all or nothing. With `replace`, the named graphs the
/// documents write into are cleared first, in the same commit.
pub fn load(
    store: &Store,
    checked: &CheckedDocuments,
    replace: bool,
    progress: &dyn Progress,
) -> Result<LoadReport, StoreError> {
    let mut report = LoadReport {
        documents: checked.documents.len(),
        quads_read: checked.quads,
        graphs: checked.graphs.clone(),
        ..LoadReport::default()
    };
    let mut schema = Schema::from_store(store)?;
    for quad in &checked.schema_quads {
        schema.observe(quad);
    }
    let documents = &checked.documents;

    let mut materializer = Materializer::new(schema.closure());
    let mut skolemized = documents.iter().flat_map(|document| {
        let mut skolemizer = Skolemizer::new(document);
        document.quads().map(move |quad| quad.map(|quad| skolemizer.quad(quad)))
    });

    progress.start("loading", Some(report.quads_read));
    if replace {
        let mut transaction = store.start_transaction()?;
        for graph in &report.graphs {
            transaction.clear_graph(NamedNode::new_unchecked(graph.as_str()).as_ref())?;
        }
        for (count, quad) in skolemized.by_ref().enumerate() {
            let quad = quad?;
            materializer.observe(&quad);
            transaction.insert(&quad);
            if count % 10_000 == 0 {
                progress.set(count as u64);
            }
        }
        let derived = materializer.finish();
        report.quads_derived = derived.len() as u64;
        transaction.extend(&derived);
        transaction.extend(&checked.extra_quads);
        record_change(&mut transaction, &checked.fingerprint(replace))?;
        transaction.commit()?;
    } else {
        let progress_total = report.quads_read;
        let mut loader = store.bulk_loader();
        // Derived quads go in right behind what they derive from, so that a large load never
        // holds them all.
        let mut ready: VecDeque<Quad> = VecDeque::new();
        let mut streamed = 0_u64;
        let with_derived = std::iter::from_fn(|| {
            if let Some(derived) = ready.pop_front() {
                streamed += 1;
                return Some(Ok(derived));
            }
            let quad = skolemized.next()?;
            if let Ok(quad) = &quad {
                materializer.observe(quad);
                ready.extend(materializer.take_ready());
            }
            Some(quad)
        });
        loader.load_ok_quads::<StoreError, StoreError>(with_derived)?;
        let mut derived = materializer.finish();
        report.quads_derived = streamed + derived.len() as u64;
        derived.extend(checked.extra_quads.iter().cloned());
        derived.extend(bulk_change_quads(store, &checked.fingerprint(replace))?);
        loader.load_quads(derived)?;
        loader.commit()?;
        progress.set(progress_total);
    }
    progress.finish();
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_lines_and_characters_from_one() {
        let text = "ab\ncé\nxyz".as_bytes();
        assert_eq!(line_and_column(text, 0), (1, 1));
        assert_eq!(line_and_column(text, 4), (2, 2));
        assert_eq!(line_and_column(text, 7), (3, 1));
    }

    #[test]
    fn oxigraph_position_prefixes_are_stripped() {
        assert_eq!(
            strip_position("Parser error at line 3 column 4: unexpected end"),
            "unexpected end"
        );
        assert_eq!(strip_position("unexpected end"), "unexpected end");
    }
}
