//! Facets from text, each with the passages that justify it.
//!
//! Driven by the taxonomy in `index-config/taxonomy.toml` ([`Taxonomy`]); a sidecar
//! `<file>.meta.toml` overrides any field ([`Sidecar`]). The rules:
//! - themes, risk factors, practice themes: affirmed mentions of a value's phrases, outside
//!   sections that are not about this child (glossary, terms of reference, methodology …), with
//!   negated and hypothetical mentions ("there was no evidence of domestic abuse") left out,
//!   and advice, glossary lines and catalogues of harms (terms of reference) too; a value
//!   gives way to another that explains its sentence (a mother's care history, a plan for
//!   neglect years before the review period); a value affirmed in too few passages to tag is
//!   kept, with its passages, as a suggestion for a curator;
//! - review type: the type named in the title, else the most named; acronyms that collide
//!   (SCR, CPR, ICR) decided by nation and era, never alone;
//! - nation: fixed by a single-nation type, else by the nation's own institutions and laws;
//! - year: the publication date on the title page, else the latest year in the text;
//! - age: the subject child's age where the text ties it to the child, banded by the taxonomy;
//! - languages: from the extractor's per-passage detection.
//!
//! This module knows nothing of tantivy or HTTP.

pub mod accuracy;
mod age;
mod sidecar;
pub mod taxonomy;

pub use self::sidecar::{Sidecar, SidecarError};
pub use self::taxonomy::{Taxonomy, TaxonomyError, Value};

use crate::document::{Evidence, EvidencePassage, Extracted, Facets, Passage, Section};
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::LazyLock;

/// The result of classifying one document.
#[derive(Debug, Clone)]
pub struct Classified {
    pub title: String,
    pub facets: Facets,
    pub evidence: Vec<Evidence>,
    /// Themes and risk factors the text affirms, but in too few passages to tag: for a
    /// curator to confirm or leave.
    pub suggested: Vec<Evidence>,
}

/// Applies a compiled [`Taxonomy`] to extracted documents.
#[derive(Debug, Clone)]
pub struct Classifier {
    taxonomy: Taxonomy,
}

/// A sentence of the clean text with where it stands.
#[derive(Debug, Clone, Copy)]
struct Sentence<'a> {
    text: &'a str,
    page: Option<u32>,
    /// Inside a section that is not about this child (glossary, methodology …).
    excluded: bool,
    /// Index of the passage it belongs to.
    passage: usize,
    /// Its place among all the sentences.
    index: usize,
}

/// From this age a subject has a childhood of her own to be told ("Child B had been neglected
/// when she was a child"); below it the shared cues of a parent's youth are always a parent's.
const OWN_YOUTH_YEARS: f32 = 11.0;

/// How many mentions one of a nation's own safeguarding bodies or guidance is worth.
const NATION_STRONG_WEIGHT: usize = 3;

/// The titles a review gives a child with a pseudonym ("Young Person S", "Plentyn A").
const CHILD_TITLES: &str = "Child|Baby|Infant|Young Person|Young person|Plentyn|Person Ifanc";
static SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(?:{CHILD_TITLES}|Sibling|Adult|Person|Unborn Baby|Unborn Child)\s+[A-Z]{{1,2}}\d?\b"
    ))
    .expect("valid regex")
});
/// A child's pseudonym ("Young Person S"), not an adult's: a harm told of another child is
/// that child's.
static CHILD_PSEUDONYM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"\b(?:{CHILD_TITLES})\s+[A-Z]{{1,2}}\d?\b")).expect("valid regex")
});
static YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(19[89]\d|20[0-4]\d)\b").expect("valid regex"));
static PUBLISHED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:published|publication date|date of publication|date published|report date|date of report|final report|cyhoeddwyd|dyddiad cyhoeddi)\b[^0-9\n]{0,40}?(?:\d{1,2}(?:st|nd|rd|th)?\s+)?(?:[A-Za-z]+\s+)?(19[89]\d|20[0-4]\d)\b")
        .expect("valid regex")
});
static MONTH_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December|Ionawr|Chwefror|Mawrth|Ebrill|Mai|Mehefin|Gorffennaf|Awst|Medi|Hydref|Tachwedd|Rhagfyr)\s+(19[89]\d|20[0-4]\d)\b")
        .expect("valid regex")
});
static CHILD_NOUN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:the (?:younger|youngest|older|eldest|elder) (?:child|son|daughter|boy|girl)|the (?:child|baby|infant|boy|girl|young person)|their (?:son|daughter|baby)|boy|girl)\b")
        .expect("valid regex")
});
/// A grown-up named in a sentence: "the driver, a young man aged 19", "Mr D", "Adult A".
static ADULT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:(?i:the driver|a (?:young )?(?:man|woman))|Mr|Ms|Mrs|Adult [A-Z])\b")
        .expect("valid regex")
});
static UNBORN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:unborn (?:baby|child)|pre-birth death|was not yet born|in utero)\b")
        .expect("valid regex")
});
/// "The harm he suffered occurred before he was born", or the incident told of the mother
/// "then 31 weeks pregnant": a child harmed in the womb is the subject of an unborn child's
/// review, though the review tells of the birth.
static HARMED_BEFORE_BIRTH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b(?:harm|harmed|injury|injuries|damage)\b[^.;]{{0,50}}\bbefore\s+(?:(?:he|she|they|the\s+baby|(?-i:(?:{CHILD_TITLES}|Unborn\s+Baby)\s+[A-Z]{{1,2}}\d?))\s+(?:was|were)\s+born|(?:(?:his|her|their)\s+)?birth)\b|,\s+then\s+\d{{1,2}}\s+weeks\s+pregnant,"
    ))
    .expect("valid regex")
});

/// How many short items naming themes and risk factors make a sentence a catalogue.
const CATALOGUE_VALUES: usize = 4;
/// The most words an item of a catalogue has ("children missing from home or education").
const CATALOGUE_ITEM_WORDS: usize = 8;

/// A glossary entry set as a line of text: the term opens the sentence and a definition
/// follows ("Child sexual exploitation: a form of sexual abuse where …", "CCE (child
/// criminal exploitation), where a child is used …").
static DEFINITION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:\([^)]{1,60}\)\s*)?(?:(?:[:–—]|\s-)\s*(?:a|an|any|where|when|the term|this is|refers|used|occurs|abuse|harm)\b|,?\s+(?:where|when) an? (?:child|young person|person|adult)\b|\s+(?:is defined as|refers to|means|describes|is a form of|is when|is where|occurs when)\b)")
        .expect("valid regex")
});
/// What may stand before a glossary term: list marks and numbers.
static LIST_MARK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[\s\d.•·\-–*()a-z]{0,6}$").expect("valid regex"));

/// Does the text before a mention end in "non-" ("non-physical abuse" is not physical
/// abuse)?
fn is_negated_prefix(before: &str) -> bool {
    let b = before.as_bytes();
    b.len() >= 4 && b[b.len() - 4..].eq_ignore_ascii_case(b"non-")
}

/// Text under an excluded heading short enough to be only a table's column titles
/// ("Term", "Meaning") before its entries.
const GLOSSARY_LEAD_IN_CHARS: usize = 40;

/// The section number a heading opens with: "2" for "2. Terms of reference", "2.2" for
/// "2.2 The review was asked to consider:".
fn heading_number(heading: &str) -> Option<&str> {
    let end = heading
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(heading.len());
    let number = heading[..end].trim_end_matches('.');
    (!number.is_empty() && number.as_bytes()[0].is_ascii_digit()).then_some(number)
}

/// A phrase that opens with its own negation: "no friends", "nobody visited".
static NEGATOR_OPENING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:no|not|never|nobody|none|without)\b").expect("valid regex")
});

/// The sentence in `s`'s paragraph that its opening pronoun points back to ("He …",
/// "She …", "Her …"): the one before, or, through a run of pronoun sentences, the one
/// before them all ("Mother was 18. She has a learning disability. Her own childhood …").
fn follows_in_paragraph<'s, 'a>(
    sentences: &'s [Sentence<'a>],
    s: &Sentence<'a>,
) -> Option<&'s Sentence<'a>> {
    let opens_with_pronoun = |t: &str| age::PRONOUN_OPENINGS.iter().any(|p| t.starts_with(p));
    if !opens_with_pronoun(s.text) {
        return None;
    }
    let mut index = s.index;
    for _ in 0..PRONOUN_REACH {
        let prev = sentences.get(index.checked_sub(1)?)?;
        if prev.passage != s.passage {
            return None;
        }
        if !opens_with_pronoun(prev.text) {
            return Some(prev);
        }
        index = prev.index;
    }
    None
}

/// How many pronoun sentences a run may hold before its antecedent is too far back.
const PRONOUN_REACH: usize = 3;

/// Does `at` fall inside quotation marks: after an opening curly quote that is not yet
/// closed, or after an odd number of straight double quotes?
fn in_quotes(sentence: &str, at: usize) -> bool {
    let before = &sentence[..at];
    match (before.rfind('“'), before.rfind('”')) {
        (Some(open), close) if close.is_none_or(|c| c < open) => return true,
        _ => {}
    }
    before.bytes().filter(|&b| b == b'"').count() % 2 == 1
}

/// Is the mention at `start..end` a term being defined?
fn is_definition(sentence: &str, start: usize, end: usize) -> bool {
    LIST_MARK.is_match(&sentence[..start]) && DEFINITION.is_match(&sentence[end..])
}

/// The year the period under review starts: "The review covers the period from March 2009",
/// "The period under review was September 2016 to February 2019".
static PERIOD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:review(?:\s+\w+){0,2}?\s+(?:covers|covered|considers|considered|examines|examined|looks at|looked at)|period under review|review period|period of the review|period covered|timeframe|time frame|time period|(?:consider|considers|considered|considering|cover|covers|covered|covering|examine|examines|examined|examining)\s+the\s+period\s+(?:from|between))\b[^.;]{0,80}?\b((?:19|20)\d\d)\b")
        .expect("valid regex")
});
/// Words that place an event before the review: "previously", "when she was four".
static EARLIER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:previous(?:ly)?|earlier|de-?registered|de-?registration|stepped down|step-down|twice|historic(?:al|ally)?|in the past|before the (?:review|period)|prior to the (?:review|period)|before (?:the )?\w+ (?:was|were) born|as an? (?:baby|infant|toddler|young child))\b")
        .expect("valid regex")
});
/// A child's age in years, in figures or words, captured.
const CHILD_YEARS: &str = r"(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen)";
/// An age set aside in commas, the age then: "after Child A, then four, was found".
static THEN_AGED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i),\s+then\s+(?:aged\s+)?{CHILD_YEARS}(?:\s+years?\s+old)?,"
    ))
    .expect("valid regex")
});
/// An earlier age of the child's: "when she was four", "at the age of three (2018)".
static WHEN_AGED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b(?:(?:when|while) (?:he|she|they|the child|the baby|(?-i:[A-Z][A-Za-z]*(?: [A-Z]{{1,3}}\d?)?)) (?:was|were) (?:aged |only )?|at the age of ){CHILD_YEARS}\b"
    ))
    .expect("valid regex")
});

/// Is the year at `at` part of a title rather than a date of the case: "the All Wales Child
/// Protection Procedures (2008)", "the Children Act 1989"?
fn is_citation_year(sentence: &str, at: usize) -> bool {
    let before = sentence[..at].trim_end();
    before.ends_with('(')
        || ["Act", "Procedures", "Regulations", "Guidance", "Together"]
            .iter()
            .any(|w| before.ends_with(w))
}

/// Does the sentence date what it tells before the period under review: a year before the
/// period's start, an age well below the child's, or words such as "previously"?
fn is_dated_earlier(sentence: &str, period_start: Option<u16>, child_years: Option<f32>) -> bool {
    if EARLIER.is_match(sentence) {
        return true;
    }
    if let Some(start) = period_start
        && YEAR
            .find_iter(sentence)
            .filter(|y| !is_citation_year(sentence, y.start()))
            .any(|y| y.as_str().parse::<u16>().is_ok_and(|y| y < start))
    {
        return true;
    }
    if let Some(child) = child_years
        && let Some(c) = WHEN_AGED
            .captures(sentence)
            .or_else(|| THEN_AGED.captures(sentence))
        && let Some(then) = age::number(&c[1])
    {
        return then + 1.0 < child;
    }
    false
}

/// "He had himself been sexually abused": the subject, without the name.
static OWN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(?:himself|herself)\b").expect("valid regex"));

/// A finding about the harm need not name the child: "The harm in this case was …".
static HARM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bharm(?:ed)?\b").expect("valid regex"));

/// A name in quotation marks, as a pseudonym is introduced: "“Kerry”", "'Lee'".
static QUOTED_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[“‘'\x22]([A-Z][a-z]{2,})[”’'\x22]").expect("valid regex"));
/// "Lee is their father", "Kerry, the children's mother", "Robert, her estranged husband",
/// "Helen (a pseudonym)".
static NAMED_PARENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b([A-Z][a-z]{2,})(?:(?: is|,) (?:their|the children's|the children’s|the child's|the child’s|his|her) (?:estranged |former |ex-)?(?:mother|father|stepfather|step-father|husband|wife|partner)\b| \((?:a )?pseudonym| is a pseudonym)")
        .expect("valid regex")
});

/// "The pseudonyms Helen and Robert were chosen", "Helen and Robert are pseudonyms".
static PSEUDONYM_PAIR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bpseudonyms? ([A-Z][a-z]{2,})(?:,? and ([A-Z][a-z]{2,}))?\b|\b([A-Z][a-z]{2,})(?:,? and ([A-Z][a-z]{2,}))? (?:is a|are) pseudonyms?\b")
        .expect("valid regex")
});

/// The pseudonyms a review gives the adults in it, and its "Adult F" letters, as one pattern.
fn parent_pseudonyms(sentences: &[Sentence<'_>]) -> Option<Regex> {
    let mut names: Vec<&str> = Vec::new();
    for s in sentences {
        if s.text.contains("pseudonym") {
            names.extend(
                QUOTED_NAME
                    .captures_iter(s.text)
                    .filter_map(|c| c.get(1))
                    .map(|m| m.as_str()),
            );
        }
        names.extend(
            NAMED_PARENT
                .captures_iter(s.text)
                .filter_map(|c| c.get(1))
                .map(|m| m.as_str()),
        );
        for c in PSEUDONYM_PAIR.captures_iter(s.text) {
            names.extend(c.iter().skip(1).flatten().map(|m| m.as_str()));
        }
    }
    names.retain(|n| {
        !matches!(
            *n,
            "Child" | "Baby" | "Young" | "Adult" | "The" | "She" | "His" | "Her"
        )
    });
    names.sort_unstable();
    names.dedup();
    // The review's own letters for them: "Adult F".
    names.push(r"Adult [A-Z]{1,2}");
    Regex::new(&format!(r"\b(?-i:{})\b", names.join("|"))).ok()
}

/// Ages a sentence gives to whoever it is about: "when she was 14", "at the age of 13",
/// "between the ages of 13 and 15", "aged 19".
static SENTENCE_AGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:(?:when|while) (?:he|she|they|the child|the baby) (?:was|were) (?:aged |only )?|(?:at|from) (?:the )?age (?:of )?|between the ages of |aged )(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen)\b(?: (day|week|month)s?\b)?")
        .expect("valid regex")
});

/// Years between the subject's age and one a sentence gives before it is someone else's.
const OLDER_BY_YEARS: f32 = 2.0;
/// The age at which a childhood ends.
const ADULT_YEARS: f32 = 18.0;

/// Ages in years a sentence gives well above the subject child's (someone older's, a
/// parent's or an older sibling's), each with whether it is said as the age someone is now
/// ("his brother, now aged nine").
fn older_ages(sentence: &str, child_years: Option<f32>) -> impl Iterator<Item = (f32, bool)> + '_ {
    SENTENCE_AGE
        .captures_iter(sentence)
        // "aged 14 months" is a baby's age, not an older person's.
        .filter(|c| c.get(2).is_none())
        .filter_map(|c| {
            let now = sentence[..c.get(0)?.start()]
                .split_whitespace()
                .next_back()
                .is_some_and(|w| w.eq_ignore_ascii_case("now"));
            Some((age::number(&c[1])?, now))
        })
        .filter(move |(then, _)| child_years.is_some_and(|child| *then > child + OLDER_BY_YEARS))
}

/// Does the sentence give an age well above the subject child's, so that it tells of
/// someone older: a parent's childhood, an older sibling?
fn is_about_someone_older(sentence: &str, child_years: Option<f32>) -> bool {
    older_ages(sentence, child_years).next().is_some()
}

