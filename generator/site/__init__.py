"""The training handbook site: an mkdocs plugin that renders the policy model as pages.

render: :mod:`generator.site.pages` turns the model into Markdown pages (typed
contexts in :mod:`generator.site.contexts`, Jinja templates in ``templates/``);
write: mkdocs and Material turn those pages into HTML (:mod:`generator.site.plugin`
adds them as virtual files; :mod:`generator.site.build` runs a whole build).
"""
