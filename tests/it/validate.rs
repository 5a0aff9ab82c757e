//! `govgraph validate`: the seed passes, and each constraint of the ontology catches its defect
//! in a small broken fixture (tests/fixtures/validate/*.trig, each naming what it expects).

use crate::util::{govgraph, project_file};

#[test]
fn the_bundled_ontology_and_seed_are_valid() {
    govgraph(["validate"]).success().stderr_contains("0 violations");
}

#[test]
fn the_valid_fixture_is_valid() {
    let base = project_file("tests/fixtures/validate/base.trig");
    let run = govgraph(["validate".as_ref(), base.as_os_str()])
        .success()
        .stderr_contains("0 violations, 0 warnings");
    assert!(run.stdout.is_empty(), "{}", run.stdout);
}

#[test]
fn each_constraint_catches_its_defect() {
    let dir = project_file("tests/fixtures/validate");
    let base = dir.join("base.trig");
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures")
        .map(|entry| entry.expect("an entry").path())
        .filter(|path| path != &base && path.extension().is_some_and(|e| e == "trig"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 30, "only {} fixtures", cases.len());
    for case in cases {
        let text = std::fs::read_to_string(&case).expect("a readable fixture");
        let expected = text
            .lines()
            .next()
            .and_then(|line| line.strip_prefix("# expect: "))
            .unwrap_or_else(|| panic!("{} must start with `# expect: MESSAGE`", case.display()));
        let run = govgraph(["validate".as_ref(), base.as_os_str(), case.as_os_str()]);
        if expected == "warning:" {
            run.success()
                .stdout_contains("warning:")
                .stderr_contains("0 violations, 1 warning");
        } else {
            let run = run.failure().stdout_contains(expected).stdout_contains("violation:");
            assert!(
                !run.stderr.contains("0 violations"),
                "{}: {}",
                case.display(),
                run.stderr
            );
        }
    }
}

#[test]
fn a_file_with_a_syntax_error_is_reported_with_its_location() {
    let base = project_file("tests/fixtures/validate/base.trig");
    let dir = tempfile::tempdir().expect("a temporary directory");
    let broken = dir.path().join("broken.trig");
    std::fs::write(
        &broken,
        "@prefix : <https://w3id.org/govgraph/id/> .\n:a :b :c .\n:d :e :f :g .\n",
    )
    .expect("writable");
    govgraph(["validate".as_ref(), base.as_os_str(), broken.as_os_str()])
        .failure()
        .stderr_contains("broken.trig:3:");
}
