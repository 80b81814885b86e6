//! Raw text → clean sections and passages.
//!
//! Page text keeps everything printed on the page. Sections and passages leave out what repeats
//! on every page (running headers and footers) and page numbers, join words hyphenated at a
//! line end, and fold ligatures, so that a search for "safeguarding" finds "safe-\nguarding" and
//! a passage reads like the report, not like its page furniture.

use crate::document::{Page, Passage, Section};
use regex::Regex;
use std::collections::HashMap;
use std::sync::LazyLock;

/// The heading of an appendix: "Appendix A: Glossary", "Annex 2 – Terms of reference".
static NUMBERED_HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,2})\.?\s+\p{Lu}").expect("valid regex"));
static APPENDIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:Appendix|Annex|Annexe|Atodiad)\s+[A-Z0-9]{1,3}\b[^.]{0,70}$")
        .expect("valid regex")
});
/// Back matter that heads a list of short entries, often set tight against it: "Glossary".
static LIST_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?:Appendix|Annex)(?:\s+[A-Z0-9]{1,3})?\s*[:.–-]\s*)?(?i:Glossary(?: of terms)?|Glossary and abbreviations|Abbreviations(?: and acronyms)?|Acronyms|(?:Key )?[Tt]erms used(?: in this (?:report|review))?|Key terms|Terms and abbreviations|Geirfa|Byrfoddau)$")
        .expect("valid regex")
});

/// Numbers written as words, as ages are: "a nine-year-old boy".
const NUMBER_WORDS: [&str; 20] = [
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
];

/// A passage is grown from paragraphs up to about this many bytes.
const PASSAGE_TARGET: usize = 700;
/// A paragraph longer than this is cut at sentence ends.
const PASSAGE_MAX: usize = 1400;

/// Clean sections and passages of one document.
#[derive(Debug, Default)]
pub struct Structured {
    pub sections: Vec<Section>,
    pub passages: Vec<Passage>,
}

/// A block of a document without pages (DOCX): a heading or a paragraph-like block.
#[derive(Debug, Clone)]
pub struct Block {
    pub heading_level: Option<u8>,
    pub text: String,
}

/// Fold typographic ligatures and invisible characters that break words.
pub fn fold_ligatures(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\u{FB00}' => out.push_str("ff"),
            '\u{FB01}' => out.push_str("fi"),
            '\u{FB02}' => out.push_str("fl"),
            '\u{FB03}' => out.push_str("ffi"),
            '\u{FB04}' => out.push_str("ffl"),
            '\u{FB05}' | '\u{FB06}' => out.push_str("st"),
            '\u{00AD}' | '\u{200B}' | '\u{FEFF}' => {}
            '\u{00A0}' | '\u{2007}' | '\u{202F}' => out.push(' '),
            '\r' => out.push('\n'),
            c => out.push(c),
        }
    }
    out
}

/// A paragraph with the page it starts on.
#[derive(Debug, Clone)]
struct Para {
    page: Option<u32>,
    text: String,
    heading: bool,
}

/// Structure the pages of a PDF.
pub fn structure_pages(pages: &[Page]) -> Structured {
    let running = running_lines(pages);
    let mut paras: Vec<Para> = Vec::new();
    for page in pages {
        let lines: Vec<&str> = page.text.lines().map(str::trim_end).collect();
        let body = strip_edges(&lines, &running);
        let mut first_on_page = true;
        for mut chunk in split_paragraphs(body) {
            // "Appendix A: Glossary" set tight against the list it heads is still its heading,
            // and so is "2. Contributors and panel" set tight against its "2.1 …".
            if chunk.len() > 1
                && (APPENDIX.is_match(chunk[0].trim())
                    || LIST_HEADING.is_match(chunk[0].trim())
                    || opens_its_first_subsection(chunk[0], chunk[1]))
                && looks_like_heading(chunk[0])
            {
                paras.push(Para {
                    page: Some(page.number),
                    text: chunk[0].trim().to_string(),
                    heading: true,
                });
                chunk.remove(0);
                first_on_page = false;
            }
            let text = join_lines(&chunk);
            if text.is_empty() {
                continue;
            }
            let heading = chunk.len() == 1 && looks_like_heading(&text);
            // A paragraph broken by a page turn continues on the next page.
            if first_on_page
                && !heading
                && let Some(prev) = paras.last_mut()
                && continues(&prev.text, &text)
            {
                // A short last line that the next page continues was no heading.
                prev.heading = false;
                join_into(&mut prev.text, &text);
                first_on_page = false;
                continue;
            }
            first_on_page = false;
            paras.push(Para {
                page: Some(page.number),
                text,
                heading,
            });
        }
    }
    assemble(paras)
}

