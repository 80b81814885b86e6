//! Near-duplicate detection: MinHash signatures of a review's text, with LSH bands.
//!
//! The same review is often published twice: as PDF and as DOCX, or again with a new cover.
//! Their bytes differ, so their ids differ, but their words are nearly the same. A signature of
//! [`SIZE`] minimum hashes over 5-word shingles estimates the Jaccard similarity of two texts;
//! [`bands`] cut it into [`BANDS`] keys so that the index can find candidates with a term lookup
//! instead of comparing every pair. Hashes are FNV-1a and SplitMix64, fixed forever, because
//! signatures are stored in the index.
//!
//! Depends on nothing else in the crate.

/// Values in a signature.
pub const SIZE: usize = 64;
/// LSH bands (of `SIZE / BANDS` rows each). At 16 × 4, texts with Jaccard 0.8 share a band
/// with probability above 0.999; texts with Jaccard 0.3, about 0.12.
pub const BANDS: usize = 16;
/// Two texts at least this similar are one review.
pub const THRESHOLD: f64 = 0.8;
/// Words per shingle.
const SHINGLE: usize = 5;

/// A MinHash signature.
pub type Signature = Vec<u64>;

fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// The signature of a text; empty when the text has fewer words than a shingle.
pub fn signature(text: &str) -> Signature {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    if words.len() < SHINGLE {
        return Vec::new();
    }
    let mut mins = vec![u64::MAX; SIZE];
    for shingle in words.windows(SHINGLE) {
        let base = fnv1a(shingle.join(" ").as_bytes());
        for (i, min) in mins.iter_mut().enumerate() {
            let h = splitmix(base ^ (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
            if h < *min {
                *min = h;
            }
        }
    }
    mins
}

/// Estimated Jaccard similarity of two signatures.
pub fn similarity(a: &[u64], b: &[u64]) -> f64 {
    if a.len() != SIZE || b.len() != SIZE {
        return 0.0;
    }
    let same = a.iter().zip(b).filter(|(x, y)| x == y).count();
    same as f64 / SIZE as f64
}

/// Band keys of a signature, for candidate lookup.
pub fn bands(sig: &[u64]) -> Vec<String> {
    if sig.len() != SIZE {
        return Vec::new();
    }
    let rows = SIZE / BANDS;
    sig.chunks(rows)
        .enumerate()
        .map(|(i, chunk)| {
            let mut h = fnv1a(&(i as u64).to_le_bytes());
            for v in chunk {
                h = splitmix(h ^ v);
            }
            format!("{i:02}:{h:016x}")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "Child A was four months old when admitted to hospital with a head injury. \
        The health visitor had seen the baby at home twice and recorded no concerns. Mother's new \
        partner was not known to professionals. Information held by the police about his history \
        of domestic abuse was not shared with health or social work.";

    #[test]
    fn the_same_words_in_another_layout_are_one_review() {
        let reflowed = format!(
            "Significant Case Review\nChild A\n\n{}",
            TEXT.replace(". ", ".\n")
        );
        let s = similarity(&signature(TEXT), &signature(&reflowed));
        assert!(s >= THRESHOLD, "{s}");
        assert!(
            bands(&signature(TEXT))
                .iter()
                .any(|b| bands(&signature(&reflowed)).contains(b))
        );
    }

    #[test]
    fn different_reviews_are_not() {
        let other = "Young Person C was sixteen when he was stabbed. He had been reported missing \
            eleven times from his residential placement and was known to be selling drugs for an \
            organised group. Police intelligence was not passed to the home area.";
        assert!(similarity(&signature(TEXT), &signature(other)) < 0.2);
        assert!(signature("too short").is_empty());
    }
}
