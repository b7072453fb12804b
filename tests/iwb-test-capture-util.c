/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The HTTP capture tests' fixture (test-capture-util.h). */
#include "config.h"

#include <glib/gstdio.h>

#include "test-capture-util.h"
#include "test-iwb-util.h"

const char capture_integration_py[] =
  "\"\"\"\nname: HTTP clients\ndescription: calls the demo service with every client\n\"\"\"\n"
  "import http.client, json, os, ssl, threading, urllib.parse, urllib.request\n"
  "import requests, urllib3\n"
  "from lhub_integ import action, connection_validator\n"
  "from lhub_integ.params import ConnectionParam, InputType, ValidationError\n"
  "BASE = ConnectionParam('BASE', description='base URL')\n"
  "API_KEY = ConnectionParam('API_KEY', description='secret', input_type=InputType.PASSWORD)\n"
  "CAFILE = ConnectionParam('CAFILE', description='CA bundle', optional=True)\n"
  "def _ctx():\n"
  "    return ssl.create_default_context(cafile=CAFILE.read()) if CAFILE.read() else None\n"
  "def _verify():\n"
  "    return CAFILE.read() or True\n"
  "@connection_validator\n"
  "def validate():\n"
  "    r = requests.get(BASE.read() + '/tracker/api/projects', auth=('demo', API_KEY.read()),\n"
  "                     verify=_verify(), timeout=10)\n"
  "    if r.status_code != 401:\n"
  "        return [ValidationError(message='expected 401, got %d' % r.status_code, param=API_KEY)]\n"
  "    return []\n"
  "def _one(client, base, secret):\n"
  "    u = urllib.parse.urlsplit(base)\n"
  "    if client == 'requests':\n"
  "        r = requests.post(base + '/tracker/api/tickets', params={'note': secret},\n"
  "                          headers={'X-Note': secret}, auth=('demo', secret), verify=_verify(),\n"
  "                          json={'project': 'OPS', 'title': 'about ' + secret}, timeout=10)\n"
  "        return r.status_code\n"
  "    if client == 'urllib3':\n"
  "        pool = urllib3.PoolManager(ca_certs=CAFILE.read() or None)\n"
  "        return pool.request('GET', base + '/health?q=' + urllib.parse.quote(secret)).status\n"
  "    if client == 'urllib':\n"
  "        req = urllib.request.Request(base + '/health', headers={'X-Token': secret})\n"
  "        with urllib.request.urlopen(req, context=_ctx(), timeout=10) as f:\n"
  "            return f.status\n"
  "    if client == 'http.client':\n"
  "        cls = http.client.HTTPSConnection if u.scheme == 'https' else http.client.HTTPConnection\n"
  "        kw = {'context': _ctx()} if u.scheme == 'https' else {}\n"
  "        c = cls(u.hostname, u.port, timeout=10, **kw)\n"
  "        c.request('POST', '/health', body=('form=' + urllib.parse.quote_plus(secret)).encode(),\n"
  "                  headers={'Content-Type': 'application/x-www-form-urlencoded'})\n"
  "        return c.getresponse().status\n"
  "    if client == 'threads':\n"
  "        out = []\n"
  "        def go(i):\n"
  "            out.append(requests.get(base + '/health?t=%d' % i, verify=_verify(), timeout=10).status_code)\n"
  "        ts = [threading.Thread(target=go, args=(i,), name='worker-%d' % i) for i in range(4)]\n"
  "        [t.start() for t in ts]\n"
  "        [t.join() for t in ts]\n"
  "        return sorted(out)\n"
  "    if client == 'refused':\n"
  "        try:\n"
  "            requests.get('http://127.0.0.1:9/nothing', timeout=5)\n"
  "        except requests.ConnectionError as e:\n"
  "            return 'refused'\n"
  "    if client == 'unrecorded':\n"
  "        return requests.get(base + '/tracker/api/unrecorded', verify=_verify(), timeout=5).status_code\n"
  "    if client == 'garbage':\n"
  "        os.write(3, b'this is not an event\\n')\n"
  "        return 'written'\n"
  "    if client.startswith('flood'):\n"
  "        s = requests.Session()\n"
  "        return [s.get(base + '/health', verify=_verify()).status_code for _ in range(int(client[5:]))][-1]\n"
  "    raise ValueError(client)\n"
  "@action('Call')\n"
  "def call(client):\n"
  "    \"\"\"\n    :param client: which client\n    \"\"\"\n"
  "    return {'client': client, 'status': _one(client, BASE.read(), API_KEY.read())}\n";


