//! `{{ count.founders }}` (and `companies`, `sectors`, `employers`) in the site's
//! description and in free pages: the number of published profiles of a kind, filled in at
//! render time, so that copy such as "14 位" cannot go stale when an editor adds a founder.

pub mod placeholders;

use std::borrow::Cow;

use crate::config::{Config, LangId};
use crate::deps::{self, Dep};
use crate::resolve::Site;
use placeholders::{placeholders, NAMES};

/// `text` with each placeholder replaced by `count(kind)`; each kind counted is recorded
/// as read (its set of profiles), so the dev server renders the page again when an editor
/// adds or removes one.
pub fn fill<'t>(text: &'t str, site: &Site) -> Cow<'t, str> {
    let mut out = String::new();
    let mut last = 0;
    for p in placeholders(text) {
        let Some((_, kind)) = NAMES.iter().find(|(n, _)| *n == p.name) else {
            continue;
        };
        deps::read(|| Dep::Members(*kind));
        out.push_str(&text[last..p.start]);
        out.push_str(&site.count(*kind).to_string());
        last = p.end;
    }
    if last == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[last..]);
    Cow::Owned(out)
}

/// The site's description in `lang`, counts filled in.
pub fn description<'c>(cfg: &'c Config, site: &Site, lang: LangId) -> Cow<'c, str> {
    fill(&cfg.description[lang], site)
}
