//! Dates from the site's git history: when each content file was first committed and when
//! it last changed, read in one pass over the history.
//!
//! One `git log --name-status` over `content/` lists every commit that touched a content
//! file, newest first, with the files it added, changed, deleted or renamed. Following
//! renames backwards (a file renamed by `dossier mv` keeps its history) gives each file
//! the date of its oldest and newest commit. The `git` binary does the walk: every
//! checkout that has a history has it, it adds nothing to the build, and one process
//! reads a history of thousands of commits in well under a second.
//!
//! Nothing here fails a build. No git, no repository, or a site not yet committed: no
//! dates (profiles then show their `updated:` field, or nothing). A shallow clone knows
//! neither when its files were first added nor what changed before its oldest commit:
//! dates come only from the commits it has, and a warning says so.

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::content::PartialDate;
use crate::error::Diagnostic;

/// A moment: seconds since the Unix epoch (UTC), and the offset of the clock that wrote
/// it, so that a commit made in Beijing shows Beijing's date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Stamp {
    pub secs: i64,
    /// Minutes east of UTC.
    pub offset: i32,
}

impl PartialOrd for Stamp {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// Stamps order by the moment, whatever the clocks' offsets.
impl Ord for Stamp {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.secs, self.offset).cmp(&(other.secs, other.offset))
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01 (`civil_from_days`).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

impl Stamp {
    /// Midnight UTC at the start of a date (a missing month or day counts as the first).
    pub fn from_date(d: PartialDate) -> Stamp {
        let days = days_from_civil(
            d.year as i64,
            d.month.unwrap_or(1) as u32,
            d.day.unwrap_or(1) as u32,
        );
        Stamp {
            secs: days * 86_400,
            offset: 0,
        }
    }

    /// Parses git's strict ISO 8601 (`%cI`): `2024-03-25T10:00:00+08:00` (or `Z`).
    pub fn parse_iso(s: &str) -> Option<Stamp> {
        let s = s.trim();
        let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
        if s.len() < 20 || s.as_bytes()[10] != b'T' {
            return None;
        }
        let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        let (h, mi, se) = (num(11..13)?, num(14..16)?, num(17..19)?);
        if !(1..=12).contains(&mo) || !(1..=31).contains(&d) {
            return None;
        }
        let offset = match &s[19..] {
            "Z" => 0,
            tz if tz.len() == 6 && (tz.starts_with('+') || tz.starts_with('-')) => {
                let sign = if tz.starts_with('-') { -1 } else { 1 };
                sign * (tz.get(1..3)?.parse::<i32>().ok()? * 60
                    + tz.get(4..6)?.parse::<i32>().ok()?)
            }
            _ => return None,
        };
        let local = days_from_civil(y, mo as u32, d as u32) * 86_400 + h * 3600 + mi * 60 + se;
        Some(Stamp {
            secs: local - offset as i64 * 60,
            offset,
        })
    }

    /// The local date and time: (year, month, day, seconds into the day).
    fn local(&self) -> (i64, u32, u32, i64) {
        let local = self.secs + self.offset as i64 * 60;
        let (y, m, d) = civil_from_days(local.div_euclid(86_400));
        (y, m, d, local.rem_euclid(86_400))
    }

    /// The local date.
    pub fn date(&self) -> PartialDate {
        let (y, m, d, _) = self.local();
        PartialDate {
            year: y.clamp(0, 9999) as u16,
            month: Some(m as u8),
            day: Some(d as u8),
        }
    }

    /// RFC 3339 with the clock's offset: `2024-03-25T10:00:00+08:00` (`Z` for UTC).
    pub fn rfc3339(&self) -> String {
        let (y, m, d, t) = self.local();
        let zone = match self.offset {
            0 => "Z".to_owned(),
            o => format!(
                "{}{:02}:{:02}",
                if o < 0 { '-' } else { '+' },
                o.abs() / 60,
                o.abs() % 60
            ),
        };
        format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}{zone}",
            t / 3600,
            t / 60 % 60,
            t % 60
        )
    }
}

/// When one file was first committed and last changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FileDates {
    /// The oldest commit that touched the file (unknown in a shallow clone).
    pub added: Option<Stamp>,
    /// The newest commit that touched the file.
    pub updated: Option<Stamp>,
}

