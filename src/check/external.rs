//! `dossier check --external`: every link to another site fetched (HEAD, then GET),
//! concurrently, two at a time per host.

use std::collections::HashMap;
use std::time::Duration;

use crate::error::Diagnostic;

/// Fetches each `(url, page)` and reports the failures.
pub fn check(urls: &[(String, String)]) -> Vec<Diagnostic> {
    let mut by_host: HashMap<String, Vec<(String, String)>> = HashMap::new();
    for (u, from) in urls {
        let host = u
            .split("://")
            .nth(1)
            .and_then(|r| r.split('/').next())
            .unwrap_or("")
            .to_owned();
        by_host
            .entry(host)
            .or_default()
            .push((u.clone(), from.clone()));
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(10)))
        .http_status_as_error(false)
        .build()
        .into();
    let results = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for list in by_host.values() {
            for chunk in [
                list.iter().step_by(2).collect::<Vec<_>>(),
                list.iter().skip(1).step_by(2).collect::<Vec<_>>(),
            ] {
                let agent = agent.clone();
                let results = &results;
                s.spawn(move || {
                    for (u, from) in chunk {
                        if let Err(why) = fetch(&agent, u) {
                            if let Ok(mut r) = results.lock() {
                                r.push(Diagnostic::file(
                                    format!("output/{from}"),
                                    format!("external link `{u}` failed: {why}"),
                                ));
                            }
                        }
                    }
                });
            }
        }
    });
    let mut out = results.into_inner().unwrap_or_default();
    out.sort_by(|a, b| a.message.cmp(&b.message));
    out
}

fn fetch(agent: &ureq::Agent, url: &str) -> Result<(), String> {
    match agent.head(url).call() {
        Ok(r) if r.status().as_u16() < 400 => Ok(()),
        _ => match agent.get(url).call() {
            Ok(r) if r.status().as_u16() < 400 => Ok(()),
            Ok(r) => Err(format!("HTTP {}", r.status().as_u16())),
            Err(e) => Err(e.to_string()),
        },
    }
}
