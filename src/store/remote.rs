//! The remote backend: an existing SPARQL 1.1 store (Fuseki, GraphDB, Virtuoso, Neptune, QLever,
//! an Oxigraph server, ...) reached with the SPARQL 1.1 Protocol only — queries and updates sent
//! by direct POST. A replica keeps a copy of the dataset in memory, pulled with paged queries and
//! pulled again whenever the store's dataset version moves; every read is answered from that
//! copy, every write is sent to the store first (see `writer`).

use super::StoreError;
use super::feed::{self, Entry};
use super::vocab::{DATASET, GG_VERSION, META_GRAPH};
use base64::Engine as _;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphName, Quad, Term};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsParser, ReaderQueryResultsParserOutput};
use std::fmt::Write as _;
use std::io::Read;
use std::time::Duration;

/// How to reach the store.
#[derive(Clone, Debug)]
pub struct RemoteConfig {
    /// The SPARQL 1.1 query endpoint.
    pub query: String,
    /// The SPARQL 1.1 update endpoint (often the same URL as the query endpoint).
    pub update: String,
    /// The longest any request to the store may take.
    pub timeout: Duration,
    /// How many triples one page of a pull asks for.
    pub page_size: usize,
    pub credentials: Option<Credentials>,
}

/// Credentials for the store, from the environment.
#[derive(Clone)]
pub enum Credentials {
    Basic { user: String, password: String },
    Bearer(String),
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Credentials::Basic { user, .. } => write!(f, "Basic({user}, ***)"),
            Credentials::Bearer(_) => f.write_str("Bearer(***)"),
        }
    }
}

impl Credentials {
    fn header(&self) -> String {
        match self {
            Credentials::Basic { user, password } => format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
            ),
            Credentials::Bearer(token) => format!("Bearer {token}"),
        }
    }
}

pub(super) struct Remote {
    config: RemoteConfig,
    agent: ureq::Agent,
}

/// A pull that saw the store change under it is retried this many times.
const PULL_ATTEMPTS: usize = 3;

