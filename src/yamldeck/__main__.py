"""`python -m yamldeck`: the same as the `yamldeck` command."""

from .entry import main

main()
