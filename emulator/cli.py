"""The `assistants-emulator` command (also `python -m emulator`)."""

from __future__ import annotations

import argparse
import logging
import os
import sys

from scripted_models.script import ScriptError

from . import __version__
from .app import ADMIN_PREFIX, create_app
from .azure import V2_API_VERSIONS
from .config import EmulatorConfig
from .contract.command import add_contract_command, run_contract_command
from .contract.recorder import add_record_command, run_record_command
from .core import Emulator
from .sandbox import SandboxLimits
from .server import ConsoleFormatter, Server, run_in_foreground
from .tls import TLSError, TLSFiles, made_certificate, own_certificate

BANNER = """\
assistants-emulator {version} listening on {url}

  OpenAI base URL : {url}/v1
  Azure endpoint  : {url}      (api-version {azure_version})
  Foundry project : {url}/api/projects/<any-name>    (azure-ai-agents; api-version v1, any bearer token)
  Admin API       : {url}{admin}    (reset, state, clock, seed)
  Inspector       : {url}{admin}/inspector    (the emulator's state in a browser)
  OpenAPI         : {url}/openapi.json
  API keys        : {keys}
  Data            : {data}
  Scripted models : {models}{tls}

Point an OpenAI client at it:

    from openai import OpenAI
    client = OpenAI(base_url="{url}/v1", api_key="{key}")

Point an AzureOpenAI client at it:

    from openai import AzureOpenAI
    client = AzureOpenAI(azure_endpoint="{url}", api_key="{key}", api_version="{azure_version}")

Press Ctrl-C to stop.
"""


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None


def _port(text: str) -> int:
    value = _int(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{value} is not a TCP port (0-65535; 0 for a free one)")
    return value


def _positive(text: str) -> int:
    value = _int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not a positive number")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="assistants-emulator", description=__doc__)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the dev server")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=_port, default=8000, help="port (default 8000; 0 for a free one)")
    serve.add_argument("--seed", type=int, default=0, help="seed of the id generator (default 0)")
    serve.add_argument(
        "--api-key",
        action="append",
        default=[],
        dest="api_keys",
        metavar="KEY",
        help="accept only this key (repeat for several; each key sees only its own objects)",
    )
    serve.add_argument(
        "--clock",
        choices=["system", "virtual"],
        default="system",
        help="system: wall clock (default); virtual: frozen until advanced through the admin API",
    )
    serve.add_argument("--threads", type=_positive, default=16, help="worker threads (default 16)")
    serve.add_argument("--strict-models", action="store_true", help="refuse model names the catalogue lacks")
    serve.add_argument(
        "--no-beta-header", action="store_true", help="do not require 'OpenAI-Beta: assistants=v2' on /v1 paths"
    )
    serve.add_argument(
        "--ingestion-seconds", type=float, default=0, help="seconds a vector store file stays in_progress (default 0)"
    )
    serve.add_argument(
        "--models",
        action="append",
        default=[],
        metavar="FILE",
        help="YAML or JSON file of scripted models to register (repeatable)",
    )
    serve.add_argument(
        "--progression",
        default="immediate",
        help="how runs move: immediate (default), reads:N (N reads per transition) or seconds:S",
    )
    serve.add_argument("--quiet", action="store_true", help="no log line per request")
    serve.add_argument("--log-format", choices=["text", "json"], default="text",
                       help="console lines as text (coloured on a terminal) or one JSON object per line")  # fmt: skip
    serve.add_argument("--data-dir", default=None, metavar="DIR",
                       help="keep every object and file in DIR (SQLite and files) across restarts; default: in memory")  # fmt: skip
    serve.add_argument("--max-upload-mb", type=float, default=512, help="largest file upload, MB (default 512)")
    serve.add_argument("--max-body-mb", type=float, default=32, help="largest JSON request body, MB (default 32)")
    tls = serve.add_argument_group("https (docs/https.md)")
    tls.add_argument("--https", action="store_true",
                     help="serve https with a certificate made at start for 127.0.0.1 and localhost; the banner "
                          "prints the path of its CA, which clients trust (kept in DIR/tls with --data-dir)")  # fmt: skip
    tls.add_argument("--tls-cert", metavar="FILE", help="serve https with this certificate (PEM, chain after it)")
    tls.add_argument("--tls-key", metavar="FILE", help="the private key of --tls-cert (PEM, unencrypted)")
    limits = serve.add_argument_group("code_interpreter sandbox limits")
    defaults = SandboxLimits()
    for name, kind, text in SANDBOX_OPTIONS:
        limits.add_argument(f"--sandbox-{name.replace('_', '-')}", type=kind, default=getattr(defaults, name),
                            dest=f"sandbox_{name}", help=f"{text} (default {getattr(defaults, name)})")  # fmt: skip
    limits.add_argument("--no-landlock", action="store_true", help="do not restrict sandbox processes with Landlock")
    add_contract_command(sub)
    add_record_command(sub)
    return parser


