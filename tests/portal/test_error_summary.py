"""After a server-side form error the focus goes to the error summary (issue 18):
the summary of templates/components/form_errors.html has an id and
tabindex="-1", and static/js/portal.js focuses it on load (no inline script,
so the CSP stays script-src 'self')."""

from pathlib import Path

from django import forms
from django.conf import settings
from django.template.loader import render_to_string


class _Form(forms.Form):
    name = forms.CharField()

    def clean(self):
        if self.data.get("name") == "clash":
            raise forms.ValidationError("与已有记录冲突。")
        return super().clean()


def _summary(data):
    form = _Form(data)
    form.is_valid()
    return render_to_string("components/form_errors.html", {"form": form})


def test_the_summary_can_take_the_focus_for_field_and_form_errors():
    for data in ({}, {"name": "clash"}):
        html = _summary(data)
        assert 'id="error-summary"' in html and 'tabindex="-1"' in html
        assert "data-error-summary" in html and 'role="alert"' in html
    assert "与已有记录冲突。" in _summary({"name": "clash"})


def test_no_summary_without_errors():
    assert "error-summary" not in _summary({"name": "王"})
    assert "error-summary" not in render_to_string(
        "components/form_errors.html", {"form": _Form()}
    )


def test_portal_js_focuses_the_summary_and_no_template_inlines_it():
    js = (Path(settings.BASE_DIR) / "static/js/portal.js").read_text("utf-8")
    assert 'querySelector("[data-error-summary]")' in js and ".focus()" in js
    template = (
        Path(settings.BASE_DIR) / "templates/components/form_errors.html"
    ).read_text("utf-8")
    assert "<script" not in template and "onload" not in template


def test_every_error_box_in_the_templates_takes_the_focus():
    """Pages that draw their own error box (a formset, a ballot, a filter) mark
    it the same way, so the focus lands there too."""
    import re

    root = Path(settings.BASE_DIR) / "templates"
    boxes = []
    for path in root.rglob("*.html"):
        for tag in re.findall(
            r"<div[^>]*class=\"form-errors\"[^>]*>", path.read_text()
        ):
            boxes.append((path.relative_to(root), tag))
    assert len(boxes) > 10
    unmarked = [(p, t) for p, t in boxes if "data-error-summary" not in t]
    assert unmarked == []
