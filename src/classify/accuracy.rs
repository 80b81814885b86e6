//! How often each facet value is right, as measured: `index-config/accuracy.toml`.
//!
//! `cairn eval facets --write-accuracy FILE SET...` writes it from the labelled sets it scores
//! (the shipped file: the held-out parts, which the rules are never tuned on). The API hands it
//! out with the taxonomy, so that a researcher who counts the reviews tagged with a value can
//! say how far that count is to be trusted.

use super::taxonomy::TaxonomyError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// The shipped measurement, compiled into the binary with the taxonomy it measures.
pub const BUILTIN: &str = include_str!("../../index-config/accuracy.toml");

/// Per group and value, how the classifier did on a labelled set.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Accuracy {
    /// What was measured: "48 held-out reviews (tests/data/labelled/heldout, …)".
    pub measured_on: String,
    /// group → value → counts.
    #[serde(default)]
    pub values: BTreeMap<String, BTreeMap<String, Measured>>,
    /// group → value → a second, independent coder's labels counted against the first's, on
    /// the reviews coded twice: how far careful readers agree on the value at all.
    #[serde(default)]
    pub readers: BTreeMap<String, BTreeMap<String, Measured>>,
}

/// One value's counts against the labels.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Measured {
    pub true_positive: u32,
    pub false_positive: u32,
    pub false_negative: u32,
}

/// A value's measured accuracy as the API gives it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValueAccuracy {
    /// Of the reviews cairn tagged with the value, the share the labels agree with; `None`
    /// when it tagged none.
    pub precision: Option<f64>,
    /// Of the reviews labelled with the value, the share cairn tagged; `None` when none was
    /// labelled with it.
    pub recall: Option<f64>,
    /// Reviews cairn tagged, and reviews labelled, in the measurement.
    pub assigned: u32,
    pub labelled: u32,
    /// The 95% intervals of precision and recall ([`interval95`]): how far the figures could
    /// move on another sample of reviews like the one measured.
    pub precision_interval: Option<[f64; 2]>,
    pub recall_interval: Option<[f64; 2]>,
    /// Where two readers coded the same reviews, the share of their tags for this value that
    /// they both gave (2 × both / (first + second)); absent where neither gave it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub readers_agree: Option<f64>,
    pub measured_on: String,
}

/// How many reviews of a collection likely carry a value, from how many cairn tagged and how
/// right its tags were when measured: of `count` tagged, a share `precision` is right, and
/// those are a share `recall` of all that carry it, so about `count × precision / recall` do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Estimate {
    /// The estimate, to the nearest review.
    pub reviews: u64,
    /// The same count taken through the ends of the two 95% intervals (lowest precision over
    /// highest recall, highest over lowest), rounded outwards: a range, not a point.
    pub interval: [u64; 2],
}

/// Below this measured recall a count is not scaled: tags that find under half of what is
/// there say more about the labels than about the collection (a practice theme found 3 times in
/// 46 would multiply every count by fifteen).
pub const MIN_RECALL_TO_ESTIMATE: f64 = 0.5;

impl ValueAccuracy {
    /// The estimate for `count` tagged reviews out of `total` in the collection, never above
    /// `total`; `None` where there is nothing to scale (no review tagged, precision or recall
    /// not measured, or recall below [`MIN_RECALL_TO_ESTIMATE`]).
    pub fn estimate(&self, count: u64, total: u64) -> Option<Estimate> {
        let (p, r) = (self.precision?, self.recall?);
        let ([p_lo, p_hi], [r_lo, r_hi]) = (self.precision_interval?, self.recall_interval?);
        if count == 0 || r < MIN_RECALL_TO_ESTIMATE || r_lo <= 0.0 {
            return None;
        }
        let c = count as f64;
        let most = total.max(count);
        Some(Estimate {
            reviews: ((c * p / r).round() as u64).min(most),
            interval: [
                ((c * p_lo / r_hi).floor() as u64).min(most),
                ((c * p_hi / r_lo).ceil() as u64).min(most),
            ],
        })
    }
}

