//! The one quote rule: a quote is verbatim from its document, except that whitespace, Markdown
//! `*` emphasis, typographic quotation marks and apostrophes, and non-breaking spaces do not
//! count as differences; `...` (or `…`) marks an omission, and the parts around it appear in
//! that order. The seed test checks every seed quote with it, and the seed README and the
//! ontology's `gg:quote` state it.

/// `text` as the rule compares it.
pub fn normalize(text: &str) -> String {
    let text = text
        .replace(['\u{2019}', '\u{2018}'], "'")
        .replace(['\u{201c}', '\u{201d}'], "\"")
        .replace('*', "")
        .replace('\u{a0}', " ");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether `quote` is in `text` (already normalized) by the rule; the first fragment that is
/// not, otherwise.
pub fn find_in(quote: &str, normalized_text: &str) -> Result<(), String> {
    let mut from = 0;
    for fragment in normalize(quote).split("...").flat_map(|part| part.split('\u{2026}')) {
        let fragment = fragment.trim();
        if fragment.is_empty() {
            continue;
        }
        match normalized_text[from..].find(fragment) {
            Some(at) => from += at + fragment.len(),
            None => return Err(fragment.to_owned()),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_what_the_rule_forgives_is_forgiven() {
        let text = normalize(
            "The conference will be held in **Sao Paulo**-Brazil and is a partnership\nbetween CGI\u{a0}and 1Net’s community.",
        );
        assert_eq!(find_in("held in Sao Paulo-Brazil", &text), Ok(()));
        assert_eq!(find_in("partnership between CGI and 1Net's", &text), Ok(()));
        assert_eq!(find_in("The conference ... between CGI", &text), Ok(()));
        assert_eq!(find_in("The conference … 1Net", &text), Ok(()));
        assert_eq!(
            find_in("between CGI ... The conference", &text),
            Err("The conference".to_owned())
        );
        assert_eq!(find_in("held in São Paulo", &text), Err("held in São Paulo".to_owned()));
        assert!(find_in("a partnership between CGI and 1net", &text).is_err());
    }
}
