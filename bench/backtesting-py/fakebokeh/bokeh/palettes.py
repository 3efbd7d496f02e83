# Part of the bokeh stand-in (see _stub.py): every attribute is an inert placeholder.
from bokeh._stub import module_getattr as __getattr__  # noqa: F401
