//! The commands of the command line: open the store the way each needs it, call the store or a
//! service, print the outcome. Progress bars (on a terminal only) live here, at the edge.

use crate::config::{
    Cli, Command, DataArgs, ExportArgs, GenerateArgs, ImportArgs, LoadArgs, LogFormat, QueryArgs, RemoteArgs,
    ServeArgs, ValidateArgs,
};
use crate::services::catalog::Catalog;
use crate::services::generate::Generator;
use crate::services::import::{self, ImportError};
use crate::services::snapshot;
use crate::store::{
    self, Credentials, DataFileFormat, Progress, RdfDocument, RemoteConfig, Severity, Store, StoreError,
};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::cell::Cell;
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

/// Everything that can make a command fail; `main` prints it once and exits non-zero.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Import(#[from] ImportError),
    #[error("{0}")]
    Usage(String),
    #[error("{path}: {source}")]
    File { path: PathBuf, source: io::Error },
    #[error("the server failed: {0}")]
    Serve(#[source] io::Error),
    #[error("cannot start a thread: {0}")]
    Thread(#[source] io::Error),
}

impl Error {
    /// Its row in the error table, which gives the exit status.
    pub fn code(&self) -> crate::error_code::ErrorCode {
        use crate::error_code::ErrorCode;
        match self {
            Error::Store(error) => error.code(),
            Error::Import(error) => error.code(),
            Error::Usage(_) => ErrorCode::BadRequest,
            Error::File { source, .. } if source.kind() == io::ErrorKind::NotFound => ErrorCode::NotFound,
            Error::File { .. } => ErrorCode::Internal,
            Error::Serve(_) | Error::Thread(_) => ErrorCode::Internal,
        }
    }

    /// Output piped into a program that stopped reading (`| head`) is not a failure.
    pub fn is_broken_pipe(&self) -> bool {
        let io_error = match self {
            Error::Store(StoreError::Output(error)) => error,
            Error::File { source, .. } => source,
            _ => return false,
        };
        io_error.kind() == io::ErrorKind::BrokenPipe
    }
}

pub fn run(cli: Cli) -> Result<ExitCode, Error> {
    // Parsers recurse as deep as their input nests (the JSON-LD processor, SPARQL's evaluator):
    // a command runs on a thread with the stack its limits call for.
    let stack = store::evaluation_stack(&cli.command.input_limits());
    on_thread(stack, || dispatch(cli))
}

/// Runs `work` on a thread with `stack` bytes of stack and waits for it; a panic goes on.
fn on_thread<T: Send>(stack: usize, work: impl FnOnce() -> Result<T, Error> + Send) -> Result<T, Error> {
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("govgraph".to_owned())
            .stack_size(stack)
            .spawn_scoped(scope, work)
            .map_err(Error::Thread)?
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

fn dispatch(cli: Cli) -> Result<ExitCode, Error> {
    match cli.command {
        Command::Serve(args) => serve(*args),
        Command::Load(args) => load(args),
        Command::Import(args) => import(args),
        Command::Export(args) => export(args),
        Command::Query(args) => query(args),
        Command::Validate(args) => validate(args),
        Command::Generate(args) => generate(args),
    }
}

/// A progress bar on standard error, drawn only when it is a terminal.
struct Bar(ProgressBar);

impl Bar {
    fn new() -> Self {
        Self(ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()))
    }
}

impl Progress for Bar {
    fn start(&self, phase: &str, total: Option<u64>) {
        self.0.reset();
        let template = match total {
            Some(total) => {
                self.0.set_length(total);
                "{msg:>10} [{bar:40}] {human_pos}/{human_len} ({per_sec}, {eta})"
            }
            None => "{msg:>10} {spinner} {human_pos} ({per_sec})",
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            self.0.set_style(style.progress_chars("=> "));
        }
        self.0.set_message(phase.to_owned());
    }

    fn set(&self, done: u64) {
        self.0.set_position(done);
    }

    fn finish(&self) {
        self.0.finish_and_clear();
    }
}

/// Opens a store to write into, putting the ontology into a new one.
fn open_for_writing(data: &DataArgs) -> Result<Store, Error> {
    let store = Store::open(&data.data)?;
    store.settle_base(data.base_iri.as_deref())?;
    store.initialize(false, &Bar::new())?;
    Ok(store)
}

/// Opens an existing store to read from. RocksDB cannot be read safely while another process
/// writes it, so a directory held by a running server is refused like for a writer.
fn open_for_reading(data: &DataArgs) -> Result<Store, Error> {
    if !data.data.join("CURRENT").exists() {
        return Err(Error::Usage(format!(
            "there is no govgraph store in {} (start `govgraph serve` or run `govgraph load` first, or pass --data)",
            data.data.display()
        )));
    }
    let store = Store::open(&data.data)?;
    store.settle_base(data.base_iri.as_deref())?;
    Ok(store)
}

fn serve(args: ServeArgs) -> Result<ExitCode, Error> {
    let filter = tracing_subscriber::EnvFilter::try_from_env("GOVGRAPH_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let log = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(io::stderr)
        // When stderr is gone (a supervisor that died), a log line must not become a panic:
        // reporting the failed write would print to stderr again and panic.
        .log_internal_errors(false);
    match args.log_format {
        // Colours only for a person at a terminal: not in a file, a journal or a container log.
        LogFormat::Text => log.with_ansi(io::IsTerminal::is_terminal(&io::stderr())).init(),
        // The request's span (its id, method and route) goes with every line logged inside it.
        LogFormat::Json => log.json().with_current_span(true).with_span_list(false).init(),
    }
    let purging = PurgingWhileStarting::begin();
    let store = if let Some(config) = remote_config(&args.remote)? {
        tracing::info!(endpoint = %config.query, "replica: pulling the data of the SPARQL store");
        Store::connect(config)?
    } else if args.memory {
        Store::memory()?
    } else {
        Store::open(&args.data.data)?
    };
    store.settle_base(args.data.base_iri.as_deref())?;
    store.set_min_free_space(args.min_free_space);
    match store.initialize(!args.no_seed, &Bar::new())? {
        Some(report) => tracing::info!(
            quads = report.quads_read + report.quads_derived,
            graphs = report.graphs.len(),
            "empty store: loaded the ontology{}",
            if args.no_seed { "" } else { " and the seed" }
        ),
        // No quad count: counting scans the whole store, minutes at a billion quads.
        None => tracing::info!(data = %args.data.data.display(), "opened the existing store"),
    }
    let data_dir = (!args.memory && store.remote_endpoint().is_none()).then(|| args.data.data.clone());
    let opened = Catalog::open(&store, data_dir.as_deref())?;
    let catalog = opened.catalog;
    // A first start ends where a restart begins: without the caches the reading filled.
    let store = if opened.read_the_store { store.reopen()? } else { store };
    purging.end_after(Duration::from_secs(30));
    let opened_version = catalog.version.clone();
    let mut state = crate::api::AppState::new(store.clone(), catalog, args.limits, args.admin_token);
    state.playground_dir = args.playground_dir;
    state.read_only = args.read_only;
    state.data_dir = data_dir.clone();
    state.origins = crate::api::Origins::new(args.cors_origin);
    if store.remote_endpoint().is_some() {
        state.poll_interval = Some(seconds("--poll-interval", args.remote.poll_interval)?);
    }
    let current = Arc::clone(&state.catalog);
    crate::api::serve(state, args.bind, args.stop_on_stdin_eof).map_err(Error::Serve)?;
    store.flush()?;
    // Writes since the start made the snapshot stale: save the final read model for the next one.
    let last = current.load_full();
    if let Some(data_dir) = data_dir
        && last.version != opened_version
    {
        last.save_snapshot(&snapshot::path(&data_dir));
    }
    Ok(ExitCode::SUCCESS)
}

/// jemalloc gives freed memory back to the system only while the program allocates, unless its
/// background thread does it. A start frees much of what it took (reading the whole store: a
/// server kept 732 MiB against a restart's 105 at 100k entities) and may then go idle, so the
/// thread runs from the start until well after it (jemalloc purges what has been free for ten
/// seconds); under load it would cost about 5 % of throughput, and allocation purges anyway.
/// `MALLOC_CONF` in the environment leaves jemalloc to it.
struct PurgingWhileStarting {
    began: bool,
}

impl PurgingWhileStarting {
    fn begin() -> Self {
        #[cfg(all(feature = "rocksdb", target_os = "linux"))]
        if std::env::var_os("MALLOC_CONF").is_none() {
            return Self {
                began: tikv_jemalloc_ctl::background_thread::write(true).is_ok(),
            };
        }
        Self { began: false }
    }

    fn end_after(self, delay: Duration) {
        #[cfg(all(feature = "rocksdb", target_os = "linux"))]
        if self.began {
            std::thread::spawn(move || {
                std::thread::sleep(delay);
                let _ = tikv_jemalloc_ctl::background_thread::write(false);
            });
        }
        #[cfg(not(all(feature = "rocksdb", target_os = "linux")))]
        let _ = (self.began, delay);
    }
}

fn seconds(option: &str, value: f64) -> Result<Duration, Error> {
    Duration::try_from_secs_f64(value)
        .ok()
        .filter(|duration| !duration.is_zero())
        .ok_or_else(|| Error::Usage(format!("{option} must be a positive number of seconds, not {value}")))
}

/// How to reach a replica's SPARQL store, if serving one.
fn remote_config(args: &RemoteArgs) -> Result<Option<RemoteConfig>, Error> {
    let Some(query) = args.sparql_endpoint.clone() else {
        return Ok(None);
    };
    for url in std::iter::once(&query).chain(&args.sparql_update_endpoint) {
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(Error::Usage(format!(
                "the SPARQL endpoint `{url}` is not an http(s) URL"
            )));
        }
    }
    if args.page_size == 0 {
        return Err(Error::Usage("--page-size must be at least 1".to_owned()));
    }
    let variable = |name: &str| std::env::var(name).ok().filter(|value| !value.is_empty());
    let credentials = match (
        variable("GOVGRAPH_SPARQL_USER"),
        variable("GOVGRAPH_SPARQL_PASSWORD"),
        variable("GOVGRAPH_SPARQL_TOKEN"),
    ) {
        (_, _, Some(token)) => Some(Credentials::Bearer(token)),
        (Some(user), password, None) => Some(Credentials::Basic {
            user,
            password: password.unwrap_or_default(),
        }),
        _ => None,
    };
    Ok(Some(RemoteConfig {
        update: args.sparql_update_endpoint.clone().unwrap_or_else(|| query.clone()),
        query,
        timeout: seconds("--store-timeout", args.store_timeout)?,
        page_size: args.page_size,
        credentials,
    }))
}

fn load(args: LoadArgs) -> Result<ExitCode, Error> {
    let graph = args.graph.as_deref().map(Store::graph_name).transpose()?;
    // Read and check the files before touching the data directory.
    let documents = args
        .files
        .iter()
        .map(|path| RdfDocument::from_path(path, graph.as_ref(), args.input.limits()))
        .collect::<Result<Vec<_>, _>>()?;
    let checked = Store::check(documents, &Bar::new())?;
    let store = open_for_writing(&args.data)?;
    let report = store.load(&checked, args.replace, &Bar::new())?;
    leave_catalog(&store, &args.data)?;
    println!(
        "loaded {} quads (and {} derived) from {} file{}{}",
        report.quads_read,
        report.quads_derived,
        report.documents,
        if report.documents == 1 { "" } else { "s" },
        if report.graphs.is_empty() {
            String::new()
        } else {
            format!(" into {}", report.graphs.iter().cloned().collect::<Vec<_>>().join(", "))
        }
    );
    Ok(ExitCode::SUCCESS)
}

fn import(args: ImportArgs) -> Result<ExitCode, Error> {
    for path in args.entities.iter().chain(&args.relations) {
        if !path.is_file() {
            return Err(Error::File {
                path: path.clone(),
                source: io::Error::new(io::ErrorKind::NotFound, "no such file"),
            });
        }
    }
    let store = open_for_writing(&args.data)?;
    let report = import::import(
        &store,
        args.entities.as_deref(),
        args.relations.as_deref(),
        &args.graph,
        &Bar::new(),
    )?;
    leave_catalog(&store, &args.data)?;
    println!(
        "imported {} entities and {} relations ({} quads) into {}",
        report.entities, report.relations, report.quads, args.graph
    );
    Ok(ExitCode::SUCCESS)
}

/// Leaves the read model of what `load` or `import` wrote beside the store, as a snapshot at the
/// store's new version: the next `serve` starts from it instead of reading every entity and
/// relation (minutes at a million entities).
fn leave_catalog(store: &Store, data: &DataArgs) -> Result<(), Error> {
    let bar = Bar::new();
    bar.start("read model", None);
    let catalog = Catalog::load(store)?;
    let file = snapshot::path(&data.data);
    // The data is in: a snapshot that cannot be written only costs the next start its time.
    if let Err(error) = catalog.write_snapshot(&file) {
        eprintln!(
            "warning: {}: {error} (the next start reads the store instead)",
            file.display()
        );
    }
    bar.finish();
    Ok(())
}

/// Writes to `path` through a temporary file renamed at the end, so a failed write leaves
/// nothing half-written; without a path, writes to standard output.
fn write_output(path: Option<&Path>, write: impl FnOnce(&mut dyn Write) -> Result<(), Error>) -> Result<(), Error> {
    let Some(path) = path else {
        let stdout = io::stdout();
        let mut output = BufWriter::new(stdout.lock());
        write(&mut output)?;
        return output
            .flush()
            .map_err(|source| Error::Store(StoreError::Output(source)));
    };
    let file_error = |source| Error::File {
        path: path.to_owned(),
        source,
    };
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".tmp");
    let temporary = PathBuf::from(temporary);
    let file = fs::File::create(&temporary).map_err(file_error)?;
    let mut output = BufWriter::new(file);
    let result = write(&mut output).and_then(|()| {
        output.flush().map_err(file_error)?;
        fs::rename(&temporary, path).map_err(file_error)
    });
    if result.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    result
}

