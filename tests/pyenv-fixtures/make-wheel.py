# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes a tiny pure-Python wheel, for the environment tests (no network,
no build backend): python3 make-wheel.py OUTDIR NAME VERSION [MODULE_SOURCE]

A wheel is a zip of the package's files plus NAME-VERSION.dist-info/ with
METADATA, WHEEL and RECORD (each file's sha256, urlsafe base64 without
padding, and size; RECORD's own line has neither)."""
import base64
import hashlib
import os
import sys
import zipfile


def record_line(path, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return "%s,sha256=%s,%d" % (path, digest, len(data))


def make_wheel(outdir, name, version, source):
    dist = name.replace("-", "_")
    info = "%s-%s.dist-info" % (dist, version)
    files = {
        "%s/__init__.py" % dist: source.encode(),
        info + "/METADATA": ("Metadata-Version: 2.1\nName: %s\nVersion: %s\n"
                             "Summary: test package of the workbench\n" % (name, version)).encode(),
        info + "/WHEEL": (b"Wheel-Version: 1.0\nGenerator: iwb-tests\n"
                          b"Root-Is-Purelib: true\nTag: py3-none-any\n"),
        info + "/top_level.txt": (dist + "\n").encode(),
    }
    record = [record_line(path, data) for path, data in files.items()]
    record.append(info + "/RECORD,,")
    files[info + "/RECORD"] = ("\n".join(record) + "\n").encode()
    path = os.path.join(outdir, "%s-%s-py3-none-any.whl" % (dist, version))
    os.makedirs(outdir, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name_in_zip, data in files.items():
            zf.writestr(name_in_zip, data)
    return path


if __name__ == "__main__":
    if len(sys.argv) < 4:
        sys.exit("usage: make-wheel.py OUTDIR NAME VERSION [MODULE_SOURCE]")
    src = sys.argv[4] if len(sys.argv) > 4 else "VERSION = %r\n" % sys.argv[3]
    print(make_wheel(sys.argv[1], sys.argv[2], sys.argv[3], src))
