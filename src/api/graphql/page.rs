//! Relay pages: where a page is (`PageInfo`) and the opaque cursors of the connections.

use crate::services::explore::QueryError;
use async_graphql::{ErrorExtensions, Result, SimpleObject};

/// Where a page is in the whole list.
#[derive(SimpleObject)]
pub struct PageInfo {
    /// Whether items come before this page (it was asked for with `after`).
    has_previous_page: bool,
    /// Whether items come after this page: ask for them with `after: endCursor`.
    has_next_page: bool,
    /// The cursor of the page's first item; null when the page is empty.
    start_cursor: Option<String>,
    /// The cursor of the page's last item; null when the page is empty.
    end_cursor: Option<String>,
}

impl PageInfo {
    pub fn new(
        has_previous_page: bool,
        has_next_page: bool,
        start_cursor: Option<String>,
        end_cursor: Option<String>,
    ) -> Self {
        Self {
            has_previous_page,
            has_next_page,
            start_cursor,
            end_cursor,
        }
    }
}

/// Cursors are opaque to clients; here, a position in the ordered result of one connection
/// (`what`: "entity", "relation"), so a cursor of one connection is refused by another.
pub fn encode_cursor(position: usize, what: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{what}:{position}"))
}

pub fn decode_cursor(cursor: &str, what: &str) -> Result<usize> {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| {
            text.strip_prefix(what)
                .and_then(|rest| rest.strip_prefix(':'))
                .and_then(|n| n.parse().ok())
        })
        .ok_or_else(|| {
            QueryError::BadInput {
                field: "after",
                message: "not a cursor of this connection".to_owned(),
            }
            .extend()
        })
}
