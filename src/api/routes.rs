//! The route table. Each path is registered once, with every method it answers, so that what
//! it serves and what its `Allow` header says come from the same calls and cannot disagree: a
//! `GET` route answers `HEAD` too, every path answers `OPTIONS`, and any other method on a known
//! path is a `405` naming the ones it takes.

use super::ApiError;
use actix_web::dev::HttpServiceFactory;
use actix_web::http::Method;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{FromRequest, Handler, HttpRequest, HttpResponse, Responder, Route, web};

/// One path and what answers on it.
struct Path {
    pattern: &'static str,
    methods: Vec<Method>,
    routes: Vec<Route>,
    /// Its `GET` answers carry the dataset version's `ETag` (see `cache`).
    versioned: bool,
}

/// Every path, in the order it is matched.
#[derive(Default)]
pub struct Routes {
    paths: Vec<Path>,
}

impl Routes {
    /// `GET`, and `HEAD` from the same handler (the body is dropped on the way out).
    pub fn get<F, Args>(self, pattern: &'static str, handler: F) -> Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.add(pattern, Method::GET, web::get().to(handler.clone())).add(
            pattern,
            Method::HEAD,
            web::head().to(handler),
        )
    }

    /// `get`, with an `ETag` from the dataset version and `304` to a client that has it.
    pub fn versioned_get<F, Args>(self, pattern: &'static str, handler: F) -> Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        let mut routes = self.get(pattern, handler);
        if let Some(path) = routes.path(pattern) {
            path.versioned = true;
        }
        routes
    }

    /// Any other method, e.g. `on(Method::POST, "/graphql", post)`.
    pub fn on<F, Args>(self, method: Method, pattern: &'static str, handler: F) -> Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        let route = web::method(method.clone()).to(handler);
        self.add(pattern, method, route)
    }

    fn path(&mut self, pattern: &str) -> Option<&mut Path> {
        self.paths.iter_mut().find(|path| path.pattern == pattern)
    }

    fn add(mut self, pattern: &'static str, method: Method, route: Route) -> Self {
        match self.path(pattern) {
            Some(path) => {
                path.methods.push(method);
                path.routes.push(route);
            }
            None => self.paths.push(Path {
                pattern,
                methods: vec![method],
                routes: vec![route],
                versioned: false,
            }),
        }
        self
    }

    /// Registers every path as one resource.
    pub fn register(self, config: &mut web::ServiceConfig) {
        for path in self.paths {
            path.register(config);
        }
    }
}

impl Path {
    /// What `Allow` says: the registered methods, then `OPTIONS`, which every path answers.
    fn allow(&self) -> String {
        let mut names: Vec<&str> = self.methods.iter().map(Method::as_str).collect();
        names.push(Method::OPTIONS.as_str());
        names.join(", ")
    }

    fn register(self, config: &mut web::ServiceConfig) {
        let allow = self.allow();
        let options = {
            let allow = allow.clone();
            web::route().method(Method::OPTIONS).to(move || options(allow.clone()))
        };
        let resource = self
            .routes
            .into_iter()
            .fold(web::resource(self.pattern), |resource, route| resource.route(route))
            .route(options)
            .default_service(web::to(move |request: HttpRequest| {
                method_not_allowed(request, allow.clone())
            }));
        if self.versioned {
            register(
                config,
                resource.wrap(actix_web::middleware::from_fn(super::cache::revalidate)),
            );
        } else {
            register(config, resource);
        }
    }
}

fn register(config: &mut web::ServiceConfig, resource: impl HttpServiceFactory + 'static) {
    config.service(resource);
}

/// `OPTIONS` without CORS (a CORS preflight is answered by the CORS middleware before routing):
/// what the path takes.
async fn options(allow: String) -> HttpResponse {
    let mut response = HttpResponse::NoContent().finish();
    if let Ok(value) = HeaderValue::from_str(&allow) {
        response.headers_mut().insert(header::ALLOW, value);
    }
    response
}

async fn method_not_allowed(request: HttpRequest, allow: String) -> Result<HttpResponse, ApiError> {
    Err(ApiError::MethodNotAllowed(
        format!("{} is not allowed on {}; use {allow}", request.method(), request.path()),
        allow.into(),
    ))
}