#: (SandboxLimits field, type, help) of the serve command's --sandbox-* options.
SANDBOX_OPTIONS = (
    ("cpu_seconds", int, "CPU seconds per code execution"),
    ("wall_seconds", float, "wall seconds per code execution; the session is killed beyond"),
    ("memory_mb", int, "MiB the code may allocate"),
    ("max_files", int, "files under /mnt/data per session"),
    ("max_total_bytes", int, "bytes under /mnt/data per session"),
    ("max_file_bytes", int, "bytes of the largest file the code may write"),
    ("max_output_chars", int, "characters of output kept per execution"),
    ("session_idle_seconds", int, "idle seconds after which a thread's interpreter session ends"),
)


def serve(args: argparse.Namespace) -> int:
    try:
        config = _config(args)
    except ValueError as exc:
        print(f"assistants-emulator: {exc}", file=sys.stderr)
        return 2
    _console(args)
    try:
        tls = _tls(args)  # before the emulator, which opens --data-dir: a bad certificate leaves nothing open
    except ValueError as exc:  # TLSError among them: the message says what
        print(f"assistants-emulator: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # e.g. DIR/tls cannot be written
        print(f"assistants-emulator: cannot make the https certificate: {exc}", file=sys.stderr)
        return 2
    try:
        emulator = Emulator(config)
    except (ValueError, ScriptError) as exc:
        if tls is not None:
            tls.cleanup()
        print(f"assistants-emulator: {exc}", file=sys.stderr)
        return 2
    try:
        return _run(args, emulator, tls)
    finally:
        if tls is not None:
            tls.cleanup()


def _tls(args: argparse.Namespace) -> TLSFiles | None:
    """The certificate to serve https with: the user's own, one made now, or None (http)."""
    if bool(args.tls_cert) != bool(args.tls_key):
        raise TLSError("--tls-cert and --tls-key go together (the certificate and its private key)")
    if args.tls_cert:
        return own_certificate(args.tls_cert, args.tls_key)
    return made_certificate(args.host, args.data_dir) if args.https else None


def _tls_lines(tls: TLSFiles | None) -> str:
    if tls is None:
        return ""
    if tls.ca_file is None:
        return f"\n  Certificate     : {tls.cert_file}  (https; clients must trust its issuer)"
    return (
        f"\n  CA certificate  : {tls.ca_file}  (https: clients trust this file, e.g. SSL_CERT_FILE,"
        f"\n                    connection_verify, NODE_EXTRA_CA_CERTS; see docs/https.md)"
    )


def _console(args: argparse.Namespace) -> None:
    """Log lines to stderr: requests and long work at INFO (unless --quiet), as text or JSON."""
    handler = logging.StreamHandler()
    color = args.log_format == "text" and sys.stderr.isatty() and not os.environ.get("NO_COLOR")
    handler.setFormatter(ConsoleFormatter(as_json=args.log_format == "json", color=color))
    logging.basicConfig(level=logging.WARNING if args.quiet else logging.INFO, handlers=[handler])


def _config(args: argparse.Namespace) -> EmulatorConfig:
    return EmulatorConfig(
        seed=args.seed,
        api_keys=args.api_keys,
        clock=args.clock,
        strict_models=args.strict_models,
        require_beta_header=not args.no_beta_header,
        ingestion_seconds=args.ingestion_seconds,
        models=args.models,
        progression=args.progression,
        data_dir=args.data_dir,
        max_upload_bytes=int(args.max_upload_mb * 1024 * 1024),
        max_body_bytes=int(args.max_body_mb * 1024 * 1024),
        sandbox=SandboxLimits(
            **{name: getattr(args, f"sandbox_{name}") for name, _kind, _text in SANDBOX_OPTIONS},
            landlock=not args.no_landlock,
        ),
    )


def _run(args: argparse.Namespace, emulator: Emulator, tls: TLSFiles | None = None) -> int:
    server = Server(create_app(emulator), host=args.host, port=args.port, threads=args.threads,
                    log_requests=not args.quiet, tls=tls)  # fmt: skip

    def banner() -> str:
        return BANNER.format(
            version=__version__,
            url=server.url,
            admin=ADMIN_PREFIX,
            key=args.api_keys[0] if args.api_keys else "any-key",
            keys=", ".join(args.api_keys) if args.api_keys else "any key accepted",
            azure_version=max(V2_API_VERSIONS),
            data=emulator.config.data_dir or "in memory (pass --data-dir DIR to keep it)",
            models=", ".join(emulator.models.names()),
            tls=_tls_lines(tls),
        )

    if run_in_foreground(server, banner):
        return 1
    print("assistants-emulator stopped.", flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "serve":
        return serve(args)
    if args.command == "contract":
        return run_contract_command(args)
    if args.command == "record":
        return run_record_command(args)
    return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