fn export(args: ExportArgs) -> Result<ExitCode, Error> {
    let store = open_for_reading(&args.data)?;
    write_output(args.out.as_deref(), |output| Ok(store.export(args.format, output)?))?;
    Ok(ExitCode::SUCCESS)
}

fn query(args: QueryArgs) -> Result<ExitCode, Error> {
    // Opened first: it settles the base of the data IRIs, which the `id:` prefix names.
    let store = open_for_reading(&args.data)?;
    let limits = args.input.limits();
    let text = &args.query;
    let checked = on_thread(store::parse_stack(text.len()), || {
        Ok(store::parse_query(text, &limits)?)
    })?;
    let results = store.query(checked)?;
    write_output(None, |output| Ok(results.write(args.format, output)?))?;
    Ok(ExitCode::SUCCESS)
}

fn validate(args: ValidateArgs) -> Result<ExitCode, Error> {
    let store = match &args.data {
        Some(data) => open_for_reading(&DataArgs {
            data: data.clone(),
            base_iri: None,
        })?,
        None => {
            let mut documents = if args.files.is_empty() {
                Store::bundled_documents(true)
            } else {
                Store::bundled_ontology()
            };
            for path in &args.files {
                documents.push(RdfDocument::from_path(path, None, args.input.limits())?);
            }
            let checked = Store::check(documents, &store::NoProgress)?;
            let store = Store::memory()?;
            store.load(&checked, false, &store::NoProgress)?;
            store
        }
    };
    let results = store.validate()?;
    for result in &results {
        println!("{result}");
    }
    if args.report {
        print!("{}", store.quality_report()?);
    }
    let violations = results.iter().filter(|r| r.severity == Severity::Violation).count();
    let warnings = results.len() - violations;
    let what = match (&args.data, args.files.is_empty()) {
        (Some(data), _) => format!("the store in {}", data.display()),
        (None, true) => "the bundled ontology and seed".to_owned(),
        (None, false) => format!(
            "{} file{}",
            args.files.len(),
            if args.files.len() == 1 { "" } else { "s" }
        ),
    };
    eprintln!(
        "{what}: {violations} violation{}, {warnings} warning{}",
        plural(violations),
        plural(warnings)
    );
    Ok(if violations == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}

fn generate(args: GenerateArgs) -> Result<ExitCode, Error> {
    let extension = args.out.extension().and_then(|e| e.to_str()).unwrap_or("");
    let format = DataFileFormat::from_extension(extension).ok_or_else(|| {
        Error::Usage(format!(
            "{}: unknown output format `.{extension}` (expected .ttl, .nt, .nq or .trig)",
            args.out.display()
        ))
    })?;
    if !(args.degree.is_finite() && args.degree >= 0.0) {
        return Err(Error::Usage(format!(
            "--degree must be a non-negative number, not {}",
            args.degree
        )));
    }
    let generator = Generator::new(args.nodes, args.degree, args.seed);
    let bar = Bar::new();
    bar.start("generating", None);
    let (entities, relations) = (Cell::new(0_u64), Cell::new(0_u64));
    let tick = |counter: &Cell<u64>| {
        counter.set(counter.get() + 1);
        let done = entities.get() + relations.get();
        if done % 10_000 == 0 {
            bar.set(done);
        }
    };
    write_output(Some(&args.out), |output| {
        Ok(store::write_rdf(
            format,
            generator.entities().inspect(|_| tick(&entities)),
            generator.relations().inspect(|_| tick(&relations)),
            output,
        )?)
    })?;
    bar.finish();
    println!(
        "wrote {} entities and {} relations to {}",
        entities.get(),
        relations.get(),
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}
