//! SHACL validation over the store, by translating shapes into SPARQL.
//!
//! It implements the part of SHACL Core and SHACL-SPARQL that `ontology/shapes.ttl` uses, and
//! refuses anything else with an error instead of silently passing: targets (`sh:targetClass`,
//! `sh:targetNode`, `sh:targetSubjectsOf`, `sh:targetObjectsOf`), property shapes whose
//! `sh:path` is an IRI or `[ sh:inversePath IRI ]`, and the constraints `sh:minCount`,
//! `sh:maxCount`, `sh:datatype`, `sh:class`, `sh:nodeKind`, `sh:in`, `sh:hasValue`,
//! `sh:pattern` (+ `sh:flags`), `sh:minLength`, `sh:maxLength`, `sh:minInclusive`,
//! `sh:maxInclusive` and `sh:sparql` (`sh:select` with `sh:prefixes`). A SPARQL constraint must
//! bind `$this` itself: it is joined with the targets rather than pre-bound. The data graph is
//! the union of all graphs. `rdf:type` is matched as stored, and the loader materialises the
//! subclass closure, so `sh:targetClass` and `sh:class` see instances of subclasses.

use super::StoreError;
use oxigraph::model::{NamedNode, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, Term};
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use oxigraph::store::Store;
use std::collections::BTreeMap;
use std::fmt;

const SH: &str = "http://www.w3.org/ns/shacl#";
const RDF_FIRST: NamedNodeRef<'_> = NamedNodeRef::new_unchecked("http://www.w3.org/1999/02/22-rdf-syntax-ns#first");
const RDF_REST: NamedNodeRef<'_> = NamedNodeRef::new_unchecked("http://www.w3.org/1999/02/22-rdf-syntax-ns#rest");
const RDF_NIL: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#nil";
const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";

/// How serious a result is (`sh:severity`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Violation,
    Warning,
    Info,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Violation => "violation",
            Severity::Warning => "warning",
            Severity::Info => "info",
        })
    }
}

/// One validation result.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Violation {
    pub severity: Severity,
    pub focus: String,
    pub path: Option<String>,
    pub value: Option<String>,
    pub message: String,
    pub shape: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.severity, self.focus)?;
        if let Some(path) = &self.path {
            write!(f, " {path}")?;
        }
        if let Some(value) = &self.value {
            write!(f, " = {value}")?;
        }
        write!(f, ": {} [{}]", self.message, self.shape)
    }
}

/// The description of one shape node: its predicates and objects.
struct ShapeNode {
    node: NamedOrBlankNode,
    properties: BTreeMap<String, Vec<Term>>,
}

impl ShapeNode {
    fn load(store: &Store, node: NamedOrBlankNodeRef<'_>) -> Result<Self, StoreError> {
        let mut properties: BTreeMap<String, Vec<Term>> = BTreeMap::new();
        for quad in store.quads_for_pattern(Some(node), None, None, None) {
            let quad = quad?;
            let values = properties.entry(quad.predicate.as_str().to_owned()).or_default();
            if !values.contains(&quad.object) {
                values.push(quad.object);
            }
        }
        Ok(Self {
            node: node.into_owned(),
            properties,
        })
    }

    fn values(&self, local: &str) -> &[Term] {
        self.properties.get(&format!("{SH}{local}")).map_or(&[], Vec::as_slice)
    }

    fn value(&self, local: &str) -> Option<&Term> {
        self.values(local).first()
    }

    fn name(&self) -> String {
        match &self.node {
            NamedOrBlankNode::NamedNode(node) => compact(node.as_str()),
            NamedOrBlankNode::BlankNode(_) => "(anonymous shape)".to_owned(),
        }
    }

    fn severity(&self) -> Severity {
        match self.value("severity") {
            Some(Term::NamedNode(n)) if n.as_str() == format!("{SH}Warning") => Severity::Warning,
            Some(Term::NamedNode(n)) if n.as_str() == format!("{SH}Info") => Severity::Info,
            _ => Severity::Violation,
        }
    }

    fn deactivated(&self) -> bool {
        matches!(self.value("deactivated"), Some(Term::Literal(l)) if l.value() == "true")
    }

