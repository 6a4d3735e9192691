// Prepares the pages Pagefind indexes (a copy, never the published files): every text
// between tags gets the word separators of search-words.js, so the index and the
// browser's query cut Chinese the same way. Run by generator/site/search.py:
//
//   node search-index.mjs FOLDER      (rewrites every .html file under FOLDER in place)
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { separate } from "./search-words.js";

// U+3000 is white space to Pagefind (a word boundary); the search box removes it from
// the excerpts it shows.
const SEP = "\u3000";
// The escape module writes '-' and '_' as character references; the indexer must see
// the characters to keep ids and codes (R-X, AB-F-01) whole.
const REFS = { "&#45;": "-", "&#95;": "_" };

const folder = process.argv[2];
const files = readdirSync(folder, { recursive: true }).filter((f) => f.endsWith(".html"));
for (const name of files) {
  const file = join(folder, name);
  const html = readFileSync(file, "utf8").replace(/&#(?:45|95);/g, (ref) => REFS[ref]);
  writeFileSync(file, html.replace(/>([^<]+)</g, (_, text) => ">" + separate(text, SEP) + "<"));
}
