//! Fenced code highlighted with CSS classes (`hl-` prefixed); the theme ships the
//! stylesheet. The syntax set is loaded on the first fenced block only.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use pulldown_cmark::{CodeBlockKind, Event, Tag, TagEnd};
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;

use super::event::Located;
use crate::escape;

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// Highlighted blocks by language and code, shared by every body of one run: the same
/// block in a profile's translations (or anywhere else) is highlighted once.
#[derive(Debug, Default)]
pub struct Cache(Mutex<HashMap<(String, String), Arc<str>>>);

impl Cache {
    fn get(&self, lang: &str, code: &str) -> Arc<str> {
        let key = (lang.to_owned(), code.to_owned());
        if let Some(hit) = self.0.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return hit;
        }
        let html: Arc<str> = block(lang, code).into();
        if let Ok(mut m) = self.0.lock() {
            m.insert(key, html.clone());
        }
        html
    }
}

/// Replaces each fenced block with a language by its highlighted HTML.
pub fn code_blocks<'a>(events: Vec<Located<'a>>, cache: &Cache) -> Vec<Event<'a>> {
    let mut out = Vec::with_capacity(events.len());
    let mut code: Option<(String, String)> = None;
    for (e, _) in events {
        match (e, &mut code) {
            (Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(lang))), None)
                if !lang.trim().is_empty() =>
            {
                let lang = lang.split_whitespace().next().unwrap_or("").to_owned();
                code = Some((lang, String::new()));
            }
            (Event::Text(t), Some((_, buf))) => buf.push_str(&t),
            (Event::End(TagEnd::CodeBlock), Some((lang, buf))) => {
                out.push(Event::Html(cache.get(lang, buf).to_string().into()));
                code = None;
            }
            (e, _) => out.push(e),
        }
    }
    out
}

fn plain(lang: &str, code: &str) -> String {
    format!(
        "<pre><code class=\"language-{}\">{}</code></pre>\n",
        escape::html(lang),
        escape::html(code)
    )
}

/// Longest line, in bytes, that is highlighted. Some grammars take time quadratic in a
/// line's length on unterminated strings and comments (a 100,000-character JavaScript
/// line took four minutes); code people read has no such lines.
pub const MAX_LINE: usize = 1_000;
/// Largest block, in bytes, that is highlighted.
pub const MAX_BLOCK: usize = 100_000;

/// One block: highlighted when the language is known and the block within the limits
/// above, escaped text otherwise.
fn block(lang: &str, code: &str) -> String {
    let set = syntaxes();
    let Some(syntax) = set.find_syntax_by_token(lang) else {
        return plain(lang, code);
    };
    if code.len() > MAX_BLOCK || code.lines().any(|l| l.len() > MAX_LINE) {
        return plain(lang, code);
    }
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
            return plain(lang, code);
        }
    }
    format!(
        "<pre class=\"hl\"><code class=\"language-{}\">{}</code></pre>\n",
        escape::html(lang),
        gen.finalize()
    )
}