    fn message(&self) -> Option<String> {
        match self.value("message") {
            Some(Term::Literal(literal)) => Some(literal.value().to_owned()),
            _ => None,
        }
    }

    /// Rejects SHACL terms this validator does not implement: any `sh:` predicate in none of
    /// the `allowed` lists.
    fn check_supported(&self, allowed: &[&[&str]]) -> Result<(), StoreError> {
        for predicate in self.properties.keys() {
            if let Some(local) = predicate.strip_prefix(SH)
                && !allowed.iter().any(|list| list.contains(&local))
            {
                return Err(StoreError::UnsupportedShacl(format!(
                    "sh:{local} in shape {}",
                    self.name()
                )));
            }
        }
        Ok(())
    }
}

/// What any shape may say without changing what is checked.
const COMMON: &[&str] = &[
    "name",
    "description",
    "message",
    "severity",
    "deactivated",
    "order",
    "group",
];
/// What only a node shape has: its targets and the shapes and constraints it holds.
const NODE_SHAPE: &[&str] = &[
    "targetClass",
    "targetNode",
    "targetSubjectsOf",
    "targetObjectsOf",
    "property",
    "sparql",
];
/// Constraints on each value on its own, which a node shape applies to its focus node (see
/// `value_checks`).
const VALUE_CONSTRAINTS: &[&str] = &[
    "datatype",
    "class",
    "nodeKind",
    "in",
    "pattern",
    "flags",
    "minLength",
    "maxLength",
    "minInclusive",
    "maxInclusive",
];
/// What only a property shape has: its path, and constraints on its values taken together
/// (which this validator does not implement for a node shape's focus node).
const PROPERTY_SHAPE: &[&str] = &["path", "minCount", "maxCount", "hasValue"];
/// What a SPARQL-based constraint (the node `sh:sparql` names) may have.
const SPARQL_CONSTRAINT: &[&str] = &[
    "select",
    "prefixes",
    "message",
    "severity",
    "deactivated",
    "name",
    "description",
];

fn sparql_error(error: impl fmt::Display) -> StoreError {
    StoreError::QueryEvaluation(error.to_string())
}

/// The rows of a SELECT over the union of the graphs (the shapes' checks; the quality report).
pub(super) fn select(store: &Store, query: &str) -> Result<Vec<BTreeMap<String, Term>>, StoreError> {
    let mut prepared = SparqlEvaluator::new()
        .parse_query(query)
        .map_err(|e| StoreError::UnsupportedShacl(format!("invalid SPARQL generated from a shape: {e}\n{query}")))?;
    prepared.dataset_mut().set_default_graph_as_union();
    let QueryResults::Solutions(solutions) = prepared.on_store(store).execute().map_err(sparql_error)? else {
        return Ok(Vec::new());
    };
    let mut rows = Vec::new();
    for solution in solutions {
        let solution = solution.map_err(sparql_error)?;
        rows.push(
            solution
                .iter()
                .map(|(variable, term)| (variable.as_str().to_owned(), term.clone()))
                .collect(),
        );
    }
    Ok(rows)
}

fn list_items(store: &Store, head: &Term) -> Result<Vec<Term>, StoreError> {
    let mut items = Vec::new();
    let mut current = head.clone();
    loop {
        let node: NamedOrBlankNode = match &current {
            Term::NamedNode(n) if n.as_str() == RDF_NIL => return Ok(items),
            Term::NamedNode(n) => n.clone().into(),
            Term::BlankNode(b) => b.clone().into(),
            Term::Literal(_) => return Err(StoreError::UnsupportedShacl("an RDF list that is a literal".into())),
        };
        let first = store
            .quads_for_pattern(Some(node.as_ref()), Some(RDF_FIRST), None, None)
            .next()
            .transpose()?;
        let rest = store
            .quads_for_pattern(Some(node.as_ref()), Some(RDF_REST), None, None)
            .next()
            .transpose()?;
        match (first, rest) {
            (Some(first), Some(rest)) if items.len() < 10_000 => {
                items.push(first.object);
                current = rest.object;
            }
            _ => return Err(StoreError::UnsupportedShacl("a malformed RDF list in sh:in".into())),
        }
    }
}

