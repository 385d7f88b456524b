//! The dev server's content: every file's parse, and the entries made of them, kept from
//! one change to the next. A change re-reads the files it names and regroups only the
//! entries those files belong to; every other entry is shared with the last build.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::{Config, LangId};
use crate::content::{self, AnyDoc, AnyEntry, Content, ContentFile, Group};
use crate::deps::Dep;
use crate::error::{Diagnostic, Error, Result};

/// A content file as last read: its parse, or its problems.
type Parsed = std::result::Result<AnyDoc, Vec<Diagnostic>>;

/// An entry's list and normalized slug.
type Key = (Group, String);

/// An entry as its files make it (none when none of them parsed), and its problems.
type Made = (Option<AnyEntry>, Vec<Diagnostic>);

/// A file of an entry: where it is and its language.
#[derive(Debug, Clone)]
struct Member {
    file: ContentFile,
    lang: LangId,
}

/// Every content file, read, and the entries they make.
#[derive(Default)]
pub struct Sources {
    parsed: HashMap<PathBuf, Parsed>,
    /// The files of `parsed` that did not parse (read on every change: kept apart).
    unparsed: BTreeSet<PathBuf>,
    /// Markdown files outside the content layout.
    stray: BTreeMap<PathBuf, Diagnostic>,
    /// The files of each entry.
    files: BTreeMap<Key, BTreeMap<PathBuf, Member>>,
    entries: BTreeMap<Key, AnyEntry>,
    /// Problems of each entry (duplicate slugs, missing fields, neutral fields).
    problems: BTreeMap<Key, Vec<Diagnostic>>,
}

impl Sources {
    /// Reads every content file.
    pub fn load(cfg: &Config) -> Result<Sources> {
        let (found, stray) = content::discover(cfg)?;
        let parsed: Vec<Parsed> = found.par_iter().map(|f| content::parse(cfg, f)).collect();
        let mut s = Sources {
            stray: stray.into_iter().map(|d| (d.path.clone(), d)).collect(),
            ..Sources::default()
        };
        for (file, p) in found.into_iter().zip(parsed) {
            if let Some((key, lang)) = file.entity(cfg) {
                if p.is_err() {
                    s.unparsed.insert(file.path.clone());
                }
                s.parsed.insert(file.path.clone(), p);
                let member = Member {
                    file: file.clone(),
                    lang,
                };
                s.files.entry(key).or_default().insert(file.path, member);
            }
        }
        s.regroup_all(cfg);
        Ok(s)
    }

    /// Reads one content file again (or forgets it): what changed in the sources.
    pub fn reread(&mut self, cfg: &Config, path: &Path) -> Vec<Dep> {
        let file = match content::classify(cfg, path) {
            Some(Ok(f)) if path.is_file() => Some(f),
            Some(Err(d)) if path.is_file() => {
                self.stray.insert(path.to_path_buf(), d);
                return Vec::new();
            }
            _ => None,
        };
        self.stray.remove(path);
        if file.is_none() && !self.parsed.contains_key(path) {
            // Neither a content file now nor one before (a tool's temporary file).
            return Vec::new();
        }
        let old = self.parsed.remove(path);
        self.unparsed.remove(path);
        let new = file.as_ref().map(|f| content::parse(cfg, f));
        let key = file
            .as_ref()
            .and_then(|f| f.entity(cfg))
            .or_else(|| self.key_of(path));
        let Some((key, lang)) = key else {
            return Vec::new();
        };
        let touched = touched(&key, lang, old.as_ref(), new.as_ref(), cfg);
        let members = self.files.entry(key.clone()).or_default();
        match (file, new) {
            (Some(file), Some(parsed)) => {
                members.insert(path.to_path_buf(), Member { file, lang });
                if parsed.is_err() {
                    self.unparsed.insert(path.to_path_buf());
                }
                self.parsed.insert(path.to_path_buf(), parsed);
            }
            _ => {
                members.remove(path);
            }
        }
        self.regroup(cfg, &key);
        touched
    }

