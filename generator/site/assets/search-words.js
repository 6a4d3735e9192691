// How the handbook's search cuts Chinese into words. The same code cuts the pages when
// the index is built (under node, from generator/site/search.py) and the query in the
// browser (search.js), so both sides always agree: Han runs are cut by Intl.Segmenter,
// full-width punctuation stands apart, and the indexer (Pagefind, told the text is not
// Chinese) only splits at the separators written here, never by a dictionary of its own.
const segmenter = new Intl.Segmenter("zh", { granularity: "word" });
const RUN = /(\p{sc=Han}+)|([\u3000-\u303f\uff00-\uffef])/gu;
// An id or code (R-X, AB-F-01): Pagefind keeps such a word whole without its hyphens.
const CODE = /^[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)+$/u;

/** `text` with `sep` around and between the words of every Han run. */
export function separate(text, sep) {
  return text.replace(RUN, (_, run, mark) => {
    if (mark) return sep + mark + sep;
    const words = Array.from(segmenter.segment(run), (s) => s.segment);
    return sep + words.join(sep) + sep;
  });
}

/** The words of a query, as the index holds them. */
export function words(query) {
  return separate(query, " ").split(/\s+/u).filter((w) => /[\p{L}\p{N}]/u.test(w))
    .map((w) => (CODE.test(w) ? w.replaceAll("-", "") : w));
}