/// A SPARQL group pattern binding `?this` to the shape's focus nodes, or `None` without targets.
fn target_pattern(shape: &ShapeNode) -> Option<String> {
    let mut alternatives = Vec::new();
    for class in shape.values("targetClass") {
        alternatives.push(format!("{{ ?this <{RDF_TYPE}> {class} }}"));
    }
    let nodes: Vec<String> = shape.values("targetNode").iter().map(ToString::to_string).collect();
    if !nodes.is_empty() {
        alternatives.push(format!("{{ VALUES ?this {{ {} }} }}", nodes.join(" ")));
    }
    for predicate in shape.values("targetSubjectsOf") {
        alternatives.push(format!("{{ ?this {predicate} ?targetObject }}"));
    }
    for predicate in shape.values("targetObjectsOf") {
        alternatives.push(format!("{{ ?targetSubject {predicate} ?this }}"));
    }
    (!alternatives.is_empty()).then(|| {
        format!(
            "{{ SELECT DISTINCT ?this WHERE {{ {} }} }}",
            alternatives.join(" UNION ")
        )
    })
}

fn path_of(store: &Store, shape: &ShapeNode) -> Result<(String, String), StoreError> {
    // Loading skolemises the blank node of `[ sh:inversePath P ]` into a genid IRI.
    let anonymous = |node: &NamedNode| node.as_str().starts_with(super::vocab::GENID);
    let path_node: NamedOrBlankNode = match shape.value("path") {
        Some(Term::NamedNode(predicate)) if !anonymous(predicate) => {
            return Ok((predicate.to_string(), compact(predicate.as_str())));
        }
        Some(Term::NamedNode(node)) => node.clone().into(),
        Some(Term::BlankNode(blank)) => blank.clone().into(),
        _ => {
            return Err(StoreError::UnsupportedShacl(format!(
                "a property shape without an IRI sh:path: {}",
                shape.name()
            )));
        }
    };
    let path = ShapeNode::load(store, path_node.as_ref())?;
    match path.value("inversePath") {
        Some(Term::NamedNode(predicate)) if path.properties.len() == 1 => {
            Ok((format!("^{predicate}"), format!("^{}", compact(predicate.as_str()))))
        }
        _ => Err(StoreError::UnsupportedShacl(format!(
            "sh:path other than an IRI or [ sh:inversePath IRI ] in {}",
            shape.name()
        ))),
    }
}

fn literal_int(term: Option<&Term>, what: &str, shape: &ShapeNode) -> Result<Option<u64>, StoreError> {
    match term {
        None => Ok(None),
        Some(Term::Literal(literal)) => literal
            .value()
            .parse()
            .map(Some)
            .map_err(|_| StoreError::UnsupportedShacl(format!("sh:{what} is not an integer in {}", shape.name()))),
        Some(_) => Err(StoreError::UnsupportedShacl(format!(
            "sh:{what} is not a literal in {}",
            shape.name()
        ))),
    }
}

fn node_kind_filter(kind: &Term) -> Result<String, StoreError> {
    let Term::NamedNode(kind) = kind else {
        return Err(StoreError::UnsupportedShacl("sh:nodeKind must be an IRI".into()));
    };
    Ok(match kind.as_str().strip_prefix(SH) {
        Some("IRI") => "isIRI(?value)",
        Some("Literal") => "isLiteral(?value)",
        Some("BlankNode") => "isBlank(?value)",
        Some("BlankNodeOrIRI") => "(isBlank(?value) || isIRI(?value))",
        Some("BlankNodeOrLiteral") => "(isBlank(?value) || isLiteral(?value))",
        Some("IRIOrLiteral") => "(isIRI(?value) || isLiteral(?value))",
        _ => return Err(StoreError::UnsupportedShacl(format!("sh:nodeKind {kind}"))),
    }
    .to_owned())
}

fn sparql_string(text: &str) -> String {
    Term::from(oxigraph::model::Literal::new_simple_literal(text)).to_string()
}

