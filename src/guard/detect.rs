//! Residual personal-data detection for extracted review text.
//!
//! Case reviews are meant to be anonymised before publication, but anonymisation fails in
//! practice: a phone number survives in an appendix, a real name is left in a chronology.
//! [`scan`] looks for the UK-shaped identifiers that most often leak, and [`redact`] replaces
//! them, so that nothing identifying reaches the index.
//!
//! The detectors are deliberately conservative, because review prose is full of pseudonyms
//! ("Mr X", "Mother"), dates of visits, paragraph numbers and years:
//!
//! * **Email**: `local@domain.tld`.
//! * **Phone**: UK mobiles (07…) and geographic / 03 landlines, national or `+44` / `0044`
//!   forms, with the usual spacings and a bracketed area code. Non-geographic 08/09 service
//!   numbers (helplines such as 0808 800 5000) are *not* flagged: they are not personal data.
//! * **Postcode**: full postcodes only (outward + inward), upper case, or consistently lower
//!   case with a space. Outward districts alone ("CF10") are not flagged, nor are shapes inside
//!   longer alphanumeric tokens or ordinal look-alikes ("Y9 2ND").
//! * **NhsNumber**: ten digits, contiguous or 3-3-4, only with a valid modulus-11 check digit.
//! * **NiNumber**: two letters, six digits, a suffix A–D, upper case, with the official prefix
//!   rules. The HMRC specimen prefix `QQ` is accepted despite those rules, so that documented
//!   example numbers (and test fixtures) are caught.
//! * **DateOfBirth**: a full date (day, month and year) tied to birth: "born 14/03/2011",
//!   "born prematurely on 14 March 2011", "date of birth: 14.03.2011", "DOB 14/03/11",
//!   "d.o.b.". Only the date is reported. A bare date, or a month and year ("born in March
//!   2015"), is not.
//! * **FullName**: a title followed by a capitalised first name *and* surname ("Mrs Jane Doe",
//!   "Dr. Rupert Smith-Jones", "Mr John O'Neill"). Pseudonyms of one letter ("Mr X", "Mrs B."),
//!   a title with a single surname ("Mr Smith": too common in legitimate prose to flag
//!   without false positives), a title with an initial ("Mr J Smith"), roles ("Dr GP"),
//!   known organisations ("Dr Barnardo's") and judicial styles with one name ("Mr Justice
//!   Hayden") are not flagged. Names in all capitals are not flagged either.

use regex::Regex;
use std::collections::{BTreeMap, HashSet};
use std::sync::LazyLock;

/// The kind of personal data a [`Finding`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Email,
    Phone,
    Postcode,
    NhsNumber,
    NiNumber,
    DateOfBirth,
    FullName,
}

impl Kind {
    /// Every kind, in declaration order.
    pub const ALL: [Kind; 7] = [
        Kind::Email,
        Kind::Phone,
        Kind::Postcode,
        Kind::NhsNumber,
        Kind::NiNumber,
        Kind::DateOfBirth,
        Kind::FullName,
    ];

    /// Stable snake_case name, used in redaction markers and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Email => "email",
            Kind::Phone => "phone",
            Kind::Postcode => "postcode",
            Kind::NhsNumber => "nhs_number",
            Kind::NiNumber => "ni_number",
            Kind::DateOfBirth => "date_of_birth",
            Kind::FullName => "full_name",
        }
    }
}

/// One piece of residual personal data: `text == scanned[start..end]` (byte offsets).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// Finds residual personal data in `text`. The result is sorted by `start` and
/// non-overlapping; where candidates overlap, the longest wins.
pub fn scan(text: &str) -> Vec<Finding> {
    let mut candidates: Vec<(Kind, usize, usize)> = Vec::new();
    find_emails(text, &mut candidates);
    find_phones(text, &mut candidates);
    find_postcodes(text, &mut candidates);
    find_nhs_numbers(text, &mut candidates);
    find_ni_numbers(text, &mut candidates);
    find_dates_of_birth(text, &mut candidates);
    find_full_names(text, &mut candidates);
    resolve(text, candidates)
}

