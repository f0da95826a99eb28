"""The guided session, pure: questions as data, the Prompter protocol, the engine."""
