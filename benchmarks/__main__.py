"""Run every benchmark and print its table."""

from benchmarks import cli_parallel, eloq, imports, startup

if __name__ == "__main__":
    imports.main()
    eloq.main()
    startup.main([])
    cli_parallel.main([])
