//! The SHACL compiler on its own: small shapes graphs, compiled, run on tiny data graphs kept in a
//! store of their own (so that neither graph sees the other's triples), and the features it
//! does not implement, refused by name.

use super::*;
use oxigraph::io::RdfFormat;
use std::collections::BTreeSet;

const PREFIXES: &str = "@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
";

fn store(turtle: &str) -> Store {
    let store = Store::new().unwrap();
    store
        .load_from_slice(RdfFormat::Turtle, format!("{PREFIXES}{turtle}").as_bytes())
        .unwrap();
    store
}

/// The focus nodes (local names under `ex:`, literals quoted) of the violations that the
/// checks compiled from `shapes` find in `data`.
fn focus_nodes(shapes: &str, data: &str) -> Result<BTreeSet<String>, StoreError> {
    let (shapes, data) = (store(shapes), store(data));
    let mut found = BTreeSet::new();
    for shape in compile(&shapes)? {
        for check in &shape.checks {
            for violation in run(&data, &shape.name, check)? {
                let focus = violation.focus;
                let local = focus
                    .strip_prefix("<http://example.org/")
                    .and_then(|f| f.strip_suffix('>'));
                found.insert(local.map_or(focus.clone(), str::to_owned));
            }
        }
    }
    Ok(found)
}

/// The focus nodes of the violations of one property shape on `ex:p`, which `property` completes,
/// targeting the instances of `ex:Thing`.
fn on_p(property: &str, data: &str) -> BTreeSet<String> {
    let shapes = format!("ex:S a sh:NodeShape ; sh:targetClass ex:Thing ; sh:property [ sh:path ex:p ; {property} ] .");
    focus_nodes(&shapes, data).unwrap()
}

fn set<const N: usize>(names: [&str; N]) -> BTreeSet<String> {
    names.into_iter().map(str::to_owned).collect()
}

/// The error compiling (or running) `shapes` gives, as shown to a user.
fn refusal(shapes: &str) -> String {
    match focus_nodes(shapes, "ex:a a ex:Thing ; ex:p 1 .") {
        Err(error @ StoreError::UnsupportedShacl(_)) => error.to_string(),
        other => panic!("{shapes}\nis not refused: {other:?}"),
    }
}

#[test]
fn min_count_finds_focus_nodes_with_too_few_distinct_values() {
    let data = "ex:none a ex:Thing . ex:one a ex:Thing ; ex:p 1 . ex:two a ex:Thing ; ex:p 1, 2 .
        ex:again a ex:Thing ; ex:p 1, 1 . ex:untargeted ex:q 1 .";
    assert_eq!(on_p("sh:minCount 1", data), set(["none"]));
    assert_eq!(on_p("sh:minCount 2", data), set(["again", "none", "one"]));
    assert_eq!(on_p("sh:minCount 0", data), set([]));
}

#[test]
fn max_count_finds_focus_nodes_with_too_many_distinct_values() {
    let data = "ex:none a ex:Thing . ex:one a ex:Thing ; ex:p 1 . ex:two a ex:Thing ; ex:p 1, 2 .
        ex:three a ex:Thing ; ex:p 1, 2, 3 . ex:untargeted ex:p 1, 2 .";
    assert_eq!(on_p("sh:maxCount 1", data), set(["three", "two"]));
    assert_eq!(on_p("sh:maxCount 2", data), set(["three"]));
    assert_eq!(on_p("sh:maxCount 0", data), set(["one", "three", "two"]));
}

#[test]
fn datatype_finds_values_that_are_not_literals_of_the_type() {
    let data = "ex:int a ex:Thing ; ex:p 1 . ex:string a ex:Thing ; ex:p \"1\" .
        ex:iri a ex:Thing ; ex:p ex:x . ex:decimal a ex:Thing ; ex:p 1.5 . ex:none a ex:Thing .";
    assert_eq!(on_p("sh:datatype xsd:integer", data), set(["decimal", "iri", "string"]));
    assert_eq!(on_p("sh:datatype xsd:string", data), set(["decimal", "int", "iri"]));
}

#[test]
fn class_finds_values_that_are_not_instances() {
    let data = "ex:member a ex:Thing ; ex:p ex:x . ex:x a ex:Kind .
        ex:stranger a ex:Thing ; ex:p ex:y . ex:y a ex:Other .
        ex:literal a ex:Thing ; ex:p \"x\" . ex:mixed a ex:Thing ; ex:p ex:x, ex:y .";
    assert_eq!(on_p("sh:class ex:Kind", data), set(["literal", "mixed", "stranger"]));
    assert_eq!(on_p("sh:class ex:Other", data), set(["literal", "member", "mixed"]));
}

