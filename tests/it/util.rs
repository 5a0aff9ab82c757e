//! Test harness: runs the real binary and the real server, and prints everything needed to
//! debug a failure.

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;
use tungstenite::client::IntoClientRequest;
use tungstenite::{Message, WebSocket};

pub const BIN: &str = env!("CARGO_BIN_EXE_govgraph");

/// The output of one run of the binary.
pub struct Run {
    pub args: Vec<String>,
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn describe(&self) -> String {
        format!(
            "govgraph {}\nexit code: {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.args.join(" "),
            self.code,
            self.stdout,
            self.stderr
        )
    }

    /// Fails unless the command exited with `code` (see `govgraph::error_code`).
    #[track_caller]
    pub fn exit_code(self, code: i32) -> Self {
        assert_eq!(self.code, Some(code), "expected exit code {code}\n{}", self.describe());
        self
    }

    #[track_caller]
    pub fn success(self) -> Self {
        assert_eq!(self.code, Some(0), "expected success\n{}", self.describe());
        self
    }

    #[track_caller]
    pub fn failure(self) -> Self {
        assert!(
            self.code.is_some_and(|code| code != 0),
            "expected a failure\n{}",
            self.describe()
        );
        assert!(
            !self.stderr.contains("panicked"),
            "the binary panicked\n{}",
            self.describe()
        );
        self
    }

    #[track_caller]
    pub fn stderr_contains(self, expected: &str) -> Self {
        assert!(
            self.stderr.contains(expected),
            "stderr should contain {expected:?}\n{}",
            self.describe()
        );
        self
    }

    #[track_caller]
    pub fn stdout_contains(self, expected: &str) -> Self {
        assert!(
            self.stdout.contains(expected),
            "stdout should contain {expected:?}\n{}",
            self.describe()
        );
        self
    }
}

