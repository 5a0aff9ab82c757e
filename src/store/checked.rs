//! SPARQL texts checked before they run, and parsed once: not longer than `--max-sparql-length`,
//! not nested deeper than `--max-nesting` (a scan, with the position), not larger in algebra
//! than `--max-sparql-complexity`. Only a checked text reaches the evaluator.
//!
//! Two costs grow faster than the text and cannot be stopped by a time budget, so they are
//! bounded here. Stack: spargebra's parser recurses for every bracket and for some operators
//! (`!`, path sequences), and drops, optimises and evaluates the tree it builds recursively; a
//! thread that parses a text of `n` bytes is given [`parse_stack`]`(n)`, and one that evaluates
//! [`evaluation_stack`]. Planning: the optimiser reorders joins in time that grows with the
//! cube of a group's size (200 triple patterns in one group took 15 s here), so a text with
//! more than [`OPTIMIZED_PATTERNS`] patterns runs as written.

use super::StoreError;
use super::limits::{InputLimit, InputLimits};
use super::scan::{Brackets, brackets};
use super::vocab::prefixes;
use spargebra::algebra::{
    AggregateExpression, Expression, GraphPattern, OrderExpression, PropertyPathExpression, QueryDataset,
};
use spargebra::term::NamedNode;
use spargebra::{GraphUpdateOperation, Query, SparqlParser, Update};
use std::sync::LazyLock;

/// The most triple patterns and group operations a text may have and still be optimised
/// (planning 48 of them took at most 110 ms here).
pub const OPTIMIZED_PATTERNS: usize = 48;

/// Stack spargebra's parser may need per byte of text: about 1.2 KiB was measured for runs of
/// `{` or `(` (two bytes a level, each level a dozen recursive rules), counted twice over.
const PARSE_STACK_PER_BYTE: usize = 2560;
/// Stack evaluation may need per unit of complexity: about 5.4 KiB was measured for nested
/// sub-queries, the heaviest level.
const EVALUATION_STACK_PER_UNIT: usize = 8 * 1024;
const BASE_STACK: usize = 8 << 20;

/// The stack a thread needs to parse and check a SPARQL text of `length` bytes.
pub fn parse_stack(length: usize) -> usize {
    BASE_STACK.saturating_add(length.saturating_mul(PARSE_STACK_PER_BYTE))
}

/// The stack a thread needs to evaluate any checked text, or to parse any RDF document, within
/// `limits` (JSON-LD's processor recurses per level of nesting and per term definition).
pub fn evaluation_stack(limits: &InputLimits) -> usize {
    let units = limits
        .sparql_complexity
        .saturating_add(limits.nesting)
        .saturating_add(limits.jsonld_terms / 16);
    (4 * BASE_STACK).saturating_add(units.saturating_mul(EVALUATION_STACK_PER_UNIT))
}

/// A query that passed the checks.
pub struct CheckedQuery {
    pub(super) query: Query,
    pub(super) optimize: bool,
}

/// An update that passed the checks, with its text (what the change log records).
pub struct CheckedUpdate {
    pub(super) update: Update,
    pub(super) text: String,
    pub(super) optimize: bool,
}

impl CheckedUpdate {
    /// Gives every `DELETE`/`INSERT ... WHERE` the dataset a request names with
    /// `using-graph-uri` / `using-named-graph-uri` (SPARQL 1.1 Protocol 2.2.3). An operation that
    /// names its own (`USING`, `USING NAMED`, `WITH`) conflicts with it: refused, as the
    /// protocol asks.
    pub fn with_using(mut self, dataset: &super::ProtocolDataset) -> Result<Self, StoreError> {
        if dataset.default_graphs.is_empty() && dataset.named_graphs.is_empty() {
            return Ok(self);
        }
        let iris = |texts: &[String]| -> Result<Vec<NamedNode>, StoreError> {
            texts
                .iter()
                .map(|text| {
                    NamedNode::new(text.as_str()).map_err(|error| StoreError::InvalidIri {
                        iri: text.clone(),
                        message: error.to_string(),
                    })
                })
                .collect()
        };
        let using = QueryDataset {
            default: iris(&dataset.default_graphs)?,
            named: Some(iris(&dataset.named_graphs)?),
        };
        for operation in &mut self.update.operations {
            if let GraphUpdateOperation::DeleteInsert { using: own, .. } = operation {
                if own.is_some() {
                    return Err(StoreError::Refused(
                        "the request names a dataset (using-graph-uri, using-named-graph-uri) and the update its own (USING, USING NAMED or WITH): give one".to_owned(),
                    ));
                }
                *own = Some(using.clone());
            }
        }
        Ok(self)
    }

