# SPDX-License-Identifier: GPL-3.0-or-later
"""The Flatpak manifest: it parses, its runtime has the GTK 4.8 and
libadwaita 1.2 the code targets (GNOME 43 or newer), every source of every
module is pinned (git by commit, archives and files by sha256; only the app
itself comes from the local tree), the Python modules the bundled runtime
imports are there, the capture host's C accelerator is built and kept, and
the sandbox holds only the permissions the app uses.

Usage: test-flatpak.py SOURCE_ROOT (meson runs it)."""
import fnmatch
import json
import os
import re
import sys
import unittest

SOURCE = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
MANIFEST = os.path.join(SOURCE, "flatpak", "io.github.lhub.IntegrationWorkbench.json")
BASE_ID = "io.github.lhub.IntegrationWorkbench"

# Every permission the app may hold, and why it needs it.
ALLOWED_FINISH_ARGS = {
    "--share=network": "integrations call their services; pip fetches requirements",
    "--share=ipc": "X11 shared memory for the fallback X11 socket",
    "--socket=wayland": "the window",
    "--socket=fallback-x11": "the window where there is no Wayland",
    "--device=dri": "GTK 4 renders with OpenGL",
    "--filesystem=home": "integration folders anywhere in the home folder, opened by path "
                         "(command line, recent folders) and watched for hot reload",
    "--talk-name=org.freedesktop.secrets": "connection profiles keep secrets in the keyring",
}
NEVER = re.compile(r"--filesystem=(host|/)|--socket=(session-bus|system-bus)|--device=all|"
                   r"--talk-name=org\.freedesktop\.Flatpak|--own-name|--allow=devel")

# Modules the bundled runtime (python/lhub_integ) imports, by import name ->
# the manifest's module name.
REQUIRED_PYTHON = {
    "requests": "python3-requests",
    "urllib3": "python3-urllib3",
    "jinja2": "python3-jinja2",
    "markupsafe": "python3-markupsafe",
    "yaml": "python3-pyyaml",
    "netaddr": "python3-netaddr",
    "dateutil": "python3-dateutil",
}

SHA256 = re.compile(r"^[0-9a-f]{64}$")
COMMIT = re.compile(r"^[0-9a-f]{40}$")


def all_modules(modules, base_dir, found):
    for module in modules:
        if isinstance(module, str):
            path = os.path.join(base_dir, module)
            with open(path, encoding="utf-8") as f:
                module = json.load(f)
            module["_file"] = path
        found.append(module)
        all_modules(module.get("modules", []), base_dir, found)
    return found


class FlatpakManifest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with open(MANIFEST, encoding="utf-8") as f:
            cls.manifest = json.load(f)
        cls.modules = all_modules(cls.manifest.get("modules", []),
                                  os.path.dirname(MANIFEST), [])

    def test_identity(self):
        self.assertEqual(self.manifest["id"], BASE_ID)
        self.assertEqual(self.manifest["command"], "integration-workbench")
        with open(os.path.join(SOURCE, "src", "meson.build"), encoding="utf-8") as f:
            self.assertIn("executable('integration-workbench'", f.read())

    def test_runtime(self):
        self.assertEqual(self.manifest["runtime"], "org.gnome.Platform")
        self.assertEqual(self.manifest["sdk"], "org.gnome.Sdk")
        version = str(self.manifest["runtime-version"])
        self.assertRegex(version, r"^\d+$", "a released GNOME runtime, not a branch")
        # GNOME 43 ships GTK 4.8 and libadwaita 1.2, what the code targets.
        self.assertGreaterEqual(int(version), 43)

    def test_every_source_pinned(self):
        unpinned = []
        for module in self.modules:
            name = module.get("name", "?")
            sources = module.get("sources", [])
            self.assertTrue(sources or module.get("buildsystem") is None,
                            "module %s has no sources" % name)
            for source in sources:
                if isinstance(source, str):
                    unpinned.append("%s: source file %s (inline it to check it)" % (name, source))
                    continue
                kind = source.get("type")
                if kind == "git":
                    if not COMMIT.match(source.get("commit", "")):
                        unpinned.append("%s: git %s without a commit" % (name, source.get("url")))
                    if "branch" in source:
                        unpinned.append("%s: git source follows a branch" % name)
                elif kind in ("archive", "file"):
                    if "path" in source:
                        continue  # a file of this tree
                    if not SHA256.match(source.get("sha256", "")):
                        unpinned.append("%s: %s without sha256" % (name, source.get("url")))
                    if not source.get("url", "").startswith("https://"):
                        unpinned.append("%s: %s is not https" % (name, source.get("url")))
                elif kind == "dir":
                    if name != "integration-workbench" or source.get("path") != "..":
                        unpinned.append("%s: local folder %s" % (name, source.get("path")))
                elif kind in ("patch", "script", "shell"):
                    if "url" in source:
                        unpinned.append("%s: remote %s" % (name, kind))
                else:
                    unpinned.append("%s: source type %s is not checked" % (name, kind))
        self.assertEqual(unpinned, [])

    def test_app_module_last(self):
        self.assertEqual(self.manifest["modules"][-1]["name"], "integration-workbench")
        self.assertEqual(self.manifest["modules"][-1]["buildsystem"], "meson")

    def test_python_modules_of_the_runtime(self):
        names = {m.get("name") for m in self.modules}
        missing = [imp for imp, mod in REQUIRED_PYTHON.items() if mod not in names]
        self.assertEqual(missing, [], "the bundled runtime imports these")
        # ... and the runtime really imports them (the list is not stale).
        imports = set()
        runtime = os.path.join(SOURCE, "python", "lhub_integ")
        for dirpath, _dirs, files in os.walk(runtime):
            for f in files:
                if f.endswith(".py"):
                    with open(os.path.join(dirpath, f), encoding="utf-8") as fh:
                        text = fh.read()
                    imports.update(re.findall(r"^\s*(?:import|from)\s+(\w+)", text, re.M))
                    # import_module("x"), optional_import("x"), __import__("x")
                    imports.update(re.findall(r"import\w*\(\s*[\"'](\w+)", text))
        for imp in ("jinja2", "yaml", "netaddr", "dateutil"):
            self.assertIn(imp, imports)

    def test_capture_accelerator_kept(self):
        """The app module builds iwb_host._speedups (option capture_speedups, auto: the SDK
        has Python's headers) and no cleanup pattern removes it from the installed package."""
        app = self.manifest["modules"][-1]
        self.assertEqual([o for o in app.get("config-opts", []) if "capture_speedups" in o and
                          o != "-Dcapture_speedups=enabled"], [])
        installed = "/share/integration-workbench/python/iwb_host/_speedups.cpython-3XX.so"
        for module in [self.manifest] + self.modules:
            for pattern in module.get("cleanup", []):
                if pattern.startswith("/"):
                    removed = installed.startswith(pattern.rstrip("/") + "/")
                else:
                    removed = fnmatch.fnmatch(os.path.basename(installed), pattern)
                self.assertFalse(removed, "cleanup %r removes %s" % (pattern, installed))

    def test_permissions(self):
        args = self.manifest.get("finish-args", [])
        self.assertEqual(len(args), len(set(args)), "a permission is listed twice")
        for arg in args:
            self.assertIsNone(NEVER.search(arg), arg + " gives more than the app uses")
            self.assertIn(arg, ALLOWED_FINISH_ARGS, arg + " is not used by the app")
        for needed in ("--share=network", "--socket=wayland", "--socket=fallback-x11"):
            self.assertIn(needed, args)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
