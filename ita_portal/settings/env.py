"""Reading settings from environment variables, failing loudly on malformed values."""
import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    """Return the variable ``name``; raise ImproperlyConfigured when unset and no default is given."""
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"Set the environment variable {name}.")
    return value


def env_bool(name: str, default: bool = False) -> bool:
    """Return ``name`` read as a boolean (1/0, true/false, yes/no, on/off); raise on anything else."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    if raw.strip().lower() in _TRUE:
        return True
    if raw.strip().lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no).")


def env_list(name: str, default: str = "") -> list[str]:
    """Return ``name`` split on commas, blanks dropped."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    """Return ``name`` read as a whole number; raise on anything else."""
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None


def env_fernet_keys(name: str, default: str = "") -> list[str]:
    """Return ``name`` split on commas (blanks dropped), each checked to be a Fernet key (32 bytes, URL-safe
    base64: ``Fernet.generate_key()``); raise ImproperlyConfigured naming the first that is not."""
    from cryptography.fernet import Fernet

    keys = [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]
    for number, key in enumerate(keys, start=1):
        try:
            Fernet(key.encode("ascii"))
        except (ValueError, UnicodeEncodeError):
            raise ImproperlyConfigured(
                f"{name}: item {number} is not a Fernet key (44 characters of URL-safe base64; make one with "
                "`python -c \"from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())\"`)."
            ) from None
    return keys
