"""The form bases of every app's pages.

``PortalForm``/``PortalModelForm``: labels above their inputs without a colon
(the Chinese UI), every date field on the shared ``<input type="date">``;
Django's own messages come from its zh-hans catalogue, the fields' from their
``error_messages``.

``PublicSubmissionForm``: what anyone may send without logging in (an opinion
to a station, a livelihood project idea). A honeypot field, a signed "form
served at" stamp refusing submissions faster than ``MIN_FILL_SECONDS``, and a
per-address rate limit (``portal.ratelimit``) counted for every submission
that passed the fields or failed the challenge.
"""

from __future__ import annotations

import time
from typing import ClassVar

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Min, Q
from django.utils.translation import gettext_lazy as _

from portal.ratelimit import public_submission_allowed

from . import choices

FORM_TOKEN_MAX_AGE = 2 * 60 * 60
MIN_FILL_SECONDS = 3


class DateInput(forms.DateInput):
    """The browser's date picker, in the ISO format it expects."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class PortalFormMixin:
    """What every portal form does, for bases that are not ``forms.Form`` (the
    auth forms); otherwise use ``PortalForm`` or ``PortalModelForm``."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if (
                isinstance(field, forms.DateField)
                and type(field.widget) is forms.DateInput
            ):
                widget = DateInput(attrs=field.widget.attrs)
                widget.is_required = field.required
                field.widget = widget


class PortalForm(PortalFormMixin, forms.Form):
    """A portal form: labels without colons, dates on the date picker."""


class PortalModelForm(PortalFormMixin, forms.ModelForm):
    """A portal model form: labels without colons, dates on the date picker."""


def form_token(salt: str, scope_id: int, issued_at: float | None = None) -> str:
    """A signed stamp of when a public form was served, for ``scope_id`` (a station,
    a programme). Tests pass an ``issued_at`` in the past."""
    issued = int(time.time() if issued_at is None else issued_at)
    return signing.dumps({"s": scope_id, "t": issued}, salt=salt)


