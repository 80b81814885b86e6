//! PDF text extraction for cairn.
//!
//! Walks the page content streams itself (with lopdf for parsing, decryption and
//! decompression), positions every glyph from the font metrics, and lays the glyphs out
//! into lines and paragraphs much like `pdftotext` in its default (non-layout) mode:
//! reading order, words separated by single spaces, lines by `\n`, and a blank line
//! between blocks whose vertical gap is clearly larger than the line spacing.
//!
//! Only std, lopdf and thiserror are used. Every loop is bounded by [`Limits`]; the whole
//! extraction runs under `catch_unwind` so a panic inside lopdf becomes [`PdfError::Damaged`].
#![forbid(unsafe_code)]

mod collections;
mod tables;

use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Instant;

use collections::Collection;
use lopdf::{Dictionary, Document, Object, ObjectId};

/// Bounds on one extraction.
#[derive(Debug, Clone)]
pub struct Limits {
    pub max_pages: usize,
    pub max_decompressed: usize,
    pub max_ops: usize,
    pub max_form_depth: u32,
    pub deadline: Instant,
}

/// Text of one PDF.
#[derive(Debug, Clone, Default)]
pub struct PdfText {
    /// One String per page, in page order.
    pub pages: Vec<String>,
    /// Info dictionary entries decoded to UTF-8.
    pub info: Vec<(String, String)>,
    /// Human-readable warnings.
    pub warnings: Vec<String>,
    /// Glyphs that could not be mapped to Unicode.
    pub undecoded_glyphs: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// Needs a user password (empty-password files open: lopdf decrypts them).
    #[error("the PDF is encrypted with a password")]
    Encrypted,
    /// Pages exist but carry no text layer at all, only images (needs OCR).
    #[error("the PDF has no text layer (image-only, {pages} pages); it needs OCR")]
    ImageOnly { pages: usize },
    /// Cannot be parsed.
    #[error("the PDF is damaged: {0}")]
    Damaged(String),
    /// Over a limit.
    #[error("the PDF exceeds a limit: {0}")]
    TooLarge(String),
    /// Took longer than the deadline.
    #[error("extraction timed out")]
    TimedOut,
}

/// Extract the text of every page of a PDF held in memory.
pub fn extract(bytes: &[u8], limits: &Limits) -> Result<PdfText, PdfError> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        extract_inner(bytes, limits)
    })) {
        Ok(result) => result,
        Err(payload) => {
            let msg = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(PdfError::Damaged(format!(
                "internal parser failure ({msg})"
            )))
        }
    }
}

// ---------------------------------------------------------------------------
// Document level
// ---------------------------------------------------------------------------

/// How many times one Form XObject may be entered on one page.
const MAX_FORM_VISITS_PER_PAGE: u32 = 64;
/// Warnings kept (the rest are counted).
const MAX_WARNINGS: usize = 200;
/// Graphics state stack depth.
const MAX_GSTATE_DEPTH: usize = 256;
/// Entries in one CMap.
const MAX_CMAP_ENTRIES: usize = 200_000;
/// Glyphs kept per page (beyond this the rest of the page is dropped with a warning).
const MAX_GLYPHS_PER_PAGE: usize = 2_000_000;

fn extract_inner(bytes: &[u8], limits: &Limits) -> Result<PdfText, PdfError> {
    if Instant::now() >= limits.deadline {
        return Err(PdfError::TimedOut);
    }
    let options = lopdf::LoadOptions {
        max_decompressed_size: Some(limits.max_decompressed.max(1)),
        ..Default::default()
    };
    let doc = match Document::load_mem_with_options(bytes, options) {
        Ok(doc) => doc,
        Err(lopdf::Error::InvalidPassword) => return Err(PdfError::Encrypted),
        Err(lopdf::Error::Decryption(_)) => return Err(PdfError::Encrypted),
        Err(e) => {
            if looks_encrypted(bytes) {
                return Err(PdfError::Encrypted);
            }
            return Err(PdfError::Damaged(e.to_string()));
        }
    };
    let doc = if doc.trailer.has(b"Encrypt") && doc.encryption_state.is_none() {
        // Without a file ID lopdf cannot derive the key even for an empty password; the
        // standard says to use an empty ID then, so retry with one written into the trailer.
        if doc.trailer.has(b"ID") {
            return Err(PdfError::Encrypted);
        }
        let Some(patched) = with_empty_file_id(bytes) else {
            return Err(PdfError::Encrypted);
        };
        let options = lopdf::LoadOptions {
            max_decompressed_size: Some(limits.max_decompressed.max(1)),
            ..Default::default()
        };
        match Document::load_mem_with_options(&patched, options) {
            Ok(d) if d.encryption_state.is_some() => d,
            _ => return Err(PdfError::Encrypted),
        }
    } else {
        doc
    };
    if Instant::now() >= limits.deadline {
        return Err(PdfError::TimedOut);
    }
    let pages = doc.get_pages();
    if pages.is_empty() {
        return Err(PdfError::Damaged("the document has no pages".into()));
    }
    if pages.len() > limits.max_pages {
        return Err(PdfError::TooLarge(format!(
            "{} pages (limit {})",
            pages.len(),
            limits.max_pages
        )));
    }

    let mut ex = Extractor {
        doc: &doc,
        limits,
        fonts: HashMap::new(),
        fallback: None,
        ops: 0,
        decompressed: 0,
        images: 0,
        undecoded: 0,
        shown_glyphs: 0,
        warnings: Vec::new(),
    };
    let mut out = PdfText {
        info: read_info(&doc),
        ..Default::default()
    };
    let mut image_only_pages = Vec::new();
    for (index, (_, page_id)) in pages.iter().enumerate() {
        let images_before = ex.images;
        let text = ex.page_text(index + 1, *page_id)?;
        if text.is_empty() && ex.images > images_before {
            image_only_pages.push(index + 1);
        }
        out.pages.push(text);
    }
    if !image_only_pages.is_empty() && image_only_pages.len() < out.pages.len() {
        let list: Vec<String> = image_only_pages
            .iter()
            .take(50)
            .map(|p| p.to_string())
            .collect();
        let more = if image_only_pages.len() > 50 {
            ", …"
        } else {
            ""
        };
        ex.warnings.insert(
            0,
            format!(
                "{} page(s) have images but no text and may need OCR: {}{more}",
                image_only_pages.len(),
                list.join(", ")
            ),
        );
    }
    out.undecoded_glyphs = ex.undecoded;
    out.warnings = ex.warnings;
    if out.warnings.len() > MAX_WARNINGS {
        let more = out.warnings.len() - MAX_WARNINGS;
        out.warnings.truncate(MAX_WARNINGS);
        out.warnings.push(format!("… and {more} more warnings"));
    }
    if out.pages.iter().all(|p| p.trim().is_empty()) {
        if ex.images > 0 || ex.undecoded > 0 {
            return Err(PdfError::ImageOnly {
                pages: out.pages.len(),
            });
        }
        return Err(PdfError::Damaged(format!(
            "no text and no images on any of the {} pages",
            out.pages.len()
        )));
    }
    Ok(out)
}

/// The file with `/ID [<> <>]` added to its last trailer dictionary.
fn with_empty_file_id(bytes: &[u8]) -> Option<Vec<u8>> {
    let trailer = bytes.windows(7).rposition(|w| w == b"trailer")?;
    let open = trailer + bytes.get(trailer..)?.windows(2).position(|w| w == b"<<")? + 2;
    let mut out = Vec::with_capacity(bytes.len() + 16);
    out.extend_from_slice(bytes.get(..open)?);
    out.extend_from_slice(b"/ID [<> <>]");
    out.extend_from_slice(bytes.get(open..)?);
    Some(out)
}

/// A cheap guess used only when lopdf failed: does the file declare encryption?
fn looks_encrypted(bytes: &[u8]) -> bool {
    bytes.windows(8).any(|w| w == b"/Encrypt")
}

fn read_info(doc: &Document) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let Ok(info) = doc.trailer.get(b"Info") else {
        return out;
    };
    let Ok((_, info)) = doc.dereference(info) else {
        return out;
    };
    let Ok(dict) = info.as_dict() else {
        return out;
    };
    for (key, value) in dict.iter().take(200) {
        let Ok((_, value)) = doc.dereference(value) else {
            continue;
        };
        let text = match value {
            Object::String(s, _) => decode_text_string(s),
            Object::Name(n) => String::from_utf8_lossy(n).into_owned(),
            Object::Integer(i) => i.to_string(),
            Object::Real(r) => r.to_string(),
            Object::Boolean(b) => b.to_string(),
            _ => continue,
        };
        let text = text.trim_matches(char::from(0)).trim().to_string();
        if !text.is_empty() {
            out.push((String::from_utf8_lossy(key).into_owned(), text));
        }
    }
    out
}

/// Decode a PDF text string: UTF-16BE with BOM, UTF-8 with BOM, or PDFDocEncoding.
fn decode_text_string(s: &[u8]) -> String {
    if let Some(rest) = s.strip_prefix(b"\xFE\xFF") {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else if let Some(rest) = s.strip_prefix(b"\xEF\xBB\xBF") {
        String::from_utf8_lossy(rest).into_owned()
    } else {
        s.iter()
            .filter_map(|&b| char::from_u32(u32::from(tables::PDF_DOC_ENCODING[usize::from(b)])))
            .filter(|&c| c != '\0')
            .collect()
    }
}

// ---------------------------------------------------------------------------
// Geometry
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq)]
struct Matrix([f32; 6]);

impl Matrix {
    const IDENTITY: Matrix = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    /// `self × other` (apply self first, then other).
    fn mul(&self, other: &Matrix) -> Matrix {
        let [a1, b1, c1, d1, e1, f1] = self.0;
        let [a2, b2, c2, d2, e2, f2] = other.0;
        Matrix([
            a1 * a2 + b1 * c2,
            a1 * b2 + b1 * d2,
            c1 * a2 + d1 * c2,
            c1 * b2 + d1 * d2,
            e1 * a2 + f1 * c2 + e2,
            e1 * b2 + f1 * d2 + f2,
        ])
    }

    fn translate(tx: f32, ty: f32) -> Matrix {
        Matrix([1.0, 0.0, 0.0, 1.0, tx, ty])
    }

    fn apply(&self, x: f32, y: f32) -> (f32, f32) {
        let [a, b, c, d, e, f] = self.0;
        (x * a + y * c + e, x * b + y * d + f)
    }

    fn from_operands(ops: &[Object]) -> Option<Matrix> {
        if ops.len() < 6 {
            return None;
        }
        let mut m = [0.0f32; 6];
        for (slot, op) in m.iter_mut().zip(ops.iter()) {
            *slot = num(op)?;
        }
        Some(Matrix(m))
    }

    fn from_object(doc: &Document, obj: &Object) -> Option<Matrix> {
        let (_, obj) = doc.dereference(obj).ok()?;
        Matrix::from_operands(obj.as_array().ok()?)
    }
}

/// How far (points) outside a page box a glyph's centre may stand and still be inside.
const CLIP_SLACK: f32 = 2.0;

/// A page box (`MediaBox`, `CropBox`), inheritable from the page tree, as
/// `[left, bottom, right, top]`; `None` when absent or not a usable rectangle.
fn page_box(doc: &Document, page_id: ObjectId, key: &[u8]) -> Option<[f32; 4]> {
    let mut id = page_id;
    // The page tree is shallow; the bound stops a cycle.
    for _ in 0..32 {
        let dict = doc.get_dictionary(id).ok()?;
        if let Ok(obj) = dict.get(key) {
            let (_, obj) = doc.dereference(obj).ok()?;
            let v: Vec<f32> = obj
                .as_array()
                .ok()?
                .iter()
                .filter_map(|o| doc.dereference(o).ok().and_then(|(_, o)| num(o)))
                .collect();
            if v.len() != 4 {
                return None;
            }
            let (l, r) = (v[0].min(v[2]), v[0].max(v[2]));
            let (b, t) = (v[1].min(v[3]), v[1].max(v[3]));
            return (r - l > 1.0 && t - b > 1.0).then_some([l, b, r, t]);
        }
        id = dict.get(b"Parent").ok()?.as_reference().ok()?;
    }
    None
}

/// Is the point inside `area`, give or take [`CLIP_SLACK`]?
fn inside(area: &[f32; 4], x: f32, y: f32) -> bool {
    let [left, bottom, right, top] = *area;
    x >= left - CLIP_SLACK
        && x <= right + CLIP_SLACK
        && y >= bottom - CLIP_SLACK
        && y <= top + CLIP_SLACK
}

fn num(obj: &Object) -> Option<f32> {
    let v = match obj {
        Object::Integer(i) => *i as f32,
        Object::Real(r) => *r,
        _ => return None,
    };
    v.is_finite().then_some(v)
}

// ---------------------------------------------------------------------------
// CMaps (ToUnicode and embedded encoding CMaps)
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Hex(Vec<u8>),
    Str(Vec<u8>),
    Name(Vec<u8>),
    Int(i64),
    Word(Vec<u8>),
    ArrOpen,
    ArrClose,
}

/// A small PostScript-ish tokenizer, enough for CMaps and Type1 font headers.
fn tokenize(data: &[u8], max_tokens: usize) -> Vec<Token> {
    let mut out = Vec::new();
    let mut i = 0usize;
    let n = data.len();
    let is_delim = |b: u8| b"()<>[]{}/%".contains(&b) || b.is_ascii_whitespace() || b == 0;
    while i < n && out.len() < max_tokens {
        let b = data[i];
        if b.is_ascii_whitespace() || b == 0 {
            i += 1;
        } else if b == b'%' {
            while i < n && data[i] != b'\n' && data[i] != b'\r' {
                i += 1;
            }
        } else if b == b'<' {
            if data.get(i + 1) == Some(&b'<') {
                i += 2; // dictionary open: ignored
                continue;
            }
            i += 1;
            let mut digits = Vec::new();
            while i < n && data[i] != b'>' {
                if let Some(d) = hex_val(data[i]) {
                    digits.push(d);
                }
                i += 1;
            }
            i += 1;
            if digits.len() % 2 == 1 {
                digits.push(0);
            }
            let bytes = digits.chunks_exact(2).map(|c| (c[0] << 4) | c[1]).collect();
            out.push(Token::Hex(bytes));
        } else if b == b'>' {
            i += 1; // stray '>' or '>>'
        } else if b == b'(' {
            i += 1;
            let mut depth = 1u32;
            let mut s = Vec::new();
            while i < n {
                let c = data[i];
                i += 1;
                match c {
                    b'\\' => {
                        if let Some(&e) = data.get(i) {
                            i += 1;
                            match e {
                                b'n' => s.push(b'\n'),
                                b'r' => s.push(b'\r'),
                                b't' => s.push(b'\t'),
                                b'b' => s.push(8),
                                b'f' => s.push(12),
                                b'0'..=b'7' => {
                                    let mut v = u32::from(e - b'0');
                                    for _ in 0..2 {
                                        match data.get(i) {
                                            Some(&d @ b'0'..=b'7') => {
                                                v = v * 8 + u32::from(d - b'0');
                                                i += 1;
                                            }
                                            _ => break,
                                        }
                                    }
                                    s.push((v & 0xff) as u8);
                                }
                                b'\r' | b'\n' => {}
                                other => s.push(other),
                            }
                        }
                    }
                    b'(' => {
                        depth += 1;
                        s.push(c);
                    }
                    b')' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                        s.push(c);
                    }
                    _ => s.push(c),
                }
            }
            out.push(Token::Str(s));
        } else if b == b'[' {
            out.push(Token::ArrOpen);
            i += 1;
        } else if b == b']' {
            out.push(Token::ArrClose);
            i += 1;
        } else if b == b'{' || b == b'}' || b == b')' {
            i += 1;
        } else if b == b'/' {
            i += 1;
            let start = i;
            while i < n && !is_delim(data[i]) {
                i += 1;
            }
            out.push(Token::Name(data[start..i].to_vec()));
        } else {
            let start = i;
            while i < n && !is_delim(data[i]) {
                i += 1;
            }
            let word = &data[start..i];
            match std::str::from_utf8(word)
                .ok()
                .and_then(|s| s.parse::<i64>().ok())
            {
                Some(v) => out.push(Token::Int(v)),
                None => out.push(Token::Word(word.to_vec())),
            }
        }
    }
    out
}

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

