"""Renderers: turn plan data into file text (HCL values and blocks, generated-file headers, templates)."""
