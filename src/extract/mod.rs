//! Bytes → text with pages, sections and passages.
//!
//! The format is sniffed from the content ([`sniff`]), never from the file name. PDF is read by
//! [`pdf`] (a content-stream walker on lopdf), DOCX by [`docx`] (zip + quick-xml). [`text`]
//! turns the raw page or block text into clean sections and passages: running headers,
//! footers and page numbers out, line-end hyphens joined, ligatures folded.
//!
//! Invariants: every parser is bounded in input size, decompressed size, nesting and time, and
//! returns a typed [`Error`] instead of panicking; a file with no text is an error, never an
//! empty success. This module knows nothing of tantivy or HTTP.

pub mod docx;
mod language;
pub mod pdf;
pub mod text;

pub use self::language::detect_language;

use crate::document::{Extracted, Format, Page};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// Why a file could not be read. Every variant says what the user can do about it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Neither PDF nor DOCX.
    #[error("unsupported file type ({found}); cairn reads PDF and DOCX files")]
    Unsupported { found: String },
    /// Protected by a password that we do not have.
    #[error("the file is encrypted with a password; ask the publisher for an unprotected copy")]
    Encrypted,
    /// A scanned document without a text layer.
    #[error("the PDF has no text layer ({pages} pages of images); run OCR on it first")]
    ImageOnly { pages: usize },
    /// The file is corrupt or truncated.
    #[error("the file is damaged: {0}; try re-downloading or re-saving it")]
    Damaged(String),
    /// Over one of the limits in [`Limits`].
    #[error("the file exceeds a limit: {0}")]
    TooLarge(String),
    /// Took longer than [`Limits::timeout`].
    #[error("reading the file took longer than {0:?}; it may be malformed")]
    TimedOut(Duration),
    /// The file parsed but holds no text at all.
    #[error("the file contains no text")]
    Empty,
}

impl Error {
    /// A stable snake_case code for JSON answers and statuses.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Unsupported { .. } => "unsupported_file_type",
            Error::Encrypted => "encrypted",
            Error::ImageOnly { .. } => "image_only",
            Error::Damaged(_) => "damaged",
            Error::TooLarge(_) => "too_large",
            Error::TimedOut(_) => "timed_out",
            Error::Empty => "empty",
        }
    }
}

/// Bounds on one extraction.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest input file accepted.
    pub max_file_bytes: u64,
    /// Largest total of decompressed streams or zip entries.
    pub max_decompressed_bytes: u64,
    /// Most pages read from a PDF.
    pub max_pages: usize,
    /// Wall-clock budget for one file.
    pub timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 200 * 1024 * 1024,
            max_decompressed_bytes: 1024 * 1024 * 1024,
            max_pages: 10_000,
            timeout: Duration::from_secs(20),
        }
    }
}

/// Identify the format from the first bytes.
pub fn sniff(bytes: &[u8]) -> Result<Format, Error> {
    if bytes.is_empty() {
        return Err(Error::Damaged("the file is empty (0 bytes)".into()));
    }
    let head = &bytes[..bytes.len().min(1024)];
    if head.windows(5).any(|w| w == b"%PDF-") {
        return Ok(Format::Pdf);
    }
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        return Ok(Format::Docx);
    }
    let found = if head.starts_with(b"{\\rtf") {
        "RTF; save it as DOCX or PDF".to_string()
    } else if head.starts_with(b"PK") {
        "a zip archive that is not a Word document".to_string()
    } else if String::from_utf8_lossy(head)
        .to_ascii_lowercase()
        .contains("<html")
    {
        "HTML".to_string()
    } else if std::str::from_utf8(head).is_ok() {
        "plain text".to_string()
    } else {
        "unknown binary data".to_string()
    };
    Err(Error::Unsupported { found })
}

/// Extract a file's text with the default limits.
pub fn extract(bytes: &[u8]) -> Result<Extracted, Error> {
    extract_with(bytes, &Limits::default())
}

/// Extract a file's text within `limits`.
pub fn extract_with(bytes: &[u8], limits: &Limits) -> Result<Extracted, Error> {
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(Error::TooLarge(format!(
            "{} bytes is over the {} byte limit",
            bytes.len(),
            limits.max_file_bytes
        )));
    }
    let deadline = Instant::now() + limits.timeout;
    let format = sniff(bytes)?;
    let extracted = match format {
        Format::Pdf => from_pdf(bytes, limits, deadline)?,
        Format::Docx => from_docx(bytes, limits, deadline)?,
    };
    if extracted.passages.is_empty() {
        return Err(Error::Empty);
    }
    Ok(extracted)
}

