//! DOCX (WordprocessingML, transitional and strict OOXML) text extraction.
//!
//! Privacy rules: deleted tracked changes (`w:del`, `w:delText`, `w:moveFrom`),
//! comments, headers/footers and field instructions never reach the text.
//! Document properties are returned separately (for a privacy guard) and are
//! never placed into blocks.
//!
//! Self-contained: depends only on std, `zip`, `quick-xml` and `thiserror`.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::time::Instant;

use quick_xml::Reader;
use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};

mod numbering;
use numbering::{Counters, Numbering};

/// Resource limits for one extraction.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Decompressed size of any one part, e.g. 64 MiB.
    pub max_entry_bytes: u64,
    /// Decompressed total read, e.g. 256 MiB.
    pub max_total_bytes: u64,
    /// Zip entries, e.g. 10_000.
    pub max_entries: usize,
    /// XML nesting, e.g. 256.
    pub max_depth: usize,
    /// Give up (with [`DocxError::TimedOut`]) after this instant.
    pub deadline: std::time::Instant,
}

/// Kind of an extracted block.
#[derive(Debug, Clone, PartialEq)]
pub enum BlockKind {
    Heading(u8),
    Paragraph,
    ListItem,
    TableRow,
    /// Footnote or endnote text.
    Note,
}

/// One block of text.
#[derive(Debug, Clone)]
pub struct Block {
    pub kind: BlockKind,
    pub text: String,
}

/// Result of an extraction.
pub struct DocxText {
    /// Body in document order; footnotes/endnotes appended at the end as `Note` blocks.
    pub blocks: Vec<Block>,
    /// docProps/core.xml, app.xml and custom.xml fields. Returned ONLY so a privacy
    /// guard can inspect them; never put into blocks.
    pub properties: Vec<(String, String)>,
    pub warnings: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum DocxError {
    #[error("not a Word document: {0}")]
    NotDocx(String),
    #[error("the document is encrypted with a password")]
    Encrypted,
    #[error("the document is damaged: {0}")]
    Damaged(String),
    #[error("the document exceeds a limit: {0}")]
    TooLarge(String),
    #[error("extraction timed out")]
    TimedOut,
}

const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
const NS_W_TRANSITIONAL: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const NS_W_STRICT: &str = "http://purl.oclc.org/ooxml/wordprocessingml/main";
const NS_MC: &str = "http://schemas.openxmlformats.org/markup-compatibility/2006";
const NS_M_TRANSITIONAL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/math";
const NS_M_STRICT: &str = "http://purl.oclc.org/ooxml/officeDocument/math";
/// Maximum nesting of tables (deeper tables are still read, their rows are flattened).
const MAX_CONTAINERS: usize = 64;
const MAX_FIELD_NESTING: usize = 64;
const MAX_STYLE_CHAIN: usize = 16;
/// Check the deadline every this many XML events.
const DEADLINE_EVERY: u32 = 2048;

/// Extract the text of a DOCX file held in memory.
pub fn extract(bytes: &[u8], limits: &Limits) -> Result<DocxText, DocxError> {
    check_deadline(limits)?;
    if bytes.starts_with(&OLE_MAGIC) {
        if contains_utf16le(bytes, "EncryptedPackage") {
            return Err(DocxError::Encrypted);
        }
        return Err(DocxError::NotDocx(
            "legacy .doc (Word 97-2003) is not supported; save it as .docx".into(),
        ));
    }
    let looks_zip = bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06");
    let archive = match zip::ZipArchive::new(Cursor::new(bytes)) {
        Ok(a) => a,
        Err(e) if looks_zip => return Err(DocxError::Damaged(format!("zip: {e}"))),
        Err(_) => return Err(DocxError::NotDocx("not a zip archive".into())),
    };
    let mut pkg = Package::new(archive, limits)?;
    let mut warnings = Vec::new();

    // 1. Package relationships -> main document part.
    let root_rels = match pkg.read_part("_rels/.rels")? {
        Some(data) => match parse_rels(&data, "", limits) {
            Ok(r) => r,
            Err(e @ (DocxError::TooLarge(_) | DocxError::TimedOut)) => return Err(e),
            Err(e) => {
                warnings.push(format!("package relationships unreadable: {e}"));
                Vec::new()
            }
        },
        None => {
            warnings.push("package has no _rels/.rels".into());
            Vec::new()
        }
    };
    let main_name = match find_rel(&root_rels, "/officeDocument") {
        Some(t) if pkg.has_part(&t) => t,
        other => {
            if let Some(t) = other {
                warnings.push(format!("main part {t} named by relationships is missing"));
            }
            if pkg.has_part("word/document.xml") {
                warnings.push("main part found by its conventional name".into());
                "word/document.xml".to_string()
            } else {
                return Err(DocxError::NotDocx(
                    "the package has no main document part".into(),
                ));
            }
        }
    };

    // 2. Properties (only for the privacy guard).
    let mut properties = Vec::new();
    for (suffixes, fallback) in [
        (["/core-properties", "/coreProperties"], "docProps/core.xml"),
        (
            ["/extended-properties", "/extendedProperties"],
            "docProps/app.xml",
        ),
        (
            ["/custom-properties", "/customProperties"],
            "docProps/custom.xml",
        ),
    ] {
        let name = suffixes
            .iter()
            .find_map(|s| find_rel(&root_rels, s))
            .unwrap_or_else(|| fallback.to_string());
        if let Some(data) = pkg.read_part(&name)? {
            match parse_properties(&data, limits, &mut properties) {
                Ok(()) => {}
                Err(e @ (DocxError::TooLarge(_) | DocxError::TimedOut)) => return Err(e),
                Err(e) => warnings.push(format!("{name}: {e}")),
            }
        }
    }

    // 3. Main part and its relationships.
    let main = pkg
        .read_part(&main_name)?
        .ok_or_else(|| DocxError::NotDocx("the main document part is missing".into()))?;
    match root_element(&main, limits)? {
        Some(root) if local(&root) == "document" => {}
        Some(root) => {
            return Err(DocxError::NotDocx(format!(
                "the main part {main_name} is <{root}>, not a Word document body"
            )));
        }
        None => {
            return Err(DocxError::Damaged(format!(
                "{main_name} has no root element"
            )));
        }
    }
    let (main_dir, main_file) = split_part_name(&main_name);
    let doc_rels_name = format!("{main_dir}_rels/{main_file}.rels");
    let doc_rels = match pkg.read_part(&doc_rels_name)? {
        Some(data) => match parse_rels(&data, main_dir, limits) {
            Ok(r) => r,
            Err(e @ (DocxError::TooLarge(_) | DocxError::TimedOut)) => return Err(e),
            Err(e) => {
                warnings.push(format!("{doc_rels_name}: {e}"));
                Vec::new()
            }
        },
        None => Vec::new(),
    };

    let mut styles = Styles::default();
    if let Some(name) = find_rel(&doc_rels, "/styles")
        && let Some(data) = pkg.read_part(&name)?
    {
        match parse_styles(&data, limits) {
            Ok(s) => styles = s,
            Err(e @ (DocxError::TooLarge(_) | DocxError::TimedOut)) => return Err(e),
            Err(e) => warnings.push(format!("{name}: {e}")),
        }
    }

    // An empty comments part is common (pandoc writes one); only anchored comments count.
    if find_rel(&doc_rels, "/comments").is_some()
        && main.windows(16).any(|w| w == b"commentReference")
    {
        warnings.push("the document has comments; they were not read".to_string());
    }

    let mut numbering = Numbering::default();
    if let Some(name) = find_rel(&doc_rels, "/numbering")
        && let Some(data) = pkg.read_part(&name)?
    {
        match Numbering::parse(&data, limits) {
            Ok(n) => numbering = n,
            Err(e @ (DocxError::TooLarge(_) | DocxError::TimedOut)) => return Err(e),
            Err(e) => warnings.push(format!("{name}: {e}; list numbers left out")),
        }
    }

    let story = Story {
        styles: &styles,
        numbering: &numbering,
        limits,
    };
    let mut marks = NoteMarks::default();
    let mut blocks = Vec::new();
    for w in walk_story(&main, &story, &mut marks, &mut blocks)? {
        warnings.push(w);
    }

    for suffix in ["/footnotes", "/endnotes"] {
        let Some(name) = find_rel(&doc_rels, suffix) else {
            continue;
        };
        let Some(data) = pkg.read_part(&name)? else {
            warnings.push(format!("{name} is referenced but missing"));
            continue;
        };
        let mut notes = Vec::new();
        match walk_story(&data, &story, &mut marks, &mut notes) {
            Ok(story_warnings) => {
                blocks.extend(notes);
                for w in story_warnings {
                    warnings.push(format!("{name}: {w}"));
                }
            }
            Err(e @ (DocxError::TooLarge(_) | DocxError::TimedOut)) => return Err(e),
            Err(e) => warnings.push(format!("{name}: {e}")),
        }
    }

    Ok(DocxText {
        blocks,
        properties,
        warnings,
    })
}

fn check_deadline(limits: &Limits) -> Result<(), DocxError> {
    if Instant::now() >= limits.deadline {
        Err(DocxError::TimedOut)
    } else {
        Ok(())
    }
}

fn contains_utf16le(hay: &[u8], needle: &str) -> bool {
    let pat: Vec<u8> = needle
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    !pat.is_empty() && hay.windows(pat.len()).any(|w| w == pat.as_slice())
}

// ---------------------------------------------------------------------------
// Package access (bounded)
// ---------------------------------------------------------------------------

struct Package<'a> {
    archive: zip::ZipArchive<Cursor<&'a [u8]>>,
    /// Normalised (lower-case) part name -> entry index.
    index: HashMap<String, usize>,
    limits: &'a Limits,
    total_read: u64,
}

