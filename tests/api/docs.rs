//! The reference in docs/ held to the code: every configuration key, command, option and metric series has its entry (and every entry its thing), the links resolve, and no user-facing text cites a contract outside the repository.
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use clap::CommandFactory as _;
use smartacct::configuration::keys;

use crate::helpers::*;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The text of every `### `heading`` of a page, the backticks removed.
fn code_headings(markdown: &str) -> BTreeSet<String> {
    markdown.lines().filter_map(|l| l.strip_prefix("### `")?.strip_suffix('`')).map(str::to_string).collect()
}

/// A page's part under one `### `heading``, up to the next heading of its level or above.
fn part<'a>(page: &'a str, heading: &str) -> Option<&'a str> {
    let (_, rest) = page.split_once(&format!("### `{heading}`\n"))?;
    let end = [rest.find("\n### "), rest.find("\n## ")].into_iter().flatten().min().unwrap_or(rest.len());
    Some(&rest[..end])
}

fn differences(what: &str, code: &BTreeSet<String>, page: &str, documented: &BTreeSet<String>) -> Vec<String> {
    let mut problems = Vec::new();
    for missing in code.difference(documented) {
        problems.push(format!("{what} {missing} is not in {page}"));
    }
    for extra in documented.difference(code) {
        problems.push(format!("{page} documents {what} {extra}, which the code does not have"));
    }
    problems
}

#[test]
fn every_key_the_configuration_reader_accepts_is_in_configuration_md_and_no_other() {
    let page = read("docs/configuration.md");
    let problems = differences("key", &keys::read_by_the_code(), "docs/configuration.md", &code_headings(&page));
    assert!(
        problems.is_empty(),
        "{}\n(add the key to src/configuration/keys.rs, then `cargo xtask docs`)",
        problems.join("\n")
    );
    let made = keys::with_reference(&page).expect("docs/configuration.md keeps the reference's markers");
    assert!(
        made == page,
        "docs/configuration.md's reference differs from src/configuration/keys.rs: run `cargo xtask docs`"
    );
}

/// `section.key` of every key line, live or commented out, of a TOML file
/// whose comments show keys as `# key = …` under `[section]` or `# [section]`.
fn example_keys(toml: &str) -> BTreeSet<String> {
    let mut section = None;
    let mut keys = BTreeSet::new();
    for line in toml.lines() {
        let line = line.trim_start_matches('#').trim();
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.split(']').next()) {
            section = Some(name.to_string()).filter(|n| n.chars().all(|c| c.is_ascii_lowercase() || c == '2'));
            continue;
        }
        let Some((key, _)) = line.split_once('=') else { continue };
        let key = key.trim();
        if let Some(section) = &section
            && !key.is_empty()
            && key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            keys.insert(format!("{section}.{key}"));
        }
    }
    keys
}

