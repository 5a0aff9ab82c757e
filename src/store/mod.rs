//! The store: the only module that touches Oxigraph. It opens the on-disk (RocksDB) or in-memory
//! dataset, loads the bundled ontology and seed into an empty one, loads and exports RDF, runs
//! SPARQL, writes curated entities and relations, and checks the data against the ontology's
//! SHACL shapes. Everything above it speaks `crate::model` types and plain strings.

mod bundled;
mod checked;
mod cited;
mod describe;
mod description;
mod disk;
mod edit;
mod export;
mod feed;
mod jsonld;
mod limits;
mod load;
mod materialize;
mod passages;
mod published;
mod quality;
mod query;
mod read;
mod remote;
mod replica;
mod scan;
mod setup;
mod shacl;
mod sparql;
mod summaries;
mod update;
mod version;
pub mod vocab;
mod write;
mod writer;

pub use checked::{CheckedQuery, CheckedUpdate, evaluation_stack, parse_query, parse_stack, parse_update};
pub use cited::CitedDocument;
pub use disk::DEFAULT_MIN_FREE_SPACE;
pub use export::ExportFormat;
pub use feed::Changed;
pub use jsonld::context as jsonld_context;
pub use limits::{Exceeded, InputLimit, InputLimits};
pub use load::{CheckedDocuments, EXTENSIONS, LoadReport, RdfDocument};
pub use passages::{Holder, Passage};
pub use published::{Described, Site, Statement, Statistics};
pub use quality::QualityReport;
pub use query::{QueryOutput, ResultsFormat};
pub use remote::{Credentials, RemoteConfig};
pub use replica::Synced;
pub use shacl::{Severity, Violation};
use sparql::write_triples;
pub use sparql::{Cancellation, ProtocolDataset, QueryForm, SparqlFormat};
pub use update::GraphTarget;
pub use write::{DataFileFormat, ImportReport, RelationProperty, new_relation_id, write_rdf};

use crate::error_code::ErrorCode;
use oxigraph::model::NamedNode;
use oxigraph::store::StorageError;
use std::io;
use std::path::PathBuf;
use std::sync::Arc;

/// Errors of the store layer. Parse errors carry their location; the API and the CLI map them
/// to a 4xx status or an exit code in one place each.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "the data directory {path} is in use by another govgraph process; stop it, or choose another --data directory"
    )]
    Locked { path: PathBuf },
    #[error("cannot open {path}: this govgraph was built without the on-disk store (feature `rocksdb`); use --memory")]
    NoDiskStore { path: PathBuf },
    #[error("cannot use {path} as the data directory: {source}")]
    DataDir { path: PathBuf, source: io::Error },
    #[error("cannot open the store in {path}: {source}")]
    Open { path: PathBuf, source: StorageError },
    #[error("{file}: {source}")]
    Read { file: String, source: io::Error },
    #[error("{file}: unknown RDF format `.{extension}` (expected one of: {})", load::EXTENSIONS.iter().map(|(e, _)| format!(".{e}")).collect::<Vec<_>>().join(" "))]
    UnknownFormat { file: String, extension: String },
    #[error("{location}: {message}")]
    Syntax { location: String, message: String },
    #[error("SPARQL syntax error{}: {message}{excerpt}", position.map(|(l, c)| format!(" at line {l}, column {c}")).unwrap_or_default())]
    QuerySyntax {
        /// 1-based line and column, when the parser gives them.
        position: Option<(usize, usize)>,
        message: String,
        /// The offending line with a caret under the column (empty without a position).
        excerpt: String,
    },
    #[error("SPARQL evaluation failed: {0}")]
    QueryEvaluation(String),
    #[error("invalid IRI `{iri}`: {message}")]
    InvalidIri { iri: String, message: String },
    #[error("unsupported SHACL in the shapes graph: {0}")]
    UnsupportedShacl(String),
    #[error(transparent)]
    Storage(StorageError),
    /// The disk (or quota) holding the store has no room left: writes fail until some is freed,
    /// reads go on.
    #[error("the disk holding the store is full ({0}); free some space and writes resume")]
    StorageFull(String),
    #[error("cannot write the output: {0}")]
    Output(#[source] io::Error),
    #[error("the query ran out of time and was stopped")]
    Cancelled,
    #[error("{0}")]
    Refused(String),
    #[error("no acceptable format for {}", match .0 { QueryForm::Results => "query results", QueryForm::Graph => "an RDF graph" })]
    NotAcceptable(QueryForm),
    #[error(transparent)]
    BaseIri(#[from] vocab::BaseIriError),
    #[error("the SPARQL store at {endpoint} is unavailable: {message}")]
    Remote { endpoint: String, message: String },
    #[error(
        "the store's data was written with the base IRI {recorded}, not {requested}; start without --base-iri (or with --base-iri {recorded}), or load the data into a new store"
    )]
    BaseMismatch { recorded: String, requested: String },
    #[error(
        "unsupported RDF media type `{0}` (send text/turtle, application/n-triples, application/rdf+xml or application/ld+json)"
    )]
    UnknownMediaType(String),
    /// A text past one of the [`InputLimits`]: refused before its parser could exhaust a stack or
    /// memory.
    #[error("{}", limit_message(*.limit, *.max, .at))]
    LimitExceeded { limit: InputLimit, max: usize, at: Where },
}

