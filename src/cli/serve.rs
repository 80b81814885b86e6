//! `cairn serve`

use super::IndexArgs;
use crate::api::{Anonymous, ApiOptions, AuditLog, Keys, router};
use crate::classify::Classifier;
use crate::guard::Policy;
use crate::index::ReviewIndex;
use crate::ingest::Ingester;
use crate::keys::KeyStore;
use crate::search::Service;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub index: IndexArgs,
    /// Address to listen on. Any address but loopback needs API keys (`cairn keys add`).
    #[arg(long, env = "CAIRN_ADDR", default_value = "127.0.0.1:7700")]
    pub addr: SocketAddr,
    /// Corpus to index when the index does not exist yet.
    #[arg(long, env = "CAIRN_CORPUS", default_value = "corpus-sample")]
    pub corpus: PathBuf,
    /// Audit log (JSON lines); default `audit.jsonl` beside the index directory.
    #[arg(long, env = "CAIRN_AUDIT_LOG")]
    pub audit_log: Option<PathBuf>,
    /// Rotate the audit log past this many MiB.
    #[arg(long, default_value_t = 64)]
    pub audit_max_mib: u64,
    /// The portal's origin, the only one allowed to call from a browser (CORS).
    #[arg(long, env = "CAIRN_CORS_ORIGIN")]
    pub cors_origin: Option<String>,
    /// Requests a minute per key (0: no limit).
    #[arg(long, default_value_t = 600)]
    pub rate_limit: u32,
    /// Largest upload, in MiB.
    #[arg(long, default_value_t = 50)]
    pub upload_limit_mib: usize,
    /// Longest a request may take, in seconds.
    #[arg(long, default_value_t = 30)]
    pub request_timeout: u64,
    /// Require a key even on loopback (no anonymous reading).
    #[arg(long)]
    pub require_keys: bool,
    /// What an upload with residual personal data gets: refuse, redact or flag.
    #[arg(long, default_value = "refuse")]
    pub upload_pii_policy: Policy,
}

pub fn execute(args: Args) -> crate::Result<ExitCode> {
    let keys = Keys::open(&args.index.index).map_err(key_error)?;
    let loopback = args.addr.ip().is_loopback();
    if !loopback && !keys.has_active_keys() {
        eprintln!(
            "cairn: refusing to listen on {}: off loopback every request needs an API key, and \
             there are none yet. Add one with\n  cairn keys add --role reader --name NAME --index {}\n\
             then start serve again.",
            args.addr,
            args.index.index.display()
        );
        return Ok(ExitCode::from(2));
    }
    let taxonomy = args.index.taxonomy()?;
    let fresh = !ReviewIndex::exists(&args.index.index);
    let index = ReviewIndex::open_or_create(&args.index.index)?;
    let ingester = Ingester::new(index.clone(), Classifier::new(taxonomy.clone()));
    // A first index is built while the server already listens: /healthz answers at once,
    // /readyz once the build is committed, and searches see reviews as each batch commits.
    let ready = Arc::new(std::sync::atomic::AtomicBool::new(!fresh));
    if fresh {
        eprintln!(
            "no index at {}; building it from {}",
            args.index.index.display(),
            args.corpus.display()
        );
        let (builder, corpus, done) = (ingester.clone(), args.corpus.clone(), ready.clone());
        std::thread::spawn(move || {
            match super::ingest::run(&builder, std::slice::from_ref(&corpus)) {
                Ok(_) => done.store(true, std::sync::atomic::Ordering::Release),
                Err(e) => eprintln!("cairn: building the index failed: {e}"),
            }
        });
    }
    let audit_path = args
        .audit_log
        .clone()
        .unwrap_or_else(|| KeyStore::data_dir(&args.index.index).join("audit.jsonl"));
    let audit = AuditLog::open(&audit_path, args.audit_max_mib.max(1) * 1024 * 1024, 5).map_err(
        |source| crate::Error::Io {
            path: audit_path.display().to_string(),
            source,
        },
    )?;
    let cors_origin = match &args.cors_origin {
        Some(origin) => Some(origin.parse().map_err(|_| crate::Error::Io {
            path: origin.clone(),
            source: std::io::Error::other("not a valid origin"),
        })?),
        None => None,
    };
    let options = ApiOptions {
        keys: Arc::new(keys),
        anonymous: if loopback && !args.require_keys {
            Anonymous::Reader
        } else {
            Anonymous::Refused
        },
        audit: Some(Arc::new(audit)),
        cors_origin,
        rate_per_minute: args.rate_limit,
        upload_limit: args.upload_limit_mib.max(1) * 1024 * 1024,
        timeout: Duration::from_secs(args.request_timeout.max(1)),
        upload_policy: args.upload_pii_policy,
        ready,
    };
    let app = router(Service::new(index, taxonomy), ingester, options);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|source| crate::Error::Io {
            path: "tokio runtime".into(),
            source,
        })?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(args.addr)
            .await
            .map_err(|source| crate::Error::Io {
                path: args.addr.to_string(),
                source,
            })?;
        eprintln!(
            "cairn is serving http://{}/ (audit log: {})",
            args.addr,
            audit_path.display()
        );
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(|source| crate::Error::Io {
                path: args.addr.to_string(),
                source,
            })
    })?;
    Ok(ExitCode::SUCCESS)
}

pub fn key_error(e: crate::keys::KeyError) -> crate::Error {
    crate::Error::Io {
        path: "key store".into(),
        source: std::io::Error::other(e.to_string()),
    }
}
