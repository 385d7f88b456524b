//! `dossier mv KIND OLD NEW`: renames a profile's file in every language, leaves an alias
//! at its old address, and rewrites every reference to it in front matter and every
//! `@/<section>/OLD` link in the Markdown bodies.
//!
//! Files are edited as text, as their authors wrote them: only the characters of the
//! slug (and the `aliases:` line) change; comments, quoting, layout, line ends and a BOM
//! stay byte for byte. Every edited file is parsed again before anything is written, and
//! its fields must come out exactly as expected (the old fields with the slug replaced):
//! where a layout is too unusual to edit safely, nothing is written and the error names
//! the file. The files are then written beside their targets and renamed into place, and
//! the old files removed last.

mod edits;

use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::config::{Config, LangId, Options};
use crate::content::{self, AnyDoc, ContentFile, Kind, Slug};
use crate::error::{Diagnostic, Error, Result};
use crate::yaml::{self, Value};
use edits::{alias_edit, apply, link_slugs, value_tokens};

/// What a rename did, as paths relative to the site root.
#[derive(Debug, Default)]
pub struct Moved {
    /// Old path, new path.
    pub renamed: Vec<(PathBuf, PathBuf)>,
    /// Files edited in place: path, references rewritten, links rewritten.
    pub edited: Vec<(PathBuf, usize, usize)>,
    /// The file that now lists the old slug under `aliases:`.
    pub alias_in: PathBuf,
}

impl Moved {
    /// One line per change, for the terminal.
    pub fn lines(&self, old: &str) -> Vec<String> {
        let mut out: Vec<String> = self
            .renamed
            .iter()
            .map(|(a, b)| format!("renamed {} -> {}", a.display(), b.display()))
            .collect();
        out.push(format!(
            "added alias `{old}` to {} (the old address redirects)",
            self.alias_in.display()
        ));
        for (p, refs, links) in &self.edited {
            out.push(format!(
                "updated {}: {refs} reference{}, {links} link{}",
                p.display(),
                if *refs == 1 { "" } else { "s" },
                if *links == 1 { "" } else { "s" }
            ));
        }
        out
    }
}

/// The front matter keys of `of` that name a profile of `moved` (the reference graph's
/// fields, `resolve::graph`).
fn reference_keys(moved: Kind, of: Kind) -> Vec<&'static str> {
    crate::resolve::graph::fields_naming(moved, of).collect()
}

/// A file to write: where, its new text, and the file it replaces (a rename).
struct Planned {
    path: PathBuf,
    shown: PathBuf,
    text: String,
    replaces: Option<PathBuf>,
}

/// Renames profile `old` of `kind` to `new` under the site at `root`.
pub fn run(root: &Path, kind: &str, old: &str, new: &str) -> Result<Moved> {
    let kind = Kind::from_name(kind).ok_or_else(|| {
        Error::Usage(format!(
            "unknown kind `{kind}`: use founder, company, sector, employer or page"
        ))
    })?;
    let old = Slug::parse(old).map_err(|m| Error::Usage(format!("OLD: {m}")))?;
    let new = Slug::parse(new).map_err(|m| Error::Usage(format!("NEW: {m}")))?;
    if content::slug_key(old.as_str()) == content::slug_key(new.as_str()) {
        return Err(Error::Usage(format!(
            "`{old}` and `{new}` name the same file"
        )));
    }
    let cfg = Config::load(&Options {
        root: root.to_path_buf(),
        ..Options::default()
    })?;
    let parsed = parse_all(&cfg)?;
    let rename = Rename {
        cfg: &cfg,
        kind,
        old: &old,
        new: &new,
    };
    let original = rename.original(&parsed)?;
    rename.refuse_taken(&parsed)?;
    let (plan, moved) = rename.plan(&parsed, original)?;
    write_all(&plan)?;
    Ok(moved)
}

/// Every content file, parsed; any that does not parse may hold a reference, so then
/// nothing is renamed.
fn parse_all(cfg: &Config) -> Result<Vec<(ContentFile, AnyDoc)>> {
    let (files, _) = content::discover(cfg)?;
    let mut parsed = Vec::with_capacity(files.len());
    let mut diags = Vec::new();
    for f in files {
        match content::parse(cfg, &f) {
            Ok(d) => parsed.push((f, d)),
            Err(d) => diags.extend(d),
        }
    }
    if !diags.is_empty() {
        return Err(Error::Diagnostics(diags));
    }
    Ok(parsed)
}

/// One rename asked for: profile `old` of `kind` becomes `new`.
struct Rename<'a> {
    cfg: &'a Config,
    kind: Kind,
    old: &'a Slug,
    new: &'a Slug,
}

