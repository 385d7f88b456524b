//! The JSON Schema of each table and the Frictionless `datapackage.json`, whose foreign
//! keys come from the reference graph (`resolve::graph`).

use serde::Serialize;

use super::build::cited;
use super::csv::columns;
use super::records::*;
use crate::deps::{self, Dep};
use crate::error::Diagnostic;
use crate::render::access::Reader;
use crate::render::tables::{Format, Table};
use crate::resolve::graph;

/// The JSON Schema of a table's file (a list of records).
pub fn schema(table: Table) -> serde_json::Value {
    let s = match table {
        Table::Founders => schemars::schema_for!(Vec<FounderRecord>),
        Table::Companies => schemars::schema_for!(Vec<CompanyRecord>),
        Table::Sectors => schemars::schema_for!(Vec<SectorRecord>),
        Table::Employers => schemars::schema_for!(Vec<EmployerRecord>),
    };
    s.to_value()
}

/// A licence as Frictionless writes it.
#[derive(Serialize)]
struct License<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
}

#[derive(Serialize)]
struct PackageSource {
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<String>,
}

#[derive(Serialize)]
struct Field {
    name: String,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    constraints: Option<Constraints>,
}

#[derive(Serialize)]
struct Constraints {
    required: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ForeignKey {
    fields: &'static str,
    reference: Reference,
}

#[derive(Serialize)]
struct Reference {
    resource: &'static str,
    fields: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TableSchema {
    fields: Vec<Field>,
    primary_key: &'static str,
    foreign_keys: Vec<ForeignKey>,
    missing_values: [&'static str; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Dialect {
    delimiter: &'static str,
    line_terminator: &'static str,
    quote_char: &'static str,
    double_quote: bool,
    header: bool,
}

#[derive(Serialize)]
struct Resource {
    name: String,
    path: String,
    profile: &'static str,
    title: String,
    format: &'static str,
    mediatype: &'static str,
    encoding: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    dialect: Option<Dialect>,
    /// A Table Schema (CSV) or the path of a JSON Schema (JSON).
    schema: serde_json::Value,
}

#[derive(Serialize)]
struct Package<'a> {
    profile: &'static str,
    name: String,
    title: &'a str,
    description: std::borrow::Cow<'a, str>,
    homepage: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    created: Option<String>,
    licenses: Vec<License<'a>>,
    sources: Vec<PackageSource>,
    resources: Vec<Resource>,
}

/// The Table Schema type of a JSON Schema property.
fn field_type(p: &serde_json::Value) -> &'static str {
    let types: Vec<&str> = match &p["type"] {
        serde_json::Value::String(t) => vec![t.as_str()],
        serde_json::Value::Array(ts) => ts.iter().filter_map(|t| t.as_str()).collect(),
        // A reference to a definition: here always an enumeration of strings (a code).
        _ => vec!["string"],
    };
    let t = types.into_iter().find(|t| *t != "null").unwrap_or("string");
    match t {
        "integer" => "integer",
        "number" => "number",
        "boolean" => "boolean",
        "array" => "array",
        "object" => "object",
        _ => "string",
    }
}

/// Whether a JSON Schema property admits null.
fn nullable(p: &serde_json::Value) -> bool {
    match &p["type"] {
        serde_json::Value::Array(ts) => ts.iter().any(|t| t == "null"),
        _ => p["anyOf"]
            .as_array()
            .is_some_and(|a| a.iter().any(|x| x["type"] == "null")),
    }
}

/// The Table Schema of a table's CSV, derived from the JSON Schema of its record.
fn table_schema(table: Table) -> TableSchema {
    let schema = schema(table);
    let record = schema["items"]["$ref"]
        .as_str()
        .and_then(|r| r.rsplit('/').next())
        .map(|name| schema["$defs"][name].clone())
        .unwrap_or_default();
    let fields = columns(table)
        .into_iter()
        .map(|name| {
            let p = &record["properties"][name.as_str()];
            let kind = match name.as_str() {
                "first_added" | "last_updated" => "datetime",
                _ => field_type(p),
            };
            let required = !nullable(p) && kind != "array";
            Field {
                description: p["description"].as_str().map(str::to_owned),
                constraints: required.then_some(Constraints { required: true }),
                name,
                kind,
            }
        })
        .collect();
    let fk = |fields, resource| ForeignKey {
        fields,
        reference: Reference {
            resource,
            fields: "slug",
        },
    };
    // A reference to one profile is a foreign key; a list of them (a company's
    // founders) is a JSON cell, which Table Schema cannot key.
    // In the order of the table's columns.
    let columns = columns(table);
    let column = |f: &str| columns.iter().position(|c| c == f);
    let mut foreign_keys: Vec<ForeignKey> = graph::fields_of(table.kind())
        .filter(|r| !r.many)
        .filter_map(|r| Some(fk(r.field?, r.to.section())))
        .collect();
    foreign_keys.sort_by_key(|k| column(k.fields));
    TableSchema {
        fields,
        primary_key: "slug",
        foreign_keys,
        missing_values: [""],
    }
}

/// `datapackage.json` of a language: every file, its schema, the licence, the sources.
pub fn package(r: &Reader) -> Result<Vec<u8>, Diagnostic> {
    deps::read(|| Dep::Config);
    let cfg = r.cfg();
    let sources = cited(r);
    let lang = r.code();
    let mut resources = Vec::new();
    for table in Table::ALL {
        let title = r.t(&format!("data_table_{}", table.name()))?.to_owned();
        resources.push(Resource {
            name: table.name().to_owned(),
            path: Format::Csv.file(table),
            profile: "tabular-data-resource",
            title: title.clone(),
            format: "csv",
            mediatype: "text/csv",
            encoding: "utf-8",
            description: Some(CSV_NOTE),
            dialect: Some(Dialect {
                delimiter: ",",
                line_terminator: "\r\n",
                quote_char: "\"",
                double_quote: true,
                header: true,
            }),
            schema: serde_json::to_value(table_schema(table)).map_err(|e| internal(table, &e))?,
        });
        resources.push(Resource {
            name: format!("{}-json", table.name()),
            path: Format::Json.file(table),
            profile: "data-resource",
            title,
            format: "json",
            mediatype: "application/json",
            encoding: "utf-8",
            description: None,
            dialect: None,
            schema: serde_json::Value::String(Format::Schema.file(table)),
        });
    }
    let license = cfg.data_license.as_ref();
    let p = Package {
        profile: "data-package",
        name: format!("dossier-{lang}"),
        title: &cfg.title[r.lang()],
        description: r.description(),
        homepage: cfg
            .base
            .absolute(&format!("{}data/", cfg.lang_prefix(r.lang()))),
        created: None,
        licenses: license
            .map(|l| License {
                name: &l.name,
                path: l.path.as_deref(),
                title: l.title.as_deref(),
            })
            .into_iter()
            .collect(),
        sources: sources
            .into_iter()
            .map(|(title, path)| PackageSource { title, path })
            .collect(),
        resources,
    };
    let mut s = serde_json::to_vec_pretty(&p).map_err(|e| internal(Table::Founders, &e))?;
    s.push(b'\n');
    Ok(s)
}

/// What the CSV files' description says of their cells.
const CSV_NOTE: &str = "UTF-8 with a byte-order mark. An empty cell is an unknown value; a list or an object is written as JSON. A text starting with =, +, -, @, a tab, a carriage return or an apostrophe starts with an extra apostrophe, so that no spreadsheet runs it as a formula: take one leading apostrophe off a text cell to get the value.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_follow_the_records_fields() {
        let c = columns(Table::Founders);
        assert_eq!(&c[..3], ["slug", "url", "name"]);
        assert_eq!(c.last().map(String::as_str), Some("translated"));
        let t = table_schema(Table::Founders);
        assert_eq!(t.fields.len(), c.len());
        let f = |n: &str| t.fields.iter().find(|f| f.name == n).unwrap();
        assert_eq!(
            (f("slug").kind, f("slug").constraints.is_some()),
            ("string", true)
        );
        assert_eq!(
            (f("company").kind, f("company").constraints.is_some()),
            ("string", false)
        );
        assert_eq!(f("sources").kind, "array");
        assert_eq!(f("last_updated").kind, "datetime");
        assert_eq!(f("translated").kind, "boolean");
    }
}
