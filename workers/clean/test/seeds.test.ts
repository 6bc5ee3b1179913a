import { describe, it, expect } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { cleanPage } from "../src/index.ts";

// The shared seeds live next to the repository (../shared); they are read, never copied.
const SEEDS = fileURLToPath(new URL("../../../../shared/seeds/", import.meta.url));
const have = existsSync(SEEDS);
if (!have) console.warn(`seeds.test: ${SEEDS} not found, skipping the seed tests`);

interface SeedCase {
  file: string;
  lang: string;
  /** fragments of lines that must be kept */
  keep: string[];
  /** fragments of lines that must be dropped */
  drop: string[];
  published?: string;
}

const cases: SeedCase[] = [
  {
    file: "000_871c6d5e0cb8e8aa.txt",
    lang: "zh",
    keep: ["(华盛顿、首尔、东京23日讯)韩国外交部周六表示", "据悉,此次会面并不是“召见”性质"],
    drop: ["热门新闻", "阅读全文", "【货柜失衡压死女子案】", "中国推一带一路10周年", "(新加坡23日讯)新加坡滨海湾花园"],
  },
  {
    file: "001_092d270d3e3fd4ab.txt",
    lang: "zh",
    keep: ["一位美国官员向BBC的美国合作伙伴", "会面后,普京表示"],
    drop: ["今日澳洲app下载", "登录 注册", "大檬耳仔 2023-09-06 回复", "美国确实是自定义世界老大", "Copyright Media Today Group", "电话: (03)9448 8479"],
    published: "2023-09-06",
  },
  {
    file: "002_a244356254b90995.txt",
    lang: "vi",
    keep: ["Động thái này diễn ra chỉ vài ngày sau khi Triều Tiên", "Theo hãng thông tấn TASS của Nga"],
    drop: ["TIN LIÊN QUAN", "Bài tarot hôm nay", "Kết quả xổ số hôm nay", "Phiên bản di động", "Siêu tàu Ever Given"],
  },
  {
    file: "003_95f0aab2d882c1eb.txt",
    lang: "vi",
    keep: ["Trong chuyến thăm hai ngày đến Hàn Quốc", "Ngoài ra, vũ khí của Triều Tiên được cho là"],
    drop: ["Bình luận (0)", "Trở thành người đầu tiên tặng sao", "Được quan tâm nhất"],
    published: "2023-11-09",
  },
  {
    file: "004_b243f9a26ff972f0.txt",
    lang: "zh",
    keep: ["中韩举行自2015年以来首次有外交部和国防部代表参加"],
    drop: ["我的订阅", "以上内容为资讯信息快照", "《朝鲜停战协定》签署70周年", "历史性大阅兵", "哥伦比亚政府宣布禁止向以色列出口煤炭"],
    published: "2024-06-19",
  },
];

describe.skipIf(!have)("seeds: plain-text page dumps", () => {
  it.each(cases)("$file", (c) => {
    const body = readFileSync(SEEDS + c.file, "utf8");
    const metaPath = SEEDS + c.file + ".meta.json";
    const meta = existsSync(metaPath) ? (JSON.parse(readFileSync(metaPath, "utf8")) as { published?: string }) : {};
    const out = cleanPage({ body, kind: "text" }, meta);
    for (const k of c.keep) expect(out.paragraphs.some((p) => p.includes(k)), `keep: ${k}`).toBe(true);
    for (const d of c.drop) expect(out.paragraphs.some((p) => p.includes(d)), `drop: ${d}`).toBe(false);
    expect(out.language).toBe(c.lang);
    if (c.published) expect(out.published?.slice(0, 10)).toBe(c.published);
  });
});
