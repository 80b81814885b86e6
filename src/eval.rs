//! `cairn eval facets`: the classifier measured against labelled reviews.
//!
//! A labelled set is a folder of review files with a `README.md` table (the format of
//! `corpus-sample/README.md`): one row per file with its true facets. For every facet this
//! prints precision, recall and F1 (micro-averaged over files and values), the same per value,
//! and the confusions, so a researcher can see what a count is worth and where it errs.
//!
//! A set may also hold `second-coder.md`: themes and risk factors coded again by a reader who
//! never saw the first labels. Then the report says how far two careful readers agree, and
//! measures cairn against each and against both.

use crate::classify::Classifier;
use crate::classify::accuracy::{Accuracy, Measured, interval95};
use crate::document::Facets;
use crate::extract;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The facet groups measured, in report order.
pub const GROUPS: [&str; 8] = [
    "theme", "risk", "practice", "age", "type", "nation", "year", "outcome",
];

/// One labelled file.
#[derive(Debug, Clone)]
pub struct Labelled {
    pub path: PathBuf,
    /// group → true values.
    pub truth: BTreeMap<String, BTreeSet<String>>,
    /// Risk factors the text mentions only to rule out.
    pub negated: BTreeSet<String>,
    pub languages: BTreeSet<String>,
    /// Themes and risk factors as a second, independent coder read them (group → values).
    pub second: Option<BTreeMap<String, BTreeSet<String>>>,
}

/// The groups a second coder codes.
pub const CODED_TWICE: [&str; 2] = ["theme", "risk"];

/// Errors reading a labelled set.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
}

/// Read a labelled set's README table.
pub fn read_set(dir: &Path) -> Result<Vec<Labelled>, EvalError> {
    let readme = dir.join("README.md");
    let text = std::fs::read_to_string(&readme).map_err(|e| EvalError::Invalid {
        path: readme.display().to_string(),
        message: e.to_string(),
    })?;
    let mut out = Vec::new();
    for cells in table_rows(&text) {
        if cells.len() < 10 {
            return Err(EvalError::Invalid {
                path: readme.display().to_string(),
                message: format!("a row needs at least 10 columns: {}", cells.join(" | ")),
            });
        }
        let mut truth = BTreeMap::new();
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
            truth.insert(group.to_string(), list(cell));
        }
        out.push(Labelled {
            path: dir.join(cells[0]),
            truth,
            negated: cells.get(10).map(|c| list(c)).unwrap_or_default(),
            languages: list(cells[9]),
            second: None,
        });
    }
    let second = dir.join("second-coder.md");
    if second.exists() {
        let text = std::fs::read_to_string(&second).map_err(|e| EvalError::Invalid {
            path: second.display().to_string(),
            message: e.to_string(),
        })?;
        let invalid = |message: String| EvalError::Invalid {
            path: second.display().to_string(),
            message,
        };
        for cells in table_rows(&text) {
            let [file, themes, risks, ..] = cells[..] else {
                let row = cells.join(" | ");
                return Err(invalid(format!(
                    "a row needs file, themes and risks: {row}"
                )));
            };
            let item = out
                .iter_mut()
                .find(|l| {
                    l.path
                        .file_name()
                        .is_some_and(|n| n.to_string_lossy() == file)
                })
                .ok_or_else(|| invalid(format!("{file} is not in the set's README")))?;
            if item.second.is_some() {
                return Err(invalid(format!("{file} is coded twice in this file")));
            }
            item.second = Some(BTreeMap::from([
                ("theme".to_string(), list(themes)),
                ("risk".to_string(), list(risks)),
            ]));
        }
    }
    Ok(out)
}

/// The cells of a Markdown table's rows, header and rule left out.
fn table_rows(text: &str) -> impl Iterator<Item = Vec<&str>> {
    text.lines()
        .map(str::trim)
        .filter(|l| l.starts_with('|') && !l.starts_with("| file") && !l.starts_with("|---"))
        .map(|l| l.trim_matches('|').split('|').map(str::trim).collect())
}

/// A cell's comma-separated values; `-` for none.
fn list(cell: &str) -> BTreeSet<String> {
    cell.split(',')
        .map(str::trim)
        .filter(|v| !v.is_empty() && *v != "-")
        .map(str::to_string)
        .collect()
}

