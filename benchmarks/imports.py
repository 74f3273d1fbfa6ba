"""Import cost of the SDK's platform modules against `import pulumi`, measured side by side.

Each sample is a fresh interpreter timing only the import statement; the candidates take turns,
so machine load affects them alike. Prints medians and the ratio to `import pulumi`.
"""

from __future__ import annotations

import statistics
import subprocess
import sys

SAMPLES = 15
BASELINE = "pulumi"
MODULES = (
    BASELINE,
    "pulumi_dataplatforms.eloq",
    "pulumi_dataplatforms.spark",
    "pulumi_dataplatforms.aerostack",
    "pulumi_dataplatforms.ardent",
)
TIMER = "import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"


def import_seconds(module: str) -> float:
    """Seconds a fresh interpreter spends in `import module`."""
    done = subprocess.run(
        [sys.executable, "-c", TIMER.format(module=module)], capture_output=True, text=True, check=True
    )
    return float(done.stdout)


def medians(samples: int = SAMPLES) -> dict[str, float]:
    """Median import time per module, the modules interleaved sample by sample."""
    times: dict[str, list[float]] = {m: [] for m in MODULES}
    for _ in range(samples):
        for module in MODULES:
            times[module].append(import_seconds(module))
    return {m: statistics.median(t) for m, t in times.items()}


def main() -> None:
    result = medians()
    print(f"\nimport cost (median of {SAMPLES} fresh interpreters each, interleaved)")
    print(f"{'module':34} {'ms':>7} {'x import pulumi':>16}")
    for module, seconds in result.items():
        print(f"{module:34} {seconds * 1000:7.1f} {seconds / result[BASELINE]:16.2f}")


if __name__ == "__main__":
    main()
