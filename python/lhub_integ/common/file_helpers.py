# SPDX-License-Identifier: GPL-3.0-or-later
"""Hashes and details of files in the integration files folder (see file_manager_client)."""
import hashlib
import os

from lhub_integ.common import file_manager_client

_CHUNK = 1 << 20


def get_hash_custom(name, algorithm):
    """Hex digest of the file ``name`` with a hashlib ``algorithm`` name (e.g. "sha512")."""
    digest = hashlib.new(algorithm)
    with open(file_manager_client.get_file_path(name), "rb") as f:
        for chunk in iter(lambda: f.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def get_hash_md5(name):
    return get_hash_custom(name, "md5")


def get_hash_sha1(name):
    return get_hash_custom(name, "sha1")


def get_hash_sha256(name):
    return get_hash_custom(name, "sha256")


def get_file_size(name):
    return os.path.getsize(file_manager_client.get_file_path(name))


def get_mime_type(name):
    return file_manager_client.get_mime_type(name)


def get_file_encoding(name):
    """chardet's guess: ``{"encoding", "confidence", "language"}``."""
    import chardet
    with open(file_manager_client.get_file_path(name), "rb") as f:
        return chardet.detect(f.read())


def get_file_details(name):
    return {
        "hash_md5": get_hash_md5(name),
        "hash_sha1": get_hash_sha1(name),
        "hash_sha256": get_hash_sha256(name),
        "size": get_file_size(name),
        "content_type": get_mime_type(name),
        "encoding_info": get_file_encoding(name),
    }


def compute_file_hash(name, algorithm="md5"):
    """Legacy: reads the file in text mode, so hashing raises TypeError (as with the SDK)."""
    digest = hashlib.new(algorithm)
    with open(file_manager_client.get_file_path(name), "r") as f:
        for chunk in iter(lambda: f.read(_CHUNK), ""):
            digest.update(chunk)
    return digest.hexdigest()
