// lunr "fixed": Material's search documents (search/search_index.json), indexed and
// queried with one segmenter on both sides (Intl.Segmenter, the browser's), so that the
// index and the query cut Chinese the same way. Used by benchmarks/bench_search.py.
//
//   node search_lunr.mjs SEARCH_INDEX_JSON LUNR_JS QUERIES_JSON  -> JSON on stdout
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const [indexPath, lunrPath, queriesPath] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const lunr = require(lunrPath);
const segmenter = new Intl.Segmenter("zh", { granularity: "word" });

function words(text) {
  const out = [];
  for (const s of segmenter.segment(String(text ?? "").toLowerCase())) {
    if (s.isWordLike) out.push(s.segment);
  }
  return out;
}

const data = JSON.parse(readFileSync(indexPath, "utf8"));
const docs = data.docs.filter((d) => !d.location.startsWith("language/"));
const strip = (html) => String(html ?? "").replace(/<[^>]+>/g, " ").replace(/\u200b/g, "");

const started = process.hrtime.bigint();
const idx = lunr(function () {
  this.ref("location");
  this.field("title", { boost: 10 });
  this.field("text");
  this.tokenizer = (obj) => (obj == null ? [] : words(obj).map((w) => new lunr.Token(w, {})));
  this.pipeline.reset();
  this.searchPipeline.reset();
  for (const d of docs) this.add({ location: d.location, title: strip(d.title), text: strip(d.text) });
});
const serialized = JSON.stringify(idx);
const buildMs = Number(process.hrtime.bigint() - started) / 1e6;

const results = {};
for (const q of JSON.parse(readFileSync(queriesPath, "utf8"))) {
  const terms = words(q);
  const hits = terms.length === 0 ? [] : idx.query((query) => {
    for (const t of terms) query.term(t, { presence: lunr.Query.presence.REQUIRED });
  });
  const pages = [];
  for (const h of hits) {
    const page = h.ref.split("#")[0];
    if (!pages.includes(page)) pages.push(page);
    if (pages.length === 3) break;
  }
  results[q] = pages;
}
process.stdout.write(JSON.stringify({
  build_ms: buildMs,
  index_bytes: Buffer.byteLength(serialized) + Buffer.byteLength(JSON.stringify(docs)),
  documents: docs.length,
  results,
}));
