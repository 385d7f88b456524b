//! One `dossier build`: the front half, then what to render, rendering it, and writing
//! the new site and the state.

use std::collections::{BTreeSet, HashSet};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::prev::{self, Prev};
use super::state::{self, State, Tree};
use super::tree::{self, From, Target};
use super::values::Values;
use super::{index, outputs, unchanged};
use crate::config::{Config, Mode, Options};
use crate::error::{Diagnostic, Error, Result};
use crate::output::{Body, SitePath};
use crate::render::{self, Env, OutputId};
use crate::report::Report;
use crate::{cache, cards, pipeline};

/// Builds the site into the output directory, incrementally unless `clean` (or there is
/// no usable state).
pub fn build(opts: &Options, clean: bool) -> Result<Report> {
    let start = Instant::now();
    let cfg = Config::load(&Options {
        mode: Mode::Build,
        ..opts.clone()
    })?;
    crate::write::guard(&cfg)?;
    let lock = lock(&cfg);
    // Staging directories of builds killed before this kind of build existed.
    crate::write::remove_stale(&cfg.output_dir);
    let mut clock = Clock::new();
    let cache = Arc::new(cache::Cache::at(&cfg.root));
    let cards = cards::Renderer::new(cache.clone());
    // Cards drawn with other fonts differ: the fonts are part of the salt.
    let fonts = cfg.cards.then(|| cards.fonts_fingerprint().to_owned());
    let salt = state::salt(&cfg, opts, &[fonts.unwrap_or_default().as_bytes()]);
    let digest = unchanged::digest(&cfg).unwrap_or_default();
    let mut warnings = Vec::new();
    // Without the lock (the state's directory cannot be written) no state is trusted.
    let prev = last_state(&cfg, &salt, clean || lock.is_none(), &mut warnings);
    clock.lap("state");
    if let Some(p) = prev
        .as_ref()
        .filter(|p| unchanged::nothing_to_do(&cfg, p, &digest))
    {
        clock.lap("compare");
        return Ok(unchanged_report(&cfg, p, warnings, start, clock));
    }
    let pipeline::Loaded {
        theme,
        content,
        history,
    } = pipeline::load(&cfg, &mut |s| clock.lap(s))?;
    let inputs = pipeline::Inputs {
        cfg: &cfg,
        theme: &theme,
        history: &history,
        cache: &cache,
        cards: Some(&cards),
        previous: None,
    };
    let (front, done) = pipeline::front(inputs, content, &mut |s| clock.lap(s), |f, env| {
        let mut said: Vec<Diagnostic> = f.site.content.warnings.clone();
        said.extend(f.images.warnings.iter().cloned());
        said.extend(history.warning.clone());
        let sources = Sources {
            salt,
            inputs: digest,
            warnings: said,
        };
        write_site(env, prev, sources)
    })?;
    let Some(done) = done else {
        // The state lacked a search record it promised: start again without it.
        drop(lock);
        state::forget(&cfg);
        return build(opts, true);
    };
    clock.laps.extend(done.laps.iter().copied());
    if done.rendered_all {
        cache.prune(&["images", "cards"]);
    } else {
        cache.prune(&["images"]);
    }
    clock.laps.push(("git log", history.elapsed));
    drop(front);
    // What the state records: the sources' warnings, and the cards' missing font.
    warnings.extend(done.warnings);
    Ok(Report {
        pages: done.pages,
        files: done.files,
        elapsed: start.elapsed(),
        output: cfg.shown(&cfg.output_dir),
        warnings,
        timings: clock.laps,
        cache: cache.stats(),
        rendered: Some(done.rendered),
    })
}

/// The last build's state, unless `ignore`; a note in `warnings` when there is one that
/// cannot be used.
fn last_state(
    cfg: &Config,
    salt: &[u8; 32],
    ignore: bool,
    warnings: &mut Vec<Diagnostic>,
) -> Option<State> {
    match (ignore, state::load(cfg, salt)) {
        (false, Ok(s)) => Some(s),
        (false, Err(Some(why))) => {
            warnings.push(note(cfg, &why));
            None
        }
        _ => None,
    }
}

/// The report of a build that found the site as the last one left it.
fn unchanged_report(
    cfg: &Config,
    p: &State,
    mut warnings: Vec<Diagnostic>,
    start: Instant,
    clock: Clock,
) -> Report {
    warnings.extend(p.warnings.iter().cloned());
    let tree = p.trees.iter().find(|t| t.id == p.current);
    Report {
        pages: p.pages.clone(),
        files: tree.map_or(0, |t| t.files.len()),
        elapsed: start.elapsed(),
        output: cfg.shown(&cfg.output_dir),
        warnings,
        timings: clock.laps,
        cache: Vec::new(),
        rendered: Some((0, p.outputs.len())),
    }
}

