"""https for the dev server: a certificate made at start, or the user's own.

`serve --https` makes a certificate authority and, signed by it, a server certificate valid
for `127.0.0.1`, `::1` and `localhost` (and the `--host` name or address, if it is another),
with `trustme` (keys by `cryptography`): the CA has critical basicConstraints and keyUsage,
every certificate a subject key identifier and the server's an authority key identifier, so
it passes Python 3.13's default `VERIFY_X509_STRICT` verification. Clients trust the CA's
PEM file (`SSL_CERT_FILE`, `httpx.Client(verify=...)`, azure-core's `connection_verify`,
`NODE_EXTRA_CA_CERTS`); nothing is verified less than against a public server.

With `--data-dir DIR` the CA is kept in `DIR/tls/` and used again at the next start (clients
keep trusting the same file); otherwise it lives in a temporary directory that is removed
when the server stops. `--tls-cert FILE --tls-key FILE` serve the user's own certificate.
"""

from __future__ import annotations

import ipaddress
import os
import shutil
import ssl
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

#: Where, under `--data-dir`, the made CA is kept.
TLS_DIR = "tls"
CA_FILE = "emulator-ca.pem"
CA_KEY_FILE = "emulator-ca-key.pem"
SERVER_CERT_FILE = "server-cert.pem"
SERVER_KEY_FILE = "server-key.pem"
#: The names every made certificate is valid for.
LOOPBACK_NAMES = ("127.0.0.1", "::1", "localhost")


class TLSError(ValueError):
    """A certificate or key that cannot be served (the message says which and why)."""


@dataclass
class TLSFiles:
    """What the server serves (`cert_file`, `key_file`) and what clients should trust
    (`ca_file`: the made CA; None for the user's own certificate). `cleanup()` removes a
    temporary directory the files were made in."""

    cert_file: Path
    key_file: Path
    ca_file: Path | None = None
    _temporary: Path | None = field(default=None, repr=False)

    def ssl_adapter(self) -> object:
        """cheroot's builtin SSL adapter for these files (raises `TLSError` if they cannot be used)."""
        from cheroot.ssl.builtin import BuiltinSSLAdapter

        try:
            return BuiltinSSLAdapter(str(self.cert_file), str(self.key_file))
        except (OSError, ssl.SSLError, ValueError) as exc:
            raise TLSError(f"cannot serve https with {self.cert_file} and {self.key_file}: {exc}") from exc

    def cleanup(self) -> None:
        if self._temporary is not None:
            shutil.rmtree(self._temporary, ignore_errors=True)
            self._temporary = None


def own_certificate(cert_file: str, key_file: str) -> TLSFiles:
    """The user's certificate (PEM, with its chain if any) and private key (PEM, unencrypted)."""
    for what, name in (("certificate", cert_file), ("key", key_file)):
        if not os.path.isfile(name):
            raise TLSError(f"the TLS {what} file {name!r} does not exist")
    files = TLSFiles(cert_file=Path(cert_file), key_file=Path(key_file))
    files.ssl_adapter()  # a bad pair is told now, not at the first connection
    return files


def made_certificate(host: str = "127.0.0.1", data_dir: str | None = None) -> TLSFiles:
    """A server certificate for the loopback names and `host`, signed by a CA kept under
    `data_dir` (made there the first time) or made in a temporary directory."""
    import trustme

    if data_dir:
        directory, temporary = Path(data_dir) / TLS_DIR, None
        directory.mkdir(parents=True, exist_ok=True)
    else:
        directory = temporary = Path(tempfile.mkdtemp(prefix="assistants-emulator-tls-"))
    ca_path, ca_key_path = directory / CA_FILE, directory / CA_KEY_FILE
    if ca_path.is_file() and ca_key_path.is_file():
        try:
            ca = trustme.CA.from_pem(ca_path.read_bytes(), ca_key_path.read_bytes())
        except ValueError as exc:
            raise TLSError(f"cannot read the emulator's CA in {directory} ({exc}); remove the two files") from exc
    else:
        ca = trustme.CA(organization_name="assistants-emulator", organization_unit_name="assistants-emulator dev CA")
        _write_private(ca_key_path, ca.private_key_pem.bytes())
        ca_path.write_bytes(ca.cert_pem.bytes())
    leaf = ca.issue_cert(*certificate_names(host), common_name="assistants-emulator")
    cert_path, key_path = directory / SERVER_CERT_FILE, directory / SERVER_KEY_FILE
    cert_path.write_bytes(b"".join(blob.bytes() for blob in leaf.cert_chain_pems))
    _write_private(key_path, leaf.private_key_pem.bytes())
    return TLSFiles(cert_file=cert_path, key_file=key_path, ca_file=ca_path, _temporary=temporary)


def certificate_names(host: str) -> list[str]:
    """The loopback names, and `host` unless it is a wildcard address (any address of the
    machine: a client names one of them, which the certificate cannot all know)."""
    names = list(LOOPBACK_NAMES)
    host = host.strip("[]")
    try:
        wildcard = ipaddress.ip_address(host).is_unspecified
    except ValueError:
        wildcard = False
    if host and not wildcard and host.lower() not in names:
        names.append(host)
    return names


def _write_private(path: Path, data: bytes) -> None:
    """Write a private key readable by its owner only."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
