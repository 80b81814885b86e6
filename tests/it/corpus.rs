//! The sample corpus against its README: the facets a careful reader assigns.

use crate::common::{corpus, root};
use cairn::document::Review;
use std::collections::{BTreeMap, BTreeSet};

/// One row of `corpus-sample/README.md`.
#[derive(Debug)]
struct Expected {
    file: String,
    values: BTreeSet<String>,
    negated: BTreeSet<String>,
    languages: BTreeSet<String>,
}

fn oracle() -> Vec<Expected> {
    let readme = std::fs::read_to_string(root().join("corpus-sample/README.md")).unwrap();
    let mut rows = Vec::new();
    for line in readme
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| file"))
    {
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        assert_eq!(cells.len(), 12, "README row has 12 columns: {line}");
        let list = |cell: &str| -> BTreeSet<String> {
            cell.split(',')
                .map(str::trim)
                .filter(|v| !v.is_empty() && *v != "-")
                .map(str::to_string)
                .collect()
        };
        let mut values = BTreeSet::new();
        for (group, cell) in [
            ("nation", cells[1]),
            ("type", cells[2]),
            ("year", cells[3]),
            ("age", cells[4]),
            ("outcome", cells[5]),
            ("theme", cells[6]),
            ("risk", cells[7]),
            ("practice", cells[8]),
        ] {
            for v in list(cell) {
                values.insert(format!("{group}/{v}"));
            }
        }
        rows.push(Expected {
            file: cells[0].to_string(),
            values,
            negated: list(cells[10])
                .into_iter()
                .map(|v| format!("risk/{v}"))
                .collect(),
            languages: list(cells[9]),
        });
    }
    rows
}

fn assigned(r: &Review) -> BTreeSet<String> {
    let f = &r.facets;
    let mut out = BTreeSet::new();
    let mut one = |g: &str, v: Option<String>| {
        if let Some(v) = v {
            out.insert(format!("{g}/{v}"));
        }
    };
    one("nation", f.nation.clone());
    one("type", f.review_type.clone());
    one("year", f.year.map(|y| y.to_string()));
    one("age", f.age_band.clone());
    one("outcome", f.outcome.clone());
    for (g, vs) in [
        ("theme", &f.themes),
        ("risk", &f.risk_factors),
        ("practice", &f.practice_themes),
    ] {
        for v in vs {
            out.insert(format!("{g}/{v}"));
        }
    }
    out
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
    let (mut listed, mut found, mut assigned_total, mut extra) = (0, 0, 0, 0);
    let mut report = String::new();
    let mut negated_assigned = Vec::new();
    for row in oracle() {
        let review = by_source
            .get(&row.file)
            .unwrap_or_else(|| panic!("{} was not ingested", row.file));
        let got = assigned(review);
        let missing: Vec<_> = row.values.difference(&got).collect();
        let unlisted: Vec<_> = got.difference(&row.values).collect();
        listed += row.values.len();
        found += row.values.len() - missing.len();
        assigned_total += got.len();
        extra += unlisted.len();
        if !missing.is_empty() || !unlisted.is_empty() {
            report.push_str(&format!(
                "{}\n  missing: {missing:?}\n  unlisted: {unlisted:?}\n",
                row.file
            ));
        }
        for n in &row.negated {
            if got.contains(n) {
                negated_assigned.push(format!("{}: {n}", row.file));
            }
        }
        let langs: BTreeSet<String> = review.facets.languages.iter().cloned().collect();
        assert_eq!(langs, row.languages, "{}: languages", row.file);
    }
    let recall = found as f64 / listed as f64;
    let unlisted_share = extra as f64 / assigned_total.max(1) as f64;
    println!(
        "{report}recall {recall:.3} ({found}/{listed}); unlisted {unlisted_share:.3} ({extra}/{assigned_total})"
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