/// The one-line note of a state that cannot be used.
fn note(cfg: &Config, why: &str) -> Diagnostic {
    Diagnostic::file(
        cfg.shown(&state::dir(cfg).join("state")),
        format!("the last build's state was set aside: {why}; this build renders every page"),
    )
    .warning()
}

/// One build of the site at a time: the spare tree and the state are the build's own. A
/// build started while another runs waits for it, as cargo does (the lock goes with the
/// process that holds it, killed or not). None where the state's directory cannot be
/// written (the build then keeps no state).
// The note is printed, not reported: it must be read while the build waits, before there
// is any report (cargo's "Blocking waiting for file lock" likewise).
#[allow(clippy::print_stderr)]
fn lock(cfg: &Config) -> Option<std::fs::File> {
    let dir = state::dir(cfg);
    let path = dir.join("lock");
    let file = std::fs::create_dir_all(&dir)
        .and_then(|()| std::fs::File::create(&path))
        .ok()?;
    match file.try_lock() {
        Ok(()) => Some(file),
        Err(std::fs::TryLockError::WouldBlock) => {
            eprintln!(
                "note: waiting for another `dossier build` of this site to finish (it holds {})",
                cfg.shown(&path).display()
            );
            file.lock().ok().map(|()| file)
        }
        Err(std::fs::TryLockError::Error(_)) => None,
    }
}

