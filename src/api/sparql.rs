//! The SPARQL 1.1 Protocol: queries by `GET /sparql?query=`, by URL-encoded `POST` and by
//! `application/sparql-query`; updates by `POST /sparql/update` or `POST /sparql` (URL-encoded
//! `update=` or `application/sparql-update`), with the admin token. Results in the format the
//! client accepts; evaluation on blocking threads within the time budget.

use super::blocking;
use super::negotiate::{choose, preferences};
use super::timing::{Phase, SERVER_TIMING, Timing};
use super::write::{require_admin, write};
use super::{ApiError, AppState};
use crate::services::changes::Touched;
use crate::services::writes::Written;
use crate::store::{self, Cancellation, ProtocolDataset, SparqlFormat, StoreError};
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The parameters of a request: from the query string, and from a URL-encoded body.
#[derive(Default)]
struct Parameters {
    query: Option<String>,
    update: Option<String>,
    dataset: ProtocolDataset,
    /// SPARQL 1.2's `version` announcements: parameters, and the media type's `version`.
    versions: Vec<String>,
}

impl Parameters {
    fn read(&mut self, encoded: &[u8]) -> Result<(), ApiError> {
        for (key, value) in form_urlencoded::parse(encoded) {
            let value = value.into_owned();
            match key.as_ref() {
                "query" => replace_once(&mut self.query, value, "query")?,
                "update" => replace_once(&mut self.update, value, "update")?,
                "default-graph-uri" | "using-graph-uri" => self.dataset.default_graphs.push(value),
                "named-graph-uri" | "using-named-graph-uri" => self.dataset.named_graphs.push(value),
                "version" => self.versions.push(value),
                _ => {}
            }
        }
        Ok(())
    }

    /// A URL-encoded POST carries the query or update in its body (SPARQL 1.1 Protocol 2.2.2,
    /// 2.2.3): one in the URL beside it is refused rather than run.
    fn read_form(&mut self, url: &[u8], body: &[u8]) -> Result<(), ApiError> {
        let mut in_url = Parameters::default();
        in_url.read(url)?;
        if in_url.query.is_some() || in_url.update.is_some() {
            return Err(ApiError::BadRequest(
                "with a URL-encoded POST, the `query` or `update` parameter goes in the body, not the URL".to_owned(),
            ));
        }
        *self = in_url;
        self.read(body)
    }

    /// The parameters of a POST whose media type is one of `accepted`: a URL-encoded body, or
    /// the URL's parameters and the query or update as the body; then the version check.
    fn posted(request: &HttpRequest, body: &[u8], accepted: &[&str]) -> Result<Self, ApiError> {
        let media = media_type(request);
        if !accepted.contains(&media.as_str()) {
            return Err(ApiError::UnsupportedMediaType(format!(
                "send {}, not `{media}`",
                accepted.join(" or ")
            )));
        }
        let url = request.query_string().as_bytes();
        let mut parameters = Parameters::default();
        if media == FORM {
            parameters.read_form(url, body)?;
        } else {
            // SPARQL Protocol 2.2.3: UTF-8 is the only valid charset of the text itself.
            if let Some(charset) = media_type_parameters(request, "charset").find(|c| !c.eq_ignore_ascii_case("utf-8"))
            {
                return Err(ApiError::UnsupportedMediaType(format!(
                    "send the {media} body as UTF-8, not `{charset}`"
                )));
            }
            parameters.read(url)?;
            let text = utf8(body)?;
            if media == QUERY {
                replace_once(&mut parameters.query, text, "query")?;
            } else {
                replace_once(&mut parameters.update, text, "update")?;
            }
        }
        parameters.versions.extend(media_type_parameters(request, "version"));
        parameters.check_version()?;
        Ok(parameters)
    }

    /// SPARQL 1.2 Protocol: at most one version announcement, and one this server speaks.
    fn check_version(&self) -> Result<(), ApiError> {
        match self.versions.as_slice() {
            [] => Ok(()),
            [version] if SPARQL_VERSIONS.contains(&version.as_str()) => Ok(()),
            [version] => Err(ApiError::BadRequest(format!(
                "SPARQL version `{version}` is not one this server speaks ({})",
                SPARQL_VERSIONS.join(", ")
            ))),
            _ => Err(ApiError::BadRequest(
                "the SPARQL version is announced more than once".to_owned(),
            )),
        }
    }
}

const FORM: &str = "application/x-www-form-urlencoded";
const QUERY: &str = "application/sparql-query";
const UPDATE: &str = "application/sparql-update";

/// The versions a request may announce (SPARQL 1.2 Protocol, section 2.1).
const SPARQL_VERSIONS: [&str; 3] = ["1.1", "1.2", "1.2-basic"];

fn replace_once(slot: &mut Option<String>, value: String, name: &str) -> Result<(), ApiError> {
    if slot.replace(value).is_some() {
        return Err(ApiError::BadRequest(format!(
            "the `{name}` parameter is given more than once"
        )));
    }
    Ok(())
}

fn media_type(request: &HttpRequest) -> String {
    content_type(request)
        .split(';')
        .next()
        .map(|value| value.trim().to_ascii_lowercase())
        .unwrap_or_default()
}

fn content_type(request: &HttpRequest) -> &str {
    request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
}

/// The values of the media type's parameter `wanted` (`application/sparql-query; version=1.2`).
fn media_type_parameters<'a>(request: &'a HttpRequest, wanted: &'a str) -> impl Iterator<Item = String> + 'a {
    content_type(request).split(';').skip(1).filter_map(move |parameter| {
        let (name, value) = parameter.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case(wanted)
            .then(|| value.trim().trim_matches('"').to_owned())
    })
}

