//! The subject child's age, from the ways reviews write it.
//!
//! "Child A was four months old when…", "aged 14", "a 3-month-old baby", "at 28 weeks'
//! gestation". Only mentions tied to the subject child count: a sibling's or parent's age in
//! the same sentence is skipped.

use regex::Regex;
use std::sync::LazyLock;

const NUMBER: &str = r"(\d{1,2}(?:\.\d)?|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|twenty-one|twenty-two|twenty-three|twenty-four)";

static AGE_OLD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b{NUMBER}[\s\-]+(day|week|month|year)s?[\s\-]+old\b"
    ))
    .expect("valid regex")
});
static COMPOUND: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b{NUMBER}[\s\-]+years?,?[\s\-]+(?:and[\s\-]+)?{NUMBER}[\s\-]+months?[\s\-]+old\b"
    ))
    .expect("valid regex")
});
/// "six months of age", "at the age of 14", "at age 14", "aged 14 months".
static OF_AGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b(?:{NUMBER}\s+(day|week|month|year)s?\s+of\s+age|at\s+(?:the\s+)?age\s+(?:of\s+)?{NUMBER}(?:\s+(day|week|month|year)s?)?)\b"
    ))
    .expect("valid regex")
});
/// "Child E (six months)" or "Child E (aged 14)".
static PARENTHESISED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\(\s*(?:aged\s+)?{NUMBER}(?:[\s\-]+(day|week|month|year)s?)?(?:[\s\-]+old)?\s*\)"
    ))
    .expect("valid regex")
});
/// A family table's row, as extraction writes it: "BY | 14", "Child K | 3 months".
static TABLE_CELL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\|\s*(\d{1,2})(?:\s+(day|week|month|year)s?)?\b").expect("valid regex")
});
/// "CS was eight." or "CS was eight, and …": an age given on its own.
static WAS_BARE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b(?:was|is)\s+{NUMBER}(?:\s*[.,;]|\s+and\b|\s*$)"
    ))
    .expect("valid regex")
});
/// "… is referred to as Child DL", "… is known in this report as Baby E".
static REFERRED_AS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:(?:is|was|are) )?(?:referred to|known)(?: here| in this (?:report|review))? as\b")
        .expect("valid regex")
});
static WHEN_BEFORE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bwhen\s+\S+\s*$").expect("valid regex"));
/// "when she was 16 years old": an age whose owner is the pronoun before it.
static WHEN_PRONOUN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bwhen (?:she|he) was\s*$").expect("valid regex"));
/// "Young Person J was 18 when he died".
static WAS_WHEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b(?:was|were)\s+{NUMBER}\s+(?:when|at the time)\b"
    ))
    .expect("valid regex")
});
static AGED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\baged\s+(?:about\s+|around\s+|approximately\s+|nearly\s+|almost\s+)?{NUMBER}(?:\s+(hour|day|week|month|year)s?)?\b"
    ))
    .expect("valid regex")
});
static GESTATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b{NUMBER}\s+weeks['’]?\s+(?:of\s+)?(?:gestation|pregnant)\b"
    ))
    .expect("valid regex")
});
/// A pronoun opening the main clause after a short fronted phrase: "In November 2009, aged
/// ten months, she was …".
static FRONTED_PRONOUN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[^.;]{4,80}?, (she|he) ").expect("valid regex"));
/// A title that ends just before a name: "Ms ", "Mr ", "Mrs ", "Miss ", "Dr ".
static TITLE_BEFORE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?:Mr|Ms|Mrs|Miss|Dr)\.? $").expect("valid regex"));
/// How many pronoun sentences in a row may go on about the name before them.
const PRONOUN_RUN: usize = 2;
/// Sentence openings that go on about the person the sentence before named.
pub(super) const PRONOUN_OPENINGS: [&str; 5] = ["He ", "She ", "They ", "Her ", "His "];

