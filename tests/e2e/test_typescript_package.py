"""The TypeScript client as a user gets it: `npm pack` from the checkout (prepack builds
dist/), the tarball installed into a scratch project, every message and service type
importable (checked by tsc), and both entry points used against the running server."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

from tests.conftest import DropSystem

CLIENT = Path(__file__).resolve().parents[2] / "clients" / "typescript"
GENERATED = CLIENT / "src" / "gen" / "drop" / "v1"


def npm(*args: str, cwd: Path) -> str:
    executable = shutil.which("npm")
    assert executable is not None, "Node.js and npm are required"
    result = subprocess.run(
        [executable, *args, "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-5000:]
    return result.stdout


def exported_names() -> tuple[list[str], list[str]]:
    """Message/enum types and runtime values (schemas, services) of every generated module."""
    types, values = set(), set()
    for module in GENERATED.glob("*_pb.ts"):
        text = module.read_text()
        types.update(re.findall(r"^export (?:type|enum) (\w+)", text, re.M))
        values.update(re.findall(r"^export const (\w+)", text, re.M))
    return sorted(types), sorted(values)


def test_packed_tarball_installs_and_works(drop_system: DropSystem, tmp_path: Path) -> None:
    packed = json.loads(npm("pack", "--json", "--pack-destination", str(tmp_path), cwd=CLIENT))
    files = {entry["path"] for entry in packed[0]["files"]}
    assert {"LICENSE", "README.md", "package.json", "dist/src/index.js"} <= files
    assert {"dist/src/web.js", "dist/src/index.d.ts", "dist/src/web.d.ts"} <= files
    assert not any(
        path.startswith(("src/", "test/", "dist/test/", "node_modules/")) for path in files
    )

    project = tmp_path / "scratch"
    project.mkdir()
    (project / "package.json").write_text('{"name": "scratch", "private": true, "type": "module"}')
    npm("install", "--prefer-offline", str(tmp_path / packed[0]["filename"]), cwd=project)

    types, values = exported_names()
    assert len(types) > 100 and "RegisterRequest" in types and "CardService" in values
    (project / "check.ts").write_text(
        f"import type {{ {', '.join(types)} }} from '@drop/client';\n"
        f"import {{ {', '.join(values)} }} from '@drop/client';\n"
        "import { createDropWebClient, DropApiError } from '@drop/client/web';\n"
        f"export type All = [{', '.join(types)}];\n"
        f"export const all = [{', '.join(values)}, createDropWebClient, DropApiError];\n"
    )
    check = subprocess.run(
        [
            str(CLIENT / "node_modules" / ".bin" / "tsc"),
            "--noEmit",
            "--strict",
            "--module",
            "nodenext",
            "--moduleResolution",
            "nodenext",
            "--target",
            "es2022",
            "--lib",
            "es2022,dom",
            "--skipLibCheck",
            "check.ts",
        ],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert check.returncode == 0, check.stdout[-5000:]

    (project / "use.mjs").write_text(
        "import { createDropClient, ListRatesResponseSchema } from '@drop/client';\n"
        "import { createDropWebClient } from '@drop/client/web';\n"
        "const drop = createDropClient({ baseUrl: process.argv[2] });\n"
        "const rates = await drop.rates.listRates({});\n"
        "const web = createDropWebClient({ baseUrl: process.argv[2] });\n"
        "const viaWeb = await web.rates.getRate({ currency: 'rsd' });\n"
        "console.log(JSON.stringify({ base: rates.data.baseCurrency, schema: "
        "ListRatesResponseSchema.typeName, rsd: viaWeb.data.rate }));\n"
    )
    run = subprocess.run(
        ["node", "use.mjs", drop_system.http_url],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr[-5000:]
    used = json.loads(run.stdout)
    assert used["base"] == "NOK" and used["schema"] == "drop.v1.ListRatesResponse"
    assert used["rsd"] > 0