impl Accuracy {
    /// The measurement shipped with the binary.
    pub fn builtin() -> Accuracy {
        Accuracy::parse(BUILTIN, "index-config/accuracy.toml")
            .expect("the built-in accuracy file is valid (checked by a unit test)")
    }

    /// Read a measurement file (its errors are the taxonomy's, which it is loaded with).
    pub fn from_disk(path: &Path) -> Result<Accuracy, TaxonomyError> {
        let text = std::fs::read_to_string(path).map_err(|source| TaxonomyError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Accuracy::parse(&text, &path.display().to_string())
    }

    pub fn parse(text: &str, origin: &str) -> Result<Accuracy, TaxonomyError> {
        toml::from_str(text).map_err(|source| TaxonomyError::Parse {
            path: origin.to_string(),
            source: Box::new(source),
        })
    }

    /// The file's text, with a header that says how to make it again.
    pub fn to_toml(&self, command: &str) -> String {
        let body = toml::to_string(self).expect("plain counts serialize");
        format!(
            "# Measured accuracy of each facet value, written by\n#   {command}\n# Do not edit: \
             run it again after changing the rules.\n\n{body}"
        )
    }

    /// A value's accuracy; `None` when the measurement never met it (neither labelled nor
    /// assigned).
    pub fn get(&self, group: &str, value: &str) -> Option<ValueAccuracy> {
        let measured = self.values.get(group).and_then(|v| v.get(value));
        let readers = self.readers.get(group).and_then(|r| r.get(value));
        if measured.is_none() && readers.is_none() {
            return None;
        }
        let m = measured.copied().unwrap_or_default();
        // Nothing to divide by is no measurement, not a perfect one.
        let ratio = |a: u32, b: u32| {
            (b > 0).then(|| (f64::from(a) / f64::from(b) * 1000.0).round() / 1000.0)
        };
        let assigned = m.true_positive + m.false_positive;
        let labelled = m.true_positive + m.false_negative;
        Some(ValueAccuracy {
            precision: ratio(m.true_positive, assigned),
            recall: ratio(m.true_positive, labelled),
            assigned,
            labelled,
            precision_interval: interval95(m.true_positive, assigned),
            recall_interval: interval95(m.true_positive, labelled),
            readers_agree: readers.and_then(|r| {
                let both = 2 * r.true_positive;
                ratio(both, both + r.false_positive + r.false_negative)
            }),
            measured_on: self.measured_on.clone(),
        })
    }
}

/// The 95% Wilson score interval of `hits` out of `trials`, to three places; `None` for no
/// trials. A figure from few reviews is a wide interval, not a bare proportion: 5 of 6 is
/// 0.436–0.970, where 50 of 60 is 0.720–0.907.
pub fn interval95(hits: u32, trials: u32) -> Option<[f64; 2]> {
    if trials == 0 {
        return None;
    }
    const Z: f64 = 1.959_964;
    let n = f64::from(trials);
    let p = f64::from(hits.min(trials)) / n;
    let z2 = Z * Z;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = Z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / (1.0 + z2 / n);
    let round = |x: f64| (x.clamp(0.0, 1.0) * 1000.0).round() / 1000.0;
    Some([round(centre - half), round(centre + half)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_measurement_is_valid_and_covers_the_main_values() {
        let a = Accuracy::builtin();
        assert!(a.measured_on.contains("heldout"), "{}", a.measured_on);
        for (group, value) in [
            ("theme", "neglect"),
            ("risk", "domestic-abuse"),
            ("age", "under-1"),
        ] {
            let v = a
                .get(group, value)
                .unwrap_or_else(|| panic!("{group}/{value}"));
            assert!(v.labelled > 0 && v.recall.is_some_and(|r| (0.0..=1.0).contains(&r)));
        }
    }

    #[test]
    fn intervals_are_wilson_scores_that_narrow_with_more_reviews() {
        // (p + z²/2n ± z·√(p(1-p)/n + z²/4n²)) / (1 + z²/n), worked by hand.
        assert_eq!(interval95(5, 6), Some([0.436, 0.97]));
        assert_eq!(interval95(50, 60), Some([0.72, 0.907]));
        // All or nothing still leaves room on the open side.
        assert_eq!(interval95(10, 10), Some([0.722, 1.0]));
        assert_eq!(interval95(0, 10), Some([0.0, 0.278]));
        assert_eq!(interval95(3, 0), None);
        let width = |i: Option<[f64; 2]>| i.map(|[lo, hi]| hi - lo).unwrap();
        assert!(width(interval95(48, 58)) < width(interval95(8, 10)));
    }

    #[test]
    fn a_tagged_count_is_scaled_by_precision_over_recall_within_the_intervals() {
        // 40 tagged; measured 46 right of 50 tagged (0.92, 0.812–0.968) and 46 of 59 labelled
        // found (0.78, 0.659–0.866): about 40 × 0.92 / 0.78 = 47.2 carry it, between
        // 40 × 0.812 / 0.866 = 37.5 and 40 × 0.968 / 0.659 = 58.8.
        let mut a = Accuracy::default();
        a.values.entry("risk".into()).or_default().insert(
            "parental-drug-misuse".into(),
            Measured {
                true_positive: 46,
                false_positive: 4,
                false_negative: 13,
            },
        );
        let v = a.get("risk", "parental-drug-misuse").unwrap();
        assert_eq!(v.precision_interval, Some([0.812, 0.968]));
        assert_eq!(v.recall_interval, Some([0.659, 0.866]));
        assert_eq!(
            v.estimate(40, 200),
            Some(Estimate {
                reviews: 47,
                interval: [37, 59],
            })
        );
        // Never more than the collection holds.
        assert_eq!(
            v.estimate(40, 50),
            Some(Estimate {
                reviews: 47,
                interval: [37, 50],
            })
        );
        // Nothing tagged, or nothing ever found: nothing to scale.
        assert_eq!(v.estimate(0, 200), None);
        a.values.get_mut("risk").unwrap().insert(
            "young-carer".into(),
            Measured {
                true_positive: 0,
                false_positive: 1,
                false_negative: 3,
            },
        );
        assert_eq!(a.get("risk", "young-carer").unwrap().estimate(5, 200), None);
        // Found 3 times in 46: scaling by that says more about the labels than the collection.
        a.values.get_mut("risk").unwrap().insert(
            "hidden-men".into(),
            Measured {
                true_positive: 3,
                false_positive: 0,
                false_negative: 43,
            },
        );
        assert_eq!(a.get("risk", "hidden-men").unwrap().estimate(5, 200), None);
    }

    #[test]
    fn counts_give_rounded_precision_and_recall_and_survive_a_round_trip() {
        let mut a = Accuracy {
            measured_on: "3 reviews".into(),
            ..Accuracy::default()
        };
        a.values.entry("risk".into()).or_default().insert(
            "poverty".into(),
            Measured {
                true_positive: 2,
                false_positive: 1,
                false_negative: 0,
            },
        );
        a.readers.entry("risk".into()).or_default().insert(
            "poverty".into(),
            Measured {
                true_positive: 3,
                false_positive: 1,
                false_negative: 1,
            },
        );
        let v = a.get("risk", "poverty").unwrap();
        assert_eq!((v.precision, v.recall), (Some(0.667), Some(1.0)));
        assert_eq!(v.precision_interval, interval95(2, 3));
        assert_eq!(v.recall_interval, interval95(2, 2));
        assert_eq!(v.readers_agree, Some(0.75));
        assert_eq!((v.assigned, v.labelled), (3, 2));
        // Never tagged, or never labelled: no figure rather than a perfect one.
        let never = Measured {
            true_positive: 0,
            false_positive: 0,
            false_negative: 2,
        };
        a.values
            .get_mut("risk")
            .unwrap()
            .insert("young-carer".into(), never);
        let v = a.get("risk", "young-carer").unwrap();
        assert_eq!((v.precision, v.recall), (None, Some(0.0)));
        assert_eq!(v.precision_interval, None);
        assert_eq!((v.assigned, v.labelled), (0, 2));
        assert_eq!(a.get("risk", "hidden-men"), None);
        let text = a.to_toml("cairn eval facets --write-accuracy x.toml");
        assert!(text.starts_with("# Measured accuracy"));
        assert_eq!(Accuracy::parse(&text, "x.toml").unwrap(), a);
    }
}
