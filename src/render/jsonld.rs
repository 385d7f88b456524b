//! JSON-LD (schema.org) for profile pages: typed `Person` and `Organization`, serialized
//! with keys in alphabetical order and escaped for a `<script>` element.

use serde::Serialize;

/// The schema.org context.
const CONTEXT: &str = "https://schema.org";

/// A reference to an organization: an `@id` where the site has a page for it.
#[derive(Debug, Clone, Serialize)]
pub struct OrgRef<'a> {
    #[serde(rename = "@id", skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub name: &'a str,
}

/// A reference to a person with a page on the site.
#[derive(Debug, Clone, Serialize)]
pub struct PersonRef<'a> {
    #[serde(rename = "@id")]
    pub id: String,
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub name: &'a str,
}

/// A founder.
#[derive(Debug, Clone, Serialize)]
pub struct Person<'a> {
    #[serde(rename = "@context")]
    pub context: &'static str,
    #[serde(rename = "@id")]
    pub id: String,
    #[serde(rename = "@type")]
    pub kind: &'static str,
    #[serde(rename = "alternateName", skip_serializing_if = "Option::is_none")]
    pub alternate_name: Option<String>,
    #[serde(rename = "alumniOf", skip_serializing_if = "Option::is_none")]
    pub alumni_of: Option<OrgRef<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub founder: Option<OrgRef<'a>>,
    #[serde(rename = "jobTitle")]
    pub job_title: &'a str,
    pub name: &'a str,
    #[serde(rename = "sameAs", skip_serializing_if = "Vec::is_empty")]
    pub same_as: Vec<&'a str>,
    pub url: String,
}

/// A company.
#[derive(Debug, Clone, Serialize)]
pub struct Organization<'a> {
    #[serde(rename = "@context")]
    pub context: &'static str,
    #[serde(rename = "@id")]
    pub id: String,
    #[serde(rename = "@type")]
    pub kind: &'static str,
    #[serde(rename = "alternateName", skip_serializing_if = "Option::is_none")]
    pub alternate_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<&'a str>,
    pub founder: Vec<PersonRef<'a>>,
    #[serde(rename = "foundingDate", skip_serializing_if = "Option::is_none")]
    pub founding_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<&'a str>,
    pub name: &'a str,
    /// The company's own website.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<&'a str>,
}

impl Person<'_> {
    pub const TYPE: &'static str = "Person";
}

impl Organization<'_> {
    pub const TYPE: &'static str = "Organization";
}

/// The schema.org context URL every document carries.
pub fn context() -> &'static str {
    CONTEXT
}

/// Serializes a document for a `<script type="application/ld+json">` element.
pub fn script<T: Serialize>(doc: &T) -> String {
    crate::escape::json_script(doc).unwrap_or_else(|_| "{}".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person() -> Person<'static> {
        Person {
            context: context(),
            id: "https://x.org/founders/a/#person".into(),
            kind: Person::TYPE,
            alternate_name: Some("A".into()),
            alumni_of: Some(OrgRef {
                id: None,
                kind: Organization::TYPE,
                name: "阿里巴巴",
            }),
            description: Some("</script>"),
            founder: None,
            job_title: "VP",
            name: "甲",
            same_as: vec!["https://example.org/a"],
            url: "https://x.org/founders/a/".into(),
        }
    }

    /// The properties schema.org's validators and search engines require of a Person
    /// and an Organization: a context, a type, a name; an id and url to tie pages together.
    #[test]
    fn documents_carry_what_schema_org_requires() {
        let v: serde_json::Value = serde_json::from_str(&script(&person())).unwrap();
        assert_eq!(v["@context"], "https://schema.org");
        assert_eq!(v["@type"], "Person");
        for key in ["@id", "name", "url", "jobTitle"] {
            assert!(v[key].is_string(), "{key} in {v}");
        }
        assert_eq!(v["alumniOf"]["@type"], "Organization");
        assert_eq!(v["sameAs"][0], "https://example.org/a");
        let org = Organization {
            context: context(),
            id: "https://x.org/companies/b/#organization".into(),
            kind: Organization::TYPE,
            alternate_name: None,
            description: None,
            founder: vec![PersonRef {
                id: "https://x.org/founders/a/#person".into(),
                kind: Person::TYPE,
                name: "甲",
            }],
            founding_date: Some("2023-04".into()),
            location: None,
            name: "乙",
            url: None,
        };
        let v: serde_json::Value = serde_json::from_str(&script(&org)).unwrap();
        assert_eq!(
            (v["@type"].as_str(), v["name"].as_str()),
            (Some("Organization"), Some("乙"))
        );
        assert_eq!(v["founder"][0]["@type"], "Person");
        assert!(v.get("url").is_none() && v.get("alternateName").is_none());
    }

    #[test]
    fn keys_are_in_alphabetical_order_and_cannot_close_the_script() {
        let s = script(&Person {
            alumni_of: None,
            ..person()
        });
        assert!(!s.contains("</script>"), "{s}");
        let keys: Vec<&str> = [
            "\"@context\"",
            "\"@id\"",
            "\"@type\"",
            "\"alternateName\"",
            "\"description\"",
            "\"jobTitle\"",
            "\"name\"",
            "\"sameAs\"",
            "\"url\"",
        ]
        .into_iter()
        .collect();
        let positions: Vec<usize> = keys.iter().map(|k| s.find(k).unwrap()).collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{s}");
    }
}