/// Replaces each finding with `[redacted: <kind>]`. Findings that are out of range, not on
/// character boundaries, or overlap an earlier finding are ignored.
pub fn redact(text: &str, findings: &[Finding]) -> String {
    let mut sorted: Vec<&Finding> = findings.iter().collect();
    sorted.sort_by_key(|f| (f.start, std::cmp::Reverse(f.end)));
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for f in sorted {
        if f.start < pos
            || f.start >= f.end
            || f.end > text.len()
            || !text.is_char_boundary(f.start)
            || !text.is_char_boundary(f.end)
        {
            continue;
        }
        out.push_str(&text[pos..f.start]);
        out.push_str("[redacted: ");
        out.push_str(f.kind.as_str());
        out.push(']');
        pos = f.end;
    }
    out.push_str(&text[pos..]);
    out
}

/// Keeps the longest of overlapping candidates (earliest, then lowest kind, on ties).
fn resolve(text: &str, mut candidates: Vec<(Kind, usize, usize)>) -> Vec<Finding> {
    candidates.sort_by_key(|&(kind, start, end)| (std::cmp::Reverse(end - start), start, kind));
    let mut taken: BTreeMap<usize, (usize, Kind)> = BTreeMap::new();
    for (kind, start, end) in candidates {
        let before_clear = taken
            .range(..end)
            .next_back()
            .is_none_or(|(_, &(e, _))| e <= start);
        if before_clear {
            taken.insert(start, (end, kind));
        }
    }
    taken
        .into_iter()
        .map(|(start, (end, kind))| Finding {
            kind,
            start,
            end,
            text: text[start..end].to_string(),
        })
        .collect()
}

fn compile(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|e| panic!("built-in pattern must compile: {e}"))
}

fn prev_char(text: &str, at: usize) -> Option<char> {
    text[..at].chars().next_back()
}

fn next_char(text: &str, at: usize) -> Option<char> {
    text[at..].chars().next()
}

/// Runs `re` over `text`, offering each match to `accept`; a rejected match is retried one
/// character later so that a rejection never hides an overlapping valid match.
fn each_match(re: &Regex, text: &str, mut accept: impl FnMut(regex::Captures<'_>) -> bool) {
    let mut at = 0;
    while at <= text.len() {
        let Some(caps) = re.captures_at(text, at) else {
            break;
        };
        let m = caps.get(0).map_or(at..at, |m| m.range());
        if accept(caps) {
            at = if m.end > m.start { m.end } else { m.end + 1 };
        } else {
            at = m.start + next_char(text, m.start).map_or(1, char::len_utf8);
        }
        while at < text.len() && !text.is_char_boundary(at) {
            at += 1;
        }
    }
}

// ---------------------------------------------------------------------------------------
// Email

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"[A-Za-z0-9][A-Za-z0-9._%+\-]*@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,24}",
    )
});

fn find_emails(text: &str, out: &mut Vec<(Kind, usize, usize)>) {
    each_match(&EMAIL, text, |caps| {
        let m = caps.get(0).expect("group 0");
        let after_ok = next_char(text, m.end()).is_none_or(|c| !c.is_ascii_alphanumeric());
        if after_ok {
            out.push((Kind::Email, m.start(), m.end()));
        }
        after_ok
    });
}

// ---------------------------------------------------------------------------------------
// Phone

static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    // Trunk: +44 / 0044 (optionally "(0)"), or a national 0 (optionally opening a bracket).
    let trunk = r"(?:(?:\+|00)44[ ]?(?:\(0\)[ ]?)?|\(0|0)";
    let s = r"[ \-]?";
    // (area code without trunk 0, subscriber-number shapes); every shape has ten digits.
    let shapes = [
        (r"7[0-9]{3}", format!(r"[0-9]{{6}}|[0-9]{{3}}{s}[0-9]{{3}}")),
        (r"2[0-9]", format!(r"[0-9]{{4}}{s}[0-9]{{4}}")),
        (r"2[0-9]{2}", format!(r"[0-9]{{3}}{s}[0-9]{{4}}")),
        (
            r"1[0-9]1|11[0-9]",
            format!(r"[0-9]{{3}}{s}[0-9]{{4}}|[0-9]{{7}}"),
        ),
        (r"1[0-9]{3}", format!(r"[0-9]{{6}}|[0-9]{{3}}{s}[0-9]{{3}}")),
        (r"3[0-9]{2}", format!(r"[0-9]{{3}}{s}[0-9]{{4}}|[0-9]{{7}}")),
    ];
    let alts: Vec<String> = shapes
        .iter()
        .map(|(area, rest)| format!(r"(?:{area})\)?{s}(?:{rest})"))
        .collect();
    compile(&format!(r"{trunk}(?:{})", alts.join("|")))
});