fn utf8(body: &[u8]) -> Result<String, ApiError> {
    String::from_utf8(body.to_vec()).map_err(|_| ApiError::BadRequest("the body is not valid UTF-8".to_owned()))
}

/// `GET /sparql`.
pub async fn get(request: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    // SPARQL 1.1 Protocol 2.1.1: a GET carries its query in the URL and nothing in a body.
    let has_body = request.headers().contains_key(header::TRANSFER_ENCODING)
        || request
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|length| length.trim() != "0");
    if has_body {
        return Err(ApiError::BadRequest(
            "a GET request carries its query in the URL, not in a body (POST it instead)".to_owned(),
        ));
    }
    let mut parameters = Parameters::default();
    parameters.read(request.query_string().as_bytes())?;
    parameters.check_version()?;
    if parameters.update.is_some() {
        return Err(ApiError::MethodNotAllowed(
            "updates must be sent with POST".to_owned(),
            "POST".into(),
        ));
    }
    let Some(query) = parameters.query else {
        // SPARQL 1.1 Service Description §2: the endpoint without a query describes itself.
        return super::id::service(&request, &state).await;
    };
    run_query(&request, &state, query, parameters.dataset).await
}

/// `POST /sparql`: a query, or an update (with the admin token).
pub async fn post(
    request: HttpRequest,
    body: web::Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let parameters = Parameters::posted(&request, &body, &[FORM, QUERY, UPDATE])?;
    match (parameters.query, parameters.update) {
        (Some(query), None) => run_query(&request, &state, query, parameters.dataset).await,
        (None, Some(update)) => run_update(&request, &state, update, parameters.dataset).await,
        (Some(_), Some(_)) => Err(ApiError::BadRequest(
            "give either a query or an update, not both".to_owned(),
        )),
        (None, None) => Err(ApiError::BadRequest("give a SPARQL query or update".to_owned())),
    }
}

/// `POST /sparql/update`.
pub async fn post_update(
    request: HttpRequest,
    body: web::Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    // Authorisation first: without the token, nothing about the update is even read.
    require_admin(&request, &state)?;
    let parameters = Parameters::posted(&request, &body, &[FORM, UPDATE])?;
    let Some(update) = parameters.update else {
        return Err(ApiError::BadRequest(
            "give a SPARQL update in the `update` parameter".to_owned(),
        ));
    };
    run_update(&request, &state, update, parameters.dataset).await
}

async fn run_update(
    request: &HttpRequest,
    state: &AppState,
    update: String,
    dataset: ProtocolDataset,
) -> Result<HttpResponse, ApiError> {
    require_admin(request, state)?;
    // Checked before the write lock is taken: a refused text keeps no writer waiting.
    let limits = state.limits.input.limits();
    let checked = blocking::run(store::parse_stack(update.len()), move || {
        store::parse_update(&update, &limits)?.with_using(&dataset)
    })
    .await??;
    write(state, move |store, _| {
        store.sparql_update(checked)?;
        Ok(Written::compared((), Touched::Everything))
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

async fn run_query(
    request: &HttpRequest,
    state: &AppState,
    query: String,
    dataset: ProtocolDataset,
) -> Result<HttpResponse, ApiError> {
    let preferences = preferences(request);
    let cancellation = Cancellation::default();
    let store = state.store.clone();
    let stopper = cancellation.clone();
    let limits = state.limits.input.limits();
    // Parsed and evaluated in one call, on a stack deep enough for both.
    let stack = store::parse_stack(query.len()).max(state.evaluation_stack);
    let timing = Arc::new(Timing::default());
    let on_thread = timing.clone();
    let started = Instant::now();
    let evaluation = blocking::run(stack, move || {
        let checked = on_thread.time(Phase::Parse, || store::parse_query(&query, &limits))?;
        let choose_format = |form| {
            let options: Vec<(SparqlFormat, &[&str])> = SparqlFormat::MEDIA_TYPES
                .iter()
                .filter(|(format, _)| format.form() == form)
                .copied()
                .collect();
            choose(&preferences, &options, SparqlFormat::default_for(form))
        };
        on_thread.time(Phase::Evaluate, || {
            store.sparql_query(checked, &dataset, &choose_format, &stopper)
        })
    });
    let budget = Duration::try_from_secs_f64(state.limits.sparql_timeout).unwrap_or(Duration::MAX);
    // At the budget, the evaluation is cancelled (it stops at its next check) and the client is
    // answered at once, without waiting for it.
    let result = tokio::select! {
        result = evaluation => result?,
        () = actix_web::rt::time::sleep(budget) => {
            cancellation.cancel();
            Err(StoreError::Cancelled)
        }
    };
    let worked = timing.get(Phase::Parse) + timing.get(Phase::Evaluate);
    timing.add(Phase::Hop, started.elapsed().saturating_sub(worked));
    let (format, body) = match result {
        Ok(answer) => answer,
        Err(StoreError::Cancelled) => {
            return Err(ApiError::Timeout(format!(
                "the query ran longer than its budget of {} s and was stopped",
                state.limits.sparql_timeout
            )));
        }
        Err(error) => return Err(error.into()),
    };
    let mut content_type = format.media_type().to_owned();
    if content_type.starts_with("text/") || content_type.ends_with("json") || content_type.ends_with("xml") {
        content_type.push_str("; charset=utf-8");
    }
    let mut response = HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type))
        .body(body);
    response
        .headers_mut()
        .insert(header::VARY, HeaderValue::from_static("Accept"));
    if let Some(value) = timing.header_value() {
        response
            .headers_mut()
            .insert(header::HeaderName::from_static(SERVER_TIMING), value);
    }
    Ok(response)
}
