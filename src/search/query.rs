//! What the user typed → tantivy queries: phrases, synonyms, typo correction, Welsh.
//!
//! The query is cut into units: a "quoted phrase", a run of words that is a synonym entry
//! ("DV", "shaken baby", "cosleeping"), or a single word. Each unit becomes the OR of its
//! forms: the words typed, their synonyms from `index-config/synonyms.toml`, and, for a word the
//! index has never seen, the nearest words it has ("neglact" → neglect). Every form is analysed
//! per field: English fields get the English stemmer, Welsh fields the Welsh analyser with the
//! words as typed (synonyms are English). A review must match every unit of a short query and
//! most units of a long one; a passage matches any unit. Exact forms score above synonyms and
//! corrections.

use crate::index::ReviewIndex;
use serde::Deserialize;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

/// Score of a synonym relative to the form typed.
const SYNONYM_BOOST: f32 = 0.8;
/// Score of a corrected word relative to an exact one.
const CORRECTION_BOOST: f32 = 0.6;
/// Words per query at most (the rest is ignored).
const MAX_UNITS: usize = 32;

/// What to apply beyond plain BM25 (the relevance harness compares with both off).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueryOptions {
    pub synonyms: bool,
    pub typos: bool,
    /// Phrase and concept lifts (see [`plan`]).
    pub lifts: bool,
}

impl Default for QueryOptions {
    fn default() -> Self {
        QueryOptions {
            synonyms: true,
            typos: true,
            lifts: true,
        }
    }
}

