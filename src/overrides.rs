//! Curator overrides set through the API, kept beside the index so that they survive
//! re-ingest and a rebuild of the index.
//!
//! `PUT /api/v1/reviews/{id}/facets` stores the fields a curator set, with who set them and
//! when, in `data/overrides.json` (for `data/index`), keyed by the review's id, which comes from
//! its file's bytes: rebuilding the index from the same files finds the same ids, and the
//! ingester applies the override again after classifying.

use crate::classify::Sidecar;
use crate::keys::KeyStore;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One review's override.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Override {
    pub fields: Sidecar,
    pub set_by: String,
    pub set_at: String,
}

/// Errors of the store.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct OverrideError {
    pub path: String,
    pub message: String,
}

/// The overrides of one deployment.
#[derive(Debug, Clone)]
pub struct Overrides {
    path: PathBuf,
}

impl Overrides {
    pub fn for_index(index_dir: &Path) -> Overrides {
        Overrides {
            path: KeyStore::data_dir(index_dir).join("overrides.json"),
        }
    }

    fn err(&self, message: impl std::fmt::Display) -> OverrideError {
        OverrideError {
            path: self.path.display().to_string(),
            message: message.to_string(),
        }
    }

    /// Every override, by review id.
    pub fn load(&self) -> Result<BTreeMap<String, Override>, OverrideError> {
        match std::fs::read_to_string(&self.path) {
            Ok(text) => serde_json::from_str(&text).map_err(|e| self.err(e)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(BTreeMap::new()),
            Err(e) => Err(self.err(e)),
        }
    }

    pub fn get(&self, id: &str) -> Result<Option<Override>, OverrideError> {
        Ok(self.load()?.remove(id))
    }

    /// Record `fields` for review `id`, set by `who` now. Fields not given keep an earlier
    /// override's value.
    pub fn set(&self, id: &str, fields: Sidecar, who: &str) -> Result<Override, OverrideError> {
        let mut all = self.load()?;
        let merged = match all.remove(id) {
            Some(old) => merge(old.fields, fields),
            None => fields,
        };
        let entry = Override {
            fields: merged,
            set_by: who.to_string(),
            set_at: time::OffsetDateTime::now_utc()
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
        };
        all.insert(id.to_string(), entry.clone());
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| self.err(e))?;
        }
        let tmp = self.path.with_extension("json.tmp");
        let text = serde_json::to_string_pretty(&all).map_err(|e| self.err(e))?;
        std::fs::write(&tmp, text).map_err(|e| self.err(e))?;
        std::fs::rename(&tmp, &self.path).map_err(|e| self.err(e))?;
        Ok(entry)
    }
}

fn merge(old: Sidecar, new: Sidecar) -> Sidecar {
    Sidecar {
        title: new.title.or(old.title),
        review_type: new.review_type.or(old.review_type),
        nation: new.nation.or(old.nation),
        year: new.year.or(old.year),
        age_band: new.age_band.or(old.age_band),
        child_age_years: new.child_age_years.or(old.child_age_years),
        outcome: new.outcome.or(old.outcome),
        themes: new.themes.or(old.themes),
        risk_factors: new.risk_factors.or(old.risk_factors),
        practice_themes: new.practice_themes.or(old.practice_themes),
        languages: new.languages.or(old.languages),
    }
}

impl Override {
    /// How the evidence names the override.
    pub fn note(&self) -> String {
        format!("set by curator `{}` at {}", self.set_by, self.set_at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_merge_and_remember_who_and_when() {
        let dir = tempfile::tempdir().unwrap();
        let store = Overrides::for_index(&dir.path().join("index"));
        let first = Sidecar {
            themes: Some(vec!["neglect".into()]),
            ..Sidecar::default()
        };
        store.set("abc", first, "alice").unwrap();
        let second = Sidecar {
            year: Some(2014),
            ..Sidecar::default()
        };
        let o = store.set("abc", second, "bob").unwrap();
        assert_eq!(
            o.fields.themes.as_deref(),
            Some(&["neglect".to_string()][..])
        );
        assert_eq!(o.fields.year, Some(2014));
        assert_eq!(o.set_by, "bob");
        assert!(store.get("abc").unwrap().unwrap().note().contains("bob"));
        assert!(store.get("other").unwrap().is_none());
    }
}
