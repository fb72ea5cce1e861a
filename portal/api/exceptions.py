"""One error format for the API (API.md): 400 field errors, 404 out of scope,
409 refused transitions; never a 500 for bad input."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from portal.services import DomainError, Forbidden


def exception_handler(exc, context):
    if isinstance(exc, Forbidden):
        return Response({"detail": exc.message}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, DomainError):
        if exc.conflict:
            return Response({"detail": exc.message}, status=status.HTTP_409_CONFLICT)
        if exc.field:
            return Response(
                {exc.field: [exc.message]}, status=status.HTTP_400_BAD_REQUEST
            )
        return Response({"detail": exc.message}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoPermissionDenied) and str(exc):
        return Response({"detail": str(exc)}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            data = {
                k: [str(m) for e in v for m in e.messages]
                for k, v in exc.error_dict.items()
            }
        else:
            data = {"detail": " ".join(str(m) for m in exc.messages)}
        exc = exceptions.ValidationError(data)
    return drf_exception_handler(exc, context)
