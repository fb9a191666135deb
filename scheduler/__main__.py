"""`python -m scheduler` runs the belmon command."""

from scheduler.cli import main

# Guarded: worker processes are spawned and import the main module under another name.
if __name__ == "__main__":
    main()
