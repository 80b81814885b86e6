//! Property tests for text normalisation (`cairn::extract::text`).

use cairn::document::Page;
use cairn::extract::text::{fold_ligatures, sentences, structure_pages};
use proptest::prelude::*;

/// Text shaped like extracted page text: words, numbers, sentence ends, line-end hyphens,
/// ligatures, soft hyphens, no-break spaces, CR, form feeds and blank lines.
fn page_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => "[A-Za-z]{1,12}",
        1 => "[0-9]{1,4}",
        2 => Just(" ".to_string()),
        1 => Just(". ".to_string()),
        1 => Just("? ".to_string()),
        1 => Just("-\n".to_string()),
        2 => Just("\n".to_string()),
        1 => Just("\n\n".to_string()),
        1 => Just("\u{c}".to_string()),
        1 => Just("\r\n".to_string()),
        1 => Just("\u{FB01}".to_string()),
        1 => Just("\u{AD}".to_string()),
        1 => Just("\u{A0}".to_string()),
        1 => Just("Page 3 of 12\n".to_string()),
        1 => Just("CONFIDENTIAL\n".to_string()),
        1 => Just("1. Introduction\n".to_string()),
        1 => "\\PC{1,3}",
    ];
    prop::collection::vec(piece, 0..120).prop_map(|v| v.concat())
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        page_like(),
        any::<String>(),
        "[ .!?A-Z0-9a-z\\n\\t\u{A0}\u{3000}]{0,200}"
    ]
}

fn non_ws(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn fold_ligatures_is_idempotent(text in any_text()) {
        let once = fold_ligatures(&text);
        prop_assert_eq!(fold_ligatures(&once), once);
    }

    #[test]
    fn sentences_cover_the_input(text in any_text()) {
        let parts = sentences(&text);
        prop_assert_eq!(non_ws(&parts.concat()), non_ws(&text));
        for part in &parts {
            prop_assert!(!part.is_empty());
            prop_assert_eq!(part.trim(), *part);
        }
    }

    #[test]
    fn structure_pages_never_panics_or_keeps_form_feeds(
        texts in prop::collection::vec(any_text(), 0..8),
        // The same header and footer on every page, as real reports have.
        furniture in prop::option::of(("[A-Za-z ]{3,30}", "[A-Za-z ]{3,30}")),
    ) {
        let pages: Vec<Page> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| Page {
                number: i as u32 + 1,
                text: match &furniture {
                    Some((head, foot)) => format!("{head}\n{t}\n{foot}\n{}", i + 1),
                    None => t.clone(),
                },
            })
            .collect();
        let out = structure_pages(&pages);
        for passage in &out.passages {
            prop_assert!(!passage.text.contains('\u{c}'), "form feed in passage {:?}", passage.text);
            prop_assert!(passage.page.is_some_and(|p| p >= 1 && p as usize <= pages.len()));
        }
        for section in &out.sections {
            prop_assert!(!section.text.contains('\u{c}'), "form feed in section {:?}", section.text);
        }
    }
}
