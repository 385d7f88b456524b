//! Markdown to HTML: parser options in one place, one small adapter per concern
//! (raw HTML, internal links, heading ids, code highlighting).

use std::collections::HashSet;
use std::ops::Range;
use std::sync::OnceLock;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};

use crate::content::SourceFile;
use crate::error::Diagnostic;

/// The Markdown dialect: CommonMark plus tables, footnotes, strikethrough, task lists, `{#id}`.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// A rendered body.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
}

/// Renders `src`'s body. `resolve` maps an internal target (`founders/x#a`, after `@/`) to a URL.
pub fn render(
    src: &SourceFile,
    resolve: &dyn Fn(&str) -> Option<String>,
    diags: &mut Vec<Diagnostic>,
) -> Rendered {
    let body = src.body();
    let base = src.body_offset;
    let events: Vec<(Event, Range<usize>)> = Parser::new_ext(body, options())
        .into_offset_iter()
        .collect();
    let events = escape_raw_html(events);
    let events = links(events, resolve, &mut |range, msg, hint| {
        let mut d = src.diag_at(base + range.start, msg);
        if let Some(h) = hint {
            d = d.with_hint(h);
        }
        diags.push(d);
    });
    let events = heading_ids(events);
    let events = highlight(events);
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    Rendered { html }
}

/// Raw HTML in Markdown is shown as text, as Hugo does by default: content cannot inject markup.
fn escape_raw_html(events: Vec<(Event, Range<usize>)>) -> Vec<(Event, Range<usize>)> {
    events
        .into_iter()
        .map(|(e, r)| match e {
            Event::Html(h) | Event::InlineHtml(h) => (Event::Text(h), r),
            e => (e, r),
        })
        .collect()
}

type Report<'a> = dyn FnMut(Range<usize>, String, Option<String>) + 'a;

/// Resolves `@/section/slug` links and refuses script URLs.
fn links<'a>(
    events: Vec<(Event<'a>, Range<usize>)>,
    resolve: &dyn Fn(&str) -> Option<String>,
    report: &mut Report<'_>,
) -> Vec<(Event<'a>, Range<usize>)> {
    events
        .into_iter()
        .map(|(e, r)| match e {
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                let dest = dest_url.to_string();
                let new_dest: CowStr = if let Some(target) = dest.strip_prefix("@/") {
                    match resolve(target) {
                        Some(url) => url.into(),
                        None => {
                            report(r.clone(), format!("unknown internal link `{dest}`"), Some("write @/founders/<slug>, @/companies/<slug>, @/sectors/<slug>, @/employers/<slug> or @/pages/<slug> for a file that exists".into()));
                            "#".into()
                        }
                    }
                } else {
                    let lower = dest.trim().to_ascii_lowercase();
                    if lower.starts_with("javascript:") || lower.starts_with("vbscript:") || lower.starts_with("data:") {
                        report(r.clone(), format!("link to a script URL `{dest}`"), Some("links must point to pages or files".into()));
                        "#".into()
                    } else {
                        dest_url
                    }
                };
                (Event::Start(Tag::Link { link_type, dest_url: new_dest, title, id }), r)
            }
            e => (e, r),
        })
        .collect()
}

/// A heading id that keeps Chinese characters: `## 创业背景` -> `创业背景`, `## Early life` -> `early-life`.
pub fn slugify_heading(text: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in text.trim().chars() {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        } else if c.is_whitespace() || c == '-' || c == '_' {
            dash = true;
        }
    }
    if out.is_empty() {
        "section".into()
    } else {
        out
    }
}