/// One check: a query whose rows are violations, and how to report them.
struct Check {
    query: String,
    message: String,
    path: Option<String>,
    severity: Severity,
}

/// Where a shape's value constraints apply: to the values `value_pattern` binds to `?value`
/// for each focus node that `targets` binds to `?this`.
struct Values<'a> {
    store: &'a Store,
    shape: &'a ShapeNode,
    targets: &'a str,
    value_pattern: &'a str,
    /// The path as reported, for a property shape.
    path: Option<&'a str>,
}

impl Values<'_> {
    /// The check reporting the values for which `filter` holds.
    fn failing(&self, filter: String, message: String) -> Check {
        Check {
            query: format!(
                "SELECT ?this ?value WHERE {{ {} {} FILTER({filter}) }}",
                self.targets, self.value_pattern
            ),
            message: self.shape.message().unwrap_or(message),
            path: self.path.map(str::to_owned),
            severity: self.shape.severity(),
        }
    }
}

/// A constraint component on single values: the checks a shape's use of it compiles to.
type ValueComponent = fn(&Values<'_>) -> Result<Vec<Check>, StoreError>;

/// One per name in `VALUE_CONSTRAINTS` (`sh:flags` goes with `sh:pattern`).
const VALUE_COMPONENTS: &[ValueComponent] = &[
    datatype_checks,
    class_checks,
    node_kind_checks,
    in_checks,
    pattern_checks,
    min_length_checks,
    max_length_checks,
    min_inclusive_checks,
    max_inclusive_checks,
];

/// The value-level constraints of a shape.
fn value_checks(values: &Values<'_>) -> Result<Vec<Check>, StoreError> {
    let mut checks = Vec::new();
    for component in VALUE_COMPONENTS {
        checks.extend(component(values)?);
    }
    Ok(checks)
}

fn datatype_checks(values: &Values<'_>) -> Result<Vec<Check>, StoreError> {
    let checks = values.shape.values("datatype").iter().map(|datatype| {
        values.failing(
            format!("!isLiteral(?value) || datatype(?value) != {datatype}"),
            format!("the value must be a literal of type {datatype}"),
        )
    });
    Ok(checks.collect())
}

fn class_checks(values: &Values<'_>) -> Result<Vec<Check>, StoreError> {
    let checks = values.shape.values("class").iter().map(|class| {
        values.failing(
            format!("NOT EXISTS {{ ?value <{RDF_TYPE}> {class} }}"),
            format!("the value must be an instance of {class}"),
        )
    });
    Ok(checks.collect())
}

fn node_kind_checks(values: &Values<'_>) -> Result<Vec<Check>, StoreError> {
    let checks = values.shape.values("nodeKind").iter().map(|kind| {
        Ok(values.failing(
            format!("!{}", node_kind_filter(kind)?),
            format!("the value must be of node kind {kind}"),
        ))
    });
    checks.collect()
}

fn in_checks(values: &Values<'_>) -> Result<Vec<Check>, StoreError> {
    let checks = values.shape.values("in").iter().map(|list| {
        let items: Vec<String> = list_items(values.store, list)?
            .iter()
            .map(ToString::to_string)
            .collect();
        Ok(values.failing(
            format!("?value NOT IN ({})", items.join(", ")),
            format!("the value must be one of {}", items.join(", ")),
        ))
    });
    checks.collect()
}

fn pattern_checks(values: &Values<'_>) -> Result<Vec<Check>, StoreError> {
    let flags = match values.shape.value("flags") {
        Some(Term::Literal(flags)) => flags.value().to_owned(),
        _ => String::new(),
    };
    let checks = values.shape.values("pattern").iter().map(|pattern| {
        let Term::Literal(pattern) = pattern else {
            return Err(StoreError::UnsupportedShacl(format!(
                "sh:pattern is not a literal in {}",
                values.shape.name()
            )));
        };
        // A blank node has no string form to match, so it fails any pattern (SHACL §4.4.3).
        Ok(values.failing(
            format!(
                "isBlank(?value) || !REGEX(STR(?value), {}, {})",
                sparql_string(pattern.value()),
                sparql_string(&flags)
            ),
            format!("the value must match the pattern {}", pattern.value()),
        ))
    });
    checks.collect()
}

fn min_length_checks(values: &Values<'_>) -> Result<Vec<Check>, StoreError> {
    let min = literal_int(values.shape.value("minLength"), "minLength", values.shape)?;
    let checks = min.map(|min| {
        values.failing(
            format!("isBlank(?value) || STRLEN(STR(?value)) < {min}"),
            format!("the value must be at least {min} characters long"),
        )
    });
    Ok(checks.into_iter().collect())
}

fn max_length_checks(values: &Values<'_>) -> Result<Vec<Check>, StoreError> {
    let max = literal_int(values.shape.value("maxLength"), "maxLength", values.shape)?;
    let checks = max.map(|max| {
        values.failing(
            format!("isBlank(?value) || STRLEN(STR(?value)) > {max}"),
            format!("the value must be at most {max} characters long"),
        )
    });
    Ok(checks.into_iter().collect())
}

fn min_inclusive_checks(values: &Values<'_>) -> Result<Vec<Check>, StoreError> {
    // A value the bound cannot be compared with fails (SHACL §4.3): the comparison's error would
    // otherwise drop the row, and the value would pass.
    let checks = values.shape.values("minInclusive").iter().map(|bound| {
        values.failing(
            format!("!COALESCE(?value >= {bound}, false)"),
            format!("the value must be at least {bound}"),
        )
    });
    Ok(checks.collect())
}

fn max_inclusive_checks(values: &Values<'_>) -> Result<Vec<Check>, StoreError> {
    let checks = values.shape.values("maxInclusive").iter().map(|bound| {
        values.failing(
            format!("!COALESCE(?value <= {bound}, false)"),
            format!("the value must be at most {bound}"),
        )
    });
    Ok(checks.collect())
}

/// Expands `sh:prefixes` into PREFIX declarations.
fn prefixes(store: &Store, constraint: &ShapeNode) -> Result<String, StoreError> {
    let mut declarations = String::new();
    for ontology in constraint.values("prefixes") {
        let rows = select(
            store,
            &format!(
                "SELECT ?prefix ?namespace WHERE {{ {ontology} <{SH}declare> ?d . ?d <{SH}prefix> ?prefix ; <{SH}namespace> ?namespace }}"
            ),
        )?;
        for row in rows {
            if let (Some(Term::Literal(prefix)), Some(Term::Literal(namespace))) =
                (row.get("prefix"), row.get("namespace"))
            {
                declarations.push_str(&format!("PREFIX {}: <{}>\n", prefix.value(), namespace.value()));
            }
        }
    }
    Ok(declarations)
}

/// The node a shape's `sh:property` or `sh:sparql` (`what`) names.
fn linked_node(store: &Store, term: &Term, what: &str) -> Result<ShapeNode, StoreError> {
    match term {
        Term::NamedNode(n) => ShapeNode::load(store, n.as_ref().into()),
        Term::BlankNode(b) => ShapeNode::load(store, b.as_ref().into()),
        Term::Literal(_) => Err(StoreError::UnsupportedShacl(format!("a literal {what}"))),
    }
}

/// A node shape's checks: on its focus nodes, its property shapes' and its SPARQL
/// constraints'. A shape without targets has no focus nodes, so nothing to check.
fn shape_checks(store: &Store, shape: &ShapeNode) -> Result<Vec<Check>, StoreError> {
    shape.check_supported(&[COMMON, NODE_SHAPE, VALUE_CONSTRAINTS])?;
    let Some(targets) = target_pattern(shape) else {
        return Ok(Vec::new());
    };
    let on_focus = Values {
        store,
        shape,
        targets: &targets,
        value_pattern: "BIND(?this AS ?value)",
        path: None,
    };
    let mut checks = value_checks(&on_focus)?;
    for property in shape.values("property") {
        checks.extend(property_checks(store, property, &targets)?);
    }
    for constraint in shape.values("sparql") {
        checks.extend(sparql_check(store, shape, constraint, &targets)?);
    }
    Ok(checks)
}

/// A property shape, on the values its path reaches from each focus node.
struct Property<'a> {
    shape: ShapeNode,
    targets: &'a str,
    /// The path as SPARQL.
    path: String,
    /// The path as reported.
    shown: String,
}

