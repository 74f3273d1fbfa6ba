"""Run every benchmark and print its table."""

from benchmarks import cli_parallel, eloq

if __name__ == "__main__":
    eloq.main()
    cli_parallel.main([])
