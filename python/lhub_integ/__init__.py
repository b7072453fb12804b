# SPDX-License-Identifier: GPL-3.0-or-later
"""SDK-compatible runtime for LogicHub / Devo custom integrations (lhub_integ 1.0.14 behaviour).

Written for Integration Workbench.  Importing the package has the SDK's side effects:
FileIO output capture when ``__lh_integration_output_data_json_file_path`` is set,
``__lh_ssl_verify=False`` handling, the ``socks_proxy`` socket override and
``common.helpers.batch_info``; and it loads the modules the SDK loads (its helper
modules, jinja2, netaddr, yaml, dateutil with dateutil.tz, urllib3, socks: see
docs/sdk-compat.md), which integrations may rely on without knowing it.
"""
from lhub_integ import _fileio

_fileio.install_from_environment()

from lhub_integ.common import verify_ssl as _verify_ssl  # noqa: E402  (import-time effect)
from lhub_integ.common import override_default_socket_with_proxy as _socket_proxy  # noqa: E402,F401
from lhub_integ.common import helpers as _helpers  # noqa: E402,F401  (computes batch_info)
from lhub_integ.decorators import action, connection_validator  # noqa: E402
from lhub_integ import util as _util  # noqa: E402,F401  (loaded by the SDK's import too)

__version__ = "1.0.14"
__all__ = ["action", "connection_validator"]
