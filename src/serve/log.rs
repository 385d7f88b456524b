//! Where the dev server's log lines go: the binary prints them, a test reads them.

use std::sync::Mutex;

/// The receiver of log lines, one event per line.
pub(super) type Log<'a> = Mutex<&'a mut (dyn FnMut(String) + Send)>;

/// Sends one line to the log.
pub(super) fn say(log: &Log, line: String) {
    if let Ok(mut l) = log.lock() {
        (*l)(line);
    }
}
