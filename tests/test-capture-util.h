/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The fixture of the HTTP capture tests (test-http-capture.c: the CLI;
 * test-http-capture-run.c: IwbRun, IwbSession and profiles in process):
 * an integration calling the demo service with four HTTP clients, over
 * HTTP and HTTPS, with a secret parameter. Compiled once (iwb-test-capture-util.c).
 */
#pragma once

#include "iwb-core.h"
#include "test-http-util.h"
#include "test-iwb-util.h"

/* Characters that every encoding changes: space, &, /, +, ", é. */
#define SECRET "Zq9 s3cr&t/+\"\xc3\xa9!"

extern const char capture_integration_py[];

typedef struct
{
  char             *dir;       /* scratch: integration, cassettes, HAR, XDG */
  char             *folder;    /* the integration */
  char             *secret_file;
  IwbDemoService   *service;
  TestCertificates  certs;
} Fixture;

void        capture_fixture_setup    (Fixture       *f,
                                      gconstpointer  data);
void        capture_fixture_teardown (Fixture       *f,
                                      gconstpointer  data);
char       *capture_path_in          (Fixture       *f,
                                      const char    *name);
/* The events of `--format jsonl` output, parsed. */
GPtrArray  *capture_parse_lines      (const char    *out);
const char *capture_event_name       (JsonNode      *node);
JsonObject *capture_http_of          (JsonNode      *node);
/* Runs `iwb run FOLDER main.call --input ROWS --format jsonl ...`. */
void        capture_run_clients      (Fixture            *f,
                                      IwbCliResult       *r,
                                      const char         *base,
                                      const char         *clients,
                                      const char * const *more);
