"""The admin site with the fund's name, and one "Accounts" section: people, their e-mail
addresses, roles (Django groups) and second factors, which Django, allauth and allauth's
MFA would otherwise show in four sections."""

from django.contrib import admin
from django.urls import path, reverse
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from core.identity import fund_name

# The apps whose models belong to a person's account.
ACCOUNT_APPS = ("accounts", "account", "auth", "mfa")


def _site_header():
    return _("%(fund)s – administration") % {"fund": fund_name()}


class FundAdminSite(admin.AdminSite):
    site_header = lazy(_site_header, str)()
    site_title = lazy(_site_header, str)()
    index_title = _("Configuration")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages = []

    def add_page(self, *, app_label: str, route: str, name: str, label, view) -> None:
        """A read-only page of an app's section that is not a model's list (the privacy
        inventory); shown to everyone who may open the admin site."""
        self._pages.append((app_label, route, name, label, view))

    def get_urls(self):
        pages = [
            path(route, self.admin_view(view), name=name)
            for _app, route, name, _label, view in self._pages
        ]
        return pages + super().get_urls()

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        for app in apps:
            for page_app, _route, name, label, _view in self._pages:
                if app["app_label"] == page_app:
                    url = reverse(f"{self.name}:{name}")
                    app["models"].append(
                        {"name": label, "object_name": name, "admin_url": url, "view_only": True}
                    )
        if app_label is not None:
            return apps
        accounts = next((app for app in apps if app["app_label"] == "accounts"), None)
        if accounts is None:
            return apps
        for app in apps:
            if app["app_label"] in ACCOUNT_APPS and app is not accounts:
                accounts["models"].extend(app["models"])
        accounts["models"].sort(key=lambda model: str(model["name"]))
        return [app for app in apps if app is accounts or app["app_label"] not in ACCOUNT_APPS]
