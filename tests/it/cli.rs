//! The offline commands on a real on-disk store: load, import, export, query, generate, and
//! their errors (each a clear message, a non-zero exit, and an untouched store).

use crate::util::{Workspace, govgraph};
use oxigraph::io::{RdfFormat, RdfParser};

const PREFIXES: &str = "PREFIX gg: <https://w3id.org/govgraph/ns#> PREFIX id: <https://w3id.org/govgraph/id/> \
     PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> ";

const GOOD_TURTLE: &str = r#"@prefix : <https://w3id.org/govgraph/id/> .
@prefix rel: <https://w3id.org/govgraph/rel/> .
@prefix gg: <https://w3id.org/govgraph/ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <http://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

:test-source a gg:Document ; rdfs:label "Test source" ; gg:evidence [ gg:document :test-source ] .
:test-forum a gg:Meeting ; rdfs:label "Test Forum, Genève" ; schema:startDate "2015-11"^^xsd:gYearMonth ;
    gg:claim [ gg:property schema:startDate ; gg:value "2015-11"^^xsd:gYearMonth ; gg:evidenceType gg:SeedQuote ;
               gg:evidence [ gg:document :test-source ; gg:quote "the forum met in November 2015" ] ] ;
    gg:evidence [ gg:document :test-source ; gg:quote "the forum" ] .
:test-group a gg:DiscussionSpace ; rdfs:label "Test group" ; gg:evidence [ gg:document :test-source ] .
rel:test-group--organizes--test-forum a gg:Relation ;
    gg:source :test-group ; gg:predicate gg:organizes ; gg:target :test-forum ;
    gg:relationKind gg:Direct ; gg:evidenceType gg:SeedQuote ;
    gg:evidence [ gg:document :test-source ; gg:quote "the group organizes the forum" ] .
"#;

fn count(workspace: &Workspace, pattern: &str) -> usize {
    let value = workspace.query_value(&format!("{PREFIXES} SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}"));
    value
        .split("^^")
        .next()
        .unwrap_or_default()
        .trim_matches('"')
        .parse()
        .expect("a count")
}

#[test]
fn load_puts_the_ontology_first_materialises_relations_and_never_duplicates() {
    let workspace = Workspace::new();
    let file = workspace.write("good.ttl", GOOD_TURTLE);
    govgraph(["load", "--data", &workspace.data(), &file])
        .success()
        .stdout_contains("loaded ");
    // The ontology came first; the relation node got its plain triple and its shortcut.
    assert_eq!(
        count(
            &workspace,
            "GRAPH <https://w3id.org/govgraph/graph/ontology> { gg:Meeting a ?c }"
        ),
        1
    );
    assert_eq!(
        count(
            &workspace,
            "id:test-group gg:organizes id:test-forum ; gg:directlyRelatedTo id:test-forum"
        ),
        1
    );
    assert_eq!(
        count(&workspace, "id:test-forum a gg:Entity"),
        1,
        "the type closure is materialised"
    );
    let before = workspace.quad_count();
    // Loading the same file again (blank nodes included) changes nothing.
    govgraph(["load", "--data", &workspace.data(), &file]).success();
    assert_eq!(workspace.quad_count(), before);
    govgraph(["validate", "--data", &workspace.data()])
        .success()
        .stderr_contains("0 violations");
}

#[test]
fn load_into_a_graph_and_replace_it() {
    let workspace = Workspace::new();
    let graph = "https://example.org/graph/mine";
    let file = workspace.write("good.ttl", GOOD_TURTLE);
    govgraph(["load", "--data", &workspace.data(), "--graph", graph, &file])
        .success()
        .stdout_contains(graph);
    assert_eq!(
        count(
            &workspace,
            &format!("GRAPH <{graph}> {{ id:test-forum rdfs:label ?l }}")
        ),
        1
    );
    let changed = workspace.write(
        "changed.ttl",
        &GOOD_TURTLE.replace("Test Forum, Genève", "Renamed forum"),
    );
    govgraph([
        "load",
        "--data",
        &workspace.data(),
        "--graph",
        graph,
        "--replace",
        &changed,
    ])
    .success();
    assert_eq!(count(&workspace, "id:test-forum rdfs:label \"Renamed forum\""), 1);
    assert_eq!(
        count(&workspace, "id:test-forum rdfs:label ?label"),
        1,
        "the old label is gone"
    );
}

