"""servsim from Python: run a scenario and get its tables.

    import servsim
    r = servsim.run('scenarios/housing-benefit.ini', replications=5, threads=2,
                    set=['team split.back.staff=22'])
    r.summary        # one row per design and metric
    r.differences    # each design against the baseline, on the same demand
    r.warnings       # what `servsim run` would warn of ('' if nothing)

The tables are those `servsim run` writes as CSV files (docs/cli.md, "Output files"):
summary, replications, differences (two designs or more), weekly and
yearly (designs with weekly series). Each is a pandas DataFrame when pandas
is installed, else a list of dicts; frames=False asks for the dicts, and
r.csv[name] is the table's CSV text, the same to the byte as the file.

A scenario servsim refuses raises servsim.Error, whose message is
servsim's ("file:line: what is wrong, what is allowed") and whose status
is the command line's exit code (3: bad input; 1: the run failed).

The binding calls libservsim.so.0 through ctypes: it is found from
SERVSIM_LIBRARY (a path), else where `make install` put it, else where
the system's loader finds it. A run holds the calling thread until it
ends; its own threads run the replications.
"""
import csv
import ctypes
import ctypes.util
import io
import os

__all__ = ['run', 'load', 'version', 'Error', 'Scenario', 'Results', 'TABLES']

#: The tables a run can have, in the order servsim writes them.
TABLES = ('summary', 'replications', 'differences', 'weekly', 'yearly')
_TEXT_COLUMNS = frozenset(('design', 'baseline', 'metric', 'unit'))
_ERR_LEN = 4096
_MAX_THREADS = 1024


