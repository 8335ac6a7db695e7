"""What the page scripts share: resources and caches, the sidebar context and pickers, saving with
its messages, charts with their downloads, the page list. Streamlit lives here and in app_pages/;
what is computed comes from wijkmodel."""
