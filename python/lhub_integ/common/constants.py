# SPDX-License-Identifier: GPL-3.0-or-later
"""Names of the environment variables the platform sets for integrations."""

EXECUTION_START_TIME = "__execution_start_time_ms"
EXECUTION_END_TIME = "__execution_end_time_ms"
SSL_VERIFY = "__lh_ssl_verify"
SOCKS_PROXY = "socks_proxy"
INTEGRATIONS_FILES_PATH = "INTEGRATIONS_FILES_PATH"
DEFAULT_INTEGRATIONS_FILES_PATH = "/tmp"
INPUT_DATA_JSON_FOLDER_PATH = "__lh_integration_input_data_json_folder_path"
OUTPUT_DATA_JSON_FILE_PATH = "__lh_integration_output_data_json_file_path"
MULTITHREAD_COUNT = "__lh_multithread_count"
TIME_BETWEEN_ROWS = "time_between_consecutive_requests_milliseconds"
ACTION_TIMEOUT = "__lh_action_timeout_sec"
LHUB_ID = "lhub_id"
MAPPED_COLUMN_PREFIX = "___"
INTERNAL_PREFIX = "__"
SUPPORTED_IOS = ["FileIO", "PipeIO"]
