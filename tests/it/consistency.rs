//! Property test: after any sequence of curators' writes (the mutations' path: checks in
//! `services::curate`, then `Store` edits; and Graph Store uploads and deletions, refreshed from
//! what the store says they touched), the data passes every constraint, the derived
//! triples are exactly what the relation nodes imply, and the graph projection equals one built
//! from scratch out of an export of the store.

use govgraph::model::EntityKind;
use govgraph::services::catalog::Catalog;
use govgraph::services::changes::Touched;
use govgraph::services::curate::{self, EntityInput, RelationInput, SourceInput};
use govgraph::store::{
    ExportFormat, GraphTarget, InputLimits, NoProgress, RdfDocument, ResultsFormat, Severity, Store, parse_query,
};
use proptest::prelude::*;

#[derive(Clone, Debug)]
enum Write {
    Create {
        entity: usize,
        kind: usize,
        year: Option<i32>,
    },
    Relate {
        source: usize,
        target: usize,
        predicate: usize,
        direct: bool,
    },
    Unrelate {
        source: usize,
        target: usize,
        predicate: usize,
    },
    Rename {
        entity: usize,
        year: Option<i32>,
    },
    Delete {
        entity: usize,
    },
    /// A Graph Store `PUT` (or `POST`) of two entities and a relation between them.
    Upload {
        graph: usize,
        first: usize,
        second: usize,
        replace: bool,
    },
    /// A Graph Store `DELETE`.
    Drop {
        graph: usize,
    },
}

/// `partOf` is aligned to `dcterms:isPartOf`, `inspired` and `feedsInto` to the inverse of
/// `prov:wasInfluencedBy`: their super-property triples come and go with the relations.
const PREDICATES: &[&str] = &["precedes", "inspired", "feedsInto", "partOf"];
const KINDS: &[EntityKind] = &[EntityKind::Meeting, EntityKind::Document, EntityKind::Organization];

fn write() -> impl Strategy<Value = Write> {
    prop_oneof![
        3 => (0..6usize, 0..3usize, proptest::option::of(2000..2020i32)).prop_map(|(entity, kind, year)| Write::Create { entity, kind, year }),
        4 => (0..6usize, 0..6usize, 0..PREDICATES.len(), any::<bool>()).prop_map(|(source, target, predicate, direct)| Write::Relate { source, target, predicate, direct }),
        2 => (0..6usize, 0..6usize, 0..PREDICATES.len()).prop_map(|(source, target, predicate)| Write::Unrelate { source, target, predicate }),
        1 => (0..6usize, proptest::option::of(2000..2020i32)).prop_map(|(entity, year)| Write::Rename { entity, year }),
        1 => (0..6usize).prop_map(|entity| Write::Delete { entity }),
        2 => (0..2usize, 0..4usize, 0..4usize, any::<bool>()).prop_map(|(graph, first, second, replace)| Write::Upload { graph, first, second, replace }),
        1 => (0..2usize).prop_map(|graph| Write::Drop { graph }),
    ]
}

fn id(entity: usize) -> String {
    format!("entity-{entity}")
}

fn source() -> Vec<SourceInput> {
    vec![SourceInput {
        document: "https://example.org/source".to_owned(),
        quote: Some("said so".to_owned()),
    }]
}

