/* policybook: site behaviour that Material does not provide. Loaded after the
   vendored mermaid.min.js, before Material draws the diagrams. */