/// The values cairn assigned, by group.
pub fn assigned(f: &Facets) -> BTreeMap<String, BTreeSet<String>> {
    let one = |v: &Option<String>| v.iter().cloned().collect::<BTreeSet<_>>();
    let many = |v: &Vec<String>| v.iter().cloned().collect::<BTreeSet<_>>();
    BTreeMap::from([
        ("theme".to_string(), many(&f.themes)),
        ("risk".to_string(), many(&f.risk_factors)),
        ("practice".to_string(), many(&f.practice_themes)),
        ("age".to_string(), one(&f.age_band)),
        ("type".to_string(), one(&f.review_type)),
        ("nation".to_string(), one(&f.nation)),
        (
            "year".to_string(),
            f.year.iter().map(|y| y.to_string()).collect(),
        ),
        ("outcome".to_string(), one(&f.outcome)),
    ])
}

/// Counts for precision and recall.
#[derive(Debug, Default, Clone, Copy, Serialize)]
pub struct Counts {
    pub true_positive: u32,
    pub false_positive: u32,
    pub false_negative: u32,
}

impl Counts {
    /// Count one value: was it in the truth, was it found?
    pub fn tally(&mut self, in_truth: bool, found: bool) {
        match (in_truth, found) {
            (true, true) => self.true_positive += 1,
            (true, false) => self.false_negative += 1,
            (false, true) => self.false_positive += 1,
            (false, false) => {}
        }
    }

    /// Count `found` against `truth`.
    pub fn add(&mut self, truth: &BTreeSet<String>, found: &BTreeSet<String>) {
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        self.true_positive += count(truth.intersection(found).count());
        self.false_positive += count(found.difference(truth).count());
        self.false_negative += count(truth.difference(found).count());
    }

    pub fn precision(&self) -> f64 {
        ratio(self.true_positive, self.true_positive + self.false_positive)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.true_positive, self.true_positive + self.false_negative)
    }
    /// Precision's and recall's 95% intervals, as "0.711–0.904" ("—" with nothing to divide).
    pub fn intervals(&self) -> [String; 2] {
        let tp = self.true_positive;
        [
            interval95(tp, tp + self.false_positive),
            interval95(tp, tp + self.false_negative),
        ]
        .map(|i| i.map_or_else(|| "—".to_string(), |[lo, hi]| format!("{lo:.3}–{hi:.3}")))
    }

    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(a: u32, b: u32) -> f64 {
    if b == 0 {
        1.0
    } else {
        f64::from(a) / f64::from(b)
    }
}

/// The measurement of one set.
#[derive(Debug, Default, Serialize)]
pub struct Evaluation {
    pub files: usize,
    /// Files that could not be read (counted as assigning nothing).
    pub unreadable: Vec<String>,
    pub by_group: BTreeMap<String, Counts>,
    pub by_value: BTreeMap<String, Counts>,
    /// "group: expected → assigned" for single-valued groups; "group/value: missed" or
    /// "group/value: extra" for the others; with the files.
    pub confusions: BTreeMap<String, Vec<String>>,
    /// Files coded twice, and per group (themes, risk factors) how the coders and cairn agree.
    pub coded_twice: usize,
    pub agreement: BTreeMap<String, Agreement>,
    /// Per "group/value", the curator's suggestions (values affirmed too seldom to tag) against
    /// the labels: true positives are labelled values a curator would confirm, so the share
    /// says which values' single mentions are usually right ([`Evaluation::suggested`] sums a
    /// group).
    pub suggested_by_value: BTreeMap<String, Counts>,
    /// "group/value" → the second coder against the first, on the files coded twice.
    pub readers_by_value: BTreeMap<String, Counts>,
}

/// Two coders and cairn on the files coded twice.
#[derive(Debug, Default, Clone, Copy, Serialize)]
pub struct Agreement {
    /// The second coder scored against the first: what two careful readers agree on.
    pub second_vs_first: Counts,
    pub cairn_vs_first: Counts,
    pub cairn_vs_second: Counts,
    /// Against what either coder gave: cairn's precision where the coders differ is not
    /// held against it.
    pub cairn_vs_either: Counts,
    /// Against what both coders gave: cairn's recall of what no reader would leave out.
    pub cairn_vs_both: Counts,
}

