//! The pieces views are made of: links to other profiles, founder and company rows (a
//! table row or a card), and the formatted facts of a profile.

use serde::Serialize;

use super::picture::{monogram, Monogram, PictureView};
use super::reader::{OfKind, Profile, Reader};
use crate::content::{Entry, FrontMatterName, Kind, LocalText, Source};
use crate::deps;
use crate::resolve::graph::Rel;

/// A link to another profile.
#[derive(Debug, Clone, Serialize)]
pub struct Ref<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub url: String,
}

/// One founder as a table row or card.
#[derive(Debug, Clone, Serialize)]
pub struct FounderRow<'a> {
    pub slug: &'a str,
    pub url: String,
    pub name: &'a str,
    /// The name in the other languages, when different ("贾扬清" on an English page).
    pub name_alt: Option<String>,
    pub former_title: &'a str,
    pub employer: Option<Ref<'a>>,
    pub company: Option<Ref<'a>>,
    pub sector: Option<Ref<'a>>,
    pub city: Option<&'a str>,
    pub city_code: Option<&'a str>,
    pub left: Option<String>,
    /// Sortable form of `left` (`2023-03`), empty when unknown.
    pub left_sort: String,
    pub summary: Option<&'a str>,
    /// Fields whose value is the site's inference (`inferred:`), shown with a mark.
    pub inferred: Vec<String>,
    /// Fields whose value comes from outside the source (`added:`), shown with a mark.
    pub added: Vec<String>,
    /// The portrait, if any.
    pub photo: Option<PictureView<'a>>,
    /// Shown instead of a portrait.
    pub monogram: Monogram,
}

/// One company as a table row or card.
#[derive(Debug, Clone, Serialize)]
pub struct CompanyRow<'a> {
    pub slug: &'a str,
    pub url: String,
    pub name: &'a str,
    pub name_alt: Option<String>,
    pub sector: Option<Ref<'a>>,
    pub founders: Vec<Ref<'a>>,
    pub founded: Option<String>,
    pub founded_sort: String,
    pub city: Option<&'a str>,
    pub summary: Option<&'a str>,
    pub inferred: Vec<String>,
    pub added: Vec<String>,
    /// The logo, if any.
    pub logo: Option<PictureView<'a>>,
    /// Shown instead of a logo.
    pub monogram: Monogram,
}

#[derive(Debug, Clone, Serialize)]
pub struct LinkView<'a> {
    pub title: &'a str,
    pub url: &'a str,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceView<'a> {
    pub title: &'a str,
    pub publisher: Option<&'a str>,
    pub author: Option<&'a str>,
    pub date: Option<String>,
    pub url: Option<&'a str>,
}

/// A date for `<time>`: machine-readable and in the page's language.
#[derive(Debug, Clone, Serialize)]
pub struct DateView {
    /// RFC 3339 (`2024-03-25T10:00:00+08:00`), for `datetime`.
    pub iso: String,
    /// The local date in words (`2024年3月25日`, `25 March 2024`).
    pub text: String,
}

/// When a profile was first added and last updated, as far as is known.
#[derive(Debug, Clone, Serialize)]
pub struct DatesView {
    pub added: Option<DateView>,
    pub updated: Option<DateView>,
}

/// A name with a note: a team member, someone a sector's source mentions.
#[derive(Debug, Clone, Serialize)]
pub struct NamedNote<'a> {
    pub name: &'a str,
    pub note: Option<&'a str>,
}

/// The entry's name in the other languages, when different ("贾扬清" on an English page).
fn alt_names<T: FrontMatterName>(e: &Entry<T>, mine: &str) -> Option<String> {
    let mut others: Vec<&str> = Vec::new();
    for n in e.docs().filter_map(|d| d.fm.name()) {
        if n != mine && !others.contains(&n) {
            others.push(n);
        }
    }
    if others.is_empty() {
        None
    } else {
        Some(others.join(" / "))
    }
}

/// The field names of `inferred:` / `added:` lists, without repeats, as the theme tests them.
pub fn field_names<F: Serialize>(lists: &[Option<&Vec<F>>]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for f in lists.iter().flatten().copied().flatten() {
        if let Ok(serde_json::Value::String(name)) = serde_json::to_value(f) {
            if !out.contains(&name) {
                out.push(name);
            }
        }
    }
    out
}