/// Does the sentence tell of someone's childhood older than the subject's: an age above the
/// subject's that is still a child's ("in care between the ages of 13 and 15"), not a
/// grown-up's ("the foster carers, aged 58 and 61"), nor an age someone is now ("his brother,
/// now aged nine", which says nothing of when the care was)?
fn is_about_an_older_childhood(sentence: &str, child_years: Option<f32>) -> bool {
    older_ages(sentence, child_years).any(|(then, now)| then < ADULT_YEARS && !now)
}

/// Which matches of a phrase count, beyond negation.
#[derive(Clone, Copy, Default)]
struct MatchRules<'r> {
    /// The subject's names: an acronym inside one is the subject, not the phrase ("Child DA"
    /// is not domestic abuse).
    subject: Option<&'r Regex>,
    /// A match inside quotation marks is a label the review quotes ("closed as “not
    /// engaging”"), not a fact.
    outside_quotes: bool,
    /// The names of review types, and which sentences name one: "homicide" in "Domestic
    /// Homicide Review" names the review, not a killing.
    titles: Option<(&'r Regex, &'r [bool])>,
    /// A phrase that names a child by pseudonym is about that child: "Child * and her five
    /// siblings" is the subject's family only when the pseudonym is the subject's.
    own_child_only: bool,
}

impl MatchRules<'_> {
    fn allows(&self, s: &Sentence<'_>, m: regex::Match<'_>) -> bool {
        let sentence = s.text;
        let acronym = m.as_str().bytes().all(|b| b.is_ascii_uppercase());
        let in_name = acronym
            && self.subject.is_some_and(|names| {
                names
                    .find_iter(sentence)
                    .any(|n| n.start() <= m.start() && m.end() <= n.end())
            });
        let quoted = self.outside_quotes && in_quotes(sentence, m.start());
        // Most sentences name no review type: only those are searched again, per match.
        let in_title = self.titles.is_some_and(|(titles, titled)| {
            titled.get(s.index).copied().unwrap_or(true)
                && titles
                    .find_iter(sentence)
                    .any(|t| t.start() <= m.start() && m.end() <= t.end())
        });
        let another_child = self.own_child_only
            && self.subject.is_some_and(|subject| {
                names_another_child(subject, m.as_str()) && !subject.is_match(m.as_str())
            });
        !(in_name || quoted || in_title || another_child)
    }
}

/// When a conditional phrase counts.
#[derive(Clone, Copy)]
enum Only {
    Always,
    /// In a sentence dated before the period under review.
    Earlier,
    /// In a sentence about someone older than the subject.
    Older,
    /// In a sentence that names the subject, not as someone's relation.
    Subject,
}

/// How much of the start of the text counts as the title page.
const HEAD_BYTES: usize = 2500;

impl Classifier {
    pub fn new(taxonomy: Taxonomy) -> Classifier {
        Classifier { taxonomy }
    }

    pub fn taxonomy(&self) -> &Taxonomy {
        &self.taxonomy
    }

    /// Classify one document. `file_name` is the fallback title.
    pub fn classify(&self, doc: &Extracted, file_name: &str) -> Classified {
        let sentences = self.sentences(&doc.sections, &doc.passages);
        let head = head_text(doc);
        let mut evidence = Vec::new();
        let mut facets = Facets::default();

        let subject = subject_pattern(&head);
        let in_scope = sentences.iter().filter(|s| !s.excluded).map(|s| s.text);
        // The named subject's age, found once.
        let named_age = age::find_age(in_scope.clone(), &subject, false);
        // "Planning for HW's unborn baby" in a review of a pregnant 16-year-old: a subject whose
        // own age in years is told, or who "was born at home in February 2016", was born.
        let harmed_before_birth = HARMED_BEFORE_BIRTH.is_match(&head);
        let unborn = (UNBORN.is_match(&head) || harmed_before_birth)
            && !named_age.as_ref().is_some_and(|a| a.years >= 1.0)
            && (harmed_before_birth
                || !in_scope.clone().any(|s| {
                    subject
                        .find_iter(s)
                        .any(|m| s[m.end()..].trim_start().starts_with("was born"))
                }));
        // The named subject first; failing that (a review of "the children" of a homicide
        // victim), the first age the text gives a child.
        // Failing all those, the subject's age where the review introduces its process
        // ("their daughter, who was twelve, is referred to as Child DL").
        let everywhere = sentences.iter().map(|s| s.text);
        let named_age = if unborn {
            age::find_age(in_scope.clone(), &subject, true)
        } else {
            named_age
        };
        // A review titled for "Baby WY" is not about a child of five: an age found only by the
        // fallbacks ("a boy now aged 5") is a sibling's.
        let baby = SUBJECT
            .find(&head)
            .is_some_and(|m| m.as_str().starts_with("Baby") || m.as_str().starts_with("Unborn"));
        let fits = |a: &age::AgeFinding| !baby || a.years < 2.0;
        let child_age = named_age
            .or_else(|| age::age_from_dates(in_scope.clone(), &subject))
            .or_else(|| age::find_age(in_scope, &CHILD_NOUN, false).filter(fits))
            .or_else(|| age::find_age(everywhere, &subject, unborn).filter(fits));
        // Negative before birth; an unknown age lets every phrase count.
        let age_years = child_age.as_ref().map(|f| f.years);
        let period_start = sentences
            .iter()
            .find_map(|s| PERIOD.captures(s.text))
            .and_then(|c| c[1].parse::<u16>().ok());

        let nation_scores = self.nation_scores(doc);
        let (review_type, type_sentence) = self.review_type(&head, &sentences, &nation_scores);
        // A domestic homicide review names the adults by pseudonym ("“Kerry” is a pseudonym
        // chosen by her family"): they are the children's parents.
        let parents = (review_type.as_deref() == Some("dhr"))
            .then(|| parent_pseudonyms(&sentences))
            .flatten();
        // The outcome depends on no theme; a value that implies another outcome ("sudi" is a
        // death) is not considered at all.
        let dhr = review_type.as_deref() == Some("dhr");
        let outcome = self.outcome(&head, &sentences, &subject, dhr);
        let outcome_key = outcome.as_ref().map(|(k, _)| k.as_str());
        let groups = [
            ("theme", &self.taxonomy.themes),
            ("risk", &self.taxonomy.risks),
            ("practice", &self.taxonomy.practice),
        ];
        // Lists of harms and risks ("the terms of reference asked about: neglect; domestic
        // abuse; CSE; …") name everything and are about nothing in particular.
        let catalogue: Vec<bool> = sentences
            .iter()
            .map(|s| self.is_catalogue(s.text))
            .collect();
        // Sentences that name a review type ("this Domestic Homicide Review"), found once.
        let titled: Vec<bool> = sentences
            .iter()
            .map(|s| self.taxonomy.type_names.is_match(s.text))
            .collect();
        // Sentences that give a finding about the harm to the child ("an enquiry concluded that
        // Child HZ had experienced …"), and where their cue ends: a theme named after it is
        // stated outright.
        let finding_at: Vec<Option<usize>> = sentences
            .iter()
            .map(|s| {
                let cue = self.taxonomy.findings.find(s.text)?;
                (names_subject(&subject, s.text) || HARM.is_match(s.text)).then_some(cue.end())
            })
            .collect();
        // The headings of the review's own sections, each with text under it.
        let headings: BTreeSet<&str> = sentences
            .iter()
            .filter(|s| !s.excluded)
            .filter_map(|s| doc.passages[s.passage].section.as_deref())
            .collect();
        // How strongly the mentions support a value: the paragraphs they stand in, and one
        // more for a plan or registration dated before the period, which a review tells once
        // in the family's history and need not repeat, or for a practice theme that heads a
        // section of the review: "5.5 Working with fathers" is the review's analysis of that
        // practice, though its text may name it only once (a heading the value's `unless`
        // vetoes, such as "Why this case met the threshold for a review", does not count).
        let support = |group: &str, value: &Value, hits: &[Sentence<'_>]| {
            let dated = value.earlier.as_ref().is_some_and(|earlier| {
                hits.iter().any(|s| {
                    earlier.is_match(s.text) && is_dated_earlier(s.text, period_start, age_years)
                })
            });
            // A strong phrase that counts only at some ages is strong only at those ages.
            let strong = value.strong.iter().chain(
                [&value.aged, &value.young]
                    .into_iter()
                    .flatten()
                    .filter(|a| a.apply_at(age_years))
                    .filter_map(|a| a.strong.as_ref()),
            );
            // The strong phrase itself must be affirmed: "neither parent was known to drink
            // heavily" beside another mention of drinking says nothing outright.
            let negatable = group != "practice";
            let affirmed = |r: &Regex, text: &str| {
                r.find_iter(text)
                    .any(|m| self.affirmed_match(text, m, negatable))
            };
            let outright = hits.iter().any(|s| {
                strong.clone().any(|r| affirmed(r, s.text))
                    || value
                        .own_strong
                        .as_ref()
                        .is_some_and(|r| names_subject(&subject, s.text) && affirmed(r, s.text))
                    || (group == "theme"
                        && finding_at[s.index]
                            .is_some_and(|at| value.patterns().any(|p| p.is_match(&s.text[at..]))))
            });
            // "Rent arrears, and the school gave food parcels": two of the value's own phrases,
            // each affirmed. "Rent arrears … the arrears" is one phrase said twice.
            let paired = value.two_phrases_outright
                && hits.iter().any(|s| {
                    let phrases: BTreeSet<String> = value
                        .pattern
                        .iter()
                        .flat_map(|p| p.find_iter(s.text))
                        .filter(|m| !self.negated(s.text, m.start(), m.end()))
                        .map(|m| m.as_str().to_lowercase())
                        .collect();
                    phrases.iter().any(|a| {
                        phrases
                            .iter()
                            .any(|b| !a.contains(b.as_str()) && !b.contains(a.as_str()))
                    })
                });
            let headed = group == "practice"
                && headings.iter().any(|h| {
                    value.pattern.as_ref().is_some_and(|p| p.is_match(h))
                        && [&value.unless, &value.heading_unless]
                            .into_iter()
                            .flatten()
                            .all(|u| !u.is_match(h))
                });
            distinct_passages(hits) + u32::from(dated || outright || paired || headed)
        };
        // First every value's affirmed mentions, in every group ...
        let mut found: Vec<(&str, &Value, Vec<Sentence<'_>>)> = Vec::new();
        // Values affirmed, but in too few passages: suggestions, once the others are known.
        let mut short: Vec<(&str, &Value, Vec<Sentence<'_>>)> = Vec::new();
        for (group, values) in groups {
            // Practice themes are named by what went wrong ("information was not shared"), so
            // a negation there is evidence, not absence.
            let negatable = group != "practice";
            for value in values.iter() {
                // A value may have only conditional phrases ("phrases-from-age" alone).
                if value.patterns().next().is_none()
                    || value
                        .only_with_outcome
                        .as_deref()
                        .is_some_and(|o| outcome_key != Some(o))
                {
                    continue;
                }
                let rules = MatchRules {
                    subject: Some(&subject),
                    outside_quotes: value.not_in_quotes,
                    titles: Some((&self.taxonomy.type_names, &titled)),
                    own_child_only: negatable,
                };
                let mut hits = value
                    .pattern
                    .as_ref()
                    .map(|p| self.mentions(&sentences, &catalogue, p, negatable, rules))
                    .unwrap_or_default();
                // Phrases that count only under a condition: an old enough subject, a sentence
                // dated before the review period (`true`), or (checked below, once every value
                // is known) another value not being assigned.
                let conditional = [
                    value
                        .aged
                        .as_ref()
                        .filter(|a| a.apply_at(age_years))
                        .map(|a| (&a.pattern, Only::Always)),
                    value
                        .young
                        .as_ref()
                        .filter(|a| a.apply_at(age_years))
                        .map(|a| (&a.pattern, Only::Always)),
                    value.earlier.as_ref().map(|p| (p, Only::Earlier)),
                    value
                        .unless_assigned
                        .as_ref()
                        .map(|(_, p)| (p, Only::Always)),
                    value.older.as_ref().map(|p| (p, Only::Older)),
                    value.own.as_ref().map(|p| (p, Only::Subject)),
                ];
                let mut more = conditional.into_iter().flatten().peekable();
                if more.peek().is_some() {
                    for (extra, only) in more {
                        hits.extend(
                            self.mentions(&sentences, &catalogue, extra, negatable, rules)
                                .into_iter()
                                .filter(|s| match only {
                                    Only::Always => true,
                                    Only::Earlier => {
                                        is_dated_earlier(s.text, period_start, age_years)
                                    }
                                    Only::Older => is_about_an_older_childhood(s.text, age_years),
                                    Only::Subject => names_subject(&subject, s.text),
                                }),
                        );
                    }
                    hits.sort_by_key(|s| s.index);
                    hits.dedup_by_key(|s| s.index);
                }
                if let Some(context) = &value.context {
                    // The parents' pseudonyms stand for "mother" and "father".
                    let parental = context.is_match("mother");
                    let in_context = |text: &str| {
                        context.is_match(text)
                            || (parental && parents.as_ref().is_some_and(|p| p.is_match(text)))
                    };
                    hits.retain(|s| {
                        in_context(s.text)
                            || (value.pronoun_context
                                && follows_in_paragraph(&sentences, s).is_some_and(|prev| {
                                    in_context(prev.text)
                                        && value
                                            .unless
                                            .as_ref()
                                            .is_none_or(|u| !u.is_match(prev.text))
                                }))
                    });
                }
                // An unborn child dies in its mother's killing: that homicide is its own.
                if !unborn
                    && review_type
                        .as_ref()
                        .is_some_and(|t| value.about_subject_in.contains(t))
                {
                    // "Since the homicide, Child PF has told …": the review's own event, named
                    // as such, is the adult's death.
                    let own_event = |text: &str, at: usize| {
                        let before = text[..at].trim_end();
                        ["the", "this", "The", "This"].iter().any(|w| {
                            before.ends_with(w)
                                && !before[..before.len() - w.len()]
                                    .ends_with(|c: char| c.is_alphanumeric())
                        })
                    };
                    hits.retain(|s| {
                        names_subject(&subject, s.text)
                            && value
                                .patterns()
                                .any(|p| p.find_iter(s.text).any(|m| !own_event(s.text, m.start())))
                    });
                }
                if let Some(unless) = &value.unless {
                    // A parent's youth is that parent's history; a teenager's own childhood,
                    // told of her by name, is hers.
                    let own_youth = |text: &str| {
                        age_years.is_some_and(|a| a >= OWN_YOUTH_YEARS)
                            && value
                                .unless_but_youth
                                .as_ref()
                                .is_some_and(|u| !u.is_match(text))
                            && names_subject(&subject, text)
                    };
                    hits.retain(|s| !unless.is_match(s.text) || own_youth(s.text));
                }
                if value.subject_age_only {
                    hits.retain(|s| !is_about_someone_older(s.text, age_years));
                }
                // "Young Person S was also a child with unmet needs", in a review of Child RF: a
                // harm told of another child by pseudonym is that child's.
                if group == "theme" || value.childs_own {
                    hits.retain(|s| {
                        !names_another_child(&subject, s.text) || names_subject(&subject, s.text)
                    });
                }
                // A value must be met in several passages, or twice in one: a single
                // sentence in passing is not a presence.
                if support(group, value, &hits) >= value.min_mentions_for(review_type.as_deref()) {
                    found.push((group, value, hits));
                } else if !hits.is_empty() && group != "practice" {
                    short.push((group, value, hits));
                }
            }
        }
        // ... then what other values explain. A mention in a sentence that also names a value
        // this one yields to is that value's evidence: "an overdose of paracetamol" in a review
        // of suicide, "a child protection plan for neglect" years before, in a review of
        // something else.
        // A value short of its passages goes through the same: what another value explains or
        // takes the place of is no suggestion either.
        let mut suggested = Vec::new();
        let weighed = found.iter().map(|f| (f, false));
        for ((group, value, hits), is_short) in weighed.chain(short.iter().map(|f| (f, true))) {
            if found
                .iter()
                .any(|(g, v, _)| value.subsumed_by.iter().any(|s| s.names(group, g, &v.key)))
            {
                continue;
            }
            let masters: Vec<&Value> = found
                .iter()
                .filter(|(g, v, _)| value.yields_to.iter().any(|y| y.names(group, g, &v.key)))
                .map(|(_, v, _)| *v)
                .collect();
            // The other value must be affirmed there: "he was not on the child protection
            // register" explains nothing.
            let affirmed_in = |m: &Value, text: &str| {
                m.patterns().any(|p| {
                    p.find_iter(text)
                        .any(|x| !self.negated(text, x.start(), x.end()))
                })
            };
            // A sentence opening "She …" right after one about the mother's care history
            // goes on about her: "Mother was a care leaver. She had been looked after …".
            let explained = |s: &Sentence<'_>| {
                masters.iter().any(|m| {
                    affirmed_in(m, s.text)
                        && (m.context.as_ref().is_none_or(|c| c.is_match(s.text))
                            || follows_in_paragraph(&sentences, s).is_some_and(|prev| {
                                m.context.as_ref().is_none_or(|c| c.is_match(prev.text))
                            }))
                })
            };
            // Phrases that stop counting once another value is assigned.
            let withdrawn = |text: &str| {
                value
                    .unless_assigned
                    .as_ref()
                    .is_some_and(|(other, conditional)| {
                        found.iter().any(|(g, v, _)| other.names(group, g, &v.key))
                            && conditional.is_match(text)
                            && !value.pattern.as_ref().is_some_and(|p| p.is_match(text))
                    })
            };
            // Only the subject's own, when another value makes most mentions someone else's.
            let others = value
                .about_subject_when
                .iter()
                .any(|w| found.iter().any(|(g, v, _)| w.names(group, g, &v.key)));
            // A sentence that states this value outright is its own evidence, whatever else
            // it names: "criminally exploited and trafficked for drug supply".
            let outright = |s: &Sentence<'_>| {
                value.strong.as_ref().is_some_and(|r| r.is_match(s.text))
                    || value
                        .own_strong
                        .as_ref()
                        .is_some_and(|r| r.is_match(s.text) && names_subject(&subject, s.text))
            };
            let hits: Vec<Sentence<'_>> = hits
                .iter()
                .filter(|s| (outright(s) || !explained(s)) && !withdrawn(s.text))
                .filter(|s| !others || names_subject(&subject, s.text) || OWN.is_match(s.text))
                .copied()
                .collect();
            if is_short {
                if !hits.is_empty() {
                    suggested.push(self.evidence(group, &value.key, &hits));
                }
            } else if support(group, value, &hits) >= value.min_mentions_for(review_type.as_deref())
            {
                let keys = match *group {
                    "theme" => &mut facets.themes,
                    "risk" => &mut facets.risk_factors,
                    _ => &mut facets.practice_themes,
                };
                keys.push(value.key.clone());
                evidence.push(self.evidence(group, &value.key, &hits));
            }
        }

        let year = publication_year(&head, doc);
        let nation = self.nation(
            review_type.as_deref(),
            year.as_ref().map(|(y, _)| *y),
            &nation_scores,
        );
        if let Some(t) = &review_type {
            evidence.push(Evidence {
                facet: "type".into(),
                value: t.clone(),
                passages: type_sentence.map(|s| vec![s]).unwrap_or_default(),
            });
        }
        if let Some((n, _)) = &nation {
            let pattern = self
                .taxonomy
                .nations
                .iter()
                .find(|v| &v.key == n)
                .and_then(|v| v.pattern.as_ref());
            let hits = pattern
                .map(|p| self.all_mentions(&sentences, p))
                .unwrap_or_default();
            evidence.push(self.evidence("nation", n, &hits));
        }
        facets.review_type = review_type;
        facets.nation = nation.map(|(n, _)| n);

        if let Some((year, line)) = year {
            facets.year = Some(year);
            evidence.push(Evidence {
                facet: "year".into(),
                value: year.to_string(),
                passages: vec![EvidencePassage {
                    page: doc.pages.first().map(|p| p.number),
                    text: line,
                }],
            });
        }

        if let Some(found) = child_age
            && let Some(band) = self.taxonomy.age_band(found.years)
        {
            facets.age_band = Some(band.key.clone());
            facets.child_age_years = (found.years >= 0.0).then_some(round2(found.years));
            let page = sentences
                .iter()
                .find(|s| s.text == found.sentence)
                .and_then(|s| s.page);
            evidence.push(Evidence {
                facet: "age".into(),
                value: band.key.clone(),
                passages: if found.sentence.is_empty() {
                    Vec::new()
                } else {
                    vec![EvidencePassage {
                        page,
                        text: clip(&found.sentence),
                    }]
                },
            });
        }

        if let Some((outcome, hits)) = outcome {
            evidence.push(self.evidence("outcome", &outcome, &hits));
            facets.outcome = Some(outcome);
        }

        facets.languages = doc
            .languages
            .iter()
            .filter(|l| self.taxonomy.label("language", l).is_some())
            .cloned()
            .collect();
        for lang in &facets.languages {
            let sample: Vec<(Option<u32>, &str)> = doc
                .passages
                .iter()
                .filter(|p| p.language.as_deref() == Some(lang))
                .take(1)
                .map(|p| (p.page, p.text.as_str()))
                .collect();
            evidence.push(Evidence {
                facet: "language".into(),
                value: lang.clone(),
                passages: sample
                    .into_iter()
                    .map(|(page, text)| EvidencePassage {
                        page,
                        text: clip(text),
                    })
                    .collect(),
            });
        }

        Classified {
            title: title(&head, &subject, doc, file_name, &self.taxonomy),
            facets,
            evidence,
            suggested,
        }
    }

