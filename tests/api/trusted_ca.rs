//! A webhook or token endpoint whose https certificate comes from a private CA: trusted through `hooks.ca_file` / `oauth2.ca_file`, refused without.
use smartacct::store::OutboxStatus;

use crate::helpers::*;

const TOKEN: &str = r#"{"access_token":"tok-private-ca","token_type":"Bearer","expires_in":3600}"#;

fn hooks_to(receiver: &Receiver, ca_file: Option<&std::path::Path>) -> DeskOptions {
    let ca = ca_file.map(|p| format!("ca_file = {:?}\n", p.display().to_string())).unwrap_or_default();
    DeskOptions {
        review: false,
        extra: format!("\n[hooks]\nwebhook_url = {:?}\n{ca}", receiver.url),
        ..Default::default()
    }
}

#[tokio::test]
async fn a_webhook_behind_a_private_ca_gets_its_event_once_hooks_ca_file_names_that_ca() {
    let receiver = Receiver::start_https().await;
    let desk = TestDesk::with(hooks_to(&receiver, None)).await;
    let p = People::new();
    Outgoing::text(&p.partner, &desk.address, "Smart Account request", &p.form_en()).send().await;
    desk.poll(1).await;

    // The system's roots do not vouch for it: a failed attempt, the event stays queued.
    let hooks = desk.app.store.list_hooks(false).await.unwrap();
    assert_eq!(hooks.len(), 1, "{hooks:?}");
    assert_eq!(hooks[0].status, OutboxStatus::Pending, "{hooks:?}");
    let error = hooks[0].last_error.clone().unwrap_or_default();
    assert!(error.contains("certificate") || error.contains("UnknownIssuer"), "a TLS error: {error}");
    assert!(receiver.posted().is_empty(), "nothing was sent over a connection it did not trust");

    // Named in hooks.ca_file, the CA is trusted (beside the system's roots).
    let desk = desk.reconfigure(hooks_to(&receiver, Some(&ca_file()))).await;
    desk.poll(1).await;
    let delivered = receiver.delivered();
    assert_eq!(delivered.len(), 1, "{delivered:?}");
    assert_eq!(delivered[0].json()["type"], "request.pending_customer_acceptance");
    let hooks = desk.app.store.list_hooks(false).await.unwrap();
    assert_eq!(hooks[0].status, OutboxStatus::Sent, "{hooks:?}");
}

/// A desk whose IMAP logs in with XOAUTH2, its tokens from `token_url`
/// (the main stack's Dovecot refuses them: only the token request matters here).
async fn desk_with_token_url(token_url: &str, ca_file: Option<&std::path::Path>) -> TestDesk {
    let desk = TestDesk::spawn().await;
    let secret_file = desk.dir.path().join("client_secret");
    std::fs::write(&secret_file, "s3cret-client\n").unwrap();
    let ca = ca_file.map(|p| format!("ca_file = {:?}\n", p.display().to_string())).unwrap_or_default();
    let base = std::fs::read_to_string(&desk.config).unwrap();
    let config = format!(
        "{}\n[oauth2]\ntoken_url = {token_url:?}\nclient_id = \"desk\"\nclient_secret_file = {:?}\n{ca}",
        base.replacen("[imap]\n", "[imap]\nauth = \"xoauth2\"\n", 1),
        secret_file.display().to_string()
    );
    std::fs::write(&desk.config, config).unwrap();
    desk
}

#[tokio::test]
async fn a_token_endpoint_behind_a_private_ca_is_asked_once_oauth2_ca_file_names_that_ca() {
    let endpoint = Receiver::start_https().await;
    endpoint.answer_json(200, TOKEN);

    let desk = desk_with_token_url(&endpoint.url, None).await;
    let out = desk.bin().args(["check-config", "--connect"]).output().unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(stdout.contains("certificate") || stdout.contains("UnknownIssuer"), "a TLS error:\n{stdout}\n{stderr}");
    assert!(endpoint.posted().is_empty(), "the client secret went over a connection it did not trust");

    let desk = desk_with_token_url(&endpoint.url, Some(&ca_file())).await;
    let out = desk.bin().args(["check-config", "--connect"]).output().unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(!stdout.contains("UnknownIssuer"), "{stdout}");
    // Asked for (again once when the main stack's Dovecot refuses the token, as for any refused token).
    let posted = endpoint.posted();
    assert!(!posted.is_empty(), "the token was asked for:\n{stdout}\n{stderr}");
    for asked in &posted {
        assert!(asked.body.contains("grant_type=client_credentials"), "{}", asked.body);
    }
}

#[tokio::test]
async fn check_config_names_hooks_ca_file_and_oauth2_ca_file_when_they_hold_no_certificate() {
    let desk = TestDesk::spawn().await;
    let not_pem = desk.dir.path().join("not-a-ca.pem");
    std::fs::write(&not_pem, "not a certificate\n").unwrap();
    let secret_file = desk.dir.path().join("client_secret");
    std::fs::write(&secret_file, "s3cret-client\n").unwrap();
    let base = std::fs::read_to_string(&desk.config).unwrap();
    let hooks = |ca: &str| format!("{base}\n[hooks]\nwebhook_url = \"https://127.0.0.1:9/hook\"\nca_file = {ca:?}\n");
    let oauth2 = |ca: &str| {
        format!(
            "{}\n[oauth2]\ntoken_url = \"https://127.0.0.1:9/token\"\nclient_id = \"desk\"\nclient_secret_file = {:?}\nca_file = {ca:?}\n",
            base.replacen("[imap]\n", "[imap]\nauth = \"xoauth2\"\n", 1),
            secret_file.display().to_string()
        )
    };
    let ca = ca_file().display().to_string();
    let not_pem = not_pem.display().to_string();
    for (config, key, problem) in [
        (hooks("/nonexistent/ca.pem"), "hooks.ca_file", "cannot read /nonexistent/ca.pem"),
        (hooks(&not_pem), "hooks.ca_file", "holds no PEM certificate"),
        (oauth2("/nonexistent/ca.pem"), "oauth2.ca_file", "cannot read /nonexistent/ca.pem"),
        (oauth2(&not_pem), "oauth2.ca_file", "holds no PEM certificate"),
        (
            format!("{base}\n[oauth2]\ntoken_command = \"echo tok\"\nca_file = {ca:?}\n"),
            "oauth2.ca_file",
            "cannot be used with oauth2.token_command",
        ),
    ] {
        std::fs::write(&desk.config, &config).unwrap();
        let out = desk.bin().arg("check-config").output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{key}: {stderr}");
        assert!(stderr.contains(key) && stderr.contains(problem), "{key}, {problem}: {stderr}");
    }
    for config in [hooks(&ca), oauth2(&ca)] {
        std::fs::write(&desk.config, &config).unwrap();
        let out = desk.bin().arg("check-config").output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    }
}
