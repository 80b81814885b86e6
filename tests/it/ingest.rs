//! Ingest guarantees: identity from content, replacement of changed files, sidecar overrides.

use crate::common::{TestIndex, fixture};
use cairn::classify::{Classifier, Taxonomy};
use cairn::ingest::{FileOutcome, Ingester};
use cairn::search::{SearchRequest, Service};

fn ingester(t: &TestIndex) -> Ingester {
    Ingester::new(t.index.clone(), Classifier::new(Taxonomy::builtin()))
}

fn total(t: &TestIndex, q: &str) -> usize {
    Service::new(t.index.clone(), Taxonomy::builtin())
        .search(&SearchRequest {
            q: q.into(),
            ..SearchRequest::default()
        })
        .unwrap()
        .total
}

#[test]
fn a_changed_file_replaces_its_old_version() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("review.pdf");
    std::fs::copy(fixture("two-page-review.pdf"), &path).unwrap();
    let t = TestIndex::from_paths(std::slice::from_ref(&path));
    let FileOutcome::Ingested { id: old, .. } = &t.report.files[0].outcome else {
        panic!("{:?}", t.report.files[0].outcome)
    };
    // The publisher replaces the file under the same name with a new version.
    std::fs::copy(fixture("two-page-review.docx"), &path).unwrap();
    let report = ingester(&t)
        .ingest_paths(std::slice::from_ref(&path), &mut |_| {})
        .unwrap();
    let FileOutcome::Ingested { id: new, .. } = &report.files[0].outcome else {
        panic!("{:?}", report.files[0].outcome)
    };
    assert_ne!(old, new);
    assert!(
        t.index.review(old).unwrap().is_none(),
        "the old version is gone"
    );
    assert!(t.index.review(new).unwrap().is_some());
    assert_eq!(total(&t, ""), 1);
}

#[test]
fn ingesting_a_folder_twice_adds_nothing() {
    let dir = tempfile::tempdir().unwrap();
    for name in [
        "two-page-review.pdf",
        "bilingual-welsh.docx",
        "password.pdf",
    ] {
        std::fs::copy(fixture(name), dir.path().join(name)).unwrap();
    }
    let t = TestIndex::from_paths(&[dir.path().to_path_buf()]);
    assert_eq!((t.report.ingested, t.report.refused), (2, 1));
    let again = ingester(&t)
        .ingest_paths(&[dir.path().to_path_buf()], &mut |_| {})
        .unwrap();
    assert_eq!((again.ingested, again.unchanged, again.refused), (0, 2, 1));
    assert_eq!(total(&t, ""), 2);
}

#[test]
fn a_sidecar_overrides_facets_and_is_the_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("review.pdf");
    std::fs::copy(fixture("two-page-review.pdf"), &path).unwrap();
    std::fs::write(
        dir.path().join("review.pdf.meta.toml"),
        "year = 2014\nthemes = [\"sudi\"]\ntitle = \"Serious Case Review: Child T (summary)\"\n",
    )
    .unwrap();
    let t = TestIndex::from_paths(&[path]);
    let FileOutcome::Ingested { id, .. } = &t.report.files[0].outcome else {
        panic!("{:?}", t.report.files[0].outcome)
    };
    let review = t.index.review(id).unwrap().unwrap();
    assert_eq!(review.facets.year, Some(2014));
    assert_eq!(review.facets.themes, ["sudi"]);
    assert_eq!(review.title, "Serious Case Review: Child T (summary)");
    let ev = review.evidence.iter().find(|e| e.facet == "theme").unwrap();
    assert!(ev.passages[0].text.contains("review.pdf.meta.toml"));
}

#[test]
fn a_bad_sidecar_refuses_the_file_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("review.pdf");
    std::fs::copy(fixture("two-page-review.pdf"), &path).unwrap();
    std::fs::write(
        dir.path().join("review.pdf.meta.toml"),
        "themes = [\"neglct\"]\n",
    )
    .unwrap();
    let t = TestIndex::from_paths(&[path]);
    match &t.report.files[0].outcome {
        FileOutcome::Refused { reason, .. } => {
            assert!(
                reason.contains("neglct") && reason.contains("sidecar"),
                "{reason}"
            )
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_fixture_review_is_classified() {
    let t = TestIndex::from_fixtures(&["two-page-review.pdf"]);
    let review = t.index.all_reviews().unwrap().remove(0);
    let f = &review.facets;
    assert_eq!(review.title, "Serious Case Review: Child T");
    assert_eq!(f.review_type.as_deref(), Some("serious-case-review"));
    assert_eq!(f.nation.as_deref(), Some("england"));
    assert_eq!(f.year, Some(2015));
    assert_eq!(f.age_band.as_deref(), Some("under-1"));
    assert!(f.themes.contains(&"neglect".to_string()));
    assert!(f.risk_factors.contains(&"domestic-abuse".to_string()));
    assert!(
        !f.risk_factors.contains(&"parental-drug-misuse".to_string()),
        "negated"
    );
}
