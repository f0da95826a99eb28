"""The guided session, pure: questions as data, the Prompter protocol, the engine.

- ``questions``: the question and reply types, the sections in order
- ``prompter``: the ``Prompter`` protocol, the only way the session asks
- ``guide``: the playbook seam, what a playbook adds, as plain data
- ``wording``: ktcli's own questions and choices, each with an example
- ``depth``: which depth the ticket argues for, which one is in force
- ``items``: a question with its answered-test and how an answer applies
- ``catalogue``: every question, one module per section, composed in order
- ``engine``: ``run``, and what ``resume`` and an answers file need from it
- ``answers``: completing a hand-written answers file
- ``testing``: a scripted prompter for tests and benchmarks
"""
