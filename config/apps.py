from django.contrib.admin.apps import AdminConfig


class FundAdminConfig(AdminConfig):
    """django.contrib.admin with the fund's admin site (config.admin.FundAdminSite)."""

    default_site = "config.admin.FundAdminSite"