    /// Whether it loads a URL (`LOAD`), which govgraph never does.
    pub(super) fn loads(&self) -> bool {
        self.update
            .operations
            .iter()
            .any(|operation| matches!(operation, GraphUpdateOperation::Load { .. }))
    }
}

/// The parser with the prefixes every text may use undeclared (a text's own PREFIX wins) and
/// the service's base IRI, `{base}sparql` (SPARQL Protocol 2.4: the service defines one; a
/// text's own BASE wins). Under it, `<id/onenet>` is the entity `{base}id/onenet`.
fn parser() -> SparqlParser {
    static PREFIXED: LazyLock<SparqlParser> = LazyLock::new(|| {
        let prefixed = prefixes().iter().fold(SparqlParser::new(), |parser, (prefix, iri)| {
            // The IRIs are constants and valid.
            parser.clone().with_prefix(*prefix, *iri).unwrap_or(parser)
        });
        // The base was checked to be an absolute IRI when the store settled it.
        prefixed
            .clone()
            .with_base_iri(format!("{}sparql", super::vocab::base()))
            .unwrap_or(prefixed)
    });
    PREFIXED.clone()
}

fn exceeded(limits: &InputLimits, limit: InputLimit, at: Option<(u64, u64)>) -> StoreError {
    StoreError::LimitExceeded {
        limit,
        max: limits.max(limit),
        at: at.map_or(super::Where::Nowhere, |(line, column)| super::Where::Text {
            line,
            column,
        }),
    }
}

/// Length and nesting, before anything parses the text.
fn admit(text: &str, limits: &InputLimits) -> Result<(), StoreError> {
    if text.len() > limits.sparql_length {
        return Err(exceeded(limits, InputLimit::SparqlLength, None));
    }
    brackets(Brackets::Sparql, text.as_bytes(), limits.nesting)
        .map_err(|found| exceeded(limits, found.limit, Some((found.line, found.column))))
}

/// Checks and parses a query. Run it on a thread with [`parse_stack`]`(text.len())`.
pub fn parse_query(text: &str, limits: &InputLimits) -> Result<CheckedQuery, StoreError> {
    admit(text, limits)?;
    let query = parser()
        .parse_query(text)
        .map_err(|error| syntax_error(text, &error.to_string()))?;
    let pattern = match &query {
        Query::Select { pattern, .. }
        | Query::Construct { pattern, .. }
        | Query::Describe { pattern, .. }
        | Query::Ask { pattern, .. } => pattern,
    };
    let mut size = Size::default();
    let complexity = size.pattern(pattern);
    if complexity > limits.sparql_complexity {
        return Err(exceeded(limits, InputLimit::SparqlComplexity, None));
    }
    Ok(CheckedQuery {
        optimize: size.patterns <= OPTIMIZED_PATTERNS,
        query,
    })
}

/// Checks and parses an update. Run it on a thread with [`parse_stack`]`(text.len())`.
pub fn parse_update(text: &str, limits: &InputLimits) -> Result<CheckedUpdate, StoreError> {
    admit(text, limits)?;
    let update = parser()
        .parse_update(text)
        .map_err(|error| syntax_error(text, &error.to_string()))?;
    let mut size = Size::default();
    let mut complexity = 0_usize;
    for operation in &update.operations {
        if let GraphUpdateOperation::DeleteInsert { pattern, .. } = operation {
            complexity = complexity.saturating_add(size.pattern(pattern));
        }
    }
    if complexity > limits.sparql_complexity {
        return Err(exceeded(limits, InputLimit::SparqlComplexity, None));
    }
    Ok(CheckedUpdate {
        optimize: size.patterns <= OPTIMIZED_PATTERNS,
        update,
        text: text.to_owned(),
    })
}