/// Runs `govgraph ARGS...` to completion.
pub fn govgraph<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let args: Vec<std::ffi::OsString> = args.into_iter().map(|a| a.as_ref().to_owned()).collect();
    let Output { status, stdout, stderr } = Command::new(BIN)
        .args(&args)
        .env_remove("GOVGRAPH_DATA")
        .output()
        .expect("the govgraph binary runs");
    Run {
        args: args.iter().map(|a| a.to_string_lossy().into_owned()).collect(),
        code: status.code(),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

/// A temporary directory with helpers to put files in it.
pub struct Workspace {
    pub dir: tempfile::TempDir,
}

impl Workspace {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("a temporary directory"),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn data(&self) -> String {
        self.path("data").display().to_string()
    }

    pub fn write(&self, name: &str, contents: &str) -> String {
        let path = self.path(name);
        std::fs::write(&path, contents).expect("writable temporary directory");
        path.display().to_string()
    }

    /// Runs a SPARQL query on the store and returns the first binding of the first row.
    pub fn query_value(&self, sparql: &str) -> String {
        let run = govgraph(["query", "--data", &self.data(), "--format", "tsv", sparql]).success();
        let line = run.stdout.lines().nth(1).unwrap_or_default().to_owned();
        line.split('\t').next().unwrap_or_default().trim_matches('"').to_owned()
    }

    /// The number of quads in the store.
    /// Every quad, the change log included.
    pub fn stored_quad_count(&self) -> usize {
        let value = self.query_value("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }");
        let value = value.split("^^").next().unwrap_or_default().trim_matches('"');
        value.parse().unwrap_or_else(|_| panic!("a count, not {value:?}"))
    }

    /// Quads of data: the change log (which every write extends) left out.
    pub fn quad_count(&self) -> usize {
        let value = self.query_value(
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?g != <https://w3id.org/govgraph/graph/meta>) }",
        );
        let value = value.split("^^").next().unwrap_or_default().trim_matches('"');
        value.parse().unwrap_or_else(|_| panic!("a count, not {value:?}"))
    }
}

/// What a test needs of an HTTP response.
pub struct HttpResponse {
    pub status: u16,
    pub content_type: String,
    pub allow: Option<String>,
    pub cors_origin: Option<String>,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl HttpResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// A running `govgraph serve`. A server that dies before the test is done with it fails the test:
/// `stop` wants it alive and stopping cleanly on SIGTERM, and dropping it checks it did not die
/// (only `kill_9` ends one without a clean stop, on purpose).
pub struct Server {
    child: Child,
    pub base: String,
    stderr: std::sync::Arc<std::sync::Mutex<String>>,
    /// Ended by the test (`stop`, `kill_9`): its exit is the test's doing.
    ended: bool,
}

impl Server {
    pub fn start(args: &[&str]) -> Self {
        Self::start_under(&[], args)
    }

    /// Starts the server through `wrapper`, a command that runs the rest of its arguments (the
    /// binary and its own), as `unshare ... sh -c '...; exec "$@"'` does.
    pub fn start_under(wrapper: &[&str], args: &[&str]) -> Self {
        let bind: &[&str] = if args.contains(&"--bind") {
            &[]
        } else {
            &["--bind", "127.0.0.1:0"]
        };
        let mut command = match wrapper.split_first() {
            Some((program, rest)) => {
                let mut command = Command::new(program);
                command.args(rest).arg(BIN);
                command
            }
            None => Command::new(BIN),
        };
        let mut child = command
            .arg("serve")
            .args(bind)
            .arg("--stop-on-stdin-eof")
            .args(args)
            // Servers shared through statics are never dropped: the input pipe closing when the
            // test process exits is what stops them.
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the server starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let stderr_pipe = child.stderr.take().expect("piped stderr");
        let stderr = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let sink = stderr.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr_pipe).lines().map_while(Result::ok) {
                sink.lock().expect("stderr buffer").push_str(&format!("{line}\n"));
            }
        });
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(base) = line.strip_prefix("listening on ") {
                    let _ = sender.send(base.to_owned());
                }
            }
        });
        match receiver.recv_timeout(Duration::from_secs(120)) {
            Ok(base) => Self {
                child,
                base,
                stderr,
                ended: false,
            },
            Err(_) => {
                let _ = child.kill();
                let status = child.wait().ok();
                std::thread::sleep(Duration::from_millis(200));
                panic!(
                    "the server did not print `listening on` (exit: {status:?})\n--- stderr ---\n{}",
                    stderr.lock().expect("stderr buffer")
                );
            }
        }
    }

    /// `start` with owned arguments first (a backend) and borrowed ones after.
    pub fn start_with(first: &[String], rest: &[&str]) -> Self {
        let mut args: Vec<&str> = first.iter().map(String::as_str).collect();
        args.extend_from_slice(rest);
        Self::start(&args)
    }

    pub fn get(&self, path: &str) -> (u16, String) {
        let response = self.request("GET", path, &[], None);
        (response.status, response.body)
    }

    /// Any request; the response whatever its status.
    pub fn request(&self, method: &str, path: &str, headers: &[(&str, &str)], body: Option<&str>) -> HttpResponse {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .build()
            .into();
        let uri = format!("{}{path}", self.base);
        let mut builder = ureq::http::Request::builder().method(method).uri(&uri);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        let request = builder
            .body(body.unwrap_or_default().to_owned())
            .expect("a valid request");
        let mut response = agent.run(request).expect("an HTTP response");
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let content_type = header("content-type").unwrap_or_default();
        let allow = header("allow");
        let cors_origin = header("access-control-allow-origin");
        let headers = response
            .headers()
            .iter()
            .map(|(name, value)| (name.as_str().to_owned(), value.to_str().unwrap_or_default().to_owned()))
            .collect();
        HttpResponse {
            status: response.status().as_u16(),
            content_type,
            allow,
            cors_origin,
            headers,
            body: response.body_mut().read_to_string().expect("a UTF-8 body"),
        }
    }

    /// POSTs a GraphQL query with variables as JSON; returns the parsed body.
    pub fn graphql(&self, query: &str, variables: serde_json::Value) -> serde_json::Value {
        let body = serde_json::json!({ "query": query, "variables": variables }).to_string();
        let response = self.request("POST", "/graphql", &[("content-type", "application/json")], Some(&body));
        assert_eq!(response.status, 200, "{}", response.body);
        serde_json::from_str(&response.body).expect("a JSON response")
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Whether the process has exited, and how.
    pub fn exited(&mut self) -> Option<std::process::ExitStatus> {
        self.child.try_wait().expect("the server's status can be read")
    }

    /// Fails the test if the server is no longer running.
    #[track_caller]
    pub fn assert_alive(&mut self) {
        if let Some(status) = self.exited() {
            self.ended = true;
            panic!("the server died: {status}\n--- stderr ---\n{}", self.stderr());
        }
    }

    /// Stops the server with SIGTERM, as a service manager would, and waits for it: it must
    /// still be running, and exit with status 0.
    #[track_caller]
    pub fn stop(mut self) {
        self.assert_alive();
        let pid = self.child.id().to_string();
        Command::new("kill").args(["-TERM", &pid]).status().expect("kill runs");
        let status = self.child.wait().expect("the server exits");
        self.ended = true;
        assert!(
            status.success(),
            "the server did not stop cleanly on SIGTERM: {status}\n--- stderr ---\n{}",
            self.stderr()
        );
    }

    /// Kills the server without warning (`kill -9`), as a crash or a power cut would.
    pub fn kill_9(&mut self) {
        self.assert_alive();
        let pid = self.child.id().to_string();
        Command::new("kill").args(["-KILL", &pid]).status().expect("kill runs");
        let _ = self.child.wait();
        self.ended = true;
    }

    pub fn stderr(&self) -> String {
        self.stderr.lock().expect("stderr buffer").clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let died = if self.ended { None } else { self.exited() };
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Some(status) = died
            && !std::thread::panicking()
        {
            panic!(
                "the server died during the test: {status}\n--- stderr ---\n{}",
                self.stderr()
            );
        }
    }
}

