//! The search index: Pagefind, used as a library, indexes the rendered profile pages (one
//! index per `<html lang>`, Chinese segmented) and its bundle is served from `pagefind/`.

use rayon::prelude::*;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::output::{OutFile, SitePath};

/// Whether a page is indexed: profiles and free pages, not indexes, home or search.
fn indexed(cfg: &Config, path: &str) -> bool {
    let rest = cfg
        .langs
        .iter()
        .skip(1)
        .find_map(|l| path.strip_prefix(&format!("{l}/")))
        .unwrap_or(path);
    let parts: Vec<&str> = rest.split('/').collect();
    match parts.as_slice() {
        [section, _, "index.html"] => {
            ["founders", "companies", "sectors", "employers"].contains(section)
        }
        [page, "index.html"] => {
            !["founders", "companies", "sectors", "employers", "search"].contains(page)
        }
        _ => false,
    }
}

fn search_error(e: impl Into<crate::error::Cause>) -> Error {
    Error::Search(e.into())
}

/// Indexes the site's profile pages and returns the Pagefind bundle as files under
/// `pagefind/`.
///
/// The pages are written to a temporary directory and indexed with `add_directory`, which
/// parses them in parallel; adding them one by one is serial and scans every page already
/// added (quadratic on a 10,000-profile site). Result URLs are relative to the site root;
/// the search script passes the base path to Pagefind as `baseUrl`.
pub fn index(cfg: &Config, files: &[OutFile]) -> Result<Vec<OutFile>> {
    let tmp = tempfile::Builder::new()
        .prefix("dossier-search-")
        .tempdir()
        .map_err(|source| Error::Write {
            path: std::env::temp_dir(),
            source,
        })?;
    files
        .par_iter()
        .filter(|f| indexed(cfg, &f.path))
        .try_for_each(|f| {
            let path = tmp.path().join(f.path.as_str());
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(|source| Error::Write {
                    path: dir.to_path_buf(),
                    source,
                })?;
            }
            std::fs::write(&path, &f.bytes).map_err(|source| Error::Write { path, source })
        })?;
    index_dir(tmp.path())
}

/// Indexes the pages in a directory holding the built site (pages marked
/// `data-pagefind-body`) and returns the bundle as files under `pagefind/`.
fn index_dir(dir: &std::path::Path) -> Result<Vec<OutFile>> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(search_error)?;
    rt.block_on(async {
        let options = pagefind::options::PagefindServiceConfig::builder()
            .keep_index_url(false)
            .build();
        let mut index = pagefind::api::PagefindIndex::new(Some(options)).map_err(search_error)?;
        index
            .add_directory(dir.to_string_lossy().into_owned(), Some("**/*.html".into()))
            .await
            .map_err(search_error)?;
        let out = index.get_files().await.map_err(search_error)?;
        // The theme has its own search script: Pagefind's prebuilt UIs are left out.
        let unused = [
            "pagefind-ui.",
            "pagefind-modular-ui.",
            "pagefind-component-ui.",
            "pagefind-highlight.",
        ];
        out.into_iter()
            .filter(|f| {
                let name = f.filename.to_string_lossy();
                !unused.iter().any(|u| name.starts_with(u))
            })
            .map(|f| {
                let path = format!(
                    "pagefind/{}",
                    f.filename.to_string_lossy().replace('\\', "/")
                );
                Ok(OutFile {
                    path: SitePath::new(path).map_err(Error::Internal)?,
                    bytes: f.contents,
                })
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Options;

    #[test]
    fn only_profiles_and_pages_are_indexed() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("site.yaml"),
            "title: {zh: t}\nbase_url: https://x.org/\nlanguages: [zh, en]\ndefault_language: zh\n",
        )
        .unwrap();
        let cfg = Config::load(&Options {
            root: dir.path().to_path_buf(),
            ..Options::default()
        })
        .unwrap();
        for yes in [
            "founders/a/index.html",
            "en/companies/b/index.html",
            "about/index.html",
            "en/about/index.html",
        ] {
            assert!(indexed(&cfg, yes), "{yes}");
        }
        for no in [
            "index.html",
            "en/index.html",
            "founders/index.html",
            "search/index.html",
            "en/search/index.html",
            "404.html",
            "static/x.css",
        ] {
            assert!(!indexed(&cfg, no), "{no}");
        }
    }
}