impl Remote {
    pub fn new(config: RemoteConfig) -> Self {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(config.timeout))
            // An unreachable store should fail a request at once, not after the whole budget.
            .timeout_connect(Some(config.timeout.min(Duration::from_secs(3))))
            .http_status_as_error(false)
            .max_redirects(0)
            .build()
            .into();
        Self { config, agent }
    }

    pub fn endpoint(&self) -> &str {
        &self.config.query
    }

    fn unavailable(&self, url: &str, message: impl std::fmt::Display) -> StoreError {
        StoreError::Remote {
            endpoint: url.to_owned(),
            message: message.to_string(),
        }
    }

    /// POSTs `body` to `url`; the response body when the store answers 2xx.
    fn post(&self, url: &str, content_type: &str, accept: &str, body: &str) -> Result<ureq::Body, StoreError> {
        let mut request = self
            .agent
            .post(url)
            .header("content-type", content_type)
            .header("accept", accept);
        if let Some(credentials) = &self.config.credentials {
            request = request.header("authorization", credentials.header());
        }
        let mut response = request.send(body).map_err(|error| self.unavailable(url, error))?;
        let status = response.status();
        if status.is_success() {
            return Ok(response.into_body());
        }
        let detail = response
            .body_mut()
            .with_config()
            .limit(4096)
            .read_to_string()
            .unwrap_or_default();
        Err(self.unavailable(url, format!("HTTP {status}: {}", detail.trim())))
    }

    fn query(&self, sparql: &str, accept: &str) -> Result<impl Read + use<>, StoreError> {
        Ok(self
            .post(&self.config.query, "application/sparql-query", accept, sparql)?
            .into_reader())
    }

    /// The values of the first variable of a SELECT.
    fn select_column(&self, sparql: &str) -> Result<Vec<Term>, StoreError> {
        Ok(self
            .select_rows(sparql)?
            .into_iter()
            .filter_map(|row| row.into_iter().next().flatten())
            .collect())
    }

    /// The rows of a SELECT, each value by position (`None` where unbound).
    fn select_rows(&self, sparql: &str) -> Result<Vec<Vec<Option<Term>>>, StoreError> {
        let reader = self.query(sparql, "application/sparql-results+json")?;
        let parsed = QueryResultsParser::from_format(QueryResultsFormat::Json)
            .for_reader(reader)
            .map_err(|error| self.unavailable(&self.config.query, error))?;
        let ReaderQueryResultsParserOutput::Solutions(solutions) = parsed else {
            return Err(self.unavailable(&self.config.query, "expected SELECT results"));
        };
        solutions
            .map(|solution| {
                let solution = solution.map_err(|error| self.unavailable(&self.config.query, error))?;
                Ok(solution.values().to_vec())
            })
            .collect()
    }

    /// The change feed's entries after change `after`, in order (see `feed`).
    pub fn entries_after(&self, after: u64) -> Result<Vec<Entry>, StoreError> {
        let text = |term: &Option<Term>| match term {
            Some(Term::Literal(literal)) => Some(literal.value().to_owned()),
            _ => None,
        };
        let mut entries = Vec::new();
        for row in self.select_rows(&feed::entries_after(after))? {
            let [number, head, fingerprint, patch] = row.as_slice() else {
                return Err(self.unavailable(&self.config.query, "the change feed's rows have four columns"));
            };
            let entry = (|| {
                Some(Entry {
                    number: text(number)?.parse().ok()?,
                    head: text(head)?,
                    fingerprint: text(fingerprint)?,
                    patch: text(patch)?,
                })
            })();
            // A malformed entry is a gap: whoever reads past it pulls everything.
            match entry {
                Some(entry) => entries.push(entry),
                None => break,
            }
        }
        Ok(entries)
    }

    /// Runs a SPARQL 1.1 Update; the store runs one request atomically.
    pub fn update(&self, sparql: &str) -> Result<(), StoreError> {
        self.post(&self.config.update, "application/sparql-update", "*/*", sparql)
            .map(drop)
    }

    /// The dataset version's head as the store holds it (`None` in a store govgraph never wrote).
    pub fn head(&self) -> Result<Option<String>, StoreError> {
        let heads = self.select_column(&format!(
            "SELECT ?head WHERE {{ GRAPH {META_GRAPH} {{ {DATASET} {GG_VERSION} ?head }} }}"
        ))?;
        Ok(heads
            .into_iter()
            .filter_map(|term| match term {
                Term::Literal(literal) => Some(literal.value().to_owned()),
                _ => None,
            })
            .max_by_key(|head| super::version::change_number(head)))
    }

    /// Copies a whole dataset into the (empty) store: the meta graph, with the dataset version,
    /// goes last, so that a replica polling meanwhile sees no version until all the data is in.
    pub fn push(&self, source: &oxigraph::store::Store) -> Result<(), StoreError> {
        const CHUNK: usize = 5_000;
        let mut block = String::new();
        let mut in_block = 0;
        let mut meta = Vec::new();
        for quad in source.iter() {
            let quad = quad?;
            if quad.graph_name == GraphName::NamedNode(META_GRAPH.into_owned()) {
                meta.push(quad);
                continue;
            }
            append(&mut block, &quad);
            in_block += 1;
            if in_block == CHUNK {
                self.update(&format!("INSERT DATA {{\n{block}}}"))?;
                block.clear();
                in_block = 0;
            }
        }
        for quad in &meta {
            append(&mut block, quad);
        }
        self.update(&format!("INSERT DATA {{\n{block}}}"))
    }

    /// Whether the store holds no triple at all.
    pub fn is_empty(&self) -> Result<bool, StoreError> {
        let found = self.select_column("SELECT ?s WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } } LIMIT 1")?;
        Ok(found.is_empty())
    }

    /// Every quad of the store, in a new in-memory store, with the head it was read at. Read
    /// graph by graph, a page of triples at a time; if the head moved during the pull (a write
    /// landed), pulled again.
    pub fn pull(&self) -> Result<(oxigraph::store::Store, Option<String>), StoreError> {
        for _ in 0..PULL_ATTEMPTS {
            let head = self.head()?;
            let pulled = self.pull_once()?;
            if self.head()? == head {
                return Ok((pulled, head));
            }
        }
        Err(self.unavailable(
            &self.config.query,
            format!("the store kept changing during {PULL_ATTEMPTS} pulls in a row"),
        ))
    }

    fn pull_once(&self) -> Result<oxigraph::store::Store, StoreError> {
        let pulled = oxigraph::store::Store::new()?;
        let graphs = self.select_column("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")?;
        for graph in graphs {
            let Term::NamedNode(graph) = graph else { continue };
            let pattern = format!("GRAPH {graph} {{ ?s ?p ?o }}");
            self.pull_pages(&pattern, GraphName::NamedNode(graph), &pulled)?;
        }
        // The store's own default graph: what no named graph holds (in a store whose default
        // graph is the union of the named graphs, nothing).
        let default = "?s ?p ?o FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } }";
        self.pull_pages(default, GraphName::DefaultGraph, &pulled)?;
        Ok(pulled)
    }

    /// The triples matching `pattern` into `graph` of `target`, page by page. Pages are not
    /// ordered (sorting a large graph for every page would cost far more); the count check
    /// below catches a store whose unordered pages are not stable.
    fn pull_pages(&self, pattern: &str, graph: GraphName, target: &oxigraph::store::Store) -> Result<(), StoreError> {
        let mut offset = 0;
        loop {
            let page = format!(
                "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {pattern} }} LIMIT {} OFFSET {offset}",
                self.config.page_size
            );
            let reader = self.query(&page, "application/n-triples")?;
            let mut read = 0;
            let mut loader = target.bulk_loader();
            let quads = RdfParser::from_format(RdfFormat::NTriples)
                .for_reader(reader)
                .map(|triple| {
                    read += 1;
                    triple
                        .map(|triple| Quad::new(triple.subject, triple.predicate, triple.object, graph.clone()))
                        .map_err(|error| self.unavailable(&self.config.query, error))
                });
            loader.load_ok_quads::<StoreError, StoreError>(quads)?;
            loader.commit()?;
            offset += self.config.page_size;
            if read < self.config.page_size {
                break;
            }
        }
        let counted = self.select_column(&format!("SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}"))?;
        let expected = counted.first().and_then(|term| match term {
            Term::Literal(literal) => literal.value().parse::<usize>().ok(),
            _ => None,
        });
        let pulled = target.quads_for_pattern(None, None, None, Some(graph.as_ref())).count();
        if expected.is_some_and(|expected| expected != pulled) {
            return Err(self.unavailable(
                &self.config.query,
                format!(
                    "paging {pattern} gave {pulled} distinct triples where the store counts {expected:?}; the store's unordered pages are not stable: try a larger --page-size"
                ),
            ));
        }
        Ok(())
    }
}