/// Structure the blocks of a DOCX.
pub fn structure_blocks(blocks: &[Block]) -> Structured {
    let paras = blocks
        .iter()
        .filter(|b| !b.text.trim().is_empty())
        .map(|b| Para {
            page: None,
            text: collapse_ws(&b.text),
            heading: b.heading_level.is_some(),
        })
        .collect();
    assemble(paras)
}

fn assemble(paras: Vec<Para>) -> Structured {
    let mut out = Structured::default();
    let mut heading: Option<String> = None;
    let mut section_page: Option<u32> = None;
    let mut section_text = String::new();
    let mut pending: Option<Passage> = None;

    let flush_section =
        |out: &mut Structured, heading: &Option<String>, page, text: &mut String| {
            // A heading with no text of its own ("2. Terms of reference" straight before its
            // "2.1") is kept: its subsections are read by what it heads.
            if !text.trim().is_empty() || heading.is_some() {
                out.sections.push(Section {
                    heading: heading.clone().unwrap_or_default(),
                    page,
                    text: std::mem::take(text),
                });
            }
            text.clear();
        };

    let mut headings: Vec<(Option<u32>, String)> = Vec::new();
    for para in paras {
        if para.heading {
            headings.push((para.page, para.text.clone()));
            if let Some(p) = pending.take() {
                out.passages.push(p);
            }
            flush_section(&mut out, &heading, section_page, &mut section_text);
            heading = Some(para.text);
            section_page = para.page;
            continue;
        }
        if section_text.is_empty() && heading.is_none() {
            section_page = para.page;
        }
        if !section_text.is_empty() {
            section_text.push_str("\n\n");
        }
        section_text.push_str(&para.text);

        for piece in split_long(&para.text) {
            match &mut pending {
                // A passage never spans pages, so that its page is where its words are.
                Some(p) if p.text.len() + piece.len() < PASSAGE_TARGET && p.page == para.page => {
                    p.text.push('\n');
                    p.text.push_str(&piece);
                }
                _ => {
                    if let Some(p) = pending.take() {
                        out.passages.push(p);
                    }
                    pending = Some(Passage {
                        page: para.page,
                        section: heading.clone(),
                        text: piece,
                        language: None,
                    });
                }
            }
        }
    }
    if let Some(p) = pending.take() {
        out.passages.push(p);
    }
    flush_section(&mut out, &heading, section_page, &mut section_text);
    // A document of short lines only (a title, a form, a notice) has no body paragraphs: its
    // lines are its text, not headings of text that is missing.
    if out.passages.is_empty() {
        for (page, text) in headings {
            out.passages.push(Passage {
                page,
                section: None,
                text,
                language: None,
            });
        }
    }
    out
}

/// Lines that repeat at the top or bottom of many pages, normalised by [`line_key`].
fn running_lines(pages: &[Page]) -> HashMap<String, usize> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for page in pages {
        let lines: Vec<&str> = page.text.lines().filter(|l| !l.trim().is_empty()).collect();
        let mut keys: Vec<String> = lines
            .iter()
            .take(3)
            .chain(lines.iter().rev().take(3))
            .map(|l| line_key(l))
            .collect();
        keys.sort();
        keys.dedup();
        for key in keys {
            *seen.entry(key).or_default() += 1;
        }
    }
    let threshold = (pages.len() * 2 / 5).max(2);
    if pages.len() < 3 {
        return HashMap::new();
    }
    seen.retain(|_, n| *n >= threshold);
    seen
}

/// A line with digits and spacing normalised, so "Page 3 of 12" and "Page 4 of 12" match.
fn line_key(line: &str) -> String {
    let mut key = String::new();
    let mut last_digit = false;
    for c in line.trim().chars().flat_map(char::to_lowercase) {
        if c.is_ascii_digit() {
            if !last_digit {
                key.push('#');
            }
            last_digit = true;
        } else if c.is_whitespace() {
            last_digit = false;
            if !key.ends_with(' ') {
                key.push(' ');
            }
        } else {
            last_digit = false;
            key.push(c);
        }
    }
    key
}

