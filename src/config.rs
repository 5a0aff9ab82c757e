//! The command line: every command and option (docs/cli.md), each option also readable from a
//! `GOVGRAPH_*` environment variable.

use crate::store::{ExportFormat, InputLimits, ResultsFormat};
use clap::builder::PossibleValue;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "govgraph",
    version,
    about = "A knowledge graph of the history of Internet governance: organizations, meetings, documents and discussion spaces, and the direct and indirect relations between them, each with its sources.",
    after_help = "Run `govgraph serve` to start the server with the bundled seed data; `govgraph COMMAND --help` describes each command."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP server (loads the ontology and the seed into an empty store first).
    Serve(Box<ServeArgs>),
    /// Bulk-load RDF files (.ttl .nt .nq .trig .rdf .owl .jsonld), all or nothing.
    Load(LoadArgs),
    /// Import entities and relations from CSV spreadsheets, all or nothing.
    Import(ImportArgs),
    /// Dump the whole dataset as RDF.
    Export(ExportArgs),
    /// Run a read-only SPARQL query (the default graph is the union of all graphs).
    Query(QueryArgs),
    /// Check data against the ontology's SHACL constraints; exits non-zero on any violation.
    Validate(ValidateArgs),
    /// Write a synthetic dataset in the project's vocabulary (same seed, same file).
    Generate(GenerateArgs),
}

impl Command {
    /// The limits on the texts this command parses.
    pub fn input_limits(&self) -> InputLimits {
        match self {
            Command::Serve(args) => args.limits.input.limits(),
            Command::Load(args) => args.input.limits(),
            Command::Query(args) => args.input.limits(),
            Command::Validate(args) => args.input.limits(),
            Command::Import(_) | Command::Export(_) | Command::Generate(_) => InputLimits::DEFAULT,
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct DataArgs {
    /// Directory of the on-disk (RocksDB) store.
    #[arg(long, env = "GOVGRAPH_DATA", default_value = "./data", value_name = "DIR")]
    pub data: PathBuf,
    /// Base of the data IRIs: entities are {base}id/{slug}, relations {base}rel/{id}. Set it to
    /// the public address of the server so that entity IRIs dereference there. Recorded in a new
    /// store; an existing store keeps its own (default: the store's, or https://w3id.org/govgraph/).
    #[arg(long, env = "GOVGRAPH_BASE_IRI", value_name = "IRI")]
    pub base_iri: Option<String>,
}

/// Running as a stateless replica over an existing SPARQL 1.1 store.
#[derive(Debug, Clone, Args)]
pub struct RemoteArgs {
    /// Serve the data of this SPARQL 1.1 query endpoint instead of an embedded store (e.g.
    /// `http://fuseki:3030/govgraph/query`). Credentials come from the environment:
    /// GOVGRAPH_SPARQL_USER and GOVGRAPH_SPARQL_PASSWORD (HTTP Basic) or GOVGRAPH_SPARQL_TOKEN
    /// (Bearer).
    #[arg(
        long,
        env = "GOVGRAPH_SPARQL_ENDPOINT",
        value_name = "URL",
        conflicts_with = "memory"
    )]
    pub sparql_endpoint: Option<String>,
    /// The store's SPARQL 1.1 update endpoint (default: the query endpoint).
    #[arg(
        long,
        env = "GOVGRAPH_SPARQL_UPDATE_ENDPOINT",
        value_name = "URL",
        requires = "sparql_endpoint"
    )]
    pub sparql_update_endpoint: Option<String>,
    /// Seconds between two polls of the store's dataset version: a write through another
    /// replica is seen here within this time.
    #[arg(long, env = "GOVGRAPH_POLL_INTERVAL", default_value_t = 2.0, value_name = "SECONDS")]
    pub poll_interval: f64,
    /// Seconds a request to the store may take; an unreachable store fails sooner (3 s to
    /// connect at most).
    #[arg(long, env = "GOVGRAPH_STORE_TIMEOUT", default_value_t = 30.0, value_name = "SECONDS")]
    pub store_timeout: f64,
    /// Triples per page when pulling the data from the store.
    #[arg(long, env = "GOVGRAPH_PAGE_SIZE", default_value_t = 100_000, value_name = "N")]
    pub page_size: usize,
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, env = "GOVGRAPH_BIND", default_value = "127.0.0.1:8080", value_name = "ADDR")]
    pub bind: SocketAddr,
    #[command(flatten)]
    pub data: DataArgs,
    /// Use a throwaway in-memory store instead of --data (nothing is persisted).
    #[arg(long, env = "GOVGRAPH_MEMORY")]
    pub memory: bool,
    #[command(flatten)]
    pub remote: RemoteArgs,
    /// Enables writes for requests carrying `Authorization: Bearer TOKEN`; without it the server
    /// is read-only.
    #[arg(long, env = "GOVGRAPH_ADMIN_TOKEN", value_name = "TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,
    /// Refuse every write (mutations, SPARQL Update, Graph Store writes), even with the token.
    #[arg(long, env = "GOVGRAPH_READ_ONLY")]
    pub read_only: bool,
    /// Do not load the bundled seed data into an empty store (the ontology is always loaded).
    #[arg(long, env = "GOVGRAPH_NO_SEED")]
    pub no_seed: bool,
    /// Room, in bytes, that writes must leave on the disk holding the store: below it a write is
    /// refused with STORAGE_FULL (HTTP 507) before it could fill the disk, and goes through again
    /// once space is freed.
    #[arg(long, env = "GOVGRAPH_MIN_FREE_SPACE", default_value_t = crate::store::DEFAULT_MIN_FREE_SPACE, value_name = "BYTES")]
    pub min_free_space: u64,
    /// Browser origins allowed to call the API from other sites (CORS), e.g.
    /// `https://yasgui.example.org`; `*` allows any. Off by default.
    #[arg(long, env = "GOVGRAPH_CORS_ORIGIN", value_delimiter = ',', value_name = "ORIGIN")]
    pub cors_origin: Vec<String>,
    /// Serve the playground from this directory (its `dist/`) instead of the bundle in the
    /// binary: for working on the playground without rebuilding govgraph.
    #[arg(long, env = "GOVGRAPH_PLAYGROUND_DIR", value_name = "DIR", hide = true)]
    pub playground_dir: Option<PathBuf>,
    /// Stop gracefully when standard input reaches its end: a supervisor (or a test) holding a
    /// pipe to the server's input can be sure the server never outlives it.
    #[arg(long, env = "GOVGRAPH_STOP_ON_STDIN_EOF")]
    pub stop_on_stdin_eof: bool,
    /// How the log on standard error is written: `text` for people (coloured only on a
    /// terminal), `json` for log collectors (one object per line, with the request's id).
    #[arg(long, env = "GOVGRAPH_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    #[command(flatten)]
    pub limits: Limits,
}

