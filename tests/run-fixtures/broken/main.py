# SPDX-License-Identifier: GPL-3.0-or-later
"""
name: Broken fixture
description: Imports fine for metadata only when BROKEN_IMPORT is unset
"""
import os

from lhub_integ import action

if os.environ.get("BROKEN_IMPORT"):
    import a_module_that_does_not_exist  # noqa: F401


@action("Noop")
def noop(value):
    """
    :param value: anything
    """
    return {"value": value}
