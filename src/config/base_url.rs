//! The published address, `base_url` in site.yaml or `--base-url`.

/// The published address, split so links can be root-relative under a project path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BaseUrl {
    /// Scheme and host, no trailing slash: `https://owner.github.io`.
    pub origin: String,
    /// Path with leading and trailing slash: `/repo/` or `/`.
    pub path: String,
}

impl BaseUrl {
    /// Parses `https://host/path/`; a missing trailing slash is added.
    pub fn parse(s: &str) -> std::result::Result<BaseUrl, String> {
        let s = s.trim();
        let rest = s
            .strip_prefix("https://")
            .or_else(|| s.strip_prefix("http://"))
            .ok_or_else(|| format!("base_url `{s}` must start with https:// or http://"))?;
        let scheme_len = s.len() - rest.len();
        let (host, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        if host.is_empty() || host.contains(['?', '#', ' ', '"', '<', '>', '\\', '\'']) {
            return Err(format!("base_url `{s}` has no valid host"));
        }
        if path.contains(['?', '#', ' ', '"', '<', '>', '\\', '\''])
            || path.contains("/../")
            || path.ends_with("/..")
        {
            return Err(format!("base_url `{s}` has an invalid path"));
        }
        // One trailing slash, however the URL was written (`.../repo`, `.../repo//`).
        let mut path = path.trim_end_matches('/').to_owned();
        path.push('/');
        Ok(BaseUrl {
            origin: format!("{}{}", &s[..scheme_len], host),
            path,
        })
    }

    /// Root-relative link to a site path such as `en/founders/` (no leading slash).
    pub fn link(&self, rel: &str) -> String {
        format!("{}{}", self.path, rel)
    }

    /// Absolute URL of a site path.
    pub fn absolute(&self, rel: &str) -> String {
        format!("{}{}{}", self.origin, self.path, rel)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_with_project_path() {
        let b = BaseUrl::parse("https://owner.github.io/repo").unwrap();
        assert_eq!(b.path, "/repo/");
        assert_eq!(b.link("en/founders/"), "/repo/en/founders/");
        assert_eq!(
            b.absolute("sitemap.xml"),
            "https://owner.github.io/repo/sitemap.xml"
        );
        assert!(BaseUrl::parse("owner.github.io").is_err());
        assert_eq!(
            BaseUrl::parse("https://owner.github.io/repo//")
                .unwrap()
                .path,
            "/repo/"
        );
        assert_eq!(BaseUrl::parse("https://owner.github.io").unwrap().path, "/");
        assert_eq!(
            BaseUrl::parse("https://owner.github.io/").unwrap().link(""),
            "/"
        );
        assert!(BaseUrl::parse("https://x/a\"b/").is_err());
    }
}