/// A death or injury within hours or days of birth: "died … within hours of being born".
static NEWBORN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:within|a few|several|some) (?:minutes|hours|days) (?:of|after) (?:being born|(?:the |her |his )?birth)\b|\b(?:minutes|hours) after (?:being born|(?:the |her |his )?birth)\b")
        .expect("valid regex")
});
/// "a newborn baby, referred to here as Baby EJ".
static NEWBORN_ADJ: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bnew-?born\b").expect("valid regex"));
/// Other people whose ages reviews give beside the child's. A line-end "half-/brother" comes
/// out of extraction as one word.
static OTHER_PERSON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(mother|father|sibling|siblings|brothers?|sisters?|half-?brothers?|half-?sisters?|step-?brothers?|step-?sisters?|partner|parent|parents|grandmother|grandfather|grandparents?|aunts?|uncles?|cousins?|nieces?|nephews?|friends?|classmates?|neighbours?|Mr|Ms|Mrs|Adult|boyfriend|girlfriend|step-?father|step-?mother|carers?)\b")
        .expect("valid regex")
});

/// An age found in the text.
#[derive(Debug, Clone, PartialEq)]
pub struct AgeFinding {
    /// Age in years; negative before birth (weeks of gestation short of term).
    pub years: f32,
    /// The sentence it came from.
    pub sentence: String,
}

pub(super) fn number(word: &str) -> Option<f32> {
    let w = word.to_ascii_lowercase();
    let n = match w.as_str() {
        "a" | "an" | "one" => 1.0,
        "two" => 2.0,
        "three" => 3.0,
        "four" => 4.0,
        "five" => 5.0,
        "six" => 6.0,
        "seven" => 7.0,
        "eight" => 8.0,
        "nine" => 9.0,
        "ten" => 10.0,
        "eleven" => 11.0,
        "twelve" => 12.0,
        "thirteen" => 13.0,
        "fourteen" => 14.0,
        "fifteen" => 15.0,
        "sixteen" => 16.0,
        "seventeen" => 17.0,
        "eighteen" => 18.0,
        "nineteen" => 19.0,
        "twenty" => 20.0,
        "twenty-one" => 21.0,
        "twenty-two" => 22.0,
        "twenty-three" => 23.0,
        "twenty-four" => 24.0,
        _ => return w.parse().ok(),
    };
    Some(n)
}

fn to_years(n: f32, unit: Option<&str>) -> f32 {
    match unit.map(|u| u.to_ascii_lowercase()) {
        Some(u) if u.starts_with("hour") => n / (365.0 * 24.0),
        Some(u) if u.starts_with("day") => n / 365.0,
        Some(u) if u.starts_with("week") => n / 52.0,
        Some(u) if u.starts_with("month") => n / 12.0,
        _ => n,
    }
}

/// Is the age at `start..end` of `sentence` about the subject, whose mentions are at `subject`?
///
/// The subject must be named before the age with nobody else named in between, or the age must
/// directly describe the subject ("a four-month-old baby, Child A").
/// Does the subject's name come straight after `at`, past a comma: "when she was 15, DB"?
fn subject_follows(sentence: &str, at: usize, subject: &Regex) -> bool {
    subject
        .find(sentence[at..].trim_start_matches([',', ' ']))
        .is_some_and(|m| m.start() == 0)
}

/// Does the subject open the clause after the next comma in `rest`, with nobody else named
/// before it ("…, EB disclosed")?
fn clause_subject_follows(rest: &str, within: usize, subject: &Regex) -> bool {
    rest.find(", ").is_some_and(|comma| {
        comma <= within
            && !OTHER_PERSON.is_match(&rest[..comma])
            && subject_follows(rest, comma, subject)
    })
}