fn bytes_to_code(b: &[u8]) -> u32 {
    b.iter()
        .take(4)
        .fold(0u32, |acc, &x| (acc << 8) | u32::from(x))
}

/// Destination of a bfrange: a base string whose last UTF-16 unit is incremented, or an array.
#[derive(Debug, Clone)]
enum RangeDst {
    Base(Vec<u16>),
    List(Vec<String>),
    Cid,
}

#[derive(Debug, Clone, Default)]
struct CMap {
    /// (number of bytes, low code, high code).
    codespace: Vec<(u8, u32, u32)>,
    singles: HashMap<u32, String>,
    ranges: Vec<(u32, u32, RangeDst)>,
    /// For encoding CMaps: code → CID.
    cid_singles: HashMap<u32, u32>,
    cid_ranges: Vec<(u32, u32, u32)>,
    /// The CMap used `usecmap` with Identity-H/V.
    uses_identity: bool,
    /// Written top to bottom: `/WMode 1`, or `usecmap` of a vertical CMap.
    vertical: bool,
}

fn utf16_units(b: &[u8]) -> Vec<u16> {
    if b.len() == 1 {
        return vec![u16::from(b[0])];
    }
    b.chunks(2)
        .map(|c| {
            if c.len() == 2 {
                u16::from_be_bytes([c[0], c[1]])
            } else {
                u16::from(c[0])
            }
        })
        .collect()
}

impl CMap {
    fn parse(data: &[u8]) -> CMap {
        let tokens = tokenize(data, 4 * MAX_CMAP_ENTRIES);
        let mut cmap = CMap::default();
        let mut entries = 0usize;
        let mut i = 0usize;
        while i < tokens.len() {
            let Token::Word(w) = &tokens[i] else {
                if matches!(&tokens[i], Token::Name(n) if n == b"WMode")
                    && tokens.get(i + 1) == Some(&Token::Int(1))
                {
                    cmap.vertical = true;
                }
                i += 1;
                continue;
            };
            match w.as_slice() {
                b"usecmap" => {
                    if let Some(Token::Name(n)) = i.checked_sub(1).and_then(|j| tokens.get(j)) {
                        cmap.uses_identity |= n.starts_with(b"Identity");
                        cmap.vertical |= n.ends_with(b"-V") || n == b"V";
                    }
                    i += 1;
                }
                b"begincodespacerange" => {
                    i += 1;
                    while let (Some(Token::Hex(lo)), Some(Token::Hex(hi))) =
                        (tokens.get(i), tokens.get(i + 1))
                    {
                        if !lo.is_empty() && lo.len() <= 4 {
                            cmap.codespace.push((
                                lo.len() as u8,
                                bytes_to_code(lo),
                                bytes_to_code(hi),
                            ));
                        }
                        i += 2;
                    }
                }
                b"beginbfchar" => {
                    i += 1;
                    loop {
                        match (tokens.get(i), tokens.get(i + 1)) {
                            (Some(Token::Hex(src)), Some(Token::Hex(dst))) => {
                                if entries < MAX_CMAP_ENTRIES {
                                    entries += 1;
                                    cmap.singles.insert(
                                        bytes_to_code(src),
                                        String::from_utf16_lossy(&utf16_units(dst)),
                                    );
                                }
                                i += 2;
                            }
                            (Some(Token::Hex(src)), Some(Token::Name(name))) => {
                                if entries < MAX_CMAP_ENTRIES
                                    && let Some(s) = glyph_name_to_string(name)
                                {
                                    entries += 1;
                                    cmap.singles.insert(bytes_to_code(src), s);
                                }
                                i += 2;
                            }
                            _ => break,
                        }
                    }
                }
                b"beginbfrange" => {
                    i += 1;
                    while let (Some(Token::Hex(lo)), Some(Token::Hex(hi))) =
                        (tokens.get(i), tokens.get(i + 1))
                    {
                        let (lo, hi) = (bytes_to_code(lo), bytes_to_code(hi));
                        i += 2;
                        match tokens.get(i) {
                            Some(Token::Hex(dst)) => {
                                i += 1;
                                if hi >= lo && entries < MAX_CMAP_ENTRIES {
                                    entries += 1;
                                    cmap.ranges.push((lo, hi, RangeDst::Base(utf16_units(dst))));
                                }
                            }
                            Some(Token::ArrOpen) => {
                                i += 1;
                                let mut list = Vec::new();
                                while let Some(t) = tokens.get(i) {
                                    i += 1;
                                    match t {
                                        Token::Hex(d) => {
                                            list.push(String::from_utf16_lossy(&utf16_units(d)))
                                        }
                                        Token::Name(n) => {
                                            list.push(glyph_name_to_string(n).unwrap_or_default())
                                        }
                                        Token::ArrClose => break,
                                        _ => {}
                                    }
                                }
                                if hi >= lo && entries < MAX_CMAP_ENTRIES {
                                    entries += 1;
                                    cmap.ranges.push((lo, hi, RangeDst::List(list)));
                                }
                            }
                            Some(Token::Int(cid)) => {
                                // Tolerate a CID where a bfrange destination should be.
                                i += 1;
                                if hi >= lo && *cid >= 0 && entries < MAX_CMAP_ENTRIES {
                                    entries += 1;
                                    cmap.ranges.push((lo, hi, RangeDst::Cid));
                                }
                            }
                            _ => break,
                        }
                    }
                }
                b"begincidchar" => {
                    i += 1;
                    while let (Some(Token::Hex(src)), Some(Token::Int(cid))) =
                        (tokens.get(i), tokens.get(i + 1))
                    {
                        if entries < MAX_CMAP_ENTRIES && *cid >= 0 {
                            entries += 1;
                            cmap.cid_singles.insert(bytes_to_code(src), *cid as u32);
                        }
                        i += 2;
                    }
                }
                b"begincidrange" => {
                    i += 1;
                    while let (Some(Token::Hex(lo)), Some(Token::Hex(hi)), Some(Token::Int(cid))) =
                        (tokens.get(i), tokens.get(i + 1), tokens.get(i + 2))
                    {
                        let (lo, hi) = (bytes_to_code(lo), bytes_to_code(hi));
                        if hi >= lo && *cid >= 0 && entries < MAX_CMAP_ENTRIES {
                            entries += 1;
                            cmap.cid_ranges.push((lo, hi, *cid as u32));
                        }
                        i += 3;
                    }
                }
                _ => i += 1,
            }
        }
        // Sorted by start code for binary search (stable: later definitions stay later).
        cmap.ranges.sort_by_key(|r| r.0);
        cmap.cid_ranges.sort_by_key(|r| r.0);
        cmap
    }

    /// Unicode text for a code, if mapped.
    fn lookup(&self, code: u32) -> Option<String> {
        if let Some(s) = self.singles.get(&code) {
            return Some(s.clone());
        }
        // The nearest ranges starting at or below the code (ranges rarely overlap).
        let end = self.ranges.partition_point(|r| r.0 <= code);
        for (lo, hi, dst) in self
            .ranges
            .get(end.saturating_sub(16)..end)
            .unwrap_or(&[])
            .iter()
            .rev()
        {
            if code < *lo || code > *hi {
                continue;
            }
            let off = code - lo;
            match dst {
                RangeDst::Base(units) => return increment_dst(units, off),
                RangeDst::List(list) => return list.get(off as usize).cloned(),
                RangeDst::Cid => return None,
            }
        }
        None
    }

    fn cid(&self, code: u32) -> Option<u32> {
        if let Some(c) = self.cid_singles.get(&code) {
            return Some(*c);
        }
        let end = self.cid_ranges.partition_point(|r| r.0 <= code);
        self.cid_ranges
            .get(end.saturating_sub(16)..end)
            .unwrap_or(&[])
            .iter()
            .rev()
            .find(|(lo, hi, _)| code >= *lo && code <= *hi)
            .map(|(lo, _, cid)| cid.saturating_add(code - lo))
    }

    /// Length in bytes of the code starting at `bytes`, from the codespace ranges.
    fn code_len(&self, bytes: &[u8]) -> Option<usize> {
        if self.codespace.is_empty() {
            return None;
        }
        for len in 1..=4usize {
            let Some(prefix) = bytes.get(..len) else {
                break;
            };
            let code = bytes_to_code(prefix);
            if self
                .codespace
                .iter()
                .any(|&(l, lo, hi)| usize::from(l) == len && code >= lo && code <= hi)
            {
                return Some(len);
            }
        }
        None
    }
}

/// A bfrange base destination with `off` added to its last character.
fn increment_dst(units: &[u16], off: u32) -> Option<String> {
    let n = units.len();
    let last = *units.last()?;
    // A trailing surrogate pair counts as one character.
    if n >= 2 {
        let hi_s = units[n - 2];
        if (0xD800..0xDC00).contains(&hi_s) && (0xDC00..0xE000).contains(&last) {
            let cp = 0x10000 + ((u32::from(hi_s) - 0xD800) << 10) + (u32::from(last) - 0xDC00);
            let c = char::from_u32(cp.checked_add(off)?)?;
            let mut s = String::from_utf16_lossy(&units[..n - 2]);
            s.push(c);
            return Some(s);
        }
    }
    let c = char::from_u32(u32::from(last).checked_add(off)?)?;
    let mut s = String::from_utf16_lossy(&units[..n - 1]);
    s.push(c);
    Some(s)
}

// ---------------------------------------------------------------------------
// Glyph names
// ---------------------------------------------------------------------------

/// Map a glyph name to Unicode text (Adobe Glyph List rules, subset).
fn glyph_name_to_string(name: &[u8]) -> Option<String> {
    let name = std::str::from_utf8(name).ok()?;
    // Drop a suffix such as ".sc" or ".alt".
    let base = name.split('.').next().unwrap_or(name);
    if base.is_empty() {
        return None;
    }
    if base.contains('_') {
        let mut out = String::new();
        for part in base.split('_').take(8) {
            out.push_str(&single_glyph_name(part)?);
        }
        return Some(out);
    }
    single_glyph_name(base)
}

fn single_glyph_name(name: &str) -> Option<String> {
    if let Ok(i) = tables::GLYPH_NAMES.binary_search_by(|(n, _)| n.as_bytes().cmp(name.as_bytes()))
    {
        let (_, code) = tables::GLYPH_NAMES[i];
        return char::from_u32(u32::from(code)).map(String::from);
    }
    let is_hex = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit());
    if let Some(rest) = name.strip_prefix("uni")
        && rest.len() >= 4
        && rest.len() % 4 == 0
        && is_hex(rest)
    {
        let units: Vec<u16> = rest
            .as_bytes()
            .chunks(4)
            .filter_map(|c| u16::from_str_radix(std::str::from_utf8(c).ok()?, 16).ok())
            .collect();
        let s = String::from_utf16(&units).ok()?;
        return (!s.is_empty()).then_some(s);
    }
    if let Some(rest) = name.strip_prefix('u')
        && (4..=6).contains(&rest.len())
        && is_hex(rest)
    {
        let v = u32::from_str_radix(rest, 16).ok()?;
        return char::from_u32(v).map(String::from);
    }
    // "gXX" / "GXX": two hex digits giving the character code (a common subsetter convention).
    if let Some(rest) = name.strip_prefix('g').or_else(|| name.strip_prefix('G'))
        && rest.len() == 2
        && is_hex(rest)
    {
        let v = u32::from_str_radix(rest, 16).ok()?;
        if (0x20..0x7f).contains(&v) {
            return char::from_u32(v).map(String::from);
        }
    }
    // Single-letter names not in the table ("a".."z" are, but be lenient with e.g. digits).
    None
}

/// Replace Unicode ligatures by their letters and drop control characters.
fn push_normalized(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '\u{FB00}' => out.push_str("ff"),
            '\u{FB01}' => out.push_str("fi"),
            '\u{FB02}' => out.push_str("fl"),
            '\u{FB03}' => out.push_str("ffi"),
            '\u{FB04}' => out.push_str("ffl"),
            '\u{FB05}' | '\u{FB06}' => out.push_str("st"),
            '\u{A0}' | '\t' | '\u{2000}'..='\u{200A}' | '\u{3000}' => out.push(' '),
            c if c.is_control() => {}
            '\u{FEFF}' | '\u{200B}'..='\u{200D}' | '\u{FFFD}' | '\u{00AD}' => {}
            c => out.push(c),
        }
    }
}

// ---------------------------------------------------------------------------
// Fonts
// ---------------------------------------------------------------------------

#[derive(Debug)]
enum CidMapping {
    Identity,
    Map(CMap),
}

/// Glyph id → Unicode from an embedded TrueType cmap, for CID fonts without ToUnicode.
#[derive(Debug)]
struct GidUnicode {
    cid_to_gid: Option<Vec<u16>>,
    reverse: HashMap<u16, char>,
}

impl GidUnicode {
    fn lookup(&self, cid: u32) -> Option<String> {
        let gid = match &self.cid_to_gid {
            Some(map) => *map.get(cid as usize)?,
            None => u16::try_from(cid).ok()?,
        };
        self.reverse.get(&gid).map(|c| c.to_string())
    }
}

fn be16(d: &[u8], at: usize) -> Option<u16> {
    let b = d.get(at..at.checked_add(2)?)?;
    Some(u16::from_be_bytes([b[0], b[1]]))
}

