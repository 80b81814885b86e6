//! Fuzz the DOCX extractor: any bytes must give text or a typed error within the time limit,
//! never a panic, an abort or a hang.
//!
//! An input that starts like a zip (`PK`) is extracted as it is, so the fuzzer explores the zip
//! reader from the seed files. Any other input is taken as the XML of `word/document.xml` and
//! stored (uncompressed) in an otherwise minimal package, so that the fuzzer reaches the XML
//! walker instead of mutating deflate streams.
#![no_main]

use cairn::extract::{Limits, extract_with};
use libfuzzer_sys::fuzz_target;
use std::io::Write;
use std::time::Duration;
use zip::write::SimpleFileOptions;

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;
const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

fn package(document_xml: &[u8]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, body) in [
        ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        ("_rels/.rels", RELS.as_bytes()),
        ("word/document.xml", document_xml),
    ] {
        zip.start_file(name, opts).expect("in-memory zip");
        zip.write_all(body).expect("in-memory zip");
    }
    zip.finish().expect("in-memory zip").into_inner()
}

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_file_bytes: 4 * 1024 * 1024,
        max_decompressed_bytes: 64 * 1024 * 1024,
        max_pages: 200,
        timeout: Duration::from_secs(2),
    };
    if data.starts_with(b"PK") {
        let _ = extract_with(data, &limits);
    } else {
        let _ = extract_with(&package(data), &limits);
    }
});