fn tied_to_subject(
    sentence: &str,
    start: usize,
    end: usize,
    subject: &Regex,
    adjective: bool,
) -> bool {
    // "Their daughter, who was twelve when her mother died, is referred to as Child DL":
    // the age of the person the sentence names the subject.
    if let Some(m) = REFERRED_AS.find(&sentence[end..])
        && subject
            .find(&sentence[end + m.end()..])
            .is_some_and(|s| s.start() <= 2)
    {
        return true;
    }
    let before = &sentence[..start];
    // "… was found by her 11-year-old (older) sister": a hyphenated age is its noun's, unless
    // it is said of the subject ("Child A, a 16-year-old mother").
    if adjective
        && sentence[start..end].ends_with("-old")
        && !subject.find_iter(before).last().is_some_and(|m| {
            matches!(
                before[m.end()..].trim(),
                "," | ", a" | ", an" | "is a" | "was a"
            )
        })
        && names_someone_else(&sentence[end..])
    {
        return false;
    }
    // "Child A was four months old": the subject named first, nobody else in between.
    if let Some(m) = subject.find_iter(before).last()
        && !is_titled(sentence, m)
    {
        let between = &before[m.end()..];
        // "Mother was 19 when DB was born and was 34": the subject in a when-clause, the age
        // in the clause that goes on about someone else.
        let in_when_clause = before[..m.start()].to_ascii_lowercase().ends_with("when ")
            && between.contains(" and ");
        if between.len() <= 140 && !OTHER_PERSON.is_match(between) && !in_when_clause {
            return true;
        }
    }
    // "In October 2015, when she was 15, DB was found": the age, then the subject.
    let mut from = before.len().saturating_sub(24);
    while !before.is_char_boundary(from) {
        from += 1;
    }
    let lead_in = &before[from..];
    if WHEN_BEFORE.is_match(before)
        && !OTHER_PERSON.is_match(lead_in)
        && subject_follows(sentence, end, subject)
    {
        return true;
    }
    // "In March 2019, when she was 16 years old and living in a children's home, EB
    // disclosed …": the when-clause's pronoun is the subject of the clause it leads into.
    if WHEN_PRONOUN.is_match(before)
        && !OTHER_PERSON.is_match(before)
        && clause_subject_follows(&sentence[end..], 140, subject)
    {
        return true;
    }
    // "In October 2021, aged eight months (five months corrected), TH was brought to …": a
    // fronted "aged" phrase is the age of the clause's subject.
    if sentence[start..end]
        .to_ascii_lowercase()
        .starts_with("aged")
        && (before.trim_end().is_empty() || before.trim_end().ends_with(','))
        && clause_subject_follows(&sentence[end..], 80, subject)
    {
        return true;
    }
    if !adjective {
        return false;
    }
    let mut stop = sentence.len().min(end + 40);
    while !sentence.is_char_boundary(stop) {
        stop -= 1;
    }
    let after = &sentence[end..stop];
    if let Some(m) = subject.find(after) {
        let between = after[..m.start()]
            .trim_matches(|c: char| c.is_whitespace() || c == ',' || c == '(')
            .to_ascii_lowercase();
        return matches!(
            between.as_str(),
            "" | "baby" | "boy" | "girl" | "child" | "infant" | "baby boy" | "baby girl"
        );
    }
    false
}

