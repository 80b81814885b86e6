//! The Welsh analyser: lower case, initial mutations folded, no stemming.
//!
//! Welsh words change their first sound after some words: *plentyn* (child) is *blentyn*,
//! *mhlentyn* and *phlentyn*; *cam-drin* (abuse) is *gam-drin*. No search engine ships a Welsh
//! analyser, and an English stemmer must not touch Welsh text. This filter maps every mutated
//! form and its radical to one key, by replacing the initial consonant with the class of
//! consonants that mutate into each other:
//! - `p b mh ph f m` → `1` (p→b soft, p→mh nasal, p→ph aspirate, b→f soft, b→m nasal, m→f soft)
//! - `t d nh th dd n` → `2` (t→d, t→nh, t→th, d→dd, d→n)
//! - `c g ngh ch ng` → `3` (c→g, c→ngh, c→ch, g→ng)
//! - `ll l` → `4`, `rh r` → `5`; `ff` and vowels are left alone (h-prothesis drops the `h`).
//!
//! The class marks are digits, not letters, because tantivy lower-cases a token before it
//! looks it up for a snippet: a capital mark would never be highlighted.
//! The classes conflate a few unrelated words (*mam* and *pam*); for search over a few
//! thousand Welsh paragraphs that costs little, and it never misses a mutated form. The soft
//! mutation that drops `g` (*gwaith* → *waith*) is not folded: it would merge every word that
//! starts with a vowel or `w`.

use tantivy::tokenizer::{
    LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, Token, TokenFilter, TokenStream,
    Tokenizer,
};

/// The name the schema gives the Welsh analyser.
pub const CY: &str = "cy";

/// Build the Welsh analyser.
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(MutationFolder)
        .build()
}

/// The folded key of a lower-cased Welsh word.
pub fn fold(word: &str) -> String {
    const CLASSES: [(&str, char); 17] = [
        ("ngh", '3'),
        ("mh", '1'),
        ("ph", '1'),
        ("nh", '2'),
        ("th", '2'),
        ("dd", '2'),
        ("ch", '3'),
        ("ng", '3'),
        ("ll", '4'),
        ("rh", '5'),
        ("p", '1'),
        ("b", '1'),
        ("m", '1'),
        ("t", '2'),
        ("d", '2'),
        ("c", '3'),
        ("g", '3'),
    ];
    if word.starts_with("ff") {
        return word.to_string();
    }
    // h-prothesis: "ei hewyllys" is "ewyllys".
    if let Some(rest) = word.strip_prefix('h')
        && rest.starts_with([
            'a', 'e', 'i', 'o', 'u', 'w', 'y', 'â', 'ê', 'î', 'ô', 'û', 'ŵ', 'ŷ',
        ])
    {
        return rest.to_string();
    }
    for (prefix, class) in CLASSES {
        if let Some(rest) = word.strip_prefix(prefix) {
            return format!("{class}{rest}");
        }
    }
    for (prefix, class) in [("f", '1'), ("n", '2'), ("l", '4'), ("r", '5')] {
        if let Some(rest) = word.strip_prefix(prefix) {
            return format!("{class}{rest}");
        }
    }
    word.to_string()
}

/// Token filter applying [`fold`].
#[derive(Clone)]
pub struct MutationFolder;

impl TokenFilter for MutationFolder {
    type Tokenizer<T: Tokenizer> = MutationFolderFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> MutationFolderFilter<T> {
        MutationFolderFilter { tokenizer }
    }
}

#[derive(Clone)]
pub struct MutationFolderFilter<T> {
    tokenizer: T,
}

impl<T: Tokenizer> Tokenizer for MutationFolderFilter<T> {
    type TokenStream<'a> = MutationFolderStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        MutationFolderStream {
            tail: self.tokenizer.token_stream(text),
        }
    }
}

pub struct MutationFolderStream<T> {
    tail: T,
}

impl<T: TokenStream> TokenStream for MutationFolderStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let folded = fold(&self.tail.token().text);
        self.tail.token_mut().text = folded;
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<String> {
        let mut a = analyzer();
        let mut stream = a.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    #[test]
    fn mutated_forms_share_a_key() {
        let child = keys("plentyn blentyn mhlentyn phlentyn");
        assert!(child.iter().all(|k| k == &child[0]), "{child:?}");
        assert_eq!(keys("cam-drin"), keys("gam-drin"));
        assert_eq!(keys("Cymru"), keys("Nghymru"));
        assert_eq!(keys("tad"), keys("nhad"));
        assert_eq!(keys("ewyllys"), keys("hewyllys"));
    }

    #[test]
    fn no_english_stemming() {
        assert_eq!(keys("plant"), vec![fold("plant")]);
        assert_ne!(keys("esgeulustod"), keys("esgeulus"));
        assert_eq!(keys("ffordd"), vec!["ffordd".to_string()]);
    }
}
