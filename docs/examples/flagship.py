#!/usr/bin/env python3
"""The flagship comparison from Python: what an analyst's first script does.

    PYTHONPATH=python SERVSIM_LIBRARY=build/opt/libservsim.so.0 \
        python3 docs/examples/flagship.py scenarios/housing-benefit.ini

(installed: python3 /usr/share/doc/servsim/examples/flagship.py
/usr/share/servsim/scenarios/housing-benefit.ini). Runs the split against
the integrated team on the same claims, five replications, with the back
office given 22 staff, and prints each design's difference from the
baseline with its 95% interval.
"""
import sys

import servsim


def records(table):
    """Rows as dicts, whether the table is a DataFrame or a list."""
    return table.to_dict('records') if hasattr(table, 'to_dict') else table


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else 'scenarios/housing-benefit.ini'
    try:
        r = servsim.run(path, replications=5, threads=2, set=['team split.back.staff=22'])
    except servsim.Error as e:
        print(e, file=sys.stderr)
        return e.status
    for row in records(r.differences):
        if row['metric'] in ('e2e_mean', 'cost_per_need', 'failure_demand_share'):
            print('%-10s - %-8s %-22s %+10.4g  [%.4g, %.4g] %s' % (
                row['design'], row['baseline'], row['metric'], row['mean_diff'],
                row['ci_low'], row['ci_high'], row['unit']))
    return 0


if __name__ == '__main__':
    sys.exit(main())
