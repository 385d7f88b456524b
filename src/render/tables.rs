//! The open data's tables and their file formats: which outputs `data/` holds (the plan
//! names them; `render/data` writes them).

use crate::content::Kind;

/// A table of the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Table {
    Founders,
    Companies,
    Sectors,
    Employers,
}

impl Table {
    pub const ALL: [Table; 4] = [
        Table::Founders,
        Table::Companies,
        Table::Sectors,
        Table::Employers,
    ];

    /// The file name without extension, also the resource name.
    pub fn name(self) -> &'static str {
        self.kind().section()
    }

    pub fn kind(self) -> Kind {
        match self {
            Table::Founders => Kind::Founder,
            Table::Companies => Kind::Company,
            Table::Sectors => Kind::Sector,
            Table::Employers => Kind::Employer,
        }
    }
}

/// A file of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    Json,
    Csv,
    Schema,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Csv, Format::Json, Format::Schema];

    /// `founders.csv`, `founders.json`, `founders.schema.json`.
    pub fn file(self, table: Table) -> String {
        match self {
            Format::Json => format!("{}.json", table.name()),
            Format::Csv => format!("{}.csv", table.name()),
            Format::Schema => format!("{}.schema.json", table.name()),
        }
    }
}