/// The size of an algebra tree: the depth of the evaluator's recursion over it, however the
/// optimiser re-associates its joins, unions and sequences. Chains add up (a chain of `n`
/// joins may become `n` nested evaluators); flat lists (`IN`, function arguments, `ORDER BY`
/// keys) cost their largest member. Recursive: it runs on the thread that parsed the text,
/// whose stack was sized for a deeper recursion than this one.
#[derive(Default)]
struct Size {
    /// Triple patterns, paths and group operations: what the optimiser plans.
    patterns: usize,
}

impl Size {
    fn pattern(&mut self, pattern: &GraphPattern) -> usize {
        let own = match pattern {
            GraphPattern::Bgp { patterns } => {
                self.patterns += patterns.len();
                return patterns.len().max(1);
            }
            GraphPattern::Path { path, .. } => {
                self.patterns += 1;
                return 1 + Self::path(path);
            }
            GraphPattern::Join { left, right }
            | GraphPattern::Union { left, right }
            | GraphPattern::Minus { left, right }
            | GraphPattern::Lateral { left, right } => {
                self.patterns += 1;
                self.pattern(left).saturating_add(self.pattern(right))
            }
            GraphPattern::LeftJoin {
                left,
                right,
                expression,
            } => {
                self.patterns += 1;
                let condition = expression.as_ref().map_or(0, |e| self.expression(e));
                self.pattern(left)
                    .saturating_add(self.pattern(right))
                    .saturating_add(condition)
            }
            GraphPattern::Filter { expr, inner }
            | GraphPattern::Extend {
                inner,
                expression: expr,
                ..
            } => self.expression(expr).saturating_add(self.pattern(inner)),
            GraphPattern::Graph { inner, .. } | GraphPattern::Service { inner, .. } => {
                self.patterns += 1;
                self.pattern(inner)
            }
            GraphPattern::Project { inner, .. }
            | GraphPattern::Distinct { inner }
            | GraphPattern::Reduced { inner }
            | GraphPattern::Slice { inner, .. } => self.pattern(inner),
            GraphPattern::OrderBy { inner, expression } => {
                let keys = expression
                    .iter()
                    .map(|key| match key {
                        OrderExpression::Asc(e) | OrderExpression::Desc(e) => self.expression(e),
                    })
                    .max()
                    .unwrap_or(0);
                self.pattern(inner).saturating_add(keys)
            }
            GraphPattern::Group { inner, aggregates, .. } => {
                let aggregates = aggregates
                    .iter()
                    .map(|(_, aggregate)| match aggregate {
                        AggregateExpression::CountSolutions { .. } => 1,
                        AggregateExpression::FunctionCall { expr, .. } => self.expression(expr),
                    })
                    .max()
                    .unwrap_or(0);
                self.pattern(inner).saturating_add(aggregates)
            }
            GraphPattern::Values { .. } => 0,
        };
        own.saturating_add(1)
    }

    fn expression(&mut self, expression: &Expression) -> usize {
        let own = match expression {
            Expression::NamedNode(_) | Expression::Literal(_) | Expression::Variable(_) | Expression::Bound(_) => 0,
            Expression::Or(a, b)
            | Expression::And(a, b)
            | Expression::Equal(a, b)
            | Expression::SameTerm(a, b)
            | Expression::Greater(a, b)
            | Expression::GreaterOrEqual(a, b)
            | Expression::Less(a, b)
            | Expression::LessOrEqual(a, b)
            | Expression::Add(a, b)
            | Expression::Subtract(a, b)
            | Expression::Multiply(a, b)
            | Expression::Divide(a, b) => self.expression(a).saturating_add(self.expression(b)),
            Expression::UnaryPlus(a) | Expression::UnaryMinus(a) | Expression::Not(a) => self.expression(a),
            Expression::In(a, list) => {
                let widest = list.iter().map(|e| self.expression(e)).max().unwrap_or(0);
                self.expression(a).saturating_add(widest)
            }
            Expression::If(a, b, c) => self
                .expression(a)
                .saturating_add(self.expression(b))
                .saturating_add(self.expression(c)),
            Expression::Coalesce(list) | Expression::FunctionCall(_, list) => {
                list.iter().map(|e| self.expression(e)).max().unwrap_or(0)
            }
            Expression::Exists(pattern) => self.pattern(pattern),
        };
        own.saturating_add(1)
    }

