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

use std::ops::Range;
use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, Parser, Tag};

use crate::config::{Config, LangId, Options};
use crate::content::{self, AnyDoc, ContentFile, Kind, Slug};
use crate::error::{Diagnostic, Error, Result};
use crate::yaml::{self, Value};

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

/// The front matter keys of `of` that name a profile of `moved`.
fn reference_keys(moved: Kind, of: Kind) -> &'static [&'static str] {
    match (moved, of) {
        (Kind::Founder, Kind::Company) => &["founders"],
        (Kind::Company, Kind::Founder) => &["company"],
        (Kind::Sector, Kind::Founder | Kind::Company) => &["sector"],
        (Kind::Employer, Kind::Founder) => &["former_employer"],
        _ => &[],
    }
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
    let (files, _) = content::discover(&cfg)?;
    let mut parsed = Vec::with_capacity(files.len());
    let mut diags = Vec::new();
    for f in files {
        match content::parse(&cfg, &f) {
            Ok(d) => parsed.push((f, d)),
            Err(d) => diags.extend(d),
        }
    }
    if !diags.is_empty() {
        // A file that does not parse may hold a reference: rename nothing.
        return Err(Error::Diagnostics(diags));
    }
    let is_profile = |d: &AnyDoc| !matches!(d, AnyDoc::Intro(..)) && d.kind() == kind;
    let section = kind.section();
    // The profile's own files; the original must be one of them.
    let mine: Vec<&(ContentFile, AnyDoc)> = parsed
        .iter()
        .filter(|(_, d)| is_profile(d) && d.slug() == &old)
        .collect();
    let default = cfg.code(LangId::DEFAULT);
    let Some(original) = mine
        .iter()
        .find(|(f, _)| content::split_name(&cfg, &f.shown).is_ok_and(|(_, l)| l.is_default()))
    else {
        return Err(Error::Usage(format!(
            "there is no {} `{old}`: content/{section}/{old}.{default}.md does not exist",
            kind.name()
        )));
    };
    if let Some((f, _)) = parsed.iter().find(|(_, d)| {
        is_profile(d) && content::slug_key(d.slug().as_str()) == content::slug_key(new.as_str())
    }) {
        return Err(Error::Usage(format!(
            "{} already exists: not renaming `{old}` to `{new}`",
            f.shown.display()
        )));
    }
    if let Some((f, _)) = parsed.iter().find(|(_, d)| {
        is_profile(d) && d.slug() != &old && aliases_of(d).iter().any(|a| a == new.as_str())
    }) {
        return Err(Error::Usage(format!(
            "`{new}` is an alias in {}: its old address redirects there; remove it from that file's `aliases:` first",
            f.shown.display()
        )));
    }
    if kind == Kind::Page && content::group::reserved(&cfg, new.as_str()) {
        return Err(Error::Usage(format!(
            "a free page cannot be called `{new}`: /{new}/ is an address the site uses"
        )));
    }

    let mut plan = Vec::new();
    let mut moved = Moved {
        alias_in: renamed_path(&original.0.shown, &old, &new),
        ..Moved::default()
    };
    for (file, doc) in &parsed {
        let is_mine = is_profile(doc) && doc.slug() == &old;
        let is_original = std::ptr::eq(file, &original.0);
        let text = std::fs::read_to_string(&file.path).map_err(|source| Error::Read {
            path: file.path.clone(),
            source,
        })?;
        let edit = edit_file(&text, doc, kind, &old, &new, is_original)
            .map_err(|msg| Error::Diagnostics(vec![could_not(&file.shown, msg)]))?;
        if edit.edits.is_empty() && !is_mine {
            continue;
        }
        let (path, shown) = if is_mine {
            (
                renamed_path(&file.path, &old, &new),
                renamed_path(&file.shown, &old, &new),
            )
        } else {
            (file.path.clone(), file.shown.clone())
        };
        let new_text = apply(&text, &edit.edits);
        verify(&cfg, file, doc, &new_text, &edit, &shown, kind, &old, &new)?;
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
    write_all(&plan)?;
    Ok(moved)
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
    keys: &'static [&'static str],
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
            AnyDoc::Intro(..) => &[],
            d => reference_keys(moved, d.kind()),
        },
        alias: is_original,
        ..Edit::default()
    };
    for key in e.keys {
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

/// `text` with the edits (sorted, not overlapping) made.
fn apply(text: &str, edits: &[(Range<usize>, String)]) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0;
    for (r, with) in edits {
        out.push_str(&text[at..r.start]);
        out.push_str(with);
        at = r.end;
    }
    out.push_str(&text[at..]);
    out
}

