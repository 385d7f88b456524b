//! Share cards: what each card says (`card.svg` gets it as its context), per kind.

use serde::Serialize;

use crate::content::{Kind, Sector};
use crate::error::Diagnostic;
use crate::render::access::Reader;
use crate::resolve::graph::Rel;

/// The text of a card. Every value is plain text; Tera escapes it for XML.
#[derive(Debug, Clone, Serialize)]
pub struct CardView<'a> {
    /// `home`, `founder`, `company` or `sector`.
    pub kind: &'static str,
    pub lang: &'a str,
    pub site_title: String,
    /// The name in large type (the site's title on the home page's card).
    pub name: String,
    /// The former title of a founder, else a summary.
    pub subtitle: String,
    /// The former employer → company line; counts on a sector's and the home page's card.
    pub line: String,
}

impl CardView<'_> {
    /// The card's text in one line, for `og:image:alt`.
    pub fn alt(&self) -> String {
        let mut parts = vec![self.name.as_str()];
        parts.extend([&self.subtitle, &self.line].iter().map(|s| s.as_str()));
        if self.kind != "home" {
            parts.push(&self.site_title);
        }
        parts.retain(|p| !p.is_empty());
        parts.join(" · ")
    }
}

fn clean(s: &str) -> String {
    let s = crate::escape::xml_chars(s);
    crate::render::context::one_line(&s)
}

/// Joins names with the language's list separator.
fn list<'a>(r: &Reader, names: impl Iterator<Item = &'a str>) -> String {
    let sep = r.t("list_sep").unwrap_or(", ");
    let mut seen: Vec<&str> = Vec::new();
    for n in names {
        if !seen.contains(&n) {
            seen.push(n);
        }
    }
    seen.join(sep)
}

fn arrow(from: &str, to: &str) -> String {
    match (from.is_empty(), to.is_empty()) {
        (false, false) => format!("{from} → {to}"),
        (false, true) => from.to_owned(),
        _ => to.to_owned(),
    }
}

fn counts(r: &Reader, founders: usize, companies: usize) -> String {
    let n = |key: &str, v: usize| {
        r.t(key)
            .map(|s| s.replace("{n}", &v.to_string()))
            .unwrap_or_default()
    };
    format!(
        "{} · {}",
        n("count_founders", founders),
        n("count_companies", companies)
    )
}

/// The card of profile `of` (None: the home page) in the reader's language.
pub fn view<'a>(r: &Reader<'_, 'a>, of: Option<(Kind, usize)>) -> CardView<'a> {
    let title = r.title();
    let (kind, name, subtitle, line) = match of {
        None => {
            r.members(Kind::Founder);
            r.members(Kind::Company);
            (
                "home",
                title.to_owned(),
                r.description().into_owned(),
                counts(r, r.count(Kind::Founder), r.count(Kind::Company)),
            )
        }
        Some((Kind::Founder, i)) => {
            let f = r.founder_row(i);
            let employer = f.employer.as_ref().map_or("", |e| e.name);
            let company = f.company.as_ref().map_or("", |c| c.name);
            let sub = if f.former_title.is_empty() {
                f.summary.unwrap_or("")
            } else {
                f.former_title
            };
            (
                "founder",
                f.name.to_owned(),
                sub.to_owned(),
                arrow(employer, company),
            )
        }
        Some((Kind::Company, i)) => {
            let c = r.company_row(i);
            let employers = r
                .targets(Rel::CompanyFounders, i)
                .iter()
                .flat_map(|&f| r.targets(Rel::FounderEmployer, f))
                .map(|&e| r.link(Kind::Employer, e).name);
            let from = list(r, employers);
            (
                "company",
                c.name.to_owned(),
                c.summary.unwrap_or("").to_owned(),
                arrow(&from, c.name),
            )
        }
        Some((_, i)) => {
            let s = r.sector_ref(i);
            let summary = r.profile::<Sector>(i).fm().summary.as_deref();
            (
                "sector",
                s.name.to_owned(),
                summary.unwrap_or("").to_owned(),
                counts(
                    r,
                    r.targets(Rel::SectorFounders, i).len(),
                    r.targets(Rel::SectorCompanies, i).len(),
                ),
            )
        }
    };
    CardView {
        kind,
        lang: r.code(),
        site_title: clean(title),
        name: clean(&name),
        subtitle: clean(&subtitle),
        line: clean(&line),
    }
}

/// Fills in `card.svg` for a card.
pub fn render(r: &Reader, of: Option<(Kind, usize)>) -> Result<String, Diagnostic> {
    #[derive(Serialize)]
    struct Ctx<'a> {
        card: CardView<'a>,
    }
    let ctx = tera::Context::from_serialize(Ctx { card: view(r, of) }).map_err(|e| {
        Diagnostic::file("card.svg", format!("cannot build the card's context: {e}"))
    })?;
    r.render_template("card.svg", &ctx)
}
