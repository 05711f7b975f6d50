"""Regenerate gen/ from proto/ (`gen`), or fail when gen/ is stale (`check`).

gen/python/       Python messages, .pyi type stubs and gRPC stubs for drop.v1
gen/drop.binpb    descriptor set with imports, read by Envoy's gRPC-JSON transcoder
gen/openapi.json  the REST contract as OpenAPI 3.1, built from that descriptor set
clients/typescript/src/gen/  TypeScript (protoc-gen-es) for the Connect client
clients/python/src/drop/     the same Python stubs, packaged by the Python client (drop-client)

google/api and google/rpc are vendored under proto/ for buf and the descriptor set; their Python
modules come from the googleapis-common-protos wheel, so they are not generated here.
"""

from __future__ import annotations

import filecmp
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import grpc_tools
from grpc_tools import protoc

ROOT = Path(__file__).resolve().parents[1]
PROTO = ROOT / "proto"
GEN = ROOT / "gen"
WELL_KNOWN = Path(grpc_tools.__file__).parent / "_proto"
BUF = Path(sys.executable).parent / "buf"
TYPESCRIPT_TEMPLATE = ROOT / "clients" / "typescript" / "buf.gen.yaml"
TYPESCRIPT_OUT = Path("clients") / "typescript" / "src" / "gen"
# What is generated (relative to the fresh output) -> where it lives in the repository.
GENERATED = {
    "python": GEN / "python",
    "drop.binpb": GEN / "drop.binpb",
    "openapi.json": GEN / "openapi.json",
    "typescript": ROOT / TYPESCRIPT_OUT,
    "python-client": ROOT / "clients" / "python" / "src" / "drop",
}


def drop_protos() -> list[str]:
    return sorted(str(p.relative_to(PROTO)) for p in (PROTO / "drop").rglob("*.proto"))


def run_protoc(args: list[str]) -> None:
    code = protoc.main(["protoc", f"-I{PROTO}", f"-I{WELL_KNOWN}", *args])
    if code != 0:
        raise SystemExit(f"protoc failed ({code}): {' '.join(args)}")


def generate(out: Path) -> None:
    python_out = out / "python"
    python_out.mkdir(parents=True)
    protos = drop_protos()
    run_protoc(
        [
            f"--python_out={python_out}",
            f"--pyi_out={python_out}",
            f"--grpc_python_out={python_out}",
            *protos,
        ]
    )
    for package in {p.parent for p in python_out.rglob("*_pb2.py")}:
        while package != python_out:
            (package / "__init__.py").touch()
            package = package.parent
    # The Python client's wheel ships the same stubs (google.* comes from its dependencies).
    shutil.copytree(python_out / "drop", out / "python-client")
    # Source info keeps the proto comments, which the API docs are generated from.
    run_protoc(
        [
            f"--descriptor_set_out={out / 'drop.binpb'}",
            "--include_imports",
            "--include_source_info",
            *protos,
            "google/rpc/status.proto",
            "google/rpc/error_details.proto",
        ]
    )
    write_openapi(out)
    write_typescript(out)


def write_typescript(out: Path) -> None:
    buf_out = out / "buf"
    subprocess.run(
        [str(BUF), "generate", "--template", str(TYPESCRIPT_TEMPLATE), "-o", str(buf_out)],
        cwd=ROOT,
        check=True,
    )
    shutil.move(buf_out / TYPESCRIPT_OUT, out / "typescript")
    shutil.rmtree(buf_out)


def write_openapi(out: Path) -> None:
    # Read the route options with the modules just generated, not an older installed copy.
    sys.path.insert(0, str(out / "python"))
    from google.protobuf import descriptor_pb2

    from drop_server.openapi import build_openapi

    files = descriptor_pb2.FileDescriptorSet.FromString((out / "drop.binpb").read_bytes())
    document = json.dumps(build_openapi(files), indent=2, ensure_ascii=False)
    (out / "openapi.json").write_text(document + "\n")


def differences(left: Path, right: Path) -> list[str]:
    found: list[str] = []

    def walk(cmp: filecmp.dircmp[str], prefix: str) -> None:
        found.extend(f"only in {cmp.left}: {prefix}{n}" for n in cmp.left_only)
        found.extend(f"only in {cmp.right}: {prefix}{n}" for n in cmp.right_only)
        _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
        found.extend(f"differs: {prefix}{n}" for n in mismatch + errors)
        for name, sub in cmp.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(left, right, ignore=["__pycache__"]), "")
    return found


def main(command: str) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "gen"
        generate(fresh)
        if command == "gen":
            for name, target in GENERATED.items():
                if target.is_dir():
                    shutil.rmtree(target)
                elif target.exists():
                    target.unlink()
                if (fresh / name).is_dir():
                    shutil.copytree(fresh / name, target)
                else:
                    shutil.copy2(fresh / name, target)
            print(f"generated gen/ and {TYPESCRIPT_OUT}/ from {len(drop_protos())} protos")
            return 0
        current = Path(tmp) / "current"
        current.mkdir()
        for name, target in GENERATED.items():
            if target.is_dir():
                shutil.copytree(
                    target, current / name, ignore=shutil.ignore_patterns("__pycache__")
                )
            elif target.exists():
                shutil.copy2(target, current / name)
        stale = differences(fresh, current)
        if stale:
            print("generated code is stale; run `make gen` and commit the result:", file=sys.stderr)
            for line in stale:
                print(f"  {line}", file=sys.stderr)
            return 1
        print("generated code is fresh")
        return 0


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in ("gen", "check"):
        raise SystemExit("usage: gen.py gen|check")
    sys.exit(main(sys.argv[1]))
