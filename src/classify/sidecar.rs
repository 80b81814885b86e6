//! Curator overrides in a sidecar file `<file>.meta.toml` beside a review.
//!
//! Any field set there replaces what the classifier found, and is recorded as evidence
//! ("set in Child-A.pdf.meta.toml"). Values are checked against the taxonomy, so a typo fails
//! the file with the bad value named instead of inventing a facet.

use super::Classified;
use super::taxonomy::Taxonomy;
use crate::document::{Evidence, EvidencePassage};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// What is wrong with a sidecar.
#[derive(Debug, thiserror::Error)]
pub enum SidecarError {
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
}

/// The fields a sidecar may set. Unknown keys are refused.
#[derive(Debug, Default, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Sidecar {
    pub title: Option<String>,
    pub review_type: Option<String>,
    pub nation: Option<String>,
    pub year: Option<u16>,
    pub age_band: Option<String>,
    pub child_age_years: Option<f32>,
    pub outcome: Option<String>,
    pub themes: Option<Vec<String>>,
    pub risk_factors: Option<Vec<String>>,
    pub practice_themes: Option<Vec<String>>,
    pub languages: Option<Vec<String>>,
}

impl Sidecar {
    /// The sidecar path for a review file: `report.pdf` → `report.pdf.meta.toml`.
    pub fn path_for(file: &Path) -> PathBuf {
        let mut name = file.file_name().unwrap_or_default().to_os_string();
        name.push(".meta.toml");
        file.with_file_name(name)
    }

