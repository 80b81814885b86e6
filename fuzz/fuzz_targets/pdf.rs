//! Fuzz the PDF extractor: any bytes must give text or a typed error within the time limit,
//! never a panic, an abort or a hang.
#![no_main]

use cairn::extract::{Limits, extract_with};
use libfuzzer_sys::fuzz_target;
use std::time::Duration;

fuzz_target!(|data: &[u8]| {
    // Make every input look like a PDF so that the fuzzer spends its time in the PDF parser.
    let mut bytes = Vec::with_capacity(data.len() + 9);
    if !data.starts_with(b"%PDF-") {
        bytes.extend_from_slice(b"%PDF-1.7\n");
    }
    bytes.extend_from_slice(data);
    let limits = Limits {
        max_file_bytes: 4 * 1024 * 1024,
        max_decompressed_bytes: 64 * 1024 * 1024,
        max_pages: 200,
        timeout: Duration::from_secs(2),
    };
    let _ = extract_with(&bytes, &limits);
});