fn is_page_number(line: &str) -> bool {
    let key = line_key(line);
    let key = key.trim_matches(|c: char| c == '-' || c == '–' || c == '|' || c == ' ');
    matches!(
        key,
        "#" | "page #" | "page # of #" | "# of #" | "#/#" | "# / #" | "p. #" | "p #"
    ) || (key.len() <= 8 && key.chars().all(|c| "ivxlc".contains(c)) && !key.is_empty())
}

/// Drop running headers, footers and page numbers from the top and bottom of a page.
fn strip_edges<'a>(lines: &[&'a str], running: &HashMap<String, usize>) -> Vec<&'a str> {
    let furniture = |l: &str| {
        let t = l.trim();
        t.is_empty() || is_page_number(t) || (t.len() <= 120 && running.contains_key(&line_key(t)))
    };
    let mut start = 0;
    let mut seen = 0;
    while start < lines.len() && seen < 4 && furniture(lines[start]) {
        if !lines[start].trim().is_empty() {
            seen += 1;
        }
        start += 1;
    }
    let mut end = lines.len();
    seen = 0;
    while end > start && seen < 4 && furniture(lines[end - 1]) {
        if !lines[end - 1].trim().is_empty() {
            seen += 1;
        }
        end -= 1;
    }
    lines[start..end].to_vec()
}

