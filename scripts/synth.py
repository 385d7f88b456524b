#!/usr/bin/env python3
"""Writes a synthetic bilingual dossier site for benchmarks and index sizes.

usage: scripts/synth.py N OUTDIR [--hugo HUGODIR] [--zola ZOLADIR]

The site has N founders and N companies (founder-i founded company-i), 5 sectors and 20
employers, each in Chinese (zh, the default language) and English (en). Founder and company
bodies run to about 600 English words or about 900 CJK characters; one profile in ten carries
a fenced code block. The text is drawn from a pool of sentence templates, shuffled and filled
per page with a seeded RNG, so every page differs (identical pages would make search indexes
and compression unrealistically cheap) and every run writes the same bytes.

With --hugo it writes the same content as a bilingual Hugo site (zh at /, en at /en/) and
with --zola as a Zola site, each with list and single layouts that show the title, the body
and a table of the section's pages with their summaries, so the generators can be timed on
equal input. Single pages mark their article `data-pagefind-body`, so running the Pagefind
CLI over the Hugo output indexes the same pages as dossier's built-in index.
"""
import argparse, json, os, random, re, shutil

BASE_URL = "https://example.org/synth/"
BASE_PATH = "/synth/"
CITIES = [("beijing", "北京", "Beijing"), ("shanghai", "上海", "Shanghai"), ("hangzhou", "杭州", "Hangzhou"), ("shenzhen", "深圳", "Shenzhen"), ("jinan", "济南", "Jinan")]
SECTORS = [("image-video", "文生图/视频模型", "Image and video models"), ("ai-agents", "AI 智能体", "AI agents"), ("ai-devices", "AI 新终端", "New AI devices"), ("vertical-models", "垂直行业大模型", "Vertical models"), ("infrastructure", "AI 基础设施", "AI infrastructure")]
SURNAMES = [("王", "Wang"), ("李", "Li"), ("张", "Zhang"), ("刘", "Liu"), ("陈", "Chen"), ("杨", "Yang"), ("黄", "Huang"), ("赵", "Zhao"), ("吴", "Wu"), ("周", "Zhou"), ("徐", "Xu"), ("孙", "Sun"), ("马", "Ma"), ("朱", "Zhu"), ("胡", "Hu"), ("郭", "Guo"), ("何", "He"), ("高", "Gao"), ("林", "Lin"), ("罗", "Luo"), ("郑", "Zheng"), ("梁", "Liang"), ("谢", "Xie"), ("宋", "Song"), ("唐", "Tang"), ("许", "Xu"), ("韩", "Han"), ("冯", "Feng"), ("邓", "Deng"), ("曹", "Cao")]
GIVEN = [("伟", "wei"), ("芳", "fang"), ("敏", "min"), ("静", "jing"), ("强", "qiang"), ("磊", "lei"), ("军", "jun"), ("洋", "yang"), ("勇", "yong"), ("杰", "jie"), ("涛", "tao"), ("明", "ming"), ("超", "chao"), ("平", "ping"), ("刚", "gang"), ("华", "hua"), ("鹏", "peng"), ("辉", "hui"), ("宇", "yu"), ("浩", "hao"), ("晨", "chen"), ("阳", "yang"), ("峰", "feng"), ("琳", "lin"), ("博", "bo"), ("文", "wen"), ("思", "si"), ("远", "yuan"), ("嘉", "jia"), ("俊", "jun")]
SYLLABLES = [("智", "Zhi"), ("元", "Yuan"), ("星", "Xing"), ("云", "Yun"), ("深", "Shen"), ("度", "Du"), ("灵", "Ling"), ("犀", "Xi"), ("光", "Guang"), ("年", "Nian"), ("思", "Si"), ("维", "Wei"), ("澜", "Lan"), ("舟", "Zhou"), ("极", "Ji"), ("客", "Ke"), ("墨", "Mo"), ("子", "Zi"), ("天", "Tian"), ("工", "Gong"), ("合", "He"), ("启", "Qi"), ("明", "Ming"), ("象", "Xiang"), ("未", "Wei"), ("来", "Lai"), ("方", "Fang"), ("舆", "Yu"), ("川", "Chuan"), ("海", "Hai"), ("岳", "Yue"), ("百", "Bai"), ("衡", "Heng"), ("原", "Yuan"), ("跃", "Yue"), ("阶", "Jie"), ("森", "Sen"), ("泽", "Ze"), ("瀚", "Han"), ("卓", "Zhuo")]
COMPANY_SUFFIX = [("科技", "Technology"), ("智能", "AI"), ("数据", "Data"), ("机器人", "Robotics"), ("计算", "Computing"), ("实验室", "Labs")]
INVESTORS = [("红杉中国", "HongShan"), ("高瓴创投", "Hillhouse Ventures"), ("启明创投", "Qiming Venture Partners"), ("经纬创投", "Matrix Partners China"), ("源码资本", "Source Code Capital"), ("真格基金", "ZhenFund"), ("IDG资本", "IDG Capital"), ("五源资本", "5Y Capital"), ("蓝驰创投", "Lanchi Ventures"), ("君联资本", "Legend Capital")]
STAGES = [("seed", "种子", "seed"), ("angel", "天使", "angel"), ("pre-a", "Pre-A ", "pre-Series A"), ("a", "A ", "Series A"), ("b", "B ", "Series B")]
TITLES = [("副总裁", "Vice President"), ("高级副总裁", "Senior Vice President"), ("首席技术官", "Chief Technology Officer"), ("技术总监", "Technical Director"), ("首席科学家", "Chief Scientist")]
PRODUCT_PARTS = ["Lumo", "Qiyu", "Nova", "Tiva", "Sora", "Kemi", "Rivo", "Zhen", "Mira", "Pixo", "Vela", "Ondo", "Hexa", "Lyra", "Quan", "Yuki"]
PRODUCT_TAILS = ["Chat", "Agent", "Studio", "Vision", "Coder", "Docs", "Mind", "Flow"]