fn find_phones(text: &str, out: &mut Vec<(Kind, usize, usize)>) {
    each_match(&PHONE, text, |caps| {
        let m = caps.get(0).expect("group 0");
        let s = m.as_str();
        // Brackets must balance: "(0161) 496 0000" or "+44 (0)161 …", never half of one.
        let opens = s.matches('(').count();
        if opens != s.matches(')').count() || (s.ends_with(')')) {
            return false;
        }
        let before = &text[..m.start()];
        let mut back = before.chars().rev();
        let before_ok = match back.next() {
            None => true,
            Some(c) if c.is_ascii_alphanumeric() || "+£$€/.".contains(c) => false,
            Some('-') => !back.next().is_some_and(|c| c.is_ascii_digit()),
            Some(_) => true,
        };
        let after = &text[m.end()..];
        let mut fwd = after.chars();
        let after_ok = match fwd.next() {
            None => true,
            Some(c) if c.is_ascii_alphanumeric() => false,
            Some('.' | '-' | '/' | ',') => !fwd.next().is_some_and(|c| c.is_ascii_digit()),
            Some(_) => true,
        };
        let ok = before_ok && after_ok;
        if ok {
            out.push((Kind::Phone, m.start(), m.end()));
        }
        ok
    });
}

// ---------------------------------------------------------------------------------------
// Postcode

static POSTCODE: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"(?i-u:\b)([A-Za-z]{1,2}[0-9][A-Za-z0-9]?)([ ]?)([0-9][A-Za-z]{2})(?-u:\b)")
});

fn find_postcodes(text: &str, out: &mut Vec<(Kind, usize, usize)>) {
    each_match(&POSTCODE, text, |caps| {
        let m = caps.get(0).expect("group 0");
        let outward = &caps[1];
        let spaced = !caps[2].is_empty();
        let inward = &caps[3];
        let ok = postcode_ok(outward, spaced, inward) && !joined_to_token(text, m.start(), m.end());
        if ok {
            out.push((Kind::Postcode, m.start(), m.end()));
        }
        ok
    });
}

/// True when a match is glued to a longer token ("REF-AB1 2CD-7", "x/SW1A 1AA").
fn joined_to_token(text: &str, start: usize, end: usize) -> bool {
    let glue = |c: char| matches!(c, '-' | '/' | '_' | '.' | '@');
    let before = prev_char(text, start).is_some_and(|c| {
        glue(c)
            && text[..start - c.len_utf8()]
                .chars()
                .next_back()
                .is_some_and(|d| d.is_ascii_alphanumeric())
    });
    let after = next_char(text, end).is_some_and(|c| {
        glue(c)
            && text[end + c.len_utf8()..]
                .chars()
                .next()
                .is_some_and(|d| d.is_ascii_alphanumeric())
    });
    before || after
}

fn postcode_ok(outward: &str, spaced: bool, inward: &str) -> bool {
    let all_upper = outward
        .chars()
        .chain(inward.chars())
        .all(|c| !c.is_ascii_lowercase());
    let all_lower = outward
        .chars()
        .chain(inward.chars())
        .all(|c| !c.is_ascii_uppercase());
    if !(all_upper || (all_lower && spaced)) {
        return false;
    }
    let out: Vec<char> = outward.chars().map(|c| c.to_ascii_uppercase()).collect();
    let inw: Vec<char> = inward.chars().map(|c| c.to_ascii_uppercase()).collect();
    // Outward shapes: A9, A99, A9A, AA9, AA99, AA9A.
    let letters = out.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    let rest = &out[letters..];
    let shape_ok = match rest {
        [d] => d.is_ascii_digit(),
        [d, e] => d.is_ascii_digit() && (e.is_ascii_digit() || e.is_ascii_alphabetic()),
        _ => false,
    };
    if !shape_ok {
        return false;
    }
    if matches!(out[0], 'Q' | 'V' | 'X') || (letters == 2 && matches!(out[1], 'I' | 'J' | 'Z')) {
        return false;
    }
    // Inward unit letters never use C, I, K, M, O, V.
    if inw[1..]
        .iter()
        .any(|c| matches!(c, 'C' | 'I' | 'K' | 'M' | 'O' | 'V'))
    {
        return false;
    }
    // Ordinal look-alikes: "Y9 2ND", "y10 4th". Upper-case "…8TH" is a real inward code
    // ("B33 8TH"), so "TH" is only treated as an ordinal in lower case.
    let suffix: String = inw[1..].iter().collect();
    let ordinal = match inw[0] {
        '1' => suffix == "ST",
        '2' => suffix == "ND",
        '3' => suffix == "RD",
        _ => all_lower && suffix == "TH",
    };
    !ordinal
}