    fn path(path: &PropertyPathExpression) -> usize {
        let own = match path {
            PropertyPathExpression::NamedNode(_) | PropertyPathExpression::NegatedPropertySet(_) => 0,
            PropertyPathExpression::Reverse(p)
            | PropertyPathExpression::ZeroOrMore(p)
            | PropertyPathExpression::OneOrMore(p)
            | PropertyPathExpression::ZeroOrOne(p) => Self::path(p),
            PropertyPathExpression::Sequence(a, b) | PropertyPathExpression::Alternative(a, b) => {
                Self::path(a).saturating_add(Self::path(b))
            }
        };
        own.saturating_add(1)
    }
}

/// Turns the SPARQL parser's message into one a person can act on: the position, a short list of
/// what was expected instead of every character class, and the query line with a caret.
fn syntax_error(query: &str, message: &str) -> StoreError {
    let parsed = message.strip_prefix("error at ").and_then(|rest| {
        let (position, detail) = rest.split_once(": ")?;
        let (line, column) = position.split_once(':')?;
        Some(((line.parse::<usize>().ok()?, column.parse::<usize>().ok()?), detail))
    });
    let Some(((line, column), detail)) = parsed else {
        return StoreError::QuerySyntax {
            position: None,
            message: message.to_owned(),
            excerpt: String::new(),
        };
    };
    let detail = match detail.strip_prefix("expected one of ") {
        Some(list) if list.len() > 80 => {
            let tokens: Vec<&str> = list
                .split('"')
                .skip(1)
                .step_by(2)
                .filter(|t| !t.is_empty())
                .take(8)
                .collect();
            if tokens.is_empty() {
                "unexpected input".to_owned()
            } else {
                format!("expected one of \"{}\", ...", tokens.join("\", \""))
            }
        }
        _ => detail.to_owned(),
    };
    let excerpt = query
        .lines()
        .nth(line.saturating_sub(1))
        .map(|text| excerpt(text, column))
        .unwrap_or_default();
    StoreError::QuerySyntax {
        position: Some((line, column)),
        message: detail,
        excerpt,
    }
}

