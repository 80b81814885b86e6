//! List and heading numbers from `word/numbering.xml`.
//!
//! Word does not store the "3." or "2.1" in front of a numbered paragraph; it computes it from
//! the paragraph's `w:numPr` (a `w:numId` and a level), the numbering definitions and how many
//! paragraphs of that list came before. Reviews number their recommendations and findings this
//! way, and a trainer citing "recommendation 4" needs the 4, so the walker asks this module for
//! each numbered paragraph's label.

use std::collections::HashMap;

use quick_xml::Reader;
use quick_xml::events::Event;

use super::{DocxError, Guard, Limits, attr, decode_xml, local, xml_err};

const LEVELS: usize = 9;

#[derive(Clone, Copy, Debug, Default, PartialEq)]
enum Format {
    #[default]
    Decimal,
    DecimalZero,
    LowerLetter,
    UpperLetter,
    LowerRoman,
    UpperRoman,
    /// Bullets and `none`: no number to show.
    Silent,
}

impl Format {
    fn from_val(v: &str) -> Format {
        match v {
            "decimalZero" => Format::DecimalZero,
            "lowerLetter" => Format::LowerLetter,
            "upperLetter" => Format::UpperLetter,
            "lowerRoman" => Format::LowerRoman,
            "upperRoman" => Format::UpperRoman,
            "bullet" | "none" => Format::Silent,
            // decimal and the rarer forms (ordinal, cardinalText, chicago...) as digits.
            _ => Format::Decimal,
        }
    }

    fn render(self, n: u32) -> String {
        match self {
            Format::Decimal | Format::Silent => n.to_string(),
            Format::DecimalZero if n < 10 => format!("0{n}"),
            Format::DecimalZero => n.to_string(),
            Format::LowerLetter => letters(n).to_lowercase(),
            Format::UpperLetter => letters(n),
            Format::LowerRoman => roman(n).to_lowercase(),
            Format::UpperRoman => roman(n),
        }
    }
}

/// Word's letter numbering: A..Z, then AA..ZZ, AAA...
fn letters(n: u32) -> String {
    if n == 0 {
        return "0".into();
    }
    let letter = char::from(b'A' + ((n - 1) % 26) as u8);
    let times = ((n - 1) / 26 + 1).min(10) as usize;
    std::iter::repeat_n(letter, times).collect()
}

fn roman(mut n: u32) -> String {
    if n == 0 || n >= 4000 {
        return n.to_string();
    }
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, digits) in TABLE {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}

#[derive(Clone, Debug)]
struct Level {
    start: u32,
    format: Format,
    /// The label pattern: "%1.", "%1.%2", "(%3)", or a bullet character.
    text: String,
    /// Legal numbering: every level shown as decimal.
    legal: bool,
}

impl Default for Level {
    fn default() -> Self {
        Level {
            start: 1,
            format: Format::Decimal,
            text: String::new(),
            legal: false,
        }
    }
}

#[derive(Clone, Debug, Default)]
struct Abstract {
    levels: [Level; LEVELS],
}

#[derive(Clone, Debug, Default)]
struct Instance {
    abstract_id: String,
    /// `w:lvlOverride/w:startOverride`: this instance restarts those levels.
    start_overrides: [Option<u32>; LEVELS],
}

/// The numbering definitions of one document.
#[derive(Debug, Default)]
pub(super) struct Numbering {
    abstracts: HashMap<String, Abstract>,
    instances: HashMap<String, Instance>,
}

/// How far each list has counted while the document is read.
#[derive(Debug, Default)]
pub(super) struct Counters {
    by_list: HashMap<String, [Option<u32>; LEVELS]>,
}

