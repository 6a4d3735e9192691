// The handbook's search box (generator/site/search.py): asks the site's Pagefind index
// (/pagefind/pagefind.js, loaded on first use) and lists the pages found, each with the
// sentence that matched. The query is cut into words by search-words.js, the code that
// cut the pages when the index was built. Opening a result marks the whole query on the
// page (?highlight=…). A file of the site, as the Content-Security-Policy requires.
(function () {
  "use strict";
  const script = document.currentScript;
  const here = script ? script.src : location.href;
  const root = new URL("../../", here);           // this file is <site>/assets/policybook/
  const PARAM = "highlight";
  const LIMIT = 10;
  const HAN = "\\p{sc=Han}";
  // Between two Chinese characters (or one and full-width punctuation or a digit: 100万),
  // the index's word separators are not part of the text: take them out again.
  const WIDE = `${HAN}\\u3000-\\u303f\\uff00-\\uffef`;
  const TIGHT = new RegExp(`(?<=[${WIDE}])(<\\/?mark>)?\\s+(<\\/?mark>)?(?=[${WIDE}\\d])|(?<=\\d)(<\\/?mark>)?\\s+(<\\/?mark>)?(?=[${WIDE}])`, "gu");
  const JOIN = new RegExp(`(?<=[${HAN}\\d])<\\/mark><mark>(?=[${HAN}\\d])`, "gu");

  let engine = null;
  function load() {
    if (engine === null) {
      engine = Promise.all([
        import(new URL("pagefind/pagefind.js", root).href),
        import(new URL("search-words.js", here).href),
      ]).then(async ([pagefind, words]) => {
        // Long reference pages (rules, roles, glossary) define what is asked for: do not
        // hold their length against them, nor let repeated mentions outweigh a title;
        // what a page defines (its "defines" metadata, generator/site/search.py) counts
        // above a title that only names it (a checklist titled with a role, a case); a
        // form's own name and code ("names") a little.
        await pagefind.options({ ranking: { pageLength: 0.1, termFrequency: 0.3,
                                            metaWeights: { title: 5, defines: 12, names: 3 } } });
        pagefind.init();
        return { pagefind, words };
      });
    }
    return engine;
  }

  function tidy(html) {
    return html.replace(TIGHT, "$1$2$3$4").replace(JOIN, "");
  }

  /** Text and <mark> only: the excerpt becomes DOM nodes, never markup. */
  function excerptNodes(html) {
    const doc = new DOMParser().parseFromString(`<p>${tidy(html)}</p>`, "text/html");
    const out = document.createDocumentFragment();
    for (const node of doc.body.firstChild.childNodes) {
      if (node.nodeName === "MARK") {
        const mark = document.createElement("mark");
        mark.textContent = node.textContent;
        out.append(mark);
      } else {
        out.append(document.createTextNode(node.textContent));
      }
    }
    return out;
  }

  function plain(text) {
    return tidy(text).replace(/\s+/gu, " ").trim();
  }

  function best(result) {
    // The section of the page that matched most, if the page has sections.
    const subs = (result.sub_results || []).filter((s) => s.url !== result.url);
    if (subs.length === 0) return null;
    return subs.reduce((a, b) => ((b.locations || []).length > (a.locations || []).length ? b : a));
  }

  function card(result, query) {
    // A page whose title holds the query is opened at its top, else at its best section.
    const titled = plain(result.meta.title || "").toLocaleLowerCase().includes(query.toLocaleLowerCase());
    const sub = titled ? null : best(result);
    const url = new URL(sub ? sub.url : result.url, root);
    url.searchParams.set(PARAM, query);
    const li = document.createElement("li");
    li.className = "pb-search__result";
    const a = document.createElement("a");
    a.href = url.pathname + url.search + url.hash;
    const title = document.createElement("span");
    title.className = "pb-search__title";
    title.textContent = plain(result.meta.title || result.url);
    a.append(title);
    if (sub && sub.title && plain(sub.title) !== plain(result.meta.title || "")) {
      const section = document.createElement("span");
      section.className = "pb-search__section";
      section.textContent = plain(sub.title);
      a.append(section);
    }
    const text = document.createElement("span");
    text.className = "pb-search__excerpt";
    text.append(excerptNodes(sub ? sub.excerpt : result.excerpt));
    a.append(text);
    li.append(a);
    return li;
  }

  function setUp(box) {
    const input = box.querySelector("input");
    const panel = box.querySelector(".pb-search__panel");
    const status = box.querySelector(".pb-search__status");
    const list = box.querySelector(".pb-search__results");
    let asked = 0;

    // (No aria-expanded: a search box may not carry it, axe's aria-allowed-attr; the
    // status line says what the panel holds.)
    function open(yes) {
      panel.hidden = !yes;
    }

    async function run() {
      const query = input.value.trim();
      const mine = ++asked;
      if (query === "") {
        list.replaceChildren();
        delete list.dataset.query;
        status.textContent = "";
        open(false);
        return;
      }
      open(true);
      status.textContent = "正在搜索…";
      let found;
      try {
        const { pagefind, words } = await load();
        const search = await pagefind.search(words.words(query).join(" "));
        if (mine !== asked || search === null) return;  // a newer query is under way
        found = { total: search.results.length,
                  data: await Promise.all(search.results.slice(0, LIMIT).map((r) => r.data())) };
      } catch (error) {
        if (mine === asked) status.textContent = "搜索暂时不可用(索引未能加载)。";
        throw error;
      }
      if (mine !== asked) return;
      list.replaceChildren(...found.data.map((r) => card(r, query)));
      list.dataset.query = query;  // what the list answers (for tests and assistive tools)
      status.textContent = found.total === 0 ? `没有找到与“${query}”相关的页面。`
        : found.total > LIMIT ? `找到 ${found.total} 个页面，显示前 ${LIMIT} 个。`
        : `找到 ${found.total} 个页面。`;
    }

    let timer = 0;
    input.addEventListener("input", (event) => {
      if (event.isComposing) return;  // an input method is still composing: wait for it
      clearTimeout(timer);
      timer = setTimeout(run, 120);
    });
    input.addEventListener("compositionend", () => { clearTimeout(timer); timer = setTimeout(run, 0); });
    input.addEventListener("focus", () => { load(); if (input.value.trim()) open(true); });

    box.addEventListener("keydown", (event) => {
      const links = [...list.querySelectorAll("a")];
      const at = links.indexOf(document.activeElement);
      if (event.key === "Escape") {
        input.focus();  // (focusing reopens a panel with results: close it after)
        open(false);
        event.preventDefault();
      } else if (event.key === "ArrowDown" && links.length) {
        links[Math.min(at + 1, links.length - 1)].focus();
        event.preventDefault();
      } else if (event.key === "ArrowUp" && at >= 0) {
        (at === 0 ? input : links[at - 1]).focus();
        event.preventDefault();
      } else if (event.key === "Enter" && document.activeElement === input && links.length) {
        location.href = links[0].href;
        event.preventDefault();
      }
    });
    document.addEventListener("click", (event) => {
      if (!box.contains(event.target)) open(false);
    });
    // "/" or "s" anywhere but in a text field moves to the search box. Captured on the
    // window, before the theme's own shortcuts (its search box is not on the page).
    window.addEventListener("keydown", (event) => {
      const target = event.target;
      const typing = target instanceof HTMLElement &&
        (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
      if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key === "/" || event.key === "s" || event.key === "S") {
        event.preventDefault();
        event.stopPropagation();
        input.focus();
        input.select();
      }
    }, true);
  }

  // --- the opened page: mark the query ------------------------------------------------

  function mark(query) {
    const article = document.querySelector("article") || document.body;
    const wanted = query.toLocaleLowerCase();
    const terms = [wanted, ...wanted.split(/\s+/u).filter((t) => t.length > 1 && t !== wanted)];
    for (const term of terms) {
      const hits = markTerm(article, term);
      if (hits.length) {
        if (!location.hash) hits[0].scrollIntoView({ block: "center" });
        return;
      }
    }
  }

  function markTerm(root, term) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      acceptNode(node) {
        const parent = node.parentElement;
        if (!parent || parent.closest("script, style, .mermaid, mark.pb-hit, .headerlink")) {
          return NodeFilter.FILTER_REJECT;
        }
        return node.nodeValue.toLocaleLowerCase().includes(term)
          ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT;
      },
    });
    const nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    const hits = [];
    for (let node of nodes) {
      let at;
      while ((at = node.nodeValue.toLocaleLowerCase().indexOf(term)) >= 0) {
        const hit = node.splitText(at);
        node = hit.splitText(term.length);
        const m = document.createElement("mark");
        m.className = "pb-hit";
        hit.replaceWith(m);
        m.append(hit);
        hits.push(m);
      }
    }
    return hits;
  }

  function start() {
    document.querySelectorAll("[data-pb-search]").forEach(setUp);
    const query = new URLSearchParams(location.search).get(PARAM);
    if (query && query.trim()) mark(query.trim());
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
