//! Requests → tantivy queries, facet counts, passages and snippets.
//!
//! Search ranks review documents (BM25 over title and body), counts facets over reviews, then
//! fetches each hit's best passages and marks the query's words in them. Facet counts are
//! multi-select: a group's counts apply every other group's filters but not its own.

use super::SearchError;
use super::query::{self, QueryOptions, Synonyms};
use super::request::{SearchRequest, Sort};
use super::response::{FacetCount, Hit, HitPassage, ReviewDetail, SearchResponse, Stats};
use crate::classify::taxonomy::{GROUPS, Taxonomy};
use crate::index::{self, ReviewIndex};
use std::collections::{BTreeMap, HashMap};
use std::ops::Bound;
use std::time::Instant;
use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{Facet, IndexRecordOption};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Order, Searcher, TantivyDocument, Term};

/// Characters of a snippet.
const SNIPPET_CHARS: usize = 280;

/// Runs searches on one index. Cheap to clone.
#[derive(Clone)]
pub struct Service {
    index: ReviewIndex,
    taxonomy: std::sync::Arc<Taxonomy>,
    synonyms: std::sync::Arc<Synonyms>,
    options: QueryOptions,
}

impl Service {
    pub fn new(index: ReviewIndex, taxonomy: Taxonomy) -> Service {
        Service {
            index,
            taxonomy: std::sync::Arc::new(taxonomy),
            synonyms: std::sync::Arc::new(Synonyms::builtin()),
            options: QueryOptions::default(),
        }
    }

    /// Search with these synonyms instead of the built-in ones.
    pub fn with_synonyms(mut self, synonyms: Synonyms) -> Service {
        self.synonyms = std::sync::Arc::new(synonyms);
        self
    }

    /// Turn synonyms or typo correction off (the relevance harness's plain BM25).
    pub fn with_query_options(mut self, options: QueryOptions) -> Service {
        self.options = options;
        self
    }

    pub fn index(&self) -> &ReviewIndex {
        &self.index
    }

    pub fn taxonomy(&self) -> &Taxonomy {
        &self.taxonomy
    }

    /// Run a search.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResponse, SearchError> {
        let started = Instant::now();
        req.validate(&self.taxonomy)?;
        let searcher = self.index.searcher();
        let f = self.index.fields();

        let plan = query::plan(
            &req.q,
            &self.index,
            &searcher,
            &self.synonyms,
            Some(&self.taxonomy),
            self.options,
        );
        let text_query = plan.as_ref().map(|p| p.review.box_clone());
        let filters = self.filter_queries(req);
        let year = year_query(f.year, req.year_from, req.year_to);

        let main = self.combine(text_query.as_deref(), &filters, None, year.as_deref());
        let offset = (req.page - 1) * req.per_page;
        let top = TopDocs::with_limit(req.per_page).and_offset(offset);
        let (total, ranked): (usize, Vec<(Option<f32>, DocAddress)>) = match req.sort {
            Sort::Relevance => {
                let (n, docs) = searcher.search(&*main, &(Count, top.order_by_score()))?;
                (n, docs.into_iter().map(|(s, a)| (Some(s), a)).collect())
            }
            Sort::YearDesc | Sort::YearAsc => {
                let order = if req.sort == Sort::YearDesc {
                    Order::Desc
                } else {
                    Order::Asc
                };
                let (n, docs) = searcher.search(
                    &*main,
                    &(Count, top.order_by_fast_field::<u64>("year", order)),
                )?;
                (n, docs.into_iter().map(|(_, a)| (None, a)).collect())
            }
        };

        let passage_query = plan.as_ref().map(|p| p.passage.box_clone());
        let snippets = match &passage_query {
            Some(q) => {
                let make = |field| -> Result<SnippetGenerator, SearchError> {
                    Ok(query::snippet_generator(
                        &searcher,
                        &**q,
                        field,
                        SNIPPET_CHARS,
                    )?)
                };
                Some((make(f.text)?, make(f.text_cy)?))
            }
            None => None,
        };
        let mut hits = Vec::with_capacity(ranked.len());
        for (score, addr) in ranked {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let review = index::schema::review_from_doc(f, &doc)?;
            let mut hit = Hit::from_review(&review, score);
            if req.passages > 0 {
                hit.passages = self.passages(
                    &searcher,
                    &review.id,
                    passage_query.as_deref(),
                    snippets.as_ref(),
                    req.passages,
                )?;
            }
            hits.push(hit);
        }

