"""Career ladders (Markdown, HTML, CSV) into framework data: outline, mapping, placement.

Pure: reads no disk and imports only the model. :mod:`.importing` is the one entry.
"""
