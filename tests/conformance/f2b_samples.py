#!/usr/bin/env python3
"""Run every shipped fail2ban filter over fail2ban's own sample logs with
ward-match --fail2ban and compare with the `# failJSON` expectations line by
line (match true/false, and the host), reading filterOptions blocks,
fileOptions, addFILE and test.condition as fail2ban's samplestestcase.py
does. Prints per-filter agreement; --table writes a Markdown difference
table. Exit 1 when overall agreement or the number of loaded filters is
below the targets."""
import argparse, calendar, datetime, json, os, re, subprocess, sys, time

ap = argparse.ArgumentParser()
ap.add_argument('--bin', required=True)
ap.add_argument('--filters', default='/etc/fail2ban/filter.d')
ap.add_argument('--logs', default='/usr/lib/python3/dist-packages/fail2ban/tests/files/logs')
ap.add_argument('--table')
ap.add_argument('--min-agree', type=float, default=0.98)
ap.add_argument('--min-loaded', type=int, default=85)
ap.add_argument('--min-time', type=float, default=0.98)
ap.add_argument('-v', action='store_true')
a = ap.parse_args()

# fail2ban's tests read local times in this zone and take a missing year
# from this instant (tests/utils.py: TZ, TEST_NOW)
os.environ['TZ'] = 'CET-01CEST-02,M3.5.0,M10.5.0'
time.tzset()
TEST_NOW_TS = '2005-08-14T10:00:00Z'

JRE = re.compile(r'^#+ ?(failJSON|(?:file|filter)Options|addFILE):(.+)$')

def spec_of(name, opts):
    o = {k: v for k, v in opts.items() if not k.startswith('test.')}
    path = os.path.join(a.filters, name + '.conf')
    if not o:
        return path
    return path + '[' + ', '.join('%s="%s"' % (k, v) for k, v in o.items()) + ']'

def read_samples(name):
    """{spec: [(line, faildata or None, where)]} in feeding order."""
    feeds = {}
    files = [name]
    i = 0
    common = {}
    while i < len(files):
        fn = files[i]; i += 1
        tests = None
        ignore = False
        lines = open(os.path.join(a.logs, fn), encoding='utf-8', errors='replace').read().splitlines()
        k = 0
        while k < len(lines):
            line = lines[k]; k += 1
            m = JRE.match(line)
            fd = None
            if m:
                data = json.loads(m.group(2))
                if m.group(1) == 'fileOptions':
                    common = data; continue
                if m.group(1) == 'filterOptions':
                    tests = []; ignore = False
                    for o in (data if isinstance(data, list) else [data]):
                        opts = dict(common); opts.update(o)
                        if opts.get('test.condition'):
                            ignore = not eval(opts['test.condition'], {'name': name})
                        if not ignore:
                            tests.append(opts)
                    continue
                if m.group(1) == 'addFILE':
                    files.append(data); continue
                fd = data
                if k >= len(lines): break
                line = lines[k]; k += 1
            elif ignore or line.startswith('#') or not line.strip():
                continue
            if ignore:
                continue
            for opts in (tests if tests else [{}]):
                if fd is not None and fd.get('constraint') and not eval(fd['constraint'], {'name': name, 'opts': opts}):
                    continue
                l2 = line
                if opts.get('logtype') == 'journal' and opts.get('test.prefix-line'):
                    l2 = opts['test.prefix-line'] + line
                if fd is not None and opts.get('logtype') == 'journal':
                    fd = dict(fd); fd.pop('time', None)   # the journal gives the time there
                feeds.setdefault(spec_of(name, opts), []).append((l2, fd, '%s:%d' % (fn, k)))
    return feeds

def run(spec, items):
    evs = ''.join(json.dumps({'v': 1, 'ts': TEST_NOW_TS, 'labels': {'n': str(i)}, 'line': l}) + '\n'
                  for i, (l, _, _) in enumerate(items))
    p = subprocess.run([os.path.join(a.bin, 'ward-match'), '-q', '--fail2ban', spec],
                       input=evs, capture_output=True, text=True)
    if p.returncode != 0:
        return None, p.stderr.strip()
    got = {}
    times.clear()
    for out in p.stdout.splitlines():
        e = json.loads(out)
        got[int(e['labels']['n'])] = e['fields'].get('f2b_id')
        times[int(e['labels']['n'])] = e.get('ts')
    return got, ''

times = {}

