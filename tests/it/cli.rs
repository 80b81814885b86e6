//! The command line as scripts call it.

use crate::common::fixture;
use std::process::Command;

fn cairn() -> Command {
    Command::new(env!("CARGO_BIN_EXE_cairn"))
}

#[test]
fn ingest_reports_refused_files_and_exits_2_but_commits_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let out = cairn()
        .args(["ingest", "--index"])
        .arg(&index)
        .arg(fixture("two-page-review.pdf"))
        .arg(fixture("password.pdf"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("password.pdf: the file is encrypted with a password"),
        "{stderr}"
    );
    assert!(stderr.contains("1 ingested"), "{stderr}");

    let out = cairn()
        .args(["search", "bruising", "--json", "--index"])
        .arg(&index)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["total"], 1);
    assert_eq!(v["hits"][0]["passages"][0]["page"], 2);

    // The same file again changes nothing.
    let out = cairn()
        .args(["ingest", "--index"])
        .arg(&index)
        .arg(fixture("two-page-review.pdf"))
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("0 ingested, 1 unchanged"));
}

#[test]
fn extract_json_has_the_documented_shape() {
    let out = cairn()
        .args(["extract", "--json"])
        .arg(fixture("two-page-review.pdf"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["format"], "pdf");
    assert_eq!(v["pages"][0]["number"], 1);
    assert!(
        v["pages"][1]["text"]
            .as_str()
            .unwrap()
            .contains("Page 2 of 2")
    );
    for key in ["sections", "languages", "metadata", "warnings"] {
        assert!(!v[key].is_null(), "{key}");
    }
}

#[test]
fn extract_facets_shows_each_value_with_its_sentences_and_pages() {
    let out = cairn()
        .args(["extract", "--facets", "--json"])
        .arg(fixture("two-page-review.pdf"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let risks = v["facets"]["risk_factors"].as_array().unwrap();
    assert!(risks.iter().any(|r| r == "domestic-abuse"), "{v}");
    // Ruled out in the text, so not a tag.
    assert!(!risks.iter().any(|r| r == "parental-drug-misuse"), "{v}");
    let evidence = v["evidence"].as_array().unwrap();
    let da = evidence
        .iter()
        .find(|e| e["facet"] == "risk" && e["value"] == "domestic-abuse")
        .unwrap();
    assert!(da["passages"][0]["page"].as_u64().is_some(), "{da}");
}

#[test]
fn extract_json_error_exits_2_with_the_error_object() {
    let out = cairn()
        .args(["extract", "--json"])
        .arg(fixture("password.pdf"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["error"]["code"], "encrypted");
}

#[test]
fn serve_refuses_a_public_address_without_keys() {
    let dir = tempfile::tempdir().unwrap();
    let out = cairn()
        .args(["serve", "--addr", "0.0.0.0:0", "--index"])
        .arg(dir.path().join("index"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("refusing to listen on 0.0.0.0"), "{stderr}");
    assert!(
        stderr.contains("cairn keys add --role"),
        "says how to add a key: {stderr}"
    );
}

#[test]
fn keys_are_printed_once_and_listed_without_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let out = cairn()
        .args([
            "keys",
            "add",
            "--role",
            "curator",
            "--name",
            "ci-curator",
            "--index",
        ])
        .arg(&index)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let key = stdout.lines().last().unwrap().trim().to_string();
    assert!(key.starts_with("cairn_"), "{stdout}");
    let list = cairn()
        .args(["keys", "list", "--index"])
        .arg(&index)
        .output()
        .unwrap();
    let listed = String::from_utf8_lossy(&list.stdout);
    assert!(listed.contains("ci-curator\tcurator"), "{listed}");
    assert!(!listed.contains(&key));
    let stored = std::fs::read_to_string(dir.path().join("keys.json")).unwrap();
    assert!(!stored.contains(&key[6..]));
    let revoke = cairn()
        .args(["keys", "revoke", "ci-curator", "--index"])
        .arg(&index)
        .output()
        .unwrap();
    assert!(revoke.status.success());
}

#[test]
fn check_reports_planted_personal_data_and_exits_2() {
    let out = cairn()
        .arg("check")
        .arg(fixture("planted-phone.docx"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stdout).contains("phone: 07700 900123"));
    let clean = cairn()
        .arg("check")
        .arg(fixture("two-page-review.pdf"))
        .output()
        .unwrap();
    assert_eq!(
        clean.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&clean.stdout)
    );
}
