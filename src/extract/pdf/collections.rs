//! The Adobe CJK character collections (Adobe-Japan1, -GB1, -CNS1, -Korea1): CID → Unicode
//! for composite fonts that give no ToUnicode and no font program to read it from, the usual
//! case for the fonts every Japanese, Chinese and Korean reader was expected to have
//! ("Ryumin-Light", "STSong-Light", "HYSMyeongJo-Medium"), and code → CID for the predefined
//! CMaps whose codes are in no character set we decode directly ("H", "V").
//!
//! The tables are Adobe's own (`Adobe-Japan1-UCS2` …, from the `cmap-resources` repository),
//! packed by the `hayro-cmap` crate; each is unpacked and parsed once, on first use.

use hayro_cmap::{BfString, CMap, CMapName, CidFamily};
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

/// A collection's CID → Unicode table.
pub(super) struct Collection(CMap);

impl std::fmt::Debug for Collection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = self.0.metadata().name.as_deref().unwrap_or_default();
        write!(f, "Collection({})", String::from_utf8_lossy(name))
    }
}

fn parse(name: CMapName<'_>) -> Option<CMap> {
    CMap::parse(hayro_cmap::load_embedded(name)?, hayro_cmap::load_embedded)
}

fn ucs2(family: &CidFamily) -> Option<Collection> {
    family.ucs2_cmap().and_then(parse).map(Collection)
}

static JAPAN1: LazyLock<Option<Collection>> = LazyLock::new(|| ucs2(&CidFamily::AdobeJapan1));
static GB1: LazyLock<Option<Collection>> = LazyLock::new(|| ucs2(&CidFamily::AdobeGB1));
static CNS1: LazyLock<Option<Collection>> = LazyLock::new(|| ucs2(&CidFamily::AdobeCNS1));
static KOREA1: LazyLock<Option<Collection>> = LazyLock::new(|| ucs2(&CidFamily::AdobeKorea1));

impl Collection {
    /// The collection a CIDFont's `/CIDSystemInfo` names, if it is one of Adobe's four.
    pub(super) fn named(registry: &[u8], ordering: &[u8]) -> Option<&'static Collection> {
        let table = match CidFamily::from_registry_ordering(registry, ordering) {
            CidFamily::AdobeJapan1 => &JAPAN1,
            CidFamily::AdobeGB1 => &GB1,
            CidFamily::AdobeCNS1 => &CNS1,
            CidFamily::AdobeKorea1 => &KOREA1,
            _ => return None,
        };
        table.as_ref()
    }

    /// The text of a CID. Variation selectors (which the tables give for some ideographs'
    /// variant forms) are dropped: the base character is what a reader searches for.
    pub(super) fn text(&self, cid: u32) -> Option<String> {
        let text = match self.0.lookup_bf_string(cid)? {
            BfString::Char(c) => c.to_string(),
            BfString::String(s) => s,
        };
        let text: String = text
            .chars()
            .filter(|c| !matches!(c, '\u{FE00}'..='\u{FE0F}'))
            .collect();
        (!text.is_empty()).then_some(text)
    }
}

/// A predefined CMap by name, for its code → CID ranges ("H": JIS X 0208 row and cell); each
/// is parsed once. Names that are not predefined give `None`.
pub(super) fn predefined(name: &[u8]) -> Option<Arc<CMap>> {
    static CACHE: LazyLock<Mutex<HashMap<Vec<u8>, Arc<CMap>>>> = LazyLock::new(Default::default);
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(cmap) = cache.get(name) {
        return Some(cmap.clone());
    }
    let cmap = Arc::new(parse(CMapName::from_bytes(name))?);
    cache.insert(name.to_vec(), cmap.clone());
    Some(cmap)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_collection_maps_cids_to_unicode() {
        // CID 1 is the space in all four; then a kana, a hanzi and a hangul syllable.
        let japan = Collection::named(b"Adobe", b"Japan1").unwrap();
        assert_eq!(japan.text(1).as_deref(), Some(" "));
        assert_eq!(japan.text(843).as_deref(), Some("あ"));
        let gb = Collection::named(b"Adobe", b"GB1").unwrap();
        assert_eq!(gb.text(34).as_deref(), Some("A"));
        assert!(
            Collection::named(b"Adobe", b"CNS1")
                .unwrap()
                .text(34)
                .is_some()
        );
        assert!(
            Collection::named(b"Adobe", b"Korea1")
                .unwrap()
                .text(34)
                .is_some()
        );
        assert!(Collection::named(b"Adobe", b"Identity").is_none());
        assert!(Collection::named(b"Acme", b"Japan1").is_none());
    }

    #[test]
    fn a_variant_form_reads_as_its_base_character() {
        // Adobe-GB1 CID 0x560F is 郎 with a variation selector, Adobe-Japan1 CID 0xE6 a
        // slashed zero.
        let gb = Collection::named(b"Adobe", b"GB1").unwrap();
        assert_eq!(gb.text(0x560F).as_deref(), Some("\u{90CE}"));
        let japan = Collection::named(b"Adobe", b"Japan1").unwrap();
        assert_eq!(japan.text(0xE6).as_deref(), Some("0"));
    }

    #[test]
    fn a_predefined_jis_cmap_maps_row_and_cell_to_a_cid() {
        // "H" is JIS X 0208: 0x2422 is あ, CID 843 in Adobe-Japan1.
        let h = predefined(b"H").unwrap();
        assert_eq!(h.lookup_cid_code(0x2422, 2), Some(843));
        assert!(predefined(b"No-Such-CMap").is_none());
    }
}
