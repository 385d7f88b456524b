//! Reading links and ids out of rendered HTML with an HTML tokenizer (lol_html): every
//! `href` and `src`, however the attribute is spaced or quoted, with entities decoded.

use lol_html::{element, HtmlRewriter, Settings};

/// The links and ids of one page.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Scanned {
    /// Every `href` and `src` value, decoded, in document order.
    pub links: Vec<String>,
    /// Every `id`, decoded.
    pub ids: Vec<String>,
    /// Where a `<meta http-equiv="refresh">` sends the browser, decoded.
    pub refresh: Vec<String>,
}

/// The URL of a refresh's `content` (`0; url=/a/`), if it names one.
fn refresh_url(content: &str) -> Option<String> {
    let (_, rest) = content.split_once(';')?;
    let rest = rest.trim_start();
    let (key, url) = rest.split_once('=')?;
    if !key.trim().eq_ignore_ascii_case("url") {
        return None;
    }
    Some(url.trim().trim_matches(['\'', '"']).to_owned())
}

fn decode(v: &str) -> String {
    html_escape::decode_html_entities(v).into_owned()
}

/// Scans a page. Malformed HTML is scanned as a browser would tokenize it; a page the
/// tokenizer gives up on yields what was read up to there.
pub fn scan(html: &[u8]) -> Scanned {
    let mut out = Scanned::default();
    {
        let links = std::cell::RefCell::new(Vec::new());
        let ids = std::cell::RefCell::new(Vec::new());
        let refresh = std::cell::RefCell::new(Vec::new());
        let settings = Settings::new()
            .append_element_content_handler(element!("[href], [src]", |el| {
                for attr in ["href", "src"] {
                    if let Some(v) = el.get_attribute(attr) {
                        links.borrow_mut().push(decode(&v));
                    }
                }
                Ok(())
            }))
            .append_element_content_handler(element!("[id]", |el| {
                if let Some(v) = el.get_attribute("id") {
                    ids.borrow_mut().push(decode(&v));
                }
                Ok(())
            }))
            .append_element_content_handler(element!("meta[http-equiv][content]", |el| {
                let equiv = el.get_attribute("http-equiv").unwrap_or_default();
                if equiv.eq_ignore_ascii_case("refresh") {
                    let content = decode(&el.get_attribute("content").unwrap_or_default());
                    refresh.borrow_mut().extend(refresh_url(&content));
                }
                Ok(())
            }));
        let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
        let _ = rewriter.write(html).and_then(|()| rewriter.end());
        out.links = links.into_inner();
        out.ids = ids.into_inner();
        out.refresh = refresh.into_inner();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_are_found_however_written() {
        let html = "<a\nhref='/a?x=1&amp;y=2'>a</a><img src=/b.png><a HREF=\"/c&#x27;d\">c</a>\
                    <h2 id=\"t&lt;1\">t</h2><p title=\"href='/no'\">x</p>";
        let s = scan(html.as_bytes());
        assert_eq!(s.links, ["/a?x=1&y=2", "/b.png", "/c'd"]);
        assert_eq!(s.ids, ["t<1"]);
    }

    #[test]
    fn a_refresh_names_where_it_goes() {
        let s = scan(b"<meta http-equiv=\"Refresh\" content=\"0; URL='/r/a%20b/?x=1&amp;y'\">");
        assert_eq!(s.refresh, ["/r/a%20b/?x=1&y"]);
        assert!(scan(b"<meta http-equiv=refresh content=5>")
            .refresh
            .is_empty());
    }
}
