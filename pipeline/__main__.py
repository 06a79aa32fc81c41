# Ctrl-C while even the entry module is being imported still ends in one line (entry.py).
try:
    from .entry import main
except KeyboardInterrupt:
    import sys
    sys.stderr.write("Interrupted.\n")
    raise SystemExit(130) from None

main()
