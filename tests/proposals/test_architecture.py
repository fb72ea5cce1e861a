"""The layout DESIGN.md §12 asks of proposals: views by audience with the URLs in
urls.py, no module too long to read, and the user's scope read for actions in
policies.py only (views, API and hooks ask the policies or ``visible_to``)."""

import ast
from pathlib import Path

import pytest

import proposals

APP = Path(proposals.__file__).parent
MAX_LINES = 800


def modules(*parts):
    root = APP.joinpath(*parts)
    return sorted(root.rglob("*.py")) if root.is_dir() else [root.with_suffix(".py")]


def imported(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


@pytest.mark.parametrize(
    "path",
    [p for p in APP.rglob("*.py") if "migrations" not in p.parts],
    ids=lambda p: str(p.relative_to(APP)),
)
def test_no_module_is_too_long(path):
    assert len(path.read_text().splitlines()) <= MAX_LINES


@pytest.mark.parametrize(
    "path",
    modules("views") + modules("api") + modules("hooks"),
    ids=lambda p: str(p.relative_to(APP)),
)
def test_views_api_and_hooks_do_not_read_the_scope_themselves(path):
    assert "portal.scoping" not in set(imported(path))


@pytest.mark.parametrize(
    "path", modules("views"), ids=lambda p: str(p.relative_to(APP))
)
def test_views_modules_define_no_urls(path):
    tree = ast.parse(path.read_text())
    names = {
        target.id
        for node in tree.body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    assert "urlpatterns" not in names