// ---------------------------------------------------------------------------------------
// NHS number

static NHS: LazyLock<Regex> =
    LazyLock::new(|| compile(r"[0-9]{3} [0-9]{3} [0-9]{4}|[0-9]{3}-[0-9]{3}-[0-9]{4}|[0-9]{10}"));

/// Modulus-11 check used by NHS numbers (and Scottish CHI numbers).
pub fn nhs_check_digit_valid(digits: &[u8; 10]) -> bool {
    let sum: u32 = digits[..9]
        .iter()
        .zip((2..=10u32).rev())
        .map(|(&d, w)| u32::from(d) * w)
        .sum();
    let check = match 11 - sum % 11 {
        11 => 0,
        10 => return false,
        c => c,
    };
    u32::from(digits[9]) == check
}

fn find_nhs_numbers(text: &str, out: &mut Vec<(Kind, usize, usize)>) {
    each_match(&NHS, text, |caps| {
        let m = caps.get(0).expect("group 0");
        let mut digits = [0u8; 10];
        for (slot, b) in digits
            .iter_mut()
            .zip(m.as_str().bytes().filter(u8::is_ascii_digit))
        {
            *slot = b - b'0';
        }
        let numeric_edge = |c: Option<char>, beyond: Option<char>| match c {
            Some(c) if c.is_ascii_alphanumeric() || "£$€".contains(c) => true,
            Some('.' | ',' | '-' | '/') => beyond.is_some_and(|d| d.is_ascii_digit()),
            _ => false,
        };
        let before = prev_char(text, m.start());
        let before2 = before.and_then(|c| prev_char(text, m.start() - c.len_utf8()));
        let after = next_char(text, m.end());
        let after2 = after.and_then(|c| next_char(text, m.end() + c.len_utf8()));
        let ok = !numeric_edge(before, before2)
            && !numeric_edge(after, after2)
            && nhs_check_digit_valid(&digits);
        if ok {
            out.push((Kind::NhsNumber, m.start(), m.end()));
        }
        ok
    });
}

// ---------------------------------------------------------------------------------------
// National Insurance number

static NI: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"(?-u:\b)([A-Z]{2}) ?([0-9]{2}) ?([0-9]{2}) ?([0-9]{2}) ?([A-D])(?-u:\b)")
});

fn ni_prefix_ok(prefix: &str) -> bool {
    if prefix == "QQ" {
        return true; // HMRC's specimen prefix, used in guidance and fixtures.
    }
    let mut cs = prefix.chars();
    let (Some(a), Some(b)) = (cs.next(), cs.next()) else {
        return false;
    };
    !matches!(a, 'D' | 'F' | 'I' | 'Q' | 'U' | 'V')
        && !matches!(b, 'D' | 'F' | 'I' | 'O' | 'Q' | 'U' | 'V')
        && !matches!(prefix, "BG" | "GB" | "KN" | "NK" | "NT" | "TN" | "ZZ")
}

fn find_ni_numbers(text: &str, out: &mut Vec<(Kind, usize, usize)>) {
    each_match(&NI, text, |caps| {
        let m = caps.get(0).expect("group 0");
        let ok = ni_prefix_ok(&caps[1]) && !joined_to_token(text, m.start(), m.end());
        if ok {
            out.push((Kind::NiNumber, m.start(), m.end()));
        }
        ok
    });
}

// ---------------------------------------------------------------------------------------
// Date of birth

const MONTHS: &str = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";

