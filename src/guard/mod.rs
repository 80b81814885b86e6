//! Residual personal data and metadata leaks: detect, then refuse, redact or flag by policy.
//!
//! Runs between extraction and classification, so nothing it refuses or redacts ever reaches
//! the classifier or the index. [`detect`] finds e-mail addresses, UK phone numbers, full
//! postcodes, NHS numbers (check digit verified), National Insurance numbers, dates of birth and
//! titled full names that are not pseudonyms ("Mrs Jane Doe", not "Mr X"). Document metadata
//! (PDF Info, DOCX core properties), DOCX comments and deleted tracked changes are never indexed
//! in the first place; [`check`] reports them as leaks for `cairn check`.
//!
//! This module knows nothing of tantivy or HTTP.

pub mod detect;

pub use self::detect::{Finding, Kind};

use crate::document::Extracted;
use std::collections::BTreeMap;

/// What to do with a file in which personal data is found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Policy {
    /// Index nothing of the file (the default for uploads).
    #[default]
    Refuse,
    /// Replace each finding by `[redacted: kind]` everywhere before indexing (the default for
    /// `cairn ingest`).
    Redact,
    /// Index as it is, with a warning that only curators see.
    Flag,
}

impl std::str::FromStr for Policy {
    type Err = String;
    fn from_str(s: &str) -> Result<Policy, String> {
        match s {
            "refuse" => Ok(Policy::Refuse),
            "redact" => Ok(Policy::Redact),
            "flag" => Ok(Policy::Flag),
            other => Err(format!(
                "personal-data policy `{other}` is unknown; use refuse, redact or flag"
            )),
        }
    }
}

/// A finding with the page it is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub page: u32,
    pub finding: Finding,
}

/// What [`check`] found in one document.
#[derive(Debug, Default, Clone)]
pub struct Report {
    pub findings: Vec<Located>,
    /// Metadata and hidden content that could carry names (never indexed, but worth removing
    /// from the published file).
    pub leaks: Vec<String>,
}

impl Report {
    pub fn is_clean(&self) -> bool {
        self.findings.is_empty() && self.leaks.is_empty()
    }

    /// "2 phone numbers (pages 3, 5), 1 email (page 1)".
    pub fn summary(&self) -> String {
        let mut by_kind: BTreeMap<Kind, Vec<u32>> = BTreeMap::new();
        for l in &self.findings {
            by_kind.entry(l.finding.kind).or_default().push(l.page);
        }
        by_kind
            .into_iter()
            .map(|(kind, mut pages)| {
                let n = pages.len();
                pages.dedup();
                let pages: Vec<String> = pages.iter().map(u32::to_string).collect();
                format!("{n} × {} (page {})", kind.as_str(), pages.join(", "))
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Metadata fields that name people.
const PERSON_FIELDS: [&str; 6] = [
    "Author",
    "author",
    "creator",
    "lastModifiedBy",
    "dc:creator",
    "cp:lastModifiedBy",
];

/// Find personal data in the pages and leaks in the metadata.
pub fn check(doc: &Extracted) -> Report {
    let mut report = Report::default();
    for page in &doc.pages {
        for finding in detect::scan(&page.text) {
            report.findings.push(Located {
                page: page.number,
                finding,
            });
        }
    }
    for (field, value) in &doc.metadata {
        if PERSON_FIELDS.contains(&field.as_str()) && !value.trim().is_empty() {
            report
                .leaks
                .push(format!("document property {field} = \"{}\"", value.trim()));
        }
    }
    for warning in &doc.warnings {
        let w = warning.to_ascii_lowercase();
        if w.contains("comment")
            || w.contains("tracked")
            || w.contains("deleted")
            || w.contains("author")
        {
            report.leaks.push(warning.clone());
        }
    }
    report
}

/// Apply `policy` to an extracted document. `Err` carries the summary when the policy refuses;
/// `Ok` carries the flags to show curators (empty unless the policy is `Flag`).
pub fn apply(doc: &mut Extracted, policy: Policy) -> Result<Vec<String>, String> {
    let report = check(doc);
    if report.findings.is_empty() {
        return Ok(Vec::new());
    }
    match policy {
        Policy::Refuse => Err(report.summary()),
        Policy::Flag => Ok(vec![format!("personal data found: {}", report.summary())]),
        Policy::Redact => {
            for page in &mut doc.pages {
                page.text = redact_all(&page.text);
            }
            for section in &mut doc.sections {
                section.heading = redact_all(&section.heading);
                section.text = redact_all(&section.text);
            }
            for passage in &mut doc.passages {
                passage.text = redact_all(&passage.text);
                if let Some(s) = &passage.section {
                    passage.section = Some(redact_all(s));
                }
            }
            doc.warnings
                .push(format!("personal data redacted: {}", report.summary()));
            Ok(Vec::new())
        }
    }
}

fn redact_all(text: &str) -> String {
    let findings = detect::scan(text);
    if findings.is_empty() {
        text.to_string()
    } else {
        detect::redact(text, &findings)
    }
}
