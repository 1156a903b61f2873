// Run a Python file inside Pyodide under Node, with wheels installed by micropip from a folder.
//
//   node run.mjs PYODIDE_DIR WHEELS_DIR WORK_DIR SCRIPT
//
// WHEELS_DIR is mounted at /wheels and WORK_DIR at /work; micropip (and packaging) are unpacked
// from their wheels, since the npm package holds Pyodide's core only and there is no network.
// Every other wheel in /wheels is installed by micropip.install (emfs: URLs, no dependency
// lookups: the test checks itself that every requirement is there). SCRIPT (a path under
// WORK_DIR) runs with /work as the current directory; its last line printed is the result.
import { pathToFileURL } from "node:url";
import { join } from "node:path";

const [pyodideDir, wheelsDir, workDir, script] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(join(pyodideDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: pyodideDir + "/" });
for (const [dir, mount] of [[wheelsDir, "/wheels"], [workDir, "/work"]]) {
  pyodide.FS.mkdirTree(mount);
  pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: dir }, mount);
}
await pyodide.runPythonAsync(`
import glob, site, zipfile
for wheel in glob.glob("/wheels/micropip-*.whl") + glob.glob("/wheels/packaging-*.whl"):
    zipfile.ZipFile(wheel).extractall(site.getsitepackages()[0])
import micropip
rest = [w for w in sorted(glob.glob("/wheels/*.whl")) if not w.split("/")[-1].startswith(("micropip-", "packaging-"))]
await micropip.install(["emfs:" + w for w in rest], deps=False)
`);
pyodide.FS.chdir("/work");
await pyodide.runPythonAsync(`
import runpy, sys
sys.argv = [${JSON.stringify(script)}]
runpy.run_path(${JSON.stringify(script)}, run_name="__main__")
`);
