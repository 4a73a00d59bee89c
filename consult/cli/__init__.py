"""The `consult` command: `main` builds the parser and runs a subcommand; each other module is one command group
(`groups`, `imports`, `members`, `responses`, `ballots`) with its `add_command` and its run functions.

May import any package but `consult.app`.
"""
