//! The sample corpus against its README: the facets a careful reader assigns.

use crate::common::{corpus, root};
use cairn::document::Review;
use cairn::eval::{self, Labelled, read_set};
use std::collections::{BTreeMap, BTreeSet};

/// The rows of `corpus-sample/README.md`, read by the same code as `cairn eval facets`.
fn oracle() -> Vec<Labelled> {
    read_set(&root().join("corpus-sample")).unwrap()
}

/// "group/value" for every true value of a row.
fn listed(row: &Labelled) -> BTreeSet<String> {
    row.truth
        .iter()
        .flat_map(|(g, vs)| vs.iter().map(move |v| format!("{g}/{v}")))
        .collect()
}

fn assigned(r: &Review) -> BTreeSet<String> {
    eval::assigned(&r.facets)
        .into_iter()
        .flat_map(|(g, vs)| vs.into_iter().map(move |v| format!("{g}/{v}")))
        .collect()
}

#[test]
fn every_sample_file_is_ingested() {
    let c = corpus();
    let refused: Vec<_> = c
        .report
        .files
        .iter()
        .filter(|f| matches!(f.outcome, cairn::ingest::FileOutcome::Refused { .. }))
        .map(|f| format!("{}: {:?}", f.path.display(), f.outcome))
        .collect();
    assert!(refused.is_empty(), "{refused:#?}");
    assert_eq!(c.report.ingested, oracle().len());
}

#[test]
fn a_review_published_as_pdf_and_docx_is_one_review_with_two_files() {
    let c = corpus();
    let joined: Vec<_> = c
        .report
        .files
        .iter()
        .filter_map(|f| match &f.outcome {
            cairn::ingest::FileOutcome::Joined { id, review } => {
                Some((f.path.clone(), id.clone(), review.clone()))
            }
            _ => None,
        })
        .collect();
    // 02, 06, 10 and 13 are published as both PDF and DOCX; nothing else is merged.
    let stems: Vec<String> = joined
        .iter()
        .map(|(p, _, _)| p.file_stem().unwrap().to_string_lossy()[..2].to_string())
        .collect();
    assert_eq!(stems, ["02", "06", "10", "13"], "{joined:?}");
    for (_, file_id, review_id) in &joined {
        let review = c.index.review(file_id).unwrap().unwrap();
        assert_eq!(&review.id, review_id, "a file id names its review");
        let files = c.index.files(&review).unwrap();
        let formats: Vec<_> = files.iter().map(|f| f.format.as_str()).collect();
        assert_eq!(formats, ["pdf", "docx"]);
    }
    assert_eq!(c.index.all_reviews().unwrap().len(), 16);
}

#[test]
fn facets_match_the_readme() {
    // A review published as PDF and DOCX is one review with two files: both rows map to it.
    let index = &corpus().index;
    let mut by_source: BTreeMap<String, Review> = BTreeMap::new();
    for review in index.all_reviews().unwrap() {
        for file in index.files(&review).unwrap() {
            by_source.insert(file.source, review.clone());
        }
    }
    let (mut listed_total, mut found, mut assigned_total, mut extra) = (0, 0, 0, 0);
    let mut report = String::new();
    let mut negated_assigned = Vec::new();
    for row in oracle() {
        let file = row.path.file_name().unwrap().to_string_lossy().into_owned();
        let review = by_source
            .get(&file)
            .unwrap_or_else(|| panic!("{file} was not ingested"));
        let got = assigned(review);
        let values = listed(&row);
        let missing: Vec<_> = values.difference(&got).collect();
        let unlisted: Vec<_> = got.difference(&values).collect();
        listed_total += values.len();
        found += values.len() - missing.len();
        assigned_total += got.len();
        extra += unlisted.len();
        if !missing.is_empty() || !unlisted.is_empty() {
            report.push_str(&format!(
                "{}\n  missing: {missing:?}\n  unlisted: {unlisted:?}\n",
                file
            ));
        }
        for n in &row.negated {
            if got.contains(&format!("risk/{n}")) {
                negated_assigned.push(format!("{file}: {n}"));
            }
        }
        let langs: BTreeSet<String> = review.facets.languages.iter().cloned().collect();
        assert_eq!(langs, row.languages, "{file}: languages");
    }
    let recall = found as f64 / listed_total as f64;
    let unlisted_share = extra as f64 / assigned_total.max(1) as f64;
    println!(
        "{report}recall {recall:.3} ({found}/{listed_total}); unlisted {unlisted_share:.3} ({extra}/{assigned_total})"
    );
    assert!(
        negated_assigned.is_empty(),
        "negated risks assigned: {negated_assigned:#?}"
    );
    assert!(recall >= 0.90, "recall {recall:.3} below 0.90\n{report}");
    assert!(
        unlisted_share <= 0.10,
        "{unlisted_share:.3} of assigned values are not in the README\n{report}"
    );
}

#[test]
fn every_assigned_value_has_evidence() {
    for review in corpus().index.all_reviews().unwrap() {
        for value in assigned(&review) {
            let (facet, key) = value.split_once('/').unwrap();
            let ev = review
                .evidence
                .iter()
                .find(|e| e.facet == facet && e.value == key)
                .unwrap_or_else(|| panic!("{}: no evidence for {value}", review.source));
            if ["theme", "risk", "practice"].contains(&facet) {
                assert!(
                    !ev.passages.is_empty(),
                    "{}: empty evidence for {value}",
                    review.source
                );
            }
        }
    }
}

/// The accuracy the API shows is the accuracy of the rules that ship: a change to the rules
/// that moves a held-out figure must write `index-config/accuracy.toml` again.
#[test]
fn the_shipped_accuracy_is_measured_with_the_shipped_rules() {
    let sets = [
        "tests/data/labelled/heldout",
        "tests/data/labelled/heldout2",
        "tests/data/labelled/heldout3",
    ];
    let items: Vec<Labelled> = sets
        .iter()
        .flat_map(|s| read_set(&root().join(s)).unwrap())
        .collect();
    let classifier = cairn::classify::Classifier::new(cairn::classify::Taxonomy::builtin());
    let measured = eval::evaluate(&items, &classifier).accuracy("heldout, heldout2, heldout3");
    assert_eq!(
        measured,
        cairn::classify::accuracy::Accuracy::builtin(),
        "run: cargo run --release -- eval facets --write-accuracy index-config/accuracy.toml {}",
        sets.join(" ")
    );
}