/// What writing the site did.
struct Done {
    pages: Vec<(String, usize)>,
    files: usize,
    /// Outputs rendered (the rest stood).
    rendered: (usize, usize),
    rendered_all: bool,
    laps: Vec<(&'static str, Duration)>,
    warnings: Vec<Diagnostic>,
}

/// Renders what changed and writes the new site and the state. None: the state lacked
/// something the build needs (a search record), and the build must start again, clean.
/// What the state records of the sources a build read.
struct Sources {
    salt: [u8; 32],
    inputs: [u8; 32],
    /// The warnings they gave.
    warnings: Vec<Diagnostic>,
}

fn write_site(env: &Env, prev: Option<State>, sources: Sources) -> Result<Option<Done>> {
    let clock = &mut Clock::new();
    let cfg = env.cfg;
    let ids = &env.plan;
    let paths: Vec<SitePath> = ids.iter().map(|id| id.path(cfg)).collect::<Result<_>>()?;
    let prev = prev::trees(cfg, prev);
    let values = Values::new(env);
    let (reused, now) = match &prev {
        Some(p) => outputs::reusable(cfg, p, &values, &paths),
        None => (HashSet::new(), Vec::new()),
    };
    clock.lap("compare");
    let rendered_at: Vec<usize> = (0..ids.len()).filter(|i| !reused.contains(i)).collect();
    let todo: Vec<OutputId> = rendered_at.iter().map(|&i| ids[i]).collect();
    let rendered = render::outputs(env, &todo, true)?;
    clock.lap("render");
    let mut next = State {
        salt: sources.salt,
        binary: state::binary(),
        inputs: sources.inputs,
        warnings: sources.warnings,
        pages: crate::report::page_counts(cfg, ids.iter().copied()),
        ..State::default()
    };
    let made = outputs::Made {
        env,
        paths: &paths,
        rendered_at,
        reused: &reused,
        prev: prev.as_ref(),
        now: &now,
        values: &values,
    };
    let files = outputs::files(made, rendered, &mut next)?;
    clock.lap("minify");
    let spare = tree::spare_of(&cfg.output_dir);
    let Some((id, stamps, written)) = fill(cfg, prev.as_ref(), files, &mut next, clock)? else {
        return Ok(None);
    };
    let old_out = prev.as_ref().and_then(|p| p.out.clone());
    next.current = id;
    next.trees.push(Tree {
        id,
        files: stamps.into_iter().collect(),
    });
    next.trees.extend(old_out.clone());
    next.missing_cjk = env.cards.is_some_and(|c| c.missing_cjk())
        || (prev.as_ref().is_some_and(|p| p.state.missing_cjk) && !reused.is_empty());
    if next.missing_cjk {
        next.warnings.push(crate::report::no_cjk_font(env.theme));
    }
    commit(cfg, &next, &spare, old_out.is_some())?;
    index::forget_unused(cfg, &next.stores);
    clock.lap("swap");
    Ok(Some(Done {
        pages: next.pages.clone(),
        files: written,
        rendered: (todo.len(), ids.len()),
        rendered_all: reused.is_empty(),
        laps: std::mem::take(&mut clock.laps),
        warnings: next.warnings.clone(),
    }))
}

/// The spare filled: its name, every file's stamp, how many files.
type Filled = (u128, Vec<(String, state::Stamp)>, usize);

/// Makes the spare hold the new site: `files`, the search index, the marker, and nothing
/// else. Returns every file's stamp and how many there are; None as [`write_site`].
fn fill(
    cfg: &Config,
    prev: Option<&Prev>,
    files: outputs::Files,
    next: &mut State,
    clock: &mut Clock,
) -> Result<Option<Filled>> {
    let out = &cfg.output_dir;
    let spare = tree::spare_of(out);
    let known = prev.and_then(|p| p.spare.as_ref());
    // Marked before the spare is touched: a build killed while it changes the spare
    // leaves it unknown to the next. Where the mark cannot be written, the state cannot
    // vouch for the spare either.
    let mut known = known;
    if std::fs::write(state::dir(cfg).join("spare-dirty"), b"").is_err() {
        state::forget(cfg);
        known = None;
    }
    if known.is_none() {
        tree::reset(&spare)?;
    }
    let mut stamps = tree::place_all(out, &spare, known, &files.targets)?;
    let mut wanted: BTreeSet<String> = files.targets.iter().map(|t| t.path.to_string()).collect();
    drop(files.targets);
    clock.lap("write");
    if cfg.search {
        let Some(ix) = index::index(cfg, prev, &files.records)? else {
            return Ok(None);
        };
        stamps.extend(tree::place_all(out, &spare, known, &ix.targets)?);
        wanted.extend(ix.targets.iter().map(|t| t.path.to_string()));
        next.search = Some(ix.kept);
        next.stores = ix.stores;
        clock.lap("search index");
    }
    let id = state::tree_id(stamps.iter().map(|(p, s)| (p.as_str(), s.hash)));
    let marker = marker(id)?;
    wanted.insert(marker.path.to_string());
    stamps.extend(tree::place_all(
        out,
        &spare,
        known,
        std::slice::from_ref(&marker),
    )?);
    let wanted_refs: BTreeSet<&str> = wanted.iter().map(String::as_str).collect();
    tree::prune(&spare, known, &wanted_refs)?;
    Ok(Some((id, stamps, wanted.len())))
}

/// The file that marks a directory as dossier's output.
fn marker(id: u128) -> Result<Target> {
    let body = Body::Bytes(state::marker_text(id).into_bytes());
    Ok(Target {
        path: SitePath::new(crate::write::MARKER).map_err(Error::Internal)?,
        hash: body.hash(),
        from: From::New(body),
    })
}

/// Saves the state, then puts the spare at the output. The state describes both trees
/// whichever is at the output, so a build killed between the two leaves a state that is
/// still true.
fn commit(cfg: &Config, next: &State, spare: &Path, keep_old: bool) -> Result<()> {
    let out = &cfg.output_dir;
    if let Err(e) = state::save(cfg, next) {
        // Without a state the next build is clean; this one still stands.
        state::forget(cfg);
        let _ = e;
    }
    let _ = std::fs::remove_file(state::dir(cfg).join("spare-dirty"));
    if std::fs::symlink_metadata(out).is_err() {
        return std::fs::rename(spare, out).map_err(crate::write::write_err(out));
    }
    if !crate::write::exchange(spare, out).map_err(crate::write::write_err(out))? {
        // Two renames where the file system cannot exchange.
        let old = crate::write::sibling(out, "old", std::process::id());
        std::fs::rename(out, &old).map_err(crate::write::write_err(out))?;
        if let Err(e) = std::fs::rename(spare, out) {
            let _ = std::fs::rename(&old, out);
            return Err(crate::write::write_err(out)(e));
        }
        std::fs::rename(&old, spare).map_err(crate::write::write_err(spare))?;
    }
    if !keep_old {
        // Nothing is known of the site it replaced: it is no use as a spare.
        crate::write::remove_tree(spare);
    }
    Ok(())
}

/// Stage timings.
pub(crate) struct Clock {
    last: Instant,
    pub(crate) laps: Vec<(&'static str, Duration)>,
}

impl Clock {
    pub(crate) fn new() -> Clock {
        Clock {
            last: Instant::now(),
            laps: Vec::new(),
        }
    }

    pub(crate) fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.laps.push((stage, now - self.last));
        self.last = now;
    }
}