void
capture_fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autofree char *main_py = NULL;

  f->dir = g_dir_make_tmp ("iwb-http-capture-XXXXXX", &error);
  g_assert_no_error (error);
  iwb_test_use_private_xdg (f->dir);
  f->folder = g_build_filename (f->dir, "http-clients", NULL);
  g_assert_cmpint (g_mkdir (f->folder, 0700), ==, 0);
  main_py = g_build_filename (f->folder, "main.py", NULL);
  g_file_set_contents (main_py, capture_integration_py, -1, &error);
  g_assert_no_error (error);
  f->secret_file = g_build_filename (f->dir, "secret.txt", NULL);
  g_file_set_contents (f->secret_file, SECRET "\n", -1, &error);
  g_assert_no_error (error);

  test_certificates_make (&f->certs);
  cert = test_certificate_load (f->certs.self_signed);
  f->service = iwb_demo_service_new ();
  iwb_demo_service_start (f->service, 0, &error);
  g_assert_no_error (error);
  iwb_demo_service_start_https (f->service, 0, cert, &error);
  g_assert_no_error (error);
}

void
capture_fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  iwb_demo_service_stop (f->service);
  g_clear_object (&f->service);
  test_certificates_clear (&f->certs);
  iwb_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->folder);
  g_free (f->secret_file);
}

char *
capture_path_in (Fixture    *f,
         const char *name)
{
  return g_build_filename (f->dir, name, NULL);
}

/* The events of `--format jsonl` output, parsed. */
GPtrArray *
capture_parse_lines (const char *out)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  GPtrArray *events = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      JsonNode *node;

      if (lines[i][0] == '\0')
        continue;
      node = iwb_json_parse_full (lines[i], -1, IWB_JSON_PARSE_DEFAULT, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
      g_ptr_array_add (events, node);
    }
  return events;
}

const char *
capture_event_name (JsonNode *node)
{
  return json_object_get_string_member (json_node_get_object (node), "event");
}

JsonObject *
capture_http_of (JsonNode *node)
{
  return json_object_get_object_member (json_node_get_object (node), "http");
}

/* Runs `iwb run FOLDER main.call --input ROWS --format jsonl ...`. */
void
capture_run_clients (Fixture            *f,
                     IwbCliResult       *r,
                     const char         *base,
                     const char         *clients,
                     const char * const *more)
{
  g_autofree char *set_base = g_strdup_printf ("BASE=%s", base);
  g_autofree char *set_secret = g_strdup_printf ("API_KEY=%s", f->secret_file);
  g_autofree char *set_ca = g_strdup_printf ("CAFILE=%s", g_str_has_prefix (base, "https:") ? f->certs.self_signed : "");
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GString) rows = g_string_new (NULL);
  g_auto(GStrv) names = g_strsplit (clients, ",", -1);

  for (guint i = 0; names[i] != NULL; i++)
    g_string_append_printf (rows, "{\"client\": \"%s\"}\n", names[i]);
  g_ptr_array_add (args, (gpointer) "run");
  g_ptr_array_add (args, f->folder);
  g_ptr_array_add (args, (gpointer) "main.call");
  g_ptr_array_add (args, (gpointer) "--input");
  g_ptr_array_add (args, (gpointer) "-");
  g_ptr_array_add (args, (gpointer) "--set");
  g_ptr_array_add (args, set_base);
  g_ptr_array_add (args, (gpointer) "--set-file");
  g_ptr_array_add (args, set_secret);
  if (g_str_has_prefix (base, "https:"))
    {
      g_ptr_array_add (args, (gpointer) "--set");
      g_ptr_array_add (args, set_ca);
    }
  for (guint i = 0; more != NULL && more[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) more[i]);
  g_ptr_array_add (args, NULL);
  iwb_cli_runv (r, NULL, rows->str, (const char * const *) args->pdata);
}

/* Exchanges by the client row that made them: the events come in order,
 * each result after the calls of its row. */
