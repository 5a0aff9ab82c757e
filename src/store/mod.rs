//! The store: the only module that touches Oxigraph. It opens the on-disk (RocksDB) or in-memory
//! dataset, loads the bundled ontology and seed into an empty one, loads and exports RDF, runs
//! SPARQL, writes curated entities and relations, and checks the data against the ontology's
//! SHACL shapes. Everything above it speaks `crate::model` types and plain strings.

mod bundled;
mod checked;
mod curate;
mod describe;
mod description;
mod export;
mod feed;
mod jsonld;
mod limits;
mod load;
mod materialize;
mod query;
mod read;
mod remote;
mod scan;
mod shacl;
mod sparql;
mod summaries;
mod update;
mod version;
pub mod vocab;
mod write;
mod writer;

pub use checked::{CheckedQuery, CheckedUpdate, evaluation_stack, parse_query, parse_stack, parse_update};
pub use export::ExportFormat;
pub use feed::Changed;
pub use limits::{Exceeded, InputLimit, InputLimits};
pub use load::{CheckedDocuments, EXTENSIONS, LoadReport, RdfDocument};
pub use query::{QueryOutput, ResultsFormat};
pub use remote::{Credentials, RemoteConfig};
pub use shacl::{Severity, Violation};
use sparql::write_triples;
pub use sparql::{Cancellation, ProtocolDataset, QueryForm, SparqlFormat};
pub use update::GraphTarget;
pub use write::{DataFileFormat, ImportReport, RelationProperty, new_relation_id, write_rdf};

use crate::error_code::ErrorCode;
use oxigraph::model::NamedNode;
use oxigraph::store::StorageError;
use std::io;
use std::path::{Path, PathBuf};
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

/// What bringing a replica's copy up to its store did.
#[derive(Debug)]
pub enum Synced {
    /// Nothing: the copy was current (or there is no remote store).
    Current,
    /// Applied the store's change feed, which touched these.
    Applied(Changed),
    /// Pulled the whole dataset again.
    Pulled,
}

/// The govgraph dataset: an embedded Oxigraph store, or, for a replica, an in-memory copy of a
/// remote SPARQL store that every write goes to first.
#[derive(Clone)]
pub struct Store {
    inner: oxigraph::store::Store,
    remote: Option<Arc<remote::Remote>>,
    /// For a store on disk: its directory, and the room a write must leave there.
    disk: Option<Arc<Disk>>,
}

/// Where an on-disk store lives, how much room writes leave on its disk, and how many commits
/// its memtables hold.
struct Disk {
    path: PathBuf,
    reserve: std::sync::atomic::AtomicU64,
    unflushed: std::sync::atomic::AtomicU64,
}

/// Commits after which the memtables are flushed to disk. Oxigraph sizes RocksDB's memtables
/// for bulk loads (128 MiB per column family, eleven families): under a steady stream of small
/// writes they would grow for hours before RocksDB flushed them on its own, and resident memory
/// with them. Flushing a few megabytes every so many commits keeps memory flat for a few
/// milliseconds of work.
const COMMITS_PER_FLUSH: u64 = 256;

/// Room left on the disk below which writes are refused, unless set otherwise.
pub const DEFAULT_MIN_FREE_SPACE: u64 = 128 * 1024 * 1024;