#[test]
fn a_broken_file_is_rejected_whole_with_its_location_and_the_store_is_unchanged() {
    let workspace = Workspace::new();
    let good = workspace.write("good.ttl", GOOD_TURTLE);
    govgraph(["load", "--data", &workspace.data(), &good]).success();
    let before = workspace.quad_count();

    let other = workspace.write(
        "other.nt",
        "<https://example.org/a> <https://example.org/b> <https://example.org/c> .\n",
    );
    let broken = workspace.write(
        "broken.ttl",
        "@prefix ex: <https://example.org/> .\nex:a ex:b ex:c .\nex:d ex:e \"unterminated .\n",
    );
    // The good file listed first is not loaded either.
    govgraph(["load", "--data", &workspace.data(), &other, &broken])
        .failure()
        .exit_code(65)
        .stderr_contains("broken.ttl:3:");
    assert_eq!(workspace.quad_count(), before);

    let broken_xml = workspace.write(
        "broken.rdf",
        "<?xml version=\"1.0\"?>\n<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n  <rdf:Description>\n  </rdf:RDF>\n",
    );
    govgraph(["load", "--data", &workspace.data(), &broken_xml])
        .failure()
        .stderr_contains("broken.rdf:4:");
    let broken_nq = workspace.write("broken.nq", "<https://example.org/a> <https://example.org/b> .\n");
    govgraph(["load", "--data", &workspace.data(), &broken_nq])
        .failure()
        .stderr_contains("broken.nq:1:");
    let broken_json = workspace.write(
        "broken.jsonld",
        "{\n  \"@id\": \"https://example.org/a\",\n  \"https://example.org/b\": [\n}\n",
    );
    govgraph(["load", "--data", &workspace.data(), &broken_json])
        .failure()
        .stderr_contains("broken.jsonld:");
    assert_eq!(workspace.quad_count(), before);
}

#[test]
fn unknown_formats_missing_files_and_bad_directories_get_one_clear_line() {
    let workspace = Workspace::new();
    let csv = workspace.write("data.csv", "a,b\n");
    // Exit codes after sysexits(3), from the one error table: bad input 65, a missing one 66.
    let run = govgraph(["load", "--data", &workspace.data(), &csv])
        .failure()
        .exit_code(65)
        .stderr_contains("unknown RDF format `.csv`");
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    let missing = workspace.path("missing.ttl").display().to_string();
    let run = govgraph(["load", "--data", &workspace.data(), &missing])
        .failure()
        .exit_code(66)
        .stderr_contains("missing.ttl");
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    // A data directory below a regular file cannot be created.
    let file = workspace.write("plain-file", "");
    let good = workspace.write("good.ttl", GOOD_TURTLE);
    let run = govgraph(["load", "--data", &format!("{file}/data"), &good])
        .failure()
        .stderr_contains("cannot use");
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    govgraph([
        "query",
        "--data",
        &workspace.path("nowhere").display().to_string(),
        "ASK {}",
    ])
    .failure()
    .stderr_contains("there is no govgraph store");
    govgraph(["export", "--format", "yaml"])
        .exit_code(2)
        .stderr_contains("invalid value 'yaml'");
}

const ENTITIES: &str = "id,label,kind,openness,start_date,end_date,location,aliases,description,source,quote
cstd-wgigf-2011-meeting,\"WGIGF meeting, \"\"first\"\"\",meeting,closed,2011-02-25,2011-02-26,Geneva,WGIGF 1|First meeting,A test meeting,https://example.org/minutes,\"chaired by the Chair\"
wgigf-minutes,Minutes of the meeting,document,,2011-03,,,,,,
";
const RELATIONS: &str = "source,target,predicate,kind,source_document,quote,confidence
wgigf-minutes,cstd-wgigf-2011-meeting,presentedAt,direct,https://example.org/minutes,\"the minutes\",0.9
cstd-wgigf-2011-meeting,igf,,indirect,,,
";