#[test]
fn node_kind_finds_values_of_another_kind_for_each_of_the_six_kinds() {
    let data = "ex:iri a ex:Thing ; ex:p ex:x . ex:blank a ex:Thing ; ex:p [ ex:q 1 ] .
        ex:literal a ex:Thing ; ex:p \"x\" .";
    for (kind, expected) in [
        ("IRI", set(["blank", "literal"])),
        ("Literal", set(["blank", "iri"])),
        ("BlankNode", set(["iri", "literal"])),
        ("BlankNodeOrIRI", set(["literal"])),
        ("BlankNodeOrLiteral", set(["iri"])),
        ("IRIOrLiteral", set(["blank"])),
    ] {
        assert_eq!(on_p(&format!("sh:nodeKind sh:{kind}"), data), expected, "{kind}");
    }
}

#[test]
fn in_finds_values_outside_the_list() {
    let data = "ex:red a ex:Thing ; ex:p ex:red . ex:one a ex:Thing ; ex:p 1 .
        ex:blue a ex:Thing ; ex:p ex:blue . ex:two a ex:Thing ; ex:p 2 .
        ex:both a ex:Thing ; ex:p ex:red, ex:blue .";
    assert_eq!(on_p("sh:in ( ex:red 1 )", data), set(["blue", "both", "two"]));
    assert_eq!(on_p("sh:in ( ex:red ex:blue 1 2 )", data), set([]));
}

#[test]
fn has_value_finds_focus_nodes_lacking_the_value() {
    let data = "ex:with a ex:Thing ; ex:p ex:red, ex:blue . ex:without a ex:Thing ; ex:p ex:blue .
        ex:none a ex:Thing .";
    assert_eq!(on_p("sh:hasValue ex:red", data), set(["none", "without"]));
    assert_eq!(on_p("sh:hasValue ex:blue", data), set(["none"]));
}

#[test]
fn pattern_finds_values_that_do_not_match_under_the_flags() {
    let data = "ex:match a ex:Thing ; ex:p \"abc\" . ex:inside a ex:Thing ; ex:p \"xab\" .
        ex:upper a ex:Thing ; ex:p \"ABC\" . ex:blank a ex:Thing ; ex:p [ ex:q 1 ] .
        ex:number a ex:Thing ; ex:p 12 .";
    assert_eq!(
        on_p("sh:pattern \"^ab\"", data),
        set(["blank", "inside", "number", "upper"])
    );
    assert_eq!(
        on_p("sh:pattern \"^ab\" ; sh:flags \"i\"", data),
        set(["blank", "inside", "number"])
    );
    // A number matches by its lexical form.
    assert_eq!(
        on_p("sh:pattern \"^[0-9]+$\"", data),
        set(["blank", "inside", "match", "upper"])
    );
}

#[test]
fn min_length_finds_values_too_short_and_blank_nodes() {
    let data = "ex:two a ex:Thing ; ex:p \"ab\" . ex:three a ex:Thing ; ex:p \"abc\" .
        ex:blank a ex:Thing ; ex:p [ ex:q 1 ] . ex:number a ex:Thing ; ex:p 1234 .";
    assert_eq!(on_p("sh:minLength 3", data), set(["blank", "two"]));
    assert_eq!(on_p("sh:minLength 4", data), set(["blank", "three", "two"]));
}

#[test]
fn max_length_finds_values_too_long_and_blank_nodes() {
    let data = "ex:two a ex:Thing ; ex:p \"ab\" . ex:three a ex:Thing ; ex:p \"abc\" .
        ex:blank a ex:Thing ; ex:p [ ex:q 1 ] . ex:number a ex:Thing ; ex:p 1234 .";
    assert_eq!(on_p("sh:maxLength 3", data), set(["blank", "number"]));
    assert_eq!(on_p("sh:maxLength 2", data), set(["blank", "number", "three"]));
}

#[test]
fn min_inclusive_finds_values_below_the_bound() {
    let data = "ex:two a ex:Thing ; ex:p 2 . ex:three a ex:Thing ; ex:p 3 . ex:half a ex:Thing ; ex:p 2.5 .
        ex:four a ex:Thing ; ex:p 4.0 .";
    assert_eq!(on_p("sh:minInclusive 3", data), set(["half", "two"]));
    assert_eq!(on_p("sh:minInclusive 2.5", data), set(["two"]));
}

