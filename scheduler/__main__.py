"""`python -m scheduler` runs the belmon command."""

from scheduler.cli import main

main()
