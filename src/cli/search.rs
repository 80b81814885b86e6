//! `cairn search QUERY`

use super::IndexArgs;
use crate::index::ReviewIndex;
use crate::search::{SearchRequest, Service, Sort};
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Free text; "quoted phrases" match words in order.
    pub query: String,
    #[arg(long)]
    pub theme: Vec<String>,
    #[arg(long)]
    pub risk: Vec<String>,
    #[arg(long)]
    pub age: Vec<String>,
    #[arg(long = "type")]
    pub review_type: Vec<String>,
    #[arg(long)]
    pub nation: Vec<String>,
    #[arg(long)]
    pub year_from: Option<u16>,
    #[arg(long)]
    pub year_to: Option<u16>,
    /// relevance, year_desc or year_asc.
    #[arg(long, default_value = "relevance")]
    pub sort: String,
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// Print the API's JSON answer.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub index: IndexArgs,
}

pub fn execute(args: Args) -> crate::Result<ExitCode> {
    let index = ReviewIndex::open(&args.index.index)?;
    let service = Service::new(index, args.index.taxonomy()?);
    let mut request = SearchRequest {
        q: args.query.clone(),
        year_from: args.year_from,
        year_to: args.year_to,
        sort: Sort::parse(&args.sort)?,
        per_page: args.limit.clamp(1, crate::search::MAX_PER_PAGE),
        ..SearchRequest::default()
    };
    for (group, values) in [
        ("theme", args.theme),
        ("risk", args.risk),
        ("age", args.age),
        ("type", args.review_type),
        ("nation", args.nation),
    ] {
        if !values.is_empty() {
            request.filters.insert(group.to_string(), values);
        }
    }
    let answer = service.search(&request)?;
    if args.json {
        outln!(
            "{}",
            serde_json::to_string_pretty(&answer).expect("search answers serialise")
        );
    } else {
        outln!("{} reviews ({} ms)", answer.total, answer.took_ms);
        for hit in &answer.hits {
            let year = hit.facets.year.map(|y| y.to_string()).unwrap_or_default();
            outln!("\n{}  [{}]  {}", hit.title, hit.id, year);
            for p in &hit.passages {
                let place = match (p.page, &p.section) {
                    (Some(page), _) => format!("p. {page}"),
                    (None, Some(s)) => s.clone(),
                    (None, None) => String::new(),
                };
                let text = p.snippet.replace("<mark>", "*").replace("</mark>", "*");
                outln!("  {place}: {}", unescape(&text));
            }
        }
    }
    Ok(if answer.total == 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}