/// What one request may ask for. Exceeding a limit is a `LIMIT_EXCEEDED` error naming it.
#[derive(Debug, Clone, Copy, Args)]
pub struct Limits {
    /// Deepest GraphQL selection allowed (the standard introspection query needs about 13).
    #[arg(long, env = "GOVGRAPH_MAX_QUERY_DEPTH", default_value_t = 16, value_name = "N")]
    pub max_query_depth: usize,
    /// Highest GraphQL query complexity allowed (roughly, the number of fields it may resolve).
    #[arg(long, env = "GOVGRAPH_MAX_COMPLEXITY", default_value_t = 5_000, value_name = "N")]
    pub max_complexity: usize,
    /// Most aliases one GraphQL document may use.
    #[arg(long, env = "GOVGRAPH_MAX_ALIASES", default_value_t = 30, value_name = "N")]
    pub max_aliases: usize,
    /// Most operations in one batched GraphQL request.
    #[arg(long, env = "GOVGRAPH_MAX_BATCH", default_value_t = 10, value_name = "N")]
    pub max_batch: usize,
    /// Most GraphQL queries kept for automatic persisted queries (Apollo's APQ), at least one;
    /// past it the least recently used is forgotten (its client then sends the text again).
    #[arg(
        long,
        env = "GOVGRAPH_MAX_PERSISTED_QUERIES",
        default_value_t = 1_000,
        value_name = "N",
        value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..)
    )]
    pub max_persisted_queries: usize,
    /// Longest GraphQL query that may be persisted, in bytes (longer ones are sent as text).
    #[arg(
        long,
        env = "GOVGRAPH_MAX_PERSISTED_QUERY_LENGTH",
        default_value_t = 32 * 1024,
        value_name = "BYTES"
    )]
    pub max_persisted_query_length: usize,
    /// Longest path (in relations) `maxHops` may ask for; also the default when it is absent.
    #[arg(long, env = "GOVGRAPH_MAX_HOPS", default_value_t = 12, value_name = "N")]
    pub max_hops: usize,
    /// Most paths `paths(k:)` may ask for.
    #[arg(long, env = "GOVGRAPH_MAX_K", default_value_t = 20, value_name = "N")]
    pub max_k: usize,
    /// Most entities a subgraph may return (`limit`, and its default).
    #[arg(long, env = "GOVGRAPH_MAX_SUBGRAPH_NODES", default_value_t = 500, value_name = "N")]
    pub max_subgraph_nodes: usize,
    /// Deepest neighbourhood a subgraph may ask for.
    #[arg(long, env = "GOVGRAPH_MAX_SUBGRAPH_DEPTH", default_value_t = 4, value_name = "N")]
    pub max_subgraph_depth: usize,
    /// Most items one list field may return (`first`).
    #[arg(long, env = "GOVGRAPH_MAX_PAGE", default_value_t = 500, value_name = "N")]
    pub max_page: usize,
    /// Seconds a SPARQL query may run before it is stopped (fractions allowed).
    #[arg(
        long,
        env = "GOVGRAPH_SPARQL_TIMEOUT",
        default_value_t = 30.0,
        value_name = "SECONDS"
    )]
    pub sparql_timeout: f64,
    /// Seconds a client has to send its request headers (slow clients are cut off).
    #[arg(
        long,
        env = "GOVGRAPH_CLIENT_TIMEOUT",
        default_value_t = 10.0,
        value_name = "SECONDS"
    )]
    pub client_timeout: f64,
    /// Largest request body accepted, in bytes (SPARQL, Graph Store, GraphQL).
    #[arg(long, env = "GOVGRAPH_MAX_BODY", default_value_t = 16 * 1024 * 1024, value_name = "BYTES")]
    pub max_body: usize,
    /// Seconds a GraphQL request may run before it is answered with a timeout error (fractions allowed).
    #[arg(
        long,
        env = "GOVGRAPH_REQUEST_TIMEOUT",
        default_value_t = 30.0,
        value_name = "SECONDS"
    )]
    pub request_timeout: f64,
    #[command(flatten)]
    pub input: InputArgs,
}