#[test]
fn import_reads_spreadsheets_into_the_vocabulary() {
    let workspace = Workspace::new();
    // Relations may point at entities already in the store: load the seed's IGF first.
    govgraph([
        "load",
        "--data",
        &workspace.data(),
        &workspace.write("good.ttl", GOOD_TURTLE),
    ])
    .success();
    let igf = workspace.write(
        "igf.ttl",
        "@prefix gg: <https://w3id.org/govgraph/ns#> .\n<https://w3id.org/govgraph/id/igf> a gg:Organization ; \
         <http://www.w3.org/2000/01/rdf-schema#label> \"IGF\" ; gg:evidence [ gg:document <https://w3id.org/govgraph/id/test-source> ] .\n",
    );
    govgraph(["load", "--data", &workspace.data(), &igf]).success();
    let entities = workspace.write("entities.csv", ENTITIES);
    let relations = workspace.write("relations.csv", RELATIONS);
    govgraph([
        "import",
        "--data",
        &workspace.data(),
        "--entities",
        &entities,
        "--relations",
        &relations,
    ])
    .success()
    .stdout_contains("imported 2 entities and 2 relations");
    assert_eq!(
        count(
            &workspace,
            "id:cstd-wgigf-2011-meeting rdfs:label \"WGIGF meeting, \\\"first\\\"\" ; a gg:Meeting"
        ),
        1
    );
    assert_eq!(
        count(
            &workspace,
            "id:cstd-wgigf-2011-meeting <http://www.w3.org/2004/02/skos/core#altLabel> ?alias"
        ),
        2
    );
    assert_eq!(
        count(&workspace, "id:wgigf-minutes gg:presentedAt id:cstd-wgigf-2011-meeting"),
        1
    );
    assert_eq!(
        count(&workspace, "id:cstd-wgigf-2011-meeting gg:indirectlyRelatedTo id:igf"),
        1
    );
    // Rows without a source cite the spreadsheet itself.
    assert_eq!(
        count(
            &workspace,
            "id:wgigf-minutes gg:evidence/gg:document ?file . ?file a gg:ImportedFile"
        ),
        1
    );
    // What the import implied keeps to PROV, DC and the README, as the loader's does.
    for (breach, query) in crate::linked::BREACHES {
        let run = govgraph(["query", "--data", &workspace.data(), "--format", "json", query]).success();
        let answer: serde_json::Value = serde_json::from_str(&run.stdout).expect("SPARQL JSON");
        assert_eq!(answer["boolean"], false, "{breach}");
    }
    assert_eq!(
        count(
            &workspace,
            "id:wgigf-minutes <http://purl.org/dc/terms/isReferencedBy> ?file ; gg:evidence/gg:document ?file"
        ),
        1
    );
    govgraph(["validate", "--data", &workspace.data()])
        .success()
        .stderr_contains("0 violations");
    // `import` left the read model of what it wrote: the next start reads it, not the store.
    let server = crate::util::Server::start(&["--data", &workspace.data()]);
    assert!(
        crate::util::eventually(|| server.stderr().contains("catalog read from its snapshot")),
        "{}",
        server.stderr()
    );
    let found = server.graphql(
        r#"{ entity(ref: "cstd-wgigf-2011-meeting") { label } }"#,
        serde_json::json!({}),
    );
    assert_eq!(found["data"]["entity"]["label"], "WGIGF meeting, \"first\"", "{found}");
    server.stop();
}