static DOB: LazyLock<Regex> = LazyLock::new(|| {
    let numeric =
        r"(?P<nd>[0-9]{1,2})(?P<sep>[/.\-])(?P<nm>[0-9]{1,2})[/.\-](?P<ny>[0-9]{4}|[0-9]{2})";
    let day_month = format!(
        r"(?:the[ ]+)?(?P<td>[0-9]{{1,2}})(?:st|nd|rd|th)?[ ]+(?:of[ ]+)?(?P<tm>{MONTHS})\.?,?[ ]+(?P<ty>[0-9]{{4}})"
    );
    let month_day = format!(
        r"(?P<um>{MONTHS})\.?[ ]+(?P<ud>[0-9]{{1,2}})(?:st|nd|rd|th)?,?[ ]+(?P<uy>[0-9]{{4}})"
    );
    let trigger = r"(?P<trig>born(?P<gap>(?:[ ]+[a-z]+){0,4}?[ ]+on)?|date[ ]+of[ ]+birth(?:[ ]+(?:is|was|of))?|d\.?[ ]?o\.?[ ]?b\.?)";
    compile(&format!(
        r"(?i)(?-u:\b){trigger}[ \t]*(?:[:\-–][ \t]*)?(?:\([ \t]*)?(?P<date>{numeric}|{day_month}|{month_day})(?-u:\b)"
    ))
});

fn month_number(name: &str) -> Option<u32> {
    let lower = name.to_ascii_lowercase();
    let idx = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ]
    .iter()
    .position(|m| lower.starts_with(m))?;
    u32::try_from(idx + 1).ok()
}

fn find_dates_of_birth(text: &str, out: &mut Vec<(Kind, usize, usize)>) {
    each_match(&DOB, text, |caps| {
        let trig = caps.name("trig").map_or("", |m| m.as_str());
        let trig_lower = trig.to_ascii_lowercase();
        // "DOB" / "d.o.b." must look like the abbreviation, not a word such as "Dob".
        if trig_lower.starts_with('d') && !trig_lower.starts_with("date") {
            let letters: String = trig.chars().filter(char::is_ascii_alphabetic).collect();
            let abbreviation = letters == "DOB" || letters == "DoB" || trig.contains('.');
            if !letters.eq_ignore_ascii_case("dob") || !abbreviation {
                return false;
            }
        }
        // "born … on DATE": the words in between must not start a new clause.
        if let Some(gap) = caps.name("gap") {
            let clause = gap.as_str().split_whitespace().any(|w| {
                matches!(
                    w.to_ascii_lowercase().as_str(),
                    "and"
                        | "but"
                        | "then"
                        | "was"
                        | "were"
                        | "had"
                        | "has"
                        | "is"
                        | "later"
                        | "after"
                        | "before"
                        | "visited"
                        | "seen"
                )
            });
            if clause {
                return false;
            }
        }
        let parse = |n: &str| n.parse::<u32>().ok();
        let (day, month) = if let Some(d) = caps.name("nd") {
            (
                parse(d.as_str()),
                caps.name("nm").and_then(|m| parse(m.as_str())),
            )
        } else if let Some(d) = caps.name("td") {
            (
                parse(d.as_str()),
                caps.name("tm").and_then(|m| month_number(m.as_str())),
            )
        } else {
            (
                caps.name("ud").and_then(|d| parse(d.as_str())),
                caps.name("um").and_then(|m| month_number(m.as_str())),
            )
        };
        let valid = matches!((day, month), (Some(1..=31), Some(1..=12)));
        let Some(date) = caps.name("date") else {
            return false;
        };
        // A numeric date must not continue as a longer number ("14/03/2011/5").
        let after_ok = next_char(text, date.end()).is_none_or(|c| !c.is_ascii_alphanumeric())
            && !(text[date.end()..].starts_with(['/', '.', '-'])
                && text[date.end() + 1..].starts_with(|c: char| c.is_ascii_digit()));
        let ok = valid && after_ok;
        if ok {
            out.push((Kind::DateOfBirth, date.start(), date.end()));
        }
        ok
    });
}

// ---------------------------------------------------------------------------------------
// Titled full names

static NAME: LazyLock<Regex> = LazyLock::new(|| {
    let word = r"(?:(?:Mc|Mac|O['’]|D['’])?[A-Z][a-z]+(?:[\-'’](?:[A-Z][a-z]+))*)";
    let gap = r"(?:[ \t]+|[ \t]*\r?\n[ \t]*)";
    compile(&format!(
        r"(?-u:\b)(?P<title>Mrs|Mr|Ms|Miss|Dr|Mx|Master|Sir|Dame|Professor|Prof)\.?{gap}(?:(?P<style>Justice|Lord|Lady){gap})?(?P<first>{word}){gap}(?P<last>(?:(?:van|von|de|der|den|da|di|du|la|le|al|bin|ap){gap})*{word})"
    ))
});