impl Property<'_> {
    /// The check whose query `query` lists the focus nodes that fail.
    fn check(&self, query: String, message: String) -> Check {
        Check {
            query,
            message: self.shape.message().unwrap_or(message),
            path: Some(self.shown.clone()),
            severity: self.shape.severity(),
        }
    }
}

/// The checks of the property shape `term` names, on the focus nodes `targets` binds.
fn property_checks(store: &Store, term: &Term, targets: &str) -> Result<Vec<Check>, StoreError> {
    let shape = linked_node(store, term, "sh:property")?;
    if shape.deactivated() {
        return Ok(Vec::new());
    }
    shape.check_supported(&[COMMON, VALUE_CONSTRAINTS, PROPERTY_SHAPE])?;
    let (path, shown) = path_of(store, &shape)?;
    let property = Property {
        shape,
        targets,
        path,
        shown,
    };
    let mut checks: Vec<Check> = min_count_check(&property)?.into_iter().collect();
    checks.extend(max_count_check(&property)?);
    checks.extend(has_value_checks(&property));
    let value_pattern = format!("?this {} ?value .", property.path);
    checks.extend(value_checks(&Values {
        store,
        shape: &property.shape,
        targets,
        value_pattern: &value_pattern,
        path: Some(&property.shown),
    })?);
    Ok(checks)
}