/// The line ending the file uses.
fn eol(text: &str) -> &'static str {
    if text.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    }
}

/// The lines of the front matter block of top-level `key` (its line and the indented
/// lines under it), as byte ranges of `text` without their line ends.
fn key_block(text: &str, fm: Range<usize>, key: &str) -> Option<Vec<Range<usize>>> {
    let mut lines = Vec::new();
    let mut pos = fm.start;
    let mut inside = false;
    for line in text[fm.clone()].split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let range = pos..pos + content.len();
        pos += line.len();
        if !inside {
            let is_key = content
                .strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with(':'));
            if is_key {
                inside = true;
                lines.push(range);
            }
        } else if content.starts_with(' ') || content.starts_with('-') || content.trim().is_empty()
        {
            lines.push(range);
        } else {
            break;
        }
    }
    // Trailing blank lines belong to no block.
    while lines.len() > 1 && text[lines[lines.len() - 1].clone()].trim().is_empty() {
        lines.pop();
    }
    inside.then_some(lines)
}

/// The part of a line before a comment (`#` at the start or after a space).
fn uncommented(line: &str) -> &str {
    let mut prev = ' ';
    for (i, c) in line.char_indices() {
        if c == '#' && prev.is_whitespace() {
            return &line[..i];
        }
        prev = c;
    }
    line
}

/// Where `slug` stands as a whole item in the line `line` of `text`, from byte `from` of
/// the line on, outside a comment.
fn line_tokens(text: &str, line: Range<usize>, from: usize, slug: &str) -> Vec<Range<usize>> {
    let before = |c: Option<char>| c.is_none_or(|c| c.is_whitespace() || "[,:\"'".contains(c));
    let after = |c: Option<char>| c.is_none_or(|c| c.is_whitespace() || "],\"'".contains(c));
    let part = uncommented(&text[line.clone()]);
    part.match_indices(slug)
        .filter(|(i, m)| {
            *i >= from
                && before(part[..*i].chars().next_back())
                && after(part[i + m.len()..].chars().next())
        })
        .map(|(i, m)| line.start + i..line.start + i + m.len())
        .collect()
}

/// Where the value of `key` names `slug`: whole items of its block, outside comments.
fn value_tokens(text: &str, fm: Range<usize>, key: &str, slug: &str) -> Vec<Range<usize>> {
    let Some(lines) = key_block(text, fm, key) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (n, line) in lines.into_iter().enumerate() {
        // On the key's own line, the value starts after the colon.
        let from = if n == 0 {
            text[line.clone()].find(':').map_or(0, |i| i + 1)
        } else {
            0
        };
        out.extend(line_tokens(text, line, from, slug));
    }
    out
}