fn normalise_name(name: &str) -> String {
    name.replace('\\', "/")
        .trim_start_matches('/')
        .to_lowercase()
}

impl<'a> Package<'a> {
    fn new(
        archive: zip::ZipArchive<Cursor<&'a [u8]>>,
        limits: &'a Limits,
    ) -> Result<Self, DocxError> {
        if archive.len() > limits.max_entries {
            return Err(DocxError::TooLarge(format!(
                "{} zip entries (limit {})",
                archive.len(),
                limits.max_entries
            )));
        }
        let mut index = HashMap::new();
        for (i, name) in archive.file_names().enumerate() {
            if let Ok(name) = name {
                index.entry(normalise_name(&name)).or_insert(i);
            }
        }
        Ok(Package {
            archive,
            index,
            limits,
            total_read: 0,
        })
    }

    fn has_part(&self, name: &str) -> bool {
        self.index.contains_key(&normalise_name(name))
    }

    /// Read one part, bounded by the per-entry and total limits and the deadline.
    fn read_part(&mut self, name: &str) -> Result<Option<Vec<u8>>, DocxError> {
        check_deadline(self.limits)?;
        let Some(&idx) = self.index.get(&normalise_name(name)) else {
            return Ok(None);
        };
        let limits = self.limits;
        let mut file = match self.archive.by_index(idx) {
            Ok(f) => f,
            Err(e) => {
                let msg = e.to_string();
                if msg.to_ascii_lowercase().contains("password") {
                    return Err(DocxError::Encrypted);
                }
                return Err(DocxError::Damaged(format!("{name}: {msg}")));
            }
        };
        if file.size() > limits.max_entry_bytes {
            return Err(DocxError::TooLarge(format!(
                "{name} declares {} bytes (limit {})",
                file.size(),
                limits.max_entry_bytes
            )));
        }
        let remaining_total = limits.max_total_bytes.saturating_sub(self.total_read);
        let cap = limits.max_entry_bytes.min(remaining_total);
        let mut out = Vec::with_capacity(file.size().min(cap).min(1 << 24) as usize);
        let mut limited = (&mut file).take(cap.saturating_add(1));
        let mut chunk = vec![0u8; 64 * 1024];
        loop {
            let n = match limited.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(DocxError::Damaged(format!("{name}: {e}"))),
            };
            out.extend_from_slice(chunk.get(..n).unwrap_or(&[]));
            if out.len() as u64 > cap {
                return Err(if cap == limits.max_entry_bytes {
                    DocxError::TooLarge(format!(
                        "{name} decompresses to more than {} bytes",
                        limits.max_entry_bytes
                    ))
                } else {
                    DocxError::TooLarge(format!(
                        "more than {} bytes decompressed in total",
                        limits.max_total_bytes
                    ))
                });
            }
            check_deadline(limits)?;
        }
        self.total_read = self.total_read.saturating_add(out.len() as u64);
        Ok(Some(out))
    }
}

/// Split "word/document.xml" into ("word/", "document.xml").
fn split_part_name(name: &str) -> (&str, &str) {
    match name.rfind('/') {
        Some(i) => (&name[..=i], &name[i + 1..]),
        None => ("", name),
    }
}

/// Resolve a relationship target relative to a base directory ("" or "word/").
fn resolve_target(base_dir: &str, target: &str) -> String {
    let target = percent_decode(target.trim());
    let target = target.replace('\\', "/");
    let joined = if let Some(abs) = target.strip_prefix('/') {
        abs.to_string()
    } else {
        format!("{base_dir}{target}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for seg in joined.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c == b'%' {
            let hex = b
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok());
            if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

// ---------------------------------------------------------------------------
// XML helpers
// ---------------------------------------------------------------------------

/// Decode an XML part to a string: strip BOMs, handle UTF-16, lossy UTF-8 otherwise.
fn decode_xml(data: &[u8]) -> Cow<'_, str> {
    if let Some(rest) = data.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8_lossy(rest);
    }
    let utf16 = |rest: &[u8], le: bool| {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| {
                let pair = [c[0], c[1]];
                if le {
                    u16::from_le_bytes(pair)
                } else {
                    u16::from_be_bytes(pair)
                }
            })
            .collect();
        String::from_utf16_lossy(&units)
    };
    if let Some(rest) = data.strip_prefix(&[0xFF, 0xFE]) {
        return Cow::Owned(strip_encoding_decl(utf16(rest, true)));
    }
    if let Some(rest) = data.strip_prefix(&[0xFE, 0xFF]) {
        return Cow::Owned(strip_encoding_decl(utf16(rest, false)));
    }
    String::from_utf8_lossy(data)
}

/// After transcoding from UTF-16 the declaration's encoding is wrong; drop the
/// declaration so the parser does not care.
fn strip_encoding_decl(s: String) -> String {
    if s.starts_with("<?xml")
        && let Some(end) = s.find("?>")
    {
        return s[end + 2..].to_string();
    }
    s
}

/// Qualified name of the root element of an XML part.
fn root_element(data: &[u8], limits: &Limits) -> Result<Option<String>, DocxError> {
    let text = decode_xml(data);
    let mut reader = Reader::from_str(&text);
    let mut guard = Guard::new(limits);
    loop {
        guard.tick()?;
        match reader.read_event().map_err(xml_err)? {
            Event::Start(e) | Event::Empty(e) => return Ok(Some(e.name().0.to_string())),
            Event::Eof => return Ok(None),
            _ => {}
        }
    }
}

fn xml_err(e: impl std::fmt::Display) -> DocxError {
    DocxError::Damaged(format!("XML: {e}"))
}

fn local(name: &str) -> &str {
    match name.rfind(':') {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

fn prefix(name: &str) -> &str {
    match name.find(':') {
        Some(i) => &name[..i],
        None => "",
    }
}

/// Value of the attribute whose local name is `want` (any prefix).
fn attr(e: &BytesStart<'_>, want: &str) -> Option<String> {
    for a in e.attributes().with_checks(false).flatten() {
        if local(a.key.0) == want {
            return a
                .normalized_value(XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned());
        }
    }
    None
}

/// Value of an attribute with an exact qualified name.
fn attr_exact(e: &BytesStart<'_>, want: &str) -> Option<String> {
    for a in e.attributes().with_checks(false).flatten() {
        if a.key.0 == want {
            return a
                .normalized_value(XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned());
        }
    }
    None
}

fn resolve_entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let v = if let Some(hex) = num.strip_prefix('x').or_else(|| num.strip_prefix('X')) {
            u32::from_str_radix(hex, 16).ok()?
        } else {
            num.parse::<u32>().ok()?
        };
        return char::from_u32(v).filter(|c| *c != '\0');
    }
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some('\u{a0}'),
        _ => None,
    }
}

/// Tracks depth and the deadline for one XML parse.
struct Guard<'l> {
    limits: &'l Limits,
    depth: usize,
    events: u32,
}

impl<'l> Guard<'l> {
    fn new(limits: &'l Limits) -> Self {
        Guard {
            limits,
            depth: 0,
            events: 0,
        }
    }
    fn tick(&mut self) -> Result<(), DocxError> {
        self.events = self.events.wrapping_add(1);
        if self.events.is_multiple_of(DEADLINE_EVERY) {
            check_deadline(self.limits)?;
        }
        Ok(())
    }
    fn open(&mut self) -> Result<(), DocxError> {
        self.depth += 1;
        if self.depth > self.limits.max_depth {
            return Err(DocxError::TooLarge(format!(
                "XML nesting deeper than {}",
                self.limits.max_depth
            )));
        }
        Ok(())
    }
    fn close(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }
}