fn split_paragraphs(lines: Vec<&str>) -> Vec<Vec<&str>> {
    let mut out: Vec<Vec<&str>> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in lines {
        if line.trim().is_empty() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
        } else if LIST_HEADING.is_match(line.trim()) {
            // "Glossary" set tight against the recommendations above it and the entries
            // below it is still a paragraph of its own: the heading.
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            out.push(vec![line.trim()]);
        } else {
            current.push(line.trim());
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Join a paragraph's lines, rejoining words hyphenated at a line end.
fn join_lines(lines: &[&str]) -> String {
    let mut out = String::new();
    for line in lines {
        join_into(&mut out, line);
    }
    collapse_ws(&out)
}

fn join_into(out: &mut String, next: &str) {
    let next = next.trim();
    if next.is_empty() {
        return;
    }
    if out.is_empty() {
        out.push_str(next);
        return;
    }
    // "nine-/year-old" keeps its hyphen: an age is a compound, not a word broken in two.
    let age_compound = is_age_compound(out, next);
    let hyphenated = out.ends_with('-')
        && out[..out.len() - 1]
            .chars()
            .next_back()
            .is_some_and(char::is_alphabetic)
        && next.chars().next().is_some_and(char::is_lowercase)
        && !age_compound;
    if hyphenated {
        out.pop();
    } else if !age_compound {
        out.push(' ');
    }
    out.push_str(next);
}

/// Does a line ending "a nine-" go on "year-old …"? Then the hyphen is part of an age, not a
/// word broken in two, and stays.
pub(crate) fn is_age_compound(line: &str, next: &str) -> bool {
    line.strip_suffix('-').is_some_and(|before| {
        let last_word = before
            .rsplit(|c: char| c.is_whitespace() || c == '-')
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        NUMBER_WORDS.contains(&last_word.as_str())
            && ["year", "month", "week", "day"]
                .iter()
                .any(|unit| next.starts_with(unit))
    })
}

/// Does `next` (first on a page) continue the paragraph `prev` (last on the page before)?
fn continues(prev: &str, next: &str) -> bool {
    let open = !prev
        .trim_end()
        .ends_with(['.', '!', '?', ':', '"', '”', ')']);
    open && next.chars().next().is_some_and(char::is_lowercase)
}

/// Is `line` a numbered heading ("2. Contributors and panel") whose first subsection
/// ("2.1 Individual Management Reviews …") follows on `next`?
fn opens_its_first_subsection(line: &str, next: &str) -> bool {
    let Some(c) = NUMBERED_HEADING.captures(line.trim()) else {
        return false;
    };
    let next = next.trim_start();
    next.strip_prefix(&c[1])
        .and_then(|rest| rest.strip_prefix(".1"))
        .is_some_and(|rest| rest.starts_with([' ', '.', '\t']))
}

fn looks_like_heading(text: &str) -> bool {
    let t = text.trim();
    let words = t.split_whitespace().count();
    if t.len() > 90 || words == 0 || words > 12 {
        return false;
    }
    if t.ends_with(['.', ',', ';']) && !t.ends_with("...") {
        return false;
    }
    // A line ending in a function word is a sentence broken off, not a heading.
    let last_word = t.rsplit(' ').next().unwrap_or("").to_ascii_lowercase();
    const OPEN: [&str; 16] = [
        "a", "an", "the", "and", "or", "of", "to", "in", "with", "for", "on", "by", "was", "were",
        "that", "at",
    ];
    if words > 1 && OPEN.contains(&last_word.as_str()) {
        return false;
    }
    let first = t.chars().next().unwrap_or(' ');
    let letters = t.chars().filter(|c| c.is_alphabetic()).count();
    letters >= 3 && (first.is_uppercase() || first.is_ascii_digit()) && !is_page_number(t)
}

/// Cut a long paragraph at sentence ends into pieces of at most about [`PASSAGE_MAX`] bytes.
fn split_long(text: &str) -> Vec<String> {
    if text.len() <= PASSAGE_MAX {
        return vec![text.to_string()];
    }
    let mut pieces = Vec::new();
    let mut current = String::new();
    for sentence in sentences(text) {
        if !current.is_empty() && current.len() + sentence.len() > PASSAGE_TARGET {
            pieces.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(sentence);
        // A single run-on "sentence" (a table flattened to text) is cut at a word boundary.
        while current.len() > PASSAGE_MAX {
            let mut cut = PASSAGE_TARGET;
            while !current.is_char_boundary(cut) {
                cut -= 1;
            }
            let cut = current[..cut].rfind(' ').filter(|&i| i > 0).unwrap_or(cut);
            let rest = current[cut..].trim_start().to_string();
            current.truncate(cut);
            pieces.push(std::mem::replace(&mut current, rest));
        }
    }
    if !current.is_empty() {
        pieces.push(current);
    }
    pieces
}

/// Split text into sentences at `.`, `!` or `?` followed by a space and a capital or digit.
pub fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        // A paragraph break inside a passage is a line break: "… in two years.\n4.5 There …".
        if (b == b'.' || b == b'!' || b == b'?')
            && i + 2 < bytes.len()
            && (bytes[i + 1] == b' ' || bytes[i + 1] == b'\n')
            && (bytes[i + 2].is_ascii_uppercase() || bytes[i + 2].is_ascii_digit())
        {
            let s = text[start..=i].trim();
            if !s.is_empty() {
                out.push(s);
            }
            start = i + 2;
        }
        i += 1;
    }
    let s = text[start..].trim();
    if !s.is_empty() {
        out.push(s);
    }
    out
}

fn collapse_ws(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(number: u32, text: &str) -> Page {
        Page {
            number,
            text: text.to_string(),
        }
    }

    #[test]
    fn running_headers_footers_and_page_numbers_stay_out_of_passages() {
        let bodies = [
            "The family moved to the area when Child A was a baby.",
            "Health visitors saw the family at home on four occasions.",
            "School raised concerns about neglect and poor attendance.",
            "The review panel met practitioners at a learning event.",
        ];
        let pages: Vec<Page> = (1..=4)
            .map(|n| {
                page(
                    n,
                    &format!(
                        "Serious Case Review: Child A\n\n{}\n\nPage {n} of 4",
                        bodies[n as usize - 1]
                    ),
                )
            })
            .collect();
        let s = structure_pages(&pages);
        // One passage a page: a passage never spans pages.
        let pages: Vec<_> = s.passages.iter().map(|p| p.page).collect();
        assert_eq!(
            pages,
            [Some(1), Some(2), Some(3), Some(4)],
            "{:?}",
            s.passages
        );
        for p in &s.passages {
            assert!(!p.text.contains("Serious Case Review"), "{}", p.text);
            assert!(!p.text.contains("of 4"), "{}", p.text);
        }
        assert!(s.passages[2].text.contains("concerns about neglect"));
    }

    #[test]
    fn line_end_hyphens_are_joined_and_headings_start_sections() {
        let pages = vec![page(
            2,
            "Analysis\n\nThe health visitor was not told about the safe-\nguarding concerns.",
        )];
        let s = structure_pages(&pages);
        assert_eq!(s.sections.len(), 1);
        assert_eq!(s.sections[0].heading, "Analysis");
        assert_eq!(s.passages[0].section.as_deref(), Some("Analysis"));
        assert_eq!(s.passages[0].page, Some(2));
        assert!(s.passages[0].text.contains("safeguarding concerns"));
        // An age broken at its hyphen keeps it.
        let s = structure_pages(&[page(3, "The review concerns a nine-\nyear-old boy.")]);
        assert!(
            s.passages[0].text.contains("a nine-year-old boy"),
            "{}",
            s.passages[0].text
        );
        // A line ending in a curly quote is no hyphen at all.
        let s = structure_pages(&[page(3, "her parents’\nyear of separation")]);
        assert!(
            s.passages[0].text.contains("parents’ year"),
            "{}",
            s.passages[0].text
        );
    }

    #[test]
    fn an_appendix_heading_set_tight_against_its_list_heads_it() {
        let pages = vec![page(
            12,
            "Recommendations\n\nShare the plan.\n\nAppendix A: Glossary\nFGM – Female Genital \
             Mutilation.\nDHR – Domestic Homicide Review.",
        )];
        let s = structure_pages(&pages);
        let glossary = s.passages.iter().find(|p| p.text.contains("FGM")).unwrap();
        assert_eq!(glossary.section.as_deref(), Some("Appendix A: Glossary"));
        let pages = vec![page(
            9,
            "6. The CPC should publish this.\n\nGlossary\nCAPSM – children affected by \
             parental substance misuse.\nCPC – Child Protection Committee.",
        )];
        let s = structure_pages(&pages);
        let glossary = s
            .passages
            .iter()
            .find(|p| p.text.contains("CAPSM"))
            .unwrap();
        assert_eq!(glossary.section.as_deref(), Some("Glossary"));
        // Tight against the paragraph above it too.
        let pages = vec![page(
            9,
            "5. Agencies should adapt their methods.\nGlossary\nCSE – child sexual \
             exploitation.\nALNCo – Additional Learning Needs Coordinator.",
        )];
        let s = structure_pages(&pages);
        let glossary = s.passages.iter().find(|p| p.text.contains("CSE")).unwrap();
        assert_eq!(glossary.section.as_deref(), Some("Glossary"));
        assert!(!glossary.text.contains("Agencies"));
        let pages = vec![page(
            9,
            "Appendix: terms used\nAHT / NAHI – abusive head trauma.\nCSE – child sexual \
             exploitation.",
        )];
        let s = structure_pages(&pages);
        let glossary = s.passages.iter().find(|p| p.text.contains("AHT")).unwrap();
        assert_eq!(glossary.section.as_deref(), Some("Appendix: terms used"));
    }

    #[test]
    fn a_numbered_heading_set_tight_against_its_first_subsection_heads_it() {
        let pages = vec![page(
            2,
            "1.3 The review was paused until the trial had finished.\n\n2. Contributors and \
             panel\n2.1 Reports were provided by the police and the GP practice.\n\n\
             2.2 The panel included senior representatives.",
        )];
        let s = structure_pages(&pages);
        let reports = s
            .passages
            .iter()
            .find(|p| p.text.contains("police"))
            .unwrap();
        assert_eq!(
            reports.section.as_deref(),
            Some("2. Contributors and panel")
        );
        // A numbered line that runs on into other text is not taken for a heading.
        let s = structure_pages(&[page(2, "3. Mother said that\n3.1 million people agree.")]);
        assert!(
            s.sections
                .iter()
                .all(|x| x.heading != "3. Mother said that")
        );
    }

    #[test]
    fn paragraph_broken_by_a_page_turn_is_one_passage() {
        let pages = vec![
            page(1, "Findings\n\nThe school had raised concerns with"),
            page(2, "children's social care on three occasions."),
        ];
        let s = structure_pages(&pages);
        assert_eq!(s.passages.len(), 1);
        assert_eq!(s.passages[0].page, Some(1));
    }

    #[test]
    fn long_paragraphs_are_cut_at_sentences() {
        let long = "The family moved often. ".repeat(120);
        let pieces = split_long(long.trim());
        assert!(pieces.len() > 1);
        assert!(pieces.iter().all(|p| p.len() <= PASSAGE_MAX));
        assert!(pieces.iter().all(|p| p.ends_with('.')));
    }

    #[test]
    fn sentences_end_at_a_paragraph_break_too() {
        assert_eq!(
            sentences("He moved schools twice in two years.\n4.5 There was no evidence of abuse."),
            [
                "He moved schools twice in two years.",
                "4.5 There was no evidence of abuse."
            ]
        );
    }

    #[test]
    fn a_document_of_short_lines_keeps_its_text() {
        let s = structure_pages(&[page(1, "Security Handler")]);
        assert_eq!(s.passages.len(), 1);
        assert_eq!(s.passages[0].text, "Security Handler");
    }

    #[test]
    fn ligatures_fold() {
        assert_eq!(
            fold_ligatures("e\u{FB00}ective o\u{FB03}ce"),
            "effective office"
        );
    }
}
