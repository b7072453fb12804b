# SPDX-License-Identifier: GPL-3.0-or-later
"""``bundle-requirements``: build wheels of requirements.txt into ``bundle.tar.bz2``.

Run in the integration folder: ``pip wheel -r requirements.txt`` into a temporary
folder, copy ``requirements.txt`` there, and pack that folder's contents into
``bundle.tar.bz2`` next to requirements.txt.
"""
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile

REQUIREMENTS = "requirements.txt"
BUNDLE = "bundle.tar.bz2"


def bundle(folder="."):
    requirements = os.path.join(folder, REQUIREMENTS)
    if not os.path.isfile(requirements):
        print("Run in a directory with requirements.txt")
        return 1
    with tempfile.TemporaryDirectory(prefix="lhub-bundle-") as work:
        command = [sys.executable, "-m", "pip", "wheel", "-r", requirements, "-w", work]
        status = subprocess.call(command)
        if status != 0:
            print("pip wheel failed (exit %d): %s" % (status, " ".join(command)), file=sys.stderr)
            return status
        shutil.copy(requirements, os.path.join(work, REQUIREMENTS))
        with tarfile.open(os.path.join(folder, BUNDLE), "w:bz2") as tar:
            for name in sorted(os.listdir(work)):
                print(name)
                tar.add(os.path.join(work, name), arcname=name)
    return 0


def main():
    sys.exit(bundle())


if __name__ == "__main__":
    main()