#[test]
fn max_inclusive_finds_values_above_the_bound() {
    let data = "ex:two a ex:Thing ; ex:p 2 . ex:three a ex:Thing ; ex:p 3 . ex:half a ex:Thing ; ex:p 3.5 .";
    assert_eq!(on_p("sh:maxInclusive 3", data), set(["half"]));
    assert_eq!(on_p("sh:maxInclusive 2", data), set(["half", "three"]));
    let dates =
        "ex:first a ex:Thing ; ex:p \"2020-01-01\"^^xsd:date . ex:second a ex:Thing ; ex:p \"2020-01-02\"^^xsd:date .";
    assert_eq!(on_p("sh:maxInclusive \"2020-01-01\"^^xsd:date", dates), set(["second"]));
}

#[test]
fn range_bounds_fail_values_not_comparable_with_them() {
    // SHACL §4.3: a value the comparison is undefined for is a violation.
    let data = "ex:three a ex:Thing ; ex:p 3 . ex:word a ex:Thing ; ex:p \"abc\" . ex:iri a ex:Thing ; ex:p ex:x .";
    assert_eq!(on_p("sh:minInclusive 1", data), set(["iri", "word"]));
    assert_eq!(on_p("sh:maxInclusive 5", data), set(["iri", "word"]));
}

#[test]
fn an_inverse_path_reads_the_relation_backwards() {
    let data = "ex:pointed a ex:Thing . ex:lonely a ex:Thing . ex:other ex:p ex:pointed .
        ex:twice a ex:Thing . ex:x ex:p ex:twice . ex:y ex:p ex:twice .";
    let shape = |constraint: &str| {
        format!(
            "ex:S a sh:NodeShape ; sh:targetClass ex:Thing ;
                sh:property [ sh:path [ sh:inversePath ex:p ] ; {constraint} ] ."
        )
    };
    assert_eq!(focus_nodes(&shape("sh:minCount 1"), data).unwrap(), set(["lonely"]));
    assert_eq!(focus_nodes(&shape("sh:maxCount 1"), data).unwrap(), set(["twice"]));
}

