"""wijkmodel: how far a municipality is with neighbourhood-oriented work, wijk by wijk.

The domain package: never imports streamlit. Its layers and packages: docs/architecture.md.
"""
