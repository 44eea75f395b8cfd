from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class BilingualMixin:
    """Picks the German or English variant of a field for the active language."""

    def localised(self, field: str) -> str:
        language = (get_language() or "de")[:2]
        preferred = getattr(self, f"{field}_{language}", "")
        return preferred or getattr(self, f"{field}_de", "") or getattr(self, f"{field}_en", "")


class Fund(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    reference_prefix = models.CharField(
        _("reference prefix"), max_length=8, unique=True, help_text=_("For example CTF.")
    )

    class Meta:
        verbose_name = _("fund")
        verbose_name_plural = _("funds")

    def __str__(self):
        return self.name


class Topic(BilingualMixin, models.Model):
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="topics")
    slug = models.SlugField(_("slug"))
    name_de = models.CharField(_("name (German)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["slug"]
        constraints = [models.UniqueConstraint(fields=["fund", "slug"], name="topic_unique_slug")]

    def __str__(self):
        return self.localised("name")

    @property
    def name(self):
        return self.localised("name")