/// The project's own files, for tests that read fixtures or the seed sources.
/// `text` URL-encoded, for a query string.
pub fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

pub fn project_file(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// Whether the suites that can run against a replica over an Oxigraph server do
/// (`GOVGRAPH_IT_STORE=oxigraph`, as `make test` runs them a second time).
pub fn over_remote_store() -> bool {
    std::env::var("GOVGRAPH_IT_STORE").as_deref() == Ok("oxigraph")
}

/// A server on what `govgraph load` put into `data` (or on the seed, without): on the data
/// directory itself, or, with `over_remote_store()`, as a replica over an Oxigraph server that
/// holds the same data (the replica puts the seed into an empty one).
pub fn serve_backend(workspace: &Workspace, data: Option<&str>, rest: &[&str]) -> (Option<OxigraphServer>, Server) {
    if over_remote_store() {
        let store = match data {
            Some(data) => OxigraphServer::with_data_of(workspace, data),
            None => OxigraphServer::start(&workspace.path("oxigraph")),
        };
        let server = Server::start_with(&store.replica_args(), rest);
        return (Some(store), server);
    }
    let backend = match data {
        Some(data) => vec!["--data".to_owned(), data.to_owned()],
        None => vec!["--memory".to_owned()],
    };
    (None, Server::start_with(&backend, rest))
}

/// A server on the seed with the store behind it, if any, stopped in that order.
pub struct Backed {
    pub server: Server,
    _store: Option<OxigraphServer>,
    _workspace: Workspace,
}

impl std::ops::Deref for Backed {
    type Target = Server;

    fn deref(&self) -> &Server {
        &self.server
    }
}

/// A server on the seed (in memory, or a replica over an Oxigraph server; see `serve_backend`).
pub fn seed_server(rest: &[&str]) -> Backed {
    let workspace = Workspace::new();
    let (store, server) = serve_backend(&workspace, None, rest);
    Backed {
        server,
        _store: store,
        _workspace: workspace,
    }
}

/// A loopback port nobody listens on right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A real Oxigraph server (the `oxigraph` command of the PyPI package), the SPARQL store
/// replicas run over. Killed when dropped; its data stays in `location`.
pub struct OxigraphServer {
    child: Option<Child>,
    pub port: u16,
    location: PathBuf,
}

impl OxigraphServer {
    pub fn start(location: &std::path::Path) -> Self {
        let mut server = Self {
            child: None,
            port: free_port(),
            location: location.to_owned(),
        };
        server.restart();
        server
    }

    /// Starts it again on the same port and data.
    pub fn restart(&mut self) {
        // Through a shell that stops it when its input closes: servers held in statics are
        // never dropped, and the test process exiting closes the pipe.
        let child = Command::new("sh")
            .args([
                "-c",
                "oxigraph serve --location \"$0\" --bind \"$1\" & server=$!; cat > /dev/null; kill $server; wait $server",
            ])
            .arg(&self.location)
            .arg(format!("127.0.0.1:{}", self.port))
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the oxigraph server starts (pip install oxigraph)");
        self.child = Some(child);
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(std::time::Instant::now() < deadline, "oxigraph did not listen");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            drop(child.stdin.take());
            let _ = child.wait();
        }
    }

    /// An Oxigraph server holding what `govgraph load` put into the data directory `data`
    /// (exported as N-Quads, loaded with `oxigraph load`).
    pub fn with_data_of(workspace: &Workspace, data: &str) -> Self {
        let dump = workspace.path("dump.nq");
        govgraph([
            "export".as_ref(),
            "--data".as_ref(),
            data.as_ref(),
            "--format".as_ref(),
            "nquads".as_ref(),
            "--out".as_ref(),
            dump.as_os_str(),
        ])
        .success();
        let location = workspace.path("oxigraph");
        let output = Command::new("oxigraph")
            .args(["load", "--location"])
            .arg(&location)
            .arg("--file")
            .arg(&dump)
            .output()
            .expect("oxigraph load runs");
        assert!(
            output.status.success(),
            "oxigraph load: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        Self::start(&location)
    }

    /// The `serve` arguments of a replica over this store.
    pub fn replica_args(&self) -> Vec<String> {
        vec![
            "--sparql-endpoint".to_owned(),
            format!("http://127.0.0.1:{}/query", self.port),
            "--sparql-update-endpoint".to_owned(),
            format!("http://127.0.0.1:{}/update", self.port),
        ]
    }
}

impl Drop for OxigraphServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Waits up to 20 s for `condition`, checking every 100 ms; whether it came true.
pub fn eventually(mut condition: impl FnMut() -> bool) -> bool {
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while std::time::Instant::now() < deadline {
        if condition() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    condition()
}

/// Sends raw bytes (ureq would refuse some of these bodies).
pub fn raw_request(
    server: &Server,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> Option<(u16, String)> {
    use std::io::{Read, Write};
    let address = server.base.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(address).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(20))).ok()?;
    let body = body.unwrap_or_default();
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    // A server may answer and close before it has read everything (a body over the limit):
    // its answer is still there to read.
    let _ = stream
        .write_all(request.as_bytes())
        .and_then(|()| stream.write_all(body));
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text.split_whitespace().nth(1)?.parse().ok()?;
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_owned())
        .unwrap_or_default();
    Some((status, body))
}