/// The part of a line around `column` (at most 60 characters before it and 20 after, so that a
/// line of a hundred thousand characters does not fill the answer) with a caret under it.
fn excerpt(line: &str, column: usize) -> String {
    const BEFORE: usize = 60;
    const AFTER: usize = 20;
    let characters: Vec<char> = line.chars().collect();
    let at = column.saturating_sub(1).min(characters.len());
    let start = at.saturating_sub(BEFORE);
    let end = at.saturating_add(AFTER).min(characters.len());
    let head = if start > 0 { "…" } else { "" };
    let tail = if end < characters.len() { "…" } else { "" };
    let shown: String = characters[start..end].iter().collect();
    let indent = " ".repeat(head.chars().count() + at - start);
    format!("\n  {head}{shown}{tail}\n  {indent}^")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> InputLimits {
        InputLimits {
            nesting: 8,
            sparql_length: 4096,
            sparql_complexity: 40,
            ..InputLimits::DEFAULT
        }
    }

    fn refused(result: Result<CheckedQuery, StoreError>) -> InputLimit {
        match result {
            Err(StoreError::LimitExceeded { limit, .. }) => limit,
            Err(other) => panic!("refused for another reason: {other}"),
            Ok(_) => panic!("accepted"),
        }
    }

    #[test]
    fn each_limit_refuses_with_its_name() {
        let limits = limits();
        assert!(parse_query("SELECT * WHERE { ?s ?p ?o FILTER(?o IN (1, 2, 3)) }", &limits).is_ok());
        let long = format!("SELECT * WHERE {{ ?s ?p \"{}\" }}", "x".repeat(5000));
        assert_eq!(refused(parse_query(&long, &limits)), InputLimit::SparqlLength);
        let deep = format!("SELECT * WHERE {{ {} ?s ?p ?o {} }}", "{".repeat(8), "}".repeat(8));
        assert_eq!(refused(parse_query(&deep, &limits)), InputLimit::Nesting);
        let wide = format!("SELECT * WHERE {{ ?s ?p ?o FILTER(?o{}) }}", " || ?o".repeat(40));
        assert_eq!(refused(parse_query(&wide, &limits)), InputLimit::SparqlComplexity);
        let update = format!(
            "INSERT {{ ?s ?p 1 }} WHERE {{ ?s ?p ?o {} }}",
            "OPTIONAL { ?s ?p ?o } ".repeat(30)
        );
        assert!(matches!(
            parse_update(&update, &limits),
            Err(StoreError::LimitExceeded {
                limit: InputLimit::SparqlComplexity,
                ..
            })
        ));
    }

    #[test]
    fn flat_lists_cost_their_largest_member_and_chains_add_up() {
        let limits = limits();
        let members = (0..500).map(|n| n.to_string()).collect::<Vec<_>>().join(", ");
        let flat = format!("SELECT * WHERE {{ ?s ?p ?o FILTER(?o IN ({members})) }} ORDER BY ?s ?p ?o");
        assert!(parse_query(&flat, &limits).is_ok());
        let chain = format!("SELECT * WHERE {{ ?s ?p ?o FILTER(1{}) }}", " + 1".repeat(38));
        assert_eq!(refused(parse_query(&chain, &limits)), InputLimit::SparqlComplexity);
        // A sequence of plain predicates becomes a chain of triple patterns.
        let path = format!("SELECT * WHERE {{ ?s gg:p{} ?o }}", "/gg:p".repeat(45));
        assert_eq!(refused(parse_query(&path, &limits)), InputLimit::SparqlComplexity);
    }

    #[test]
    fn large_texts_run_without_the_optimiser() {
        let small = "SELECT * WHERE { ?s ?p ?o . ?o ?q ?r }";
        assert!(parse_query(small, &InputLimits::DEFAULT).unwrap().optimize);
        let group = format!("SELECT * WHERE {{ {} }}", "?s ?p ?o . ".repeat(OPTIMIZED_PATTERNS + 1));
        assert!(!parse_query(&group, &InputLimits::DEFAULT).unwrap().optimize);
    }

    #[test]
    fn a_syntax_error_is_reported_as_one() {
        assert!(matches!(
            parse_query("SELECT * WHERE { ?s", &limits()),
            Err(StoreError::QuerySyntax { .. })
        ));
    }

    #[test]
    fn stacks_grow_with_the_text_and_the_limits() {
        assert!(parse_stack(256 * 1024) > 256 * 1024 * 1024);
        assert!(parse_stack(0) >= 8 << 20);
        let generous = InputLimits {
            sparql_complexity: 20_000,
            ..InputLimits::DEFAULT
        };
        assert!(evaluation_stack(&generous) > evaluation_stack(&InputLimits::DEFAULT));
    }

    #[test]
    fn syntax_errors_point_at_the_problem() {
        let query = "SELECT ?x\nWHERE { ?x";
        let message = match SparqlParser::new().parse_query(query) {
            Err(error) => syntax_error(query, &error.to_string()).to_string(),
            Ok(_) => panic!("the query is broken"),
        };
        assert!(
            message.starts_with("SPARQL syntax error at line 2, column 11: "),
            "{message}"
        );
        assert!(message.ends_with("\n  WHERE { ?x\n            ^"), "{message}");
        assert!(message.len() < 300, "{message}");
    }

    #[test]
    fn a_long_line_is_cut_around_the_problem() {
        let line = format!("{}!{}", "a".repeat(1000), "b".repeat(1000));
        let shown = excerpt(&line, 1001);
        assert_eq!(
            shown,
            format!("\n  …{}!{}…\n  {}^", "a".repeat(60), "b".repeat(19), " ".repeat(61))
        );
    }
}
