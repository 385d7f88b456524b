//! Typed, serializable views of profiles handed to templates: names, links and
//! formatted facts in the page's language.

use serde::Serialize;

use crate::config::{Config, LangId};
use crate::content::{
    power_of_ten, Amount, Company, Currency, Employer, Entry, Founder, Kind, LocalText, Qualifier,
    Sector, Source,
};
use crate::markdown::Rendered;
use crate::resolve::{permalink, Site};

/// A link to another profile.
#[derive(Debug, Clone, Serialize)]
pub struct Ref {
    pub slug: String,
    pub name: String,
    pub url: String,
}

/// One founder as a table row or card.
#[derive(Debug, Clone, Serialize)]
pub struct FounderRow {
    pub slug: String,
    pub url: String,
    pub name: String,
    /// The name in the other languages, when different ("贾扬清" on an English page).
    pub name_alt: Option<String>,
    pub former_title: String,
    pub employer: Option<Ref>,
    pub company: Option<Ref>,
    pub sector: Option<Ref>,
    pub city: Option<String>,
    pub city_code: Option<String>,
    pub left: Option<String>,
    /// Sortable form of `left` (`2023-03`), empty when unknown.
    pub left_sort: String,
    pub summary: Option<String>,
    /// Fields whose value is the site's inference (`inferred:`), shown with a mark.
    pub inferred: Vec<String>,
    /// Fields whose value comes from outside the source (`added:`), shown with a mark.
    pub added: Vec<String>,
}

