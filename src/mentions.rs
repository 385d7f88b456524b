//! `dossier mentions VALUE`: every place in the content that states a value, in each of the
//! forms the languages write it, so that an editor who corrects a fact in the front matter
//! finds the prose that still gives the old one (a date reads `2023-03` in front matter,
//! 2023年3月 in Chinese and March 2023 in English).

use std::path::{Path, PathBuf};

use crate::config::{Config, Options};
use crate::content::{PartialDate, MONTHS};
use crate::error::{Error, Result};

/// One line that states the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// Relative to the site root.
    pub path: PathBuf,
    pub line: usize,
    /// 1-based, in characters.
    pub col: usize,
    /// The form found.
    pub form: String,
    pub text: String,
}

/// The forms a value is written in: itself and, for a date, how each language writes it.
pub fn forms(value: &str, langs: &[String]) -> Vec<String> {
    let mut forms = vec![value.to_owned()];
    if let Ok(d) = PartialDate::parse(value) {
        for lang in langs {
            forms.push(d.human(lang));
        }
        // English also writes "March 15, 2023" and "Mar 2023".
        if let Some(m) = d.month {
            let name = MONTHS[usize::from(m) - 1];
            match d.day {
                Some(day) => forms.push(format!("{name} {day}, {}", d.year)),
                None => forms.push(format!("{} {}", &name[..3], d.year)),
            }
        }
    }
    forms.retain(|f| !f.is_empty());
    forms.sort();
    forms.dedup();
    forms
}

/// Every mention of `value` in the content files of the site at `root`, in file order.
pub fn find(root: &Path, value: &str) -> Result<Vec<Mention>> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Error::Usage(
            "give a value to look for, e.g. 2023-03".into(),
        ));
    }
    let cfg = Config::load(&Options {
        root: root.to_path_buf(),
        ..Options::default()
    })?;
    let forms = forms(value, &cfg.langs);
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(&cfg.content_dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.file_type().is_file()
                && e.path()
                    .extension()
                    .is_some_and(|x| x == "md" || x == "yaml")
        })
        .map(|e| e.into_path())
        .collect();
    files.sort();
    let mut found = Vec::new();
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let shown = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
        for (i, line) in text.lines().enumerate() {
            let hit = forms
                .iter()
                .filter_map(|f| line.find(f.as_str()).map(|at| (at, f)))
                .min_by_key(|(at, f)| (*at, std::cmp::Reverse(f.len())));
            if let Some((at, form)) = hit {
                found.push(Mention {
                    path: shown.clone(),
                    line: i + 1,
                    col: line[..at].chars().count() + 1,
                    form: form.clone(),
                    text: line.trim().to_owned(),
                });
            }
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_is_looked_for_as_each_language_writes_it() {
        let langs = ["zh".to_owned(), "en".to_owned()];
        let f = forms("2023-03", &langs);
        for form in ["2023-03", "2023年3月", "March 2023", "Mar 2023"] {
            assert!(f.contains(&form.to_owned()), "{f:?}");
        }
        let f = forms("2024-03-25", &langs);
        assert!(
            f.contains(&"2024年3月25日".to_owned())
                && f.contains(&"25 March 2024".to_owned())
                && f.contains(&"March 25, 2024".to_owned()),
            "{f:?}"
        );
        assert_eq!(forms("Lepton AI", &langs), ["Lepton AI"]);
    }
}
