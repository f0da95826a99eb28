"""The command line: the app and its command table, one module per group of commands."""