/// Adds `city` to `marks` when the company's marks carry it (a founder's city taken
/// from the company carries the company's marks).
fn inherit_city(marks: &mut Vec<String>, theirs: &[String]) {
    if theirs.iter().any(|f| f == "city") && !marks.iter().any(|f| f == "city") {
        marks.push("city".into());
    }
}

impl<'v, 'a> Reader<'v, 'a> {
    /// A text given per language, in this language.
    pub fn local(&self, t: &'a LocalText) -> &'a str {
        t.get(self.code(), self.cfg().code(crate::config::LangId::DEFAULT))
    }

    /// A city's name in this language.
    pub fn city(&self, code: Option<&'a str>) -> Option<&'a str> {
        let code = code?;
        deps::read(|| deps::Dep::City(code.to_owned()));
        Some(
            self.cfg()
                .cities
                .get(code)
                .and_then(|n| n.get(self.lang))
                .map(String::as_str)
                .unwrap_or(code),
        )
    }

    /// Records a read of profile `i` in every language.
    fn every_language(&self, kind: Kind, i: usize) {
        for l in self.cfg().lang_ids() {
            deps::entity(kind, i, l);
        }
    }

    /// Profile `i`'s name in the other languages, when different.
    pub fn alt_names<T: OfKind>(&self, p: &Profile<'a, T>, mine: &str) -> Option<String> {
        for l in self.cfg().lang_ids() {
            if l == self.lang {
                deps::entity(T::KIND, p.i, l);
            } else {
                deps::name(T::KIND, p.i, l);
            }
        }
        alt_names(p.entry, mine)
    }

    /// A link to profile `i` of an entry list, recording the read: of its whole front
    /// matter when `subject` (the caller shows more of it than the link, or its lists),
    /// else of its name alone.
    fn entry_ref<T: FrontMatterName>(
        &self,
        kind: Kind,
        entries: &'a [std::sync::Arc<Entry<T>>],
        i: usize,
        subject: bool,
    ) -> Ref<'a> {
        if subject {
            deps::entity(kind, i, self.lang);
        } else {
            deps::name(kind, i, self.lang);
        }
        let e = &entries[i];
        Ref {
            slug: e.slug.as_str(),
            name: e.doc(self.lang).fm.name().unwrap_or(""),
            url: self.url(kind, Some(e.slug.as_str())),
        }
    }

    /// Sector `i`, for a view that shows more of it than its link (its summary, its
    /// lists); [`Reader::link`] for a link alone. So for the others.
    pub fn sector_ref(&self, i: usize) -> Ref<'a> {
        self.entry_ref(Kind::Sector, &self.env.site.content.sectors, i, true)
    }

