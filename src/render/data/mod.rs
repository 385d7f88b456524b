//! The directory as open data, per language under `data/`: founders, companies, sectors
//! and employers as JSON and CSV, a JSON Schema for each table, and a Frictionless
//! `datapackage.json` describing them all.
//!
//! One record type per table serves every format: the JSON is a list of records, the
//! JSON Schema is generated from the same type by schemars, and the CSV has one column
//! per field of the record, in its order. Every reference is resolved (slug, name in the
//! language, address) and so is every code (city names, funding stages).
//!
//! CSV cells, documented on the data page: UTF-8 with a byte-order mark (so that Excel
//! reads Chinese correctly), RFC 4180 quoting, CRLF line ends; an empty cell where the
//! value is unknown; a list or an object as JSON text (Table Schema's `array` and
//! `object`); and a text that a spreadsheet would run as a formula (one starting with
//! `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading apostrophe, as does a
//! text that starts with an apostrophe, so that taking one leading apostrophe off any
//! text cell gives back the value exactly.

mod build;
mod csv;
mod package;
mod records;

pub use build::cited;
use build::records;
use csv::csv;
pub use csv::{cell, columns, csv_text};
pub use package::{package, schema};
pub use records::*;

use crate::error::Diagnostic;
use crate::render::access::Reader;
use crate::render::tables::{Format, Table};

/// A file of a table in `lang`.
pub fn file(r: &Reader, table: Table, format: Format) -> Result<Vec<u8>, Diagnostic> {
    let pretty = |v: &serde_json::Value| {
        let mut s = serde_json::to_vec_pretty(v).map_err(|e| internal(table, &e))?;
        s.push(b'\n');
        Ok(s)
    };
    match format {
        Format::Schema => pretty(&schema(table)),
        Format::Json => pretty(&records(r, table)?),
        Format::Csv => csv(table, &records(r, table)?),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_formula_gets_an_apostrophe_and_only_one_comes_off() {
        for (value, cell) in [
            ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
            ("+1", "'+1"),
            ("-1", "'-1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("'quoted", "''quoted"),
            ("贾扬清", "贾扬清"),
            ("a=b", "a=b"),
        ] {
            assert_eq!(csv_text(value), cell);
            let back = cell.strip_prefix('\'').unwrap_or(cell);
            assert_eq!(back, value);
        }
    }
}