/// Capitalised words that follow a title but are not names: roles and family descriptors
/// used as pseudonyms, organisations ("Dr Barnardo's"), function words that start the next
/// clause, months, days, and conditions named after people.
const NOT_NAMES: &str = "
Mother Father Mum Dad Grandmother Grandfather Gran Nan Stepfather Stepmother Partner
Uncle Aunt Auntie Brother Sister Child Baby Adult Young Person Justice Lord Lady Gp
Consultant Paediatrician Doctor Nurse Midwife Health Visitor Social Worker Police
Officer Named Designated Lead Chair Author Independent Reviewer Registrar Psychiatrist
Psychologist Surgeon Practitioner Locum Senior Junior Head Teacher Headteacher Manager
Team Service Services Unit Ward Clinic Hospital Surgery Practice Council School Academy
College University Trust Board Panel Report Review Children Safeguarding Protection Plan
Data Management Class Degree Programme Family Court Judge Coroner Inspector Sergeant
Constable Detective Unknown Anonymous Redacted Male Female Mr Mrs Ms Miss Dr Mx Sir
Barnardo Barnardo's Barnardo’s Barnardos Foster Martens The A An And But Or In On At To
For Of With From By As When While Whilst If He She They It His Her Their This That These
Those There Then However Although After Before During Following Also Both Neither Each
All No Not Was Were Had Has Is Did Said Told Who Which Where What Why How We You I Our
Its Is Yes January February March April May June July August September October November
December Monday Tuesday Wednesday Thursday Friday Saturday Sunday Syndrome Disease Scale
Test
";

/// Public figures whose titled names appear in legitimate review prose as citations of
/// national reviews and research ("Professor Eileen Munro's review").
const PUBLIC_FIGURES: &[(&str, &str)] = &[
    ("Eileen", "Munro"),
    ("Martin", "Narey"),
    ("Alan", "Wood"),
    ("Harry", "Ferguson"),
    ("Marian", "Brandon"),
    ("Peter", "Sidebotham"),
    ("Brigid", "Daniel"),
    ("Josh", "MacAlister"),
];

static NOT_NAME_SET: LazyLock<HashSet<String>> = LazyLock::new(|| {
    NOT_NAMES
        .split_whitespace()
        .map(|w| w.replace('’', "'").to_ascii_lowercase())
        .collect()
});

fn is_name_word(word: &str) -> bool {
    let lower = word.replace('’', "'").to_ascii_lowercase();
    let base = lower.split('-').next().unwrap_or(&lower);
    word.chars().count() >= 2 && !NOT_NAME_SET.contains(&lower) && !NOT_NAME_SET.contains(base)
}

