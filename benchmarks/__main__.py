"""Run every benchmark and print its table."""

from benchmarks import cli_parallel, eloq, imports

if __name__ == "__main__":
    imports.main()
    eloq.main()
    cli_parallel.main([])
