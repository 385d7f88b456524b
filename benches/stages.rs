//! Criterion benches for the stages of a build and for one edit in `serve`.
//!
//! `cargo bench` times each stage on a synthetic site: the real site's theme, config and
//! content, plus N founders and N companies (N = 1,000 unless `DOSSIER_BENCH_N` says
//! otherwise), each with a body of a few hundred words in its language, one profile in ten
//! with a code block. The site is written once into a temporary directory.
//!
//! These are for comparing one version of dossier with the next. For ratios against Hugo,
//! Pagefind and Zola, run `scripts/bench`; for the editing loop in a browser-like client,
//! `scripts/bench-serve`.

use std::fmt::Write as _;
use std::fs;
use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use dossier::render::{Env, PageId};
use dossier::{bodies, finish, pipeline, render, resolve, search, serve, Config, Mode, Options};

const SECTORS: [&str; 5] = [
    "ai-agents",
    "ai-devices",
    "image-video",
    "infrastructure",
    "vertical-models",
];
const EMPLOYERS: [&str; 10] = [
    "4paradigm",
    "alibaba",
    "baidu",
    "bytedance",
    "didi",
    "jd",
    "meituan",
    "meta",
    "microsoft",
    "tencent",
];
const CITIES: [&str; 5] = ["beijing", "shanghai", "hangzhou", "shenzhen", "jinan"];

const ZH: [&str; 8] = [
    "他在大厂工作了{n}年，团队从几个人成长到{m}人，负责的推荐系统每天服务数亿用户。",
    "同事们说他会读每一份设计文档，先要数据再听观点。",
    "离职的决定来自对大模型走向的长期判断。",
    "公司最早在一间小办公室起步，只有{n}名工程师和一个租来的算力集群。",
    "第一款产品让企业客户用自然语言描述任务，直接拿到可用的初稿。",
    "早期客户来自零售、物流和在线教育，这些行业有大量重复的文书工作。",
    "公司训练自己的基础模型，小任务则使用开源权重。",
    "投资方看重创始团队运营超大规模系统的经验，最近一年收入增长约{m}%。",
];
const EN: [&str; 8] = [
    "The founder spent {n} years at a large company, where the team grew to {m} people.",
    "Colleagues describe a manager who read every design document and asked for numbers first.",
    "The decision to leave came after a long review of where large models were heading.",
    "The company started in a small office with {n} engineers and a rented GPU cluster.",
    "Its first product let business customers describe a task in plain language.",
    "Early customers came from retail, logistics and online education.",
    "The company trains its own base model but relies on open checkpoints for small tasks.",
    "Investors point to the team's experience; revenue grew by about {m} percent last year.",
];