/// Classify every file of `set` and compare with its labels.
pub fn evaluate(set: &[Labelled], classifier: &Classifier) -> Evaluation {
    let mut eval = Evaluation {
        files: set.len(),
        ..Evaluation::default()
    };
    for item in set {
        let name = item
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let (got, suggested) = match std::fs::read(&item.path)
            .map_err(|e| e.to_string())
            .and_then(|b| extract::extract(&b).map_err(|e| e.to_string()))
        {
            Ok(doc) => {
                let c = classifier.classify(&doc, &name);
                (assigned(&c.facets), c.suggested)
            }
            Err(e) => {
                eval.unreadable.push(format!("{name}: {e}"));
                (BTreeMap::new(), Vec::new())
            }
        };
        for s in &suggested {
            let labelled = item
                .truth
                .get(&s.facet)
                .is_some_and(|t| t.contains(&s.value));
            // A suggestion is something found; the labels say whether it was there.
            eval.suggested_by_value
                .entry(format!("{}/{}", s.facet, s.value))
                .or_default()
                .tally(labelled, true);
        }
        if let Some(second) = &item.second {
            eval.coded_twice += 1;
            let none = BTreeSet::new();
            for group in CODED_TWICE {
                let first = item.truth.get(group).unwrap_or(&none);
                let second = second.get(group).unwrap_or(&none);
                let found = got.get(group).unwrap_or(&none);
                let a = eval.agreement.entry(group.to_string()).or_default();
                a.second_vs_first.add(first, second);
                a.cairn_vs_first.add(first, found);
                a.cairn_vs_second.add(second, found);
                a.cairn_vs_either
                    .add(&first.union(second).cloned().collect(), found);
                a.cairn_vs_both
                    .add(&first.intersection(second).cloned().collect(), found);
                for v in first.union(second) {
                    eval.readers_by_value
                        .entry(format!("{group}/{v}"))
                        .or_default()
                        .tally(first.contains(v), second.contains(v));
                }
            }
        }
        for group in GROUPS {
            let truth = item.truth.get(group).cloned().unwrap_or_default();
            let found = got.get(group).cloned().unwrap_or_default();
            let counts = eval.by_group.entry(group.to_string()).or_default();
            for v in truth.union(&found) {
                let (t, f) = (truth.contains(v), found.contains(v));
                counts.tally(t, f);
                let key = format!("{group}/{v}");
                eval.by_value.entry(key).or_default().tally(t, f);
            }
            let single = !matches!(group, "theme" | "risk" | "practice");
            if single {
                if truth != found {
                    let show = |s: &BTreeSet<String>| {
                        s.iter().next().cloned().unwrap_or_else(|| "(none)".into())
                    };
                    eval.confusions
                        .entry(format!("{group}: {} → {}", show(&truth), show(&found)))
                        .or_default()
                        .push(name.clone());
                }
            } else {
                for v in truth.difference(&found) {
                    eval.confusions
                        .entry(format!("{group}/{v}: missed"))
                        .or_default()
                        .push(name.clone());
                }
                for v in found.difference(&truth) {
                    eval.confusions
                        .entry(format!("{group}/{v}: extra"))
                        .or_default()
                        .push(name.clone());
                }
            }
        }
    }
    eval
}

impl Evaluation {
    /// The per-facet table in Markdown.
    pub fn table(&self) -> String {
        let mut out = String::from(
            "| facet | precision | recall | F1 | assigned | listed | precision, 95% interval | \
             recall, 95% interval |\n|---|---|---|---|---|---|---|---|\n",
        );
        for group in GROUPS {
            let c = self.by_group.get(group).copied().unwrap_or_default();
            let [p, r] = c.intervals();
            out.push_str(&format!(
                "| {group} | {:.3} | {:.3} | {:.3} | {} | {} | {p} | {r} |\n",
                c.precision(),
                c.recall(),
                c.f1(),
                c.true_positive + c.false_positive,
                c.true_positive + c.false_negative
            ));
        }
        for (group, s) in CODED_TWICE
            .iter()
            .filter_map(|g| Some((*g, self.suggested(g)?)))
        {
            let missed = self.by_group.get(group).map_or(0, |c| c.false_negative);
            out.push_str(&format!(
                "\nSuggested to curators ({group}): {} values, {} of them labelled ({:.3}); they \
                 hold {} of the {missed} labelled values not tagged.\n",
                s.true_positive + s.false_positive,
                s.true_positive,
                s.precision(),
                s.true_positive
            ));
        }
        out
    }

    /// The curator's suggestions of one group against the labels; `None` if there were none.
    pub fn suggested(&self, group: &str) -> Option<Counts> {
        let prefix = format!("{group}/");
        self.suggested_by_value
            .iter()
            .filter(|(k, _)| k.starts_with(&prefix))
            .map(|(_, c)| *c)
            .reduce(|a, b| Counts {
                true_positive: a.true_positive + b.true_positive,
                false_positive: a.false_positive + b.false_positive,
                false_negative: a.false_negative + b.false_negative,
            })
    }