/// Applies a write as a mutation would (writes the checks refuse are skipped), and refreshes
/// the catalog from what the write touched, as the server does.
fn apply(store: &Store, catalog: &Catalog, write: &Write) -> Catalog {
    if let Some(touched) = graph_store(store, write) {
        return catalog.refresh(store, &touched).unwrap();
    }
    let touched = match write {
        Write::Create { entity, .. } | Write::Rename { entity, .. } | Write::Delete { entity } => {
            Touched::entity(id(*entity))
        }
        Write::Relate {
            source,
            target,
            predicate,
            ..
        }
        | Write::Unrelate {
            source,
            target,
            predicate,
        } => Touched::relation(format!("{}--{}--{}", id(*source), PREDICATES[*predicate], id(*target))),
        Write::Upload { .. } | Write::Drop { .. } => unreachable!("a Graph Store write"),
    };
    match write {
        Write::Create { entity, kind, year } => {
            let input = EntityInput {
                id: Some(id(*entity)),
                label: format!("Entity {entity}"),
                kind: Some(KINDS[*kind]),
                start_date: year.map(|year| year.to_string()),
                sources: source(),
                ..EntityInput::default()
            };
            if let Ok(entity) = curate::new_entity(catalog, store, &input) {
                store
                    .create(
                        &[entity],
                        &[],
                        &Store::graph_name("https://w3id.org/govgraph/graph/curated").unwrap(),
                    )
                    .unwrap();
            }
        }
        Write::Relate {
            source: from,
            target,
            predicate,
            direct,
        } => {
            let input = RelationInput {
                source: id(*from),
                target: id(*target),
                kind: Some(if *direct {
                    govgraph::model::RelationKind::Direct
                } else {
                    govgraph::model::RelationKind::Indirect
                }),
                predicate: Some(PREDICATES[*predicate].to_owned()),
                sources: source(),
            };
            if let Ok(relation) = curate::new_relation(catalog, store, &input) {
                store
                    .create(
                        &[],
                        &[relation],
                        &Store::graph_name("https://w3id.org/govgraph/graph/curated").unwrap(),
                    )
                    .unwrap();
            }
        }
        Write::Unrelate {
            source: from,
            target,
            predicate,
        } => {
            store
                .delete_relation(&format!("{}--{}--{}", id(*from), PREDICATES[*predicate], id(*target)))
                .unwrap();
        }
        Write::Rename { entity, year } => {
            let patch = govgraph::model::EntityPatch {
                label: Some(format!("Renamed {entity}")),
                start_date: match year {
                    Some(year) => govgraph::model::Change::Set(year.to_string().parse().unwrap()),
                    None => govgraph::model::Change::Clear,
                },
                ..Default::default()
            };
            if curate::check_patch(catalog, &id(*entity), &patch).is_ok() {
                store.update_entity(&id(*entity), &patch).unwrap();
            }
        }
        Write::Delete { entity } => {
            store.delete_entity(&id(*entity)).unwrap();
        }
        Write::Upload { .. } | Write::Drop { .. } => {}
    }
    catalog.refresh(store, &touched).unwrap()
}

/// Runs a Graph Store write; what it touched, as the server refreshes from it.
fn graph_store(store: &Store, write: &Write) -> Option<Touched> {
    let target = |graph: usize| GraphTarget::named(&format!("https://example.org/upload/{graph}")).unwrap();
    let (_, changed) = match write {
        Write::Upload {
            graph,
            first,
            second,
            replace,
        } => {
            let entity = |n: usize| {
                format!(
                    "id:upload-{n} a gg:Organization ; rdfs:label \"Upload {n}\" ; gg:evidence [ gg:document <https://example.org/src> ] .\n"
                )
            };
            let mut turtle = format!(
                "@prefix gg: <https://w3id.org/govgraph/ns#> . @prefix id: <https://w3id.org/govgraph/id/> .
                 @prefix rel: <https://w3id.org/govgraph/rel/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
                 <https://example.org/src> a gg:PublicSource .\n{}",
                entity(*first)
            );
            if first != second {
                turtle.push_str(&entity(*second));
                turtle.push_str(&format!(
                    "rel:upload-{first}--precedes--upload-{second} a gg:Relation ; gg:source id:upload-{first} ;                      gg:predicate gg:precedes ; gg:target id:upload-{second} ; gg:relationKind gg:Direct ;                      gg:evidenceType gg:Asserted ; gg:evidence [ gg:document <https://example.org/src> ] .\n"
                ));
            }
            let document = RdfDocument::from_body(
                turtle.into_bytes(),
                "text/turtle",
                None,
                &target(*graph),
                InputLimits::DEFAULT,
            )
            .unwrap();
            store.write_graph(&target(*graph), &[document], *replace).unwrap()
        }
        Write::Drop { graph } => store.delete_graph(&target(*graph)).unwrap(),
        _ => return None,
    };
    Some(Touched::from(changed))
}

