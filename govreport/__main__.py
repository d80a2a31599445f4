"""``python -m govreport``: the command line (see ``govreport/cli.py``)."""

from .cli import run

if __name__ == "__main__":
    run()