/// A body of `paras` paragraphs drawn from `pool`, varied by `seed`.
fn body(pool: &[&str], seed: usize, paras: usize) -> String {
    let mut out = String::new();
    for p in 0..paras {
        let _ = writeln!(out, "## {}\n", p + 1);
        for s in 0..6 {
            let k = (seed * 7 + p * 3 + s) % pool.len();
            let text = pool[k]
                .replace("{n}", &((seed + s) % 17 + 3).to_string())
                .replace("{m}", &((seed * 13 + p) % 900 + 20).to_string());
            out.push_str(&text);
            out.push(' ');
        }
        out.push_str("\n\n");
    }
    if seed.is_multiple_of(10) {
        let _ = writeln!(
            out,
            "```python\ndef score_{seed}(rows):\n    return sum(r * {seed} for r in rows)\n```"
        );
    }
    out
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&dest).unwrap();
        } else {
            fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// Writes the synthetic site; returns its root.
fn synth(dir: &Path, n: usize) -> PathBuf {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = dir.join("site");
    copy_dir(&repo.join("themes"), &root.join("themes"));
    copy_dir(&repo.join("content"), &root.join("content"));
    fs::copy(repo.join("site.yaml"), root.join("site.yaml")).unwrap();
    for i in 0..n {
        let (sector, employer, city) = (
            SECTORS[i % SECTORS.len()],
            EMPLOYERS[i % EMPLOYERS.len()],
            CITIES[i % CITIES.len()],
        );
        let month = i % 12 + 1;
        let year = 2018 + i % 6;
        let founder = format!(
            "---\nname: 创业者{i}\nformer_title: 副总裁\nformer_employer: {employer}\ncompany: synth-co-{i}\nsector: {sector}\nleft: {year}-{month:02}\ncity: {city}\nsummary: 创业者{i}离开大厂后创办了合成公司{i}。\nsources:\n  - title: 来源{i}\n    date: 2024-03-{:02}\n---\n\n{}",
            i % 28 + 1,
            body(&ZH, i, 5)
        );
        fs::write(
            root.join(format!("content/founders/synth-{i}.zh.md")),
            founder,
        )
        .unwrap();
        fs::write(
            root.join(format!("content/founders/synth-{i}.en.md")),
            format!(
                "---\nname: Founder {i}\nformer_title: Vice President\nsummary: Founder {i} left big tech to start Synth Co {i}.\n---\n\n{}",
                body(&EN, i, 5)
            ),
        )
        .unwrap();
        fs::write(
            root.join(format!("content/companies/synth-co-{i}.zh.md")),
            format!(
                "---\nname: 合成公司{i}\nsector: {sector}\nfounders: [synth-{i}]\nfounded: {year}-{month:02}\ncity: {city}\nsummary: 合成公司{i}做{sector}。\nsources:\n  - title: 来源{i}\n    date: 2024-03-{:02}\n---\n\n{}",
                i % 28 + 1,
                body(&ZH, i + 1, 4)
            ),
        )
        .unwrap();
        fs::write(
            root.join(format!("content/companies/synth-co-{i}.en.md")),
            format!(
                "---\nname: Synth Co {i}\nsummary: Synth Co {i} works on {sector}.\n---\n\n{}",
                body(&EN, i + 1, 4)
            ),
        )
        .unwrap();
    }
    root
}

fn stages(c: &mut Criterion) {
    let n: usize = std::env::var("DOSSIER_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let dir = tempfile::tempdir().unwrap();
    let root = synth(dir.path(), n);
    let opts = Options {
        root: root.clone(),
        output: Some(dir.path().join("out")),
        base_url: None,
        drafts: false,
        mode: Mode::Build,
    };
    let cfg = Config::load(&opts).unwrap();

    // Each stage's input, computed once by the stages before it: the front half that
    // build, check and serve run (`pipeline`), whose tail times each stage.
    let loaded = pipeline::load(&cfg, &mut |_| {}).unwrap();
    let (theme, content, history) = (loaded.theme, loaded.content, loaded.history);
    let cache = dossier::cache::Cache::none();
    let cards = dossier::cards::Renderer::new(std::sync::Arc::new(dossier::cache::Cache::none()));
    let inputs = pipeline::Inputs {
        cfg: &cfg,
        theme: &theme,
        history: &history,
        cache: &cache,
        cards: Some(&cards),
        previous: None,
    };
    pipeline::front(inputs, content.clone(), &mut |_| {}, |front, env| {
        let (site, bodies, images) = (&front.site, &front.bodies, &front.images);
        let plan = render::plan(&cfg, site, &theme);
        let pages = render::pages(env, &plan, false).unwrap();
        let files: Vec<_> = pages.iter().map(|p| p.file.clone()).collect();
        let records: Vec<_> = pages.iter().filter_map(|p| p.record.clone()).collect();

        let mut g = c.benchmark_group(format!("build, {n} founders + {n} companies"));
        g.sample_size(10);
        g.bench_function("load (read and parse)", |b| {
            b.iter(|| black_box(pipeline::load(&cfg, &mut |_| {}).unwrap()))
        });
        g.bench_function("resolve", |b| {
            b.iter_batched(
                || content.clone(),
                |c| black_box(resolve::site(c).unwrap()),
                BatchSize::LargeInput,
            )
        });
        g.bench_function("markdown", |b| {
            b.iter(|| black_box(bodies::render(&cfg, site, None).unwrap()))
        });
        g.bench_function("views and render", |b| {
            b.iter(|| {
                let env =
                    Env::new(&cfg, site, bodies, &theme, &history, images, Some(&cards)).unwrap();
                black_box(render::pages(&env, &plan, false).unwrap())
            })
        });
        // The open data alone: every table as JSON, CSV and JSON Schema, and datapackage.json,
        // in both languages (part of "views and render" above).
        let data: Vec<PageId> = plan
            .iter()
            .copied()
            .filter(|id| matches!(id, PageId::DataFile(..) | PageId::DataPackage(_)))
            .collect();
        g.bench_function("open data (both languages)", |b| {
            b.iter(|| black_box(render::pages(env, &data, false).unwrap()))
        });
        g.bench_function("compact", |b| {
            b.iter_batched(
                || files.clone(),
                |f| black_box(finish::files(&cfg, &theme.static_dir, f).unwrap()),
                BatchSize::LargeInput,
            )
        });
        g.bench_function("search index", |b| {
            b.iter_batched(
                || records.clone(),
                |r| black_box(search::index(&cfg, r).unwrap()),
                BatchSize::LargeInput,
            )
        });
        g.finish();
        Ok(())
    })
    .unwrap();

    // serve: one edit to a profile body, from the changed path to every page it touches
    // rendered (the search re-index runs in the background and is not part of this).
    let mut session = serve::rebuild::Session::new(&opts).unwrap();
    session.rebuild_all().unwrap();
    let edited = root.join("content/founders/synth-7.zh.md");
    let original = fs::read_to_string(&edited).unwrap();
    let mut g = c.benchmark_group(format!("serve, {n} founders + {n} companies"));
    g.sample_size(20);
    let mut k = 0u64;
    g.bench_function("edit one profile body", |b| {
        b.iter(|| {
            k += 1;
            fs::write(&edited, format!("{original}\n编辑 {k}。\n")).unwrap();
            black_box(session.apply(std::slice::from_ref(&edited)).unwrap())
        })
    });
    g.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
