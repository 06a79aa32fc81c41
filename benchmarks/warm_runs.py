"""CPU of a `foundry` run forked from a warm process, as the test suite's warm starts
(tests/warm_start.py) and `foundry serve`'s builds run: the zygote's own warm-up (its
imports, a build and a check of tests/roots/minimal), then N runs of `foundry ARGS`,
each forked from it on a fresh copy of the minimal project (PROJ in ARGS names it).
Prints the mean user+sys CPU-s a run (the children's rusage: the copy is made by the
parent, outside it) and minor page faults a run.

    cd CHECKOUT && PYTHONPATH=$PWD N=40 python benchmarks/warm_runs.py check --project PROJ
    PYTHONPATH=$PWD N=20 python benchmarks/warm_runs.py build --only html --project PROJ

Unset PYTHONDONTWRITEBYTECODE first. The first run is made and not counted."""

from __future__ import annotations

import os
import resource
import secrets
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.join(os.getcwd(), "tests"))
import warm_start  # noqa: E402  (the zygote's warm-up, as the suite runs it)

source = warm_start._ZYGOTE
exec(compile(source[:source.index("HEADER = struct.Struct")], "zygote", "exec"), {"__name__": "zygote"})
import pipeline.entry  # noqa: E402
import pipeline.seal  # noqa: E402

ARGS = sys.argv[1:]
PROJECT = os.path.join(tempfile.mkdtemp(prefix="warm-runs-"), "world")


def run() -> int:
    """One run of `foundry ARGS` forked from this process; its exit status."""
    shutil.rmtree(PROJECT, ignore_errors=True)
    shutil.copytree(os.path.join("tests", "roots", "minimal"), PROJECT)
    pid = os.fork()
    if pid == 0:
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
        os.dup2(os.open(os.devnull, os.O_WRONLY), 2)
        pipeline.seal._ephemeral = secrets.token_bytes(pipeline.seal.KEY_BYTES)   # as a run draws its own
        sys.argv = ["foundry"] + [arg.replace("PROJ", PROJECT) for arg in ARGS]
        code = 0
        try:
            pipeline.entry.main()
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else 1
        import gc
        gc.collect()
        os._exit(code & 0xFF)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


if __name__ == "__main__":
    n = int(os.environ.get("N", "20"))
    run()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    codes = {run() for _ in range(n)}
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    user, system = (after.ru_utime - before.ru_utime) / n, (after.ru_stime - before.ru_stime) / n
    print(f"{' '.join(ARGS)}: {user + system:.4f} CPU-s a run (user {user:.4f}, sys {system:.4f}), "
          f"{(after.ru_minflt - before.ru_minflt) / n:.0f} minor faults, n={n}, exit {sorted(codes)}")
    shutil.rmtree(os.path.dirname(PROJECT), ignore_errors=True)
