"""What the admins' error reports may show. Django's filter hides what views and services
mark with ``sensitive_post_parameters`` and ``sensitive_variables`` (every view and service
that handles bank details is marked); this one also hides any POST value or frame variable
that contains something shaped like an IBAN, because the libraries below our code
(schwifty, cryptography, sepaxml) hold the clear account number in variables no decorator
of ours can name. Hiding a harmless value now and then costs less than one leaked IBAN."""

import re

from django.views.debug import SafeExceptionReporterFilter

# Two letters, two check digits, 11 to 30 letters or digits, spaces allowed in between.
IBAN_SHAPED = re.compile(r"[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}", re.IGNORECASE)


def looks_like_it_holds_an_iban(value) -> bool:
    try:
        text = value.decode(errors="replace") if isinstance(value, bytes) else repr(value)
    except Exception:  # a repr that fails tells nothing; keep the value hidden
        return True
    return IBAN_SHAPED.search(text) is not None


class BankDetailsReporterFilter(SafeExceptionReporterFilter):
    def get_post_parameters(self, request):
        parameters = super().get_post_parameters(request)
        if request is None or not self.is_active(request):
            return parameters
        cleansed = parameters.copy()
        for key, values in parameters.lists():
            if any(looks_like_it_holds_an_iban(value) for value in values):
                cleansed.setlist(key, [self.cleansed_substitute])
        return cleansed

    def get_traceback_frame_variables(self, request, tb_frame):
        variables = super().get_traceback_frame_variables(request, tb_frame)
        if not self.is_active(request):
            return variables
        return [
            (
                name,
                self.cleansed_substitute
                if value is not self.cleansed_substitute and looks_like_it_holds_an_iban(value)
                else value,
            )
            for name, value in variables
        ]
