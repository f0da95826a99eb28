"""The terminal: the only writer, rich rendering, and the questionary prompter."""
