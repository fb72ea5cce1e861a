"""Plug-in points for the domain apps: navigation, to-dos, dashboard cards,
report sections, reminder jobs, demo seeds, ranking scopes of the performance
archive (and, in ``portal.scoping``, scope resolvers).

portal knows nothing of the apps. Each app registers in its ``hooks.py``, which
``portal.apps.PortalConfig.ready`` imports with
``autodiscover_modules("hooks")`` — the Django admin's ``autodiscover`` pattern.
There is no other way to plug in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

# To-do items listed one by one per kind before they collapse into a "more" link.
TODO_LIMIT = 20
# The phone's bottom tab bar: 工作台, these many of the user's tabs, 消息, 菜单 (≤ 5).
TAB_LIMIT = 2


@dataclass(frozen=True)
class TodoItem:
    """One thing waiting on the user ("我的待办")."""

    title: str
    url: str
    due_date: Any = None
    kind: str = ""


@dataclass(frozen=True)
class DashboardCard:
    """A card on the staff dashboard: ``render(user)`` returns a context dict
    for ``template`` or None to hide the card for this user."""

    key: str
    title: Any
    template: str
    render: Callable[[Any], dict | None]
    order: int = 100


@dataclass(frozen=True)
class ReportSection:
    key: str
    title: Any
    build: Callable[..., dict]
    order: int = 100


@dataclass(frozen=True)
class NavItem:
    """A link in the staff navigation, shown when ``visible(user)`` is true.

    ``tab`` puts it in the phone's bottom tab bar too (lower first; the bar keeps
    the first ``TAB_LIMIT`` the user may see; ``tab_visible``, when given, narrows
    who gets the tab), under ``tab_label`` if the menu's label is too long for a
    tab, with the ``icon`` named in
    ``templates/components/tab_icon.html``. ``in_menu=False`` keeps a tab-only
    shortcut (写建议) out of the full menu.
    """

    key: str
    label: Any
    url_name: str
    visible: Callable[[Any], bool]
    order: int = 100
    tab: int | None = None
    tab_label: Any = None
    tab_visible: Callable[[Any], bool] | None = None
    icon: str = "list"
    in_menu: bool = True

    @property
    def short_label(self) -> Any:
        return self.tab_label or self.label


_nav_items: dict[str, NavItem] = {}
_todo_providers: list[Callable[[Any], list[TodoItem]]] = []
_cards: dict[str, DashboardCard] = {}
_report_sections: dict[str, ReportSection] = {}
_card_figures: dict[str, Callable[[Any], dict]] = {}


def register_todo_provider(provider: Callable[[Any], list[TodoItem]]) -> None:
    if provider not in _todo_providers:
        _todo_providers.append(provider)


def register_nav(item: NavItem) -> None:
    _nav_items[item.key] = item


def nav_for(user) -> list[NavItem]:
    """Navigation links the user may follow, in order."""
    return [
        i
        for i in sorted(_nav_items.values(), key=lambda i: i.order)
        if i.in_menu and i.visible(user)
    ]


def tabs_for(user) -> list[NavItem]:
    """The user's role shortcuts in the phone's bottom tab bar, at most ``TAB_LIMIT``."""
    tabs = sorted(
        (i for i in _nav_items.values() if i.tab is not None),
        key=lambda i: (i.tab, i.order),
    )
    chosen: list[NavItem] = []
    for item in tabs:
        if len(chosen) == TAB_LIMIT:
            break
        if any(c.url_name == item.url_name for c in chosen):
            continue
        if item.visible(user) and (item.tab_visible is None or item.tab_visible(user)):
            chosen.append(item)
    return chosen


def register_card(card: DashboardCard) -> None:
    _cards[card.key] = card


def register_card_figures(name: str, build: Callable[[Any], dict]) -> None:
    """``build(scope)`` computes a dashboard card's figures for a report scope;
    ``portal.reports.service`` keeps them as snapshots, refreshed in the background."""
    _card_figures[name] = build


def card_figures() -> dict[str, Callable[[Any], dict]]:
    return dict(_card_figures)


def register_report_section(section: ReportSection) -> None:
    _report_sections[section.key] = section


def todo_items(user) -> list[TodoItem]:
    """Everything waiting on ``user``, ordered by due date (undated last)."""
    items: list[TodoItem] = []
    for provider in _todo_providers:
        items.extend(provider(user))
    return sorted(items, key=lambda i: (i.due_date is None, str(i.due_date or "")))


def _todo_keys(user) -> tuple[str, str]:
    from django.utils.translation import get_language

    from portal.scoping import user_cache_key

    return (
        f"todos:{user_cache_key(user)}:{get_language()}",
        f"todos:writes:{user.pk}",
    )


def dashboard_todos(user) -> list[TodoItem]:
    """``todo_items`` for the dashboard, kept for ``PORTAL_TODO_CACHE_SECONDS``
    (issue 14: a province's staff dashboard asked fourteen providers, 22
    queries, on every visit). The user's own writes are seen at once: every
    POST/PUT/PATCH/DELETE they make moves their version on
    (``portal.middleware.TodoFreshnessMiddleware``); what others do shows
    within the cache time, which the page states."""
    from django.conf import settings
    from django.core.cache import cache

    timeout = getattr(settings, "PORTAL_TODO_CACHE_SECONDS", 0)
    if not timeout or not getattr(user, "is_authenticated", False):
        return todo_items(user)
    key, writes_key = _todo_keys(user)
    found = cache.get_many([key, writes_key])
    writes = found.get(writes_key, 0)
    kept = found.get(key)
    if kept is not None and kept[0] == writes:
        return kept[1]
    items = todo_items(user)
    cache.set(key, (writes, items), timeout)
    return items


def todos_changed_by(user) -> None:
    """``user`` wrote something: their next dashboard asks the providers again."""
    from django.conf import settings
    from django.core.cache import cache

    if not getattr(settings, "PORTAL_TODO_CACHE_SECONDS", 0):
        return  # nothing is kept
    _key, writes_key = _todo_keys(user)

    try:
        cache.incr(writes_key)
    except ValueError:  # first write (or evicted)
        cache.set(writes_key, 1, None)


def cards_for(user) -> list[tuple[DashboardCard, dict]]:
    result = []
    for card in sorted(_cards.values(), key=lambda c: c.order):
        context = card.render(user)
        if context is not None:
            result.append((card, context))
    return result


def report_sections() -> list[ReportSection]:
    return sorted(_report_sections.values(), key=lambda s: s.order)


@dataclass(frozen=True)
class ReminderJob:
    """A daily reminder job: ``collect(day)`` yields Reminder items; the
    notifications module turns them into notifications exactly once."""

    name: str
    label: Any
    collect: Callable[..., Any]
    order: int = 100


_reminder_jobs: dict[str, ReminderJob] = {}


def register_reminder_job(job: ReminderJob) -> None:
    _reminder_jobs[job.name] = job


def reminder_jobs() -> list[ReminderJob]:
    return sorted(_reminder_jobs.values(), key=lambda j: (j.order, j.name))


@dataclass(frozen=True)
class DemoSeed:
    """``seed(ctx)`` extends the demo province; seeds run by ``order`` (an app's
    seed after those of the apps it depends on)."""

    name: str
    seed: Callable[[Any], None]
    order: int = 100


_demo_seeds: dict[str, DemoSeed] = {}


def register_demo_seed(seed: DemoSeed) -> None:
    _demo_seeds[seed.name] = seed


def demo_seeds() -> list[DemoSeed]:
    return sorted(_demo_seeds.values(), key=lambda s: (s.order, s.name))


@dataclass(frozen=True)
class RankingScope:
    """A set of deputies a performance archive ranks a mandate within (a liaison
    station's deputies, say): ``peers`` is a queryset of mandates."""

    kind: str
    name: str
    peers: Any


# ``provider(mandate, year)`` names the scopes an app knows the mandate belongs to.
RankingProvider = Callable[[Any, int], list[RankingScope]]
_ranking_providers: list[RankingProvider] = []


def register_ranking_scopes(provider: RankingProvider) -> None:
    """Let an app add ranking scopes to the performance archive (履职档案)."""
    if provider not in _ranking_providers:
        _ranking_providers.append(provider)


def ranking_scopes(mandate: Any, year: int) -> list[RankingScope]:
    """Every app's ranking scopes of ``mandate`` in ``year``."""
    return [scope for p in _ranking_providers for scope in p(mandate, year)]


# How to resolve ids of a scope type an app owns (e.g. "station") into
# ``{id: (name, region path)}``; portal.scoping asks when it builds a user's scope.
ScopeResolver = Callable[[Iterable[int]], dict[int, tuple[str, str]]]
_scope_resolvers: dict[str, ScopeResolver] = {}


def register_scope(scope_type: str, resolver: ScopeResolver) -> None:
    """Let an app resolve ids of a scope type it owns to ``(name, region_path)``."""
    _scope_resolvers[scope_type] = resolver


def scope_resolvers() -> dict[str, ScopeResolver]:
    return _scope_resolvers


def autodiscover() -> None:
    """Import every installed app's ``hooks`` module (idempotent)."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("hooks")


# Readable names of the audit codes (``AuditEvent.action``, "entity.verb"), shown by
# the admin's audit log and the timelines; each app registers its own.
_audit_actions: dict[str, Any] = {}


def register_audit_actions(labels: Mapping[str, Any]) -> None:
    _audit_actions.update(labels)


def audit_actions(prefix: str, entity: Any, actions: Iterable[tuple[str, Any]]) -> dict:
    """``{"prefix.verb": "entity：verb label"}`` for a set of verbs (a status
    choice list, say), composed lazily so each page shows its own language."""
    from django.utils.functional import lazy
    from django.utils.translation import gettext

    def compose(label: Any) -> str:
        return gettext("%(entity)s：%(action)s") % {"entity": entity, "action": label}

    composed = lazy(compose, str)
    return {f"{prefix}.{verb}": composed(label) for verb, label in actions}


def audit_action_label(code: str) -> Any:
    """The registered name of an audit code, or the code itself."""
    return _audit_actions.get(code, code)
