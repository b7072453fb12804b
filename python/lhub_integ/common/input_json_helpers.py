# SPDX-License-Identifier: GPL-3.0-or-later
"""Input rows of an action run: PipeIO (stdin) or FileIO (first ``part*`` file of a folder)."""
import json
import os
import sys

INPUT_FOLDER_ENV = "__lh_integration_input_data_json_folder_path"


def input_folder():
    """The FileIO input folder (stripped), or None for PipeIO."""
    return os.environ.get(INPUT_FOLDER_ENV, "").strip() or None


def pipe_rows(stream=None):
    """Rows from ``{"row": {...}}`` JSON lines; a bad line raises when it is reached."""
    for line in (stream if stream is not None else sys.stdin):
        yield json.loads(line)["row"]


def file_rows(folder):
    """Rows (plain JSON objects, one per line) from the first entry named ``part*``."""
    try:
        entries = os.listdir(folder)
    except OSError:
        return
    for entry in entries:
        if entry.startswith("part"):
            with open(os.path.join(folder, entry), encoding="utf-8") as f:
                for line in f:
                    yield json.loads(line)
            return


def read_rows():
    folder = input_folder()
    return file_rows(folder) if folder is not None else pipe_rows()
