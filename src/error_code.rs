//! The one error table. Every error govgraph reports has a code, and the code alone decides the
//! HTTP status, the GraphQL `extensions.code` and the CLI's exit status. Each error type maps its
//! variants to a code with an exhaustive `match` (`StoreError::code`, `QueryError::code`,
//! `ApiError::code`, `commands::Error::code`), so a new variant does not compile until it is
//! placed here.

/// What kind of failure an error is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    NotFound,
    BadRequest,
    SyntaxError,
    /// Understood but declined (`SERVICE`, `LOAD`, a write the data's rules forbid).
    Refused,
    Ambiguous,
    BadUserInput,
    LimitExceeded,
    MethodNotAllowed,
    NotAcceptable,
    UnsupportedMediaType,
    PayloadTooLarge,
    UriTooLong,
    /// No credentials: the request may be repeated with the admin token.
    Unauthenticated,
    /// Credentials that do not allow this.
    Forbidden,
    /// A server started without writes.
    ReadOnly,
    Timeout,
    /// A replica's SPARQL store, or the data directory, is busy or unreachable; retrying later
    /// may succeed.
    Unavailable,
    /// The disk holding the store is full: writes fail until space is freed; reads go on.
    StorageFull,
    GraphqlParseFailed,
    GraphqlValidationFailed,
    /// An automatic persisted query's hash the server does not know (Apollo's code): the client
    /// sends the query's text with it again.
    PersistedQueryNotFound,
    Internal,
}

impl ErrorCode {
    /// Every code, for tests and documentation.
    pub const ALL: [ErrorCode; 22] = [
        ErrorCode::NotFound,
        ErrorCode::BadRequest,
        ErrorCode::SyntaxError,
        ErrorCode::Refused,
        ErrorCode::Ambiguous,
        ErrorCode::BadUserInput,
        ErrorCode::LimitExceeded,
        ErrorCode::MethodNotAllowed,
        ErrorCode::NotAcceptable,
        ErrorCode::UnsupportedMediaType,
        ErrorCode::PayloadTooLarge,
        ErrorCode::UriTooLong,
        ErrorCode::Unauthenticated,
        ErrorCode::Forbidden,
        ErrorCode::ReadOnly,
        ErrorCode::Timeout,
        ErrorCode::Unavailable,
        ErrorCode::StorageFull,
        ErrorCode::GraphqlParseFailed,
        ErrorCode::GraphqlValidationFailed,
        ErrorCode::PersistedQueryNotFound,
        ErrorCode::Internal,
    ];

    /// The `error.code` of an HTTP error body and the GraphQL `extensions.code`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::NotFound => "NOT_FOUND",
            ErrorCode::BadRequest => "BAD_REQUEST",
            ErrorCode::SyntaxError => "SYNTAX_ERROR",
            ErrorCode::Refused => "REFUSED",
            ErrorCode::Ambiguous => "AMBIGUOUS",
            ErrorCode::BadUserInput => "BAD_USER_INPUT",
            ErrorCode::LimitExceeded => "LIMIT_EXCEEDED",
            ErrorCode::MethodNotAllowed => "METHOD_NOT_ALLOWED",
            ErrorCode::NotAcceptable => "NOT_ACCEPTABLE",
            ErrorCode::UnsupportedMediaType => "UNSUPPORTED_MEDIA_TYPE",
            ErrorCode::PayloadTooLarge => "PAYLOAD_TOO_LARGE",
            ErrorCode::UriTooLong => "URI_TOO_LONG",
            ErrorCode::Unauthenticated => "UNAUTHENTICATED",
            ErrorCode::Forbidden => "FORBIDDEN",
            ErrorCode::ReadOnly => "READ_ONLY",
            ErrorCode::Timeout => "TIMEOUT",
            ErrorCode::Unavailable => "UNAVAILABLE",
            ErrorCode::StorageFull => "STORAGE_FULL",
            ErrorCode::GraphqlParseFailed => "GRAPHQL_PARSE_FAILED",
            ErrorCode::GraphqlValidationFailed => "GRAPHQL_VALIDATION_FAILED",
            ErrorCode::PersistedQueryNotFound => "PERSISTED_QUERY_NOT_FOUND",
            ErrorCode::Internal => "INTERNAL",
        }
    }

    /// The HTTP status of a response carrying this error.
    pub fn http_status(self) -> u16 {
        match self {
            // GraphQL answers an unknown persisted query with 200, as Apollo Server does (see
            // `api::graphql::http`); 404 is its status anywhere else, as Apollo's router has it.
            ErrorCode::NotFound | ErrorCode::PersistedQueryNotFound => 404,
            ErrorCode::BadRequest
            | ErrorCode::SyntaxError
            | ErrorCode::Refused
            | ErrorCode::Ambiguous
            | ErrorCode::BadUserInput
            | ErrorCode::LimitExceeded
            | ErrorCode::GraphqlParseFailed
            | ErrorCode::GraphqlValidationFailed => 400,
            ErrorCode::MethodNotAllowed => 405,
            ErrorCode::NotAcceptable => 406,
            ErrorCode::UnsupportedMediaType => 415,
            ErrorCode::PayloadTooLarge => 413,
            ErrorCode::UriTooLong => 414,
            ErrorCode::Unauthenticated => 401,
            ErrorCode::Forbidden | ErrorCode::ReadOnly => 403,
            ErrorCode::Timeout | ErrorCode::Unavailable => 503,
            ErrorCode::StorageFull => 507,
            ErrorCode::Internal => 500,
        }
    }

    /// The CLI's exit status for a command that failed with this error, after sysexits(3): 65
    /// for bad input (a syntax error, a limit, a value the data refuses), 66 for a missing input,
    /// 75 for a failure worth retrying (a busy data directory, an unreachable store, a time-out),
    /// 74 for a full disk, 77 for a refused permission, 70 for a bug. (`validate` exits 1 when
    /// the data has violations; a command line clap cannot parse exits 2.)
    pub fn exit_code(self) -> u8 {
        match self {
            ErrorCode::BadRequest
            | ErrorCode::SyntaxError
            | ErrorCode::Refused
            | ErrorCode::Ambiguous
            | ErrorCode::BadUserInput
            | ErrorCode::LimitExceeded
            | ErrorCode::MethodNotAllowed
            | ErrorCode::NotAcceptable
            | ErrorCode::UnsupportedMediaType
            | ErrorCode::PayloadTooLarge
            | ErrorCode::UriTooLong
            | ErrorCode::GraphqlParseFailed
            | ErrorCode::GraphqlValidationFailed => 65,
            ErrorCode::NotFound | ErrorCode::PersistedQueryNotFound => 66,
            ErrorCode::Timeout | ErrorCode::Unavailable => 75,
            ErrorCode::StorageFull => 74,
            ErrorCode::Unauthenticated | ErrorCode::Forbidden | ErrorCode::ReadOnly => 77,
            ErrorCode::Internal => 70,
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_its_own_name_an_error_status_and_a_failing_exit() {
        let mut names: Vec<&str> = ErrorCode::ALL.iter().map(|code| code.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ErrorCode::ALL.len(), "two codes share a name");
        for code in ErrorCode::ALL {
            assert!((400..600).contains(&code.http_status()), "{code}");
            // The caller's fault over HTTP is the caller's fault on the command line.
            let client = [65, 66, 77].contains(&code.exit_code());
            assert_eq!(code.http_status() < 500, client, "{code}");
        }
    }
}
