//! Content negotiation on `Accept`: the client's media types in order of preference, matched
//! against what a handler can produce.

use actix_web::HttpRequest;
use actix_web::http::header;

/// The accepted media types, most preferred first (ties in the order given); quality 0 dropped.
pub fn preferences(request: &HttpRequest) -> Vec<String> {
    let Some(accept) = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|value| value.to_str().ok())
    else {
        return vec!["*/*".to_owned()];
    };
    let mut ranked: Vec<(f32, usize, String)> = accept
        .split(',')
        .enumerate()
        .filter_map(|(position, item)| {
            let mut parts = item.split(';').map(str::trim);
            let media = parts.next()?.to_ascii_lowercase();
            let quality = parts
                .find_map(|p| p.strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            (!media.is_empty() && quality > 0.0).then_some((quality, position, media))
        })
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    ranked.into_iter().map(|(_, _, media)| media).collect()
}

/// The first option the client accepts; `default` for `*/*`. `None`: nothing acceptable (406).
pub fn choose<T: Copy>(preferences: &[String], options: &[(T, &[&str])], default: T) -> Option<T> {
    for wanted in preferences {
        if wanted == "*/*" {
            return Some(default);
        }
        let found = options.iter().find(|(_, types)| {
            types.iter().any(|candidate| {
                candidate.eq_ignore_ascii_case(wanted)
                    || wanted
                        .strip_suffix("/*")
                        .is_some_and(|family| candidate.split('/').next() == Some(family))
            })
        });
        if let Some((option, _)) = found {
            return Some(*option);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn prefs(accept: &str) -> Vec<String> {
        preferences(
            &TestRequest::default()
                .insert_header((header::ACCEPT, accept))
                .to_http_request(),
        )
    }

    #[test]
    fn preferences_follow_quality_then_order() {
        assert_eq!(
            prefs("text/html, application/json;q=0.9, */*;q=0.1"),
            ["text/html", "application/json", "*/*"]
        );
        assert_eq!(prefs("a/b;q=0.5, c/d"), ["c/d", "a/b"]);
        assert_eq!(prefs("a/b;q=0"), Vec::<String>::new());
        assert_eq!(preferences(&TestRequest::default().to_http_request()), ["*/*"]);
    }

    #[test]
    fn choosing_handles_wildcards_and_refusals() {
        let options: &[(u8, &[&str])] = &[(1, &["text/turtle"]), (2, &["application/ld+json"])];
        assert_eq!(choose(&prefs("application/ld+json"), options, 1), Some(2));
        assert_eq!(choose(&prefs("text/*"), options, 2), Some(1));
        assert_eq!(choose(&prefs("*/*"), options, 2), Some(2));
        assert_eq!(choose(&prefs("image/png"), options, 1), None);
    }
}