/// One company as a table row or card.
#[derive(Debug, Clone, Serialize)]
pub struct CompanyRow {
    pub slug: String,
    pub url: String,
    pub name: String,
    pub name_alt: Option<String>,
    pub sector: Option<Ref>,
    pub founders: Vec<Ref>,
    pub founded: Option<String>,
    pub founded_sort: String,
    pub city: Option<String>,
    pub summary: Option<String>,
    pub inferred: Vec<String>,
    pub added: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LinkView {
    pub title: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceView {
    pub title: String,
    pub publisher: Option<String>,
    pub author: Option<String>,
    pub date: Option<String>,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProductView {
    pub name: String,
    pub date: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RoundView {
    pub date: Option<String>,
    pub stage: String,
    pub amount: Option<String>,
    pub investors: Vec<String>,
    pub lead: Vec<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NamedNote {
    pub name: String,
    pub note: Option<String>,
}

/// A founder's page.
#[derive(Debug, Clone, Serialize)]
pub struct FounderView {
    #[serde(flatten)]
    pub row: FounderRow,
    pub aka: Vec<String>,
    pub links: Vec<LinkView>,
    pub sources: Vec<SourceView>,
    pub content: String,
    /// False when the page shows the original because no translation exists.
    pub translated: bool,
    /// The same facts in the other languages, for the search index only (hidden).
    pub index_terms: Vec<String>,
}

/// A company's page.
#[derive(Debug, Clone, Serialize)]
pub struct CompanyView {
    #[serde(flatten)]
    pub row: CompanyRow,
    pub legal_name: Option<String>,
    pub location: Option<String>,
    pub website: Option<String>,
    pub products: Vec<ProductView>,
    pub funding: Vec<RoundView>,
    pub funding_total: Option<String>,
    pub team: Vec<NamedNote>,
    pub sources: Vec<SourceView>,
    pub content: String,
    pub translated: bool,
    pub index_terms: Vec<String>,
}

/// A sector's index page.
#[derive(Debug, Clone, Serialize)]
pub struct SectorView {
    pub slug: String,
    pub url: String,
    pub name: String,
    pub name_alt: Option<String>,
    pub summary: Option<String>,
    pub order: i64,
    pub founders: Vec<FounderRow>,
    pub companies: Vec<CompanyRow>,
    pub also_mentioned: Vec<NamedNote>,
    pub content: String,
    pub translated: bool,
    pub index_terms: Vec<String>,
}

/// A former employer's page.
#[derive(Debug, Clone, Serialize)]
pub struct EmployerView {
    pub slug: String,
    pub url: String,
    pub name: String,
    pub name_alt: Option<String>,
    pub summary: Option<String>,
    pub founders: Vec<FounderRow>,
    pub content: String,
    pub translated: bool,
    pub index_terms: Vec<String>,
}

/// A free page.
#[derive(Debug, Clone, Serialize)]
pub struct PageView {
    pub slug: String,
    pub url: String,
    pub title: String,
    pub summary: Option<String>,
    pub content: String,
    pub translated: bool,
}

/// Builds views for one language from the resolved site and rendered bodies.
pub struct Views<'a> {
    pub cfg: &'a Config,
    pub site: &'a Site,
    pub lang: LangId,
    pub stage_labels: &'a dyn Fn(&str) -> String,
}

/// Front matter with a name and a summary, and the kind of page it makes.
trait Named {
    const KIND: Kind;
    fn name(&self) -> Option<&String>;
    fn summary(&self) -> Option<&String>;
}

macro_rules! named {
    ($($t:ty => $kind:expr),*) => {
        $(impl Named for $t {
            const KIND: Kind = $kind;
            fn name(&self) -> Option<&String> {
                self.name.as_ref()
            }
            fn summary(&self) -> Option<&String> {
                self.summary.as_ref()
            }
        })*
    };
}
named!(Founder => Kind::Founder, Company => Kind::Company, Sector => Kind::Sector, Employer => Kind::Employer);

/// The entry's name in the other languages, when different ("贾扬清" on an English page).
fn alt_names<T: Named>(e: &Entry<T>, mine: &str) -> Option<String> {
    let mut others: Vec<String> = Vec::new();
    for n in e.docs.iter().flatten().filter_map(|d| d.fm.name()) {
        if n != mine && !others.contains(n) {
            others.push(n.clone());
        }
    }
    if others.is_empty() {
        None
    } else {
        Some(others.join(" / "))
    }
}

/// The field names of `inferred:` / `added:` lists, without repeats, as the theme tests them.
fn field_names<F: Serialize>(lists: &[Option<&Vec<F>>]) -> Vec<String> {
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

impl<'a> Views<'a> {
    /// Views of the same site in each other language.
    fn others(&self) -> Vec<Views<'a>> {
        (0..self.cfg.langs.len())
            .filter(|&l| l != self.lang)
            .map(|lang| Views {
                cfg: self.cfg,
                site: self.site,
                lang,
                stage_labels: self.stage_labels,
            })
            .collect()
    }

    fn founder_terms(&self, i: usize) -> Vec<String> {
        let mut t = Vec::new();
        for v in self.others() {
            let r = v.founder_row(i);
            t.extend(
                [
                    Some(r.name),
                    Some(r.former_title),
                    r.employer.map(|x| x.name),
                    r.company.map(|x| x.name),
                    r.sector.map(|x| x.name),
                    r.city,
                    r.summary,
                ]
                .into_iter()
                .flatten(),
            );
        }
        t
    }

    fn company_terms(&self, i: usize) -> Vec<String> {
        let mut t = Vec::new();
        for v in self.others() {
            let r = v.company_row(i);
            t.extend(
                [Some(r.name), r.sector.map(|x| x.name), r.city, r.summary]
                    .into_iter()
                    .flatten(),
            );
            t.extend(r.founders.into_iter().map(|f| f.name));
        }
        t
    }

    fn code(&self) -> &str {
        &self.cfg.langs[self.lang]
    }

    fn local(&self, t: &LocalText) -> String {
        t.get(self.code(), &self.cfg.langs[0]).to_owned()
    }

    fn url(&self, kind: Kind, slug: &str) -> String {
        self.cfg
            .base
            .link(&permalink(self.cfg, kind, Some(slug), self.lang))
    }

    fn city(&self, code: &Option<String>) -> Option<String> {
        code.as_ref().map(|c| {
            self.cfg
                .cities
                .get(c)
                .and_then(|n| n.get(self.lang).cloned())
                .unwrap_or_else(|| c.clone())
        })
    }

    fn entry_ref<T: Named>(&self, e: &Entry<T>) -> Ref {
        Ref {
            slug: e.slug.0.clone(),
            name: e.doc(self.lang).fm.name().cloned().unwrap_or_default(),
            url: self.url(T::KIND, e.slug.as_str()),
        }
    }

    pub fn sector_ref(&self, i: usize) -> Ref {
        self.entry_ref(&self.site.content.sectors[i])
    }

    pub fn employer_ref(&self, i: usize) -> Ref {
        self.entry_ref(&self.site.content.employers[i])
    }

    pub fn company_ref(&self, i: usize) -> Ref {
        self.entry_ref(&self.site.content.companies[i])
    }

    pub fn founder_ref(&self, i: usize) -> Ref {
        self.entry_ref(&self.site.content.founders[i])
    }

    /// An entry's name and summary in the other languages, for the search index.
    fn other_terms<T: Named>(&self, e: &Entry<T>) -> Vec<String> {
        e.docs
            .iter()
            .flatten()
            .filter(|d| d.lang != self.lang)
            .flat_map(|d| [d.fm.name().cloned(), d.fm.summary().cloned()])
            .flatten()
            .collect()
    }

    pub fn founder_row(&self, i: usize) -> FounderRow {
        let s = self.site;
        let e = &s.content.founders[i];
        let fm = &e.doc(self.lang).fm;
        let name = fm.name.clone().unwrap_or_default();
        let left = e.original().fm.left;
        let mut inferred = field_names(&[fm.inferred.as_ref()]);
        let mut added = field_names(&[fm.added.as_ref(), e.original().fm.added.as_ref()]);
        // A city taken from the company carries the company's marks.
        if let (None, Some(ci)) = (&fm.city, s.founder_company[i]) {
            let co = &s.content.companies[ci];
            let cfm = &co.doc(self.lang).fm;
            for (marks, theirs) in [
                (&mut inferred, field_names(&[cfm.inferred.as_ref()])),
                (
                    &mut added,
                    field_names(&[cfm.added.as_ref(), co.original().fm.added.as_ref()]),
                ),
            ] {
                if theirs.iter().any(|f| f == "city") && !marks.iter().any(|f| f == "city") {
                    marks.push("city".into());
                }
            }
        }
        FounderRow {
            slug: e.slug.0.clone(),
            url: self.url(Kind::Founder, e.slug.as_str()),
            name_alt: alt_names(e, &name),
            name,
            former_title: fm.former_title.clone().unwrap_or_default(),
            employer: s.founder_employer[i].map(|x| self.employer_ref(x)),
            company: s.founder_company[i].map(|x| self.company_ref(x)),
            sector: s.founder_sector[i].map(|x| self.sector_ref(x)),
            city: self.city(&s.founder_city[i]),
            city_code: s.founder_city[i].clone(),
            left: left.map(|d| d.human(self.code())),
            left_sort: left.map(|d| d.to_string()).unwrap_or_default(),
            summary: fm.summary.clone(),
            inferred,
            added,
        }
    }

    pub fn company_row(&self, i: usize) -> CompanyRow {
        let s = self.site;
        let e = &s.content.companies[i];
        let fm = &e.doc(self.lang).fm;
        let name = fm.name.clone().unwrap_or_default();
        CompanyRow {
            slug: e.slug.0.clone(),
            url: self.url(Kind::Company, e.slug.as_str()),
            name_alt: alt_names(e, &name),
            name,
            sector: s.company_sector[i].map(|x| self.sector_ref(x)),
            founders: s.company_founders[i]
                .iter()
                .map(|&f| self.founder_ref(f))
                .collect(),
            founded: fm.founded.map(|d| d.human(self.code())),
            founded_sort: fm.founded.map(|d| d.to_string()).unwrap_or_default(),
            city: self.city(&fm.city),
            summary: fm.summary.clone(),
            inferred: field_names(&[fm.inferred.as_ref()]),
            added: field_names(&[fm.added.as_ref(), e.original().fm.added.as_ref()]),
        }
    }

    fn sources(&self, s: &Option<Vec<Source>>) -> Vec<SourceView> {
        s.iter()
            .flatten()
            .map(|s| SourceView {
                title: self.local(&s.title),
                publisher: s.publisher.as_ref().map(|p| self.local(p)),
                author: s.author.as_ref().map(|p| self.local(p)),
                date: s.date.map(|d| d.human(self.code())),
                url: s.url.clone(),
            })
            .collect()
    }

    pub fn founder(&self, i: usize, body: &Rendered) -> FounderView {
        let e = &self.site.content.founders[i];
        let fm = &e.doc(self.lang).fm;
        FounderView {
            row: self.founder_row(i),
            aka: fm.aka.clone().unwrap_or_default(),
            links: fm
                .links
                .iter()
                .flatten()
                .map(|l| LinkView {
                    title: self.local(&l.title),
                    url: l.url.clone(),
                })
                .collect(),
            sources: self.sources(&fm.sources),
            content: body.html.clone(),
            translated: e.translated(self.lang),
            index_terms: self.founder_terms(i),
        }
    }

    pub fn company(&self, i: usize, body: &Rendered) -> CompanyView {
        let e = &self.site.content.companies[i];
        let fm = &e.doc(self.lang).fm;
        CompanyView {
            row: self.company_row(i),
            legal_name: fm.legal_name.clone(),
            location: fm.location.clone(),
            website: fm.website.clone(),
            products: fm
                .products
                .iter()
                .flatten()
                .map(|p| ProductView {
                    name: self.local(&p.name),
                    date: p.date.map(|d| d.human(self.code())),
                    note: p.note.as_ref().map(|n| self.local(n)),
                })
                .collect(),
            funding: fm
                .funding
                .iter()
                .flatten()
                .map(|r| RoundView {
                    date: r.date.map(|d| d.human(self.code())),
                    stage: (self.stage_labels)(r.stage.key()),
                    amount: r.amount.map(|a| {
                        money(
                            &Amount {
                                amount: a,
                                currency: r.currency.unwrap_or(Currency::CNY),
                                qualifier: r.qualifier,
                            },
                            self.code(),
                        )
                    }),
                    investors: r.investors.iter().map(|x| self.local(x)).collect(),
                    lead: r.lead.iter().map(|x| self.local(x)).collect(),
                    note: r.note.as_ref().map(|n| self.local(n)),
                })
                .collect(),
            funding_total: fm.funding_total.as_ref().map(|a| money(a, self.code())),
            team: fm
                .team
                .iter()
                .flatten()
                .map(|m| NamedNote {
                    name: self.local(&m.name),
                    note: m.role.as_ref().map(|r| self.local(r)),
                })
                .collect(),
            sources: self.sources(&fm.sources),
            content: body.html.clone(),
            translated: e.translated(self.lang),
            index_terms: self.company_terms(i),
        }
    }

    pub fn sector(&self, i: usize, body: &Rendered) -> SectorView {
        let e = &self.site.content.sectors[i];
        let fm = &e.doc(self.lang).fm;
        let name = fm.name.clone().unwrap_or_default();
        SectorView {
            slug: e.slug.0.clone(),
            url: self.url(Kind::Sector, e.slug.as_str()),
            name_alt: alt_names(e, &name),
            name,
            summary: fm.summary.clone(),
            order: fm.order.unwrap_or(0),
            founders: self.site.sector_founders[i]
                .iter()
                .map(|&f| self.founder_row(f))
                .collect(),
            companies: self.site.sector_companies[i]
                .iter()
                .map(|&c| self.company_row(c))
                .collect(),
            also_mentioned: fm
                .also_mentioned
                .iter()
                .flatten()
                .map(|m| NamedNote {
                    name: self.local(&m.name),
                    note: m.note.as_ref().map(|n| self.local(n)),
                })
                .collect(),
            content: body.html.clone(),
            translated: e.translated(self.lang),
            index_terms: self.other_terms(e),
        }
    }

    pub fn employer(&self, i: usize, body: &Rendered) -> EmployerView {
        let e = &self.site.content.employers[i];
        let fm = &e.doc(self.lang).fm;
        let name = fm.name.clone().unwrap_or_default();
        EmployerView {
            slug: e.slug.0.clone(),
            url: self.url(Kind::Employer, e.slug.as_str()),
            name_alt: alt_names(e, &name),
            name,
            summary: fm.summary.clone(),
            founders: self.site.employer_founders[i]
                .iter()
                .map(|&f| self.founder_row(f))
                .collect(),
            content: body.html.clone(),
            translated: e.translated(self.lang),
            index_terms: self.other_terms(e),
        }
    }

    pub fn page(&self, i: usize, body: &Rendered) -> PageView {
        let e = &self.site.content.pages[i];
        let fm = &e.doc(self.lang).fm;
        PageView {
            slug: e.slug.0.clone(),
            url: self.url(Kind::Page, e.slug.as_str()),
            title: fm.title.clone().unwrap_or_default(),
            summary: fm.summary.clone(),
            content: body.html.clone(),
            translated: e.translated(self.lang),
        }
    }
}

fn trim_number(x: f64) -> String {
    let s = format!("{:.2}", x);
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// An amount of money in a language's words: `约1000万美元`, `about US$10 million`;
/// `order` and `several` give the source's own magnitude: `亿元级人民币`, `数千万元人民币`,
/// `tens of millions of yuan`.
pub fn money(a: &Amount, lang: &str) -> String {
    let v = a.amount;
    let magnitude = match a.qualifier {
        Some(q @ (Qualifier::Order | Qualifier::Several)) => power_of_ten(v).map(|p| (q, p)),
        _ => None,
    };
    if lang.starts_with("zh") {
        const UNITS: [&str; 8] = ["万", "十万", "百万", "千万", "亿", "十亿", "百亿", "千亿"];
        if let Some((q, p)) = magnitude {
            let unit = UNITS[p as usize - 4];
            return match (q, a.currency) {
                (Qualifier::Several, Currency::CNY) => format!("数{unit}元人民币"),
                (Qualifier::Several, Currency::USD) => format!("数{unit}美元"),
                (_, Currency::CNY) => format!("{unit}元级人民币"),
                (_, Currency::USD) => format!("{unit}美元级"),
            };
        }
        let num = if v >= 1e8 {
            format!("{}亿", trim_number(v / 1e8))
        } else if v >= 1e4 {
            format!("{}万", trim_number(v / 1e4))
        } else {
            trim_number(v)
        };
        let prefix = match a.qualifier {
            Some(Qualifier::About) => "约",
            Some(Qualifier::Over) => "超",
            Some(Qualifier::Nearly) => "近",
            Some(Qualifier::Order | Qualifier::Several) | None => "",
        };
        let cur = match a.currency {
            Currency::CNY => "元人民币",
            Currency::USD => "美元",
        };
        format!("{prefix}{num}{cur}")
    } else {
        if let Some((Qualifier::Several, p)) = magnitude {
            const SEVERAL: [&str; 8] = [
                "tens of thousands of",
                "hundreds of thousands of",
                "several million",
                "tens of millions of",
                "hundreds of millions of",
                "several billion",
                "tens of billions of",
                "hundreds of billions of",
            ];
            let cur = match a.currency {
                Currency::CNY => "yuan",
                Currency::USD => "US dollars",
            };
            return format!("{} {cur}", SEVERAL[p as usize - 4]);
        }
        let num = if v >= 1e9 {
            format!("{} billion", trim_number(v / 1e9))
        } else if v >= 1e6 {
            format!("{} million", trim_number(v / 1e6))
        } else {
            trim_number(v)
        };
        let cur = match a.currency {
            Currency::CNY => "RMB ",
            Currency::USD => "US$",
        };
        let prefix = match a.qualifier {
            Some(Qualifier::About) => "about ",
            Some(Qualifier::Over) => "over ",
            Some(Qualifier::Nearly) => "nearly ",
            Some(Qualifier::Order) => "on the order of ",
            Some(Qualifier::Several) | None => "",
        };
        format!("{prefix}{cur}{num}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_reads_naturally_in_both_languages() {
        let a = Amount {
            amount: 1e7,
            currency: Currency::USD,
            qualifier: Some(Qualifier::About),
        };
        assert_eq!(money(&a, "zh"), "约1000万美元");
        assert_eq!(money(&a, "en"), "about US$10 million");
        let b = Amount {
            amount: 1e8,
            currency: Currency::CNY,
            qualifier: Some(Qualifier::Order),
        };
        assert_eq!(money(&b, "zh"), "亿元级人民币");
        assert_eq!(money(&b, "en"), "on the order of RMB 100 million");
        let usd_order = Amount {
            currency: Currency::USD,
            ..b.clone()
        };
        assert_eq!(money(&usd_order, "zh"), "亿美元级");
        assert_eq!(money(&usd_order, "en"), "on the order of US$100 million");
        let c = Amount {
            amount: 2e8,
            currency: Currency::USD,
            qualifier: Some(Qualifier::Over),
        };
        assert_eq!(money(&c, "zh"), "超2亿美元");
        assert_eq!(money(&c, "en"), "over US$200 million");
    }

    #[test]
    fn several_gives_the_sources_own_magnitude() {
        let several = |amount: f64, currency| Amount {
            amount,
            currency,
            qualifier: Some(Qualifier::Several),
        };
        for (amount, zh, en) in [
            (1e6, "数百万元人民币", "several million yuan"),
            (1e7, "数千万元人民币", "tens of millions of yuan"),
            (1e8, "数亿元人民币", "hundreds of millions of yuan"),
            (1e9, "数十亿元人民币", "several billion yuan"),
        ] {
            let a = several(amount, Currency::CNY);
            assert_eq!(
                (money(&a, "zh").as_str(), money(&a, "en").as_str()),
                (zh, en)
            );
        }
        let usd = several(1e7, Currency::USD);
        assert_eq!(money(&usd, "zh"), "数千万美元");
        assert_eq!(money(&usd, "en"), "tens of millions of US dollars");
        // An order of magnitude below 亿 keeps its own unit rather than a bare number.
        let order = Amount {
            qualifier: Some(Qualifier::Order),
            ..several(1e7, Currency::CNY)
        };
        assert_eq!(money(&order, "zh"), "千万元级人民币");
        assert_eq!(money(&order, "en"), "on the order of RMB 10 million");
    }
}