#[test]
fn a_bad_row_rejects_the_whole_import_with_its_line() {
    let workspace = Workspace::new();
    govgraph([
        "load",
        "--data",
        &workspace.data(),
        &workspace.write("good.ttl", GOOD_TURTLE),
    ])
    .success();
    let before = workspace.quad_count();
    let header = "id,label,kind,start_date,end_date\n";
    let cases = [
        (
            "bad-id",
            format!("{header}ok-one,One,meeting,,\nNot A Slug,Two,meeting,,\n"),
            ":3: invalid id",
        ),
        (
            "bad-kind",
            format!("{header}ok-one,One,venue,,\n"),
            ":2: unknown kind `venue`",
        ),
        (
            "bad-date",
            format!("{header}ok-one,One,meeting,2014-13-45,\n"),
            ":2: invalid date `2014-13-45`",
        ),
        (
            "end-first",
            format!("{header}ok-one,One,meeting,2014-05-02,2014-05-01\n"),
            ":2: end_date 2014-05-01 is before",
        ),
        (
            "empty-label",
            format!("{header}ok-one,,meeting,,\n"),
            ":2: `label` is empty",
        ),
        (
            "duplicate",
            format!("{header}ok-one,One,meeting,,\nok-one,Again,meeting,,\n"),
            ":3: id `ok-one` appears twice",
        ),
        (
            "existing",
            format!("{header}test-forum,Again,meeting,,\n"),
            ":2: an entity `test-forum` already exists",
        ),
        (
            "unknown-column",
            "id,label,kind,colour\nok-one,One,meeting,red\n".to_owned(),
            ":1: unknown column `colour`",
        ),
        (
            "missing-column",
            "id,label\nok-one,One\n".to_owned(),
            ":1: missing required column `kind`",
        ),
        (
            "ragged",
            format!("{header}ok-one,One,meeting\n"),
            ":2: this row has 3 fields but the header has 5",
        ),
    ];
    for (name, contents, expected) in cases {
        let file = workspace.write(&format!("{name}.csv"), &contents);
        govgraph(["import", "--data", &workspace.data(), "--entities", &file])
            .failure()
            .stderr_contains(&format!("{name}.csv{expected}"));
    }
    let entities = workspace.write("entities.csv", "id,label,kind\nnew-one,New,meeting\n");
    let relation_cases = [
        (
            "unknown-target",
            "source,target,kind\nnew-one,nowhere,direct\n",
            ":2: unknown entity `nowhere`",
        ),
        (
            "bad-predicate",
            "source,target,kind,predicate\nnew-one,test-forum,direct,likes\n",
            ":2: unknown predicate",
        ),
        (
            "bad-relation-kind",
            "source,target,kind\nnew-one,test-forum,sideways\n",
            ":2: unknown relation kind `sideways`",
        ),
        (
            "self-loop",
            "source,target,kind\nnew-one,new-one,direct\n",
            ":2: a relation may not link `new-one` to itself",
        ),
        (
            "existing-relation",
            "source,target,kind,predicate\ntest-group,test-forum,direct,organizes\n",
            ":2: this relation",
        ),
    ];
    for (name, contents, expected) in relation_cases {
        let file = workspace.write(&format!("{name}.csv"), contents);
        govgraph([
            "import",
            "--data",
            &workspace.data(),
            "--entities",
            &entities,
            "--relations",
            &file,
        ])
        .failure()
        .stderr_contains(&format!("{name}.csv{expected}"));
    }
    assert_eq!(workspace.quad_count(), before, "a rejected import wrote something");
}

/// Parses an export back with Oxigraph and counts its quads.
fn parsed_quads(bytes: &[u8], format: RdfFormat) -> usize {
    RdfParser::from_format(format)
        .for_slice(bytes)
        .collect::<Result<Vec<_>, _>>()
        .expect("a valid export")
        .len()
}

#[test]
fn every_export_format_parses_back_with_the_same_count() {
    let workspace = Workspace::new();
    let file = workspace.write("good.ttl", GOOD_TURTLE);
    govgraph(["load", "--data", &workspace.data(), &file]).success();
    // The same triples in a second graph: the union formats must merge them.
    govgraph([
        "load",
        "--data",
        &workspace.data(),
        "--graph",
        "https://example.org/copy",
        &file,
    ])
    .success();
    let quads = workspace.stored_quad_count();
    let triples: usize = workspace
        .query_value("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }")
        .split("^^")
        .next()
        .and_then(|n| n.trim_matches('"').parse().ok())
        .expect("a count");
    assert!(triples < quads, "the fixture should share triples between graphs");
    for (name, format, expected) in [
        ("nquads", RdfFormat::NQuads, quads),
        ("trig", RdfFormat::TriG, quads),
        (
            "jsonld",
            RdfFormat::JsonLd {
                profile: oxigraph::io::JsonLdProfileSet::empty(),
            },
            quads,
        ),
        ("turtle", RdfFormat::Turtle, triples),
        ("ntriples", RdfFormat::NTriples, triples),
        ("rdfxml", RdfFormat::RdfXml, triples),
    ] {
        let to_stdout = govgraph(["export", "--data", &workspace.data(), "--format", name]).success();
        assert_eq!(
            parsed_quads(to_stdout.stdout.as_bytes(), format),
            expected,
            "{name} on stdout"
        );
        let out = workspace.path(&format!("export.{name}"));
        govgraph([
            "export",
            "--data",
            &workspace.data(),
            "--format",
            name,
            "--out",
            &out.display().to_string(),
        ])
        .success();
        let bytes = std::fs::read(&out).expect("the export file");
        assert_eq!(parsed_quads(&bytes, format), expected, "{name} in a file");
    }
}

