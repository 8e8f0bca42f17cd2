#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Reads the dashboard of `tally --demo` through the accessibility tree (AT-SPI),
# the way a screen reader sees it, and checks that:
#  - every stat card is a group named "Title: value" whose value is the text of
#    its value label, for all the cards of the summary and of the selected range;
#  - the figures that do not depend on the clock (balance, active/all keys) are
#    the demo server's (as `tally summary --demo --json` reports them);
#  - the trend chart is an image whose name is a text summary of the series
#    ("Billed cost per day, … total $X …") with the same total as the
#    "Billed in Range" card, and the model chart is an image with its shares;
#  - the key list names each key row "name: $X in the range, …", for each
#    key the demo server has.
#
# Usage: test-a11y.py TALLY_EXE   (needs a display and a D-Bus session bus;
# run it inside `xvfb-run -a dbus-run-session --`). Exit status 77 = skipped.

import json
import os
import re
import subprocess
import sys
import time

TIMEOUT = 20.0  # seconds, for each wait (three times that for a sanitizer build)

SUMMARY_TITLES = [
    'Balance',
    'Billed Today',
    'RPM / TPM',
    'API Keys',
]
RANGE_TITLES = ['Billed in Range', 'List Price in Range', 'Requests in Range', 'Tokens in Range']


def skip(why):
    print('SKIP: ' + why)
    sys.exit(77)


def fail(why):
    print('FAIL: ' + why)
    raise SystemExit(1)


if len(sys.argv) != 2:
    print('usage: test-a11y.py TALLY_EXE')
    sys.exit(2)
tally = sys.argv[1]
with open(tally, 'rb') as f:
    if b'__asan_init' in f.read():
        TIMEOUT *= 3

# The app runs with the test environment as it is (G_DEBUG=fatal-warnings makes
# any warning of the app fatal), but libatspi in this process warns about
# objects that go away while it reads them: keep its warnings non-fatal.
child_env = dict(os.environ)
child_env['GTK_A11Y'] = 'atspi'
child_env.pop('NO_AT_BRIDGE', None)
os.environ['G_DEBUG'] = ','.join(f for f in os.environ.get('G_DEBUG', '').split(',')
                                 if f and f not in ('fatal-warnings', 'fatal-criticals'))

try:
    import pyatspi
    from gi.repository import Atspi
except ImportError as e:
    skip('pyatspi is not available (%s); install python3-pyatspi' % e)
if not os.environ.get('DISPLAY') and not os.environ.get('WAYLAND_DISPLAY'):
    skip('no display (run under xvfb-run)')
if not os.environ.get('DBUS_SESSION_BUS_ADDRESS'):
    skip('no D-Bus session bus (run under dbus-run-session)')


def name_of(node):
    try:
        return node.name or ''
    except Exception:
        return ''


def role_of(node):
    try:
        return node.getRoleName()
    except Exception:
        return ''


def text_of(label):
    # GTK 4.8: getText (0, -1) returns "", ask for characterCount characters.
    t = label.queryText()
    return t.getText(0, t.characterCount)


def children(node):
    try:
        return [c for c in node if c is not None]
    except Exception:
        return []


def walk(node):
    yield node
    for c in children(node):
        yield from walk(c)


def labels_under(node):
    return [text_of(n) for n in walk(node) if n is not node and role_of(n) == 'label']


def wait_for(what, probe):
    deadline = time.monotonic() + TIMEOUT
    last = None
    while time.monotonic() < deadline:
        try:
            last = probe()
        except Exception:  # the tree changes under our feet; try again
            last = None

        if last:
            return last
        time.sleep(0.25)
    fail('timed out after %g s waiting for %s' % (TIMEOUT, what))


def demo_json(command):
    out = subprocess.run([tally, command, '--demo', '--json'], check=True, env=child_env,
                         capture_output=True, text=True, timeout=60).stdout
    return json.loads(out)


def find_app(pid):
    for a in pyatspi.Registry.getDesktop(0):
        if a is None:
            continue
        try:
            if a.get_process_id() == pid:
                return a
        except Exception:
            if name_of(a) == 'tally':
                return a
    return None


