//! The data page of a language (`/data/`): what each table holds, its files (CSV, JSON,
//! JSON Schema), its columns, how the files are written, the licence and the sources.

use serde::Serialize;

use crate::error::Diagnostic;
use crate::render::access::Reader;
use crate::render::assemble::{self, Rendering};
use crate::render::data;
use crate::render::plan::PageId;
use crate::render::tables::{Format, Table};

#[derive(Serialize)]
struct TableView<'a> {
    name: &'static str,
    title: &'a str,
    description: &'a str,
    rows: usize,
    csv: String,
    json: String,
    schema: String,
    columns: Vec<String>,
}

#[derive(Serialize)]
struct LicenseView<'a> {
    name: &'a str,
    title: Option<&'a str>,
    url: Option<&'a str>,
}

#[derive(Serialize)]
struct SourceView {
    title: String,
    url: Option<String>,
}

#[derive(Serialize)]
struct DataPage<'a> {
    tables: Vec<TableView<'a>>,
    package: String,
    license: Option<LicenseView<'a>>,
    sources: Vec<SourceView>,
}

pub fn render(r: &Reader, id: PageId) -> Result<Rendering, Diagnostic> {
    let cfg = r.cfg();
    let mut meta = assemble::meta(r, id);
    meta.kind = "data";
    meta.title = format!("{} · {}", r.t("nav_data")?, cfg.title[r.lang()]);
    let link = |file: String| {
        cfg.base
            .link(&format!("{}data/{file}", cfg.lang_prefix(r.lang())))
    };
    let mut tables = Vec::new();
    for t in Table::ALL {
        r.members(t.kind());
        tables.push(TableView {
            name: t.name(),
            title: r.t(&format!("data_table_{}", t.name()))?,
            description: r.t(&format!("data_desc_{}", t.name()))?,
            rows: r.count(t.kind()),
            csv: link(Format::Csv.file(t)),
            json: link(Format::Json.file(t)),
            schema: link(Format::Schema.file(t)),
            columns: data::columns(t),
        });
    }
    let license = cfg.data_license.as_ref().map(|l| LicenseView {
        name: &l.name,
        title: l.title.as_deref(),
        url: l.path.as_deref(),
    });
    let sources = data::cited(r)
        .into_iter()
        .map(|(title, url)| SourceView { title, url })
        .collect();
    let page = DataPage {
        tables,
        package: link("datapackage.json".into()),
        license,
        sources,
    };
    assemble::finish(r, "data.html", meta, None, page)
}
