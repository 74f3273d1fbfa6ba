"""Run every benchmark and print its table."""

from benchmarks import eloq

if __name__ == "__main__":
    eloq.main()