fn plural(count: u64) -> &'static str {
    if count == 1 { "" } else { "s" }
}

fn min_count_check(property: &Property<'_>) -> Result<Option<Check>, StoreError> {
    let Some(min) = literal_int(property.shape.value("minCount"), "minCount", &property.shape)? else {
        return Ok(None);
    };
    let (targets, path) = (property.targets, &property.path);
    // OPTIONAL keeps the focus nodes without any value, counted as 0.
    Ok(Some(property.check(
        format!(
            "SELECT ?this WHERE {{ {targets} OPTIONAL {{ ?this {path} ?value }} }} GROUP BY ?this HAVING (COUNT(DISTINCT ?value) < {min})"
        ),
        format!("needs at least {min} value{}", plural(min)),
    )))
}

fn max_count_check(property: &Property<'_>) -> Result<Option<Check>, StoreError> {
    let Some(max) = literal_int(property.shape.value("maxCount"), "maxCount", &property.shape)? else {
        return Ok(None);
    };
    let (targets, path) = (property.targets, &property.path);
    Ok(Some(property.check(
        format!(
            "SELECT ?this WHERE {{ {targets} ?this {path} ?value }} GROUP BY ?this HAVING (COUNT(DISTINCT ?value) > {max})"
        ),
        format!("has more than {max} value{}", plural(max)),
    )))
}

fn has_value_checks(property: &Property<'_>) -> Vec<Check> {
    let (targets, path) = (property.targets, &property.path);
    property
        .shape
        .values("hasValue")
        .iter()
        .map(|value| {
            property.check(
                format!("SELECT ?this WHERE {{ {targets} FILTER NOT EXISTS {{ ?this {path} {value} }} }}"),
                format!("must have the value {value}"),
            )
        })
        .collect()
}

/// The check of the SPARQL constraint `term` names, or `None` when it is deactivated.
fn sparql_check(store: &Store, shape: &ShapeNode, term: &Term, targets: &str) -> Result<Option<Check>, StoreError> {
    let constraint = linked_node(store, term, "sh:sparql")?;
    if constraint.deactivated() {
        return Ok(None);
    }
    constraint.check_supported(&[SPARQL_CONSTRAINT])?;
    let Some(Term::Literal(select_text)) = constraint.value("select") else {
        return Err(StoreError::UnsupportedShacl(format!(
            "sh:sparql without sh:select in {}",
            shape.name()
        )));
    };
    // Joined with the targets rather than pre-bound: the query must bind `$this` itself. Every
    // variable it projects may fill the message (SHACL §5.3.2), not only `?value` and `?path`.
    let inner = select_text.value().replace("$this", "?this");
    Ok(Some(Check {
        query: format!(
            "{}SELECT * WHERE {{ {targets} {{ {inner} }} }}",
            prefixes(store, &constraint)?
        ),
        message: constraint
            .message()
            .or_else(|| shape.message())
            .unwrap_or_else(|| "fails a SPARQL constraint".to_owned()),
        path: None,
        severity: shape.severity(),
    }))
}

