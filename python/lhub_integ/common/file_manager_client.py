# SPDX-License-Identifier: GPL-3.0-or-later
"""Files shared with the platform: a "lhub file id" is a file name in ``INTEGRATIONS_FILES_PATH``.

The folder (default ``/tmp``) is created when this module is imported.  Integrations
usually return a new file's name under the key ``lhub_file_id``.
"""
import base64
import gzip
import os
import uuid

INTEGRATIONS_FILES_PATH_ENV = "INTEGRATIONS_FILES_PATH"
DEFAULT_DIRECTORY = "/tmp"
GZIP_MIME_TYPES = ("application/gzip", "application/x-gzip")


def create_directory(path):
    os.makedirs(path)


def ensure_directory_exists(path):
    if not os.path.isdir(path):
        os.makedirs(path, exist_ok=True)


def get_base_integration_directory():
    return os.environ.get(INTEGRATIONS_FILES_PATH_ENV) or DEFAULT_DIRECTORY


BASE_INTEGRATION_DIRECTORY = get_base_integration_directory()
ensure_directory_exists(BASE_INTEGRATION_DIRECTORY)


def get_file_path(name):
    return os.path.join(BASE_INTEGRATION_DIRECTORY, name)


def get_mime_type(name):
    """The MIME type of the file ``name`` (libmagic)."""
    import magic
    return magic.from_file(get_file_path(name), mime=True)


class File:
    """An open file of the integration files folder."""

    def __init__(self, name, fd):
        self.name = name
        self.fd = fd

    def path(self):
        return get_file_path(self.name)

    def size(self):
        return os.path.getsize(self.path())

    def base64_content(self):
        with open(self.path(), "rb") as f:
            return base64.b64encode(f.read()).decode("ascii")

    def mime_type(self):
        return get_mime_type(self.name)

    def encoding(self):
        """chardet's guess for the content: ``{"encoding", "confidence", "language"}``."""
        import chardet
        with open(self.path(), "rb") as f:
            return chardet.detect(f.read())

    def close(self):
        self.fd.close()

    def remove(self):
        if not self.fd.closed:
            self.fd.close()
        os.remove(self.path())

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


def openNewFileForWriting(extension=None, mode="w"):
    """Create a new file named by a random 32-hex id (plus ``.extension``)."""
    name = uuid.uuid4().hex
    if extension:
        name += "." + extension
    ensure_directory_exists(BASE_INTEGRATION_DIRECTORY)
    return File(name, open(get_file_path(name), mode))


def openFileForReading(name, mode="r", auto_unzip=False):
    """Open the file ``name``; with auto_unzip a gzip file is decompressed transparently."""
    path = get_file_path(name)
    if auto_unzip and get_mime_type(name) in GZIP_MIME_TYPES:
        gzip_mode = mode if "b" in mode or "t" in mode else mode + "t"
        return File(name, gzip.open(path, gzip_mode))
    return File(name, open(path, mode))
