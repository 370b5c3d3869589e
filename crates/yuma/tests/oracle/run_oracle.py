#!/usr/bin/env python3
"""Batch driver for the differential test: reads one epoch's inputs per line (JSON, the
yuma-epoch-vector/1 `inputs` schema) on stdin and writes the oracle's normative outputs, one
JSON object per line, on stdout."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import yuma_ref  # noqa: E402

KEYS = yuma_ref.OUTPUT_KEYS + ["liquid_alpha_used"]

for line in sys.stdin:
    line = line.strip()
    if not line:
        continue
    out = yuma_ref.epoch(json.loads(line))
    sys.stdout.write(json.dumps({k: out[k] for k in KEYS}) + "\n")