impl StoreError {
    /// Its row in the error table.
    pub fn code(&self) -> ErrorCode {
        match self {
            StoreError::Syntax { .. } | StoreError::QuerySyntax { .. } => ErrorCode::SyntaxError,
            StoreError::UnknownFormat { .. } | StoreError::UnknownMediaType(_) => ErrorCode::UnsupportedMediaType,
            StoreError::InvalidIri { .. }
            | StoreError::UnsupportedShacl(_)
            | StoreError::BaseIri(_)
            | StoreError::BaseMismatch { .. } => ErrorCode::BadRequest,
            StoreError::Refused(_) => ErrorCode::Refused,
            StoreError::NotAcceptable(_) => ErrorCode::NotAcceptable,
            StoreError::Cancelled => ErrorCode::Timeout,
            StoreError::Locked { .. } | StoreError::Remote { .. } => ErrorCode::Unavailable,
            StoreError::StorageFull(_) => ErrorCode::StorageFull,
            StoreError::LimitExceeded {
                limit: InputLimit::SparqlLength,
                ..
            } => ErrorCode::PayloadTooLarge,
            StoreError::LimitExceeded { .. } => ErrorCode::LimitExceeded,
            StoreError::Read { .. } => ErrorCode::NotFound,
            StoreError::NoDiskStore { .. }
            | StoreError::DataDir { .. }
            | StoreError::Open { .. }
            | StoreError::QueryEvaluation(_)
            | StoreError::Storage(_)
            | StoreError::Output(_) => ErrorCode::Internal,
        }
    }
}

impl From<StorageError> for StoreError {
    fn from(error: StorageError) -> Self {
        if is_storage_full(&error) {
            StoreError::StorageFull(error.to_string())
        } else {
            StoreError::Storage(error)
        }
    }
}

/// Whether a storage error says the disk is full: Oxigraph maps RocksDB's "No space left on
/// device" to `StorageFull`; an error from the file system itself carries ENOSPC or EDQUOT.
fn is_storage_full(error: &StorageError) -> bool {
    const ENOSPC: i32 = 28;
    const EDQUOT: i32 = 122;
    if let StorageError::Io(io) = error
        && (io.kind() == io::ErrorKind::StorageFull || matches!(io.raw_os_error(), Some(ENOSPC | EDQUOT)))
    {
        return true;
    }
    let message = error.to_string();
    message.contains("No space left on device") || message.contains("Disk quota exceeded")
}

/// Where in its input a text passed a limit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Where {
    /// The text as a whole (its length, its size).
    Nowhere,
    /// A position in a request's text.
    Text { line: u64, column: u64 },
    /// A position in a file (or a request body, named as such).
    File { name: String, line: u64, column: u64 },
}

fn limit_message(limit: InputLimit, max: usize, at: &Where) -> String {
    let passed = limit.passed(max);
    let option = limit.option();
    match at {
        Where::Nowhere => format!("{passed} ({option})"),
        Where::Text { line, column } => format!("{passed} at line {line}, column {column} ({option})"),
        Where::File { name, line, column } => format!("{name}:{line}:{column}: {passed} ({option})"),
    }
}

/// Reports the progress of long operations (a progress bar on a terminal, nothing elsewhere).
pub trait Progress: Send + Sync {
    fn start(&self, phase: &str, total: Option<u64>);
    fn set(&self, done: u64);
    fn finish(&self);
}

/// For callers that do not show progress.
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _: &str, _: Option<u64>) {}
    fn set(&self, _: u64) {}
    fn finish(&self) {}
}

/// The govgraph dataset: an embedded Oxigraph store, or, for a replica, an in-memory copy of a
/// remote SPARQL store that every write goes to first.
#[derive(Clone)]
pub struct Store {
    inner: oxigraph::store::Store,
    remote: Option<Arc<remote::Remote>>,
    /// For a store on disk: its directory, and the room a write must leave there.
    disk: Option<Arc<disk::Disk>>,
}

impl Store {
    /// A throwaway in-memory store.
    pub fn memory() -> Result<Self, StoreError> {
        Ok(Self {
            inner: oxigraph::store::Store::new()?,
            remote: None,
            disk: None,
        })
    }

    pub fn is_empty(&self) -> Result<bool, StoreError> {
        Ok(self.inner.is_empty()?)
    }

    /// The number of quads.
    pub fn len(&self) -> Result<usize, StoreError> {
        Ok(self.inner.len()?)
    }

    /// Parses RDF documents whole, before any store is opened or written.
    pub fn check(documents: Vec<RdfDocument>, progress: &dyn Progress) -> Result<CheckedDocuments, StoreError> {
        load::check(documents, progress)
    }

    /// Loads checked RDF documents, all or nothing.
    pub fn load(
        &self,
        checked: &CheckedDocuments,
        replace: bool,
        progress: &dyn Progress,
    ) -> Result<LoadReport, StoreError> {
        load::load(&self.inner, checked, replace, progress)
    }

    /// Writes the whole dataset in `format`.
    pub fn export(&self, format: ExportFormat, output: &mut dyn io::Write) -> Result<(), StoreError> {
        export::export(&self.inner, format, output)
    }

    /// Runs a read-only SPARQL query whose default graph is the union of all graphs.
    pub fn query(&self, checked: CheckedQuery) -> Result<QueryOutput<'_>, StoreError> {
        query::run(&self.inner, checked)
    }

    /// Checks the data against the SHACL shapes of the ontology graph.
    pub fn validate(&self) -> Result<Vec<Violation>, StoreError> {
        shacl::validate(&self.inner)
    }

    /// Parses a graph name given by a user.
    pub fn graph_name(iri: &str) -> Result<NamedNode, StoreError> {
        NamedNode::new(iri).map_err(|error| StoreError::InvalidIri {
            iri: iri.to_owned(),
            message: error.to_string(),
        })
    }
}
