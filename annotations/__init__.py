"""The scholar's work: the store, documents as stored, alignments, annotations, export.

Plain Python; never imports Streamlit.
"""
