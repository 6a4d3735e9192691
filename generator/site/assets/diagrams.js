/* policybook: flow diagrams for print (generator/site/mermaid.py, policybook.css).
 *
 * Material draws each Mermaid diagram into a closed shadow root, where no stylesheet of
 * the site reaches. To print a diagram whole on one A4 page, the print stylesheet sizes
 * its host element from the diagram's aspect ratio: this script measures it once the
 * diagram is drawn (the host at 100 px wide; the SVG inside scales with it) and keeps it
 * on the host as --pb-aspect (height / width), with the diagram's natural width as
 * --pb-width (a phone shows it at 70 % of that, panned). On a phone it scrolls the
 * diagram's view to the middle. No inline script (CSP: script-src 'self').
 */
(function () {
  "use strict";

  function heightAt(host, width) {
    host.style.width = width;
    return host.getBoundingClientRect().height;
  }

  function measure(host) {
    if (host.style.getPropertyValue("--pb-aspect")) return;
    var width = host.style.width;
    host.style.minWidth = "0";
    host.style.maxWidth = "none";
    var small = heightAt(host, "100px");
    // Mermaid caps the SVG at its natural width: in a very wide host it is drawn at
    // its natural size, which gives that width (the phone layout starts from it).
    var natural = heightAt(host, "20000px");
    host.style.width = width;
    host.style.minWidth = "";
    host.style.maxWidth = "";
    if (small > 0) {
      var aspect = small / 100;
      host.style.setProperty("--pb-aspect", aspect.toFixed(4));
      host.style.setProperty("--pb-width", Math.round(natural / aspect) + "px");
    }
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
