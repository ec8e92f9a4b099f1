"""Graph side: assemble RDF from extractions, store, query, analyse and render."""