impl Store {
    /// Opens (creating it if needed) the RocksDB store in `path`.
    #[cfg(feature = "rocksdb")]
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(path).map_err(|source| StoreError::DataDir {
            path: path.to_owned(),
            source,
        })?;
        // RocksDB would create its files lazily and fail later with a less helpful message.
        let probe = path.join(".govgraph-write-test");
        std::fs::write(&probe, b"")
            .and_then(|()| std::fs::remove_file(&probe))
            .map_err(|source| StoreError::DataDir {
                path: path.to_owned(),
                source,
            })?;
        let inner = oxigraph::store::Store::open(path).map_err(|source| {
            let message = source.to_string();
            if message.contains("LOCK") || message.to_ascii_lowercase().contains("lock") {
                StoreError::Locked { path: path.to_owned() }
            } else {
                StoreError::Open {
                    path: path.to_owned(),
                    source,
                }
            }
        })?;
        Ok(Self {
            inner,
            remote: None,
            disk: Some(Arc::new(Disk {
                path: path.to_owned(),
                reserve: DEFAULT_MIN_FREE_SPACE.into(),
                unflushed: 0.into(),
            })),
        })
    }

    #[cfg(not(feature = "rocksdb"))]
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        Err(StoreError::NoDiskStore { path: path.to_owned() })
    }

    /// A throwaway in-memory store.
    pub fn memory() -> Result<Self, StoreError> {
        Ok(Self {
            inner: oxigraph::store::Store::new()?,
            remote: None,
            disk: None,
        })
    }

    /// A replica's view of a remote SPARQL store: a copy of what it holds, pulled now (an empty
    /// store stays empty until `initialize`).
    pub fn connect(config: RemoteConfig) -> Result<Self, StoreError> {
        let store = Self {
            inner: oxigraph::store::Store::new()?,
            remote: Some(Arc::new(remote::Remote::new(config))),
            disk: None,
        };
        store.sync()?;
        Ok(store)
    }

    /// Sets the room writes must leave on the disk holding the store (`--min-free-space`).
    pub fn set_min_free_space(&self, bytes: u64) {
        if let Some(disk) = &self.disk {
            disk.reserve.store(bytes, std::sync::atomic::Ordering::Relaxed);
        }
    }

    /// Refuses a write while the disk holding the store has less room than the reserve: a
    /// write that fills the disk would leave RocksDB unable to write until it is reopened, while
    /// one refused here can go through as soon as space is freed.
    fn check_room(&self) -> Result<(), StoreError> {
        let Some(disk) = &self.disk else {
            return Ok(());
        };
        let reserve = disk.reserve.load(std::sync::atomic::Ordering::Relaxed);
        // A file system that cannot say how full it is is not refused for it.
        let Ok(stats) = rustix::fs::statvfs(&disk.path) else {
            return Ok(());
        };
        let available = stats.f_bavail.saturating_mul(stats.f_frsize);
        if available < reserve {
            return Err(StoreError::StorageFull(format!(
                "{} MiB left on the disk holding {}, less than the {} MiB writes must leave (--min-free-space)",
                available / (1024 * 1024),
                disk.path.display(),
                reserve / (1024 * 1024)
            )));
        }
        Ok(())
    }

    /// Counts a commit; flushes the memtables every `COMMITS_PER_FLUSH` of them.
    fn committed(&self) -> Result<(), StoreError> {
        let Some(disk) = &self.disk else {
            return Ok(());
        };
        let commits = disk.unflushed.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        if commits.is_multiple_of(COMMITS_PER_FLUSH) {
            self.flush()?;
        }
        Ok(())
    }

    /// The remote store's query endpoint, for a replica.
    pub fn remote_endpoint(&self) -> Option<&str> {
        self.remote.as_deref().map(remote::Remote::endpoint)
    }

    /// Brings a replica's copy up to the remote store's dataset version: by applying the changes
    /// the store's feed holds since the copy's version, or, when the feed cannot (the copy fell
    /// further behind than the feed reaches, a write left no entry, a write of this replica's
    /// own raced the others), by pulling the whole dataset. Fails fast when the store cannot be
    /// reached. The embedded store is always current.
    pub fn sync(&self) -> Result<Synced, StoreError> {
        let Some(remote) = &self.remote else {
            return Ok(Synced::Current);
        };
        let remote_head = remote.head()?;
        let local_head = self.head_value()?;
        // A store govgraph never wrote has no head: pulled once, then only on restart.
        let current = match &remote_head {
            Some(_) => remote_head == local_head,
            None => !self.inner.is_empty()? || remote.is_empty()?,
        };
        if current {
            return Ok(Synced::Current);
        }
        let number = |head: &Option<String>| version::change_number(head.as_deref()?);
        if let (Some(local), Some(remote_number)) = (number(&local_head), number(&remote_head))
            && remote_number > local
            && let Some(changed) = self.apply_feed(remote, local, remote_number)?
        {
            return Ok(Synced::Applied(changed));
        }
        self.pull(remote)?;
        Ok(Synced::Pulled)
    }

    /// Applies the feed's entries from change `local + 1` to at least `remote_number`, all in one
    /// transaction; `None` (nothing changed) when the feed does not hold them all or they do not
    /// lead from this copy's head.
    fn apply_feed(
        &self,
        remote: &remote::Remote,
        local: u64,
        remote_number: u64,
    ) -> Result<Option<Changed>, StoreError> {
        let entries = remote.entries_after(local)?;
        let contiguous = entries
            .iter()
            .enumerate()
            .all(|(offset, entry)| entry.number == local + 1 + offset as u64);
        if !contiguous || entries.last().is_none_or(|last| last.number < remote_number) {
            return Ok(None);
        }
        let mut changed = Changed::default();
        let mut transaction = self.inner.start_transaction()?;
        if !feed::apply(&mut transaction, &entries, &mut changed)? {
            return Ok(None);
        }
        transaction.commit()?;
        tracing::debug!(entries = entries.len(), "applied the store's change feed");
        Ok(Some(changed))
    }

    /// Replaces the copy with the whole dataset, less the feed (a copy applies changes, it does
    /// not serve them).
    fn pull(&self, remote: &remote::Remote) -> Result<(), StoreError> {
        let (pulled, _) = remote.pull()?;
        let quads = pulled.iter().filter(|quad| !quad.as_ref().is_ok_and(feed::in_feed));
        if self.inner.is_empty()? {
            // Nothing to replace atomically: load the first copy in bulk.
            let mut loader = self.inner.bulk_loader();
            loader.load_ok_quads::<StoreError, StoreError>(quads.map(|quad| Ok(quad?)))?;
            loader.commit()?;
            return Ok(());
        }
        let mut transaction = self.inner.start_transaction()?;
        transaction.clear()?;
        for quad in quads {
            transaction.insert(&quad?);
        }
        transaction.commit()?;
        Ok(())
    }

    pub fn is_empty(&self) -> Result<bool, StoreError> {
        Ok(self.inner.is_empty()?)
    }

    /// The number of quads.
    pub fn len(&self) -> Result<usize, StoreError> {
        Ok(self.inner.len()?)
    }

    /// Fixes the base of the data IRIs for this process, before anything reads or writes data:
    /// the base the store's data was written with, or `requested` (else the default) for an
    /// empty store. A base that contradicts the store's is refused: the data would not match.
    pub fn settle_base(&self, requested: Option<&str>) -> Result<&'static str, StoreError> {
        if let Some(requested) = requested {
            vocab::check_base(requested)?;
        }
        let recorded = self.recorded_base()?;
        let base = match (recorded, requested) {
            (Some(recorded), Some(requested)) if recorded != requested => {
                return Err(StoreError::BaseMismatch {
                    recorded,
                    requested: requested.to_owned(),
                });
            }
            (Some(recorded), _) => recorded,
            (None, requested) => requested.unwrap_or(vocab::DEFAULT_BASE).to_owned(),
        };
        vocab::use_base(&base)?;
        Ok(vocab::base())
    }

    /// The base recorded in the store; a store written before bases were recorded used the
    /// default one. `None` for an empty store.
    fn recorded_base(&self) -> Result<Option<String>, StoreError> {
        let recorded = self
            .inner
            .quads_for_pattern(
                Some(vocab::DATASET.into()),
                Some(vocab::GG_BASE_IRI),
                None,
                Some(vocab::META_GRAPH.into()),
            )
            .next()
            .transpose()?;
        Ok(match recorded {
            Some(quad) => match quad.object {
                oxigraph::model::Term::NamedNode(base) => Some(base.into_string()),
                _ => None,
            },
            None if self.is_empty()? => None,
            None => Some(vocab::DEFAULT_BASE.to_owned()),
        })
    }

    /// On an empty store, loads the ontology and, if `with_seed`, the seed, and records the base
    /// of the data IRIs; returns whether it did. A store that holds anything is left alone, so
    /// restarting never duplicates data.
    pub fn initialize(&self, with_seed: bool, progress: &dyn Progress) -> Result<Option<LoadReport>, StoreError> {
        if !self.is_empty()? {
            return Ok(None);
        }
        let mut checked = Self::check(Self::bundled_documents(with_seed), progress)?;
        checked.add_quad(oxigraph::model::Quad::new(
            vocab::DATASET,
            vocab::GG_BASE_IRI,
            NamedNode::new_unchecked(vocab::base()),
            vocab::META_GRAPH,
        ));
        let report = load::load(&self.inner, &checked, false, progress)?;
        if let Some(remote) = &self.remote {
            remote.push(&self.inner)?;
        }
        Ok(Some(report))
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

    /// Flushes pending writes to disk (RocksDB's write-ahead log already makes commits durable).
    pub fn flush(&self) -> Result<(), StoreError> {
        #[cfg(feature = "rocksdb")]
        self.inner.flush()?;
        Ok(())
    }

    /// Parses a graph name given by a user.
    pub fn graph_name(iri: &str) -> Result<NamedNode, StoreError> {
        NamedNode::new(iri).map_err(|error| StoreError::InvalidIri {
            iri: iri.to_owned(),
            message: error.to_string(),
        })
    }

    /// The bundled ontology and seed documents, for `govgraph validate` with no files.
    pub fn bundled_documents(with_seed: bool) -> Vec<RdfDocument> {
        let mut documents = bundled::ontology();
        if with_seed {
            documents.extend(bundled::seed());
        }
        documents
    }

    /// The bundled ontology only (always loaded before user files are validated).
    pub fn bundled_ontology() -> Vec<RdfDocument> {
        bundled::ontology()
    }
}
