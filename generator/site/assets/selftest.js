/* policybook: scores the self-test (自测) page in the browser.
 *
 * The questions are a real form in the page (a fieldset and legend per question, a
 * labelled radio button per option); the answer key, the explanations and the
 * citations are in <script type="application/json" class="pb-selftest-data">,
 * generated from the model (generator/selftest/). Nothing here knows a procedure.
 * Text is set with textContent only; no inline script or handler (CSP script-src 'self').
 */
(function () {
  "use strict";

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function clear(form) {
    Array.prototype.forEach.call(form.querySelectorAll(".pb-question"), function (fs) {
      fs.removeAttribute("data-pb-result");
      var fb = fs.querySelector(".pb-feedback");
      fb.textContent = "";
      fb.hidden = true;
    });
  }

  function score(form, key, status) {
    var right = 0, unanswered = 0;
    clear(form);
    key.questions.forEach(function (q) {
      var fs = document.getElementById(q.id);
      if (!fs) return;
      var chosen = form.querySelector("input[name='" + q.id + "']:checked");
      var ok = !!chosen && chosen.value === q.answer;
      if (ok) right += 1;
      if (!chosen) unanswered += 1;
      fs.setAttribute("data-pb-result", ok ? "right" : (chosen ? "wrong" : "unanswered"));
      var fb = fs.querySelector(".pb-feedback");
      var verdict = ok ? "✓ 回答正确。" :
        (chosen ? "✗ 回答错误:您选了 " + chosen.value + "。" : "✗ 未作答。");
      fb.appendChild(el("p", "pb-verdict", verdict + "正确答案:" + q.answer + "。"));
      if (chosen && !ok) {
        fb.appendChild(el("p", "", "为什么不是 " + chosen.value + ":" + q.why[chosen.value]));
      }
      fb.appendChild(el("p", "", "为什么是 " + q.answer + ":" + q.explanation));
      if (q.sources.length) {
        fb.appendChild(el("p", "pb-muted", "依据:"));
        var list = el("ul", "pb-sources");
        q.sources.forEach(function (s) { list.appendChild(el("li", "", s)); });
        fb.appendChild(list);
      }
      fb.hidden = false;
    });
    var total = key.questions.length;
    status.setAttribute("data-score", String(right));
    status.setAttribute("data-total", String(total));
    status.textContent = "得分:" + right + " / " + total + " 题答对" +
      (unanswered ? "(" + unanswered + " 题未作答)" : "") + "。各题下方列出正确答案和依据。";
  }

  function setup(form) {
    var block = document.getElementById(form.getAttribute("data-pb-selftest"));
    if (!block) return;
    var key = JSON.parse(block.textContent);
    var status = form.querySelector(".pb-selftest-result");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      score(form, key, status);
      status.scrollIntoView({block: "center"});
    });
    form.addEventListener("reset", function () {
      clear(form);
      status.textContent = "";
      status.removeAttribute("data-score");
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("form.pb-selftest"), setup);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
