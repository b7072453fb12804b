# SPDX-License-Identifier: GPL-3.0-or-later
"""``__lh_ssl_verify``: whether integrations should verify TLS certificates.

When the stripped value is exactly ``False``, importing this module (done by
``import lhub_integ``) silences urllib3's insecure-request warnings and sets
``CURL_CA_BUNDLE`` to the empty string.
"""
import os

try:  # loaded at import, as the SDK does (see lhub_integ/_optional.py)
    import urllib3
except ModuleNotFoundError:
    urllib3 = None

SSL_VERIFY_ENV = "__lh_ssl_verify"


def verify_ssl_enabled(default="True"):
    """False only when ``__lh_ssl_verify`` is ``False`` (after stripping)."""
    return os.environ.get(SSL_VERIFY_ENV, default).strip() != "False"


def _apply():
    if verify_ssl_enabled():
        return
    if urllib3 is not None:
        urllib3.disable_warnings()
    os.environ["CURL_CA_BUNDLE"] = ""


_apply()
