//! A validated search request.

use super::SearchError;
use crate::classify::taxonomy::{GROUPS, Taxonomy};
use std::collections::BTreeMap;

/// Largest `per_page`.
pub const MAX_PER_PAGE: usize = 100;
/// Largest `passages`.
pub const MAX_PASSAGES: usize = 10;
/// Deepest result reachable by paging.
pub const MAX_DEPTH: usize = 10_000;
/// Longest query string, in characters.
pub const MAX_QUERY_CHARS: usize = 1_000;

/// Result order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    #[default]
    Relevance,
    YearDesc,
    YearAsc,
}

impl Sort {
    pub fn parse(s: &str) -> Result<Sort, SearchError> {
        match s {
            "" | "relevance" => Ok(Sort::Relevance),
            "year_desc" => Ok(Sort::YearDesc),
            "year_asc" => Ok(Sort::YearAsc),
            other => Err(SearchError::InvalidParameter(format!(
                "sort `{other}` is unknown; use relevance, year_desc or year_asc"
            ))),
        }
    }
}

/// What the user asked for. Filters are facet group → selected keys.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub q: String,
    pub filters: BTreeMap<String, Vec<String>>,
    pub year_from: Option<u16>,
    pub year_to: Option<u16>,
    pub sort: Sort,
    pub page: usize,
    pub per_page: usize,
    pub passages: usize,
}

impl Default for SearchRequest {
    fn default() -> Self {
        SearchRequest {
            q: String::new(),
            filters: BTreeMap::new(),
            year_from: None,
            year_to: None,
            sort: Sort::Relevance,
            page: 1,
            per_page: 20,
            passages: 3,
        }
    }
}

impl SearchRequest {
    /// Build a request from query-string pairs (`theme=neglect&theme=sudi&q=…`).
    pub fn from_pairs<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<SearchRequest, SearchError> {
        let mut req = SearchRequest::default();
        for (key, value) in pairs {
            match key {
                "q" => req.q = value.to_string(),
                "sort" => req.sort = Sort::parse(value)?,
                "page" => req.page = number(key, value)?,
                "per_page" => req.per_page = number(key, value)?,
                "passages" => req.passages = number(key, value)?,
                "year_from" => req.year_from = Some(year(key, value)?),
                "year_to" => req.year_to = Some(year(key, value)?),
                group if GROUPS.contains(&group) => {
                    for v in value.split(',').map(str::trim).filter(|v| !v.is_empty()) {
                        req.filters
                            .entry(group.to_string())
                            .or_default()
                            .push(v.to_string());
                    }
                }
                other => {
                    return Err(SearchError::InvalidParameter(format!(
                        "parameter `{other}` is unknown; see /api/v1/openapi.json or API.md"
                    )));
                }
            }
        }
        Ok(req)
    }

    /// Check bounds and facet values against the taxonomy.
    pub fn validate(&self, taxonomy: &Taxonomy) -> Result<(), SearchError> {
        if self.q.chars().count() > MAX_QUERY_CHARS {
            return Err(SearchError::InvalidParameter(format!(
                "q is longer than {MAX_QUERY_CHARS} characters"
            )));
        }
        if self.page == 0 {
            return Err(SearchError::InvalidParameter("page starts at 1".into()));
        }
        if self.per_page == 0 || self.per_page > MAX_PER_PAGE {
            return Err(SearchError::InvalidParameter(format!(
                "per_page must be between 1 and {MAX_PER_PAGE}"
            )));
        }
        if self.passages > MAX_PASSAGES {
            return Err(SearchError::InvalidParameter(format!(
                "passages must be between 0 and {MAX_PASSAGES}"
            )));
        }
        if self.page.saturating_mul(self.per_page) > MAX_DEPTH {
            return Err(SearchError::InvalidParameter(format!(
                "page {} is beyond the first {MAX_DEPTH} results; narrow the search",
                self.page
            )));
        }
        if let (Some(from), Some(to)) = (self.year_from, self.year_to)
            && from > to
        {
            return Err(SearchError::InvalidParameter(format!(
                "year_from {from} is after year_to {to}"
            )));
        }
        for (group, values) in &self.filters {
            let known: Vec<String> = taxonomy.values(group).into_iter().map(|(k, _)| k).collect();
            for v in values {
                if !known.contains(v) {
                    let hint = closest(v, &known)
                        .map(|k| format!("; did you mean `{k}`?"))
                        .unwrap_or_default();
                    return Err(SearchError::UnknownFacetValue(format!(
                        "{group} value `{v}` is unknown{hint}"
                    )));
                }
            }
        }
        Ok(())
    }
}

fn number(key: &str, value: &str) -> Result<usize, SearchError> {
    value.trim().parse().map_err(|_| {
        SearchError::InvalidParameter(format!("{key} must be a whole number, not `{value}`"))
    })
}

fn year(key: &str, value: &str) -> Result<u16, SearchError> {
    match value.trim().parse::<u16>() {
        Ok(y) if (1900..=2100).contains(&y) => Ok(y),
        _ => Err(SearchError::InvalidParameter(format!(
            "{key} must be a year such as 2016, not `{value}`"
        ))),
    }
}

/// The known key nearest to `v` by edit distance, if it is close.
fn closest<'a>(v: &str, known: &'a [String]) -> Option<&'a String> {
    known
        .iter()
        .map(|k| (levenshtein(v, k), k))
        .filter(|(d, k)| *d <= (k.len() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

pub(super) fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_parameters_select_several_values() {
        let r = SearchRequest::from_pairs([("theme", "neglect"), ("theme", "sudi"), ("q", "x")])
            .unwrap();
        assert_eq!(r.filters["theme"], ["neglect", "sudi"]);
    }

    #[test]
    fn a_misspelt_value_gets_a_suggestion() {
        let r = SearchRequest::from_pairs([("theme", "neglct")]).unwrap();
        let err = r.validate(&Taxonomy::builtin()).unwrap_err().to_string();
        assert!(err.contains("did you mean `neglect`"), "{err}");
    }

    #[test]
    fn bounds_are_checked() {
        let t = Taxonomy::builtin();
        for pairs in [
            vec![("per_page", "101")],
            vec![("page", "0")],
            vec![("page", "999"), ("per_page", "100")],
            vec![("passages", "11")],
            vec![("year_from", "2020"), ("year_to", "2010")],
        ] {
            let r = SearchRequest::from_pairs(pairs.clone()).unwrap();
            assert!(r.validate(&t).is_err(), "{pairs:?}");
        }
        assert!(SearchRequest::from_pairs([("page", "x")]).is_err());
        assert!(SearchRequest::from_pairs([("colour", "x")]).is_err());
    }
}
