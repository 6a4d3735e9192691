/* policybook: the handbook's in-browser tools (eligibility check, questionnaire).
 *
 * A generic interpreter of the JSON the site embeds in
 * <script type="application/json" class="pb-tool-data"> blocks (exported from the model
 * by generator/evaluate/export.py): no rule of any procedure is written here. The same
 * semantics as generator.evaluate; tests/test_browser_tools.py compares the two.
 * No inline script or handler: everything is wired up from this file (CSP: script-src 'self').
 */
(function () {
  "use strict";

  // --- decision tables -----------------------------------------------------------

  function holds(cond, value) {
    if (value === undefined || value === null) return null;
    if (cond.type === "interval") {
      if (typeof value !== "number" || Number.isNaN(value)) return false;
      if (cond.low !== null && (value < cond.low || (value === cond.low && !cond.low_inclusive))) return false;
      if (cond.high !== null && (value > cond.high || (value === cond.high && !cond.high_inclusive))) return false;
      return true;
    }
    return cond.values.indexOf(String(value)) >= 0;
  }

  /* table: the exported JSON; inputs: {input id: number | enumeration id}.
   * → {status: decided|overlap|missing|no_match, row, outputs, missing, checks} */
  function evaluateDecision(table, inputs) {
    var rows = table.rows.map(function (row) {
      var checks = Object.keys(row.when).map(function (name) {
        return {input: name, holds: holds(row.when[name], inputs[name]), shown: row.when[name].shown};
      });
      return {
        row: row, checks: checks,
        matches: checks.every(function (c) { return c.holds === true; }),
        possible: checks.every(function (c) { return c.holds !== false; })
      };
    });
    var matching = rows.filter(function (r) { return r.matches; });
    var result = {status: "no_match", row: null, outputs: {}, missing: [], checks: []};
    if (matching.length === 1) {
      result.status = "decided";
      result.row = matching[0].row.id;
      result.outputs = matching[0].row.then;
      result.checks = matching[0].checks;
    } else if (matching.length > 1) {
      result.status = "overlap";
    } else {
      var needed = {};
      rows.forEach(function (r) {
        if (!r.possible) return;
        r.checks.forEach(function (c) { if (c.holds === null) needed[c.input] = true; });
      });
      result.missing = table.inputs.map(function (i) { return i.id; })
        .filter(function (id) { return needed[id]; });
      if (result.missing.length) result.status = "missing";
    }
    return result;
  }

  // --- questionnaires ------------------------------------------------------------

  /* quiz: the exported JSON; answers: {question id: answer id}.
   * → {score, band, level, overrides, missing, scores} */
  function evaluateQuestionnaire(quiz, answers) {
    var missing = [], scores = {}, total = 0;
    quiz.questions.forEach(function (q) {
      var chosen = answers[q.id];
      var answer = q.answers.filter(function (a) { return a.id === chosen; })[0];
      if (!answer) { missing.push(q.id); return; }
      scores[q.id] = answer.score;
      total += answer.score;
    });
    if (missing.length) return {score: null, band: null, level: null, overrides: [], missing: missing, scores: scores};
    var band = quiz.levels.filter(function (lv) { return lv.min_score <= total && total <= lv.max_score; })[0] || null;
    // The overrides, in order, as Questionnaire.apply_overrides does: every listed
    // question answered with one of its answers; a cap lowers the level, a set sets it.
    var level = band ? band.id : null, applied = [];
    (quiz.overrides || []).forEach(function (o) {
      var fires = Object.keys(o.when).every(function (q) {
        return o.when[q].indexOf(answers[q]) >= 0;
      });
      if (!fires || quiz.rank.indexOf(o.level) < 0) return;
      applied.push(o.id);
      if (o.effect === "set" || level === null ||
          quiz.rank.indexOf(o.level) < quiz.rank.indexOf(level)) level = o.level;
    });
    return {score: total, band: band ? band.id : null, level: level,
            overrides: applied, missing: [], scores: scores};
  }

  // --- the page ------------------------------------------------------------------

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k]; else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }

  function titleOf(list, id) {
    var found = list.filter(function (v) { return v.id === id; })[0];
    return found ? found.title : id;
  }

  function decisionTool(host, table) {
    var form = el("form", {"class": "pb-tool-form", "aria-label": table.title + ":在线判定"});
    var fields = {};
    table.inputs.forEach(function (input) {
      var id = "pb-" + table.id + "-" + input.id;
      var control;
      if (input.type === "number") {
        control = el("input", {id: id, type: "number", step: "any", inputmode: "decimal",
                               "data-input": input.id});
        if (input.minimum !== null) control.setAttribute("min", String(input.minimum));
      } else {
        control = el("select", {id: id, "data-input": input.id},
          [el("option", {value: "", text: "(未填)"})].concat(input.values.map(function (v) {
            return el("option", {value: v.id, text: v.title});
          })));
      }
      fields[input.id] = control;
      var label = input.title + (input.unit ? "(" + input.unit + ")" : "");
      form.appendChild(el("p", {}, [el("label", {"for": id, text: label}), el("br"), control]));
    });
    var out = el("div", {"class": "pb-tool-result", role: "status", "aria-live": "polite"});
    host.appendChild(form);
    host.appendChild(out);

    function read() {
      var inputs = {};
      table.inputs.forEach(function (input) {
        var raw = fields[input.id].value.trim();
        if (raw === "") return;
        inputs[input.id] = input.type === "number" ? Number(raw) : raw;
      });
      return inputs;
    }

    function show() {
      var r = evaluateDecision(table, read());
      out.textContent = "";
      if (r.status === "missing") {
        out.appendChild(el("p", {text: "还需要填写:" + r.missing.map(function (id) {
          return titleOf(table.inputs, id); }).join("、")}));
        return;
      }
      if (r.status !== "decided") {
        out.appendChild(el("p", {text: "没有得出结果(" + r.status + "),请检查填写的数值。"}));
        return;
      }
      var row = table.rows.filter(function (x) { return x.id === r.row; })[0];
      table.outputs.forEach(function (o) {
        if (!(o.id in r.outputs)) return;
        out.appendChild(el("p", {"data-output": o.id}, [
          el("strong", {text: o.title + ":" + titleOf(o.values, r.outputs[o.id])})]));
      });
      out.appendChild(el("p", {text: "依据决策表第 " + (table.rows.indexOf(row) + 1) + " 行(" + row.id + "):" +
        r.checks.map(function (c) { return titleOf(table.inputs, c.input) + " " + c.shown; }).join(";")}));
      if (row.note) out.appendChild(el("p", {text: row.note}));
      out.appendChild(el("ul", {}, row.rules.map(function (rule) {
        return el("li", {text: rule.id + " " + rule.title + " — " + rule.cite});
      })));
    }

    form.addEventListener("input", show);
    form.addEventListener("change", show);
    form.addEventListener("submit", function (e) { e.preventDefault(); show(); });
    show();
  }

  function questionnaireTool(host, quiz) {
    var form = el("form", {"class": "pb-tool-form", "aria-label": quiz.title + ":在线计分"});
    quiz.questions.forEach(function (q, n) {
      var set = el("fieldset", {}, [el("legend", {text: (n + 1) + ". " + q.text})]);
      q.answers.forEach(function (a) {
        var id = "pb-" + quiz.id + "-" + q.id + "-" + a.id;
        set.appendChild(el("div", {}, [
          el("input", {type: "radio", name: q.id, id: id, value: a.id}),
          el("label", {"for": id, text: " " + a.id.toUpperCase() + ". " + a.text + "(" + a.score + " 分)"})]));
      });
      form.appendChild(set);
    });
    var out = el("div", {"class": "pb-tool-result", role: "status", "aria-live": "polite"});
    host.appendChild(form);
    host.appendChild(out);

    function show() {
      var answers = {};
      quiz.questions.forEach(function (q) {
        var checked = form.querySelector("input[name='" + q.id + "']:checked");
        if (checked) answers[q.id] = checked.value;
      });
      var r = evaluateQuestionnaire(quiz, answers);
      out.textContent = "";
      if (r.missing.length) {
        var sum = Object.keys(r.scores).reduce(function (s, k) { return s + r.scores[k]; }, 0);
        out.appendChild(el("p", {text: "已答 " + (quiz.questions.length - r.missing.length) + "/" +
          quiz.questions.length + " 题,已得 " + sum + " 分。答完全部题目后显示结果。"}));
        return;
      }
      var level = quiz.levels.filter(function (lv) { return lv.id === r.level; })[0];
      out.appendChild(el("p", {"data-score": String(r.score), text: "总分:" + r.score}));
      if (level) {
        out.appendChild(el("p", {"data-level": level.id}, [el("strong", {
          text: quiz.result_title + ":" + level.id + " " + level.title})]));
        if (level.allows) out.appendChild(el("p", {text: quiz.allows_title + ":" + level.allows}));
      }
      var titles = r.overrides.map(function (id) {
        return ((quiz.overrides || []).filter(function (o) { return o.id === id; })[0] || {title: id}).title;
      });
      out.appendChild(el("p", {text: "覆盖规则:" + (titles.length ? titles.join("、") : "无")}));
    }

    form.addEventListener("change", show);
    show();
  }

  function start() {
    var blocks = document.querySelectorAll("script.pb-tool-data[type='application/json']");
    Array.prototype.forEach.call(blocks, function (block) {
      var data = JSON.parse(block.textContent);
      var host = document.querySelector("[data-pb-tool='" + block.id + "']");
      if (!host) return;
      host.textContent = "";
      if (data.kind === "decision") decisionTool(host, data);
      else if (data.kind === "questionnaire") questionnaireTool(host, data);
    });
  }

  window.policybook = {evaluateDecision: evaluateDecision, evaluateQuestionnaire: evaluateQuestionnaire};
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
