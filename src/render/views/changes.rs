//! The changes page of a language (`/changes/`): the latest additions and updates of
//! founders, companies, sectors and employers, newest first, and a link to their feed.
//! It lists at most `paginate` changes, whatever the size of the site.

use serde::Serialize;

use crate::content::Kind;
use crate::error::Diagnostic;
use crate::render::access::Reader;
use crate::render::access::{DateView, Ref};
use crate::render::assemble::{self, Rendering};
use crate::render::plan::PageId;

/// One change: when, what happened, to which profile.
#[derive(Serialize)]
struct ChangeRow<'a> {
    date: DateView,
    /// `added` or `updated`.
    change: &'static str,
    /// The kind's label in this language.
    kind: &'a str,
    profile: Ref<'a>,
}

#[derive(Serialize)]
struct Changes<'a> {
    changes: Vec<ChangeRow<'a>>,
    /// The feed of changes in this language.
    feed: String,
}

pub fn render(r: &Reader, id: PageId) -> Result<Rendering, Diagnostic> {
    let mut meta = assemble::meta(r, id);
    meta.kind = "changes";
    meta.title = format!("{} · {}", r.t("nav_changes")?, r.cfg().title[r.lang()]);
    let mut changes = Vec::new();
    for c in r.latest().changes.iter().take(r.cfg().paginate) {
        // The label of the kind, and a link to the profile.
        let key = match c.kind {
            Kind::Founder => "kind_founder",
            Kind::Company => "kind_company",
            Kind::Sector => "kind_sector",
            Kind::Employer => "kind_employer",
            Kind::Page => continue,
        };
        let profile = r.link(c.kind, c.i);
        changes.push(ChangeRow {
            date: r.date(c.when),
            change: if c.added { "added" } else { "updated" },
            kind: r.t(key)?,
            profile,
        });
    }
    let feed = r.cfg().base.link(&format!(
        "{}changes/atom.xml",
        r.cfg().lang_prefix(r.lang())
    ));
    assemble::finish(r, "changes.html", meta, None, Changes { changes, feed })
}
