//! Language of a passage, via whatlang.

use whatlang::Lang;

/// The language of `text` as an ISO 639-1 code where we know one (`en`, `cy`, …), else
/// whatlang's ISO 639-3 code; `None` when the text is too short or the guess unreliable.
pub fn detect_language(text: &str) -> Option<String> {
    if text.chars().filter(|c| c.is_alphabetic()).count() < 40 {
        return None;
    }
    let info = whatlang::detect(text)?;
    // Welsh and English share a script, and whatlang's Welsh profile is strong; accept a
    // confident guess even where whatlang's own reliability flag is cautious on short text.
    if !info.is_reliable() && info.confidence() < 0.5 {
        return None;
    }
    Some(
        iso639_1(info.lang())
            .unwrap_or(info.lang().code())
            .to_string(),
    )
}

fn iso639_1(lang: Lang) -> Option<&'static str> {
    Some(match lang {
        Lang::Eng => "en",
        Lang::Cym => "cy",
        Lang::Fra => "fr",
        Lang::Deu => "de",
        Lang::Spa => "es",
        Lang::Ita => "it",
        Lang::Por => "pt",
        Lang::Nld => "nl",
        Lang::Pol => "pl",
        Lang::Ron => "ro",
        Lang::Urd => "ur",
        Lang::Ara => "ar",
        Lang::Cmn => "zh",
        Lang::Jpn => "ja",
        Lang::Kor => "ko",
        Lang::Rus => "ru",
        Lang::Ukr => "uk",
        Lang::Tur => "tr",
        Lang::Hin => "hi",
        Lang::Ben => "bn",
        Lang::Pan => "pa",
        Lang::Lit => "lt",
        Lang::Lav => "lv",
        Lang::Slk => "sk",
        Lang::Ces => "cs",
        Lang::Hun => "hu",
        Lang::Swe => "sv",
        Lang::Dan => "da",
        Lang::Nob => "nb",
        Lang::Fin => "fi",
        Lang::Ell => "el",
        Lang::Heb => "he",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_welsh_from_english() {
        let cy = "Mae'r adolygiad hwn yn edrych ar y ffordd y bu asiantaethau yn gweithio gyda'i \
                  gilydd i ddiogelu'r plentyn. Roedd yr ymwelydd iechyd yn pryderu am esgeulustod.";
        let en = "This review looks at how agencies worked together to safeguard the child. The \
                  health visitor was worried about neglect in the home.";
        assert_eq!(detect_language(cy).as_deref(), Some("cy"));
        assert_eq!(detect_language(en).as_deref(), Some("en"));
        assert_eq!(detect_language("Page 3"), None);
    }
}
