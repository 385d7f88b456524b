//! Markdown to HTML: parser options in one place, one small adapter per concern
//! (raw HTML, internal links, heading ids, code highlighting).

mod event;
mod headings;
mod highlight;
mod links;
mod raw_html;
mod text;

use pulldown_cmark::{Options, Parser};

#[cfg(test)]
use headings::slugify as slugify_heading;
pub use highlight::Cache as HighlightCache;

use crate::content::SourceFile;
use crate::error::Diagnostic;
use event::Located;

/// The Markdown dialect: CommonMark plus tables, footnotes, strikethrough, task lists, `{#id}`.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// A rendered body and the internal links it makes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Body {
    pub html: String,
    /// The text without markup (for the search index).
    pub text: String,
    /// Every `@/…` target, as written after the `@/` (whether it resolved or not).
    pub targets: Vec<String>,
}

/// Renders `src`'s body. `resolve` maps an internal target (`founders/x#a`, after `@/`)
/// to a URL; problems are reported into `diags` at their line. Raw HTML is shown as
/// text unless `raw_html` (the site's `raw_html: true`).
pub fn render(
    src: &SourceFile,
    resolve: &dyn Fn(&str) -> Option<String>,
    highlights: &HighlightCache,
    raw_html: bool,
    diags: &mut Vec<Diagnostic>,
) -> Body {
    let text = src.body();
    let base = src.split.body_start;
    let events: Vec<Located> = Parser::new_ext(text, options())
        .into_offset_iter()
        .collect();
    let events = if raw_html {
        events
    } else {
        raw_html::escape(events)
    };
    let mut targets = Vec::new();
    let events = links::resolve(events, resolve, &mut targets, &mut |range, msg, hint| {
        diags.push(src.diag_at(base + range.start, msg).with_hint(hint));
    });
    let events = headings::ids(events);
    let plain = text::plain(&events);
    let events = highlight::code_blocks(events, highlights);
    let mut html = String::with_capacity(text.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    Body {
        html,
        text: plain,
        targets,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::split::split;

    fn src(body: &str) -> SourceFile {
        let text = format!("---\nname: x\n---\n{body}");
        SourceFile {
            path: "content/founders/x.zh.md".into(),
            split: split(&text).unwrap(),
            text,
        }
    }

    #[test]
    fn chinese_headings_get_ids() {
        assert_eq!(slugify_heading("创业 背景"), "创业-背景");
        assert_eq!(slugify_heading("Early life!"), "early-life");
        let mut d = Vec::new();
        let r = render(
            &src("## 背景\n\n## 背景\n"),
            &|_| None,
            &HighlightCache::default(),
            false,
            &mut d,
        );
        assert!(
            r.html.contains("<h2 id=\"背景\">") && r.html.contains("<h2 id=\"背景-1\">"),
            "{}",
            r.html
        );
    }

    #[test]
    fn raw_html_is_escaped() {
        let mut d = Vec::new();
        let r = render(
            &src("<script>alert(1)</script>\n\nhi <b>x</b>\n"),
            &|_| None,
            &HighlightCache::default(),
            false,
            &mut d,
        );
        assert!(
            !r.html.contains("<script>") && !r.html.contains("<b>"),
            "{}",
            r.html
        );
    }

    #[test]
    fn raw_html_passes_when_the_site_opts_in() {
        let mut d = Vec::new();
        let r = render(
            &src("hi <b>x</b>\n"),
            &|_| None,
            &HighlightCache::default(),
            true,
            &mut d,
        );
        assert!(r.html.contains("<b>x</b>"), "{}", r.html);
    }

    #[test]
    fn only_web_mail_and_relative_links_are_followed() {
        for bad in [
            "JavaScript:alert(1)",
            "java\tscript:alert(1)",
            "vbscript:x",
            "data:text/html,x",
            "file:///etc/passwd",
            "blob:https://x/y",
        ] {
            let mut d = Vec::new();
            let r = render(
                &src(&format!("[x](<{bad}>) ![i](<{bad}>)\n")),
                &|_| None,
                &HighlightCache::default(),
                false,
                &mut d,
            );
            assert_eq!(d.len(), 2, "{bad}: {d:?}");
            assert!(!r.html.contains(&bad[..4]), "{bad}: {}", r.html);
        }
        for good in [
            "https://x.org/",
            "http://x.org/",
            "mailto:a@b.org",
            "/about/",
            "../x/",
            "#top",
            "x.html",
        ] {
            let mut d = Vec::new();
            let r = render(
                &src(&format!("[x]({good})\n")),
                &|_| None,
                &HighlightCache::default(),
                false,
                &mut d,
            );
            assert!(d.is_empty(), "{good}: {d:?}");
            assert!(r.html.contains(good), "{good}: {}", r.html);
        }
    }

    #[test]
    fn unknown_internal_link_is_located() {
        let mut d = Vec::new();
        let r = render(
            &src("text\n\nsee [x](@/founders/nobody)\n"),
            &|_| None,
            &HighlightCache::default(),
            false,
            &mut d,
        );
        assert_eq!((d[0].line, d[0].col), (6, 5));
        assert_eq!(d[0].message, "unknown internal link `@/founders/nobody`");
        assert_eq!(r.targets, ["founders/nobody"]);
    }

    #[test]
    fn script_links_are_refused() {
        let mut d = Vec::new();
        let r = render(
            &src("[x](JavaScript:alert(1))\n"),
            &|_| None,
            &HighlightCache::default(),
            false,
            &mut d,
        );
        assert_eq!(d.len(), 1);
        assert!(!r.html.to_lowercase().contains("javascript:"), "{}", r.html);
    }

    #[test]
    fn code_is_highlighted_with_classes() {
        let mut d = Vec::new();
        let r = render(
            &src("```rust\nfn main() {}\n```\n"),
            &|_| None,
            &HighlightCache::default(),
            false,
            &mut d,
        );
        assert!(r.html.contains("class=\"hl-"), "{}", r.html);
        let r = render(
            &src("```nosuchlang\n<b>\n```\n"),
            &|_| None,
            &HighlightCache::default(),
            false,
            &mut d,
        );
        assert!(r.html.contains("&lt;b&gt;"), "{}", r.html);
    }
}