/// The edits that add `old` to the original's `aliases:` (and drop `new` from it, when
/// the profile takes back an old name).
fn alias_edit(
    text: &str,
    fm: Range<usize>,
    old: &Slug,
    new: &Slug,
) -> std::result::Result<Vec<(Range<usize>, String)>, String> {
    let nl = eol(text);
    let Some(lines) = key_block(text, fm.clone(), "aliases") else {
        // No `aliases:` yet: a line at the end of the front matter.
        return Ok(vec![(fm.end..fm.end, format!("aliases: [{old}]{nl}"))]);
    };
    let unquote = |s: &str| s.trim().trim_matches(['"', '\'']).to_owned();
    let head = &text[lines[0].clone()];
    let colon = head.find(':').map_or(head.len(), |i| i + 1);
    let value = uncommented(&head[colon..]);
    let value_start = lines[0].start + colon;
    if value.trim_start().starts_with('[') {
        // A flow list on the key's line: written again with the old slug added.
        let open = value_start + value.find('[').unwrap_or(0);
        let Some(close) = value.rfind(']').map(|i| value_start + i) else {
            return Err(
                "`aliases:` is a list over several lines: cannot add the old slug to it safely"
                    .into(),
            );
        };
        let mut items: Vec<&str> = text[open + 1..close]
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty() && unquote(s) != new.as_str())
            .collect();
        if !items.iter().any(|s| unquote(s) == old.as_str()) {
            items.push(old.as_str());
        }
        return Ok(vec![(open..close + 1, format!("[{}]", items.join(", ")))]);
    }
    // A block list (`- a` lines under the key), or no value yet.
    let items: Vec<&Range<usize>> = lines[1..]
        .iter()
        .filter(|r| text[(*r).clone()].trim_start().starts_with('-'))
        .collect();
    if items.is_empty() {
        if !value.trim().is_empty() && !matches!(value.trim(), "~" | "null" | "[]") {
            return Err(format!("`aliases:{}` is not a list", value.trim_end()));
        }
        let end = value_start + value.trim_end().len();
        return Ok(vec![(value_start..end, format!(" [{old}]"))]);
    }
    let item = |r: &Range<usize>| {
        let line = &text[r.clone()];
        unquote(uncommented(line).trim_start().trim_start_matches('-'))
    };
    let has_old = items.iter().any(|r| item(r) == old.as_str());
    match items.iter().find(|r| item(r) == new.as_str()) {
        // The profile takes back an old name: that item becomes the name it leaves.
        Some(r) if !has_old => {
            let tokens = line_tokens(text, (*r).clone(), 0, new.as_str());
            Ok(tokens.into_iter().map(|t| (t, old.to_string())).collect())
        }
        // Both listed: the line of the new name goes, with its line end.
        Some(r) => {
            let end = r.end + text[r.end..].find('\n').map_or(0, |i| i + 1);
            Ok(vec![(r.start..end, String::new())])
        }
        None if has_old => Ok(Vec::new()),
        // A line after the last item, written like it.
        None => {
            let last = items[items.len() - 1];
            let line = &text[last.clone()];
            let rest = line.trim_start().trim_start_matches('-').trim_start();
            let prefix = &line[..line.len() - rest.len()];
            Ok(vec![(last.end..last.end, format!("{nl}{prefix}{old}"))])
        }
    }
}

/// Where the `@/<section>/<slug>` links of a Markdown body name `slug`: inline links and
/// link reference definitions, not code or plain text.
fn link_slugs(body: &str, section: &str, slug: &str) -> Vec<Range<usize>> {
    let needle = format!("@/{section}/{slug}");
    let names = |dest: &str| {
        dest.strip_prefix(needle.as_str())
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(['/', '#', '?']))
    };
    let parser = Parser::new_ext(body, crate::markdown::options()).into_offset_iter();
    let mut spans: Vec<Range<usize>> = parser
        .reference_definitions()
        .iter()
        .filter(|(_, def)| names(&def.dest))
        .map(|(_, def)| def.span.clone())
        .collect();
    for (event, range) in parser {
        if let Event::Start(Tag::Link { dest_url, .. }) = &event {
            if names(dest_url) {
                spans.push(range);
            }
        }
    }
    let opens = |c: Option<char>| c.is_some_and(|c| c == '(' || c == '<' || c.is_whitespace());
    let ends = |c: Option<char>| c.is_none_or(|c| c.is_whitespace() || ")>#/?\"'".contains(c));
    let mut out: Vec<Range<usize>> = Vec::new();
    for span in spans {
        let s = &body[span.clone()];
        for (i, _) in s.match_indices(&needle) {
            let (start, end) = (span.start + i, span.start + i + needle.len());
            if opens(body[..start].chars().next_back()) && ends(body[end..].chars().next()) {
                let slug_start = end - slug.len();
                if !out.iter().any(|r| r.start == slug_start) {
                    out.push(slug_start..end);
                }
            }
        }
    }
    out.sort_by_key(|r| r.start);
    out
}