impl Rename<'_> {
    /// Whether `d` is a profile of the kind renamed (not a section introduction).
    fn is_profile(&self, d: &AnyDoc) -> bool {
        !matches!(d, AnyDoc::Intro(..)) && d.kind() == self.kind
    }

    /// Whether `d` is one of the files of the profile renamed.
    fn is_mine(&self, d: &AnyDoc) -> bool {
        self.is_profile(d) && d.slug() == self.old
    }

    /// The profile's original (default-language) file, which must exist.
    fn original<'p>(&self, parsed: &'p [(ContentFile, AnyDoc)]) -> Result<&'p ContentFile> {
        let (cfg, old) = (self.cfg, self.old);
        let default = cfg.code(LangId::DEFAULT);
        parsed
            .iter()
            .filter(|(_, d)| self.is_mine(d))
            .map(|(f, _)| f)
            .find(|f| content::split_name(cfg, &f.shown).is_ok_and(|(_, l)| l.is_default()))
            .ok_or_else(|| {
                Error::Usage(format!(
                    "there is no {} `{old}`: content/{}/{old}.{default}.md does not exist",
                    self.kind.name(),
                    self.kind.section()
                ))
            })
    }

    /// Refuses a new slug that a profile, an alias or (for a free page) the site already
    /// uses.
    fn refuse_taken(&self, parsed: &[(ContentFile, AnyDoc)]) -> Result<()> {
        let (old, new) = (self.old, self.new);
        if let Some((f, _)) = parsed.iter().find(|(_, d)| {
            self.is_profile(d)
                && content::slug_key(d.slug().as_str()) == content::slug_key(new.as_str())
        }) {
            return Err(Error::Usage(format!(
                "{} already exists: not renaming `{old}` to `{new}`",
                f.shown.display()
            )));
        }
        if let Some((f, _)) = parsed.iter().find(|(_, d)| {
            self.is_profile(d) && d.slug() != old && aliases_of(d).iter().any(|a| a == new.as_str())
        }) {
            return Err(Error::Usage(format!(
                "`{new}` is an alias in {}: its old address redirects there; remove it from that file's `aliases:` first",
                f.shown.display()
            )));
        }
        if self.kind == Kind::Page && content::group::reserved(self.cfg, new.as_str()) {
            return Err(Error::Usage(format!(
                "a free page cannot be called `{new}`: /{new}/ is an address the site uses"
            )));
        }
        Ok(())
    }

    /// Every file to write (the profile's, renamed, and every file that refers to it),
    /// each edited and checked; and what that does.
    fn plan(
        &self,
        parsed: &[(ContentFile, AnyDoc)],
        original: &ContentFile,
    ) -> Result<(Vec<Planned>, Moved)> {
        let (old, new) = (self.old, self.new);
        let mut plan = Vec::new();
        let mut moved = Moved {
            alias_in: renamed_path(&original.shown, old, new),
            ..Moved::default()
        };
        for (file, doc) in parsed {
            let is_mine = self.is_mine(doc);
            let is_original = std::ptr::eq(file, original);
            let text = std::fs::read_to_string(&file.path).map_err(|source| Error::Read {
                path: file.path.clone(),
                source,
            })?;
            let edit = edit_file(&text, doc, self.kind, old, new, is_original)
                .map_err(|msg| Error::Diagnostics(vec![could_not(&file.shown, msg)]))?;
            if edit.edits.is_empty() && !is_mine {
                continue;
            }
            let (path, shown) = if is_mine {
                (
                    renamed_path(&file.path, old, new),
                    renamed_path(&file.shown, old, new),
                )
            } else {
                (file.path.clone(), file.shown.clone())
            };
            let new_text = apply(&text, &edit.edits);
            self.verify(file, doc, &new_text, &edit, &shown)?;
            if is_mine {
                moved.renamed.push((file.shown.clone(), shown.clone()));
            } else {
                moved
                    .edited
                    .push((shown.clone(), edit.references, edit.links));
            }
            plan.push(Planned {
                path,
                shown,
                text: new_text,
                replaces: is_mine.then(|| file.path.clone()),
            });
        }
        Ok((plan, moved))
    }

    /// Parses the edited text again: it must be the same document with the slug replaced.
    fn verify(
        &self,
        file: &ContentFile,
        doc: &AnyDoc,
        new_text: &str,
        edit: &Edit,
        shown: &Path,
    ) -> Result<()> {
        let (cfg, kind, old, new) = (self.cfg, self.kind, self.old, self.new);
        let at = ContentFile {
            kind: file.kind,
            path: shown.to_path_buf(),
            shown: shown.to_path_buf(),
        };
        let fail = |msg: &str| Error::Diagnostics(vec![could_not(&file.shown, msg.to_owned())]);
        let again =
            content::parse_file_bytes(cfg, &at, new_text.as_bytes().to_vec()).map_err(|d| {
                fail(&format!(
                    "the edited file would not parse: {}",
                    d.first().map(|d| d.message.as_str()).unwrap_or("")
                ))
            })?;
        let mut expected: Vec<(String, Value)> = doc
            .raw()
            .iter()
            .map(|(k, v)| {
                if edit.keys.contains(&k.as_str()) {
                    (
                        k.clone(),
                        yaml::replace_string(v, old.as_str(), new.as_str()),
                    )
                } else {
                    (k.clone(), v.clone())
                }
            })
            .collect();
        if edit.alias {
            let mut list: Vec<String> = aliases_of(doc)
                .into_iter()
                .filter(|a| a != new.as_str())
                .collect();
            if !list.iter().any(|a| a == old.as_str()) {
                list.push(old.to_string());
            }
            let value = yaml::string_list(list.iter().map(String::as_str));
            match expected.iter_mut().find(|(k, _)| k == "aliases") {
                Some((_, v)) => *v = value,
                None => expected.push(("aliases".into(), value)),
            }
        }
        if again.raw() != &expected {
            return Err(fail(
                "the edited front matter does not read as the old one with the slug replaced",
            ));
        }
        let body = again.src().body();
        if !link_slugs(body, kind.section(), old.as_str()).is_empty() {
            return Err(fail("a link to the old slug is left in the body"));
        }
        Ok(())
    }
}

