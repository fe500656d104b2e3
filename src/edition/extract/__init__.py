"""Extraction: a source (PDF or text export) → the document model.

``read_source`` picks the reader by content; ``source_to_document`` runs the structure stages.
"""
