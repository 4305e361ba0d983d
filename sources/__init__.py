"""Documents: parsing every format a scholar brings, segmentation, normalisation, alignment.

Plain Python; never imports Streamlit or touches the database.
"""
