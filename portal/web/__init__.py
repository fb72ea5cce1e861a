"""What every app's pages share, one of each (CONTRIBUTING.md, "Shared pieces"):

- ``forms``: the form bases ``PortalForm``/``PortalModelForm`` (labels without
  colons, the date input) and ``PublicSubmissionForm`` (honeypot, signed
  "served at" stamp, per-address rate limit) of every public form;
- ``uploads``: ``validate_upload``, the one check of uploaded files, and
  ``KeepsUploads``, the one way a form keeps a valid upload across an error;
- ``errors``: ``apply_service_error``, a service's refusal onto the form;
- ``pagination``: ``paginate``, bounded pages;
- ``steps``: ``form_page``/``form_post``, ``form_step``, ``button_step``, ``run_step``: the one shape of a
  page's step (one service, its refusal onto the form or as a message).

Services never import this package (``lint-imports``).
"""

from .errors import apply_service_error
from .forms import (
    FORM_TOKEN_MAX_AGE,
    MIN_FILL_SECONDS,
    DateInput,
    PortalForm,
    PortalFormMixin,
    PortalModelForm,
    PublicSubmissionForm,
    form_token,
    form_token_issued_at,
)
from .pagination import PAGE_SIZE, paginate
from .steps import (
    button_step,
    errors_as_messages,
    form_page,
    form_post,
    form_step,
    refuse_forbidden,
    run_step,
)
from .uploads import (
    IMAGES,
    KINDS,
    FileKind,
    KeepsUploads,
    KeptFileInput,
    purge_staged_uploads,
    validate_upload,
)

__all__ = [
    "FORM_TOKEN_MAX_AGE",
    "IMAGES",
    "KINDS",
    "MIN_FILL_SECONDS",
    "PAGE_SIZE",
    "DateInput",
    "FileKind",
    "KeepsUploads",
    "KeptFileInput",
    "PortalForm",
    "PortalFormMixin",
    "PortalModelForm",
    "PublicSubmissionForm",
    "apply_service_error",
    "button_step",
    "errors_as_messages",
    "form_page",
    "form_post",
    "form_step",
    "form_token",
    "form_token_issued_at",
    "paginate",
    "purge_staged_uploads",
    "refuse_forbidden",
    "run_step",
    "validate_upload",
]
