"""`python -m bot` runs the `styrbot` command line."""

from bot.cli import main

main()