/// How deep and how large the texts given to the parsers may be (SPARQL, RDF documents). Past a
/// limit a text is refused with the limit's name (HTTP 400, or 413 for length; the command line
/// prints `FILE:LINE:COLUMN` and exits non-zero) before a parser could exhaust a stack or memory.
#[derive(Debug, Clone, Copy, Args)]
pub struct InputArgs {
    /// Deepest nesting of brackets, groups and parentheses (SPARQL, Turtle, TriG), of objects and
    /// arrays (JSON-LD) and of elements (RDF/XML).
    #[arg(long, env = "GOVGRAPH_MAX_NESTING", default_value_t = InputLimits::DEFAULT.nesting, value_name = "N")]
    pub max_nesting: usize,
    /// Longest SPARQL query or update, in bytes (send bulk data with the Graph Store Protocol).
    #[arg(
        long,
        env = "GOVGRAPH_MAX_SPARQL_LENGTH",
        default_value_t = InputLimits::DEFAULT.sparql_length,
        value_name = "BYTES"
    )]
    pub max_sparql_length: usize,
    /// Most triple patterns, property-path steps and operators in one SPARQL query or update.
    #[arg(
        long,
        env = "GOVGRAPH_MAX_SPARQL_COMPLEXITY",
        default_value_t = InputLimits::DEFAULT.sparql_complexity,
        value_name = "N"
    )]
    pub max_sparql_complexity: usize,
    /// Most keys in a JSON-LD document's @context objects (term definitions expand through each
    /// other).
    #[arg(
        long,
        env = "GOVGRAPH_MAX_JSONLD_TERMS",
        default_value_t = InputLimits::DEFAULT.jsonld_terms,
        value_name = "N"
    )]
    pub max_jsonld_terms: usize,
    /// Most bytes the entities of an RDF/XML document may expand to.
    #[arg(
        long,
        env = "GOVGRAPH_MAX_ENTITY_EXPANSION",
        default_value_t = InputLimits::DEFAULT.entity_expansion,
        value_name = "BYTES"
    )]
    pub max_entity_expansion: usize,
}

impl InputArgs {
    pub fn limits(&self) -> InputLimits {
        InputLimits {
            nesting: self.max_nesting,
            sparql_length: self.max_sparql_length,
            sparql_complexity: self.max_sparql_complexity,
            jsonld_terms: self.max_jsonld_terms,
            entity_expansion: self.max_entity_expansion,
        }
    }
}