// ---------------------------------------------------------------------------
// Relationships and properties
// ---------------------------------------------------------------------------

struct Rel {
    rel_type: String,
    target: String,
}

fn parse_rels(data: &[u8], base_dir: &str, limits: &Limits) -> Result<Vec<Rel>, DocxError> {
    let text = decode_xml(data);
    let mut reader = Reader::from_str(&text);
    let mut guard = Guard::new(limits);
    let mut rels = Vec::new();
    loop {
        guard.tick()?;
        let ev = reader.read_event().map_err(xml_err)?;
        match ev {
            Event::Start(ref e) | Event::Empty(ref e) => {
                if matches!(ev, Event::Start(_)) {
                    guard.open()?;
                }
                if local(e.name().0) == "Relationship" {
                    let external =
                        attr(e, "TargetMode").is_some_and(|m| m.eq_ignore_ascii_case("External"));
                    if let (Some(t), Some(target), false) =
                        (attr(e, "Type"), attr(e, "Target"), external)
                    {
                        rels.push(Rel {
                            rel_type: t,
                            target: resolve_target(base_dir, &target),
                        });
                    }
                }
            }
            Event::End(_) => guard.close(),
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(rels)
}

/// First internal relationship whose type ends with `suffix` (transitional and strict).
fn find_rel(rels: &[Rel], suffix: &str) -> Option<String> {
    rels.iter()
        .find(|r| r.rel_type.ends_with(suffix))
        .map(|r| r.target.clone())
}

/// core.xml / app.xml / custom.xml: every non-empty text value, keyed by the
/// root's child element (or the custom property's name).
fn parse_properties(
    data: &[u8],
    limits: &Limits,
    out: &mut Vec<(String, String)>,
) -> Result<(), DocxError> {
    let text = decode_xml(data);
    let mut reader = Reader::from_str(&text);
    let mut guard = Guard::new(limits);
    let mut key: Option<String> = None;
    let mut value = String::new();
    loop {
        guard.tick()?;
        match reader.read_event().map_err(xml_err)? {
            Event::Start(e) => {
                guard.open()?;
                if guard.depth == 2 {
                    let name = if local(e.name().0) == "property" {
                        attr(&e, "name").unwrap_or_else(|| "property".into())
                    } else {
                        local(e.name().0).to_string()
                    };
                    key = Some(name);
                    value.clear();
                }
            }
            Event::Text(t) if guard.depth >= 2 => {
                if !value.is_empty() && guard.depth > 2 {
                    value.push(' ');
                }
                value.push_str(&t.xml10_content());
            }
            Event::CData(t) if guard.depth >= 2 => value.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if guard.depth >= 2 => {
                if let Some(c) = resolve_entity(&r.xml10_content()) {
                    value.push(c);
                }
            }
            Event::End(_) => {
                if guard.depth == 2 {
                    if let Some(k) = key.take() {
                        let v = value.split_whitespace().collect::<Vec<_>>().join(" ");
                        if !v.is_empty() {
                            out.push((k, v));
                        }
                    }
                    value.clear();
                }
                guard.close();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Styles
// ---------------------------------------------------------------------------

#[derive(Default, Debug)]
struct StyleInfo {
    name: Option<String>,
    based_on: Option<String>,
    outline_lvl: Option<u8>,
    /// The list a paragraph of this style belongs to (`w:numPr`): numId ("0" takes
    /// numbering away) and level.
    num_id: Option<String>,
    ilvl: Option<u8>,
}

#[derive(Default, Debug)]
struct Styles {
    by_id: HashMap<String, StyleInfo>,
    default_paragraph: Option<String>,
}

fn parse_styles(data: &[u8], limits: &Limits) -> Result<Styles, DocxError> {
    let text = decode_xml(data);
    let mut reader = Reader::from_str(&text);
    let mut guard = Guard::new(limits);
    let mut styles = Styles::default();
    // (style id, depth of the w:style element)
    let mut current: Option<(String, usize)> = None;
    let mut info = StyleInfo::default();
    // Depth of a *Change element (old properties) being skipped.
    let mut skip: Option<usize> = None;
    loop {
        guard.tick()?;
        let ev = reader.read_event().map_err(xml_err)?;
        let (e, is_start) = match &ev {
            Event::Start(e) => (e, true),
            Event::Empty(e) => (e, false),
            Event::End(_) => {
                if skip == Some(guard.depth) {
                    skip = None;
                }
                if let Some((id, d)) = &current
                    && *d == guard.depth
                {
                    styles.by_id.insert(id.clone(), std::mem::take(&mut info));
                    current = None;
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
        if lname.ends_with("Change") {
            if is_start {
                skip = Some(guard.depth);
            }
            continue;
        }
        match lname {
            "style" => {
                let is_para = attr(e, "type").is_none_or(|t| t == "paragraph");
                if is_para && let Some(id) = attr(e, "styleId") {
                    if attr(e, "default").is_some_and(|v| v == "1" || v == "true") {
                        styles.default_paragraph = Some(id.clone());
                    }
                    if is_start {
                        info = StyleInfo::default();
                        current = Some((id, guard.depth));
                    } else {
                        styles.by_id.insert(id, StyleInfo::default());
                    }
                }
            }
            "name" if current.is_some() => info.name = attr(e, "val"),
            "basedOn" if current.is_some() => info.based_on = attr(e, "val"),
            "outlineLvl" if current.is_some() => {
                info.outline_lvl = attr(e, "val").and_then(|v| v.trim().parse::<u8>().ok());
            }
            "numId" if current.is_some() => {
                info.num_id = Some(attr(e, "val").unwrap_or_default().trim().to_string());
            }
            "ilvl" if current.is_some() => {
                info.ilvl = attr(e, "val").and_then(|v| v.trim().parse().ok());
            }
            _ => {}
        }
    }
    Ok(styles)
}

/// Heading level from a style name or id: "Heading 1", "heading1", "Title", localised forms.
fn heading_level_from_name(name: &str) -> Option<u8> {
    let n: String = name
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '_' && *c != '-')
        .collect::<String>()
        .to_lowercase();
    if n == "title" || n == "titel" || n == "titre" || n == "título" || n == "titolo" {
        return Some(1);
    }
    const PREFIXES: [&str; 12] = [
        "heading",
        "überschrift",
        "berschrift",
        "titre",
        "titolo",
        "título",
        "titulo",
        "encabezado",
        "kop",
        "rubrik",
        "nagłówek",
        "otsikko",
    ];
    for p in PREFIXES {
        if let Some(rest) = n.strip_prefix(p)
            && let Ok(level) = rest.parse::<u8>()
            && (1..=9).contains(&level)
        {
            return Some(level);
        }
    }
    None
}

fn outline_to_level(lvl: u8) -> Option<u8> {
    // 0..=8 are heading levels 1..=9; 9 means body text.
    if lvl <= 8 { Some(lvl + 1) } else { None }
}

impl Styles {
    /// Heading level of a paragraph style, following basedOn (bounded).
    fn heading_level(&self, style_id: &str) -> Option<u8> {
        let mut id = style_id.to_string();
        for _ in 0..MAX_STYLE_CHAIN {
            let info = self.by_id.get(&id);
            let by_name = info
                .and_then(|i| i.name.as_deref())
                .and_then(heading_level_from_name);
            if let Some(l) = by_name {
                return Some(l);
            }
            if (info.is_none() || info.is_some_and(|i| i.name.is_none()))
                && let Some(l) = heading_level_from_name(&id)
            {
                return Some(l);
            }
            if let Some(lvl) = info.and_then(|i| i.outline_lvl) {
                return outline_to_level(lvl);
            }
            match info.and_then(|i| i.based_on.clone()) {
                Some(next) if next != id => id = next,
                _ => return None,
            }
        }
        None
    }

    /// The list (numId, level) a style puts its paragraphs in, following basedOn (bounded).
    fn list(&self, style_id: &str) -> Option<(String, Option<u8>)> {
        let mut id = style_id.to_string();
        for _ in 0..MAX_STYLE_CHAIN {
            let info = self.by_id.get(&id)?;
            if let Some(n) = &info.num_id {
                return Some((n.clone(), info.ilvl));
            }
            match &info.based_on {
                Some(next) if *next != id => id = next.clone(),
                _ => return None,
            }
        }
        None
    }
}

// ---------------------------------------------------------------------------
// Story walker (document body, footnotes, endnotes)
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Debug)]
enum Ns {
    W,
    M,
    Mc,
    Other,
}

struct NsMap {
    prefixes: Vec<(String, Ns)>,
}

impl NsMap {
    fn new() -> Self {
        NsMap {
            prefixes: vec![
                ("w".into(), Ns::W),
                ("m".into(), Ns::M),
                ("mc".into(), Ns::Mc),
            ],
        }
    }
    fn learn(&mut self, e: &BytesStart<'_>) {
        for a in e.attributes().with_checks(false).flatten() {
            let key = a.key.0;
            let p = if key == "xmlns" {
                ""
            } else if let Some(p) = key.strip_prefix("xmlns:") {
                p
            } else {
                continue;
            };
            let ns = match a.value.as_ref() {
                NS_W_TRANSITIONAL | NS_W_STRICT => Ns::W,
                NS_MC => Ns::Mc,
                NS_M_TRANSITIONAL | NS_M_STRICT => Ns::M,
                _ => Ns::Other,
            };
            if let Some(entry) = self.prefixes.iter_mut().find(|(q, _)| q == p) {
                entry.1 = ns;
            } else if self.prefixes.len() < 256 {
                self.prefixes.push((p.to_string(), ns));
            }
        }
    }
    fn kind(&self, qname: &str) -> Ns {
        let p = prefix(qname);
        self.prefixes
            .iter()
            .find(|(q, _)| q == p)
            .map(|(_, k)| *k)
            .unwrap_or(Ns::Other)
    }
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Props {
    Para,
    Run,
    Row,
    Cell,
}

struct Para {
    depth: usize,
    text: String,
    style: Option<String>,
    outline: Option<u8>,
    /// Its own w:numId ("0": numbering removed) and w:ilvl, over its style's.
    num_id: Option<String>,
    ilvl: Option<u8>,
}

enum Container {
    Row {
        depth: usize,
        cells: Vec<String>,
        deleted: bool,
    },
    Cell {
        depth: usize,
        text: String,
        deleted: bool,
    },
    TextBox {
        depth: usize,
    },
    Note {
        depth: usize,
        text: String,
        /// The note's number where the body refers to it.
        mark: Option<u32>,
    },
}

impl Container {
    fn depth(&self) -> usize {
        match self {
            Container::Row { depth, .. }
            | Container::Cell { depth, .. }
            | Container::TextBox { depth }
            | Container::Note { depth, .. } => *depth,
        }
    }
}

fn push_joined(dst: &mut String, s: &str, sep: &str) {
    if s.is_empty() {
        return;
    }
    if !dst.is_empty() {
        dst.push_str(sep);
    }
    dst.push_str(s);
}

/// What every story of one document shares: its styles and list definitions.
struct Story<'s> {
    styles: &'s Styles,
    numbering: &'s Numbering,
    limits: &'s Limits,
}

/// Footnote and endnote numbers, given in the order the body refers to them (as Word
/// numbers them on the page and pandoc in its text), so that a note can carry its number.
#[derive(Default)]
struct NoteMarks {
    footnotes: HashMap<String, u32>,
    endnotes: HashMap<String, u32>,
}

impl NoteMarks {
    fn table(&mut self, endnote: bool) -> &mut HashMap<String, u32> {
        if endnote {
            &mut self.endnotes
        } else {
            &mut self.footnotes
        }
    }
}

struct Walker<'s, 'm> {
    story: &'s Story<'s>,
    counters: Counters,
    marks: &'m mut NoteMarks,
    out: Vec<Block>,
    paras: Vec<Para>,
    containers: Vec<Container>,
    /// mc:AlternateContent frames: (depth, a branch was taken).
    alt: Vec<(usize, bool)>,
    /// Complex fields: (in the instruction part, instruction text so far).
    fields: Vec<(bool, String)>,
    /// Inside w:instrText (depth): its text goes to the innermost field's instruction.
    in_instr: Option<usize>,
    /// Fields whose displayed result comes from document properties.
    property_fields: Vec<String>,
    /// Inside a w:t (depth, preserve-space) with its buffer.
    in_t: Option<(usize, bool)>,
    t_buf: String,
    /// Inside the properties (w:pPr, w:rPr, w:trPr, w:tcPr) of the innermost
    /// paragraph, run, row or cell: (depth, which).
    in_props: Option<(usize, Props)>,
    /// Open runs: (depth, hidden by w:vanish).
    runs: Vec<(usize, bool)>,
    hidden_dropped: bool,
    alt_chunks: bool,
    deletions: bool,
    /// Blocks of text boxes met inside a still open paragraph.
    deferred: Vec<Block>,
    /// Skipping a subtree that ends at this depth.
    skip: Option<usize>,
    doc_preserve: bool,
}

impl Walker<'_, '_> {
    fn suppressed(&self) -> bool {
        self.fields.iter().any(|(in_instr, _)| *in_instr)
    }

    /// Remember fields that display document properties (author names...), so the
    /// caller's privacy guard is warned that the body shows property values.
    fn note_field(&mut self, instr: &str) {
        let Some(word) = instr.split_whitespace().next() else {
            return;
        };
        let word = word.to_ascii_uppercase();
        const SENSITIVE: [&str; 7] = [
            "AUTHOR",
            "LASTSAVEDBY",
            "USERNAME",
            "USERINITIALS",
            "USERADDRESS",
            "DOCPROPERTY",
            "FILENAME",
        ];
        if SENSITIVE.contains(&word.as_str()) && !self.property_fields.contains(&word) {
            self.property_fields.push(word);
        }
    }

    fn push_text(&mut self, s: &str) {
        if self.suppressed() {
            return;
        }
        if self.runs.last().is_some_and(|(_, hidden)| *hidden) {
            self.hidden_dropped |= !s.trim().is_empty();
            return;
        }
        if let Some(p) = self.paras.last_mut() {
            p.text.push_str(s);
        }
    }

    /// Route finished text (paragraph or row) to the innermost cell/note, or emit it.
    fn route(&mut self, kind: BlockKind, text: String) {
        for c in self.containers.iter_mut().rev() {
            match c {
                Container::Cell { text: t, .. } | Container::Note { text: t, .. } => {
                    push_joined(t, &text, " ");
                    return;
                }
                Container::TextBox { .. } => break,
                Container::Row { .. } => continue,
            }
        }
        if self.paras.is_empty() {
            self.out.push(Block { kind, text });
        } else {
            // A text box inside a paragraph: its blocks follow that paragraph.
            self.deferred.push(Block { kind, text });
        }
    }

    fn finish_para(&mut self, p: Para) {
        self.finish_para_inner(p);
        if self.paras.is_empty() && !self.deferred.is_empty() {
            self.out.append(&mut self.deferred);
        }
    }

    fn finish_para_inner(&mut self, p: Para) {
        // Word counts a numbered paragraph even when it is empty, so count before the check.
        let style_list = p.style.as_deref().and_then(|s| self.story.styles.list(s));
        let list = match (p.num_id, style_list) {
            (Some(id), Some((style_id, style_lvl))) if id == style_id => {
                Some((id, p.ilvl.or(style_lvl)))
            }
            (Some(id), _) => Some((id, p.ilvl)),
            (None, Some((id, lvl))) => Some((id, p.ilvl.or(lvl))),
            (None, None) => None,
        }
        .filter(|(id, _)| id != "0");
        let label = list.as_ref().and_then(|(id, lvl)| {
            self.story
                .numbering
                .label(&mut self.counters, id, lvl.unwrap_or(0))
        });
        let mut text = clean_text(&p.text);
        if text.is_empty() {
            return;
        }
        if let Some(label) = label {
            text = format!("{label} {text}");
        }
        let heading = p
            .outline
            .and_then(outline_to_level)
            .or_else(|| {
                p.style
                    .as_deref()
                    .and_then(|s| self.story.styles.heading_level(s))
            })
            .or_else(|| {
                if p.style.is_none() {
                    self.story
                        .styles
                        .default_paragraph
                        .as_deref()
                        .and_then(|s| self.story.styles.heading_level(s))
                } else {
                    None
                }
            });
        let kind = if let Some(l) = heading {
            BlockKind::Heading(l)
        } else if list.is_some() {
            BlockKind::ListItem
        } else {
            BlockKind::Paragraph
        };
        self.route(kind, text);
    }

    fn start(&mut self, e: &BytesStart<'_>, depth: usize, ns: Ns, is_start: bool) {
        let qname = e.name().0;
        let lname = local(qname);
        match ns {
            Ns::Mc => {
                match lname {
                    "AlternateContent" if is_start => self.alt.push((depth, false)),
                    "Choice" | "Fallback" if is_start => match self.alt.last_mut() {
                        Some((_, taken)) if *taken => self.skip = Some(depth),
                        Some((_, taken)) => *taken = true,
                        None => {}
                    },
                    _ => {}
                }
                return;
            }
            Ns::M => {
                match lname {
                    "t" if is_start => {
                        self.in_t = Some((depth, true));
                        self.t_buf.clear();
                    }
                    // The parts of a fraction, root, sum, function or script are separate
                    // terms: "a_n cos(nπx/L)" must not read as one word "ancosnπxl".
                    "num" | "den" | "deg" | "sub" | "sup" | "fName" | "lim" | "e" if is_start => {
                        self.push_text(" ")
                    }
                    _ => {}
                }
                return;
            }
            Ns::Other => {
                // A picture's alternative text (wp:docPr/@descr) is what a screen reader
                // says for it: keep it, marked as such.
                if lname == "docPr"
                    && let Some(descr) = attr(e, "descr")
                    && !descr.trim().is_empty()
                {
                    let descr = descr.split_whitespace().collect::<Vec<_>>().join(" ");
                    let after_space = self
                        .paras
                        .last()
                        .is_none_or(|p| p.text.is_empty() || p.text.ends_with(char::is_whitespace));
                    let lead = if after_space { "" } else { " " };
                    self.push_text(&format!("{lead}[{descr}] "));
                }
                return;
            }
            Ns::W => {}
        }

        match self.in_props {
            Some((_, Props::Run)) => {
                if lname == "vanish" {
                    let on =
                        attr(e, "val").is_none_or(|v| !matches!(v.as_str(), "0" | "false" | "off"));
                    if let Some(r) = self.runs.last_mut() {
                        r.1 = on;
                    }
                }
                if is_start {
                    self.skip = Some(depth);
                }
                return;
            }
            Some((_, Props::Row)) | Some((_, Props::Cell)) => {
                if matches!(lname, "del" | "cellDel") {
                    self.deletions = true;
                    match self.containers.last_mut() {
                        Some(Container::Row { deleted, .. })
                        | Some(Container::Cell { deleted, .. }) => *deleted = true,
                        _ => {}
                    }
                }
                if is_start {
                    self.skip = Some(depth);
                }
                return;
            }
            Some((_, Props::Para)) | None => {}
        }

        // Inside the paragraph properties: read style, numbering, outline level.
        if self.in_props.is_some() {
            match lname {
                "rPr" | "pPrChange" | "sectPr" | "rPrChange" if is_start => self.skip = Some(depth),
                "pStyle" => {
                    if let Some(p) = self.paras.last_mut() {
                        p.style = attr(e, "val");
                    }
                }
                "outlineLvl" => {
                    if let Some(p) = self.paras.last_mut() {
                        p.outline = attr(e, "val").and_then(|v| v.trim().parse().ok());
                    }
                }
                "numId" => {
                    if let Some(p) = self.paras.last_mut() {
                        p.num_id = Some(attr(e, "val").unwrap_or_default().trim().to_string());
                    }
                }
                "ilvl" => {
                    if let Some(p) = self.paras.last_mut() {
                        p.ilvl = attr(e, "val").and_then(|v| v.trim().parse().ok());
                    }
                }
                _ => {}
            }
            return;
        }

        match lname {
            // Never text: deleted content, field instructions, properties, old properties.
            "instrText" if is_start => {
                self.in_instr = Some(depth);
                self.skip = Some(depth);
            }
            "fldSimple" => {
                if let Some(instr) = attr(e, "instr") {
                    self.note_field(&instr);
                }
            }
            "r" if is_start => self.runs.push((depth, false)),
            "rPr" if is_start && self.runs.last().is_some_and(|(d, _)| d + 1 == depth) => {
                self.in_props = Some((depth, Props::Run));
            }
            "trPr"
                if is_start
                    && matches!(self.containers.last(), Some(Container::Row { depth: d, .. }) if d + 1 == depth) =>
            {
                self.in_props = Some((depth, Props::Row));
            }
            "tcPr"
                if is_start
                    && matches!(self.containers.last(), Some(Container::Cell { depth: d, .. }) if d + 1 == depth) =>
            {
                self.in_props = Some((depth, Props::Cell));
            }
            "altChunk" => self.alt_chunks = true,
            "del" | "moveFrom" | "delText" | "delInstrText" if is_start => {
                self.deletions = true;
                self.skip = Some(depth);
            }
            "del" | "moveFrom" | "delText" | "delInstrText" | "rPr" | "pPrChange" | "rPrChange"
            | "sectPr" | "sectPrChange" | "sdtPr" | "sdtEndPr" | "tblPr" | "tblPrChange"
            | "tblGrid" | "tblGridChange" | "trPr" | "trPrChange" | "tcPr" | "tcPrChange"
            | "tblPrEx" | "fldData" | "ffData" | "numberingChange" | "customXmlPr"
            | "smartTagPr" | "footnotePr" | "endnotePr" | "background"
                if is_start =>
            {
                self.skip = Some(depth)
            }
            "p" if is_start => self.paras.push(Para {
                depth,
                text: String::new(),
                style: None,
                outline: None,
                num_id: None,
                ilvl: None,
            }),
            "pPr" if is_start => {
                if self.paras.last().is_some_and(|p| p.depth + 1 == depth) {
                    self.in_props = Some((depth, Props::Para));
                } else {
                    self.skip = Some(depth);
                }
            }
            "t" if is_start => {
                let preserve = attr_exact(e, "xml:space")
                    .map(|v| v == "preserve")
                    .unwrap_or(self.doc_preserve);
                self.in_t = Some((depth, preserve));
                self.t_buf.clear();
            }
            "tab" | "ptab" => self.push_text("\t"),
            "br" | "cr" => self.push_text("\n"),
            "noBreakHyphen" => self.push_text("-"),
            "sym" => {
                let font = attr(e, "font").unwrap_or_default();
                if let Some(c) = attr(e, "char")
                    .and_then(|h| u32::from_str_radix(h.trim(), 16).ok())
                    .and_then(|code| sym_char(code, &font))
                {
                    let mut buf = [0u8; 4];
                    self.push_text(c.encode_utf8(&mut buf));
                }
            }
            "fldChar" => match attr(e, "fldCharType").as_deref() {
                Some("begin") if self.fields.len() < MAX_FIELD_NESTING => {
                    self.fields.push((true, String::new()));
                }
                Some("separate") => {
                    if let Some((in_instr, instr)) = self.fields.last_mut() {
                        *in_instr = false;
                        let instr = std::mem::take(instr);
                        self.note_field(&instr);
                    }
                }
                Some("end") => {
                    self.fields.pop();
                }
                _ => {}
            },
            "tr" if is_start && self.containers.len() < MAX_CONTAINERS => {
                self.containers.push(Container::Row {
                    depth,
                    cells: Vec::new(),
                    deleted: false,
                });
            }
            "tc" if is_start && self.containers.len() < MAX_CONTAINERS => {
                self.containers.push(Container::Cell {
                    depth,
                    text: String::new(),
                    deleted: false,
                });
            }
            "txbxContent" if is_start && self.containers.len() < MAX_CONTAINERS => {
                self.containers.push(Container::TextBox { depth });
            }
            "footnoteReference" | "endnoteReference" => {
                let custom = attr(e, "customMarkFollows")
                    .is_some_and(|v| matches!(v.as_str(), "1" | "true" | "on"));
                if let Some(id) = attr(e, "id")
                    && !custom
                {
                    let table = self.marks.table(lname == "endnoteReference");
                    let next = u32::try_from(table.len() + 1).unwrap_or(u32::MAX);
                    let n = *table.entry(id).or_insert(next);
                    self.push_text(&format!("[{n}]"));
                }
            }
            "footnote" | "endnote" if is_start => {
                let t = attr(e, "type");
                let special = t.as_deref().is_some_and(|t| t != "normal" && !t.is_empty());
                if special {
                    self.skip = Some(depth);
                } else if self.containers.len() < MAX_CONTAINERS {
                    let mark = attr(e, "id")
                        .and_then(|id| self.marks.table(lname == "endnote").get(&id).copied());
                    self.containers.push(Container::Note {
                        depth,
                        text: String::new(),
                        mark,
                    });
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, depth: usize) {
        if let Some((d, preserve)) = self.in_t
            && d == depth
        {
            self.in_t = None;
            let buf = std::mem::take(&mut self.t_buf);
            if preserve {
                self.push_text(&buf);
            } else {
                self.push_text(buf.trim_matches(|c| matches!(c, ' ' | '\t' | '\n' | '\r')));
            }
            return;
        }
        if self.in_props.is_some_and(|(d, _)| d == depth) {
            self.in_props = None;
            return;
        }
        if self.runs.last().is_some_and(|(d, _)| *d == depth) {
            self.runs.pop();
            return;
        }
        if self.alt.last().is_some_and(|(d, _)| *d == depth) {
            self.alt.pop();
        }
        if self.paras.last().is_some_and(|p| p.depth == depth) {
            // A field instruction does not run past its paragraph: a field left in
            // instruction mode (malformed, no `separate`) must not swallow the rest.
            for (in_instr, _) in &mut self.fields {
                *in_instr = false;
            }
            if let Some(p) = self.paras.pop() {
                self.finish_para(p);
            }
            return;
        }
        if self.containers.last().is_some_and(|c| c.depth() == depth) {
            match self.containers.pop() {
                Some(Container::Cell { deleted: true, .. }) => {}
                Some(Container::Cell { text, .. }) => {
                    if let Some(Container::Row { cells, .. }) = self.containers.last_mut() {
                        cells.push(text);
                    } else {
                        self.route(BlockKind::Paragraph, text);
                    }
                }
                Some(Container::Row { deleted: true, .. }) => {}
                Some(Container::Row { cells, .. }) => {
                    let text = cells
                        .iter()
                        .map(|c| c.trim())
                        .filter(|c| !c.is_empty())
                        .collect::<Vec<_>>()
                        .join(" | ");
                    if !text.is_empty() {
                        self.route(BlockKind::TableRow, text);
                    }
                }
                Some(Container::Note { text, mark, .. }) => {
                    let text = match (mark, text.trim()) {
                        (_, "") => String::new(),
                        (Some(n), t) => format!("[{n}] {t}"),
                        (None, t) => t.to_string(),
                    };
                    if !text.is_empty() {
                        self.out.push(Block {
                            kind: BlockKind::Note,
                            text,
                        });
                    }
                }
                Some(Container::TextBox { .. }) | None => {}
            }
        }
    }
}

/// Best-effort mapping of w:sym characters. Symbol fonts put their glyphs in the
/// F000 private range; the "Symbol" font's letters are Greek. Dingbat fonts
/// (Wingdings, Webdings...) are icons and give nothing.
fn sym_char(code: u32, font: &str) -> Option<char> {
    let (code, from_symbol_font) = if (0xF020..=0xF0FF).contains(&code) {
        (code - 0xF000, true)
    } else {
        (code, false)
    };
    let c = char::from_u32(code)?;
    if c.is_control() || (0xE000..=0xF8FF).contains(&code) {
        return None;
    }
    if !from_symbol_font {
        return Some(c);
    }
    if font.eq_ignore_ascii_case("Symbol") {
        const GREEK_UPPER: &str = "ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖ";
        const GREEK_LOWER: &str = "αβχδεφγηιϕκλμνοπθρστυϖωξψζ";
        return match c {
            'A'..='Z' => GREEK_UPPER.chars().nth((code - 'A' as u32) as usize),
            'a'..='z' => GREEK_LOWER.chars().nth((code - 'a' as u32) as usize),
            ' '..='~' => Some(c),
            _ => None,
        };
    }
    None
}

/// Trim a paragraph's text and drop control characters other than tab/newline.
fn clean_text(s: &str) -> String {
    let t: String = s
        .chars()
        .filter(|c| !c.is_control() || *c == '\t' || *c == '\n')
        .collect();
    t.trim().to_string()
}

/// Walk one story part (document, footnotes or endnotes), appending blocks.
/// Returns warnings about what was seen (property fields, hidden text, unread chunks).
fn walk_story(
    data: &[u8],
    story: &Story<'_>,
    marks: &mut NoteMarks,
    out: &mut Vec<Block>,
) -> Result<Vec<String>, DocxError> {
    let text = decode_xml(data);
    let mut reader = Reader::from_str(&text);
    let mut guard = Guard::new(story.limits);
    let mut ns = NsMap::new();
    let mut seen_root = false;
    let mut w = Walker {
        story,
        counters: Counters::default(),
        marks,
        out: Vec::new(),
        paras: Vec::new(),
        containers: Vec::new(),
        alt: Vec::new(),
        fields: Vec::new(),
        in_instr: None,
        property_fields: Vec::new(),
        in_t: None,
        t_buf: String::new(),
        in_props: None,
        runs: Vec::new(),
        hidden_dropped: false,
        alt_chunks: false,
        deletions: false,
        deferred: Vec::new(),
        skip: None,
        doc_preserve: false,
    };
    loop {
        guard.tick()?;
        let ev = reader.read_event().map_err(xml_err)?;
        match ev {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let is_start = matches!(ev, Event::Start(_));
                if is_start {
                    guard.open()?;
                }
                if w.skip.is_some() {
                    continue;
                }
                if !seen_root {
                    seen_root = true;
                    ns.learn(e);
                    w.doc_preserve = attr_exact(e, "xml:space").is_some_and(|v| v == "preserve");
                } else if local(e.name().0) == "AlternateContent" {
                    ns.learn(e);
                }
                let kind = ns.kind(e.name().0);
                // Depth of an empty element is one deeper than the current one.
                let depth = if is_start {
                    guard.depth
                } else {
                    guard.depth + 1
                };
                w.start(e, depth, kind, is_start);
            }
            Event::End(_) => {
                let depth = guard.depth;
                guard.close();
                if let Some(d) = w.skip {
                    if d == depth {
                        w.skip = None;
                        if w.in_instr == Some(depth) {
                            w.in_instr = None;
                        }
                    }
                    continue;
                }
                w.end(depth);
            }
            Event::Text(t) => {
                if w.skip.is_none() && w.in_t.is_some() {
                    w.t_buf.push_str(&t.xml10_content());
                } else if w.in_instr.is_some()
                    && let Some((_, instr)) = w.fields.last_mut()
                    && instr.len() < 256
                {
                    instr.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) if w.skip.is_none() && w.in_t.is_some() => {
                w.t_buf.push_str(&t.xml10_content());
            }
            Event::GeneralRef(r) => {
                if w.skip.is_none()
                    && w.in_t.is_some()
                    && let Some(c) = resolve_entity(&r.xml10_content())
                {
                    w.t_buf.push(c);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    // Unclosed paragraphs at EOF (truncated part): keep what we have.
    while let Some(p) = w.paras.pop() {
        w.finish_para(p);
    }
    w.out.append(&mut w.deferred);
    out.append(&mut w.out);
    let mut warnings = Vec::new();
    if !w.property_fields.is_empty() {
        warnings.push(format!(
            "the text shows document properties through fields: {}",
            w.property_fields.join(", ")
        ));
    }
    if w.deletions {
        warnings.push("tracked deletions (unaccepted revisions) were left out".to_string());
    }
    if w.hidden_dropped {
        warnings.push("hidden text (w:vanish) was left out".to_string());
    }
    if w.alt_chunks {
        warnings.push("embedded alternative-format chunks (w:altChunk) were not read".to_string());
    }
    Ok(warnings)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::io::Write;
    use std::time::Duration;
    use zip::write::SimpleFileOptions;

    const W_NS: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\"";
    const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>"#;

    fn limits() -> Limits {
        Limits {
            max_entry_bytes: 64 << 20,
            max_total_bytes: 256 << 20,
            max_entries: 10_000,
            max_depth: 256,
            deadline: Instant::now() + Duration::from_secs(10),
        }
    }

    fn make_zip(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        for (name, data) in parts {
            w.start_file(*name, opts).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    fn document(body: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W_NS}><w:body>{body}<w:sectPr/></w:body></w:document>"#
        )
    }

    /// A DOCX package of `body` (WordprocessingML) and `extra` parts, for any module's tests.
    pub(crate) fn docx(body: &str, extra: &[(&str, &[u8])]) -> Vec<u8> {
        let doc = document(body);
        let mut parts: Vec<(&str, &[u8])> = vec![
            ("[Content_Types].xml", b"<Types/>"),
            ("_rels/.rels", ROOT_RELS.as_bytes()),
            ("word/document.xml", doc.as_bytes()),
        ];
        parts.extend_from_slice(extra);
        make_zip(&parts)
    }

    fn texts(d: &DocxText) -> Vec<String> {
        d.blocks.iter().map(|b| b.text.clone()).collect()
    }

    fn all_text(d: &DocxText) -> String {
        texts(d).join("\n")
    }

    #[test]
    fn deleted_tracked_changes_absent_inserted_present() {
        let body = r#"<w:p><w:r><w:t xml:space="preserve">The child was seen by </w:t></w:r><w:del w:id="1" w:author="Jane Realname"><w:r><w:delText>Dr Secretname</w:delText></w:r></w:del><w:ins w:id="2" w:author="X"><w:r><w:t>the GP</w:t></w:r></w:ins><w:moveFrom w:id="3"><w:r><w:t>Movedaway</w:t></w:r></w:moveFrom><w:moveTo w:id="4"><w:r><w:t xml:space="preserve"> today</w:t></w:r></w:moveTo></w:p>"#;
        let d = extract(&docx(body, &[]), &limits()).unwrap();
        let t = all_text(&d);
        assert_eq!(t, "The child was seen by the GP today");
        assert!(!t.contains("Secretname") && !t.contains("Movedaway") && !t.contains("Realname"));
        assert!(d.warnings.iter().any(|w| w.contains("tracked deletions")));
    }

    #[test]
    fn hidden_text_and_deleted_rows_absent() {
        let body = r#"<w:p><w:r><w:t xml:space="preserve">Shown </w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>HiddenName</w:t></w:r><w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t>again</w:t></w:r></w:p><w:tbl><w:tr><w:trPr><w:del w:id="5" w:author="A"/></w:trPr><w:tc><w:p><w:r><w:t>DeletedRow</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:tc><w:tcPr><w:cellDel w:id="6"/></w:tcPr><w:p><w:r><w:t>DeletedCell</w:t></w:r></w:p></w:tc><w:tc><w:tcPr><w:tcW w:w="5"/></w:tcPr><w:p><w:r><w:t>Kept</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#;
        let d = extract(&docx(body, &[]), &limits()).unwrap();
        assert_eq!(
            texts(&d),
            vec!["Shown again".to_string(), "Kept".to_string()]
        );
        assert!(d.warnings.iter().any(|w| w.contains("hidden")));
    }

    #[test]
    fn comments_absent_properties_separate() {
        let body = r#"<w:p><w:commentRangeStart w:id="0"/><w:r><w:t>Visible text</w:t></w:r><w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r></w:p>"#;
        let comments = format!(
            r#"<w:comments {W_NS}><w:comment w:id="0" w:author="Alice Hidden"><w:p><w:r><w:t>Comment mentions Bob Secret</w:t></w:r></w:p></w:comment></w:comments>"#
        );
        let doc_rels = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="comments.xml"/></Relationships>"#;
        let core = r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Carol Author</dc:creator><cp:lastModifiedBy>Dan Editor</cp:lastModifiedBy></cp:coreProperties>"#;
        let d = extract(
            &docx(
                body,
                &[
                    ("word/comments.xml", comments.as_bytes()),
                    ("word/_rels/document.xml.rels", doc_rels.as_bytes()),
                    ("docProps/core.xml", core.as_bytes()),
                ],
            ),
            &limits(),
        )
        .unwrap();
        let t = all_text(&d);
        assert_eq!(t, "Visible text");
        assert!(
            d.properties
                .contains(&("creator".into(), "Carol Author".into()))
        );
        assert!(
            d.properties
                .contains(&("lastModifiedBy".into(), "Dan Editor".into()))
        );
    }

    #[test]
    fn headings_via_styles() {
        let styles = format!(
            r#"<w:styles {W_NS}><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="berschrift1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="Custom"><w:name w:val="My Section"/><w:pPr><w:outlineLvl w:val="2"/></w:pPr></w:style><w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="Heading 2"/></w:style><w:style w:type="paragraph" w:styleId="ListBullet"><w:name w:val="List Bullet"/><w:pPr><w:numPr><w:numId w:val="3"/></w:numPr></w:pPr></w:style></w:styles>"#
        );
        let doc_rels = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;
        let body = r#"<w:p><w:pPr><w:pStyle w:val="berschrift1"/></w:pPr><w:r><w:t>Einleitung</w:t></w:r></w:p><w:p><w:pPr><w:pStyle w:val="Heading2"/></w:pPr><w:r><w:t>Second</w:t></w:r></w:p><w:p><w:pPr><w:pStyle w:val="Custom"/></w:pPr><w:r><w:t>Third</w:t></w:r></w:p><w:p><w:pPr><w:outlineLvl w:val="3"/></w:pPr><w:r><w:t>Fourth</w:t></w:r></w:p><w:p><w:pPr><w:pStyle w:val="Normal"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>Item</w:t></w:r></w:p><w:p><w:pPr><w:pStyle w:val="ListBullet"/></w:pPr><w:r><w:t>Bullet</w:t></w:r></w:p><w:p><w:r><w:t>Body</w:t></w:r></w:p><w:p><w:r><w:t xml:space="preserve">   </w:t></w:r></w:p>"#;
        let d = extract(
            &docx(
                body,
                &[
                    ("word/styles.xml", styles.as_bytes()),
                    ("word/_rels/document.xml.rels", doc_rels.as_bytes()),
                ],
            ),
            &limits(),
        )
        .unwrap();
        let kinds: Vec<BlockKind> = d.blocks.iter().map(|b| b.kind.clone()).collect();
        assert_eq!(
            kinds,
            vec![
                BlockKind::Heading(1),
                BlockKind::Heading(2),
                BlockKind::Heading(3),
                BlockKind::Heading(4),
                BlockKind::ListItem,
                BlockKind::ListItem,
                BlockKind::Paragraph,
            ]
        );
    }

    #[test]
    fn main_part_found_through_relationships() {
        let rels = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="R1" Type="http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument" Target="/word/document2.xml"/></Relationships>"#;
        let doc = document(r#"<w:p><w:r><w:t>From document2</w:t></w:r></w:p>"#);
        let decoy = document(r#"<w:p><w:r><w:t>Decoy</w:t></w:r></w:p>"#);
        let z = make_zip(&[
            ("_rels/.rels", rels.as_bytes()),
            ("word/document2.xml", doc.as_bytes()),
            ("word/document.xml", decoy.as_bytes()),
        ]);
        let d = extract(&z, &limits()).unwrap();
        assert_eq!(texts(&d), vec!["From document2".to_string()]);
    }

    #[test]
    fn strict_namespace_prefix_agnostic() {
        let rels = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="R1" Type="http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;
        let doc = r#"<x:document xmlns:x="http://purl.oclc.org/ooxml/wordprocessingml/main"><x:body><x:p><x:r><x:t>Strict text</x:t></x:r></x:p></x:body></x:document>"#;
        let z = make_zip(&[
            ("_rels/.rels", rels.as_bytes()),
            ("word/document.xml", doc.as_bytes()),
        ]);
        let d = extract(&z, &limits()).unwrap();
        assert_eq!(texts(&d), vec!["Strict text".to_string()]);
    }

    #[test]
    fn table_rows_joined_nested_flattened() {
        let body = r#"<w:tbl><w:tblPr/><w:tr><w:tc><w:p><w:r><w:t>A</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>B</w:t></w:r></w:p><w:p><w:r><w:t>B2</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:tc><w:tbl><w:tr><w:tc><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>y</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:tc><w:tc><w:p><w:r><w:t>D</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#;
        let d = extract(&docx(body, &[]), &limits()).unwrap();
        assert_eq!(
            texts(&d),
            vec!["A | B B2".to_string(), "x | y | D".to_string()]
        );
        assert!(d.blocks.iter().all(|b| b.kind == BlockKind::TableRow));
    }

    #[test]
    fn alternate_content_not_doubled_textbox_kept() {
        let body = r#"<w:p><w:r><w:t>Before</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx xmlns:wps="x"><w:txbxContent><w:p><w:r><w:t>Boxed</w:t></w:r></w:p></w:txbxContent></wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox xmlns:v="v"><w:txbxContent><w:p><w:r><w:t>Boxed</w:t></w:r></w:p></w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"#;
        let d = extract(&docx(body, &[]), &limits()).unwrap();
        assert_eq!(texts(&d), vec!["Before".to_string(), "Boxed".to_string()]);
    }

    #[test]
    fn fields_keep_result_drop_instructions() {
        let body = r#"<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>HYPERLINK "http://x" \o "Secret Tooltip"</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>shown</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:fldSimple w:instr="AUTHOR"><w:r><w:t xml:space="preserve"> result</w:t></w:r></w:fldSimple><w:r><w:tab/><w:t>a</w:t><w:br/><w:t>b</w:t><w:noBreakHyphen/><w:t>c &amp; d</w:t></w:r></w:p>"#;
        let d = extract(&docx(body, &[]), &limits()).unwrap();
        assert_eq!(all_text(&d), "shown result\ta\nb-c & d");
        assert!(
            d.warnings.iter().any(|w| w.contains("AUTHOR")),
            "{:?}",
            d.warnings
        );
        let body = r#"<w:p><w:r><w:t>x</w:t><w:sym w:font="Symbol" w:char="F061"/><w:sym w:font="Wingdings" w:char="F0E0"/><w:sym w:char="2192"/></w:r></w:p>"#;
        let d = extract(&docx(body, &[]), &limits()).unwrap();
        assert_eq!(all_text(&d), "xα→");
    }

    #[test]
    fn unbalanced_field_does_not_swallow_document() {
        let body = r#"<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r><w:r><w:t>x</w:t></w:r></w:p><w:p><w:r><w:t>Later text</w:t></w:r></w:p>"#;
        let d = extract(&docx(body, &[]), &limits()).unwrap();
        assert_eq!(texts(&d), vec!["Later text".to_string()]);
    }

    #[test]
    fn notes_appended_numbered_in_order_of_reference_separators_skipped() {
        let doc_rels = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/></Relationships>"#;
        let notes = format!(
            r#"<w:footnotes {W_NS}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:t>SEP</w:t></w:r></w:p></w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:t>CONT</w:t></w:r></w:p></w:footnote><w:footnote w:id="3"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> Second cited.</w:t></w:r></w:p></w:footnote><w:footnote w:id="7"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> First cited.</w:t></w:r></w:p></w:footnote></w:footnotes>"#
        );
        // Word numbers notes by where the body cites them, not by their ids.
        let body = r#"<w:p><w:r><w:t>Body</w:t></w:r><w:r><w:footnoteReference w:id="7"/></w:r><w:r><w:t xml:space="preserve"> and more</w:t></w:r><w:r><w:footnoteReference w:id="3"/></w:r></w:p>"#;
        let d = extract(
            &docx(
                body,
                &[
                    ("word/_rels/document.xml.rels", doc_rels.as_bytes()),
                    ("word/footnotes.xml", notes.as_bytes()),
                ],
            ),
            &limits(),
        )
        .unwrap();
        assert_eq!(
            texts(&d),
            [
                "Body[1] and more[2]",
                "[2] Second cited.",
                "[1] First cited."
            ]
        );
        assert_eq!(
            d.blocks.last().map(|b| b.kind.clone()),
            Some(BlockKind::Note)
        );
    }

    #[test]
    fn numbered_paragraphs_carry_their_numbers() {
        let doc_rels = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/></Relationships>"#;
        let numbering = format!(
            r#"<w:numbering {W_NS}><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl></w:abstractNum><w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="o"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num></w:numbering>"#
        );
        let item = |num: u8, lvl: u8, text: &str| {
            format!(
                r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="{lvl}"/><w:numId w:val="{num}"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#
            )
        };
        let body = [
            item(1, 0, "Share the plan."),
            item(1, 1, "Within a week."),
            item(2, 0, "A bullet."),
            // An empty numbered paragraph still takes a number, as on Word's page.
            item(1, 0, ""),
            item(1, 0, "Review supervision."),
        ]
        .concat();
        let d = extract(
            &docx(
                &body,
                &[
                    ("word/_rels/document.xml.rels", doc_rels.as_bytes()),
                    ("word/numbering.xml", numbering.as_bytes()),
                ],
            ),
            &limits(),
        )
        .unwrap();
        assert_eq!(
            texts(&d),
            [
                "1. Share the plan.",
                "1.1 Within a week.",
                "A bullet.",
                "3. Review supervision."
            ]
        );
        assert!(d.blocks.iter().all(|b| b.kind == BlockKind::ListItem));
    }

    #[test]
    fn picture_alternative_text_is_kept_in_brackets() {
        let body = r#"<w:p><w:r><w:t xml:space="preserve">See </w:t></w:r><w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"><wp:docPr id="1" name="Picture 1" descr="Genogram of the family"/></wp:inline></w:drawing></w:r></w:p>"#;
        let d = extract(&docx(body, &[]), &limits()).unwrap();
        assert_eq!(texts(&d), ["See [Genogram of the family]"]);
    }

    #[test]
    fn zip_bomb_is_too_large_quickly() {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        w.start_file("_rels/.rels", opts).unwrap();
        w.write_all(ROOT_RELS.as_bytes()).unwrap();
        w.start_file("word/document.xml", opts).unwrap();
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..300 {
            w.write_all(&zeros).unwrap();
        }
        let z = w.finish().unwrap().into_inner();
        assert!(z.len() < 2 << 20);
        let t0 = Instant::now();
        let r = extract(&z, &limits());
        assert!(matches!(r, Err(DocxError::TooLarge(_))), "{:?}", r.err());
        assert!(t0.elapsed() < Duration::from_secs(2));

        // Declared size lied about: the actual read is bounded too.
        let small = Limits {
            max_entry_bytes: 1 << 20,
            ..limits()
        };
        let r = extract(&z, &small);
        assert!(matches!(r, Err(DocxError::TooLarge(_))));
    }

    #[test]
    fn lying_size_header_is_bounded_by_actual_read() {
        let big = vec![b' '; 3 << 20];
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        w.start_file("_rels/.rels", opts).unwrap();
        w.write_all(ROOT_RELS.as_bytes()).unwrap();
        w.start_file("word/document.xml", opts).unwrap();
        w.write_all(&big).unwrap();
        let mut z = w.finish().unwrap().into_inner();
        // Claim 1000 bytes in every local and central header of the big entry.
        let mut patched = 0;
        for i in 0..z.len().saturating_sub(46) {
            let sig = &z[i..i + 4];
            let off = if sig == b"PK\x03\x04" {
                22
            } else if sig == b"PK\x01\x02" {
                24
            } else {
                continue;
            };
            let size = u32::from_le_bytes(z[i + off..i + off + 4].try_into().unwrap());
            if size == 3 << 20 {
                z[i + off..i + off + 4].copy_from_slice(&1000u32.to_le_bytes());
                patched += 1;
            }
        }
        assert_eq!(patched, 2);
        let l = Limits {
            max_entry_bytes: 1 << 20,
            ..limits()
        };
        let r = extract(&z, &l);
        assert!(
            matches!(r, Err(DocxError::TooLarge(_)) | Err(DocxError::Damaged(_))),
            "{:?}",
            r.err()
        );
        let l = Limits {
            max_total_bytes: 2 << 20,
            ..limits()
        };
        assert!(extract(&z, &l).is_err());
    }

    #[test]
    fn too_deep_and_too_many_entries() {
        let deep = "<w:p>".repeat(300) + &"</w:p>".repeat(300);
        let r = extract(&docx(&deep, &[]), &limits());
        assert!(matches!(r, Err(DocxError::TooLarge(_))));
        let few = Limits {
            max_entries: 2,
            ..limits()
        };
        let r = extract(&docx("", &[]), &few);
        assert!(matches!(r, Err(DocxError::TooLarge(_))));
    }

    #[test]
    fn rejects_non_docx() {
        assert!(matches!(
            extract(b"%PDF-1.7 hello", &limits()),
            Err(DocxError::NotDocx(_))
        ));
        assert!(matches!(
            extract(b"", &limits()),
            Err(DocxError::NotDocx(_))
        ));
        let mut ole = OLE_MAGIC.to_vec();
        ole.extend_from_slice(&[0u8; 600]);
        assert!(matches!(
            extract(&ole, &limits()),
            Err(DocxError::NotDocx(_))
        ));
        let pat: Vec<u8> = "EncryptedPackage"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        ole.extend_from_slice(&pat);
        assert!(matches!(
            extract(&ole, &limits()),
            Err(DocxError::Encrypted)
        ));
        // A zip without a main document.
        let z = make_zip(&[("hello.txt", b"hi")]);
        assert!(matches!(extract(&z, &limits()), Err(DocxError::NotDocx(_))));
        // A spreadsheet: the officeDocument relationship leads to a workbook.
        let rels = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
        let z = make_zip(&[
            ("_rels/.rels", rels.as_bytes()),
            (
                "xl/workbook.xml",
                b"<workbook xmlns=\"x\"><sheets/></workbook>",
            ),
        ]);
        assert!(matches!(extract(&z, &limits()), Err(DocxError::NotDocx(_))));
        // Truncated zip.
        let z = docx("<w:p/>", &[]);
        let cut = z.get(..z.len() / 2).unwrap_or(&[]);
        assert!(extract(cut, &limits()).is_err());
    }

    #[test]
    fn malformed_xml_is_damaged() {
        let z = make_zip(&[
            ("_rels/.rels", ROOT_RELS.as_bytes()),
            ("word/document.xml", b"<w:document><w:body><w:p></w:body>"),
        ]);
        assert!(matches!(extract(&z, &limits()), Err(DocxError::Damaged(_))));
    }

    #[test]
    fn deadline_in_past_times_out() {
        let l = Limits {
            deadline: Instant::now(),
            ..limits()
        };
        assert!(matches!(
            extract(&docx("", &[]), &l),
            Err(DocxError::TimedOut)
        ));
    }

    #[test]
    fn garbage_never_panics() {
        let base = docx(
            r#"<w:p><w:r><w:t>Hello world</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>c</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#,
            &[],
        );
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        for i in 0..400 {
            let mut b = base.clone();
            for _ in 0..(1 + i % 8) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let pos = (seed as usize) % b.len();
                if let Some(x) = b.get_mut(pos) {
                    *x = (seed >> 32) as u8;
                }
            }
            let _ = extract(&b, &limits());
            let _ = extract(b.get(..(seed as usize) % b.len()).unwrap_or(&[]), &limits());
        }
    }
}
