"""The hub's own TLS certificate: made on first start when the council gives none.

Devices pin its SHA-256 fingerprint at enrolment, so it need not come from a public authority.
"""

from __future__ import annotations

import ipaddress
import os
import shutil
import tempfile
from datetime import timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from sync.auth import certificate_fingerprint
from sync.hub.errors import BadValue
from sync.hub.tables import utcnow

VALID_DAYS = 3650


def ensure_self_signed(folder: Path, host: str) -> tuple[Path, Path]:
    """``folder/cert.pem`` and ``folder/key.pem``, made if absent; the key is readable by the
    owner only. Both are written into a private sibling folder that is then renamed into place,
    so two hubs starting at once never pair one's certificate with the other's key."""
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    if cert_path.exists() and key_path.exists():
        return cert_path, key_path
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        _write_pair(staging, host)
        try:
            os.rename(staging, folder)
        except OSError:
            if not (cert_path.exists() and key_path.exists()):
                raise  # not a race lost to another hub: something else is in the way
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return cert_path, key_path


def _write_pair(folder: Path, host: str) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    names: list[x509.GeneralName] = [
        x509.DNSName("localhost"),
        x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
        x509.IPAddress(ipaddress.ip_address("::1")),
    ]
    try:
        names.append(x509.IPAddress(ipaddress.ip_address(host)))
    except ValueError:
        names.append(x509.DNSName(host))
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Pathway Hub")])
    now = utcnow()
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=VALID_DAYS))
        .add_extension(x509.SubjectAlternativeName(list(dict.fromkeys(names))), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    fd = os.open(folder / "key.pem", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM,
                                  serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))


def fingerprint_of(cert_path: Path) -> str:
    try:
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    except ValueError:
        raise BadValue(f"{cert_path} is not a PEM certificate.") from None
    return certificate_fingerprint(cert.public_bytes(serialization.Encoding.DER))
