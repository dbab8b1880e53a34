//! `[dkim]`: every email the desk sends arrives signed, and an independent verifier (dkimpy) accepts it.
use std::path::PathBuf;

use crate::helpers::*;

fn key(name: &str) -> PathBuf {
    repo().join("tests/fixtures/dkim").join(name)
}

async fn signing_desk(key_file: &str) -> TestDesk {
    TestDesk::with(DeskOptions {
        extra: format!(
            "[dkim]\ndomain = \"example.test\"\nselector = \"sa2026\"\nprivate_key_file = {:?}\n",
            key(key_file).display().to_string()
        ),
        ..Default::default()
    })
    .await
}

/// What dkimpy says about these bytes, the public key derived from `key_file` by openssl.
fn verifies(raw: &[u8], key_file: &str) -> bool {
    let dir = tempfile::tempdir().unwrap();
    let eml = dir.path().join("received.eml");
    std::fs::write(&eml, raw).unwrap();
    // The Debian python3-dkim that mailstack.sh installs, whatever python3 comes first on PATH.
    let python = if std::path::Path::new("/usr/bin/python3").exists() { "/usr/bin/python3" } else { "python3" };
    let out = std::process::Command::new(python)
        .arg(repo().join("tests/api/dkim_verify.py"))
        .arg(&eml)
        .arg(key(key_file))
        .output()
        .expect("python3 runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("Traceback"), "the verifier failed to run (is python3-dkim installed?):\n{stderr}");
    out.status.success()
}

#[tokio::test]
async fn every_email_arrives_with_a_signature_that_dkimpy_verifies_rsa() {
    let desk = signing_desk("rsa2048.pkcs1.pem").await;
    let p = People::new();
    // French: encoded subject words and a base64 body.
    Outgoing::text(&p.partner, &desk.address, "Demande de Smart Account", &p.form_fr()).send().await;
    desk.poll(1).await;
    let review = inbox(&p.partner, 1).await.remove(0);
    let signature = review.header("DKIM-Signature").expect("the review is signed");
    assert!(signature.contains("a=rsa-sha256") && signature.contains("c=relaxed/relaxed"), "{signature}");
    assert!(signature.contains("d=example.test") && signature.contains("s=sa2026"), "{signature}");
    for h in ["from", "to", "subject", "date", "message-id", "reply-to", "in-reply-to", "references", "auto-submitted"]
    {
        assert!(signature.contains(h), "{h} is signed: {signature}");
    }
    assert!(verifies(&review.raw, "rsa2048.pkcs1.pem"), "the review verifies");

    // An answer with In-Reply-To/References, and the activation to the customer.
    review.send_reply(&p.partner, "Envoyer").await;
    desk.poll(2).await;
    let complete = inbox_exactly(&p.partner, 2).await.remove(1);
    assert!(complete.header("In-Reply-To").is_some());
    assert!(verifies(&complete.raw, "rsa2048.pkcs1.pem"), "the answer verifies");
    let activation = inbox_exactly(&p.customer, 1).await.remove(0);
    assert!(verifies(&activation.raw, "rsa2048.pkcs1.pem"), "the activation verifies");

    // The verifier does check: one changed body byte, and it fails.
    let mut tampered = activation.raw.clone();
    let at = tampered.len() - 10;
    tampered[at] = if tampered[at] == b'A' { b'B' } else { b'A' };
    assert!(!verifies(&tampered, "rsa2048.pkcs1.pem"), "a changed message no longer verifies");
}

#[tokio::test]
async fn ed25519_and_pkcs8_rsa_keys_sign_too() {
    for file in ["ed25519.pem", "rsa2048.pkcs8.pem"] {
        let desk = signing_desk(file).await;
        let p = People::new();
        Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
        desk.poll(1).await;
        let review = inbox(&p.partner, 1).await.remove(0);
        assert!(verifies(&review.raw, file), "the review signed with {file} verifies");
    }
}

#[tokio::test]
async fn check_config_names_the_key_file_when_the_key_is_unusable() {
    let desk = TestDesk::spawn().await;
    let junk = desk.dir.path().join("junk.pem");
    std::fs::write(&junk, "-----BEGIN RSA PRIVATE KEY-----\nnot base64\n-----END RSA PRIVATE KEY-----\n").unwrap();
    let cases = [
        (desk.dir.path().join("missing.pem"), "cannot read"),
        (junk, "not a PKCS#1 RSA key"),
        (key("rsa512.pem"), "512 bits"),
    ];
    let base = std::fs::read_to_string(&desk.config).unwrap();
    for (path, why) in cases {
        let text = format!("{base}\n[dkim]\nselector = \"s\"\nprivate_key_file = {:?}\n", path.display().to_string());
        std::fs::write(&desk.config, text).unwrap();
        let out = desk.bin().arg("check-config").output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("dkim.private_key_file") && stderr.contains(why), "{why}: {stderr}");
    }
}
