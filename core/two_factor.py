"""Optional second factor at log-in: a time-based one-time code (TOTP, RFC 6238) from an authenticator app, with
django-otp (issue 12: recommended for organization admins and executives; any user may turn it on).

A user without a confirmed device logs in with the password alone; a user with one must also give the current
six-digit code. django-otp throttles wrong codes (each failure doubles the wait)."""
import io

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django_otp.forms import OTPAuthenticationFormMixin
from django_otp.plugins.otp_totp.models import TOTPDevice

ISSUER = "ITA portal"


def confirmed_device(user) -> TOTPDevice | None:
    """The user's confirmed TOTP device, or None (second factor off)."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


class LoginForm(OTPAuthenticationFormMixin, AuthenticationForm):
    """Django's log-in form plus ``otp_token``: required only for users who turned the second factor on."""

    otp_token = forms.CharField(label=_("Code from the authenticator app (if turned on)"), required=False,
                                max_length=8, widget=forms.TextInput(attrs={
                                    "autocomplete": "one-time-code", "inputmode": "numeric"}))
    otp_error_messages = dict(
        OTPAuthenticationFormMixin.otp_error_messages,
        token_required=_("Enter the six-digit code from your authenticator app."),
        invalid_token=_("The code is wrong or has expired. Enter the code the app shows now."),
        n_failed_attempts=_("Too many wrong codes: wait a little, then enter the code the app shows now."),
        verification_not_allowed=_("Too many wrong codes: wait a little, then enter the code the app shows now."),
    )

    def clean(self):
        cleaned = super().clean()
        user = self.get_user()
        if user is not None and confirmed_device(user) is not None:
            self.clean_otp(user)
        return cleaned

    @property
    def second_factor_error(self) -> str:
        """The message of a missing or wrong code ("" when the password was the problem, or nothing was)."""
        for error in self.non_field_errors().as_data():
            if error.code in ("token_required", "invalid_token", "n_failed_attempts", "verification_not_allowed"):
                return " ".join(error.messages)
        return ""

    def _chosen_device(self, user):
        return confirmed_device(user)

    def _update_form(self, user):  # the mixin's device chooser is not used: one device per user
        pass


class TokenForm(forms.Form):
    """A six-digit code, to confirm a new device or to turn the second factor off."""

    token = forms.CharField(label=_("Six-digit code"), max_length=8, widget=forms.TextInput(attrs={
        "autocomplete": "one-time-code", "inputmode": "numeric"}))

    def __init__(self, *args, device: TOTPDevice, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_token(self) -> str:
        token = "".join(self.cleaned_data["token"].split())
        if not token.isdigit() or not self.device.verify_token(token):
            raise forms.ValidationError(_("The code is wrong or has expired. Enter the code the app shows now."))
        return token


def pending_device(user) -> TOTPDevice:
    """The user's unconfirmed device (created the first time): its key is what the QR code carries."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=ISSUER, confirmed=False)


def qr_svg(device: TOTPDevice) -> SafeString:
    """The device's ``otpauth://`` URL as an SVG QR code (drawn on the server; nothing leaves the portal)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return mark_safe(svg[svg.index("<svg"):])  # noqa: S308  (our own drawing, no user text in it)
