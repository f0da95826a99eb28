"""The method's words, each defined once: the labels people read for the values the model stores.

Pure data. The terminal (:mod:`ktcli.ui.render`), the Markdown handoff
(:mod:`ktcli.handoff.markdown`) and the other handoff texts take their words
from here, so a screen and a ticket never name the same thing two ways.
"""

from __future__ import annotations

#: A side of a specification row -> its label.
SIDE_LABELS: dict[str, str] = {"is": "IS", "is_not": "IS NOT"}
