# Stand-in for bokeh so that backtesting.py imports without it; plotting is never called in our reference scripts.


class Placeholder:
    """Any name imported from the stub: callable, indexable, and inert."""

    def __init__(self, *args, **kwargs):
        pass

    def __call__(self, *args, **kwargs):
        return Placeholder()

    def __getitem__(self, key):
        return Placeholder()

    def __getattr__(self, name):
        return Placeholder()


def module_getattr(name):
    if name.startswith('__'):
        raise AttributeError(name)
    return Placeholder