def form_token_issued_at(salt: str, token: str, scope_id: int) -> int | None:
    """When the stamp was issued; None when forged, expired or for another scope."""
    try:
        data = signing.loads(token, salt=salt, max_age=FORM_TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("s") != scope_id:
        return None
    issued = data.get("t")
    return issued if isinstance(issued, int) else None


class PublicSubmissionForm(PortalForm):
    """A form anyone may send: the bot challenge and the per-address rate limit.

    A subclass names its ``signing_salt`` and ``rate_limit_scope``, passes the
    stamp's ``scope_id`` (the station, the programme) and says how many
    submissions an address may make per hour (``submissions_per_hour``, from
    the rule set). The view passes the client's ``address`` with the data
    (``portal.ratelimit.client_address``) and answers 429 when ``rate_limited``
    is set after validation. The template renders ``token`` and, hidden by
    CSS, ``website``.
    """

    signing_salt: ClassVar[str]
    rate_limit_scope: ClassVar[str]
    min_fill_seconds: ClassVar[float] = MIN_FILL_SECONDS

    # The honeypot: hidden from people by CSS, filled in by naive bots.
    website = forms.CharField(
        label=_("请勿填写此项"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args,
        scope_id: int,
        address: str | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        if self.is_bound and address is None:
            raise TypeError("A bound public form needs the client's address.")
        self.scope_id = scope_id
        self.address = address or ""
        self.challenge_failed = False
        self.rate_limited = False
        self.issued_at: int | None = None
        if self.is_bound:
            self.issued_at = form_token_issued_at(
                self.signing_salt, self.data.get("token", ""), scope_id
            )
            if self.issued_at is None:
                # Re-rendered with a fresh stamp; a still-valid one is kept, so
                # a fast typist can simply send again.
                self.data = self.data.copy()
                self.data["token"] = self.form_token(scope_id)
        else:
            self.initial["token"] = self.form_token(scope_id)

    @classmethod
    def form_token(cls, scope_id: int, issued_at: float | None = None) -> str:
        """The signed "form served at" stamp of this form for ``scope_id``."""
        return form_token(cls.signing_salt, scope_id, issued_at)

    def submissions_per_hour(self) -> int:
        """How many submissions one address may make per hour (a rule-set value)."""
        raise NotImplementedError

    def clean(self):
        cleaned = super().clean()
        if self.data.get("website"):
            self.challenge_failed = True
            raise ValidationError(_("提交未成功，请稍后重试。"), code="honeypot")
        if self.issued_at is None:
            self.challenge_failed = True
            raise ValidationError(_("页面已过期，请核对内容后再次提交。"), code="token")
        if time.time() - self.issued_at < self.min_fill_seconds:
            self.challenge_failed = True
            raise ValidationError(
                _("提交太快了，请核对内容后再次提交。"), code="too_fast"
            )
        return cleaned

    def full_clean(self) -> None:
        super().full_clean()
        if not self.is_bound or (self.errors and not self.challenge_failed):
            return  # an honest typo is not counted against the address
        limit = self.submissions_per_hour()
        phone = str(self.cleaned_data.get("phone") or self.data.get("phone") or "")
        if not public_submission_allowed(
            self.rate_limit_scope, address=self.address, phone=phone, limit=limit
        ):
            self.rate_limited = True
            self.add_error(
                None,
                ValidationError(
                    _("提交过于频繁，请一小时后再试。"), code="rate_limited"
                ),
            )


# A congress <select> lists congresses down to this many levels below the user's
# own (a province: itself, its cities and counties, ~140 options, not 2,000);
# the others are reached by level and search. Validation still takes any
# congress of the field's queryset, so links to a township's list keep working.
CONGRESS_LEVELS_SHOWN = 2


def show_nearby_congresses(
    form: forms.BaseForm, name: str, congresses, *, user=None
) -> int | None:
    """Limit the options (not the validation) of the congress field ``name`` to
    ``congresses`` down to ``CONGRESS_LEVELS_SHOWN`` levels below the topmost,
    plus the chosen one. Returns the topmost region depth (None: no congress).
    The options are read once per query (``portal.web.choices``), or per
    ``user`` when ``congresses`` is determined by that user alone."""
    field = form.fields[name]
    chosen = int_or_none(form.data.get(form.add_prefix(name)))
    label = getattr(field, "label_from_instance", str)

    def build(congresses) -> tuple[int | None, list]:
        top = congresses.aggregate(top=Min("region__depth"))["top"]
        if top is None:
            return None, []
        shown = congresses.filter(
            Q(region__depth__lte=top + CONGRESS_LEVELS_SHOWN) | Q(pk=chosen)
        ).order_by("region__path")
        return top, [(c.pk, label(c)) for c in shown]

    top, options = choices.cached(
        congresses,
        build,
        depends_on=[congresses.model._meta.get_field("region").related_model],
        extra=("nearby congresses", chosen, getattr(label, "__qualname__", "")),
        user=user,
    )
    if top is None:
        return None
    field.widget.choices = [("", field.empty_label or "")] + options
    return top


def show_cached_options(
    form: forms.BaseForm, name: str, *, depends_on=(), user=None
) -> None:
    """The options of the model choice field ``name`` from the cache
    (``portal.web.choices``; per ``user`` when the field's queryset is
    determined by that user alone); validation unchanged."""
    field = form.fields[name]
    label = field.label_from_instance

    def build(queryset) -> list:
        return [(obj.pk, label(obj)) for obj in queryset]

    options = choices.cached(
        field.queryset,
        build,
        depends_on=depends_on,
        extra=("options", name, getattr(label, "__qualname__", "")),
        user=user,
    )
    empty = [("", field.empty_label)] if field.empty_label is not None else []
    field.widget.choices = empty + options


def int_or_none(value) -> int | None:
    """A submitted id as an int, or None when it is not one."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