/// The subject child's age from `sentences` (in document order).
///
/// `subject` matches the child's names ("Child A", "the baby"). `unborn` says whether the
/// review is about a child who was not yet born; then only a gestation counts.
pub fn find_age<'a>(
    sentences: impl Iterator<Item = &'a str> + Clone,
    subject: &Regex,
    unborn: bool,
) -> Option<AgeFinding> {
    if unborn {
        for sentence in sentences.clone() {
            if let Some(c) = GESTATION.captures(sentence) {
                let weeks = number(&c[1]).unwrap_or(30.0);
                return Some(AgeFinding {
                    years: -((40.0 - weeks).max(0.5)) / 52.0,
                    sentence: sentence.to_string(),
                });
            }
        }
        return Some(AgeFinding {
            years: -0.1,
            sentence: String::new(),
        });
    }
    // "Young Person N was found dead in the flat. He was 18 years old.": a sentence opening
    // with a pronoun right after one that names the subject is read as naming the subject.
    let mut previous_name: Option<String> = None;
    // How many "She …" sentences in a row have gone on about that name.
    let mut gone_on = 0;
    for sentence in sentences {
        let direct = age_in(sentence, subject);
        let years = direct.or_else(|| {
            let name = previous_name.as_deref()?;
            if let Some(rest) = PRONOUN_OPENINGS
                .iter()
                .find_map(|p| sentence.strip_prefix(p))
            {
                return age_in(&format!("{name} {rest}"), subject);
            }
            // "In November 2009, aged ten months, she was brought to …": a pronoun that opens
            // the clause after a fronted phrase is the person the sentence before named too.
            let (lead, rest) = FRONTED_PRONOUN.captures(sentence).map(|c| {
                let pronoun = c.get(1).expect("group 1");
                (&sentence[..pronoun.start()], &sentence[pronoun.end()..])
            })?;
            if OTHER_PERSON.is_match(lead) {
                return None;
            }
            age_in(&format!("{lead}{name}{rest}"), subject)
        });
        if let Some(years) = years {
            return Some(AgeFinding {
                years,
                sentence: sentence.to_string(),
            });
        }
        // A following "She" is the subject only if the sentence is about the subject, not
        // about someone named before it ("Mother was 33 when CS died") or the subject's
        // relative ("CS's mother had …").
        // A "She …" sentence that names nobody goes on about the same person, for a sentence
        // or two, as a pronoun reaches.
        let goes_on = PRONOUN_OPENINGS.iter().any(|p| sentence.starts_with(p))
            && !subject.is_match(sentence)
            && !OTHER_PERSON.is_match(sentence)
            && gone_on < PRONOUN_RUN;
        if goes_on {
            gone_on += 1;
        } else {
            gone_on = 0;
            previous_name = subject
                .find(sentence)
                .filter(|m| {
                    !is_possessive(sentence, *m)
                        && !is_titled(sentence, *m)
                        && !OTHER_PERSON.is_match(&sentence[..m.start()])
                })
                .map(|m| m.as_str().to_string());
        }
    }
    None
}

/// Is the name at `m` someone's relation rather than the subject of the sentence: "CS's mother"?
pub(super) fn is_possessive(sentence: &str, m: regex::Match<'_>) -> bool {
    let Some(rest) = sentence[m.end()..]
        .strip_prefix(['\'', '’'])
        .and_then(|r| r.strip_prefix('s'))
    else {
        return false;
    };
    // "CS's maternal grandmother" is someone else; "CS's account" is CS's own.
    names_someone_else(rest)
}

/// Is the name at `m` a grown-up's, with a title before it: "Ms NU was 24" in the review of
/// Baby NU, whose mother shares the letters?
pub(super) fn is_titled(sentence: &str, m: regex::Match<'_>) -> bool {
    TITLE_BEFORE.is_match(&sentence[..m.start()])
}

/// Does one of the next two words of `rest` name another person ("(older) sister", "maternal
/// grandmother"), or is the next word a man or a woman ("a 34-year-old man")?
fn names_someone_else(rest: &str) -> bool {
    let words: Vec<&str> = rest.split_whitespace().take(2).collect();
    words.iter().any(|word| OTHER_PERSON.is_match(word))
        // "a 34-year-old man", but not "a 17-year-old young man", who may be the subject.
        || words.first().is_some_and(|w| {
            let w = w.trim_end_matches([',', '.', ';']);
            ["man", "woman", "men", "women"]
                .iter()
                .any(|grown_up| w.eq_ignore_ascii_case(grown_up))
        })
}