fn ask(store: &Store, query: &str) -> bool {
    let mut output = Vec::new();
    store
        .query(parse_query(query, &InputLimits::DEFAULT).unwrap())
        .unwrap()
        .write(ResultsFormat::Json, &mut output)
        .unwrap();
    serde_json::from_slice::<serde_json::Value>(&output).unwrap()["boolean"]
        .as_bool()
        .unwrap()
}

/// What a projection says, in a comparable form.
fn shape(catalog: &Catalog) -> (Vec<String>, Vec<String>) {
    let mut entities: Vec<String> = catalog.entities().map(|s| format!("{s:?}")).collect();
    entities.sort();
    let mut relations: Vec<String> = catalog
        .projection
        .edges()
        .map(|edge| {
            let (source, target) = catalog.projection.endpoints(edge);
            format!(
                "{} {} {} {} {:?}",
                catalog.projection.relation_id(edge),
                catalog.projection.node_id(source),
                catalog.projection.node_id(target),
                catalog.projection.predicate_iri(edge),
                catalog.projection.edge_data(edge).kind
            )
        })
        .collect();
    relations.sort();
    (entities, relations)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn writes_keep_the_store_and_the_projection_consistent(
        writes in proptest::collection::vec(write(), 1..30),
        // Folds of the catalog's delta, as the server runs them in the background: begun before
        // one write, brought up to date and swapped in after another.
        folds in proptest::collection::vec((0..30usize, 0..30usize), 0..3),
    ) {
        let store = Store::memory().unwrap();
        store.initialize(false, &NoProgress).unwrap();
        let mut live = Catalog::load(&store).unwrap();
        let mut folding: Option<(Catalog, Catalog, usize)> = None;
        for (n, write) in writes.iter().enumerate() {
            if folding.is_none() && let Some(&(_, length)) = folds.iter().find(|&&(start, _)| start == n) {
                folding = Some((live.clone(), live.folded(), n + length % 5));
            }
            live = apply(&store, &live, write);
            if let Some((from, folded, _)) = folding.take_if(|(_, _, until)| *until <= n) {
                // A full reload in the meantime starts a new base: the server drops such a fold.
                if live.same_base(&from) {
                    let rebased = live.rebase(&folded).unwrap();
                    prop_assert_eq!(shape(&rebased), shape(&live));
                    live = rebased;
                }
            }
        }
        let violations: Vec<String> =
            store.validate().unwrap().into_iter().filter(|v| v.severity == Severity::Violation).map(|v| v.to_string()).collect();
        prop_assert!(violations.is_empty(), "{violations:#?}");
        // Every derived triple has a relation node behind it, and every relation node its triples.
        for (shortcut, kind) in [("gg:directlyRelatedTo", "gg:Direct"), ("gg:indirectlyRelatedTo", "gg:Indirect")] {
            prop_assert!(!ask(&store, &format!(
                "ASK {{ ?s {shortcut} ?o FILTER NOT EXISTS {{ ?r gg:source ?s ; gg:target ?o ; gg:relationKind {kind} }} }}"
            )), "a stale {shortcut}");
        }
        for (what, query) in [
            ("a stale gg:relatedTo", "ASK { ?s gg:relatedTo ?o FILTER NOT EXISTS { ?r gg:source ?s ; gg:target ?o } }"),
            (
                "a plain triple without its relation node",
                "ASK { ?s ?p ?o . ?p rdfs:subPropertyOf gg:relatedTo FILTER(?p NOT IN (gg:directlyRelatedTo, gg:indirectlyRelatedTo)) \
                 FILTER NOT EXISTS { ?r gg:source ?s ; gg:predicate ?p ; gg:target ?o } }",
            ),
            ("a relation node without its plain triple", "ASK { ?r gg:source ?s ; gg:predicate ?p ; gg:target ?o FILTER NOT EXISTS { ?s ?p ?o } }"),
            (
                "an aligned triple without its relation node",
                "ASK { ?s ?q ?o . ?p rdfs:subPropertyOf ?q ; rdfs:subPropertyOf+ gg:relatedTo \
                 FILTER(isIRI(?q) && !STRSTARTS(STR(?q), STR(gg:)) && !STRSTARTS(STR(?q), \"https://w3id.org/govgraph/.well-known/genid/\")) \
                 FILTER NOT EXISTS { ?r gg:source ?s ; gg:target ?o ; gg:predicate/rdfs:subPropertyOf+ ?q } }",
            ),
            (
                "an inverse aligned triple without its relation node",
                "ASK { ?o ?inverse ?s . [] owl:inverseOf ?inverse \
                 FILTER NOT EXISTS { ?r gg:source ?s ; gg:target ?o ; gg:predicate/rdfs:subPropertyOf+/owl:inverseOf ?inverse } }",
            ),
            (
                "a relation node without its aligned triples",
                "ASK { ?r gg:source ?s ; gg:predicate ?p ; gg:target ?o . ?p rdfs:subPropertyOf+ ?q \
                 FILTER(isIRI(?q) && !STRSTARTS(STR(?q), \"https://w3id.org/govgraph/.well-known/genid/\")) FILTER NOT EXISTS { ?s ?q ?o } }",
            ),
            (
                "a relation node without its inverse aligned triples",
                "ASK { ?r gg:source ?s ; gg:predicate ?p ; gg:target ?o . ?p rdfs:subPropertyOf+/owl:inverseOf ?inverse FILTER NOT EXISTS { ?o ?inverse ?s } }",
            ),
        ] {
            prop_assert!(!ask(&store, query), "{}", what);
        }
        // PROV, DC, SKOS and the README's promises hold of what the writes wrote.
        for (breach, query) in crate::linked::BREACHES {
            prop_assert!(!ask(&store, query), "{}", breach);
        }
        // The catalog refreshed write by write equals one loaded from the store, node for node.
        let loaded = Catalog::load(&store).unwrap();
        prop_assert_eq!(&live.version, &loaded.version);
        let ids = |catalog: &Catalog| catalog.entities().map(|s| s.id().to_owned()).collect::<Vec<_>>();
        prop_assert_eq!(ids(&live), ids(&loaded));
        prop_assert_eq!(shape(&live), shape(&loaded));
        // Search and refs over the base and the delta answer as over one index, scores included.
        for text in ["entity", "renamed 3", "upload", "ent", "Entity 2", "organisation"] {
            prop_assert_eq!(live.search(text), loaded.search(text), "{}", text);
            prop_assert_eq!(live.suggest(text, 5), loaded.suggest(text, 5), "{}", text);
            prop_assert_eq!(live.resolve_ref(text), loaded.resolve_ref(text), "{}", text);
        }
        prop_assert_eq!(shape(&live.folded()), shape(&loaded));
        // The live projection equals one rebuilt from an export.
        let directory = tempfile::tempdir().unwrap();
        let dump = directory.path().join("dump.nq");
        let mut bytes = Vec::new();
        store.export(ExportFormat::Nquads, &mut bytes).unwrap();
        std::fs::write(&dump, bytes).unwrap();
        let fresh = Store::memory().unwrap();
        let checked = Store::check(vec![RdfDocument::from_path(&dump, None, InputLimits::DEFAULT).unwrap()], &NoProgress).unwrap();
        fresh.load(&checked, false, &NoProgress).unwrap();
        prop_assert_eq!(shape(&Catalog::load(&store).unwrap()), shape(&Catalog::load(&fresh).unwrap()));
    }
}
