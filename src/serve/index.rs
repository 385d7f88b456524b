//! The dev server's search index: built for the newest set of records, one run at a time,
//! on threads of its own at the lowest CPU priority, and copied into the served files.

use std::sync::mpsc::Receiver;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use super::http::State;
use super::log::{say, Log};
use crate::config::Config;

/// How long the site must be unchanged before the search index is updated.
const INDEX_QUIET: Duration = Duration::from_millis(1500);

/// A request to index the site's pages.
pub(super) type IndexJob = (Config, Vec<Arc<crate::search::Record>>);

/// Whether a served file belongs to the shard directory `dir` (`pagefind/` holds shard 0
/// beside the directories of the others).
fn in_shard_dir(path: &str, dir: &str) -> bool {
    let Some(rest) = path.strip_prefix(dir) else {
        return false;
    };
    if dir != "pagefind/" {
        return true;
    }
    // Shard 0: the files at the top and its own fragment/, index/ and filter/.
    !rest.contains('/')
        || ["fragment/", "index/", "filter/"]
            .iter()
            .any(|d| rest.starts_with(d))
}

/// Builds the search index for the newest request, one at a time: requests that arrive
/// while it runs, or before the edits pause for [`INDEX_QUIET`], are folded into the next
/// run, and a run rebuilds only the shards whose records changed.
pub(super) fn indexer(rx: Receiver<IndexJob>, state: &RwLock<State>, log: &Log) {
    // Its own thread pool, at the lowest priority: Pagefind's work must not hold the pool
    // or the cores the rebuilds use, or an edit waits for it. Two threads: it runs
    // while the edits pause, on cores that are otherwise idle.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .start_handler(|_| lower_priority())
        .build()
        .ok();
    lower_priority();
    let mut index = crate::search::Index::two_at_a_time();
    let mut first = true;
    while let Ok(mut job) = rx.recv() {
        // After the first, a run waits for the edits to pause: an update takes seconds on
        // a large site, and even at the lowest priority it slowed each edit's rebuild by a
        // fifth (it shares the caches and memory). Requests meanwhile fold into it.
        let quiet = if first { Duration::ZERO } else { INDEX_QUIET };
        loop {
            match rx.recv_timeout(quiet) {
                Ok(newer) => job = newer,
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => break,
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return,
            }
        }
        let t = Instant::now();
        let (cfg, records) = job;
        if std::mem::take(&mut first) {
            if let Some(last) = from_last_build(&cfg) {
                index = last;
                say(
                    log,
                    format!(
                        "search index of the last build read in {} ms",
                        t.elapsed().as_millis()
                    ),
                );
            }
        }
        let update = match &pool {
            Some(pool) => pool.install(|| index.update(&cfg, &records)),
            None => index.update(&cfg, &records),
        };
        match update {
            Ok(update) => {
                let rebuilt = update.indexed;
                if let Ok(mut s) = state.write() {
                    if update.full {
                        s.files.retain(|p, _| !p.starts_with("pagefind/"));
                    }
                    for dir in &update.dirs {
                        s.files.retain(|p, _| !in_shard_dir(p, dir));
                    }
                    for f in update.files {
                        s.files
                            .insert(f.path.to_string(), Arc::new(f.body.into_bytes()));
                    }
                }
                say(
                    log,
                    format!(
                        "search index updated in {} ms ({rebuilt} shards indexed anew)",
                        t.elapsed().as_millis()
                    ),
                );
            }
            Err(e) => say(
                log,
                format!("search index failed: {}", crate::error::chain(&e)),
            ),
        }
    }
}

/// The search index the last `dossier build` of the site left, when this binary wrote it
/// and every shard's records and files are as it kept them: shards whose records are the
/// same now are served as they are, not indexed again. None otherwise (the index is built
/// whole).
fn from_last_build(cfg: &Config) -> Option<crate::search::Index> {
    let (kept, stores) = crate::incremental::state::load_search(cfg)?;
    let stored = |key| crate::incremental::state::stored(cfg, &stores, key);
    let read = |path: &crate::output::SitePath| -> Option<Vec<u8>> {
        // A plain file inside the output, never a link out of it.
        let file = crate::write::inside(&cfg.output_dir, path.as_str()).ok()?;
        let plain = std::fs::symlink_metadata(&file).ok()?.is_file();
        plain.then(|| std::fs::read(file).ok()).flatten()
    };
    crate::search::kept::restore(cfg, &kept, &stored, &read)
}

/// Makes the calling thread yield the CPU to the others: it runs only on a core nothing
/// else wants (`SCHED_IDLE`), or failing that at nice 10. At nice 10 the indexer still
/// took a tenth of the core an edit's rebuild was using.
pub(super) fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: sched_setscheduler and setpriority with a thread id only change that
    // thread's scheduling; the param is a valid, initialised struct (all integers, zero
    // is valid); gettid cannot fail.
    unsafe {
        let tid = libc::syscall(libc::SYS_gettid) as libc::pid_t;
        // musl's sched_param has more fields than glibc's, and its sched_setscheduler()
        // always fails (ENOSYS): the system call itself, as glibc makes it, works with both
        // (the static release binary is built against musl).
        let mut param: libc::sched_param = std::mem::zeroed();
        param.sched_priority = 0;
        let set = libc::syscall(
            libc::SYS_sched_setscheduler,
            tid,
            libc::SCHED_IDLE,
            &param as *const libc::sched_param,
        );
        if set != 0 {
            libc::setpriority(libc::PRIO_PROCESS, tid as libc::id_t, 10);
        }
    }
}
