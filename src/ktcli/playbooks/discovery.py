"""Where playbooks are found, and the catalog of them by id.

Discovery order (a later playbook wins by id): the built-in playbooks shipped in
the package, the user's config directory, the team directory
``.ktcli/playbooks/`` at the root of the current git repository, then every
directory in ``KTCLI_PLAYBOOK_PATH``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ktcli.errors import InvalidFileError, InvalidFileErrors, KtError, NotFoundError
from ktcli.playbooks.files import PlaybookFile, Source, load_file, playbook_paths
from ktcli.playbooks.merge import merge_chain, resolve_chain

if TYPE_CHECKING:
    from ktcli.playbooks.model import Playbook

#: The playbook used when a session names none.
DEFAULT_ID = "generic"
ENV_PATH = "KTCLI_PLAYBOOK_PATH"
TEAM_DIR = Path(".ktcli") / "playbooks"


def builtin_dir() -> Path:
    """Where the built-in playbooks are: inside the installed package, else the checkout."""
    packaged = Path(__file__).resolve().parent / "builtin"
    if packaged.is_dir():
        return packaged
    # An editable install runs from src/ktcli; the files stay in playbooks/ at the root.
    return Path(__file__).resolve().parents[3] / "playbooks"


def user_dir() -> Path:
    """The user's own playbooks, in the platform's config directory."""
    from platformdirs import user_config_dir

    return Path(user_config_dir("ktcli", appauthor=False)) / "playbooks"


def git_root(start: Path) -> Path | None:
    """The nearest directory at or above ``start`` holding ``.git`` (a directory or a file).

    Walking up is microseconds; running git would cost a process per command.
    """
    here = start.resolve()
    for candidate in (here, *here.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def sources(cwd: Path | None = None, environ: Mapping[str, str] | None = None) -> list[Source]:
    """Every directory searched, in order of increasing precedence."""
    env = os.environ if environ is None else environ
    found = [Source("builtin", builtin_dir()), Source("user", user_dir())]
    root = git_root(cwd or Path.cwd())
    if root is not None:
        found.append(Source("team", root / TEAM_DIR))
    for entry in env.get(ENV_PATH, "").split(os.pathsep):
        if entry.strip():
            found.append(Source("path", Path(entry).expanduser()))
    return found


@dataclass
class Catalog:
    """The playbooks found, by id (their file name); each is read when first needed.

    Finding by file name means a session reads only its playbook and what that
    extends, not every file in every directory.
    """

    sources: list[Source]
    #: The winning file for each id.
    found: dict[str, tuple[Path, Source]] = field(default_factory=dict)
    #: Files that lost to a later one with the same id.
    shadowed: list[tuple[Path, Source]] = field(default_factory=list)
    problems: list[KtError] = field(default_factory=list)
    #: The winners read so far.
    files: dict[str, PlaybookFile] = field(default_factory=dict)

    def lookup(self, playbook_id: str) -> PlaybookFile | None:
        """The winning playbook for an id, read now if not yet; None when there is none."""
        item = self.files.get(playbook_id)
        if item is None and playbook_id in self.found:
            path, source = self.found[playbook_id]
            item = self.files[playbook_id] = load_file(path, source)
        return item

    def get(self, playbook_id: str) -> PlaybookFile:
        """The winning playbook for ``playbook_id``; NotFoundError when there is none."""
        item = self.lookup(playbook_id)
        if item is None:
            known = ", ".join(sorted(self.found)) or "none"
            raise NotFoundError(
                f"no playbook with id {playbook_id!r}",
                hint=f"Known playbooks: {known}. See 'ktcli playbook list'.",
            )
        return item

    def chain(self, playbook_id: str) -> list[PlaybookFile]:
        """The playbook and its ancestors, child first."""
        return resolve_chain(self.get(playbook_id), self.lookup)

    def merged(self, playbook_id: str) -> Playbook:
        """The playbook with everything it extends merged in."""
        return merge_chain(self.chain(playbook_id))

    def load_all(self) -> None:
        """Read every winner now; what cannot be read goes to ``problems``."""
        for playbook_id in self.found:
            try:
                self.lookup(playbook_id)
            except (InvalidFileError, InvalidFileErrors) as exc:
                self.problems.append(exc)


def index(where: list[Source] | None = None) -> Catalog:
    """List the playbook files in ``where`` (default: :func:`sources`); a later one wins by id."""
    catalog = Catalog(sources=where if where is not None else sources())
    for src in catalog.sources:
        if src.kind == "path" and not src.directory.is_dir():
            catalog.problems.append(
                KtError(
                    f"{ENV_PATH} names {src.directory}, which is not a directory",
                    hint=f"Fix or remove that entry of {ENV_PATH}.",
                )
            )
            continue
        here: dict[str, Path] = {}
        for path in playbook_paths(src.directory):
            if path.stem in here:
                catalog.problems.append(
                    KtError(
                        f"{path}: same id as {here[path.stem].name} next to it; this one wins",
                        hint="Keep one file per playbook id.",
                    )
                )
            here[path.stem] = path
            previous = catalog.found.get(path.stem)
            if previous is not None:
                catalog.shadowed.append(previous)
            catalog.found[path.stem] = (path, src)
    return catalog


def discover(where: list[Source] | None = None) -> Catalog:
    """Find and read every playbook in ``where``, as ``playbook list`` shows them."""
    catalog = index(where)
    catalog.load_all()
    return catalog


def load(playbook_id: str = DEFAULT_ID, cwd: Path | None = None) -> Playbook:
    """The merged playbook ``playbook_id`` as discovery finds it from ``cwd``."""
    return index(sources(cwd)).merged(playbook_id)
