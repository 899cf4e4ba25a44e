"""`python -m yamldeck`: the same as the `yamldeck` command."""

from .cli import main

main()