class Error(Exception):
    """servsim refused a scenario or a call, or a run failed."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status

    def __reduce__(self):   # pickled across processes (a pool's worker)
        return (Error, (self.status, str(self)))


def _library_path():
    path = os.environ.get('SERVSIM_LIBRARY')
    if path:
        return path
    try:
        from . import _where   # written by make install
        return _where.LIBRARY
    except ImportError:
        return ctypes.util.find_library('servsim') or 'libservsim.so.0'


def _declare(lib):
    p, c, sz, i = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int
    pp, sets = ctypes.POINTER(ctypes.c_void_p), ctypes.POINTER(ctypes.c_char_p)
    table = {
        'servsim_version': (c, []),
        'servsim_load': (i, [c, sets, sz, pp, c, sz]),
        'servsim_load_text': (i, [c, c, sets, sz, pp, c, sz]),
        'servsim_scenario_free': (None, [p]),
        'servsim_scenario_name': (c, [p]),
        'servsim_design_count': (sz, [p]),
        'servsim_design_name': (c, [p, sz]),
        'servsim_baseline': (sz, [p]),
        'servsim_replications': (ctypes.c_long, [p]),
        'servsim_warnings': (c, [p]),
        'servsim_run': (i, [p, i, pp, c, sz]),
        'servsim_results_free': (None, [p]),
        'servsim_results_warnings': (c, [p]),
        'servsim_table_name': (c, [p, sz]),
        'servsim_table_get': (i, [p, c, pp, c, sz]),
        'servsim_table_csv': (c, [p]),
    }
    for name, (restype, argtypes) in table.items():
        fn = getattr(lib, name)
        fn.restype, fn.argtypes = restype, argtypes
    return lib


_lib = None


def _c():
    """libservsim, loaded on first use (so that importing never fails)."""
    global _lib
    if _lib is None:
        path = _library_path()
        try:
            _lib = _declare(ctypes.CDLL(path))
        except OSError as e:
            raise Error(1, 'servsim: cannot load libservsim (%s): %s; set '
                        'SERVSIM_LIBRARY to its path' % (path, e)) from None
    return _lib


def version():
    """The version of libservsim, as `servsim --version` says."""
    return _text(_c().servsim_version())


def _check(status, err):
    if status != 0:
        raise Error(status, err.value.decode(errors='replace'))


def _sets(set, replications, seed):
    if isinstance(set, str):
        raise TypeError("set is a list of 'section.key=value' strings, not one string")
    items = list(set)
    if any(not isinstance(x, str) or '\0' in x for x in items):
        raise TypeError("set is a list of 'section.key=value' strings")
    if replications is not None:
        items.append('scenario.replications=%d' % replications)
    if seed is not None:
        items.append('scenario.seed=%d' % seed)
    array = (ctypes.c_char_p * max(1, len(items)))(*[s.encode() for s in items])
    return array, len(items)


class Scenario:
    """A scenario loaded and validated, with its sets applied."""

    def __init__(self, handle):
        self._h = handle

    @property
    def name(self):
        return _text(_c().servsim_scenario_name(self._handle()))

    @property
    def designs(self):
        n = _c().servsim_design_count(self._handle())
        return [_text(_c().servsim_design_name(self._h, i)) for i in range(n)]

    @property
    def baseline(self):
        return self.designs[_c().servsim_baseline(self._handle())]

    @property
    def replications(self):
        return _c().servsim_replications(self._handle())

    @property
    def warnings(self):
        """Problems that do not stop a run, one per line ('' if none)."""
        return _text(_c().servsim_warnings(self._handle()))

    def run(self, threads=0, frames=None):
        """Runs every design's replications on `threads` threads (0: one
        per core, at most 1,024); returns its Results."""
        if not isinstance(threads, int) or not 0 <= threads <= _MAX_THREADS:
            raise ValueError('threads: expected 0 (one per core) to %d' % _MAX_THREADS)
        out, err = ctypes.c_void_p(), ctypes.create_string_buffer(_ERR_LEN)
        _check(_c().servsim_run(self._handle(), threads, ctypes.byref(out), err, _ERR_LEN), err)
        try:
            return Results(_read_tables(out), frames,
                           _text(_c().servsim_results_warnings(out)))
        finally:
            _c().servsim_results_free(out)

    def close(self):
        if self._h:
            _c().servsim_scenario_free(self._h)
            self._h = None

    def _handle(self):
        if not self._h:
            raise ValueError('the scenario is closed')
        return self._h

    def __copy__(self):
        raise TypeError('a Scenario cannot be copied (load it again)')

    def __deepcopy__(self, memo):
        raise TypeError('a Scenario cannot be copied (load it again)')

    def __reduce__(self):
        raise TypeError('a Scenario cannot be pickled (pass its path or text instead)')

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        if getattr(self, '_h', None) and _lib is not None:
            self.close()


def _text(raw):
    return raw.decode(errors='replace') if raw is not None else None


def load(path=None, text=None, set=(), replications=None, seed=None, name='(text)'):
    """Loads a scenario file (path) or scenario text (text, named `name` in
    messages), with overrides: set=['section.key=value', ...] as --set,
    replications and seed as -r and --seed. Raises Error if servsim
    refuses it."""
    if (path is None) == (text is None):
        raise TypeError('load() takes a path or a text, one of them')
    array, n = _sets(set, replications, seed)
    out, err = ctypes.c_void_p(), ctypes.create_string_buffer(_ERR_LEN)
    for what, value in (('path', path), ('text', text), ('name', name)):
        if value is not None and ('\0' in value if isinstance(value, str) else b'\0' in value):
            raise ValueError('%s contains a NUL character' % what)
    if path is not None:
        status = _c().servsim_load(os.fsencode(path), array, n, ctypes.byref(out), err, _ERR_LEN)
    else:
        status = _c().servsim_load_text(name.encode(), text.encode(), array, n,
                                        ctypes.byref(out), err, _ERR_LEN)
    _check(status, err)
    return Scenario(out)


def run(path=None, text=None, set=(), replications=None, seed=None, threads=0,
        frames=None, name='(text)'):
    """Loads a scenario (as load()) and runs it (as Scenario.run())."""
    with load(path, text, set, replications, seed, name) as scenario:
        return scenario.run(threads, frames)


def _read_tables(results):
    lib, csvs = _c(), {}
    for i in range(len(TABLES)):
        name = lib.servsim_table_name(results, i)
        if name is None:
            break
        table, err = ctypes.c_void_p(), ctypes.create_string_buffer(_ERR_LEN)
        _check(lib.servsim_table_get(results, name, ctypes.byref(table), err, _ERR_LEN), err)
        csvs[_text(name)] = _text(lib.servsim_table_csv(table))
    return csvs


def _number(text):
    if text == '':
        return None
    try:
        return int(text)
    except ValueError:
        return float(text)


def _rows(text):
    """A table's CSV text as a list of dicts: text columns as str, the
    others as int or float, an empty cell (no value) as None."""
    rows = list(csv.DictReader(io.StringIO(text)))
    for row in rows:
        for key, value in row.items():
            if key not in _TEXT_COLUMNS:
                row[key] = _number(value)
    return rows


def _pandas(frames):
    if frames is False:
        return None
    try:
        import pandas
        return pandas
    except ImportError:
        if frames:
            raise ImportError('frames=True needs pandas (Debian: apt install '
                              'python3-pandas)') from None
        return None


def _frame(pandas, rows, text):
    """A DataFrame of the rows: every column but the text ones numeric, an
    empty cell NaN (even where a whole column is empty)."""
    columns = next(csv.reader(io.StringIO(text)))
    frame = pandas.DataFrame(rows, columns=columns)
    for c in columns:
        if c in _TEXT_COLUMNS:
            continue
        whole = len(frame) and all(isinstance(x, int) for x in frame[c])
        # whole numbers stay whole (a seed needs uint64); the rest float
        frame[c] = pandas.to_numeric(frame[c]) if whole else frame[c].astype('float64')
    return frame


class Results:
    """A run's tables: r.summary, r.replications, r.differences, r.weekly,
    r.yearly (None when the run has no such table), r.tables (a dict of
    them), r.csv (their CSV text), and r.warnings: what `servsim run` would
    warn of (a team busy all the time, a design that does not settle, ...),
    a line each, '' if nothing."""

    def __init__(self, csvs, frames=None, warnings=''):
        self.csv = csvs
        #: what `servsim run` would warn of, a line each ('' if nothing)
        self.warnings = warnings
        pandas = _pandas(frames)
        self.tables = {}
        for name, text in csvs.items():
            rows = _rows(text)
            self.tables[name] = _frame(pandas, rows, text) if pandas is not None else rows

    def __getattr__(self, name):
        if name in TABLES:
            return self.tables.get(name)
        raise AttributeError(name)

    def __repr__(self):
        return '<servsim.Results: %s>' % ', '.join(self.tables)