/// Gives every heading an id (unless `{#id}` set one), unique within the page.
fn heading_ids(mut events: Vec<(Event, Range<usize>)>) -> Vec<(Event, Range<usize>)> {
    let mut seen = HashSet::new();
    for i in 0..events.len() {
        if !matches!(events[i].0, Event::Start(Tag::Heading { .. })) {
            continue;
        }
        let text: String = events[i + 1..]
            .iter()
            .take_while(|(e, _)| !matches!(e, Event::End(TagEnd::Heading(_))))
            .filter_map(|(e, _)| match e {
                Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        if let Event::Start(Tag::Heading { id, .. }) = &mut events[i].0 {
            let base = id
                .as_ref()
                .map(|s| s.to_string())
                .unwrap_or_else(|| slugify_heading(&text));
            let mut unique = base.clone();
            let mut n = 1;
            while !seen.insert(unique.clone()) {
                unique = format!("{base}-{n}");
                n += 1;
            }
            *id = Some(unique.into());
        }
    }
    events
}

fn syntaxes() -> &'static syntect::parsing::SyntaxSet {
    static SET: OnceLock<syntect::parsing::SyntaxSet> = OnceLock::new();
    SET.get_or_init(syntect::parsing::SyntaxSet::load_defaults_newlines)
}

/// Highlights fenced code with CSS classes (`hl-` prefixed); the theme ships the stylesheet.
/// The syntax set is loaded on the first fenced block only.
fn highlight(events: Vec<(Event, Range<usize>)>) -> Vec<Event> {
    let mut out = Vec::with_capacity(events.len());
    let mut code: Option<(String, String)> = None;
    for (e, _) in events {
        match e {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(lang)))
                if !lang.trim().is_empty() =>
            {
                code = Some((
                    lang.split_whitespace().next().unwrap_or("").to_owned(),
                    String::new(),
                ));
            }
            Event::Text(t) if code.is_some() => {
                if let Some((_, buf)) = &mut code {
                    buf.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) if code.is_some() => {
                let (lang, buf) = code.take().unwrap_or_default();
                out.push(Event::Html(highlight_block(&lang, &buf).into()));
            }
            e => out.push(e),
        }
    }
    out
}

fn highlight_block(lang: &str, code: &str) -> String {
    use syntect::html::{ClassStyle, ClassedHTMLGenerator};
    let set = syntaxes();
    let escaped_lang = pulldown_cmark_escape_attr(lang);
    let Some(syntax) = set.find_syntax_by_token(lang) else {
        return format!(
            "<pre><code class=\"language-{escaped_lang}\">{}</code></pre>\n",
            escape_html(code)
        );
    };
    let mut gen = ClassedHTMLGenerator::new_with_class_style(
        syntax,
        set,
        ClassStyle::SpacedPrefixed { prefix: "hl-" },
    );
    for line in syntect::util::LinesWithEndings::from(code) {
        if gen
            .parse_html_for_line_which_includes_newline(line)
            .is_err()
        {
            return format!(
                "<pre><code class=\"language-{escaped_lang}\">{}</code></pre>\n",
                escape_html(code)
            );
        }
    }
    format!(
        "<pre class=\"hl\"><code class=\"language-{escaped_lang}\">{}</code></pre>\n",
        gen.finalize()
    )
}

/// Escapes text for HTML element content.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn pulldown_cmark_escape_attr(s: &str) -> String {
    escape_html(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn src(body: &str) -> Arc<SourceFile> {
        let text = format!("---\nname: x\n---\n{body}");
        Arc::new(SourceFile {
            path: "content/founders/x.zh.md".into(),
            body_offset: 16,
            fm_offset: 4,
            text,
        })
    }

    #[test]
    fn chinese_headings_get_ids() {
        assert_eq!(slugify_heading("创业 背景"), "创业-背景");
        assert_eq!(slugify_heading("Early life!"), "early-life");
        let mut d = Vec::new();
        let r = render(&src("## 背景\n\n## 背景\n"), &|_| None, &mut d);
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
            &mut d,
        );
        assert!(
            !r.html.contains("<script>") && !r.html.contains("<b>"),
            "{}",
            r.html
        );
    }

    #[test]
    fn unknown_internal_link_is_located() {
        let mut d = Vec::new();
        render(
            &src("text\n\nsee [x](@/founders/nobody)\n"),
            &|_| None,
            &mut d,
        );
        assert_eq!((d[0].line, d[0].col), (6, 5));
        assert_eq!(d[0].message, "unknown internal link `@/founders/nobody`");
    }

    #[test]
    fn code_is_highlighted_with_classes() {
        let mut d = Vec::new();
        let r = render(&src("```rust\nfn main() {}\n```\n"), &|_| None, &mut d);
        assert!(r.html.contains("class=\"hl-"), "{}", r.html);
    }
}