/// The seed, served from memory (or put by a replica into an empty remote store); shared by
/// every test that only reads it.
pub fn seed() -> &'static Server {
    static SERVER: std::sync::OnceLock<(Workspace, Option<OxigraphServer>, Server)> = std::sync::OnceLock::new();
    let (_, _, server) = SERVER.get_or_init(|| {
        let workspace = Workspace::new();
        let (store, server) = serve_backend(&workspace, None, &[]);
        (workspace, store, server)
    });
    server
}

/// A graphql-transport-ws client, acknowledged, subscribed to `query` (as operation "1").
pub fn subscribe(server: &Server, query: &str) -> WebSocket<TcpStream> {
    let address = server.base.trim_start_matches("http://");
    let stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut request = format!("ws://{address}/graphql").into_client_request().unwrap();
    request
        .headers_mut()
        .insert("Sec-WebSocket-Protocol", "graphql-transport-ws".parse().unwrap());
    let (mut socket, response) = tungstenite::client(request, stream).unwrap();
    assert_eq!(
        response.headers().get("sec-websocket-protocol").unwrap(),
        "graphql-transport-ws"
    );
    socket
        .send(Message::text(
            serde_json::json!({ "type": "connection_init" }).to_string(),
        ))
        .unwrap();
    assert_eq!(next_message(&mut socket)["type"], "connection_ack");
    let subscription = serde_json::json!({ "id": "1", "type": "subscribe", "payload": { "query": query } });
    socket.send(Message::text(subscription.to_string())).unwrap();
    socket
}

pub fn next_message(socket: &mut WebSocket<TcpStream>) -> serde_json::Value {
    loop {
        match socket.read().expect("a message before the timeout") {
            Message::Text(text) => return serde_json::from_str(text.as_str()).unwrap(),
            Message::Ping(_) | Message::Pong(_) => continue,
            other => panic!("unexpected message {other:?}"),
        }
    }
}
