#!/usr/bin/python3
"""Compare ward-match --fail2ban with fail2ban-regex on log files: the same
lines found, with the same failure id.

fail2ban-regex is driven through its own class (fail2ban.client.
fail2banregex.Fail2banRegex, options -r --no-check-all -o id: no DNS, the
first failregex that matches, as production fail2ban), one line at a time,
so each failure is tied to the line that produced it (its printed output
repeats the earlier lines of a multi-line or <F-MLFID> failure).
Needs Debian's fail2ban (run with /usr/bin/python3).

  f2b_regex_compare.py --bin bin LOG FILTER [LOG FILTER ...]"""
import argparse, collections, io, json, os, subprocess, sys, time
from contextlib import redirect_stdout
from fail2ban.client.fail2banregex import Fail2banRegex, get_opt_parser

ap = argparse.ArgumentParser()
ap.add_argument('--bin', required=True)
ap.add_argument('-v', action='store_true')
ap.add_argument('pairs', nargs='+', help='LOG FILTER [LOG FILTER ...]')
a = ap.parse_args()
if len(a.pairs) % 2:
    sys.exit('give LOG FILTER pairs')

def f2b_failures(log, flt, lines):
    opts, _ = get_opt_parser().parse_args(['-r', '--no-check-all', '-o', 'id', log, flt])
    with redirect_stdout(io.StringIO()):
        fr = Fail2banRegex(opts)
        fr.readRegex(flt, 'fail')
    got = collections.Counter()
    t0 = time.time()
    for i, line in enumerate(lines):
        if line.startswith('#') or not line:
            continue
        _, ret, _ = fr.testRegex(line)
        for r in ret:
            got[(i, str(r[1]))] += 1
    return got, time.time() - t0

bad = 0
for log, flt in zip(a.pairs[::2], a.pairs[1::2]):
    lines = [l.rstrip('\r\n') for l in open(log, encoding='utf-8', errors='replace')]
    f2b, f2b_secs = f2b_failures(log, flt, lines)
    evs = ''.join(json.dumps({'v': 1, 'labels': {'n': str(i)}, 'line': l}) + '\n'
                  for i, l in enumerate(lines) if l and not l.startswith('#'))
    t0 = time.time()
    q = subprocess.run([os.path.join(a.bin, 'ward-match'), '-q', '--fail2ban', flt], input=evs,
                       capture_output=True, text=True)
    ward_secs = time.time() - t0
    ward = collections.Counter()
    for l in q.stdout.splitlines():
        e = json.loads(l)
        ward[(int(e['labels']['n']), e['fields']['f2b_id'])] += 1
    only_f2b, only_ward = f2b - ward, ward - f2b
    print('%s with %s: %d lines; fail2ban-regex %d failures (%.2f s), ward %d (%.2f s); same line and id %d, '
          'only fail2ban %d, only ward %d' % (os.path.basename(log), os.path.basename(flt), len(lines),
          sum(f2b.values()), f2b_secs, sum(ward.values()), ward_secs, sum((f2b & ward).values()),
          sum(only_f2b.values()), sum(only_ward.values())))
    if a.v:
        for (i, fid) in list(only_f2b)[:20]:
            print('   only fail2ban: %s %s' % (fid, lines[i]))
        for (i, fid) in list(only_ward)[:20]:
            print('   only ward:     %s %s' % (fid, lines[i]))
    bad += bool(only_f2b or only_ward)
sys.exit(1 if bad else 0)