    /// Builds every entry again, on every core: one after the other, the 20,000 entries of
    /// 10,000 profiles took 0.45–0.50 s of the server's start; 0.31–0.37 s on 2 cores.
    /// (Also when the config's cities changed: every check runs again.)
    pub fn regroup_all(&mut self, cfg: &Config) {
        let keys: Vec<Key> = self.files.keys().cloned().collect();
        let made: Vec<Made> = keys.par_iter().map(|k| self.assemble(cfg, k)).collect();
        for (key, made) in keys.iter().zip(made) {
            self.install(key, made);
        }
    }

    /// The entry key and language of a file already known (a file that was removed).
    fn key_of(&self, path: &Path) -> Option<(Key, LangId)> {
        self.files
            .iter()
            .find_map(|(k, members)| members.get(path).map(|m| (k.clone(), m.lang)))
    }

    /// Builds one entry again from its files.
    fn regroup(&mut self, cfg: &Config, key: &Key) {
        let made = self.assemble(cfg, key);
        self.install(key, made);
    }

    /// The entry `key`'s files make now, and its problems.
    fn assemble(&self, cfg: &Config, key: &Key) -> Made {
        let mut docs = Vec::new();
        let mut failed = Vec::new();
        for (path, m) in self.files.get(key).into_iter().flatten() {
            match self.parsed.get(path) {
                Some(Ok(d)) => docs.push(d.clone()),
                _ => failed.push(m.file.clone()),
            }
        }
        let (content, problems) = content::assemble(cfg, docs, &failed);
        (content.into_entries().next(), problems)
    }

    /// Keeps what [`Sources::assemble`] made of entry `key` (and forgets an entry with
    /// no file left).
    fn install(&mut self, key: &Key, (entry, problems): Made) {
        match entry {
            Some(e) => self.entries.insert(key.clone(), e),
            None => self.entries.remove(key),
        };
        if problems.is_empty() {
            self.problems.remove(key);
        } else {
            self.problems.insert(key.clone(), problems);
        }
        if self.files.get(key).is_none_or(|m| m.is_empty()) {
            self.files.remove(key);
        }
    }

    /// The content, or every problem of every file and entry.
    pub fn content(&self) -> Result<Content> {
        let mut diags: Vec<Diagnostic> = self.stray.values().cloned().collect();
        for p in self.unparsed.iter().filter_map(|p| self.parsed.get(p)) {
            if let Err(d) = p {
                diags.extend(d.iter().cloned());
            }
        }
        for d in self.problems.values() {
            diags.extend(d.iter().cloned());
        }
        let (warnings, mut errors): (Vec<_>, Vec<_>) = diags.into_iter().partition(|d| d.warning);
        if !errors.is_empty() {
            errors.sort_by(|a, b| (&a.path, a.line, a.col).cmp(&(&b.path, b.line, b.col)));
            return Err(Error::Diagnostics(errors));
        }
        let mut content = Content::from_entries(self.entries.values());
        content.warnings = warnings;
        Ok(content)
    }
}

/// What a changed file touches: its front matter in its language (when it differs), with,
/// for an original, what translations' pages read of it when that differs too; for a
/// section introduction, the introduction in every language.
fn touched(
    key: &Key,
    lang: LangId,
    old: Option<&Parsed>,
    new: Option<&Parsed>,
    cfg: &Config,
) -> Vec<Dep> {
    let (group, _) = key;
    fn doc(p: Option<&Parsed>) -> Option<&AnyDoc> {
        p.and_then(|p| p.as_ref().ok())
    }
    let (old, new) = (doc(old), doc(new));
    let Some(any) = new.or(old) else {
        return Vec::new();
    };
    if let Group::Intro(kind) = group {
        return cfg.lang_ids().map(|l| Dep::Intro(*kind, l)).collect();
    }
    let same = matches!((old, new), (Some(a), Some(b)) if a.raw() == b.raw());
    if same {
        return Vec::new();
    }
    let (kind, slug) = (any.kind(), any.slug().clone());
    let both = old.zip(new);
    let mut out = vec![Dep::Fields(kind, slug.clone(), lang)];
    if both.is_none_or(|(a, b)| a.name() != b.name()) {
        out.push(Dep::Name(kind, slug.clone(), lang));
    }
    if lang.is_default() && both.is_none_or(|(a, b)| !a.same_shared(b)) {
        out.push(Dep::Shared(kind, slug));
    }
    out
}
