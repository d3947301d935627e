"""PEP 517 build backend of the addon: OCA's whool, run from a folder named
after the module.

whool names the distribution and the installed folder after the directory it
builds (odoo-addon-<folder>, odoo/addons/<folder>): in OCA repositories each
addon sits in a folder of its name, but here the repository root is the addon,
and a checkout (or pip's temporary clone of a VCS URL) can be named anything.
Each hook therefore runs whool in a scratch folder holding a link named
``trade_union_emulation`` to the checkout. pyproject.toml points here.

No editable install: whool's would put a link to the checkout inside it
(build/__editable__), which Odoo's translation exporter would follow. For
development, put a link on the addons path instead (scripts/run.sh does).
"""

import contextlib
import tempfile
from pathlib import Path

from whool import buildapi  # whool==1.3.1 (pyproject.toml): its helpers take the folder

MODULE = "trade_union_emulation"


@contextlib.contextmanager
def _named_addon_dir():
    """The checkout, seen through a path whose last part is the module name
    (the current directory would resolve the link, hence a path, not a cd)."""
    source = Path.cwd()
    if source.name == MODULE:
        yield source
        return
    with tempfile.TemporaryDirectory() as scratch:
        named = Path(scratch) / MODULE
        named.symlink_to(source, target_is_directory=True)
        yield named


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    with _named_addon_dir() as addon_dir:
        return buildapi._build_wheel(
            addon_dir, Path(wheel_directory).absolute(), editable=False
        )


def build_sdist(sdist_directory, config_settings=None):
    with _named_addon_dir() as addon_dir:
        return buildapi._build_sdist(addon_dir, Path(sdist_directory).absolute())


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    with _named_addon_dir() as addon_dir:
        metadata = buildapi._get_metadata(addon_dir)
        return buildapi._make_dist_info(metadata, Path(metadata_directory).absolute())