fn be32(d: &[u8], at: usize) -> Option<u32> {
    let b = d.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

/// Read a TrueType font's Unicode cmap (format 4 or 12) into glyph id → character.
fn truetype_gid_to_unicode(data: &[u8]) -> Option<HashMap<u16, char>> {
    const MAX_ENTRIES: usize = 200_000;
    let num_tables = usize::from(be16(data, 4)?).min(128);
    let mut cmap_at = None;
    for i in 0..num_tables {
        let rec = 12 + 16 * i;
        if data.get(rec..rec + 4)? == b"cmap" {
            cmap_at = Some(be32(data, rec + 8)? as usize);
            break;
        }
    }
    let cmap = cmap_at?;
    let count = usize::from(be16(data, cmap + 2)?).min(64);
    let mut best: Option<(u8, usize)> = None;
    for j in 0..count {
        let rec = cmap + 4 + 8 * j;
        let (pid, eid) = (be16(data, rec)?, be16(data, rec + 2)?);
        let score = match (pid, eid) {
            (3, 10) => 4,
            (3, 1) => 3,
            (0, _) => 2,
            _ => 0,
        };
        if score > 0 && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, cmap.checked_add(be32(data, rec + 4)? as usize)?));
        }
    }
    let (_, t) = best?;
    let mut out: HashMap<u16, char> = HashMap::new();
    match be16(data, t)? {
        4 => {
            let seg_x2 = usize::from(be16(data, t + 6)?);
            let segs = seg_x2 / 2;
            let ends = t + 14;
            let starts = ends + seg_x2 + 2;
            let deltas = starts + seg_x2;
            let ranges = deltas + seg_x2;
            let mut n = 0usize;
            for s in 0..segs {
                let (end, start) = (be16(data, ends + 2 * s)?, be16(data, starts + 2 * s)?);
                let delta = be16(data, deltas + 2 * s)?;
                let ro = usize::from(be16(data, ranges + 2 * s)?);
                if start > end || start == 0xFFFF {
                    continue;
                }
                for c in start..=end {
                    n += 1;
                    if n > MAX_ENTRIES {
                        return Some(out);
                    }
                    let gid = if ro == 0 {
                        c.wrapping_add(delta)
                    } else {
                        let at = ranges + 2 * s + ro + 2 * usize::from(c - start);
                        match be16(data, at) {
                            Some(0) | None => 0,
                            Some(g) => g.wrapping_add(delta),
                        }
                    };
                    if gid != 0
                        && let Some(ch) = char::from_u32(u32::from(c))
                    {
                        out.entry(gid).or_insert(ch);
                    }
                }
            }
        }
        12 => {
            let groups = (be32(data, t + 12)? as usize).min(MAX_ENTRIES);
            let mut n = 0usize;
            for g in 0..groups {
                let at = t + 16 + 12 * g;
                let (start, end, gid0) =
                    (be32(data, at)?, be32(data, at + 4)?, be32(data, at + 8)?);
                for c in start..=end.min(start.saturating_add(65_535)) {
                    n += 1;
                    if n > MAX_ENTRIES {
                        return Some(out);
                    }
                    let gid = gid0.saturating_add(c - start);
                    if let (Ok(gid), Some(ch)) = (u16::try_from(gid), char::from_u32(c))
                        && gid != 0
                    {
                        out.entry(gid).or_insert(ch);
                    }
                }
            }
        }
        _ => return None,
    }
    (!out.is_empty()).then_some(out)
}

#[derive(Debug)]
struct Font {
    /// CID fonts without ToUnicode: Unicode from the embedded TrueType cmap.
    gid_unicode: Option<GidUnicode>,
    name: String,
    composite: bool,
    /// Composite fonts: how codes map to CIDs, and the codespace.
    cid_mapping: CidMapping,
    /// Composite fonts with a predefined UCS-2/UTF-16 CMap: the code is Unicode.
    code_is_unicode: bool,
    /// Composite fonts with a predefined CJK CMap over a legacy character set (Shift-JIS,
    /// EUC, GBK, Big5, UHC, UTF-8): the codes are text in that encoding.
    legacy: Option<&'static encoding_rs::Encoding>,
    /// Composite fonts with any other predefined CMap ("H", "V"): its code → CID table.
    predefined: Option<Arc<hayro_cmap::CMap>>,
    /// Composite fonts of an Adobe CJK collection without ToUnicode: CID → Unicode.
    collection: Option<&'static Collection>,
    /// Composite fonts written top to bottom (`Identity-V`, `/WMode 1`): the advance down
    /// the page per glyph, per unit of font size.
    vertical: Option<f32>,
    to_unicode: Option<CMap>,
    /// Simple fonts: code → Unicode from the encoding.
    encoding: Vec<Option<String>>,
    first_char: u32,
    widths: Vec<f32>,
    missing_width: f32,
    cid_widths: Vec<(u32, u32, f32)>,
    default_width: f32,
    /// Glyph space → text space for widths (1/1000 except Type3).
    width_scale: f32,
    /// Size of the glyphs relative to the font size (Type3 fonts may differ).
    size_scale: f32,
    /// Whether the widths are guesses (no /Widths).
    approx_widths: bool,
}

struct Glyph {
    code: u32,
    len: usize,
    text: Option<String>,
    width: f32,
}

/// The character set of a predefined CJK CMap's codes, from its name (PDF 32000-1:2008,
/// table 118): "90ms-RKSJ-H" is Shift-JIS, "GBK-EUC-H" is GBK, "B5pc-H" is Big5.
fn predefined_cmap_encoding(name: &str) -> Option<&'static encoding_rs::Encoding> {
    let base = name.trim_end_matches("-H").trim_end_matches("-V");
    let encoding = if base.contains("UTF8") {
        encoding_rs::UTF_8
    } else if base.contains("RKSJ") {
        encoding_rs::SHIFT_JIS
    } else if base.starts_with("GBK") || base.starts_with("GB") {
        // GB 2312 EUC, GBK and GB 18030 codes are all GB 18030 text.
        encoding_rs::GB18030
    } else if base.starts_with("B5") || base.starts_with("ETen") || base.starts_with("HKscs") {
        encoding_rs::BIG5
    } else if base.starts_with("KSC") {
        encoding_rs::EUC_KR
    } else if base == "EUC" {
        encoding_rs::EUC_JP
    } else {
        return None;
    };
    Some(encoding)
}

/// How many bytes the next code takes in a legacy CJK encoding: one for ASCII, two after a
/// lead byte (UTF-8 by its own lead bytes; GB 18030's four-byte codes by their second byte).
fn legacy_code_len(encoding: &'static encoding_rs::Encoding, rest: &[u8]) -> usize {
    let Some(&lead) = rest.first() else {
        return 1;
    };
    if encoding == encoding_rs::UTF_8 {
        return match lead {
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF7 => 4,
            _ => 1,
        };
    }
    let two = if encoding == encoding_rs::SHIFT_JIS {
        matches!(lead, 0x81..=0x9F | 0xE0..=0xFC)
    } else {
        lead >= 0x81 && lead != 0xFF
    };
    if !two {
        return 1;
    }
    if encoding == encoding_rs::GB18030 && rest.get(1).is_some_and(|b| b.is_ascii_digit()) {
        return 4;
    }
    2
}

impl Font {
    /// A font with nothing known yet: identity codes, no encoding, widths of 1,000 units.
    fn new(name: String, composite: bool) -> Font {
        Font {
            gid_unicode: None,
            name,
            composite,
            cid_mapping: CidMapping::Identity,
            code_is_unicode: false,
            legacy: None,
            predefined: None,
            collection: None,
            vertical: None,
            to_unicode: None,
            encoding: Vec::new(),
            first_char: 0,
            widths: Vec::new(),
            missing_width: 0.0,
            cid_widths: Vec::new(),
            default_width: 1000.0,
            width_scale: 0.001,
            size_scale: 1.0,
            approx_widths: false,
        }
    }

    fn decode(&self, bytes: &[u8], out: &mut Vec<Glyph>) {
        let mut i = 0usize;
        while i < bytes.len() {
            let rest = &bytes[i..];
            let len = if let Some(encoding) = self.legacy.filter(|_| self.to_unicode.is_none()) {
                legacy_code_len(encoding, rest)
            } else if self.composite {
                let from_cmap = match &self.cid_mapping {
                    CidMapping::Map(m) => m.code_len(rest),
                    CidMapping::Identity => None,
                };
                from_cmap
                    .or_else(|| match &self.cid_mapping {
                        CidMapping::Identity => None,
                        CidMapping::Map(_) => {
                            self.to_unicode.as_ref().and_then(|t| t.code_len(rest))
                        }
                    })
                    // A predefined CMap's codes are as long as its table knows them
                    // ("CNS-EUC-H": one byte for ASCII, two for hanzi).
                    .or_else(|| {
                        let p = self.predefined.as_ref()?;
                        (1..=rest.len().min(4)).find(|&n| {
                            p.lookup_cid_code(bytes_to_code(&rest[..n]), n as u8)
                                .is_some()
                        })
                    })
                    .unwrap_or(2)
            } else {
                1
            }
            .min(rest.len())
            .max(1);
            let code = bytes_to_code(&rest[..len]);
            i += len;
            let mut text = self.to_unicode.as_ref().and_then(|t| t.lookup(code));
            if text.as_deref().is_some_and(|t| t.is_empty() || t == "\0") {
                text = None;
            }
            if text.is_none() {
                if self.composite {
                    if let Some(encoding) = self.legacy {
                        let (decoded, malformed) =
                            encoding.decode_without_bom_handling(&rest[..len]);
                        text = (!malformed).then(|| decoded.into_owned());
                    } else if self.code_is_unicode {
                        text = char::from_u32(code).map(String::from);
                    } else if let Some(g) = &self.gid_unicode {
                        text = self.cid(code, len).and_then(|cid| g.lookup(cid));
                    } else if let Some(c) = self.collection {
                        text = self.cid(code, len).and_then(|cid| c.text(cid));
                    }
                } else {
                    text = self.encoding.get(code as usize).cloned().flatten();
                }
            }
            let width = self.width(code, len);
            out.push(Glyph {
                code,
                len,
                text,
                width,
            });
        }
    }

    /// The CID of a composite font's code of `len` bytes. An embedded CMap that misses a code
    /// is taken as identity there, as readers do; a code a predefined table does not know is
    /// no character at all.
    fn cid(&self, code: u32, len: usize) -> Option<u32> {
        if let Some(p) = &self.predefined {
            return u8::try_from(len)
                .ok()
                .and_then(|len| p.lookup_cid_code(code, len));
        }
        Some(match &self.cid_mapping {
            CidMapping::Identity => code,
            CidMapping::Map(m) => m.cid(code).unwrap_or(code),
        })
    }

    /// Advance in text space units per unit of font size.
    fn width(&self, code: u32, len: usize) -> f32 {
        let w = if self.composite {
            // An unknown code takes the default width.
            let cid = self.cid(code, len).unwrap_or(u32::MAX);
            let idx = self.cid_widths.partition_point(|(lo, _, _)| *lo <= cid);
            match idx.checked_sub(1).and_then(|j| self.cid_widths.get(j)) {
                Some((_, hi, w)) if cid <= *hi => *w,
                _ => self.default_width,
            }
        } else {
            code.checked_sub(self.first_char)
                .and_then(|j| self.widths.get(j as usize))
                .copied()
                .filter(|w| *w > 0.0)
                .unwrap_or(self.missing_width)
        };
        w * self.width_scale
    }
}

fn base_encoding_table(name: &[u8]) -> Option<&'static [u16; 256]> {
    match name {
        b"WinAnsiEncoding" => Some(&tables::WIN_ANSI_ENCODING),
        b"MacRomanEncoding" => Some(&tables::MAC_ROMAN_ENCODING),
        b"StandardEncoding" => Some(&tables::STANDARD_ENCODING),
        b"PDFDocEncoding" => Some(&tables::PDF_DOC_ENCODING),
        b"MacExpertEncoding" => Some(&tables::MAC_EXPERT_ENCODING),
        _ => None,
    }
}