impl Numbering {
    pub(super) fn parse(data: &[u8], limits: &Limits) -> Result<Numbering, DocxError> {
        let text = decode_xml(data);
        let mut reader = Reader::from_str(&text);
        let mut guard = Guard::new(limits);
        let mut numbering = Numbering::default();
        // What is open: an abstract definition or an instance, and a level inside it.
        let mut abstract_def: Option<(String, Abstract)> = None;
        let mut instance: Option<(String, Instance)> = None;
        let mut level: Option<usize> = None;
        let mut skip: Option<usize> = None;
        loop {
            guard.tick()?;
            let ev = reader.read_event().map_err(xml_err)?;
            let (e, is_start) = match &ev {
                Event::Start(e) => (e, true),
                Event::Empty(e) => (e, false),
                Event::End(e) => {
                    if skip == Some(guard.depth) {
                        skip = None;
                    } else if skip.is_none() {
                        match local(e.name().0) {
                            "abstractNum" => {
                                if let Some((id, def)) = abstract_def.take() {
                                    numbering.abstracts.insert(id, def);
                                }
                            }
                            "num" => {
                                if let Some((id, inst)) = instance.take() {
                                    numbering.instances.insert(id, inst);
                                }
                            }
                            "lvl" | "lvlOverride" => level = None,
                            _ => {}
                        }
                    }
                    guard.close();
                    continue;
                }
                Event::Eof => break,
                _ => continue,
            };
            if is_start {
                guard.open()?;
            }
            if skip.is_some() {
                continue;
            }
            let lname = local(e.name().0);
            match lname {
                // Old definitions of tracked changes and pictures of bullets are not labels.
                "numberingChange" | "pPr" | "rPr" | "numPicBullet" if is_start => {
                    skip = Some(guard.depth);
                }
                "abstractNum" if is_start => {
                    abstract_def = attr(e, "abstractNumId").map(|id| (id, Abstract::default()));
                }
                "num" if is_start => {
                    instance = attr(e, "numId").map(|id| (id, Instance::default()));
                }
                "lvl" | "lvlOverride" if is_start => {
                    level = attr(e, "ilvl")
                        .and_then(|v| v.trim().parse::<usize>().ok())
                        .filter(|l| *l < LEVELS);
                }
                "abstractNumId" => {
                    if let (Some((_, inst)), Some(v)) = (instance.as_mut(), attr(e, "val")) {
                        inst.abstract_id = v;
                    }
                }
                "startOverride" => {
                    if let (Some((_, inst)), Some(l)) = (instance.as_mut(), level) {
                        inst.start_overrides[l] =
                            attr(e, "val").and_then(|v| v.trim().parse().ok());
                    }
                }
                "start" | "numFmt" | "lvlText" | "isLgl" => {
                    // Only levels of abstract definitions; a w:lvl inside an override is rare
                    // and its start is covered by startOverride.
                    let (Some((_, def)), Some(l)) = (abstract_def.as_mut(), level) else {
                        continue;
                    };
                    let lvl = &mut def.levels[l];
                    let val = attr(e, "val");
                    match lname {
                        "start" => {
                            if let Some(n) = val.and_then(|v| v.trim().parse().ok()) {
                                lvl.start = n;
                            }
                        }
                        "numFmt" => lvl.format = Format::from_val(val.as_deref().unwrap_or("")),
                        "lvlText" => lvl.text = val.unwrap_or_default(),
                        _ => {
                            lvl.legal =
                                val.is_none_or(|v| !matches!(v.as_str(), "0" | "false" | "off"));
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(numbering)
    }

    /// Count one more paragraph of list `num_id` at level `ilvl` and give its label ("3.",
    /// "2.1", "(b)"), or `None` for bullets, unnumbered levels and unknown lists.
    pub(super) fn label(&self, counters: &mut Counters, num_id: &str, ilvl: u8) -> Option<String> {
        let ilvl = usize::from(ilvl).min(LEVELS - 1);
        let instance = self.instances.get(num_id)?;
        let def = self.abstracts.get(&instance.abstract_id)?;
        // Instances of one definition continue one count unless they restart it.
        let key = if instance.start_overrides.iter().any(Option::is_some) {
            format!("num:{num_id}")
        } else {
            format!("abstract:{}", instance.abstract_id)
        };
        let start = |l: usize| instance.start_overrides[l].unwrap_or(def.levels[l].start);
        let count = counters.by_list.entry(key).or_default();
        count[ilvl] = Some(count[ilvl].map_or(start(ilvl), |n| n.saturating_add(1)));
        for deeper in count.iter_mut().skip(ilvl + 1) {
            *deeper = None;
        }
        let level = &def.levels[ilvl];
        if level.format == Format::Silent || level.text.is_empty() {
            return None;
        }
        let mut out = String::new();
        let mut chars = level.text.chars().peekable();
        while let Some(c) = chars.next() {
            match (c, chars.peek().and_then(|d| d.to_digit(10))) {
                ('%', Some(d @ 1..=9)) => {
                    chars.next();
                    let l = d as usize - 1;
                    let n = count[l].unwrap_or_else(|| start(l));
                    let format = if level.legal {
                        Format::Decimal
                    } else {
                        def.levels[l].format
                    };
                    out.push_str(&format.render(n));
                }
                _ => out.push(c),
            }
        }
        let out = out.trim().to_string();
        (!out.is_empty()).then_some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    fn limits() -> Limits {
        Limits {
            max_entry_bytes: 1 << 20,
            max_total_bytes: 1 << 20,
            max_entries: 100,
            max_depth: 64,
            deadline: Instant::now() + Duration::from_secs(10),
        }
    }

    const NUMBERING: &str = r#"<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
      <w:abstractNum w:abstractNumId="0">
        <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
        <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%1.%2"/></w:lvl>
      </w:abstractNum>
      <w:abstractNum w:abstractNumId="1">
        <w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="&#8226;"/></w:lvl>
      </w:abstractNum>
      <w:abstractNum w:abstractNumId="2">
        <w:lvl w:ilvl="0"><w:start w:val="4"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="(%1)"/></w:lvl>
      </w:abstractNum>
      <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
      <w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
      <w:num w:numId="3"><w:abstractNumId w:val="2"/></w:num>
      <w:num w:numId="4"><w:abstractNumId w:val="0"/>
        <w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
    </w:numbering>"#;

    #[test]
    fn counts_levels_restarts_deeper_ones_and_formats_each() {
        let n = Numbering::parse(NUMBERING.as_bytes(), &limits()).unwrap();
        let mut c = Counters::default();
        let labels: Vec<_> = [(1, 0), (1, 1), (1, 1), (1, 0), (1, 1)]
            .iter()
            .map(|(id, l)| n.label(&mut c, &id.to_string(), *l))
            .collect();
        assert_eq!(
            labels,
            [
                Some("1.".to_string()),
                Some("1.a".into()),
                Some("1.b".into()),
                Some("2.".into()),
                Some("2.a".into())
            ]
        );
        // A restarting instance of the same definition counts from its own start.
        assert_eq!(n.label(&mut c, "4", 0).as_deref(), Some("1."));
        assert_eq!(n.label(&mut c, "3", 0).as_deref(), Some("(IV)"));
        assert_eq!(n.label(&mut c, "3", 0).as_deref(), Some("(V)"));
        assert_eq!(n.label(&mut c, "2", 0), None, "bullets have no label");
        assert_eq!(n.label(&mut c, "99", 0), None, "unknown list");
    }

    #[test]
    fn letters_and_romans_render_as_word_does() {
        assert_eq!(letters(1), "A");
        assert_eq!(letters(27), "AA");
        assert_eq!(roman(1994), "MCMXCIV");
        assert_eq!(Format::DecimalZero.render(7), "07");
    }
}