    fn sentences<'a>(&self, sections: &[Section], passages: &'a [Passage]) -> Vec<Sentence<'a>> {
        let mut out = Vec::new();
        let excluded = self.excluded_passages(sections, passages);
        for (index, (passage, excluded)) in passages.iter().zip(excluded).enumerate() {
            for text in crate::extract::text::sentences(&passage.text) {
                out.push(Sentence {
                    index: out.len(),
                    text,
                    page: passage.page,
                    excluded,
                    passage: index,
                });
            }
        }
        out
    }

    /// Which passages stand in a section that is not about this child. A section is
    /// excluded by its own heading, or as part of an excluded one: a numbered subsection
    /// ("2.2 The review was asked to consider:" under "2. Terms of reference"), or the
    /// entries of a glossary set as a table, whose terms the layout reads as headings
    /// ("Appendix 1: Glossary", then "Hypernatraemia", "NAI" …).
    fn excluded_passages(&self, sections: &[Section], passages: &[Passage]) -> Vec<bool> {
        let mut excluded_headings: HashMap<&str, bool> = HashMap::new();
        // The numbers of excluded numbered headings, such as "2".
        let mut excluded_numbers: Vec<&str> = Vec::new();
        // Inside a run of glossary entries read as headings.
        let mut entries = false;
        let mut previous: Option<(bool, usize)> = None;
        for section in sections {
            let h = section.heading.as_str();
            let number = heading_number(h);
            let own = self.is_excluded_section(h);
            let under_excluded = number.is_some_and(|n| {
                excluded_numbers
                    .iter()
                    .any(|e| n.len() > e.len() && n.starts_with(e) && n.as_bytes()[e.len()] == b'.')
            });
            // An excluded heading with next to no text of its own, followed by a short
            // unnumbered one: its entries begin.
            let entry = !h.is_empty() && number.is_none() && h.split_whitespace().count() <= 4;
            entries = entry
                && (entries
                    || previous
                        .is_some_and(|(excluded, len)| excluded && len < GLOSSARY_LEAD_IN_CHARS));
            let excluded = own || under_excluded || entries;
            if let (Some(n), true) = (number, own) {
                excluded_numbers.push(n);
            }
            excluded_headings.insert(h, excluded);
            previous = Some((excluded, section.text.trim().len()));
        }
        passages
            .iter()
            .map(|p| {
                p.section.as_deref().is_some_and(|h| {
                    excluded_headings
                        .get(h)
                        .copied()
                        .unwrap_or_else(|| self.is_excluded_section(h))
                })
            })
            .collect()
    }

    fn is_excluded_section(&self, heading: &str) -> bool {
        // A numbered heading ("2. Methodology") or one with a trailing colon is judged by its words.
        let words = heading
            .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c.is_whitespace())
            .trim_end_matches(':')
            .trim();
        self.taxonomy
            .excluded_sections
            .find(words)
            .is_some_and(|m| m.start() == 0)
    }

    /// Affirmed mentions of `pattern`: outside excluded sections, not negated.
    fn affirmed<'a>(&self, sentences: &[Sentence<'a>], pattern: &Regex) -> Vec<Sentence<'a>> {
        self.mentions(sentences, &[], pattern, true, MatchRules::default())
    }

    /// The sentences where `pattern` is affirmed. Facts of the case (`negatable`) are not
    /// affirmed by negation, advice, a definition or a catalogue of harms (`catalogue[i]`
    /// for sentence `i`; none when empty).
    fn mentions<'a>(
        &self,
        sentences: &[Sentence<'a>],
        catalogue: &[bool],
        pattern: &Regex,
        negatable: bool,
        rules: MatchRules<'_>,
    ) -> Vec<Sentence<'a>> {
        sentences
            .iter()
            .filter(|s| !s.excluded)
            .filter(|s| {
                let listed = catalogue.get(s.index).copied().unwrap_or(false);
                !negatable || !(listed || self.taxonomy.not_a_fact.is_match(s.text))
            })
            .filter(|s| {
                // A glossary line defines its term, whatever else it names: "Child sexual
                // exploitation (CSE): a form of …".
                let defines = |m: regex::Match<'_>| is_definition(s.text, m.start(), m.end());
                if negatable && pattern.find(s.text).is_some_and(defines) {
                    return false;
                }
                pattern
                    .find_iter(s.text)
                    .any(|m| rules.allows(s, m) && self.affirmed_match(s.text, m, negatable))
            })
            .copied()
            .collect()
    }

    /// Is the match `m` in `text` affirmed: not after "non-", and, for facts of the case
    /// (`negatable`: not practice themes), not negated in its clause?
    fn affirmed_match(&self, text: &str, m: regex::Match<'_>, negatable: bool) -> bool {
        !is_negated_prefix(&text[..m.start()])
            && (!negatable || !self.negated(text, m.start(), m.end()))
    }

    /// Does the sentence list many harms and risks, as terms of reference and national
    /// priorities do? A catalogue has at least [`CATALOGUE_VALUES`] short items (split at
    /// colons, semicolons, commas and bullets) that each name a theme or risk factor (match one
    /// of its phrases, read by the value's own matcher: their union outgrows the regex engine's
    /// size limit); a sentence that tells a case in long clauses is not one, however much it
    /// names.
    fn is_catalogue(&self, sentence: &str) -> bool {
        // "(including domestic abuse, parental substance misuse, …)": a bracket opens a list.
        if !sentence.contains([';', ':', ',', '•']) {
            return false;
        }
        sentence
            .split([';', ':', ',', '•', '(', ')'])
            .filter(|item| {
                let words = item.split_whitespace().count();
                (1..=CATALOGUE_ITEM_WORDS).contains(&words)
                    && self
                        .taxonomy
                        .themes
                        .iter()
                        .chain(&self.taxonomy.risks)
                        .filter_map(|v| v.pattern.as_ref())
                        .any(|r| r.is_match(item))
            })
            .take(CATALOGUE_VALUES)
            .count()
            >= CATALOGUE_VALUES
    }

    fn all_mentions<'a>(&self, sentences: &[Sentence<'a>], pattern: &Regex) -> Vec<Sentence<'a>> {
        sentences
            .iter()
            .filter(|s| pattern.is_match(s.text))
            .copied()
            .collect()
    }

    /// Is the mention at `start..end` negated or hypothetical within its clause?
    fn negated(&self, sentence: &str, start: usize, end: usize) -> bool {
        let before = &sentence[..start];
        // The clause: back to the last clause break, then at most `window` words.
        let clause_start = before
            .rfind([';', ':', '(', ')'])
            .map(|i| i + 1)
            .unwrap_or(0);
        let clause = &before[clause_start..];
        // A list after a colon takes the lead-in's negation or question: "whether the
        // following were features of the case: parental alcohol misuse, …".
        if clause_start > 0 && before.as_bytes()[clause_start - 1] == b':' {
            let lead_in = &before[..clause_start - 1];
            // Back to the lead-in's own start: a clause break or the end of a sentence that
            // the splitter left joined ("… was not understood. 7.6 Finding 6: …").
            let lead_in = &lead_in[lead_in
                .rfind([';', ':', '(', ')', '.', '?', '!'])
                .map_or(0, |i| i + 1)..];
            // The lead-in's cue may stand further back: "whether the following were
            // features of the case:".
            // "It did not weigh up his vulnerability: …" is the list's fact, not denied.
            let tail = last_words(lead_in, 2 * self.taxonomy.negation_window_words);
            if self.taxonomy.negation_before.is_match(&tail)
                && !self.taxonomy.negation_factive.is_match(&tail)
            {
                return true;
            }
        }
        let clause = after_concession(clause);
        // Cues such as "no indication that" reach to the end of their clause, unless "but"
        // or "however" turns it.
        if self.taxonomy.negation_scope.is_match(after_turn(clause)) {
            return true;
        }
        // A phrase that carries its own "no" ("no friends", "no access visits") is not
        // undone by the "no" of the item before it: "no money, no car and no friends".
        let self_negating = NEGATOR_OPENING.is_match(&sentence[start..end]);
        let window = last_words(clause, self.taxonomy.negation_window_words);
        let window = after_turn(&window);
        if !self_negating
            && self.taxonomy.negation_before.is_match(window)
            && !self.taxonomy.negation_factive.is_match(window)
        {
            return true;
        }
        let after = &sentence[end..];
        let clause_end = after.find([';', '.', '(']).unwrap_or(after.len());
        self.taxonomy.negation_after.is_match(&after[..clause_end])
    }

    fn evidence(&self, facet: &str, value: &str, hits: &[Sentence<'_>]) -> Evidence {
        Evidence {
            facet: facet.to_string(),
            value: value.to_string(),
            passages: hits
                .iter()
                .take(self.taxonomy.evidence_passages)
                .map(|s| EvidencePassage {
                    page: s.page,
                    text: clip(s.text),
                })
                .collect(),
        }
    }

    /// Mentions of each nation's institutions and laws, over the whole text (title page and
    /// headings included); its own safeguarding bodies and guidance (`strong-phrases`) count
    /// `NATION_STRONG_WEIGHT` times.
    fn nation_scores(&self, doc: &Extracted) -> BTreeMap<String, usize> {
        let count = |p: Option<&Regex>| -> usize {
            p.map(|p| {
                doc.pages
                    .iter()
                    .map(|page| p.find_iter(&page.text).count())
                    .sum()
            })
            .unwrap_or(0)
        };
        self.taxonomy
            .nations
            .iter()
            .map(|n| {
                // `pattern` holds the strong phrases too: they have counted once already.
                let score = count(n.pattern.as_ref())
                    + (NATION_STRONG_WEIGHT - 1) * count(n.strong.as_ref());
                (n.key.clone(), score)
            })
            .collect()
    }

    /// The review type: named in the head (earliest wins), else the most named in the text,
    /// else an acronym resolved by nation.
    fn review_type(
        &self,
        head: &str,
        sentences: &[Sentence<'_>],
        nations: &BTreeMap<String, usize>,
    ) -> (Option<String>, Option<EvidencePassage>) {
        let in_head = self
            .taxonomy
            .types
            .iter()
            .filter_map(|t| t.pattern.find(head).map(|m| (m.start(), t)))
            .min_by_key(|(start, _)| *start);
        let chosen = in_head.map(|(_, t)| t).or_else(|| {
            self.taxonomy
                .types
                .iter()
                .map(|t| {
                    let n: usize = sentences
                        .iter()
                        .map(|s| t.pattern.find_iter(s.text).count())
                        .sum();
                    (n, t)
                })
                .filter(|(n, _)| *n > 0)
                .max_by_key(|(n, _)| *n)
                .map(|(_, t)| t)
        });
        let chosen = chosen.or_else(|| {
            // Acronyms alone collide (SCR is Scottish "Significant" or English "Serious"):
            // take the type whose nations the text's institutions point to.
            let best_nation = nations.iter().max_by_key(|(_, n)| **n)?.0;
            self.taxonomy.types.iter().find(|t| {
                t.nations.contains(best_nation)
                    && t.acronyms.as_ref().is_some_and(|a| {
                        sentences.iter().any(|s| a.is_match(s.text)) || a.is_match(head)
                    })
            })
        });
        let Some(t) = chosen else {
            return (None, None);
        };
        let evidence = head
            .lines()
            .find(|l| t.pattern.is_match(l))
            .map(|l| EvidencePassage {
                page: Some(1),
                text: clip(l.trim()),
            })
            .or_else(|| {
                sentences
                    .iter()
                    .find(|s| t.pattern.is_match(s.text))
                    .map(|s| EvidencePassage {
                        page: s.page,
                        text: clip(s.text),
                    })
            });
        (Some(t.key.clone()), evidence)
    }

    /// The nation: the only one that published the review type in its year, else the one
    /// whose institutions and laws the text names most among those that did.
    fn nation(
        &self,
        review_type: Option<&str>,
        year: Option<u16>,
        scores: &BTreeMap<String, usize>,
    ) -> Option<(String, usize)> {
        // A Serious Case Review of 2015 is English: Wales had Child Practice Reviews by then.
        let allowed: Option<Vec<String>> = review_type
            .and_then(|k| self.taxonomy.types.iter().find(|t| t.key == k))
            .map(|t| t.nations_in(year).cloned().collect());
        if let Some(allowed) = &allowed
            && allowed.len() == 1
        {
            return Some((
                allowed[0].clone(),
                scores.get(&allowed[0]).copied().unwrap_or(0),
            ));
        }
        scores
            .iter()
            .filter(|(k, n)| **n > 0 && allowed.as_ref().is_none_or(|a| a.contains(k)))
            .max_by_key(|(_, n)| **n)
            .map(|(k, n)| (k.clone(), *n))
    }

    /// Death when the head says so or the text says so repeatedly; effective practice when the
    /// head frames the review that way; else serious harm where harm is described.
    fn outcome<'a>(
        &self,
        head: &str,
        sentences: &[Sentence<'a>],
        subject: &Regex,
        dhr: bool,
    ) -> Option<(String, Vec<Sentence<'a>>)> {
        let find = |key: &str| self.taxonomy.outcomes.iter().find(|o| o.key == key);
        let mut scored = Vec::new();
        for key in ["death", "effective-practice", "serious-harm"] {
            let Some(value) = find(key) else { continue };
            let Some(pattern) = &value.pattern else {
                continue;
            };
            // "The criteria are met where … the child has died, or has sustained …" is the
            // guidance, not this child.
            let vetoed = |text: &str| value.unless.as_ref().is_some_and(|u| u.is_match(text));
            let mut hits = self.affirmed(sentences, pattern);
            hits.retain(|s| !vetoed(s.text));
            // "The driver, a young man aged 19, was killed": a grown-up's death in the opening
            // is not the child's, unless the sentence names the child too, or the review is of
            // that grown-up's death (a domestic homicide review).
            let someone_elses = |sentence: &str| {
                key == "death"
                    && !dhr
                    && ADULT.is_match(sentence)
                    && !names_subject(subject, sentence)
            };
            let in_head = crate::extract::text::sentences(head)
                .into_iter()
                .any(|sentence| {
                    !vetoed(sentence)
                        && !someone_elses(sentence)
                        && pattern
                            .find_iter(sentence)
                            .any(|m| !self.negated(sentence, m.start(), m.end()))
                });
            scored.push((key, in_head, hits));
        }
        let pick = |key: &str, head_needed: bool, min: usize| {
            scored
                .iter()
                .find(|(k, in_head, hits)| {
                    *k == key && (*in_head || !head_needed) && hits.len() >= min
                })
                .map(|(k, _, hits)| (k.to_string(), hits.clone()))
        };
        // Deaths told only in the body must include the child's: a grandmother who "died
        // suddenly" three times over is not the outcome of the review.
        // "Child HD's maternal grandmother … died" names the child as someone's relation.
        let childs_death = scored.iter().any(|(k, _, hits)| {
            *k == "death" && hits.iter().any(|s| names_subject(subject, s.text))
        });
        pick("death", true, 1)
            .or_else(|| pick("death", false, 3).filter(|_| childs_death))
            .or_else(|| pick("serious-harm", true, 1))
            .or_else(|| pick("effective-practice", true, 2))
            .or_else(|| pick("serious-harm", false, 1))
            .or_else(|| pick("effective-practice", false, 3))
            // Reviews are held where a child died or was seriously harmed; without a death or
            // a good-practice framing, the review is about serious harm.
            .or_else(|| Some(("serious-harm".to_string(), Vec::new())))
    }
}

/// Does the text name a child by a pseudonym that is not the subject's?
fn names_another_child(subject: &Regex, text: &str) -> bool {
    CHILD_PSEUDONYM
        .find_iter(text)
        .any(|m| !subject.is_match(m.as_str()))
}

/// Does `text` name the subject child, not as someone's relation ("CS's mother") nor as a
/// grown-up who shares the letters ("Ms NU" in the review of Baby NU)?
fn names_subject(subject: &Regex, text: &str) -> bool {
    subject
        .find_iter(text)
        .any(|m| !age::is_possessive(text, m) && !age::is_titled(text, m))
}

/// The first part of the text: the title page and the opening.
fn head_text(doc: &Extracted) -> String {
    let mut head = String::new();
    for page in &doc.pages {
        head.push_str(&page.text);
        head.push('\n');
        if head.len() >= HEAD_BYTES {
            break;
        }
    }
    let mut cut = head.len().min(HEAD_BYTES);
    while !head.is_char_boundary(cut) {
        cut -= 1;
    }
    head.truncate(cut);
    head
}

/// The last `n` words of `text`, single-spaced.
fn last_words(text: &str, n: usize) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    words[words.len().saturating_sub(n)..].join(" ")
}

