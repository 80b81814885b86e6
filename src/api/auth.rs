//! Who is calling, what they may do, and how often: bearer keys, roles, rate limits, timeouts.

use super::{ApiError, ErrorCode};
use crate::keys::{Identity, KeyStore, Role};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant, SystemTime};

/// The caller of a request, in request and response extensions.
#[derive(Debug, Clone)]
pub struct Caller(pub Identity);

/// Who may call without a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anonymous {
    /// Anonymous callers read (the loopback demo).
    Reader,
    /// Every API call needs a key.
    Refused,
}

/// The keys of a deployment, re-read when the file changes, so `cairn keys add` and `revoke`
/// take effect on a running server within a second.
pub struct Keys {
    index_dir: PathBuf,
    cached: RwLock<(KeyStore, Option<SystemTime>, Instant)>,
}

impl Keys {
    pub fn open(index_dir: &std::path::Path) -> Result<Keys, crate::keys::KeyError> {
        let store = KeyStore::open(index_dir)?;
        let mtime = Keys::mtime(index_dir);
        Ok(Keys {
            index_dir: index_dir.to_path_buf(),
            cached: RwLock::new((store, mtime, Instant::now())),
        })
    }

    fn mtime(index_dir: &std::path::Path) -> Option<SystemTime> {
        std::fs::metadata(KeyStore::data_dir(index_dir).join("keys.json"))
            .and_then(|m| m.modified())
            .ok()
    }

    pub fn verify(&self, key: &str) -> Option<Identity> {
        self.refresh();
        let guard = self.cached.read().unwrap_or_else(|p| p.into_inner());
        guard.0.verify(key)
    }

    pub fn has_active_keys(&self) -> bool {
        self.refresh();
        let guard = self.cached.read().unwrap_or_else(|p| p.into_inner());
        guard.0.has_active_keys()
    }

    fn refresh(&self) {
        {
            let guard = self.cached.read().unwrap_or_else(|p| p.into_inner());
            if guard.2.elapsed() < Duration::from_secs(1) {
                return;
            }
        }
        let mtime = Keys::mtime(&self.index_dir);
        let mut guard = self.cached.write().unwrap_or_else(|p| p.into_inner());
        guard.2 = Instant::now();
        if mtime != guard.1 {
            match KeyStore::open(&self.index_dir) {
                Ok(store) => {
                    guard.0 = store;
                    guard.1 = mtime;
                }
                Err(e) => tracing::error!("keeping the previous keys: {e}"),
            }
        }
    }
}

/// Shared by the auth middleware.
#[derive(Clone)]
pub struct AuthState {
    pub keys: Arc<Keys>,
    pub anonymous: Anonymous,
    pub limiter: Arc<RateLimiter>,
}

/// Middleware: resolve the caller from `Authorization: Bearer <key>`, apply the rate limit,
/// and record the caller on the response for the audit log.
pub async fn authenticate(
    State(auth): State<AuthState>,
    mut request: Request,
    next: Next,
) -> Response {
    let identity = match bearer(&request) {
        Ok(Some(key)) => match auth.keys.verify(&key) {
            Some(identity) => identity,
            None => {
                return ApiError::new(ErrorCode::Unauthorized, "the API key is unknown or revoked")
                    .into_response();
            }
        },
        Ok(None) => match auth.anonymous {
            Anonymous::Reader => Identity {
                name: None,
                role: Role::Reader,
            },
            Anonymous::Refused => {
                return ApiError::new(
                    ErrorCode::Unauthorized,
                    "this server needs an API key: send `Authorization: Bearer <key>`",
                )
                .into_response();
            }
        },
        Err(e) => return e.into_response(),
    };
    let bucket = identity
        .name
        .clone()
        .unwrap_or_else(|| "(anonymous)".into());
    if let Err(wait) = auth.limiter.check(&bucket) {
        let secs = wait.as_secs_f64().ceil().max(1.0) as u64;
        let mut response = ApiError::new(
            ErrorCode::RateLimited,
            format!("too many requests; try again in {secs} s"),
        )
        .into_response();
        response.headers_mut().insert(
            header::RETRY_AFTER,
            HeaderValue::from_str(&secs.to_string()).expect("digits are a valid header"),
        );
        response.extensions_mut().insert(Caller(identity));
        return response;
    }
    request.extensions_mut().insert(Caller(identity.clone()));
    let mut response = next.run(request).await;
    response.extensions_mut().insert(Caller(identity));
    response
}

fn bearer(request: &Request) -> Result<Option<String>, ApiError> {
    let Some(value) = request.headers().get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value.to_str().map_err(|_| {
        ApiError::new(
            ErrorCode::Unauthorized,
            "the Authorization header is not text",
        )
    })?;
    match value.split_once(' ') {
        Some((scheme, key)) if scheme.eq_ignore_ascii_case("bearer") && !key.trim().is_empty() => {
            Ok(Some(key.trim().to_string()))
        }
        _ => Err(ApiError::new(
            ErrorCode::Unauthorized,
            "use `Authorization: Bearer <key>`",
        )),
    }
}

/// Refuse callers below `role`.
pub fn require(caller: &Caller, role: Role) -> Result<(), ApiError> {
    if caller.0.role >= role {
        return Ok(());
    }
    if caller.0.name.is_none() {
        return Err(ApiError::new(
            ErrorCode::Unauthorized,
            format!("this needs a key with the {} role", role.as_str()),
        ));
    }
    Err(ApiError::new(
        ErrorCode::Forbidden,
        format!(
            "this needs the {} role; the key `{}` is a {}",
            role.as_str(),
            caller.0.name.as_deref().unwrap_or(""),
            caller.0.role.as_str()
        ),
    ))
}

/// A token bucket per caller.
#[derive(Debug)]
pub struct RateLimiter {
    per_minute: u32,
    burst: f64,
    buckets: Mutex<HashMap<String, (f64, Instant)>>,
}

impl RateLimiter {
    /// `per_minute` requests a minute, in bursts of up to a sixth of that (at least 10).
    pub fn new(per_minute: u32) -> RateLimiter {
        RateLimiter {
            per_minute,
            burst: f64::from((per_minute / 6).max(10)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Take a token for `caller`, or say how long until one is free.
    pub fn check(&self, caller: &str) -> Result<(), Duration> {
        if self.per_minute == 0 {
            return Ok(());
        }
        let rate = f64::from(self.per_minute) / 60.0;
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if buckets.len() > 100_000 {
            buckets.retain(|_, (_, t)| now.duration_since(*t) < Duration::from_secs(600));
        }
        let (tokens, last) = buckets
            .entry(caller.to_string())
            .or_insert((self.burst, now));
        *tokens = (*tokens + now.duration_since(*last).as_secs_f64() * rate).min(self.burst);
        *last = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - *tokens) / rate))
        }
    }
}

/// Middleware: answer 503 when a request takes longer than the configured time.
pub async fn timeout(State(limit): State<Duration>, request: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => ApiError::new(
            ErrorCode::Timeout,
            format!("the request took longer than {} s", limit.as_secs()),
        )
        .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bucket_allows_a_burst_then_waits() {
        let limiter = RateLimiter::new(60);
        for _ in 0..10 {
            assert!(limiter.check("a").is_ok());
        }
        let wait = limiter.check("a").unwrap_err();
        assert!(wait > Duration::ZERO && wait <= Duration::from_secs(1));
        assert!(limiter.check("b").is_ok(), "buckets are per caller");
    }
}