fn table_to_vec(t: &[u16; 256]) -> Vec<Option<String>> {
    t.iter()
        .map(|&u| {
            if u == 0 {
                None
            } else {
                char::from_u32(u32::from(u)).map(String::from)
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Content stream interpretation
// ---------------------------------------------------------------------------

#[derive(Clone)]
struct GState {
    ctm: Matrix,
    font: Option<Rc<Font>>,
    font_key: Vec<u8>,
    size: f32,
    char_spacing: f32,
    word_spacing: f32,
    hscale: f32,
    leading: f32,
    rise: f32,
    /// Text render mode 3 or 7 (`Tr`): glyphs that paint nothing, as an OCR layer over a scan.
    invisible: bool,
}

impl GState {
    fn new() -> GState {
        GState {
            ctm: Matrix::IDENTITY,
            font: None,
            font_key: Vec::new(),
            size: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            hscale: 1.0,
            leading: 0.0,
            rise: 0.0,
            invisible: false,
        }
    }
}

/// One positioned glyph in a canonical frame where the text reads left to right.
#[derive(Debug, Clone)]
struct Char {
    x0: f32,
    x1: f32,
    y: f32,
    size: f32,
    rot: u8,
    text: String,
    /// A space glyph was drawn just before this one.
    space_before: bool,
    /// Invisible text drawn where the previous glyph's advance, character spacing included,
    /// left the text cursor: the gap before it is tracking (`Tc`), not a word break.
    tracked: bool,
}

/// The resources in scope: the nearest first.
#[derive(Clone)]
struct Resources<'a> {
    dicts: Vec<&'a Dictionary>,
}

impl<'a> Resources<'a> {
    fn lookup(
        &self,
        doc: &'a Document,
        category: &[u8],
        name: &[u8],
    ) -> Option<(Option<ObjectId>, &'a Object)> {
        for dict in &self.dicts {
            let Ok(cat) = dict.get(category) else {
                continue;
            };
            let Ok((_, cat)) = doc.dereference(cat) else {
                continue;
            };
            let Ok(cat) = cat.as_dict() else { continue };
            if let Ok(entry) = cat.get(name) {
                return doc.dereference(entry).ok();
            }
        }
        None
    }
}

struct Extractor<'a> {
    doc: &'a Document,
    limits: &'a Limits,
    fonts: HashMap<ObjectId, Rc<Font>>,
    fallback: Option<Rc<Font>>,
    ops: usize,
    decompressed: usize,
    images: usize,
    undecoded: usize,
    shown_glyphs: usize,
    warnings: Vec<String>,
}

struct PageState {
    chars: Vec<Char>,
    /// The page's MediaBox in default user space: glyphs drawn outside it are not on the
    /// page (the other half of a two-page spread drawn once and shown on both pages).
    media: Option<[f32; 4]>,
    /// The CropBox, when smaller: what lies between it and the MediaBox (a printer's slug
    /// line, crop-mark labels) is kept, as pdftotext keeps it, but laid out on its own so
    /// that it does not join the lines of the page's text.
    crop: Option<[f32; 4]>,
    /// Glyphs outside the CropBox.
    margin: Vec<Char>,
    form_visits: HashMap<ObjectId, u32>,
    undecoded_by_font: HashMap<String, usize>,
    truncated: bool,
    pending_space: bool,
    /// Where the last glyph kept of an invisible horizontal layer left the text cursor (device
    /// space), for `Char::tracked`.
    cursor: Option<(f32, f32)>,
}

impl<'a> Extractor<'a> {
    fn page_text(&mut self, page_no: usize, page_id: ObjectId) -> Result<String, PdfError> {
        if Instant::now() >= self.limits.deadline {
            return Err(PdfError::TimedOut);
        }
        let doc = self.doc;
        let mut res = Resources { dicts: Vec::new() };
        if let Ok((inline, ids)) = doc.get_page_resources(page_id) {
            if let Some(d) = inline {
                res.dicts.push(d);
            }
            for id in ids {
                if let Ok(d) = doc.get_dictionary(id) {
                    res.dicts.push(d);
                }
            }
        }
        let mut content = Vec::new();
        for id in doc.get_page_contents(page_id) {
            let Ok(Object::Stream(stream)) = doc.get_object(id) else {
                continue;
            };
            let data = self.decompress(stream)?;
            content.extend_from_slice(&data);
            content.push(b'\n');
        }
        let mut ps = PageState {
            chars: Vec::new(),
            media: page_box(doc, page_id, b"MediaBox"),
            crop: page_box(doc, page_id, b"CropBox"),
            margin: Vec::new(),
            form_visits: HashMap::new(),
            undecoded_by_font: HashMap::new(),
            truncated: false,
            pending_space: false,
            cursor: None,
        };
        let mut gs = GState::new();
        self.run(&content, &res, &mut gs, 0, &mut ps)?;
        self.annotations(page_id, &res, &mut ps)?;
        let mut fonts: Vec<_> = ps.undecoded_by_font.into_iter().collect();
        fonts.sort();
        for (font, count) in fonts {
            self.warnings.push(format!(
                "page {page_no}: font {font} has no usable Unicode mapping; {count} glyphs could not be decoded"
            ));
        }
        if ps.truncated {
            self.warnings.push(format!(
                "page {page_no}: too many glyphs; the rest of the page was dropped"
            ));
        }
        let mut text = layout(ps.chars);
        if !ps.margin.is_empty() {
            text.push_str("\n\n");
            text.push_str(&layout(ps.margin));
        }
        Ok(text)
    }

    /// Draw the normal appearance of the page's visible annotations (form fields, stamps, …).
    fn annotations(
        &mut self,
        page_id: ObjectId,
        res: &Resources<'a>,
        ps: &mut PageState,
    ) -> Result<(), PdfError> {
        let doc = self.doc;
        let Ok(page) = doc.get_dictionary(page_id) else {
            return Ok(());
        };
        let Some(Object::Array(annots)) = self.get_obj(page, b"Annots") else {
            return Ok(());
        };
        for annot in annots.iter().take(2000) {
            let Some(annot) = self.deref_dict(annot) else {
                continue;
            };
            let flags = self
                .get_obj(annot, b"F")
                .and_then(|o| o.as_i64().ok())
                .unwrap_or(0);
            if flags & (1 | 2 | 32) != 0 {
                continue; // invisible, hidden, no-view
            }
            let subtype = self
                .get_obj(annot, b"Subtype")
                .and_then(|o| o.as_name().ok())
                .unwrap_or(b"");
            if subtype == b"Popup" || subtype == b"Link" {
                continue;
            }
            let Some(ap) = self.get_dict(annot, b"AP") else {
                continue;
            };
            let Ok(n) = ap.get(b"N") else { continue };
            let Ok((mut id, mut normal)) = doc.dereference(n) else {
                continue;
            };
            if let Object::Dictionary(states) = normal {
                let Some(state) = self.get_obj(annot, b"AS").and_then(|o| o.as_name().ok()) else {
                    continue;
                };
                let Ok(chosen) = states.get(state) else {
                    continue;
                };
                let Ok((cid, chosen)) = doc.dereference(chosen) else {
                    continue;
                };
                id = cid;
                normal = chosen;
            }
            let Ok(stream) = normal.as_stream() else {
                continue;
            };
            let rect = self.get_obj(annot, b"Rect").and_then(|o| o.as_array().ok());
            let Some(rect) = rect.and_then(|r| {
                Matrix::from_operands(&[
                    r.first()?.clone(),
                    r.get(1)?.clone(),
                    r.get(2)?.clone(),
                    r.get(3)?.clone(),
                    Object::Integer(0),
                    Object::Integer(0),
                ])
            }) else {
                continue;
            };
            let [rx0, ry0, rx1, ry1, _, _] = rect.0;
            let (rx0, rx1) = (rx0.min(rx1), rx0.max(rx1));
            let (ry0, ry1) = (ry0.min(ry1), ry0.max(ry1));
            let matrix = stream
                .dict
                .get(b"Matrix")
                .ok()
                .and_then(|m| Matrix::from_object(doc, m))
                .unwrap_or(Matrix::IDENTITY);
            let bbox = stream.dict.get(b"BBox").ok().and_then(|b| {
                let (_, b) = doc.dereference(b).ok()?;
                let b = b.as_array().ok()?;
                Some([
                    num(b.first()?)?,
                    num(b.get(1)?)?,
                    num(b.get(2)?)?,
                    num(b.get(3)?)?,
                ])
            });
            let Some([bx0, by0, bx1, by1]) = bbox else {
                continue;
            };
            let corners = [
                matrix.apply(bx0, by0),
                matrix.apply(bx1, by0),
                matrix.apply(bx0, by1),
                matrix.apply(bx1, by1),
            ];
            let tx0 = corners.iter().map(|c| c.0).fold(f32::INFINITY, f32::min);
            let tx1 = corners
                .iter()
                .map(|c| c.0)
                .fold(f32::NEG_INFINITY, f32::max);
            let ty0 = corners.iter().map(|c| c.1).fold(f32::INFINITY, f32::min);
            let ty1 = corners
                .iter()
                .map(|c| c.1)
                .fold(f32::NEG_INFINITY, f32::max);
            let sx = if tx1 - tx0 > 1e-3 {
                (rx1 - rx0) / (tx1 - tx0)
            } else {
                1.0
            };
            let sy = if ty1 - ty0 > 1e-3 {
                (ry1 - ry0) / (ty1 - ty0)
            } else {
                1.0
            };
            let a = Matrix([sx, 0.0, 0.0, sy, rx0 - tx0 * sx, ry0 - ty0 * sy]);
            let mut gs = GState::new();
            gs.ctm = a;
            self.run_form(id, stream, &gs, res, 0, ps)?;
        }
        Ok(())
    }

    fn decompress(&mut self, stream: &lopdf::Stream) -> Result<Vec<u8>, PdfError> {
        let remaining = self
            .limits
            .max_decompressed
            .saturating_sub(self.decompressed);
        // lopdf does not follow an indirect /Filter or /DecodeParms: resolve them on a copy.
        let resolved;
        let stream = match self.resolve_filter(stream) {
            Some(s) => {
                resolved = s;
                &resolved
            }
            None => stream,
        };
        match stream.decompressed_content_with_limit(remaining) {
            Ok(data) => {
                self.decompressed = self.decompressed.saturating_add(data.len());
                Ok(data)
            }
            Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded {
                ..
            })) => Err(PdfError::TooLarge(format!(
                "more than {} bytes of decompressed content",
                self.limits.max_decompressed
            ))),
            Err(_) => {
                // A damaged stream: use what is there if it is not compressed, else nothing.
                if stream.dict.get(b"Filter").is_err() {
                    Ok(stream.content.clone())
                } else {
                    Ok(Vec::new())
                }
            }
        }
    }

    fn resolve_filter(&self, stream: &lopdf::Stream) -> Option<lopdf::Stream> {
        let indirect = |o: &Object| match o {
            Object::Reference(_) => true,
            Object::Array(a) => a.iter().any(|x| matches!(x, Object::Reference(_))),
            _ => false,
        };
        let keys: [&[u8]; 2] = [b"Filter", b"DecodeParms"];
        if !keys.iter().any(|k| stream.dict.get(k).is_ok_and(indirect)) {
            return None;
        }
        let mut dict = stream.dict.clone();
        for key in keys {
            let Ok(value) = stream.dict.get(key) else {
                continue;
            };
            let Ok((_, value)) = self.doc.dereference(value) else {
                continue;
            };
            let value = match value {
                Object::Array(items) => Object::Array(
                    items
                        .iter()
                        .map(|x| {
                            self.doc
                                .dereference(x)
                                .map(|(_, o)| o.clone())
                                .unwrap_or(Object::Null)
                        })
                        .collect(),
                ),
                other => other.clone(),
            };
            dict.set(key, value);
        }
        let mut copy = lopdf::Stream::new(dict, stream.content.clone());
        copy.allows_compression = stream.allows_compression;
        Some(copy)
    }

    fn count_op(&mut self) -> Result<(), PdfError> {
        self.ops += 1;
        if self.ops > self.limits.max_ops {
            return Err(PdfError::TooLarge(format!(
                "more than {} content operators",
                self.limits.max_ops
            )));
        }
        if self.ops.is_multiple_of(4096) && Instant::now() >= self.limits.deadline {
            return Err(PdfError::TimedOut);
        }
        Ok(())
    }

    fn run(
        &mut self,
        content: &[u8],
        res: &Resources<'a>,
        gs: &mut GState,
        depth: u32,
        ps: &mut PageState,
    ) -> Result<(), PdfError> {
        let mut stack: Vec<GState> = Vec::new();
        let mut tm = Matrix::IDENTITY;
        let mut tlm = Matrix::IDENTITY;
        for op in lopdf::content::Content::decode_iter(content) {
            let Ok(op) = op else { break };
            self.count_op()?;
            let o = &op.operands;
            let f = |i: usize| o.get(i).and_then(num);
            match op.operator.as_str() {
                "q" if stack.len() < MAX_GSTATE_DEPTH => {
                    stack.push(gs.clone());
                }
                "Q" => {
                    if let Some(s) = stack.pop() {
                        *gs = s;
                    }
                }
                "cm" => {
                    if let Some(m) = Matrix::from_operands(o) {
                        gs.ctm = m.mul(&gs.ctm);
                    }
                }
                "BT" => {
                    tm = Matrix::IDENTITY;
                    tlm = Matrix::IDENTITY;
                }
                "ET" => {}
                "Tf" => {
                    if let Some(Object::Name(name)) = o.first()
                        && (*name != gs.font_key || gs.font.is_none())
                    {
                        gs.font = Some(
                            self.load_font(res, name)
                                .unwrap_or_else(|| self.fallback_font()),
                        );
                        gs.font_key = name.clone();
                    }
                    if let Some(s) = f(1) {
                        gs.size = s;
                    }
                }
                "Tc" => gs.char_spacing = f(0).unwrap_or(gs.char_spacing),
                "Tw" => gs.word_spacing = f(0).unwrap_or(gs.word_spacing),
                "Tz" => gs.hscale = f(0).map(|v| v / 100.0).unwrap_or(gs.hscale),
                "TL" => gs.leading = f(0).unwrap_or(gs.leading),
                "Ts" => gs.rise = f(0).unwrap_or(gs.rise),
                "Tr" => gs.invisible = f(0).is_some_and(|m| m == 3.0 || m == 7.0),
                "Td" | "TD" => {
                    if let (Some(tx), Some(ty)) = (f(0), f(1)) {
                        if op.operator == "TD" {
                            gs.leading = -ty;
                        }
                        tlm = Matrix::translate(tx, ty).mul(&tlm);
                        tm = tlm;
                    }
                }
                "Tm" => {
                    if let Some(m) = Matrix::from_operands(o) {
                        tlm = m;
                        tm = m;
                    }
                }
                "T*" => {
                    tlm = Matrix::translate(0.0, -gs.leading).mul(&tlm);
                    tm = tlm;
                }
                "Tj" => {
                    if let Some(Object::String(s, _)) = o.first() {
                        self.show(s, gs, &mut tm, ps);
                    }
                }
                "'" => {
                    tlm = Matrix::translate(0.0, -gs.leading).mul(&tlm);
                    tm = tlm;
                    if let Some(Object::String(s, _)) = o.first() {
                        self.show(s, gs, &mut tm, ps);
                    }
                }
                "\"" => {
                    if let (Some(aw), Some(ac)) = (f(0), f(1)) {
                        gs.word_spacing = aw;
                        gs.char_spacing = ac;
                    }
                    tlm = Matrix::translate(0.0, -gs.leading).mul(&tlm);
                    tm = tlm;
                    if let Some(Object::String(s, _)) = o.get(2) {
                        self.show(s, gs, &mut tm, ps);
                    }
                }
                "TJ" => {
                    if let Some(Object::Array(items)) = o.first() {
                        for item in items {
                            match item {
                                Object::String(s, _) => self.show(s, gs, &mut tm, ps),
                                other => {
                                    // A vertical font's adjustments move along its column.
                                    if let Some(k) = num(other) {
                                        let vertical =
                                            gs.font.as_ref().is_some_and(|f| f.vertical.is_some());
                                        tm = if vertical {
                                            Matrix::translate(0.0, -k / 1000.0 * gs.size)
                                        } else {
                                            Matrix::translate(
                                                -k / 1000.0 * gs.size * gs.hscale,
                                                0.0,
                                            )
                                        }
                                        .mul(&tm);
                                    }
                                }
                            }
                        }
                    }
                }
                "BI" => self.images += 1,
                "Do" => {
                    if let Some(Object::Name(name)) = o.first() {
                        self.do_xobject(res, name, gs, depth, ps)?;
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn do_xobject(
        &mut self,
        res: &Resources<'a>,
        name: &[u8],
        gs: &GState,
        depth: u32,
        ps: &mut PageState,
    ) -> Result<(), PdfError> {
        let doc = self.doc;
        let Some((id, obj)) = res.lookup(doc, b"XObject", name) else {
            return Ok(());
        };
        let Ok(stream) = obj.as_stream() else {
            return Ok(());
        };
        let subtype = stream
            .dict
            .get(b"Subtype")
            .and_then(Object::as_name)
            .unwrap_or(b"");
        match subtype {
            b"Image" => self.images += 1,
            b"Form" => {
                if depth >= self.limits.max_form_depth {
                    return Ok(());
                }
                self.run_form(id, stream, gs, res, depth, ps)?;
            }
            _ => {}
        }
        Ok(())
    }

    /// Run a Form XObject (or an annotation appearance) in the graphics state `gs`.
    fn run_form(
        &mut self,
        id: Option<ObjectId>,
        stream: &'a lopdf::Stream,
        gs: &GState,
        res: &Resources<'a>,
        depth: u32,
        ps: &mut PageState,
    ) -> Result<(), PdfError> {
        let doc = self.doc;
        {
            {
                if let Some(id) = id {
                    let visits = ps.form_visits.entry(id).or_insert(0);
                    *visits += 1;
                    if *visits > MAX_FORM_VISITS_PER_PAGE {
                        return Ok(());
                    }
                }
                let data = self.decompress(stream)?;
                let mut inner = gs.clone();
                if let Some(m) = stream
                    .dict
                    .get(b"Matrix")
                    .ok()
                    .and_then(|m| Matrix::from_object(doc, m))
                {
                    inner.ctm = m.mul(&gs.ctm);
                }
                let form_res = stream
                    .dict
                    .get(b"Resources")
                    .ok()
                    .and_then(|r| doc.dereference(r).ok())
                    .and_then(|(_, r)| r.as_dict().ok());
                let inner_res = match form_res {
                    Some(d) => {
                        let mut dicts = vec![d];
                        dicts.extend(res.dicts.iter().copied());
                        Resources { dicts }
                    }
                    None => res.clone(),
                };
                self.run(&data, &inner_res, &mut inner, depth + 1, ps)?;
            }
        }
        Ok(())
    }

    fn show(&mut self, bytes: &[u8], gs: &GState, tm: &mut Matrix, ps: &mut PageState) {
        let Some(font) = gs.font.clone() else {
            return;
        };
        let mut glyphs = Vec::new();
        font.decode(bytes, &mut glyphs);
        let trm_scale = Matrix([gs.hscale, 0.0, 0.0, 1.0, 0.0, gs.rise]);
        for g in glyphs {
            self.shown_glyphs += 1;
            let m = trm_scale.mul(&tm.mul(&gs.ctm));
            let is_space = g.len == 1 && g.code == 32;
            let spacing = gs.char_spacing + if is_space { gs.word_spacing } else { 0.0 };
            let [a, b, c, d, _, _] = m.0;
            // A horizontal glyph spans its width along the baseline; a vertical one its
            // advance down the page, and its size is across the column. Either way the
            // text matrix moves on by the advance.
            let (x0, y0) = m.apply(0.0, 0.0);
            // Where this glyph leaves the cursor, and whether it starts where the last left it.
            // Only an invisible layer's tracking is taken as part of its words: an OCR layer
            // fits each word to the scan beneath by character spacing and marks its word breaks
            // with spaces. Visible text is laid out for the eye, and there a gap is a gap, as in
            // pdftotext (a printer's number line "1 3 5 7 9" set apart by character spacing).
            let tracked = ps.cursor.take().is_some_and(|(cx, cy)| {
                (cx - x0).abs() + (cy - y0).abs() < 0.01 * gs.size.abs().max(1.0)
            });
            let next = (gs.invisible && font.vertical.is_none())
                .then(|| m.apply(g.width * gs.size + spacing, 0.0));
            let (x1, y1, vsize, along) = if let Some(down) = font.vertical {
                let adv = down * gs.size;
                // ty = w1·Tfs + Tc + Tw, with w1 negative: spacing shortens the step down.
                *tm = Matrix::translate(0.0, spacing - adv).mul(tm);
                let (x1, y1) = m.apply(0.0, -adv);
                let across = (a * a + b * b).sqrt() * gs.size.abs() * font.size_scale;
                (x1, y1, across, (-c, -d))
            } else {
                let adv = g.width * gs.size;
                *tm = Matrix::translate((adv + spacing) * gs.hscale, 0.0).mul(tm);
                let (x1, y1) = m.apply(adv, 0.0);
                let vsize = (c * c + d * d).sqrt() * gs.size.abs() * font.size_scale;
                (x1, y1, vsize, (a, b))
            };

            let text = match g.text {
                Some(t) => t,
                None => {
                    self.undecoded += 1;
                    *ps.undecoded_by_font.entry(font.name.clone()).or_insert(0) += 1;
                    continue;
                }
            };
            if ps.chars.len() + ps.margin.len() >= MAX_GLYPHS_PER_PAGE {
                ps.truncated = true;
                continue;
            }
            if !(x0.is_finite()
                && y0.is_finite()
                && x1.is_finite()
                && y1.is_finite()
                && vsize.is_finite())
            {
                continue;
            }
            // Reading direction → one of four rotations.
            // Horizontal scaling does not turn a vertical font's column round.
            let flipped = if font.vertical.is_some() {
                gs.size < 0.0
            } else {
                gs.hscale * gs.size < 0.0
            };
            let (dx, dy) = if flipped { (-along.0, -along.1) } else { along };
            let rot = if dx.abs() >= dy.abs() {
                if dx >= 0.0 { 0 } else { 2 }
            } else if dy > 0.0 {
                1
            } else {
                3
            };
            let canon = |x: f32, y: f32| match rot {
                0 => (x, y),
                1 => (y, -x),
                2 => (-x, -y),
                _ => (-y, x),
            };
            let (cx0, cy) = canon(x0, y0);
            let (cx1, _) = canon(x1, y1);
            let mut s = String::new();
            push_normalized(&mut s, &text);
            if s.trim().is_empty() {
                // Spaces are not kept as glyphs (they may be drawn over other text): they
                // only mark a word break before the next glyph.
                if !s.is_empty() {
                    ps.pending_space = true;
                }
                continue;
            }
            let (mx, my) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
            if ps.media.is_some_and(|m| !inside(&m, mx, my)) {
                continue;
            }
            let in_margin = ps.crop.is_some_and(|c| !inside(&c, mx, my));
            let space_before = std::mem::take(&mut ps.pending_space);
            let chars = if in_margin {
                &mut ps.margin
            } else {
                &mut ps.chars
            };
            ps.cursor = next;
            chars.push(Char {
                space_before,
                tracked,
                x0: cx0,
                x1: cx1.max(cx0),
                y: cy,
                size: vsize.max(0.5),
                rot,
                text: s,
            });
        }
    }

    /// Stand-in for a font that is missing from the resources: Latin text, guessed widths.
    fn fallback_font(&mut self) -> Rc<Font> {
        if let Some(f) = &self.fallback {
            return f.clone();
        }
        let f = Rc::new(Font {
            encoding: table_to_vec(&tables::WIN_ANSI_ENCODING),
            missing_width: 500.0,
            approx_widths: true,
            ..Font::new("(missing font)".into(), false)
        });
        self.fallback = Some(f.clone());
        f
    }

    fn load_font(&mut self, res: &Resources<'a>, name: &[u8]) -> Option<Rc<Font>> {
        let (id, obj) = res.lookup(self.doc, b"Font", name)?;
        if let Some(id) = id
            && let Some(f) = self.fonts.get(&id)
        {
            return Some(f.clone());
        }
        let dict = obj.as_dict().ok()?;
        let font = Rc::new(self.build_font(dict));
        if let Some(id) = id {
            self.fonts.insert(id, font.clone());
        }
        Some(font)
    }

    fn deref_dict(&self, obj: &'a Object) -> Option<&'a Dictionary> {
        self.doc.dereference(obj).ok()?.1.as_dict().ok()
    }

    fn get_dict(&self, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Dictionary> {
        self.deref_dict(dict.get(key).ok()?)
    }

    fn get_obj(&self, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
        Some(self.doc.dereference(dict.get(key).ok()?).ok()?.1)
    }

    fn stream_bytes(&mut self, obj: &'a Object) -> Option<Vec<u8>> {
        let (_, obj) = self.doc.dereference(obj).ok()?;
        let stream = obj.as_stream().ok()?;
        let resolved = self.resolve_filter(stream);
        let stream = resolved.as_ref().unwrap_or(stream);
        // Font data counts against the decompression budget too, but never fails the extraction.
        let remaining = self
            .limits
            .max_decompressed
            .saturating_sub(self.decompressed);
        let data = stream
            .decompressed_content_with_limit(remaining.min(16 << 20))
            .ok()?;
        self.decompressed = self.decompressed.saturating_add(data.len());
        Some(data)
    }

    fn build_font(&mut self, dict: &'a Dictionary) -> Font {
        let subtype = dict
            .get(b"Subtype")
            .and_then(Object::as_name)
            .unwrap_or(b"");
        let base_font = self
            .get_obj(dict, b"BaseFont")
            .and_then(|o| o.as_name().ok())
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .unwrap_or_else(|| String::from_utf8_lossy(subtype).into_owned());
        let to_unicode = dict
            .get(b"ToUnicode")
            .ok()
            .and_then(|o| self.stream_bytes(o))
            .map(|data| CMap::parse(&data))
            .filter(|c| !c.singles.is_empty() || !c.ranges.is_empty());
        let mut font = Font {
            to_unicode,
            ..Font::new(base_font.clone(), subtype == b"Type0")
        };
        if font.composite {
            if font.to_unicode.is_none()
                && let Some(Object::Name(n)) = self.get_obj(dict, b"ToUnicode")
                && n.starts_with(b"Identity")
            {
                font.code_is_unicode = true;
            }
            self.build_composite(dict, &mut font);
        } else {
            self.build_simple(dict, subtype, &base_font, &mut font);
        }
        font
    }

    fn build_composite(&mut self, dict: &'a Dictionary, font: &mut Font) {
        let mut vertical = false;
        match self.get_obj(dict, b"Encoding") {
            Some(Object::Name(n)) => {
                vertical = n.ends_with(b"-V") || n.as_slice() == b"V";
                if n.starts_with(b"Identity") {
                    font.cid_mapping = CidMapping::Identity;
                } else {
                    // A predefined CMap: the UCS-2/UTF-16 ones map codes to Unicode, most
                    // others are named for the character set their codes are in, and the
                    // rest ("H", "V": JIS X 0208 row and cell) are read through Adobe's
                    // code-to-CID table.
                    let name = String::from_utf8_lossy(n);
                    if name.starts_with("Uni") && (name.contains("UCS2") || name.contains("UTF16"))
                    {
                        font.code_is_unicode = true;
                    } else {
                        font.legacy = predefined_cmap_encoding(&name);
                        if font.legacy.is_none() {
                            font.predefined = collections::predefined(n);
                        }
                    }
                    font.cid_mapping = CidMapping::Map(CMap::default());
                }
            }
            Some(obj @ Object::Stream(_)) => {
                let cmap = self
                    .stream_bytes(obj)
                    .map(|d| CMap::parse(&d))
                    .unwrap_or_default();
                vertical = cmap.vertical;
                if cmap.cid_ranges.is_empty() && cmap.cid_singles.is_empty() && cmap.uses_identity {
                    font.cid_mapping = CidMapping::Identity;
                } else {
                    font.cid_mapping = CidMapping::Map(cmap);
                }
            }
            _ => {}
        }
        let descendant = self
            .get_obj(dict, b"DescendantFonts")
            .and_then(|o| o.as_array().ok())
            .and_then(|a| a.first())
            .and_then(|o| self.deref_dict(o));
        // A vertical font's glyphs go down the page by the second number of `/DW2`.
        font.vertical = vertical.then(|| {
            descendant
                .and_then(|d| self.get_obj(d, b"DW2"))
                .and_then(|o| o.as_array().ok())
                .and_then(|a| a.get(1))
                .and_then(num)
                .filter(|w| *w < 0.0)
                .map_or(1.0, |w| -w * 0.001)
        });
        let Some(desc) = descendant else {
            return;
        };
        if let Some(dw) = self.get_obj(desc, b"DW").and_then(num) {
            font.default_width = dw;
        }
        if let Some(Object::Array(w)) = self.get_obj(desc, b"W") {
            let mut i = 0usize;
            let mut out: Vec<(u32, u32, f32)> = Vec::new();
            while i < w.len() && out.len() < MAX_CMAP_ENTRIES {
                let first = w.get(i).and_then(num);
                let next = w
                    .get(i + 1)
                    .map(|o| self.doc.dereference(o).map(|(_, o)| o));
                match (first, next) {
                    (Some(c), Some(Ok(Object::Array(ws)))) => {
                        let c = c.max(0.0) as u32;
                        for (k, wv) in ws.iter().enumerate().take(MAX_CMAP_ENTRIES) {
                            if let Some(wv) = num(wv) {
                                let cid = c.saturating_add(k as u32);
                                out.push((cid, cid, wv));
                            }
                        }
                        i += 2;
                    }
                    (Some(lo), Some(Ok(hi))) => {
                        let (Some(hi), Some(wv)) = (num(hi), w.get(i + 2).and_then(num)) else {
                            break;
                        };
                        if hi >= lo && lo >= 0.0 {
                            out.push((lo as u32, hi as u32, wv));
                        }
                        i += 3;
                    }
                    _ => break,
                }
            }
            out.sort_by_key(|e| e.0);
            font.cid_widths = out;
        }
        if font.to_unicode.is_none() && !font.code_is_unicode {
            // No ToUnicode: an embedded TrueType program's own cmap, read backwards
            // (glyph id → Unicode), is the best remaining source, as pdftotext uses it.
            let reverse = self
                .get_dict(desc, b"FontDescriptor")
                .and_then(|fd| fd.get(b"FontFile2").ok())
                .and_then(|ff| self.stream_bytes(ff))
                .and_then(|data| truetype_gid_to_unicode(&data));
            if let Some(reverse) = reverse {
                let cid_to_gid = match self.get_obj(desc, b"CIDToGIDMap") {
                    Some(o @ Object::Stream(_)) => self.stream_bytes(o).map(|d| {
                        d.chunks_exact(2)
                            .map(|c| u16::from_be_bytes([c[0], c[1]]))
                            .collect()
                    }),
                    _ => None,
                };
                font.gid_unicode = Some(GidUnicode {
                    cid_to_gid,
                    reverse,
                });
            }
        }
        // Nor that: the fonts of Adobe's CJK collections are expected to be on the reader's
        // machine, and their CIDs are Adobe's, with Adobe's table to Unicode.
        if font.to_unicode.is_none()
            && !font.code_is_unicode
            && font.legacy.is_none()
            && font.gid_unicode.is_none()
            && let Some(info) = self.get_dict(desc, b"CIDSystemInfo")
        {
            let string = |key: &[u8]| match self.get_obj(info, key) {
                Some(Object::String(s, _)) => Some(s.as_slice()),
                _ => None,
            };
            if let (Some(registry), Some(ordering)) = (string(b"Registry"), string(b"Ordering")) {
                font.collection = Collection::named(registry, ordering);
            }
        }
    }

    fn build_simple(
        &mut self,
        dict: &'a Dictionary,
        subtype: &[u8],
        base_font: &str,
        font: &mut Font,
    ) {
        let descriptor = self.get_dict(dict, b"FontDescriptor");
        let flags = descriptor
            .and_then(|d| self.get_obj(d, b"Flags"))
            .and_then(|o| o.as_i64().ok())
            .unwrap_or(0);
        let symbolic = flags & 4 != 0 && flags & 32 == 0;
        if subtype == b"Type3"
            && let Some(m) = self
                .get_obj(dict, b"FontMatrix")
                .and_then(|m| Matrix::from_object(self.doc, m))
        {
            font.width_scale = m.0[0];
            font.size_scale = (m.0[3].abs() * 1000.0).clamp(0.01, 100.0);
        }
        // Widths.
        font.first_char = self
            .get_obj(dict, b"FirstChar")
            .and_then(|o| o.as_i64().ok())
            .and_then(|v| u32::try_from(v).ok())
            .unwrap_or(0);
        if let Some(Object::Array(ws)) = self.get_obj(dict, b"Widths") {
            font.widths = ws
                .iter()
                .take(65536)
                .map(|o| {
                    self.doc
                        .dereference(o)
                        .ok()
                        .and_then(|(_, o)| num(o))
                        .unwrap_or(0.0)
                })
                .collect();
        }
        font.missing_width = descriptor
            .and_then(|d| self.get_obj(d, b"MissingWidth"))
            .and_then(num)
            .unwrap_or(0.0);
        if font.widths.is_empty() {
            font.approx_widths = true;
            let mono = base_font.contains("Courier") || base_font.contains("Mono");
            if font.missing_width <= 0.0 {
                font.missing_width = if mono { 600.0 } else { 500.0 };
            }
            if !mono && subtype != b"Type3" {
                let bold = base_font.contains("Bold")
                    || base_font.contains("Black")
                    || base_font.contains("Heavy");
                let serif = base_font.contains("Times")
                    || base_font.contains("Serif")
                    || base_font.contains("Georgia");
                let table = match (serif, bold) {
                    (true, true) => &tables::TIMES_BOLD_WIDTHS,
                    (true, false) => &tables::TIMES_ROMAN_WIDTHS,
                    (false, true) => &tables::HELVETICA_BOLD_WIDTHS,
                    (false, false) => &tables::HELVETICA_WIDTHS,
                };
                font.first_char = 32;
                font.widths = table.iter().map(|&w| f32::from(w)).collect();
            }
            if subtype == b"Type3" {
                font.missing_width = 0.0;
            }
        } else if font.missing_width <= 0.0 {
            // Average of the known widths stands in for codes outside the range.
            let known: Vec<f32> = font.widths.iter().copied().filter(|w| *w > 0.0).collect();
            if !known.is_empty() {
                font.missing_width = known.iter().sum::<f32>() / known.len() as f32;
            }
        }
        // Encoding.
        let is_symbol_font = base_font.contains("Symbol");
        let is_dingbats = base_font.contains("Dingbats");
        let default_table: Option<&'static [u16; 256]> = if is_symbol_font {
            Some(&tables::SYMBOL_ENCODING)
        } else if is_dingbats {
            None
        } else if subtype == b"TrueType" {
            Some(&tables::WIN_ANSI_ENCODING)
        } else {
            Some(&tables::STANDARD_ENCODING)
        };
        let mut table: Vec<Option<String>> = default_table
            .map(table_to_vec)
            .unwrap_or_else(|| vec![None; 256]);
        // Type1 embedded programs carry their own built-in encoding: in the cleartext header
        // of a Type 1 program (`FontFile`), or in the encoding and charset tables of a compact
        // one (`FontFile3`, as Ghostscript and Distiller re-embed TeX's maths fonts).
        let program = descriptor.and_then(|d| {
            d.get(b"FontFile")
                .map(|ff| (ff, false))
                .or_else(|_| d.get(b"FontFile3").map(|ff| (ff, true)))
                .ok()
        });
        if subtype != b"TrueType"
            && let Some((ff, compact)) = program
            && let Some(data) = self.stream_bytes(ff)
            && let Some(builtin) = if compact {
                cff_builtin_encoding(&data)
            } else {
                type1_builtin_encoding(&data)
            }
        {
            for (code, name) in builtin {
                if let Some(s) = glyph_name_to_string(&name)
                    && let Some(slot) = table.get_mut(code)
                {
                    *slot = Some(s);
                }
            }
        }
        match self.get_obj(dict, b"Encoding") {
            Some(Object::Name(n)) => {
                if let Some(t) = base_encoding_table(n) {
                    table = table_to_vec(t);
                }
            }
            Some(Object::Dictionary(enc)) => {
                if let Some(t) = self
                    .get_obj(enc, b"BaseEncoding")
                    .and_then(|o| o.as_name().ok())
                    .and_then(base_encoding_table)
                {
                    table = table_to_vec(t);
                } else if symbolic && subtype == b"TrueType" {
                    // Symbolic TrueType with differences only: start from nothing but ASCII guesses.
                }
                if let Some(Object::Array(diffs)) = self.get_obj(enc, b"Differences") {
                    let mut code: usize = 0;
                    for d in diffs.iter().take(4096) {
                        match d {
                            Object::Integer(c) => code = usize::try_from(*c).unwrap_or(usize::MAX),
                            Object::Name(n) => {
                                if let Some(slot) = table.get_mut(code) {
                                    *slot = glyph_name_to_string(n).or({
                                        // Unknown name: keep nothing (undecoded) unless it is ".notdef".
                                        None
                                    });
                                }
                                code = code.saturating_add(1);
                            }
                            _ => {}
                        }
                    }
                }
            }
            _ => {}
        }
        font.encoding = table;
    }
}

/// Parse the cleartext `/Encoding` of an embedded Type1 font program ("dup 65 /A put").
fn type1_builtin_encoding(data: &[u8]) -> Option<Vec<(usize, Vec<u8>)>> {
    let head_end = find(data, b"eexec").unwrap_or(data.len()).min(64 * 1024);
    let head = data.get(..head_end)?;
    let enc_pos = find(head, b"/Encoding")?;
    let after = head.get(enc_pos + 9..)?;
    if after
        .iter()
        .take(40)
        .collect::<Vec<_>>()
        .windows(16)
        .next()
        .is_some()
        && find(after.get(..after.len().min(40))?, b"StandardEncoding").is_some()
    {
        return None;
    }
    let tokens = tokenize(after, 4 * 256 + 64);
    let mut out = Vec::new();
    let mut i = 0usize;
    while i + 3 < tokens.len() {
        match (&tokens[i], &tokens[i + 1], &tokens[i + 2], &tokens[i + 3]) {
            (Token::Word(d), Token::Int(c), Token::Name(n), Token::Word(p))
                if d == b"dup" && p == b"put" =>
            {
                if (0..256).contains(c) {
                    out.push((*c as usize, n.clone()));
                }
                i += 4;
            }
            (Token::Word(w), ..) if w == b"readonly" || w == b"def" => {
                if !out.is_empty() {
                    break;
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    (!out.is_empty()).then_some(out)
}

/// The built-in encoding of an embedded compact (CFF) font program: each code its glyph's name,
/// through the program's encoding and charset tables (a predefined Standard or Expert encoding
/// reads as Standard, which the default table already gives).
fn cff_builtin_encoding(data: &[u8]) -> Option<Vec<(usize, Vec<u8>)>> {
    let table = ttf_parser::cff::Table::parse(data)?;
    let out: Vec<(usize, Vec<u8>)> = (0..=u8::MAX)
        .filter_map(|code| {
            let glyph = table.glyph_index(code).filter(|g| g.0 != 0)?;
            let name = table.glyph_name(glyph)?;
            Some((usize::from(code), name.as_bytes().to_vec()))
        })
        .collect();
    (!out.is_empty()).then_some(out)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

// ---------------------------------------------------------------------------
// Layout: glyphs → runs → lines → page text
// ---------------------------------------------------------------------------

/// A glyph this much smaller than its neighbour ...
const SCRIPT_SIZE: f32 = 0.8;
/// ... and this far (in the larger size) above or below it is a raised mark, not a letter of
/// the same word.
const SCRIPT_RISE: f32 = 0.4;

/// Character spacing up to this many ems between glyphs of one run is tracking, not a word
/// break (`Char::tracked`).
const MAX_TRACKING: f32 = 1.0;
/// Fraction of the font size above which a horizontal gap is a word break.
const SPACE_GAP: f32 = 0.15;

#[derive(Debug)]
struct Run {
    chars: Vec<Char>,
    x0: f32,
    x1: f32,
    y: f32,
    size: f32,
}

#[derive(Debug)]
struct Line {
    runs: Vec<Run>,
    y: f32,
    size: f32,
}

fn layout(chars: Vec<Char>) -> String {
    let mut out = String::new();
    for rot in 0..4u8 {
        let group: Vec<Char> = chars.iter().filter(|c| c.rot == rot).cloned().collect();
        if group.is_empty() {
            continue;
        }
        let text = layout_group(group);
        if text.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(&text);
    }
    out
}

/// Group glyphs drawn one after another on one baseline into runs.
fn build_runs(chars: Vec<Char>) -> Vec<Run> {
    let mut runs: Vec<Run> = Vec::new();
    for ch in chars {
        if let Some(run) = runs.last_mut()
            && let Some(last) = run.chars.last()
        {
            let size = last.size.max(ch.size);
            let same_baseline =
                (ch.y - last.y).abs() <= 0.2 * size.min(last.size.min(ch.size) * 2.0);
            let gap = ch.x0 - last.x1;
            if same_baseline && gap > -0.4 * size && gap < 1.0 * size {
                // Fake bold: the same glyph drawn again almost on top of itself.
                if ch.text == last.text && (ch.x0 - last.x0).abs() < 0.15 * size && ch.text != " " {
                    continue;
                }
                run.x1 = run.x1.max(ch.x1);
                run.size = run.size.max(ch.size);
                run.chars.push(ch);
                continue;
            }
        }
        runs.push(Run {
            x0: ch.x0,
            x1: ch.x1,
            y: ch.y,
            size: ch.size,
            chars: vec![ch],
        });
    }
    runs
}

fn extent(y: f32, size: f32) -> (f32, f32) {
    (y - 0.25 * size, y + 0.75 * size)
}

fn layout_group(chars: Vec<Char>) -> String {
    let runs = build_runs(chars);
    let mut sizes: Vec<f32> = runs.iter().map(|r| r.size).collect();
    sizes.sort_by(f32::total_cmp);
    let median_size = sizes.get(sizes.len() / 2).copied().unwrap_or(10.0);
    let blocks = if runs.len() <= MAX_RUNS_FOR_COLUMNS {
        xy_cut(runs, median_size, 0).0
    } else {
        vec![runs]
    };
    let mut blocks: Vec<Vec<Line>> = blocks.into_iter().map(cluster_lines).collect();
    // The usual line spacing on the page, for telling paragraph gaps.
    let mut gaps: Vec<f32> = blocks
        .iter()
        .flat_map(|lines| lines.windows(2).map(|w| w[0].y - w[1].y))
        .filter(|g| *g > 0.0)
        .collect();
    gaps.sort_by(f32::total_cmp);
    let median_gap = gaps.get(gaps.len() / 2).copied().unwrap_or(0.0);
    let mut out = String::new();
    for lines in &mut blocks {
        let text = block_text(lines, median_gap);
        if text.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(&text);
    }
    out
}

/// Pages with more runs than this are not split into columns (bounded work).
const MAX_RUNS_FOR_COLUMNS: usize = 20_000;
/// Recursion bound of the XY cut.
const MAX_CUT_DEPTH: u32 = 40;

/// Split runs into blocks in reading order by recursive XY cuts: a vertical cut at a
/// whitespace channel between two column-like sides (left side first), else a horizontal
/// cut at the widest vertical gap, kept only if it lets some part be split into columns.
/// Returns the blocks and whether any vertical cut was made.
fn xy_cut(runs: Vec<Run>, median_size: f32, depth: u32) -> (Vec<Vec<Run>>, bool) {
    if depth >= MAX_CUT_DEPTH || runs.len() < 4 {
        return (vec![runs], false);
    }
    if let Some(x) = vertical_cut(&runs, median_size) {
        let (left, right): (Vec<Run>, Vec<Run>) = runs.into_iter().partition(|r| r.x1 <= x);
        let (mut blocks, _) = xy_cut(left, median_size, depth + 1);
        blocks.extend(xy_cut(right, median_size, depth + 1).0);
        return (blocks, true);
    }
    // Horizontal cut at the widest gap in the vertical projection.
    let mut spans: Vec<(f32, f32)> = runs.iter().map(|r| extent(r.y, r.size)).collect();
    spans.sort_by(|a, b| b.1.total_cmp(&a.1));
    let mut best: Option<(f32, f32)> = None; // (gap, cut y)
    let mut low = f32::INFINITY;
    for (i, (y0, y1)) in spans.iter().enumerate() {
        if i > 0 && *y1 < low {
            let gap = low - y1;
            if best.is_none_or(|(g, _)| gap > g) {
                best = Some((gap, (low + y1) / 2.0));
            }
        }
        low = low.min(*y0);
    }
    let Some((_, cut)) = best else {
        return (vec![runs], false);
    };
    let (top, bottom): (Vec<Run>, Vec<Run>) = runs.into_iter().partition(|r| r.y > cut);
    let (mut blocks, v1) = xy_cut(top, median_size, depth + 1);
    let (more, v2) = xy_cut(bottom, median_size, depth + 1);
    if !v1 && !v2 {
        // No columns anywhere below: keep it one block.
        let mut all: Vec<Run> = blocks.into_iter().flatten().collect();
        all.extend(more.into_iter().flatten());
        return (vec![all], false);
    }
    blocks.extend(more);
    (blocks, true)
}

/// An x position of a whitespace channel through all runs with at least two lines of
/// text at least five font sizes wide on each side.
fn vertical_cut(runs: &[Run], median_size: f32) -> Option<f32> {
    let mut spans: Vec<(f32, f32)> = runs.iter().map(|r| (r.x0, r.x1)).collect();
    spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    let min_gap = 1.0 * median_size;
    let mut candidates: Vec<(f32, f32)> = Vec::new(); // (gap, x)
    let mut high = f32::NEG_INFINITY;
    for (i, (x0, x1)) in spans.iter().enumerate() {
        if i > 0 && *x0 - high >= min_gap {
            candidates.push((x0 - high, (high + x0) / 2.0));
        }
        high = high.max(*x1);
    }
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0));
    candidates
        .into_iter()
        .take(8)
        .find(|&(_, x)| {
            side_ok(runs, |r| r.x1 <= x, median_size) && side_ok(runs, |r| r.x0 >= x, median_size)
        })
        .map(|(_, x)| x)
}

fn side_ok(runs: &[Run], pick: impl Fn(&Run) -> bool, median_size: f32) -> bool {
    let (mut x0, mut x1, mut y0, mut y1, mut n) = (
        f32::INFINITY,
        f32::NEG_INFINITY,
        f32::INFINITY,
        f32::NEG_INFINITY,
        0,
    );
    for r in runs.iter().filter(|r| pick(r)) {
        x0 = x0.min(r.x0);
        x1 = x1.max(r.x1);
        y0 = y0.min(r.y);
        y1 = y1.max(r.y);
        n += 1;
    }
    n >= 2 && x1 - x0 >= 5.0 * median_size && y1 - y0 >= 1.5 * median_size
}

/// Cluster a block's runs into lines, top to bottom.
fn cluster_lines(mut runs: Vec<Run>) -> Vec<Line> {
    runs.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x0.total_cmp(&b.x0)));
    let mut lines: Vec<Line> = Vec::new();
    for run in runs {
        if let Some(line) = lines.last_mut() {
            let (l0, l1) = extent(line.y, line.size);
            let (r0, r1) = extent(run.y, run.size);
            let overlap = l1.min(r1) - l0.max(r0);
            if overlap >= 0.5 * (l1 - l0).min(r1 - r0) {
                if run.size > line.size * 1.05 {
                    line.size = run.size;
                    line.y = run.y;
                }
                line.runs.push(run);
                continue;
            }
        }
        lines.push(Line {
            y: run.y,
            size: run.size,
            runs: vec![run],
        });
    }
    lines
}

/// A block's text: lines joined by newlines, a blank line where the gap is clearly wider
/// than the usual line spacing.
fn block_text(lines: &mut [Line], median_gap: f32) -> String {
    let texts: Vec<String> = lines.iter_mut().map(line_text).collect();
    let mut out = String::new();
    let mut prev: Option<&Line> = None;
    for (line, text) in lines.iter().zip(texts.iter()) {
        if text.is_empty() {
            continue;
        }
        if let Some(p) = prev {
            let gap = p.y - line.y;
            let size = p.size.min(line.size);
            let normal = if median_gap > 0.0 {
                median_gap.min(2.5 * size).max(size)
            } else {
                1.2 * size
            };
            if gap > 1.4 * normal && gap > 1.3 * size {
                out.push_str("\n\n");
            } else if super::text::is_age_compound(&out, text) {
                // "a nine-/year-old boy": the hyphen of an age stays.
            } else if ends_with_hyphenated_word(&out)
                && text.starts_with(|c: char| c.is_lowercase())
            {
                // A word hyphenated across lines is joined, as pdftotext does.
                out.pop();
            } else {
                out.push('\n');
            }
        }
        out.push_str(text);
        prev = Some(line);
    }
    out
}

/// Text of one line: glyphs left to right, spaces where the gaps are wide enough, glyphs
/// drawn twice at the same place (fake bold, shadows) once.
fn line_text(line: &mut Line) -> String {
    let mut chars: Vec<&Char> = line.runs.iter().flat_map(|r| r.chars.iter()).collect();
    chars.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    let mut out = String::new();
    let mut kept: Vec<&Char> = Vec::new();
    let mut prev_end: Option<(f32, f32)> = None; // (furthest x1, size)
    for ch in chars {
        let dup = ch.text != " "
            && kept.iter().rev().take(8).any(|k| {
                k.text == ch.text
                    && (k.x0 - ch.x0).abs() < 0.1 * k.size.max(ch.size)
                    && (k.y - ch.y).abs() < 0.2 * k.size.max(ch.size)
            });
        if dup {
            continue;
        }
        if let Some((px1, psize)) = prev_end {
            let size = psize.max(ch.size);
            // Tracking is not a gap: a word set with wide character spacing (an OCR layer
            // fitting each word to the scan, a letter-spaced heading) is one word. Spacing of
            // more than an em is layout, not tracking: a table writer that sets the cells of a
            // row apart by character spacing, and pulls each cell's glyphs together by TJ.
            let gap = ch.x0 - px1;
            let gap = if ch.tracked && gap <= MAX_TRACKING * size {
                gap.min(0.0)
            } else {
                gap
            };
            let wide = gap > SPACE_GAP * size || (ch.space_before && gap > -0.05 * size);
            // A footnote mark set well above the line ("practice²", "²For instance") is a
            // word of its own, or the word it touches cannot be found. Smaller shifts are
            // maths sub- and superscripts, which stay with their symbol.
            let script = kept.last().is_some_and(|p: &&Char| {
                let (small, big) = (p.size.min(ch.size), p.size.max(ch.size));
                small < SCRIPT_SIZE * big
                    && (p.y - ch.y).abs() > SCRIPT_RISE * big
                    // A raised glyph after a single letter, a digit or a bracket is an
                    // exponent ("x²", "(a+b)²"), not a note mark.
                    && !(ch.size < p.size && {
                        let word = out.rsplit(' ').next().unwrap_or("");
                        word.chars().count() < 2
                            || word.ends_with(|c: char| c.is_ascii_digit() || c == ')' || c == ']')
                    })
            });
            if (wide || script) && !out.ends_with(' ') && !ch.text.starts_with(' ') {
                out.push(' ');
            }
        }
        for c in ch.text.chars() {
            if c == ' ' && (out.is_empty() || out.ends_with(' ')) {
                continue;
            }
            out.push(c);
        }
        prev_end = Some(match prev_end {
            Some((px1, psize)) if px1 > ch.x1 => (px1, psize),
            _ => (ch.x1, ch.size),
        });
        kept.push(ch);
    }
    bidi_reorder(out.trim_end())
}

/// The text ends in a letter followed by a hyphen (or soft hyphen).
fn ends_with_hyphenated_word(s: &str) -> bool {
    let mut rev = s.chars().rev();
    matches!(rev.next(), Some('-' | '\u{AD}')) && rev.next().is_some_and(char::is_alphabetic)
}

fn is_rtl(c: char) -> bool {
    matches!(c, '\u{0590}'..='\u{08FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

fn is_ltr_strong(c: char) -> bool {
    c.is_alphanumeric() && !is_rtl(c)
}

fn mirror(c: char) -> char {
    match c {
        '(' => ')',
        ')' => '(',
        '[' => ']',
        ']' => '[',
        '{' => '}',
        '}' => '{',
        '<' => '>',
        '>' => '<',
        c => c,
    }
}

/// Turn a line in visual order (left to right) into logical order when it holds
/// right-to-left script: a simplified bidi that handles whole RTL lines with embedded
/// LTR words and numbers, and RTL phrases inside LTR lines.
fn bidi_reorder(line: &str) -> String {
    let logical = bidi_logical(line);
    if !logical.chars().any(is_rtl) {
        return logical;
    }
    // A change of script direction between two letters is a word break.
    let mut out = String::with_capacity(logical.len() + 8);
    let mut prev: Option<char> = None;
    for c in logical.chars() {
        if let Some(p) = prev
            && ((is_rtl(p) && p.is_alphanumeric() && is_ltr_strong(c))
                || (is_ltr_strong(p) && is_rtl(c) && c.is_alphanumeric()))
        {
            out.push(' ');
        }
        out.push(c);
        prev = Some(c);
    }
    out
}

fn bidi_logical(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let rtl = chars.iter().filter(|c| is_rtl(**c)).count();
    if rtl == 0 {
        return line.to_string();
    }
    // Digits are weak: only letters decide the paragraph direction.
    let ltr = chars
        .iter()
        .filter(|c| c.is_alphabetic() && !is_rtl(**c))
        .count();
    if rtl >= ltr {
        // RTL paragraph: reverse everything, then restore the order inside LTR stretches.
        let rev: Vec<char> = chars.iter().rev().map(|c| mirror(*c)).collect();
        let mut out = String::new();
        let mut i = 0usize;
        while i < rev.len() {
            if is_ltr_strong(rev[i]) {
                let mut j = i;
                // An LTR stretch: LTR letters/digits and the neutrals between them.
                let mut last_strong = i;
                while j < rev.len() && !is_rtl(rev[j]) {
                    if is_ltr_strong(rev[j]) {
                        last_strong = j;
                    }
                    j += 1;
                }
                let stretch = rev.get(i..=last_strong).unwrap_or(&[]);
                out.extend(stretch.iter().rev().map(|c| mirror(*c)));
                i = last_strong + 1;
            } else {
                out.push(rev[i]);
                i += 1;
            }
        }
        out
    } else {
        // LTR paragraph: reverse each RTL stretch in place.
        let mut out = String::new();
        let mut i = 0usize;
        while i < chars.len() {
            if is_rtl(chars[i]) {
                let mut j = i;
                let mut last_rtl = i;
                while j < chars.len() && !is_ltr_strong(chars[j]) {
                    if is_rtl(chars[j]) {
                        last_rtl = j;
                    }
                    j += 1;
                }
                let stretch = chars.get(i..=last_rtl).unwrap_or(&[]);
                out.extend(stretch.iter().rev().map(|c| mirror(*c)));
                i = last_rtl + 1;
            } else {
                out.push(chars[i]);
                i += 1;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ch(x0: f32, x1: f32, y: f32, text: &str) -> Char {
        Char {
            x0,
            x1,
            y,
            size: 10.0,
            rot: 0,
            text: text.to_string(),
            space_before: false,
            tracked: false,
        }
    }

    #[test]
    fn cmap_bfchar_bfrange_and_codespace() {
        let data = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
            1 begincodespacerange <00> <80> <8140> <FFFF> endcodespacerange\n\
            2 beginbfchar <0003> <0020> <0041> <00660069> endbfchar\n\
            3 beginbfrange <0010> <0012> <0061>\n<0020> <0022> [<0041> <0042> <D835DC00>]\n\
            <0030> <0031> <D835DC00> endbfrange\n\
            1 beginbfchar <0050> /fi endbfchar\n\
            endcmap CMapName currentdict /CMap defineresource pop end end";
        let cmap = CMap::parse(data);
        assert_eq!(cmap.lookup(3).as_deref(), Some(" "));
        assert_eq!(cmap.lookup(0x41).as_deref(), Some("fi"));
        assert_eq!(cmap.lookup(0x10).as_deref(), Some("a"));
        assert_eq!(cmap.lookup(0x12).as_deref(), Some("c"));
        assert_eq!(cmap.lookup(0x13), None);
        assert_eq!(cmap.lookup(0x21).as_deref(), Some("B"));
        assert_eq!(cmap.lookup(0x22).as_deref(), Some("\u{1D400}"));
        assert_eq!(cmap.lookup(0x31).as_deref(), Some("\u{1D401}"));
        assert_eq!(cmap.lookup(0x50).as_deref(), Some("\u{FB01}"));
        assert_eq!(cmap.code_len(&[0x41, 0x81]), Some(1));
        assert_eq!(cmap.code_len(&[0x81, 0x41]), Some(2));
        assert_eq!(cmap.code_len(&[0x81]), None);
    }

    #[test]
    fn predefined_cjk_cmaps_decode_through_their_character_set() {
        let font = |name: &str| Font {
            cid_mapping: CidMapping::Map(CMap::default()),
            legacy: predefined_cmap_encoding(name),
            ..Font::new("MS-Mincho".into(), true)
        };
        let text = |name: &str, bytes: &[u8]| {
            let mut glyphs = Vec::new();
            font(name).decode(bytes, &mut glyphs);
            glyphs
                .iter()
                .map(|g| g.text.clone().unwrap_or_else(|| "?".into()))
                .collect::<String>()
        };
        // "児童 A" (child A) in Shift-JIS, GBK, Big5 and EUC-KR's "아동".
        assert_eq!(
            text("90ms-RKSJ-H", &[0x8E, 0x99, 0x93, 0xB6, 0x20, 0x41]),
            "児童 A"
        );
        assert_eq!(text("GBK-EUC-H", &[0xB6, 0xF9, 0xCD, 0xAF]), "儿童");
        assert_eq!(text("ETen-B5-H", &[0xA8, 0xE0, 0xB5, 0xA3]), "兒童");
        assert_eq!(text("KSCms-UHC-H", &[0xBE, 0xC6, 0xB5, 0xBF]), "아동");
        assert_eq!(text("UniJIS-UTF8-H", "児童".as_bytes()), "児童");
        // A name we do not know leaves the codes undecoded, as before.
        assert!(predefined_cmap_encoding("Adobe-Japan1-7").is_none());
        // A lone lead byte at the end is one malformed code, not a panic.
        assert_eq!(text("90ms-RKSJ-H", &[0x41, 0x8E]), "A?");
    }

    #[test]
    fn cmap_cid_ranges_and_garbage() {
        let cmap = CMap::parse(b"/Identity-H usecmap 1 begincidrange <0000> <00ff> 100 endcidrange 1 begincidchar <0100> 7 endcidchar");
        assert!(cmap.uses_identity);
        assert_eq!(cmap.cid(5), Some(105));
        assert_eq!(cmap.cid(0x100), Some(7));
        // Garbage must not panic.
        let _ = CMap::parse(b"beginbfrange <ffffffff> <00> <> [ <zz> endbfrange (unterminated \\");
        let _ = CMap::parse(b"beginbfrange <00> <ff> <ffff> endbfrange");
        let c = CMap::parse(b"beginbfrange <00> <ff> <ffff> endbfrange");
        assert_eq!(c.lookup(0).as_deref(), Some("\u{FFFF}"));
        assert_eq!(c.lookup(1).as_deref(), Some("\u{10000}"));
    }

    #[test]
    fn truetype_cmap_reverse_lookup() {
        let mut font = vec![0u8, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0];
        font.extend_from_slice(b"cmap");
        font.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 28, 0, 0, 0, 100]);
        // cmap header: version 0, one record (3,1) at offset 12.
        font.extend_from_slice(&[0, 0, 0, 1, 0, 3, 0, 1, 0, 0, 0, 12]);
        // format 4, two segments: 'A'..'C' → glyphs 1..3, and the 0xFFFF terminator.
        font.extend_from_slice(&[0, 4, 0, 32, 0, 0, 0, 4, 0, 4, 0, 1, 0, 0]);
        font.extend_from_slice(&[
            0, 0x43, 0xFF, 0xFF, 0, 0, 0, 0x41, 0xFF, 0xFF, 0xFF, 0xC0, 0, 1, 0, 0, 0, 0,
        ]);
        let map = truetype_gid_to_unicode(&font).expect("cmap");
        assert_eq!(map.get(&1), Some(&'A'));
        assert_eq!(map.get(&3), Some(&'C'));
        assert_eq!(map.get(&4), None);
        // Truncated or garbage fonts give nothing, never a panic.
        for n in 0..font.len() {
            let _ = truetype_gid_to_unicode(&font[..n]);
        }
        assert!(truetype_gid_to_unicode(b"garbage").is_none());
    }

    #[test]
    fn glyph_names() {
        assert_eq!(glyph_name_to_string(b"A").as_deref(), Some("A"));
        assert_eq!(
            glyph_name_to_string(b"quoteright").as_deref(),
            Some("\u{2019}")
        );
        assert_eq!(glyph_name_to_string(b"endash").as_deref(), Some("\u{2013}"));
        assert_eq!(glyph_name_to_string(b"bullet").as_deref(), Some("\u{2022}"));
        assert_eq!(glyph_name_to_string(b"fi").as_deref(), Some("\u{FB01}"));
        assert_eq!(glyph_name_to_string(b"ffl").as_deref(), Some("\u{FB04}"));
        assert_eq!(glyph_name_to_string(b"uni00410042").as_deref(), Some("AB"));
        assert_eq!(
            glyph_name_to_string(b"u1F600").as_deref(),
            Some("\u{1F600}")
        );
        assert_eq!(glyph_name_to_string(b"g41").as_deref(), Some("A"));
        assert_eq!(glyph_name_to_string(b"a.sc").as_deref(), Some("a"));
        assert_eq!(glyph_name_to_string(b"f_f_i").as_deref(), Some("ffi"));
        assert_eq!(glyph_name_to_string(b"xyzzy"), None);
        assert_eq!(glyph_name_to_string(b""), None);
        let mut s = String::new();
        push_normalized(&mut s, "\u{FB01}nd \u{FB03}");
        assert_eq!(s, "find ffi");
    }

    #[test]
    fn spaces_from_gaps() {
        // "He" + small kerning gap + "llo" + word gap + "world", drawn out of order.
        let chars = vec![
            ch(31.0, 37.0, 100.0, "w"),
            ch(37.0, 60.0, 100.0, "orld"),
            ch(0.0, 5.0, 100.0, "H"),
            ch(5.0, 10.0, 100.0, "e"),
            ch(10.5, 25.0, 100.0, "llo"),
        ];
        assert_eq!(layout(chars), "Hello world");
        // An explicit space and a gap never give two spaces.
        let chars = vec![
            ch(0.0, 5.0, 100.0, "a"),
            ch(5.0, 8.0, 100.0, " "),
            ch(12.0, 17.0, 100.0, "b"),
        ];
        assert_eq!(layout(chars), "a b");
    }

    #[test]
    fn a_raised_footnote_mark_is_its_own_word_but_a_subscript_is_not() {
        let mark = |x0: f32, x1: f32, y: f32, text: &str| Char {
            size: 6.0,
            ..ch(x0, x1, y, text)
        };
        // "practice²" then text, and "²For" at the start of a footnote.
        let chars = vec![
            ch(0.0, 40.0, 100.0, "practice"),
            mark(40.0, 43.0, 104.5, "2"),
            ch(43.0, 45.0, 100.0, " "),
            ch(46.0, 60.0, 100.0, "and"),
        ];
        assert_eq!(layout(chars), "practice 2 and");
        let chars = vec![mark(0.0, 3.0, 104.5, "2"), ch(3.0, 20.0, 100.0, "For")];
        assert_eq!(layout(chars), "2 For");
        // A subscript sits only a little below its symbol: "a₀" stays one token.
        let chars = vec![ch(0.0, 5.0, 100.0, "a"), mark(5.0, 8.0, 98.5, "0")];
        assert_eq!(layout(chars), "a0");
        // An exponent on a single letter or a bracket stays with it: "x²", "(a)²".
        let chars = vec![ch(0.0, 5.0, 100.0, "x"), mark(5.0, 8.0, 104.5, "2")];
        assert_eq!(layout(chars), "x2");
        let chars = vec![ch(0.0, 12.0, 100.0, "(a)"), mark(12.0, 15.0, 104.5, "2")];
        assert_eq!(layout(chars), "(a)2");
    }

    #[test]
    fn lines_and_paragraphs() {
        let chars = vec![
            ch(0.0, 20.0, 700.0, "one"),
            ch(0.0, 20.0, 688.0, "two"),
            ch(0.0, 20.0, 676.0, "three"),
            ch(0.0, 20.0, 640.0, "four"),
            ch(0.0, 20.0, 628.0, "five"),
        ];
        assert_eq!(layout(chars), "one\ntwo\nthree\n\nfour\nfive");
        let chars = vec![
            ch(0.0, 20.0, 700.0, "inter-"),
            ch(0.0, 20.0, 688.0, "preter"),
            ch(0.0, 20.0, 676.0, "x-"),
            ch(0.0, 20.0, 664.0, "Ray"),
        ];
        assert_eq!(layout(chars), "interpreter\nx-\nRay");
    }

    #[test]
    fn garbage_is_damaged_not_panic() {
        let limits = Limits {
            max_pages: 10,
            max_decompressed: 1 << 20,
            max_ops: 1000,
            max_form_depth: 4,
            deadline: Instant::now() + std::time::Duration::from_secs(5),
        };
        assert!(matches!(
            extract(b"not a pdf", &limits),
            Err(PdfError::Damaged(_))
        ));
        assert!(
            extract(
                b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj trailer << /Root 1 0 R >>",
                &limits
            )
            .is_err()
        );
    }

    fn limits() -> Limits {
        Limits {
            max_pages: 100,
            max_decompressed: 16 << 20,
            max_ops: 100_000,
            max_form_depth: 8,
            deadline: Instant::now() + std::time::Duration::from_secs(10),
        }
    }

    /// Build a one-page PDF with the given content stream, fonts and XObjects.
    fn make_pdf(content: &[u8], extra: impl FnOnce(&mut Document, &mut Dictionary)) -> Vec<u8> {
        use lopdf::{Stream, dictionary};
        let mut doc = Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let font_id = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        });
        let mut resources = dictionary! { "Font" => dictionary! { "F1" => font_id } };
        extra(&mut doc, &mut resources);
        let content_id = doc.add_object(Stream::new(dictionary! {}, content.to_vec()));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
            "Resources" => resources, "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
        });
        doc.objects.insert(
            pages_id,
            Object::Dictionary(
                dictionary! { "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1 },
            ),
        );
        let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog_id);
        let info_id = doc.add_object(dictionary! { "Title" => Object::string_literal("A review") });
        doc.trailer.set("Info", info_id);
        let mut out = Vec::new();
        doc.save_to(&mut out).expect("save");
        out
    }

    #[test]
    fn simple_page_with_kerning_lines_and_info() {
        let pdf = make_pdf(
            b"BT /F1 12 Tf 72 700 Td (Hello) Tj [(W) 20 (orld) -600 (again)] TJ 0 -14 Td (next line) Tj ET",
            |_, _| {},
        );
        let text = extract(&pdf, &limits()).expect("extract");
        assert_eq!(text.pages, vec!["HelloWorld again\nnext line".to_string()]);
        assert!(
            text.info
                .iter()
                .any(|(k, v)| k == "Title" && v == "A review")
        );
    }

    /// A Type0 font on an unembedded CIDFont of Adobe's `ordering` collection ("Ryumin-Light"
    /// for Japan1), with no ToUnicode.
    fn unembedded_cid_font(
        doc: &mut Document,
        res: &mut Dictionary,
        encoding: &str,
        ordering: &str,
    ) {
        use lopdf::dictionary;
        let cid_font = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "CIDFontType0", "BaseFont" => "Ryumin-Light",
            "CIDSystemInfo" => dictionary! {
                "Registry" => Object::string_literal("Adobe"),
                "Ordering" => Object::string_literal(ordering), "Supplement" => 2,
            },
        });
        let font = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "Ryumin-Light",
            "Encoding" => encoding, "DescendantFonts" => vec![cid_font.into()],
        });
        res.set("Font", dictionary! { "F1" => font });
    }

    /// The text of a one-page PDF drawing `content` in an unembedded CIDFont of Adobe's
    /// `ordering` collection under `encoding`.
    fn cjk_text(content: &[u8], encoding: &str, ordering: &str) -> String {
        let pdf = make_pdf(content, |d, r| {
            unembedded_cid_font(d, r, encoding, ordering)
        });
        let mut text = extract(&pdf, &limits()).expect("extract");
        text.pages.swap_remove(0)
    }

    #[test]
    fn an_unembedded_japanese_font_reads_through_adobes_cid_table() {
        // CIDs 843, 845, 847 of Adobe-Japan1 are あ, い, う; 1 is the space.
        let text = cjk_text(
            b"BT /F1 12 Tf 72 700 Td <034B034D034F0001034B> Tj ET",
            "Identity-H",
            "Japan1",
        );
        assert_eq!(text, "あいう あ");
        // "H" codes are JIS X 0208 row and cell: 0x2422 is あ.
        let text = cjk_text(b"BT /F1 12 Tf 72 700 Td <24222424> Tj ET", "H", "Japan1");
        assert_eq!(text, "あい");
        // "CNS-EUC-H" codes are one byte for ASCII and two for hanzi: the table says which.
        let text = cjk_text(b"BT /F1 12 Tf 72 700 Td (Hello) Tj ET", "CNS-EUC-H", "CNS1");
        assert_eq!(text, "Hello");
    }

    #[test]
    fn vertical_text_reads_down_each_column_and_columns_right_to_left() {
        // Two columns, the right one (four glyphs) drawn first.
        let text = cjk_text(
            b"BT /F1 12 Tf 300 700 Td <0351035303550357> Tj -20 0 Td <034B034D034F> Tj ET",
            "Identity-V",
            "Japan1",
        );
        assert_eq!(text, "えおがぎ\nあいう");
        // A TJ adjustment in a vertical font moves along the column (a negative one up, closing
        // the gap), not across it.
        let text = cjk_text(
            b"BT /F1 12 Tf 300 700 Td [<034B> -300 <034D> -300 <034F>] TJ ET",
            "Identity-V",
            "Japan1",
        );
        assert_eq!(text, "あいう");
    }

    #[test]
    fn text_beyond_the_page_edge_is_not_on_the_page() {
        // One half of a two-page spread, drawn with the other half past the MediaBox.
        let pdf = make_pdf(
            b"BT /F1 12 Tf 72 700 Td (Left page) Tj 700 0 Td (Right page) Tj ET",
            |_, _| {},
        );
        let text = extract(&pdf, &limits()).expect("extract");
        assert_eq!(text.pages[0], "Left page");
    }

    #[test]
    fn standard_font_widths_place_word_gaps() {
        // Helvetica has no /Widths here: the built-in metrics tell a word gap from none.
        let pdf = make_pdf(
            b"BT /F1 12 Tf 72 700 Td (Hello) Tj 30.6 0 Td (World) Tj 100 0 Td (Hel) Tj 18.0 0 Td (lo) Tj ET",
            |_, _| {},
        );
        let text = extract(&pdf, &limits()).expect("extract");
        assert_eq!(text.pages[0], "Hello World Hello");
    }

    #[test]
    fn an_ocr_layers_tracked_words_stay_whole_and_visible_tracking_splits_as_before() {
        // An OCR layer (render mode 3) fits each word to the scan by character spacing, the
        // last letter at 0, and marks its word breaks with spaces: "American Lines", as the
        // scan shows it, not "A m e r i c a n".
        let ocr = b"BT 3 Tr /F1 11 Tf 72 700 Td 2.6 Tc (America) Tj 0 Tc (n) Tj 2.2 Tc 3.1 Tw ( Line) Tj 0 Tc (s) Tj ET";
        let text = extract(&make_pdf(ocr, |_, _| {}), &limits()).expect("extract");
        assert_eq!(text.pages[0], "American Lines");
        // The same glyphs painted: a gap of 2.6 points in 11-point type is a gap.
        let visible = b"BT /F1 11 Tf 72 700 Td 2.6 Tc (1357) Tj ET";
        let text = extract(&make_pdf(visible, |_, _| {}), &limits()).expect("extract");
        assert_eq!(text.pages[0], "1 3 5 7");
        // Spacing of more than an em is a table's cells set apart, even when invisible.
        let cells = b"BT 3 Tr /F1 10 Tf 72 700 Td 14 Tc (03) Tj ET";
        let text = extract(&make_pdf(cells, |_, _| {}), &limits()).expect("extract");
        assert_eq!(text.pages[0], "0 3");
    }

    #[test]
    fn recursive_form_terminates_and_image_only_is_detected() {
        use lopdf::{Stream, dictionary};
        // A form that draws itself: bounded by depth and visit limits.
        let pdf = make_pdf(b"/X1 Do", |doc, res| {
            let id = doc.new_object_id();
            let form = Stream::new(
                dictionary! { "Type" => "XObject", "Subtype" => "Form", "BBox" => vec![0.into(), 0.into(), 100.into(), 100.into()],
                "Resources" => dictionary! { "XObject" => dictionary! { "X1" => id } } },
                b"BT /F1 10 Tf 10 10 Td (loop) Tj ET /X1 Do".to_vec(),
            );
            doc.objects.insert(id, Object::Stream(form));
            res.set("XObject", dictionary! { "X1" => id });
        });
        let text = extract(&pdf, &limits()).expect("extract");
        assert!(text.pages[0].starts_with("loop"));
        // Only an image.
        let pdf = make_pdf(b"q 100 0 0 100 0 0 cm /Im1 Do Q", |doc, res| {
            let img = Stream::new(
                dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => 1, "Height" => 1,
                "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8 },
                vec![0],
            );
            let id = doc.add_object(img);
            res.set("XObject", dictionary! { "Im1" => id });
        });
        assert!(matches!(
            extract(&pdf, &limits()),
            Err(PdfError::ImageOnly { pages: 1 })
        ));
        // Neither text nor images.
        let pdf = make_pdf(b"0 0 m 10 10 l S", |_, _| {});
        assert!(matches!(
            extract(&pdf, &limits()),
            Err(PdfError::Damaged(_))
        ));
    }

    #[test]
    fn limits_are_enforced() {
        let mut content = Vec::new();
        for _ in 0..2000 {
            content.extend_from_slice(b"q Q ");
        }
        let pdf = make_pdf(&content, |_, _| {});
        let mut l = limits();
        l.max_ops = 100;
        assert!(matches!(extract(&pdf, &l), Err(PdfError::TooLarge(_))));
        let mut l = limits();
        l.deadline = Instant::now();
        assert!(matches!(extract(&pdf, &l), Err(PdfError::TimedOut)));
        let mut l = limits();
        l.max_decompressed = 10;
        assert!(extract(&pdf, &l).is_err());
    }

    #[test]
    fn bidi_lines_read_in_logical_order() {
        // Visual order "םולש" (reversed) → logical "שלום"; LTR numbers stay in order.
        assert_eq!(
            bidi_reorder("\u{05DD}\u{05D5}\u{05DC}\u{05E9}"),
            "\u{05E9}\u{05DC}\u{05D5}\u{05DD}"
        );
        assert_eq!(
            bidi_reorder("2024 \u{05D1}\u{05D0}"),
            "\u{05D0}\u{05D1} 2024"
        );
        assert_eq!(bidi_reorder("plain text"), "plain text");
    }
}
