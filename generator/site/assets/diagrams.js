/* policybook: flow diagrams for print (generator/site/mermaid.py, policybook.css).
 *
 * Material draws each Mermaid diagram into a closed shadow root, where no stylesheet of
 * the site reaches. To print a diagram whole on one A4 page, the print stylesheet sizes
 * its host element from the diagram's aspect ratio: this script measures it once the
 * diagram is drawn (the host at 100 px wide; the SVG inside scales with it) and keeps it
 * on the host as --pb-aspect (height / width). On a phone it scrolls the diagram's view
 * to the middle. No inline script (CSP: script-src 'self').
 */
(function () {
  "use strict";

  function measure(host) {
    if (host.style.getPropertyValue("--pb-aspect")) return;
    var width = host.style.width;
    host.style.width = "100px";
    var height = host.getBoundingClientRect().height;
    host.style.width = width;
    if (height > 0) host.style.setProperty("--pb-aspect", (height / 100).toFixed(4));
  }

  // On a phone the diagram is wider than its view (policybook.css): start at its
  // middle, where a top-down flow begins, rather than at its left edge.
  function centre(host) {
    var view = host.parentNode;
    if (view.dataset.pbCentred) return;
    view.dataset.pbCentred = "1";
    if (view.scrollWidth > view.clientWidth) {
      view.scrollLeft = (view.scrollWidth - view.clientWidth) / 2;
    }
  }

  function scan() {
    var hosts = document.querySelectorAll(".pb-diagram-view > div.mermaid");
    for (var i = 0; i < hosts.length; i++) {
      measure(hosts[i]);
      centre(hosts[i]);
    }
  }

  function start() {
    if (!document.querySelector(".pb-diagram-view")) return;
    // Material replaces each <pre class="mermaid"> by the drawn <div class="mermaid">.
    new MutationObserver(scan).observe(document.body, {childList: true, subtree: true});
    scan();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
