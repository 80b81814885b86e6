//! Extraction of the small fixtures: what must and must never reach the text.

use crate::common::{TestIndex, fixture};
use cairn::extract::{self, Error};

fn read(name: &str) -> Vec<u8> {
    std::fs::read(fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn pdf_pages_keep_furniture_but_passages_do_not() {
    let doc = extract::extract(&read("two-page-review.pdf")).unwrap();
    assert_eq!(doc.pages.len(), 2);
    assert!(
        doc.pages[1].text.contains("Page 2 of 2"),
        "{}",
        doc.pages[1].text
    );
    assert!(
        doc.pages[1]
            .text
            .contains("The health visitor recorded bruising to the baby's ear.")
    );
    let passage = doc
        .passages
        .iter()
        .find(|p| p.text.contains("bruising to the baby"))
        .unwrap();
    assert_eq!(passage.page, Some(2));
    assert!(doc.passages.iter().all(|p| !p.text.contains("Page 2 of 2")));
    assert_eq!(doc.languages, ["en"]);
}

#[test]
fn docx_never_yields_deleted_text_comments_or_metadata() {
    let doc = extract::extract(&read("tracked-changes.docx")).unwrap();
    let all: String = doc
        .passages
        .iter()
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
        + &doc.full_text();
    for secret in [
        "DELETEDSECRETTEXT",
        "COMMENTSECRETTEXT",
        "METADATASECRETAUTHOR",
    ] {
        assert!(!all.contains(secret), "{secret} leaked into the text");
    }
    for visible in [
        "insertedcurrenttext",
        "footnotetextvisible",
        "tablecellalpha",
        "tablecellbeta",
    ] {
        assert!(all.contains(visible), "{visible} is missing");
    }
    assert!(
        doc.sections
            .iter()
            .any(|s| s.heading.contains("Key practice episodes"))
    );
}

#[test]
fn metadata_is_never_indexed() {
    let t = TestIndex::from_fixtures(&["tracked-changes.docx"]);
    let answer = t
        .service()
        .search(&cairn::search::SearchRequest {
            q: "METADATASECRETAUTHOR".into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(answer.total, 0);
}

#[test]
fn welsh_is_detected_beside_english() {
    let doc = extract::extract(&read("bilingual-welsh.docx")).unwrap();
    assert!(
        doc.languages.contains(&"cy".to_string()),
        "{:?}",
        doc.languages
    );
    assert!(
        doc.languages.contains(&"en".to_string()),
        "{:?}",
        doc.languages
    );
}

#[test]
fn bad_files_get_typed_errors() {
    assert!(matches!(
        extract::extract(&read("scanned-page.pdf")),
        Err(Error::ImageOnly { .. })
    ));
    assert!(matches!(
        extract::extract(&read("password.pdf")),
        Err(Error::Encrypted)
    ));
    assert!(matches!(
        extract::extract(&read("truncated.pdf")),
        Err(Error::Damaged(_) | Error::Empty)
    ));
    assert!(matches!(
        extract::extract(b"just some text"),
        Err(Error::Unsupported { .. })
    ));
}

#[test]
fn the_format_comes_from_the_bytes_not_the_name() {
    let dir = tempfile::tempdir().unwrap();
    let disguised = dir.path().join("really-a-docx.pdf");
    std::fs::copy(fixture("two-page-review.docx"), &disguised).unwrap();
    let doc = extract::extract(&std::fs::read(&disguised).unwrap()).unwrap();
    assert_eq!(doc.format, cairn::document::Format::Docx);
}