def time_agrees(want, got):
    """fail2ban's local time (its test zone) or, for a line without a zone,
    the same wall-clock time read as UTC (ward's rule)."""
    if not got:
        return False
    fmt = '%Y-%m-%dT%H:%M:%S.%f' if '.' in want else '%Y-%m-%dT%H:%M:%S'
    w = datetime.datetime.strptime(want, fmt)
    exp = time.mktime(w.timetuple()) + w.microsecond / 1e6
    g = datetime.datetime.strptime(got[:26], '%Y-%m-%dT%H:%M:%S.%f')
    gs = calendar.timegm(g.timetuple()) + g.microsecond / 1e6
    # fail2ban drops %f of pattern templates (reGroupDictStrptime, msec=False);
    # ward keeps it: the same second agrees
    return int(gs) == int(exp) or int(gs) == int(calendar.timegm(w.timetuple()))

names = sorted(f[:-5] for f in os.listdir(a.filters)
               if f.endswith('.conf') and f != 'common.conf' and os.path.isfile(os.path.join(a.logs, f[:-5])))
tot = agree = ttot = tagree = 0
tdiffs = []
loaded = 0
rows = []
diffs = {}
for name in names:
    feeds = read_samples(name)
    n = ok = 0
    tn0, ta0 = ttot, tagree
    refused = ''
    for spec, items in feeds.items():
        got, err = run(spec, items)
        if got is None:
            refused = err.splitlines()[-1] if err else 'refused'
            break
        for i, (line, fd, where) in enumerate(items):
            if fd is None:
                continue
            want = bool(fd.get('match', False))
            host = got.get(i)
            good = (host is not None) == want and (not want or 'host' not in fd or str(fd['host']) == host)
            n += 1; ok += good
            if not good:
                diffs.setdefault(name, []).append((where, want, fd.get('host'), host, line))
            if want and host is not None and fd.get('time'):
                ttot += 1
                if time_agrees(fd['time'], times.get(i)):
                    tagree += 1
                else:
                    tdiffs.append((name, where, fd['time'], times.get(i)))
    if refused:
        rows.append((name, 'refused', refused))
        print('%-24s refused: %s' % (name, refused))
        continue
    loaded += 1
    tot += n; agree += ok
    rows.append((name, '%d/%d' % (ok, n), '%d/%d' % (tagree - ta0, ttot - tn0)))
    print('%-24s %4d/%-4d %6.1f%%' % (name, ok, n, 100.0 * ok / n if n else 100))
    if a.v:
        for d in diffs.get(name, []):
            print('    %s want %s host %s got %s: %s' % d)

# filters without samples also count as loaded when they load
nosample = sorted(f[:-5] for f in os.listdir(a.filters) if f.endswith('.conf') and f[:-5] not in names
                  and f != 'common.conf')
extra = 0
for name in nosample:
    p = subprocess.run([os.path.join(a.bin, 'ward-match'), '-q', '--explain', '--fail2ban',
                        os.path.join(a.filters, name + '.conf')], capture_output=True, text=True)
    extra += p.returncode == 0
ratio = agree / tot if tot else 0
print('time: %d/%d matched lines with a failJSON time get it (%.2f%%)' % (tagree, ttot, 100.0 * tagree / ttot if ttot else 100))
if a.v:
    for d in tdiffs:
        print('    time %s %s want %s got %s' % d)
print('total: %d/%d lines agree (%.2f%%) over the %d filters with samples that load (of %d with samples); '
      'of the %d files without samples (%s), %d load' % (agree, tot, 100 * ratio, loaded, len(names),
                                                     len(nosample), ', '.join(nosample), extra))
if a.table:
    with open(a.table, 'w') as f:
        f.write('| filter | lines agree (match, host) | times agree |\n|---|---|---|\n')
        for r in rows:
            f.write('| %s | %s | %s |\n' % (r[0], r[1], r[2].replace('|', '\\|')[:160]))
        f.write('\nDifferences (sample file:line, expected match, expected host, ward host)%s\n'
                % (':\n\n| filter | where | want | want host | ward |\n|---|---|---|---|---|' if diffs else ': none.'))
        for name in sorted(diffs):
            for where, want, wh, got, _ in diffs[name]:
                f.write('| %s | %s | %s | %s | %s |\n' % (name, where, want, wh, got))
        f.write('\nTimes that differ (sample file:line, failJSON local time, ward event time)%s\n'
                % (':\n\n| filter | where | failJSON time | ward ts |\n|---|---|---|---|' if tdiffs else ': none.'))
        for d in tdiffs:
            f.write('| %s | %s | %s | %s |\n' % d)
tratio = tagree / ttot if ttot else 1
sys.exit(0 if ratio >= a.min_agree and tratio >= a.min_time and loaded + extra >= a.min_loaded else 1)
