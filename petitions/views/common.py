"""What the petitions views share: the petition a user may see, a service's errors onto a form."""

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404

from petitions.models import Petition
from petitions.selectors import petitions_for
from recall.http import AuthenticatedHttpRequest


def petition_or_404(request: AuthenticatedHttpRequest, slug: str) -> Petition:
    return get_object_or_404(petitions_for(request.user), slug=slug)


def form_errors(form: forms.Form, exc: ValidationError) -> None:
    """A service's ValidationError onto the form: each field's messages on that field, the rest
    (an error naming no field, or a field the form lacks) above the row."""
    if not hasattr(exc, "error_dict"):  # raised with a message, not a dict: message_dict fails
        form.add_error(None, exc.messages)
        return
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)