/// The dates of every content file the history knows, by path relative to the site root
/// (`content/founders/x.zh.md`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct History {
    files: HashMap<PathBuf, FileDates>,
    /// Something the user should know (a shallow clone; git refusing the repository).
    pub warning: Option<Diagnostic>,
    /// How long reading the history took.
    pub elapsed: Duration,
}

impl History {
    /// The dates of a file, if the history has any.
    pub fn get(&self, path: &Path) -> Option<FileDates> {
        self.files.get(path).copied()
    }

    /// How many files have dates.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// The history being read in the background (the load stage runs meanwhile).
pub struct Pending(std::thread::JoinHandle<History>);

impl Pending {
    /// Waits for the history.
    pub fn finish(self) -> History {
        self.0.join().unwrap_or_default()
    }
}

/// Starts reading the history of `cfg`'s site on a thread of its own.
pub fn start(cfg: &Config) -> Pending {
    let root = cfg.root.clone();
    Pending(std::thread::spawn(move || read(&root)))
}

/// Reads the history of the content under `root`: one `git rev-parse`, one `git log`.
pub fn read(root: &Path) -> History {
    let start = Instant::now();
    let mut h = read_inner(root);
    h.elapsed = start.elapsed();
    h
}

fn git(root: &Path) -> Command {
    let mut c = Command::new("git");
    // The repository is the one holding the site root, whatever a hook's environment says.
    c.current_dir(root)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env("GIT_TERMINAL_PROMPT", "0")
        .stdin(Stdio::null());
    c
}

fn warning(message: String) -> Diagnostic {
    Diagnostic::file(".git", message)
        .warning()
        .with_hint("profiles show their `updated:` field instead of dates from git")
}

fn read_inner(root: &Path) -> History {
    let probe = match git(root)
        .args([
            "rev-parse",
            "--is-shallow-repository",
            "--git-path",
            "shallow",
        ])
        .output()
    {
        Ok(o) => o,
        // No git on this machine: no dates, nothing to say.
        Err(_) => return History::default(),
    };
    if !probe.status.success() {
        let err = String::from_utf8_lossy(&probe.stderr);
        if err.contains("not a git repository") {
            return History::default();
        }
        let first = err.lines().next().unwrap_or("").trim().to_owned();
        return History {
            warning: Some(warning(format!("cannot read the git history: {first}"))),
            ..History::default()
        };
    }
    let out = String::from_utf8_lossy(&probe.stdout).into_owned();
    let mut lines = out.lines();
    let shallow = lines.next() == Some("true");
    // The commits at the edge of a shallow clone show every file as added: their
    // entries say nothing about when a file changed.
    let edge: HashSet<String> = match (shallow, lines.next()) {
        (true, Some(p)) => std::fs::read_to_string(root.join(p))
            .unwrap_or_default()
            .lines()
            .map(|l| l.trim().to_owned())
            .collect(),
        _ => HashSet::new(),
    };
    let child = git(root)
        .args([
            "-c",
            "core.quotepath=off",
            "log",
            "-z",
            "--no-color",
            "--no-merges",
            "--format=%x1e%H%x1f%cI",
            "--name-status",
            "-M",
            "--relative",
            "--",
            "content",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn();
    let Ok(mut child) = child else {
        return History::default();
    };
    let mut raw = Vec::new();
    let read = child.stdout.take().map(|mut s| s.read_to_end(&mut raw));
    let status = child.wait();
    if !matches!((read, status), (Some(Ok(_)), Ok(s)) if s.success()) {
        // A repository without commits yet.
        return History::default();
    }
    let mut history = parse(&String::from_utf8_lossy(&raw), &edge);
    if shallow {
        history.warning = Some(warning(
            "the git history is shallow: dates come only from the commits fetched, and no \
             profile shows when it was first added"
                .into(),
        ).with_hint("fetch the whole history (`git fetch --unshallow`; actions/checkout with `fetch-depth: 0`)"));
    }
    history
}

/// Reads `git log -z --format=%x1e%H%x1f%cI --name-status` output, newest commit first.
/// Commits in `edge` (a shallow clone's oldest) are skipped, and then no file has a date
/// of first addition.
pub fn parse(log: &str, edge: &HashSet<String>) -> History {
    let mut files: HashMap<PathBuf, FileDates> = HashMap::new();
    // An older name of a file -> its name now (renames, followed backwards).
    let mut renamed: HashMap<String, String> = HashMap::new();
    let now = |renamed: &HashMap<String, String>, p: &str| -> String {
        renamed.get(p).cloned().unwrap_or_else(|| p.to_owned())
    };
    for commit in log.split('\x1e').filter(|c| !c.is_empty()) {
        let mut fields = commit.split('\0');
        let head = fields.next().unwrap_or("");
        let Some((hash, date)) = head.split_once('\x1f') else {
            continue;
        };
        let Some(when) = Stamp::parse_iso(date) else {
            continue;
        };
        if edge.contains(hash.trim()) {
            continue;
        }
        let mut touch = |path: String| {
            let d = files.entry(PathBuf::from(path)).or_default();
            d.updated = Some(d.updated.map_or(when, |u| u.max(when)));
            d.added = Some(d.added.map_or(when, |a| a.min(when)));
        };
        while let Some(status) = fields.next() {
            let status = status.trim_start_matches('\n');
            let Some(kind) = status.chars().next() else {
                continue;
            };
            match kind {
                'R' | 'C' => {
                    let (Some(old), Some(new)) = (fields.next(), fields.next()) else {
                        break;
                    };
                    let current = now(&renamed, new);
                    if kind == 'R' {
                        renamed.insert(old.to_owned(), current.clone());
                    }
                    touch(current);
                }
                _ => {
                    let Some(path) = fields.next() else { break };
                    touch(now(&renamed, path));
                }
            }
        }
    }
    if !edge.is_empty() {
        for d in files.values_mut() {
            d.added = None;
        }
    }
    History {
        files,
        ..History::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_convert_both_ways() {
        let s = Stamp::parse_iso("2024-03-25T01:30:00+08:00").unwrap();
        // 01:30 in Beijing is 17:30 the day before in UTC; the page shows Beijing's date.
        assert_eq!(s.secs, 1_711_301_400);
        assert_eq!(s.date().to_string(), "2024-03-25");
        assert_eq!(s.rfc3339(), "2024-03-25T01:30:00+08:00");
        let z = Stamp::parse_iso("2000-02-29T23:59:59Z").unwrap();
        assert_eq!(z.rfc3339(), "2000-02-29T23:59:59Z");
        assert_eq!(
            Stamp::from_date(PartialDate::parse("1970-01-02").unwrap()).secs,
            86_400
        );
        assert!(Stamp::parse_iso("2024-13-01T00:00:00Z").is_none());
        assert!(Stamp::parse_iso("yesterday").is_none());
    }

    #[test]
    fn renames_carry_a_file_history_forward() {
        // Newest first: b renamed to c, then (older) a edited, then a added... under the name b.
        let log = "\x1eh3\x1f2024-03-03T00:00:00Z\0\nR090\0content/founders/b.md\0content/founders/c.md\0\
                   \x1eh2\x1f2024-03-02T00:00:00Z\0\nM\0content/founders/b.md\0A\0content/x.md\0\
                   \x1eh1\x1f2024-03-01T00:00:00Z\0\nA\0content/founders/b.md\0";
        let h = parse(log, &HashSet::new());
        let c = h.get(Path::new("content/founders/c.md")).unwrap();
        assert_eq!(c.added.unwrap().date().to_string(), "2024-03-01");
        assert_eq!(c.updated.unwrap().date().to_string(), "2024-03-03");
        assert!(h.get(Path::new("content/founders/b.md")).is_none());
        let x = h.get(Path::new("content/x.md")).unwrap();
        assert_eq!(x.added, x.updated);
    }

    #[test]
    fn a_shallow_edge_dates_nothing() {
        let log = "\x1eh2\x1f2024-03-02T00:00:00Z\0\nM\0a.md\0\x1eh1\x1f2024-03-01T00:00:00Z\0\nA\0a.md\0A\0b.md\0";
        let h = parse(log, &HashSet::from(["h1".to_owned()]));
        let a = h.get(Path::new("a.md")).unwrap();
        assert_eq!(
            (a.added, a.updated.map(|u| u.date().to_string())),
            (None, Some("2024-03-02".into()))
        );
        assert!(h.get(Path::new("b.md")).is_none());
    }
}