/// The aliases a document's front matter lists.
fn aliases_of(d: &AnyDoc) -> Vec<String> {
    d.raw()
        .iter()
        .find(|(k, _)| k == "aliases")
        .and_then(|(_, v)| yaml::as_strings(v))
        .unwrap_or_default()
}

fn could_not(shown: &Path, msg: String) -> Diagnostic {
    Diagnostic::file(shown, msg).with_hint(
        "nothing was renamed or written; edit this file by hand, then run `dossier mv` again",
    )
}

/// `dir/OLD.zh.md` -> `dir/NEW.zh.md`.
fn renamed_path(path: &Path, old: &Slug, new: &Slug) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let rest = name.strip_prefix(old.as_str()).unwrap_or(&name);
    path.with_file_name(format!("{new}{rest}"))
}

/// The changes to one file.
#[derive(Default)]
struct Edit {
    edits: Vec<(Range<usize>, String)>,
    references: usize,
    links: usize,
    /// The keys whose values name the slug.
    keys: Vec<&'static str>,
    /// Whether `aliases:` gains the old slug.
    alias: bool,
}

/// Plans the edits of one file's text (as on disk).
fn edit_file(
    text: &str,
    doc: &AnyDoc,
    moved: Kind,
    old: &Slug,
    new: &Slug,
    is_original: bool,
) -> std::result::Result<Edit, String> {
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let split = content::split::split(&text[bom..])
        .map_err(|_| "the front matter could not be found again".to_owned())?;
    let fm = bom + split.fm_start..bom + split.fm_end;
    let body = bom + split.body_start;
    let mut e = Edit {
        keys: match doc {
            AnyDoc::Intro(..) => Vec::new(),
            d => reference_keys(moved, d.kind()),
        },
        alias: is_original,
        ..Edit::default()
    };
    for key in e.keys.clone() {
        for r in value_tokens(text, fm.clone(), key, old.as_str()) {
            e.edits.push((r, new.to_string()));
            e.references += 1;
        }
    }
    if is_original {
        e.edits.extend(alias_edit(text, fm.clone(), old, new)?);
    }
    for r in link_slugs(&text[body..], moved.section(), old.as_str()) {
        e.edits
            .push((body + r.start..body + r.end, new.to_string()));
        e.links += 1;
    }
    e.edits.sort_by_key(|(r, _)| r.start);
    if e.edits.windows(2).any(|w| w[0].0.end > w[1].0.start) {
        return Err("two changes to this file overlap".into());
    }
    Ok(e)
}

/// Writes every planned file beside its target, then renames them into place and removes
/// the files they replace. Nothing is changed if any file cannot be written.
fn write_all(plan: &[Planned]) -> Result<()> {
    // A short name of its own, not the target's name with a suffix: a target name near
    // the 255-byte limit must not make its temporary file's name too long.
    let temp =
        |p: &Path, n: usize| p.with_file_name(format!(".dossier-mv-{}-{n}", std::process::id()));
    let mut written: Vec<PathBuf> = Vec::new();
    for (n, p) in plan.iter().enumerate() {
        let t = temp(&p.path, n);
        if let Err(source) = std::fs::write(&t, &p.text) {
            for w in written.iter().chain([&t]) {
                let _ = std::fs::remove_file(w);
            }
            return Err(Error::Write {
                path: p.shown.clone(),
                source,
            });
        }
        written.push(t);
    }
    for (p, t) in plan.iter().zip(&written) {
        std::fs::rename(t, &p.path).map_err(|source| Error::Write {
            path: p.shown.clone(),
            source,
        })?;
    }
    for p in plan {
        if let Some(old) = &p.replaces {
            std::fs::remove_file(old).map_err(|source| Error::Write {
                path: old.clone(),
                source,
            })?;
        }
    }
    Ok(())
}