/// A quad in the syntax of a DATA block.
pub(super) fn append(block: &mut String, quad: &Quad) {
    let _ = match &quad.graph_name {
        GraphName::NamedNode(graph) => writeln!(
            block,
            "GRAPH {graph} {{ {} {} {} }}",
            quad.subject, quad.predicate, quad.object
        ),
        _ => writeln!(block, "{} {} {} .", quad.subject, quad.predicate, quad.object),
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_become_an_authorization_header_and_never_show_in_logs() {
        let basic = Credentials::Basic {
            user: "reader".to_owned(),
            password: "s3cret:pass".to_owned(),
        };
        assert_eq!(basic.header(), "Basic cmVhZGVyOnMzY3JldDpwYXNz");
        assert!(!format!("{basic:?}").contains("s3cret"));
        let bearer = Credentials::Bearer("t0ken".to_owned());
        assert_eq!(bearer.header(), "Bearer t0ken");
        assert!(!format!("{bearer:?}").contains("t0ken"));
    }

    #[test]
    fn an_unreachable_store_fails_fast_with_its_address() {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .map(|address| address.port())
            .unwrap();
        let endpoint = format!("http://127.0.0.1:{port}/query");
        let remote = Remote::new(RemoteConfig {
            query: endpoint.clone(),
            update: endpoint.clone(),
            timeout: Duration::from_secs(30),
            page_size: 10,
            credentials: None,
        });
        match remote.head() {
            Err(StoreError::Remote { endpoint: reported, .. }) => assert_eq!(reported, endpoint),
            other => panic!("expected the store to be unavailable, got {other:?}"),
        }
    }
}