impl QueryOptions {
    /// Plain BM25 over the words typed: the baseline of the relevance harness.
    pub fn plain() -> QueryOptions {
        QueryOptions {
            synonyms: false,
            typos: false,
            lifts: false,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSynonyms {
    #[serde(default)]
    group: Vec<RawGroup>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    terms: Vec<String>,
}

/// Synonym groups: each entry a lower-cased word sequence.
#[derive(Debug, Clone, Default)]
pub struct Synonyms {
    groups: Vec<Vec<Vec<String>>>,
}

/// The shipped synonyms.
pub const BUILTIN: &str = include_str!("../../index-config/synonyms.toml");

fn words(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

impl Synonyms {
    pub fn builtin() -> Synonyms {
        Synonyms::parse(BUILTIN).expect("the built-in synonyms are valid (unit test)")
    }

    pub fn parse(text: &str) -> Result<Synonyms, String> {
        let raw: RawSynonyms = toml::from_str(text).map_err(|e| e.to_string())?;
        Ok(Synonyms {
            groups: raw
                .group
                .into_iter()
                .map(|g| {
                    g.terms
                        .iter()
                        .map(|t| words(t))
                        .filter(|w| !w.is_empty())
                        .collect()
                })
                .collect(),
        })
    }

    pub fn from_disk(path: &std::path::Path) -> Result<Synonyms, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        Synonyms::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// The longest entry starting at `words[0]`: (its length in words, its group's entries).
    fn longest(&self, words: &[String]) -> Option<(usize, &Vec<Vec<String>>)> {
        let mut best: Option<(usize, &Vec<Vec<String>>)> = None;
        for group in &self.groups {
            for entry in group {
                let n = entry.len();
                if n <= words.len() && words[..n] == entry[..] && best.is_none_or(|(b, _)| n > b) {
                    best = Some((n, group));
                }
            }
        }
        best
    }
}

/// One form of a unit.
#[derive(Debug, Clone)]
enum Form {
    /// Text to analyse per field.
    Text {
        text: String,
        boost: f32,
        welsh: bool,
    },
    /// An English index term, already analysed (a typo correction).
    Term { term: String, boost: f32 },
}

#[derive(Debug, Clone)]
struct Unit {
    forms: Vec<Form>,
}

/// The queries for one search.
pub struct Plan {
    /// Over review documents: title, body and Welsh body.
    pub review: Box<dyn Query>,
    /// Over passages: English and Welsh text.
    pub passage: Box<dyn Query>,
}

/// Score of the whole query found as a phrase, and of a review tagged with a concept the
/// query names, relative to a word match.
const PHRASE_BOOST: f32 = 1.5;
const CONCEPT_BOOST: f32 = 4.0;

/// Build the plan for `q`; `None` when there is nothing to search for.
///
/// Beyond the units, two signals lift reviews without excluding any: the words typed found
/// together as a phrase ("young carer" over "young person … carer"), and the review being
/// tagged with a taxonomy value the query names ("DV" → a review with the domestic-abuse risk
/// factor, whose evidence the classifier checked for negation).
pub fn plan(
    q: &str,
    index: &ReviewIndex,
    searcher: &Searcher,
    synonyms: &Synonyms,
    taxonomy: Option<&crate::classify::Taxonomy>,
    options: QueryOptions,
) -> Option<Plan> {
    let units = units(q, index, searcher, synonyms, options);
    if units.is_empty() {
        return None;
    }
    let f = index.fields();
    let review_units: Vec<Box<dyn Query>> = units
        .iter()
        .filter_map(|u| unit_query(index, u, &[(f.title, 2.0), (f.body, 1.0)], f.body_cy))
        .collect();
    let passage_units: Vec<Box<dyn Query>> = units
        .iter()
        .filter_map(|u| unit_query(index, u, &[(f.text, 1.0)], f.text_cy))
        .collect();
    if review_units.is_empty() {
        return None;
    }
    let n = review_units.len();
    let review: Box<dyn Query> = if n <= 2 {
        Box::new(BooleanQuery::new(
            review_units.into_iter().map(|q| (Occur::Must, q)).collect(),
        ))
    } else {
        // Longer queries ("safe sleep advice", "information sharing between health and social
        // care"): two words in three.
        let required = (n * 2).div_ceil(3);
        Box::new(BooleanQuery::with_minimum_required_clauses(
            review_units
                .into_iter()
                .map(|q| (Occur::Should, q))
                .collect(),
            required,
        ))
    };
    let passage: Box<dyn Query> = Box::new(BooleanQuery::new(
        passage_units
            .into_iter()
            .map(|q| (Occur::Should, q))
            .collect(),
    ));
    let mut lifts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let bare: String = q.replace('"', " ");
    // A query that is nothing but concepts' names ("large sibling group", "NAI", "parental
    // alcohol misuse under 1") also finds the reviews tagged with them whose text words them
    // otherwise ("a family of six children").
    let mut names_a_concept = false;
    if options.lifts
        && n >= 2
        && let Some(phrase) = text_query(index, f.body, &bare)
    {
        lifts.push((Occur::Should, boosted(phrase, PHRASE_BOOST)));
    }
    if options.lifts
        && let Some(taxonomy) = taxonomy
    {
        let values = [
            ("theme", &taxonomy.themes),
            ("risk", &taxonomy.risks),
            ("practice", &taxonomy.practice),
        ]
        .into_iter()
        .flat_map(|(group, values)| {
            values.iter().filter_map(move |v| {
                Some((
                    group,
                    v.key.as_str(),
                    v.pattern.as_ref()?,
                    v.context.as_ref(),
                ))
            })
        });
        let ages = taxonomy
            .ages
            .iter()
            .filter_map(|a| Some(("age", a.key.as_str(), a.query.as_ref()?, None)));
        // What the query names, and what its synonyms name: "NAI" is also "non-accidental
        // injury" (physical abuse) and "shaken baby" (head injury).
        let whole = units.len() == 1;
        let synonym_texts: Vec<&str> = units
            .iter()
            .flat_map(|u| &u.forms)
            .filter_map(|f| match f {
                // The typed text is at full weight; its synonyms below.
                Form::Text { text, boost, .. } if *boost < 1.0 => Some(text.as_str()),
                _ => None,
            })
            .collect();
        // The parts of the query that name a concept: when they cover all of it ("parental
        // alcohol misuse under 1"), the query is a conjunction of concepts.
        let mut covered = vec![false; bare.len()];
        let mut concepts: Vec<Term> = Vec::new();
        for (group, key, pattern, context) in values.chain(ages) {
            if let Some(found) = pattern.find(&bare) {
                covered[found.range()].iter_mut().for_each(|c| *c = true);
                // "parental" in "parental alcohol misuse" is the value's context.
                for m in context.into_iter().flat_map(|c| c.find_iter(&bare)) {
                    covered[m.range()].iter_mut().for_each(|c| *c = true);
                }
            } else {
                let Some(wholly) = synonym_texts
                    .iter()
                    .find_map(|t| pattern.find(t).map(|m| m.as_str().len() == t.len()))
                else {
                    continue;
                };
                // A one-unit query whose synonym is wholly the concept names it wholly.
                if whole && wholly {
                    covered.iter_mut().for_each(|c| *c = true);
                }
            }
            let facet = tantivy::schema::Facet::from(crate::index::facet_path(group, key).as_str());
            let term = Term::from_facet(f.facet, &facet);
            concepts.push(term.clone());
            lifts.push((
                Occur::Should,
                Box::new(tantivy::query::ConstScoreQuery::new(
                    Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
                    CONCEPT_BOOST,
                )),
            ));
        }
        let uncovered = bare
            .char_indices()
            .any(|(i, c)| !c.is_whitespace() && !covered[i]);
        if !uncovered && !concepts.is_empty() {
            names_a_concept = true;
            // A query made of several concepts means them together: the reviews tagged
            // with all of them lift as much again.
            if concepts.len() >= 2 {
                let all: Vec<(Occur, Box<dyn Query>)> = concepts
                    .iter()
                    .map(|t| {
                        let q: Box<dyn Query> =
                            Box::new(TermQuery::new(t.clone(), IndexRecordOption::Basic));
                        (Occur::Must, q)
                    })
                    .collect();
                lifts.push((
                    Occur::Should,
                    Box::new(tantivy::query::ConstScoreQuery::new(
                        Box::new(BooleanQuery::new(all)),
                        CONCEPT_BOOST * concepts.len() as f32,
                    )),
                ));
            }
        }
    }
    let review = if lifts.is_empty() {
        review
    } else {
        let occur = if names_a_concept {
            Occur::Should
        } else {
            Occur::Must
        };
        let mut clauses = vec![(occur, review)];
        clauses.extend(lifts);
        Box::new(BooleanQuery::new(clauses))
    };
    Some(Plan { review, passage })
}

fn units(
    q: &str,
    index: &ReviewIndex,
    searcher: &Searcher,
    synonyms: &Synonyms,
    options: QueryOptions,
) -> Vec<Unit> {
    let mut out = Vec::new();
    // Quoted phrases first; an unbalanced quote is treated as text.
    let mut rest = String::new();
    let mut phrases = Vec::new();
    let parts: Vec<&str> = q.split('"').collect();
    let balanced = parts.len() % 2 == 1;
    for (i, part) in parts.iter().enumerate() {
        if balanced && i % 2 == 1 {
            phrases.push(part.trim().to_string());
        } else {
            rest.push(' ');
            rest.push_str(part);
        }
    }
    for phrase in phrases.into_iter().filter(|p| !p.is_empty()) {
        let w = words(&phrase);
        let mut forms = vec![Form::Text {
            text: phrase.clone(),
            boost: 1.0,
            welsh: true,
        }];
        if options.synonyms {
            for variant in phrase_variants(synonyms, &w) {
                forms.push(Form::Text {
                    text: variant,
                    boost: SYNONYM_BOOST,
                    welsh: false,
                });
            }
        }
        out.push(Unit { forms });
    }
    let typed: Vec<&str> = rest.split_whitespace().collect();
    let lower = words(&rest);
    // `typed` and `lower` align unless a token was all punctuation; keep them aligned.
    let typed: Vec<&str> = typed
        .into_iter()
        .filter(|t| t.chars().any(char::is_alphanumeric))
        .collect();
    let mut i = 0;
    while i < lower.len() && out.len() < MAX_UNITS {
        if options.synonyms
            && let Some((n, group)) = synonyms.longest(&lower[i..])
        {
            let text = typed[i..i + n].join(" ");
            let mut forms = vec![Form::Text {
                text,
                boost: 1.0,
                welsh: true,
            }];
            forms.extend(synonym_forms(group, &lower[i..i + n]));
            out.push(Unit { forms });
            i += n;
            continue;
        }
        let word = typed.get(i).copied().unwrap_or(&lower[i]).to_string();
        let mut forms = vec![Form::Text {
            text: word.clone(),
            boost: 1.0,
            welsh: true,
        }];
        if options.typos {
            for term in corrections(&word, index, searcher) {
                forms.push(Form::Term {
                    term,
                    boost: CORRECTION_BOOST,
                });
            }
        }
        out.push(Unit { forms });
        i += 1;
    }
    out
}

/// Most phrase variants made from the synonyms inside one quoted phrase.
const MAX_VARIANTS: usize = 16;

/// A quoted phrase with each synonym entry inside it replaced by the other entries of its
/// group: "DV incident" also searches "domestic abuse incident", "coercive control incident"…
fn phrase_variants(synonyms: &Synonyms, words: &[String]) -> Vec<String> {
    let mut variants: Vec<Vec<String>> = vec![Vec::new()];
    let mut i = 0;
    while i < words.len() {
        match synonyms.longest(&words[i..]) {
            Some((n, group)) => {
                let mut next = Vec::new();
                for v in &variants {
                    for entry in group {
                        if next.len() >= MAX_VARIANTS {
                            break;
                        }
                        let mut v = v.clone();
                        v.extend(entry.iter().cloned());
                        next.push(v);
                    }
                }
                variants = next;
                i += n;
            }
            None => {
                for v in &mut variants {
                    v.push(words[i].clone());
                }
                i += 1;
            }
        }
    }
    variants
        .into_iter()
        .filter(|v| v.as_slice() != words)
        .map(|v| v.join(" "))
        .collect()
}

fn synonym_forms(group: &[Vec<String>], typed: &[String]) -> Vec<Form> {
    group
        .iter()
        .filter(|entry| entry.as_slice() != typed)
        .map(|entry| Form::Text {
            text: entry.join(" "),
            boost: SYNONYM_BOOST,
            welsh: false,
        })
        .collect()
}

/// One unit over English `fields` (with boosts) and a Welsh field.
fn unit_query(
    index: &ReviewIndex,
    unit: &Unit,
    fields: &[(Field, f32)],
    welsh: Field,
) -> Option<Box<dyn Query>> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for form in &unit.forms {
        match form {
            Form::Text {
                text,
                boost,
                welsh: search_welsh,
            } => {
                for (field, field_boost) in fields {
                    if let Some(q) = text_query(index, *field, text) {
                        clauses.push((Occur::Should, boosted(q, boost * field_boost)));
                    }
                }
                if *search_welsh && let Some(q) = text_query(index, welsh, text) {
                    clauses.push((Occur::Should, boosted(q, *boost)));
                }
            }
            Form::Term { term, boost } => {
                for (field, field_boost) in fields {
                    let q: Box<dyn Query> = Box::new(TermQuery::new(
                        Term::from_field_text(*field, term),
                        IndexRecordOption::WithFreqs,
                    ));
                    clauses.push((Occur::Should, boosted(q, boost * field_boost)));
                }
            }
        }
    }
    (!clauses.is_empty()).then(|| Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>)
}

fn boosted(q: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    if (boost - 1.0).abs() < f32::EPSILON {
        q
    } else {
        Box::new(BoostQuery::new(q, boost))
    }
}

/// Words too common to mark in a snippet when a phrase or synonym contains them.
const UNMARKED: [&str; 24] = [
    "a", "an", "and", "the", "of", "to", "in", "on", "for", "with", "by", "at", "or", "is", "was",
    "were", "be", "as", "from", "that", "it", "this", "not", "no",
];

/// A snippet generator for `field` that marks the query's words, but not the little words a
/// phrase or synonym carries ("coercive *and* controlling behaviour").
pub fn snippet_generator(
    searcher: &Searcher,
    query: &dyn Query,
    field: Field,
    max_chars: usize,
) -> tantivy::Result<tantivy::snippet::SnippetGenerator> {
    let mut terms: std::collections::BTreeMap<String, tantivy::Score> = Default::default();
    let mut seen = Vec::new();
    query.query_terms(&mut |term, _| {
        if term.field() == field {
            seen.push(term.clone());
        }
    });
    for term in seen {
        let value = term.value();
        let Some(text) = value.as_str().map(str::to_string) else {
            continue;
        };
        if UNMARKED.contains(&text.as_str()) {
            continue;
        }
        let doc_freq = searcher.doc_freq(&term)?;
        if doc_freq > 0 {
            terms.insert(text, 1.0 / (1.0 + doc_freq as tantivy::Score));
        }
    }
    let tokenizer = searcher.index().tokenizer_for_field(field)?;
    Ok(tantivy::snippet::SnippetGenerator::new(
        terms, tokenizer, field, max_chars,
    ))
}

/// The field's analysis of `text`: one term, a phrase, or nothing.
fn text_query(index: &ReviewIndex, field: Field, text: &str) -> Option<Box<dyn Query>> {
    let terms = analyse(index, field, text);
    match terms.len() {
        0 => None,
        1 => Some(Box::new(TermQuery::new(
            Term::from_field_text(field, &terms[0]),
            IndexRecordOption::WithFreqs,
        ))),
        _ => Some(Box::new(PhraseQuery::new(
            terms
                .iter()
                .map(|t| Term::from_field_text(field, t))
                .collect(),
        ))),
    }
}

fn analyse(index: &ReviewIndex, field: Field, text: &str) -> Vec<String> {
    let Ok(mut analyzer) = index.tantivy().tokenizer_for_field(field) else {
        return Vec::new();
    };
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

/// Index words close to a word the index has never seen, most frequent first.
fn corrections(word: &str, index: &ReviewIndex, searcher: &Searcher) -> Vec<String> {
    let f = index.fields();
    let terms = analyse(index, f.body, word);
    let [term] = terms.as_slice() else {
        return Vec::new();
    };
    let len = term.chars().count();
    if len < 4 || term.chars().any(|c| c.is_ascii_digit()) {
        return Vec::new();
    }
    let known = |field: Field, t: &str| {
        searcher
            .doc_freq(&Term::from_field_text(field, t))
            .unwrap_or(0)
            > 0
    };
    let welsh = analyse(index, f.body_cy, word);
    if known(f.body, term)
        || known(f.title, term)
        || welsh.first().is_some_and(|w| known(f.body_cy, w))
    {
        return Vec::new();
    }
    let max = if len <= 5 { 1 } else { 2 };
    let mut found: std::collections::BTreeMap<String, u64> = std::collections::BTreeMap::new();
    for segment in searcher.segment_readers() {
        let Ok(inverted) = segment.inverted_index(f.body) else {
            continue;
        };
        let mut stream = match inverted.terms().stream() {
            Ok(s) => s,
            Err(_) => continue,
        };
        while stream.advance() {
            let Ok(candidate) = std::str::from_utf8(stream.key()) else {
                continue;
            };
            let clen = candidate.chars().count();
            if clen.abs_diff(len) > max {
                continue;
            }
            if super::request::levenshtein(term, candidate) <= max {
                *found.entry(candidate.to_string()).or_default() +=
                    u64::from(stream.value().doc_freq);
            }
        }
    }
    // The closest words only ("neglact" is neglect, not negative), most frequent first.
    let distance = |t: &str| super::request::levenshtein(term, t);
    let Some(best) = found.keys().map(|t| distance(t)).min() else {
        return Vec::new();
    };
    let mut ranked: Vec<(String, u64)> = found
        .into_iter()
        .filter(|(t, _)| distance(t) == best)
        .collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    ranked.into_iter().take(3).map(|(t, _)| t).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_synonyms_parse_and_match_the_longest_entry() {
        let s = Synonyms::builtin();
        let (n, group) = s.longest(&words("shaken baby syndrome")).unwrap();
        assert_eq!(n, 2);
        assert!(group.contains(&words("non-accidental injury")));
        assert!(s.longest(&words("DV")).is_some());
        assert!(
            s.longest(&words("cosleeping"))
                .unwrap()
                .1
                .contains(&words("co-sleeping"))
        );
        assert!(s.longest(&words("neglect")).is_none());
    }

    #[test]
    fn synonyms_work_inside_quoted_phrases() {
        let s = Synonyms::builtin();
        let v = phrase_variants(&s, &words("DV incident"));
        assert!(v.contains(&"domestic abuse incident".to_string()), "{v:?}");
        assert!(!v.contains(&"dv incident".to_string()));
        assert!(phrase_variants(&s, &words("no synonyms here")).is_empty());
        assert!(phrase_variants(&s, &words("DV DV DV DV")).len() <= MAX_VARIANTS);
    }
}
