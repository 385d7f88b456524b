//! `inferred:` and `added:` in front matter: each names a field whose value the site
//! inferred or added, so each must name a field the profile has. A mark on a field the
//! profile does not fill marks nothing, and the about page's promise ("every inference is
//! marked") would rest on a mark no reader sees.

use serde::Serialize;

use crate::content::{Company, CompanyField, Content, Doc, Employer, EmployerField, Founder};
use crate::content::{FounderField, Present};
use crate::error::Diagnostic;

/// One error per `inferred:` / `added:` item that names a field its profile leaves empty.
pub fn check(content: &Content) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for e in &content.founders {
        for d in e.docs() {
            marks(
                d,
                "inferred",
                d.fm.inferred.as_deref(),
                founder_has,
                &mut out,
            );
            marks(d, "added", d.fm.added.as_deref(), founder_has, &mut out);
        }
    }
    for e in &content.companies {
        for d in e.docs() {
            marks(
                d,
                "inferred",
                d.fm.inferred.as_deref(),
                company_has,
                &mut out,
            );
            marks(d, "added", d.fm.added.as_deref(), company_has, &mut out);
        }
    }
    for e in &content.employers {
        for d in e.docs() {
            marks(d, "added", d.fm.added.as_deref(), employer_has, &mut out);
        }
    }
    out
}

/// Checks the list under `key` of document `d` (its own file: a translation's `added:` is
/// its own, `inferred:` is only ever the original's).
fn marks<T, F: Serialize + Copy>(
    d: &Doc<T>,
    key: &str,
    list: Option<&[F]>,
    has: fn(&T, F) -> bool,
    out: &mut Vec<Diagnostic>,
) {
    let Some(list) = list else { return };
    // Only what this file states: an inherited `inferred:` is reported at the original.
    if crate::yaml::key_line(&d.src.text[..d.src.split.body_start], key).is_none() {
        return;
    }
    for (i, &f) in list.iter().enumerate() {
        if has(&d.fm, f) {
            continue;
        }
        let name = match serde_json::to_value(f) {
            Ok(serde_json::Value::String(s)) => s,
            _ => continue,
        };
        let nth = list[..i]
            .iter()
            .filter(|&&g| serde_json::to_value(g).ok() == serde_json::to_value(f).ok())
            .count();
        out.push(
            d.src
                .diag_at_item(
                    key,
                    &name,
                    nth,
                    format!("`{key}:` names `{name}`, which this profile does not have"),
                )
                .with_hint(format!(
                    "give `{name}` a value, or take `{name}` out of `{key}:`; a mark must sit on a value"
                )),
        );
    }
}

fn founder_has(fm: &Founder, f: FounderField) -> bool {
    use FounderField as F;
    match f {
        F::Name => fm.name.present(),
        F::Aka => fm.aka.present(),
        F::FormerTitle => fm.former_title.present(),
        F::Summary => fm.summary.present(),
        F::Sector => fm.sector.is_some(),
        F::Company => fm.company.is_some(),
        F::FormerEmployer => fm.former_employer.is_some(),
        F::Left => fm.left.is_some(),
        F::City => fm.city.present(),
        F::Links => fm.links.present(),
    }
}

fn company_has(fm: &Company, f: CompanyField) -> bool {
    use CompanyField as F;
    match f {
        F::Name => fm.name.present(),
        F::LegalName => fm.legal_name.present(),
        F::Location => fm.location.present(),
        F::Summary => fm.summary.present(),
        F::Sector => fm.sector.is_some(),
        F::Founders => fm.founders.present(),
        F::Founded => fm.founded.is_some(),
        F::City => fm.city.present(),
        F::Website => fm.website.present(),
        F::Products => fm.products.present(),
        F::Funding => fm.funding.present(),
        F::FundingTotal => fm.funding_total.is_some(),
        F::Team => fm.team.present(),
    }
}

fn employer_has(fm: &Employer, f: EmployerField) -> bool {
    match f {
        EmployerField::Name => fm.name.present(),
        EmployerField::Summary => fm.summary.present(),
    }
}
