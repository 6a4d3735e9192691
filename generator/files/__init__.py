"""The files policybook writes and the site settings it reads outside the pack.

    write      → atomic file writes and atomic folder swaps (every output goes here)
    siteconfig → ``site_url`` and ``use_directory_urls`` from mkdocs.yml
"""
