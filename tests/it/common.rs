//! Shared helpers: throwaway indexes built from fixtures or the sample corpus.

use cairn::api::{ApiOptions, Keys, router};
use cairn::classify::{Classifier, Taxonomy};
use cairn::index::ReviewIndex;
use cairn::ingest::{Ingester, Report};
use cairn::search::Service;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures").join(name)
}

/// The real-world files beside the project (`../shared/realworld`).
pub fn realworld() -> PathBuf {
    root().join("../shared/realworld")
}

/// An index in a temporary directory, removed on drop.
pub struct TestIndex {
    /// Held so that the directory lives as long as the index.
    _dir: tempfile::TempDir,
    pub index: ReviewIndex,
    pub report: Report,
}

impl TestIndex {
    pub fn from_paths(paths: &[PathBuf]) -> TestIndex {
        let dir = tempfile::tempdir().expect("temp dir");
        let index = ReviewIndex::open_or_create(&dir.path().join("index")).expect("index");
        let ingester = Ingester::new(index.clone(), Classifier::new(Taxonomy::builtin()));
        let report = ingester.ingest_paths(paths, &mut |_| {}).expect("ingest");
        TestIndex {
            _dir: dir,
            index,
            report,
        }
    }

    pub fn from_fixtures(names: &[&str]) -> TestIndex {
        TestIndex::from_paths(&names.iter().map(|n| fixture(n)).collect::<Vec<_>>())
    }

    pub fn service(&self) -> Service {
        Service::new(self.index.clone(), Taxonomy::builtin())
    }

    pub fn ingester(&self) -> Ingester {
        Ingester::new(self.index.clone(), Classifier::new(Taxonomy::builtin()))
    }

    /// The loopback demo router: anonymous reading, no keys.
    pub fn router(&self) -> axum::Router {
        self.router_with(|o| o)
    }

    /// A router with options adjusted by `f` (keys, audit log, limits…).
    pub fn router_with(&self, f: impl FnOnce(ApiOptions) -> ApiOptions) -> axum::Router {
        let keys = Arc::new(Keys::open(self.index.dir()).expect("key store"));
        router(self.service(), self.ingester(), f(ApiOptions::demo(keys)))
    }
}

/// The sample corpus, ingested once for every test that reads it.
pub fn corpus() -> &'static TestIndex {
    static CORPUS: OnceLock<TestIndex> = OnceLock::new();
    CORPUS.get_or_init(|| TestIndex::from_paths(&[root().join("corpus-sample")]))
}