    /// Read the sidecar beside `file`, if there is one.
    pub fn load_for(file: &Path, taxonomy: &Taxonomy) -> Result<Option<Sidecar>, SidecarError> {
        let path = Sidecar::path_for(file);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(SidecarError::Invalid {
                    path: path.display().to_string(),
                    message: e.to_string(),
                });
            }
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        Sidecar::parse(&text, &name, taxonomy).map(Some)
    }

    /// Parse and validate sidecar TOML; `name` is used in errors.
    pub fn parse(text: &str, name: &str, taxonomy: &Taxonomy) -> Result<Sidecar, SidecarError> {
        let invalid = |message: String| SidecarError::Invalid {
            path: name.to_string(),
            message,
        };
        let sidecar: Sidecar = toml::from_str(text).map_err(|e| invalid(e.to_string()))?;
        let check = |group: &str, key: &str| {
            if taxonomy.label(group, key).is_none() {
                let known: Vec<String> =
                    taxonomy.values(group).into_iter().map(|(k, _)| k).collect();
                return Err(invalid(format!(
                    "{group} value `{key}` is not in the taxonomy; known values: {}",
                    known.join(", ")
                )));
            }
            Ok(())
        };
        for (group, one) in [
            ("type", &sidecar.review_type),
            ("nation", &sidecar.nation),
            ("age", &sidecar.age_band),
            ("outcome", &sidecar.outcome),
        ] {
            if let Some(key) = one {
                check(group, key)?;
            }
        }
        for (group, many) in [
            ("theme", &sidecar.themes),
            ("risk", &sidecar.risk_factors),
            ("practice", &sidecar.practice_themes),
            ("language", &sidecar.languages),
        ] {
            for key in many.iter().flatten() {
                check(group, key)?;
            }
        }
        Ok(sidecar)
    }

    /// Parse and validate the same fields as JSON (the upload header `X-Cairn-Meta`).
    pub fn from_json(text: &str, name: &str, taxonomy: &Taxonomy) -> Result<Sidecar, SidecarError> {
        let sidecar: Sidecar = serde_json::from_str(text).map_err(|e| SidecarError::Invalid {
            path: name.to_string(),
            message: e.to_string(),
        })?;
        // Validate through the one checker by round-tripping to TOML.
        let toml = toml::to_string(&sidecar).map_err(|e| SidecarError::Invalid {
            path: name.to_string(),
            message: e.to_string(),
        })?;
        Sidecar::parse(&toml, name, taxonomy)
    }

    /// Replace what the classifier found with the sidecar's fields. `origin` says where they
    /// came from: a sidecar file name, or "set by curator `name` at time".
    pub fn apply(&self, classified: &mut Classified, origin: &str) {
        let text = if origin.starts_with("set by") {
            origin.to_string()
        } else {
            format!("set by a curator in {origin}")
        };
        let note = || {
            vec![EvidencePassage {
                page: None,
                text: text.clone(),
            }]
        };
        let f = &mut classified.facets;
        let mut replaced: Vec<(&str, Vec<String>)> = Vec::new();
        if let Some(t) = &self.title {
            classified.title = t.clone();
        }
        if let Some(v) = &self.review_type {
            f.review_type = Some(v.clone());
            replaced.push(("type", vec![v.clone()]));
        }
        if let Some(v) = &self.nation {
            f.nation = Some(v.clone());
            replaced.push(("nation", vec![v.clone()]));
        }
        if let Some(v) = self.year {
            f.year = Some(v);
            replaced.push(("year", vec![v.to_string()]));
        }
        if let Some(v) = &self.age_band {
            f.age_band = Some(v.clone());
            f.child_age_years = self.child_age_years;
            replaced.push(("age", vec![v.clone()]));
        }
        if let Some(v) = &self.outcome {
            f.outcome = Some(v.clone());
            replaced.push(("outcome", vec![v.clone()]));
        }
        if let Some(v) = &self.themes {
            f.themes = v.clone();
            replaced.push(("theme", v.clone()));
        }
        if let Some(v) = &self.risk_factors {
            f.risk_factors = v.clone();
            replaced.push(("risk", v.clone()));
        }
        if let Some(v) = &self.practice_themes {
            f.practice_themes = v.clone();
            replaced.push(("practice", v.clone()));
        }
        if let Some(v) = &self.languages {
            f.languages = v.clone();
            replaced.push(("language", v.clone()));
        }
        for (facet, values) in replaced {
            classified.evidence.retain(|e| e.facet != facet);
            for value in values {
                // A suggestion the curator confirms keeps the sentences it was confirmed on.
                let mut passages = note();
                if let Some(i) = classified
                    .suggested
                    .iter()
                    .position(|s| s.facet == facet && s.value == value)
                {
                    passages.extend(classified.suggested.remove(i).passages);
                }
                classified.evidence.push(Evidence {
                    facet: facet.to_string(),
                    value,
                    passages,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Facets;

    #[test]
    fn a_confirmed_suggestion_keeps_its_passages_after_the_note() {
        let t = Taxonomy::builtin();
        let sidecar =
            Sidecar::parse("risk_factors = [\"poverty\"]\n", "a.pdf.meta.toml", &t).unwrap();
        let said = EvidencePassage {
            page: Some(3),
            text: "The family relied on a food bank.".into(),
        };
        let mut c = Classified {
            title: "x".into(),
            facets: Facets::default(),
            evidence: vec![],
            suggested: vec![Evidence {
                facet: "risk".into(),
                value: "poverty".into(),
                passages: vec![said.clone()],
            }],
        };
        sidecar.apply(&mut c, "a.pdf.meta.toml");
        assert!(c.suggested.is_empty());
        let ev = &c.evidence[0];
        assert!(ev.passages[0].text.contains("set by a curator"));
        assert_eq!(ev.passages[1], said);
    }

    #[test]
    fn overrides_replace_facets_and_say_who_set_them() {
        let t = Taxonomy::builtin();
        let sidecar = Sidecar::parse(
            "review_type = \"cmr\"\nthemes = [\"neglect\"]\nyear = 2019\n",
            "a.pdf.meta.toml",
            &t,
        )
        .unwrap();
        let mut c = Classified {
            title: "x".into(),
            facets: Facets {
                themes: vec!["sudi".into()],
                ..Facets::default()
            },
            evidence: vec![Evidence {
                facet: "theme".into(),
                value: "sudi".into(),
                passages: vec![],
            }],
            suggested: Vec::new(),
        };
        sidecar.apply(&mut c, "a.pdf.meta.toml");
        assert_eq!(c.facets.themes, ["neglect"]);
        assert_eq!(c.facets.review_type.as_deref(), Some("cmr"));
        assert_eq!(c.facets.year, Some(2019));
        assert!(c.evidence.iter().all(|e| e.value != "sudi"));
        assert!(
            c.evidence
                .iter()
                .any(|e| e.value == "neglect" && e.passages[0].text.contains("a.pdf.meta.toml"))
        );
    }

    #[test]
    fn unknown_values_and_keys_are_refused() {
        let t = Taxonomy::builtin();
        let err = Sidecar::parse("themes = [\"neglct\"]", "a.meta.toml", &t).unwrap_err();
        assert!(err.to_string().contains("neglct"));
        assert!(Sidecar::parse("colour = \"red\"", "a.meta.toml", &t).is_err());
    }
}