/// The subject's age in years if this sentence gives it.
fn age_in(sentence: &str, subject: &Regex) -> Option<f32> {
    for c in COMPOUND.captures_iter(sentence) {
        let whole = c.get(0).expect("group 0");
        if tied_to_subject(sentence, whole.start(), whole.end(), subject, true)
            && let (Some(y), Some(m)) = (number(&c[1]), number(&c[2]))
        {
            return Some(y + m / 12.0);
        }
    }
    for c in OF_AGE.captures_iter(sentence) {
        let whole = c.get(0).expect("group 0");
        if !tied_to_subject(sentence, whole.start(), whole.end(), subject, false) {
            continue;
        }
        // Either "N units of age" (groups 1, 2) or "at the age of N [units]" (3, 4).
        let (n, unit) = match (c.get(1), c.get(3)) {
            (Some(n), _) => (n.as_str(), c.get(2).map(|m| m.as_str())),
            (None, Some(n)) => (n.as_str(), c.get(4).map(|m| m.as_str())),
            _ => continue,
        };
        if let Some(n) = number(n) {
            return Some(to_years(n, unit));
        }
    }
    for (re, adjective) in [
        (&*AGE_OLD, true),
        (&*AGED, false),
        (&*WAS_WHEN, false),
        (&*PARENTHESISED, false),
        (&*TABLE_CELL, false),
        (&*WAS_BARE, false),
    ] {
        for c in re.captures_iter(sentence) {
            let whole = c.get(0).expect("group 0");
            if !tied_to_subject(sentence, whole.start(), whole.end(), subject, adjective) {
                continue;
            }
            // "… in 2007, when she was eight," is an earlier age, not the age at the incident,
            // unless the subject follows at once ("when she was 15, DB was found").
            if std::ptr::eq(re, &*WAS_BARE)
                && WHEN_BEFORE.is_match(&sentence[..whole.start()])
                && !subject_follows(sentence, whole.end(), subject)
            {
                continue;
            }
            let Some(n) = number(&c[1]) else { continue };
            return Some(to_years(n, c.get(2).map(|m| m.as_str())));
        }
    }
    if let Some(m) = NEWBORN.find(sentence)
        && tied_to_subject(sentence, m.start(), m.end(), subject, false)
    {
        return Some(0.0);
    }
    if let Some(m) = NEWBORN_ADJ.find(sentence)
        && tied_to_subject(sentence, m.start(), m.end(), subject, true)
    {
        return Some(0.0);
    }
    None
}

/// "Child A was born in March 2015 and died in June 2015": the age from two dates, when the
/// text gives no age in words. The birth must name the subject; the event is the first month
/// and year after it in a sentence about a death, an admission or an injury.
pub fn age_from_dates<'a>(
    sentences: impl Iterator<Item = &'a str> + Clone,
    subject: &Regex,
) -> Option<AgeFinding> {
    let month_year = |text: &str| -> Vec<(usize, i32)> {
        MONTH_YEAR
            .captures_iter(text)
            .filter_map(|c| {
                let month = MONTHS
                    .iter()
                    .position(|m| c[1].to_ascii_lowercase().starts_with(m))?;
                let year: i32 = c[2].parse().ok()?;
                Some((c.get(0)?.start(), year * 12 + month as i32))
            })
            .collect()
    };
    let mut birth: Option<i32> = None;
    for sentence in sentences.clone() {
        if let Some(b) = BORN.find(sentence)
            && subject.is_match(&sentence[..b.start()])
            && let Some((_, m)) = month_year(&sentence[b.end()..]).first()
        {
            birth = Some(*m);
            // The same sentence may carry the event: "… born in March 2015 and died in June 2015".
            let rest = &sentence[b.end()..];
            if let Some(e) = EVENT.find(rest)
                && let Some((_, at)) = month_year(&rest[e.start()..]).first()
                && *at >= *m
            {
                return Some(AgeFinding {
                    years: (*at - *m) as f32 / 12.0,
                    sentence: sentence.to_string(),
                });
            }
            break;
        }
    }
    let birth = birth?;
    for sentence in sentences {
        if !EVENT.is_match(sentence) || !subject.is_match(sentence) {
            continue;
        }
        if let Some((_, at)) = month_year(sentence).into_iter().find(|(_, m)| *m >= birth) {
            return Some(AgeFinding {
                years: (at - birth) as f32 / 12.0,
                sentence: sentence.to_string(),
            });
        }
    }
    None
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

static MONTH_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(January|February|March|April|May|June|July|August|September|October|November|December)\s+((?:19|20)\d\d)\b")
        .expect("valid regex")
});

static BORN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(?:was|were)\s+born\b").expect("valid regex"));

static EVENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:died|death|admitted|injur\w*|taken to hospital|found dead|collapsed)\b")
        .expect("valid regex")
});

