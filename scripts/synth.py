#!/usr/bin/env python3
"""Writes a synthetic dossier site of N founders (zh and en) for benchmarks and index sizes.

usage: scripts/synth.py N OUTDIR [--hugo HUGODIR]

The synthetic site has N founders, N/10 companies, 5 sectors and 20 employers, each in
Chinese and English, with a few paragraphs of body text. With --hugo it also writes the
same content as a bilingual Hugo site (zh at /, en at /en/) with minimal list and single
layouts, so both generators can be timed side by side on equal input.
"""
import os, random, shutil, sys

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉宇浩然晨阳雪梅林峰琳瑶欣怡博文思远嘉俊子轩"
PINYIN = ["wang", "li", "zhang", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou", "xu", "sun", "ma", "zhu", "hu", "guo"]
CITIES = ["beijing", "shanghai", "hangzhou", "shenzhen", "jinan"]
SECTORS = [("image-video", "文生图/视频模型", "Image and video models"), ("ai-agents", "AI 智能体", "AI agents"), ("ai-devices", "AI 新终端", "New AI devices"), ("vertical-models", "垂直行业大模型", "Vertical models"), ("infrastructure", "AI 基础设施", "AI infrastructure")]
ZH_PARA = "他在大型互联网公司工作多年，负责搜索、推荐和云计算平台的研发。离职后，他创办了一家生成式人工智能公司，专注于大模型的训练与应用，产品面向企业客户。公司在北京和杭州设有研发中心，团队成员主要来自知名科技企业。"
EN_PARA = "He spent many years at a large internet company, leading research on search, recommendation and cloud platforms. After leaving, he founded a generative-AI company focused on training and applying large models, with products for business customers. The company has research centres in Beijing and Hangzhou, and its team comes mostly from well-known technology firms."


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main():
    n = int(sys.argv[1])
    out = sys.argv[2]
    hugo = sys.argv[sys.argv.index("--hugo") + 1] if "--hugo" in sys.argv else None
    rnd = random.Random(42)
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(os.path.join(repo, "themes"), os.path.join(out, "themes"))
    cities = "".join(f"  {c}: {{zh: {c}, en: {c.title()}}}\n" for c in CITIES)
    write(f"{out}/site.yaml", f"title: {{zh: 合成名录, en: Synthetic directory}}\nbase_url: https://example.org/synth/\nlanguages: [zh, en]\ndefault_language: zh\ntheme: default\nminify: true\ncities:\n{cities}")
    src = "sources:\n  - {title: 合成数据, date: 2024-03-25}\n"
    docs = []  # (section, slug, zh_fm, en_fm, zh_body, en_body, hugo_zh_title, hugo_en_title)
    for i, (slug, zh, en) in enumerate(SECTORS):
        docs.append(("sectors", slug, f"name: {zh}\norder: {i + 1}\nsummary: {zh}赛道。\n", f"name: {en}\nsummary: The {en} sector.\n", ZH_PARA, EN_PARA, zh, en))
    for e in range(20):
        docs.append(("employers", f"employer-{e}", f"name: 大厂{e}\norder: {e + 1}\n", f"name: Big Tech {e}\n", ZH_PARA, EN_PARA, f"大厂{e}", f"Big Tech {e}"))
    ncomp = max(1, n // 10)
    for c in range(ncomp):
        sector = SECTORS[c % 5][0]
        founders = ", ".join(f"founder-{f}" for f in range(c, n, ncomp))
        docs.append(("companies", f"company-{c}", f"name: 公司{c}\nsector: {sector}\nfounders: [{founders}]\nfounded: 2023-{c % 12 + 1:02d}\ncity: {CITIES[c % 5]}\n{src}summary: 公司{c}做大模型。\n", f"name: Company {c}\nsummary: Company {c} builds large models.\n", ZH_PARA * 2, EN_PARA * 2, f"公司{c}", f"Company {c}"))
    for f in range(n):
        name_zh = SURNAMES[f % len(SURNAMES)] + GIVEN[(f * 7) % len(GIVEN)] + GIVEN[(f * 13) % len(GIVEN)]
        name_en = f"{PINYIN[f % len(PINYIN)].title()} {f}"
        docs.append(("founders", f"founder-{f}", f"name: {name_zh}\nformer_title: 副总裁\nformer_employer: employer-{f % 20}\ncompany: company-{f % ncomp}\nsector: {SECTORS[(f % ncomp) % 5][0]}\nleft: 20{18 + f % 6}-{f % 12 + 1:02d}\n{src}summary: {name_zh}离开大厂创业。\n", f"name: {name_en}\nformer_title: Vice President\nsummary: {name_en} left big tech to found a start-up.\n", f"## 背景\n\n{ZH_PARA}\n\n## 公司\n\n{ZH_PARA}\n\n{ZH_PARA}\n", f"## Background\n\n{EN_PARA}\n\n## Company\n\n{EN_PARA}\n\n{EN_PARA}\n", name_zh, name_en))
    for section, slug, zfm, efm, zb, eb, zt, et in docs:
        write(f"{out}/content/{section}/{slug}.zh.md", f"---\n{zfm}---\n\n{zb}\n")
        write(f"{out}/content/{section}/{slug}.en.md", f"---\n{efm}---\n\n{eb}\n")
        if hugo:
            write(f"{hugo}/content/{section}/{slug}.zh.md", f"---\ntitle: \"{zt}\"\n---\n\n{zb}\n")
            write(f"{hugo}/content/{section}/{slug}.en.md", f"---\ntitle: \"{et}\"\n---\n\n{eb}\n")
    if hugo:
        write(f"{hugo}/hugo.toml", 'baseURL = "https://example.org/synth/"\ndefaultContentLanguage = "zh"\ndisableKinds = ["taxonomy", "term"]\n[minify]\nminifyOutput = true\n[languages.zh]\nweight = 1\ntitle = "合成名录"\n[languages.en]\nweight = 2\ntitle = "Synthetic directory"\n')
        base = '<!DOCTYPE html><html lang="{{ .Language.Lang }}"><head><meta charset="utf-8"><title>{{ .Title }}</title>{{ range .AllTranslations }}<link rel="alternate" hreflang="{{ .Language.Lang }}" href="{{ .Permalink }}">{{ end }}</head><body><header><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a>{{ range .Translations }}<a href="{{ .RelPermalink }}">{{ .Language.Lang }}</a>{{ end }}</header><main>{{ block "main" . }}{{ end }}</main></body></html>'
        write(f"{hugo}/layouts/_default/baseof.html", base)
        write(f"{hugo}/layouts/_default/single.html", '{{ define "main" }}<article><h1>{{ .Title }}</h1>{{ .Content }}</article>{{ end }}')
        write(f"{hugo}/layouts/_default/list.html", '{{ define "main" }}<h1>{{ .Title }}</h1><table>{{ range .Pages }}<tr><td><a href="{{ .RelPermalink }}">{{ .Title }}</a></td><td>{{ .Summary | plainify | truncate 80 }}</td></tr>{{ end }}</table>{{ end }}')
        write(f"{hugo}/layouts/index.html", '{{ define "main" }}<h1>{{ site.Title }}</h1>{{ range site.Sections }}<h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2><p>{{ len .Pages }}</p>{{ end }}{{ end }}')
    print(f"wrote {len(docs) * 2} files ({n} founders, {ncomp} companies) to {out}" + (f" and {hugo}" if hugo else ""))


if __name__ == "__main__":
    main()