/// Parses the edited text again: it must be the same document with the slug replaced.
#[allow(clippy::too_many_arguments)]
fn verify(
    cfg: &Config,
    file: &ContentFile,
    doc: &AnyDoc,
    new_text: &str,
    edit: &Edit,
    shown: &Path,
    kind: Kind,
    old: &Slug,
    new: &Slug,
) -> Result<()> {
    let at = ContentFile {
        kind: file.kind,
        path: shown.to_path_buf(),
        shown: shown.to_path_buf(),
    };
    let fail = |msg: &str| Error::Diagnostics(vec![could_not(&file.shown, msg.to_owned())]);
    let again = content::parse_file_bytes(cfg, &at, new_text.as_bytes().to_vec()).map_err(|d| {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn slug(s: &str) -> Slug {
        Slug::parse(s).unwrap()
    }

    /// The front matter's byte range in `text`.
    fn fm(text: &str) -> Range<usize> {
        let s = content::split::split(text).unwrap();
        s.fm_start..s.fm_end
    }

    #[test]
    fn links_are_found_in_links_only() {
        let body = "[a](@/founders/x) [b](@/founders/x#y \"t\") [c](@/founders/xy) `@/founders/x`\n\n\
                    [d][r] <https://e.org/@/founders/x>\n\n[r]: @/founders/x/\n\n    [e](@/founders/x)\n";
        let found: Vec<&str> = link_slugs(body, "founders", "x")
            .into_iter()
            .map(|r| &body[r.end - 12..r.end])
            .collect();
        assert_eq!(found, ["@/founders/x", "@/founders/x", "@/founders/x"]);
        let edits: Vec<_> = link_slugs(body, "founders", "x")
            .into_iter()
            .map(|r| (r, "z".to_owned()))
            .collect();
        let out = apply(body, &edits);
        assert!(out.contains(
            "[a](@/founders/z) [b](@/founders/z#y \"t\") [c](@/founders/xy) `@/founders/x`"
        ));
        assert!(out.contains("[r]: @/founders/z/") && out.contains("    [e](@/founders/x)"));
    }

    #[test]
    fn references_are_whole_items_outside_comments() {
        let text = "---\nfounders: [x, xy, old-x, \"x\"] # x here\nsector: x\nother:\n  - x\n---\n";
        let hits = value_tokens(text, fm(text), "founders", "x");
        assert_eq!(hits.len(), 2);
        assert_eq!(value_tokens(text, fm(text), "sector", "x").len(), 1);
        let block = "---\nfounders:\n  - a\n  - x # old\n\nname: x\n---\n";
        let hits = value_tokens(block, fm(block), "founders", "x");
        assert_eq!(hits.len(), 1);
    }

    #[test]
    fn the_alias_is_added_however_the_list_is_written() {
        let run = |text: &str| {
            let edits = alias_edit(text, fm(text), &slug("old"), &slug("new")).unwrap();
            apply(text, &edits)
        };
        assert_eq!(
            run("---\nname: a\n---\n"),
            "---\nname: a\naliases: [old]\n---\n"
        );
        assert_eq!(
            run("---\naliases: [a, new] # kept\nname: a\n---\n"),
            "---\naliases: [a, old] # kept\nname: a\n---\n"
        );
        assert_eq!(
            run("---\naliases:\n  - a\n  - new\nname: a\n---\n"),
            "---\naliases:\n  - a\n  - old\nname: a\n---\n"
        );
        assert_eq!(
            run("---\naliases:\n  - 'old'\n  - new # back\n  - b\nname: a\n---\n"),
            "---\naliases:\n  - 'old'\n  - b\nname: a\n---\n"
        );
        assert_eq!(
            run("---\naliases:\n- a # first\nname: a\n---\n"),
            "---\naliases:\n- a # first\n- old\nname: a\n---\n"
        );
        assert_eq!(
            run("---\r\naliases: []\r\nname: a\r\n---\r\n"),
            "---\r\naliases: [old]\r\nname: a\r\n---\r\n"
        );
        assert_eq!(
            run("---\naliases:\nname: a\n---\n"),
            "---\naliases: [old]\nname: a\n---\n"
        );
    }
}
