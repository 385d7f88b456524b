//! The site's languages as values: [`LangId`], which only the config hands out, and
//! [`PerLang`], one value per language.

use std::ops::Index;

/// A language of the site. Only a [`Config`](super::Config) hands them out, so every
/// `LangId` names a configured language; the default language is [`LangId::DEFAULT`].
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct LangId(pub(super) u8);

impl LangId {
    /// The default language, always configured.
    pub const DEFAULT: LangId = LangId(0);

    /// Position in per-language lists.
    pub fn index(self) -> usize {
        self.0 as usize
    }

    pub fn is_default(self) -> bool {
        self.0 == 0
    }
}

/// One value per configured language, indexed by [`LangId`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct PerLang<T>(Vec<T>);

impl<T> PerLang<T> {
    /// Builds the list by calling `f` for each language of `cfg`.
    pub fn build(langs: &[String], f: impl FnMut(LangId) -> T) -> PerLang<T> {
        PerLang((0..langs.len()).map(|i| LangId(i as u8)).map(f).collect())
    }

    /// A list from values in language order (as many as the site has languages).
    pub fn from_values(values: Vec<T>) -> PerLang<T> {
        PerLang(values)
    }

    pub fn get(&self, lang: LangId) -> Option<&T> {
        self.0.get(lang.index())
    }

    pub fn get_mut(&mut self, lang: LangId) -> Option<&mut T> {
        self.0.get_mut(lang.index())
    }

    pub fn iter(&self) -> impl Iterator<Item = (LangId, &T)> {
        self.0.iter().enumerate().map(|(i, v)| (LangId(i as u8), v))
    }

    pub fn values(&self) -> std::slice::Iter<'_, T> {
        self.0.iter()
    }
}

impl<T> Index<LangId> for PerLang<T> {
    type Output = T;
    fn index(&self, lang: LangId) -> &T {
        &self.0[lang.index()]
    }
}