/// What follows the last "but", "however", "although" or "and": these turn a negation
/// ("no X but Y").
fn after_turn(text: &str) -> &str {
    let lower = text.to_ascii_lowercase();
    let cut = [
        " but ",
        " however ",
        " although ",
        " and ",
        " when ",
        " because ",
        " who ",
        " which ",
        " where ",
        " while ",
    ]
    .iter()
    .filter_map(|w| lower.rfind(w).map(|i| i + w.len()))
    .max()
    .unwrap_or(0);
    // ASCII lowercasing keeps byte offsets, so `cut` is a boundary of `text` too.
    &text[cut..]
}

/// The main clause after a fronted concession: in "Although the injuries were not inflicted,
/// they were the result of neglect" the "not" is the concession's own.
fn after_concession(clause: &str) -> &str {
    let trimmed = clause.trim_start();
    let lower = trimmed.to_ascii_lowercase();
    let fronted = [
        "although ",
        "though ",
        "even though ",
        "while ",
        "whilst ",
        "whereas ",
    ]
    .iter()
    .any(|w| lower.starts_with(w));
    match trimmed.find(',') {
        Some(comma) if fronted => &trimmed[comma + 1..],
        _ => clause,
    }
}

/// In how many passages the sentences stand; a single paragraph that affirms the value in
/// two sentences of its own counts as two, as a short review tells a fact and goes on about
/// it in one paragraph ("They had fallen into rent arrears. The family used a food bank.").
fn distinct_passages(hits: &[Sentence<'_>]) -> u32 {
    let passages: std::collections::BTreeSet<usize> = hits.iter().map(|s| s.passage).collect();
    let n = u32::try_from(passages.len()).unwrap_or(u32::MAX);
    if n == 1 && hits.len() >= 2 { 2 } else { n }
}

/// Names that stand for the subject child: the pseudonyms on the title page, else generic ones.
fn subject_pattern(head: &str) -> Regex {
    // The title names the subject first; later names in the head with other letters are
    // other children ("Child Y, a boy aged seven, … by Young Person CO"). "Child AY1" and
    // "Child AY2", or "Plentyn B" for "Child B", are the same family of names.
    let letters = |name: &str| {
        name.split_whitespace()
            .last()
            .unwrap_or("")
            .trim_end_matches(|c: char| c.is_ascii_digit())
            .to_string()
    };
    let candidates: Vec<&str> = SUBJECT
        .find_iter(head)
        .map(|m| m.as_str())
        .filter(|n| !n.starts_with("Adult") && !n.starts_with("Sibling"))
        .collect();
    let first = candidates.first().map(|n| letters(n));
    let subjects: Vec<&str> = candidates
        .into_iter()
        .filter(|n| first.as_deref() == Some(letters(n).as_str()))
        .take(3)
        .collect();
    let mut names: Vec<String> = subjects.iter().map(|n| regex::escape(n)).collect();
    names.dedup();
    // Once named, "Young Person M" is mostly "M": the bare letters count too, but not the
    // letters that are also words ("A", "I"), nor those an adult shares ("Adult XQ, a man
    // aged 42" in the review of Child XQ).
    let adults: Vec<String> = SUBJECT
        .find_iter(head)
        .map(|m| m.as_str())
        .filter(|n| n.starts_with("Adult"))
        .map(letters)
        .collect();
    let initials: Vec<String> = subjects
        .iter()
        .filter_map(|m| m.split_whitespace().last().map(str::to_string))
        .filter(|l| l != "A" && l != "I" && !adults.contains(l))
        .collect();
    for l in initials {
        let l = regex::escape(&l);
        if !names.contains(&l) {
            names.push(l);
        }
    }
    // A review of an unborn child names it so.
    names.push(r"(?i:unborn (?:child|baby|son|daughter))".into());
    if names.len() == 1 {
        names.push(r"(?i:the (?:baby|child|young person|infant))".into());
    } else {
        // Reviews also write "the baby" or "the child" once the pseudonym is established.
        names.push(r"(?i:the (?:baby|infant))".into());
    }
    Regex::new(&format!(r"\b(?:{})\b", names.join("|"))).expect("escaped names form a valid regex")
}

fn publication_year(head: &str, doc: &Extracted) -> Option<(u16, String)> {
    let line_of = |text: &str, at: usize| {
        let start = text[..at].rfind('\n').map(|i| i + 1).unwrap_or(0);
        let end = text[at..].find('\n').map(|i| at + i).unwrap_or(text.len());
        clip(text[start..end].trim())
    };
    if let Some(c) = PUBLISHED.captures(head) {
        let m = c.get(1).expect("group 1");
        return Some((m.as_str().parse().ok()?, line_of(head, m.start())));
    }
    // Without a label on the same line (a cover table read column by column puts "Date of
    // publication" above its dates), the latest month on the title page: the incident and
    // the review meetings come before publication.
    if let Some(m) = MONTH_YEAR
        .captures_iter(head)
        .filter_map(|c| c.get(1))
        .max_by_key(|m| {
            (
                m.as_str().parse::<u16>().unwrap_or(0),
                std::cmp::Reverse(m.start()),
            )
        })
    {
        return Some((m.as_str().parse().ok()?, line_of(head, m.start())));
    }
    // No date on the title page: a review is published after the events it describes.
    let this_year = time::OffsetDateTime::now_utc().year();
    let mut best: Option<(u16, String)> = None;
    for passage in &doc.passages {
        for m in YEAR.find_iter(&passage.text) {
            let Ok(y) = m.as_str().parse::<u16>() else {
                continue;
            };
            if i32::from(y) <= this_year && best.as_ref().is_none_or(|(b, _)| y > *b) {
                best = Some((y, line_of(&passage.text, m.start())));
            }
        }
    }
    best
}

fn title(
    head: &str,
    subject: &Regex,
    doc: &Extracted,
    file_name: &str,
    taxonomy: &Taxonomy,
) -> String {
    let type_name = taxonomy
        .types
        .iter()
        .filter_map(|t| t.pattern.find(head))
        .min_by_key(|m| m.start())
        .map(|m| title_case(m.as_str()));
    let child = SUBJECT
        .find(head)
        .map(|m| m.as_str().to_string())
        .filter(|_| subject.is_match(head));
    match (type_name, child) {
        (Some(t), Some(c)) => return format!("{t}: {c}"),
        (Some(t), None) => {
            if let Some(line) = first_line(head) {
                if line.to_lowercase().contains(&t.to_lowercase()) {
                    return line;
                }
                return format!("{t}: {line}");
            }
            return t;
        }
        _ => {}
    }
    if let Some(line) = first_line(head) {
        return line;
    }
    if let Some(t) = doc
        .metadata
        .get("Title")
        .or_else(|| doc.metadata.get("title"))
        && !t.trim().is_empty()
    {
        return t.trim().to_string();
    }
    file_name
        .rsplit_once('.')
        .map(|(stem, _)| stem)
        .unwrap_or(file_name)
        .to_string()
}

fn first_line(head: &str) -> Option<String> {
    head.lines()
        .map(str::trim)
        .find(|l| l.chars().filter(|c| c.is_alphabetic()).count() >= 4 && l.len() <= 140)
        .map(str::to_string)
}

fn title_case(s: &str) -> String {
    s.split_whitespace()
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().collect::<String>() + &c.as_str().to_lowercase(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn clip(text: &str) -> String {
    const MAX: usize = 400;
    if text.len() <= MAX {
        return text.to_string();
    }
    let mut cut = MAX;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}…", &text[..cut])
}

fn round2(x: f32) -> f32 {
    (x * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Format, Page};

    fn doc(pages: &[&str]) -> Extracted {
        let pages: Vec<Page> = pages
            .iter()
            .enumerate()
            .map(|(i, t)| Page {
                number: i as u32 + 1,
                text: t.to_string(),
            })
            .collect();
        let clean = crate::extract::text::structure_pages(&pages);
        Extracted {
            format: Format::Pdf,
            pages,
            sections: clean.sections,
            passages: clean.passages,
            metadata: Default::default(),
            languages: vec!["en".into()],
            warnings: vec![],
            page_count: None,
        }
    }

    fn classify(pages: &[&str]) -> Classified {
        Classifier::new(Taxonomy::builtin()).classify(&doc(pages), "x.pdf")
    }

    #[test]
    fn a_negated_risk_is_not_assigned() {
        let c = classify(&[
            "Serious Case Review: Child A\n\nPublished: May 2015\n\nThe family lived in England.",
            "Analysis\n\nThere was no evidence of domestic abuse in the household. Police had no \
             record of domestic abuse.\n\nMother's use of heroin was known to the GP.",
            "Chronology\n\nThe family moved twice in the year before the incident. The health \
             visitor saw Child A at home and recorded good attachment. The nursery reported that \
             Child A was often tired and hungry. The social worker visited in March and again in \
             June. The nursery raised concerns about attendance.\n\n\
             Later that year Mother's heroin use increased.",
        ]);
        assert!(
            !c.facets
                .risk_factors
                .contains(&"domestic-abuse".to_string())
        );
        assert!(
            c.facets
                .risk_factors
                .contains(&"parental-drug-misuse".to_string())
        );
        let ev = c
            .evidence
            .iter()
            .find(|e| e.value == "parental-drug-misuse")
            .unwrap();
        assert_eq!(ev.passages[0].page, Some(2));
    }

    #[test]
    fn mentions_in_the_glossary_do_not_count() {
        let c = classify(&[
            "Serious Case Review: Child A\n\nPublished: 2015",
            "Glossary\n\nCSE: child sexual exploitation. Child sexual exploitation is a form of abuse.",
        ]);
        assert!(c.facets.themes.is_empty(), "{:?}", c.facets.themes);
    }

    #[test]
    fn scr_is_told_apart_by_nation() {
        let scot = classify(&[
            "Significant Case Review\n\nChild B\n\nEastburn Child Protection Committee\n\nMarch 2016",
        ]);
        assert_eq!(scot.facets.review_type.as_deref(), Some("scr"));
        assert_eq!(scot.facets.nation.as_deref(), Some("scotland"));
        assert_eq!(scot.facets.year, Some(2016));
        assert_eq!(scot.title, "Significant Case Review: Child B");
        let eng = classify(&[
            "Serious Case Review\n\nBaby E\n\nWestvale Local Safeguarding Children Board\n\nWorking Together to Safeguard Children",
        ]);
        assert_eq!(
            eng.facets.review_type.as_deref(),
            Some("serious-case-review")
        );
        assert_eq!(eng.facets.nation.as_deref(), Some("england"));
        // Named by no institution, a Serious Case Review of 2015 can only be English; one of
        // 2010 could be Welsh or English, and the text must say which.
        let late = classify(&["Serious Case Review\n\nChild F\n\nDate of publication: June 2015"]);
        assert_eq!(late.facets.nation.as_deref(), Some("england"));
        let early = classify(&["Serious Case Review\n\nChild F\n\nDate of publication: June 2010"]);
        assert_eq!(early.facets.nation, None);
    }

    #[test]
    fn a_nations_own_guidance_outweighs_services_over_the_border() {
        // A Welsh Serious Case Review of 2012 whose child was treated in England: the services
        // "in England" are named more often than Wales, but the review follows the Welsh
        // Assembly Government's guidance and the All Wales procedures.
        let c = classify(&[
            "Serious Case Review\n\nChild OD\n\nPublished: March 2012\n\nThe review was \
             conducted in line with the Welsh Assembly Government guidance.",
            "Child OD's care was split between a cancer centre in England and the local Health \
             Board. The NHS Trust in England and the hospice in England did not share the \
             plan. Staff in England did not know the escalation procedure. The All Wales Child \
             Protection Procedures say that missed treatment may be neglect. A nurse in England \
             raised no concern.",
        ]);
        assert_eq!(c.facets.nation.as_deref(), Some("wales"));
        // England had Area Child Protection Committees too: one is no Scottish body.
        let c = classify(&[
            "Serious Case Review\n\nChild F\n\nPublished: 2005\n\nWestvale Area Child \
             Protection Committee",
            "The Area Child Protection Committee commissioned the review under Working Together \
             to Safeguard Children. The Area Child Protection Committee accepted it.",
        ]);
        assert_eq!(c.facets.nation.as_deref(), Some("england"));
    }

    #[test]
    fn child_protection_register_is_not_a_child_practice_review() {
        let c = classify(&[
            "Serious Case Review: Child P\n\nWales\n\nChild P was placed on the child protection register (CPR) in 2009.",
        ]);
        assert_eq!(c.facets.review_type.as_deref(), Some("serious-case-review"));
    }

    #[test]
    fn the_homicide_of_a_domestic_homicide_review_is_the_adults() {
        let c = classify(&[
            "Domestic Homicide Review: Child A\n\nPublished: 2020",
            "Family\n\nThe household at the time of the homicide was Adult A1 (41), her son \
             (19) and Child A (7).",
            "Learning\n\nSince the homicide, Child A has told his father about many more \
             incidents than agencies knew of.",
        ]);
        assert!(!has(&c, "theme", "homicide"), "{:?}", c.facets.themes);
        let killed = classify(&[
            "Domestic Homicide Review: Child A\n\nPublished: 2020",
            "Introduction\n\nAdult A1 and Child A were killed by her former partner.",
            "Findings\n\nChild A was killed in the same attack.",
        ]);
        assert!(
            has(&killed, "theme", "homicide"),
            "{:?}",
            killed.facets.themes
        );
    }

    #[test]
    fn holding_or_selling_drugs_for_others_is_criminal_exploitation_unless_ruled_out() {
        let c = classify(&[
            "Case Management Review: Young Person A\n\nPublished: 2020",
            "Key episodes\n\nYoung Person A was caught holding cash and drugs for someone else.",
            "Analysis\n\nBy then he had been drawn into selling drugs for older men.",
        ]);
        assert!(
            has(&c, "theme", "child-criminal-exploitation"),
            "{:?}",
            c.facets.themes
        );
        let ruled_out = classify(&[
            "Case Management Review: Young Person A\n\nPublished: 2020",
            "Key episodes\n\nThere was no information from any agency to suggest that he was \
             holding, transporting or selling drugs for others.",
            "Analysis\n\nThere was nothing to suggest that he was holding drugs for older boys.",
        ]);
        assert!(
            !has(&ruled_out, "theme", "child-criminal-exploitation"),
            "{:?}",
            ruled_out.facets.themes
        );
    }

    #[test]
    fn harm_not_recognised_as_such_is_still_that_harm() {
        let c = classify(&[
            "Child Practice Review: Young Person A\n\nPublished: 2019",
            "Key episodes\n\nYoung Person A told a teacher that his father belittled him and \
             called him names because he was gay.",
            "Findings\n\nHomophobic abuse within the family was not recognised as emotional abuse \
             by the professionals who heard about it.",
        ]);
        assert!(has(&c, "theme", "emotional-abuse"), "{:?}", c.facets.themes);
    }

    #[test]
    fn a_young_childs_sexualised_behaviour_is_a_sign_of_abuse_not_harmful_behaviour() {
        let c = classify(&[
            "Significant Case Review: Child A\n\nPublished: 2012\n\nChild A was 8 years old.",
            "Introduction\n\nChild A described sexual abuse by a man her mother had let \
             babysit.",
            "Analysis\n\nChild A's sexualised behaviour at school was the clearest sign of what \
             was happening to her.",
            "Findings\n\nSchools need guidance on sexualised behaviour in young children.",
        ]);
        assert!(has(&c, "theme", "sexual-abuse"), "{:?}", c.facets.themes);
        assert!(
            !has(&c, "theme", "harmful-sexual-behaviour"),
            "{:?}",
            c.facets.themes
        );
    }

    #[test]
    fn a_harm_told_of_another_child_by_pseudonym_is_that_childs() {
        let c = classify(&[
            "Significant Case Review: Child A\n\nPublished: 2018",
            "Analysis\n\nYoung Person S had suffered neglect before he came to his grandmother.",
            "Findings\n\nYoung Person S was also a child with unmet needs.",
        ]);
        assert!(!has(&c, "theme", "neglect"), "{:?}", c.facets.themes);
        // A sentence naming both children is still about the subject.
        let both = classify(&[
            "Significant Case Review: Child A\n\nPublished: 2018",
            "Analysis\n\nChild A and her brother, Child B, were neglected for years.",
            "Findings\n\nChild A suffered chronic neglect.",
        ]);
        assert!(has(&both, "theme", "neglect"), "{:?}", both.facets.themes);
    }

    #[test]
    fn an_attempt_on_ones_own_life_said_once_is_self_harm() {
        let c = classify(&[
            "Rapid Review: Young Person A\n\nPublished: 2023\n\nYoung Person A was 15.",
            "Introduction\n\nYoung Person A was found unresponsive in his room. He had tried to \
             take his own life.",
        ]);
        assert!(
            has(&c, "theme", "suicide-self-harm"),
            "{:?}",
            c.facets.themes
        );
        // A parent's thoughts of ending her life are hers.
        let parent = classify(&[
            "Case Management Review: Child A\n\nPublished: 2018\n\nChild A was 7.",
            "Key episodes\n\nMs J told her GP she had had thoughts of ending her life.",
            "Analysis\n\nNo one asked what Ms J's thoughts of ending her life meant for the child.",
        ]);
        assert!(
            !has(&parent, "theme", "suicide-self-harm"),
            "{:?}",
            parent.facets.themes
        );
        // "The overdose", for a teenager, is the one the review is about.
        let teen = classify(&[
            "Learning Review: Young Person A\n\nPublished: 2022\n\nYoung Person A was 14.",
            "Introduction\n\nYoung Person A took a large overdose of his mother's medication.",
            "Findings\n\nThe response after the overdose was strong.",
        ]);
        assert!(
            has(&teen, "theme", "suicide-self-harm"),
            "{:?}",
            teen.facets.themes
        );
    }

    #[test]
    fn a_parents_death_is_not_the_childs_outcome() {
        let c = classify(&[
            "Local Child Safeguarding Practice Review: Child A\n\nPublished: March 2022",
            "1. Why this review was carried out\n\nPolice found Child A's mother dead in the \
             living room. Child A was alone in the bedroom, dehydrated and hungry, and was \
             admitted to hospital. The coroner found that her mother died of complications of \
             chronic alcohol use.",
            "2. Findings\n\nChild A had suffered serious harm through neglect.",
        ]);
        assert_eq!(c.facets.outcome.as_deref(), Some("serious-harm"));
        let father = classify(&[
            "Learning Review: Child A\n\nPublished: 2021",
            "1. Introduction\n\nIn November 2020 Child A was found alone in the flat with \
             Father, who had died, and was admitted to hospital. Post-mortem findings showed \
             that Father died of a haemorrhage.",
            "2. Findings\n\nChild A had suffered serious harm through neglect.",
        ]);
        assert_eq!(father.facets.outcome.as_deref(), Some("serious-harm"));
    }

    #[test]
    fn youth_violence_is_among_young_people() {
        let baby = classify(&[
            "Domestic Homicide Review: Baby A\n\nPublished: 2019\n\nBaby A was ten months old.",
            "Introduction\n\nBaby A was in the flat when the fatal stab wound was inflicted.",
            "Analysis\n\nThe stabbing followed years of abuse.",
        ]);
        assert!(
            !has(&baby, "theme", "serious-youth-violence"),
            "{:?}",
            baby.facets.themes
        );
        let teen = classify(&[
            "Child Practice Review: Young Person A\n\nPublished: 2019\n\nYoung Person A was 16.",
            "Introduction\n\nYoung Person A was assaulted by a group of other young people in \
             a park close to her home.",
            "Findings\n\nThe group assault had been threatened online for months.",
        ]);
        assert!(
            has(&teen, "theme", "serious-youth-violence"),
            "{:?}",
            teen.facets.themes
        );
        assert!(
            !has(&teen, "theme", "physical-abuse"),
            "{:?}",
            teen.facets.themes
        );
    }

    #[test]
    fn a_volatile_substance_death_is_drug_related_and_a_survival_is_not_a_death() {
        let died = classify(&[
            "Case Management Review: Child A\n\nPublished: 2013\n\nChild A was 15.",
            "Introduction\n\nChild A died in a derelict house. The post-mortem found a cardiac \
             arrhythmia associated with inhaling butane.",
            "Findings\n\nThree agencies held information that Child A might be using volatile \
             substances.",
        ]);
        assert!(
            has(&died, "theme", "drug-related-death"),
            "{:?}",
            died.facets.themes
        );
        let survived = classify(&[
            "Case Management Review: Child A\n\nPublished: 2013\n\nChild A was 15.",
            "Introduction\n\nChild A was admitted to intensive care after inhaling butane.",
            "Findings\n\nThree agencies held information that Child A might be using volatile \
             substances.",
        ]);
        assert!(
            !has(&survived, "theme", "drug-related-death"),
            "{:?}",
            survived.facets.themes
        );
    }

    #[test]
    fn a_question_to_consider_whether_reaches_its_examples() {
        let c = classify(&[
            "Local Child Safeguarding Practice Review: Young Person A\n\nPublished: 2022",
            "A note on national themes\n\nThe terms of reference asked the review to consider \
             whether Young Person A was also being criminally exploited, for example through \
             county lines. There was no evidence that she was asked to carry drugs.",
        ]);
        assert!(
            !has(&c, "theme", "child-criminal-exploitation"),
            "{:?}",
            c.facets.themes
        );
    }

    #[test]
    fn a_value_stated_outright_is_not_yielded_to_another() {
        let c = classify(&[
            "Local Child Safeguarding Practice Review: Child A\n\nPublished: 2025",
            "Introduction\n\nThe Rapid Review concluded that Child A had been criminally \
             exploited and trafficked for the purpose of drug supply.",
            "Findings\n\nChild A was trafficked to another town and held in a flat.",
        ]);
        assert!(
            has(&c, "theme", "child-criminal-exploitation"),
            "{:?}",
            c.facets.themes
        );
        assert!(
            has(&c, "theme", "trafficking-modern-slavery"),
            "{:?}",
            c.facets.themes
        );
    }

    #[test]
    fn a_child_in_the_house_at_a_domestic_homicide_lived_through_it() {
        let dhr = classify(&[
            "Domestic Homicide Review: Child A\n\nPublished: 2015",
            "Introduction\n\nAdult R was shot by her husband. Their daughter, Child A, who was \
             three years old, was in the house at the time.",
        ]);
        assert!(
            has(&dhr, "theme", "emotional-abuse"),
            "{:?}",
            dhr.facets.themes
        );
        // Elsewhere one passage is not enough.
        let cmr = classify(&[
            "Case Management Review: Child A\n\nPublished: 2015",
            "Introduction\n\nChild A was in the house at the time of the fire.",
        ]);
        assert!(
            !has(&cmr, "theme", "emotional-abuse"),
            "{:?}",
            cmr.facets.themes
        );
    }

    #[test]
    fn a_registration_at_a_younger_age_is_a_previous_concern() {
        let c = classify(&[
            "Learning Review: Child A\n\nPublished: 2023",
            "1. Introduction\n\nIn November 2022 Child A, then aged eight, told a pupil support \
             assistant at school what had happened.",
            "4. Family\n\nChild A was on the child protection register at the age of three \
             (2018), under the category of parental alcohol misuse.",
        ]);
        assert!(
            has(&c, "risk", "previous-cp-concerns"),
            "{:?}",
            c.facets.risk_factors
        );
    }

    #[test]
    fn a_value_denied_in_a_sentence_does_not_explain_it() {
        let c = classify(&[
            "Child Practice Review: Child A\n\nPublished: 2014",
            "Introduction\n\nThe criteria were met, since Child A had suffered serious harm as a \
             result of neglect and he was not a child on the child protection register.",
            "Background\n\nChild A had previously been subject to a child protection plan in \
             England.",
            "Findings\n\nThe previous child protection plan was not known in Wales.",
        ]);
        assert!(has(&c, "risk", "previous-cp-concerns"), "{:?}", c.facets);
        assert!(has(&c, "theme", "neglect"), "{:?}", c.facets);
    }

    #[test]
    fn a_registration_when_the_child_was_then_younger_is_a_previous_concern() {
        let c = classify(&[
            "Case Management Review: Child A\n\nPublished: 2014",
            "1. Introduction\n\nChild A, aged six, was sexually abused in foster care in 2013.",
            "4. Family\n\nChild A and his brother were on the Child Protection Register under \
             the category of neglect, and were received into care after Child A, then four, was \
             found alone in the house.",
        ]);
        assert!(
            has(&c, "risk", "previous-cp-concerns"),
            "{:?}",
            c.facets.risk_factors
        );
    }

    #[test]
    fn a_number_after_then_is_an_age_only_set_aside_in_commas() {
        let c = classify(&[
            "Case Management Review: Child A\n\nPublished: 2022",
            "1. Introduction\n\nChild A, aged eight, was injured in 2021.",
            "4. Family\n\nA child protection conference was held in March 2021, then two weeks \
             later Child A was placed on the child protection register.",
        ]);
        assert!(
            !has(&c, "risk", "previous-cp-concerns"),
            "{:?}",
            c.facets.risk_factors
        );
    }

    #[test]
    fn a_registration_before_the_period_considered_is_a_previous_concern() {
        let c = classify(&[
            "Case Management Review: Young Person A\n\nPublished: 2010",
            "Terms of reference\n\nThe review was asked to consider the period from September \
             2005, when the Care Order was made, to his death.",
            "Family\n\nBetween 2003 and 2005 Young Person A and his sister were on the Child \
             Protection Register under the category of neglect.",
        ]);
        assert!(
            has(&c, "risk", "previous-cp-concerns"),
            "{:?}",
            c.facets.risk_factors
        );
    }

    #[test]
    fn care_that_followed_the_harm_or_a_wish_for_it_is_not_a_looked_after_child() {
        let c = classify(&[
            "Serious Case Review: Child A\n\nPublished: 2013",
            "Introduction\n\nChild A is now looked after and living with foster carers who share \
             her language.",
            "Key episodes\n\nA Child Protection Order was granted and Child A was placed with \
             foster carers on discharge.",
            "Analysis\n\nChild A told his teacher he would rather be in a children's home. His \
             mother had short breaks at a residential unit.",
        ]);
        assert!(
            !has(&c, "risk", "looked-after-child"),
            "{:?}",
            c.facets.risk_factors
        );
        // Where the child is now, told as the review closes.
        let c = classify(&[
            "Local Child Safeguarding Practice Review: Young Person XJ\n\nPublished: 2024",
            "1.1 Police were called, and XJ was taken into police protection and then placed \
             with foster carers.",
            "3.2 XJ, now 15, met the reviewer with her foster carer present.",
            "7.1 Her foster carers report that she is now doing well at a new school.",
        ]);
        assert!(!has(&c, "risk", "looked-after-child"));
        // Each of the three is care after the harm on its own: not even a suggestion.
        assert!(
            !c.suggested.iter().any(|e| e.value == "looked-after-child"),
            "{:?}",
            c.suggested
        );
    }

    #[test]
    fn a_death_told_gently_once_is_a_homicide() {
        let c = classify(&[
            "Child Practice Review: Baby A\n\nPublished: 2024",
            "Introduction\n\nBaby A died in November 2022, aged nine weeks. Her mother was \
             acutely unwell with postpartum psychosis, and Baby A died as a result of actions \
             taken by her mother during that illness.",
        ]);
        assert!(has(&c, "theme", "homicide"), "{:?}", c.facets.themes);
        // A conviction for the child's murder, named by pseudonym, says it once too.
        let c = classify(&[
            "Serious Case Review: Child A\n\nPublished: 2012",
            "Introduction\n\nChild A died in hospital in March 2011, aged two. In 2012 the \
             mother's partner was convicted of Child A's murder.",
        ]);
        assert!(has(&c, "theme", "homicide"), "{:?}", c.facets.themes);
        // An attempt is not a killing.
        let c = classify(&[
            "Serious Case Review: Child A\n\nPublished: 2012",
            "Introduction\n\nChild A, aged two, survived. The partner was convicted of the \
             attempted murder of Child A's mother.",
        ]);
        assert!(!has(&c, "theme", "homicide"), "{:?}", c.facets.themes);
    }

    #[test]
    fn a_domestic_homicide_reviews_adult_injuries_are_not_the_childs_physical_abuse() {
        let c = classify(&[
            "Domestic Homicide Review: Adult A and Child B\n\nPublished: 2021",
            "Introduction\n\nAdult A attended the emergency department with bruising to his \
             arms. Child B, aged three, lived in the house.",
            "Findings\n\nAdult A had further bruises and a fracture of the wrist, which he said \
             came from a fall.",
        ]);
        assert!(!has(&c, "theme", "physical-abuse"), "{:?}", c.facets.themes);
    }

    #[test]
    fn an_older_childs_fractured_skull_is_not_abusive_head_trauma() {
        let head = |age: &str| {
            classify(&[
                "Significant Case Review: Young Person A\n\nPublished: 2017",
                &format!(
                    "Introduction\n\nYoung Person A, aged {age}, was found with a serious head \
                     injury. He had a fractured skull and a bleed on the brain."
                ),
            ])
        };
        let teen = head("16");
        assert!(
            !has(&teen, "theme", "non-accidental-head-injury"),
            "{:?}",
            teen.facets.themes
        );
        let baby = head("ten weeks");
        assert!(
            has(&baby, "theme", "non-accidental-head-injury"),
            "{:?}",
            baby.facets.themes
        );
    }

    #[test]
    fn a_baby_harmed_while_the_mother_was_pregnant_is_unborn_and_not_his_mothers_age() {
        let c = classify(&[
            "Significant Case Review: Baby NU\n\nPublished: 2011",
            "1. Introduction\n\nIn October 2010 Ms NU, then 31 weeks pregnant, was found by a \
             neighbour after a fall. Baby NU was born prematurely the same night.",
            "4. Family\n\nMs NU was 24 at the time of the incident.",
        ]);
        assert_eq!(
            c.facets.age_band.as_deref(),
            Some("unborn"),
            "{:?}",
            c.facets
        );
        // The mother sharing the baby's letters is still the mother.
        let c = classify(&[
            "Significant Case Review: Baby NU\n\nPublished: 2011",
            "1. Introduction\n\nBaby NU was admitted to hospital in 2010.",
            "4. Family\n\nMs NU was 24 at the time of the incident.",
        ]);
        assert_ne!(
            c.facets.age_band.as_deref(),
            Some("18-plus"),
            "{:?}",
            c.facets
        );
    }

    #[test]
    fn a_grown_up_who_shares_the_childs_letters_is_not_the_child() {
        // Ms NU's death, told in the body, is the mother's, not Baby NU's.
        let opening = format!(
            "Case Management Review: Baby NU\n\nPublished: 2018\n\n{}",
            "The review looked at how agencies worked together. ".repeat(60)
        );
        let c = classify(&[
            &opening,
            "Background\n\nMs NU died in hospital in August 2016.",
            "Findings\n\nAfter Ms NU died, no one reassessed the care at home.",
            "When Ms NU died, the grandmother took over.",
        ]);
        assert_eq!(
            c.facets.outcome.as_deref(),
            Some("serious-harm"),
            "{:?}",
            c.facets
        );
    }

    #[test]
    fn a_child_harmed_before_birth_is_unborn_though_the_review_tells_the_birth() {
        let c = classify(&[
            "Serious Case Review: Baby A\n\nDate of publication: 2008",
            "1. Introduction\n\nBaby A was born by emergency caesarean section at 33 weeks’ \
             gestation in October 2007, after his mother was found collapsed. He has since been \
             diagnosed with foetal alcohol syndrome. The harm he suffered occurred before he\nwas \
             born.",
        ]);
        assert_eq!(c.facets.age_band.as_deref(), Some("unborn"));
        let named = classify(&[
            "Significant Case Review: Baby A\n\nDecember 2010",
            "1. Introduction\n\nBaby A was born at 27 weeks’ gestation after a placental \
             abruption. The harm occurred before Baby A was born.",
        ]);
        assert_eq!(named.facets.age_band.as_deref(), Some("unborn"));
    }

    #[test]
    fn a_babys_review_does_not_take_a_siblings_age() {
        let c = classify(&[
            "Serious Case Review: Baby A\n\nDate of publication: September 2016",
            "Family\n\nMother lives 150 miles from her family. Her first child, a boy now aged 5, \
             lives with his grandmother.",
        ]);
        assert_eq!(c.facets.age_band, None);
    }

    #[test]
    fn a_pregnant_young_person_is_the_subject_not_her_unborn_baby() {
        let c = classify(&[
            "Local Child Safeguarding Practice Review: Young Person HW\n\nPublished December 2019\n\n\
             3. How well did planning for HW's unborn baby take account of HW's own needs?",
            "In February 2019, when she was 16 years and 9 months old and 27 weeks pregnant, \
             Young Person HW was seriously assaulted by her partner.",
        ]);
        assert_eq!(c.facets.age_band.as_deref(), Some("16-17"));
        let unborn = classify(&[
            "Child Safeguarding Practice Review: Baby R\n\nPublished 2022\n\nThe review concerns \
             an unborn baby. Her mother was 31 weeks pregnant when she was killed.",
        ]);
        assert_eq!(unborn.facets.age_band.as_deref(), Some("unborn"));
        // Information about "an unborn baby" in the terms of reference; the baby was born.
        let born = classify(&[
            "Serious Case Review: Baby MB\n\nPublished 2017\n\nHow well agencies shared \
             information about an unborn baby when no maternity service was involved.",
            "1.1 Baby MB was born at home in February 2016 without a midwife.",
        ]);
        assert_ne!(born.facets.age_band.as_deref(), Some("unborn"));
    }

    #[test]
    fn a_finding_about_the_harm_states_its_theme_once() {
        let c = classify(&[
            "Learning Review: Child HZ\n\nPublished 2025",
            "Child protection enquiries concluded that Child HZ had experienced neglect of their \
             medical and physical care.",
            "The family moved twice. The school raised concerns about attendance.",
        ]);
        assert_eq!(c.facets.themes, ["neglect"]);
        // Named once in passing, or in a conclusion about something else, a theme is not a
        // finding about the child.
        for passing in [
            "The health visitor had worked with families where neglect was a concern.",
            "The audit concluded that neglect training was patchy.",
            "Neglect was raised at the strategy meeting, which concluded that Child HZ should \
             stay at home.",
        ] {
            let c = classify(&[
                "Learning Review: Child HZ\n\nPublished 2025",
                passing,
                "The family moved twice.",
            ]);
            assert!(
                c.facets.themes.is_empty(),
                "{passing}: {:?}",
                c.facets.themes
            );
        }
    }

    #[test]
    fn violence_told_of_the_child_by_name_is_done_to_the_child() {
        let review = |first: &str, second: &str| {
            classify(&[
                "Local Child Safeguarding Practice Review: Young Person HW\n\nPublished 2019",
                first,
                second,
            ])
        };
        let c = review(
            "In February 2019 Young Person HW was seriously assaulted by her partner.",
            "After HW was assaulted, a strategy discussion was held the next day.",
        );
        assert!(has(&c, "theme", "physical-abuse"), "{:?}", c.facets);
        // A parent beaten is domestic abuse, and HW's mother is not HW.
        let c = review(
            "In February 2019 HW's mother was seriously assaulted by her partner.",
            "Mother had been punched and kicked in front of the neighbours.",
        );
        assert!(!has(&c, "theme", "physical-abuse"), "{:?}", c.facets);
        // Violence on the street is serious youth violence, not abuse by a carer.
        let c = review(
            "Young Person HW was assaulted in the street by a group of youths. Serious youth \
             violence in the town had risen.",
            "HW was beaten and robbed. The knife crime and serious youth violence strategy \
             applied.",
        );
        assert!(has(&c, "theme", "serious-youth-violence"), "{:?}", c.facets);
        assert!(!has(&c, "theme", "physical-abuse"), "{:?}", c.facets);
    }

    #[test]
    fn safe_sleep_advice_in_a_review_of_an_injury_is_not_a_sudden_death() {
        let review = |what: &str| {
            classify(&[
                "Local Child Safeguarding Practice Review: Baby IV\n\nPublished 2023",
                what,
                "Safe sleep advice was given and recorded at the new birth visit.",
                "The health visitor repeated the safe sleep advice in March.",
            ])
        };
        let c = review("In March 2022 Baby IV was badly bitten by the family dog.");
        assert!(!has(&c, "theme", "sudi"), "{:?}", c.facets);
        assert!(!c.evidence.iter().any(|e| e.value == "sudi"));
        let c = review("In March 2022 Baby IV died suddenly and unexpectedly at home.");
        assert_eq!(c.facets.outcome.as_deref(), Some("death"));
        assert!(has(&c, "theme", "sudi"), "{:?}", c.facets);
    }

    #[test]
    fn a_bracketed_list_a_long_denial_and_an_omission() {
        let c = classify(&[
            "Case Management Review: Child KL\n\nPublished 2020",
            "The Panel used the standard list of areas for consideration (including domestic \
             abuse, parental substance misuse, child sexual exploitation, online safety and \
             neglect).",
            "Agencies were asked about known risks (parental substance misuse, online safety, \
             domestic abuse, neglect) in their reports.",
        ]);
        assert!(!has(&c, "theme", "online-harm"), "{:?}", c.facets);
        let c = classify(&[
            "Case Management Review: Child KL\n\nPublished 2020",
            "4.3 Mother had no history of mental ill health, alcohol or drug misuse.",
            "4.4 Her partner had no history of mental ill health, alcohol or drug misuse.",
        ]);
        assert!(!has(&c, "risk", "parental-drug-misuse"), "{:?}", c.facets);
        // A summary that "did not mention" the isolation leaves it a fact.
        let c = classify(&[
            "Child Practice Review: Child KT\n\nPublished 2020",
            "The closure summary did not mention KT's development or Mother's isolation.",
            "The health visitor found the flat cold.",
        ]);
        assert!(has(&c, "risk", "social-isolation"), "{:?}", c.facets);
    }

    #[test]
    fn a_value_affirmed_once_is_suggested_not_tagged_and_a_denied_one_is_neither() {
        let c = classify(&[
            "Serious Case Review: Child A\n\nPublished: 2014",
            "Background\n\nPolice attended a domestic abuse incident at the home in 2015. There \
             was no evidence of parental alcohol misuse.",
        ]);
        assert!(!has(&c, "risk", "domestic-abuse"));
        let suggested: Vec<&str> = c.suggested.iter().map(|e| e.value.as_str()).collect();
        assert!(suggested.contains(&"domestic-abuse"), "{suggested:?}");
        assert!(
            !suggested.contains(&"parental-alcohol-misuse"),
            "{suggested:?}"
        );
        let da = c.suggested.iter().find(|e| e.value == "domestic-abuse");
        assert_eq!(da.map(|e| e.passages[0].page), Some(Some(2)));
    }

    #[test]
    fn a_value_another_takes_the_place_of_is_not_suggested_either() {
        let c = classify(&[
            "Serious Case Review: Young Person A\n\nPublished: 2016",
            "Background\n\nYoung Person A was sexually exploited by a group of adult men.",
            "Analysis\n\nShe was sexually exploited for over a year. A strategy meeting \
             discussed sexual abuse.",
        ]);
        assert!(has(&c, "theme", "child-sexual-exploitation"));
        assert!(
            !c.suggested.iter().any(|e| e.value == "sexual-abuse"),
            "{:?}",
            c.suggested
        );
    }

    #[test]
    fn age_band_from_the_subject_child() {
        let c = classify(&[
            "Serious Case Review: Baby E\n\nPublished: 2014",
            "Background\n\nMother was 19. Baby E was seven weeks old when she died.",
        ]);
        assert_eq!(c.facets.age_band.as_deref(), Some("under-1"));
        assert_eq!(c.facets.outcome.as_deref(), Some("death"));
    }

    #[test]
    fn an_adult_who_shares_the_childs_letters_does_not_lend_the_child_an_age() {
        let c = classify(&[
            "Domestic Homicide Review: Child XQ\n\nPublished: 2017",
            "1.1 This review examines the death of Adult XQ, a man aged 42, at his home. XQ \
             was 42 and worked nights. Their daughter, referred to as Child XQ, was aged 7 and \
             was asleep upstairs.",
        ]);
        assert_eq!(c.facets.age_band.as_deref(), Some("5-10"));
    }

    #[test]
    fn age_from_a_pronoun_after_the_named_subject_and_from_the_bare_initial() {
        let c = classify(&[
            "Case Management Review: Young Person N\n\nPublished: 2019",
            "Introduction\n\nIn April 2018 Young Person N was found dead in his flat. He was 18 \
             years old. His sister, aged 22, lives nearby.",
        ]);
        assert_eq!(c.facets.age_band.as_deref(), Some("18-plus"));
        let c = classify(&[
            "Initial Case Review: Young Person M\n\nPublished: 2019",
            "Introduction\n\nHer brother, aged 17, lives with an aunt. M was 14 years old at the \
             time.",
        ]);
        assert_eq!(c.facets.age_band.as_deref(), Some("11-15"));
    }

    #[test]
    fn negation_reaches_across_a_long_clause_and_into_a_colon_list() {
        let c = classify(&[
            "Significant Case Review: Baby T\n\nPublished: 2006",
            "Scope\n\nThe review considered whether the following were features of the case: \
             parental alcohol misuse, parental mental illness and disability.",
            "Analysis\n\nThere was no indication at any point that either parent misused alcohol.",
        ]);
        assert!(
            !c.facets
                .risk_factors
                .contains(&"parental-alcohol-misuse".to_string()),
            "{:?}",
            c.evidence
        );
    }

    #[test]
    fn a_more_specific_theme_subsumes_the_general_one() {
        let c = classify(&[
            "Initial Case Review: Young Person M\n\nPublished: 2019",
            "Introduction\n\nM was sexually exploited by a group of older men. She had been \
             sexually abused by two of them in a flat.",
            "Analysis\n\nThe risk of child sexual exploitation was not recognised. Agencies did \
             not share what they knew about the men, and M was sexually abused again.",
        ]);
        assert!(
            c.facets
                .themes
                .contains(&"child-sexual-exploitation".to_string())
        );
        assert!(
            !c.facets.themes.contains(&"sexual-abuse".to_string()),
            "{:?}",
            c.facets.themes
        );
    }

    #[test]
    fn a_value_yields_to_the_one_that_explains_its_sentence() {
        // Looked after as a verb, and the mother's care history, are not the child's care.
        let c = classify(&[
            "Serious Case Review: Child V\n\nPublished: 2015",
            "Background\n\nMother had been looked after and accommodated as a child. Her history \
             as a care leaver was recorded by the mother's social worker.",
            "Analysis\n\nHe regularly looked after the children on his own. Mother's history as a \
             care leaver was not explored.",
        ]);
        assert!(
            c.facets
                .risk_factors
                .contains(&"parent-care-history".to_string())
        );
        assert!(
            !c.facets
                .risk_factors
                .contains(&"looked-after-child".to_string()),
            "{:?}",
            c.facets.risk_factors
        );
    }

    #[test]
    fn a_baby_is_not_a_care_leaver() {
        let pages = |age: &str| {
            [
                "Child Safeguarding Practice Review: Child Q\n\nPublished: 2019".to_string(),
                format!(
                    "Background\n\nChild Q was {age} when she was admitted to hospital. She had \
                     a personal adviser from the leaving care service."
                ),
                "The pathway plan was reviewed; the care leaver was living in a hostel."
                    .to_string(),
            ]
        };
        let looked_after = |age: &str| {
            let pages = pages(age);
            let pages: Vec<&str> = pages.iter().map(String::as_str).collect();
            classify(&pages)
                .facets
                .risk_factors
                .contains(&"looked-after-child".to_string())
        };
        assert!(!looked_after("eight weeks old"));
        // At seventeen the same words can be the subject's own.
        assert!(looked_after("17 years old"));
    }

    #[test]
    fn advice_is_not_a_fact_of_the_case() {
        let c = classify(&[
            "Serious Case Review: Child N\n\nPublished: 2009",
            "Recommendations\n\nInitial assessments must include a review of previous referrals.",
            "Alderwick Children's Services should ensure that workers see earlier referrals and \
             previous involvement.",
        ]);
        assert!(
            !c.facets
                .risk_factors
                .contains(&"previous-cp-concerns".to_string()),
            "{:?}",
            c.facets.risk_factors
        );
        // The same words as facts of the case count.
        let c = classify(&[
            "Serious Case Review: Child N\n\nPublished: 2009",
            "Background\n\nThere had been previous referrals about the family in 2004.",
            "Children's social care had earlier involvement after a previous referral from school.",
        ]);
        assert!(
            c.facets
                .risk_factors
                .contains(&"previous-cp-concerns".to_string()),
            "{:?}",
            c.facets.risk_factors
        );
    }

    #[test]
    fn a_parents_missed_adult_appointments_are_not_the_childs() {
        let c = classify(&[
            "Serious Case Review: Child N\n\nPublished: 2009",
            "Background\n\nMother was referred to the community mental health team and did not \
             attend.",
            "The adult mental health service discharged her under its did not attend policy.",
        ]);
        assert!(
            !c.facets
                .risk_factors
                .contains(&"missed-health-appointments".to_string()),
            "{:?}",
            c.facets.risk_factors
        );
    }

    #[test]
    fn missed_checks_and_cancelled_appointments_are_missed_health_appointments() {
        let c = classify(&[
            "Case Management Review: Child BO\n\nPublished: 2013",
            "Chronology\n\nBO missed the 18-month developmental review and two immunisation \
             appointments.",
            "Analysis\n\nMother repeatedly cancelled or failed to attend appointments with the \
             community paediatrician.",
        ]);
        assert!(
            has(&c, "risk", "missed-health-appointments"),
            "{:?} {:?}",
            c.facets.risk_factors,
            c.suggested
        );
        // Missed opportunities, a service's own cancellations and a parent's appointments with
        // an adult service are not the child's missed appointments.
        for text in [
            "Analysis\n\nProfessionals missed the opportunity to review the plan.",
            "Analysis\n\nHis appointments were cancelled by the hospital because of staff \
             shortages.",
            "Analysis\n\nFather missed three probation appointments.",
        ] {
            let c = classify(&[
                "Case Management Review: Child BO\n\nPublished: 2013",
                text,
                text,
            ]);
            assert!(!has(&c, "risk", "missed-health-appointments"), "{text}");
        }
        let c = classify(&[
            "Case Management Review: Child BO\n\nPublished: 2013",
            "Background\n\nThe addiction service closed the case after Mother missed three \
             appointments.",
            "Analysis\n\nThe addiction service wrote to the GP after Mother failed to attend \
             appointments in March.",
        ]);
        assert!(
            !has(&c, "risk", "missed-health-appointments"),
            "{:?}",
            c.facets.risk_factors
        );
    }

    #[test]
    fn a_period_told_as_accounts_covering_it_dates_an_earlier_registration() {
        let c = classify(&[
            "Single Unified Safeguarding Review: Young Person BP\n\nPublished: 2025",
            "Methodology\n\nAgencies provided timelines covering the period from September 2022 \
             to October 2024.",
            "Background\n\nIn 2016, when the family lived in another area, BP and his older \
             brother were on the Child Protection Register for nine months.",
        ]);
        assert!(
            has(&c, "risk", "previous-cp-concerns"),
            "{:?}",
            c.facets.risk_factors
        );
    }

    /// `tests/data/rules/cases.toml`: every rule added from a tuning batch's misses, with a
    /// passage it must tag and a near miss it must not.
    #[test]
    fn rule_cases_tag_what_they_state_and_not_their_near_misses() {
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Case {
            value: String,
            tagged: bool,
            mentions: Option<u8>,
            note: String,
            text: String,
        }
        #[derive(serde::Deserialize)]
        struct Cases {
            case: Vec<Case>,
        }
        let cases: Cases =
            toml::from_str(include_str!("../../tests/data/rules/cases.toml")).expect("cases parse");
        assert!(cases.case.len() >= 2);
        let classifier = Classifier::new(Taxonomy::builtin());
        let wrong: Vec<String> = cases
            .case
            .iter()
            .filter(|c| {
                let (group, key) = c.value.split_once('/').expect("group/key");
                let tagged = classifier.classify(&doc(&[c.text.trim()]), "x.pdf");
                has(&tagged, group, key) != c.tagged
            })
            .map(|c| {
                let want = if c.tagged { "tagged" } else { "not tagged" };
                let mentions = c
                    .mentions
                    .map(|m| format!(", {m} mention(s)"))
                    .unwrap_or_default();
                format!("{} should be {want}{mentions}: {}", c.value, c.note)
            })
            .collect();
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    fn has(c: &Classified, group: &str, key: &str) -> bool {
        let keys = match group {
            "theme" => &c.facets.themes,
            "risk" => &c.facets.risk_factors,
            _ => &c.facets.practice_themes,
        };
        keys.iter().any(|k| k == key)
    }

    #[test]
    fn subsections_and_table_entries_of_an_excluded_section_are_excluded() {
        // "2.2 …:" is a subsection of the terms of reference; the glossary's terms, set as a
        // table, come out as headings of their own.
        let c = classify(&[
            "Child Practice Review: Child A\n\nPublished: 2017",
            "2. Terms of reference\n\n2.1 The review period is 2014 to 2016.\n\n\
             2.2 The review was asked to consider:\n\nhow domestic abuse in the household was \
             assessed by the health visitor and the police in the period.\n\n\
             3. Family background\n\nChild A lived with her mother and grandmother.",
            "Appendix 1: Glossary\n\nTerm, meaning.\n\nMARAC\n\nA meeting about victims of domestic abuse \
             at high risk of harm from their partners.\n\nIDVA\n\nAn adviser who works with \
             victims of domestic abuse at high risk.",
        ]);
        assert!(
            !has(&c, "risk", "domestic-abuse"),
            "{:?}",
            c.facets.risk_factors
        );
        let d = doc(&["1. Scope\n\nText.\n\n1.1 Questions:\n\nMore text."]);
        let sections =
            Classifier::new(Taxonomy::builtin()).excluded_passages(&d.sections, &d.passages);
        assert!(sections.iter().all(|&e| e), "{sections:?}");
    }

    #[test]
    fn what_a_sentence_sets_outside_the_case_is_not_evidence() {
        let review = |first: &str, second: &str| {
            classify(&[
                "Child Practice Review: Child A\n\nPublished: 2017",
                &format!("Background\n\nDomestic abuse services in the area are listed; {first}"),
                &format!(
                    "Analysis\n\nDomestic abuse support work is described for completeness; {second}"
                ),
            ])
        };
        let set_aside = review(
            "they are not relevant to this review.",
            "it is not part of this case.",
        );
        assert!(
            !has(&set_aside, "risk", "domestic-abuse"),
            "{:?}",
            set_aside.facets.risk_factors
        );
        // The same sentences without the disclaimer are taken at their word.
        let told = review("they were used.", "it was attended.");
        assert!(
            has(&told, "risk", "domestic-abuse"),
            "{:?}",
            told.facets.risk_factors
        );
    }

    #[test]
    fn a_quoted_label_of_non_engagement_is_not_evidence_of_it() {
        let quoted = classify(&[
            "Child Practice Review: Young Person A\n\nPublished: 2021",
            "Analysis\n\nThe service closed the referral as “not engaging”.",
            "Findings\n\nCAMHS wrote that she had \"failed to engage\" with two appointments.",
        ]);
        assert!(
            !has(&quoted, "risk", "non-engagement"),
            "{:?}",
            quoted.facets.risk_factors
        );
        let told = classify(&[
            "Child Practice Review: Young Person A\n\nPublished: 2021",
            "Analysis\n\nMother did not engage with the health visitor.",
            "Findings\n\nThe parents failed to engage with the family support worker.",
        ]);
        assert!(
            has(&told, "risk", "non-engagement"),
            "{:?}",
            told.facets.risk_factors
        );
    }

    #[test]
    fn a_she_sentence_takes_the_parent_from_the_sentence_before() {
        let c = classify(&[
            "Local Child Safeguarding Practice Review: Young Person A\n\nPublished: 2021",
            "Family background\n\nMother was 39 when Young Person A was harmed. She had been \
             treated by her GP for depression since 2018.\n\n\
             Analysis\n\nThe GP knew of Mother's history. She had told the GP that her \
             depression was worse in the winter.",
        ]);
        assert!(
            has(&c, "risk", "parental-mental-health"),
            "{:?}",
            c.facets.risk_factors
        );
        // Without the parent in the sentence before, "She" is the young person.
        let own = classify(&[
            "Local Child Safeguarding Practice Review: Young Person A\n\nPublished: 2021",
            "Family background\n\nYoung Person A was 15. She had been treated by her GP for \
             depression since 2018.\n\n\
             Analysis\n\nThe GP saw Young Person A twice. She had told the GP that her \
             depression was worse in the winter.",
        ]);
        assert!(
            !has(&own, "risk", "parental-mental-health"),
            "{:?}",
            own.facets.risk_factors
        );
    }

    #[test]
    fn care_at_an_age_older_than_the_baby_is_the_parents_history() {
        let c = classify(&[
            "Serious Case Review: Baby A\n\nPublished: 2016\n\nBaby A was six weeks old when \
             she was admitted to hospital.",
            "Family background\n\nMother was 19. Her own childhood was hard: she was looked after \
             in a children's home between the ages of 13 and 15.\n\n\
             Analysis\n\nWhen she was 14 the mother was placed with foster carers under section 20.",
        ]);
        assert!(
            !has(&c, "risk", "looked-after-child"),
            "{:?}",
            c.facets.risk_factors
        );
        assert!(
            has(&c, "risk", "parent-care-history"),
            "{:?}",
            c.facets.risk_factors
        );
        // "From age 13" gives the age as well as "from the age of 13".
        let c = classify(&[
            "Case Management Review: Baby JC\n\nPublished: 2025\n\nBaby JC was seven months \
             old when she was admitted to hospital.",
            "Family background\n\nBaby JC's mother, Ms D, was 19. She was looked after by the \
             Trust from age 13, first in residential care and then in foster care.",
            "After the birth Ms D moved several miles from her former foster carer.",
        ]);
        assert!(!has(&c, "risk", "looked-after-child"), "{:?}", c.facets);
        assert!(has(&c, "risk", "parent-care-history"), "{:?}", c.facets);
        // A grown-up's age, or the age an older brother is now, tells of no one's childhood
        // in care.
        let c = classify(&[
            "Case Management Review: Child A\n\nPublished: 2014\n\nChild A, aged six, was \
             harmed in foster care.",
            "Family background\n\nChild A and his brother, now aged nine, were in foster care \
             from 2011, while their mother was in hospital.",
            "The placement\n\nThe foster carers, aged 58 and 61, had been foster carers for \
             twenty years.",
        ]);
        assert!(!has(&c, "risk", "parent-care-history"), "{:?}", c.facets);
    }

    #[test]
    fn a_domestic_homicide_review_names_the_parents_by_pseudonym() {
        let c = classify(&[
            "Domestic Homicide Review: 'Kerry' and Children B\n\nPublished: 2023",
            "Introduction\n\n“Kerry” and “Lee” are pseudonyms chosen by Kerry's family.\n\n\
             Background\n\nKerry's depression was treated by her GP.\n\n\
             Analysis\n\nNobody asked what lay behind Kerry's depression and anxiety.",
        ]);
        assert!(
            has(&c, "risk", "parental-mental-health"),
            "{:?}",
            c.facets.risk_factors
        );
        // Or by the review's letters.
        let c = classify(&[
            "Domestic Homicide Review: the children of Adult F\n\nPublished: 2020",
            "Background\n\nIn 2018 Adult F saw her GP with anxiety and low mood.\n\n\
             Chronology\n\nMarch 2018. Adult F’s second GP appointment for low mood.",
        ]);
        assert!(
            has(&c, "risk", "parental-mental-health"),
            "{:?}",
            c.facets.risk_factors
        );
    }

    #[test]
    fn a_cover_table_read_by_columns_gives_the_latest_month() {
        let c = classify(&[
            "Rapid Review\n\nYoung Person A\n\nType of review\n\nSerious incident\n\n\
             Date of publication\n\nRapid Review under Working Together\n\nOctober 2021\n\n\
             May 2022",
        ]);
        assert_eq!(c.facets.year, Some(2022));
    }

    #[test]
    fn one_registration_dated_before_the_period_is_a_previous_concern() {
        let review = |history: &str| {
            classify(&[
                "Case Management Review: Young Person A\n\nPublished: 2022",
                &format!(
                    "Introduction\n\nThe review covers the period from January 2019 to the \
                     incident. Young Person A was 15 years old when she was found.\n\n\
                     Family background\n\n{history}\n\nAnalysis\n\nSchool staff knew her well."
                ),
            ])
        };
        let earlier = review(
            "Young Person A's name was placed on the child protection register when she was five.",
        );
        assert!(
            has(&earlier, "risk", "previous-cp-concerns"),
            "{:?}",
            earlier.facets.risk_factors
        );
        // The plan of the period is the response under review; the year of a procedure's
        // title is not a date of the case.
        let in_period = review(
            "Young Person A's name was placed on the child protection register in April 2020 \
             under the All Wales Child Protection Procedures (2008).",
        );
        assert!(
            !has(&in_period, "risk", "previous-cp-concerns"),
            "{:?}",
            in_period.facets.risk_factors
        );
    }

    #[test]
    fn a_negation_does_not_reach_into_a_when_clause() {
        let c = classify(&[
            "Serious Case Review: Child A\n\nPublished: 2016",
            "Analysis\n\nEscalation was not used when the parents did not engage.",
            "Findings\n\nThe case was closed although the parents did not engage with the plan.",
        ]);
        assert!(
            has(&c, "risk", "non-engagement"),
            "{:?}",
            c.facets.risk_factors
        );
    }

    #[test]
    fn a_fronted_concession_keeps_its_negation_to_itself() {
        let c = classify(&[
            "Learning Review: Child A\n\nPublished: 2023",
            "Analysis\n\nAlthough Child A's injuries were not inflicted, they were the result of \
             neglect of his health needs.",
        ]);
        assert!(has(&c, "theme", "neglect"), "{:?}", c.facets.themes);
        // The concession's own mention stays negated.
        let d = classify(&[
            "Learning Review: Child A\n\nPublished: 2023",
            "Analysis\n\nAlthough there was no neglect of Child A, the home was chaotic.",
            "Findings\n\nWhile Child A was not neglected, agencies did not share information.",
        ]);
        assert!(!has(&d, "theme", "neglect"), "{:?}", d.facets.themes);
    }

    #[test]
    fn injuries_said_to_be_inflicted_are_physical_abuse() {
        let c = classify(&[
            "Case Management Review: Young Person A\n\nPublished: 2016",
            "Introduction\n\nYoung Person A was admitted to hospital with a broken wrist.",
            "Key episodes\n\nThe injuries were inflicted by her boyfriend, a man of 20.",
        ]);
        assert!(has(&c, "theme", "physical-abuse"), "{:?}", c.facets.themes);
        let ruled_out = classify(&[
            "Case Management Review: Young Person A\n\nPublished: 2016",
            "Introduction\n\nYoung Person A was admitted to hospital with a broken wrist.",
            "Key episodes\n\nPolice found no evidence that the injuries were inflicted by an adult.",
        ]);
        assert!(
            !has(&ruled_out, "theme", "physical-abuse"),
            "{:?}",
            ruled_out.facets.themes
        );
    }

    #[test]
    fn the_harm_named_with_another_is_not_the_criteria_for_a_review() {
        let c = classify(&[
            "Local Child Safeguarding Practice Review: Young Person A\n\nPublished: 2022",
            "Summary\n\nYoung Person A was trafficked into domestic servitude and suffered \
             physical abuse and neglect.",
            "Findings\n\nAlongside the exploitation of her labour, Young Person A suffered \
             physical abuse and neglect.",
        ]);
        assert!(has(&c, "theme", "neglect"), "{:?}", c.facets.themes);
        let criteria = classify(&[
            "Serious Case Review: Child A\n\nPublished: 2014",
            "Introduction\n\nThe criteria were met: Child A had died, abuse and neglect were \
             known, and there was cause for concern.",
            "Analysis\n\nDisabled children are at greater risk of abuse and neglect.",
        ]);
        assert!(
            !has(&criteria, "theme", "neglect"),
            "{:?}",
            criteria.facets.themes
        );
    }

    #[test]
    fn a_strong_phrase_about_the_subject_is_strong_only_where_the_subject_is_named() {
        // The shipped young-carer value, with one of its phrases about the subject made strong.
        let text = taxonomy::BUILTIN.replace(
            r#""in effect, a young carer","#,
            r#""in effect, a young carer", "{caring|cared} for {his|her|their} {younger|brother|sister|siblings}","#,
        );
        let classifier = Classifier::new(Taxonomy::parse(&text, "test").unwrap());
        let run = |line: &str| {
            classifier.classify(
                &doc(&[
                    "Child Practice Review: Child A\n\nPublished: 2022",
                    &format!("Background\n\nChild A was 12 years old. {line}"),
                ]),
                "x.pdf",
            )
        };
        let own = run("Child A was caring for her younger siblings most evenings.");
        assert!(has(&own, "risk", "young-carer"), "{:?}", own.facets);
        // Said once of someone else it is not even a mention, let alone an outright one.
        let sister = run("Her older sister was caring for her younger siblings most evenings.");
        assert!(!has(&sister, "risk", "young-carer"), "{:?}", sister.facets);
        // Nor in the sister's, named through the subject ("Child A's sister").
        let both = run("Child A's sister was caring for her younger siblings most evenings.");
        assert!(!has(&both, "risk", "young-carer"), "{:?}", both.facets);
    }

    #[test]
    fn a_value_stated_outright_needs_saying_once() {
        let once = classify(&[
            "Child Practice Review: Child A\n\nPublished: 2022",
            "Analysis\n\nBy this time the family was very isolated: the mother had lost touch \
             with her friends.",
        ]);
        assert!(
            has(&once, "risk", "social-isolation"),
            "{:?}",
            once.facets.risk_factors
        );
        // A strong phrase is matched as a phrase too.
        let young = classify(&[
            "Serious Case Review: Baby A\n\nPublished: 2016",
            "Introduction\n\nHer mother, who was 16 years old, had hidden the pregnancy.",
        ]);
        assert!(
            has(&young, "risk", "young-parents"),
            "{:?}",
            young.facets.risk_factors
        );
        // A strong phrase listed among those for young children is strong only for them:
        // a mother of 19 at the birth is a young parent in a baby's review, not a teenager's.
        let at_birth = |title: &str, age: &str| {
            classify(&[
                title,
                &format!("Background\n\nChild A was {age}. Mother was 19 when Child A was born."),
            ])
        };
        let baby = at_birth("Rapid Review: Child A\n\nPublished: 2024", "six weeks old");
        assert!(has(&baby, "risk", "young-parents"), "{:?}", baby.facets);
        let teen = at_birth("Rapid Review: Child A\n\nPublished: 2024", "15 years old");
        assert!(!has(&teen, "risk", "young-parents"), "{:?}", teen.facets);
        // However young the mother was then, a teenager's parent is not a young parent now.
        let teen = classify(&[
            "Rapid Review: Child A\n\nPublished: 2024",
            "Background\n\nChild A was 15 years old. Child A's mother was 17 when Child A was born.",
        ]);
        assert!(!has(&teen, "risk", "young-parents"), "{:?}", teen.facets);
        let appointments = classify(&[
            "Child Practice Review: Child A\n\nPublished: 2022",
            "Chronology\n\nChild A was not brought to three dental appointments in 2014.",
        ]);
        assert!(
            has(&appointments, "risk", "missed-health-appointments"),
            "{:?}",
            appointments.facets.risk_factors
        );
        // "In isolation" is how a decision was made, not how a family lived.
        let idiom = classify(&[
            "Child Practice Review: Child A\n\nPublished: 2022",
            "Analysis\n\nEach decision made sense in isolation.",
            "Findings\n\nThe assessment was treated in isolation from the school's concerns.",
        ]);
        assert!(
            !has(&idiom, "risk", "social-isolation"),
            "{:?}",
            idiom.facets.risk_factors
        );
    }

    #[test]
    fn one_paragraph_that_tells_a_fact_twice_is_enough_and_one_sentence_is_not() {
        let twice = classify(&[
            "Child Practice Review: Child A\n\nPublished: 2022",
            "Background\n\nThe family had fallen into rent arrears. They were given food bank \
             vouchers by the school.",
        ]);
        assert!(
            has(&twice, "risk", "poverty"),
            "{:?}",
            twice.facets.risk_factors
        );
        let once = classify(&[
            "Child Practice Review: Child A\n\nPublished: 2022",
            "Background\n\nThe family had fallen into rent arrears. Child A liked school.",
        ]);
        assert!(
            !has(&once, "risk", "poverty"),
            "{:?}",
            once.facets.risk_factors
        );
    }

    #[test]
    fn a_baby_does_not_go_missing_and_a_value_may_have_only_age_gated_phrases() {
        let baby = classify(&[
            "Serious Case Review: Baby A\n\nPublished: 2016\n\nBaby A was six weeks old.",
            "Family background\n\nAs a teenager the mother went missing from home overnight.",
            "Analysis\n\nThe mother was reported missing three times in 2014.",
        ]);
        assert!(
            !has(&baby, "risk", "child-missing"),
            "{:?}",
            baby.facets.risk_factors
        );
        let teenager = classify(&[
            "Case Management Review: Young Person A\n\nPublished: 2016\n\nYoung Person A was \
             15 years old.",
            "Background\n\nYoung Person A went missing from home overnight.",
            "Analysis\n\nShe was reported missing three times in 2014.",
        ]);
        assert!(
            has(&teenager, "risk", "child-missing"),
            "{:?}",
            teenager.facets.risk_factors
        );
    }

    #[test]
    fn in_a_review_of_harmful_sexual_behaviour_only_the_subjects_own_abuse_counts() {
        let review = |own: &str| {
            classify(&[
                "Rapid Review: Young Person A\n\nPublished: 2021",
                &format!(
                    "Background\n\nYoung Person A showed harmful sexual behaviour towards a \
                     younger child. The harmful sexual behaviour was disclosed at school.\n\n\
                     Analysis\n\nThe younger child \
                     was sexually abused over several weeks. The sexual abuse was reported to the \
                     police by her mother. {own}"
                ),
            ])
        };
        let other = review("");
        assert!(
            has(&other, "theme", "harmful-sexual-behaviour"),
            "{:?}",
            other.facets.themes
        );
        assert!(
            !has(&other, "theme", "sexual-abuse"),
            "{:?}",
            other.facets.themes
        );
        let own = review(
            "Young Person A had himself been sexually abused at nine.\n\nFindings\n\n\
             Young Person A's own sexual abuse was never assessed.",
        );
        assert!(
            has(&own, "theme", "sexual-abuse"),
            "{:?}",
            own.facets.themes
        );
    }

    #[test]
    fn a_phrase_with_its_own_no_is_not_negated_by_the_item_before() {
        let c = classify(&[
            "Serious Case Review: Child A\n\nPublished: 2018",
            "Background\n\nWithin a year Mother had no money of her own, no car and no friends \
             in the area.\n\nAnalysis\n\nMother was socially isolated after the move.",
        ]);
        assert!(
            has(&c, "risk", "social-isolation"),
            "{:?}",
            c.facets.risk_factors
        );
    }

    #[test]
    fn a_catalogue_of_harms_is_not_evidence_but_a_case_told_in_clauses_is() {
        let c = classify(&[
            "Local Child Safeguarding Practice Review: Child AE\n\nPublished: 2023",
            "Introduction\n\nThe Partnership asks every review to consider: domestic abuse; \
             parental mental health; child sexual exploitation; online harm; radicalisation.",
            "Analysis\n\nThe panel also noted these priorities: neglect, child sexual \
             exploitation, county lines, radicalisation and female genital mutilation.",
        ]);
        assert!(
            !has(&c, "theme", "child-sexual-exploitation"),
            "{:?}",
            c.facets
        );
        assert!(!has(&c, "theme", "radicalisation"), "{:?}", c.facets);
        let c = classify(&[
            "Case Management Review: Young Person AC\n\nPublished: 2023",
            "Background\n\nHe had cared for his brother during his mother's drinking; he had \
             been exposed to domestic abuse between his parents for years, and his mother's \
             depression went untreated while her drinking grew worse.",
            "Analysis\n\nThe domestic abuse he witnessed was not recognised as harm to him.",
        ]);
        assert!(has(&c, "risk", "domestic-abuse"), "{:?}", c.facets);
    }

    #[test]
    fn a_term_being_defined_is_not_a_mention() {
        let c = classify(&[
            "Local Child Safeguarding Practice Review: Child AG\n\nPublished: 2022",
            "Terms used in this report\n\nChild sexual exploitation: a form of sexual abuse \
             where a child is coerced into sexual activity.",
            "CSE (child sexual exploitation), where a child is manipulated into sexual activity \
             in exchange for something they need.",
        ]);
        assert!(
            !has(&c, "theme", "child-sexual-exploitation"),
            "{:?}",
            c.facets
        );
    }

    #[test]
    fn an_old_plan_for_neglect_is_a_previous_concern_not_the_harm_under_review() {
        let c = classify(&[
            "Local Child Safeguarding Practice Review: Child AG\n\nPublished: 2022",
            "Introduction\n\nThe review covers the period from September 2019 to April 2021. \
             Child AG was 7 years old when she was harmed.",
            "Background\n\nIn April 2016 she was made subject to a child protection plan under \
             the category of neglect.",
            "The earlier child protection plan for neglect had closed two years before.",
        ]);
        assert!(has(&c, "risk", "previous-cp-concerns"), "{:?}", c.facets);
        assert!(!has(&c, "theme", "neglect"), "{:?}", c.facets);
        // A plan made within the period is the response under review, not a previous concern.
        let c = classify(&[
            "Local Child Safeguarding Practice Review: Child AG\n\nPublished: 2022",
            "Introduction\n\nThe review covers the period from September 2019 to April 2021.",
            "Background\n\nIn March 2020 she was made subject to a child protection plan.",
            "The child protection plan was reviewed at a core group in May 2020.",
        ]);
        assert!(!has(&c, "risk", "previous-cp-concerns"), "{:?}", c.facets);
    }

    #[test]
    fn the_review_criteria_are_not_the_childs_outcome() {
        let c = classify(&[
            "Child Practice Review: Child L\n\nPublished: 2021\n\nThe criteria for a concise \
             review are met where abuse or neglect of a child is known or suspected and the child \
             has died, or has sustained potentially life-threatening injury.",
            "Background\n\nChild L was admitted to hospital with serious injuries in March 2020.",
        ]);
        assert_eq!(c.facets.outcome.as_deref(), Some("serious-harm"));
        // The driver's death in the crash is not the passenger's.
        let c = classify(&[
            "Case Management Review: Young Person L\n\nPublished: 2009\n\nYoung Person L was a \
             passenger in a stolen car that crashed. The driver, a young man aged 19, was \
             killed. Young Person L sustained a serious head injury.",
        ]);
        assert_eq!(c.facets.outcome.as_deref(), Some("serious-harm"));
        // What could have been fatal was not.
        let c = classify(&[
            "Case Management Review: Young Person L\n\nPublished: 2015\n\nYoung Person L was \
             found unconscious. Her blood alcohol was at a level that can be fatal.",
        ]);
        assert_eq!(c.facets.outcome.as_deref(), Some("serious-harm"));
        // Harm done comes before the practice that worked well after it.
        let c = classify(&[
            "Learning Review: Young Person L\n\nPublished: 2024\n\nThe harm to L was \
             significant. The review also looks at what worked well after she disclosed. It \
             was good practice.",
        ]);
        assert_eq!(c.facets.outcome.as_deref(), Some("serious-harm"));
        // A grandmother's death, told three times after the opening pages, is not the child's.
        let opening = format!(
            "Case Management Review: Child L\n\nPublished: 2018\n\n{}",
            "The review looked at how agencies worked together. ".repeat(60)
        );
        let c = classify(&[
            &opening,
            "Background\n\nChild L’s grandmother was 61 when she died in August 2016.",
            "Findings\n\nAfter her mother died, the mother had nobody to ring.",
            "When that person died, no one reassessed the situation.",
        ]);
        assert_eq!(c.facets.outcome.as_deref(), Some("serious-harm"));
        // The child's own death, told in the body, is.
        let c = classify(&[
            &opening,
            "Background\n\nChild L died in hospital in August 2016.",
            "Findings\n\nThe post-mortem found injuries of different ages.",
            "The coroner recorded an open verdict.",
        ]);
        assert_eq!(c.facets.outcome.as_deref(), Some("death"));
    }

    #[test]
    fn good_practice_beside_serious_harm_is_not_a_review_of_effective_practice() {
        let review = |opening: &str| {
            classify(&[
                &format!("Learning Review: Child HZ\n\nPublished 2025\n\n{opening}"),
                "1.3 The review also found practice that worked well at the school.",
                "Finding 4: Escalation by the named person was good practice.",
            ])
        };
        let c = review("In March 2024 Child HZ was admitted to intensive care.");
        assert_eq!(c.facets.outcome.as_deref(), Some("serious-harm"));
        let c = review("The review looks at a family where agencies worked together.");
        assert_eq!(c.facets.outcome.as_deref(), Some("effective-practice"));
    }

    #[test]
    fn a_wheelchair_in_fabricated_illness_is_the_abuse_not_a_disability() {
        let review = |background: &str| {
            classify(&[
                "Local Child Safeguarding Practice Review: Child AF\n\nPublished: 2024",
                background,
                "Analysis\n\nThis was fabricated or induced illness. She used a wheelchair at \
                 school.",
                "Fabricated or induced illness was not recognised for three years.",
            ])
        };
        let c = review(
            "Background\n\nThe wheelchair and the gastrostomy were provided because of symptoms \
             reported by the mother.",
        );
        assert!(has(&c, "theme", "fabricated-induced-illness"));
        assert!(!has(&c, "risk", "child-disability"), "{:?}", c.facets);
        // A diagnosis of the child's own still counts.
        let c = classify(&[
            "Local Child Safeguarding Practice Review: Child AF\n\nPublished: 2024",
            "Background\n\nChild AF has cerebral palsy, diagnosed at two.",
            "Analysis\n\nThis was fabricated or induced illness on top of her cerebral palsy.",
            "Fabricated or induced illness was not recognised for three years.",
        ]);
        assert!(has(&c, "risk", "child-disability"), "{:?}", c.facets);
    }

    #[test]
    fn non_physical_abuse_is_not_physical_abuse() {
        let c = classify(&[
            "Serious Case Review: Child AS\n\nPublished: 2018",
            "Analysis\n\nTraining gave little attention to non-physical abuse.",
            "Officers looked for non-physical abuse only when prompted.",
        ]);
        assert!(!has(&c, "theme", "physical-abuse"), "{:?}", c.facets);
    }

    #[test]
    fn a_domestic_homicide_review_of_a_mothers_killing_is_not_a_childs_homicide() {
        let dhr = |victims: &str| {
            let killed = format!("Background\n\n{victims} were killed by Mr Y, a former partner.");
            let convicted = format!("Mr Y was convicted of the murder of {victims} in 2020.");
            classify(&[
                "Domestic Homicide Review: Adult B and her children\n\nPublished: 2021\n\nThe \
                 children, Child B1 and Child B2, lived with the family.",
                &killed,
                &convicted,
            ])
        };
        let c = dhr("Adult B and her dog");
        assert!(!has(&c, "theme", "homicide"), "{:?}", c.facets);
        let c = dhr("Adult B and Child B1");
        assert!(has(&c, "theme", "homicide"), "{:?}", c.facets);
        // "Homicide" in the review's own name is not a killing, even beside the child's name.
        let c = classify(&[
            "Domestic Homicide Review into the death of Adult F, with particular reference to \
             her son, Child B1\n\nPublished: 2020",
            "Introduction\n\nChild B1, aged 12 at the time of the homicide, lived with his mother.",
        ]);
        assert!(!has(&c, "theme", "homicide"), "{:?}", c.facets);
    }

    #[test]
    fn a_sentence_that_goes_on_about_the_mother_is_hers() {
        let c = classify(&[
            "Child Safeguarding Practice Review: Baby BB\n\nPublished: 2022",
            "Background\n\nBaby BB was two days old. Mother was a care leaver. She had been \
             looked after by Marlhurst County Council from the age of 13 and had two foster \
             placements.",
            "Mother had been in care herself, and her own experience of care shaped how she \
             saw services. She had been looked after and accommodated at 13.",
        ]);
        assert!(has(&c, "risk", "parent-care-history"), "{:?}", c.facets);
        assert!(!has(&c, "risk", "looked-after-child"), "{:?}", c.facets);
    }

    #[test]
    fn not_knowing_a_fact_does_not_unmake_it() {
        let c = classify(&[
            "Serious Case Review: Baby BD\n\nPublished: 2014",
            "Background\n\nThe GP did not know that Mother was a care leaver.",
            "The health visitor was not aware that Mother had been in care herself.",
        ]);
        assert!(has(&c, "risk", "parent-care-history"), "{:?}", c.facets);
        // A plain negation still negates.
        let c = classify(&[
            "Serious Case Review: Baby BD\n\nPublished: 2014",
            "Background\n\nMother was not a care leaver.",
            "Mother had not been in care herself.",
        ]);
        assert!(!has(&c, "risk", "parent-care-history"), "{:?}", c.facets);
        // Nor does a list of what a decision did not weigh up.
        let c = classify(&[
            "Child Practice Review: Young Person A\n\nPublished: 2023",
            "Background\n\nYoung Person A was diagnosed as autistic in 2022.",
            "Findings\n\nThe decision did not weigh up his vulnerability: an unmet need for an \
             autism assessment, and hours alone online.",
        ]);
        assert!(has(&c, "risk", "child-disability"), "{:?}", c.facets);
    }

    #[test]
    fn none_of_them_negates_and_no_bearing_disclaims() {
        let c = classify(&[
            "Significant Case Review: Child A\n\nPublished: 2017",
            "Background\n\nChild A attended three schools in two years.\n\n4.5 None of the \
             children had been on the child protection register or subject to earlier child \
             protection enquiries.",
            "Father had a conviction for theft from 2004 which had no bearing on agencies' \
             decisions.",
        ]);
        assert!(!has(&c, "risk", "previous-cp-concerns"), "{:?}", c.facets);
        assert!(!has(&c, "risk", "parental-criminality"), "{:?}", c.facets);
    }
}