#[test]
fn a_sparql_constraint_joins_its_select_with_the_targets_and_expands_its_prefixes() {
    let shapes = |filter: &str| {
        format!(
            "ex: sh:declare [ sh:prefix \"ex\" ; sh:namespace \"http://example.org/\"^^xsd:anyURI ] .
            ex:S a sh:NodeShape ; sh:targetClass ex:Thing ;
                sh:sparql [ sh:prefixes ex: ; sh:select \"SELECT $this ?value WHERE {{ $this ex:p ?value {filter} }}\" ] ."
        )
    };
    let data = "ex:small a ex:Thing ; ex:p 1 . ex:large a ex:Thing ; ex:p 5 . ex:untargeted ex:p 5 .";
    assert_eq!(
        focus_nodes(&shapes("FILTER(?value > 2)"), data).unwrap(),
        set(["large"])
    );
    assert_eq!(
        focus_nodes(&shapes("FILTER(?value < 2)"), data).unwrap(),
        set(["small"])
    );
}

#[test]
fn each_target_kind_binds_its_focus_nodes() {
    // Every focus node lacks ex:missing, so the violations list the focus nodes.
    let shape = |targets: &str| {
        format!("ex:S a sh:NodeShape ; {targets} ; sh:property [ sh:path ex:missing ; sh:minCount 1 ] .")
    };
    let data = "ex:a a ex:Thing ; ex:p ex:b . ex:b a ex:Other ; ex:p \"text\" . ex:c ex:q ex:a .";
    for (targets, expected) in [
        ("sh:targetClass ex:Thing", set(["a"])),
        ("sh:targetClass ex:Thing, ex:Other", set(["a", "b"])),
        ("sh:targetNode ex:c, ex:absent", set(["absent", "c"])),
        ("sh:targetSubjectsOf ex:p", set(["a", "b"])),
        ("sh:targetObjectsOf ex:p", set(["\"text\"", "b"])),
        ("sh:targetObjectsOf ex:q ; sh:targetSubjectsOf ex:q", set(["a", "c"])),
        ("sh:name \"no targets\"", set([])),
    ] {
        assert_eq!(focus_nodes(&shape(targets), data).unwrap(), expected, "{targets}");
    }
}

#[test]
fn a_node_shape_applies_value_constraints_to_its_focus_nodes() {
    let shape = |constraint: &str| format!("ex:S a sh:NodeShape ; sh:targetObjectsOf ex:p ; {constraint} .");
    let data = "ex:a ex:p ex:kind, ex:plain, \"text\", 7 . ex:kind a ex:Kind .";
    assert_eq!(
        focus_nodes(&shape("sh:class ex:Kind"), data).unwrap(),
        set(["\"7\"", "\"text\"", "plain"])
    );
    assert_eq!(
        focus_nodes(&shape("sh:nodeKind sh:IRI"), data).unwrap(),
        set(["\"7\"", "\"text\""])
    );
    assert_eq!(
        focus_nodes(&shape("sh:pattern \"kind\""), data).unwrap(),
        set(["\"7\"", "\"text\"", "plain"])
    );
    assert_eq!(
        focus_nodes(&shape("sh:maxInclusive 10"), data).unwrap(),
        set(["\"text\"", "kind", "plain"])
    );
}

#[test]
fn deactivated_shapes_properties_and_constraints_check_nothing() {
    let data = "ex:a a ex:Thing .";
    let shape = |shape: &str, property: &str, sparql: &str| {
        format!(
            "ex:S a sh:NodeShape ; sh:targetClass ex:Thing ; sh:deactivated {shape} ;
                sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:deactivated {property} ] ;
                sh:sparql [ sh:select \"SELECT $this WHERE {{ $this a ?type }}\" ; sh:deactivated {sparql} ] ."
        )
    };
    let found = |s, p, q| focus_nodes(&shape(s, p, q), data).unwrap();
    assert_eq!(found("false", "false", "false"), set(["a"]));
    assert_eq!(found("true", "false", "false"), set([]));
    assert_eq!(found("false", "true", "true"), set([]));
    // Each on its own still reports: the other one fails.
    assert_eq!(found("false", "true", "false"), set(["a"]));
    assert_eq!(found("false", "false", "true"), set(["a"]));
}

#[test]
fn reports_carry_the_shape_path_value_severity_and_filled_message() {
    let store = store(
        "ex: sh:declare [ sh:prefix \"ex\" ; sh:namespace \"http://example.org/\"^^xsd:anyURI ] .
        ex:S a sh:NodeShape ; sh:targetClass ex:Thing ; sh:severity sh:Warning ; sh:message \"shape says\" ;
            sh:property [ sh:path ex:p ; sh:maxCount 1 ; sh:message \"one ex:p at most\" ] ;
            sh:property [ sh:path ex:p ; sh:datatype xsd:integer ; sh:severity sh:Info ] ;
            sh:sparql [ sh:prefixes ex: ; sh:select \"SELECT $this ?value WHERE { $this ex:p ?value FILTER(?value = 1) }\" ;
                sh:message \"{$this} has {?value}\" ] ;
            sh:sparql [ sh:prefixes ex: ; sh:select \"SELECT $this WHERE { $this ex:p 2 }\" ] .
        ex:a a ex:Thing ; ex:p 1, \"two\" . ex:b a ex:Thing ; ex:p 2 .",
    );
    let shown: Vec<String> = validate(&store).unwrap().iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        [
            "violation: <http://example.org/a> <http://example.org/p>: one ex:p at most [<http://example.org/S>]",
            "warning: <http://example.org/a> = \"1\": <http://example.org/a> has \"1\" [<http://example.org/S>]",
            "warning: <http://example.org/b>: shape says [<http://example.org/S>]",
            "info: <http://example.org/a> <http://example.org/p> = \"two\": the value must be a literal of type \
             <http://www.w3.org/2001/XMLSchema#integer> [<http://example.org/S>]",
        ]
    );
}

#[test]
fn unimplemented_constraint_components_are_refused_by_name() {
    for component in [
        "sh:minExclusive 1",
        "sh:maxExclusive 1",
        "sh:languageIn ( \"en\" )",
        "sh:uniqueLang true",
        "sh:equals ex:q",
        "sh:disjoint ex:q",
        "sh:lessThan ex:q",
        "sh:lessThanOrEquals ex:q",
        "sh:node ex:Other",
        "sh:qualifiedValueShape [ sh:class ex:Kind ]",
        "sh:qualifiedMinCount 1",
        "sh:or ( [ sh:class ex:Kind ] )",
        "sh:and ( [ sh:class ex:Kind ] )",
        "sh:not [ sh:class ex:Kind ]",
        "sh:xone ( [ sh:class ex:Kind ] )",
        "sh:targetClass ex:Thing",
    ] {
        let name = component.split_whitespace().next().unwrap();
        let property =
            format!("ex:S a sh:NodeShape ; sh:targetClass ex:Thing ; sh:property [ sh:path ex:p ; {component} ] .");
        assert!(refusal(&property).contains(&format!("{name} in shape")), "{component}");
        if name != "sh:targetClass" {
            let node = format!("ex:S a sh:NodeShape ; sh:targetClass ex:Thing ; {component} .");
            assert!(
                refusal(&node).contains(&format!("{name} in shape <http://example.org/S>")),
                "{component}"
            );
        }
    }
}

#[test]
fn node_shapes_refuse_what_only_property_shapes_implement() {
    for component in [
        "sh:minCount 1",
        "sh:maxCount 1",
        "sh:hasValue ex:a",
        "sh:path ex:p",
        "sh:closed true",
    ] {
        let name = component.split_whitespace().next().unwrap();
        let node = format!("ex:S a sh:NodeShape ; sh:targetClass ex:Thing ; {component} .");
        assert!(
            refusal(&node).contains(&format!("{name} in shape <http://example.org/S>")),
            "{component}"
        );
    }
}

#[test]
fn unimplemented_paths_are_refused() {
    for path in [
        "( ex:p ex:q )",
        "[ sh:alternativePath ( ex:p ex:q ) ]",
        "[ sh:zeroOrMorePath ex:p ]",
        "[ sh:oneOrMorePath ex:p ]",
        "[ sh:zeroOrOnePath ex:p ]",
        "[ sh:inversePath [ sh:inversePath ex:p ] ]",
        "[ sh:inversePath ex:p ; sh:zeroOrMorePath ex:q ]",
    ] {
        let shapes =
            format!("ex:S a sh:NodeShape ; sh:targetClass ex:Thing ; sh:property [ sh:path {path} ; sh:minCount 1 ] .");
        assert!(
            refusal(&shapes).contains("sh:path other than an IRI or [ sh:inversePath IRI ]"),
            "{path}"
        );
    }
    let pathless = "ex:S a sh:NodeShape ; sh:targetClass ex:Thing ; sh:property [ sh:minCount 1 ] .";
    assert!(refusal(pathless).contains("a property shape without an IRI sh:path"));
}

#[test]
fn malformed_values_of_implemented_components_are_refused() {
    for (property, expected) in [
        ("sh:minCount \"one\"", "sh:minCount is not an integer"),
        ("sh:maxCount ex:two", "sh:maxCount is not a literal"),
        ("sh:minLength -1", "sh:minLength is not an integer"),
        ("sh:maxLength 1.5", "sh:maxLength is not an integer"),
        ("sh:nodeKind sh:Thing", "sh:nodeKind <http://www.w3.org/ns/shacl#Thing>"),
        ("sh:nodeKind \"IRI\"", "sh:nodeKind must be an IRI"),
        ("sh:pattern ex:regex", "sh:pattern is not a literal"),
        ("sh:in ex:notAList", "a malformed RDF list in sh:in"),
        ("sh:in \"red\"", "an RDF list that is a literal"),
    ] {
        let shapes =
            format!("ex:S a sh:NodeShape ; sh:targetClass ex:Thing ; sh:property [ sh:path ex:p ; {property} ] .");
        let refused = refusal(&shapes);
        assert!(refused.contains(expected), "{property}: {refused}");
    }
}

#[test]
fn unimplemented_sparql_constraints_are_refused() {
    for (constraint, expected) in [
        ("[ sh:ask \"ASK { $this ?p ?o }\" ]", "sh:ask in shape"),
        (
            "[ sh:message \"no query\" ]",
            "sh:sparql without sh:select in <http://example.org/S>",
        ),
        (
            "[ sh:select \"SELECT $this WHERE { $this \" ]",
            "invalid SPARQL generated from a shape",
        ),
        ("\"SELECT $this WHERE { }\"", "a literal sh:sparql"),
    ] {
        let shapes = format!("ex:S a sh:NodeShape ; sh:targetClass ex:Thing ; sh:sparql {constraint} .");
        let refused = refusal(&shapes);
        assert!(refused.contains(expected), "{constraint}: {refused}");
    }
    let literal_property = "ex:S a sh:NodeShape ; sh:targetClass ex:Thing ; sh:property \"ex:p\" .";
    assert!(refusal(literal_property).contains("a literal sh:property"));
}
