"""`python -m adapters` is the same as the `mentorbot` command."""

from adapters.cli import main

main()