/// Namespaces shortened in reports, so that a line reads `id:beta gg:hosts`.
const SHORT: &[(&str, &str)] = &[
    ("gg:", "https://w3id.org/govgraph/ns#"),
    ("id:", "https://w3id.org/govgraph/id/"),
    ("rel:", "https://w3id.org/govgraph/rel/"),
    ("shapes:", "https://w3id.org/govgraph/shapes#"),
    ("rdfs:", "http://www.w3.org/2000/01/rdf-schema#"),
    ("skos:", "http://www.w3.org/2004/02/skos/core#"),
    ("schema:", "http://schema.org/"),
    ("dcterms:", "http://purl.org/dc/terms/"),
];

fn compact(iri: &str) -> String {
    SHORT
        .iter()
        .find_map(|(prefix, namespace)| iri.strip_prefix(namespace).map(|local| format!("{prefix}{local}")))
        .unwrap_or_else(|| format!("<{iri}>"))
}

fn show(term: &Term) -> String {
    match term {
        Term::Literal(literal) => format!("\"{}\"", literal.value()),
        Term::NamedNode(node) => compact(node.as_str()),
        other => other.to_string(),
    }
}

/// Substitutes `{?var}` and `{$var}` in a message with the row's values (SHACL §5.3.2).
fn fill_template(message: &str, row: &BTreeMap<String, Term>) -> String {
    let mut filled = message.to_owned();
    for (variable, term) in row {
        for marker in [format!("{{?{variable}}}"), format!("{{${variable}}}")] {
            filled = filled.replace(&marker, &show(term));
        }
    }
    filled
}

/// A node shape compiled: its name for reports, and its checks.
struct CompiledShape {
    name: String,
    checks: Vec<Check>,
}

/// Compiles every active `sh:NodeShape` in the store, refusing what is not implemented.
fn compile(store: &Store) -> Result<Vec<CompiledShape>, StoreError> {
    let node_shape = NamedNode::new_unchecked(format!("{SH}NodeShape"));
    let rdf_type = NamedNodeRef::new_unchecked(RDF_TYPE);
    let mut subjects = Vec::new();
    for quad in store.quads_for_pattern(None, Some(rdf_type), Some(node_shape.as_ref().into()), None) {
        let subject = quad?.subject;
        if !subjects.contains(&subject) {
            subjects.push(subject);
        }
    }
    let mut compiled = Vec::new();
    for subject in subjects {
        let shape = ShapeNode::load(store, subject.as_ref())?;
        if !shape.deactivated() {
            compiled.push(CompiledShape {
                checks: shape_checks(store, &shape)?,
                name: shape.name(),
            });
        }
    }
    Ok(compiled)
}

/// The violations `check` finds in the store.
fn run(store: &Store, shape: &str, check: &Check) -> Result<Vec<Violation>, StoreError> {
    let mut results = Vec::new();
    for row in select(store, &check.query)? {
        let Some(focus) = row.get("this") else { continue };
        results.push(Violation {
            severity: check.severity,
            focus: show(focus),
            path: row.get("path").map(show).or_else(|| check.path.clone()),
            value: row.get("value").filter(|value| *value != focus).map(show),
            message: fill_template(&check.message, &row),
            shape: shape.to_owned(),
        });
    }
    Ok(results)
}

/// Validates the union of all graphs against every `sh:NodeShape` in the store.
pub fn validate(store: &Store) -> Result<Vec<Violation>, StoreError> {
    let mut results = Vec::new();
    for shape in compile(store)? {
        for check in &shape.checks {
            results.extend(run(store, &shape.name, check)?);
        }
    }
    results.sort();
    results.dedup();
    Ok(results)
}

#[cfg(test)]
mod tests;
