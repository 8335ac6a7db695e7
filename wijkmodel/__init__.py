"""wijkmodel: how far a municipality is with neighbourhood-oriented work, wijk by wijk.

The domain package: never imports streamlit. See ../DESIGN notes in README.md.
"""