fn find_full_names(text: &str, out: &mut Vec<(Kind, usize, usize)>) {
    each_match(&NAME, text, |caps| {
        let (Some(first), Some(last)) = (caps.name("first"), caps.name("last")) else {
            return false;
        };
        let surname = last.as_str().rsplit([' ', '\t', '\n']).next().unwrap_or("");
        let public = PUBLIC_FIGURES
            .iter()
            .any(|&(f, l)| f == first.as_str() && l == surname);
        let ok = !public && is_name_word(first.as_str()) && is_name_word(surname);
        if ok {
            let start = caps.get(0).map_or(first.start(), |m| m.start());
            out.push((Kind::FullName, start, last.end()));
        }
        ok
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(Kind, String)> {
        scan(text).into_iter().map(|f| (f.kind, f.text)).collect()
    }

    fn one(text: &str, kind: Kind, expected: &str) {
        assert_eq!(
            kinds(text),
            vec![(kind, expected.to_string())],
            "in {text:?}"
        );
    }

    fn none(text: &str) {
        assert_eq!(kinds(text), vec![], "in {text:?}");
    }

    #[test]
    fn kind_names() {
        let names: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(
            names,
            [
                "email",
                "phone",
                "postcode",
                "nhs_number",
                "ni_number",
                "date_of_birth",
                "full_name"
            ]
        );
    }

    #[test]
    fn planted_lines() {
        // A handful of lines from tests/fixtures/planted-personal-data.txt, embedded.
        let planted = [
            (
                "+phone|The family could be reached on 07700 900123 during the day.",
                Kind::Phone,
            ),
            (
                "+phone|The school office number, (0161) 496 0000, was on the referral.",
                Kind::Phone,
            ),
            (
                "+email|Mother emailed the worker from jane.doe@example.com that evening.",
                Kind::Email,
            ),
            (
                "+postcode|The flat was at 12 Example Road, Cardiff CF10 1EP.",
                Kind::Postcode,
            ),
            (
                "+nhs_number|Her NHS number, 943 476 5919, appeared in the discharge summary.",
                Kind::NhsNumber,
            ),
            (
                "+ni_number|His National Insurance number QQ 12 34 56 C was on the benefits form.",
                Kind::NiNumber,
            ),
            (
                "+date_of_birth|Child A was born on 14 March 2011 at the local hospital.",
                Kind::DateOfBirth,
            ),
            (
                "+full_name|The report was countersigned by Mrs Jane Doe, team manager.",
                Kind::FullName,
            ),
        ];
        for (line, kind) in planted {
            let found = scan(line);
            assert_eq!(found.len(), 1, "{line}: {found:?}");
            assert_eq!(found[0].kind, kind, "{line}");
        }
        let clean = [
            "-|Mr X's partner told Ms Y that Mother was born in March 2015.",
            "-|On 14 March 2011 the social worker visited; see paragraph 5.12 and 2011/12.",
            "-|The number 943 476 5918 has an invalid check digit.",
            "-|Dr Barnardo's provided a family support worker costing £1,250.",
            "-|Mr Justice Hayden gave judgment in the CF10 district on 3 May 2019.",
        ];
        for line in clean {
            assert_eq!(scan(line), vec![], "{line}");
        }
    }

    #[test]
    fn phones() {
        one("call 07700 900123 now", Kind::Phone, "07700 900123");
        one("call +44 7700 900123.", Kind::Phone, "+44 7700 900123");
        one("ring 0044 7700 900 123", Kind::Phone, "0044 7700 900 123");
        one("tel (0161) 496 0000", Kind::Phone, "(0161) 496 0000");
        one("tel 020 7946 0000", Kind::Phone, "020 7946 0000");
        one("tel 01632 960123,", Kind::Phone, "01632 960123");
        one(
            "tel +44 (0)20 7946 0123",
            Kind::Phone,
            "+44 (0)20 7946 0123",
        );
        one("tel 0113-496-0000", Kind::Phone, "0113-496-0000");
        none("paragraph 5.12, years 2011-2012, ref 2019/00123, £07.50 and ISBN 0-19-852663-6");
        none("NSPCC helpline 0808 800 5000");
        none("reference 207700900123456");
    }

    #[test]
    fn emails() {
        one(
            "write to a.b-c+d@mail.example.org.",
            Kind::Email,
            "a.b-c+d@mail.example.org",
        );
        none("see @example and a@b");
    }

    #[test]
    fn postcodes() {
        for pc in [
            "SW1A 1AA", "M1 1AE", "CF10 1EP", "EH1 2NG", "BT7 1NN", "B33 8TH",
        ] {
            one(&format!("lived at {pc}, then"), Kind::Postcode, pc);
        }
        one("lived at sw1a 1aa then", Kind::Postcode, "sw1a 1aa");
        none("the CF10 area; token XSW1A1AAX; REF-M1 1AE-2; Year 9 2nd; Y9 2ND; Sw1a 1aa");
    }

    #[test]
    fn nhs_numbers() {
        one("NHS 943 476 5919.", Kind::NhsNumber, "943 476 5919");
        one("NHS 9434765919", Kind::NhsNumber, "9434765919");
        none("NHS 943 476 5918 and 19434765919 and 943 476-5919");
        assert!(nhs_check_digit_valid(&[9, 4, 3, 4, 7, 6, 5, 9, 1, 9]));
    }

    #[test]
    fn ni_numbers() {
        one("NI QQ 12 34 56 C.", Kind::NiNumber, "QQ 12 34 56 C");
        one("NI AB123456C.", Kind::NiNumber, "AB123456C");
        none("GB123456A BG123456A DA123456A AO123456A AB123456E");
    }

    #[test]
    fn dates_of_birth() {
        one("born 14/03/2011", Kind::DateOfBirth, "14/03/2011");
        one("born on 14 March 2011", Kind::DateOfBirth, "14 March 2011");
        one("Date of birth: 14.03.2011", Kind::DateOfBirth, "14.03.2011");
        one("DOB 14/03/11", Kind::DateOfBirth, "14/03/11");
        one("(d.o.b. 14/03/2011)", Kind::DateOfBirth, "14/03/2011");
        one("DoB: 1st Jan 2001", Kind::DateOfBirth, "1st Jan 2001");
        none("dob 14/03/2011; Dob 14/03/2011; born 31/13/2011");
        one(
            "born prematurely on the 3rd of May 2012",
            Kind::DateOfBirth,
            "the 3rd of May 2012",
        );
        none("on 14 March 2011 the social worker visited; born in March 2015");
        none("was born and on 14 March 2011 was discharged; born 2015");
    }

    #[test]
    fn names() {
        one("Mrs Jane Doe said", Kind::FullName, "Mrs Jane Doe");
        one(
            "Dr. Rupert Smith-Jones",
            Kind::FullName,
            "Dr. Rupert Smith-Jones",
        );
        one("Mr John O'Neill's car", Kind::FullName, "Mr John O'Neill");
        one(
            "Mrs Jane van der Berg's",
            Kind::FullName,
            "Mrs Jane van der Berg",
        );
        none("Professor Eileen Munro's review; Miss Havisham Syndrome; Sir Martin Narey");
        one(
            "Mrs Justice Jane Roberts",
            Kind::FullName,
            "Mrs Justice Jane Roberts",
        );
        none("Mr X, Ms Y, Mr A and Mrs B. met Mother and Father; Mr X's partner");
        none("Dr Barnardo's Homes; Dr GP; Mr Justice Hayden said; Mr Smith visited");
        none("Mr Smith The next day; Mr T told Mrs B. Smith");
    }

    #[test]
    fn overlaps_and_redaction() {
        let text = "Mrs Jane Doe (07700 900123, jane@example.com) lives at CF10 1EP.";
        let found = scan(text);
        let ks: Vec<Kind> = found.iter().map(|f| f.kind).collect();
        assert_eq!(
            ks,
            [Kind::FullName, Kind::Phone, Kind::Email, Kind::Postcode]
        );
        for f in &found {
            assert_eq!(&text[f.start..f.end], f.text);
        }
        assert_eq!(
            redact(text, &found),
            "[redacted: full_name] ([redacted: phone], [redacted: email]) lives at [redacted: postcode]."
        );
    }

    #[test]
    fn invariants_on_generated_text() {
        // Deterministic generator over tricky fragments: findings must be sorted,
        // non-overlapping, on char boundaries and equal to the text they cover.
        let parts = [
            "Mrs Jane Doe",
            " ",
            "\n",
            "07700 900123",
            "(0161) 496 0000",
            "CF10 1EP",
            "a@example.com",
            "943 476 5919",
            "QQ 12 34 56 C",
            "born 14/03/2011",
            "Mr X",
            "’",
            "é",
            "5.12",
            "2011",
            "-",
            "/",
            ".",
            "Dr",
            "Smith",
            "0",
            "7",
            "AB",
            "born on",
            "14 March 2011",
            "DOB",
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..300 {
            let mut text = String::new();
            for _ in 0..40 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push_str(parts[(seed % parts.len() as u64) as usize]);
            }
            let found = scan(&text);
            let mut last_end = 0;
            for f in &found {
                assert!(
                    f.start >= last_end && f.start < f.end,
                    "{text:?}: {found:?}"
                );
                assert_eq!(text.get(f.start..f.end), Some(f.text.as_str()));
                last_end = f.end;
            }
            let redacted = redact(&text, &found);
            assert_eq!(redacted.matches("[redacted: ").count(), found.len());
        }
    }

    #[test]
    fn unicode_is_safe() {
        let text = "Mam’s café — 07700 900123 — Ysgol Gymraeg, Caerdydd CF10 1EP ✓";
        let found = scan(text);
        assert_eq!(found.len(), 2);
        assert!(redact(text, &found).contains("[redacted: phone]"));
    }
}