#[test]
fn query_prints_tables_and_standard_result_formats() {
    let workspace = Workspace::new();
    govgraph([
        "load",
        "--data",
        &workspace.data(),
        &workspace.write("good.ttl", GOOD_TURTLE),
    ])
    .success();
    let select = format!("{PREFIXES} SELECT ?label WHERE {{ id:test-forum rdfs:label ?label }}");
    govgraph(["query", "--data", &workspace.data(), &select])
        .success()
        .stdout_contains("Test Forum, Genève")
        .stdout_contains("(1 row)");
    let json = govgraph(["query", "--data", &workspace.data(), "--format", "json", &select]).success();
    let parsed: serde_json::Value = serde_json::from_str(&json.stdout).expect("SPARQL JSON results");
    assert_eq!(parsed["results"]["bindings"][0]["label"]["value"], "Test Forum, Genève");
    govgraph(["query", "--data", &workspace.data(), "--format", "csv", &select])
        .success()
        .stdout_contains("\"Test Forum, Genève\"");
    govgraph(["query", "--data", &workspace.data(), "--format", "tsv", &select])
        .success()
        .stdout_contains("?label");
    // The project's prefixes and the usual ones need no declaration.
    govgraph([
        "query",
        "--data",
        &workspace.data(),
        "SELECT ?l WHERE { id:test-forum rdfs:label ?l }",
    ])
    .success()
    .stdout_contains("Test Forum, Genève");
    let ask = format!("{PREFIXES} ASK {{ id:test-group gg:directlyRelatedTo id:test-forum }}");
    govgraph(["query", "--data", &workspace.data(), &ask])
        .success()
        .stdout_contains("true");
    let construct = format!("{PREFIXES} CONSTRUCT {{ ?s rdfs:label ?l }} WHERE {{ ?s rdfs:label ?l ; a gg:Meeting }}");
    govgraph(["query", "--data", &workspace.data(), "--format", "csv", &construct])
        .success()
        .stdout_contains("Test Forum");
    govgraph(["query", "--data", &workspace.data(), "SELECT ?x WHERE { ?x"])
        .failure()
        .stderr_contains("SPARQL syntax error");
    govgraph([
        "query",
        "--data",
        &workspace.data(),
        "INSERT DATA { <a:b> <a:c> <a:d> }",
    ])
    .failure()
    .stderr_contains("SPARQL syntax error");
}

#[test]
fn generate_is_deterministic_and_loads_as_valid_data() {
    let workspace = Workspace::new();
    let first = workspace.path("a.ttl").display().to_string();
    let second = workspace.path("b.ttl").display().to_string();
    let other = workspace.path("c.nt").display().to_string();
    govgraph([
        "generate", "--nodes", "300", "--degree", "6", "--seed", "42", "--out", &first,
    ])
    .success()
    .stdout_contains("wrote 301 entities and 900 relations");
    govgraph([
        "generate", "--nodes", "300", "--degree", "6", "--seed", "42", "--out", &second,
    ])
    .success();
    govgraph([
        "generate", "--nodes", "300", "--degree", "6", "--seed", "43", "--out", &other,
    ])
    .success();
    let bytes = std::fs::read(&first).expect("generated file");
    assert_eq!(
        bytes,
        std::fs::read(&second).expect("generated file"),
        "same seed, same file"
    );
    assert_ne!(parsed_quads(&bytes, RdfFormat::Turtle), 0);
    govgraph(["load", "--data", &workspace.data(), &first]).success();
    assert_eq!(count(&workspace, "?e a gg:Entity"), 301);
    assert_eq!(count(&workspace, "?r a gg:Relation"), 900);
    assert!(count(&workspace, "?m a gg:Meeting ; <http://schema.org/startDate> ?d") > 50);
    govgraph(["validate", "--data", &workspace.data()])
        .success()
        .stderr_contains("0 violations");
    govgraph([
        "generate",
        "--nodes",
        "3",
        "--out",
        &workspace.path("x.csv").display().to_string(),
    ])
    .failure()
    .stderr_contains("unknown output format `.csv`");
}

#[test]
fn every_command_documents_its_options_and_environment_variables() {
    for command in ["serve", "load", "import", "export", "query", "validate", "generate"] {
        let help = govgraph([command, "--help"]).success();
        // clap may wrap `[env: NAME=]` across lines.
        assert!(
            help.stdout.contains("[env:") && help.stdout.contains("GOVGRAPH_"),
            "{command} --help lists no environment variable:\n{}",
            help.stdout
        );
    }
    govgraph(["--help"])
        .success()
        .stdout_contains("serve")
        .stdout_contains("generate");
}
