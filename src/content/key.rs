//! [`Key`]: a slug's identity, interned. An output is named by its profile's kind and key
//! (`OutputId`), not by the profile's position in a list, so the name means the same profile
//! whatever is added, removed or renamed around it: the dev server keeps outputs from one
//! change to the next by these names.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, OnceLock, RwLock};

/// An interned slug: copied freely, compared by the slug's text.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key(u32);

#[derive(Default)]
struct Table {
    ids: HashMap<Arc<str>, u32>,
    names: Vec<Arc<str>>,
}

fn table() -> &'static RwLock<Table> {
    static TABLE: OnceLock<RwLock<Table>> = OnceLock::new();
    TABLE.get_or_init(Default::default)
}

impl Key {
    /// The key of `slug` (the same key for the same text, for the life of the process).
    pub fn of(slug: &str) -> Key {
        if let Some(&id) = table()
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .ids
            .get(slug)
        {
            return Key(id);
        }
        let mut t = table().write().unwrap_or_else(|e| e.into_inner());
        if let Some(&id) = t.ids.get(slug) {
            return Key(id);
        }
        let id = t.names.len() as u32;
        let name: Arc<str> = Arc::from(slug);
        t.names.push(name.clone());
        t.ids.insert(name, id);
        Key(id)
    }

    /// The keys of `slugs`, in order, under one read of the table: the dev server plans
    /// every output after each edit, and at 10,000 profiles taking the lock and hashing
    /// once per output was a fifth of an edit's rebuild.
    pub fn of_each<'a>(slugs: impl IntoIterator<Item = &'a str>) -> Vec<Key> {
        let mut keys = Vec::new();
        let mut missing = Vec::new();
        {
            let t = table().read().unwrap_or_else(|e| e.into_inner());
            for slug in slugs {
                match t.ids.get(slug) {
                    Some(&id) => keys.push(Key(id)),
                    None => {
                        missing.push((keys.len(), slug));
                        keys.push(Key(u32::MAX));
                    }
                }
            }
        }
        for (i, slug) in missing {
            keys[i] = Key::of(slug);
        }
        keys
    }

    /// The slug's text.
    pub fn name(self) -> Arc<str> {
        table().read().unwrap_or_else(|e| e.into_inner()).names[self.0 as usize].clone()
    }
}

impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Key) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// By the slug's text, so that an order of keys is the same in every run.
impl Ord for Key {
    fn cmp(&self, other: &Key) -> std::cmp::Ordering {
        if self == other {
            return std::cmp::Ordering::Equal;
        }
        self.name().cmp(&other.name())
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{:?}", &*self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_text_one_key_ordered_by_text() {
        let (b, a) = (Key::of("key-test-b"), Key::of("key-test-a"));
        assert_eq!(Key::of("key-test-b"), b);
        assert_ne!(a, b);
        assert_eq!(&*b.name(), "key-test-b");
        assert!(a < b);
    }

    #[test]
    fn keys_looked_up_together_are_the_keys_of_each() {
        let known = Key::of("key-test-known");
        let keys = Key::of_each([
            "key-test-new-1",
            "key-test-known",
            "key-test-new-2",
            "key-test-new-1",
        ]);
        assert_eq!(keys.len(), 4);
        assert_eq!(keys[1], known);
        assert_eq!(keys[0], Key::of("key-test-new-1"));
        assert_eq!(keys[3], keys[0]);
        assert_eq!(&*keys[2].name(), "key-test-new-2");
    }
}
