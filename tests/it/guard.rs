//! Personal-data detection measured: recall on planted cases, false positives on real prose.

use crate::common::{fixture, root};
use cairn::guard::{self, detect};

#[test]
fn planted_personal_data_is_found_and_clean_lines_stay_clean() {
    let text = std::fs::read_to_string(fixture("planted-personal-data.txt")).unwrap();
    let (mut planted, mut found, mut false_positives) = (0, 0, Vec::new());
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix('+') {
            let (kind, sentence) = rest.split_once('|').unwrap();
            planted += 1;
            let hits = detect::scan(sentence);
            if hits.iter().any(|f| f.kind.as_str() == kind) {
                found += 1;
            }
        } else if let Some(sentence) = line.strip_prefix("-|") {
            let hits = detect::scan(sentence);
            if !hits.is_empty() {
                false_positives.push(format!("{sentence}: {hits:?}"));
            }
        }
    }
    let recall = f64::from(found) / f64::from(planted);
    assert!(planted >= 50, "{planted} planted cases");
    assert!(recall >= 0.95, "recall {recall:.3} ({found}/{planted})");
    assert!(false_positives.is_empty(), "{false_positives:#?}");
}

#[test]
fn the_sample_corpus_raises_at_most_one_false_alarm_per_review() {
    let dir = root().join("corpus-sample");
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    let mut reviews = 0;
    for path in entries
        .iter()
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("pdf" | "docx")))
    {
        let doc = cairn::extract::extract(&std::fs::read(path).unwrap()).unwrap();
        let report = guard::check(&doc);
        reviews += 1;
        assert!(
            report.findings.len() <= 1,
            "{}: {:?}",
            path.display(),
            report.findings
        );
        assert!(
            report.leaks.is_empty(),
            "{}: {:?}",
            path.display(),
            report.leaks
        );
    }
    assert!(reviews >= 16);
}