        let facets = self.facet_counts(
            &searcher,
            req,
            text_query.as_deref(),
            &filters,
            year.as_deref(),
        )?;
        Ok(SearchResponse {
            query: req.q.clone(),
            total,
            page: req.page,
            per_page: req.per_page,
            took_ms: started.elapsed().as_millis() as u64,
            hits,
            facets,
        })
    }

    /// The whole taxonomy with counts over the corpus.
    pub fn facets(&self) -> Result<BTreeMap<String, Vec<FacetCount>>, SearchError> {
        let searcher = self.index.searcher();
        let all = self.combine(None, &BTreeMap::new(), None, None);
        let counts = self.count_groups(&searcher, &*all, &GROUPS)?;
        let total = searcher.search(&*all, &tantivy::collector::Count)? as u64;
        Ok(GROUPS
            .iter()
            .map(|g| {
                let mut list = self.facet_list(g, &counts, &[], false);
                for c in &mut list {
                    c.accuracy = self.taxonomy.accuracy.get(g, &c.value);
                    c.estimated = c.accuracy.as_ref().and_then(|a| a.estimate(c.count, total));
                }
                (g.to_string(), list)
            })
            .collect())
    }

    /// One review's metadata and evidence.
    pub fn review(&self, id: &str) -> Result<ReviewDetail, SearchError> {
        match self.index.review(id)? {
            Some(r) => {
                let files = self.index.files(&r)?;
                let mut detail = ReviewDetail::from_review(r);
                detail.files = files;
                Ok(detail)
            }
            None => Err(SearchError::NotFound(id.to_string())),
        }
    }

    /// A learning brief: the review's own summary, findings and recommendations, with pages.
    pub fn brief(&self, id: &str) -> Result<super::Brief, SearchError> {
        let review = self
            .index
            .review(id)?
            .ok_or_else(|| SearchError::NotFound(id.to_string()))?;
        let passages = self.index.passages(&review.id)?;
        Ok(super::brief::brief(&review, &passages, &self.taxonomy))
    }

    /// Reviews most like this one, by the words that distinguish it (more-like-this).
    pub fn similar(&self, id: &str, n: usize) -> Result<Vec<Hit>, SearchError> {
        let review = self
            .index
            .review(id)?
            .ok_or_else(|| SearchError::NotFound(id.to_string()))?;
        let f = self.index.fields();
        let text: String = self
            .index
            .passages(&review.id)?
            .into_iter()
            .filter(|p| p.language.as_deref() != Some("cy"))
            .map(|p| p.text)
            .collect::<Vec<_>>()
            .join("\n");
        let mlt = tantivy::query::MoreLikeThisQuery::builder()
            .with_min_doc_frequency(1)
            .with_max_doc_frequency(1_000_000)
            .with_min_term_frequency(2)
            .with_max_query_terms(40)
            .with_min_word_length(4)
            .with_document_fields(vec![(f.body, vec![tantivy::schema::OwnedValue::Str(text)])]);
        let q = BooleanQuery::new(vec![
            (Occur::Must, Box::new(mlt) as Box<dyn Query>),
            (
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(f.kind, index::KIND_REVIEW),
                    IndexRecordOption::Basic,
                )),
            ),
            (
                Occur::MustNot,
                Box::new(TermQuery::new(
                    Term::from_field_text(f.id, &review.id),
                    IndexRecordOption::Basic,
                )),
            ),
        ]);
        let searcher = self.index.searcher();
        let mut hits = Vec::new();
        for (score, addr) in searcher.search(&q, &TopDocs::with_limit(n).order_by_score())? {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let r = index::schema::review_from_doc(f, &doc)?;
            hits.push(Hit::from_review(&r, Some(score)));
        }
        Ok(hits)
    }

    /// One review's page text, pages separated by form feeds.
    pub fn text(&self, id: &str) -> Result<String, SearchError> {
        self.index
            .text(id)?
            .ok_or_else(|| SearchError::NotFound(id.to_string()))
    }

    /// Counts over the corpus.
    pub fn stats(&self) -> Result<Stats, SearchError> {
        let mut stats = Stats {
            reviews: 0,
            pages: 0,
            words: 0,
            by_year: BTreeMap::new(),
        };
        for r in self.index.all_reviews()? {
            stats.reviews += 1;
            stats.pages += u64::from(r.pages.unwrap_or(0));
            stats.words += r.words;
            if let Some(y) = r.facets.year {
                *stats.by_year.entry(y.to_string()).or_default() += 1;
            }
        }
        Ok(stats)
    }

    /// Per selected group, the OR of its values.
    fn filter_queries(&self, req: &SearchRequest) -> BTreeMap<String, Box<dyn Query>> {
        let f = self.index.fields();
        req.filters
            .iter()
            .filter(|(_, values)| !values.is_empty())
            .map(|(group, values)| {
                let terms: Vec<(Occur, Box<dyn Query>)> = values
                    .iter()
                    .map(|v| {
                        let facet = Facet::from(index::facet_path(group, v).as_str());
                        let q: Box<dyn Query> = Box::new(TermQuery::new(
                            Term::from_facet(f.facet, &facet),
                            IndexRecordOption::Basic,
                        ));
                        (Occur::Should, q)
                    })
                    .collect();
                let q: Box<dyn Query> = Box::new(BooleanQuery::new(terms));
                (group.clone(), q)
            })
            .collect()
    }

    /// Reviews matching the text, every filter but `except`, and the year range.
    fn combine(
        &self,
        text: Option<&dyn Query>,
        filters: &BTreeMap<String, Box<dyn Query>>,
        except: Option<&str>,
        year: Option<&dyn Query>,
    ) -> Box<dyn Query> {
        let f = self.index.fields();
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(
            Occur::Must,
            Box::new(TermQuery::new(
                Term::from_field_text(f.kind, index::KIND_REVIEW),
                IndexRecordOption::Basic,
            )),
        )];
        if let Some(t) = text {
            clauses.push((Occur::Must, t.box_clone()));
        }
        for (group, q) in filters {
            if Some(group.as_str()) != except {
                // Filters do not score: only the text ranks.
                clauses.push((
                    Occur::Must,
                    Box::new(tantivy::query::ConstScoreQuery::new(q.box_clone(), 0.0)),
                ));
            }
        }
        if let Some(y) = year {
            clauses.push((Occur::Must, y.box_clone()));
        }
        if clauses.len() == 1 && text.is_none() {
            clauses.push((Occur::Must, Box::new(AllQuery)));
        }
        Box::new(BooleanQuery::new(clauses))
    }

    fn facet_counts(
        &self,
        searcher: &Searcher,
        req: &SearchRequest,
        text: Option<&dyn Query>,
        filters: &BTreeMap<String, Box<dyn Query>>,
        year: Option<&dyn Query>,
    ) -> Result<BTreeMap<String, Vec<FacetCount>>, SearchError> {
        // Groups without a selection share one pass with every filter applied; each selected
        // group gets a pass with its own filter lifted.
        let unselected: Vec<&str> = GROUPS
            .iter()
            .copied()
            .filter(|g| !filters.contains_key(*g))
            .collect();
        let mut counts: HashMap<String, u64> = HashMap::new();
        if !unselected.is_empty() {
            let q = self.combine(text, filters, None, year);
            counts.extend(self.count_groups(searcher, &*q, &unselected)?);
        }
        for group in filters.keys() {
            let q = self.combine(text, filters, Some(group), year);
            counts.extend(self.count_groups(searcher, &*q, &[group.as_str()])?);
        }
        Ok(GROUPS
            .iter()
            .map(|g| {
                let selected = req.filters.get(*g).map(Vec::as_slice).unwrap_or(&[]);
                (g.to_string(), self.facet_list(g, &counts, selected, true))
            })
            .collect())
    }

    /// Counts of every value of `groups` among reviews matching `query`, keyed by facet path.
    fn count_groups(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        groups: &[&str],
    ) -> Result<HashMap<String, u64>, SearchError> {
        let mut collector = FacetCollector::for_field("facet");
        for g in groups {
            collector.add_facet(format!("/{g}").as_str());
        }
        let counts = searcher.search(query, &collector)?;
        let mut out = HashMap::new();
        for g in groups {
            for (facet, n) in counts.get(format!("/{g}").as_str()) {
                out.insert(facet.to_string(), n);
            }
        }
        Ok(out)
    }

    /// A group's values in taxonomy order for age, else by count; every taxonomy value listed.
    fn facet_list(
        &self,
        group: &str,
        counts: &HashMap<String, u64>,
        selected: &[String],
        with_selected: bool,
    ) -> Vec<FacetCount> {
        let mut list: Vec<FacetCount> = self
            .taxonomy
            .values(group)
            .into_iter()
            .map(|(key, label)| FacetCount {
                count: counts
                    .get(&index::facet_path(group, &key))
                    .copied()
                    .unwrap_or(0),
                selected: with_selected.then(|| selected.contains(&key)),
                accuracy: None,
                estimated: None,
                value: key,
                label,
            })
            .collect();
        if group != "age" {
            // Stable: equal counts keep taxonomy order.
            list.sort_by_key(|c| std::cmp::Reverse(c.count));
        }
        list
    }

    fn passages(
        &self,
        searcher: &Searcher,
        review_id: &str,
        text: Option<&dyn Query>,
        snippets: Option<&(SnippetGenerator, SnippetGenerator)>,
        n: usize,
    ) -> Result<Vec<HitPassage>, SearchError> {
        let f = self.index.fields();
        let of_review = || -> Vec<(Occur, Box<dyn Query>)> {
            vec![
                (
                    Occur::Must,
                    Box::new(TermQuery::new(
                        Term::from_field_text(f.id, review_id),
                        IndexRecordOption::Basic,
                    )),
                ),
                (
                    Occur::Must,
                    Box::new(TermQuery::new(
                        Term::from_field_text(f.kind, index::KIND_PASSAGE),
                        IndexRecordOption::Basic,
                    )),
                ),
            ]
        };
        let mut found = Vec::new();
        if let (Some(text), Some(snippets)) = (text, snippets) {
            let mut clauses = of_review();
            clauses.push((Occur::Must, text.box_clone()));
            let q = BooleanQuery::new(clauses);
            for (_, addr) in searcher.search(&q, &TopDocs::with_limit(n).order_by_score())? {
                let doc: TantivyDocument = searcher.doc(addr)?;
                let passage = index::schema::passage_from_doc(f, &doc);
                let generator = if passage.language.as_deref() == Some("cy") {
                    &snippets.1
                } else {
                    &snippets.0
                };
                let mut snippet = generator.snippet(&passage.text);
                snippet.set_snippet_prefix_postfix("<mark>", "</mark>");
                let html = if snippet.is_empty() {
                    escape(&lead(&passage.text))
                } else {
                    // A phrase is marked whole: "<mark>disguised compliance</mark>".
                    snippet
                        .to_html()
                        .replace("</mark> <mark>", " ")
                        .replace("</mark>-<mark>", "-")
                };
                found.push(HitPassage {
                    page: passage.page,
                    section: passage.section,
                    snippet: html,
                });
            }
        }
        if found.is_empty() {
            // Nothing in the passages matched (the title did, or no query): show the opening.
            let q = BooleanQuery::new(of_review());
            let top = searcher.search(
                &q,
                &TopDocs::with_limit(1).order_by_fast_field::<u64>("ord", Order::Asc),
            )?;
            for (_, addr) in top {
                let doc: TantivyDocument = searcher.doc(addr)?;
                let passage = index::schema::passage_from_doc(f, &doc);
                found.push(HitPassage {
                    page: passage.page,
                    section: passage.section,
                    snippet: escape(&lead(&passage.text)),
                });
            }
        }
        Ok(found)
    }
}

fn year_query(
    field: tantivy::schema::Field,
    from: Option<u16>,
    to: Option<u16>,
) -> Option<Box<dyn Query>> {
    if from.is_none() && to.is_none() {
        return None;
    }
    let bound = |y: Option<u16>| match y {
        Some(y) => Bound::Included(Term::from_field_u64(field, u64::from(y))),
        None => Bound::Unbounded,
    };
    Some(Box::new(RangeQuery::new(bound(from), bound(to))))
}

/// The first words of a passage, for a snippet without highlights.
fn lead(text: &str) -> String {
    if text.len() <= SNIPPET_CHARS {
        return text.to_string();
    }
    let mut cut = SNIPPET_CHARS;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let cut = text[..cut].rfind(' ').unwrap_or(cut);
    format!("{} …", &text[..cut])
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_leaves_no_markup() {
        assert_eq!(escape("<b>&"), "&lt;b&gt;&amp;");
    }
}
