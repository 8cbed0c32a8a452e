"""The sandbox's local certificate authority and its HTTPS server certificate.

On first start `ensure_certificates(dir)` creates `ca.pem` (public: give it to clients as
their CA bundle), `ca-key.pem` (private, mode 0600), and `server.pem` / `server-key.pem`
(0600) for `localhost`, `127.0.0.1` and `::1`, signed by the CA. Later starts reuse them;
the server certificate is renewed when it is within 30 days of expiry. Certificate validity
follows real time (TLS clients check it), not the sandbox clock.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_DAYS = 3650
SERVER_DAYS = 825
RENEW_BEFORE = timedelta(days=30)


@dataclass(frozen=True)
class CertificatePaths:
    """Where the CA and server certificate files are."""

    ca_file: Path
    ca_key_file: Path
    cert_file: Path
    key_file: Path


def ensure_certificates(directory: Path) -> CertificatePaths:
    """Create (or reuse) the local CA and the server certificate in `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = CertificatePaths(
        directory / "ca.pem",
        directory / "ca-key.pem",
        directory / "server.pem",
        directory / "server-key.pem",
    )
    if not (paths.ca_file.exists() and paths.ca_key_file.exists()):
        _write_ca(paths)
    if _needs_server_certificate(paths):
        _write_server_certificate(paths)
    return paths


def new_private_key() -> rsa.RSAPrivateKey:
    """A fresh 2048-bit RSA key."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def write_private_key(path: Path, key: rsa.RSAPrivateKey) -> None:
    """Write a PEM private key readable by its owner only."""
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def read_private_key(path: Path) -> rsa.RSAPrivateKey:
    """Load a PEM RSA private key written by `write_private_key`."""
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError(f"{path} does not hold an RSA key")
    return key


def self_signed_certificate(
    key: rsa.RSAPrivateKey, common_name: str, days: int
) -> x509.Certificate:
    """A self-signed certificate (used for the CA and for the webhook signing key)."""
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "o365portal Partner Center sandbox"),
        ]
    )
    now = datetime.now(UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )


def _write_ca(paths: CertificatePaths) -> None:
    key = new_private_key()
    certificate = self_signed_certificate(key, "o365portal sandbox local CA", CA_DAYS)
    write_private_key(paths.ca_key_file, key)
    paths.ca_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    paths.cert_file.unlink(missing_ok=True)


def _needs_server_certificate(paths: CertificatePaths) -> bool:
    if not (paths.cert_file.exists() and paths.key_file.exists()):
        return True
    certificate = x509.load_pem_x509_certificate(paths.cert_file.read_bytes())
    return certificate.not_valid_after_utc - datetime.now(UTC) < RENEW_BEFORE


def _write_server_certificate(paths: CertificatePaths) -> None:
    ca_key = read_private_key(paths.ca_key_file)
    ca_certificate = x509.load_pem_x509_certificate(paths.ca_file.read_bytes())
    key = new_private_key()
    now = datetime.now(UTC)
    names = [
        x509.DNSName("localhost"),
        x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
        x509.IPAddress(ipaddress.ip_address("::1")),
    ]
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
        .issuer_name(ca_certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=SERVER_DAYS))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    write_private_key(paths.key_file, key)
    paths.cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
