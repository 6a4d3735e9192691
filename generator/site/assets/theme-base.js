// Material's partials/javascripts/base.html, unchanged but for reading its scope from
// the script tag: the handbook's Content-Security-Policy allows no inline script.
(function () {
  var scope = document.currentScript.getAttribute("data-scope");
  window.__md_scope = new URL(scope, location);
  window.__md_hash = function (e) {
    return [...e].reduce(function (h, c) { return (h << 5) - h + c.charCodeAt(0); }, 0);
  };
  window.__md_get = function (e, storage, base) {
    storage = storage || localStorage;
    base = base || window.__md_scope;
    return JSON.parse(storage.getItem(base.pathname + "." + e));
  };
  window.__md_set = function (e, value, storage, base) {
    storage = storage || localStorage;
    base = base || window.__md_scope;
    try {
      storage.setItem(base.pathname + "." + e, JSON.stringify(value));
    } catch (err) {}
  };
})();
