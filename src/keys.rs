//! API keys and roles, kept hashed beside the index.
//!
//! A key is 32 random bytes shown once, as `cairn_<64 hex digits>`. The store keeps only
//! HMAC-SHA256(server secret, key): a stolen `keys.json` without the `secret` file beside it
//! gives nothing to try, and with it a key still cannot be recovered. The secret is made on
//! first use with mode 0600. Files live in the directory that holds the index directory
//! (`data/keys.json` and `data/secret` for `data/index`), so `--index` names the deployment.
//!
//! This module knows nothing of HTTP.

use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use std::path::{Path, PathBuf};

/// What a key may do. Ordered: `Reader < Curator < Admin`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Reader,
    Curator,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Reader => "reader",
            Role::Curator => "curator",
            Role::Admin => "admin",
        }
    }
}

impl std::str::FromStr for Role {
    type Err = KeyError;
    fn from_str(s: &str) -> Result<Role, KeyError> {
        match s {
            "reader" => Ok(Role::Reader),
            "curator" => Ok(Role::Curator),
            "admin" => Ok(Role::Admin),
            other => Err(KeyError::Invalid(format!(
                "role `{other}` is unknown; use reader, curator or admin"
            ))),
        }
    }
}

/// Errors of the key store.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} is not a valid key store: {message}")]
    Corrupt { path: String, message: String },
    #[error("{0}")]
    Invalid(String),
    #[error("the system random source failed: {0}")]
    Random(String),
}

/// One stored key: never the key itself.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KeyRecord {
    pub name: String,
    pub role: Role,
    /// Hex HMAC-SHA256 of the key under the server secret.
    pub hash: String,
    pub created_at: String,
    #[serde(default)]
    pub revoked_at: Option<String>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct StoreFile {
    keys: Vec<KeyRecord>,
}

/// Who a request is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// The key's name, or `None` for anonymous access.
    pub name: Option<String>,
    pub role: Role,
}

/// The key store of one deployment.
#[derive(Debug, Clone)]
pub struct KeyStore {
    path: PathBuf,
    secret: Vec<u8>,
    keys: Vec<KeyRecord>,
}

impl KeyStore {
    /// The directory holding a deployment's keys, audit log and secret: the index's parent.
    pub fn data_dir(index_dir: &Path) -> PathBuf {
        match index_dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        }
    }

    /// Open (or start) the store for the index at `index_dir`.
    pub fn open(index_dir: &Path) -> Result<KeyStore, KeyError> {
        let dir = KeyStore::data_dir(index_dir);
        let path = dir.join("keys.json");
        let keys = match std::fs::read_to_string(&path) {
            Ok(text) => {
                serde_json::from_str::<StoreFile>(&text)
                    .map_err(|e| KeyError::Corrupt {
                        path: path.display().to_string(),
                        message: e.to_string(),
                    })?
                    .keys
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(source) => {
                return Err(KeyError::Io {
                    path: path.display().to_string(),
                    source,
                });
            }
        };
        let secret = load_or_make_secret(&dir)?;
        Ok(KeyStore { path, secret, keys })
    }

    /// Keys that have not been revoked.
    pub fn active(&self) -> impl Iterator<Item = &KeyRecord> {
        self.keys.iter().filter(|k| k.revoked_at.is_none())
    }

    pub fn all(&self) -> &[KeyRecord] {
        &self.keys
    }

    pub fn has_active_keys(&self) -> bool {
        self.active().next().is_some()
    }

    /// Add a key; returns the key, which is shown once and never stored.
    pub fn add(&mut self, name: &str, role: Role) -> Result<String, KeyError> {
        let valid = !name.is_empty()
            && name.len() <= 64
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.@".contains(c));
        if !valid {
            return Err(KeyError::Invalid(format!(
                "key name `{name}` must be 1-64 letters, digits or - _ . @"
            )));
        }
        if self.active().any(|k| k.name == name) {
            return Err(KeyError::Invalid(format!(
                "an active key named `{name}` exists; revoke it first or pick another name"
            )));
        }
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| KeyError::Random(e.to_string()))?;
        let key = format!("cairn_{}", hex(&bytes));
        self.keys.push(KeyRecord {
            name: name.to_string(),
            role,
            hash: self.hash(&key),
            created_at: now(),
            revoked_at: None,
        });
        self.save()?;
        Ok(key)
    }

    /// Revoke the active key called `name`. Returns whether one was found.
    pub fn revoke(&mut self, name: &str) -> Result<bool, KeyError> {
        let mut found = false;
        for k in self
            .keys
            .iter_mut()
            .filter(|k| k.name == name && k.revoked_at.is_none())
        {
            k.revoked_at = Some(now());
            found = true;
        }
        if found {
            self.save()?;
        }
        Ok(found)
    }

    /// The identity a presented key stands for.
    pub fn verify(&self, key: &str) -> Option<Identity> {
        let hash = self.hash(key.trim());
        self.active()
            .find(|k| constant_time_eq(k.hash.as_bytes(), hash.as_bytes()))
            .map(|k| Identity {
                name: Some(k.name.clone()),
                role: k.role,
            })
    }

    fn hash(&self, key: &str) -> String {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.secret)
            .expect("HMAC takes any key size");
        mac.update(key.as_bytes());
        hex(&mac.finalize().into_bytes())
    }

    fn save(&self) -> Result<(), KeyError> {
        let io = |source| KeyError::Io {
            path: self.path.display().to_string(),
            source,
        };
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let text = serde_json::to_string_pretty(&StoreFile {
            keys: self.keys.clone(),
        })
        .expect("key records serialise");
        // Write then rename, so a crash never leaves a half-written store.
        let tmp = self.path.with_extension("json.tmp");
        std::fs::write(&tmp, text).map_err(io)?;
        restrict(&tmp);
        std::fs::rename(&tmp, &self.path).map_err(io)
    }
}

