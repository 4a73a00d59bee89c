"""The Streamlit front end: pages, components and caching. The only part of consult that imports streamlit."""