EN = [
    "{name} spent {num} years at {employer}, where the team grew from a handful of engineers to more than {big} people.",
    "Colleagues describe a manager who read every design document and asked for numbers before opinions.",
    "In {year} the group shipped a ranking system that served several hundred million users a day.",
    "The decision to leave came after a long review of where large models were heading.",
    "{company} started in a small office in {city} with {small} engineers and a single rented GPU cluster.",
    "Its first product, {product}, let business customers describe a task in plain language and get a working draft back.",
    "Early customers came from retail, logistics and online education, sectors with plenty of repetitive paperwork.",
    "The company trains its own base model but relies on open-source checkpoints for smaller tasks.",
    "Investors point to the founding team's experience in running systems at very large scale.",
    "Revenue grew by about {pct} percent in the most recent year, according to people familiar with the figures.",
    "The team publishes evaluation results every quarter and keeps the benchmarks open for others to reproduce.",
    "Hiring remains the hardest problem: experienced researchers receive several offers within a week.",
    "{name} argues that the next wave of products will be judged by reliability rather than novelty.",
    "A second office in {city2} focuses on data engineering and on tools for labelling training data.",
    "The {round} round was led by {investor}, with participation from earlier backers.",
    "Much of the money goes to compute, which the company rents from two cloud providers to avoid lock-in.",
    "Customers pay per seat for the hosted service and per token for access through the programming interface.",
    "A version of {product} for mobile phones appeared in {year2}, running a compressed model on the device.",
    "Analysts count at least {small2} competitors in the same niche, most of them founded within the past two years.",
    "The company says it will not sell personal data and keeps customer documents in separate, encrypted storage.",
    "Before joining {employer}, {name} studied computer science and wrote a thesis on distributed storage.",
    "Former colleagues followed in small groups, often bringing whole teams of engineers with them.",
    "Product reviews praise the speed of the service but note that long documents still confuse it.",
    "The founders meet customers every week and read support tickets themselves on Friday afternoons.",
    "Training runs are scheduled at night, when electricity is cheaper and the cluster is otherwise idle.",
    "Regulators require generative services to be registered, and {company} completed the filing in {year2}.",
    "The company's research group has published {small} papers at major machine-learning conferences.",
    "Open-source releases include a tokenizer, an evaluation harness and a small model for Chinese text.",
    "A partnership with a hardware maker brings the assistant to tablets sold in schools.",
    "Competition for graphics processors pushed the team to spend months on quantisation and sparsity.",
    "{name} often says that a good demo is easy and a good product takes three more years.",
    "The latest model handles contexts of {ctx} thousand tokens and can call external tools.",
    "Enterprise clients ask most often for private deployment inside their own data centres.",
    "The company turned down an acquisition offer in {year2}, preferring to stay independent.",
    "Its agents book meetings, fill in forms and summarise long threads of messages.",
    "Video generation remains expensive: a ten-second clip costs several cents of compute to render.",
    "The team measures quality with blind comparisons rated by paid reviewers and by customers.",
    "Sales outside China started with Singapore and later extended to the Middle East.",
    "About {pct2} percent of employees work on research; the rest build products and serve customers.",
    "{company} plans to release a smaller model that runs on a single consumer graphics card.",
    "Press coverage of the departure from {employer} focused on the size of the stock grant left behind.",
    "Industry observers expect consolidation once the current round of funding is spent.",
    "The office in {city} hosts a monthly meetup where engineers from other start-ups present their work.",
    "Documentation is written in both Chinese and English, and the interface follows the user's language.",
    "A pilot with a hospital group tests whether the model can draft discharge summaries for doctors to check.",
    "Unit economics improved after the team moved inference to cheaper chips made in China.",
    "The founder keeps a public notebook of failed experiments, updated every few weeks.",
    "Most customers first try the free tier, and roughly one in {small2} later converts to a paid plan.",
]
ZH = [
    "{name}在{employer}工作了{num}年，团队从几名工程师扩大到{big}多人。",
    "同事们回忆，他会认真阅读每一份设计文档，讨论时先看数据再谈观点。",
    "{year}年，他带领的团队上线了一套排序系统，每天服务数亿用户。",
    "离职的决定来自他对大模型发展方向的长期观察和反复思考。",
    "{company}最初在{city}的一间小办公室起步，只有{small}名工程师和一个租来的算力集群。",
    "公司的第一款产品{product}让企业客户用自然语言描述任务，几秒钟内就能得到可用的初稿。",
    "早期客户主要来自零售、物流和在线教育，这些行业有大量重复性的文书工作。",
    "公司自己训练基础模型，较小的任务则使用开源模型作为起点。",
    "投资人看重的是创始团队在超大规模系统上的工程经验。",
    "据知情人士透露，公司最近一年的收入增长了约{pct}%。",
    "团队每个季度公开一次评测结果，并开放评测集供外界复现。",
    "招聘仍然是最难的问题，有经验的研究员往往一周之内就会收到好几份录用通知。",
    "{name}认为，下一代产品比拼的将是可靠性，而不是新奇程度。",
    "公司在{city2}设立了第二个办公室，专注数据工程和数据标注工具。",
    "{round}轮融资由{investor}领投，老股东继续跟投。",
    "大部分资金用于购买算力，公司同时向两家云服务商租用资源，以免被单一供应商锁定。",
    "托管服务按账号收费，通过编程接口调用则按用量计费。",
    "{year2}年，{product}推出了手机版本，在设备上运行经过压缩的模型。",
    "分析人士统计，同一细分领域至少还有{small2}家竞争对手，大多成立于最近两年。",
    "公司承诺不出售个人数据，客户文档单独存储并加密。",
    "加入{employer}之前，{name}攻读计算机科学，博士论文研究分布式存储。",
    "不少老同事陆续追随而来，有时整个工程团队一起加入。",
    "用户评价称服务速度很快，但处理长文档时仍会出错。",
    "创始人每周都会拜访客户，周五下午亲自阅读客服工单。",
    "训练任务通常安排在夜间进行，那时电价更低，集群也比较空闲。",
    "按照监管要求，生成式服务需要备案，{company}在{year2}年完成了备案。",
    "公司的研究团队已在机器学习顶级会议上发表了{small}篇论文。",
    "开源项目包括一个分词器、一套评测工具和一个面向中文的小模型。",
    "公司与一家硬件厂商合作，把智能助手预装在面向学校销售的平板电脑上。",
    "由于图形处理器紧缺，团队花了几个月时间研究量化和稀疏化技术。",
    "{name}常说，做一个好的演示很容易，做一个好的产品还需要三年。",
    "最新的模型支持{ctx}千个词元的上下文，并且可以调用外部工具。",
    "企业客户最常提出的需求是在自己的数据中心内私有化部署。",
    "{year2}年，公司拒绝了一份收购要约，选择保持独立发展。",
    "公司的智能体可以预订会议、填写表格，并总结冗长的消息记录。",
    "视频生成的成本依然很高，渲染一段十秒钟的视频需要消耗可观的算力。",
    "团队通过盲测来衡量质量，评分者包括专业评审和真实客户。",
    "海外业务从新加坡起步，后来扩展到中东市场。",
    "大约{pct2}%的员工从事研究工作，其余员工负责产品开发和客户服务。",
    "{company}计划发布一个更小的模型，只需一张消费级显卡就能运行。",
    "媒体报道{name}离开{employer}时，关注的焦点是他放弃的大量股票。",
    "业内人士预计，当这一轮融资消耗殆尽时，行业将迎来整合。",
    "{city}办公室每月举办一次技术沙龙，邀请其他创业公司的工程师分享经验。",
    "产品文档同时提供中文和英文版本，界面语言会跟随用户的设置。",
    "公司正与一家医院集团合作试点，测试模型能否为医生起草出院小结。",
    "团队把推理服务迁移到更便宜的国产芯片之后，单位经济模型明显改善。",
    "创始人公开维护一份失败实验的记录，每隔几周更新一次。",
    "大多数客户先试用免费版本，其中大约每{small2}人中就有一人转为付费用户。",
]
HEADINGS = {"zh": ["背景", "公司", "产品与客户", "展望"], "en": ["Background", "Company", "Products and customers", "Outlook"]}
CODE = {
    "python": """def score(query, docs, k={k}):
    \"\"\"Ranks documents by term overlap with the query.\"\"\"
    terms = set(query.lower().split())
    ranked = []
    for doc in docs:
        words = doc.lower().split()
        hits = sum(1 for w in words if w in terms)
        if hits:
            ranked.append((hits / len(words), doc))
    ranked.sort(reverse=True)
    return [doc for _, doc in ranked[:k]]
""",
    "rust": """/// Splits a prompt into chunks of at most `max` tokens.
pub fn chunks(tokens: &[u32], max: usize) -> Vec<&[u32]> {{
    let max = max.clamp(1, {k});
    let mut out = Vec::new();
    let mut rest = tokens;
    while !rest.is_empty() {{
        let (head, tail) = rest.split_at(rest.len().min(max));
        out.push(head);
        rest = tail;
    }}
    out
}}
""",
}
CJK = re.compile(r"[\u4e00-\u9fff]")