    /// Each value's counts, for `index-config/accuracy.toml`; `sets` names what was measured.
    pub fn accuracy(&self, sets: &str) -> Accuracy {
        let mut accuracy = Accuracy {
            measured_on: format!("{} labelled files ({sets})", self.files),
            ..Accuracy::default()
        };
        let measured = |c: &Counts| Measured {
            true_positive: c.true_positive,
            false_positive: c.false_positive,
            false_negative: c.false_negative,
        };
        for (key, c) in &self.by_value {
            let Some((group, value)) = key.split_once('/') else {
                continue;
            };
            // Years are a range filter, not a list of values.
            if group == "year" {
                continue;
            }
            accuracy
                .values
                .entry(group.to_string())
                .or_default()
                .insert(value.to_string(), measured(c));
        }
        for (key, c) in &self.readers_by_value {
            if let Some((group, value)) = key.split_once('/') {
                accuracy
                    .readers
                    .entry(group.to_string())
                    .or_default()
                    .insert(value.to_string(), measured(c));
            }
        }
        accuracy
    }

    /// How two coders and cairn agree, in Markdown (empty when no file was coded twice).
    pub fn agreement_table(&self) -> String {
        if self.coded_twice == 0 {
            return String::new();
        }
        let pr = |c: &Counts| format!("{:.3} / {:.3}", c.precision(), c.recall());
        let mut out = format!(
            "Coded twice: {} files. \"A vs B\": precision / recall of A's values against B's; \
             \"either\" and \"both\" are the two coders' union and intersection.\n\n\
             | facet | second coder vs first | cairn vs first | cairn vs second | cairn vs either \
             (P) and both (R) |\n|---|---|---|---|---|\n",
            self.coded_twice
        );
        for (group, a) in CODED_TWICE
            .iter()
            .filter_map(|g| Some((g, self.agreement.get(*g)?)))
        {
            out.push_str(&format!(
                "| {group} | {} | {} | {} | {:.3} / {:.3} |\n",
                pr(&a.second_vs_first),
                pr(&a.cairn_vs_first),
                pr(&a.cairn_vs_second),
                a.cairn_vs_either.precision(),
                a.cairn_vs_both.recall()
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_give_precision_recall_and_f1() {
        let c = Counts {
            true_positive: 8,
            false_positive: 2,
            false_negative: 0,
        };
        assert!((c.precision() - 0.8).abs() < 1e-9);
        assert!((c.recall() - 1.0).abs() < 1e-9);
        assert!((c.f1() - 16.0 / 18.0).abs() < 1e-9);
        assert_eq!(
            Counts::default().precision(),
            1.0,
            "nothing assigned, nothing wrong"
        );
    }

    #[test]
    fn a_second_coder_is_read_beside_the_set_and_measured_against_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let header = "| file | nation | type | year | age | outcome | themes | risks | practice \
                      | languages |\n|---|---|---|---|---|---|---|---|---|---|\n";
        let row = |file: &str, themes: &str, risks: &str| {
            format!(
                "| {file} | england | lcspr | 2021 | 1-4 | serious-harm | {themes} | {risks} | - | en |\n"
            )
        };
        std::fs::write(
            dir.path().join("README.md"),
            format!(
                "{header}{}{}",
                row("a.pdf", "neglect", "poverty, domestic-abuse"),
                row("b.pdf", "physical-abuse", "-")
            ),
        )
        .unwrap();
        std::fs::write(
            dir.path().join("second-coder.md"),
            "| file | themes | risks | coder |\n|---|---|---|---|\n\
             | a.pdf | neglect, emotional-abuse | poverty | coder A |\n",
        )
        .unwrap();
        let set = read_set(dir.path()).unwrap();
        assert!(set[0].second.is_some());
        assert!(set[1].second.is_none(), "b.pdf was coded once");
        // The files do not exist: cairn assigns nothing to either.
        let eval = evaluate(&set, &Classifier::new(crate::classify::Taxonomy::builtin()));
        assert_eq!(eval.coded_twice, 1);
        let themes = eval.agreement["theme"];
        assert_eq!(themes.second_vs_first.precision(), 0.5);
        assert_eq!(themes.second_vs_first.recall(), 1.0);
        let risks = eval.agreement["risk"];
        assert_eq!(risks.second_vs_first.recall(), 0.5);
        assert_eq!(risks.cairn_vs_either.false_negative, 2);
        assert_eq!(risks.cairn_vs_both.false_negative, 1);
        assert!(eval.agreement_table().contains("| theme | 0.500 / 1.000 |"));

        std::fs::write(
            dir.path().join("second-coder.md"),
            "| file | themes | risks | coder |\n|---|---|---|---|\n| c.pdf | - | - | coder A |\n",
        )
        .unwrap();
        let err = read_set(dir.path()).unwrap_err().to_string();
        assert!(err.contains("c.pdf is not in the set's README"), "{err}");
        std::fs::write(
            dir.path().join("second-coder.md"),
            "| file | themes | risks | coder |\n|---|---|---|---|\n| a.pdf | - | - | coder A |\n\
             | a.pdf | neglect | - | coder B |\n",
        )
        .unwrap();
        let err = read_set(dir.path()).unwrap_err().to_string();
        assert!(err.contains("a.pdf is coded twice"), "{err}");
    }

    #[test]
    fn suggestions_are_scored_per_value_against_the_labels() {
        // Two reviews each tell of domestic abuse once, so cairn suggests it for both; only
        // the first is labelled with it, so a curator would confirm one suggestion in two.
        let dir = tempfile::tempdir().unwrap();
        let paragraphs = |title: &str| {
            [
                title,
                "Background",
                "The police attended a report of domestic abuse at the address in 2019.",
            ]
            .iter()
            .map(|t| format!("<w:p><w:r><w:t>{t}</w:t></w:r></w:p>"))
            .collect::<String>()
        };
        for (file, title) in [("a.docx", "Child A"), ("b.docx", "Child B")] {
            let body = paragraphs(&format!("Child Safeguarding Practice Review: {title}"));
            std::fs::write(
                dir.path().join(file),
                crate::extract::docx::tests::docx(&body, &[]),
            )
            .unwrap();
        }
        std::fs::write(
            dir.path().join("README.md"),
            "| file | nation | type | year | age | outcome | themes | risks | practice | languages |\n\
             |---|---|---|---|---|---|---|---|---|---|\n\
             | a.docx | england | lcspr | 2021 | 1-4 | serious-harm | - | domestic-abuse | - | en |\n\
             | b.docx | england | lcspr | 2021 | 1-4 | serious-harm | - | - | - | en |\n",
        )
        .unwrap();
        let set = read_set(dir.path()).unwrap();
        let eval = evaluate(&set, &Classifier::new(crate::classify::Taxonomy::builtin()));
        let da = eval.suggested_by_value["risk/domestic-abuse"];
        assert_eq!((da.true_positive, da.false_positive), (1, 1), "{eval:?}");
        assert_eq!(eval.suggested("risk").map(|c| c.true_positive), Some(1));
    }
}

/// Relevance judgments (`tests/data/relevance/queries.toml`).
pub mod relevance {
    use crate::index::ReviewIndex;
    use crate::search::{QueryOptions, SearchRequest, Service};
    use serde::{Deserialize, Serialize};
    use std::collections::BTreeMap;

    #[derive(Debug, Clone, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Judged {
        pub id: String,
        pub text: String,
        pub part: String,
        #[serde(default)]
        pub note: String,
        /// Review key (file stem) → grade 1 or 2.
        pub grades: BTreeMap<String, u8>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct File {
        query: Vec<Judged>,
    }

    pub fn read(path: &std::path::Path) -> Result<Vec<Judged>, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let file: File = toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(file.query)
    }

    /// Mean figures over a set of queries.
    #[derive(Debug, Default, Clone, Copy, Serialize)]
    pub struct Scores {
        pub queries: usize,
        pub ndcg10: f64,
        pub mrr: f64,
        pub p5: f64,
    }

    fn dcg(gains: &[u8]) -> f64 {
        gains
            .iter()
            .enumerate()
            .map(|(i, g)| (2f64.powi(i32::from(*g)) - 1.0) / ((i + 2) as f64).log2())
            .sum()
    }

    /// nDCG@10, reciprocal rank and P@5 of one ranked list of keys.
    pub fn score(ranked: &[String], grades: &BTreeMap<String, u8>) -> (f64, f64, f64) {
        let gains: Vec<u8> = ranked
            .iter()
            .take(10)
            .map(|k| grades.get(k).copied().unwrap_or(0))
            .collect();
        let mut ideal: Vec<u8> = grades.values().copied().collect();
        ideal.sort_unstable_by(|a, b| b.cmp(a));
        ideal.truncate(10);
        let idcg = dcg(&ideal);
        let ndcg = if idcg > 0.0 { dcg(&gains) / idcg } else { 0.0 };
        let rr = ranked
            .iter()
            .position(|k| grades.get(k).is_some_and(|g| *g > 0))
            .map(|i| 1.0 / (i + 1) as f64)
            .unwrap_or(0.0);
        let p5 = ranked
            .iter()
            .take(5)
            .filter(|k| grades.get(*k).is_some_and(|g| *g > 0))
            .count() as f64
            / 5.0;
        (ndcg, rr, p5)
    }

    /// Review id → judgment key: the stem of whichever of its files is judged.
    pub fn keys(index: &ReviewIndex, judged: &[Judged]) -> crate::Result<BTreeMap<String, String>> {
        let known: std::collections::BTreeSet<&String> =
            judged.iter().flat_map(|j| j.grades.keys()).collect();
        let mut out = BTreeMap::new();
        for review in index.all_reviews()? {
            let mut stems: Vec<String> = index
                .files(&review)?
                .iter()
                .map(|f| {
                    f.source
                        .rsplit_once('.')
                        .map(|(s, _)| s)
                        .unwrap_or(&f.source)
                        .to_string()
                })
                .collect();
            stems.sort();
            let key = stems
                .iter()
                .find(|s| known.contains(s))
                .or(stems.first())
                .cloned()
                .unwrap_or_default();
            out.insert(review.id, key);
        }
        Ok(out)
    }

    /// Run every query of `part` with `options` and average the scores.
    pub fn evaluate(
        service: &Service,
        judged: &[Judged],
        part: &str,
        options: QueryOptions,
        keys: &BTreeMap<String, String>,
        verbose: bool,
    ) -> crate::Result<Scores> {
        let service = service.clone().with_query_options(options);
        let mut s = Scores::default();
        for j in judged.iter().filter(|j| j.part == part) {
            // The judgment keys of the first `n` hits.
            let ranked = |n: usize| -> crate::Result<Vec<String>> {
                let answer = service.search(&SearchRequest {
                    q: j.text.clone(),
                    per_page: n,
                    passages: 0,
                    ..SearchRequest::default()
                })?;
                Ok(answer
                    .hits
                    .iter()
                    .map(|h| keys.get(&h.id).cloned().unwrap_or_default())
                    .collect())
            };
            let ranked_ten = &ranked(10)?;
            let (ndcg, rr, p5) = score(ranked_ten, &j.grades);
            // Per-query figures for the tuning part only: the held-out part is never inspected.
            if verbose && part == "tune" {
                let grade = |k: &str| j.grades.get(k).copied().unwrap_or(0);
                let top: Vec<String> = ranked_ten
                    .iter()
                    .map(|k| format!("{k} ({})", grade(k)))
                    .collect();
                println!("{:>5.2}  {}  {:?} → {}", ndcg, j.id, j.text, top.join(", "));
                // Where the main-subject reviews that missed the first ten stand.
                let deeper = ranked(50)?;
                // The main-subject reviews only: broad queries have dozens of minor ones.
                let missed: Vec<String> = j
                    .grades
                    .iter()
                    .filter(|(k, g)| **g == 2 && !ranked_ten.contains(k))
                    .map(|(k, g)| match deeper.iter().position(|d| d == k) {
                        Some(i) => format!("{k} ({g}) at {}", i + 1),
                        None => format!("{k} ({g}) not in the first 50"),
                    })
                    .collect();
                if !missed.is_empty() {
                    println!("       missed: {}", missed.join(", "));
                }
            }
            s.queries += 1;
            s.ndcg10 += ndcg;
            s.mrr += rr;
            s.p5 += p5;
        }
        if s.queries > 0 {
            let n = s.queries as f64;
            s.ndcg10 /= n;
            s.mrr /= n;
            s.p5 /= n;
        }
        Ok(s)
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn a_perfect_ranking_scores_one() {
            let grades = BTreeMap::from([("a".to_string(), 2), ("b".to_string(), 1)]);
            let (ndcg, rr, p5) = score(&["a".into(), "b".into()], &grades);
            assert!((ndcg - 1.0).abs() < 1e-9 && rr == 1.0 && (p5 - 0.4).abs() < 1e-9);
            let (worse, rr, _) = score(&["x".into(), "b".into(), "a".into()], &grades);
            assert!(worse < 1.0 && rr == 0.5);
        }
    }
}