impl Default for InputArgs {
    fn default() -> Self {
        let limits = InputLimits::DEFAULT;
        Self {
            max_nesting: limits.nesting,
            max_sparql_length: limits.sparql_length,
            max_sparql_complexity: limits.sparql_complexity,
            max_jsonld_terms: limits.jsonld_terms,
            max_entity_expansion: limits.entity_expansion,
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_query_depth: 16,
            max_complexity: 5_000,
            max_aliases: 30,
            max_batch: 10,
            max_persisted_queries: 1_000,
            max_persisted_query_length: 32 * 1024,
            max_hops: 12,
            max_k: 20,
            max_subgraph_nodes: 500,
            max_subgraph_depth: 4,
            max_page: 500,
            request_timeout: 30.0,
            sparql_timeout: 30.0,
            client_timeout: 10.0,
            max_body: 16 * 1024 * 1024,
            input: InputArgs::default(),
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct LoadArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// Named graph (IRI) for the triples of triple formats; quad formats keep their own graphs.
    /// Default: https://w3id.org/govgraph/graph/{file name without extension}.
    #[arg(long, env = "GOVGRAPH_GRAPH", value_name = "IRI")]
    pub graph: Option<String>,
    /// Replace the named graphs the files write into (clear them first, in the same commit):
    /// reloads a source.
    #[arg(long, env = "GOVGRAPH_REPLACE")]
    pub replace: bool,
    /// RDF files; the format comes from the extension.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// Entities: id,label,kind[,openness,openness_note,start_date,end_date,location,aliases,description,source,quote].
    #[arg(long, env = "GOVGRAPH_ENTITIES", value_name = "FILE.csv")]
    pub entities: Option<PathBuf>,
    /// Relations: source,target,kind[,predicate,source_document,quote,confidence,inference_reason].
    #[arg(long, env = "GOVGRAPH_RELATIONS", value_name = "FILE.csv")]
    pub relations: Option<PathBuf>,
    /// Named graph (IRI) to import into.
    #[arg(
        long,
        env = "GOVGRAPH_GRAPH",
        default_value = "https://w3id.org/govgraph/graph/curated",
        value_name = "IRI"
    )]
    pub graph: String,
}

#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// Output format. nquads, trig and jsonld keep the named graphs; turtle, ntriples and rdfxml
    /// carry the union of all graphs.
    #[arg(long, env = "GOVGRAPH_EXPORT_FORMAT", value_enum, value_name = "FORMAT")]
    pub format: ExportFormat,
    /// Write to FILE instead of standard output (written whole, or not at all).
    #[arg(long, env = "GOVGRAPH_OUT", value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct QueryArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// Output format.
    #[arg(
        long,
        env = "GOVGRAPH_QUERY_FORMAT",
        value_enum,
        default_value = "table",
        value_name = "FORMAT"
    )]
    pub format: ResultsFormat,
    /// The SPARQL 1.1 query.
    #[arg(value_name = "SPARQL")]
    pub query: String,
    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(Debug, Clone, Args)]
pub struct ValidateArgs {
    /// Validate the store in this directory instead of files.
    #[arg(long, env = "GOVGRAPH_VALIDATE_DATA", value_name = "DIR", conflicts_with = "files")]
    pub data: Option<PathBuf>,
    /// RDF files to check with the ontology (default: the bundled ontology/ and seed/).
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Also print the data-quality report: per cited document, how many values and relations
    /// rest on seed quotes, public sources, inferences or a curator's word, and every inference
    /// with its confidence and reason.
    #[arg(long, env = "GOVGRAPH_VALIDATE_REPORT")]
    pub report: bool,
    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(Debug, Clone, Args)]
pub struct GenerateArgs {
    /// Number of entities.
    #[arg(long, env = "GOVGRAPH_NODES", value_name = "N")]
    pub nodes: usize,
    /// Average number of relations each entity takes part in (about N*K/2 relations in all).
    #[arg(long, env = "GOVGRAPH_DEGREE", default_value_t = 10.0, value_name = "K")]
    pub degree: f64,
    /// Random seed: the same seed gives the same file.
    #[arg(long, env = "GOVGRAPH_SEED", default_value_t = 1, value_name = "S")]
    pub seed: u64,
    /// Output file; its extension picks the format (.ttl .nt .nq .trig).
    #[arg(long, env = "GOVGRAPH_OUT", value_name = "FILE")]
    pub out: PathBuf,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limit_defaults_are_the_same_on_the_command_line_and_in_code() {
        let cli = Cli::try_parse_from(["govgraph", "serve"]).unwrap();
        let Command::Serve(args) = cli.command else {
            panic!("serve parses as serve")
        };
        let parsed = format!("{:?}", args.limits);
        assert_eq!(parsed, format!("{:?}", Limits::default()));
    }
}

// The store names its formats; the command line offers them (clap stays out of the store).
impl ValueEnum for ExportFormat {
    fn value_variants<'a>() -> &'a [Self] {
        Self::ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.name()))
    }
}

impl ValueEnum for ResultsFormat {
    fn value_variants<'a>() -> &'a [Self] {
        Self::ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.name()).help(self.description()))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}
