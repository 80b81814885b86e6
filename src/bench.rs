//! `cairn bench`: ingest throughput and search latency, measured, never asserted.
//!
//! Ingests a corpus into a fresh temporary index (pages/s, files/s), then replays a fixed mix
//! of practitioner and researcher queries (free text, phrases, facet filters, filter-only
//! browsing, year sorts) and reports latency percentiles and peak memory.

use crate::classify::{Classifier, Taxonomy};
use crate::index::ReviewIndex;
use crate::ingest::Ingester;
use crate::search::{SearchRequest, Service, Sort};
use std::path::Path;
use std::time::{Duration, Instant};

/// The query mix: what practitioners type and what researchers filter by.
fn queries() -> Vec<SearchRequest> {
    let text = |q: &str| SearchRequest {
        q: q.into(),
        ..SearchRequest::default()
    };
    let filtered = |q: &str, pairs: &[(&str, &str)]| {
        let mut r = text(q);
        for (g, v) in pairs {
            r.filters
                .entry(g.to_string())
                .or_default()
                .push(v.to_string());
        }
        r
    };
    vec![
        text("neglect"),
        text("\"disguised compliance\""),
        text("domestic abuse"),
        text("bruising in a non-mobile baby"),
        text("co-sleeping alcohol"),
        text("information sharing between health and social care"),
        text("county lines exploitation"),
        text("esgeulustod plentyn"),
        filtered("neglect", &[("risk", "domestic-abuse")]),
        filtered(
            "",
            &[("risk", "parental-alcohol-misuse"), ("age", "under-1")],
        ),
        filtered("", &[("nation", "wales"), ("nation", "scotland")]),
        filtered(
            "professional curiosity",
            &[("practice", "professional-curiosity")],
        ),
        SearchRequest {
            sort: Sort::YearDesc,
            ..text("")
        },
        SearchRequest {
            year_from: Some(2015),
            year_to: Some(2020),
            ..text("hidden men")
        },
    ]
}

/// Figures of one run.
#[derive(Debug)]
pub struct BenchReport {
    pub files: usize,
    pub pages: u64,
    pub words: u64,
    pub ingest: Duration,
    pub searches: usize,
    pub p50: Duration,
    pub p95: Duration,
    pub p99: Duration,
    pub max: Duration,
    pub peak_rss_kib: Option<u64>,
}

impl BenchReport {
    pub fn pages_per_second(&self) -> f64 {
        self.pages as f64 / self.ingest.as_secs_f64().max(1e-9)
    }

    /// A Markdown table for the README.
    pub fn to_markdown(&self) -> String {
        let ms = |d: Duration| format!("{:.2} ms", d.as_secs_f64() * 1000.0);
        let rss = self
            .peak_rss_kib
            .map(|k| format!("{:.0} MiB", k as f64 / 1024.0))
            .unwrap_or_else(|| "n/a".into());
        format!(
            "| measure | value |\n|---|---|\n\
             | files ingested | {} ({} pages, {} words) |\n\
             | ingest time | {:.2} s |\n\
             | ingest throughput | {:.0} pages/s |\n\
             | searches | {} |\n\
             | search latency p50 | {} |\n\
             | search latency p95 | {} |\n\
             | search latency p99 | {} |\n\
             | search latency max | {} |\n\
             | peak memory (RSS) | {} |\n",
            self.files,
            self.pages,
            self.words,
            self.ingest.as_secs_f64(),
            self.pages_per_second(),
            self.searches,
            ms(self.p50),
            ms(self.p95),
            ms(self.p99),
            ms(self.max),
            rss
        )
    }
}

/// Ingest `corpus` into `index_dir` (which must be empty) and replay the query mix `rounds`
/// times.
pub fn run(
    corpus: &Path,
    index_dir: &Path,
    taxonomy: Taxonomy,
    rounds: usize,
) -> crate::Result<BenchReport> {
    let index = ReviewIndex::open_or_create(index_dir)?;
    let ingester = Ingester::new(index.clone(), Classifier::new(taxonomy.clone()));
    let report = ingester.ingest_paths(&[corpus.to_path_buf()], &mut |_| {})?;
    let service = Service::new(index, taxonomy);
    let mix = queries();
    // Warm the caches once; then measure.
    for q in &mix {
        service.search(q)?;
    }
    let mut latencies = Vec::with_capacity(mix.len() * rounds);
    for _ in 0..rounds {
        for q in &mix {
            let t0 = Instant::now();
            service.search(q)?;
            latencies.push(t0.elapsed());
        }
    }
    latencies.sort();
    let pct = |p: f64| {
        if latencies.is_empty() {
            return Duration::ZERO;
        }
        let i = ((latencies.len() as f64 - 1.0) * p).round() as usize;
        latencies[i]
    };
    Ok(BenchReport {
        files: report.ingested,
        pages: report.pages,
        words: report.words,
        ingest: report.elapsed,
        searches: latencies.len(),
        p50: pct(0.50),
        p95: pct(0.95),
        p99: pct(0.99),
        max: latencies.last().copied().unwrap_or_default(),
        peak_rss_kib: peak_rss_kib(),
    })
}

/// Peak resident memory of this process (Linux), in KiB.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}
