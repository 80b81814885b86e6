//! `cairn keys add|list|revoke`

use crate::keys::{KeyStore, Role};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub action: Action,
    /// The index whose deployment the keys open.
    #[arg(long, env = "CAIRN_INDEX", default_value = "data/index", global = true)]
    pub index: PathBuf,
}

#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// Add a key; prints it once, alone on the last line.
    Add {
        #[arg(long)]
        role: Role,
        #[arg(long)]
        name: String,
    },
    /// List keys (names, roles, dates; never the keys).
    List,
    /// Revoke the active key with this name.
    Revoke { name: String },
}

pub fn execute(args: Args) -> crate::Result<ExitCode> {
    let mut store = KeyStore::open(&args.index).map_err(super::serve::key_error)?;
    match args.action {
        Action::Add { role, name } => {
            let key = store.add(&name, role).map_err(super::serve::key_error)?;
            eprintln!(
                "added key `{name}` ({}); it is shown once, store it now:",
                role.as_str()
            );
            outln!("{key}");
        }
        Action::List => {
            for k in store.all() {
                let state = match &k.revoked_at {
                    Some(at) => format!("revoked {at}"),
                    None => "active".to_string(),
                };
                outln!("{}\t{}\t{}\t{state}", k.name, k.role.as_str(), k.created_at);
            }
        }
        Action::Revoke { name } => {
            if !store.revoke(&name).map_err(super::serve::key_error)? {
                eprintln!("cairn: no active key named `{name}`");
                return Ok(ExitCode::from(2));
            }
            eprintln!("revoked `{name}`");
        }
    }
    Ok(ExitCode::SUCCESS)
}