#[test]
fn the_example_configuration_names_every_key_the_reader_accepts_and_no_other() {
    let example = read("config/smartacct.example.toml");
    let problems = differences(
        "key",
        &keys::read_by_the_code(),
        "config/smartacct.example.toml (the package's conffile)",
        &example_keys(&example),
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Every command a user can type (`requests list`, …), with the long options it takes.
fn commands() -> Vec<(String, Vec<String>)> {
    fn walk(prefix: &str, cmd: &clap::Command, out: &mut Vec<(String, Vec<String>)>) {
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            let path = format!("{prefix} {}", sub.get_name());
            if sub.has_subcommands() {
                walk(&path, sub, out);
            } else {
                let mut options: Vec<String> = sub
                    .get_arguments()
                    .filter(|a| !a.is_global_set())
                    .map(|a| match a.get_long() {
                        Some(long) => format!("--{long}"),
                        None => a.get_id().as_str().to_uppercase(),
                    })
                    .filter(|o| o != "--help" && o != "HELP")
                    .collect();
                options.sort();
                out.push((path, options));
            }
        }
    }
    let mut out = Vec::new();
    walk("smartacct", &smartacct::cli::Cli::command(), &mut out);
    out
}

#[test]
fn every_command_and_option_of_the_command_line_is_in_commands_md_and_no_other() {
    let page = read("docs/commands.md");
    let all = commands();
    let code: BTreeSet<String> = all.iter().map(|(c, _)| c.clone()).collect();
    let mut problems = differences("command", &code, "docs/commands.md", &code_headings(&page));
    // Each command's own part of the page (up to the next heading) names each of its options.
    for (command, options) in &all {
        let Some(part) = part(&page, command) else { continue };
        for option in options {
            if !part.contains(option.as_str()) {
                problems.push(format!("docs/commands.md: `{command}` does not name {option}"));
            }
        }
    }
    for global in ["--config", "--help", "--version"] {
        if !page.contains(global) {
            problems.push(format!("docs/commands.md does not name {global}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[tokio::test]
async fn every_series_the_metrics_listener_exposes_is_in_metrics_md_and_no_other() {
    let port = crate::metrics::free_port();
    let desk = TestDesk::with(crate::metrics::with_metrics(DeskOptions::default(), port)).await;
    let mut run = desk.start(&["run"], &[]);
    crate::metrics::wait_status(port, "/readyz", 200).await;
    let scrape = crate::metrics::get(port, "/metrics").await.expect("a scrape").1;
    run.signal("-TERM");
    assert_eq!(run.exit().await.code(), Some(0), "{}", run.log());

    let series: BTreeSet<String> = scrape
        .lines()
        .filter_map(|l| l.strip_prefix("# TYPE ")?.split_whitespace().next())
        .map(str::to_string)
        .collect();
    assert!(series.len() >= 10, "{scrape}");
    let page = read("docs/metrics.md");
    let mut problems = differences("series", &series, "docs/metrics.md", &code_headings(&page));
    // Each label a series carries is named in its part of the page.
    for line in scrape.lines().filter(|l| !l.starts_with('#')) {
        let Some((name, labels)) = line.split_once('{') else { continue };
        let name = ["_bucket", "_sum", "_count"].iter().fold(name, |n, s| n.strip_suffix(s).unwrap_or(n));
        let Some(part) = part(&page, name) else { continue };
        for label in labels.split(',').filter_map(|l| l.split_once('=').map(|(k, _)| k.trim())) {
            if label != "le" && !part.contains(&format!("`{label}`")) {
                problems.push(format!("docs/metrics.md: {name} does not name its label `{label}`"));
            }
        }
    }
    problems.sort();
    problems.dedup();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_field_of_a_request_s_json_is_in_commands_md_and_events_md() {
    use smartacct::domain::{AccountDomain, EmailAddress, Locale, Reference, State};
    let address = |a: &str| EmailAddress::parse(a).unwrap();
    let request = smartacct::request::Request {
        id: None,
        reference: Reference::parse("SA-7K3QX9PD").unwrap(),
        state: State::Active,
        account_name: "Acme".into(),
        account_domain: AccountDomain::parse("acme.example").unwrap(),
        customer_email: address("jane@acme.example"),
        partner_email: address("paul@partner.example"),
        user_emails: vec![],
        note_to_customer: None,
        note_to_users: None,
        locale: Locale::En,
        created_at: chrono::Utc::now(),
        submitted_at: None,
        expires_at: None,
        activated_at: None,
        closed_at: None,
        last_reminder_days: None,
        partner_name: None,
        partner_company: None,
        erased_at: None,
    };
    let event: serde_json::Value =
        serde_json::from_str(&smartacct::hook_event::entered(&request, chrono::Utc::now()).body).unwrap();
    let mut problems = Vec::new();
    for (page, fields) in [
        ("docs/commands.md", event["request"].as_object().unwrap()),
        ("docs/events.md", event.as_object().unwrap()),
        ("docs/events.md", event["request"].as_object().unwrap()),
    ] {
        let text = read(page);
        for field in fields.keys() {
            if !text.contains(&format!("`{field}`")) && !text.contains(&format!("\"{field}\"")) {
                problems.push(format!("{page} does not name the field {field}"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The pages a reader of the repository (or of /usr/share/doc/smartacct) follows.
fn pages() -> Vec<String> {
    let mut pages = vec!["README.md".to_string(), "ARCHITECTURE.md".to_string(), "CHANGELOG.md".to_string()];
    let mut docs: Vec<String> = std::fs::read_dir(root().join("docs"))
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".md"))
        .map(|n| format!("docs/{n}"))
        .collect();
    docs.sort();
    pages.extend(docs);
    pages
}

/// A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces to hyphens.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-' || *c == '_')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// Every anchor of a page (a repeated heading gets `-1`, `-2`, … as on GitHub).
fn anchors(markdown: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut fenced = false;
    for line in markdown.lines() {
        if line.starts_with("```") {
            fenced = !fenced;
        }
        if fenced || !line.starts_with('#') {
            continue;
        }
        let base = anchor(line.trim_start_matches('#'));
        let mut name = base.clone();
        let mut n = 0;
        while seen.contains(&name) {
            n += 1;
            name = format!("{base}-{n}");
        }
        seen.insert(name);
    }
    seen
}

/// The targets of a page's Markdown links and images, outside code.
fn links(markdown: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut fenced = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        // Inline code is no link.
        let prose: String = line.split('`').step_by(2).collect::<Vec<_>>().join(" ");
        let mut rest = prose.as_str();
        while let Some(at) = rest.find("](") {
            let after = &rest[at + 2..];
            let end = after.find(')').unwrap_or(after.len());
            out.push(after[..end].trim().to_string());
            rest = &after[end..];
        }
    }
    out
}

#[test]
fn every_relative_link_of_the_readme_the_architecture_and_the_docs_resolves() {
    let mut problems = Vec::new();
    for page in pages() {
        let text = read(&page);
        let dir = Path::new(&page).parent().unwrap_or(Path::new(""));
        for link in links(&text) {
            if link.contains("://") || link.starts_with("mailto:") {
                continue;
            }
            let (file, fragment) = link.split_once('#').unwrap_or((&link, ""));
            let target = if file.is_empty() { PathBuf::from(&page) } else { dir.join(file) };
            if !root().join(&target).exists() {
                problems.push(format!("{page}: ({link}): {} does not exist", target.display()));
                continue;
            }
            if !fragment.is_empty() && target.extension().is_some_and(|e| e == "md") {
                let anchors = anchors(&std::fs::read_to_string(root().join(&target)).unwrap());
                if !anchors.contains(fragment) {
                    problems.push(format!("{page}: ({link}): no heading #{fragment} in {}", target.display()));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// What a reader without the project's working notes cannot follow.
fn cites_outside(text: &str) -> Option<&'static str> {
    ["SPEC §", "SPEC.md", "../shared", "SPEC's", "the SPEC"].into_iter().find(|s| text.contains(s))
}

#[test]
fn no_user_facing_text_cites_a_contract_outside_the_repository() {
    let mut problems = Vec::new();
    let mut texts: Vec<(String, String)> = pages().into_iter().map(|p| (read(&p), p)).map(|(t, p)| (p, t)).collect();
    for file in ["config/smartacct.example.toml", "config/monitoring/smartacct.rules.yml"] {
        texts.push((file.to_string(), read(file)));
    }
    // Every command's --help, as the man pages carry it.
    fn helps(cmd: &mut clap::Command, path: String, out: &mut Vec<(String, String)>) {
        out.push((format!("{path} --help"), cmd.render_long_help().to_string()));
        for sub in cmd.get_subcommands_mut() {
            let name = format!("{path} {}", sub.get_name());
            helps(sub, name, out);
        }
    }
    let mut cli = smartacct::cli::Cli::command();
    cli.build();
    helps(&mut cli, "smartacct".into(), &mut texts);
    for (name, text) in &texts {
        if let Some(cite) = cites_outside(text) {
            problems.push(format!("{name} cites {cite:?}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
