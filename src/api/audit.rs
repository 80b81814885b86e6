//! The audit log: one JSON line per request, appended, with size-capped rotation.
//!
//! Each line has the time, the key's name and role (never key material), the method, the route
//! template and the raw query, the status, the review ids returned and the time taken. When the
//! file passes its size cap it is rotated to `.1` (older files shift to `.2` … and the oldest
//! is dropped), so the log never fills the disk.

use super::auth::Caller;
use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Review ids a handler returned, for the audit line.
#[derive(Debug, Clone, Default)]
pub struct AuditIds(pub Vec<String>);

#[derive(Serialize)]
struct Line<'a> {
    time: String,
    key: Option<&'a str>,
    role: Option<&'a str>,
    method: &'a str,
    route: &'a str,
    path: &'a str,
    query: &'a str,
    status: u16,
    ids: &'a [String],
    ms: u64,
}

/// An append-only JSON-lines file.
#[derive(Debug)]
pub struct AuditLog {
    path: PathBuf,
    max_bytes: u64,
    keep: usize,
    file: Mutex<Option<std::fs::File>>,
}

impl AuditLog {
    /// Open (creating) the log at `path`, rotating past `max_bytes`, keeping `keep` old files.
    pub fn open(path: &Path, max_bytes: u64, keep: usize) -> std::io::Result<AuditLog> {
        if let Some(dir) = path.parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir)?;
        }
        let file = open_append(path)?;
        Ok(AuditLog {
            path: path.to_path_buf(),
            max_bytes,
            keep: keep.max(1),
            file: Mutex::new(Some(file)),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn append(&self, line: &str) -> std::io::Result<()> {
        let mut guard = self.file.lock().unwrap_or_else(|p| p.into_inner());
        let len = guard
            .as_ref()
            .and_then(|f| f.metadata().ok())
            .map(|m| m.len())
            .unwrap_or(0);
        if len + line.len() as u64 > self.max_bytes && len > 0 {
            *guard = None;
            self.rotate()?;
        }
        if guard.is_none() {
            *guard = Some(open_append(&self.path)?);
        }
        let file = guard.as_mut().expect("opened above");
        file.write_all(line.as_bytes())
    }

    fn rotate(&self) -> std::io::Result<()> {
        let numbered = |n: usize| {
            let mut name = self.path.as_os_str().to_os_string();
            name.push(format!(".{n}"));
            PathBuf::from(name)
        };
        let _ = std::fs::remove_file(numbered(self.keep));
        for n in (1..self.keep).rev() {
            let from = numbered(n);
            if from.exists() {
                std::fs::rename(&from, numbered(n + 1))?;
            }
        }
        std::fs::rename(&self.path, numbered(1))
    }
}

fn open_append(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
}

/// Middleware: write one line for every request, whatever its answer.
pub async fn record(State(log): State<Arc<AuditLog>>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().to_string();
    let path = request.uri().path().to_string();
    let query = request.uri().query().unwrap_or("").to_string();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_else(|| "(unmatched)".to_string());
    let response = next.run(request).await;
    let caller = response.extensions().get::<Caller>().cloned();
    let ids = response
        .extensions()
        .get::<AuditIds>()
        .cloned()
        .unwrap_or_default();
    let line = Line {
        time: time::OffsetDateTime::now_utc()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default(),
        key: caller.as_ref().and_then(|c| c.0.name.as_deref()),
        role: caller.as_ref().map(|c| c.0.role.as_str()),
        method: &method,
        route: &route,
        path: &path,
        query: &query,
        status: response.status().as_u16(),
        ids: &ids.0,
        ms: started.elapsed().as_millis() as u64,
    };
    let mut text = serde_json::to_string(&line).expect("audit lines serialise");
    text.push('\n');
    let log = log.clone();
    // File I/O off the async threads; a failed write is logged, never turned into an answer.
    let _ = tokio::task::spawn_blocking(move || {
        if let Err(e) = log.append(&text) {
            tracing::error!("audit log {}: {e}", log.path().display());
        }
    })
    .await;
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotates_past_the_cap_and_keeps_a_bounded_number_of_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("audit.jsonl");
        let log = AuditLog::open(&path, 100, 2).unwrap();
        for i in 0..20 {
            log.append(&format!("{{\"line\":{i},\"pad\":\"................\"}}\n"))
                .unwrap();
        }
        assert!(std::fs::metadata(&path).unwrap().len() <= 100);
        assert!(dir.path().join("audit.jsonl.1").exists());
        assert!(dir.path().join("audit.jsonl.2").exists());
        assert!(!dir.path().join("audit.jsonl.3").exists());
        let last = std::fs::read_to_string(&path).unwrap();
        assert!(last.contains("\"line\":19"));
    }
}