#[cfg(test)]
mod tests {
    use super::*;

    fn subject() -> Regex {
        Regex::new(r"\b(Child A|the baby)\b").unwrap()
    }

    fn age(text: &[&str]) -> Option<f32> {
        find_age(text.iter().copied(), &subject(), false).map(|a| a.years)
    }

    #[test]
    fn a_fronted_aged_phrase_is_the_clause_subjects_age() {
        let months = age(&[
            "In October 2021, aged eight months (about five months corrected \
             for prematurity), Child A was brought to the Emergency Department.",
        ])
        .expect("an age");
        assert!((months - 8.0 / 12.0).abs() < 0.01, "{months}");
        // Someone else between the age and the subject takes it.
        assert_eq!(
            age(&["In 2019, aged 34, her mother told Child A she was leaving."]),
            None
        );
    }

    #[test]
    fn an_approximate_age_is_an_age() {
        let months = age(&["In August 2021, Child A, then aged about five months, was admitted."])
            .expect("an age");
        assert!((months - 5.0 / 12.0).abs() < 0.01, "{months}");
        let hours =
            age(&["Child A died in the afternoon, aged about twelve hours."]).expect("an age");
        assert!(hours < 0.01, "{hours}");
    }

    #[test]
    fn at_age_is_at_the_age_of() {
        assert_eq!(age(&["Child A was admitted at age 13."]), Some(13.0));
    }

    #[test]
    fn a_pronoun_after_a_fronted_phrase_goes_on_about_the_subject() {
        let years = age(&[
            "Child A was born prematurely, one of twins, in January 2009.",
            "She had a congenital heart defect.",
            "In November 2009, aged ten months, she was brought to the emergency department.",
        ]);
        assert!(
            years.is_some_and(|y| (y - 10.0 / 12.0).abs() < 0.01),
            "{years:?}"
        );
        // Not when the sentence before was about someone else.
        assert_eq!(
            age(&[
                "Child A's mother moved to the town in 2015.",
                "In 2016, aged 19, she met Mr B."
            ]),
            None
        );
    }

    #[test]
    fn an_adjective_age_belongs_to_its_noun() {
        assert_eq!(
            age(&[
                "Child A, a girl then aged two years and three months, was found face down \
                   in the bath by her 11-year-old sister."
            ]),
            Some(2.0)
        );
        assert_eq!(
            age(&["Child A, a 16-year-old mother, was assaulted by her partner."]),
            Some(16.0)
        );
        // A man or woman is someone else; a young man may be the subject.
        assert_eq!(
            age(&[
                "Between June 2022 and February 2023 Child A, a girl who was 13 at the time, \
                 was groomed and sexually abused by a 34-year-old man."
            ]),
            Some(13.0)
        );
        assert_eq!(
            age(&["Child A, a 17-year-old young man, was found in a stairwell."]),
            Some(17.0)
        );
    }

    #[test]
    fn a_possessive_names_someone_else_only_before_a_relation() {
        let re = subject();
        let possessive = |text: &str| is_possessive(text, re.find(text).unwrap());
        assert!(possessive("Child A's maternal grandmother died in 2016."));
        assert!(possessive("Child A’s mother was 19."));
        assert!(!possessive("Child A's account to his teacher was clear."));
        assert!(!possessive("Child A said little."));
    }

