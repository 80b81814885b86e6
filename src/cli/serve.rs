//! `cairn serve`

use super::IndexArgs;
use crate::api::{AppState, router};
use crate::classify::Classifier;
use crate::index::ReviewIndex;
use crate::ingest::Ingester;
use crate::search::Service;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub index: IndexArgs,
    /// Address to listen on. Anything but loopback needs API keys.
    #[arg(long, env = "CAIRN_ADDR", default_value = "127.0.0.1:7700")]
    pub addr: SocketAddr,
    /// Corpus to index when the index does not exist yet.
    #[arg(long, env = "CAIRN_CORPUS", default_value = "corpus-sample")]
    pub corpus: PathBuf,
}

pub fn execute(args: Args) -> crate::Result<ExitCode> {
    if !args.addr.ip().is_loopback() {
        eprintln!(
            "cairn: refusing to listen on {}: only loopback addresses may serve without API \
             keys, and this build has no key store yet. Serve on 127.0.0.1 behind an \
             authenticating proxy instead.",
            args.addr
        );
        return Ok(ExitCode::from(2));
    }
    let taxonomy = args.index.taxonomy()?;
    let fresh = !ReviewIndex::exists(&args.index.index);
    let index = ReviewIndex::open_or_create(&args.index.index)?;
    if fresh {
        eprintln!(
            "no index at {}; building it from {}",
            args.index.index.display(),
            args.corpus.display()
        );
        let ingester = Ingester::new(index.clone(), Classifier::new(taxonomy.clone()));
        super::ingest::run(&ingester, std::slice::from_ref(&args.corpus))?;
    }
    let state = AppState {
        service: Service::new(index, taxonomy),
    };
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
        eprintln!("cairn is serving http://{}/", args.addr);
        axum::serve(listener, router(state))
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