fn from_pdf(bytes: &[u8], limits: &Limits, deadline: Instant) -> Result<Extracted, Error> {
    let pdf_limits = pdf::Limits {
        max_pages: limits.max_pages,
        max_decompressed: usize::try_from(limits.max_decompressed_bytes).unwrap_or(usize::MAX),
        max_ops: 200_000_000,
        max_form_depth: 8,
        deadline,
    };
    let raw = pdf::extract(bytes, &pdf_limits).map_err(|e| match e {
        pdf::PdfError::Encrypted => Error::Encrypted,
        pdf::PdfError::ImageOnly { pages } => Error::ImageOnly { pages },
        pdf::PdfError::Damaged(m) => Error::Damaged(m),
        pdf::PdfError::TooLarge(m) => Error::TooLarge(m),
        pdf::PdfError::TimedOut => Error::TimedOut(limits.timeout),
    })?;
    let pages: Vec<Page> = raw
        .pages
        .into_iter()
        .enumerate()
        // The walker already folds ligatures and drops invisible characters, glyph by glyph.
        .map(|(i, text)| Page {
            number: i as u32 + 1,
            text,
        })
        .collect();
    let clean = text::structure_pages(&pages);
    let mut warnings = raw.warnings;
    if raw.undecoded_glyphs > 0 {
        warnings.push(format!(
            "partial: {} glyphs could not be decoded to text",
            raw.undecoded_glyphs
        ));
    }
    Ok(finish(
        Format::Pdf,
        pages,
        clean,
        raw.info.into_iter().collect(),
        warnings,
        None,
    ))
}

fn from_docx(bytes: &[u8], limits: &Limits, deadline: Instant) -> Result<Extracted, Error> {
    let docx_limits = docx::Limits {
        max_entry_bytes: limits.max_decompressed_bytes.min(256 * 1024 * 1024),
        max_total_bytes: limits.max_decompressed_bytes,
        max_entries: 10_000,
        max_depth: 256,
        deadline,
    };
    let raw = docx::extract(bytes, &docx_limits).map_err(|e| match e {
        docx::DocxError::NotDocx(m) => Error::Unsupported { found: m },
        docx::DocxError::Encrypted => Error::Encrypted,
        docx::DocxError::Damaged(m) => Error::Damaged(m),
        docx::DocxError::TooLarge(m) => Error::TooLarge(m),
        docx::DocxError::TimedOut => Error::TimedOut(limits.timeout),
    })?;
    let blocks: Vec<text::Block> = raw
        .blocks
        .iter()
        .map(|b| text::Block {
            heading_level: match b.kind {
                docx::BlockKind::Heading(level) => Some(level),
                _ => None,
            },
            text: text::fold_ligatures(&b.text),
        })
        .collect();
    let body = blocks
        .iter()
        .map(|b| b.text.as_str())
        .collect::<Vec<_>>()
        .join("\n\n");
    let pages = vec![Page {
        number: 1,
        text: body,
    }];
    let clean = text::structure_blocks(&blocks);
    let metadata: BTreeMap<String, String> = raw.properties.into_iter().collect();
    let page_count = metadata
        .get("Pages")
        .or_else(|| metadata.get("pages"))
        .and_then(|p| p.trim().parse().ok());
    Ok(finish(
        Format::Docx,
        pages,
        clean,
        metadata,
        raw.warnings,
        page_count,
    ))
}

fn finish(
    format: Format,
    pages: Vec<Page>,
    clean: text::Structured,
    metadata: BTreeMap<String, String>,
    warnings: Vec<String>,
    page_count: Option<u32>,
) -> Extracted {
    let mut passages = clean.passages;
    let mut chars_by_lang: BTreeMap<String, usize> = BTreeMap::new();
    for passage in &mut passages {
        passage.language = detect_language(&passage.text);
        if let Some(lang) = &passage.language {
            *chars_by_lang.entry(lang.clone()).or_default() += passage.text.len();
        }
    }
    let total: usize = chars_by_lang.values().sum();
    let mut languages: Vec<(String, usize)> = chars_by_lang
        .into_iter()
        // A language counts as present when it carries a real share of the text, so that a
        // stray misdetected paragraph does not tag a review.
        .filter(|(_, n)| *n >= 400 && *n * 50 >= total)
        .collect();
    languages.sort_by_key(|l| std::cmp::Reverse(l.1));
    let page_count = page_count.or(match format {
        Format::Pdf => Some(pages.len() as u32),
        Format::Docx => None,
    });
    Extracted {
        format,
        pages,
        sections: clean.sections,
        passages,
        metadata,
        languages: languages.into_iter().map(|(l, _)| l).collect(),
        warnings,
        page_count,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_by_content_not_name() {
        assert_eq!(sniff(b"%PDF-1.7\n...").unwrap(), Format::Pdf);
        assert_eq!(sniff(b"PK\x03\x04rest").unwrap(), Format::Docx);
        assert!(matches!(
            sniff(b"{\\rtf1 hello"),
            Err(Error::Unsupported { found }) if found.contains("RTF")
        ));
        assert!(matches!(sniff(b""), Err(Error::Damaged(_))));
    }

    #[test]
    fn refuses_files_over_the_size_limit() {
        let limits = Limits {
            max_file_bytes: 10,
            ..Limits::default()
        };
        assert!(matches!(
            extract_with(b"%PDF-1.4 0123456789", &limits),
            Err(Error::TooLarge(_))
        ));
    }
}
