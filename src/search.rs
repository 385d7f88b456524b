//! The search index: Pagefind, used as a library, indexes the rendered profile pages (one
//! index per `<html lang>`, Chinese segmented) and its bundle is served from `pagefind/`.

use crate::config::Config;
use crate::error::{Error, Result};
use crate::render::OutFile;

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

/// Indexes the site's HTML and returns the Pagefind bundle as files under `pagefind/`.
pub fn index(cfg: &Config, files: &[OutFile]) -> Result<Vec<OutFile>> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| Error::Other(format!("search index: cannot start runtime: {e}")))?;
    rt.block_on(async {
        let options = pagefind::options::PagefindServiceConfig::builder()
            .keep_index_url(false)
            .build();
        let mut index = pagefind::api::PagefindIndex::new(Some(options))
            .map_err(|e| Error::Other(format!("search index: {e}")))?;
        for f in files.iter().filter(|f| indexed(cfg, &f.path)) {
            let url = cfg.base.link(f.path.trim_end_matches("index.html"));
            let html = String::from_utf8_lossy(&f.bytes).into_owned();
            index
                .add_html_file(None, Some(url), html)
                .await
                .map_err(|e| Error::Other(format!("search index: {}: {e}", f.path)))?;
        }
        let out = index
            .get_files()
            .await
            .map_err(|e| Error::Other(format!("search index: {e}")))?;
        Ok(out
            .into_iter()
            .map(|f| OutFile {
                path: format!(
                    "pagefind/{}",
                    f.filename.to_string_lossy().replace('\\', "/")
                ),
                bytes: f.contents,
            })
            .collect())
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
