"""Signals of the grants app, for apps above it: whether a grantee's name may be published
changed (consent withdrawn, data erased), so that public pages made from it are made anew."""

from django.dispatch import Signal

publication_changed = Signal()