    #[test]
    fn reads_the_common_forms() {
        assert_eq!(
            age(&["Child A was four months old when admitted."]),
            Some(4.0 / 12.0)
        );
        assert_eq!(
            age(&["Child A, aged 14, was reported missing."]),
            Some(14.0)
        );
        assert_eq!(
            age(&["A 3-month-old baby, Child A, was admitted."]),
            Some(0.25)
        );
        assert_eq!(age(&["Child A was seven weeks old."]), Some(7.0 / 52.0));
        assert_eq!(
            age(&["Child A was two years and two months old when found."]),
            Some(2.0 + 2.0 / 12.0)
        );
        assert_eq!(age(&["Child A was 18 when he died."]), Some(18.0));
        assert_eq!(age(&["Child A was six months of age."]), Some(0.5));
        assert_eq!(age(&["Child A (six months) was admitted."]), Some(0.5));
        assert_eq!(age(&["Child A left school at the age of 15."]), Some(15.0));
        assert_eq!(age(&["Child A was eight."]), Some(8.0));
        assert_eq!(
            age(&["In October 2015, when she was 15, Child A was found."]),
            Some(15.0)
        );
        assert_eq!(
            age(&["Child A's half-brothers, now aged 10 and 7, live away."]),
            None
        );
        assert_eq!(
            age(&["Mother was 19 when Child A was born and was 34 in 2017."]),
            None
        );
        assert_eq!(
            age(&[
                "Their daughter, who was twelve when her mother died, is referred to as Child A."
            ]),
            Some(12.0)
        );
        assert_eq!(
            age(&["Child A came here in 2007, when she was eight."]),
            None
        );
        assert_eq!(
            age(&[
                "In March 2019, when she was 16 years old and living in a children's home \
                   run by the Trust, Child A disclosed abuse."
            ]),
            Some(16.0)
        );
        assert_eq!(
            age(&["In 2019, when she was 16, her mother told Child A to leave."]),
            None
        );
        assert_eq!(
            age(&["The review concerns a newborn baby, referred to here as Child A."]),
            Some(0.0)
        );
        // "She" after a sentence about someone else is not the subject.
        assert_eq!(
            age(&[
                "Mother was 33 when Child A died.",
                "She was first unwell in 2012, aged 22."
            ]),
            None
        );
        // A family table, one row a line.
        assert_eq!(
            age(&["Mother | 40", "Child A | 14", "Brother | 9"]),
            Some(14.0)
        );
        assert_eq!(age(&["Sister | 16 Child A | 3 months"]), Some(0.25));
        assert_eq!(
            age(&[
                "This review concerns Child A, a baby girl who died in December 2020, within \
                   hours of being born."
            ]),
            Some(0.0)
        );
        // A long introduction between the name and the age, nobody else in it.
        assert_eq!(
            age(&[
                "This review concerns a young woman referred to as Child A, a Vietnamese national, \
                 who came to the attention of agencies in Ardmhor in September 2017, when she was \
                 14 years old."
            ]),
            Some(14.0)
        );
    }

    #[test]
    fn skips_siblings_and_parents() {
        let text = [
            "Child A's mother, aged 19, lived with her partner.",
            "Child A lived with a sister aged 6 and was himself two years old.",
        ];
        // The second sentence names the sister between Child A and "aged 6"; "two years old"
        // follows "himself", still after the sister, so neither is taken.
        assert_eq!(age(&text), None);
        assert_eq!(
            age(&["Mother, aged 19, and Child A, aged 2, moved."]),
            Some(2.0)
        );
        assert_eq!(age(&["Child A | 14 Younger brother | 9"]), Some(14.0));
        assert_eq!(age(&["Mother | 40 Younger brother | 9"]), None);
        // "half-/brother" across a line end, joined by extraction.
        assert_eq!(
            age(&["Child A has an older halfbrother, aged 19, who lives away."]),
            None
        );
    }

    #[test]
    fn unborn_children_take_their_gestation() {
        let years = find_age(
            ["She was 28 weeks pregnant when she was killed."].into_iter(),
            &subject(),
            true,
        )
        .unwrap()
        .years;
        assert!(years < 0.0);
    }

    #[test]
    fn age_from_the_dates_of_birth_and_death() {
        let found = age_from_dates(
            ["Child A was born in March 2015 and died in June 2015."].into_iter(),
            &subject(),
        )
        .unwrap();
        assert_eq!(found.years, 0.25);
        let found = age_from_dates(
            [
                "Her brother was born in May 2010.",
                "Child A was born in October 2013.",
                "In January 2016 Child A was admitted to hospital with a fractured arm.",
            ]
            .into_iter(),
            &subject(),
        )
        .unwrap();
        assert_eq!(found.years, 27.0 / 12.0);
    }
}
