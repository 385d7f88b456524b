//! Escaping for every context a value from content can land in: HTML element content
//! and quoted attributes, XML (feeds, sitemap), JSON-LD inside `<script>`, and URL path
//! segments. Every writer of markup uses these and nothing else.

use std::borrow::Cow;

/// Escapes text for HTML element content and quoted attribute values (also valid XML).
pub fn html(s: &str) -> Cow<'_, str> {
    if !s.contains(['&', '<', '>', '"', '\'']) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
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
    Cow::Owned(out)
}

/// The same escaping as [`html`], as a `String` (Tera's escape function signature).
pub fn html_string(s: &str) -> String {
    html(s).into_owned()
}

/// Escapes text for XML element content and attributes (feeds, sitemap). Characters XML
/// cannot carry ([`crate::text::forbidden`]) are dropped: content with them is refused
/// when it is read, so only text from elsewhere could bring one here.
pub fn xml(s: &str) -> Cow<'_, str> {
    match xml_chars(s) {
        Cow::Borrowed(s) => html(s),
        Cow::Owned(s) => Cow::Owned(html(&s).into_owned()),
    }
}

/// Drops the characters XML 1.0 does not allow ([`crate::text::forbidden`]): text bound
/// for an XML file must parse.
pub fn xml_chars(s: &str) -> Cow<'_, str> {
    if crate::text::first_forbidden(s).is_some() {
        Cow::Owned(s.chars().filter(|&c| !crate::text::forbidden(c)).collect())
    } else {
        Cow::Borrowed(s)
    }
}

/// Serializes a value as JSON that cannot close the `<script>` element it sits in, nor
/// open a comment or CDATA section: `<`, `>` and `&` become `\u003c`, `\u003e`, `\u0026`.
pub fn json_script<T: serde::Serialize>(value: &T) -> Result<String, serde_json::Error> {
    let s = serde_json::to_string(value)?;
    Ok(s.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026"))
}

/// Characters escaped in a URL path segment (a slug in a permalink).
const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'/')
    .add(b'%')
    .add(b'\'')
    .add(b'&');

/// Percent-encodes one URL path segment.
pub fn url_segment(s: &str) -> Cow<'_, str> {
    percent_encoding::utf8_percent_encode(s, SEGMENT).into()
}

/// Decodes a percent-encoded URL path (for mapping a link back to a file).
pub fn url_decode(s: &str) -> Cow<'_, str> {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_markup_character_is_escaped() {
        assert_eq!(
            html(r#"<a href="x" onclick='y'>&</a>"#),
            "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;"
        );
        assert!(matches!(html("贾扬清"), Cow::Borrowed(_)));
    }

    #[test]
    fn text_for_xml_loses_what_xml_forbids() {
        assert_eq!(xml_chars("a\u{1}b\u{FFFF}\tc"), "ab\tc");
        assert!(matches!(xml_chars("贾扬清"), Cow::Borrowed(_)));
    }

    #[test]
    fn json_cannot_close_its_script() {
        let s = json_script(&"</script><!-- & ]]>").unwrap();
        assert!(
            !s.contains('<') && !s.contains('>') && !s.contains('&'),
            "{s}"
        );
        let back: String = serde_json::from_str(&s).unwrap();
        assert_eq!(back, "</script><!-- & ]]>");
    }

    #[test]
    fn slugs_are_encoded_as_one_segment() {
        assert_eq!(url_segment("a/b c"), "a%2Fb%20c");
        assert_eq!(url_segment("贾扬清"), "%E8%B4%BE%E6%89%AC%E6%B8%85");
        assert_eq!(url_decode("%E8%B4%BE"), "贾");
    }
}