def cards(app, table_name, titles):
    """{title: (accessible name, [label texts])} once every card has a value."""
    table = next((n for n in walk(app)
                  if role_of(n) == 'table' and name_of(n) == table_name), None)
    if table is None:
        return None
    found = {}
    for n in walk(table):
        if role_of(n) != 'panel':
            continue
        texts = labels_under(n)
        # The walk is pre-order: the card comes before the boxes inside it.
        if len(texts) >= 2 and texts[0] in titles and texts[0] not in found:
            found[texts[0]] = (name_of(n), texts)
    if set(found) != set(titles):
        return None
    for title, (name, texts) in found.items():
        if texts[1] in ('', '—') or name == title:
            return None  # still loading
    return found


def mismatched_cards(found):
    return ['card %r is named %r, expected %r' % (title, name, '%s: %s' % (title, texts[1]))
            for title, (name, texts) in sorted(found.items())
            if name != '%s: %s' % (title, texts[1])]


def named_cards(app, table_name, titles):
    """Waits until every card is named "Title: value" after its own labels."""
    state = {}

    def probe():
        state['found'] = cards(app, table_name, titles)
        return state['found'] is not None and not mismatched_cards(state['found']) and state['found']

    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        try:
            if probe():
                break
        except Exception:
            pass
        time.sleep(0.25)
    else:
        if state.get('found') is None:
            fail('timed out after %g s waiting for the %r cards to be filled' % (TIMEOUT, table_name))
        fail('; '.join(mismatched_cards(state['found'])))
    for title, (name, texts) in sorted(state['found'].items()):
        print('ok card %r' % name)
    return state['found']


def money(s):
    return float(s.replace('$', '').replace(',', ''))


class DisplayLost(Exception):
    pass


def main():
    # On this shared machine a parallel xvfb-run can take over the display
    # number between the start of Xvfb and of the app ("cannot open display"):
    # start the app again then, and only then.
    for _ in range(3):
        try:
            attempt_once()
            break
        except DisplayLost:
            print('# the app could not open the display; starting it again')
            time.sleep(1)
    else:
        fail('tally could not open the display %s' % os.environ.get('DISPLAY'))
    print('PASS')


def attempt_once():
    import tempfile
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([tally, '--demo', '--non-unique'], env=child_env, stderr=err)
        try:
            run(proc)
        except SystemExit:
            err.seek(0)
            text = err.read().decode('utf-8', 'replace')
            sys.stderr.write(text)
            if proc.poll() is not None and 'cannot open display' in text:
                raise DisplayLost()
            raise
        finally:
            stop(proc)
        err.seek(0)
        sys.stderr.write(err.read().decode('utf-8', 'replace'))


def stop(proc):
    if proc.poll() is not None:
        print('# tally exited with status %d' % proc.returncode)
        return
    proc.terminate()
    try:
        rc = proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        rc = proc.wait()
    # SIGTERM is the expected end; anything else (a crash, a fatal warning) fails.
    if rc not in (0, -15):
        fail('tally exited with status %d' % rc)


