//! Learning briefs for trainers: the review's own words, never invented.
//!
//! A brief takes the passages under the review's summary or introduction, its findings or
//! learning, and its recommendations, in order, each with its page and section, and a citation
//! line. Nothing is paraphrased: a trainer quotes what the review says, where it says it.

use crate::classify::taxonomy::Taxonomy;
use crate::document::{Passage, Review};
use regex::Regex;
use serde::Serialize;
use std::sync::LazyLock;

static SUMMARY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(summary|overview|introduction|reasons? for|crynodeb|cyflwyniad)\b")
        .expect("valid regex")
});
static FINDINGS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(findings?|learning|lessons?|conclusions?|dysgu|canfyddiadau)\b")
        .expect("valid regex")
});
static RECOMMENDATIONS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(recommendations?|argymhellion|actions?)\b").expect("valid regex")
});

/// Passages taken for each part at most.
const LIMITS: (usize, usize, usize) = (3, 8, 10);

/// One quoted passage.
#[derive(Debug, Clone, Serialize)]
pub struct BriefItem {
    pub page: Option<u32>,
    pub section: Option<String>,
    pub text: String,
}

/// `GET /api/v1/reviews/{id}/brief`.
#[derive(Debug, Clone, Serialize)]
pub struct Brief {
    pub id: String,
    pub title: String,
    pub citation: String,
    pub summary: Vec<BriefItem>,
    pub findings: Vec<BriefItem>,
    pub recommendations: Vec<BriefItem>,
}

fn item(p: &Passage) -> BriefItem {
    BriefItem {
        page: p.page,
        section: p.section.clone(),
        text: p.text.clone(),
    }
}

/// Build the brief of `review` from its passages.
pub fn brief(review: &Review, passages: &[Passage], taxonomy: &Taxonomy) -> Brief {
    let (mut summary, mut findings, mut recommendations) = (Vec::new(), Vec::new(), Vec::new());
    for p in passages {
        let Some(section) = p.section.as_deref() else {
            continue;
        };
        // Recommendations first: "Learning and recommendations" is a recommendations section.
        if RECOMMENDATIONS.is_match(section) {
            if recommendations.len() < LIMITS.2 {
                recommendations.push(item(p));
            }
        } else if FINDINGS.is_match(section) {
            if findings.len() < LIMITS.1 {
                findings.push(item(p));
            }
        } else if SUMMARY.is_match(section) && summary.len() < LIMITS.0 {
            summary.push(item(p));
        }
    }
    if summary.is_empty() {
        // No summary heading: the review's opening paragraphs are its own summary.
        summary = passages.iter().take(2).map(item).collect();
    }
    let f = &review.facets;
    let label = |group: &str, key: &Option<String>| {
        key.as_ref()
            .map(|k| taxonomy.label(group, k).unwrap_or_else(|| k.clone()))
    };
    let page = findings
        .first()
        .or(summary.first())
        .and_then(|i| i.page)
        .map(|p| format!("p. {p}"));
    let citation = [
        Some(review.title.clone()),
        label("type", &f.review_type),
        label("nation", &f.nation),
        f.year.map(|y| y.to_string()),
        page,
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(", ");
    Brief {
        id: review.id.clone(),
        title: review.title.clone(),
        citation,
        summary,
        findings,
        recommendations,
    }
}

impl Brief {
    /// Markdown ready to paste into training material.
    pub fn to_markdown(&self) -> String {
        let mut out = format!("# Learning brief: {}\n\n*{}*\n", self.title, self.citation);
        for (heading, items) in [
            ("Summary", &self.summary),
            ("Findings and learning", &self.findings),
            ("Recommendations", &self.recommendations),
        ] {
            if items.is_empty() {
                continue;
            }
            out.push_str(&format!("\n## {heading}\n\n"));
            for i in items {
                let place = match (i.page, &i.section) {
                    (Some(p), _) => format!(" (p. {p})"),
                    (None, Some(s)) => format!(" ({s})"),
                    (None, None) => String::new(),
                };
                out.push_str(&format!("> {}{place}\n\n", i.text.replace('\n', " ")));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Facets, Format};

    fn passage(section: &str, page: u32, text: &str) -> Passage {
        Passage {
            page: Some(page),
            section: Some(section.into()),
            text: text.into(),
            language: None,
        }
    }

    #[test]
    fn a_brief_quotes_the_review_with_pages_and_a_citation() {
        let review = Review {
            id: "abc".into(),
            sha256: String::new(),
            title: "Serious Case Review: Child T".into(),
            source: "t.pdf".into(),
            format: Format::Pdf,
            pages: Some(9),
            words: 100,
            ingested_at: String::new(),
            facets: Facets {
                review_type: Some("serious-case-review".into()),
                nation: Some("england".into()),
                year: Some(2015),
                ..Facets::default()
            },
            evidence: vec![],
            warnings: vec![],
            personal_data: vec![],
            suggested: vec![],
            fingerprint: vec![],
        };
        let passages = [
            passage("1. Introduction", 1, "This review concerns Child T."),
            passage("Background", 2, "The family moved often."),
            passage("6. Findings", 5, "Information was not shared."),
            passage("7. Recommendations", 6, "The board should train staff."),
        ];
        let b = brief(&review, &passages, &Taxonomy::builtin());
        assert_eq!(b.summary[0].text, "This review concerns Child T.");
        assert_eq!(b.findings[0].page, Some(5));
        assert_eq!(b.recommendations.len(), 1);
        assert_eq!(
            b.citation,
            "Serious Case Review: Child T, Serious Case Review (England, Wales), England, 2015, p. 5"
        );
        let md = b.to_markdown();
        assert!(md.contains("> Information was not shared. (p. 5)"), "{md}");
    }
}
