#!/usr/bin/env bash
# Renders the application icon's PNG sizes from org.agentops.Monitor.svg (needs rsvg-convert from
# librsvg2-bin). Run it after changing the SVG; the PNGs are kept in the tree so building and
# packaging need no SVG renderer.
set -euo pipefail
cd "$(dirname "$0")"
for size in 16 22 24 32 48 64 128 256 512; do
    mkdir -p "hicolor/${size}x${size}/apps"
    rsvg-convert --width "$size" --height "$size" org.agentops.Monitor.svg \
        --output "hicolor/${size}x${size}/apps/org.agentops.Monitor.png"
done
python3 make-ico.py
echo "rendered $(ls hicolor | wc -l) sizes"
