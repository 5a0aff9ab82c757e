//! GraphQL over HTTP: `POST /graphql` (JSON, one operation or a batch) and `GET /graphql`
//! (queries only), content negotiation between `application/graphql-response+json` and
//! `application/json`, the status codes of the GraphQL-over-HTTP specification, automatic
//! persisted queries (`persisted.rs`), the batch limit and the request timeout.

use super::RequestData;
use super::errors::{internal, limit_exceeded, with_code};
use super::persisted::{self, Hash};
use super::variables::RequestedOperation;
use crate::api::AppState;
use crate::api::timing::{Phase, SERVER_TIMING, Timing};
use crate::error_code::ErrorCode;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use async_graphql::parser::types::{ExecutableDocument, OperationType};
use async_graphql::{BatchRequest, Request, Response, ServerError, Variables};
use serde::Deserialize;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

/// Set when a request got past parsing and validation: only then is there a `data` entry, and
/// only then does `application/graphql-response+json` answer 200.
#[derive(Clone, Default)]
pub struct Executed(Arc<AtomicBool>);

impl Executed {
    pub fn mark(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    fn get(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum MediaType {
    GraphQLResponse,
    Json,
}

impl MediaType {
    fn content_type(self) -> HeaderValue {
        HeaderValue::from_static(match self {
            MediaType::GraphQLResponse => "application/graphql-response+json; charset=utf-8",
            MediaType::Json => "application/json; charset=utf-8",
        })
    }
}

/// The response type the client accepts best; `application/json` when it does not say, or
/// accepts anything.
fn negotiate(request: &HttpRequest) -> Option<MediaType> {
    let Some(accept) = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|value| value.to_str().ok())
    else {
        return Some(MediaType::Json);
    };
    let mut best: Option<(f32, MediaType)> = None;
    for item in accept.split(',') {
        let mut parts = item.split(';').map(str::trim);
        let media = parts.next().unwrap_or_default().to_ascii_lowercase();
        let quality = parts
            .find_map(|parameter| parameter.strip_prefix("q="))
            .and_then(|q| q.parse::<f32>().ok())
            .unwrap_or(1.0);
        let candidate = match media.as_str() {
            GRAPHQL_RESPONSE => MediaType::GraphQLResponse,
            "application/json" | "application/*" | "*/*" => MediaType::Json,
            _ => continue,
        };
        // Prefer the GraphQL response type when it ties with JSON.
        let better = match best {
            None => true,
            Some((q, current)) => {
                quality > q || (quality == q && candidate == MediaType::GraphQLResponse && current == MediaType::Json)
            }
        };
        if quality > 0.0 && better {
            best = Some((quality, candidate));
        }
    }
    best.map(|(_, media)| media)
}

/// An error response for a request that could not be read, in the negotiated type.
fn request_error(media: MediaType, status: StatusCode, code: ErrorCode, message: String) -> HttpResponse {
    let body = serde_json::json!({ "errors": [{ "message": message, "extensions": { "code": code.as_str() } }] });
    HttpResponse::build(status)
        .insert_header((header::CONTENT_TYPE, media.content_type()))
        .body(body.to_string())
}

fn not_acceptable() -> HttpResponse {
    HttpResponse::NotAcceptable().json(serde_json::json!({
        "error": {
            "code": ErrorCode::NotAcceptable.as_str(),
            "message": format!("/graphql answers {GRAPHQL_RESPONSE} or application/json"),
        }
    }))
}

/// A request refused before it ran, for a persisted query that cannot be read or found. An
/// unknown hash is 200 whatever the client accepts, as Apollo Server answers it: Apollo's link
/// then sends the query's text, where a 400 would make it stop persisting queries at all. Never
/// stored, so that the same request finds the query once the client has sent it.
fn refused(media: MediaType, error: async_graphql::Error) -> HttpResponse {
    let not_found = error.message == persisted::NOT_FOUND_MESSAGE;
    let status = if not_found {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    HttpResponse::build(status)
        .insert_header((header::CONTENT_TYPE, media.content_type()))
        .insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .body(serde_json::json!({ "errors": [unplaced(error)] }).to_string())
}

/// An error about the request as a whole: no location in the document.
fn unplaced(error: async_graphql::Error) -> ServerError {
    ServerError {
        extensions: error.extensions,
        ..ServerError::new(error.message, None)
    }
}

/// `GET /graphql?query=...&variables=...&operationName=...&extensions=...`.
#[derive(Deserialize)]
pub struct GetParams {
    query: Option<String>,
    variables: Option<String>,
    #[serde(rename = "operationName")]
    operation_name: Option<String>,
    /// JSON, as in a POST body: `{"persistedQuery": {...}}` for an automatic persisted query.
    extensions: Option<String>,
}

/// The request a `GET`'s parameters make, or why they do not make one.
fn get_request(params: GetParams) -> Result<Request, String> {
    let mut graphql = Request::new(params.query.unwrap_or_default());
    if let Some(variables) = params.variables {
        let value = serde_json::from_str::<serde_json::Value>(&variables)
            .map_err(|error| format!("`variables` is not JSON: {error}"))?;
        graphql = graphql.variables(Variables::from_json(value));
    }
    if let Some(extensions) = params.extensions {
        graphql.extensions =
            serde_json::from_str(&extensions).map_err(|error| format!("`extensions` is not a JSON object: {error}"))?;
    }
    if let Some(name) = params.operation_name {
        graphql = graphql.operation_name(name);
    }
    if graphql.query.is_empty() && !persisted::carries(&graphql) {
        return Err("the `query` parameter is missing".to_owned());
    }
    Ok(graphql)
}

/// `GET /graphql`: a WebSocket upgrade starts a subscription (graphql-transport-ws, or the
/// older graphql-ws); anything else is a query.
pub async fn get_or_subscribe(
    request: HttpRequest,
    payload: web::Payload,
    params: web::Query<GetParams>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let upgrade = request
        .headers()
        .get(header::UPGRADE)
        .and_then(|value| value.to_str().ok());
    if upgrade.is_some_and(|value| value.eq_ignore_ascii_case("websocket")) {
        if let Err(refused) = state.origins.allow(&request) {
            return request_error(MediaType::Json, StatusCode::FORBIDDEN, ErrorCode::Forbidden, refused);
        }
        return match async_graphql_actix_web::GraphQLSubscription::new(state.schema.clone()).start(&request, payload) {
            Ok(response) => response,
            Err(error) => request_error(
                MediaType::Json,
                StatusCode::BAD_REQUEST,
                ErrorCode::BadRequest,
                error.to_string(),
            ),
        };
    }
    get(request, params, state).await
}

async fn get(request: HttpRequest, params: web::Query<GetParams>, state: web::Data<AppState>) -> HttpResponse {
    let Some(media) = negotiate(&request) else {
        // A browser opening /graphql wants the playground, with its query.
        let accept = request
            .headers()
            .get(header::ACCEPT)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default();
        if accept.contains("text/html") {
            let query = request.query_string();
            let location = if query.is_empty() {
                "/playground".to_owned()
            } else {
                format!("/playground?{query}")
            };
            return HttpResponse::Found()
                .insert_header((header::LOCATION, location))
                .finish();
        }
        return not_acceptable();
    };
    let mut graphql = match get_request(params.into_inner()) {
        Ok(graphql) => graphql,
        Err(message) => return request_error(media, StatusCode::BAD_REQUEST, ErrorCode::BadRequest, message),
    };
    let keep = match state.persisted_queries.resolve(&mut graphql) {
        Ok(keep) => keep,
        Err(error) => return refused(media, error),
    };
    if is_mutation(&graphql.query, graphql.operation_name.as_deref()) {
        let mut response = request_error(
            media,
            StatusCode::METHOD_NOT_ALLOWED,
            ErrorCode::BadRequest,
            "mutations must be sent with POST".to_owned(),
        );
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("POST"));
        return response;
    }
    respond_single(media, execute(&state, &request, graphql, keep).await)
}

/// Whether the operation to run is a mutation (GET may only read). Unparseable queries are left
/// to the executor, which reports them properly.
fn is_mutation(query: &str, operation_name: Option<&str>) -> bool {
    async_graphql::parser::parse_query(query).is_ok_and(|document| runs_mutation(&document, operation_name))
}

fn runs_mutation(document: &ExecutableDocument, operation_name: Option<&str>) -> bool {
    document.operations.iter().any(|(name, operation)| {
        let selected = match (operation_name, name) {
            (Some(wanted), Some(name)) => wanted == name.as_str(),
            (Some(_), None) => false,
            (None, _) => true,
        };
        selected && operation.node.ty == OperationType::Mutation
    })
}

pub async fn post(request: HttpRequest, body: web::Bytes, state: web::Data<AppState>) -> HttpResponse {
    let Some(media) = negotiate(&request) else {
        return not_acceptable();
    };
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    if !content_type.to_ascii_lowercase().starts_with("application/json") {
        return request_error(
            media,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::BadRequest,
            format!("send the request as application/json (got `{content_type}`)"),
        );
    }
    let batch: BatchRequest = match serde_json::from_slice(&body) {
        Ok(batch) => batch,
        Err(error) => {
            return request_error(
                media,
                StatusCode::BAD_REQUEST,
                ErrorCode::BadRequest,
                format!("the body is not a GraphQL request: {error}"),
            );
        }
    };
    // async-graphql reads a missing `query` as an empty one; a request without a document (nor
    // a persisted query's hash) is malformed (GraphQL over HTTP: 400), not a document that fails
    // to parse (200 with errors).
    let missing = |graphql: &Request| graphql.query.trim().is_empty() && !persisted::carries(graphql);
    let missing_query = match &batch {
        BatchRequest::Single(graphql) => missing(graphql),
        BatchRequest::Batch(requests) => requests.iter().any(missing),
    };
    if missing_query {
        return request_error(
            media,
            StatusCode::BAD_REQUEST,
            ErrorCode::BadRequest,
            "the request has no `query` (a GraphQL document as a string)".to_owned(),
        );
    }
    match batch {
        BatchRequest::Single(mut graphql) => match state.persisted_queries.resolve(&mut graphql) {
            Ok(keep) => respond_single(media, execute(&state, &request, graphql, keep).await),
            Err(error) => refused(media, error),
        },
        BatchRequest::Batch(requests) => {
            let max = state.limits.max_batch;
            if requests.len() > max {
                let error = limit_exceeded(
                    "batch",
                    max,
                    format!("the batch has {} operations; the limit is {max}", requests.len()),
                );
                let body = serde_json::json!({ "errors": [error.into_server_error(Default::default())] });
                return HttpResponse::BadRequest()
                    .insert_header((header::CONTENT_TYPE, media.content_type()))
                    .body(body.to_string());
            }
            let mut responses = Vec::with_capacity(requests.len());
            for mut graphql in requests {
                let body = match state.persisted_queries.resolve(&mut graphql) {
                    Ok(keep) => body_of(execute(&state, &request, graphql, keep).await),
                    Err(error) => serde_json::json!({ "errors": [unplaced(error)] }),
                };
                responses.push(body);
            }
            HttpResponse::Ok()
                .insert_header((header::CONTENT_TYPE, media.content_type()))
                .body(serde_json::Value::Array(responses).to_string())
        }
    }
}

/// Runs one operation against the current catalog, within the request timeout; keeps its text
/// under `persist` (a persisted query's checked hash) if it got past validation.
async fn execute(state: &AppState, request: &HttpRequest, mut graphql: Request, persist: Option<Hash>) -> Outcome {
    let executed = Executed::default();
    let persist = persist.map(|hash| (hash, graphql.query.clone()));
    let parsed = state.parsed_queries.get(&graphql.query);
    let remember = parsed.is_none().then(|| graphql.query.clone());
    let operation = graphql.operation_name.as_deref();
    let mutation = match &parsed {
        Some(document) => runs_mutation(document, operation),
        None => is_mutation(&graphql.query, operation),
    };
    if let Some(document) = parsed {
        graphql.set_parsed_query(document);
    }
    let catalog = state.catalog.load_full();
    let mut data = RequestData::new(catalog, state.store.clone(), state.limits);
    data.state = Some(state.clone());
    data.authorization = crate::api::write::authorize(request, state);
    data.citing.query = Some(graphql.query.clone());
    // A mutation cannot be asked again by GET: its citations name the dataset instead.
    if !mutation {
        let variables = serde_json::to_value(&graphql.variables).ok();
        data.citing.url = Some(crate::services::cite::query_url(
            &crate::api::id::site_root(request),
            &graphql.query,
            variables.as_ref(),
            graphql.operation_name.as_deref(),
        ));
    }
    let data = std::sync::Arc::new(data);
    let requested = RequestedOperation(graphql.operation_name.clone());
    let timing = data.timing.clone();
    let graphql = graphql
        .data(data.clone())
        .data(executed.clone())
        .data(requested)
        .data(timing.clone());
    let timeout = Duration::try_from_secs_f64(state.limits.request_timeout).unwrap_or(Duration::MAX);
    let schema = state.schema.clone();
    let execution = async move { schema.execute(graphql).await };
    let finished = if data.authorization.is_ok() {
        // A writer's request runs to its end even if the client goes away or the timeout answers
        // first, so that a document of several mutations is never cut between two writes.
        // In the request's span, so that what the writes log carries the request's id.
        let execution = tracing::Instrument::in_current_span(execution);
        match tokio::time::timeout(timeout, tokio::spawn(execution)).await {
            Ok(Ok(response)) => Ok(response),
            Ok(Err(failed)) => Ok(Response::from_errors(vec![
                internal(format!("the request failed: {failed}")).into_server_error(Default::default()),
            ])),
            Err(elapsed) => Err(elapsed),
        }
    } else {
        tokio::time::timeout(timeout, execution).await
    };
    let response = match finished {
        Ok(response) => response,
        Err(_) => {
            let seconds = state.limits.request_timeout;
            let error: ServerError = limit_exceeded(
                "requestTimeout",
                seconds as usize,
                format!("the request took longer than {seconds} s"),
            )
            .into_server_error(Default::default());
            Response::from_errors(vec![error])
        }
    };
    // Every response names the data it was computed from (after this request's own writes), so
    // that a result can be cited.
    if let Some(query) = remember
        && response.errors.is_empty()
    {
        state.parsed_queries.remember(&query);
    }
    if let Some((hash, query)) = persist
        && executed.get()
    {
        state.persisted_queries.remember(hash, &query);
    }
    // What async-graphql refuses before execution without a code of ours: selecting the
    // operation (none named among several, or an unknown name).
    let mut response = response;
    if !executed.get() {
        response.errors = response
            .errors
            .into_iter()
            .map(|error| with_code(error, ErrorCode::BadRequest))
            .collect();
    }
    if let Some(metrics) = request.app_data::<web::Data<crate::api::metrics::Metrics>>() {
        for error in &response.errors {
            let code = error.extensions.as_ref().and_then(|extensions| extensions.get("code"));
            match code {
                Some(async_graphql::Value::String(code)) => metrics.graphql_error(code),
                _ => metrics.graphql_error("NONE"),
            }
        }
    }
    let version = data.catalog().version.clone();
    let mut response = response.extension("datasetVersion", async_graphql::Value::from(version));
    let warnings = data.take_warnings();
    if !warnings.is_empty()
        && let Ok(warnings) = async_graphql::Value::from_json(serde_json::Value::Array(warnings))
    {
        response = response.extension("warnings", warnings);
    }
    Outcome {
        response,
        executed: executed.get(),
        timing,
    }
}

/// What running one operation came to.
struct Outcome {
    response: Response,
    /// Whether it got as far as executing (past parsing and validation).
    executed: bool,
    timing: Arc<Timing>,
}

/// A response body: without `data` when the request never executed (GraphQL over HTTP §7).
fn body_of(Outcome { response, executed, .. }: Outcome) -> serde_json::Value {
    let mut body = serde_json::to_value(&response)
        .unwrap_or_else(|error| serde_json::json!({ "errors": [{ "message": error.to_string() }] }));
    if !executed && let Some(object) = body.as_object_mut() {
        object.remove("data");
    }
    body
}

fn respond_single(media: MediaType, outcome: Outcome) -> HttpResponse {
    let Outcome {
        response,
        executed,
        timing,
    } = outcome;
    let failed = response.is_err();
    // With the GraphQL response type, a request that failed before execution is a 4xx; with
    // plain JSON, every well-formed request gets 200.
    let status = if media == MediaType::GraphQLResponse && !executed {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    // Written straight from the response; only a request that never ran needs `data` removed.
    let body = timing.time(Phase::Serialise, || {
        if executed {
            serde_json::to_vec(&response).unwrap_or_else(|error| {
                serde_json::json!({ "errors": [{ "message": error.to_string() }] })
                    .to_string()
                    .into_bytes()
            })
        } else {
            body_of(Outcome {
                response,
                executed,
                timing: timing.clone(),
            })
            .to_string()
            .into_bytes()
        }
    });
    let mut builder = HttpResponse::build(status);
    builder.insert_header((header::CONTENT_TYPE, media.content_type()));
    // An error may be passing (a timeout), so it must not be revalidated as the data's answer.
    if failed {
        builder.insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-store")));
    }
    if let Some(value) = timing.header_value() {
        builder.insert_header((SERVER_TIMING, value));
    }
    builder.body(body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn negotiated(accept: Option<&str>) -> Option<MediaType> {
        let mut request = TestRequest::default();
        if let Some(accept) = accept {
            request = request.insert_header((header::ACCEPT, accept));
        }
        negotiate(&request.to_http_request())
    }

    #[test]
    fn content_negotiation_follows_the_accept_header() {
        assert!(negotiated(None) == Some(MediaType::Json));
        assert!(negotiated(Some("application/graphql-response+json")) == Some(MediaType::GraphQLResponse));
        assert!(
            negotiated(Some("application/json, application/graphql-response+json")) == Some(MediaType::GraphQLResponse)
        );
        assert!(negotiated(Some("application/graphql-response+json;q=0.5, application/json")) == Some(MediaType::Json));
        assert!(negotiated(Some("*/*")) == Some(MediaType::Json));
        assert!(negotiated(Some("text/html")).is_none());
        assert!(negotiated(Some("application/json;q=0")).is_none());
    }

    #[test]
    fn mutations_are_recognised_for_get() {
        assert!(is_mutation("mutation { x }", None));
        assert!(!is_mutation("query { x }", None));
        assert!(is_mutation("query A { x } mutation B { y }", Some("B")));
        assert!(!is_mutation("query A { x } mutation B { y }", Some("A")));
        assert!(!is_mutation("{ broken", None));
    }
}
