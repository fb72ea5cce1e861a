"""Forms of the web shell (public home, staff dashboard, notifications)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .web import PortalFormMixin


class IdListField(forms.Field):
    """A list of integer ids posted as repeated hidden inputs (``ids=3&ids=7``)."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {"invalid": _("编号无效。")}

    def to_python(self, value) -> list[int]:
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        try:
            return [int(v) for v in value]
        except (TypeError, ValueError) as exc:
            raise ValidationError(
                self.error_messages["invalid"], code="invalid"
            ) from exc


class NotificationMarkReadForm(forms.Form):
    """Mark the user's notifications read: the given ids, or all when none.

    Ids of other users' notifications are harmless: the service only touches
    notifications visible to the user.
    """

    ids = IdListField(required=False)
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class LoginForm(PortalFormMixin, AuthenticationForm):
    """Django's login form (with django-axes' lockout), labels without colons."""


class PortalPasswordChangeForm(PortalFormMixin, PasswordChangeForm):
    """Django's password change form, labels without colons."""