fn load_or_make_secret(dir: &Path) -> Result<Vec<u8>, KeyError> {
    let path = dir.join("secret");
    let io = |source| KeyError::Io {
        path: path.display().to_string(),
        source,
    };
    match std::fs::read(&path) {
        Ok(bytes) if bytes.len() >= 32 => return Ok(bytes),
        Ok(_) => {
            return Err(KeyError::Corrupt {
                path: path.display().to_string(),
                message: "the secret is shorter than 32 bytes".into(),
            });
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(source) => return Err(io(source)),
    }
    let mut secret = vec![0u8; 32];
    getrandom::fill(&mut secret).map_err(|e| KeyError::Random(e.to_string()))?;
    std::fs::create_dir_all(dir).map_err(io)?;
    std::fs::write(&path, &secret).map_err(io)?;
    restrict(&path);
    Ok(secret)
}

/// Owner-only permissions where the platform has them.
fn restrict(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
    }
    #[cfg(not(unix))]
    let _ = path;
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn now() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_stored_hashed_and_verify_until_revoked() {
        let dir = tempfile::tempdir().unwrap();
        let index = dir.path().join("index");
        let mut store = KeyStore::open(&index).unwrap();
        let key = store.add("alice", Role::Curator).unwrap();
        assert!(key.starts_with("cairn_") && key.len() == 70);
        let on_disk = std::fs::read_to_string(dir.path().join("keys.json")).unwrap();
        assert!(
            !on_disk.contains(&key[6..]),
            "the key itself is never stored"
        );

        let reopened = KeyStore::open(&index).unwrap();
        let who = reopened.verify(&key).unwrap();
        assert_eq!(
            (who.name.as_deref(), who.role),
            (Some("alice"), Role::Curator)
        );
        assert!(reopened.verify("cairn_0000").is_none());

        let mut store = reopened;
        assert!(store.revoke("alice").unwrap());
        assert!(store.verify(&key).is_none());
        assert!(!store.revoke("alice").unwrap());
    }

    #[test]
    fn names_are_checked_and_roles_ordered() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = KeyStore::open(&dir.path().join("index")).unwrap();
        assert!(store.add("bad name", Role::Reader).is_err());
        store.add("ok", Role::Reader).unwrap();
        assert!(
            store.add("ok", Role::Admin).is_err(),
            "duplicate active name"
        );
        assert!(Role::Reader < Role::Curator && Role::Curator < Role::Admin);
        assert!("superuser".parse::<Role>().is_err());
    }
}
