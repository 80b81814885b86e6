//! The taxonomy a curator edits in `index-config/taxonomy.toml`.
//!
//! Loading parses into raw serde types with unknown keys refused, then [`Taxonomy::compile`]
//! validates once (unique kebab-case keys, phrases that compile) into matchers. Nothing
//! downstream sees the raw form.

use super::accuracy::Accuracy;
use regex::Regex;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// What went wrong loading the taxonomy.
#[derive(Debug, thiserror::Error)]
pub enum TaxonomyError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Parse {
        path: String,
        source: Box<toml::de::Error>,
    },
    #[error("taxonomy: {0}")]
    Invalid(String),
}

/// The shipped taxonomy, compiled into the binary so that `cairn` runs from any directory.
pub const BUILTIN: &str = include_str!("../../index-config/taxonomy.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawTaxonomy {
    settings: RawSettings,
    negation: RawNegation,
    #[serde(default)]
    theme: Vec<RawValue>,
    #[serde(default)]
    risk: Vec<RawValue>,
    #[serde(default)]
    practice: Vec<RawValue>,
    #[serde(default)]
    outcome: Vec<RawValue>,
    #[serde(default)]
    nation: Vec<RawValue>,
    #[serde(rename = "type", default)]
    review_type: Vec<RawType>,
    #[serde(default)]
    age: Vec<RawAge>,
    #[serde(default)]
    language: Vec<RawLabel>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawSettings {
    min_mentions: u32,
    evidence_passages: usize,
    excluded_sections: Vec<String>,
    /// Cues of a sentence that gives the review's conclusion about the harm.
    #[serde(default)]
    findings: Vec<String>,
    /// Cues of a sentence about what followed the harm ("is now looked after", "since the
    /// incident"): not evidence of a value that marks `before-the-harm`.
    #[serde(default)]
    after_the_harm: Vec<String>,
    /// Cues of a sentence about a parent's own childhood or youth ("in her own childhood",
    /// "when he was a boy"): not evidence of a value that marks `not-in-a-parents-youth`.
    #[serde(default)]
    a_parents_youth: Vec<String>,
    /// Cues of a sentence about a parent's own parents or siblings ("her own mother's
    /// drinking", "Mother said her father was a heavy drinker"): not evidence of a value that
    /// marks `not-of-a-parents-family`.
    #[serde(default)]
    a_parents_family: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawNegation {
    before: Vec<String>,
    after: Vec<String>,
    /// Cues that govern the rest of their clause however long it runs: "there was no
    /// indication at any point that either parent misused alcohol".
    #[serde(default)]
    scope: Vec<String>,
    /// Cues of a sentence that says what should be, not what was: "initial assessments must
    /// include a review of previous referrals" is advice, not a fact of this case.
    #[serde(default)]
    prescriptive: Vec<String>,
    /// Negated verbs of knowing whose object is true: "the GP did not know that Mother was
    /// a care leaver" says she was one.
    #[serde(default)]
    factive: Vec<String>,
    /// Cues of a sentence that sets what it names outside the case: "MARAC … defined for
    /// the standard glossary and not relevant to this review".
    #[serde(default)]
    disclaimer: Vec<String>,
    window_words: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawValue {
    key: String,
    label: String,
    #[serde(default)]
    phrases: Vec<String>,
    min_mentions: Option<u32>,
    /// Fewer passages suffice in some review types: `{ dhr = 1 }`.
    #[serde(default)]
    min_mentions_in: BTreeMap<String, u32>,
    /// A mention counts only in a sentence that also matches one of these (for "parental"
    /// values: the parent must be in the sentence, not the child).
    #[serde(default)]
    context: Vec<String>,
    /// A mention does not count in a sentence that matches one of these: "looked after the
    /// children" is caring, not care; "her mother's history as a care leaver" is the parent's.
    #[serde(default)]
    unless: Vec<String>,
    /// A section heading that matches one of these does not head the practice theme, though
    /// the same words count in the text: "The children's fathers" over a family background.
    #[serde(default)]
    heading_unless: Vec<String>,
    /// A risk that stood before the harm: sentences with `settings.after-the-harm` cues tell
    /// the response to it ("placed with foster carers on discharge"), not the risk.
    #[serde(default)]
    before_the_harm: bool,
    /// A harm or risk of this child's family: sentences with `settings.a-parents-youth` cues
    /// tell a parent's own history ("beaten by her father in her own childhood"), not it.
    #[serde(default)]
    not_in_a_parents_youth: bool,
    /// A parent's own risk: sentences with `settings.a-parents-family` cues tell of the
    /// child's grandparents, uncles or aunts ("Mother's brother was a heavy drinker").
    #[serde(default)]
    not_of_a_parents_family: bool,
    /// Keys of the same group whose mentions explain this value's in the same sentence, when
    /// they are assigned: a skull fracture in a review of a head injury is that injury, not a
    /// second theme of physical abuse.
    #[serde(default)]
    yields_to: Vec<String>,
    /// Values (`key` of the same group, or `group/key`) that name a more specific form of this
    /// value: when one is assigned this one is not (child sexual exploitation is the sexual
    /// abuse of that review).
    #[serde(default)]
    subsumed_by: Vec<String>,
    /// Phrases that can be about the subject only once they are old enough: a baby is not a
    /// care leaver, so in a baby's review "care leaver" is the mother.
    phrases_from_age: Option<RawAgedPhrases>,
    /// Phrases that matter only while the subject is younger than this: a mother of 19 at
    /// the birth is a young parent in a baby's review, not in a teenager's.
    phrases_below_age: Option<RawAgedPhrases>,
    /// Phrases that count only in a sentence that dates them before the period the review
    /// covers: a child protection plan in the period is the response under review, one that
    /// ended years before is a previous concern.
    #[serde(default)]
    phrases_before_period: Vec<String>,
    /// Phrases that stop counting when another value is assigned: a wheelchair is a sign of
    /// disability, except in a review of fabricated illness, where it is the abuse.
    phrases_unless_assigned: Option<RawConditionalPhrases>,
    /// Review types in which a mention counts only in a sentence that names the subject
    /// child: a domestic homicide review is of an adult's killing, which is not the child's.
    #[serde(default)]
    about_subject_in: Vec<String>,
    /// Values of any group (`group/key`) that, when assigned, leave this value only the
    /// sentences that name the subject: in a review of a child's harmful sexual behaviour the
    /// sexual abuse told is mostly the other child's.
    #[serde(default)]
    about_subject_when: Vec<String>,
    /// Mentions inside quotation marks do not count: they are a label someone gave ("closed
    /// as “not engaging”"), which reviews quote to question it.
    #[serde(default)]
    not_in_quotes: bool,
    /// A sentence opening "He", "She" or "They" may take its `context` from the sentence
    /// before it in the same paragraph: "Mother was 29. She was looked after from nine."
    #[serde(default)]
    pronoun_context: bool,
    /// Mentions in a sentence that gives an age well above the subject's are about someone
    /// older: "accommodated when she was 14" in a baby's review is the mother's history.
    #[serde(default)]
    subject_age_only: bool,
    /// A risk of the child's own (missing episodes, a disability): a sentence that names
    /// another child by pseudonym, and not the subject, is that child's ("Child C, Child B's
    /// friend, had several missing episodes"), as it is for every theme.
    #[serde(default)]
    childs_own: bool,
    /// Phrases that count only in a sentence that gives an age well above the subject's:
    /// "looked after between the ages of 13 and 15" in a baby's review is a parent's care.
    #[serde(default)]
    phrases_when_older: Vec<String>,
    /// Phrases that count only in a sentence that names the subject child: "Young Person HW
    /// was seriously assaulted", not "Mr K had assaulted a previous girlfriend".
    #[serde(default)]
    phrases_about_subject: Vec<String>,
    /// Phrases that state the value outright: one affirmed mention counts as much as two
    /// paragraphs' ("the family was very isolated").
    #[serde(default)]
    strong_phrases: Vec<String>,
    /// Two different phrases of the value in one sentence state it outright, as a strong
    /// phrase does: "rent arrears, and the school gave food parcels".
    #[serde(default)]
    two_phrases_outright: bool,
    /// The outcome the value implies: a sudden unexpected death in infancy is a death, and
    /// "safe sleep advice was given" in a review of a dog bite is not one.
    #[serde(default)]
    only_with_outcome: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConditionalPhrases {
    value: String,
    phrases: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawAgedPhrases {
    years: f32,
    phrases: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawType {
    key: String,
    label: String,
    phrases: Vec<String>,
    #[serde(default)]
    nations: Vec<String>,
    #[serde(default)]
    acronyms: Vec<String>,
    from_year: Option<u16>,
    to_year: Option<u16>,
    /// The last year a nation used the type, where it stopped earlier than the others.
    #[serde(default)]
    nation_to_year: BTreeMap<String, u16>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawAge {
    key: String,
    label: String,
    /// Lower edge in years, inclusive; absent for `unborn`.
    from_years: Option<f32>,
    /// What a searcher types for this age ("under 1", "babies"); the classifier reads ages
    /// from the text, not from these.
    #[serde(default)]
    query_phrases: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLabel {
    key: String,
    label: String,
}

/// A facet value with the phrases that signal it.
#[derive(Debug, Clone)]
pub struct Value {
    pub key: String,
    pub label: String,
    pub pattern: Option<Regex>,
    pub min_mentions: u32,
    /// Review types in which fewer passages suffice.
    pub min_mentions_in: BTreeMap<String, u32>,
    pub context: Option<Regex>,
    pub unless: Option<Regex>,
    /// `unless` without the shared cues of a parent's youth, for values that take them: a
    /// teenager's own childhood, told of her by name, is hers ("Child B had been neglected
    /// when she was a child").
    pub unless_but_youth: Option<Regex>,
    /// Section headings that do not head the value, as `unless` vetoes sentences.
    pub heading_unless: Option<Regex>,
    pub yields_to: Vec<ValueRef>,
    pub subsumed_by: Vec<ValueRef>,
    /// Phrases that count only when the subject is at least this old (or of unknown age).
    pub aged: Option<AgedPhrases>,
    /// Phrases that count only when the subject is younger than this (or of unknown age).
    pub young: Option<AgedPhrases>,
    /// Phrases that count only when their sentence is dated before the review period.
    pub earlier: Option<Regex>,
    /// Phrases that do not count when the named value is assigned.
    pub unless_assigned: Option<(ValueRef, Regex)>,
    /// Review types in which mentions count only in sentences that name the subject child.
    pub about_subject_in: Vec<String>,
    /// Values that, when assigned, leave this one only sentences that name the subject.
    pub about_subject_when: Vec<ValueRef>,
    /// Mentions inside quotation marks do not count.
    pub not_in_quotes: bool,
    /// A pronoun-opening sentence may take its context from the sentence before.
    pub pronoun_context: bool,
    /// Mentions in a sentence about someone older than the subject do not count.
    pub subject_age_only: bool,
    /// Mentions in a sentence that names another child, and not the subject, do not count.
    pub childs_own: bool,
    /// Phrases that count only in a sentence about someone older than the subject.
    pub older: Option<Regex>,
    /// Phrases that count only in a sentence that names the subject.
    pub own: Option<Regex>,
    /// Phrases one affirmed mention of which counts as two paragraphs.
    pub strong: Option<Regex>,
    /// Those of the phrases about the subject that are also strong: strong only in a sentence
    /// that names the subject.
    pub own_strong: Option<Regex>,
    /// Two different phrases in one sentence count as a strong phrase.
    pub two_phrases_outright: bool,
    /// The outcome without which the value is not assigned.
    pub only_with_outcome: Option<String>,
}

impl Value {
    /// All the value's phrase matchers: its own, and those that need an older subject or an
    /// earlier date.
    pub fn patterns(&self) -> impl Iterator<Item = &Regex> {
        self.pattern
            .iter()
            .chain(self.aged.as_ref().map(|a| &a.pattern))
            .chain(self.young.as_ref().map(|a| &a.pattern))
            .chain(&self.earlier)
            .chain(&self.older)
            .chain(&self.own)
            .chain(self.unless_assigned.as_ref().map(|(_, p)| p))
    }

    /// The passages this value needs in a review of `review_type`.
    pub fn min_mentions_for(&self, review_type: Option<&str>) -> u32 {
        review_type
            .and_then(|t| self.min_mentions_in.get(t))
            .copied()
            .unwrap_or(self.min_mentions)
    }
}

/// A value named by another: `key` in the same group, or `group/key` in another of the
/// groups theme, risk and practice.
#[derive(Debug, Clone)]
pub struct ValueRef {
    pub group: Option<String>,
    pub key: String,
}

impl ValueRef {
    fn parse(name: String) -> ValueRef {
        match name.split_once('/') {
            Some((group, key)) => ValueRef {
                group: Some(group.to_string()),
                key: key.to_string(),
            },
            None => ValueRef {
                group: None,
                key: name,
            },
        }
    }

    /// Does this name `key` of `group`, read from a value of `own` group?
    pub fn names(&self, own: &str, group: &str, key: &str) -> bool {
        self.group.as_deref().unwrap_or(own) == group && self.key == key
    }
}

/// Phrases of a value that need an older or a younger subject (see [`Value::aged`] and
/// [`Value::young`]).
#[derive(Debug, Clone)]
pub struct AgedPhrases {
    /// The age in years the subject must have reached, or be below.
    pub years: f32,
    /// Below `years` (`phrases-below-age`) rather than from it (`phrases-from-age`).
    below: bool,
    pub pattern: Regex,
    /// Those of the phrases that are also strong: strong only at these ages.
    pub strong: Option<Regex>,
}

impl AgedPhrases {
    /// Do the phrases count for a subject of this age? An unknown age lets them count.
    pub fn apply_at(&self, age_years: Option<f32>) -> bool {
        age_years.is_none_or(|years| (years < self.years) == self.below)
    }
}

/// A review type with its names, nations and era.
#[derive(Debug, Clone)]
pub struct ReviewType {
    pub key: String,
    pub label: String,
    pub pattern: Regex,
    pub acronyms: Option<Regex>,
    pub nations: Vec<String>,
    pub from_year: Option<u16>,
    pub to_year: Option<u16>,
    /// The last year a nation used the type ("Serious Case Review" in Wales until 2012).
    pub nation_to_year: BTreeMap<String, u16>,
}

impl ReviewType {
    /// The nations that published this type in `year`.
    pub fn nations_in(&self, year: Option<u16>) -> impl Iterator<Item = &String> {
        self.nations.iter().filter(move |n| {
            year.is_none_or(|y| self.nation_to_year.get(*n).is_none_or(|last| y <= *last))
        })
    }
}

/// An age band with its lower edge (years); `None` is before birth.
#[derive(Debug, Clone)]
pub struct AgeBand {
    pub key: String,
    pub label: String,
    pub from_years: Option<f32>,
    /// Matches a query that names this age.
    pub query: Option<Regex>,
}

/// Key and label of a value that has no phrases of its own.
#[derive(Debug, Clone)]
pub struct Label {
    pub key: String,
    pub label: String,
}

/// The compiled taxonomy.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    pub themes: Vec<Value>,
    pub risks: Vec<Value>,
    pub practice: Vec<Value>,
    pub outcomes: Vec<Value>,
    pub nations: Vec<Value>,
    pub types: Vec<ReviewType>,
    pub ages: Vec<AgeBand>,
    pub languages: Vec<Label>,
    pub evidence_passages: usize,
    pub excluded_sections: Regex,
    pub negation_before: Regex,
    pub negation_after: Regex,
    pub negation_scope: Regex,
    /// Advice (`negation.prescriptive`) or a disclaimer (`negation.disclaimer`): a sentence
    /// that is not a fact of the case.
    pub not_a_fact: Regex,
    pub negation_factive: Regex,
    /// Any review type's name: "homicide" in "Domestic Homicide Review" names the review.
    pub type_names: Regex,
    /// A sentence that gives the review's conclusion about the harm ("an enquiry concluded
    /// that …", "the harm arose from …"): a theme it names there is stated outright.
    pub findings: Regex,
    pub negation_window_words: usize,
    /// How often each value was right when last measured (`accuracy.toml` beside the file).
    pub accuracy: Accuracy,
}

/// The facet groups of the API, in the order the search page shows them.
pub const GROUPS: [&str; 8] = [
    "theme", "risk", "age", "type", "nation", "outcome", "practice", "language",
];

impl Taxonomy {
    /// The taxonomy shipped with the binary.
    pub fn builtin() -> Taxonomy {
        let mut taxonomy = Taxonomy::parse(BUILTIN, "index-config/taxonomy.toml")
            .expect("the built-in taxonomy is valid (checked by a unit test)");
        taxonomy.accuracy = Accuracy::builtin();
        taxonomy
    }

    /// Load and compile a taxonomy file, with the `accuracy.toml` beside it if there is one.
    pub fn from_disk(path: &Path) -> Result<Taxonomy, TaxonomyError> {
        let text = std::fs::read_to_string(path).map_err(|source| TaxonomyError::Read {
            path: path.display().to_string(),
            source,
        })?;
        let mut taxonomy = Taxonomy::parse(&text, &path.display().to_string())?;
        // The measurement only informs what is shown: one that cannot be read is left out,
        // not a reason to refuse to run (nor to write it again).
        let accuracy = path.with_file_name("accuracy.toml");
        if accuracy.is_file() {
            match Accuracy::from_disk(&accuracy) {
                Ok(a) => taxonomy.accuracy = a,
                Err(e) => eprintln!("warning: {e}; facet accuracy is not shown"),
            }
        }
        Ok(taxonomy)
    }

    /// Parse and compile taxonomy TOML; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Taxonomy, TaxonomyError> {
        let raw: RawTaxonomy = toml::from_str(text).map_err(|source| TaxonomyError::Parse {
            path: origin.to_string(),
            source: Box::new(source),
        })?;
        Taxonomy::compile(raw)
    }

    fn compile(raw: RawTaxonomy) -> Result<Taxonomy, TaxonomyError> {
        let min = raw.settings.min_mentions;
        let after = raw.settings.after_the_harm.as_slice();
        let youth = raw.settings.a_parents_youth.as_slice();
        let family = raw.settings.a_parents_family.as_slice();
        let values =
            |group: &str, raw: Vec<RawValue>| -> Result<Vec<Value>, TaxonomyError> {
                check_keys(group, raw.iter().map(|v| v.key.as_str()))?;
                for v in &raw {
                    if let Some(k) = v
                        .yields_to
                        .iter()
                        .chain(&v.subsumed_by)
                        .chain(&v.about_subject_when)
                        .filter(|k| !k.contains('/'))
                        .find(|k| !raw.iter().any(|o| &o.key == *k))
                    {
                        return Err(TaxonomyError::Invalid(format!(
                            "{group} `{}` names unknown {group} `{k}`",
                            v.key
                        )));
                    }
                }
                raw.into_iter()
                .map(|v| {
                    let age_bound: Vec<&String> = [&v.phrases_from_age, &v.phrases_below_age]
                        .into_iter()
                        .flatten()
                        .flat_map(|a| &a.phrases)
                        .collect();
                    // A strong phrase may count only at some ages or only about the subject,
                    // and is then strong only there; a condition it cannot keep is refused
                    // rather than silently dropped.
                    if let Some(p) = v.strong_phrases.iter().find(|p| {
                        v.phrases_when_older.contains(p)
                            || v.phrases_before_period.contains(p)
                            || v.phrases_unless_assigned
                                .as_ref()
                                .is_some_and(|c| c.phrases.contains(p))
                            || (age_bound.contains(p) && v.phrases_about_subject.contains(p))
                    }) {
                        return Err(TaxonomyError::Invalid(format!(
                            "{group} `{}`: the strong phrase \"{p}\" is listed under a condition a \
                             strong phrase cannot take (it may be limited to some ages or to \
                             sentences naming the subject, not both, and not otherwise)",
                            v.key
                        )));
                    }
                    let (own_strong, unconditional_strong): (Vec<String>, Vec<String>) = v
                        .strong_phrases
                        .iter()
                        .filter(|p| !age_bound.contains(p))
                        .cloned()
                        .partition(|p| v.phrases_about_subject.contains(p));
                    Ok(Value {
                        // A strong phrase is a phrase too, unless it is one of the phrases that
                        // count only at some ages: then it counts only there.
                        pattern: if v.phrases.is_empty() && unconditional_strong.is_empty() {
                            None
                        } else {
                            Some(
                                phrase_regex(
                                    &[v.phrases.as_slice(), &unconditional_strong].concat(),
                                )
                                .map_err(|e| {
                                    TaxonomyError::Invalid(format!("{group} `{}`: {e}", v.key))
                                })?,
                            )
                        },
                        min_mentions: v.min_mentions.unwrap_or(min),
                        min_mentions_in: v.min_mentions_in,
                        context: optional_phrases(&v.context, || {
                            format!("{group} `{}` context", v.key)
                        })?,
                        unless: optional_phrases(
                            &[
                                v.unless.as_slice(),
                                if v.before_the_harm { after } else { &[] },
                                if v.not_in_a_parents_youth { youth } else { &[] },
                                if v.not_of_a_parents_family { family } else { &[] },
                            ]
                            .concat(),
                            || format!("{group} `{}` unless", v.key),
                        )?,
                        unless_but_youth: if v.not_in_a_parents_youth {
                            optional_phrases(
                                &[
                                    v.unless.as_slice(),
                                    if v.before_the_harm { after } else { &[] },
                                    if v.not_of_a_parents_family { family } else { &[] },
                                ]
                                .concat(),
                                || format!("{group} `{}` unless", v.key),
                            )?
                            // Only the youth cues: nothing else vetoes (`None` would read as
                            // "the value takes no youth cues").
                            .or_else(|| Some(Regex::new(r"[^\s\S]").expect("valid regex")))
                        } else {
                            None
                        },
                        heading_unless: optional_phrases(&v.heading_unless, || {
                            format!("{group} `{}` heading-unless", v.key)
                        })?,
                        aged: aged_phrases(v.phrases_from_age, false, &v.strong_phrases, || {
                            format!("{group} `{}` phrases-from-age", v.key)
                        })?,
                        young: aged_phrases(v.phrases_below_age, true, &v.strong_phrases, || {
                            format!("{group} `{}` phrases-below-age", v.key)
                        })?,
                        about_subject_in: v.about_subject_in,
                        about_subject_when: v
                            .about_subject_when
                            .into_iter()
                            .map(ValueRef::parse)
                            .collect(),
                        not_in_quotes: v.not_in_quotes,
                        pronoun_context: v.pronoun_context,
                        subject_age_only: v.subject_age_only,
                        childs_own: v.childs_own,
                        older: optional_phrases(&v.phrases_when_older, || {
                            format!("{group} `{}` phrases-when-older", v.key)
                        })?,
                        own: optional_phrases(&v.phrases_about_subject, || {
                            format!("{group} `{}` phrases-about-subject", v.key)
                        })?,
                        strong: optional_phrases(&unconditional_strong, || {
                            format!("{group} `{}` strong-phrases", v.key)
                        })?,
                        own_strong: optional_phrases(&own_strong, || {
                            format!("{group} `{}` strong-phrases", v.key)
                        })?,
                        two_phrases_outright: v.two_phrases_outright,
                        only_with_outcome: v.only_with_outcome,
                        unless_assigned: v
                            .phrases_unless_assigned
                            .map(|c| {
                                let pattern = named_phrases(&c.phrases, || {
                                    format!("{group} `{}` phrases-unless-assigned", v.key)
                                })?;
                                Ok::<_, TaxonomyError>((ValueRef::parse(c.value), pattern))
                            })
                            .transpose()?,
                        earlier: optional_phrases(&v.phrases_before_period, || {
                            format!("{group} `{}` phrases-before-period", v.key)
                        })?,
                        yields_to: v.yields_to.into_iter().map(ValueRef::parse).collect(),
                        subsumed_by: v.subsumed_by.into_iter().map(ValueRef::parse).collect(),
                        key: v.key,
                        label: v.label,
                    })
                })
                .collect()
            };
        check_keys("type", raw.review_type.iter().map(|v| v.key.as_str()))?;
        check_keys("age", raw.age.iter().map(|v| v.key.as_str()))?;
        check_keys("language", raw.language.iter().map(|v| v.key.as_str()))?;
        let nations = values("nation", raw.nation)?;
        let type_names = phrase_regex(
            &raw.review_type
                .iter()
                .flat_map(|t| t.phrases.iter().cloned())
                .collect::<Vec<_>>(),
        )
        .map_err(|e| TaxonomyError::Invalid(format!("type names: {e}")))?;
        let mut types = Vec::new();
        for t in raw.review_type {
            for n in t.nations.iter().chain(t.nation_to_year.keys()) {
                if !nations.iter().any(|v| &v.key == n) {
                    return Err(TaxonomyError::Invalid(format!(
                        "type `{}` names unknown nation `{n}`",
                        t.key
                    )));
                }
            }
            let invalid = |e: PhraseError| TaxonomyError::Invalid(format!("type `{}`: {e}", t.key));
            types.push(ReviewType {
                pattern: phrase_regex(&t.phrases).map_err(invalid)?,
                acronyms: if t.acronyms.is_empty() {
                    None
                } else {
                    Some(acronym_regex(&t.acronyms).map_err(invalid)?)
                },
                nations: t.nations,
                from_year: t.from_year,
                to_year: t.to_year,
                nation_to_year: t.nation_to_year,
                key: t.key,
                label: t.label,
            });
        }
        let invalid = |what: &'static str| {
            move |e: PhraseError| TaxonomyError::Invalid(format!("{what}: {e}"))
        };
        let themes = values("theme", raw.theme)?;
        let risks = values("risk", raw.risk)?;
        let practice = values("practice", raw.practice)?;
        for (group, values) in [
            ("theme", &themes),
            ("risk", &risks),
            ("practice", &practice),
        ] {
            for v in values.iter() {
                for y in v
                    .yields_to
                    .iter()
                    .chain(&v.subsumed_by)
                    .chain(v.unless_assigned.as_ref().map(|(r, _)| r))
                {
                    let Some(other) = &y.group else { continue };
                    let known = match other.as_str() {
                        "theme" => &themes,
                        "risk" => &risks,
                        "practice" => &practice,
                        _ => {
                            return Err(TaxonomyError::Invalid(format!(
                                "{group} `{}` names `{other}/{}`: `{other}` is not theme, risk \
                                 or practice",
                                v.key, y.key
                            )));
                        }
                    };
                    if !known.iter().any(|o| o.key == y.key) {
                        return Err(TaxonomyError::Invalid(format!(
                            "{group} `{}` names unknown {other} `{}`",
                            v.key, y.key
                        )));
                    }
                }
            }
        }
        let outcomes = values("outcome", raw.outcome)?;
        if let Some((v, o)) = themes
            .iter()
            .chain(&risks)
            .chain(&practice)
            .filter_map(|v| Some((v, v.only_with_outcome.as_ref()?)))
            .find(|(_, o)| !outcomes.iter().any(|x| &x.key == *o))
        {
            return Err(TaxonomyError::Invalid(format!(
                "`{}` names unknown outcome `{o}`",
                v.key
            )));
        }
        Ok(Taxonomy {
            themes,
            risks,
            practice,
            outcomes,
            nations,
            types,
            ages: raw
                .age
                .into_iter()
                .map(|a| {
                    Ok(AgeBand {
                        query: optional_phrases(&a.query_phrases, || format!("age `{}`", a.key))?,
                        key: a.key,
                        label: a.label,
                        from_years: a.from_years,
                    })
                })
                .collect::<Result<_, TaxonomyError>>()?,
            languages: raw
                .language
                .into_iter()
                .map(|l| Label {
                    key: l.key,
                    label: l.label,
                })
                .collect(),
            evidence_passages: raw.settings.evidence_passages.max(1),
            excluded_sections: phrase_regex(&raw.settings.excluded_sections)
                .map_err(invalid("excluded-sections"))?,
            findings: phrase_regex(&raw.settings.findings).map_err(invalid("findings"))?,
            negation_before: phrase_regex(&raw.negation.before)
                .map_err(invalid("negation.before"))?,
            negation_after: phrase_regex(&raw.negation.after).map_err(invalid("negation.after"))?,
            negation_scope: phrase_regex(&raw.negation.scope).map_err(invalid("negation.scope"))?,
            type_names,
            negation_factive: phrase_regex(&raw.negation.factive)
                .map_err(invalid("negation.factive"))?,
            not_a_fact: phrase_regex(
                &[
                    raw.negation.prescriptive.as_slice(),
                    &raw.negation.disclaimer,
                ]
                .concat(),
            )
            .map_err(invalid("negation.prescriptive or negation.disclaimer"))?,
            negation_window_words: raw.negation.window_words,
            accuracy: Accuracy::default(),
        })
    }

    /// Key → label for any facet group of the API.
    pub fn label(&self, group: &str, key: &str) -> Option<String> {
        self.values(group)
            .into_iter()
            .find(|(k, _)| k == key)
            .map(|(_, l)| l)
    }

    /// The (key, label) pairs of a facet group, in taxonomy order.
    pub fn values(&self, group: &str) -> Vec<(String, String)> {
        let pairs = |v: &[Value]| {
            v.iter()
                .map(|v| (v.key.clone(), v.label.clone()))
                .collect::<Vec<_>>()
        };
        match group {
            "theme" => pairs(&self.themes),
            "risk" => pairs(&self.risks),
            "practice" => pairs(&self.practice),
            "outcome" => pairs(&self.outcomes),
            "nation" => pairs(&self.nations),
            "type" => self
                .types
                .iter()
                .map(|t| (t.key.clone(), t.label.clone()))
                .collect(),
            "age" => self
                .ages
                .iter()
                .map(|a| (a.key.clone(), a.label.clone()))
                .collect(),
            "language" => self
                .languages
                .iter()
                .map(|l| (l.key.clone(), l.label.clone()))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The band for an age in years; negative means before birth.
    pub fn age_band(&self, years: f32) -> Option<&AgeBand> {
        if years < 0.0 {
            return self.ages.iter().find(|a| a.from_years.is_none());
        }
        self.ages
            .iter()
            .filter(|a| a.from_years.is_some_and(|f| years >= f))
            .max_by(|a, b| {
                a.from_years
                    .unwrap_or(0.0)
                    .total_cmp(&b.from_years.unwrap_or(0.0))
            })
    }
}

fn check_keys<'a>(group: &str, keys: impl Iterator<Item = &'a str>) -> Result<(), TaxonomyError> {
    let mut seen = std::collections::HashSet::new();
    for key in keys {
        let kebab = !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !kebab {
            return Err(TaxonomyError::Invalid(format!(
                "{group} key `{key}` is not kebab-case"
            )));
        }
        if !seen.insert(key.to_string()) {
            return Err(TaxonomyError::Invalid(format!(
                "{group} key `{key}` appears twice"
            )));
        }
    }
    Ok(())
}

/// Compile curator phrases into one case-insensitive regex.
///
/// A phrase is words; a space matches any run of spaces or hyphens, a hyphen matches a hyphen, a
/// space or nothing ("co-sleeping" finds "co sleeping" and "cosleeping"), a trailing `*` on a
/// word matches any ending ("neglect*"), and an apostrophe matches either quote mark.
/// A matcher for `phrases`, or `None` when there are none; `what` names them in an error.
fn optional_phrases(
    phrases: &[String],
    what: impl Fn() -> String,
) -> Result<Option<Regex>, TaxonomyError> {
    if phrases.is_empty() {
        return Ok(None);
    }
    named_phrases(phrases, what).map(Some)
}

/// Phrases that count only at some ages, compiled; `what` names them in an error.
fn aged_phrases(
    raw: Option<RawAgedPhrases>,
    below: bool,
    strong_phrases: &[String],
    what: impl Fn() -> String,
) -> Result<Option<AgedPhrases>, TaxonomyError> {
    raw.map(|a| {
        let strong: Vec<String> = a
            .phrases
            .iter()
            .filter(|p| strong_phrases.contains(p))
            .cloned()
            .collect();
        Ok(AgedPhrases {
            years: a.years,
            below,
            pattern: named_phrases(&a.phrases, &what)?,
            strong: optional_phrases(&strong, &what)?,
        })
    })
    .transpose()
}

/// A matcher for `phrases`; `what` names them in an error.
fn named_phrases(phrases: &[String], what: impl Fn() -> String) -> Result<Regex, TaxonomyError> {
    phrase_regex(phrases).map_err(|e| TaxonomyError::Invalid(format!("{}: {e}", what())))
}

/// Why a list of phrases does not compile.
#[derive(Debug, thiserror::Error)]
pub enum PhraseError {
    #[error(
        "phrase `{0}`: a `{{…}}` choice must start a word, be closed and not nested, and each option must have a letter or digit; `|` only separates options"
    )]
    UnclosedChoice(String),
    #[error(transparent)]
    Regex(#[from] regex::Error),
}

pub fn phrase_regex(phrases: &[String]) -> Result<Regex, PhraseError> {
    let alternatives: Vec<String> = phrases
        .iter()
        .filter(|p| !p.trim().is_empty())
        .map(|p| phrase_pattern(p).ok_or_else(|| PhraseError::UnclosedChoice(p.clone())))
        .collect::<Result<_, _>>()?;
    if alternatives.is_empty() {
        // Matches nothing.
        return Ok(Regex::new(r"[^\s\S]")?);
    }
    // ASCII word boundaries: a Unicode one keeps the regex engine off its fast path on any
    // text with a curly quote, and the phrases begin and end in ASCII letters.
    Ok(Regex::new(&format!(
        r"(?i)(?-u:\b)(?:{})(?-u:\b)",
        alternatives.join("|")
    ))?)
}

/// The pattern of one phrase, or `None` when a `{…}` choice is left open or nested.
fn phrase_pattern(phrase: &str) -> Option<String> {
    // An acronym ("DV", "SEND", "CSE") matches only in capitals: "send" and Welsh "da" are words.
    let acronym = phrase.len() >= 2
        && phrase
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && phrase.chars().any(|c| c.is_ascii_uppercase());
    if acronym {
        return Some(format!("(?-i:{})", regex::escape(phrase)));
    }
    let words = phrase_words(phrase)?;
    let mut out = words_pattern(&words)?;
    // The last word of a phrase of several may be plural: "earlier child protection plans",
    // "disabled {parent|mother}" "disabled parents".
    if words.len() > 1 && phrase.ends_with(|c: char| c.is_ascii_alphabetic() || c == '}') {
        out.push_str("(?:s|es)?");
    }
    Some(out)
}

/// A phrase's words, a `{…}` choice (and what is set tight after it, "{mother|father},")
/// being one word however many spaces it holds.
fn phrase_words(phrase: &str) -> Option<Vec<&str>> {
    let mut words = Vec::new();
    let mut rest = phrase.trim_start();
    while !rest.is_empty() {
        let from = if rest.starts_with('{') {
            rest.find('}')?
        } else {
            0
        };
        let end = rest[from..]
            .find(char::is_whitespace)
            .map_or(rest.len(), |i| from + i);
        let word = &rest[..end];
        let (choice, after) = match word.strip_prefix('{') {
            Some(inner) => inner.split_once('}')?,
            None => ("", word),
        };
        if choice.contains('{') || after.contains(['{', '}']) {
            return None;
        }
        words.push(word);
        rest = rest[end..].trim_start();
    }
    Some(words)
}

/// The titles that, followed by `*`, stand for a child's pseudonym: "Child *" is "Child B",
/// "Young Person *" is "Young Person AY1", never "child protection" nor "the child she …".
const PSEUDONYM_TITLES: [&[&str]; 7] = [
    &["Child"],
    &["Baby"],
    &["Infant"],
    &["Plentyn"],
    &["YP"],
    &["Young", "Person"],
    &["Person", "Ifanc"],
];

/// The pattern of a child's pseudonym, as its title is written ("Child *", or "Child *'s" for
/// the possessive), and the words it takes, when `words` begins with one.
fn pseudonym_pattern(words: &[&str]) -> Option<(String, usize)> {
    PSEUDONYM_TITLES.iter().find_map(|title| {
        let n = title.len();
        let possessive = match words.get(n) {
            Some(&"*") => "",
            Some(&"*'s" | &"*’s") => "['’]s",
            _ => return None,
        };
        (words[..n] == **title).then(|| {
            let title = title.join(r"\s+");
            (
                format!(r"(?-i:{title}\s+(?:[A-Z]{{1,2}}\d?|\d{{1,2}}){possessive})"),
                n + 1,
            )
        })
    })
}

fn words_pattern(words: &[&str]) -> Option<String> {
    let mut out = String::new();
    let mut skip = 0;
    for (i, word) in words.iter().enumerate() {
        if skip > 0 {
            skip -= 1;
            continue;
        }
        if i > 0 {
            // Words may be quoted apart: four “no access” visits.
            out.push_str(r"[\s\-‐–\x22“”‘’]+");
        }
        if let Some((pattern, taken)) = pseudonym_pattern(&words[i..]) {
            out.push_str(&pattern);
            skip = taken - 1;
            continue;
        }
        // A choice, `{mother|she}` or `{*|baby *|the baby}`: any one of its phrases, each with
        // a letter or digit of its own ("{-}" would match nothing at all, so anywhere).
        let (word, after_choice) = match word.strip_prefix('{').and_then(|w| w.split_once('}')) {
            Some((choice, after)) => {
                let options = choice
                    .split('|')
                    .map(|option| {
                        if !option.contains(|c: char| c.is_alphanumeric() || c == '*') {
                            return None;
                        }
                        words_pattern(&phrase_words(option)?)
                    })
                    .collect::<Option<Vec<_>>>()?;
                out.push_str(&format!("(?:{})", options.join("|")));
                (after, true)
            }
            None => (*word, false),
        };
        if word.contains('|') {
            return None;
        }
        // A lone `*` is any one word, a possessive too: "conflict between DZ's parents"; after
        // a choice it is a word ending, as after any stem ("{neglect|abuse}*").
        if word == "*" && !after_choice {
            out.push_str(r"[A-Za-z0-9_'’]+");
            continue;
        }
        // … with text set tight after it: "{Mr *,|partner,} of no fixed abode", "Mr *'s DNA".
        if let Some(tight) = word.strip_prefix('*').filter(|_| !after_choice) {
            if matches!(tight, "'s" | "’s") {
                out.push_str(r"[A-Za-z0-9_]+['’]s");
                continue;
            }
            if !tight.contains(|c: char| c.is_alphanumeric() || c == '*') {
                out.push_str(r"[A-Za-z0-9_'’]+");
                out.push_str(&regex::escape(tight));
                continue;
            }
        }
        let (stem, wildcard) = match word.strip_suffix('*') {
            Some(stem) => (stem, true),
            None => (word, false),
        };
        for (j, part) in stem.split('-').enumerate() {
            if j > 0 {
                out.push_str(r"[\s\-‐–]?");
            }
            for c in part.chars() {
                match c {
                    '\'' | '’' => out.push_str("['’]"),
                    c => out.push_str(&regex::escape(&c.to_string())),
                }
            }
        }
        if wildcard {
            out.push_str(r"\w*");
        }
    }
    Some(out)
}

/// Acronyms match case-sensitively as whole words.
fn acronym_regex(acronyms: &[String]) -> Result<Regex, PhraseError> {
    let alts: Vec<String> = acronyms.iter().map(|a| regex::escape(a)).collect();
    Ok(Regex::new(&format!(r"\b(?:{})\b", alts.join("|")))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_before_the_harm_takes_the_shared_after_the_harm_cues() {
        let t = Taxonomy::builtin();
        let risk = |key: &str| t.risks.iter().find(|v| v.key == key).unwrap();
        let after = "She is now living with her grandmother.";
        for key in [
            "looked-after-child",
            "housing-instability",
            "child-disability",
        ] {
            assert!(risk(key).unless.as_ref().unwrap().is_match(after), "{key}");
        }
        // A value not marked keeps only its own vetoes.
        assert!(
            risk("domestic-abuse")
                .unless
                .as_ref()
                .is_none_or(|u| !u.is_match(after))
        );
    }

    /// A strong phrase is matched as a phrase too, so the same phrase in both lists (or twice in
    /// one) is a copy a curator would have to keep in step by hand. A plain phrase also listed
    /// under a condition (an age, the subject named, a date before the period, another value)
    /// is worse: it counts everywhere, and the condition silently does nothing.
    #[test]
    fn no_shipped_value_lists_a_phrase_twice() {
        let raw: RawTaxonomy = toml::from_str(BUILTIN).unwrap();
        let mut copies = Vec::new();
        for (group, values) in [
            ("theme", &raw.theme),
            ("risk", &raw.risk),
            ("practice", &raw.practice),
            ("outcome", &raw.outcome),
            ("nation", &raw.nation),
        ] {
            for v in values {
                let conditional: Vec<&String> = [&v.phrases_from_age, &v.phrases_below_age]
                    .into_iter()
                    .flatten()
                    .flat_map(|a| &a.phrases)
                    .chain(&v.phrases_about_subject)
                    .chain(&v.phrases_when_older)
                    .chain(&v.phrases_before_period)
                    .chain(v.phrases_unless_assigned.iter().flat_map(|c| &c.phrases))
                    .collect();
                let mut seen = std::collections::HashSet::new();
                for p in v
                    .phrases
                    .iter()
                    .chain(v.strong_phrases.iter().filter(|p| !conditional.contains(p)))
                {
                    if !seen.insert(p) || conditional.contains(&p) {
                        copies.push(format!("{group} `{}`: {p}", v.key));
                    }
                }
            }
        }
        assert!(copies.is_empty(), "listed twice:\n{}", copies.join("\n"));
    }

    #[test]
    fn values_of_the_childs_family_take_the_shared_parents_youth_and_family_cues() {
        let t = Taxonomy::builtin();
        let youth = "He had been excluded and went missing often when he was a boy.";
        let theme = |key: &str| t.themes.iter().find(|v| v.key == key).unwrap();
        let risk = |key: &str| t.risks.iter().find(|v| v.key == key).unwrap();
        for value in [
            theme("physical-abuse"),
            theme("child-criminal-exploitation"),
            risk("child-missing"),
            risk("previous-cp-concerns"),
        ] {
            assert!(
                value.unless.as_ref().unwrap().is_match(youth),
                "{}",
                value.key
            );
        }
        // A parent's own risk is not her brother's or her father's.
        let family = "Mother said her father was a heavy drinker, as her brother is.";
        for key in ["parental-alcohol-misuse", "parental-drug-misuse"] {
            assert!(risk(key).unless.as_ref().unwrap().is_match(family), "{key}");
        }
        // A parent's care history is told of her youth: it is not marked.
        assert!(
            risk("parent-care-history")
                .unless
                .as_ref()
                .is_none_or(|u| !u.is_match(youth))
        );
    }

    #[test]
    fn builtin_taxonomy_compiles_and_has_the_stable_keys() {
        let t = Taxonomy::builtin();
        for key in [
            "neglect",
            "sudi",
            "radicalisation",
            "fgm-honour-based-abuse",
        ] {
            assert!(t.label("theme", key).is_some(), "theme {key}");
        }
        for key in ["domestic-abuse", "hidden-men", "culture-language-barriers"] {
            assert!(t.label("risk", key).is_some(), "risk {key}");
        }
        for key in [
            "icr",
            "scr",
            "serious-case-review",
            "cpr",
            "susr",
            "cmr",
            "dhr",
        ] {
            assert!(t.label("type", key).is_some(), "type {key}");
        }
        let ages: Vec<String> = t.values("age").into_iter().map(|(k, _)| k).collect();
        assert_eq!(
            ages,
            [
                "unborn", "under-1", "1-4", "5-10", "11-15", "16-17", "18-plus"
            ]
        );
    }

    #[test]
    fn phrases_tolerate_hyphens_spaces_and_wildcards() {
        let re = phrase_regex(&["co-sleeping".into(), "neglect*".into()]).unwrap();
        for hit in [
            "co-sleeping",
            "co sleeping",
            "cosleeping",
            "Neglectful",
            "NEGLECT",
        ] {
            assert!(re.is_match(hit), "{hit}");
        }
        assert!(!re.is_match("sleeping"));
        let one_word = phrase_regex(&["conflict between * parents".into()]).unwrap();
        assert!(one_word.is_match("the conflict between DZ's parents"));
        assert!(one_word.is_match("conflict between the parents"));
        assert!(!one_word.is_match("conflict between parents"));
        assert!(!one_word.is_match("conflict between his two parents"));
        let choice =
            phrase_regex(&["{mother|she} was 17 when {*|baby *|the baby} was born".into()])
                .unwrap();
        for hit in [
            "Mother was 17 when Baby FR was born",
            "she was 17 when CS was born",
            "mother was 17 when the baby was born",
        ] {
            assert!(choice.is_match(hit), "{hit}");
        }
        assert!(!choice.is_match("father was 17 when the baby was born"));
        assert!(!choice.is_match("she was 17 when her first baby was born"));
        // After a choice: a plural, and a word ending.
        let plural = phrase_regex(&["disabled {parent|mother}".into()]).unwrap();
        assert!(plural.is_match("her disabled parents"));
        let ending = phrase_regex(&["{neglect|abuse}*".into()]).unwrap();
        for hit in ["neglect", "neglectful", "abused"] {
            assert!(ending.is_match(hit), "{hit}");
        }
        let comma = phrase_regex(&["{mother|father}, aged 16".into()]).unwrap();
        assert!(comma.is_match("Her mother, aged 16, had"));
        assert!(!comma.is_match("Her mother aged 16"));
        for bad in [
            "{mother|she was 17",
            "{mother|{she}} was",
            "mother} was",
            "{|she} was",
            "{-} was",
            "{a|-} was",
            "mother|father was",
        ] {
            assert!(
                matches!(
                    phrase_regex(&[bad.into()]),
                    Err(PhraseError::UnclosedChoice(_))
                ),
                "{bad}"
            );
        }
        let acr = phrase_regex(&["SEND".into(), "DA".into()]).unwrap();
        assert!(acr.is_match("children with SEND"));
        assert!(!acr.is_match("send a letter"));
        assert!(!acr.is_match("ymarfer da"));
    }

    #[test]
    fn a_title_and_star_is_a_childs_pseudonym_as_reviews_write_it() {
        let re = phrase_regex(&[
            "neglect of {Child *|Young Person *}".into(),
            "not Child *'s father".into(),
        ])
        .unwrap();
        for yes in [
            "neglect of Child B",
            "neglect of Child AY1",
            "neglect of Child 2",
            "neglect of Young Person XN",
            "who was not Child B's father",
            "who was not Child B’s father",
        ] {
            assert!(re.is_match(yes), "{yes}");
        }
        for no in [
            "neglect of child protection",
            "neglect of Child Protection",
            "neglect of the child she",
            "neglect of young person she",
            "not Child B father",
        ] {
            assert!(!re.is_match(no), "{no}");
        }
    }

    #[test]
    fn a_star_keeps_the_punctuation_set_tight_after_it() {
        let tight = phrase_regex(&[
            "{Mr *,|partner,} of no fixed abode".into(),
            "Mr *'s DNA".into(),
        ])
        .unwrap();
        for yes in [
            "Mr D, of no fixed abode",
            "partner, of no fixed abode",
            "Mr D’s DNA",
        ] {
            assert!(tight.is_match(yes), "{yes}");
        }
        for no in ["Mr D of no fixed abode", "Mr DNA"] {
            assert!(!tight.is_match(no), "{no}");
        }
    }

    #[test]
    fn bands_follow_the_edges() {
        let t = Taxonomy::builtin();
        let band = |y: f32| t.age_band(y).map(|a| a.key.as_str());
        assert_eq!(band(-0.2), Some("unborn"));
        assert_eq!(band(0.3), Some("under-1"));
        assert_eq!(band(1.0), Some("1-4"));
        assert_eq!(band(4.9), Some("1-4"));
        assert_eq!(band(10.0), Some("5-10"));
        assert_eq!(band(15.5), Some("11-15"));
        assert_eq!(band(17.0), Some("16-17"));
        assert_eq!(band(19.0), Some("18-plus"));
    }

    #[test]
    fn unknown_keys_are_refused_with_their_name() {
        let bad = BUILTIN.replacen("min-mentions = 2", "min-mentionz = 2", 1);
        let err = Taxonomy::parse(&bad, "t.toml").unwrap_err().to_string();
        assert!(err.contains("min-mentionz"), "{err}");
    }

    #[test]
    fn a_strong_phrase_under_a_condition_it_cannot_keep_is_refused() {
        let bad = BUILTIN.replacen(
            r#"strong-phrases = ["statement of special educational needs"]"#,
            r#"strong-phrases = ["statement of special educational needs", "s asthma"]
phrases-when-older = ["s asthma"]"#,
            1,
        );
        assert_ne!(bad, BUILTIN);
        let err = Taxonomy::parse(&bad, "t.toml").unwrap_err().to_string();
        assert!(
            err.contains("child-disability") && err.contains("s asthma"),
            "{err}"
        );
    }

    #[test]
    fn yields_to_another_group_must_name_a_known_value() {
        let bad = BUILTIN.replacen("\"risk/previous-cp-concerns\"", "\"risk/no-such-risk\"", 1);
        let err = Taxonomy::parse(&bad, "t").unwrap_err().to_string();
        assert!(err.contains("no-such-risk"), "{err}");
        let bad = BUILTIN.replacen("\"risk/previous-cp-concerns\"", "\"age/under-1\"", 1);
        assert!(Taxonomy::parse(&bad, "t").is_err());
        let bad = BUILTIN.replacen(
            "only-with-outcome = \"death\"",
            "only-with-outcome = \"dead\"",
            1,
        );
        let err = Taxonomy::parse(&bad, "t").unwrap_err().to_string();
        assert!(err.contains("unknown outcome `dead`"), "{err}");
    }
}
