# SPDX-License-Identifier: GPL-3.0-or-later
"""Helper modules that integrations import (``lhub_integ.common.*``)."""