def run(proc):
    def app_probe():
        if proc.poll() is not None:
            fail('tally exited early with status %d' % proc.returncode)
        return find_app(proc.pid)

    app = wait_for('the application on the accessibility bus', app_probe)
    # GTK 4.8 does not signal changes of accessible names, so libatspi's cache
    # would keep the names of the still empty cards: read everything live.
    app.set_cache_mask(Atspi.Cache.NONE)
    app.clear_cache()
    frame = wait_for('the main window',
                     lambda: next((c for c in children(app) if role_of(c) == 'frame'), None))
    print('ok window %r' % name_of(frame))

    summary = named_cards(app, 'Right now', SUMMARY_TITLES)

    user = demo_json('summary')
    balance = '$%.2f' % user['user']['balance']
    if summary['Balance'][0] != 'Balance: ' + balance:
        fail('balance card is %r, the demo server says %s' % (summary['Balance'][0], balance))
    stats = user['stats']
    keys_value = '%d / %d' % (stats['active_api_keys'], stats['total_api_keys'])
    if summary['API Keys'][0] != 'API Keys: ' + keys_value:
        fail('keys card is %r, the demo server says %s' % (summary['API Keys'][0], keys_value))

    in_range = named_cards(app, 'Selected range', RANGE_TITLES)

    trend = wait_for('the trend chart summary', lambda: next(
        (n for n in walk(app) if role_of(n) == 'image'
         and name_of(n).startswith('Billed cost per day, ')), None))
    trend_name = name_of(trend)
    print('ok trend chart %r' % trend_name)
    # the day still running is said to be so far
    m = re.search(r': total (\$[0-9.,]+), peak (\$[0-9.,]+) on (\d{4}-\d\d-\d\d)(?:; \d{4}-\d\d-\d\d so far)?$',
                  trend_name)
    if m is None:
        fail('trend chart summary %r has no total and peak' % trend_name)
    billed_in_range = in_range['Billed in Range'][1][1]
    if abs(money(m.group(1)) - money(billed_in_range)) > 0.0051:
        fail('trend total %s differs from the Billed in Range card %s' % (m.group(1), billed_in_range))
    if money(m.group(2)) > money(m.group(1)):
        fail('trend peak %s is above the total %s' % (m.group(2), m.group(1)))

    pie = wait_for('the model chart summary', lambda: next(
        (n for n in walk(app) if role_of(n) == 'image'
         and name_of(n).startswith('Share of billed cost by model: ')), None))
    pie_name = name_of(pie)
    print('ok model chart %r' % pie_name)
    shares = re.findall(r'(\d+(?:\.\d+)?)%', pie_name)
    if not shares or abs(sum(float(s) for s in shares) - 100.0) > 0.6:
        fail('model shares %r do not add up to 100%%' % shares)

    key_list = wait_for('the key list', lambda: next(
        (n for n in walk(app) if role_of(n) == 'list' and name_of(n) == 'Cost by key'), None))
    rows = wait_for('the key rows', lambda: [
        c for c in children(key_list) if role_of(c) == 'list item' and name_of(c)])
    by_name = {}
    for row in rows:
        texts = labels_under(row)
        name = name_of(row)
        # "default: $12.88 in the range, $0.00 today, $272.88 all time, 44.3% of the range"
        m = re.match(r'^(.*): ((?:< )?\$[0-9.,]+) in the range, ((?:< )?\$[0-9.,]+) today, ((?:< )?\$[0-9.,]+) all time, ([0-9.]+)% of the range$', name)
        if m is None:
            fail('key row %r is not "name: range, today, all time, share"' % name)
        if texts[0] != m.group(1) or m.group(2) not in texts:
            fail('key row %r does not match its labels %r' % (name, texts))
        by_name[m.group(1)] = m.group(2)
        print('ok key row %r' % name)
    expected_keys = {k['name'] for k in demo_json('keys')}
    missing = expected_keys - set(by_name)
    if missing:
        fail('key rows missing for %s (rows: %s)' % (sorted(missing), sorted(by_name)))

    check_focus_chain(app)


def focused_node(app):
    for n in walk(app):
        try:
            if n.getState().contains(pyatspi.STATE_FOCUSED):
                return n
        except Exception:
            pass
    return None


def check_focus_chain(app):
    """Tab through the dashboard as a keyboard user: every stop has a real
    name, the chain reaches the chart controls and the key rows, and it comes
    back around (GTK 4.8 flow boxes used to trap the focus)."""
    import shutil
    if shutil.which('xdotool') is None:
        print('# xdotool missing: focus chain not checked')
        return
    stops = []
    for _ in range(30):
        subprocess.run(['xdotool', 'key', 'Tab'], check=True)
        time.sleep(0.3)
        node = focused_node(app)
        stops.append((role_of(node), name_of(node)) if node else (None, None))
    print('# focus chain: %r' % (stops,))
    # the first key presses may land before the window has the keyboard focus
    while stops and stops[0] == (None, None):
        stops.pop(0)
    if len(stops) < 20:
        fail('Tab focused nothing for %d presses: %r' % (30 - len(stops), stops))
    for role, name in stops:
        if not name or name.startswith('Gtk') or name.startswith('Adw'):
            fail('a focus stop has no name: %r in %r' % ((role, name), stops))
    names = [name for _, name in stops]
    for wanted in ('Refresh', 'Main Menu'):
        if wanted not in names:
            fail('Tab never reaches %r: %r' % (wanted, names))
    if not any(n.startswith('Series: ') for n in names):
        fail('Tab never reaches the trend series control: %r' % names)
    if not any(n.startswith('Deleted keys: ') for n in names):
        fail('Tab never reaches the last key row: %r' % names)
    if names.count('Main Menu') < 2:
        fail('the focus chain does not come around: %r' % names)
    print('ok focus chain: %d stops, all named, and around' % len(set(names)))


if __name__ == '__main__':
    main()
