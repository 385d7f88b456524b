//! A founder's profile page, with its JSON-LD `Person`.

use serde::Serialize;

use crate::content::{Founder, Kind};
use crate::error::Diagnostic;
use crate::render::access::Reader;
use crate::render::access::{DatesView, FounderRow, LinkView, SourceView};
use crate::render::assemble::{self, Rendering};
use crate::render::jsonld::{self, OrgRef, Organization, Person};
use crate::render::plan::PageId;
use crate::search::Record;

/// A founder's page.
#[derive(Debug, Clone, Serialize)]
pub struct FounderView<'a> {
    #[serde(flatten)]
    pub row: FounderRow<'a>,
    pub aka: &'a [String],
    pub links: Vec<LinkView<'a>>,
    pub sources: Vec<SourceView<'a>>,
    pub content: &'a str,
    /// False when the page shows the original because no translation exists.
    pub translated: bool,
    /// When the profile was first added and last updated.
    pub dates: DatesView,
    /// The same facts in the other languages: in the search record, not on the page.
    #[serde(skip)]
    pub index_terms: Vec<&'a str>,
}

#[derive(Serialize)]
struct Data<'a> {
    founder: FounderView<'a>,
}

/// The view of founder `i`.
pub fn view<'a>(r: &Reader<'_, 'a>, i: usize) -> FounderView<'a> {
    let p = r.profile::<Founder>(i);
    let fm = p.fm();
    FounderView {
        row: r.founder_row(i),
        aka: fm.aka.as_deref().unwrap_or_default(),
        links: fm
            .links
            .iter()
            .flatten()
            .map(|l| LinkView {
                title: r.local(&l.title),
                url: &l.url,
            })
            .collect(),
        sources: r.sources(&fm.sources),
        content: r.body_html(Kind::Founder, i),
        translated: p.translated(),
        dates: r.dates(Kind::Founder, i),
        index_terms: terms(r, i),
    }
}

/// The founder's facts in the other languages: names, titles, employer, company, sector,
/// city and summary.
fn terms<'a>(r: &Reader<'_, 'a>, i: usize) -> Vec<&'a str> {
    let mut t = Vec::new();
    for o in r.others() {
        let row = o.founder_row(i);
        t.extend(
            [
                Some(row.name),
                Some(row.former_title),
                row.employer.map(|x| x.name),
                row.company.map(|x| x.name),
                row.sector.map(|x| x.name),
                row.city,
                row.summary,
            ]
            .into_iter()
            .flatten(),
        );
    }
    t
}

/// The founder as a schema.org `Person`.
pub fn person<'a>(r: &Reader<'_, 'a>, f: &FounderView<'a>, url: &str) -> Person<'a> {
    let id = |kind: Kind, slug: &str, frag: &str| {
        let cfg = r.cfg();
        let rel = crate::resolve::permalink(cfg, kind, Some(slug), crate::config::LangId::DEFAULT);
        format!("{}#{frag}", cfg.base.absolute(&rel))
    };
    Person {
        context: jsonld::context(),
        id: id(Kind::Founder, f.row.slug, "person"),
        kind: Person::TYPE,
        alternate_name: f.row.name_alt.clone(),
        alumni_of: f.row.employer.as_ref().map(|e| OrgRef {
            id: None,
            kind: Organization::TYPE,
            name: e.name,
        }),
        description: f.row.summary,
        founder: f.row.company.as_ref().map(|c| OrgRef {
            id: Some(id(Kind::Company, c.slug, "organization")),
            kind: Organization::TYPE,
            name: c.name,
        }),
        job_title: f.row.former_title,
        name: f.row.name,
        same_as: f.links.iter().map(|l| l.url).collect(),
        url: url.to_owned(),
    }
}

/// The founder in the search index: found by every fact and the text, shown with their
/// former role.
fn record(r: &Reader, id: PageId, i: usize, f: &FounderView) -> Record {
    let row = &f.row;
    fn name<'a>(x: &Option<crate::render::access::Ref<'a>>) -> &'a str {
        x.as_ref().map_or("", |x| x.name)
    }
    let role = format!(
        "{}{}{}",
        row.employer
            .as_ref()
            .map_or(String::new(), |e| format!("{} · ", e.name)),
        row.former_title,
        row.company
            .as_ref()
            .map_or(String::new(), |c| format!(" → {}", c.name)),
    );
    let facts = [
        row.name_alt.as_deref().unwrap_or(""),
        row.former_title,
        name(&row.employer),
        name(&row.company),
        name(&row.sector),
        row.city.unwrap_or(""),
        row.left.as_deref().unwrap_or(""),
        row.summary.unwrap_or(""),
    ];
    let aka = f.aka.iter().map(String::as_str);
    let text = r.body_text(Kind::Founder, i);
    let terms = f.index_terms.iter().copied();
    r.record(
        id,
        row.name,
        facts.into_iter().chain(aka).chain([text]).chain(terms),
    )
    .with("alt", row.name_alt.as_deref())
    .with("role", Some(&role))
}

pub fn render(r: &Reader, id: PageId, i: usize) -> Result<Rendering, Diagnostic> {
    let f = view(r, i);
    let mut meta = assemble::meta(r, id);
    let title = r.title();
    meta.describe("founder", f.row.name, title, f.translated, f.row.summary);
    meta.og_type = "profile";
    meta.jsonld = Some(jsonld::script(&person(r, &f, &meta.canonical)));
    let record = record(r, id, i, &f);
    let mut out = assemble::finish(r, "founder.html", meta, None, Data { founder: f })?;
    out.record = Some(record);
    Ok(out)
}