    pub fn employer_ref(&self, i: usize) -> Ref<'a> {
        self.entry_ref(Kind::Employer, &self.env.site.content.employers, i, true)
    }

    pub fn company_ref(&self, i: usize) -> Ref<'a> {
        self.entry_ref(Kind::Company, &self.env.site.content.companies, i, true)
    }

    pub fn founder_ref(&self, i: usize) -> Ref<'a> {
        self.entry_ref(Kind::Founder, &self.env.site.content.founders, i, true)
    }

    /// A link to profile `i` of `kind` and nothing more of it: the page depends on its
    /// name alone, and a change of, say, its summary does not render the page again.
    pub fn link(&self, kind: Kind, i: usize) -> Ref<'a> {
        let c = &self.env.site.content;
        match kind {
            Kind::Founder => self.entry_ref(kind, &c.founders, i, false),
            Kind::Company => self.entry_ref(kind, &c.companies, i, false),
            Kind::Sector => self.entry_ref(kind, &c.sectors, i, false),
            Kind::Employer => self.entry_ref(kind, &c.employers, i, false),
            Kind::Page => self.entry_ref(kind, &c.pages, i, false),
        }
    }

    pub fn founder_row(&self, i: usize) -> FounderRow<'a> {
        let s = self.env.site;
        let p = self.profile::<crate::content::Founder>(i);
        let e = p.entry;
        let fm = &e.doc(self.lang).fm;
        let name = fm.name.as_deref().unwrap_or("");
        let left = e.original().fm.left;
        let mut inferred = field_names(&[fm.inferred.as_ref()]);
        let mut added = field_names(&[fm.added.as_ref(), e.original().fm.added.as_ref()]);
        if let (None, Some(ci)) = (&fm.city, s.target(Rel::FounderCompany, i)) {
            deps::entity(Kind::Company, ci, self.lang);
            let co = &s.content.companies[ci];
            let cfm = &co.doc(self.lang).fm;
            inherit_city(&mut inferred, &field_names(&[cfm.inferred.as_ref()]));
            let theirs = field_names(&[cfm.added.as_ref(), co.original().fm.added.as_ref()]);
            inherit_city(&mut added, &theirs);
        }
        FounderRow {
            slug: e.slug.as_str(),
            url: self.url(Kind::Founder, Some(e.slug.as_str())),
            name_alt: self.alt_names(&p, name),
            name,
            former_title: fm.former_title.as_deref().unwrap_or(""),
            employer: s
                .target(Rel::FounderEmployer, i)
                .map(|x| self.link(Kind::Employer, x)),
            company: s
                .target(Rel::FounderCompany, i)
                .map(|x| self.link(Kind::Company, x)),
            sector: s
                .target(Rel::FounderSector, i)
                .map(|x| self.link(Kind::Sector, x)),
            city: self.city(s.founder_city[i].as_deref()),
            city_code: s.founder_city[i].as_deref(),
            left: left.map(|d| d.human(self.code())),
            left_sort: left.map(|d| d.to_string()).unwrap_or_default(),
            summary: fm.summary.as_deref(),
            inferred,
            added,
            photo: self.picture(
                self.env.images.founders.get(i).and_then(Option::as_ref),
                e.original().fm.photo.as_ref(),
            ),
            monogram: monogram(name, e.slug.as_str()),
        }
    }

    pub fn company_row(&self, i: usize) -> CompanyRow<'a> {
        let s = self.env.site;
        let p = self.profile::<crate::content::Company>(i);
        let e = p.entry;
        let fm = &e.doc(self.lang).fm;
        let name = fm.name.as_deref().unwrap_or("");
        CompanyRow {
            slug: e.slug.as_str(),
            url: self.url(Kind::Company, Some(e.slug.as_str())),
            name_alt: self.alt_names(&p, name),
            name,
            sector: s
                .target(Rel::CompanySector, i)
                .map(|x| self.link(Kind::Sector, x)),
            founders: s
                .targets(Rel::CompanyFounders, i)
                .iter()
                .map(|&f| self.link(Kind::Founder, f))
                .collect(),
            founded: fm.founded.map(|d| d.human(self.code())),
            founded_sort: fm.founded.map(|d| d.to_string()).unwrap_or_default(),
            city: self.city(fm.city.as_deref()),
            summary: fm.summary.as_deref(),
            inferred: field_names(&[fm.inferred.as_ref()]),
            added: field_names(&[fm.added.as_ref(), e.original().fm.added.as_ref()]),
            logo: self.picture(
                self.env.images.companies.get(i).and_then(Option::as_ref),
                e.original().fm.logo.as_ref(),
            ),
            monogram: monogram(name, e.slug.as_str()),
        }
    }

    /// A moment in this language.
    pub fn date(&self, s: crate::history::Stamp) -> DateView {
        DateView {
            iso: s.rfc3339(),
            text: s.date().human(self.code()),
        }
    }

    /// When profile `i` of `kind` was first added and last updated. Its `updated:` field
    /// and which translations exist count, in every language.
    pub fn dates(&self, kind: Kind, i: usize) -> DatesView {
        self.every_language(kind, i);
        let d = self.env.dated.get(kind, i);
        DatesView {
            added: d.added.map(|s| self.date(s)),
            updated: d.updated.map(|s| self.date(s)),
        }
    }

    pub fn sources(&self, s: &'a Option<Vec<Source>>) -> Vec<SourceView<'a>> {
        s.iter()
            .flatten()
            .map(|s| SourceView {
                title: self.local(&s.title),
                publisher: s.publisher.as_ref().map(|p| self.local(p)),
                author: s.author.as_ref().map(|p| self.local(p)),
                date: s.date.map(|d| d.human(self.code())),
                url: s.url.as_deref(),
            })
            .collect()
    }

    /// Profile `i`'s name and summary in the other languages, for the search index.
    pub fn other_terms<T: OfKind>(&self, p: &Profile<'a, T>) -> Vec<&'a str> {
        self.every_language(T::KIND, p.i);
        p.entry
            .docs()
            .filter(|d| d.lang != self.lang)
            .flat_map(|d| [d.fm.name(), d.fm.summary()])
            .flatten()
            .collect()
    }
}
