//! The CSV form of a table: UTF-8 with a byte-order mark, RFC 4180 quoting, CRLF line
//! ends, lists and objects as JSON text, formulas defused (see `render/data`).

use serde::{Deserialize, Serialize};

use super::records::*;
use crate::error::Diagnostic;
use crate::render::tables::Table;

/// The columns of a table, in the order of its record's fields.
pub fn columns(table: Table) -> Vec<String> {
    fn names<T: Serialize + Default>() -> Vec<String> {
        // serde_json writes the fields in their order; reading them back as an ordered
        // list of entries keeps it.
        serde_json::to_string(&T::default())
            .ok()
            .and_then(|s| serde_json::from_str::<Ordered>(&s).ok())
            .map(|o| o.0.into_iter().map(|(k, _)| k).collect())
            .unwrap_or_default()
    }
    match table {
        Table::Founders => names::<FounderRecord>(),
        Table::Companies => names::<CompanyRecord>(),
        Table::Sectors => names::<SectorRecord>(),
        Table::Employers => names::<EmployerRecord>(),
    }
}

/// A JSON object's entries in the order written.
struct Ordered(Vec<(String, serde_json::Value)>);

impl<'de> Deserialize<'de> for Ordered {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Entries;
        impl<'de> serde::de::Visitor<'de> for Entries {
            type Value = Ordered;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut m: A,
            ) -> Result<Ordered, A::Error> {
                let mut out = Vec::new();
                while let Some(entry) = m.next_entry()? {
                    out.push(entry);
                }
                Ok(Ordered(out))
            }
        }
        d.deserialize_map(Entries)
    }
}

/// A text cell that a spreadsheet cannot take for a formula (see the module's comment).
pub fn csv_text(s: &str) -> std::borrow::Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r', '\'']) {
        format!("'{s}").into()
    } else {
        s.into()
    }
}

/// The text of a CSV cell for a JSON value.
pub fn cell(v: &serde_json::Value) -> String {
    use serde_json::Value;
    match v {
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => csv_text(s).into_owned(),
        other => other.to_string(),
    }
}

/// The CSV of a table: a BOM, a header row, a row per record.
pub fn csv(table: Table, records: &serde_json::Value) -> Result<Vec<u8>, Diagnostic> {
    let columns = columns(table);
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    let err = |e: csv::Error| internal(table, &e);
    w.write_record(&columns).map_err(err)?;
    for row in records.as_array().into_iter().flatten() {
        let cells = columns
            .iter()
            .map(|c| cell(row.get(c).unwrap_or(&serde_json::Value::Null)));
        w.write_record(cells).map_err(err)?;
    }
    w.into_inner().map_err(|e| internal(table, &e.error()))
}
