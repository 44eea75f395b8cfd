"""A check every model's visibility test uses: the object rule and the list selector built
from the same audiences (core/visibility.py) must admit exactly the same objects."""

import rules


def seen_by_rule_and_by_selector(visibility, user, objects, *, only=None, permission=None):
    """The primary keys of ``objects`` that ``user`` may see, once asked object by object
    (the ``permission`` rule, or ``visibility.sees``) and once from the selector."""
    if permission is not None:
        by_rule = {obj.pk for obj in objects if rules.has_perm(permission, user, obj)}
    else:
        by_rule = {obj.pk for obj in objects if visibility.sees(user, obj, only)}
    by_selector = set(
        visibility.visible_to(user, only)
        .filter(pk__in=[obj.pk for obj in objects])
        .values_list("pk", flat=True)
    )
    return by_rule, by_selector
