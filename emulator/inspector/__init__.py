"""The dev server's state inspector: a web page on the emulator's objects (no build step).

    GET /_emulator/inspector                         the page (static/index.html)
    GET /_emulator/inspector/static/<name>           its CSS and JavaScript
    GET /_emulator/inspector/state?key=K             the JSON it shows (view.py): K's objects
    GET /_emulator/inspector/files/<id>/content?key=K  a file's bytes (images, downloads)

The key may also come as `Authorization: Bearer K`. Routes: emulator/routes/inspector.py,
mounted with the admin API. The page polls the state, and uses the admin API's reset,
clock and fault routes for its controls.
"""

from pathlib import Path

STATIC = Path(__file__).parent / "static"
