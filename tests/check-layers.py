#!/usr/bin/env python3
# Fails when a file includes a header of a layer it may not use (src/DESIGN.md):
#   app (src/) -> cli, draw, demo, core
#   cli        -> draw, demo, core
#   draw       -> core
#   demo       -> core
#   core       -> nothing else
# and when core, demo, draw or cli include gtk, gdk or libadwaita.
# A quoted include must name a header of an allowed folder (or config.h, or
# the app's generated tally-resources.h). Inside the app, no view or dialog
# includes the window or the application: they raise toasts through
# win.toast and signals the window connects.
import os
import re
import sys

top = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..')
src = os.path.join(top, 'src')

folders = {'app': '', 'cli': 'cli', 'draw': 'draw', 'demo': 'demo', 'core': 'core'}
allowed = {
    'app': {'app', 'cli', 'draw', 'demo', 'core'},
    'cli': {'cli', 'draw', 'demo', 'core'},
    'draw': {'draw', 'core'},
    'demo': {'demo', 'core'},
    'core': {'core'},
}
# Generated headers, and the layers that may include them (those that see the
# folder that generates them).
generated = {
    'config.h': set(allowed),
    'tally-resources.h': {'app'},
    'tally-core-enums.h': set(allowed),
    'tally-draw-enums.h': {'app', 'cli', 'draw'},
}
no_gtk = {'cli', 'draw', 'demo', 'core'}
top_of_app = {
    'tally-application.h': {'main.c', 'tally-application.c'},
    'tally-window.h': {'main.c', 'tally-application.c', 'tally-window.c'},
}
gtk_header = re.compile(r'^(gtk|gdk|adwaita|gsk)[/.]')
include = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def sources(layer):
    path = os.path.join(src, folders[layer])
    return sorted(f for f in os.listdir(path)
                  if f.endswith(('.c', '.h')) and os.path.isfile(os.path.join(path, f)))


owner = {}
for layer in folders:
    for name in sources(layer):
        if name.endswith('.h'):
            if name in owner:
                print(f'{name} is in both {owner[name]} and {layer}')
                sys.exit(1)
            owner[name] = layer

bad = 0
for layer in folders:
    for name in sources(layer):
        path = os.path.join('src', folders[layer], name)
        with open(os.path.join(top, path), encoding='utf-8') as f:
            for number, line in enumerate(f, 1):
                m = include.match(line)
                if m is None:
                    continue
                kind, header = m.groups()
                shown = f'<{header}>' if kind == '<' else f'"{header}"'
                where = f'{path}:{number}: {layer} includes {shown}'
                if kind == '<':
                    if layer in no_gtk and gtk_header.match(header):
                        print(f'{where}, but {layer} never uses gtk')
                        bad += 1
                elif header in generated:
                    if layer not in generated[header]:
                        print(f'{where}, which only the app may include')
                        bad += 1
                elif header not in owner:
                    print(f'{where}, which no folder of src/ has')
                    bad += 1
                elif layer == 'app' and header in top_of_app and name not in top_of_app[header]:
                    print(f'{where}: only {", ".join(sorted(top_of_app[header]))} may')
                    bad += 1
                elif owner[header] not in allowed[layer]:
                    print(f'{where} of {owner[header]}: {layer} may use only {", ".join(sorted(allowed[layer]))}')
                    bad += 1

if bad:
    sys.exit(1)
print('every include points down the layers')
