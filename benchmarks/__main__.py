"""Run every benchmark in turn: python -m benchmarks"""

import importlib
import pkgutil
import sys
from pathlib import Path

here = Path(__file__).resolve().parent
for module in sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_")):
    print(f"\n== {module} ==", flush=True)
    importlib.import_module(f"benchmarks.{module}").main([])
sys.exit(0)
