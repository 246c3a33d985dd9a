"""The Python binding (python/servsim), as an analyst's notebook uses it:
tables the same as the command line's files, sets applied, errors raised
with servsim's message and status, rows as dicts or as DataFrames.

    PYTHONPATH=python SERVSIM_LIBRARY=build/opt/libservsim.so.0 \
        SERVSIM_BIN=./servsim python3 -m unittest tests/test_binding.py
"""
import os
import subprocess
import tempfile
import unittest

import servsim

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FLAGSHIP = os.path.join(ROOT, 'scenarios', 'housing-benefit.ini')
SHORT = ['scenario.horizon=800', 'scenario.warmup=0']
TWO_QUEUES = """[scenario]
name = two queues
time_unit = minutes
horizon = 20000
warmup = 1000
replications = 4
seed = 7
baseline = slow
[design slow]
kind = network
[station slow.desk]
servers = 1
service = exponential(0.8)
arrival_rate = 1
[design fast]
kind = network
[station fast.desk]
servers = 1
service = exponential(0.5)
arrival_rate = 1
"""


def cli_files(*args):
    """The command line's CSV files of a run: {name: text}."""
    out = tempfile.mkdtemp()
    subprocess.run([os.environ.get('SERVSIM_BIN', os.path.join(ROOT, 'servsim')), 'run',
                    *args, '-o', out + '/r', '-q'], check=True)
    return {name[:-4]: open(os.path.join(out, 'r', name)).read()
            for name in os.listdir(out + '/r') if name.endswith('.csv')}


class Binding(unittest.TestCase):
    def test_same_as_the_command_line(self):
        r = servsim.run(FLAGSHIP, replications=3, threads=2, frames=False,
                        set=SHORT + ['team split.back.staff=22'])
        files = cli_files(FLAGSHIP, '-r', '3', '--set', SHORT[0], '--set', SHORT[1],
                          '--set', 'team split.back.staff=22')
        self.assertEqual(sorted(r.csv), sorted(files))
        for name in files:
            self.assertEqual(r.csv[name], files[name], name)

    def test_rows(self):
        r = servsim.run(text=TWO_QUEUES, frames=False)
        self.assertEqual(list(r.tables), ['summary', 'replications', 'differences'])
        self.assertIsNone(r.weekly)
        row = [x for x in r.differences if x['metric'] == 'e2e_mean'][0]
        self.assertEqual((row['design'], row['baseline'], row['unit']), ('fast', 'slow', 'minutes'))
        self.assertIsInstance(row['mean_diff'], float)
        self.assertIsInstance(row['n'], int)
        # M/M/1: 1 / (mu - lambda) is 4 minutes at rho 0.8 and 1 at 0.5
        self.assertLess(row['ci_low'], -3.0 + 0.5)
        self.assertGreater(row['ci_high'], -3.0 - 0.5)
        self.assertLess(row['ci_high'], 0)

    def test_sets_and_seed(self):
        s = servsim.load(text=TWO_QUEUES, replications=2, seed=11,
                         set=['station fast.desk.servers=2'])
        self.assertEqual((s.name, s.designs, s.baseline, s.replications),
                         ('two queues', ['slow', 'fast'], 'slow', 2))
        self.assertEqual(s.warnings, '')
        one, two = s.run(threads=1, frames=False), s.run(threads=2, frames=False)
        self.assertEqual(one.csv, two.csv)
        self.assertEqual({x['n'] for x in one.summary}, {2})
        other = servsim.run(text=TWO_QUEUES, replications=2, seed=12, frames=False)
        self.assertNotEqual(one.csv['replications'], other.csv['replications'])
        s.close()
        self.assertRaises(ValueError, s.run)

    def test_errors(self):
        with self.assertRaises(servsim.Error) as e:
            servsim.run(text=TWO_QUEUES + 'colour = blue\n')
        self.assertEqual(e.exception.status, 3)
        self.assertIn('(text):21: unknown key \'colour\'', str(e.exception))
        with self.assertRaises(servsim.Error) as e:
            servsim.run('/nonexistent/x.ini')
        self.assertEqual(e.exception.status, 3)
        self.assertIn('/nonexistent/x.ini', str(e.exception))
        with self.assertRaises(servsim.Error) as e:
            servsim.run(text=TWO_QUEUES, set=['station fast.desk.servers=none'])
        self.assertIn('servers', str(e.exception))
        self.assertRaises(TypeError, servsim.run, text=TWO_QUEUES, set='scenario.seed=1')
        self.assertRaises(TypeError, servsim.load)

    def test_warnings(self):
        # as servsim run says them: 12 back-office staff are busy all the
        # time, and the split's open cases rise; the flagship as it is: none
        r = servsim.run(FLAGSHIP, replications=3, frames=False,
                        set=['team split.back.staff=12'])
        self.assertIn('design split: utilisation_back is 1.000', r.warnings)
        self.assertIn('does not settle', r.warnings)
        self.assertNotIn('design integrated', r.warnings)
        out = tempfile.mkdtemp()
        subprocess.run([os.environ.get('SERVSIM_BIN', os.path.join(ROOT, 'servsim')), 'run',
                        FLAGSHIP, '-r', '3', '--set', 'team split.back.staff=12',
                        '-o', out + '/r', '-q'], check=True)
        self.assertEqual(r.warnings, open(os.path.join(out, 'r', 'warnings.txt')).read())
        self.assertEqual(servsim.run(FLAGSHIP, replications=3, frames=False).warnings, '')

    def test_copy_pickle_threads(self):
        import copy
        import pickle
        with self.assertRaises(servsim.Error) as caught:
            servsim.run(text='x')
        e = caught.exception
        again = pickle.loads(pickle.dumps(e))   # crosses a process pool
        self.assertEqual((again.status, str(again)), (e.status, str(e)))
        self.assertIn('(text):1:', str(again))
        with servsim.load(text=TWO_QUEUES) as s:
            self.assertRaises(TypeError, copy.copy, s)
            self.assertRaises(TypeError, pickle.dumps, s)
            self.assertRaises(ValueError, s.run, threads=2 ** 32 + 1)
            self.assertRaises(ValueError, s.run, threads=-1)
        self.assertRaises(ValueError, servsim.load, FLAGSHIP + '\0x')

    def test_frames(self):
        try:
            import pandas
        except ImportError:
            self.assertRaises(ImportError, servsim.run, text=TWO_QUEUES, frames=True)
            rows = servsim.run(text=TWO_QUEUES).summary   # frames=None: dicts
            self.assertIsInstance(rows, list)
            return
        r = servsim.run(text=TWO_QUEUES)
        self.assertIsInstance(r.summary, pandas.DataFrame)
        self.assertEqual(list(r.summary.columns),
                         ['design', 'metric', 'unit', 'mean', 'ci_low', 'ci_high', 'sd', 'n'])
        self.assertEqual(r.summary['mean'].dtype.kind, 'f')
        self.assertEqual(len(r.replications), 4 * len(r.summary))
        self.assertEqual(r.replications['seed'].dtype.kind, 'u')   # seeds reach 2^64 - 1
        # one replication: no interval, a whole column empty, NaN not None
        one = servsim.run(text=TWO_QUEUES, replications=1)
        self.assertEqual(one.summary['ci_low'].dtype.kind, 'f')
        self.assertTrue(one.summary['ci_low'].isna().all())

    def test_version(self):
        self.assertRegex(servsim.version(), r'^\d+\.\d+\.\d+$')


if __name__ == '__main__':
    unittest.main()