def mix(i, n):
    """Three indices below n from i, a bijection on 0..n**3-1, so neighbours look unrelated
    and names stay unique for n**3 profiles."""
    d0, d1, d2 = i % n, (i // n) % n, (i // (n * n)) % n
    return d0, (d1 + 11 * d0 + 3) % n, (d2 + 7 * d1 + 17 * d0 + 5) % n


def founder_names(f):
    a, b, c = mix(f, len(GIVEN))
    s, g1, g2 = SURNAMES[a], GIVEN[b], GIVEN[c]
    return s[0] + g1[0] + g2[0], f"{s[1]} {(g1[1] + g2[1]).title()}"


def company_names(c):
    a, b, _ = (SYLLABLES[k] for k in mix(c, len(SYLLABLES)))
    suf = COMPANY_SUFFIX[(c // (len(SYLLABLES) ** 2) + c) % len(COMPANY_SUFFIX)]
    extra = c // (len(SYLLABLES) ** 2 * len(COMPANY_SUFFIX))
    zh, en = a[0] + b[0] + suf[0], f"{a[1]}{b[1].lower()} {suf[1]}"
    return (zh + str(extra + 1), f"{en} {extra + 1}") if extra else (zh, en)


def employer_names(e):
    a, b = SYLLABLES[(e * 3 + 5) % len(SYLLABLES)], SYLLABLES[(e * 11 + 2) % len(SYLLABLES)]
    return f"{a[0]}{b[0]}集团", f"{a[1]}{b[1].lower()} Group"


def slots(rnd, lang, name, company, employer, city, stage, investor):
    i = 1 if lang == "en" else 0
    other = CITIES[(CITIES.index(city) + rnd.randrange(1, 5)) % 5]
    product = rnd.choice(PRODUCT_PARTS) + rnd.choice(PRODUCT_PARTS).lower() + " " + rnd.choice(PRODUCT_TAILS)
    return dict(name=name[i], company=company[i], employer=employer[i], city=city[1 + i], city2=other[1 + i],
                round=stage[1 + i].strip() if i else stage[1], investor=investor[i], product=product,
                year=rnd.randrange(2006, 2021), year2=rnd.randrange(2021, 2025), num=rnd.randrange(3, 16),
                big=rnd.randrange(10, 200) * 10, small=rnd.randrange(4, 40), small2=rnd.randrange(3, 20),
                pct=rnd.randrange(20, 300), pct2=rnd.randrange(25, 70), ctx=rnd.choice([8, 32, 64, 128, 200]))


def body(seed, lang, target, intro, values, code=None):
    """About `target` words (en) or CJK characters (zh): the intro, then shuffled, filled
    templates in paragraphs of 3 to 5 sentences under headings, a code block after the second."""
    rnd = random.Random(f"{seed}-{lang}")
    pool, sentences, size = list(EN if lang == "en" else ZH), [], 0
    count = (lambda s: len(s.split())) if lang == "en" else (lambda s: len(CJK.findall(s)))
    size = count(intro)
    while size < target:
        rnd.shuffle(pool)
        for t in pool:
            s = t.format(**values)
            sentences.append(s)
            size += count(s)
            if size >= target:
                break
    paras = []
    while sentences:
        k = rnd.randint(3, 5)
        paras.append(sentences[:k])
        sentences = sentences[k:]
    sep = " " if lang == "en" else ""
    out, per = [intro], max(1, -(-len(paras) // 3))
    for h, i in enumerate(range(0, len(paras), per)):
        out.append(f"## {HEADINGS[lang][h]}")
        for j, p in enumerate(paras[i:i + per]):
            out.append(sep.join(p))
            if code and h == 1 and j == 0:
                out.append(code)
    return "\n\n".join(out) + "\n"


def code_block(i):
    lang = "python" if (i // 10) % 2 == 0 else "rust"
    return f"```{lang}\n{CODE[lang].format(k=10 + i)}```"


def yaml_text(zh, en):
    return f"{{zh: {zh}, en: \"{en}\"}}"


def q(s):
    return json.dumps(s, ensure_ascii=False)


def build_docs(n):
    """Every profile as (section, slug, zh_fm, en_fm, zh_body, en_body, (zh_title, en_title), (zh_summary, en_summary))."""
    docs = []
    employers = [employer_names(e) for e in range(20)]
    for i, (slug, zh, en) in enumerate(SECTORS):
        rnd = random.Random(f"sector-{i}")
        vals = {l: slots(rnd, l, founder_names(i), company_names(i), employers[i], CITIES[i], STAGES[3], INVESTORS[i]) for l in ("zh", "en")}
        summ = (f"{zh}赛道的创业公司。", f"Start-ups in the {en.lower()} sector.")
        docs.append(("sectors", slug, f"name: {zh}\norder: {i + 1}\nsummary: {q(summ[0])}\n", f"name: {en}\nsummary: {q(summ[1])}\n",
                     body(f"sector-{i}", "zh", 250, summ[0], vals["zh"]), body(f"sector-{i}", "en", 150, summ[1], vals["en"]), (zh, en), summ))
    for e, (zh, en) in enumerate(employers):
        rnd = random.Random(f"employer-{e}")
        vals = {l: slots(rnd, l, founder_names(e), company_names(e), (zh, en), CITIES[e % 5], STAGES[3], INVESTORS[e % 10]) for l in ("zh", "en")}
        summ = (f"{zh}是一家大型互联网公司。", f"{en} is a large internet company.")
        docs.append(("employers", f"employer-{e}", f"name: {zh}\norder: {e + 1}\nsummary: {q(summ[0])}\n", f"name: \"{en}\"\nsummary: {q(summ[1])}\n",
                     body(f"employer-{e}", "zh", 250, summ[0], vals["zh"]), body(f"employer-{e}", "en", 150, summ[1], vals["en"]), (zh, en), summ))
    src = "sources:\n  - title: {zh: 合成数据集, en: Synthetic data set}\n    publisher: {zh: 合成日报, en: Synthetic Daily}\n    date: 2024-03-25\n    url: https://example.org/source\n"
    for i in range(n):
        rnd = random.Random(f"profile-{i}")
        person, company = founder_names(i), company_names(i)
        sector = SECTORS[i % 5]
        e = rnd.randrange(20)
        employer = employers[e]
        city = CITIES[rnd.randrange(5)]
        stage, investor = rnd.choice(STAGES), rnd.sample(INVESTORS, 2)
        title = rnd.choice(TITLES)
        left = f"20{rnd.randrange(18, 24)}-{rnd.randrange(1, 13):02d}"
        founded = f"{int(left[:4]) + rnd.randrange(0, 2)}-{rnd.randrange(1, 13):02d}"
        amount = rnd.choice([1, 2, 3, 5, 8]) * 10 ** rnd.choice([7, 8])
        currency = rnd.choice(["CNY", "USD"])
        vals = {l: slots(rnd, l, person, company, employer, city, stage, investor[0]) for l in ("zh", "en")}
        fs = (f"{person[0]}曾任{employer[0]}{title[0]}，{left[:4]}年离职创办{company[0]}，专注{sector[1]}。",
              f"{person[1]}, a former {title[1].lower()} at {employer[1]}, left in {left[:4]} to found {company[1]}.")
        cs = (f"{company[0]}由{person[0]}于{founded[:4]}年在{city[1]}创立，做{sector[1]}。",
              f"{company[1]} was founded by {person[1]} in {city[2]} in {founded[:4]} and works on {sector[2].lower()}.")
        links = {
            "zh": f"[{person[0]}](@/founders/founder-{i})曾在[{employer[0]}](@/employers/employer-{e})担任{title[0]}，后来创办了[{company[0]}](@/companies/company-{i})，属于[{sector[1]}](@/sectors/{sector[0]})赛道。",
            "en": f"[{person[1]}](@/founders/founder-{i}) was {title[1].lower()} at [{employer[1]}](@/employers/employer-{e}) before founding [{company[1]}](@/companies/company-{i}), in the [{sector[2].lower()}](@/sectors/{sector[0]}) sector.",
        }
        fcode = code_block(i) if i % 10 == 0 else None
        ccode = code_block(i) if i % 10 == 5 else None
        docs.append(("founders", f"founder-{i}",
                     f"name: {person[0]}\nformer_title: {title[0]}\nformer_employer: employer-{e}\ncompany: company-{i}\nsector: {sector[0]}\nleft: {left}\ncity: {city[0]}\n{src}summary: {q(fs[0])}\n",
                     f"name: {person[1]}\nformer_title: {title[1]}\nsummary: {q(fs[1])}\n",
                     body(f"founder-{i}", "zh", 900, links["zh"], vals["zh"], fcode), body(f"founder-{i}", "en", 600, links["en"], vals["en"], fcode),
                     person, fs))
        funding = (f"funding:\n  - date: {founded}\n    stage: {stage[0]}\n    amount: {amount}\n    currency: {currency}\n"
                   f"    investors: [{yaml_text(*investor[0])}, {yaml_text(*investor[1])}]\n    lead: [{yaml_text(*investor[0])}]\n")
        docs.append(("companies", f"company-{i}",
                     f"name: {company[0]}\nsector: {sector[0]}\nfounders: [founder-{i}]\nfounded: {founded}\ncity: {city[0]}\n{funding}{src}summary: {q(cs[0])}\n",
                     f"name: \"{company[1]}\"\nsummary: {q(cs[1])}\n",
                     body(f"company-{i}", "zh", 900, links["zh"], vals["zh"], ccode), body(f"company-{i}", "en", 600, links["en"], vals["en"], ccode),
                     company, cs))
    return docs


LINK = re.compile(r"\]\(@/(\w+)/([\w-]+)\)")
SECTION_TITLES = {"founders": ("创始人", "Founders"), "companies": ("公司", "Companies"), "sectors": ("赛道", "Sectors"), "employers": ("大厂", "Employers")}


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def write_dossier(out, docs, repo):
    shutil.copytree(os.path.join(repo, "themes"), os.path.join(out, "themes"))
    cities = "".join(f"  {c}: {{zh: {zh}, en: {en}}}\n" for c, zh, en in CITIES)
    write(f"{out}/site.yaml", f"title: {{zh: 合成名录, en: Synthetic directory}}\nbase_url: {BASE_URL}\nlanguages: [zh, en]\ndefault_language: zh\ntheme: default\nminify: true\ncities:\n{cities}")
    for section, slug, zfm, efm, zb, eb, _, _ in docs:
        write(f"{out}/content/{section}/{slug}.zh.md", f"---\n{zfm}---\n\n{zb}")
        write(f"{out}/content/{section}/{slug}.en.md", f"---\n{efm}---\n\n{eb}")


HUGO_BASE = """<!DOCTYPE html><html lang="{{ .Language.Lang }}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{{ if not .IsHome }}{{ .Title }} · {{ end }}{{ site.Title }}</title>{{ with .Description }}<meta name="description" content="{{ . }}">{{ end }}{{ range .AllTranslations }}<link rel="alternate" hreflang="{{ .Language.Lang }}" href="{{ .Permalink }}">{{ end }}</head>
<body><header><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a> {{ range .Translations }}<a href="{{ .RelPermalink }}">{{ .Language.Lang }}</a>{{ end }}</header>
<main>{{ block "main" . }}{{ end }}</main></body></html>
"""


def write_hugo(out, docs):
    for section, slug, _, _, zb, eb, titles, summ in docs:
        for lang, b, t, s, prefix in (("zh", zb, titles[0], summ[0], BASE_PATH), ("en", eb, titles[1], summ[1], BASE_PATH + "en/")):
            b = LINK.sub(lambda m: f"]({prefix}{m[1]}/{m[2]}/)", b)
            write(f"{out}/content/{section}/{slug}.{lang}.md", f"---\ntitle: {q(t)}\ndescription: {q(s)}\n---\n\n{b}")
    for section, (zh, en) in SECTION_TITLES.items():
        write(f"{out}/content/{section}/_index.zh.md", f"---\ntitle: {zh}\n---\n\n{zh}名录。\n")
        write(f"{out}/content/{section}/_index.en.md", f"---\ntitle: {en}\n---\n\nThe directory of {en.lower()}.\n")
    write(f"{out}/hugo.toml", f'baseURL = "{BASE_URL}"\ndefaultContentLanguage = "zh"\ndisableKinds = ["taxonomy", "term"]\n[languages.zh]\nweight = 1\ntitle = "合成名录"\n[languages.en]\nweight = 2\ntitle = "Synthetic directory"\n')
    write(f"{out}/layouts/_default/baseof.html", HUGO_BASE)
    write(f"{out}/layouts/_default/single.html", '{{ define "main" }}<article data-pagefind-body><h1>{{ .Title }}</h1>{{ .Content }}</article>{{ end }}\n')
    write(f"{out}/layouts/_default/list.html", '{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}<table>{{ range .Pages }}<tr><td><a href="{{ .RelPermalink }}">{{ .Title }}</a></td><td>{{ .Description }}</td></tr>{{ end }}</table>{{ end }}\n')
    write(f"{out}/layouts/index.html", '{{ define "main" }}<h1>{{ site.Title }}</h1>{{ range site.Sections }}<h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2><p>{{ len .Pages }}</p>{{ end }}{{ end }}\n')
    write(f"{out}/layouts/404.html", '{{ define "main" }}<h1>404</h1>{{ end }}\n')


ZOLA_BASE = """<!DOCTYPE html><html lang="{{ lang }}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{% block title %}{{ config.title }}{% endblock %}</title>{% block head %}{% endblock %}</head>
<body><header><a href="{% if lang == config.default_language %}{{ get_url(path='/') }}{% else %}{{ get_url(path='/' ~ lang ~ '/') }}{% endif %}">{{ config.title }}</a></header>
<main>{% block main %}{% endblock %}</main></body></html>
"""
ZOLA_TRANSLATIONS = '{% for t in {0}.translations %}<link rel="alternate" hreflang="{{ t.lang }}" href="{{ t.permalink }}">{% endfor %}'


def write_zola(out, docs):
    for section, slug, _, _, zb, eb, titles, summ in docs:
        for lang, b, t, s in (("zh", zb, titles[0], summ[0]), ("en", eb, titles[1], summ[1])):
            suffix = "" if lang == "zh" else ".en"
            b = LINK.sub(lambda m: f"](@/{m[1]}/{m[2]}{suffix}.md)", b)
            write(f"{out}/content/{section}/{slug}{suffix}.md", f"+++\ntitle = {q(t)}\ndescription = {q(s)}\n+++\n\n{b}")
    for section, (zh, en) in SECTION_TITLES.items():
        write(f"{out}/content/{section}/_index.md", f'+++\ntitle = "{zh}"\n+++\n\n{zh}名录。\n')
        write(f"{out}/content/{section}/_index.en.md", f'+++\ntitle = "{en}"\n+++\n\nThe directory of {en.lower()}.\n')
    write(f"{out}/content/_index.md", '+++\ntitle = "合成名录"\n+++\n')
    write(f"{out}/content/_index.en.md", '+++\ntitle = "Synthetic directory"\n+++\n')
    write(f"{out}/config.toml", f'base_url = "{BASE_URL}"\ntitle = "合成名录"\ndefault_language = "zh"\nminify_html = true\ncompile_sass = false\nbuild_search_index = false\n\n[languages.en]\ntitle = "Synthetic directory"\n')
    write(f"{out}/templates/base.html", ZOLA_BASE)
    write(f"{out}/templates/index.html", '{% extends "base.html" %}{% block main %}<h1>{{ config.title }}</h1>{% for s in section.subsections %}{% set sub = get_section(path=s) %}<h2><a href="{{ sub.permalink }}">{{ sub.title }}</a></h2><p>{{ sub.pages | length }}</p>{% endfor %}{% endblock %}\n')
    write(f"{out}/templates/section.html", '{% extends "base.html" %}{% block title %}{{ section.title }} · {{ config.title }}{% endblock %}{% block head %}' + ZOLA_TRANSLATIONS.replace("{0}", "section") + '{% endblock %}{% block main %}<h1>{{ section.title }}</h1>{{ section.content | safe }}<table>{% for p in section.pages %}<tr><td><a href="{{ p.permalink }}">{{ p.title }}</a></td><td>{{ p.description }}</td></tr>{% endfor %}</table>{% endblock %}\n')
    write(f"{out}/templates/page.html", '{% extends "base.html" %}{% block title %}{{ page.title }} · {{ config.title }}{% endblock %}{% block head %}<meta name="description" content="{{ page.description }}">' + ZOLA_TRANSLATIONS.replace("{0}", "page") + '{% endblock %}{% block main %}<article data-pagefind-body><h1>{{ page.title }}</h1>{{ page.content | safe }}</article>{% endblock %}\n')
    write(f"{out}/templates/404.html", '{% extends "base.html" %}{% block main %}<h1>404</h1>{% endblock %}\n')


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, help="founders (and companies) per language")
    ap.add_argument("outdir")
    ap.add_argument("--hugo", metavar="HUGODIR")
    ap.add_argument("--zola", metavar="ZOLADIR")
    a = ap.parse_args()
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    docs = build_docs(a.n)
    for d, fn in ((a.outdir, lambda d: write_dossier(d, docs, repo)), (a.hugo, lambda d: write_hugo(d, docs)), (a.zola, lambda d: write_zola(d, docs))):
        if d:
            shutil.rmtree(d, ignore_errors=True)
            fn(d)
    dirs = ", ".join(d for d in (a.outdir, a.hugo, a.zola) if d)
    print(f"wrote {len(docs) * 2} profiles ({a.n} founders, {a.n} companies, 5 sectors, 20 employers; zh and en) to {dirs}")


if __name__ == "__main__":
    main()
